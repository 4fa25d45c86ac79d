//! Property tests: random projects over random Unicode text (emoji and ZWJ sequences,
//! combining marks, CRLF and lone CR/LF, right-to-left scripts, astral characters, NUL and
//! other controls, the characters RON and the export formats treat specially) save and load
//! back unchanged, and every export's positions slice each document back to the passage's
//! quote. `PROPTEST_CASES=N` runs more cases than the default 64.

mod common;

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use marginalia::anchor::sha256_hex;
use marginalia::export::{self, Corpus, Format};
use marginalia::model::{
    Annotation, Attribute, AttributeKind, DocId, Document, DocumentText, FORMAT_VERSION,
    IdCounters, Project, Tag,
};
use marginalia::store;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use quick_xml::events::Event;

const AWKWARD: &[&str] = &[
    "word",
    " ",
    "  ",
    "Café",
    "e\u{301}",
    "a\u{308}\u{323}",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "👍🏽",
    "👩\u{200d}👩\u{200d}👧",
    "🏳\u{fe0f}\u{200d}🌈",
    "🇬🇧",
    "مرحبا",
    "שלום",
    "\u{200f}",
    "\u{202e}",
    "𝔘𝔫𝔦",
    "𠜎",
    "\0",
    "\u{1}",
    "\u{7}",
    "\t",
    "\u{b}",
    "\u{c}",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{feff}",
    "\u{fffe}",
    "\u{ffff}",
    "\"",
    "\\",
    "\\\"",
    ")",
    "(",
    "]",
    ",",
    "r#\"",
    "\"#",
    "/*",
    "//",
    "&amp;",
    "<b>",
    "=SUM(A1)",
    "# x",
    "1. ",
    "> ",
    "- ",
    "*",
    "_",
    "|",
    "`",
    "~",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(AWKWARD).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Text of `min..max` pieces.
fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), min..max).prop_map(|pieces| pieces.concat())
}

fn color() -> impl Strategy<Value = String> {
    prop_oneof![
        select(&["#0072B2", "#abc", "#ABCDEF", "red", "", "#12345"][..]).prop_map(str::to_owned),
        text(0, 3),
    ]
}

type TagParts = (String, String, String, String, Option<Index>, u8);
type PassageParts = (Index, Index, Index, Vec<Index>, String, String, String, u8);
/// An attribute: name, kind (0 text, 1 number, 2 date, 3 choice), description, choices.
type AttributeParts = (String, u8, String, Vec<String>);
/// A value: document, attribute, choice, text, number, days since 1970.
type ValueParts = (Index, Index, Index, String, i32, u16);
/// Project name, tags, documents (text, title, memo), passages, project memo, attributes
/// and their values.
type SampleParts = (
    String,
    Vec<TagParts>,
    Vec<(String, String, String)>,
    Vec<PassageParts>,
    String,
    Vec<AttributeParts>,
    Vec<ValueParts>,
);

fn tag_parts() -> impl Strategy<Value = TagParts> {
    (
        text(0, 4),
        color(),
        text(0, 2),
        text(0, 6),
        proptest::option::of(any::<Index>()),
        any::<u8>(),
    )
}

fn passage_parts() -> impl Strategy<Value = PassageParts> {
    (
        any::<Index>(),
        any::<Index>(),
        any::<Index>(),
        proptest::collection::vec(any::<Index>(), 0..3),
        text(0, 8),
        text(0, 3),
        text(0, 3),
        any::<u8>(),
    )
}

/// A project with its documents' texts.
#[derive(Debug, Clone)]
struct Sample {
    project: Project,
    texts: HashMap<DocId, String>,
}

fn sample() -> impl Strategy<Value = Sample> {
    (
        text(0, 6),
        proptest::collection::vec(tag_parts(), 0..6),
        proptest::collection::vec((text(1, 40), text(0, 5), text(0, 4)), 1..4),
        proptest::collection::vec(passage_parts(), 0..14),
        text(0, 8),
        proptest::collection::vec(
            (
                text(0, 3),
                0u8..4,
                text(0, 3),
                proptest::collection::vec(text(1, 3), 0..3),
            ),
            0..4,
        ),
        proptest::collection::vec(
            (
                any::<Index>(),
                any::<Index>(),
                any::<Index>(),
                text(1, 4),
                any::<i32>(),
                any::<u16>(),
            ),
            0..8,
        ),
    )
        .prop_map(build_sample)
}

