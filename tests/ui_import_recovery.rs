//! The real app adding documents (File > Add documents… and dropped files) and recovering
//! unsaved work after a crash. No display is needed (egui_kittest without rendering).

mod documents;
mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use documents::{docx, pdf, write};
use egui::{Key, Modifiers, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::ui::MarginaliaApp;
use support::{app_harness, drag, run_until, saved_project};

/// Step the app until the worker thread's documents have been added.
fn wait_for_documents(harness: &mut Harness<'_, MarginaliaApp>, count: usize) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while harness.state().workspace().project().documents.len() < count {
        assert!(
            std::time::Instant::now() < deadline,
            "the import never finished ({} documents)",
            harness.state().workspace().project().documents.len()
        );
        harness.run_steps(1);
        std::thread::yield_now();
    }
    harness.run_steps(2);
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn documents_added_from_the_menu_and_by_dropping_show_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let word = write(
        dir.path(),
        "focus.docx",
        &docx(&[&["Focus group transcript"], &["A: yes"]]),
    );
    let old = write(
        dir.path(),
        "old letter.txt",
        b"Dear Sir \x96 \xa35 enclosed\n",
    );
    let paper = write(
        dir.path(),
        "paper.pdf",
        &pdf(&[&[&["Pilot scheme report"]]]),
    );
    let mut harness = app_harness(Workspace::open(&project).unwrap());

    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Add documents…").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("path prompt: AddDocuments")
    );
    harness
        .get_by_role(egui::accesskit::Role::TextInput)
        .type_text(&format!("{}; {}", word.display(), old.display()));
    harness.run_steps(1);
    harness.get_by_label("OK").click();
    wait_for_documents(&mut harness, 3);

    for title in ["Focus group transcript", "Dear Sir – £5 enclosed"] {
        assert!(
            harness.query_all_by_label_contains(title).next().is_some(),
            "the documents panel lists “{title}”"
        );
    }
    // The guessed encoding is a visible notice, naming the file.
    let notice = harness.state().dialog_message().unwrap_or_default();
    assert!(
        notice.contains("old letter.txt") && notice.contains("Windows-1252"),
        "{notice}"
    );
    harness.get_by_label("OK").click();
    harness.run_steps(2);
    assert!(dir.path().join("sources/focus.txt").exists());

    // A dropped PDF is added too.
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(paper.clone())));
    harness.run_steps(1);
    wait_for_documents(&mut harness, 4);
    assert!(
        harness
            .query_all_by_label_contains("Pilot scheme report")
            .next()
            .is_some()
    );
    let added = harness.state().workspace().project().documents[3].clone();
    assert_eq!(added.origin.as_deref(), Some("paper.pdf"));
    assert_eq!(harness.state().current_document(), Some(added.id));

    // Each batch is one step back; back at the saved state the project is clean again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(harness.state().workspace().project().documents.len(), 3);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(harness.state().workspace().project().documents.len(), 1);
    assert!(!harness.state().workspace().is_dirty());
    assert!(
        harness
            .query_all_by_label_contains("Focus group transcript")
            .next()
            .is_none(),
        "the panel no longer lists the undone documents"
    );
}

#[test]
fn unsaved_work_is_recovered_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let saved_bytes = std::fs::read(&project).unwrap();
    let recovery = marginalia::recovery::recovery_path(&project);

    let mut harness = app_harness(Workspace::open(&project).unwrap());
    drag(&mut harness, pos2(330.0, 240.0), pos2(720.0, 300.0));
    harness.key_press(Key::Num2);
    harness.run_steps(3);
    let passages = harness.state().workspace().project().annotations.clone();
    assert_eq!(passages.len(), 1, "the drag and key made a passage");
    assert!(harness.state().workspace().is_dirty());
    assert!(
        !recovery.exists(),
        "nothing is written before 30 s have passed"
    );

    // Half a minute later (the app's clock is egui's input time) the recovery copy is there.
    let now = harness.ctx.input(|i| i.time);
    harness.input_mut().time = Some(now + 31.0);
    harness.run_steps(1);
    // The copy is written on a worker thread.
    run_until(&mut harness, "the recovery copy", |_| recovery.exists());
    assert_eq!(
        std::fs::read(&project).unwrap(),
        saved_bytes,
        "the person's own file is untouched"
    );

    // The crash: the app goes away without saving or asking.
    drop(harness);

    let mut harness = app_harness(Workspace::open(&project).unwrap());
    assert!(harness.state().workspace().project().annotations.is_empty());
    assert!(
        harness
            .query_all_by_label_contains("Restore unsaved changes from")
            .next()
            .is_some(),
        "the app offers to restore"
    );
    harness.get_by_label("Restore").click();
    harness.run_steps(3);
    let workspace = harness.state().workspace();
    assert_eq!(
        workspace.project().annotations,
        passages,
        "the passage is back"
    );
    assert!(workspace.is_dirty(), "restored changes are not saved yet");
    assert_eq!(workspace.path(), Some(project.as_path()));
    assert!(harness.state().window_title().starts_with("● "));

    // Saving makes the recovery copy unnecessary.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(1);
    run_until(&mut harness, "the save", |app| !app.workspace().is_dirty());
    assert!(!recovery.exists(), "a clean save removes the recovery file");
    assert_eq!(
        marginalia::store::load_project(&project)
            .unwrap()
            .annotations,
        passages
    );
}

