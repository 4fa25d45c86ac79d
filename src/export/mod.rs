//! Exports: each format is a pure function of the project and its texts.

use std::collections::HashMap;

use crate::model::{DocId, DocumentText, Project};

/// What every export reads: the project and the texts of its documents that could be read.
pub struct Corpus<'a> {
    pub project: &'a Project,
    pub texts: HashMap<DocId, &'a DocumentText>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Markdown,
    Html,
    W3c,
    Qdpx,
    Qdc,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Csv,
        Format::Xlsx,
        Format::Markdown,
        Format::Html,
        Format::W3c,
        Format::Qdpx,
        Format::Qdc,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            Format::Csv => "CSV table (.csv)",
            Format::Xlsx => "Excel workbook (.xlsx)",
            Format::Markdown => "Markdown report (.md)",
            Format::Html => "HTML report (.html)",
            Format::W3c => "W3C Web Annotation (.jsonld)",
            Format::Qdpx => "REFI-QDA project (.qdpx)",
            Format::Qdc => "REFI-QDA codebook (.qdc)",
        }
    }

    pub fn extension(&self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::W3c => "jsonld",
            Format::Qdpx => "qdpx",
            Format::Qdc => "qdc",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Unavailable(String),
}

pub fn export(format: Format, _corpus: &Corpus) -> Result<Vec<u8>, ExportError> {
    Err(ExportError::Unavailable(format!(
        "{} export is being built",
        format.label()
    )))
}
