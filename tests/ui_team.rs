//! Team coding in the real window: the coder name asked before the first passage and changed
//! in Preferences, the Agreement view, File → Merge project… with its undo, and passages a git
//! merge kept in two versions under "Needs attention".

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::agreement::{self, Options};
use marginalia::ui::{Action, CentralView, CoderView, MarginaliaApp, Preferences};
use support::{run_until, sample_copy};

fn perform(harness: &mut Harness<'_, MarginaliaApp>, action: Action) {
    harness
        .state_mut()
        .perform(&egui::Context::default(), action);
    harness.run_steps(3);
}

/// Select `range` of the first document and tag it with tag 1.
fn tag_range(harness: &mut Harness<'_, MarginaliaApp>, range: std::ops::Range<usize>) {
    let doc = harness.state().current_document().unwrap();
    perform(
        harness,
        Action::SelectRange {
            doc,
            range: range.clone(),
        },
    );
    perform(harness, Action::TagSelection(1));
}

fn passage_at(harness: &Harness<'_, MarginaliaApp>, range: std::ops::Range<usize>) -> String {
    let app = harness.state();
    let doc = app.current_document().unwrap();
    app.workspace()
        .project()
        .annotation_at_exact(doc, range)
        .expect("the passage was made")
        .coder
        .clone()
}

/// How a dialog's answer is given.
#[derive(Clone, Copy)]
enum Confirm {
    ClickOk,
    PressEnter,
}

/// Type `name` over whatever the coder name field holds, and confirm.
fn answer_coder_name(harness: &mut Harness<'_, MarginaliaApp>, name: &str, confirm: Confirm) {
    // The field has the keyboard: select what it holds and type over it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness
        .input_mut()
        .events
        .push(egui::Event::Text(name.to_owned()));
    harness.run_steps(2);
    match confirm {
        Confirm::ClickOk => harness.get_by_label("OK").click(),
        Confirm::PressEnter => harness.key_press(Key::Enter),
    }
    harness.run_steps(3);
}

#[test]
fn the_coder_name_is_asked_before_the_first_passage_and_can_be_changed() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = Workspace::open(&sample_copy(dir.path())).unwrap();
    // A person who was never asked (the support harness answers for other tests).
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |_cc| MarginaliaApp::with_workspace(workspace, Preferences::default()));
    harness.run_steps(4);
    harness.get_by_label("Coder: not set");

    tag_range(&mut harness, 10..20);
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("coder name"),
        "the first passage waits for a name"
    );
    let doc = harness.state().current_document().unwrap();
    assert!(
        harness
            .state()
            .workspace()
            .project()
            .annotation_at_exact(doc, 10..20)
            .is_none()
    );
    // Enter in the field submits it, as OK does.
    answer_coder_name(&mut harness, "Ann", Confirm::PressEnter);
    assert_eq!(harness.state().dialog_message(), None);
    assert_eq!(
        passage_at(&harness, 10..20),
        "Ann",
        "made once the name was given"
    );
    assert_eq!(harness.state().preferences().coder.as_deref(), Some("Ann"));
    harness.get_by_label("Coder: Ann");

    // Asked once: the next passage is made at once.
    tag_range(&mut harness, 30..40);
    assert_eq!(harness.state().dialog_message(), None);
    assert_eq!(passage_at(&harness, 30..40), "Ann");

    // Edit → Preferences… changes it; new passages take the new name, old ones keep theirs.
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    harness.get_by_label("Preferences…").click();
    harness.run_steps(2);
    answer_coder_name(&mut harness, "Ben", Confirm::ClickOk);
    harness.get_by_label("Coder: Ben");
    tag_range(&mut harness, 50..60);
    assert_eq!(passage_at(&harness, 50..60), "Ben");
    assert_eq!(passage_at(&harness, 10..20), "Ann");
    assert_eq!(harness.state().workspace().coder, "Ben");
}

