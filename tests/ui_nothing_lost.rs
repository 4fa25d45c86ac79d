//! Nothing typed is lost: every field that edits the project changes it as the person types,
//! so quitting (Ctrl+Q, the window's close button), opening another project, a crash and
//! Discard all see the text. Also: Save As to another folder keeps undo and redo valid, and
//! re-placing a passage with Shift+arrows waits for the whole selection.

mod support;

use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Modifiers, ViewportEvent, ViewportId, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::edit::Edit;
use marginalia::ui::{Action, CentralView, MarginaliaApp};
use support::{app_harness, drag, run_until, saved_project};

const TYPED: &str = "Important note typed here";

/// Every kind of field that edits the project.
#[derive(Clone, Copy, Debug)]
enum Field {
    PassageNote,
    ProjectMemo,
    DocumentMemo,
    ProjectName,
    TagName,
    TagDescription,
}

const FIELDS: [Field; 6] = [
    Field::PassageNote,
    Field::ProjectMemo,
    Field::DocumentMemo,
    Field::ProjectName,
    Field::TagName,
    Field::TagDescription,
];

/// Click into `field` and type [`TYPED`] there, leaving the field focused.
fn type_into(harness: &mut Harness<'_, MarginaliaApp>, field: Field) {
    let title = harness.state().workspace().project().documents[0]
        .title
        .clone();
    let label = match field {
        Field::PassageNote => {
            drag(harness, pos2(330.0, 240.0), pos2(720.0, 300.0));
            harness.key_press(Key::Num1);
            harness.run_steps(3);
            "Note"
        }
        Field::ProjectMemo | Field::DocumentMemo | Field::ProjectName => {
            harness.get_by_label("Memos").click();
            harness.run_steps(3);
            match field {
                Field::ProjectMemo => "Project memo",
                Field::ProjectName => "Project name",
                _ => &title,
            }
        }
        Field::TagName | Field::TagDescription => {
            harness.get_by_label_contains("critique (tag,").click();
            harness.run_steps(3);
            if matches!(field, Field::TagName) {
                "Name"
            } else {
                "Description"
            }
        }
    };
    text_field(harness, label).click();
    harness.run_steps(2);
    // Replace what the field holds, as a person rewriting it does.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    text_field(harness, label).type_text(TYPED);
    harness.run_steps(1);
}

/// The text field labelled `label` (not the heading or list row of the same name).
fn text_field<'h>(
    harness: &'h Harness<'_, MarginaliaApp>,
    label: &'h str,
) -> egui_kittest::Node<'h> {
    harness.get_by(move |node| {
        matches!(node.role(), Role::TextInput | Role::MultilineTextInput)
            && node.label().is_some_and(|l| l == label)
    })
}

/// What the project holds in `field`.
fn stored(workspace: &Workspace, field: Field) -> String {
    let project = workspace.project();
    let critique = || project.codebook.iter().find(|t| t.key == "4").unwrap();
    match field {
        Field::PassageNote => project
            .annotations
            .first()
            .map(|a| a.note.clone())
            .unwrap_or_default(),
        Field::ProjectMemo => project.memo.clone(),
        Field::DocumentMemo => project.documents[0].memo.clone(),
        Field::ProjectName => project.name.clone(),
        Field::TagName => critique().name.clone(),
        Field::TagDescription => critique().description.clone(),
    }
}

fn stored_on_disk(file: &Path, field: Field) -> String {
    let project = marginalia::store::load_project(file).unwrap();
    stored(&Workspace::from_project(project, None, true), field)
}

fn request_window_close(harness: &mut Harness<'_, MarginaliaApp>) {
    harness
        .input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    // The question appears the frame after the request.
    harness.run_steps(4);
}

#[test]
fn every_field_is_in_the_project_while_typing_and_ctrl_q_asks_then_saves_it() {
    for field in FIELDS {
        let dir = tempfile::tempdir().unwrap();
        let project = saved_project(dir.path());
        let mut harness = app_harness(Workspace::open(&project).unwrap());
        type_into(&mut harness, field);
        assert_eq!(
            stored(harness.state().workspace(), field),
            TYPED,
            "{field:?}: the project holds the text while the field still has focus"
        );
        assert!(harness.state().workspace().is_dirty(), "{field:?}");
        assert!(
            harness.state().window_title().starts_with("● "),
            "{field:?}"
        );

        harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
        harness.run_steps(2);
        assert_eq!(
            harness.state().dialog_message().as_deref(),
            Some("unsaved changes"),
            "{field:?}: Ctrl+Q in the field asks first"
        );
        harness.get_by_label("Save").click();
        harness.run_steps(1);
        run_until(&mut harness, "the save", |app| !app.workspace().is_dirty());
        assert_eq!(stored_on_disk(&project, field), TYPED, "{field:?}: saved");
        assert!(!harness.state().workspace().is_dirty(), "{field:?}");
    }
}

