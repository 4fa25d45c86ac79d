//! Document attributes beyond the model: reading and writing them as CSV ([`csv`]), and
//! choosing documents by their values ([`filter`]). Pure functions of a project: nothing here
//! touches the disk or changes a project; an import returns the [`crate::Edit`] to apply.
//! The command line (`marginalia attributes`, `--documents`) and the window share them.

pub mod csv;
pub mod filter;

pub use filter::DocumentFilter;

use crate::model::{Case, CaseId, DocId, Document, Project};

/// How a name given for a document (a CSV cell, a filter value) found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchedBy {
    Title,
    Path,
    Id,
    /// A case's name (matched without regard to letter case and spacing).
    Name,
}

impl MatchedBy {
    pub fn name(self) -> &'static str {
        match self {
            MatchedBy::Title => "title",
            MatchedBy::Path => "path",
            MatchedBy::Id => "id",
            MatchedBy::Name => "name",
        }
    }
}

/// The case that `name` names by its name (as speakers are matched, [`case_key`]) or its
/// id. `Err` says why none.
pub fn find_case<'a>(project: &'a Project, name: &str) -> Result<(&'a Case, MatchedBy), String> {
    if let Some(case) = project.case_named(name) {
        return Ok((case, MatchedBy::Name));
    }
    name.trim()
        .parse::<CaseId>()
        .ok()
        .and_then(|id| project.case(id))
        .map(|case| (case, MatchedBy::Id))
        .ok_or_else(|| {
            format!(
                "no case has the name or id {:?}; cases are the speakers of transcripts (see `attributes --cases`)",
                name.trim()
            )
        })
}

/// The document that `name` names by its title, its path as stored or its id (tried in
/// that order). `Err` says why none or several.
pub fn find_document<'a>(
    project: &'a Project,
    name: &str,
) -> Result<(&'a Document, MatchedBy), String> {
    let name = name.trim();
    let mut found: Vec<(&Document, MatchedBy)> = Vec::new();
    let mut add = |document: &'a Document, by| {
        if !found.iter().any(|(d, _)| d.id == document.id) {
            found.push((document, by));
        }
    };
    for document in &project.documents {
        if document.title.trim() == name {
            add(document, MatchedBy::Title);
        }
    }
    for document in &project.documents {
        if document.path.trim() == name {
            add(document, MatchedBy::Path);
        }
    }
    if let Some(document) = name
        .parse::<DocId>()
        .ok()
        .and_then(|id| project.document(id))
    {
        add(document, MatchedBy::Id);
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!("no document has the title, path or id {name:?}")),
        several => Err(format!(
            "{name:?} names {} documents ({}); give its path or id instead",
            several.len(),
            several
                .iter()
                .map(|(d, by)| format!("id {} by its {}", d.id, by.name()))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The shortest way to name a document that names it alone: its title, else its path,
/// else its id (what the CSV export writes in its `document` column).
pub fn unambiguous_name(project: &Project, document: &Document) -> String {
    for candidate in [&document.title, &document.path] {
        if find_document(project, candidate).is_ok_and(|(d, _)| d.id == document.id) {
            return candidate.clone();
        }
    }
    document.id.to_string()
}
