use super::*;

#[test]
fn the_journal_says_what_each_edit_did_to_passages() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let mut workspace = Workspace::open(&sample).unwrap();
    let doc = workspace.project().documents[0].id;
    let start = workspace.revision();
    let id = workspace.tag_range(doc, 10..30, 2).unwrap().unwrap();
    let added = PassageSummary::of(workspace.annotation(id).unwrap());
    let after_add = workspace.revision();
    assert_eq!(
        workspace.passage_changes_since(start),
        Some(vec![&PassageChange::Added(added.clone())])
    );
    workspace.toggle_tag(id, 3).unwrap();
    let mut retagged = added.clone();
    retagged.tags = vec![2, 3];
    assert_eq!(
        workspace.passage_changes_since(after_add),
        Some(vec![
            &PassageChange::Removed(added.clone()),
            &PassageChange::Added(retagged.clone()),
        ])
    );
    let before_undo = workspace.revision();
    workspace.undo();
    assert_eq!(
        workspace.passage_changes_since(before_undo),
        Some(vec![
            &PassageChange::Removed(retagged),
            &PassageChange::Added(added),
        ])
    );
    assert_eq!(
        workspace.passage_changes_since(workspace.revision()),
        Some(vec![])
    );
    // A change that touches every passage (a tag deleted) is not itemised.
    let before_delete = workspace.revision();
    workspace.apply(Edit::RemoveTag(2)).unwrap();
    assert_eq!(workspace.passage_changes_since(before_delete), None);
    assert_eq!(workspace.passage_changes_since(start), None);
}

/// A saved project over one text file, with passages on "police", "teh" and "late".
fn correction_fixture(dir: &Path) -> (Workspace, PathBuf) {
    let file = dir.join("interview.txt");
    std::fs::write(&file, "The polise said teh report was late.\nEnd.").unwrap();
    let mut workspace = Workspace::from_files(std::slice::from_ref(&file)).unwrap();
    workspace.save_as(&dir.join("study.ron")).unwrap();
    let doc = workspace.project().documents[0].id;
    for range in [4..10, 16..19, 31..35] {
        workspace.tag_range(doc, range, 1).unwrap();
    }
    (workspace, file)
}

fn quotes(workspace: &Workspace) -> Vec<(String, bool)> {
    workspace
        .project()
        .annotations
        .iter()
        .map(|a| (a.quote.clone(), workspace.is_anchored(a)))
        .collect()
}

#[test]
fn a_correction_moves_passages_writes_the_file_and_undoes_as_one_step() {
    use crate::correct::{diff, push_change};
    let dir = tempfile::tempdir().unwrap();
    let (mut workspace, file) = correction_fixture(dir.path());
    let doc = workspace.project().documents[0].id;
    let old = std::fs::read_to_string(&file).unwrap();
    let mut changes = Vec::new();
    let mut text = old.clone();
    for next in [
        "The police said teh report was late.\nEnd.",
        "The police said the report was late.\nEnd.",
        "The police said the report was .\nEnd.",
        "Note: The police said the report was .\nEnd.",
    ] {
        push_change(&mut changes, diff(&text, next).unwrap());
        text = next.to_owned();
    }
    let undo_steps = workspace.undo_stack.len();
    let summary = workspace.correct_text(doc, text.clone(), &changes).unwrap();
    assert_eq!(
        summary,
        Correction {
            moved: 2,
            orphaned: 1
        }
    );
    assert_eq!(workspace.undo_stack.len(), undo_steps + 1, "one step");
    assert_eq!(workspace.undo_label(), Some("correct text"));
    // Shown at once; "late" was deleted whole: kept, listed as misplaced.
    assert_eq!(workspace.text(doc).unwrap().as_str(), text);
    assert_eq!(
        quotes(&workspace),
        vec![
            ("police".to_owned(), true),
            ("the".to_owned(), true),
            ("late".to_owned(), false)
        ]
    );
    assert_eq!(workspace.misplaced().len(), 1);
    let document = workspace.project().documents[0].clone();
    assert_eq!(document.sha256, anchor::sha256_hex(text.as_bytes()));
    assert_eq!(document.chars, text.chars().count());
    let police = &workspace.project().annotations[0];
    assert_eq!(police.prefix, "Note: The ");
    // The file is written when the window gets to it, with the old text kept.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), old);
    workspace.write_texts_now().unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("interview.txt.bak")).unwrap(),
        old
    );
    // Saved and opened again, everything is where it was put.
    workspace.save().unwrap();
    let reopened = Workspace::open(workspace.path().unwrap()).unwrap();
    assert!(matches!(reopened.source(doc), Some(SourceState::Ok(_))));
    assert_eq!(quotes(&reopened), quotes(&workspace));

    // Undo puts back the text, in memory and on disk, and every passage.
    assert!(workspace.undo());
    assert_eq!(workspace.text(doc).unwrap().as_str(), old);
    assert!(workspace.misplaced().is_empty());
    assert_eq!(
        quotes(&workspace),
        vec![
            ("polise".to_owned(), true),
            ("teh".to_owned(), true),
            ("late".to_owned(), true)
        ]
    );
    assert_eq!(
        workspace.project().documents[0].sha256,
        anchor::sha256_hex(old.as_bytes())
    );
    workspace.write_texts_now().unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), old);
    assert!(workspace.redo());
    workspace.write_texts_now().unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(workspace.misplaced().len(), 1);
}

