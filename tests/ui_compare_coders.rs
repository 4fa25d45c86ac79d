//! Every code visible and two coders compared, in the real window: a bar per tag of every
//! passage beside the text (named for screen readers, a click selects its passage), and
//! compare mode's differences stepped through with F8 and settled into a consensus coder's
//! passages as undoable edits.

mod support;

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::Workspace;
use marginalia::ui::CoderView;
use support::{app_harness, sample_copy};

#[test]
fn a_passage_with_two_tags_has_two_bars_and_a_click_on_one_selects_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_copy(dir.path());
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    let app = harness.state();
    let doc = app.current_document().unwrap();
    let two_tags = app
        .workspace()
        .project()
        .annotations_slice_of(doc)
        .iter()
        .find(|a| a.tags.len() == 2)
        .map(|a| (a.id, a.quote.clone(), a.tags.clone()))
        .expect("the sample has a passage with two tags");
    let names: Vec<String> = two_tags
        .2
        .iter()
        .map(|t| app.workspace().project().tag(*t).unwrap().name.clone())
        .collect();
    let opening: String = two_tags.1.chars().take(30).collect();
    for name in &names {
        let label = format!("{name}: {opening}");
        let bars: Vec<_> = harness
            .query_all_by_role(Role::Button)
            .filter(|node| {
                node.accesskit_node()
                    .label()
                    .is_some_and(|l| l.starts_with(&label))
            })
            .collect();
        assert_eq!(bars.len(), 1, "one bar named {label:?}");
    }
    assert_eq!(harness.state().selected_passage(), None);
    let range = harness
        .state()
        .workspace()
        .annotation(two_tags.0)
        .unwrap()
        .range();
    let label = format!("{}: {opening}", names[1]);
    harness
        .query_all_by_role(Role::Button)
        .find(|node| {
            node.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with(&label))
        })
        .unwrap()
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().selected_passage(), Some(two_tags.0));
    assert_eq!(
        harness.state().selection(),
        Some(range),
        "the passage's text is selected, as a click in the passages list does"
    );
}

/// The sample's first document with ann's and ben's passages: alike on 10..30 (tag 1),
/// different bounds on 100..140 / 105..150 (tag 2), and ann alone on 200..220 (tag 3).
fn two_coders() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_copy(dir.path());
    let mut workspace = Workspace::open(&project).unwrap();
    let doc = workspace.project().documents[0].id;
    for (coder, range, tag) in [
        ("ann", 10..30, 1),
        ("ben", 10..30, 1),
        ("ann", 100..140, 2),
        ("ben", 105..150, 2),
        ("ann", 200..220, 3),
    ] {
        workspace.coder = coder.into();
        workspace.tag_range(doc, range, tag).unwrap();
    }
    (dir, workspace)
}

fn consensus(workspace: &Workspace) -> Vec<(usize, usize, Vec<u32>)> {
    workspace
        .project()
        .annotations
        .iter()
        .filter(|a| a.coder == "consensus")
        .map(|a| (a.start, a.end, a.tags.clone()))
        .collect()
}

#[test]
fn differences_are_stepped_through_and_settled_into_the_consensus_coder() {
    let (_dir, workspace) = two_coders();
    let mut harness = app_harness(workspace);
    harness.state_mut().set_coder_view(CoderView::Compare {
        first: "ann".into(),
        second: "ben".into(),
        tag: None,
    });
    harness.run_steps(3);
    // Only ann's and ben's passages are drawn: the sample's own coder is left out.
    let bars = harness
        .query_all_by_role(Role::Button)
        .filter(|node| {
            node.accesskit_node()
                .label()
                .is_some_and(|l| l.contains(" (ann): ") || l.contains(" (ben): "))
        })
        .count();
    assert_eq!(bars, 5, "a bar for each of ann's and ben's passages");
    harness.get_by_label_contains("2 differences");

    harness.key_press(Key::F8);
    harness.run_steps(3);
    assert_eq!(harness.state().current_difference(), Some(0));
    assert_eq!(harness.state().selection(), Some(100..150));
    harness.key_press(Key::F8);
    harness.run_steps(3);
    assert_eq!(harness.state().selection(), Some(200..220));
    harness.key_press(Key::F8);
    harness.run_steps(3);
    assert_eq!(
        harness.state().current_difference(),
        Some(0),
        "F8 wraps around"
    );

    harness.get_by_label("Accept ben").click();
    harness.run_steps(3);
    assert_eq!(
        consensus(harness.state().workspace()),
        vec![(105, 150, vec![2])]
    );
    harness.get_by_label("Keep both").click();
    harness.run_steps(3);
    assert_eq!(
        consensus(harness.state().workspace()),
        vec![(100, 140, vec![2]), (105, 150, vec![2])]
    );
    harness.get_by_label("1 of 2: statistic, characters 100–150");
    harness.get_by_label_contains("1 settled");

    harness.get_by_label("Adopt passages coded alike").click();
    harness.run_steps(3);
    assert_eq!(
        consensus(harness.state().workspace()),
        vec![(10, 30, vec![1]), (100, 140, vec![2]), (105, 150, vec![2])]
    );
    assert_eq!(
        harness.state().workspace().undo_label(),
        Some("adopt passages coded alike")
    );
    // Each choice is one undo step, and the coders' own passages never change.
    harness
        .state_mut()
        .perform(&egui::Context::default(), marginalia::ui::Action::Undo);
    harness
        .state_mut()
        .perform(&egui::Context::default(), marginalia::ui::Action::Undo);
    harness.run_steps(3);
    assert_eq!(
        consensus(harness.state().workspace()),
        vec![(105, 150, vec![2])]
    );
    let coders = harness
        .state()
        .workspace()
        .project()
        .annotations
        .iter()
        .filter(|a| a.coder == "ann" || a.coder == "ben")
        .count();
    assert_eq!(coders, 5);
}
