//! The real app, driven as a person would: drag across text, press a tag key, save, reopen,
//! click the highlight, delete it. No display is needed (egui_kittest without rendering).

mod support;

use std::path::Path;

use egui::{Key, Modifiers, pos2};
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use support::{app_harness, click_at, drag, run_until, seed_copy};

fn text_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn drag_tag_save_reopen_click_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let file = seed_copy(dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    let mut harness = app_harness(Workspace::from_files(std::slice::from_ref(&file)).unwrap());

    // Drag across two wrapped lines of the body text, backwards, then tag with key 2.
    let (from, to) = (pos2(720.0, 300.0), pos2(330.0, 240.0));
    drag(&mut harness, from, to);
    let selection = harness.state().selection().expect("the drag selected text");
    assert!(selection.len() > 20, "selection {selection:?}");
    harness.key_press(Key::Num2);
    harness.run_steps(3);

    let project = harness.state().workspace().project().clone();
    assert_eq!(project.annotations.len(), 1, "exactly one passage");
    let passage = &project.annotations[0];
    assert_eq!(passage.tags, vec![2], "tagged statistic");
    assert_eq!(passage.start..passage.end, selection);
    assert_eq!(passage.quote, text_slice(&text, passage.start, passage.end));
    assert!(harness.state().window_title().starts_with("● "));

    // Save: the project has no file yet, so Ctrl+S asks for a path (in the app: no dialog service here).
    let project_file = dir.path().join("study.ron");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(3);
    harness
        .get_by_role(egui::accesskit::Role::TextInput)
        .type_text(project_file.to_str().unwrap());
    harness.run_steps(2);
    harness.get_by_label("OK").click();
    harness.run_steps(3);
    assert!(!harness.state().workspace().is_dirty());
    assert!(!harness.state().window_title().starts_with("● "));
    let saved = marginalia::store::load_project(&project_file).unwrap();
    assert_eq!(saved.annotations, project.annotations);

    // Reopen in a fresh app: the highlight is there, where it was.
    drop(harness);
    let mut harness = app_harness(Workspace::open(&project_file).unwrap());
    assert_eq!(
        harness.state().workspace().project().annotations,
        project.annotations
    );
    let flat = passage
        .quote
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let excerpt: String = flat.chars().take(30).collect();
    assert!(
        harness
            .query_all_by_label_contains(&excerpt)
            .next()
            .is_some(),
        "the passage list shows the passage"
    );

    // Click inside the highlight: the passage is selected; Delete removes it.
    click_at(&mut harness, pos2(500.0, 262.0));
    let selected = harness.state().selected_passage();
    assert_eq!(
        selected,
        Some(passage.id),
        "clicking the highlight selects it"
    );
    harness.key_press(Key::Delete);
    harness.run_steps(3);
    assert!(harness.state().workspace().project().annotations.is_empty());
    assert!(harness.state().workspace().is_dirty());

    // Undo brings it back, and with it the saved state: the unsaved marker clears.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(
        harness.state().workspace().project().annotations,
        project.annotations
    );
    assert!(!harness.state().workspace().is_dirty());
}

#[test]
fn tagging_the_exact_passage_again_toggles_tags_instead_of_duplicating() {
    let dir = tempfile::tempdir().unwrap();
    let file = seed_copy(dir.path());
    let mut harness = app_harness(Workspace::from_files(std::slice::from_ref(&file)).unwrap());
    drag(&mut harness, pos2(330.0, 240.0), pos2(720.0, 300.0));
    harness.key_press(Key::Num3);
    harness.run_steps(2);
    harness.key_press(Key::Num4);
    harness.run_steps(2);
    let project = harness.state().workspace().project();
    assert_eq!(project.annotations.len(), 1);
    assert_eq!(project.annotations[0].tags, vec![3, 4]);
    harness.key_press(Key::Num3);
    harness.run_steps(2);
    assert_eq!(
        harness.state().workspace().project().annotations[0].tags,
        vec![4]
    );
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().selection(), None);
}

#[test]
fn menus_and_controls_are_reachable_by_label() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let mut harness = app_harness(Workspace::open(&sample).unwrap());
    for (menu, items) in [
        (
            "File",
            &[
                "New",
                "Open…",
                "Open recent",
                "Add documents…",
                "Save",
                "Save as…",
                "Export",
                "Quit",
            ][..],
        ),
        ("Edit", &["Undo", "Redo", "Delete passage"][..]),
        (
            "View",
            &["Larger text", "Smaller text", "Light theme", "Dark theme"][..],
        ),
    ] {
        harness.get_by_label(menu).click();
        harness.run_steps(2);
        for item in items {
            assert!(
                harness.query_all_by_label_contains(item).next().is_some(),
                "{menu} → {item} is reachable"
            );
        }
        harness.key_press(Key::Escape);
        harness.run_steps(2);
    }
    // The documents list names every document; the first is shown with its passages.
    for document in &harness.state().workspace().project().documents.clone() {
        let start: String = document.title.chars().take(20).collect();
        assert!(harness.query_all_by_label_contains(&start).next().is_some());
    }
    assert!(
        harness
            .query_all_by_label_contains("Passages (")
            .next()
            .is_some()
    );
}

