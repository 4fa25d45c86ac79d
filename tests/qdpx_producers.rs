//! REFI-QDA archives in the shapes NVivo, QualCoder, ATLAS.ti and MAXQDA really write them
//! (their quirks as listed in `src/qda_tools.rs`), each imported and checked: every coding
//! must cover the words its producer coded, whatever unit its positions count in.
//!
//! The positions in these fixtures are computed here from the producer's rule with the
//! standard library (`encode_utf16`, counting CR LF once), not with the importer's own code.

use std::io::{Cursor, Write};
use std::path::Path;

use marginalia::import::qdpx::{self, ImportedQdpx};
use marginalia::model::Project;

const NS: &str = r#"xmlns="urn:QDA-XML:project:1.0""#;

fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// Where `needle` is in `text`, counted three ways: code points, UTF-16 units, and code
/// points with each CR LF as one.
struct Counted {
    code_points: (usize, usize),
    utf16: (usize, usize),
    crlf_as_one: (usize, usize),
}

fn count(text: &str, needle: &str) -> Counted {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"));
    let end = byte + needle.len();
    let code_points = |b: usize| text[..b].chars().count();
    let utf16 = |b: usize| text[..b].encode_utf16().count();
    let crlf_as_one = |b: usize| text[..b].chars().count() - text[..b].matches("\r\n").count();
    Counted {
        code_points: (code_points(byte), code_points(end)),
        utf16: (utf16(byte), utf16(end)),
        crlf_as_one: (crlf_as_one(byte), crlf_as_one(end)),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
        .replace('\r', "&#13;")
        .replace('\n', "&#10;")
}

fn selection(
    guid: u32,
    (start, end): (usize, usize),
    name: &str,
    code: &str,
    extra: &str,
) -> String {
    format!(
        r#"<PlainTextSelection guid="{guid:08x}-0000-0000-0000-000000000000" name="{}" startPosition="{start}" endPosition="{end}">{extra}<Coding guid="{guid:08x}-1111-0000-0000-000000000000"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>"#,
        escape(name)
    )
}

const CODE_A: &str = "aaaaaaaa-0000-0000-0000-000000000001";
const CODE_B: &str = "aaaaaaaa-0000-0000-0000-000000000002";

fn codebook() -> String {
    format!(
        r##"<CodeBook><Codes><Code guid="{CODE_A}" name="pay" isCodable="true" color="#1f77b4"/><Code guid="{CODE_B}" name="board" isCodable="true" color="#ff7f0e"/></Codes></CodeBook>"##
    )
}

fn import(bytes: &[u8], name: &str) -> ImportedQdpx {
    qdpx::read_qdpx_bytes(bytes, Path::new(name)).unwrap_or_else(|e| panic!("{e}"))
}

/// The quote of every passage, by document title, sorted.
fn quotes(project: &Project) -> Vec<(String, String)> {
    let mut quotes: Vec<(String, String)> = project
        .annotations
        .iter()
        .map(|a| {
            (
                project.document(a.doc).unwrap().title.clone(),
                a.quote.clone(),
            )
        })
        .collect();
    quotes.sort();
    quotes
}

/// Every passage's quote is the text at its span of the imported text.
fn assert_on_their_text(imported: &ImportedQdpx) {
    for annotation in &imported.project.annotations {
        let (_, text) = imported
            .texts
            .iter()
            .find(|(id, _)| *id == annotation.doc)
            .expect("the document's text");
        let at_span: String = text
            .chars()
            .skip(annotation.start)
            .take(annotation.end - annotation.start)
            .collect();
        assert_eq!(at_span, annotation.quote, "passage {}", annotation.id);
    }
}

const NVIVO_TEXT: &str = "Board minutes 🙂 2017\r\nThe board said “fair pay” matters 👍🏽.\r\nPay rose by £5 – a “fair” rise…\r\n";

#[test]
fn nvivo_for_windows_utf16_positions_past_emoji_a_bom_and_crlf() {
    let text = NVIVO_TEXT;
    let fair_pay = count(text, "“fair pay” matters");
    let rise = count(text, "Pay rose by £5");
    // The emoji shift UTF-16 positions away from code points: the fixture would prove
    // nothing if they did not.
    assert_ne!(fair_pay.utf16, fair_pay.code_points);
    let qde = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><Project {NS} name="Board study" origin="NVivo 15.1.0.1234">{}<Sources><TextSource guid="bbbbbbbb-0000-0000-0000-000000000001" name="Board minutes 2017" plainTextPath="internal://bbbbbbbb-0000-0000-0000-000000000001.txt">{}{}</TextSource></Sources></Project>"#,
        codebook(),
        selection(1, fair_pay.utf16, "", CODE_A, ""),
        selection(2, rise.utf16, "", CODE_B, ""),
    );
    let bytes = archive(&[
        ("project.qde", qde.as_bytes()),
        (
            "Sources/bbbbbbbb-0000-0000-0000-000000000001.txt",
            &with_bom(text),
        ),
    ]);
    let imported = import(&bytes, "nvivo.qdpx");
    assert_eq!(
        quotes(&imported.project),
        vec![
            ("Board minutes 2017".to_owned(), "Pay rose by £5".to_owned()),
            (
                "Board minutes 2017".to_owned(),
                "“fair pay” matters".to_owned()
            ),
        ]
    );
    // The byte-order mark is not character 0; CR LF stays as the file has it.
    assert_eq!(imported.texts[0].1, text);
    assert_on_their_text(&imported);
    let report = &imported.report;
    assert_eq!(
        (report.as_written, report.repaired, report.unplaced),
        (2, 0, 0)
    );
    assert!(
        report.summary()[0].contains("UTF-16"),
        "{:?}",
        report.summary()
    );
}

