//! The researcher's workflow in the real app: codebook merge, the passages table, find and
//! tag all hits, memos, and undo/redo sequences back to the saved state.

mod support;

use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::ui::{CentralView, MarginaliaApp};
use support::sample_copy;

fn app_harness(project: &Path) -> Harness<'static, MarginaliaApp> {
    support::app_harness_sized(Workspace::open(project).unwrap(), 1400.0, 900.0)
}

fn undo(harness: &mut Harness<'_, MarginaliaApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
}

fn redo(harness: &mut Harness<'_, MarginaliaApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
    harness.run_steps(2);
}

#[test]
fn merging_a_tag_moves_its_passages_and_undoes_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(&sample_copy(dir.path()));
    let before = harness.state().workspace().project().clone();
    let critiques: Vec<u32> = before
        .annotations
        .iter()
        .filter(|a| a.tags.contains(&4))
        .map(|a| a.id)
        .collect();
    assert!(critiques.len() > 3);

    harness.get_by_label_contains("critique (tag,").click();
    harness.run_steps(2);
    harness.get_by_label("More…").click();
    harness.run_steps(2);
    harness
        .get_by_label_contains("Merge “critique” into")
        .click();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "quote").click();
    harness.run_steps(3);

    let project = harness.state().workspace().project().clone();
    assert!(project.tag(4).is_none(), "critique left the codebook");
    for id in &critiques {
        let passage = project.annotation(*id).expect("no passage lost");
        assert!(passage.tags.contains(&1), "passage {id} is now a quote");
        assert_eq!(
            passage.tags.iter().filter(|t| **t == 1).count(),
            1,
            "a passage that was quote and critique carries quote once"
        );
    }
    assert_eq!(project.annotations.len(), before.annotations.len());
    assert!(harness.state().workspace().is_dirty());

    undo(&mut harness);
    let restored = harness.state().workspace().project();
    assert_eq!(restored.codebook, before.codebook);
    assert_eq!(restored.annotations, before.annotations);
    assert!(
        !harness.state().workspace().is_dirty(),
        "back to the saved state"
    );
}

#[test]
fn deleting_a_tag_asks_and_keeps_untagged_passages() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(&sample_copy(dir.path()));
    let only_statistic: Vec<u32> = harness
        .state()
        .workspace()
        .project()
        .annotations
        .iter()
        .filter(|a| a.tags == [2])
        .map(|a| a.id)
        .collect();
    assert!(!only_statistic.is_empty());

    harness.get_by_label_contains("statistic (tag,").click();
    harness.run_steps(2);
    harness.get_by_label("More…").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Delete “statistic”").click();
    harness.run_steps(4);
    assert!(
        harness
            .state()
            .dialog_message()
            .is_some_and(|m| m.contains("statistic"))
    );
    harness.get_by_label("Delete tag").click();
    harness.run_steps(3);

    let project = harness.state().workspace().project();
    assert!(project.tag(2).is_none());
    for id in &only_statistic {
        assert!(
            project.annotation(*id).unwrap().tags.is_empty(),
            "kept, untagged"
        );
    }
    let untagged = format!("{} untagged passage", only_statistic.len());
    harness.get_by_label_contains(&untagged).click();
    harness.run_steps(3);
    assert_eq!(harness.state().central_view(), CentralView::Passages);
    assert!(
        harness
            .query_by_label_contains(&format!("{} of 22", only_statistic.len()))
            .is_some(),
        "the table lists exactly the untagged passages"
    );
}

