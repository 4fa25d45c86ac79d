//! A project being worked on: the project, its texts as found on disk, where it is saved,
//! and the history of edits. The UI and the command line both drive this; neither touches
//! the project any other way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::anchor::{self, OrphanReason, Placement, SourceState};
use crate::edit::{Edit, EditError};
use crate::import;
use crate::model::{Annotation, AnnotationId, DocId, Document, DocumentText, Project, TagId};
use crate::store::{self, LockHolder, ProjectLock, StoreError};

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
    /// Bumped by every change; views key their caches on it.
    revision: u64,
    /// Name recorded on new passages.
    pub coder: String,
    /// SHA-256 of the project file's bytes as last read or written here: saving refuses to
    /// overwrite a file that no longer has it.
    disk_fingerprint: Option<String>,
    /// This window's line in the project's lock file, when it took one.
    lock: Option<ProjectLock>,
}

/// What re-anchoring found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reanchoring {
    /// Passages put on the span where their text now is.
    pub moved: usize,
    /// Passages that could not be placed and wait for a person.
    pub orphaned: usize,
    /// Documents whose recorded fingerprint was updated to their current text.
    pub documents_updated: usize,
}

impl Workspace {
    /// A new, unsaved project with the default codebook and no documents.
    pub fn new_unsaved(name: &str) -> Self {
        Self::from_project(Project::new(name), None, false)
    }

