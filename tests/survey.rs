//! Open-ended survey answers imported as a script runs it (`marginalia survey`): sheets in
//! the shapes people export them, each row's answers found exactly in its respondent's
//! document under its question's tag, closed columns as typed attributes, and bad sheets
//! refused by row and column with nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marginalia::model::{AttributeKind, Project};

fn marginalia() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

fn survey(project: &Path, file: &Path, extra: &[&str]) -> Output {
    marginalia()
        .arg("survey")
        .arg(project)
        .arg(file)
        .args(extra)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn load(project: &Path) -> Project {
    marginalia::store::load_project(project).unwrap()
}

/// Each respondent's answers as (respondent, question tag, the text at the passage's span
/// of the stored document text).
fn answers(project_file: &Path) -> Vec<(String, String, String)> {
    let project = load(project_file);
    let base = project_file.parent().unwrap();
    let mut found = Vec::new();
    for passage in &project.annotations {
        let document = project.document(passage.doc).unwrap();
        let text = std::fs::read_to_string(base.join(&document.path)).unwrap();
        let at_span: String = text
            .chars()
            .skip(passage.start)
            .take(passage.end - passage.start)
            .collect();
        assert_eq!(at_span, passage.quote);
        let tag = project.tag(passage.tags[0]).unwrap();
        let parent = project.tag(tag.parent.unwrap()).unwrap();
        assert_eq!(parent.name, "Questions");
        found.push((document.title.clone(), tag.name.clone(), at_span));
    }
    found
}

fn value(project: &Project, title: &str, attribute: &str) -> Option<String> {
    let attribute = project.attribute_by_name(attribute)?.id;
    project
        .documents
        .iter()
        .find(|d| d.title == title)?
        .attributes
        .get(&attribute)
        .cloned()
}

#[test]
fn a_csv_with_semicolons_quotes_newlines_and_emoji_becomes_a_document_per_respondent() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = write(
        dir.path(),
        "staff survey.csv",
        "\u{feff}respondent;age;region;Why did you apply?;What would you change?\r\n\
         R-001;34;North;\"Pay, and the hours; mostly pay.\";\"More mentoring.\nAnd clearer boards 🙂\"\r\n\
         R-002;51;South;;\"Nothing\"\r\n\
         R-003;29;North;\"A friend \"\"recommended\"\" it\";\r\n\
         R-004;40;South;;\r\n"
            .as_bytes(),
    );
    let project_file = dir.path().join("staff.ron");
    let output = survey(
        &project_file,
        &sheet,
        &[
            "--id",
            "respondent",
            "--text",
            "Why did you apply?",
            "--text",
            "What would you change?",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("Added 3 respondent(s) with 4 answer(s)"),
        "{said}"
    );
    assert!(
        said.contains("1 respondent(s) answered no open question"),
        "{said}"
    );
    assert_eq!(
        answers(&project_file),
        [
            (
                "R-001".into(),
                "Why did you apply?".into(),
                "Pay, and the hours; mostly pay.".into()
            ),
            (
                "R-001".into(),
                "What would you change?".into(),
                "More mentoring.\nAnd clearer boards 🙂".into()
            ),
            (
                "R-002".into(),
                "What would you change?".into(),
                "Nothing".into()
            ),
            (
                "R-003".into(),
                "Why did you apply?".into(),
                "A friend \"recommended\" it".into()
            ),
        ]
    );
    let project = load(&project_file);
    assert_eq!(
        project.attribute_by_name("age").unwrap().kind,
        AttributeKind::Number
    );
    assert_eq!(value(&project, "R-002", "region").as_deref(), Some("South"));
    assert_eq!(value(&project, "R-003", "age").as_deref(), Some("29"));

    // The same sheet again: every respondent is in the project already; nothing changes.
    let before = std::fs::read(&project_file).unwrap();
    let again = survey(&project_file, &sheet, &["--text", "Why did you apply?"]);
    assert_eq!(again.status.code(), Some(2));
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("staff survey.csv:2: column “respondent”: respondent “R-001” is already a document of the project"),
        "{said}"
    );
    assert_eq!(std::fs::read(&project_file).unwrap(), before);
}

