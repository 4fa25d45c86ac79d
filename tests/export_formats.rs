//! Every export format, read back with an independent reader: every position must slice the
//! document's text (by characters) to the passage's quote, and values must arrive verbatim.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::{Cursor, Read};

use common::{FIRST_TEXT, FORMULA_NOTE, SCRIPT_NOTE, fixture, slice_chars};
use marginalia::export::{self, ExportError, Format};
use marginalia::model::Project;
use quick_xml::events::Event;

fn exported(format: Format, missing_third: bool) -> (common::Fixture, Vec<u8>) {
    let fixture = fixture(missing_third);
    let workspace = fixture.workspace();
    let bytes = export::export(format, &workspace.corpus()).unwrap();
    // An export is a pure function: the same project gives the same bytes.
    assert_eq!(
        bytes,
        export::export(format, &workspace.corpus()).unwrap(),
        "{format}"
    );
    (fixture, bytes)
}

/// (passage id, tag name) for every passage × tag, "" for a passage without tags.
fn expected_pairs(project: &Project) -> BTreeSet<(u32, String)> {
    let mut pairs = BTreeSet::new();
    for annotation in &project.annotations {
        if annotation.tags.is_empty() {
            pairs.insert((annotation.id, String::new()));
        }
        for tag in &annotation.tags {
            pairs.insert((annotation.id, project.tag(*tag).unwrap().name.clone()));
        }
    }
    pairs
}

// Speaker and times come last (empty outside transcripts), so that scripts reading the
// first ten columns by position still work.
const CSV_HEADER: [&str; 13] = [
    "document",
    "path",
    "annotation_id",
    "tag",
    "start",
    "end",
    "quote",
    "note",
    "coder",
    "created",
    "speaker",
    "time_start",
    "time_end",
];

#[test]
fn csv_rows_slice_back_to_their_quotes() {
    let (fixture, bytes) = exported(Format::Csv, true);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(reader.headers().unwrap(), CSV_HEADER.as_slice());
    let mut pairs = BTreeSet::new();
    let mut checked_against_text = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let id: u32 = record[2].parse().unwrap();
        let (start, end): (usize, usize) = (record[4].parse().unwrap(), record[5].parse().unwrap());
        let annotation = fixture.project.annotation(id).unwrap();
        assert_eq!(&record[6], annotation.quote, "passage {id}");
        assert_eq!(
            &record[7], annotation.note,
            "notes are verbatim, CRLF included"
        );
        assert_eq!(&record[8], annotation.coder);
        assert_eq!(&record[9], annotation.created);
        let document = fixture.project.document(annotation.doc).unwrap();
        assert_eq!(
            (&record[0], &record[1]),
            (document.title.as_str(), document.path.as_str())
        );
        if let Some(text) = fixture.text_of_title(&record[0]) {
            assert_eq!(slice_chars(text, start, end), &record[6], "passage {id}");
            checked_against_text += 1;
        } else {
            assert_eq!(
                &record[6], "stored quote",
                "a missing text exports the stored quote"
            );
        }
        pairs.insert((id, record[3].to_owned()));
    }
    assert_eq!(pairs, expected_pairs(&fixture.project));
    assert!(checked_against_text >= 8);
    assert!(
        pairs.contains(&(3, String::new())),
        "the untagged passage has a row"
    );
}

