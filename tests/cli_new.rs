//! `marginalia new PROJECT.ron FILE…`, run as a script would run it.

mod documents;

use std::process::Command;

use documents::{docx, pdf, snapshot, utf16, write};

fn marginalia() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

#[test]
fn a_project_is_created_from_documents_of_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(dir.path(), "plain.txt", "Plain text – UTF-8\n".as_bytes()),
        write(dir.path(), "wide.txt", &utf16("Wide text\r\n", true)),
        write(dir.path(), "old.md", b"Caf\xe9 notes\n"),
        write(
            dir.path(),
            "page.html",
            b"<p>Web <b>page</b></p><script>x()</script>",
        ),
        write(
            dir.path(),
            "letter.docx",
            &docx(&[&["Dear all,"], &["Thanks."]]),
        ),
        write(dir.path(), "paper.pdf", &pdf(&[&[&["Paper text"]]])),
    ];
    let project = dir.path().join("study.ron");
    let output = marginalia()
        .arg("new")
        .arg(&project)
        .args(&files)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: ") && stderr.contains("old.md"),
        "{stderr}"
    );
    assert!(stderr.contains("Created"), "{stderr}");

    let saved = marginalia::store::load_project(&project).unwrap();
    assert_eq!(saved.name, "study");
    let paths: Vec<&str> = saved.documents.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "plain.txt",
            "sources/wide.txt",
            "sources/old.txt",
            "sources/page.txt",
            "sources/letter.txt",
            "sources/paper.txt"
        ]
    );
    assert_eq!(saved.documents[4].origin.as_deref(), Some("letter.docx"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sources/letter.txt")).unwrap(),
        "Dear all,\n\nThanks.\n"
    );
    // The new project checks clean: every text matches its fingerprint.
    let check = marginalia().arg("check").arg(&project).output().unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn an_existing_project_file_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let project = write(dir.path(), "study.ron", b"my precious work");
    let file = write(dir.path(), "a.txt", b"text\n");
    let output = marginalia()
        .arg("new")
        .arg(&project)
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("exists already"));
    assert_eq!(std::fs::read(&project).unwrap(), b"my precious work");
}

#[test]
fn a_bad_or_repeated_document_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.docx", &docx(&[&["Good"]]));
    let again = write(dir.path(), "again.html", b"<p>Good</p>");
    let scan = write(dir.path(), "scan.pdf", &pdf(&[&[]]));
    let before = snapshot(dir.path());
    let output = marginalia()
        .arg("new")
        .arg(dir.path().join("study.ron"))
        .args([&good, &again, &scan])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("again.html: the same text as"), "{stderr}");
    assert!(
        stderr.contains("scan.pdf: ") && stderr.contains("no text layer"),
        "{stderr}"
    );
    assert_eq!(snapshot(dir.path()), before, "nothing was written");
}