#[test]
fn nvivo_for_mac_lf_without_a_bom_also_counts_utf16() {
    let text = NVIVO_TEXT.replace("\r\n", "\n");
    let rise = count(&text, "a “fair” rise");
    let qde = format!(
        r#"<Project {NS} name="Mac" origin="NVivo 12 (Mac)">{}<Sources><TextSource guid="bbbbbbbb-0000-0000-0000-000000000002" name="Minutes"><PlainTextContent>{}</PlainTextContent>{}</TextSource></Sources></Project>"#,
        codebook(),
        escape(&text),
        selection(1, rise.utf16, "", CODE_A, ""),
    );
    let imported = import(&archive(&[("project.qde", qde.as_bytes())]), "mac.qdpx");
    assert_eq!(imported.project.annotations[0].quote, "a “fair” rise");
}

#[test]
fn qualcoder_bom_not_counted_name_checked_memo_from_description_and_its_utf16_bug_repaired() {
    let text = "Interview 3 👩‍⚕️\nQ: How was the training?\nA: Useful, “very useful” in fact.\n";
    let training = count(text, "How was the training?");
    let useful = count(text, "“very useful”");
    let qde = format!(
        r#"<Project {NS} name="QC" origin="QualCoder 3.6"><Users><User guid="cccccccc-0000-0000-0000-000000000001" name="amina"/></Users>{}<Sources><TextSource guid="cccccccc-0000-0000-0000-000000000002" name="interview3.txt" plainTextPath="internal://cccccccc-0000-0000-0000-000000000002.txt">{}{}</TextSource></Sources></Project>"#,
        codebook(),
        selection(
            1,
            training.code_points,
            "How was the training?",
            CODE_A,
            "<Description>asked first</Description>"
        ),
        // Coded in QualCoder's window after an emoji: stored in UTF-16 units (its bug).
        selection(2, useful.utf16, "“very useful”", CODE_B, ""),
    );
    let bytes = archive(&[
        ("project.qde", qde.as_bytes()),
        (
            "sources/cccccccc-0000-0000-0000-000000000002.txt",
            &with_bom(text),
        ),
    ]);
    let imported = import(&bytes, "qualcoder.qdpx");
    let project = &imported.project;
    assert_eq!(project.documents[0].title, "interview3.txt");
    let by_quote = |quote: &str| {
        project
            .annotations
            .iter()
            .find(|a| a.quote == quote)
            .unwrap_or_else(|| panic!("no passage on {quote:?}: {:?}", quotes(project)))
    };
    assert_eq!(by_quote("How was the training?").note, "asked first");
    by_quote("“very useful”");
    assert_on_their_text(&imported);
    let report = &imported.report;
    assert_eq!(
        (
            report.as_written,
            report.checked,
            report.repaired,
            report.unplaced
        ),
        (1, 1, 1, 0)
    );
}