fn build_sample(
    (name, tags, documents, passages, memo, attributes, values): SampleParts,
) -> Sample {
    let mut codebook: Vec<Tag> = Vec::new();
    let mut next_tag = 0;
    for (name, color, key, description, parent, gap) in tags {
        next_tag += 1 + u32::from(gap % 3);
        let parent = parent
            .filter(|_| !codebook.is_empty())
            .map(|index| codebook[index.index(codebook.len())].id);
        codebook.push(Tag {
            id: next_tag,
            name,
            color,
            key,
            description,
            parent,
        });
    }
    let mut texts = HashMap::new();
    let documents: Vec<Document> = documents
        .into_iter()
        .enumerate()
        .map(|(index, (text, title, memo))| {
            let id = index as DocId + 1;
            let document = Document {
                turns: Vec::new(),
                id,
                path: format!("texts/document {id}.txt"),
                // The Markdown report's location line is "*title*, characters S–E": a
                // comma in a title would make that line ambiguous to read back; the prefix
                // tells documents apart.
                title: format!("D{id}:{}", title.replace(',', ";")),
                sha256: sha256_hex(text.as_bytes()),
                chars: text.chars().count(),
                memo,
                origin: None,
                attributes: Default::default(),
                direction: Default::default(),
            };
            texts.insert(id, text);
            document
        })
        .collect();
    let mut annotations = Vec::new();
    let mut next_passage = 0;
    for (doc, start, end, tag_indices, note, coder, created, gap) in passages {
        let document = &documents[doc.index(documents.len())];
        let text = &texts[&document.id];
        let (mut start, mut end) = (
            start.index(document.chars + 1),
            end.index(document.chars + 1),
        );
        if start > end {
            std::mem::swap(&mut start, &mut end);
        }
        // A passage covers at least one character, as one made with the mouse does.
        if start == end {
            if end < document.chars {
                end += 1;
            } else {
                start -= 1;
            }
        }
        let mut tags: Vec<u32> = Vec::new();
        for index in tag_indices {
            if codebook.is_empty() {
                break;
            }
            let id = codebook[index.index(codebook.len())].id;
            if !tags.contains(&id) {
                tags.push(id);
            }
        }
        next_passage += 1 + u32::from(gap % 2);
        annotations.push(Annotation {
            id: next_passage,
            doc: document.id,
            start,
            end,
            tags,
            quote: text.chars().skip(start).take(end - start).collect(),
            note,
            coder,
            created,
            // The context a re-anchoring search uses: awkward text in the file too.
            prefix: text
                .chars()
                .skip(start.saturating_sub(32))
                .take(start - start.saturating_sub(32))
                .collect(),
            suffix: text.chars().skip(end).take(32).collect(),
            // Both ways the merge flag is written (absent and `conflict: true`).
            conflict: start % 3 == 0,
        });
    }
    let attributes: Vec<Attribute> = attributes
        .into_iter()
        .enumerate()
        .map(|(index, (name, kind, description, choices))| Attribute {
            id: index as u32 * 2 + 1,
            // Names are unique in a project.
            name: format!("A{index}:{name}"),
            kind: match kind {
                0 => AttributeKind::Text,
                1 => AttributeKind::Number,
                2 => AttributeKind::Date,
                _ => AttributeKind::Choice(choices),
            },
            description,
        })
        .collect();
    let mut documents = documents;
    for (doc, attribute, choice, text, number, days) in values {
        if attributes.is_empty() {
            break;
        }
        let attribute = &attributes[attribute.index(attributes.len())];
        let value = match &attribute.kind {
            AttributeKind::Text => text,
            AttributeKind::Number => format!("{}", f64::from(number) / 100.0),
            AttributeKind::Date => {
                marginalia::model::rfc3339_from_unix(u64::from(days) * 86_400)[..10].to_owned()
            }
            AttributeKind::Choice(choices) if choices.is_empty() => continue,
            AttributeKind::Choice(choices) => choices[choice.index(choices.len())].clone(),
        };
        let count = documents.len();
        documents[doc.index(count)]
            .attributes
            .insert(attribute.id, value);
    }
    let mut project = Project {
        cases: Vec::new(),
        format: FORMAT_VERSION,
        name,
        codebook,
        attributes,
        documents,
        annotations: annotations.into_iter().map(Box::new).collect(),
        memo,
        ids: IdCounters::default(),
    };
    project.sort_annotations();
    project.sync_id_counters();
    Sample { project, texts }
}