#[test]
fn passages_table_filters_and_jumps_to_the_passage() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(&sample_copy(dir.path()));
    harness.get_by_label("Coded passages").click();
    harness.run_steps(3);
    assert_eq!(harness.state().central_view(), CentralView::Passages);
    assert!(harness.query_by_label("22 of 22").is_some());

    // Tags statistic and critique, both at once: the co-occurrence. Each tag button shows
    // how many passages carry the tag.
    let project = harness.state().workspace().project().clone();
    let carrying = |tag| {
        project
            .annotations
            .iter()
            .filter(|a| a.tags.contains(&tag))
            .count()
    };
    let statistic = format!("statistic ({})", carrying(2));
    let critique = format!("critique ({})", carrying(4));
    harness
        .get_by_role_and_label(Role::Button, &statistic)
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, &critique)
        .click();
    harness.run_steps(2);
    let any = project
        .annotations
        .iter()
        .filter(|a| a.tags.contains(&2) || a.tags.contains(&4))
        .count();
    assert!(harness.query_by_label(&format!("{any} of 22")).is_some());
    harness.get_by_label("all").click();
    harness.run_steps(2);
    let both: Vec<_> = project
        .annotations
        .iter()
        .filter(|a| a.tags.contains(&2) && a.tags.contains(&4))
        .collect();
    assert_eq!(both.len(), 1);
    assert!(harness.query_by_label("1 of 22").is_some());

    // Words narrow further; the one row left opens its passage in its document.
    harness.get_by_label("Clear filters").click();
    harness.run_steps(2);
    harness.get_by_label("Words:").click();
    harness.run_steps(1);
    harness.get_by_label("Words:").type_text("forty PER cent");
    harness.run_steps(3);
    assert!(harness.query_by_label("1 of 22").is_some());
    let target = project
        .annotations
        .iter()
        .find(|a| a.quote.starts_with("Forty per cent"))
        .unwrap();
    harness
        .get_by_label_contains("Forty per cent of its new recruits")
        .click();
    harness.run_steps(4);
    let app = harness.state();
    assert_eq!(app.central_view(), CentralView::Document);
    assert_eq!(app.current_document(), Some(target.doc));
    assert_eq!(app.selected_passage(), Some(target.id));
    assert_eq!(app.selection(), Some(target.start..target.end));
}

#[test]
fn find_steps_through_hits_and_tags_them_all_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(&sample_copy(dir.path()));
    let doc = harness.state().current_document().unwrap();
    let text = harness.state().workspace().text(doc).unwrap().clone();
    let expected = marginalia::find::find_all(
        &text,
        "workshops",
        marginalia::find::FindOptions {
            match_case: false,
            whole_word: true,
        },
    );
    assert!(expected.len() >= 3);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(3);
    harness.get_by_label("Find").type_text("Workshops");
    harness.run_steps(2);
    harness.get_by_label("Whole word").click();
    harness.run_steps(2);
    let count = format!("{} hits", expected.len());
    assert!(harness.query_by_label(&count).is_some(), "hit count shown");

    harness.get_by_label("Find").focus();
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let first = harness.state().selection().expect("a hit is selected");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let second = harness.state().selection().unwrap();
    assert_eq!(
        second,
        expected[expected.iter().position(|h| *h == first).unwrap() + 1]
    );
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness.state().selection(), Some(first.clone()));
    assert!(
        harness
            .query_by_label(&format!(
                "{} of {}",
                expected.iter().position(|h| *h == first).unwrap() + 1,
                expected.len()
            ))
            .is_some()
    );

    let passages_before = harness.state().workspace().project().annotations.clone();
    harness
        .get_by_label_contains(&format!("Tag all {} hits", expected.len()))
        .click();
    harness.run_steps(3);
    let project = harness.state().workspace().project().clone();
    for hit in &expected {
        let passage = project
            .annotation_at_exact(doc, hit.clone())
            .expect("each hit is a passage");
        assert_eq!(passage.quote.to_lowercase(), "workshops");
        assert_eq!(passage.tags, vec![1], "tagged with the first tag, quote");
    }
    assert_eq!(
        project.annotations.len(),
        passages_before.len() + expected.len()
    );
    undo(&mut harness);
    assert_eq!(
        harness.state().workspace().project().annotations,
        passages_before,
        "one undo removes every hit's passage"
    );
}

#[test]
fn memos_are_edited_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(&sample_copy(dir.path()));
    harness.get_by_label("Memos").click();
    harness.run_steps(3);
    harness.get_by_label("Project memo").click();
    harness.run_steps(1);
    harness
        .get_by_label("Project memo")
        .type_text("RQ: how is positive action framed?");
    harness.run_steps(2);
    // Leaving the field commits the memo as one edit.
    harness.get_by_label("Document").click();
    harness.run_steps(3);
    let workspace = harness.state().workspace();
    assert_eq!(
        workspace.project().memo,
        "RQ: how is positive action framed?"
    );
    assert_eq!(workspace.undo_label(), Some("edit memo"));
    undo(&mut harness);
    assert_eq!(harness.state().workspace().project().memo, "");
    redo(&mut harness);
    assert_eq!(
        harness.state().workspace().project().memo,
        "RQ: how is positive action framed?"
    );
}