#[test]
fn atlas_ti_relative_paths_crlf_as_one_shortened_quotes_and_attribute_sets() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Focus group 1\r\nMODERATOR: What about promotion?\r\nP2: Promotion is slow for us, very slow indeed.\r\n";
    let promotion = count(text, "Promotion is slow for us, very slow indeed.");
    let question = count(text, "What about promotion?");
    assert_ne!(promotion.crlf_as_one, promotion.code_points);
    // The media folder ATLAS.ti names by basePath does not exist here; the file lies beside
    // the archive, where a person who received both would keep it.
    std::fs::write(dir.path().join("focus group 1.txt"), text).unwrap();
    let second = "Focus group 2\r\nP5: Nothing to add.\r\n";
    let nothing = count(second, "Nothing to add.");
    std::fs::write(dir.path().join("fg2.txt"), second).unwrap();
    let qde = format!(
        r#"<Project {NS} name="Trial" origin="ATLAS.ti 26.0.1" basePath="absolute://C:/Users/Zoë/Documents/ATLAS.ti/media">{}<Sources><TextSource guid="DDDDDDDD-0000-0000-0000-000000000001" name="Focus group 1" plainTextPath="relative://focus group 1.txt">{}{}</TextSource><TextSource guid="DDDDDDDD-0000-0000-0000-000000000002" name="Focus group 2" plainTextPath="relative://fg2.txt">{}</TextSource></Sources><Sets><Set guid="EEEEEEEE-0000-0000-0000-000000000001" name="site: Leeds"><MemberSource targetGUID="DDDDDDDD-0000-0000-0000-000000000001"/></Set><Set guid="EEEEEEEE-0000-0000-0000-000000000002" name="site: York"><MemberSource targetGUID="dddddddd-0000-0000-0000-000000000002"/></Set><Set guid="EEEEEEEE-0000-0000-0000-000000000003" name="Pilot"><MemberSource targetGUID="DDDDDDDD-0000-0000-0000-000000000002"/></Set></Sets></Project>"#,
        codebook(),
        selection(
            1,
            promotion.crlf_as_one,
            "Promotion is slow for us, very…",
            CODE_A,
            ""
        ),
        selection(2, question.crlf_as_one, "What about promotion?", CODE_B, ""),
        selection(3, nothing.crlf_as_one, "Nothing to add.", CODE_B, ""),
    );
    // ATLAS.ti 26 names the XML after the project.
    let bytes = archive(&[("Trial.qde", qde.as_bytes())]);
    let file = dir.path().join("Trial.qdpx");
    std::fs::write(&file, &bytes).unwrap();
    let imported = qdpx::read_qdpx(&file).unwrap();
    assert_eq!(
        quotes(&imported.project),
        vec![
            (
                "Focus group 1".to_owned(),
                "Promotion is slow for us, very slow indeed.".to_owned()
            ),
            (
                "Focus group 1".to_owned(),
                "What about promotion?".to_owned()
            ),
            ("Focus group 2".to_owned(), "Nothing to add.".to_owned()),
        ]
    );
    assert_on_their_text(&imported);
    assert_eq!(imported.report.read_from_disk.len(), 2);
    assert_eq!(imported.report.checked, 3);

    let project = &imported.project;
    let attribute = |name: &str| project.attributes.iter().find(|a| a.name == name).unwrap();
    let value = |doc: usize, name: &str| {
        project.documents[doc]
            .attributes
            .get(&attribute(name).id)
            .cloned()
    };
    assert_eq!(value(0, "site").as_deref(), Some("Leeds"));
    assert_eq!(value(1, "site").as_deref(), Some("York"));
    assert_eq!(value(0, "Pilot").as_deref(), Some("no"));
    assert_eq!(value(1, "Pilot").as_deref(), Some("yes"));
}