/// Slice by characters, independently of the crate's `DocumentText`.
fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn config() -> ProptestConfig {
    // 64 cases keep `cargo test` quick; PROPTEST_CASES overrides.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn projects_round_trip_through_save_and_load(sample in sample()) {
        let project = &sample.project;
        let text = store::project_to_ron(project);
        let parsed = store::parse_project(&text, Path::new("random.ron"));
        prop_assert!(parsed.is_ok(), "{:?}\n{}", parsed.err(), text);
        prop_assert_eq!(&parsed.unwrap(), project);

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("random.ron");
        store::save_project(project, &file).unwrap();
        prop_assert_eq!(&store::load_project(&file).unwrap(), project);
    }

    #[test]
    fn every_export_slices_back_to_the_quotes(sample in sample()) {
        let texts: HashMap<DocId, DocumentText> = sample
            .texts
            .iter()
            .map(|(id, text)| (*id, DocumentText::new(text.clone())))
            .collect();
        let corpus = Corpus {
            project: &sample.project,
            texts: texts.iter().map(|(id, text)| (*id, text)).collect(),
        };
        check_csv(&sample, &export::export(Format::Csv, &corpus).unwrap());
        check_xlsx(&sample, &export::export(Format::Xlsx, &corpus).unwrap());
        check_w3c(&sample, &export::export(Format::W3c, &corpus).unwrap());
        check_html(&sample, &export::export(Format::Html, &corpus).unwrap());
        check_markdown(&sample, &export::export(Format::Markdown, &corpus).unwrap());
        match export::export(Format::Qdpx, &corpus) {
            Ok(bytes) => check_qdpx(&sample, &bytes),
            Err(error) => {
                // A REFI-QDA project needs a code to exist; nothing else may refuse it.
                assert!(sample.project.codebook.is_empty(), "{error}");
            }
        }
    }
}

/// The text a row's path names, and the passage its id names.
fn lookup<'a>(sample: &'a Sample, path: &str, id: &str) -> (&'a str, &'a Annotation) {
    let document = sample
        .project
        .documents
        .iter()
        .find(|d| d.path == path)
        .unwrap_or_else(|| panic!("no document at {path:?}"));
    let annotation = sample.project.annotation(id.parse().unwrap()).unwrap();
    assert_eq!(annotation.doc, document.id);
    (&sample.texts[&document.id], annotation)
}

/// Rows per passage: one per tag, one for a passage without tags.
fn row_count(project: &Project) -> usize {
    project
        .annotations
        .iter()
        .map(|a| a.tags.len().max(1))
        .sum()
}

fn check_csv(sample: &Sample, bytes: &[u8]) {
    let mut reader = csv::Reader::from_reader(bytes);
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let (text, annotation) = lookup(sample, &record[1], &record[2]);
        let (start, end) = (record[4].parse().unwrap(), record[5].parse().unwrap());
        assert_eq!(slice_chars(text, start, end), &record[6]);
        assert_eq!(&record[6], annotation.quote);
        assert_eq!(&record[7], annotation.note);
        rows += 1;
    }
    assert_eq!(rows, row_count(&sample.project));
}

