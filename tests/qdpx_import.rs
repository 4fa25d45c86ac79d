//! REFI-QDA import: a Marginalia export comes back whole, and hostile or broken archives are
//! refused without leaving anything behind.

mod common;

use std::collections::BTreeSet;
use std::io::{Cursor, Write};
use std::path::Path;

use common::fixture;
use marginalia::export::{self, Format};
use marginalia::import::qdpx::{self, QdpxError};
use marginalia::model::Project;

fn exported_qdpx(dir: &Path) -> (common::Fixture, std::path::PathBuf) {
    let fixture = fixture(false);
    let bytes = export::export(Format::Qdpx, &fixture.workspace().corpus()).unwrap();
    let file = dir.join("study.qdpx");
    std::fs::write(&file, bytes).unwrap();
    (fixture, file)
}

/// Everything about a passage that must survive, with documents and tags by name:
/// (document title, start, end, quote, tag names, note, coder, created).
type PassageByName = (
    String,
    usize,
    usize,
    String,
    Vec<String>,
    String,
    String,
    String,
);

fn passages_by_name(project: &Project) -> BTreeSet<PassageByName> {
    project
        .annotations
        .iter()
        .map(|a| {
            let mut tags: Vec<String> = a
                .tags
                .iter()
                .map(|t| project.tag(*t).unwrap().name.clone())
                .collect();
            tags.sort();
            (
                project.document(a.doc).unwrap().title.clone(),
                a.start,
                a.end,
                a.quote.clone(),
                tags,
                a.note.clone(),
                a.coder.clone(),
                a.created.clone(),
            )
        })
        .collect()
}

#[test]
fn an_exported_project_imports_with_every_passage_tag_colour_and_note() {
    let dir = tempfile::tempdir().unwrap();
    let (fixture, file) = exported_qdpx(dir.path());
    let target = dir.path().join("imported");
    std::fs::create_dir(&target).unwrap();
    let project_file = target.join("again.ron");
    let saved = qdpx::import_qdpx(&file, &project_file).unwrap();
    assert!(saved.warnings.is_empty(), "{:?}", saved.warnings);

    let workspace = marginalia::Workspace::open(&project_file).unwrap();
    let imported = workspace.project();
    let original = &fixture.project;
    assert_eq!(imported.name, original.name);
    assert_eq!(imported.memo, original.memo);
    assert_eq!(passages_by_name(imported), passages_by_name(original));

    let tags = |p: &Project| -> Vec<(String, String, String, Option<String>)> {
        p.codebook
            .iter()
            .map(|t| {
                let parent = t.parent.map(|id| p.tag(id).unwrap().name.clone());
                (
                    t.name.clone(),
                    t.color.clone(),
                    t.description.clone(),
                    parent,
                )
            })
            .collect()
    };
    let mut expected_tags = tags(original);
    // Codes come back in tree order: a child right after its parent.
    let child = expected_tags.remove(4);
    expected_tags.insert(1, child);
    assert_eq!(tags(imported), expected_tags);
    let keys: Vec<&str> = imported.codebook.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, ["1", "2", "3", "4", "5", "6"]);

    for (document, text) in imported
        .documents
        .iter()
        .zip([common::FIRST_TEXT, common::SECOND_TEXT])
    {
        assert!(document.path.starts_with("sources/"), "{}", document.path);
        let file = target.join(&document.path);
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            text,
            "texts are byte-exact"
        );
        assert_eq!(
            document.sha256,
            marginalia::anchor::sha256_hex(text.as_bytes())
        );
        assert_eq!(document.chars, text.chars().count());
    }
    assert_eq!(imported.documents[0].memo, "Memo on the first document");
    assert_eq!(
        imported.documents[0].title, "Prices & “quotes”",
        "titles via title_of"
    );
    let report = marginalia::cli::check_project(&workspace);
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// The fixture with a second coder's passage on exactly the span of passage 1.
fn two_coders_on_one_span() -> common::Fixture {
    let mut fixture = fixture(false);
    let mut second = fixture.project.annotation(1).unwrap().clone();
    assert_eq!(second.coder, "alice");
    second.id = fixture.project.next_annotation_id();
    second.coder = "carol".to_owned();
    second.tags = vec![1];
    second.note = "Carol's reading".to_owned();
    fixture.project.annotations.push(Box::new(second));
    fixture.project.sort_annotations();
    fixture.project.sync_id_counters();
    fixture
}

