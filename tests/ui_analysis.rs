//! From codings to findings in the real window: the Analysis view shows the figures of
//! `marginalia::stats` (the ones `marginalia stats` prints), a click on a bar or on a
//! co-occurrence cell opens the coded-passages table on exactly those passages, and the
//! Attributes view adds an attribute and sets a value, each undone by Undo.

mod support;

use std::collections::BTreeMap;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::Workspace;
use marginalia::model::AttributeKind;
use marginalia::retrieval::TagMatch;
use marginalia::stats;
use marginalia::ui::{CentralView, MarginaliaApp, Matrix, Measure};
use support::{click_at, run_until, sample_copy};

fn expected_stats(workspace: &Workspace) -> stats::Stats {
    let lengths: BTreeMap<_, _> = workspace
        .project()
        .documents
        .iter()
        .filter_map(|d| workspace.text(d.id).map(|t| (d.id, t.char_count())))
        .collect();
    stats::compute(workspace.project(), &lengths, &stats::Options::default()).unwrap()
}

/// A copy of the sample project in `dir`, with a text attribute "outlet" (id 1) that no
/// document has a value of yet.
fn sample_with_outlet(dir: &std::path::Path) -> (std::path::PathBuf, marginalia::model::Project) {
    let file = sample_copy(dir);
    let mut project = marginalia::store::load_project(&file).unwrap();
    project.attributes.push(marginalia::model::Attribute {
        id: 1,
        name: "outlet".to_owned(),
        kind: AttributeKind::Text,
        description: String::new(),
    });
    (file, project)
}

fn open_analysis(harness: &mut Harness<'_, MarginaliaApp>) {
    harness.get_by_label("Analysis").click();
    harness.run_steps(2);
    assert_eq!(harness.state().central_view(), CentralView::Analysis);
    run_until(harness, "the figures", |app| app.analysis_is_current());
}

#[test]
fn the_analysis_view_shows_the_libraries_figures_and_a_bar_opens_its_passages() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = Workspace::open(&sample_copy(dir.path())).unwrap();
    let expected = expected_stats(&workspace);
    assert!(expected.tags.iter().all(|t| t.passages > 0));

    let mut harness = support::app_harness_sized(workspace, 1400.0, 1000.0);
    open_analysis(&mut harness);
    assert_eq!(
        harness.state().analysis_stats(),
        Some(&expected),
        "the view shows the library's figures"
    );
    harness.get_by_label("Passages per tag");
    // The counts written in the heatmap's cells are the same-passage matrix.
    let statistic = expected
        .tags
        .iter()
        .position(|t| t.tag == "statistic")
        .unwrap();
    let critique = expected
        .tags
        .iter()
        .position(|t| t.tag == "critique")
        .unwrap();
    let both = expected.cooccurrence.same_passage[statistic][critique];
    assert!(
        both > 0,
        "the sample has passages tagged statistic and critique"
    );

    // Characters: the same bars measured otherwise, the figures unchanged.
    harness.get_by_label("characters").click();
    harness.run_steps(3);
    harness.get_by_label("Characters coded per tag");
    harness.get_by_label("passages").click();
    harness.run_steps(3);

    // A click on the bar of "policy" opens its passages.
    let policy = expected.tags.iter().find(|t| t.tag == "policy").unwrap();
    let bar = harness
        .state()
        .analysis_bar(policy.id)
        .expect("policy's bar");
    click_at(&mut harness, bar);
    assert_eq!(harness.state().central_view(), CentralView::Passages);
    assert_eq!(harness.state().passages_filter().tags, [policy.id]);
    let label = format!("{} of {}", policy.passages, expected_total(&harness));
    harness.get_by_label(&label);

    // A click on a cell of the same-passage matrix opens the passages with both tags.
    open_analysis(&mut harness);
    let (row, column) = (expected.tags[statistic].id, expected.tags[critique].id);
    let cell = harness
        .state()
        .analysis_cell(row, column)
        .expect("the cell was drawn");
    click_at(&mut harness, cell);
    assert_eq!(harness.state().central_view(), CentralView::Passages);
    let filter = harness.state().passages_filter().clone();
    assert_eq!(filter.tags, [row, column]);
    assert_eq!(filter.tag_match, TagMatch::All);
    harness.get_by_label(&format!("{both} of {}", expected_total(&harness)));

    // The overlapping matrix is only looked at: its cells are not clickable.
    open_analysis(&mut harness);
    harness
        .state_mut()
        .set_analysis_choices(Measure::Passages, Matrix::Overlapping);
    harness.run_steps(3);
    assert_eq!(harness.state().analysis_cell(row, column), None);
}