fn check_xlsx(sample: &Sample, bytes: &[u8]) {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let passages = workbook.worksheet_range("Passages").unwrap();
    let mut rows = 0;
    for row in passages.rows().skip(1) {
        let text = |i: usize| match &row[i] {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => panic!("column {i} holds {other:?}, expected text"),
        };
        let number = |i: usize| match &row[i] {
            Data::Float(f) => *f as usize,
            Data::Int(n) => *n as usize,
            other => panic!("column {i} holds {other:?}, expected a number"),
        };
        let (source, annotation) = lookup(sample, &text(1), &number(2).to_string());
        assert_eq!(slice_chars(source, number(4), number(5)), text(6));
        assert_eq!(text(6), annotation.quote);
        assert_eq!(text(7), annotation.note);
        rows += 1;
    }
    assert_eq!(rows, row_count(&sample.project));
}

fn check_w3c(sample: &Sample, bytes: &[u8]) {
    let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let items = json["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), sample.project.annotations.len());
    for item in items {
        let path = item["target"]["source"].as_str().unwrap();
        let document = sample
            .project
            .documents
            .iter()
            .find(|d| d.path == path)
            .unwrap();
        let text = &sample.texts[&document.id];
        let selectors = item["target"]["selector"].as_array().unwrap();
        let by_type = |kind: &str| selectors.iter().find(|s| s["type"] == kind).unwrap();
        let position = by_type("TextPositionSelector");
        let (start, end) = (
            position["start"].as_u64().unwrap() as usize,
            position["end"].as_u64().unwrap() as usize,
        );
        let exact = by_type("TextQuoteSelector")["exact"].as_str().unwrap();
        assert_eq!(slice_chars(text, start, end), exact);
        assert!(
            sample
                .project
                .annotations
                .iter()
                .any(|a| a.doc == document.id
                    && (a.start, a.end) == (start, end)
                    && a.quote == exact)
        );
    }
}

/// What the HTML report shows of a text: CRLF and a lone CR as a line end, and the controls
/// HTML cannot carry as U+FFFD.
fn as_html_shows(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            '\u{0}'..='\u{8}'
            | '\u{B}'
            | '\u{C}'
            | '\u{E}'..='\u{1F}'
            | '\u{FFFE}'
            | '\u{FFFF}' => out.push('\u{FFFD}'),
            _ => out.push(ch),
        }
    }
    out
}

