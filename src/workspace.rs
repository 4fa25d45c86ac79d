//! A project being worked on: the project, its texts as found on disk, where it is saved,
//! and the history of edits. The UI and the command line both drive this; neither touches
//! the project any other way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::anchor::{self, SourceState};
use crate::edit::{Edit, EditError};
use crate::import;
use crate::model::{Annotation, AnnotationId, DocId, Document, DocumentText, Project, TagId};
use crate::store::{self, StoreError};

#[derive(Debug, Error)]
pub enum AddDocumentError {
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error("{}: the same text is already in the project as “{title}”", file.display())]
    Duplicate { file: PathBuf, title: String },
    #[error(transparent)]
    Edit(#[from] EditError),
}

struct HistoryEntry {
    edit: Edit,
    /// The state the project returns to when `edit` is applied.
    state: u64,
}

pub struct Workspace {
    project: Project,
    path: Option<PathBuf>,
    sources: HashMap<DocId, SourceState>,
    undo_stack: Vec<HistoryEntry>,
    redo_stack: Vec<HistoryEntry>,
    /// Identifies the project's content: equal ids mean equal content, so undoing back to
    /// the saved state clears the unsaved marker.
    state: u64,
    saved_state: Option<u64>,
    next_state: u64,
    /// Changed by every change; views key their caches on it. Never repeats, not even
    /// across workspaces, so a cache cannot mistake a replaced project for the one it saw.
    revision: u64,
    /// Name recorded on new passages.
    pub coder: String,
}

fn fresh_revision() -> u64 {
    static LAST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    LAST.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
}

impl Workspace {
    /// A new, unsaved project with the default codebook and no documents.
    pub fn new_unsaved(name: &str) -> Self {
        Self::from_project(Project::new(name), None, false)
    }