#[test]
fn a_text_changed_by_another_program_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (mut workspace, file) = correction_fixture(dir.path());
    let doc = workspace.project().documents[0].id;
    let corrected = "The police said teh report was late.\nEnd.".to_owned();
    let changes: Vec<_> = crate::correct::diff(workspace.text(doc).unwrap().as_str(), &corrected)
        .into_iter()
        .collect();
    workspace.correct_text(doc, corrected, &changes).unwrap();
    std::fs::write(&file, "Someone else's words").unwrap();
    let error = workspace.write_texts_now().unwrap_err();
    assert!(matches!(&error, StoreError::ChangedOnDisk { file: f } if *f == file));
    assert!(error.to_string().contains("interview.txt"), "{error}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "Someone else's words"
    );
}

#[test]
fn tagging_a_span_another_coder_coded_makes_a_passage_of_ones_own() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let mut workspace = Workspace::open(&sample).unwrap();
    let doc = workspace.project().documents[0].id;
    workspace.coder = "ann".into();
    let anns = workspace.tag_range(doc, 10..30, 2).unwrap().unwrap();
    workspace.coder = "ben".into();
    let bens = workspace.tag_range(doc, 10..30, 2).unwrap().unwrap();
    assert_ne!(anns, bens, "ben's tag must not toggle ann's passage off");
    assert_eq!(workspace.annotation(anns).unwrap().tags, vec![2]);
    assert_eq!(workspace.annotation(bens).unwrap().coder, "ben");
    workspace.tag_all(&[(doc, 10..30)], 3).unwrap();
    assert_eq!(workspace.annotation(anns).unwrap().tags, vec![2]);
    assert_eq!(workspace.annotation(bens).unwrap().tags, vec![2, 3]);
}

fn renamed(workspace: &Workspace, name: &str) -> Edit {
    let mut tag = workspace.project().tag(1).unwrap().clone();
    tag.name = name.to_owned();
    Edit::UpdateTag(tag)
}

#[test]
fn undo_names_what_was_done() {
    let mut workspace = Workspace::new_unsaved("t");
    workspace.apply(Edit::SetProjectMemo("m".into())).unwrap();
    assert_eq!(workspace.undo_label(), Some("edit project memo"));
    workspace
        .apply_labelled(renamed(&workspace, "x"), "rename tag")
        .unwrap();
    assert_eq!(workspace.undo_label(), Some("rename tag"));
    workspace.undo();
    assert_eq!(workspace.redo_label(), Some("rename tag"));
}