#[test]
fn a_workbook_with_dates_and_numbers_gives_typed_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Wave 2").unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (column, name) in ["ID", "interviewed", "years of service", "Comments"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    let rows = [
        (
            101.0,
            (2024, 3, 5),
            12.5,
            "The training was rushed and too short",
        ),
        (
            102.0,
            (2024, 3, 6),
            3.0,
            "Good support from my sergeant, fair boards",
        ),
    ];
    for (index, (id, (y, m, d), years, comment)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_number(row, 0, *id).unwrap();
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
        sheet
            .write_datetime_with_format(row, 1, &day, &date)
            .unwrap();
        sheet.write_number(row, 2, *years).unwrap();
        sheet.write_string(row, 3, *comment).unwrap();
    }
    let file = dir.path().join("wave2.xlsx");
    workbook.save(&file).unwrap();

    let project_file = dir.path().join("waves.ron");
    let output = survey(&project_file, &file, &["--sheet", "Wave 2"]);
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("respondents named by “ID”; open answers in “Comments”"),
        "the columns proposed are said: {said}"
    );
    let project = load(&project_file);
    assert_eq!(
        project.attribute_by_name("interviewed").unwrap().kind,
        AttributeKind::Date
    );
    assert_eq!(
        value(&project, "101", "interviewed").as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(
        value(&project, "101", "years of service").as_deref(),
        Some("12.5")
    );
    assert_eq!(
        answers(&project_file),
        [
            (
                "101".into(),
                "Comments".into(),
                "The training was rushed and too short".into()
            ),
            (
                "102".into(),
                "Comments".into(),
                "Good support from my sergeant, fair boards".into()
            ),
        ]
    );
    let missing = survey(&project_file, &file, &["--sheet", "Wave 3"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("has no sheet \"Wave 3\"; its sheets are Wave 2")
    );
}

#[test]
fn duplicate_ids_and_unknown_columns_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = write(
        dir.path(),
        "answers.csv",
        b"id,answer\nA,first answer here\nB,second answer here\nA,third answer here\n",
    );
    let project_file = dir.path().join("new.ron");
    let output = survey(&project_file, &sheet, &["--id", "id", "--text", "answer"]);
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("answers.csv:4: column “id”: respondent “A” is on row 2 too"),
        "{said}"
    );
    assert!(!project_file.exists(), "no project is made");
    assert!(!dir.path().join("sources").exists(), "no text is written");

    let output = survey(
        &project_file,
        &sheet,
        &["--id", "respondent", "--text", "answer"],
    );
    assert_eq!(output.status.code(), Some(2));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("no column is named “respondent”; the columns are “id”, “answer”"),
        "{said}"
    );
    assert!(!project_file.exists());
}

/// An OpenDocument spreadsheet as LibreOffice Calc saves one: a date cell with its ISO value
/// beside the shown text, an answer of two paragraphs, runs of spaces as `text:s`, empty
/// cells and the rest of the sheet as repeated empty rows and columns.
fn libreoffice_sheet(dir: &Path) -> PathBuf {
    use std::io::Write;
    let cell = |text: &str| {
        format!(
            r#"<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
        )
    };
    let date = |iso: &str, shown: &str| {
        format!(
            r#"<table:table-cell office:value-type="date" office:date-value="{iso}" calcext:value-type="date"><text:p>{shown}</text:p></table:table-cell>"#
        )
    };
    let rows = [
        [cell("Respondent"), cell("Region"), cell("Returned"), cell("What worries you?")].concat(),
        [
            cell("S-01"),
            cell("Wales"),
            date("2025-11-02", "02/11/25"),
            r#"<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Being seen as a token hire.</text:p><text:p>And the overtime 😟</text:p></table:table-cell>"#.to_owned(),
        ]
        .concat(),
        [
            cell("S-02"),
            "<table:table-cell/>".to_owned(),
            date("2025-11-03", "03/11/25"),
            cell(r#"Nothing, <text:s text:c="2"/>really"#),
        ]
        .concat(),
    ];
    let body: String = rows
        .iter()
        .map(|cells| {
            format!(
                r#"<table:table-row table:style-name="ro1">{cells}<table:table-cell table:number-columns-repeated="1020"/></table:table-row>"#
            )
        })
        .collect();
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Responses"><table:table-column table:number-columns-repeated="1024"/>{body}<table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let file = dir.join("responses.ods");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
    file
}

#[test]
fn a_libreoffice_sheet_gives_its_answers_dates_and_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let file = libreoffice_sheet(dir.path());
    let project_file = dir.path().join("calc.ron");
    let output = survey(&project_file, &file, &["--text", "What worries you?"]);
    assert!(output.status.success(), "{output:?}");
    let project = load(&project_file);
    assert_eq!(
        project.documents.len(),
        2,
        "the repeated empty rows add no one"
    );
    assert_eq!(
        project.attribute_by_name("Returned").unwrap().kind,
        AttributeKind::Date
    );
    assert_eq!(
        value(&project, "S-01", "Returned").as_deref(),
        Some("2025-11-02")
    );
    assert_eq!(
        value(&project, "S-02", "Region"),
        None,
        "an empty cell is no value"
    );
    assert_eq!(
        answers(&project_file),
        [
            (
                "S-01".into(),
                "What worries you?".into(),
                "Being seen as a token hire.\nAnd the overtime 😟".into()
            ),
            (
                "S-02".into(),
                "What worries you?".into(),
                "Nothing,   really".into()
            ),
        ]
    );
}
