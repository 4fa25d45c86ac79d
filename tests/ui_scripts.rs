//! Right-to-left and complex scripts in the real window: a drag from where an Arabic line
//! begins (its right end) selects its first words, the passage made from it holds them, a
//! document's direction can be set by hand, Thai is double-clicked by dictionary word, and
//! the text editor says what it cannot do with right-to-left text before a correction.

mod support;

use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Rect, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::Workspace;
use marginalia::model::TextDirection;
use marginalia::ui::{Action, MarginaliaApp};
use support::{app_harness, drag};

const ARABIC: &str = "قال الضابط إن البرنامج ساعد الموظفين كثيرا";
const THAI: &str = "เจ้าหน้าที่กล่าวว่าโครงการช่วยพนักงานได้มาก";

fn one_document(dir: &Path, text: &str) -> Workspace {
    let file = dir.join("text.txt");
    std::fs::write(&file, format!("{text}\n")).unwrap();
    Workspace::from_files(&[file]).unwrap()
}

/// Where the document's first paragraph is on screen, as screen readers are told.
fn first_paragraph(harness: &Harness<'_, MarginaliaApp>) -> Rect {
    harness
        .get_all_by_role(Role::Paragraph)
        .next()
        .expect("a paragraph in view")
        .rect()
}

fn selected_text(app: &MarginaliaApp) -> String {
    let range = app.selection().expect("a selection");
    ARABIC.chars().skip(range.start).take(range.len()).collect()
}

#[test]
fn a_drag_from_the_right_end_of_an_arabic_line_selects_its_first_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(one_document(dir.path(), ARABIC));
    let line = first_paragraph(&harness);
    let y = line.top() + 12.0;
    // The paragraph is set from the right: its text ends well short of the column's left.
    drag(
        &mut harness,
        pos2(line.right() - 1.0, y),
        pos2(line.right() - 110.0, y),
    );
    let range = harness.state().selection().expect("a selection");
    assert_eq!(range.start, 0, "from the paragraph's first character");
    assert!(range.end > 3 && range.end < 25, "{range:?}");
    let selected = selected_text(harness.state());
    assert!(ARABIC.starts_with(&selected), "{selected:?}");
    assert!(selected.starts_with("قال الضابط"), "{selected:?}");

    // Tagged, the passage holds exactly those words.
    harness.key_press(Key::Num1);
    harness.run_steps(3);
    let app = harness.state();
    let passage = &app.workspace().project().annotations[0];
    assert_eq!(passage.quote, selected);
    assert_eq!((passage.start, passage.end), (range.start, range.end));
}

/// A paragraph of Arabic that opens with an English name is taken as left to right (its
/// first strong letter); set right to left by hand, it is set from the right.
#[test]
fn a_document_set_right_to_left_by_hand_is_set_from_the_right() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("John Smith {ARABIC} {ARABIC} {ARABIC}");
    let mut harness = app_harness(one_document(dir.path(), &text));
    let line = first_paragraph(&harness);
    let y = line.top() + 12.0;
    let drag_at_the_right = |harness: &mut Harness<'_, MarginaliaApp>| {
        drag(
            harness,
            pos2(line.right() - 3.0, y),
            pos2(line.right() - 50.0, y),
        );
        harness.state().selection().expect("a selection")
    };
    // Left to right, the name stands at the left and the Arabic after it runs from the
    // line's right end: a drag there starts in the Arabic, after the name.
    let auto = drag_at_the_right(&mut harness);
    assert!(auto.start >= "John Smith ".len(), "{auto:?}");
    harness.state_mut().perform(
        &egui::Context::default(),
        Action::SetTextDirection(TextDirection::RightToLeft),
    );
    harness.run_steps(3);
    assert_eq!(
        harness.state().workspace().project().documents[0].direction,
        TextDirection::RightToLeft
    );
    assert!(
        harness.state().workspace().is_dirty(),
        "a change to the project"
    );
    // Right to left, the name it opens with stands at the right end.
    let forced = drag_at_the_right(&mut harness);
    assert!(forced.end <= "John Smith".len(), "{forced:?}");
    harness
        .state_mut()
        .perform(&egui::Context::default(), Action::Undo);
    harness.run_steps(2);
    assert!(
        harness.state().workspace().project().documents[0]
            .direction
            .is_auto()
    );
}

#[test]
fn a_double_click_in_thai_selects_one_dictionary_word() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = one_document(dir.path(), THAI);
    // Frames a sixtieth of a second apart, as on screen: a double click is two clicks
    // within 0.3 s (the harness's default frames are a quarter second apart).
    let mut harness = support::app_harness_from(
        Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .with_step_dt(1.0 / 60.0),
        workspace,
    );
    // A second of frames first: egui counts clicks by the time since the last ones, and
    // right after start a first click would look like the third of three.
    harness.run_steps(60);
    let line = first_paragraph(&harness);
    // The line is set from the left; a point a little into it is inside its first words.
    let at = pos2(line.left() + 30.0, line.top() + 12.0);
    harness.hover_at(at);
    harness.step();
    for _ in 0..2 {
        harness.drag_at(at);
        harness.step();
        harness.drop_at(at);
        harness.step();
    }
    harness.run_steps(2);
    let range = harness.state().selection().expect("a word selected");
    let word: String = THAI.chars().skip(range.start).take(range.len()).collect();
    let words = [
        "เจ้า",
        "หน้าที่",
        "กล่าว",
        "ว่า",
        "โครงการ",
        "ช่วย",
        "พนักงาน",
        "ได้",
        "มาก",
    ];
    assert!(words.contains(&word.as_str()), "{word:?} is not one word");
}