#[test]
fn maxqda_document_groups_typed_variables_cases_and_lowercase_colours() {
    let text = "Respondent 12 said the course helped.\n";
    let helped = count(text, "the course helped");
    let qde = format!(
        r##"<Project {NS} name="Survey" origin="MAXQDA 24 (Release 24.4.0)">{}<Variables><Variable guid="f0000000-0000-0000-0000-000000000001" name="age" typeOfVariable="Integer"/><Variable guid="f0000000-0000-0000-0000-000000000002" name="interviewed" typeOfVariable="Date"/><Variable guid="f0000000-0000-0000-0000-000000000003" name="consent" typeOfVariable="Boolean"/><Variable guid="f0000000-0000-0000-0000-000000000004" name="role" typeOfVariable="Text"/></Variables><Cases><Case guid="f1000000-0000-0000-0000-000000000001" name="Officer K"><VariableValue><VariableRef targetGUID="f0000000-0000-0000-0000-000000000004"/><TextValue>sergeant</TextValue></VariableValue><SourceRef targetGUID="f2000000-0000-0000-0000-000000000001"/></Case></Cases><Sources><TextSource guid="f2000000-0000-0000-0000-000000000001" name="R12"><PlainTextContent>{}</PlainTextContent>{}<VariableValue><VariableRef targetGUID="f0000000-0000-0000-0000-000000000001"/><IntegerValue>34</IntegerValue></VariableValue><VariableValue><VariableRef targetGUID="f0000000-0000-0000-0000-000000000002"/><DateValue>2024-03-05</DateValue></VariableValue><VariableValue><VariableRef targetGUID="f0000000-0000-0000-0000-000000000003"/><BooleanValue>true</BooleanValue></VariableValue></TextSource><TextSource guid="f2000000-0000-0000-0000-000000000002" name="R13"><PlainTextContent>Nothing.</PlainTextContent></TextSource></Sources><Sets><Set guid="f3000000-0000-0000-0000-000000000001" name="Wave 1"><MemberSource targetGUID="f2000000-0000-0000-0000-000000000002"/></Set></Sets></Project>"##,
        codebook(),
        escape(text),
        selection(1, helped.code_points, "", CODE_A, ""),
    );
    let imported = import(&archive(&[("project.qde", qde.as_bytes())]), "maxqda.qdpx");
    let project = &imported.project;
    assert_eq!(project.codebook[0].color, "#1F77B4");
    assert_eq!(project.annotations[0].quote, "the course helped");
    let kind = |name: &str| {
        project
            .attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.kind.name())
    };
    assert_eq!(kind("age"), Some("number"));
    assert_eq!(kind("interviewed"), Some("date"));
    assert_eq!(kind("consent"), Some("choice"));
    assert_eq!(kind("Wave 1"), Some("choice"));
    let values = |doc: usize| -> Vec<(String, String)> {
        let mut values: Vec<(String, String)> = project.documents[doc]
            .attributes
            .iter()
            .map(|(id, v)| {
                (
                    project
                        .attributes
                        .iter()
                        .find(|a| a.id == *id)
                        .unwrap()
                        .name
                        .clone(),
                    v.clone(),
                )
            })
            .collect();
        values.sort();
        values
    };
    let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    assert_eq!(
        values(0),
        pairs(&[
            ("Wave 1", "no"),
            ("age", "34"),
            ("case", "Officer K"),
            ("consent", "yes"),
            ("interviewed", "2024-03-05"),
            ("role", "sergeant"),
        ])
    );
    assert_eq!(values(1), pairs(&[("Wave 1", "yes")]));
    // Every value fits its attribute's kind: the project would refuse to load otherwise.
    for document in &project.documents {
        for (id, value) in &document.attributes {
            let attribute = project.attributes.iter().find(|a| a.id == *id).unwrap();
            attribute.kind.check(value).unwrap();
        }
    }
}