#[test]
fn typing_and_quitting_in_the_same_frame_still_asks() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    harness.get_by_label("Memos").click();
    harness.run_steps(3);
    harness.get_by_label("Project memo").click();
    harness.run_steps(2);
    // The text and the shortcut arrive in one frame's input.
    harness
        .input_mut()
        .events
        .push(egui::Event::Text("late words".to_owned()));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    harness.run_steps(2);
    assert_eq!(harness.state().workspace().project().memo, "late words");
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("unsaved changes")
    );
}

#[test]
fn the_close_button_and_open_see_what_is_being_typed() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    type_into(&mut harness, Field::PassageNote);
    request_window_close(&mut harness);
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("unsaved changes"),
        "the window's close button asks first"
    );
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert_eq!(
        stored(harness.state().workspace(), Field::PassageNote),
        TYPED
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(2);
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("unsaved changes"),
        "Open asks first"
    );
    harness.get_by_label("Save").click();
    harness.run_steps(1);
    run_until(&mut harness, "the save", |app| !app.workspace().is_dirty());
    assert_eq!(stored_on_disk(&project, Field::PassageNote), TYPED);
}

#[test]
fn a_visit_to_a_field_is_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    harness.get_by_label("Memos").click();
    harness.run_steps(3);
    harness.get_by_label("Project memo").click();
    harness.run_steps(1);
    for word in ["one ", "two ", "three"] {
        harness.get_by_label("Project memo").type_text(word);
        harness.run_steps(1);
    }
    assert_eq!(harness.state().workspace().project().memo, "one two three");
    // Leave the field, then undo from the menu's shortcut.
    harness.get_by_label("Document").click();
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    let workspace = harness.state().workspace();
    assert_eq!(
        workspace.project().memo,
        "",
        "one undo takes the whole visit"
    );
    assert!(!workspace.is_dirty(), "back to the saved state");
}

#[test]
fn a_crash_while_typing_leaves_the_text_in_the_recovery_file() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let recovery = marginalia::recovery::recovery_path(&project);
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    type_into(&mut harness, Field::DocumentMemo);
    let now = harness.ctx.input(|i| i.time);
    harness.input_mut().time = Some(now + 31.0);
    harness.run_steps(1);
    run_until(&mut harness, "the recovery copy", |_| recovery.exists());
    // The crash: the app goes away without saving or asking.
    drop(harness);
    let recovered = marginalia::store::load_project(&recovery).expect("a recovery file");
    assert_eq!(recovered.documents[0].memo, TYPED);
    assert_eq!(stored_on_disk(&project, Field::DocumentMemo), "");
}

#[test]
fn discard_then_a_cancelled_open_shows_the_project_as_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let on_disk = marginalia::store::load_project(&project).unwrap();
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    type_into(&mut harness, Field::PassageNote);
    assert_eq!(harness.state().workspace().project().annotations.len(), 1);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(2);
    harness.get_by_label("Discard").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("path prompt: Open")
    );
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);

    let workspace = harness.state().workspace();
    assert_eq!(
        workspace.project(),
        &on_disk,
        "the discarded passage is gone"
    );
    assert!(!workspace.is_dirty());
    assert_eq!(workspace.path(), Some(project.as_path()));
    assert!(!harness.state().window_title().starts_with("● "));
}