#[test]
fn xlsx_sheets_hold_strings_numbers_and_counts() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let (fixture, bytes) = exported(Format::Xlsx, false);
    // Layout lives in the sheet XML, which calamine does not expose: a frozen header row and
    // explicit column widths on both sheets.
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let mut xml = String::new();
        archive
            .by_name(sheet)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(
            xml.contains(r#"state="frozen""#) && xml.contains(r#"ySplit="1""#),
            "{sheet}"
        );
        assert!(
            xml.contains("customWidth=\"1\""),
            "{sheet}: columns are sized"
        );
    }
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let passages = workbook.worksheet_range("Passages").unwrap();
    let mut rows = passages.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header, CSV_HEADER);
    let mut pairs = BTreeSet::new();
    for row in rows {
        let text = |i: usize| match &row[i] {
            Data::String(s) => s.clone(),
            Data::Empty => String::new(),
            other => panic!("column {} holds {other:?}, expected text", CSV_HEADER[i]),
        };
        let number = |i: usize| match &row[i] {
            Data::Float(f) => *f as usize,
            Data::Int(n) => *n as usize,
            other => panic!(
                "column {} holds {other:?}, expected a number",
                CSV_HEADER[i]
            ),
        };
        let id = number(2) as u32;
        let annotation = fixture.project.annotation(id).unwrap();
        let source = fixture.text_of_title(&text(0)).unwrap();
        assert_eq!(
            slice_chars(source, number(4), number(5)),
            text(6),
            "passage {id}"
        );
        assert_eq!(text(6), annotation.quote);
        assert_eq!(
            text(7),
            annotation.note,
            "passage {id}: the note is text, verbatim"
        );
        pairs.insert((id, text(3)));
    }
    assert_eq!(pairs, expected_pairs(&fixture.project));
    let formulas = workbook.worksheet_formula("Passages").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "a note starting with = must not become a formula"
    );

    let counts = workbook.worksheet_range("Counts").unwrap();
    let header: Vec<String> = counts
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        [
            "document",
            "quote",
            "statistic",
            "policy",
            "critique",
            "sub-quote & more",
            "unused",
            "(no tag)",
            "passages"
        ]
    );
    let first: Vec<String> = counts
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        first,
        ["Prices & “quotes”", "1", "1", "1", "1", "1", "0", "1", "4"]
    );
    let total: Vec<String> = counts
        .rows()
        .nth(3)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        total,
        ["All documents", "1", "2", "1", "1", "2", "0", "1", "6"]
    );
}

/// Whitespace collapsed: Markdown shows line ends as line breaks and trims line starts.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn markdown_report_renders_quotes_as_text_with_their_locations() {
    use pulldown_cmark::{Event as Md, Options, Parser, Tag as MdTag, TagEnd};
    let (fixture, bytes) = exported(Format::Markdown, true);
    let markdown = String::from_utf8(bytes).unwrap();
    let mut quotes: Vec<String> = Vec::new();
    let mut locations: Vec<String> = Vec::new();
    let mut headings: Vec<String> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let (mut in_quote, mut in_heading, mut in_table) = (false, false, false);
    let mut paragraph = String::new();
    for event in Parser::new_ext(
        &markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Md::Start(MdTag::BlockQuote(_)) => {
                in_quote = true;
                quotes.push(String::new());
            }
            Md::End(TagEnd::BlockQuote(_)) => in_quote = false,
            Md::Start(MdTag::Heading { .. }) => {
                in_heading = true;
                headings.push(String::new());
            }
            Md::End(TagEnd::Heading(_)) => in_heading = false,
            Md::Start(MdTag::Table(_)) => in_table = true,
            Md::End(TagEnd::Table) => in_table = false,
            Md::Start(MdTag::TableRow | MdTag::TableHead) => table.push(Vec::new()),
            Md::Start(MdTag::TableCell) => table.last_mut().unwrap().push(String::new()),
            Md::Start(MdTag::Paragraph) => paragraph.clear(),
            Md::End(TagEnd::Paragraph) => {
                if in_quote {
                    quotes.last_mut().unwrap().push('\n');
                } else if paragraph.contains(", characters ") {
                    locations.push(paragraph.clone());
                }
            }
            Md::Text(text) | Md::Code(text) => {
                if in_table {
                    table
                        .last_mut()
                        .unwrap()
                        .last_mut()
                        .unwrap()
                        .push_str(&text);
                } else if in_heading {
                    headings.last_mut().unwrap().push_str(&text);
                } else if in_quote {
                    quotes.last_mut().unwrap().push_str(&text);
                } else {
                    paragraph.push_str(&text);
                }
            }
            Md::SoftBreak | Md::HardBreak if in_quote => quotes.last_mut().unwrap().push('\n'),
            Md::SoftBreak | Md::HardBreak => paragraph.push(' '),
            Md::Html(html) | Md::InlineHtml(html) => panic!("raw HTML reached the report: {html}"),
            Md::Start(MdTag::Emphasis | MdTag::Strong | MdTag::Strikethrough | MdTag::List(_))
                if in_quote =>
            {
                panic!("markup inside a quote: {event:?}")
            }
            _ => {}
        }
    }
    // One quote and one location per passage × tag (untagged passages once).
    let pairs = expected_pairs(&fixture.project);
    assert_eq!(quotes.len(), pairs.len(), "{markdown}");
    assert_eq!(locations.len(), quotes.len());
    for (quote, location) in quotes.iter().zip(&locations) {
        let (title, range) = location.split_once(", characters ").unwrap();
        let range = range.split(' ').next().unwrap();
        let (start, end) = range.split_once('–').unwrap();
        let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
        let expected = match fixture.text_of_title(title) {
            Some(text) => slice_chars(text, start, end),
            None => "stored quote".to_owned(),
        };
        assert_eq!(collapse(quote), collapse(&expected), "{location}");
    }
    assert!(
        markdown.contains("=SUM(A1:A2) is not a formula"),
        "{markdown}"
    );
    assert!(
        headings.contains(&"Awkward “text” study".to_owned()),
        "{headings:?}"
    );
    assert!(
        headings.contains(&"sub-quote & more".to_owned()),
        "{headings:?}"
    );
    assert!(headings.contains(&"Passages without a tag".to_owned()));
    assert!(headings.contains(&"Document memos".to_owned()));
    assert!(markdown.contains("Memo on the first document"));
    assert_eq!(table[0].first().map(String::as_str), Some("Document"));
    let first = table
        .iter()
        .find(|row| row[0] == "Prices & “quotes”")
        .unwrap();
    assert_eq!(first[1..], ["1", "1", "1", "1", "1", "0", "1", "4"]);
    assert!(
        markdown.contains("Gone document"),
        "the missing text is named"
    );
    // The first passage's quote spans a line end: its lines arrive as lines.
    assert!(
        quotes
            .iter()
            .any(|q| q.contains("heading\n") && q.contains("1984. Last"))
    );
}