#[test]
fn coalesced_edits_undo_as_one_step() {
    let mut workspace = Workspace::new_unsaved("t");
    for name in ["a", "ab", "abc"] {
        let edit = renamed(&workspace, name);
        workspace
            .apply_coalescing(edit, "rename tag", Some(7))
            .unwrap();
    }
    let other = renamed(&workspace, "other");
    workspace
        .apply_coalescing(other, "rename tag", Some(8))
        .unwrap();
    workspace.undo();
    assert_eq!(workspace.project().tag(1).unwrap().name, "abc");
    workspace.undo();
    assert_eq!(workspace.project().tag(1).unwrap().name, "quote");
    assert!(!workspace.can_undo());
    workspace.redo();
    assert_eq!(workspace.project().tag(1).unwrap().name, "abc");
}

#[test]
fn misplaced_passages_are_tracked_edit_by_edit() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let mut workspace = Workspace::open(&path).unwrap();
    assert!(workspace.misplaced().is_empty(), "the sample is anchored");
    let passage = workspace.project().annotations[0].clone();
    // Moved onto text that is not its quote (as a hand edit of the file might do).
    workspace
        .apply(Edit::MoveAnnotation {
            id: passage.id,
            start: passage.start + 1,
            end: passage.end + 1,
            quote: passage.quote.clone(),
            prefix: String::new(),
            suffix: String::new(),
        })
        .unwrap();
    assert!(workspace.misplaced().contains(&passage.id));
    workspace.undo();
    assert!(workspace.misplaced().is_empty());
    workspace.redo();
    workspace.apply(Edit::RemoveAnnotation(passage.id)).unwrap();
    assert!(
        workspace.misplaced().is_empty(),
        "a removed passage is not misplaced"
    );
    workspace.undo();
    assert!(
        workspace.misplaced().contains(&passage.id),
        "and comes back misplaced"
    );
}

#[test]
fn tagging_all_hits_is_one_step() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let mut workspace = Workspace::open(&path).unwrap();
    let doc = workspace.project().documents[0].id;
    let text = workspace.text(doc).unwrap().clone();
    let hits = crate::find::find_all(&text, "police", Default::default());
    assert!(hits.len() > 2);
    let before = workspace.project().clone();
    let hits: Vec<_> = hits.into_iter().map(|h| (doc, h)).collect();
    let tagged = workspace.tag_all(&hits, 3).unwrap();
    assert_eq!(tagged, hits.len());
    for (_, hit) in &hits {
        let passage = workspace
            .project()
            .annotation_at_exact(doc, hit.clone())
            .unwrap();
        assert!(passage.tags.contains(&3));
        assert_eq!(passage.quote.to_lowercase(), "police");
    }
    assert_eq!(workspace.undo_label(), Some("tag all hits"));
    assert_eq!(workspace.tag_all(&hits, 3).unwrap(), 0, "tagged already");
    workspace.undo();
    // Everything but the id counter, which never goes back: ids are not reused.
    assert_eq!(workspace.project().annotations, before.annotations);
}

fn said(workspace: &Workspace) -> Vec<(String, String)> {
    let project = workspace.project();
    let document = &project.documents[0];
    let text = workspace.text(document.id).unwrap();
    document
        .turns
        .iter()
        .map(|t| {
            (
                project.speaker_name(t).to_owned(),
                text.slice(t.range()).unwrap().to_owned(),
            )
        })
        .collect()
}

/// Three turns of two speakers, with a typo to correct.
const GROUP_VTT: &str = "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Ana>We met teh chief.</v>\n\n\
     00:03.000 --> 00:05.000\n<v Ben>Twice.</v>\n\n00:05.000 --> 00:06.000\n<v Ana>Yes.</v>\n";

