//! Adding documents of every format to a project: the text each yields, where converted
//! texts are stored, duplicates across formats, and bad files that change nothing.

mod documents;

use std::path::Path;

use documents::{docx, pdf, snapshot, utf16, write};
use marginalia::Workspace;
use marginalia::import::read_document;

fn saved_workspace(dir: &Path) -> Workspace {
    let mut workspace = Workspace::new_at(&dir.join("study.ron"), "Study");
    workspace.save().unwrap();
    workspace
}

#[test]
fn utf8_text_stays_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "notes.md",
        "# Notes\r\n£5 – “fair”\r\n".as_bytes(),
    );
    let mut workspace = saved_workspace(dir.path());
    let (id, warnings) = workspace.add_document_file(&file).unwrap();
    assert!(warnings.is_empty());
    let document = workspace.project().document(id).unwrap();
    assert_eq!(document.path, "notes.md");
    assert_eq!(document.origin, None);
    assert_eq!(document.title, "# Notes");
    assert_eq!(document.chars, "# Notes\r\n£5 – “fair”\r\n".chars().count());
    assert!(!dir.path().join("sources").exists(), "nothing to convert");
}

#[test]
fn utf16_text_is_converted_into_sources_with_its_origin() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Interview 3\r\n‘Yes’ – £12 👍🏽\r\n";
    let little = write(dir.path(), "interview.txt", &utf16(text, true));
    let big_dir = dir.path().join("big");
    std::fs::create_dir(&big_dir).unwrap();
    let big = write(&big_dir, "interview-be.txt", &utf16("Other\n", false));
    let mut workspace = saved_workspace(dir.path());

    let (id, _) = workspace.add_document_file(&little).unwrap();
    let document = workspace.project().document(id).unwrap().clone();
    // The converted text may not overwrite the original of the same name: it goes to sources/.
    assert_eq!(document.path, "sources/interview.txt");
    assert_eq!(document.origin.as_deref(), Some("interview.txt"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sources/interview.txt")).unwrap(),
        text
    );
    assert_eq!(workspace.text(id).unwrap().as_str(), text);
    assert_eq!(
        std::fs::read(&little).unwrap(),
        utf16(text, true),
        "original untouched"
    );

    let (id, _) = workspace.add_document_file(&big).unwrap();
    assert_eq!(workspace.text(id).unwrap().as_str(), "Other\n");
    assert_eq!(
        workspace.project().document(id).unwrap().origin.as_deref(),
        Some("big/interview-be.txt")
    );
}

#[test]
fn windows_1252_text_is_converted_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "old.txt", b"It\x92s \x93fair\x94 at \xa35\r\n");
    let mut workspace = saved_workspace(dir.path());
    let (id, warnings) = workspace.add_document_file(&file).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("old.txt") && warnings[0].contains("Windows-1252"));
    assert_eq!(
        workspace.text(id).unwrap().as_str(),
        "It’s “fair” at £5\r\n"
    );
}

#[test]
fn html_keeps_visible_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let html = "<!doctype html><html><head><title>Council  minutes</title>\
        <style>.x{content:'<p>hidden</p>'}</style>\
        <script>var s = '</p><p>also hidden'; if (a<b) {}</script></head>\
        <body><nav><ul><li>Home</li><li>About &amp; contact</li></ul></nav>\
        <article><h1>Item&nbsp;1</h1><div><p>The   chair said\n\
        <q>we&rsquo;ll &ldquo;see&rdquo;</q>.</p><p>Costs: &pound;5&#8211;&#x2013;6</div>\
        <blockquote><div><p>Nested <em>quote</em></p></div></blockquote></article>";
    let file = write(dir.path(), "minutes.html", html.as_bytes());
    let mut workspace = saved_workspace(dir.path());
    let (id, _) = workspace.add_document_file(&file).unwrap();
    let document = workspace.project().document(id).unwrap();
    assert_eq!(document.title, "Council minutes");
    assert_eq!(document.path, "sources/minutes.txt");
    assert_eq!(document.origin.as_deref(), Some("minutes.html"));
    assert_eq!(
        workspace.text(id).unwrap().as_str(),
        "Home\n\nAbout & contact\n\nItem\u{a0}1\n\nThe chair said we’ll “see”.\n\nCosts: £5––6\n\nNested quote\n"
    );
}