#[test]
fn coders_travel_as_refi_qda_users_and_come_back_apart() {
    let fixture = two_coders_on_one_span();
    let qde = export::qdpx::project_qde(&fixture.workspace().corpus()).unwrap();
    let qde = String::from_utf8(qde).unwrap();
    let users = &qde[qde.find("<Users>").unwrap()..qde.find("</Users>").unwrap()];
    for coder in ["alice", "bob", "carol"] {
        assert!(users.contains(&format!("name=\"{coder}\"")), "{users}");
    }
    assert!(qde.find("<Users>") < qde.find("<CodeBook>"), "schema order");
    assert!(qde.contains("creatingUser="));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.qdpx");
    std::fs::write(
        &file,
        export::export(Format::Qdpx, &fixture.workspace().corpus()).unwrap(),
    )
    .unwrap();
    let imported = qdpx::import_qdpx(&file, &dir.path().join("team.ron")).unwrap();
    // Alice's and Carol's passages on one span stay two passages, each with its coder.
    assert_eq!(
        passages_by_name(&imported.project),
        passages_by_name(&fixture.project)
    );
    let first = fixture.project.annotation(1).unwrap();
    let on_span: Vec<&str> = imported
        .project
        .annotations
        .iter()
        .filter(|a| (a.start, a.end) == (first.start, first.end))
        .map(|a| a.coder.as_str())
        .collect();
    assert_eq!(on_span, ["alice", "carol"]);
}

#[test]
fn one_selection_coded_by_two_users_becomes_a_passage_per_coder() {
    let qde = ONE_SOURCE_QDE
        .replace(
            "<CodeBook>",
            r#"<Users><User guid="aaaaaaaa-0000-0000-0000-000000000001" name="dana"/><User guid="aaaaaaaa-0000-0000-0000-000000000002" name="eli"/></Users><CodeBook>"#,
        )
        .replace(
            r#"plainTextPath="PATH"/>"#,
            r#"plainTextPath="internal://doc.txt"><PlainTextSelection guid="44444444-4444-4444-4444-444444444444" startPosition="0" endPosition="4" creatingUser="{AAAAAAAA-0000-0000-0000-000000000001}"><Coding guid="55555555-5555-5555-5555-555555555555" creatingUser="aaaaaaaa-0000-0000-0000-000000000001"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding><Coding guid="55555555-5555-5555-5555-555555555556" creatingUser="aaaaaaaa-0000-0000-0000-000000000002"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding></PlainTextSelection></TextSource>"#,
        );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", options).unwrap();
    zip.write_all(qde.as_bytes()).unwrap();
    zip.start_file("sources/doc.txt", options).unwrap();
    zip.write_all(b"text and more").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("two-users.qdpx");
    std::fs::write(&file, zip.finish().unwrap().into_inner()).unwrap();
    let imported = qdpx::import_qdpx(&file, &dir.path().join("p.ron")).unwrap();
    let passages: Vec<(usize, usize, &str, &str)> = imported
        .project
        .annotations
        .iter()
        .map(|a| (a.start, a.end, a.quote.as_str(), a.coder.as_str()))
        .collect();
    assert_eq!(passages, [(0, 4, "text", "dana"), (0, 4, "text", "eli")]);
}

#[test]
fn a_second_import_beside_the_first_uses_its_own_sources_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (_, file) = exported_qdpx(dir.path());
    let first = qdpx::import_qdpx(&file, &dir.path().join("one.ron")).unwrap();
    let second = qdpx::import_qdpx(&file, &dir.path().join("two.ron")).unwrap();
    assert_eq!(first.sources_dir, dir.path().join("sources"));
    assert_eq!(second.sources_dir, dir.path().join("two-sources"));
    assert!(second.project.documents[0].path.starts_with("two-sources/"));
    // A third import under a used name is refused, and nothing is overwritten.
    let error = qdpx::import_qdpx(&file, &dir.path().join("two.ron")).unwrap_err();
    assert!(error.to_string().contains("exists already"), "{error}");
}

const ONE_SOURCE_QDE: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Crafted">
  <CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="c" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="33333333-3333-3333-3333-333333333333" name="doc" plainTextPath="PATH"/>
  </Sources>
</Project>
"##;