#[test]
fn undo_and_redo_after_save_as_elsewhere_resolve_from_the_new_folder() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    std::fs::create_dir_all(&first).unwrap();
    let project = saved_project(&first);
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    let ctx = harness.ctx.clone();
    let doc = harness.state().workspace().project().documents[0].id;
    harness.state_mut().perform(
        &ctx,
        Action::Apply {
            edit: Box::new(Edit::RemoveDocument(doc)),
            label: "remove document",
            coalesce: None,
        },
    );
    harness.run_steps(2);
    assert!(harness.state().workspace().project().documents.is_empty());

    let elsewhere = dir.path().join("elsewhere").join("deeper");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let moved = elsewhere.join("study.ron");
    harness
        .state_mut()
        .perform(&ctx, Action::SaveAs(moved.clone()));
    harness.run_steps(2);
    assert_eq!(harness.state().workspace().path(), Some(moved.as_path()));

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    let workspace = harness.state().workspace();
    let document = &workspace.project().documents[0];
    let resolved = marginalia::store::resolve_document_path(&document.path, &elsewhere);
    assert!(
        resolved.exists(),
        "{} resolves from the new folder",
        document.path
    );
    assert!(workspace.text(doc).is_some(), "its text is read again");

    // Redo removes it, undo brings it back again, still resolvable; saving keeps it readable.
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
    harness.run_steps(2);
    assert!(harness.state().workspace().project().documents.is_empty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(1);
    run_until(&mut harness, "the save", |app| !app.workspace().is_dirty());
    let reopened = Workspace::open(&moved).unwrap();
    assert!(reopened.text(doc).is_some());
}

#[test]
fn re_placing_with_shift_arrows_waits_until_shift_is_released() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    drag(&mut harness, pos2(330.0, 240.0), pos2(720.0, 300.0));
    harness.key_press(Key::Num1);
    harness.run_steps(3);
    let id = harness.state().selected_passage().expect("a passage");
    let ctx = harness.ctx.clone();
    harness.state_mut().perform(&ctx, Action::StartReplace(id));
    harness.run_steps(2);
    assert_eq!(harness.state().replacing(), Some(id));
    // A click puts the caret in the text (an empty selection places nothing), then five
    // characters are selected with Shift held.
    support::click_at(&mut harness, pos2(500.0, 400.0));
    assert_eq!(
        harness.state().replacing(),
        Some(id),
        "a click places nothing"
    );
    assert_eq!(harness.state().central_view(), CentralView::Document);
    let caret = harness.state().caret().expect("a caret in the document");
    // Shift goes down, stays down over five presses of the arrow (a frame each), then up.
    harness.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
    harness.run_steps(1);
    for _ in 0..5 {
        for pressed in [true, false] {
            harness.event(egui::Event::Key {
                key: Key::ArrowRight,
                pressed,
                modifiers: Modifiers::SHIFT,
                repeat: false,
                physical_key: None,
            });
        }
        harness.run_steps(1);
        assert_eq!(
            harness.state().replacing(),
            Some(id),
            "still selecting while Shift is held"
        );
    }
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.run_steps(2);
    assert_eq!(harness.state().replacing(), None);
    let passage = harness
        .state()
        .workspace()
        .project()
        .annotation(id)
        .unwrap()
        .clone();
    assert_eq!(passage.start..passage.end, caret..caret + 5);
}

#[test]
fn a_save_asked_for_while_one_runs_is_queued_and_quit_waits_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    harness.get_by_label("Memos").click();
    harness.run_steps(3);
    text_field(&harness, "Project memo").click();
    harness.run_steps(1);
    text_field(&harness, "Project memo").type_text("first");
    harness.run_steps(1);
    // Save, type more and save again before the first save can have been picked up.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    text_field(&harness, "Project memo").type_text(" second");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    // Quit comes while the project is still unsaved (the save lands on a later frame):
    // without waiting for the save it would ask "Save changes?".
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    harness.run_steps(1);
    run_until(&mut harness, "both saves and the quit", |app| {
        app.is_closing()
    });
    assert_eq!(
        marginalia::store::load_project(&project).unwrap().memo,
        "first second",
        "the queued save wrote what was typed after the first"
    );
    assert_eq!(
        harness.state().dialog_message(),
        None,
        "nothing left to ask"
    );
    assert!(!harness.state().is_saving());
}

#[test]
fn a_space_typed_as_a_keyboard_sends_it_reaches_the_note() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    type_into(&mut harness, Field::PassageNote);
    // A real keyboard sends the key and the text it produces, in one frame.
    for pressed in [true, false] {
        harness.event(egui::Event::Key {
            key: Key::Space,
            physical_key: Some(Key::Space),
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        });
        if pressed {
            harness.event(egui::Event::Text(" ".to_owned()));
        }
    }
    harness.run_steps(1);
    text_field(&harness, "Note").type_text("more");
    harness.run_steps(2);
    assert_eq!(
        stored(harness.state().workspace(), Field::PassageNote),
        format!("{TYPED} more")
    );
}