#[test]
fn a_corrected_transcript_moves_its_turns_and_undo_puts_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("group.vtt");
    std::fs::write(&file, GROUP_VTT).unwrap();
    let mut workspace = Workspace::from_files(std::slice::from_ref(&file)).unwrap();
    workspace.save_as(&dir.path().join("study.ron")).unwrap();
    let doc = workspace.project().documents[0].id;
    let before = said(&workspace);
    assert_eq!(
        before,
        [
            ("Ana".to_owned(), "We met teh chief.".to_owned()),
            ("Ben".to_owned(), "Twice.".to_owned()),
            ("Ana".to_owned(), "Yes.".to_owned()),
        ]
    );
    let old = workspace.text(doc).unwrap().as_str().to_owned();
    let corrected = old.replace("teh chief", "the chief inspector");
    workspace.correct_text(doc, corrected, &[]).unwrap();
    assert_eq!(said(&workspace)[0].1, "We met the chief inspector.");
    assert_eq!(said(&workspace)[1..], before[1..]);
    assert_eq!(
        workspace.project().documents[0].turns[1].time_start,
        Some(3.0)
    );
    workspace.undo();
    assert_eq!(said(&workspace), before);
}

#[test]
fn merging_two_cases_gives_one_speaker_and_undoes_in_one_step() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("group.txt");
    std::fs::write(
        &file,
        "ANNA K: Hello.\n\nBen: Hi.\n\nAnna: Shall we start?\n\nBen: Yes.\n",
    )
    .unwrap();
    let mut workspace = Workspace::from_files(std::slice::from_ref(&file)).unwrap();
    let case = |w: &Workspace, name: &str| w.project().case_named(name).unwrap().id;
    let (spelled_out, short) = (case(&workspace, "Anna K"), case(&workspace, "Anna"));
    assert_ne!(spelled_out, short);
    let edit = Edit::merge_cases(workspace.project(), short, spelled_out).unwrap();
    workspace.apply(edit).unwrap();
    let names: Vec<String> = said(&workspace).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["ANNA K", "Ben", "ANNA K", "Ben"]);
    assert!(workspace.project().case(short).is_none());
    assert!(matches!(
        workspace.apply(Edit::RemoveCase(spelled_out)),
        Err(EditError::CaseSpeaks { .. })
    ));
    workspace.undo();
    let names: Vec<String> = said(&workspace).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["ANNA K", "Ben", "Anna", "Ben"]);
}

#[test]
fn a_transcript_edited_in_another_program_keeps_its_speakers_when_re_anchored() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("group.vtt");
    std::fs::write(&file, GROUP_VTT).unwrap();
    let mut workspace = Workspace::from_files(std::slice::from_ref(&file)).unwrap();
    let project_file = dir.path().join("study.ron");
    workspace.save_as(&project_file).unwrap();
    let stored = dir.path().join(&workspace.project().documents[0].path);
    let old = std::fs::read_to_string(&stored).unwrap();
    assert_eq!(old, "Ana: We met teh chief.\n\nBen: Twice.\n\nAna: Yes.\n");
    // Fixed in a text editor: a word, and a heading above the first turn.
    std::fs::write(
        &stored,
        "Group 1, Leeds\n\nAna: We met the chief inspector.\n\nBen: Twice.\n\nAna: Yes.\n",
    )
    .unwrap();

    let mut reopened = Workspace::open(&project_file).unwrap();
    let summary = reopened.reanchor().unwrap();
    assert_eq!(summary.documents_updated, 1);
    assert_eq!(summary.turns_lost, 0);
    assert_eq!(
        said(&reopened),
        [
            ("Ana".to_owned(), "We met the chief inspector.".to_owned()),
            ("Ben".to_owned(), "Twice.".to_owned()),
            ("Ana".to_owned(), "Yes.".to_owned()),
        ]
    );
    let times: Vec<_> = reopened.project().documents[0]
        .turns
        .iter()
        .map(|t| (t.time_start, t.time_end))
        .collect();
    assert_eq!(
        times,
        [
            (Some(1.0), Some(3.0)),
            (Some(3.0), Some(5.0)),
            (Some(5.0), Some(6.0))
        ]
    );
}
