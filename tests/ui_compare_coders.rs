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

#[test]
fn f6_cycles_the_focus_through_the_regions_and_the_document_starts_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_copy(dir.path());
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    let title = harness.state().workspace().project().documents[0]
        .title
        .clone();
    let document = format!("Document: {title}");
    assert!(
        harness.get_by_label(&document).is_focused(),
        "the document has the keys when a project opens"
    );
    // The caret shows where the keys go.
    assert!(harness.state().caret().is_some());

    let focused_label = |harness: &egui_kittest::Harness<'_, _>| -> String {
        harness
            .query_all_by(|node| node.is_focused())
            .next()
            .and_then(|node| node.accesskit_node().label())
            .unwrap_or_default()
    };
    let mut seen = Vec::new();
    for _ in 0..4 {
        harness.key_press(Key::F6);
        harness.run_steps(3);
        seen.push(focused_label(&harness));
    }
    assert!(
        seen[0].starts_with("statistic, policy: Scotland Yard"),
        "the passages panel, on its first passage: {seen:?}"
    );
    assert!(seen[1].contains("(tag, "), "the codebook: {seen:?}");
    assert!(seen[2].starts_with(&title), "the documents list: {seen:?}");
    assert_eq!(seen[3], document, "and round to the document: {seen:?}");
    harness.key_press_modifiers(egui::Modifiers::SHIFT, Key::F6);
    harness.run_steps(3);
    assert!(
        focused_label(&harness).starts_with(&title),
        "Shift+F6 goes back"
    );

    // Enter on a focused row uses it: the second document's row opens it.
    harness.key_press(Key::Tab);
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let second = harness.state().workspace().project().documents[1].id;
    assert_eq!(harness.state().current_document(), Some(second));
}

#[test]
fn screen_readers_find_the_passages_in_view_by_their_tags_and_words() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_copy(dir.path());
    let harness = app_harness(Workspace::open(&project).unwrap());
    let marks: Vec<_> = harness
        .query_all_by_role(Role::Mark)
        .filter(|node| {
            node.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("statistic, policy: Scotland Yard has so far put"))
        })
        .collect();
    assert_eq!(marks.len(), 1, "the passage with two tags, named by both");
    assert!(marks[0].accesskit_node().bounding_box().is_some());
    // The paragraphs hold the text itself, in text runs.
    let runs: String = harness
        .query_all_by_role(Role::TextRun)
        .filter_map(|node| node.accesskit_node().value())
        .collect();
    assert!(
        runs.contains("Scotland Yard has so far put 1,500"),
        "{runs}"
    );
}
