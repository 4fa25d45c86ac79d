//! The app when the files under it change: a project whose source changed opens re-anchored
//! with its orphans under "Needs attention" (deleted or re-placed from there); saving over
//! a project file changed on disk asks first; a second window on a project is told.

mod support;

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers, pos2};
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::store;
use support::{app_harness, drag, run_until};

const THIRD: &str = "002_c2d47f878a0c9e5f.txt";
const CHANGED_ON_DISK: &str = "This project changed on disk since you opened it";

fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = support::sample_copy(dir.path());
    (dir, project)
}

/// Insert a line above document 3's text and delete passage 12's text from it; returns
/// passage 12's quote.
fn change_third_document(project: &Path) -> String {
    let file = project.parent().unwrap().join("../seeds").join(THIRD);
    let quote = store::load_project(project)
        .unwrap()
        .annotation(12)
        .unwrap()
        .quote
        .clone();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("Updated.\n{}", text.replace(&quote, ""))).unwrap();
    quote
}

fn excerpt(quote: &str) -> String {
    quote.chars().take(30).collect()
}

#[test]
fn a_changed_source_opens_re_anchored_and_an_orphan_is_deleted_from_needs_attention() {
    let (_dir, project) = sample_copy();
    let quote = change_third_document(&project);
    let mut harness = app_harness(Workspace::open(&project).unwrap());

    let workspace = harness.state().workspace();
    assert!(workspace.is_dirty(), "re-anchoring is an unsaved change");
    for annotation in &workspace.project().annotations {
        assert_eq!(workspace.is_anchored(annotation), annotation.id != 12);
    }
    assert_eq!(harness.state_mut().orphans(), vec![12]);
    assert!(
        harness
            .query_all_by_label_contains("Needs attention (1)")
            .next()
            .is_some()
    );
    assert!(
        harness
            .query_all_by_label_contains(&excerpt(&quote))
            .next()
            .is_some(),
        "the orphan is listed with its quote"
    );

    harness.get_by_label("Delete").click();
    harness.run_steps(3);
    assert!(
        harness
            .state()
            .workspace()
            .project()
            .annotation(12)
            .is_none()
    );
    assert!(harness.state_mut().orphans().is_empty());
    assert!(
        harness
            .query_all_by_label_contains("Needs attention")
            .next()
            .is_none(),
        "nothing is left to attend to"
    );

    // Undo brings the orphan back into the list.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(harness.state_mut().orphans(), vec![12]);
}

#[test]
fn an_orphan_is_re_placed_on_the_next_selection() {
    let (_dir, project) = sample_copy();
    change_third_document(&project);
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    harness.get_by_label("Re-place").click();
    harness.run_steps(3);
    assert_eq!(harness.state().current_document(), Some(3));
    assert_eq!(harness.state().replacing(), Some(12));

    drag(&mut harness, pos2(330.0, 240.0), pos2(720.0, 300.0));
    let app = harness.state();
    assert_eq!(app.replacing(), None);
    let selection = app.selection().expect("the drag selected text");
    let workspace = app.workspace();
    let passage = workspace.project().annotation(12).unwrap();
    assert_eq!(passage.start..passage.end, selection);
    let text = workspace.text(3).unwrap();
    assert_eq!(Some(passage.quote.as_str()), text.slice(selection.clone()));
    assert!(workspace.is_anchored(passage));
    assert!(!passage.prefix.is_empty() || selection.start == 0);
    assert_eq!(passage.tags, vec![2], "re-placing keeps the passage's tags");
    assert!(harness.state_mut().orphans().is_empty());
}

