//! `marginalia export` and `marginalia import`, run as a script would run them.

mod common;

use std::process::{Command, Output};

use common::fixture;

fn marginalia(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn csv_goes_to_stdout_and_parses() {
    let fixture = fixture(false);
    let project_file = fixture.save();
    let before = std::fs::read(&project_file).unwrap();
    let output = marginalia(&[
        "export".as_ref(),
        project_file.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    assert_eq!(&reader.headers().unwrap()[6], "quote");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Six passages; two carry two tags each.
    assert_eq!(rows.len(), 8);
    for row in &rows {
        let text = fixture.text_of_title(&row[0]).unwrap();
        let (start, end) = (row[4].parse().unwrap(), row[5].parse().unwrap());
        assert_eq!(common::slice_chars(text, start, end), &row[6]);
    }
    assert_eq!(
        std::fs::read(&project_file).unwrap(),
        before,
        "an export never changes the project"
    );
}

#[test]
fn binary_formats_need_an_output_file_and_say_so() {
    let fixture = fixture(false);
    let project_file = fixture.save();
    for format in ["qdpx", "xlsx"] {
        let output = marginalia(&[
            "export".as_ref(),
            project_file.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ]);
        assert_eq!(output.status.code(), Some(2), "{format}");
        assert!(
            output.stdout.is_empty(),
            "nothing binary reaches the terminal"
        );
        let message = stderr(&output);
        assert!(
            message.contains("binary") && message.contains(&format!("-o FILE.{format}")),
            "{message}"
        );
    }

    let out = fixture.dir.path().join("study.qdpx");
    let output = marginalia(&[
        "export".as_ref(),
        project_file.as_os_str(),
        "-f".as_ref(),
        "qdpx".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    assert!(archive.file_names().any(|n| n == "project.qde"));
}

#[test]
fn an_unreadable_project_reports_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "Project(\n    format: 1,\n    name: \"x\" oops\n").unwrap();
    let output = marginalia(&[
        "export".as_ref(),
        broken.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("{}:3:", broken.display())),
        "{message}"
    );

    let fixture = fixture(false);
    let project_file = fixture.save();
    let output = marginalia(&[
        "export".as_ref(),
        project_file.as_os_str(),
        "--format".as_ref(),
        "docx".as_ref(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("csv, xlsx, matrix-csv, matrix-xlsx, md, html, w3c, qdpx, qdc"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_text_warns_for_reports_and_fails_qdpx() {
    let fixture = fixture(true);
    let project_file = fixture.save();
    let output = marginalia(&[
        "export".as_ref(),
        project_file.as_os_str(),
        "--format".as_ref(),
        "md".as_ref(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("warning: “Gone document”"),
        "{}",
        stderr(&output)
    );
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("stored quote")
    );

    let out = fixture.dir.path().join("study.qdpx");
    let output = marginalia(&[
        "export".as_ref(),
        project_file.as_os_str(),
        "--format".as_ref(),
        "qdpx".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("Gone document"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "a failed export writes nothing");
}

#[test]
fn import_writes_a_project_that_checks_clean() {
    let fixture = fixture(false);
    let project_file = fixture.save();
    let archive = fixture.dir.path().join("study.qdpx");
    let output = marginalia(&[
        "export".as_ref(),
        project_file.as_os_str(),
        "--format".as_ref(),
        "qdpx".as_ref(),
        "-o".as_ref(),
        archive.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let target = tempfile::tempdir().unwrap();
    let imported = target.path().join("imported.ron");
    let output = marginalia(&[
        "import".as_ref(),
        archive.as_os_str(),
        "-o".as_ref(),
        imported.as_os_str(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("6 passages"),
        "{}",
        stderr(&output)
    );
    let output = marginalia(&["check".as_ref(), imported.as_os_str()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );

    let output = marginalia(&[
        "import".as_ref(),
        project_file.as_os_str(),
        "-o".as_ref(),
        target.path().join("x.ron").as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(2), "a .ron is not a .qdpx");
    assert!(stderr(&output).contains("zip"), "{}", stderr(&output));
}

#[test]
fn documents_restricts_every_export_to_the_documents_that_pass() {
    let fixture = fixture(false);
    let project_file = fixture.save();
    let project = marginalia::store::load_project(&project_file).unwrap();
    let first = &project.documents[0];
    let second = &project.documents[1];
    let export = |format: &str, filter: &str| {
        marginalia(&[
            "export".as_ref(),
            project_file.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
            "--documents".as_ref(),
            filter.as_ref(),
        ])
    };

    // CSV: only the first document's rows, one per tag of each of its passages.
    let output = export("csv", &format!("document={}", first.id));
    assert!(output.status.success(), "{}", stderr(&output));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected: usize = project
        .annotations
        .iter()
        .filter(|a| a.doc == first.id)
        .map(|a| a.tags.len().max(1))
        .sum();
    assert!(expected > 0);
    assert_eq!(rows.len(), expected);
    assert!(rows.iter().all(|row| &row[0] == first.title.as_str()));

    // The HTML report: the second document alone, its figures counted over it alone.
    let output = export("html", &format!("document!={}", first.id));
    assert!(output.status.success(), "{}", stderr(&output));
    let html = String::from_utf8(output.stdout).unwrap();
    let passages = project
        .annotations
        .iter()
        .filter(|a| a.doc == second.id)
        .count();
    assert!(
        html.contains(&format!("{passages} passage")) && html.contains("in 1 document,"),
        "{}",
        &html[..html.find("</header>").unwrap()]
    );
    assert!(!html.contains(&marginalia::export::html::escape(&first.title)));
    let length = second.chars;
    assert!(
        html.contains(&format!("({length} in all)")),
        "characters of the second only"
    );

    // A filter that does not read: exit 2, the file and the option named, nothing written.
    let output = export("md", "outlet=Telegraph");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(&project_file.display().to_string()),
        "{message}"
    );
    assert!(message.contains("--documents: "), "{message}");
    assert!(
        message.contains("no attribute is named \"outlet\""),
        "{message}"
    );
    assert!(output.stdout.is_empty());
}
