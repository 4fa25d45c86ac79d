//! A small corpus on awkward text, shared by the export, import and command-line tests:
//! typographic punctuation, an emoji ZWJ sequence, a combining mark, CRLF line ends, and
//! values that look like markup or formulas.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use marginalia::Workspace;
use marginalia::anchor::sha256_hex;
use marginalia::model::{Annotation, Document, DocumentText, Project, Tag};

pub const FIRST_TEXT: &str = "Prices & “quotes”\r\n\
£5 – “fair” • 👩‍👩‍👧 family café\r\n\
Cafe\u{301} <b>bold</b> *stars* # not a heading\r\n\
\r\n\
1984. Last line – the end\r\n";

pub const SECOND_TEXT: &str = "Second document\n‘Single’ quotes and 👍🏽 thumbs\nplain end";

pub const SCRIPT_NOTE: &str = "<script>alert(1)</script>";
pub const FORMULA_NOTE: &str = "=SUM(A1:A2) is not a formula\r\nand a second line";

pub struct Fixture {
    /// Holds the texts and, for tests that save it, the project file.
    pub dir: tempfile::TempDir,
    pub project: Project,
}

impl Fixture {
    pub fn project_file(&self) -> PathBuf {
        self.dir.path().join("study.ron")
    }

    /// The project as the app holds it, texts read from disk.
    pub fn workspace(&self) -> Workspace {
        Workspace::from_project(self.project.clone(), Some(self.project_file()), true)
    }

    pub fn text_of_title(&self, title: &str) -> Option<&'static str> {
        let document = self.project.documents.iter().find(|d| d.title == title)?;
        self.text_of(document.id)
    }

    pub fn text_of(&self, doc: u32) -> Option<&'static str> {
        match doc {
            1 => Some(FIRST_TEXT),
            2 => Some(SECOND_TEXT),
            _ => None,
        }
    }

    /// Save the project beside its texts, for the command-line tests.
    pub fn save(&self) -> PathBuf {
        let file = self.project_file();
        marginalia::store::save_project(&self.project, &file).unwrap();
        file
    }
}

/// Character range of the `occurrence`-th (from 0) `needle` in `text`.
pub fn span(text: &str, needle: &str, occurrence: usize) -> (usize, usize) {
    let byte = text
        .match_indices(needle)
        .nth(occurrence)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        .0;
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// Slice by character offsets, independently of the crate's own `DocumentText`.
pub fn slice_chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn document(dir: &Path, id: u32, name: &str, title: &str, text: &str) -> Document {
    let folder = dir.join("texts");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(name), text).unwrap();
    Document {
        turns: Vec::new(),
        direction: Default::default(),
        id,
        path: format!("texts/{name}"),
        title: title.to_owned(),
        sha256: sha256_hex(text.as_bytes()),
        chars: DocumentText::new(text.to_owned()).char_count(),
        memo: String::new(),
        origin: None,
        attributes: Default::default(),
    }
}

fn passage(
    id: u32,
    doc: u32,
    text: &str,
    needle: &str,
    tags: &[u32],
    note: &str,
    coder: &str,
) -> Annotation {
    let (start, end) = span(text, needle, 0);
    Annotation {
        id,
        doc,
        start,
        end,
        tags: tags.to_vec(),
        quote: needle.to_owned(),
        note: note.to_owned(),
        coder: coder.to_owned(),
        created: format!("2026-11-22T15:{id:02}:00Z"),
        ..Default::default()
    }
}

/// Two documents with their texts on disk; with `missing_third`, a third whose file is
/// absent (its passage keeps only its stored quote).
pub fn fixture(missing_third: bool) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut project = Project::new("Awkward “text” study");
    project.memo = "Project memo\r\nwith two lines".to_owned();
    project.codebook.push(Tag {
        id: 5,
        name: "sub-quote & more".to_owned(),
        color: "#CC79A7".to_owned(),
        key: "5".to_owned(),
        description: "A nested code with <markup>".to_owned(),
        parent: Some(1),
    });
    project.codebook.push(Tag {
        id: 6,
        name: "unused".to_owned(),
        color: "#56B4E9".to_owned(),
        key: String::new(),
        description: String::new(),
        parent: None,
    });
    let mut first = document(dir.path(), 1, "first.txt", "Prices & “quotes”", FIRST_TEXT);
    first.memo = "Memo on the first document".to_owned();
    let second = document(dir.path(), 2, "second.txt", "Second document", SECOND_TEXT);
    project.documents = vec![first, second];
    project.annotations = vec![
        passage(
            1,
            1,
            FIRST_TEXT,
            "“fair” • 👩‍👩‍👧",
            &[1, 2],
            FORMULA_NOTE,
            "alice",
        ),
        // Spans a combining mark and a CRLF line end; the note is an injection attempt.
        passage(
            2,
            1,
            FIRST_TEXT,
            "e\u{301} <b>bold</b> *stars* # not a heading\r\n\r\n1984. Last",
            &[4],
            SCRIPT_NOTE,
            "bob",
        ),
        // A passage whose only tag was deleted.
        passage(3, 1, FIRST_TEXT, "£5", &[], "", ""),
        // Overlaps passage 1.
        passage(4, 1, FIRST_TEXT, "👩‍👩‍👧 family café", &[3, 5], "", "alice"),
        passage(
            5,
            2,
            SECOND_TEXT,
            "‘Single’ quotes and 👍🏽",
            &[5],
            "thumbs up",
            "alice",
        ),
        passage(6, 2, SECOND_TEXT, "plain end", &[2], "", ""),
    ]
    .into_iter()
    .map(Box::new)
    .collect();
    if missing_third {
        project.documents.push(Document {
            turns: Vec::new(),
            direction: Default::default(),
            id: 3,
            path: "texts/gone.txt".to_owned(),
            title: "Gone document".to_owned(),
            sha256: "0".repeat(64),
            chars: 40,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        });
        project.annotations.push(Box::new(Annotation {
            id: 7,
            doc: 3,
            start: 10,
            end: 22,
            tags: vec![1],
            quote: "stored quote".to_owned(),
            ..Default::default()
        }));
    }
    project.sort_annotations();
    project.sync_id_counters();
    Fixture { dir, project }
}

/// The archive's entries read as text on demand (the `.qdpx` checks read `project.qde`, then
/// the sources it names).
pub struct ZipTexts(zip::ZipArchive<std::io::Cursor<Vec<u8>>>);

impl ZipTexts {
    pub fn new(bytes: &[u8]) -> Self {
        Self(zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap())
    }

    pub fn text(&mut self, name: &str) -> String {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut self.0.by_name(name).unwrap(), &mut text).unwrap();
        text
    }
}

/// Give `workspace` a text attribute "outlet" (id 1) with `values` on its first documents,
/// in order.
pub fn with_outlet(workspace: &mut Workspace, values: &[&str]) {
    use marginalia::edit::Edit;
    use marginalia::model::{Attribute, AttributeKind};
    workspace
        .apply(Edit::InsertAttribute {
            index: 0,
            attribute: Attribute {
                id: 1,
                name: "outlet".into(),
                kind: AttributeKind::Text,
                description: String::new(),
            },
        })
        .unwrap();
    let ids: Vec<u32> = workspace.project().documents.iter().map(|d| d.id).collect();
    for (doc, value) in ids.into_iter().zip(values) {
        workspace
            .apply(Edit::SetAttributeValue {
                doc,
                attribute: 1,
                value: Some((*value).into()),
            })
            .unwrap();
    }
}