#[test]
fn a_dropped_transcript_is_reviewed_then_added_and_coded_by_speaker() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let transcript = write(
        dir.path(),
        "group.vtt",
        "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Amira Haddad>How did you join?</v>\n\n\
         00:04.500 --> 00:09.000\n<v Tom>Through a friend.</v>\n\n\
         00:09.000 --> 00:12.000\n<v Amira Haddad>And then?</v>\n"
            .as_bytes(),
    );
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(transcript)));
    harness.run_steps(1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while harness
        .query_by_label_contains("3 turns by 2 speaker(s)")
        .is_none()
    {
        assert!(std::time::Instant::now() < deadline, "no review shown");
        harness.run_steps(1);
        std::thread::yield_now();
    }
    assert!(
        harness
            .query_by_label_contains("Amira Haddad (2), Tom (1)")
            .is_some()
    );
    assert_eq!(
        harness.state().workspace().project().documents.len(),
        1,
        "nothing is added before the person says so"
    );
    harness.get_by_label("Add document").click();
    wait_for_documents(&mut harness, 2);
    let project = harness.state().workspace().project();
    assert_eq!(project.documents[1].turns.len(), 3);
    assert_eq!(project.cases.len(), 2);

    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    harness.get_by_label("Code by speaker").click();
    harness.run_steps(3);
    if harness.state().dialog_message().is_some() {
        // The coder's name is asked first, once.
        harness
            .get_by_role(egui::accesskit::Role::TextInput)
            .type_text("ana");
        harness.run_steps(1);
        harness.get_by_label("OK").click();
        harness.run_steps(3);
    }
    let project = harness.state().workspace().project();
    let coded: Vec<&str> = project
        .annotations
        .iter()
        .filter(|a| a.doc == project.documents[1].id)
        .map(|a| a.quote.as_str())
        .collect();
    assert_eq!(
        coded,
        ["How did you join?", "Through a friend.", "And then?"]
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    let project = harness.state().workspace().project();
    assert!(
        project
            .annotations
            .iter()
            .all(|a| a.doc != project.documents[1].id)
    );
    assert!(project.codebook.iter().all(|t| t.name != "Speakers"));
}

#[test]
fn a_broken_caption_file_dropped_on_the_window_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let broken = write(
        dir.path(),
        "broken.vtt",
        "WEBVTT\n\n00:01.000 --> 00:0x.500\n<v Ana>Hello.</v>\n".as_bytes(),
    );
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    let before = harness.state().workspace().project().clone();
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(broken)));
    harness.run_steps(1);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let message = loop {
        if let Some(message) = harness
            .state()
            .dialog_message()
            .filter(|m| m.contains("line 3"))
        {
            break message;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no message about the broken file"
        );
        harness.run_steps(1);
        std::thread::yield_now();
    };
    assert!(message.contains("broken.vtt"), "{message}");
    assert!(message.contains("is not a time"), "{message}");
    assert_eq!(
        harness.state().workspace().project(),
        &before,
        "nothing is added from a file that cannot be read"
    );
    assert!(!harness.state().workspace().is_dirty());
}

#[test]
fn a_survey_is_reviewed_column_by_column_then_imported_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    let sheet = write(
        dir.path(),
        "staff.csv",
        "respondent,region,notes for us,What would you change?\n\
         R1,North,x,\"More mentoring, earlier in the course\"\n\
         R2,South,y,Clearer promotion boards for all of us\n\
         R3,North,z,\n"
            .as_bytes(),
    );
    let mut harness = app_harness(Workspace::open(&project).unwrap());
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .perform(&ctx, marginalia::ui::Action::ImportSurvey(sheet));
    run_until(&mut harness, "the survey's columns", |app| {
        app.survey_review_open()
    });
    harness.run_steps(2);
    // The proposal: the id and the open question; the rest attributes. "notes for us" is
    // left out by hand.
    let role = |harness: &Harness<'_, MarginaliaApp>, column: &str| {
        harness
            .get_by(|node| {
                node.role() == egui::accesskit::Role::ComboBox
                    && node.label().as_deref() == Some(column)
            })
            .value()
    };
    assert_eq!(
        role(&harness, "respondent").as_deref(),
        Some("Respondent id")
    );
    assert_eq!(
        role(&harness, "What would you change?").as_deref(),
        Some("Open answers")
    );
    assert_eq!(role(&harness, "region").as_deref(), Some("Attribute"));
    harness
        .get_by(|node| {
            node.role() == egui::accesskit::Role::ComboBox
                && node.label().as_deref() == Some("notes for us")
        })
        .click();
    harness.run_steps(2);
    harness.get_by_label("Left out").click();
    harness.run_steps(2);
    assert_eq!(role(&harness, "notes for us").as_deref(), Some("Left out"));
    let documents_before = harness.state().workspace().project().documents.len();
    harness.get_by_label("Import").click();
    harness.run_steps(3);
    let project = harness.state().workspace().project();
    assert_eq!(
        project.documents.len(),
        documents_before + 2,
        "R3 answered nothing"
    );
    assert!(project.attribute_by_name("region").is_some());
    assert!(project.attribute_by_name("notes for us").is_none());
    let r2 = project.documents.iter().find(|d| d.title == "R2").unwrap();
    let answer = project.annotations_of(r2.id).next().unwrap();
    assert_eq!(answer.quote, "Clearer promotion boards for all of us");
    assert_eq!(
        project.tag(answer.tags[0]).unwrap().name,
        "What would you change?"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    let project = harness.state().workspace().project();
    assert_eq!(project.documents.len(), documents_before);
    assert!(project.attribute_by_name("region").is_none());
}
