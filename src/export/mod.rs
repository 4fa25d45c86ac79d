//! Exports: each format is a pure function of the project and its texts.
//!
//! Nothing here writes to disk or changes the project; every format returns the bytes of
//! the file, and the caller decides where they go. Positions are character offsets
//! (Unicode code points), as in the project file, unless a format's standard says otherwise.

pub mod csv;
pub mod figures;
pub mod html;
pub mod markdown;
pub mod matrix;
pub mod qdc;
pub mod qdpx;
pub mod w3c;
pub mod xlsx;

mod table;

pub use table::Speech;
mod xml;

use std::collections::HashMap;
use std::fmt;

use thiserror::Error;
use uuid::Uuid;

use crate::model::{Annotation, DocId, Document, DocumentText, Project, Tag};

/// What every export reads: the project and the texts of its documents that could be read.
pub struct Corpus<'a> {
    pub project: &'a Project,
    pub texts: HashMap<DocId, &'a DocumentText>,
}

impl Corpus<'_> {
    pub fn text(&self, doc: DocId) -> Option<&DocumentText> {
        self.texts.get(&doc).copied()
    }

    /// The document's text when it is available and the passage still sits on its quote;
    /// `None` when positions cannot be trusted against the text at hand.
    pub fn anchored_text(&self, annotation: &Annotation) -> Option<&DocumentText> {
        self.text(annotation.doc)
            .filter(|text| crate::anchor::is_anchored(annotation, text))
    }

    /// Documents whose text could not be read, in project order.
    pub fn documents_without_text(&self) -> impl Iterator<Item = &Document> {
        self.project
            .documents
            .iter()
            .filter(|d| !self.texts.contains_key(&d.id))
    }
}

/// The project restricted to `documents` (in its own order) and their passages; the
/// codebook, attributes, memo and id counters unchanged. What `export --documents` exports.
pub fn only_documents(project: &Project, documents: &[DocId]) -> Project {
    let keep: std::collections::HashSet<DocId> = documents.iter().copied().collect();
    Project {
        cases: Vec::new(),
        format: project.format,
        name: project.name.clone(),
        codebook: project.codebook.clone(),
        attributes: project.attributes.clone(),
        memo: project.memo.clone(),
        ids: project.ids.clone(),
        documents: project
            .documents
            .iter()
            .filter(|d| keep.contains(&d.id))
            .cloned()
            .collect(),
        annotations: project
            .annotations
            .iter()
            .filter(|a| keep.contains(&a.doc))
            .cloned()
            .collect(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Csv,
    Xlsx,
    /// The code matrix (a row per document or case, a column per tag), as CSV.
    MatrixCsv,
    /// The code matrix as an Excel workbook.
    MatrixXlsx,
    Markdown,
    Html,
    W3c,
    Qdpx,
    Qdc,
}

impl Format {
    pub const ALL: [Format; 9] = [
        Format::Csv,
        Format::Xlsx,
        Format::MatrixCsv,
        Format::MatrixXlsx,
        Format::Markdown,
        Format::Html,
        Format::W3c,
        Format::Qdpx,
        Format::Qdc,
    ];

    /// The name used on the command line (`--format NAME`).
    pub fn name(&self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::MatrixCsv => "matrix-csv",
            Format::MatrixXlsx => "matrix-xlsx",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::W3c => "w3c",
            Format::Qdpx => "qdpx",
            Format::Qdc => "qdc",
        }
    }

    /// What a menu shows.
    pub fn label(&self) -> &'static str {
        match self {
            Format::Csv => "CSV table (.csv)",
            Format::Xlsx => "Excel workbook (.xlsx)",
            Format::MatrixCsv => "Code matrix for R, SPSS, pandas (.csv)",
            Format::MatrixXlsx => "Code matrix, Excel (.xlsx)",
            Format::Markdown => "Markdown report (.md)",
            Format::Html => "HTML report (.html)",
            Format::W3c => "W3C Web Annotations (.jsonld)",
            Format::Qdpx => "REFI-QDA project (.qdpx)",
            Format::Qdc => "REFI-QDA codebook (.qdc)",
        }
    }

    /// File extension without the dot.
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx | Format::MatrixXlsx => "xlsx",
            Format::MatrixCsv => "csv",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::W3c => "jsonld",
            Format::Qdpx => "qdpx",
            Format::Qdc => "qdc",
        }
    }

    /// Parse a command-line name (`csv|xlsx|md|html|w3c|qdpx|qdc`); case does not matter,
    /// and a few obvious spellings (`markdown`, `jsonld`) are accepted too.
    pub fn from_name(name: &str) -> Option<Format> {
        let name = name.trim().to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .or(match name.as_str() {
                "markdown" => Some(Format::Markdown),
                "jsonld" | "json-ld" => Some(Format::W3c),
                "htm" => Some(Format::Html),
                _ => None,
            })
    }

    /// Whether the output is text that may go to a terminal (binary formats need a file).
    pub fn is_text(&self) -> bool {
        !matches!(self, Format::Xlsx | Format::MatrixXlsx | Format::Qdpx)
    }

    /// Whether the format needs every document's text (rather than the stored quotes).
    pub fn needs_texts(&self) -> bool {
        matches!(self, Format::Qdpx)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Error)]