#[test]
fn docx_paragraphs_become_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = docx(&[
        &["Focus group ", "transcript"],
        &[],
        &["A: It’s ", "£5 & <more>"],
    ]);
    let file = write(dir.path(), "focus.docx", &bytes);
    let mut workspace = saved_workspace(dir.path());
    let (id, _) = workspace.add_document_file(&file).unwrap();
    assert_eq!(
        workspace.text(id).unwrap().as_str(),
        "Focus group transcript\n\nA: It’s £5 & <more>\n"
    );
    let document = workspace.project().document(id).unwrap();
    assert_eq!(document.title, "Focus group transcript");
    assert_eq!(document.origin.as_deref(), Some("focus.docx"));
}

#[test]
fn pdf_text_comes_page_by_page_with_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = pdf(&[
        &[
            &["Report on the pilot", "scheme in two towns."],
            &["It\\222s \\243120 per head."],
        ],
        &[&["Second page text."]],
    ]);
    let file = write(dir.path(), "report.pdf", &bytes);
    let imported = read_document(&file).unwrap();
    assert_eq!(
        imported.text,
        "Report on the pilot scheme in two towns.\n\nIt’s £120 per head.\n\nSecond page text.\n"
    );
    assert!(imported.converted);
    let mut workspace = saved_workspace(dir.path());
    let id = workspace.add_imported(imported).unwrap();
    assert_eq!(
        workspace.project().document(id).unwrap().path,
        "sources/report.txt"
    );
}

#[test]
fn a_pdf_without_a_text_layer_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "scan.pdf", &pdf(&[&[]]));
    let mut workspace = saved_workspace(dir.path());
    let before = snapshot(dir.path());
    let error = workspace
        .add_document_file(&file)
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.starts_with(&format!("{}: ", file.display())),
        "{error}"
    );
    assert!(error.contains("no text layer"), "{error}");
    assert!(workspace.project().documents.is_empty());
    assert!(!workspace.is_dirty());
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn broken_files_name_the_file_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = saved_workspace(dir.path());
    let cases = [
        (
            "truncated.pdf",
            pdf(&[&[&["Some text"]]])[..60].to_vec(),
            "not a readable PDF",
        ),
        (
            "notzip.docx",
            b"PK but not really".to_vec(),
            "not a Word document",
        ),
        (
            "binary.txt",
            b"\x00\x01\x02\xff".to_vec(),
            "not a text file",
        ),
        ("slides.pptx", b"whatever".to_vec(), "Marginalia reads"),
    ];
    for (name, bytes, expected) in cases {
        let file = write(dir.path(), name, &bytes);
        let before = snapshot(dir.path());
        let error = workspace
            .add_document_file(&file)
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains(name), "{error}");
        assert!(error.contains(expected), "{name}: {error}");
        assert_eq!(
            snapshot(dir.path()),
            before,
            "{name} changed something on disk"
        );
    }
    assert!(workspace.project().documents.is_empty());
}

#[test]
fn the_same_text_is_refused_across_formats() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = saved_workspace(dir.path());
    let text = "Focus group transcript\n\nA: yes\n";
    let plain = write(dir.path(), "focus.txt", text.as_bytes());
    let (_, _) = workspace.add_document_file(&plain).unwrap();
    let word = write(
        dir.path(),
        "focus.docx",
        &docx(&[&["Focus group transcript"], &["A: yes"]]),
    );
    let html = write(
        dir.path(),
        "focus.html",
        b"<h2>Focus group transcript</h2><p>A:\n yes</p>",
    );
    for file in [&word, &html] {
        let before = snapshot(dir.path());
        let error = workspace.add_document_file(file).err().unwrap().to_string();
        assert!(
            error.contains("already in the project as “Focus group transcript”"),
            "{error}"
        );
        assert_eq!(
            snapshot(dir.path()),
            before,
            "a refused duplicate writes nothing"
        );
    }
    assert_eq!(workspace.project().documents.len(), 1);
}