#[test]
fn the_text_editor_warns_about_right_to_left_text_before_a_correction() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(one_document(dir.path(), ARABIC));
    harness.get_by_label("Edit text…").click();
    harness.run_steps(3);
    harness.get_by_label_contains("cannot show in order");
    // A change typed: Apply stays off until the warning is acknowledged.
    harness.get_by_role(Role::MultilineTextInput).focus();
    harness.run_steps(1);
    harness.key_press(Key::End);
    harness
        .input_mut()
        .events
        .push(egui::Event::Text("!".to_owned()));
    harness.run_steps(3);
    let text_now = |harness: &Harness<'_, MarginaliaApp>| {
        let app = harness.state();
        let doc = app.workspace().project().documents[0].id;
        app.workspace().text(doc).unwrap().as_str().to_owned()
    };
    // Apply does nothing until the warning is acknowledged.
    harness.get_by_label("Apply correction").click();
    harness.run_steps(3);
    assert_eq!(
        text_now(&harness),
        format!("{ARABIC}\n"),
        "not before the warning is read"
    );
    harness
        .get_by_label("I understand: let me apply corrections to this text")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Apply correction").click();
    support::run_until(&mut harness, "the correction", |app| {
        let doc = app.workspace().project().documents[0].id;
        app.workspace().text(doc).unwrap().as_str().contains('!')
    });
    assert!(text_now(&harness).contains('!'));
}

/// Screen readers are told where each word is: a right-to-left line with an English name in
/// it is given as runs in reading order, each with its direction, the Arabic that opens it
/// at the line's right end and the name to its left.
#[test]
fn screen_readers_get_each_run_of_a_mixed_line_where_it_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let text = "قال الضابط John Smith إن الموظفين استفادوا";
    let harness = app_harness(one_document(dir.path(), text));
    let paragraph = first_paragraph(&harness);
    let paragraph_node = harness.get_all_by_role(Role::Paragraph).next().unwrap();
    let runs: Vec<_> = paragraph_node.query_all_by_role(Role::TextRun).collect();
    let values: Vec<String> = runs
        .iter()
        .map(|run| run.accesskit_node().value().unwrap_or_default())
        .collect();
    assert_eq!(
        values.concat(),
        text,
        "the text in logical order: {values:?}"
    );
    let of = |words: &str| {
        let at = values.iter().position(|v| v.contains(words)).unwrap();
        let node = runs[at].accesskit_node();
        (node.data().text_direction(), node.bounding_box().unwrap())
    };
    let (opening_direction, opening) = of("قال الضابط");
    let (name_direction, name) = of("John Smith");
    assert_eq!(
        opening_direction,
        Some(egui::accesskit::TextDirection::RightToLeft)
    );
    assert_eq!(
        name_direction,
        Some(egui::accesskit::TextDirection::LeftToRight)
    );
    assert!(
        (opening.x1 - f64::from(paragraph.right())).abs() < 2.0,
        "the opening words end the line on the right: {opening:?} in {paragraph:?}"
    );
    assert!(name.x1 <= opening.x0 + 1.0, "the name is to their left");
    let positions = runs[0]
        .accesskit_node()
        .data()
        .character_positions()
        .unwrap()
        .to_vec();
    assert_eq!(
        positions[0], 0.0,
        "the first letter at the run's start (its right)"
    );
    assert!(positions.windows(2).all(|p| p[0] <= p[1]), "{positions:?}");
    let name_run = runs[values.iter().position(|v| v == "John Smith").unwrap()]
        .accesskit_node()
        .locate()
        .0;

    // A selection of "Smith" is told as positions in the name's run.
    let start = text.chars().take_while(|c| *c != 'S').count();
    let doc = harness.state().workspace().project().documents[0].id;
    let mut harness = harness;
    harness.state_mut().perform(
        &egui::Context::default(),
        Action::SelectRange {
            doc,
            range: start..start + 5,
        },
    );
    harness.run_steps(2);
    let paragraph_node = harness.get_all_by_role(Role::Paragraph).next().unwrap();
    let told = *paragraph_node
        .accesskit_node()
        .data()
        .text_selection()
        .expect("the selection is told");
    assert_eq!(
        (told.anchor.node, told.anchor.character_index),
        (name_run, 5)
    );
    assert_eq!(
        (told.focus.node, told.focus.character_index),
        (name_run, 10)
    );
}