fn check_html(sample: &Sample, bytes: &[u8]) {
    let html = std::str::from_utf8(bytes).unwrap();
    let mut reader = quick_xml::Reader::from_str(html);
    // (document, start, end, quote text) per article.
    let mut passages: Vec<(DocId, usize, usize, String)> = Vec::new();
    let mut in_quote = false;
    loop {
        match reader.read_event().expect("the report is well-formed") {
            Event::Start(element) => {
                let attribute = |key: &str| {
                    element
                        .try_get_attribute(key)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                match element.name().as_ref() {
                    b"article" => passages.push((
                        attribute("data-document").unwrap().parse().unwrap(),
                        attribute("data-start").unwrap().parse().unwrap(),
                        attribute("data-end").unwrap().parse().unwrap(),
                        String::new(),
                    )),
                    b"blockquote" => in_quote = true,
                    _ => {}
                }
            }
            Event::End(element) if element.name().as_ref() == b"blockquote" => in_quote = false,
            Event::Text(text) if in_quote => passages
                .last_mut()
                .unwrap()
                .3
                .push_str(&text.xml10_content().unwrap()),
            Event::GeneralRef(reference) if in_quote => {
                let character = reference.resolve_char_ref().unwrap().unwrap_or_else(|| {
                    match reference.decode().unwrap().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        other => panic!("entity &{other};"),
                    }
                });
                passages.last_mut().unwrap().3.push(character);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(passages.len(), row_count(&sample.project));
    for (doc, start, end, quote) in passages {
        let text = &sample.texts[&doc];
        assert_eq!(
            quote,
            as_html_shows(&slice_chars(text, start, end)),
            "document {doc}, {start}..{end}"
        );
    }
}

/// Text with runs of whitespace (line ends included) as one space: how Markdown shows it.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_markdown(sample: &Sample, bytes: &[u8]) {
    use pulldown_cmark::{Event as Md, Parser, Tag as MdTag, TagEnd};
    let markdown = std::str::from_utf8(bytes).unwrap();
    let mut quotes: Vec<String> = Vec::new();
    let mut locations: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let mut in_quote = false;
    for event in Parser::new(markdown) {
        match event {
            Md::Start(MdTag::BlockQuote(_)) => {
                in_quote = true;
                quotes.push(String::new());
            }
            Md::End(TagEnd::BlockQuote(_)) => in_quote = false,
            Md::Start(MdTag::Paragraph) => paragraph.clear(),
            Md::End(TagEnd::Paragraph) if in_quote => quotes.last_mut().unwrap().push('\n'),
            Md::End(TagEnd::Paragraph) if paragraph.contains(", characters ") => {
                locations.push(paragraph.clone())
            }
            Md::Text(text) | Md::Code(text) if in_quote => {
                quotes.last_mut().unwrap().push_str(&text)
            }
            Md::Text(text) | Md::Code(text) => paragraph.push_str(&text),
            Md::SoftBreak | Md::HardBreak if in_quote => quotes.last_mut().unwrap().push('\n'),
            Md::SoftBreak | Md::HardBreak => paragraph.push(' '),
            Md::Html(html) | Md::InlineHtml(html) => panic!("raw HTML reached the report: {html}"),
            _ => {}
        }
    }
    assert_eq!(quotes.len(), row_count(&sample.project), "{markdown}");
    assert_eq!(locations.len(), quotes.len(), "{markdown}");
    for (quote, location) in quotes.iter().zip(&locations) {
        let (title, range) = location.split_once(", characters ").unwrap();
        let range = range.split(' ').next().unwrap();
        let (start, end) = range.split_once('–').unwrap();
        let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
        let document = sample
            .project
            .documents
            .iter()
            .find(|d| collapse(&d.title) == collapse(title))
            .unwrap_or_else(|| panic!("no document titled {title:?}"));
        let expected = slice_chars(&sample.texts[&document.id], start, end);
        assert_eq!(
            collapse(quote),
            collapse(&expected),
            "{location}\n{markdown}"
        );
    }
}

fn check_qdpx(sample: &Sample, bytes: &[u8]) {
    let mut archive = common::ZipTexts::new(bytes);
    let mut entry = |name: &str| archive.text(name);
    let qde = entry("project.qde");
    let project = &sample.project;
    let source_of: HashMap<String, DocId> = project
        .documents
        .iter()
        .map(|d| (marginalia::export::qdpx::source_guid(project, d.id), d.id))
        .collect();
    let passage_of: HashMap<String, u32> = project
        .annotations
        .iter()
        .map(|a| (marginalia::export::qdpx::passage_guid(project, a.id), a.id))
        .collect();
    let mut reader = quick_xml::Reader::from_str(&qde);
    let mut source: Option<(DocId, String)> = None;
    let mut selections = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(element) | Event::Empty(element) => {
                let attribute = |key: &str| {
                    element
                        .try_get_attribute(key)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                match element.name().as_ref() {
                    b"TextSource" => {
                        let doc = source_of[&attribute("guid").unwrap()];
                        let path = attribute("plainTextPath").unwrap();
                        let internal = path.strip_prefix("internal://").unwrap();
                        let text = entry(&format!("sources/{internal}"));
                        assert_eq!(text, sample.texts[&doc], "sources are the exact texts");
                        source = Some((doc, text));
                    }
                    b"PlainTextSelection" => {
                        let (doc, text) = source.as_ref().unwrap();
                        let annotation =
                            project.annotation(passage_of[&attribute("guid").unwrap()]);
                        let annotation = annotation.unwrap();
                        assert_eq!(annotation.doc, *doc);
                        let start: usize = attribute("startPosition").unwrap().parse().unwrap();
                        let end: usize = attribute("endPosition").unwrap().parse().unwrap();
                        assert_eq!(slice_chars(text, start, end), annotation.quote);
                        selections += 1;
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(selections, project.annotations.len());
}