/// The sample project's documents with two coders' passages on the first one (and none of
/// the sample's own), made with the library as the window makes them.
fn two_coders(dir: &Path) -> Workspace {
    let file = sample_copy(dir);
    let mut project = marginalia::store::load_project(&file).unwrap();
    project.annotations.clear();
    let mut workspace = Workspace::from_project(project, Some(file), false);
    let doc = workspace.project().documents[0].id;
    for (coder, spans) in [
        ("ann", [(100, 180), (400, 520), (900, 960)]),
        ("ben", [(110, 185), (430, 520), (1200, 1300)]),
    ] {
        workspace.coder = coder.to_owned();
        for (start, end) in spans {
            workspace.tag_range(doc, start..end, 1).unwrap();
        }
        workspace.tag_range(doc, 2000..2100, 2).unwrap();
    }
    workspace
}

#[test]
fn the_agreement_view_shows_the_libraries_alpha_and_a_tag_opens_its_passages_or_the_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = two_coders(dir.path());
    let lengths: BTreeMap<_, _> = workspace
        .project()
        .documents
        .iter()
        .filter_map(|d| workspace.text(d.id).map(|t| (d.id, t.char_count())))
        .collect();
    let expected = agreement::compute(workspace.project(), &lengths, &Options::default()).unwrap();
    let quote = expected.tags.iter().find(|t| t.tag == "quote").unwrap();
    let alpha = quote.alpha.expect("the two coders' quotes give an α");

    let mut harness = support::app_harness_sized(workspace, 1400.0, 900.0);
    harness.get_by_label("Agreement").click();
    harness.run_steps(2);
    assert_eq!(harness.state().central_view(), CentralView::Agreement);
    run_until(&mut harness, "the agreement report", |app| {
        app.agreement_report().is_some()
    });
    let shown = harness.state().agreement_report().unwrap().clone();
    assert_eq!(shown.coders, ["ann", "ben"]);
    assert_eq!(shown, expected, "the view shows the library's report");
    // On screen, as the command line prints it.
    assert!(
        harness
            .query_all_by_label(&agreement::render::number(Some(alpha)))
            .next()
            .is_some(),
        "α of quote ({alpha}) is in the table"
    );
    harness.get_by_label_contains("document(s) that each of them coded");

    // Leaving a coder out leaves nothing to compare.
    harness.get_by_role_and_label(Role::CheckBox, "ben").click();
    harness.run_steps(3);
    harness.get_by_label("Choose at least two coders to compare.");
    harness.get_by_role_and_label(Role::CheckBox, "ben").click();
    harness.run_steps(3);
    run_until(&mut harness, "the report again", |app| {
        app.agreement_report().is_some()
    });

    // A click on the row (here its counts; quote's is the first) opens the tag's passages.
    harness
        .query_all_by_label_contains("ann ")
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().central_view(), CentralView::Passages);
    assert_eq!(harness.state().passages_filter().tags, [1]);

    // A click on the tag's name compares the two coders on it in the text.
    harness.get_by_label("Agreement").click();
    harness.run_steps(2);
    run_until(&mut harness, "the report again", |app| {
        app.agreement_report().is_some()
    });
    harness.get_by_role_and_label(Role::Button, "quote").click();
    harness.run_steps(3);
    assert_eq!(harness.state().central_view(), CentralView::Document);
    assert_eq!(
        harness.state().coder_view(),
        &CoderView::Compare {
            first: "ann".into(),
            second: "ben".into(),
            tag: Some(1)
        }
    );
    assert!(
        shown
            .documents
            .contains(&harness.state().current_document().unwrap())
    );
}