    /// Open a project file and read its documents.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let project = store::load_project(path)?;
        Ok(Self::from_project(project, Some(path.to_owned()), true))
    }

    /// A new, unsaved project holding the given document files.
    pub fn from_files(files: &[PathBuf]) -> Result<Self, AddDocumentError> {
        let mut workspace = Self::new_unsaved("Untitled project");
        for file in files {
            workspace.add_document_file(file)?;
        }
        // Opening files is not an edit to undo: the project starts here.
        workspace.undo_stack.clear();
        Ok(workspace)
    }

    pub fn from_project(project: Project, path: Option<PathBuf>, saved: bool) -> Self {
        let mut workspace = Self {
            project,
            path,
            sources: HashMap::new(),
            undo_stack: Vec::new(),
            redo_stack: Vec::new(),
            state: 0,
            saved_state: saved.then_some(0),
            next_state: 1,
            revision: fresh_revision(),
            coder: String::new(),
        };
        workspace.reload_sources();
        workspace
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn is_dirty(&self) -> bool {
        self.saved_state != Some(self.state)
    }

    /// The folder document paths are relative to: the project file's, or for an unsaved
    /// project the current directory (its paths are absolute until it is saved).
    pub fn base_dir(&self) -> PathBuf {
        match self.path.as_deref().and_then(Path::parent) {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }

    pub fn document_file(&self, document: &Document) -> PathBuf {
        store::resolve_document_path(&document.path, &self.base_dir())
    }

    /// Read every document's file again (after it changed on disk, or after Save as).
    pub fn reload_sources(&mut self) {
        let base = self.base_dir();
        self.sources = self
            .project
            .documents
            .iter()
            .map(|d| {
                let file = store::resolve_document_path(&d.path, &base);
                (d.id, anchor::read_source(d, &file))
            })
            .collect();
        self.revision = fresh_revision();
    }

    pub fn source(&self, doc: DocId) -> Option<&SourceState> {
        self.sources.get(&doc)
    }

    pub fn text(&self, doc: DocId) -> Option<&DocumentText> {
        self.sources.get(&doc).and_then(SourceState::text)
    }

    /// The project with its readable texts, as the exports take it.
    pub fn corpus(&self) -> crate::export::Corpus<'_> {
        crate::export::Corpus {
            project: &self.project,
            texts: self
                .sources
                .iter()
                .filter_map(|(id, source)| source.text().map(|t| (*id, t)))
                .collect(),
        }
    }

    /// Whether a passage's span still holds its quote (false when the text is unavailable).
    pub fn is_anchored(&self, annotation: &Annotation) -> bool {
        self.text(annotation.doc)
            .is_some_and(|text| anchor::is_anchored(annotation, text))
    }

    // ----- editing -----

    /// Apply an edit as one undoable step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let inverse = edit.apply(&mut self.project)?;
        self.after_document_edit(&edit);
        self.undo_stack.push(HistoryEntry {
            edit: inverse,
            state: self.state,
        });
        self.redo_stack.clear();
        self.state = self.next_state;
        self.next_state += 1;
        self.revision = fresh_revision();
        Ok(())
    }

    pub fn can_undo(&self) -> bool {
        !self.undo_stack.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo_stack.is_empty()
    }

    /// Labels of the next undo and redo steps, for the Edit menu.
    pub fn undo_label(&self) -> Option<&'static str> {
        self.undo_stack.last().map(|e| e.edit.label())
    }

    pub fn redo_label(&self) -> Option<&'static str> {
        self.redo_stack.last().map(|e| e.edit.label())
    }

    pub fn undo(&mut self) -> bool {
        Self::step(
            &mut self.project,
            &mut self.undo_stack,
            &mut self.redo_stack,
            &mut self.state,
        )
        .is_some_and(|edit| {
            self.after_document_edit(&edit);
            self.revision = fresh_revision();
            true
        })
    }

    pub fn redo(&mut self) -> bool {
        Self::step(
            &mut self.project,
            &mut self.redo_stack,
            &mut self.undo_stack,
            &mut self.state,
        )
        .is_some_and(|edit| {
            self.after_document_edit(&edit);
            self.revision = fresh_revision();
            true
        })
    }

    fn step(
        project: &mut Project,
        from: &mut Vec<HistoryEntry>,
        to: &mut Vec<HistoryEntry>,
        state: &mut u64,
    ) -> Option<Edit> {
        let entry = from.pop()?;
        let inverse = entry
            .edit
            .apply(project)
            .expect("history entries are inverses of applied edits and always apply");
        to.push(HistoryEntry {
            edit: inverse,
            state: *state,
        });
        *state = entry.state;
        Some(entry.edit)
    }

    /// Documents added by an edit (or by undoing a removal) need their text read.
    fn after_document_edit(&mut self, edit: &Edit) {
        let touches_documents = match edit {
            Edit::InsertDocument { .. } | Edit::RemoveDocument(_) | Edit::UpdateDocument(_) => true,
            Edit::Batch(edits) => edits.iter().any(|e| {
                matches!(
                    e,
                    Edit::InsertDocument { .. } | Edit::RemoveDocument(_) | Edit::UpdateDocument(_)
                )
            }),
            _ => false,
        };
        if touches_documents {
            let base = self.base_dir();
            let project = &self.project;
            self.sources.retain(|id, _| project.document(*id).is_some());
            for document in &project.documents {
                self.sources.entry(document.id).or_insert_with(|| {
                    anchor::read_source(
                        document,
                        &store::resolve_document_path(&document.path, &base),
                    )
                });
            }
        }
    }

    // ----- common edits, phrased as a researcher would -----

    /// Tag `range` of `doc` with `tag`: a new passage, or when a passage covers exactly this
    /// range already, the tag is toggled on it. Returns the passage, or `None` when the
    /// toggle removed its last tag and with it the passage.
    pub fn tag_range(
        &mut self,
        doc: DocId,
        range: std::ops::Range<usize>,
        tag: TagId,
    ) -> Result<Option<AnnotationId>, EditError> {
        if let Some(existing) = self.project.annotation_at_exact(doc, range.clone()) {
            let id = existing.id;
            return self.toggle_tag(id, tag);
        }
        let quote = self
            .text(doc)
            .and_then(|t| t.slice(range.clone()))
            .ok_or(EditError::BadSpan {
                start: range.start,
                end: range.end,
            })?
            .to_owned();
        let id = self.project.next_annotation_id();
        self.apply(Edit::AddAnnotation(Annotation {
            id,
            doc,
            start: range.start,
            end: range.end,
            tags: vec![tag],
            quote,
            note: String::new(),
            coder: self.coder.clone(),
            created: crate::model::now_rfc3339(),
        }))?;
        Ok(Some(id))
    }

    /// Add or remove one tag on a passage; removing its last tag deletes the passage.
    pub fn toggle_tag(
        &mut self,
        id: AnnotationId,
        tag: TagId,
    ) -> Result<Option<AnnotationId>, EditError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::NoAnnotation(id))?;
        let mut tags = annotation.tags.clone();
        if let Some(position) = tags.iter().position(|t| *t == tag) {
            tags.remove(position);
        } else {
            tags.push(tag);
            let order: Vec<TagId> = self.project.codebook.iter().map(|t| t.id).collect();
            tags.sort_by_key(|t| order.iter().position(|o| o == t));
        }
        if tags.is_empty() {
            self.apply(Edit::RemoveAnnotation(id))?;
            Ok(None)
        } else {
            self.apply(Edit::SetAnnotationTags { id, tags })?;
            Ok(Some(id))
        }
    }

    /// Add a text file as a new document. The same text twice is refused.
    pub fn add_document_file(&mut self, file: &Path) -> Result<DocId, AddDocumentError> {
        let imported = import::read_document(file)?;
        let sha256 = anchor::sha256_hex(&imported.bytes);
        if let Some(existing) = self
            .project
            .documents
            .iter()
            .find(|d| d.sha256.eq_ignore_ascii_case(&sha256))
        {
            return Err(AddDocumentError::Duplicate {
                file: file.to_owned(),
                title: existing.title.clone(),
            });
        }
        let id = self.project.next_document_id();
        let path = match &self.path {
            Some(_) => store::relative_document_path(file, &self.base_dir()),
            None => std::path::absolute(file)
                .unwrap_or_else(|_| file.to_owned())
                .to_string_lossy()
                .into_owned(),
        };
        let text = DocumentText::new(imported.text);
        let document = Document {
            id,
            path,
            title: import::title_of(text.as_str(), file),
            sha256,
            chars: text.char_count(),
            memo: String::new(),
            origin: None,
        };
        self.apply(Edit::InsertDocument {
            index: self.project.documents.len(),
            document,
        })?;
        Ok(id)
    }

    // ----- saving -----

    /// Save to the project's own file. Fails for a project that has never been saved.
    pub fn save(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone().ok_or_else(|| StoreError::Invalid {
            file: PathBuf::from("(unsaved project)"),
            message: "choose where to save it first (Save as…)".to_owned(),
        })?;
        store::save_project(&self.project, &path)?;
        self.saved_state = Some(self.state);
        Ok(())
    }

    /// Save under a new path; document paths are rewritten relative to the new folder.
    pub fn save_as(&mut self, path: &Path) -> Result<(), StoreError> {
        let old_base = self.base_dir();
        let new_base = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        };
        let mut project = self.project.clone();
        for document in &mut project.documents {
            let file = store::resolve_document_path(&document.path, &old_base);
            document.path = store::relative_document_path(&file, &new_base);
        }
        store::save_project(&project, path)?;
        self.project.documents = project.documents;
        self.path = Some(path.to_owned());
        self.saved_state = Some(self.state);
        self.revision = fresh_revision();
        Ok(())
    }
}