#[test]
fn a_bare_file_name_a_missing_text_and_a_label_do_not_sink_the_import() {
    let text = "Board 2017: pay rose.\n";
    let rose = count(text, "pay rose");
    let qde = format!(
        r#"<Project {NS} name="Mixed" origin="QualCoder 3.6">{}<Sources><TextSource guid="a1000000-0000-0000-0000-000000000001" name="Board 2017" plainTextPath="board_2017.txt">{}</TextSource><TextSource guid="a1000000-0000-0000-0000-000000000002" name="Board 2018" plainTextPath="internal://board_2018.txt">{}{}</TextSource></Sources><Notes><Note guid="a2000000-0000-0000-0000-000000000001" name="memo"><PlainTextContent>A project memo</PlainTextContent></Note></Notes><NoteRef targetGUID="a2000000-0000-0000-0000-000000000001"/></Project>"#,
        codebook(),
        selection(1, rose.code_points, "pay rose", CODE_A, ""),
        selection(2, (3, 9), "the words it coded", CODE_A, ""),
        selection(3, (0, 4), "", CODE_B, ""),
    );
    let bytes = archive(&[
        ("project.qde", qde.as_bytes()),
        ("sources/board_2017.txt", text.as_bytes()),
    ]);
    let imported = import(&bytes, "mixed.qdpx");
    let project = &imported.project;
    assert_eq!(project.codebook.len(), 2);
    assert_eq!(project.memo, "A project memo");
    assert_eq!(project.documents.len(), 2);
    assert_eq!(
        imported.texts.len(),
        1,
        "only the text that is there is written"
    );
    let missing = &project.documents[1];
    assert_eq!((missing.title.as_str(), missing.chars), ("Board 2018", 0));
    // Its coding that carries its own words is kept, to be found once the text is in place;
    // the one without words cannot be, and is listed.
    let kept: Vec<&str> = project
        .annotations
        .iter()
        .filter(|a| a.doc == missing.id)
        .map(|a| a.quote.as_str())
        .collect();
    assert_eq!(kept, vec!["the words it coded"]);
    let report = &imported.report;
    assert_eq!(report.missing_sources.len(), 1);
    assert!(report.missing_sources[0].contains("Board 2018"));
    assert_eq!((report.unplaced, report.skipped), (1, 1));
    assert_eq!(project.annotations.iter().filter(|a| a.doc == 1).count(), 1);
}

#[test]
fn a_missing_text_is_reported_by_check_and_comes_back_with_check_fix() {
    let dir = tempfile::tempdir().unwrap();
    let qde = format!(
        r#"<Project {NS} name="Later" origin="QualCoder 3.6">{}<Sources><TextSource guid="a1000000-0000-0000-0000-000000000009" name="Late" plainTextPath="internal://late.txt">{}</TextSource></Sources></Project>"#,
        codebook(),
        selection(1, (4, 9), "quick", CODE_A, ""),
    );
    let file = dir.path().join("later.qdpx");
    std::fs::write(&file, archive(&[("project.qde", qde.as_bytes())])).unwrap();
    let project_file = dir.path().join("later.ron");
    let saved = qdpx::import_qdpx(&file, &project_file).unwrap();
    let document = &saved.project.documents[0];
    let expected_file = dir.path().join(&document.path);
    assert!(!expected_file.exists());

    let check = |fix: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"));
        command.arg("check");
        if fix {
            command.arg("--fix");
        }
        let output = command.arg(&project_file).output().unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), said)
    };
    let (ok, said) = check(false);
    assert!(!ok && said.contains("Late"), "{said}");

    // The person puts the text where the summary says, and `check --fix` places the coding.
    std::fs::write(&expected_file, "The quick brown fox\n").unwrap();
    let (ok, said) = check(true);
    assert!(ok, "{said}");
    let workspace = marginalia::Workspace::open(&project_file).unwrap();
    let annotation = &workspace.project().annotations[0];
    assert_eq!((annotation.start, annotation.end), (4, 9));
    assert_eq!(annotation.quote, "quick");
    let (ok, said) = check(false);
    assert!(ok, "{said}");
}

