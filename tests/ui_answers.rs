//! The Answers view of the real app: a survey's respondents as rows, narrowed by words in
//! their answers, and an answer opened in its document by a click.

mod support;

use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::import::survey::read_table;
use marginalia::ui::CentralView;
use marginalia::workspace::SurveyColumns;
use support::app_harness;

#[test]
fn respondents_are_rows_narrowed_by_words_and_an_answer_opens_in_its_document() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("staff.csv");
    std::fs::write(
        &sheet,
        "respondent,region,Why did you apply?,What would you change?\n\
         R1,North,The pay and the hours,More mentoring\n\
         R2,South,A friend told me,Clearer promotion boards\n\
         R3,North,,Nothing at all\n",
    )
    .unwrap();
    let mut workspace = Workspace::new_at(&dir.path().join("staff.ron"), "staff");
    let table = read_table(&sheet, None).unwrap();
    workspace
        .import_survey(
            &table,
            &SurveyColumns {
                id: Some(0),
                text: vec![2, 3],
                skip: Vec::new(),
            },
        )
        .unwrap();
    let mut harness = app_harness(workspace);
    harness.get_by_label("Answers").click();
    harness.run_steps(3);
    assert_eq!(harness.state().central_view(), CentralView::Answers);
    harness.get_by_label_contains("3 of 3 respondent(s)");
    harness.get_by_label("Clearer promotion boards");

    harness.get_by_label("Words:").click();
    harness.run_steps(2);
    harness.get_by_label("Words:").type_text("BOARDS");
    harness.run_steps(3);
    harness.get_by_label_contains("1 of 3 respondent(s)");
    assert!(harness.query_by_label("More mentoring").is_none());

    harness.get_by_label("Clearer promotion boards").click();
    harness.run_steps(3);
    assert_eq!(harness.state().central_view(), CentralView::Document);
    let project = harness.state().workspace().project();
    let r2 = project
        .documents
        .iter()
        .find(|d| d.title == "R2")
        .unwrap()
        .id;
    assert_eq!(harness.state().current_document(), Some(r2));
    let selected = harness.state().selected_passage().unwrap();
    assert_eq!(
        project.annotation(selected).unwrap().quote,
        "Clearer promotion boards"
    );
}