fn crafted_archive(plain_text_path: &str, entries: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", options).unwrap();
    zip.write_all(ONE_SOURCE_QDE.replace("PATH", plain_text_path).as_bytes())
        .unwrap();
    for (name, text) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Import a crafted archive into an empty folder; return the error and check that neither
/// that folder nor its parent gained anything.
fn refused(archive: Vec<u8>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("crafted.qdpx");
    std::fs::write(&file, archive).unwrap();
    let target = dir.path().join("target");
    std::fs::create_dir(&target).unwrap();
    let error: QdpxError = qdpx::import_qdpx(&file, &target.join("p.ron")).unwrap_err();
    let left_in_target: Vec<_> = std::fs::read_dir(&target).unwrap().collect();
    assert!(left_in_target.is_empty(), "left behind: {left_in_target:?}");
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        BTreeSet::from_iter(beside),
        BTreeSet::from(["crafted.qdpx".to_owned(), "target".to_owned()])
    );
    let message = error.to_string();
    assert!(
        message.contains("crafted.qdpx"),
        "the error names the file: {message}"
    );
    message
}

#[test]
fn an_entry_named_to_escape_the_folder_is_refused() {
    let archive = crafted_archive(
        "internal://doc.txt",
        &[("sources/doc.txt", "text"), ("../evil.txt", "gotcha")],
    );
    let message = refused(archive);
    assert!(
        message.contains("“../evil.txt”") && message.contains("outside"),
        "{message}"
    );

    let archive = crafted_archive(
        "internal://doc.txt",
        &[("sources/doc.txt", "text"), ("/tmp/evil.txt", "x")],
    );
    assert!(refused(archive).contains("/tmp/evil.txt"));
}

#[test]
fn a_plain_text_path_pointing_outside_is_refused() {
    let message = refused(crafted_archive(
        "internal://../../evil.txt",
        &[("sources/doc.txt", "text")],
    ));
    assert!(
        message.contains("internal://../../evil.txt") && message.contains("outside"),
        "{message}"
    );
    // A path outside the archive is read only when it names a `.txt` file: the machine's
    // other files never come into a project. The source comes in marked missing.
    let imported = qdpx::read_qdpx_bytes(
        &crafted_archive("absolute:///etc/passwd", &[]),
        Path::new("crafted.qdpx"),
    )
    .unwrap();
    assert!(imported.texts.is_empty());
    assert!(imported.report.read_from_disk.is_empty());
    assert!(
        imported.report.missing_sources[0].contains("/etc/passwd"),
        "{:?}",
        imported.report.missing_sources
    );
}