fn expected_total(harness: &Harness<'_, MarginaliaApp>) -> usize {
    harness.state().workspace().project().annotations.len()
}

#[test]
fn the_figures_follow_an_edit() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = Workspace::open(&sample_copy(dir.path())).unwrap();
    let mut harness = support::app_harness_sized(workspace, 1400.0, 1000.0);
    open_analysis(&mut harness);
    let before = harness.state().analysis_stats().unwrap().clone();
    // Delete a passage in the document, then come back: the figures are recounted.
    let first = harness.state().workspace().project().annotations[0].id;
    harness.state_mut().perform(
        &egui::Context::default(),
        marginalia::ui::Action::DeletePassage(first),
    );
    run_until(&mut harness, "the recount", |app| app.analysis_is_current());
    let after = harness.state().analysis_stats().unwrap().clone();
    assert_eq!(after, expected_stats(harness.state().workspace()));
    assert_ne!(after, before);
}

#[test]
fn the_attributes_view_adds_an_attribute_sets_a_value_and_undo_restores() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = Workspace::open(&sample_copy(dir.path())).unwrap();
    let mut harness = support::app_harness_sized(workspace, 1400.0, 1000.0);
    assert!(harness.state().workspace().project().attributes.is_empty());
    harness.get_by_label("Attributes").click();
    harness.run_steps(2);
    assert_eq!(harness.state().central_view(), CentralView::Attributes);
    harness.get_by_label("No attributes yet: add one above.");

    harness.get_by_label("New attribute:").click();
    harness.run_steps(1);
    harness.get_by_label("New attribute:").type_text("outlet");
    harness.run_steps(2);
    harness.get_by_label("Add attribute").click();
    harness.run_steps(3);
    let project = harness.state().workspace().project();
    assert_eq!(project.attributes.len(), 1);
    assert_eq!(project.attributes[0].name, "outlet");
    assert_eq!(project.attributes[0].kind, AttributeKind::Text);
    let attribute = project.attributes[0].id;
    let document = project.documents[0].clone();

    // The first document's cell: typed, stored as typed, one undo step for the visit.
    let field = harness.get_by_role_and_label(Role::TextInput, &document.title);
    field.click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, &document.title)
        .type_text("Guardian");
    harness.run_steps(2);
    let value = |harness: &Harness<'_, MarginaliaApp>| {
        harness
            .state()
            .workspace()
            .project()
            .document(document.id)
            .unwrap()
            .attributes
            .get(&attribute)
            .cloned()
    };
    assert_eq!(value(&harness).as_deref(), Some("Guardian"));
    assert_eq!(
        harness.state().workspace().undo_label(),
        Some("set attribute value")
    );

    // Leave the field, then Undo: the value goes, in one step.
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(value(&harness), None, "one undo takes the typed value away");
    assert_eq!(harness.state().workspace().project().attributes.len(), 1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert!(
        harness.state().workspace().project().attributes.is_empty(),
        "the next undo takes the attribute away"
    );
    harness.get_by_label("No attributes yet: add one above.");
}

#[test]
fn a_number_attribute_stores_only_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = Workspace::open(&sample_copy(dir.path())).unwrap();
    let mut harness = support::app_harness_sized(workspace, 1400.0, 1000.0);
    harness.get_by_label("Attributes").click();
    harness.run_steps(2);
    harness.get_by_label("New attribute:").click();
    harness.run_steps(1);
    harness.get_by_label("New attribute:").type_text("words");
    harness.run_steps(1);
    harness.get_by_role(Role::ComboBox).click();
    harness.run_steps(2);
    harness.get_by_label("number").click();
    harness.run_steps(2);
    harness.get_by_label("Add attribute").click();
    harness.run_steps(3);
    let project = harness.state().workspace().project();
    assert_eq!(project.attributes[0].kind, AttributeKind::Number);
    let (attribute, document) = (project.attributes[0].id, project.documents[0].clone());

    let field = harness.get_by_role_and_label(Role::TextInput, &document.title);
    field.click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, &document.title)
        .type_text("12");
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, &document.title)
        .type_text("x");
    harness.run_steps(2);
    let stored = harness
        .state()
        .workspace()
        .project()
        .document(document.id)
        .unwrap()
        .attributes
        .get(&attribute)
        .cloned();
    // "12" fits and was stored as typed; "12x" does not and was not.
    assert_eq!(stored.as_deref(), Some("12"));
}