#[test]
fn a_malformed_project_is_reported_and_the_current_one_stays() {
    let dir = tempfile::tempdir().unwrap();
    let file = seed_copy(dir.path());
    let bad = dir.path().join("bad.ron");
    let bad_text = "Project(\n    format: 1,\n    name: \"x\"\n    codebook: [],\n)\n";
    std::fs::write(&bad, bad_text).unwrap();
    let mut harness = app_harness(Workspace::from_files(std::slice::from_ref(&file)).unwrap());
    let before = harness.state().workspace().project().clone();
    harness.state_mut().open(&bad);
    harness.run_steps(2);
    let message = harness.state().dialog_message().expect("an error dialog");
    assert!(message.contains("bad.ron:4:"), "{message}");
    assert_eq!(harness.state().workspace().project(), &before);
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), bad_text);
    harness.get_by_label("OK").click();
    harness.run_steps(2);
    assert_eq!(harness.state().dialog_message(), None);
}

#[test]
fn new_with_unsaved_work_asks_before_discarding() {
    let dir = tempfile::tempdir().unwrap();
    let file = seed_copy(dir.path());
    let mut harness = app_harness(Workspace::from_files(std::slice::from_ref(&file)).unwrap());
    drag(&mut harness, pos2(330.0, 240.0), pos2(720.0, 300.0));
    harness.key_press(Key::Num1);
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run_steps(2);
    assert!(harness.query_by_label("Save changes?").is_some());
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert_eq!(harness.state().workspace().project().annotations.len(), 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run_steps(2);
    harness.get_by_label("Discard").click();
    harness.run_steps(2);
    assert!(harness.state().workspace().project().documents.is_empty());
}

#[test]
fn export_from_the_file_menu_writes_the_file_off_the_ui_thread() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let mut harness = app_harness(Workspace::open(&sample).unwrap());
    let target = dir.path().join("passages.csv");
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    harness.get_by_label_contains("CSV").click();
    harness.run_steps(4);
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("path prompt: Export(ExportChoice { format: Csv, for_tool: None, counts: false })")
    );
    harness
        .get_by_role(egui::accesskit::Role::TextInput)
        .type_text(target.to_str().unwrap());
    harness.run_steps(1);
    // Enter submits the path, as OK does.
    harness.key_press(egui::Key::Enter);
    harness.run_steps(1);
    // The export runs on a worker thread; the window keeps drawing until it reports back.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while harness
        .query_all_by_label_contains("Exported")
        .next()
        .is_none()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the export never finished"
        );
        harness.run_steps(1);
        std::thread::yield_now();
    }
    let mut reader = csv::Reader::from_path(&target).unwrap();
    let rows = reader.records().count();
    let project = harness.state().workspace().project();
    let expected: usize = project
        .annotations
        .iter()
        .map(|a| a.tags.len().max(1))
        .sum();
    assert_eq!(rows, expected);
    assert!(
        !harness.state().workspace().is_dirty(),
        "an export changes nothing"
    );
}

#[test]
fn importing_a_qdpx_from_the_file_menu_opens_the_new_project() {
    let dir = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let workspace = Workspace::open(&sample).unwrap();
    let qdpx = dir.path().join("study.qdpx");
    let bytes =
        marginalia::export::export(marginalia::export::Format::Qdpx, &workspace.corpus()).unwrap();
    std::fs::write(&qdpx, bytes).unwrap();
    let expected = workspace.project().annotations.len();

    let mut harness = app_harness(workspace);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Import project").click();
    harness.run_steps(4);
    harness
        .get_by_role(egui::accesskit::Role::TextInput)
        .type_text(qdpx.to_str().unwrap());
    harness.run_steps(1);
    harness.get_by_label("OK").click();
    harness.run_steps(1);
    // Importing and reading run on a worker thread; the window draws meanwhile.
    let imported = dir.path().join("study.ron");
    run_until(&mut harness, "the imported project", |app| {
        app.workspace().path() == Some(imported.as_path())
    });

    let opened = harness.state().workspace();
    assert_eq!(opened.path(), Some(imported.as_path()));
    assert_eq!(opened.project().annotations.len(), expected);
    assert!(
        opened
            .project()
            .annotations
            .iter()
            .all(|a| opened.is_anchored(a))
    );
}