/// Text content of the HTML, parsed as XML, per passage article.
struct HtmlPassage {
    document: u32,
    start: usize,
    end: usize,
    quote: String,
    note: Option<String>,
}

fn read_html(html: &str) -> (Vec<HtmlPassage>, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(html);
    let mut passages = Vec::new();
    let mut elements = Vec::new();
    // Open elements; a note paragraph is recorded as "p.note".
    let mut stack: Vec<String> = Vec::new();
    let mut current: Option<HtmlPassage> = None;
    let add_text = |text: &str, stack: &[String], current: &mut Option<HtmlPassage>| {
        let Some(passage) = current.as_mut() else {
            return;
        };
        if stack.iter().any(|e| e == "blockquote") {
            passage.quote.push_str(text);
        } else if stack.last().is_some_and(|e| e == "p.note") {
            passage.note.get_or_insert_with(String::new).push_str(text);
        }
    };
    loop {
        match reader.read_event().expect("the report is well-formed") {
            Event::Start(start) => {
                let name = String::from_utf8(start.name().as_ref().to_vec()).unwrap();
                elements.push(name.clone());
                let attribute = |key: &str| {
                    start
                        .try_get_attribute(key)
                        .unwrap()
                        .map(|a| a.unescape_value().unwrap().into_owned())
                };
                if name == "article" {
                    current = Some(HtmlPassage {
                        document: attribute("data-document").unwrap().parse().unwrap(),
                        start: attribute("data-start").unwrap().parse().unwrap(),
                        end: attribute("data-end").unwrap().parse().unwrap(),
                        quote: String::new(),
                        note: None,
                    });
                }
                if name == "p" && attribute("class").as_deref() == Some("note") {
                    stack.push("p.note".to_owned());
                } else {
                    stack.push(name);
                }
            }
            Event::Empty(start) => {
                elements.push(String::from_utf8(start.name().as_ref().to_vec()).unwrap());
            }
            Event::End(end) => {
                let name = stack.pop().unwrap();
                assert!(name.as_bytes().starts_with(end.name().as_ref()));
                if name == "article" {
                    passages.push(current.take().unwrap());
                }
            }
            Event::Text(text) => add_text(&text.xml10_content().unwrap(), &stack, &mut current),
            Event::GeneralRef(reference) => {
                let character = match reference.resolve_char_ref().unwrap() {
                    Some(c) => c,
                    None => match reference.decode().unwrap().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("entity &{other}; is not XML's own"),
                    },
                };
                add_text(&character.to_string(), &stack, &mut current);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (passages, elements)
}

#[test]
fn html_report_is_escaped_and_every_passage_slices_back() {
    let (fixture, bytes) = exported(Format::Html, true);
    let html = String::from_utf8(bytes).unwrap();
    assert!(!html.contains("<script"), "no script may reach the report");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let (passages, elements) = read_html(&html);
    assert!(
        !elements
            .iter()
            .any(|e| e == "script" || e == "link" || e == "img")
    );
    assert!(elements.iter().any(|e| e == "style"), "CSS is inline");
    assert!(
        html.contains("Memo on the first document"),
        "document memos are reported"
    );
    assert_eq!(passages.len(), expected_pairs(&fixture.project).len());
    let mut script_notes = 0;
    for passage in &passages {
        let expected = match fixture.text_of(passage.document) {
            Some(text) => slice_chars(text, passage.start, passage.end).replace("\r\n", "\n"),
            None => "stored quote".to_owned(),
        };
        assert_eq!(
            passage.quote, expected,
            "passage at {}..{}",
            passage.start, passage.end
        );
        if passage.note.as_deref() == Some(SCRIPT_NOTE) {
            script_notes += 1;
        }
    }
    assert_eq!(script_notes, 1, "the note arrives as text, exactly once");
    assert!(
        passages
            .iter()
            .any(|p| p.note.as_deref() == Some(&FORMULA_NOTE.replace("\r\n", "\n")[..]))
    );
    assert!(
        html.contains("background: #0072B2"),
        "tag colours appear as chips"
    );
}

#[test]
fn w3c_annotations_select_by_code_point_position_and_quote() {
    let (fixture, bytes) = exported(Format::W3c, true);
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(json["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(json["type"], "AnnotationCollection");
    let items = json["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), fixture.project.annotations.len());
    assert_eq!(json["total"], items.len());
    let mut ids = BTreeSet::new();
    for (item, annotation) in items.iter().zip(&fixture.project.annotations) {
        assert_eq!(item["type"], "Annotation");
        let id = item["id"].as_str().unwrap();
        let uuid = uuid::Uuid::parse_str(id.strip_prefix("urn:uuid:").unwrap()).unwrap();
        assert_eq!(uuid.get_version_num(), 5);
        assert!(ids.insert(uuid), "ids are unique");
        let document = fixture.project.document(annotation.doc).unwrap();
        assert_eq!(item["target"]["source"], document.path.as_str());
        let selectors = item["target"]["selector"].as_array().unwrap();
        let by_type = |kind: &str| selectors.iter().find(|s| s["type"] == kind).unwrap();
        let position = by_type("TextPositionSelector");
        let quote = by_type("TextQuoteSelector");
        let (start, end) = (
            position["start"].as_u64().unwrap() as usize,
            position["end"].as_u64().unwrap() as usize,
        );
        assert_eq!((start, end), (annotation.start, annotation.end));
        assert_eq!(quote["exact"], annotation.quote.as_str());
        if let Some(text) = fixture.text_of(annotation.doc) {
            assert_eq!(
                slice_chars(text, start, end),
                quote["exact"].as_str().unwrap()
            );
            let prefix = quote["prefix"].as_str().unwrap_or("");
            let suffix = quote["suffix"].as_str().unwrap_or("");
            let (prefix_len, suffix_len) = (prefix.chars().count(), suffix.chars().count());
            assert_eq!(prefix_len, start.min(32), "passage {}", annotation.id);
            assert_eq!(suffix_len, (text.chars().count() - end).min(32));
            assert_eq!(slice_chars(text, start - prefix_len, start), prefix);
            assert_eq!(slice_chars(text, end, end + suffix_len), suffix);
        } else {
            assert!(quote.get("prefix").is_none(), "no context without the text");
        }
        let bodies = item["body"].as_array().cloned().unwrap_or_default();
        let tagging: BTreeSet<&str> = bodies
            .iter()
            .filter(|b| b["purpose"] == "tagging")
            .map(|b| b["value"].as_str().unwrap())
            .collect();
        let expected: BTreeSet<&str> = annotation
            .tags
            .iter()
            .map(|t| fixture.project.tag(*t).unwrap().name.as_str())
            .collect();
        assert_eq!(tagging, expected, "passage {}", annotation.id);
        let comments: Vec<&str> = bodies
            .iter()
            .filter(|b| b["purpose"] == "commenting")
            .map(|b| b["value"].as_str().unwrap())
            .collect();
        let expected_comments: Vec<&str> = Some(annotation.note.as_str())
            .filter(|n| !n.is_empty())
            .into_iter()
            .collect();
        assert_eq!(comments, expected_comments);
        assert!(bodies.iter().all(|b| b["type"] == "TextualBody"));
    }
}

/// project.qde's selections by source, and the archive's sources by their internal path.
struct Qdpx {
    /// (source name, start, end, code GUIDs)
    selections: Vec<(String, usize, usize, Vec<String>)>,
    /// source name → text
    texts: HashMap<String, String>,
    /// code GUID → (name, colour)
    codes: HashMap<String, (String, String)>,
    notes: Vec<String>,
}

fn read_qdpx(bytes: &[u8]) -> Qdpx {
    let mut archive = common::ZipTexts::new(bytes);
    let mut entry = |name: &str| archive.text(name);
    let qde = entry("project.qde");
    let mut reader = quick_xml::Reader::from_str(&qde);
    let mut result = Qdpx {
        selections: Vec::new(),
        texts: HashMap::new(),
        codes: HashMap::new(),
        notes: Vec::new(),
    };
    let mut source_name = String::new();
    let mut in_note_content = false;
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
                    b"Project" => assert_eq!(
                        attribute("xmlns").as_deref(),
                        Some("urn:QDA-XML:project:1.0")
                    ),
                    b"Code" => {
                        result.codes.insert(
                            attribute("guid").unwrap(),
                            (attribute("name").unwrap(), attribute("color").unwrap()),
                        );
                    }
                    b"TextSource" => {
                        source_name = attribute("name").unwrap();
                        let path = attribute("plainTextPath").unwrap();
                        let internal = path.strip_prefix("internal://").unwrap();
                        result
                            .texts
                            .insert(source_name.clone(), entry(&format!("sources/{internal}")));
                    }
                    b"PlainTextSelection" => result.selections.push((
                        source_name.clone(),
                        attribute("startPosition").unwrap().parse().unwrap(),
                        attribute("endPosition").unwrap().parse().unwrap(),
                        Vec::new(),
                    )),
                    b"CodeRef" => result
                        .selections
                        .last_mut()
                        .unwrap()
                        .3
                        .push(attribute("targetGUID").unwrap()),
                    b"PlainTextContent" => {
                        in_note_content = true;
                        result.notes.push(String::new());
                    }
                    _ => {}
                }
            }
            Event::End(end) if end.name().as_ref() == b"PlainTextContent" => {
                in_note_content = false
            }
            Event::Text(text) if in_note_content => result
                .notes
                .last_mut()
                .unwrap()
                .push_str(&text.xml10_content().unwrap()),
            Event::GeneralRef(reference) if in_note_content => {
                let character = reference.resolve_char_ref().unwrap().unwrap_or_else(|| {
                    match reference.decode().unwrap().as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        other => panic!("unexpected entity {other}"),
                    }
                });
                result.notes.last_mut().unwrap().push(character);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    result
}

#[test]
fn qdpx_selections_slice_their_sources_to_the_quotes() {
    let (fixture, bytes) = exported(Format::Qdpx, false);
    let qdpx = read_qdpx(&bytes);
    assert_eq!(
        qdpx.texts["Prices & “quotes”"], FIRST_TEXT,
        "sources are the exact texts"
    );
    assert_eq!(qdpx.texts["Second document"], common::SECOND_TEXT);
    assert_eq!(qdpx.selections.len(), fixture.project.annotations.len());
    for annotation in &fixture.project.annotations {
        let title = &fixture.project.document(annotation.doc).unwrap().title;
        let (_, start, end, codes) = qdpx
            .selections
            .iter()
            .find(|(source, start, end, _)| {
                source == title && *start == annotation.start && *end == annotation.end
            })
            .unwrap_or_else(|| panic!("passage {} is missing", annotation.id));
        assert_eq!(
            slice_chars(&qdpx.texts[title], *start, *end),
            annotation.quote
        );
        let names: BTreeSet<&str> = codes.iter().map(|g| qdpx.codes[g].0.as_str()).collect();
        let expected: BTreeSet<&str> = annotation
            .tags
            .iter()
            .map(|t| fixture.project.tag(*t).unwrap().name.as_str())
            .collect();
        assert_eq!(names, expected);
    }
    for tag in &fixture.project.codebook {
        assert!(
            qdpx.codes
                .values()
                .any(|(name, color)| *name == tag.name && *color == tag.color)
        );
    }
    assert!(
        qdpx.notes.contains(&FORMULA_NOTE.to_owned()),
        "notes keep their CRLF: {:?}",
        qdpx.notes
    );
    assert!(qdpx.notes.contains(&SCRIPT_NOTE.to_owned()));
    assert!(qdpx.notes.contains(&fixture.project.memo));
}

#[test]
fn qdpx_needs_every_text_and_says_which_is_missing() {
    let fixture = fixture(true);
    let workspace = fixture.workspace();
    let error = export::export(Format::Qdpx, &workspace.corpus()).unwrap_err();
    assert!(
        matches!(error, ExportError::MissingText { id: 3, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("Gone document") && message.contains("texts/gone.txt"),
        "{message}"
    );
}

#[test]
fn qdpx_refuses_a_passage_that_left_its_quote() {
    let mut fixture = fixture(false);
    fixture.project.annotations[0].start += 1;
    fixture.project.annotations[0].end += 1;
    let id = fixture.project.annotations[0].id;
    let error = export::export(Format::Qdpx, &fixture.workspace().corpus()).unwrap_err();
    assert!(
        matches!(error, ExportError::PassageOffText { passage, .. } if passage == id),
        "{error:?}"
    );
}

#[test]
fn qdc_holds_the_codebook_with_nesting_and_colours() {
    let (fixture, bytes) = exported(Format::Qdc, false);
    let xml = String::from_utf8(bytes).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut depth_of_code: Vec<(String, usize, String)> = Vec::new();
    let mut depth = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(element) => {
                depth += 1;
                if element.name().as_ref() == b"CodeBook" {
                    let namespace = element.try_get_attribute("xmlns").unwrap().unwrap();
                    assert_eq!(namespace.value.as_ref(), b"urn:QDA-XML:codebook:1.0");
                }
                if element.name().as_ref() == b"Code" {
                    let name = element.try_get_attribute("name").unwrap().unwrap();
                    let color = element.try_get_attribute("color").unwrap().unwrap();
                    depth_of_code.push((
                        name.unescape_value().unwrap().into_owned(),
                        depth,
                        color.unescape_value().unwrap().into_owned(),
                    ));
                }
            }
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    let names: Vec<&str> = depth_of_code.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "quote",
            "sub-quote & more",
            "statistic",
            "policy",
            "critique",
            "unused"
        ]
    );
    assert_eq!(
        depth_of_code[1].1,
        depth_of_code[0].1 + 1,
        "the child nests in its parent"
    );
    for (name, _, color) in &depth_of_code {
        let tag = fixture
            .project
            .codebook
            .iter()
            .find(|t| t.name == *name)
            .unwrap();
        assert_eq!(*color, tag.color);
    }
}