#[test]
fn a_choice_is_picked_an_attribute_renamed_and_deleted_and_undo_brings_each_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_copy(dir.path());
    let mut project = marginalia::store::load_project(&file).unwrap();
    project.attributes.push(marginalia::model::Attribute {
        id: 1,
        name: "outlet".to_owned(),
        kind: AttributeKind::Choice(vec!["Telegraph".to_owned(), "Guardian".to_owned()]),
        description: String::new(),
    });
    project.documents[0]
        .attributes
        .insert(1, "Telegraph".to_owned());
    let (first, second) = (project.documents[0].clone(), project.documents[1].clone());
    let workspace = Workspace::from_project(project, Some(file), false);
    let mut harness = support::app_harness_sized(workspace, 1400.0, 1000.0);
    harness.get_by_label("Attributes").click();
    harness.run_steps(2);
    let value = |harness: &Harness<'_, MarginaliaApp>, doc| {
        harness
            .state()
            .workspace()
            .project()
            .document(doc)
            .unwrap()
            .attributes
            .get(&1)
            .cloned()
    };

    // The second document's combo box: Guardian.
    harness
        .get_by_role_and_label(Role::ComboBox, &second.title)
        .click();
    harness.run_steps(2);
    harness.get_by_label("Guardian").click();
    harness.run_steps(3);
    assert_eq!(value(&harness, second.id).as_deref(), Some("Guardian"));
    assert_eq!(value(&harness, first.id).as_deref(), Some("Telegraph"));

    // Renamed as typed, in one undo step.
    harness
        .get_all_by_value("outlet")
        .find(|node| node.accesskit_node().role() == Role::TextInput)
        .expect("the attribute's name field")
        .click();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness
        .input_mut()
        .events
        .push(egui::Event::Text("source".to_owned()));
    harness.run_steps(2);
    assert_eq!(
        harness.state().workspace().project().attributes[0].name,
        "source"
    );
    harness.key_press(Key::Escape);
    harness.run_steps(2);

    // Deleted with its values; Undo brings the attribute and both values back.
    harness.get_by_label("Delete").click();
    harness.run_steps(3);
    assert!(harness.state().workspace().project().attributes.is_empty());
    assert_eq!(value(&harness, first.id), None);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(
        harness.state().workspace().project().attributes[0].name,
        "source"
    );
    assert_eq!(value(&harness, first.id).as_deref(), Some("Telegraph"));
    assert_eq!(value(&harness, second.id).as_deref(), Some("Guardian"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(
        harness.state().workspace().project().attributes[0].name,
        "outlet",
        "one undo takes the whole rename back"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(value(&harness, second.id), None);
}

#[test]
fn a_bar_of_the_tags_by_attribute_chart_opens_that_tag_in_the_documents_with_that_value() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut project) = sample_with_outlet(dir.path());
    // Two documents from one outlet, one from another (a name the filter must quote), the
    // rest without a value.
    assert!(project.documents.len() >= 4);
    for (index, outlet) in [(0, "Telegraph"), (1, "Times, The"), (2, "Telegraph")] {
        project.documents[index]
            .attributes
            .insert(1, outlet.to_owned());
    }
    let workspace = Workspace::from_project(project, Some(file), false);
    let mut harness = support::app_harness_sized(workspace, 1400.0, 1400.0);
    open_analysis(&mut harness);
    let stats = harness.state().analysis_stats().unwrap().clone();
    let by = stats
        .by
        .as_ref()
        .expect("grouped by the project's attribute");
    assert_eq!(by.attribute, "outlet");
    harness.get_by_label("Passages per tag by outlet (documents with each value)");

    let telegraph_docs = [0, 2].map(|i| harness.state().workspace().project().documents[i].id);
    for (value, documents) in [
        (Some("Telegraph"), telegraph_docs.to_vec()),
        (
            Some("Times, The"),
            vec![harness.state().workspace().project().documents[1].id],
        ),
    ] {
        let group = by
            .values
            .iter()
            .find(|g| g.value.as_deref() == value)
            .unwrap();
        // The tag with the most passages there.
        let (tag_name, count) = group
            .passages
            .0
            .iter()
            .max_by_key(|(_, c)| *c)
            .cloned()
            .unwrap();
        assert!(count > 0);
        let tag = stats.tags.iter().find(|t| t.tag == tag_name).unwrap().id;
        if harness.state().central_view() != CentralView::Analysis {
            open_analysis(&mut harness);
        }
        let bar = harness
            .state()
            .analysis_by_bar(tag, value)
            .expect("the bar was drawn");
        click_at(&mut harness, bar);
        assert_eq!(harness.state().central_view(), CentralView::Passages);
        assert_eq!(harness.state().passages_filter().tags, [tag]);
        let rows = harness.state_mut().passages_rows();
        assert_eq!(rows.len(), count, "the bar's height is the rows shown");
        let project = harness.state().workspace().project();
        assert!(rows.iter().all(|r| {
            let a = &project.annotations[*r];
            a.tags.contains(&tag) && documents.contains(&a.doc)
        }));
    }
}