#[test]
fn merge_project_merges_a_second_file_and_one_undo_restores_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let project_file = sample_copy(dir.path());
    // Ben's project: the same documents, a tag of his own, his passages.
    let mut ben = marginalia::store::load_project(&project_file).unwrap();
    let doc = ben.documents[0].id;
    ben.annotations.retain(|a| a.doc == doc);
    ben.annotations.truncate(3);
    for passage in &mut ben.annotations {
        passage.coder = "ben".to_owned();
        passage.note = "ben's reading".to_owned();
    }
    let mut irony = ben.codebook[0].clone();
    irony.id = 99;
    irony.name = "irony".to_owned();
    irony.key = String::new();
    ben.codebook.push(irony);
    ben.annotations[0].tags.push(99);
    ben.sync_id_counters();
    let ben_file = project_file.with_file_name("ben.ron");
    marginalia::store::save_project(&ben, &ben_file).unwrap();

    let mut harness =
        support::app_harness_sized(Workspace::open(&project_file).unwrap(), 1400.0, 900.0);
    let before = harness.state().workspace().project().clone();

    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Merge project…").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("path prompt: MergeProjects")
    );
    harness
        .get_by_role(Role::TextInput)
        .type_text(&ben_file.display().to_string());
    harness.run_steps(2);
    harness.get_by_label("OK").click();
    harness.run_steps(2);
    run_until(&mut harness, "the merge", |app| {
        !app.is_merging() && app.dialog_message().is_some()
    });
    let report = harness.state().dialog_message().unwrap();
    assert!(report.starts_with("Merged"), "{report}");
    assert!(
        report.contains("irony"),
        "the tag mapping is shown: {report}"
    );

    let merged = harness.state().workspace().project().clone();
    assert_eq!(merged.annotations.len(), before.annotations.len() + 3);
    assert_eq!(merged.documents.len(), before.documents.len());
    assert!(merged.codebook.iter().any(|t| t.name == "irony"));
    let bens: Vec<_> = merged
        .annotations
        .iter()
        .filter(|a| a.coder == "ben")
        .collect();
    assert_eq!(bens.len(), 3);
    assert!(
        merged
            .annotations
            .iter()
            .all(|a| a.coder == "ben" || a.coder == "sample"),
        "every passage keeps its coder"
    );
    assert_eq!(
        harness.state().workspace().undo_label(),
        Some("merge project")
    );
    harness.get_by_label("OK").click();
    harness.run_steps(2);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    let restored = harness.state().workspace().project();
    assert_eq!(restored.annotations, before.annotations);
    assert_eq!(restored.codebook, before.codebook);
    assert_eq!(restored.documents, before.documents);
    assert_eq!(restored.memo, before.memo);
    assert!(
        !harness.state().workspace().is_dirty(),
        "back to the saved state"
    );
}

#[test]
fn a_merge_conflict_is_listed_and_keep_clears_its_mark() {
    let dir = tempfile::tempdir().unwrap();
    let project_file = sample_copy(dir.path());
    let mut project = marginalia::store::load_project(&project_file).unwrap();
    project.annotations[0].conflict = true;
    project.annotations[1].conflict = true;
    let (kept, other) = (project.annotations[0].id, project.annotations[1].id);
    marginalia::store::save_project(&project, &project_file).unwrap();

    let mut harness =
        support::app_harness_sized(Workspace::open(&project_file).unwrap(), 1400.0, 900.0);
    assert_eq!(harness.state_mut().conflicts(), [kept, other]);
    harness.get_by_label_contains("Needs attention (2)");
    assert_eq!(harness.query_all_by_label("Keep").count(), 2);

    harness.get_all_by_label("Keep").next().unwrap().click();
    harness.run_steps(3);
    let app = harness.state();
    assert!(!app.workspace().annotation(kept).unwrap().conflict);
    assert!(app.workspace().annotation(other).unwrap().conflict);
    assert_eq!(app.workspace().undo_label(), Some("keep passage"));
    assert_eq!(harness.state_mut().conflicts(), [other]);

    // The other version goes.
    harness.get_by_label("Delete").click();
    harness.run_steps(3);
    assert!(harness.state().workspace().annotation(other).is_none());
    assert!(harness.state_mut().conflicts().is_empty());
    assert!(harness.query_by_label_contains("Needs attention").is_none());

    // Undo twice: both versions are back, marked.
    for _ in 0..2 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        harness.run_steps(2);
    }
    assert_eq!(harness.state_mut().conflicts(), [kept, other]);
}
