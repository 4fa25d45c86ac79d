//! The Cases view of the real app: the speakers of a transcript listed with their turns,
//! one renamed as it is typed, two spellings of one person merged, and Undo.

mod support;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::edit::Edit;
use marginalia::model::{Attribute, AttributeKind};
use marginalia::ui::MarginaliaApp;
use support::app_harness;

/// The text field showing `value`.
fn field_holding<'h>(
    harness: &'h Harness<'_, MarginaliaApp>,
    value: &'h str,
) -> egui_kittest::Node<'h> {
    harness.get_by(move |node| {
        node.role() == Role::TextInput && node.value().is_some_and(|v| v == value)
    })
}

/// Replace what the name field holding `old` holds with `new`, as a person rewriting it does.
fn retype(harness: &mut Harness<'_, MarginaliaApp>, old: &str, new: &str) {
    field_holding(harness, old).click();
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    field_holding(harness, old).type_text(new);
    harness.run_steps(2);
}

/// Who spoke each turn of the first document, in order.
fn speakers(harness: &Harness<'_, MarginaliaApp>) -> Vec<String> {
    let project = harness.state().workspace().project();
    project.documents[0]
        .turns
        .iter()
        .map(|t| project.speaker_name(t).to_owned())
        .collect()
}

#[test]
fn speakers_are_renamed_as_typed_and_two_spellings_merged_into_one_case() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("group.txt");
    std::fs::write(
        &file,
        "ANNA K: Hello.\n\nBen: Hi.\n\nAnna: Shall we start?\n\nBen: Yes.\n",
    )
    .unwrap();
    let mut workspace = Workspace::from_files(std::slice::from_ref(&file)).unwrap();
    workspace
        .apply(Edit::InsertAttribute {
            index: 0,
            attribute: Attribute {
                id: 1,
                name: "role".to_owned(),
                kind: AttributeKind::Choice(vec!["officer".to_owned(), "staff".to_owned()]),
                description: String::new(),
            },
        })
        .unwrap();
    let mut harness = app_harness(workspace);
    harness.get_by_label("Cases").click();
    harness.run_steps(3);
    // A row per case with the turns it speaks.
    let rows: Vec<Option<String>> = harness
        .get_all_by(|node| {
            node.role() == Role::TextInput && node.label().as_deref() == Some("Rename the case")
        })
        .map(|node| node.value())
        .collect();
    assert_eq!(
        rows,
        [
            Some("ANNA K".to_owned()),
            Some("Ben".to_owned()),
            Some("Anna".to_owned())
        ]
    );
    assert_eq!(speakers(&harness), ["ANNA K", "Ben", "Anna", "Ben"]);

    // Renamed as typed: the whole name replaced.
    retype(&mut harness, "Ben", "Ben Okafor");
    assert_eq!(
        speakers(&harness),
        ["ANNA K", "Ben Okafor", "Anna", "Ben Okafor"]
    );
    assert!(harness.state().workspace().is_dirty());

    // A name that reads as another case's is not stored: the two are one person.
    retype(&mut harness, "Anna", "anna k");
    assert_eq!(
        speakers(&harness)[2],
        "Anna",
        "a clashing name is not stored"
    );
    harness.key_press(Key::Escape);
    harness.run_steps(2);

    // "Anna" merged into "ANNA K": one case, her turns all hers.
    let anna = harness
        .state()
        .workspace()
        .project()
        .case_named("Anna")
        .unwrap()
        .id;
    harness
        .get_by_label_contains("Make “Anna” and another case one")
        .click();
    harness.run_steps(2);
    harness
        .get_all_by_label("ANNA K")
        .last()
        .expect("ANNA K offered in Anna's menu")
        .click();
    harness.run_steps(3);
    assert_eq!(
        speakers(&harness),
        ["ANNA K", "Ben Okafor", "ANNA K", "Ben Okafor"]
    );
    let project = harness.state().workspace().project();
    assert_eq!(project.cases.len(), 2);
    assert!(project.case(anna).is_none());

    // A case's attribute value, chosen in its row: Ben is staff.
    let ben = harness
        .state()
        .workspace()
        .project()
        .case_named("Ben Okafor")
        .unwrap()
        .id;
    let combos: Vec<_> = harness
        .get_all_by(|node| node.role() == Role::ComboBox && node.value().as_deref() == Some("—"))
        .collect();
    assert_eq!(combos.len(), 2, "a role for each of the two cases");
    combos[1].click();
    harness.run_steps(2);
    harness.get_by_label("staff").click();
    harness.run_steps(3);
    let project = harness.state().workspace().project();
    assert_eq!(
        project
            .case(ben)
            .unwrap()
            .attributes
            .get(&1)
            .map(String::as_str),
        Some("staff")
    );

    // Two undo steps take the value, then the merge, back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    let project = harness.state().workspace().project();
    assert!(project.case(ben).unwrap().attributes.is_empty());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(
        speakers(&harness),
        ["ANNA K", "Ben Okafor", "Anna", "Ben Okafor"]
    );
}