#[test]
fn a_converted_text_never_overwrites_a_different_file_in_sources() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).unwrap();
    std::fs::write(sources.join("focus.txt"), "someone else's file").unwrap();
    let mut workspace = saved_workspace(dir.path());
    let file = write(dir.path(), "focus.docx", &docx(&[&["Hello"]]));
    let (id, _) = workspace.add_document_file(&file).unwrap();
    assert_eq!(
        workspace.project().document(id).unwrap().path,
        "sources/focus (2).txt"
    );
    assert_eq!(
        std::fs::read_to_string(sources.join("focus.txt")).unwrap(),
        "someone else's file"
    );
}

#[test]
fn several_documents_are_one_undoable_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut workspace = saved_workspace(dir.path());
    let files = [
        write(dir.path(), "a.txt", b"First\n"),
        write(dir.path(), "b.docx", &docx(&[&["Second"]])),
        write(dir.path(), "c.txt", b"First\n"),
    ];
    let documents = files.iter().map(|f| read_document(f).unwrap()).collect();
    let (added, errors) = workspace.add_imported_all(documents);
    assert_eq!(added.len(), 2);
    assert_eq!(errors.len(), 1, "the repeated text is refused");
    assert!(errors[0].to_string().contains("c.txt"));
    assert!(workspace.undo());
    assert!(workspace.project().documents.is_empty());
    assert!(!workspace.is_dirty());
    assert!(workspace.redo());
    assert_eq!(workspace.project().documents.len(), 2);
}

#[test]
fn texts_converted_before_the_first_save_move_beside_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let staging = dir.path().join("app-data/unsaved-sources");
    let mut workspace = Workspace::new_unsaved("Fresh");
    workspace.set_unsaved_sources_dir(staging.clone());
    let file = write(dir.path(), "memo.docx", &docx(&[&["Memo text"]]));
    let (id, _) = workspace.add_document_file(&file).unwrap();
    let staged = Path::new(&workspace.project().document(id).unwrap().path).to_owned();
    assert!(staged.starts_with(&staging), "{}", staged.display());

    let project_dir = dir.path().join("study");
    std::fs::create_dir(&project_dir).unwrap();
    workspace.save_as(&project_dir.join("fresh.ron")).unwrap();
    let saved = marginalia::store::load_project(&project_dir.join("fresh.ron")).unwrap();
    assert_eq!(saved.documents[0].path, "sources/memo.txt");
    assert_eq!(saved.documents[0].origin.as_deref(), Some("../memo.docx"));
    assert_eq!(
        std::fs::read_to_string(project_dir.join("sources/memo.txt")).unwrap(),
        "Memo text\n"
    );
    let reopened = Workspace::open(&project_dir.join("fresh.ron")).unwrap();
    assert!(matches!(
        reopened.source(id),
        Some(marginalia::anchor::SourceState::Ok(_))
    ));
}

#[test]
fn pdf_words_placed_apart_are_spaced_and_kerned_letters_are_not() {
    let dir = tempfile::tempdir().unwrap();
    // Lines are spliced into `(…) Tj`, so a line can place its words with its own operators:
    // a move along the line parts two words; a small kerning inside TJ does not, a wide one does.
    let bytes = pdf(&[&[&[
        "Words) Tj 60 0 Td (apart",
        "K) Tj [(er) -20 (ned) -400 (gap)] TJ (",
    ]]]);
    let file = write(dir.path(), "placed.pdf", &bytes);
    assert_eq!(
        read_document(&file).unwrap().text,
        "Words apart Kerned gap\n"
    );
}