#[test]
fn undo_and_redo_walk_a_mixed_history_back_to_clean() {
    let dir = tempfile::tempdir().unwrap();
    let project_file = sample_copy(dir.path());
    let mut harness = app_harness(&project_file);
    let saved = harness.state().workspace().project().clone();

    // A codebook edit, a passage deleted, a tag toggled.
    harness.get_by_label("New tag").click();
    harness.run_steps(3);
    // The new tag's name field has the keyboard (Ctrl+Z there undoes typing): leave it.
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    let first = saved.annotations[0].id;
    harness.state_mut().perform(
        &egui::Context::default(),
        marginalia::ui::Action::DeletePassage(first),
    );
    harness.run_steps(2);
    let second = saved.annotations[1].clone();
    harness.state_mut().perform(
        &egui::Context::default(),
        marginalia::ui::Action::ToggleTag {
            passage: second.id,
            tag: 3,
        },
    );
    harness.run_steps(2);
    let after = harness.state().workspace().project().clone();
    assert_eq!(after.codebook.len(), saved.codebook.len() + 1);
    assert!(after.annotation(first).is_none());
    assert!(after.annotation(second.id).unwrap().tags.contains(&3));

    for _ in 0..3 {
        assert!(harness.state().workspace().is_dirty());
        undo(&mut harness);
    }
    assert_eq!(
        harness.state().workspace().project().annotations,
        saved.annotations
    );
    assert_eq!(
        harness.state().workspace().project().codebook,
        saved.codebook
    );
    assert!(
        !harness.state().workspace().is_dirty(),
        "undo back to saved clears the marker"
    );
    assert!(!harness.state().window_title().starts_with('●'));

    for _ in 0..3 {
        redo(&mut harness);
    }
    let redone = harness.state().workspace().project();
    assert_eq!(redone.annotations, after.annotations);
    assert_eq!(redone.codebook, after.codebook);
    assert!(harness.state().workspace().is_dirty());
    // Ctrl+Y redoes too: undo one, redo it with the other shortcut.
    undo(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run_steps(2);
    assert_eq!(
        harness.state().workspace().project().annotations,
        after.annotations
    );
}

#[test]
fn keyboard_alone_moves_extends_tags_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(&sample_copy(dir.path()));
    let doc = harness.state().current_document().unwrap();
    let text = harness.state().workspace().text(doc).unwrap().clone();
    let passages_before = harness.state().workspace().project().annotations.len();

    // A click in the text gives the document the keyboard; from then on, keys only.
    let click = egui::pos2(700.0, 260.0);
    harness.hover_at(click);
    harness.run_steps(1);
    harness.drag_at(click);
    harness.run_steps(1);
    harness.drop_at(click);
    harness.run_steps(3);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    harness.run_steps(2);
    assert_eq!(harness.state().selection(), None, "a caret, no selection");
    // Down two rows, then the start of the next word, then select three words.
    harness.key_press(Key::ArrowDown);
    harness.key_press(Key::ArrowDown);
    harness.run_steps(2);
    harness.key_press(Key::Home);
    harness.run_steps(1);
    for _ in 0..3 {
        harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::ArrowRight);
        harness.run_steps(1);
    }
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run_steps(2);
    let selection = harness
        .state()
        .selection()
        .expect("Shift extends a selection");
    let selected: String = text
        .as_str()
        .chars()
        .skip(selection.start)
        .take(selection.len())
        .collect();
    assert!(selection.start > 0, "the caret moved down from the start");
    assert_eq!(
        selected.split_whitespace().count(),
        3,
        "three words and a character: {selected:?}"
    );

    harness.key_press(Key::Num3);
    harness.run_steps(3);
    let project = harness.state().workspace().project().clone();
    assert_eq!(project.annotations.len(), passages_before + 1);
    let passage = project
        .annotation_at_exact(doc, selection.clone())
        .expect("tagged");
    assert_eq!(passage.tags, vec![3]);
    assert_eq!(passage.quote, selected);

    // Delete removes the passage just made (it is the selected one).
    assert_eq!(harness.state().selected_passage(), Some(passage.id));
    harness.key_press(Key::Delete);
    harness.run_steps(2);
    assert_eq!(
        harness.state().workspace().project().annotations.len(),
        passages_before
    );
}