#[test]
fn a_date_is_picked_in_a_calendar_as_one_undoable_step() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample_copy(dir.path());
    let mut project = marginalia::store::load_project(&file).unwrap();
    project.attributes.push(marginalia::model::Attribute {
        id: 1,
        name: "published".to_owned(),
        kind: AttributeKind::Date,
        description: String::new(),
    });
    project.documents[0]
        .attributes
        .insert(1, "2021-03-04".to_owned());
    let first = project.documents[0].id;
    let workspace = Workspace::from_project(project, Some(file), false);
    let mut harness = support::app_harness_sized(workspace, 1400.0, 1000.0);
    harness.get_by_label("Attributes").click();
    harness.run_steps(2);
    let value = |harness: &Harness<'_, MarginaliaApp>| {
        harness
            .state()
            .workspace()
            .project()
            .document(first)
            .unwrap()
            .attributes
            .get(&1)
            .cloned()
    };

    // The first document's calendar opens on its date; the 15th, then Save.
    harness
        .get_all_by_role_and_label(Role::Button, "Pick…")
        .next()
        .expect("a calendar button")
        .click();
    harness.run_steps(3);
    harness.get_by_role_and_label(Role::Button, "15").click();
    harness.run_steps(2);
    assert_eq!(
        value(&harness).as_deref(),
        Some("2021-03-04"),
        "not before Save"
    );
    harness.get_by_label("Save").click();
    harness.run_steps(3);
    assert_eq!(value(&harness).as_deref(), Some("2021-03-15"));
    assert_eq!(
        harness.state().workspace().undo_label(),
        Some("set attribute value")
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(value(&harness).as_deref(), Some("2021-03-04"));
}

#[test]
fn the_tags_by_attribute_chart_shows_the_share_of_documents_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut project) = sample_with_outlet(dir.path());
    for index in 0..2 {
        project.documents[index]
            .attributes
            .insert(1, "Telegraph".to_owned());
    }
    // "critique" only in the second of the two.
    let (first, critique) = (project.documents[0].id, 4);
    project
        .annotations
        .retain(|a| !(a.doc == first && a.tags.contains(&critique)));
    let workspace = Workspace::from_project(project, Some(file), false);
    let mut harness = support::app_harness_sized(workspace, 1400.0, 1400.0);
    open_analysis(&mut harness);
    harness.get_by_label("Passages per tag by outlet (documents with each value)");
    harness.get_by_label("share of documents").click();
    harness.run_steps(3);
    harness.get_by_label("Share of documents with each tag, by outlet (documents with each value)");
    let stats = harness.state().analysis_stats().unwrap().clone();
    let telegraph = stats
        .by
        .as_ref()
        .unwrap()
        .values
        .iter()
        .find(|g| g.value.as_deref() == Some("Telegraph"))
        .unwrap()
        .clone();
    assert_eq!(telegraph.documents, 2);
    // "quote" is in both Telegraph documents, drawn at 100 %; "critique" in one, at 50 %:
    // the first bar's middle is the higher on screen.
    assert_eq!(telegraph.documents_with.0[0], ("quote".to_owned(), 2));
    assert_eq!(telegraph.documents_with.0[3], ("critique".to_owned(), 1));
    let bar = |tag| {
        harness
            .state()
            .analysis_by_bar(tag, Some("Telegraph"))
            .unwrap()
    };
    assert!(bar(1).y < bar(critique).y, "100 % stands higher than 50 %");
    // "statistic" has more passages there than "quote" but is in both documents too, no
    // more: as a share, its bar is as high.
    assert!(
        telegraph.passages.0[1].1 > telegraph.passages.0[0].1,
        "{telegraph:?}"
    );
    assert_eq!(telegraph.documents_with.0[1].1, 2);
    assert!(
        (bar(1).y - bar(2).y).abs() < 0.5,
        "{:?} {:?}",
        bar(1),
        bar(2)
    );
}
