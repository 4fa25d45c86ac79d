//! The documents list filtered by attribute values, with the syntax of `stats --documents`.

mod support;

use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::edit::Edit;
use marginalia::model::{Attribute, AttributeKind};
use support::{app_harness, sample_copy};

#[test]
fn the_documents_list_shows_only_documents_that_pass_the_filter() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = Workspace::open(&sample_copy(dir.path())).unwrap();
    let documents = workspace.project().documents.clone();
    workspace
        .apply(Edit::InsertAttribute {
            index: 0,
            attribute: Attribute {
                id: 1,
                name: "outlet".to_owned(),
                kind: AttributeKind::Text,
                description: String::new(),
            },
        })
        .unwrap();
    for (i, document) in documents.iter().enumerate() {
        let outlet = if i % 2 == 0 { "Telegraph" } else { "Guardian" };
        workspace
            .apply(Edit::SetAttributeValue {
                doc: document.id,
                attribute: 1,
                value: Some(outlet.to_owned()),
            })
            .unwrap();
    }
    let mut harness = app_harness(workspace);
    let listed = |harness: &egui_kittest::Harness<'_, marginalia::ui::MarginaliaApp>| {
        documents
            .iter()
            .filter(|d| {
                let start: String = d.title.chars().take(24).collect();
                harness.query_all_by_label_contains(&start).next().is_some()
            })
            .count()
    };
    assert_eq!(listed(&harness), documents.len());

    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Filter by attributes")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Filter by attributes")
        .type_text("outlet=Telegraph");
    harness.run_steps(3);
    let telegraph = documents.len().div_ceil(2);
    assert!(
        harness
            .query_by_label_contains(&format!("{telegraph} of {} documents", documents.len()))
            .is_some()
    );
    // The first document is open in the view as well; the others are only in the list.
    let hidden = &documents[1];
    let start: String = hidden.title.chars().take(24).collect();
    assert!(
        harness.query_all_by_label_contains(&start).next().is_none(),
        "a Guardian document is not listed"
    );
    assert!(listed(&harness) <= telegraph + 1);

    // What does not parse says why and hides nothing.
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Filter by attributes")
        .type_text(",");
    harness.run_steps(3);
    assert!(harness.query_by_label_contains("empty condition").is_some());
    assert_eq!(listed(&harness), documents.len());
}
