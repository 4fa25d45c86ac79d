//! Exports: each format is a pure function of the project and its texts.

use std::collections::HashMap;

use crate::model::{DocId, DocumentText, Project};

/// What every export reads: the project and the texts of its documents that could be read.
pub struct Corpus<'a> {
    pub project: &'a Project,
    pub texts: HashMap<DocId, &'a DocumentText>,
}
