//! Quick coding: with a tag chosen (Alt and its key, or Ctrl+click in the codebook), every
//! selection finished with the mouse is tagged at once, until Esc.

mod support;

use egui::{Key, Modifiers, pos2};
use marginalia::Workspace;
use support::{app_harness, drag, saved_project};

#[test]
fn every_finished_selection_is_tagged_until_esc() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    let quote = harness
        .state()
        .workspace()
        .project()
        .codebook
        .iter()
        .find(|t| t.key == "1")
        .unwrap()
        .id;
    harness.key_press_modifiers(Modifiers::ALT, Key::Num1);
    harness.run_steps(2);
    assert_eq!(harness.state().quick_tag(), Some(quote));

    drag(&mut harness, pos2(330.0, 240.0), pos2(720.0, 300.0));
    harness.run_steps(2);
    drag(&mut harness, pos2(330.0, 420.0), pos2(620.0, 440.0));
    harness.run_steps(2);
    let passages = harness.state().workspace().project().annotations.clone();
    assert_eq!(passages.len(), 2, "both selections became passages");
    assert!(passages.iter().all(|a| a.tags == [quote]));
    // The two are two undo steps, like two passages tagged by hand.
    assert_eq!(
        harness.state().workspace().undo_label(),
        Some("add passage")
    );

    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().quick_tag(), None);
    drag(&mut harness, pos2(330.0, 520.0), pos2(620.0, 540.0));
    harness.run_steps(2);
    assert_eq!(
        harness.state().workspace().project().annotations.len(),
        2,
        "after Esc a selection waits for a tag again"
    );
    assert!(harness.state().selection().is_some());
}