#[test]
fn pdf_representations_and_transcripts_come_in_as_text_and_media_are_counted() {
    let pdf_text = "Annual report\nStaff numbers rose by 4%.\n";
    let rose = count(pdf_text, "Staff numbers rose by 4%");
    let transcript = "Speaker 1: We started in May.\nSpeaker 2: Late May.\n";
    let may = count(transcript, "We started in May.");
    let qde = format!(
        r#"<Project {NS} name="Media" origin="NVivo 15">{}<Sources><PDFSource guid="b1000000-0000-0000-0000-000000000001" name="Annual report.pdf" path="internal://report.pdf"><PDFSelection guid="b1000000-0000-0000-0000-000000000009" page="0" firstX="1" firstY="1" secondX="5" secondY="5"/><Representation guid="b1000000-0000-0000-0000-000000000002" name="Annual report"><PlainTextContent>{}</PlainTextContent>{}</Representation></PDFSource><AudioSource guid="b2000000-0000-0000-0000-000000000001" name="Interview audio" path="internal://a.m4a"><Transcript guid="b2000000-0000-0000-0000-000000000002"><PlainTextContent>{}</PlainTextContent><SyncPoint guid="b2000000-0000-0000-0000-000000000003" timeStamp="0" position="{}"/><SyncPoint guid="b2000000-0000-0000-0000-000000000004" timeStamp="5000" position="{}"/><TranscriptSelection guid="b2000000-0000-0000-0000-000000000005" fromSyncPoint="b2000000-0000-0000-0000-000000000003" toSyncPoint="b2000000-0000-0000-0000-000000000004"><Coding guid="b2000000-0000-0000-0000-000000000006"><CodeRef targetGUID="{CODE_B}"/></Coding></TranscriptSelection></Transcript><AudioSelection guid="b2000000-0000-0000-0000-000000000007" begin="0" end="10"/></AudioSource><PictureSource guid="b3000000-0000-0000-0000-000000000001" name="Photo" path="internal://p.jpg"/></Sources></Project>"#,
        codebook(),
        escape(pdf_text),
        selection(1, rose.utf16, "", CODE_A, ""),
        escape(transcript),
        may.utf16.0,
        may.utf16.1,
    );
    let imported = import(&archive(&[("project.qde", qde.as_bytes())]), "media.qdpx");
    assert_eq!(
        quotes(&imported.project),
        vec![
            (
                "Annual report.pdf".to_owned(),
                "Staff numbers rose by 4%".to_owned()
            ),
            (
                "Interview audio (transcript)".to_owned(),
                "We started in May.".to_owned()
            ),
        ]
    );
    let left_out = &imported.report.media_left_out;
    assert_eq!(left_out.get("picture source(s)"), Some(&1));
    assert_eq!(left_out.get("audio source(s)"), Some(&1));
    assert_eq!(left_out.get("PDF area selection(s)"), Some(&1));
}

#[test]
fn a_taguette_codebook_with_empty_sets_imports() {
    let qdc = r#"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.4.1"><Codes><Code guid="c1000000-0000-0000-0000-000000000001" name="interesting" isCodable="true"/></Codes><Sets/></CodeBook>"#;
    let tags = qdpx::read_qdc_bytes(qdc.as_bytes(), Path::new("taguette.qdc")).unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].name, "interesting");
}

#[test]
fn a_coding_whose_text_is_nowhere_is_kept_as_an_orphan_and_listed() {
    let text = "One line only.\n";
    let qde = format!(
        r#"<Project {NS} name="Orphan" origin="ATLAS.ti 23"><Sources><TextSource guid="d1000000-0000-0000-0000-000000000001" name="t"><PlainTextContent>{text}</PlainTextContent>{}</TextSource></Sources>{}</Project>"#,
        selection(1, (0, 4), "Words from another document", CODE_A, ""),
        codebook(),
    );
    let imported = import(&archive(&[("project.qde", qde.as_bytes())]), "orphan.qdpx");
    let annotation = &imported.project.annotations[0];
    assert_eq!(annotation.quote, "Words from another document");
    assert_eq!((annotation.start, annotation.end), (0, 4));
    let report = &imported.report;
    assert_eq!(report.unplaced, 1);
    assert!(report.listed[0].contains("Words from another document"));
    let summary = report.summary().join("\n");
    assert!(
        summary.contains("0 as written")
            && summary.contains("1 could not be placed (kept as orphans"),
        "{summary}"
    );
}

