//! "Edit text": correcting a document's text in the window moves its passages with the
//! text, writes the file (keeping `.bak`), records the new fingerprint, and undoes as one
//! step, on disk too. A correction not applied is never lost by quitting.

mod support;

use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::anchor::sha256_hex;
use marginalia::ui::MarginaliaApp;
use support::{SEED, app_harness, run_until, saved_project};

/// The seed project with two passages at the very start: "Met" and "Met Police", and one
/// further on, "Forty per cent"; saved.
fn project_with_passages(dir: &Path) -> Workspace {
    let project = saved_project(dir);
    let mut workspace = Workspace::open(&project).unwrap();
    let doc = workspace.project().documents[0].id;
    let text = workspace.text(doc).unwrap().as_str().to_owned();
    let forty = text[..text.find("Forty per cent").unwrap()].chars().count();
    for range in [0..3, 0..10, forty..forty + 14] {
        workspace.tag_range(doc, range, 1).unwrap();
    }
    workspace.save().unwrap();
    workspace
}

/// "Edit text…" above the document (also in the Edit menu), then into the text.
fn open_editor(harness: &mut Harness<'_, MarginaliaApp>) {
    harness.get_by_label("Edit text…").click();
    harness.run_steps(3);
    harness
        .get_by(|node| {
            node.role() == Role::MultilineTextInput
                && node.label().is_some_and(|l| l == "Document text")
        })
        .click();
    harness.run_steps(2);
}

fn key(harness: &mut Harness<'_, MarginaliaApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run_steps(1);
}

fn type_text(harness: &mut Harness<'_, MarginaliaApp>, text: &str) {
    harness
        .input_mut()
        .events
        .push(egui::Event::Text(text.to_owned()));
    harness.run_steps(1);
}

fn quotes(app: &MarginaliaApp) -> Vec<(String, usize, usize)> {
    app.workspace()
        .project()
        .annotations
        .iter()
        .map(|a| (a.quote.clone(), a.start, a.end))
        .collect()
}

#[test]
fn a_correction_moves_passages_writes_the_file_and_undo_puts_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = project_with_passages(dir.path());
    let file = dir.path().join(SEED);
    let old = std::fs::read_to_string(&file).unwrap();
    let mut harness = app_harness(workspace);
    let before = quotes(harness.state());
    let orphan = harness.state().workspace().project().annotations[0].id;
    assert_eq!(before[0].0, "Met");

    open_editor(&mut harness);
    assert_eq!(harness.state().text_editor().map(|(_, m)| m), Some(false));
    // Delete the first three characters ("Met"), then add a sentence at the end.
    key(&mut harness, Modifiers::CTRL, Key::Home);
    for _ in 0..3 {
        key(&mut harness, Modifiers::SHIFT, Key::ArrowRight);
    }
    key(&mut harness, Modifiers::NONE, Key::Delete);
    key(&mut harness, Modifiers::CTRL, Key::End);
    type_text(&mut harness, " Fixed.");
    assert_eq!(harness.state().text_editor().map(|(_, m)| m), Some(true));
    // Nothing changed yet: the correction is in the editor only.
    assert_eq!(quotes(harness.state()), before);
    assert!(!harness.state().workspace().is_dirty());

    harness.get_by_label("Apply correction").click();
    harness.run_steps(2);
    let expected: String = old.chars().skip(3).collect::<String>() + " Fixed.";
    let app = harness.state();
    let doc = app.workspace().project().documents[0].clone();
    assert_eq!(app.text_editor(), None, "the editor closes");
    assert_eq!(app.workspace().text(doc.id).unwrap().as_str(), expected);
    assert_eq!(doc.sha256, sha256_hex(expected.as_bytes()));
    assert_eq!(doc.chars, expected.chars().count());
    assert!(app.workspace().is_dirty());
    assert_eq!(app.workspace().undo_label(), Some("correct text"));
    // "Met" lost all its text: kept as it was and listed under Needs attention; "Met
    // Police" lost its first word; "Forty per cent" moved back three characters.
    let after = quotes(app);
    assert!(after.contains(&(" Police".to_owned(), 0, 7)), "{after:?}");
    let forty = &before[2];
    assert!(
        after.contains(&(forty.0.clone(), forty.1 - 3, forty.2 - 3)),
        "{after:?}"
    );
    assert!(
        after.contains(&before[0]),
        "the orphan keeps its quote: {after:?}"
    );
    assert_eq!(harness.state_mut().orphans(), vec![orphan]);
    harness.get_by_label_contains("Needs attention");

    // On disk: the corrected text, the old one as .bak.
    run_until(&mut harness, "the text written", |app| {
        !app.is_writing_texts()
    });
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
    let backup = dir.path().join(format!("{SEED}.bak"));
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), old);

    // Saved, the project file records the new fingerprint and spans.
    key(&mut harness, Modifiers::COMMAND, Key::S);
    run_until(&mut harness, "the save", |app| !app.workspace().is_dirty());
    let reopened = Workspace::open(harness.state().workspace().path().unwrap()).unwrap();
    assert_eq!(
        reopened.project().documents[0].sha256,
        sha256_hex(expected.as_bytes())
    );
    assert_eq!(reopened.misplaced().len(), 1);

    // Undo: the old text in the window and in the file, every passage where it was.
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(quotes(harness.state()), before);
    assert!(harness.state_mut().orphans().is_empty());
    run_until(&mut harness, "the old text written", |app| {
        !app.is_writing_texts()
    });
    assert_eq!(std::fs::read_to_string(&file).unwrap(), old);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), expected);
    let app = harness.state();
    assert_eq!(
        app.workspace().project().documents[0].sha256,
        sha256_hex(old.as_bytes())
    );
}

#[test]
fn quitting_with_a_correction_not_applied_asks_and_applies_it() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = project_with_passages(dir.path());
    let mut harness = app_harness(workspace);
    open_editor(&mut harness);
    key(&mut harness, Modifiers::CTRL, Key::End);
    type_text(&mut harness, " Typed.");
    key(&mut harness, Modifiers::COMMAND, Key::Q);
    harness.run_steps(2);
    let question = harness.state().dialog_message().unwrap();
    assert!(
        question.starts_with("Apply your correction of"),
        "{question}"
    );
    assert!(!harness.state().is_closing());
    harness.get_by_label("Apply and continue").click();
    harness.run_steps(3);
    // Applied, then Quit goes on and asks about the unsaved project as always.
    let doc = harness.state().workspace().project().documents[0].id;
    let text = harness
        .state()
        .workspace()
        .text(doc)
        .unwrap()
        .as_str()
        .to_owned();
    assert!(text.ends_with(" Typed."), "{text:?}");
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("unsaved changes")
    );
    assert!(!harness.state().is_closing());
}

#[test]
fn cancelling_the_editor_with_changes_asks_before_discarding_them() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = project_with_passages(dir.path());
    let mut harness = app_harness(workspace);
    open_editor(&mut harness);
    type_text(&mut harness, "zz");
    harness.get_by_label("Close editor").click();
    // A dialog window shows from its second frame.
    harness.run_steps(4);
    assert!(
        harness
            .state()
            .dialog_message()
            .is_some_and(|m| m.starts_with("Discard your changes")),
    );
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert_eq!(harness.state().text_editor().map(|(_, m)| m), Some(true));
    harness.get_by_label("Close editor").click();
    // A dialog window shows from its second frame.
    harness.run_steps(4);
    harness.get_by_label("Discard changes").click();
    harness.run_steps(2);
    assert_eq!(harness.state().text_editor(), None);
    assert!(!harness.state().workspace().is_dirty());
}