pub enum ExportError {
    #[error(
        "document {id} “{title}” ({path}): its text could not be read, and a {format} must \
         include it; restore the file (or remove the document) and export again"
    )]
    MissingText {
        id: DocId,
        title: String,
        path: String,
        format: &'static str,
    },
    #[error(
        "passage {passage} in “{title}” ({start}..{end}) no longer holds its quote “{quote}”; \
         re-anchor it (`marginalia check` lists such passages) before exporting a {format}"
    )]
    PassageOffText {
        passage: u32,
        title: String,
        start: usize,
        end: usize,
        quote: String,
        format: &'static str,
    },
    #[error("the codebook has no tags, and a {format} needs at least one")]
    EmptyCodebook { format: &'static str },
    #[error("CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("Excel workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("zip archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("writing XML: {0}")]
    Io(#[from] std::io::Error),
}

/// A format, and for a REFI-QDA project the program it is written for: what the window's
/// File → Export menu offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExportChoice {
    pub format: Format,
    pub for_tool: Option<crate::qda_tools::QdaTool>,
    /// A code matrix's cells count each document's passages with the tag instead of
    /// marking it present (1) or absent (0), as `export --counts` does.
    pub counts: bool,
}

impl ExportChoice {
    pub fn plain(format: Format) -> Self {
        Self {
            format,
            for_tool: None,
            counts: false,
        }
    }

    /// A code matrix counting passages ([`Self::counts`]).
    pub fn counting(format: Format) -> Self {
        Self {
            counts: true,
            ..Self::plain(format)
        }
    }

    pub fn label(&self) -> String {
        match (self.for_tool, self.counts) {
            (Some(tool), _) => format!("{} for {}", self.format.label(), tool.label()),
            (None, true) => format!("{}, passages counted", self.format.label()),
            (None, false) => self.format.label().to_owned(),
        }
    }

    pub fn extension(&self) -> &'static str {
        self.format.extension()
    }
}

/// Export the corpus as a choice of the menu. Never changes the project.
pub fn export_choice(choice: ExportChoice, corpus: &Corpus) -> Result<Vec<u8>, ExportError> {
    match (choice.format, choice.for_tool) {
        (Format::Qdpx, tool) => qdpx::export_for(corpus, tool),
        (Format::MatrixCsv, _) => matrix::export_csv(corpus, choice.counts),
        (Format::MatrixXlsx, _) => matrix::export_xlsx(corpus, choice.counts),
        (format, _) => export(format, corpus),
    }
}

/// Export the corpus in one format. Never changes the project.
pub fn export(format: Format, corpus: &Corpus) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Csv => csv::export(corpus),
        Format::Xlsx => xlsx::export(corpus),
        Format::MatrixCsv => matrix::export_csv(corpus, false),
        Format::MatrixXlsx => matrix::export_xlsx(corpus, false),
        Format::Markdown => Ok(markdown::render(corpus).into_bytes()),
        Format::Html => Ok(html::render(corpus).into_bytes()),
        Format::W3c => w3c::export(corpus),
        Format::Qdpx => qdpx::export(corpus),
        Format::Qdc => qdc::export(corpus),
    }
}

/// A fixed namespace for Marginalia's name-based UUIDs (generated once, never to change:
/// changing it would change every exported identifier).
const MARGINALIA_NAMESPACE: Uuid = Uuid::from_u128(0xbf54_44fc_dfbc_4f9f_8e67_4ea8_80ea_39fe);

/// A UUID that stays the same across exports of the same project: version 5 (SHA-1, name
/// based) of the project's name, then of `kind:id` within it. Hashing the name into its own
/// namespace first keeps `("a:b", "c")` and `("a", "b:c")` apart.
pub fn stable_uuid(project_name: &str, kind: &str, id: impl fmt::Display) -> Uuid {
    let project_namespace = Uuid::new_v5(&MARGINALIA_NAMESPACE, project_name.as_bytes());
    Uuid::new_v5(&project_namespace, format!("{kind}:{id}").as_bytes())
}

/// The name to show for a passage's document, even in a hand-edited project whose
/// passage names a document that is not listed.
fn document_title(project: &Project, doc: DocId) -> String {
    project
        .document(doc)
        .map_or_else(|| format!("document {doc}"), |d| d.title.clone())
}

fn tag_name(project: &Project, id: u32) -> String {
    project
        .tag(id)
        .map_or_else(|| format!("tag {id}"), |t: &Tag| t.name.clone())
}

/// Shorten a text for an error message, on a character boundary.
fn excerpt(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The documents that have a memo, in project order: the reports list them.
pub(crate) fn documents_with_memos(project: &Project) -> Vec<&Document> {
    project
        .documents
        .iter()
        .filter(|d| !d.memo.trim().is_empty())
        .collect()
}

/// Passages in document order, each with whether it is the first of its document, so a
/// report can put a document heading before it.
pub(crate) fn with_document_starts<'a>(
    passages: &'a [&'a Annotation],
) -> impl Iterator<Item = (bool, &'a Annotation)> + 'a {
    let mut current_doc = None;
    passages.iter().map(move |annotation| {
        let first = current_doc != Some(annotation.doc);
        current_doc = Some(annotation.doc);
        (first, *annotation)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
            assert!(format.label().contains(format.extension()), "{format}");
        }
        assert_eq!(Format::from_name("Markdown"), Some(Format::Markdown));
        assert_eq!(Format::from_name("docx"), None);
        assert!(!Format::Xlsx.is_text() && !Format::Qdpx.is_text());
        assert!(Format::Qdc.is_text() && Format::Csv.is_text());
    }

    #[test]
    fn stable_uuids_depend_on_project_kind_and_id() {
        let a = stable_uuid("Study", "passage", 1);
        assert_eq!(a, stable_uuid("Study", "passage", 1));
        assert_eq!(a.get_version_num(), 5);
        assert_ne!(a, stable_uuid("Study", "passage", 2));
        assert_ne!(a, stable_uuid("Study", "code", 1));
        assert_ne!(a, stable_uuid("Other study", "passage", 1));
        assert_ne!(stable_uuid("a:b", "c", 1), stable_uuid("a", "b:c", 1));
    }
}