#[test]
fn spans_that_split_a_character_as_read_are_widened_to_it_and_counted() {
    // A program that counts code points but cuts between a Devanagari consonant and its
    // vowel sign, and inside a ZWJ family emoji (a MAXQDA-shaped project, no quotes).
    let text = "कर्मचारी ने कहा 👩‍👩‍👧 ठीक है\n";
    let chars: Vec<char> = text.chars().collect();
    let emoji_start = text.chars().position(|c| c == '👩').unwrap();
    let qde = format!(
        r#"<Project {NS} name="Scripts" origin="MAXQDA 24"><Sources><TextSource guid="d2000000-0000-0000-0000-000000000001" name="hi"><PlainTextContent>{text}</PlainTextContent>{}{}{}</TextSource></Sources>{}</Project>"#,
        // "कर्मचारी" is क र ् म च ा र ी: 3..7 starts inside "र्म" and ends inside "चा".
        selection(1, (3, 5), "", CODE_A, ""),
        selection(2, (emoji_start + 2, emoji_start + 4), "", CODE_B, ""),
        selection(3, (9, 11), "", CODE_A, ""),
        codebook(),
    );
    let imported = import(&archive(&[("project.qde", qde.as_bytes())]), "scripts.qdpx");
    assert_on_their_text(&imported);
    let mut spans: Vec<(usize, usize)> = imported
        .project
        .annotations
        .iter()
        .map(|a| (a.start, a.end))
        .collect();
    spans.sort_unstable();
    // र्म is र ् म (1..4) and चा is च ा (4..6): 3..5 widens to 1..6; "ने" (9..11) is whole.
    assert_eq!(spans[0], (1, 6));
    assert_eq!(spans[1], (9, 11));
    assert_eq!(spans[2], (emoji_start, emoji_start + 5), "the whole family");
    assert_eq!(chars[emoji_start + 4], '👧');
    assert_eq!(imported.report.snapped, 2);
    let summary = imported.report.summary().join("\n");
    assert!(
        summary.contains("2 codings began or ended inside a character"),
        "{summary}"
    );
}