#[test]
fn missing_and_broken_parts_are_named() {
    // A missing text no longer sinks the import: the source is named in the report.
    let imported = qdpx::read_qdpx_bytes(
        &crafted_archive("internal://doc.txt", &[]),
        Path::new("crafted.qdpx"),
    )
    .unwrap();
    let missing = imported.report.missing_sources.join("\n");
    assert!(
        missing.contains("internal://doc.txt") && missing.contains("“doc”"),
        "{missing}"
    );
    assert_eq!(imported.project.documents[0].chars, 0);

    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    let message = refused(zip.finish().unwrap().into_inner());
    assert!(message.contains("no project.qde"), "{message}");

    let message = refused(b"PK but not really a zip".to_vec());
    assert!(message.contains("zip"), "{message}");

    let broken = ONE_SOURCE_QDE.replace("</Sources>", "");
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("project.qde", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(broken.as_bytes()).unwrap();
    let message = refused(zip.finish().unwrap().into_inner());
    assert!(
        message.contains("project.qde:"),
        "the error gives the line: {message}"
    );

    let unknown_code = ONE_SOURCE_QDE.replace(
        r#"plainTextPath="PATH"/>"#,
        r#"plainTextPath="internal://doc.txt"><PlainTextSelection guid="44444444-4444-4444-4444-444444444444" startPosition="0" endPosition="2"><Coding guid="55555555-5555-5555-5555-555555555555"><CodeRef targetGUID="99999999-9999-9999-9999-999999999999"/></Coding></PlainTextSelection></TextSource>"#,
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("project.qde", options).unwrap();
    zip.write_all(unknown_code.as_bytes()).unwrap();
    zip.start_file("sources/doc.txt", options).unwrap();
    zip.write_all(b"text").unwrap();
    let message = refused(zip.finish().unwrap().into_inner());
    assert!(
        message.contains("99999999-9999-9999-9999-999999999999"),
        "{message}"
    );
}

/// The fixture with its first document a focus group: two speakers (cases with a role and
/// an age), a turn each.
fn focus_group() -> common::Fixture {
    let mut fixture = fixture(false);
    let project = &mut fixture.project;
    project.attributes.push(marginalia::model::Attribute {
        id: 90,
        name: "age".to_owned(),
        kind: marginalia::model::AttributeKind::Number,
        description: String::new(),
    });
    let case = |id, name: &str, age: &str| marginalia::model::Case {
        id,
        name: name.to_owned(),
        attributes: [(90, age.to_owned())].into_iter().collect(),
        memo: format!("{name} took part in March"),
    };
    project.cases = vec![case(1, "Dana", "41"), case(2, "Eli", "29")];
    let turn = |start, end, speaker| marginalia::model::Turn {
        start,
        end,
        speaker: Some(speaker),
        time_start: Some(start as f64),
        time_end: None,
    };
    project.documents[0].turns = vec![turn(0, 12, 1), turn(20, 40, 2)];
    project.sync_id_counters();
    fixture
}

#[test]
fn cases_and_their_turns_travel_as_refi_qda_cases_and_come_back() {
    let fixture = focus_group();
    let bytes = export::export(Format::Qdpx, &fixture.workspace().corpus()).unwrap();
    let imported = qdpx::read_qdpx_bytes(&bytes, Path::new("focus.qdpx")).unwrap();
    let project = &imported.project;
    let names: Vec<&str> = project.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Dana", "Eli"]);
    let age = project
        .attributes
        .iter()
        .find(|a| a.name == "age")
        .unwrap()
        .id;
    assert_eq!(project.cases[1].attributes[&age], "29");
    assert_eq!(project.cases[0].memo, "Dana took part in March");
    let spans: Vec<(usize, usize, &str)> = project.documents[0]
        .turns
        .iter()
        .map(|t| (t.start, t.end, project.speaker_name(t)))
        .collect();
    assert_eq!(spans, [(0, 12, "Dana"), (20, 40, "Eli")]);
    assert_eq!(
        project.annotations.len(),
        fixture.project.annotations.len(),
        "the turns' selections are not passages"
    );
}

/// `xmllint` (Debian's libxml2-utils) validates the exports against the REFI-QDA schemas.
#[cfg(feature = "external-tools")]
mod schema {
    use super::*;

    const PROJECT_XSD: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/schemas/Project-mrt2019.xsd"
    );
    const CODEBOOK_XSD: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/schemas/Codebook-mrt2019.xsd"
    );

    fn xmllint(schema: &str, file: &Path) {
        let output = std::process::Command::new("xmllint")
            .args(["--noout", "--schema", schema])
            .arg(file)
            .output()
            .expect("xmllint runs (apt-get install libxml2-utils)");
        assert!(
            output.status.success(),
            "{} does not validate against {schema}:\n{}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    #[test]
    fn project_qde_validates_against_the_project_schema() {
        let fixture = fixture(false);
        let qde = export::qdpx::project_qde(&fixture.workspace().corpus()).unwrap();
        let file = fixture.dir.path().join("project.qde");
        std::fs::write(&file, qde).unwrap();
        xmllint(PROJECT_XSD, &file);
    }

    #[test]
    fn a_project_without_coders_notes_or_tags_still_validates() {
        let mut fixture = fixture(false);
        fixture.project.codebook.clear();
        fixture.project.memo.clear();
        for annotation in &mut fixture.project.annotations {
            annotation.tags.clear();
            annotation.note.clear();
            annotation.coder.clear();
            annotation.created = "not a date".to_owned();
        }
        for document in &mut fixture.project.documents {
            document.memo.clear();
        }
        let qde = export::qdpx::project_qde(&fixture.workspace().corpus()).unwrap();
        let file = fixture.dir.path().join("bare.qde");
        std::fs::write(&file, qde).unwrap();
        xmllint(PROJECT_XSD, &file);
    }

    #[test]
    fn a_team_project_with_users_validates() {
        let fixture = two_coders_on_one_span();
        let qde = export::qdpx::project_qde(&fixture.workspace().corpus()).unwrap();
        let file = fixture.dir.path().join("team.qde");
        std::fs::write(&file, qde).unwrap();
        xmllint(PROJECT_XSD, &file);
    }

    #[test]
    fn a_project_with_cases_and_turns_validates() {
        let fixture = focus_group();
        for tool in [None, Some(marginalia::qda_tools::QdaTool::NVivo)] {
            let qde = export::qdpx::project_qde_for(&fixture.workspace().corpus(), tool).unwrap();
            let file = fixture.dir.path().join("focus.qde");
            std::fs::write(&file, qde).unwrap();
            xmllint(PROJECT_XSD, &file);
        }
    }

    #[test]
    fn the_codebook_validates_against_the_codebook_schema() {
        let fixture = fixture(false);
        let qdc = export::export(Format::Qdc, &fixture.workspace().corpus()).unwrap();
        let file = fixture.dir.path().join("codebook.qdc");
        std::fs::write(&file, qdc).unwrap();
        xmllint(CODEBOOK_XSD, &file);
    }
}
