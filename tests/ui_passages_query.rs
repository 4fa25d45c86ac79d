//! Queries in the coded-passages table, in the real window: passages of one tag near (in
//! the same paragraph as) or without another, chosen with the table's combo boxes, are
//! exactly those `marginalia::retrieval::query` finds; "Tag them" gives every one a new tag
//! in one step, and one Undo takes the tag and all its uses back.

mod support;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::model::TagId;
use marginalia::retrieval::query::{self, Query, Relation};
use marginalia::ui::{CentralView, MarginaliaApp};
use support::sample_copy;

/// Open the combo box showing `value`, then choose `option` in it.
fn choose(harness: &mut Harness<'_, MarginaliaApp>, value: &str, option: &str) {
    harness
        .get_by(|node| node.role() == Role::ComboBox && node.value().as_deref() == Some(value))
        .click();
    harness.run_steps(2);
    // The option in the open list, not a tag's chip in the table behind it.
    harness
        .get_by(|node| node.role() != Role::Label && node.label().as_deref() == Some(option))
        .click();
    harness.run_steps(3);
}

fn tag_id(harness: &Harness<'_, MarginaliaApp>, name: &str) -> TagId {
    harness
        .state()
        .workspace()
        .project()
        .codebook
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("the sample has a tag {name}"))
        .id
}

/// The passages the library finds for `query`, by id, in the project's order.
fn expected(harness: &Harness<'_, MarginaliaApp>, query: &Query) -> Vec<u32> {
    let workspace = harness.state().workspace();
    let project = workspace.project();
    let keep = query::evaluate(project, query, &|doc| workspace.text(doc)).keep;
    project
        .annotations
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(a, _)| a.id)
        .collect()
}

fn shown(harness: &mut Harness<'_, MarginaliaApp>) -> Vec<u32> {
    let rows = harness.state_mut().passages_rows();
    let project = harness.state().workspace().project();
    let mut ids: Vec<u32> = rows.iter().map(|r| project.annotations[*r].id).collect();
    ids.sort_unstable();
    ids
}

#[test]
fn a_query_chosen_in_the_table_shows_its_passages_and_becomes_a_code_in_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = Workspace::open(&sample_copy(dir.path())).unwrap();
    let mut harness = support::app_harness_sized(workspace, 1500.0, 1000.0);
    harness.get_by_label("Coded passages").click();
    harness.run_steps(2);
    assert_eq!(harness.state().central_view(), CentralView::Passages);
    let (statistic, critique) = (tag_id(&harness, "statistic"), tag_id(&harness, "critique"));

    // statistic, with critique, in the same paragraph.
    choose(&mut harness, "(no query)", "statistic");
    let other = harness.state().passages_filter().query.unwrap().other;
    let other_name = harness
        .state()
        .workspace()
        .project()
        .tag(other)
        .unwrap()
        .name
        .clone();
    choose(&mut harness, &other_name, "critique");
    choose(&mut harness, "overlapping", "in the same paragraph");
    let near = Query {
        tag: statistic,
        other: critique,
        relation: Relation::SameParagraph,
        without: false,
    };
    assert_eq!(harness.state().passages_filter().query, Some(near));
    let mut found = expected(&harness, &near);
    found.sort_unstable();
    assert!(!found.is_empty(), "the sample has statistics near critique");
    assert_eq!(shown(&mut harness), found);
    let total = harness.state().workspace().project().annotations.len();
    harness.get_by_label(&format!("{} of {total}", found.len()));

    // Without: the rest of statistic's passages.
    choose(&mut harness, "with", "without");
    let without = Query {
        without: true,
        ..near
    };
    let mut rest = expected(&harness, &without);
    rest.sort_unstable();
    assert_eq!(shown(&mut harness), rest);
    let all_statistic = harness
        .state()
        .workspace()
        .project()
        .annotations
        .iter()
        .filter(|a| a.tags.contains(&statistic))
        .count();
    assert_eq!(found.len() + rest.len(), all_statistic);
    choose(&mut harness, "without", "with");
    assert_eq!(shown(&mut harness), found);

    // Tag them with a new tag, named as typed.
    let label = format!("Tag these {} passage(s) with", found.len());
    harness
        .get_by_role_and_label(Role::TextInput, &label)
        .click();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, &label)
        .type_text("numbers under fire");
    harness.run_steps(2);
    let before = harness.state().workspace().project().clone();
    harness.get_by_label("Tag them").click();
    harness.run_steps(3);
    let project = harness.state().workspace().project();
    assert_eq!(project.codebook.len(), before.codebook.len() + 1);
    let new_tag = project.codebook.last().unwrap();
    assert_eq!(new_tag.name, "numbers under fire");
    let carrying: Vec<u32> = project
        .annotations
        .iter()
        .filter(|a| a.tags.contains(&new_tag.id))
        .map(|a| a.id)
        .collect();
    let mut carrying_sorted = carrying.clone();
    carrying_sorted.sort_unstable();
    assert_eq!(
        carrying_sorted, found,
        "exactly the passages shown got the tag"
    );
    assert_eq!(
        harness.state().workspace().undo_label(),
        Some("tag passages found")
    );

    // One Undo: the tag and every use of it gone.
    harness.key_press(Key::Escape);
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    let project = harness.state().workspace().project();
    assert_eq!(project.codebook, before.codebook);
    assert_eq!(project.annotations, before.annotations);
}