#[test]
fn cases_come_in_as_cases_their_selections_as_turns_and_their_values_as_theirs() {
    // A focus group in NVivo's shape (UTF-16 positions): each participant a case with a
    // role, linked to the paragraphs they said; an interview linked as a whole source.
    let text = "Moderator: Why did you apply?\r\nDana: The pay, honestly 🙂.\r\nEli: The board was fair to me.\r\n";
    let dana = count(text, "The pay, honestly 🙂.");
    let eli = count(text, "The board was fair to me.");
    let pay = count(text, "The pay");
    let case_selection = |guid: u32, (start, end): (usize, usize)| {
        format!(
            r#"<PlainTextSelection guid="{guid:08x}-0000-0000-0000-000000000000" startPosition="{start}" endPosition="{end}"/>"#
        )
    };
    let qde = format!(
        r##"<Project {NS} name="Focus" origin="NVivo 14.23.0 (Windows)">{}<Variables><Variable guid="e0000000-0000-0000-0000-000000000001" name="role" typeOfVariable="Text"/><Variable guid="e0000000-0000-0000-0000-000000000002" name="age" typeOfVariable="Integer"/></Variables><Cases><Case guid="e1000000-0000-0000-0000-000000000001" name="Dana"><Description>Night shift, 9 years.</Description><VariableValue><VariableRef targetGUID="e0000000-0000-0000-0000-000000000001"/><TextValue>officer</TextValue></VariableValue><VariableValue><VariableRef targetGUID="e0000000-0000-0000-0000-000000000002"/><IntegerValue>41</IntegerValue></VariableValue><SelectionRef targetGUID="00000011-0000-0000-0000-000000000000"/></Case><Case guid="e1000000-0000-0000-0000-000000000002" name="Eli"><VariableValue><VariableRef targetGUID="e0000000-0000-0000-0000-000000000001"/><TextValue>staff</TextValue></VariableValue><SelectionRef targetGUID="00000012-0000-0000-0000-000000000000"/><SourceRef targetGUID="e2000000-0000-0000-0000-000000000002"/></Case><Case guid="e1000000-0000-0000-0000-000000000003" name="ELI"/></Cases><Sources><TextSource guid="e2000000-0000-0000-0000-000000000001" name="Group 1"><PlainTextContent>{}</PlainTextContent>{}{}{}</TextSource><TextSource guid="e2000000-0000-0000-0000-000000000002" name="Eli interview"><PlainTextContent>I joined in 2009.</PlainTextContent></TextSource></Sources></Project>"##,
        codebook(),
        escape(text),
        case_selection(0x11, dana.utf16),
        case_selection(0x12, eli.utf16),
        selection(0x13, pay.utf16, "The pay", CODE_A, ""),
    );
    let imported = import(&archive(&[("project.qde", qde.as_bytes())]), "nvivo.qdpx");
    assert_on_their_text(&imported);
    let project = &imported.project;
    assert_eq!(
        quotes(project),
        [("Group 1".to_owned(), "The pay".to_owned())],
        "a case's uncoded selections mark its turns, not passages"
    );
    let names: Vec<&str> = project.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Dana", "Eli", "ELI (2)"],
        "names made distinct, as cases match by name"
    );
    let attribute = |name: &str| {
        project
            .attributes
            .iter()
            .find(|a| a.name == name)
            .unwrap()
            .id
    };
    let dana_case = &project.cases[0];
    assert_eq!(dana_case.attributes[&attribute("role")], "officer");
    assert_eq!(dana_case.attributes[&attribute("age")], "41");
    assert_eq!(dana_case.memo, "Night shift, 9 years.");
    assert_eq!(project.cases[1].attributes[&attribute("role")], "staff");

    // The focus group's case selections are its turns, on exactly the words said.
    let (_, group_text) = imported.texts.iter().find(|(id, _)| *id == 1).unwrap();
    let said: Vec<(&str, String)> = project.documents[0]
        .turns
        .iter()
        .map(|t| {
            (
                project.speaker_name(t),
                group_text
                    .chars()
                    .skip(t.start)
                    .take(t.end - t.start)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            ("Dana", "The pay, honestly 🙂.".to_owned()),
            ("Eli", "The board was fair to me.".to_owned())
        ]
    );
    assert!(
        project.documents[1].turns.is_empty(),
        "a whole source is not a turn"
    );
    let role_of = |doc: usize| {
        project.documents[doc]
            .attributes
            .get(&attribute("role"))
            .cloned()
    };
    assert_eq!(
        role_of(0),
        None,
        "a focus group is nobody's: its speakers have roles"
    );
    assert_eq!(
        role_of(1).as_deref(),
        Some("staff"),
        "Eli's interview is his"
    );
    // The coded passage lies in Dana's turn: statistics by role count it as an officer's.
    let stats = marginalia::stats::compute(
        project,
        &Default::default(),
        &marginalia::stats::Options {
            documents: None,
            by: Some(marginalia::stats::By {
                attribute: attribute("role"),
                bins: Vec::new(),
            }),
        },
    )
    .unwrap();
    let officers = stats
        .by
        .unwrap()
        .values
        .into_iter()
        .find(|v| v.value.as_deref() == Some("officer"))
        .unwrap();
    assert_eq!(officers.passages.0[0], ("pay".to_owned(), 1));
    // The project as imported is one Marginalia reads back.
    let written = marginalia::store::project_to_ron(project);
    marginalia::store::parse_project(&written, Path::new("focus.ron")).unwrap();
}