#[test]
fn saving_over_a_project_changed_on_disk_asks_first() {
    let (dir, project) = sample_copy();
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    drag(&mut harness, pos2(720.0, 300.0), pos2(330.0, 240.0));
    harness.key_press(Key::Num2);
    harness.run_steps(3);
    assert!(harness.state().workspace().is_dirty());

    let elsewhere = std::fs::read_to_string(&project)
        .unwrap()
        .replace("Police positive action", "Saved from another window");
    std::fs::write(&project, &elsewhere).unwrap();

    // Cancel: nothing is written, the changes stay unsaved.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(1);
    run_until(&mut harness, "the question", |app| {
        app.dialog_message().is_some()
    });
    harness.get_by_label(CHANGED_ON_DISK);
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(harness.query_by_label(CHANGED_ON_DISK).is_none());
    assert_eq!(std::fs::read_to_string(&project).unwrap(), elsewhere);
    assert!(harness.state().workspace().is_dirty());

    // Overwrite: this window's project replaces the file.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(1);
    run_until(&mut harness, "the question", |app| {
        app.dialog_message().is_some()
    });
    harness.get_by_label("Overwrite").click();
    harness.run_steps(1);
    run_until(&mut harness, "the save", |app| !app.workspace().is_dirty());
    assert!(!harness.state().workspace().is_dirty());
    assert_eq!(
        std::fs::read_to_string(&project).unwrap(),
        store::project_to_ron(harness.state().workspace().project())
    );
    assert_eq!(
        std::fs::read_to_string(store::backup_path(&project)).unwrap(),
        elsewhere
    );

    // Save As…: both versions are kept.
    std::fs::write(&project, &elsewhere).unwrap();
    harness.key_press(Key::Num3);
    harness.run_steps(3);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(1);
    run_until(&mut harness, "the question", |app| {
        app.dialog_message().is_some()
    });
    harness.get_by_label("Save As…").click();
    harness.run_steps(3);
    let copy = dir.path().join("projects").join("mine.ron");
    // The prompt offers the current path, selected; typing replaces it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness
        .get_by_role(egui::accesskit::Role::TextInput)
        .type_text(copy.to_str().unwrap());
    harness.run_steps(2);
    harness.get_by_label("OK").click();
    harness.run_steps(3);
    assert_eq!(std::fs::read_to_string(&project).unwrap(), elsewhere);
    assert_eq!(
        store::load_project(&copy).unwrap().annotations,
        harness.state().workspace().project().annotations
    );
    assert_eq!(harness.state().workspace().path(), Some(copy.as_path()));
}

#[test]
fn a_second_window_on_the_same_project_is_told() {
    let (_dir, project) = sample_copy();
    let mut first = app_harness(Workspace::open(&project).unwrap());
    first.state_mut().enable_project_locks();
    first.run_steps(2);
    assert_eq!(first.state().dialog_message(), None);

    let mut second = app_harness(Workspace::open(&project).unwrap());
    second.state_mut().enable_project_locks();
    second.run_steps(2);
    second.get_by_label_contains("open in another Marginalia window");
    assert_eq!(
        first.state().workspace().other_windows().len(),
        1,
        "the first window can see the second"
    );
    second.get_by_label("Continue").click();
    second.run_steps(2);
    assert_eq!(second.state().dialog_message(), None);
    assert!(
        second
            .query_all_by_label_contains("Also open in another window")
            .next()
            .is_some(),
        "the status bar keeps saying so"
    );

    drop(second);
    assert!(first.state().workspace().other_windows().is_empty());
    drop(first);
    assert!(!store::lock_path(&project).exists());
}

#[test]
fn switching_to_a_longer_document_indexes_its_own_passages() {
    let (_dir, project) = sample_copy();
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    let workspace = harness.state().workspace();
    let lines = |doc: u32| workspace.text(doc).unwrap().paragraphs().len();
    let longest = (1..=5).max_by_key(|&d| lines(d)).unwrap();
    assert!(lines(longest) > lines(1));
    let last = workspace
        .project()
        .annotations_of(longest)
        .max_by_key(|a| a.start)
        .unwrap()
        .id;
    let ctx = harness.ctx.clone();
    harness.state_mut().perform(
        &ctx,
        marginalia::ui::Action::SelectPassage {
            id: last,
            scroll: true,
        },
    );
    // Drawing the passage's paragraph, far down the document, must use this document's
    // passages (the first document's index has fewer paragraphs).
    harness.run_steps(4);
    assert_eq!(harness.state().current_document(), Some(longest));
    assert_eq!(harness.state().selected_passage(), Some(last));
}
