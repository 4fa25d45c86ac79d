//! The Answers view of the real app: a survey's respondents as rows, narrowed by words in
//! their answers, an answer opened in its document, and words selected in an answer coded
//! there with the tag keys and the tag bar, undone with Ctrl+Z.

mod support;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::import::survey::read_table;
use marginalia::model::DocId;
use marginalia::ui::CentralView;
use marginalia::workspace::SurveyColumns;
use support::{app_harness, drag};

/// A project of three respondents with two open questions, in `dir`.
fn surveyed(dir: &std::path::Path) -> Workspace {
    let sheet = dir.join("staff.csv");
    std::fs::write(
        &sheet,
        "respondent,region,Why did you apply?,What would you change?\n\
         R1,North,The pay and the hours,More mentoring\n\
         R2,South,A friend told me,Clearer promotion boards\n\
         R3,North,,Nothing at all\n",
    )
    .unwrap();
    let mut workspace = Workspace::new_at(&dir.join("staff.ron"), "staff");
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
    workspace
}

fn respondent(
    harness: &egui_kittest::Harness<'_, marginalia::ui::MarginaliaApp>,
    title: &str,
) -> DocId {
    let project = harness.state().workspace().project();
    project
        .documents
        .iter()
        .find(|d| d.title == title)
        .unwrap()
        .id
}

/// The field of the grid that shows an answer (its text runs have the same value).
fn answer_cell<'h>(
    harness: &'h egui_kittest::Harness<'_, marginalia::ui::MarginaliaApp>,
    answer: &'h str,
) -> egui_kittest::Node<'h> {
    harness.get_by(move |node| {
        node.role() == Role::TextInput && node.value().is_some_and(|v| v == answer)
    })
}

#[test]
fn respondents_are_rows_narrowed_by_words_and_an_answer_opens_in_its_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(surveyed(dir.path()));
    harness.get_by_label("Answers").click();
    harness.run_steps(3);
    assert_eq!(harness.state().central_view(), CentralView::Answers);
    harness.get_by_label_contains("3 of 3 respondent(s)");
    answer_cell(&harness, "Clearer promotion boards");

    harness.get_by_label("Words:").click();
    harness.run_steps(2);
    harness.get_by_label("Words:").type_text("BOARDS");
    harness.run_steps(3);
    harness.get_by_label_contains("1 of 3 respondent(s)");
    assert!(
        harness
            .query_by(|node| node.value().is_some_and(|v| v == "More mentoring"))
            .is_none()
    );

    harness
        .get_by_label("Open R2's answer to What would you change?")
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().central_view(), CentralView::Document);
    let r2 = respondent(&harness, "R2");
    assert_eq!(harness.state().current_document(), Some(r2));
    let project = harness.state().workspace().project();
    let selected = harness.state().selected_passage().unwrap();
    assert_eq!(
        project.annotation(selected).unwrap().quote,
        "Clearer promotion boards"
    );
}

#[test]
fn words_selected_in_an_answer_are_coded_with_the_tag_keys_and_the_tag_bar_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(surveyed(dir.path()));
    harness.get_by_label("Answers").click();
    harness.run_steps(3);
    let r2 = respondent(&harness, "R2");
    let coded = |harness: &egui_kittest::Harness<'_, marginalia::ui::MarginaliaApp>,
                 quote: &str,
                 tag: &str| {
        let project = harness.state().workspace().project();
        let tag = project.codebook.iter().find(|t| t.name == tag).unwrap().id;
        project
            .annotations
            .iter()
            .any(|a| a.quote == quote && a.tags.contains(&tag))
    };

    // The keyboard: into the answer, past "Clearer ", Shift+arrows over "promotion".
    answer_cell(&harness, "Clearer promotion boards").click();
    harness.run_steps(2);
    harness.key_press(Key::Home);
    for _ in 0.."Clearer ".len() {
        harness.key_press(Key::ArrowRight);
    }
    for _ in 0.."promotion".len() {
        harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    }
    harness.run_steps(3);
    let text = harness.state().workspace().text(r2).unwrap();
    let selected = harness
        .state()
        .selection()
        .expect("the words are the selection");
    assert_eq!(harness.state().current_document(), Some(r2));
    assert_eq!(text.slice(selected), Some("promotion"));
    // The tag key 1 (quote), as in the document: a window sends the key and the text "1",
    // which must not cost the answer its selection.
    harness.key_press(Key::Num1);
    harness.event(egui::Event::Text("1".to_owned()));
    harness.run_steps(3);
    assert!(coded(&harness, "promotion", "quote"));
    let still = harness
        .state()
        .selection()
        .expect("the words stay selected");
    assert_eq!(
        harness.state().workspace().text(r2).unwrap().slice(still),
        Some("promotion")
    );
    assert_eq!(harness.state().central_view(), CentralView::Answers);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert!(
        !coded(&harness, "promotion", "quote"),
        "Ctrl+Z in the grid undoes the coding"
    );

    // The mouse: a drag over R1's second answer, then a chip of the tag bar.
    let r1 = respondent(&harness, "R1");
    let cell = answer_cell(&harness, "More mentoring").rect();
    drag(
        &mut harness,
        cell.left_center() + egui::vec2(1.0, 0.0),
        cell.right_center() - egui::vec2(2.0, 0.0),
    );
    let selected = harness.state().selection().expect("the drag selects");
    assert_eq!(harness.state().current_document(), Some(r1));
    assert_eq!(
        harness
            .state()
            .workspace()
            .text(r1)
            .unwrap()
            .slice(selected),
        Some("More mentoring")
    );
    harness.get_by_label("4 critique").click();
    harness.run_steps(4);
    assert!(coded(&harness, "More mentoring", "critique"));
    // The bar stays on the words for another tag, showing the one given.
    harness.get_by_label("+ 4 critique");
    harness.key_press(Key::Num3);
    harness.run_steps(3);
    assert!(coded(&harness, "More mentoring", "policy"));
    assert!(coded(&harness, "More mentoring", "critique"));

    // Quick coding (Alt and a tag's key): each finished selection in the grid is coded.
    harness.key_press(Key::Escape);
    harness.key_press_modifiers(Modifiers::ALT, Key::Num2);
    harness.run_steps(2);
    let cell = answer_cell(&harness, "Nothing at all").rect();
    drag(
        &mut harness,
        cell.left_center() + egui::vec2(1.0, 0.0),
        cell.right_center() - egui::vec2(2.0, 0.0),
    );
    harness.run_steps(2);
    assert!(coded(&harness, "Nothing at all", "statistic"));
}