#[test]
fn a_codebook_travels_between_projects_as_qdc() {
    let dir = tempfile::tempdir().unwrap();
    let project_file = sample_copy(dir.path());
    // A codebook of another study: one shared tag name, two new ones, one nested.
    let mut other = marginalia::Project::new("Other study");
    other.codebook.truncate(1);
    let theme = marginalia::codebook::new_tag(&other, "framing");
    other.codebook.push(theme.clone());
    other.sync_id_counters();
    let mut sub = marginalia::codebook::new_tag(&other, "framing: fairness");
    sub.parent = Some(theme.id);
    other.codebook.push(sub);
    let corpus = marginalia::export::Corpus {
        project: &other,
        texts: Default::default(),
    };
    let qdc = dir.path().join("other.qdc");
    std::fs::write(
        &qdc,
        marginalia::export::export(marginalia::export::Format::Qdc, &corpus).unwrap(),
    )
    .unwrap();

    let mut harness = app_harness(&project_file);
    harness.get_by_label("Import codebook…").click();
    harness.run_steps(4);
    harness
        .get_by_role(Role::TextInput)
        .type_text(qdc.to_str().unwrap());
    harness.run_steps(1);
    harness.get_by_label("OK").click();
    harness.run_steps(3);

    let project = harness.state().workspace().project().clone();
    let names: Vec<&str> = project.codebook.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "quote",
            "statistic",
            "policy",
            "critique",
            "framing",
            "framing: fairness"
        ]
    );
    let framing = project
        .codebook
        .iter()
        .find(|t| t.name == "framing")
        .unwrap();
    assert_eq!(project.codebook[5].parent, Some(framing.id), "nesting kept");
    assert!(
        harness
            .query_by_label_contains("framing: fairness (tag,")
            .is_some()
    );
    undo(&mut harness);
    assert_eq!(harness.state().workspace().project().codebook.len(), 4);
}

#[test]
fn removing_a_document_asks_and_undo_brings_it_back_with_its_passages() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_harness(&sample_copy(dir.path()));
    let before = harness.state().workspace().project().clone();
    let doc = before.documents[1].clone();
    // The document's row, named by its title and passage count.
    harness
        .get_by_label_contains(&format!("{}, ", doc.title))
        .click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Remove from project…").click();
    harness.run_steps(4);
    harness.get_by_label("Remove document").click();
    harness.run_steps(3);
    let project = harness.state().workspace().project();
    assert!(project.document(doc.id).is_none());
    assert_eq!(project.annotations_of(doc.id).count(), 0);
    undo(&mut harness);
    let project = harness.state().workspace().project();
    assert_eq!(project.documents, before.documents);
    assert_eq!(project.annotations, before.annotations);
    assert!(
        harness.state().workspace().text(doc.id).is_some(),
        "its text is read again"
    );
}

#[test]
fn save_as_over_another_file_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    let project_file = sample_copy(dir.path());
    let other = dir.path().join("projects").join("other.ron");
    std::fs::write(&other, "somebody else's work").unwrap();
    let mut harness = app_harness(&project_file);

    let save_as_other = |harness: &mut Harness<'_, MarginaliaApp>| {
        harness.key_press_modifiers(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
        harness.run_steps(4);
        // The prompt holds the project's own path: select it all, then type over it.
        harness.get_by_role(Role::TextInput).focus();
        harness.run_steps(1);
        harness.key_combination_modifiers(Modifiers::COMMAND, &[Key::A]);
        harness.run_steps(1);
        harness
            .get_by_role(Role::TextInput)
            .type_text(other.to_str().unwrap());
        harness.run_steps(1);
        harness.get_by_label("OK").click();
        harness.run_steps(4);
    };
    save_as_other(&mut harness);
    assert!(
        harness
            .state()
            .dialog_message()
            .is_some_and(|m| m.contains("Replace “other.ron”")),
        "{:?}",
        harness.state().dialog_message()
    );
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        "somebody else's work"
    );

    save_as_other(&mut harness);
    harness.get_by_label("Replace").click();
    harness.run_steps(3);
    let saved = marginalia::store::load_project(&other).expect("the project was saved there");
    assert_eq!(saved.annotations.len(), 22);
    assert_eq!(harness.state().workspace().path(), Some(other.as_path()));
}