    /// Open a project file and read its documents.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let (project, fingerprint) = store::load_project_fingerprinted(path)?;
        let mut workspace = Self::from_project(project, Some(path.to_owned()), true);
        workspace.disk_fingerprint = Some(fingerprint);
        Ok(workspace)
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
            revision: 0,
            coder: String::new(),
            disk_fingerprint: None,
            lock: None,
        };
        // What is on disk now is what saving must not silently overwrite later.
        workspace.disk_fingerprint = workspace.path.as_deref().and_then(file_fingerprint);
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
        self.revision += 1;
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
        self.revision += 1;
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
            self.revision += 1;
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
            self.revision += 1;
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
            // A document whose record changed (a new fingerprint after re-anchoring, or its
            // undo) is compared with its file again.
            let updated: Vec<DocId> = match edit {
                Edit::UpdateDocument(d) => vec![d.id],
                Edit::Batch(edits) => edits
                    .iter()
                    .filter_map(|e| match e {
                        Edit::UpdateDocument(d) => Some(d.id),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for id in updated {
                self.sources.remove(&id);
            }
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
        let anchor = self
            .text(doc)
            .and_then(|t| anchor::anchor_at(t, range.clone()))
            .ok_or(EditError::BadSpan {
                start: range.start,
                end: range.end,
            })?;
        let id = self.project.next_annotation_id();
        self.apply(Edit::AddAnnotation(Annotation {
            id,
            doc,
            start: range.start,
            end: range.end,
            tags: vec![tag],
            quote: anchor.quote,
            note: String::new(),
            coder: self.coder.clone(),
            created: crate::model::now_rfc3339(),
            prefix: anchor.prefix,
            suffix: anchor.suffix,
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

    // ----- re-anchoring -----

    /// Where every passage lies in its document's current text, in project order.
    pub fn placements(&self) -> Vec<(AnnotationId, Placement)> {
        let mut placements = Vec::with_capacity(self.project.annotations.len());
        let mut by_document: HashMap<DocId, Vec<&Annotation>> = HashMap::new();
        for annotation in &self.project.annotations {
            by_document
                .entry(annotation.doc)
                .or_default()
                .push(annotation);
        }
        let mut found: HashMap<AnnotationId, Placement> = HashMap::new();
        for (doc, passages) in by_document {
            match self.text(doc) {
                Some(text) => {
                    let placed = anchor::place_passages(&passages, text);
                    found.extend(passages.iter().map(|a| a.id).zip(placed));
                }
                None => found.extend(
                    passages
                        .iter()
                        .map(|a| (a.id, Placement::Orphaned(OrphanReason::NoText))),
                ),
            }
        }
        for annotation in &self.project.annotations {
            placements.push((annotation.id, found[&annotation.id]));
        }
        placements
    }

    /// The one edit that re-anchors the project: passages found elsewhere move there (with
    /// the quote and context found there), passages of a changed document take their
    /// context from its current text, and each changed document records the fingerprint
    /// of its current text. Orphans are left exactly as they are. `None` when nothing needs
    /// changing.
    pub fn reanchoring_edit(&self) -> (Option<Edit>, Reanchoring) {
        let mut summary = Reanchoring::default();
        let mut edits = Vec::new();
        for document in &self.project.documents {
            if let Some(SourceState::Changed(text)) = self.source(document.id) {
                let mut updated = document.clone();
                updated.sha256 = anchor::sha256_hex(text.as_str().as_bytes());
                updated.chars = text.char_count();
                edits.push(Edit::UpdateDocument(updated));
                summary.documents_updated += 1;
            }
        }
        for (id, placement) in self.placements() {
            let annotation = self.project.annotation(id).expect("placed passages exist");
            let changed_document =
                matches!(self.source(annotation.doc), Some(SourceState::Changed(_)));
            let range = match placement {
                Placement::Anchored if changed_document => annotation.range(),
                Placement::Anchored => continue,
                Placement::Reanchored { start, end } => {
                    summary.moved += 1;
                    start..end
                }
                Placement::Orphaned(_) => {
                    summary.orphaned += 1;
                    continue;
                }
            };
            let Some(found) = self
                .text(annotation.doc)
                .and_then(|text| anchor::anchor_at(text, range))
            else {
                continue;
            };
            if (found.start, found.end) == (annotation.start, annotation.end)
                && found.quote == annotation.quote
                && found.prefix == annotation.prefix
                && found.suffix == annotation.suffix
            {
                continue;
            }
            edits.push(Edit::MoveAnnotation {
                id,
                start: found.start,
                end: found.end,
                quote: found.quote,
                prefix: found.prefix,
                suffix: found.suffix,
            });
        }
        let edit = (!edits.is_empty()).then_some(Edit::Batch(edits));
        (edit, summary)
    }

    /// Re-anchor the project as one undoable step (see [`Self::reanchoring_edit`]).
    pub fn reanchor(&mut self) -> Result<Reanchoring, EditError> {
        let (edit, summary) = self.reanchoring_edit();
        if let Some(edit) = edit {
            self.apply(edit)?;
        }
        Ok(summary)
    }

    /// Put a passage on new text of its document, with the quote and context there.
    pub fn move_passage(
        &mut self,
        id: AnnotationId,
        range: std::ops::Range<usize>,
    ) -> Result<(), EditError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::NoAnnotation(id))?;
        let found = self
            .text(annotation.doc)
            .filter(|_| range.start < range.end)
            .and_then(|text| anchor::anchor_at(text, range.clone()))
            .ok_or(EditError::BadSpan {
                start: range.start,
                end: range.end,
            })?;
        self.apply(Edit::MoveAnnotation {
            id,
            start: found.start,
            end: found.end,
            quote: found.quote,
            prefix: found.prefix,
            suffix: found.suffix,
        })
    }

    // ----- saving -----

    /// Whether the project file is no longer what this workspace read or last wrote
    /// (another window or a sync tool wrote it). A file that is gone has nothing to lose.
    pub fn changed_on_disk(&self) -> bool {
        let Some(path) = &self.path else {
            return false;
        };
        match file_fingerprint(path) {
            Some(now) => self.disk_fingerprint.as_deref() != Some(now.as_str()),
            None => false,
        }
    }

    /// Save to the project's own file. Fails for a project that has never been saved, and
    /// with [`StoreError::ChangedOnDisk`] (writing nothing) when the file changed on disk
    /// since it was opened or saved here: then the person chooses [`Self::save_overwriting`]
    /// or [`Self::save_as`]. Autosave must never call this: it writes a recovery file.
    pub fn save(&mut self) -> Result<(), StoreError> {
        let path = self.own_path()?;
        if self.changed_on_disk() {
            return Err(StoreError::ChangedOnDisk { file: path });
        }
        self.write_to(&path)
    }

    /// Save to the project's own file even though it changed on disk: the person chose to
    /// overwrite it (the replaced file is kept as `NAME.ron.bak`).
    pub fn save_overwriting(&mut self) -> Result<(), StoreError> {
        let path = self.own_path()?;
        self.write_to(&path)
    }

    fn own_path(&self) -> Result<PathBuf, StoreError> {
        self.path.clone().ok_or_else(|| StoreError::Invalid {
            file: PathBuf::from("(unsaved project)"),
            message: "choose where to save it first (Save as…)".to_owned(),
        })
    }

    fn write_to(&mut self, path: &Path) -> Result<(), StoreError> {
        let text = store::project_to_ron(&self.project);
        store::write_atomically(path, text.as_bytes(), true)?;
        self.disk_fingerprint = Some(anchor::sha256_hex(text.as_bytes()));
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
        let text = store::project_to_ron(&project);
        store::write_atomically(path, text.as_bytes(), true)?;
        self.disk_fingerprint = Some(anchor::sha256_hex(text.as_bytes()));
        self.project.documents = project.documents;
        let moved = self.path.as_deref() != Some(path);
        self.path = Some(path.to_owned());
        self.saved_state = Some(self.state);
        self.revision += 1;
        if moved && self.lock.take().is_some() {
            let _ = self.lock_project();
        }
        Ok(())
    }

    // ----- other windows -----

    /// Record this window in the project's lock file. Returns the other windows (alive)
    /// that have the project open. A project never saved has no file to lock.
    pub fn lock_project(&mut self) -> Result<Vec<LockHolder>, StoreError> {
        let Some(path) = &self.path else {
            return Ok(Vec::new());
        };
        self.lock = None;
        let (lock, others) = ProjectLock::acquire(path)?;
        self.lock = Some(lock);
        Ok(others)
    }

    /// The other windows (alive) that have the project open now; none without a lock.
    pub fn other_windows(&self) -> Vec<LockHolder> {
        self.lock
            .as_ref()
            .map(ProjectLock::others)
            .unwrap_or_default()
    }
}

/// SHA-256 of a file's bytes; `None` when it cannot be read (it may not exist yet).
fn file_fingerprint(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|bytes| anchor::sha256_hex(&bytes))
}
