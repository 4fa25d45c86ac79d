//! Adding documents: reading and converting files, storing converted texts, refusing
//! duplicates.

use super::*;

#[derive(Debug, Error)]
pub enum AddDocumentError {
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error("{}: the same text is already in the project as “{title}”", file.display())]
    Duplicate { file: PathBuf, title: String },
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error("could not store the converted text: {0}")]
    Store(StoreError),
}

impl Workspace {
    /// Add a document file (any format [`import::read_document`] reads) as a new document,
    /// as one undoable step. The same text twice is refused. Returns the document and the
    /// warnings the person should see.
    pub fn add_document_file(
        &mut self,
        file: &Path,
    ) -> Result<(DocId, Vec<String>), AddDocumentError> {
        let imported = import::read_document(file)?;
        let warnings = imported.warnings.clone();
        Ok((self.add_imported(imported)?, warnings))
    }

    /// The document that already holds this text, if any.
    pub fn document_with_fingerprint(&self, sha256: &str) -> Option<&Document> {
        self.project
            .documents
            .iter()
            .find(|d| d.sha256.eq_ignore_ascii_case(sha256))
    }

    /// Where converted texts are kept: `sources/` beside the project file, or for a project
    /// not saved yet a folder of the app's own, from which Save as copies them beside it.
    pub fn sources_dir(&self) -> PathBuf {
        match &self.path {
            Some(_) => self.base_dir().join("sources"),
            None => self.unsaved_sources_dir.clone(),
        }
    }

    pub fn unsaved_sources_dir(&self) -> &Path {
        &self.unsaved_sources_dir
    }

    pub fn set_unsaved_sources_dir(&mut self, dir: PathBuf) {
        self.unsaved_sources_dir = dir;
    }

    /// Add a document read by [`import::read_document`] (perhaps on another thread). A
    /// converted text is first stored as UTF-8 in [`Self::sources_dir`]; nothing is written
    /// when the text is already in the project.
    pub fn add_imported(
        &mut self,
        imported: import::ImportedDocument,
    ) -> Result<DocId, AddDocumentError> {
        let (ids, mut errors) = self.add_imported_all(vec![imported]);
        match errors.pop() {
            Some(error) => Err(error),
            None => Ok(ids[0]),
        }
    }

    /// Add several read documents as one undoable step. Each that cannot be added (its text
    /// is in the project already, or is given twice) is left out with its error.
    pub fn add_imported_all(
        &mut self,
        documents: Vec<import::ImportedDocument>,
    ) -> (Vec<DocId>, Vec<AddDocumentError>) {
        let mut prepared: Vec<Document> = Vec::new();
        let mut new_cases: Vec<crate::model::Case> = Vec::new();
        let mut errors = Vec::new();
        for imported in documents {
            match self.prepare_document(imported, &prepared, &mut new_cases) {
                Ok(document) => prepared.push(document),
                Err(error) => errors.push(error),
            }
        }
        let ids: Vec<DocId> = prepared.iter().map(|d| d.id).collect();
        let first_index = self.project.documents.len();
        let first_case = self.project.cases.len();
        // The speakers first: the documents' turns name them.
        let mut edits: Vec<Edit> = new_cases
            .into_iter()
            .enumerate()
            .map(|(offset, case)| Edit::InsertCase {
                index: first_case + offset,
                case,
            })
            .collect();
        edits.extend(prepared.into_iter().enumerate().map(|(offset, document)| {
            Edit::InsertDocument {
                index: first_index + offset,
                document,
            }
        }));
        let edit = match edits.len() {
            0 => return (ids, errors),
            1 => edits.remove(0),
            _ => Edit::Batch(edits),
        };
        match self.apply(edit) {
            Ok(()) => (ids, errors),
            Err(error) => {
                errors.push(error.into());
                (Vec::new(), errors)
            }
        }
    }

    /// The document to insert for a read file, its converted text stored.
    pub(super) fn prepare_document(
        &self,
        imported: import::ImportedDocument,
        also_adding: &[Document],
        new_cases: &mut Vec<crate::model::Case>,
    ) -> Result<Document, AddDocumentError> {
        let sha256 = imported.sha256();
        if let Some(existing) = self.document_with_fingerprint(&sha256).or_else(|| {
            also_adding
                .iter()
                .find(|d| d.sha256.eq_ignore_ascii_case(&sha256))
        }) {
            return Err(AddDocumentError::Duplicate {
                file: imported.file,
                title: existing.title.clone(),
            });
        }
        let title = imported.title();
        let (stored, origin) = if imported.converted {
            let stem = imported
                .file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "document".to_owned());
            let stored =
                store::write_new_file(&self.sources_dir(), &stem, "txt", imported.text.as_bytes())
                    .map_err(AddDocumentError::Store)?;
            (stored, Some(self.path_to_store(&imported.file)))
        } else {
            (imported.file.clone(), None)
        };
        let turns = match &imported.transcript {
            Some(found) => self.turns_with_cases(&found.turns, new_cases),
            None => Vec::new(),
        };
        let text = DocumentText::new(imported.text);
        Ok(Document {
            turns,
            direction: Default::default(),
            id: self.project.next_document_id() + also_adding.len() as DocId,
            path: self.path_to_store(&stored),
            title,
            sha256,
            chars: text.char_count(),
            memo: String::new(),
            origin,
            attributes: Default::default(),
        })
    }

    /// A transcript's turns with each speaker made a case: the project's case of that name
    /// (matched as [`crate::model::case_key`] does, so one person in several focus groups is
    /// one case), else a new one, added to `new_cases`.
    fn turns_with_cases(
        &self,
        turns: &[import::transcript::TranscriptTurn],
        new_cases: &mut Vec<crate::model::Case>,
    ) -> Vec<crate::model::Turn> {
        let mut case_of = |name: &str| -> Option<crate::model::CaseId> {
            if name.trim().is_empty() {
                return None;
            }
            if let Some(case) = self.project.case_named(name) {
                return Some(case.id);
            }
            let key = crate::model::case_key(name);
            if let Some(case) = new_cases
                .iter()
                .find(|c| crate::model::case_key(&c.name) == key)
            {
                return Some(case.id);
            }
            let id = self.project.next_case_id() + new_cases.len() as u32;
            new_cases.push(crate::model::Case {
                id,
                name: name.split_whitespace().collect::<Vec<_>>().join(" "),
                attributes: Default::default(),
                memo: String::new(),
            });
            Some(id)
        };
        turns
            .iter()
            .map(|turn| crate::model::Turn {
                start: turn.start,
                end: turn.end,
                speaker: case_of(&turn.speaker),
                time_start: turn.time_start,
                time_end: turn.time_end,
            })
            .collect()
    }

    /// A file's path as the project file records it: relative to the project's folder when
    /// saved and near it, absolute otherwise.
    pub(super) fn path_to_store(&self, file: &Path) -> String {
        match &self.path {
            Some(_) => store::relative_document_path(file, &self.base_dir()),
            None => std::path::absolute(file)
                .unwrap_or_else(|_| file.to_owned())
                .to_string_lossy()
                .into_owned(),
        }
    }
}
