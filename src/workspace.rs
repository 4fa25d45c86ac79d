//! A project being worked on: the project, its texts as found on disk, where it is saved,
//! and the history of edits. The UI and the command line both drive this; neither touches
//! the project any other way.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    #[error("could not store the converted text: {0}")]
    Store(StoreError),
}

struct HistoryEntry {
    edit: Edit,
    /// What the person did, in the Edit menu's words ("add passage"), whichever way the
    /// entry is stepped.
    label: &'static str,
    /// Edits made with the same key in a row (dragging a colour, typing a name) are one step.
    coalesce: Option<u64>,
    /// The state the project returns to when `edit` is applied.
    state: u64,
}

pub struct Workspace {
    /// Shared with savers running on other threads: a save takes a snapshot by cloning
    /// the `Arc`, and the next edit copies the project only if a save still holds it.
    project: Arc<Project>,
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
    /// Where converted texts of a project not yet saved are kept: the app passes a folder in
    /// its data folder; until then, a temporary folder of this process.
    unsaved_sources_dir: PathBuf,
    /// SHA-256 of the project file's bytes as last read or written here: saving refuses to
    /// overwrite a file that no longer has it.
    disk_fingerprint: Option<String>,
    /// This window's line in the project's lock file, when it took one.
    lock: Option<ProjectLock>,
    /// What the last edits did to passages, each with the revision it made, so that views
    /// keeping counts or indexes update them instead of looking at every passage again.
    /// Complete for every revision after `journal_from`.
    journal: std::collections::VecDeque<(u64, PassageChange)>,
    journal_from: u64,
    /// The path and fingerprint each document's source was read with: only a change of
    /// those reads the file again (a memo typed into the document's record does not).
    sources_read_as: HashMap<DocId, (String, String)>,
    /// Where each passage looked up by id was last seen (document, start, end), so the
    /// next look-up is a binary search; checked on every use, so an edit never makes it
    /// wrong, only slower once.
    passage_keys: std::cell::RefCell<HashMap<AnnotationId, (DocId, usize, usize)>>,
    /// Passages on a readable text whose span no longer holds their quote. Kept up to date
    /// edit by edit: checking 100,000 spans after every keystroke would cost a frame.
    misplaced: HashSet<AnnotationId>,
    /// Corrected texts (and texts put back by undo or redo) waiting to be written to their
    /// documents' files, in the order they were made.
    text_writes: Vec<TextWrite>,
}

/// How many passage changes the workspace remembers for views that update incrementally.
const JOURNAL_LENGTH: usize = 4096;

/// A passage as views index it: where it is and what it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassageSummary {
    pub id: AnnotationId,
    pub doc: DocId,
    pub start: usize,
    pub end: usize,
    pub tags: Vec<TagId>,
    pub coder: String,
}

impl PassageSummary {
    pub fn of(annotation: &Annotation) -> Self {
        Self {
            id: annotation.id,
            doc: annotation.doc,
            start: annotation.start,
            end: annotation.end,
            tags: annotation.tags.clone(),
            coder: annotation.coder.clone(),
        }
    }
}

/// One passage added or removed by an edit (a change of tags or span is both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PassageChange {
    Added(PassageSummary),
    Removed(PassageSummary),
}

/// What the journal needs from an edit's inverse: what a passage was before.
enum JournalView {
    Removed(PassageSummary),
    Tags(Vec<TagId>),
    Span(usize, usize),
    Batch(Vec<JournalView>),
    Other,
}

fn journal_view_of(inverse: &Edit) -> JournalView {
    match inverse {
        Edit::AddAnnotation(a) | Edit::RestoreAnnotation(a) => {
            JournalView::Removed(PassageSummary::of(a))
        }
        Edit::SetAnnotationTags { tags, .. } | Edit::RestoreAnnotationTags { tags, .. } => {
            JournalView::Tags(tags.clone())
        }
        Edit::MoveAnnotation { start, end, .. } => JournalView::Span(*start, *end),
        Edit::Batch(edits) => JournalView::Batch(edits.iter().map(journal_view_of).collect()),
        _ => JournalView::Other,
    }
}

/// A save of a snapshot of the project to its own file, ready to run on any thread.
pub struct SaveJob {
    path: PathBuf,
    project: Arc<Project>,
    state: u64,
    /// The file's fingerprint as last read or written here (`Some(None)`: there was no
    /// file); `None` when the person chose to overwrite whatever is there.
    expected_on_disk: Option<Option<String>>,
}

/// What a finished [`SaveJob`] wrote.
#[derive(Debug)]
pub struct Saved {
    path: PathBuf,
    state: u64,
    fingerprint: String,
}

impl SaveJob {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Serialise and write atomically (the previous file kept as `NAME.ron.bak`). Writes
    /// nothing and fails with [`StoreError::ChangedOnDisk`] when another program changed
    /// the file since this window last read or wrote it.
    pub fn run(self) -> Result<Saved, StoreError> {
        if let Some(expected) = &self.expected_on_disk
            && let Some(now) = file_fingerprint(&self.path)
            && expected.as_deref() != Some(now.as_str())
        {
            return Err(StoreError::ChangedOnDisk { file: self.path });
        }
        let text = store::project_to_ron(&self.project);
        store::write_atomically(&self.path, text.as_bytes(), true)?;
        Ok(Saved {
            fingerprint: anchor::sha256_hex(text.as_bytes()),
            path: self.path,
            state: self.state,
        })
    }
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

/// A document's text to write to its file, ready to run on any thread: the window's
/// correction of a text, or the text that undoing or redoing one puts back.
#[derive(Clone, Debug)]
pub struct TextWrite {
    pub doc: DocId,
    pub file: PathBuf,
    pub text: Arc<str>,
    /// Fingerprint of the text the file holds now, as this window last knew it.
    expected: String,
}

impl TextWrite {
    /// Write the text atomically, keeping what the file held as `NAME.bak`. Nothing is
    /// written when the file holds this text already, and nothing when another program
    /// changed it since ([`StoreError::ChangedOnDisk`]): its text is not this window's to
    /// overwrite.
    pub fn run(&self) -> Result<(), StoreError> {
        let now = std::fs::read(&self.file).map_err(|source| StoreError::Io {
            file: self.file.clone(),
            source,
        })?;
        let now = anchor::sha256_hex(&now);
        if now == anchor::sha256_hex(self.text.as_bytes()) {
            return Ok(());
        }
        if now != self.expected {
            return Err(StoreError::ChangedOnDisk {
                file: self.file.clone(),
            });
        }
        store::write_atomically(&self.file, self.text.as_bytes(), true)
    }
}

/// What correcting a document's text did to its passages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Correction {
    /// Passages whose span, quote or context changed with the text.
    pub moved: usize,
    /// Passages whose every character was deleted: listed under Needs attention.
    pub orphaned: usize,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum CorrectionError {
    #[error("“{0}” cannot be corrected: its text is not read as the project recorded it")]
    NotReadable(String),
    #[error(transparent)]
    Edit(#[from] EditError),
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

    /// A new project that is to be saved as `path` (not written yet).
    pub fn new_at(path: &Path, name: &str) -> Self {
        Self::from_project(Project::new(name), Some(path.to_owned()), false)
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

    pub fn from_project(mut project: Project, path: Option<PathBuf>, saved: bool) -> Self {
        // Look-ups by span and id are binary searches on the sorted list (the order the
        // file keeps); a project built in memory may come in any order.
        if !project
            .annotations
            .is_sorted_by_key(|a| (a.doc, a.start, a.end, a.id))
        {
            project.sort_annotations();
        }
        // Ids above the counters are free: a new passage need not be looked for first.
        project.sync_id_counters();
        let mut workspace = Self {
            project: Arc::new(project),
            path,
            sources: HashMap::new(),
            undo_stack: Vec::new(),
            redo_stack: Vec::new(),
            state: 0,
            saved_state: saved.then_some(0),
            next_state: 1,
            revision: 0,
            coder: String::new(),
            unsaved_sources_dir: store::paths::temporary_unsaved_sources_dir(),
            disk_fingerprint: None,
            lock: None,
            misplaced: HashSet::new(),
            passage_keys: Default::default(),
            sources_read_as: HashMap::new(),
            journal: Default::default(),
            journal_from: 0,
            text_writes: Vec::new(),
        };
        workspace.bump_revision(None);
        // What is on disk now is what saving must not silently overwrite later.
        workspace.disk_fingerprint = workspace.path.as_deref().and_then(file_fingerprint);
        workspace.reload_sources();
        workspace
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// A new revision; `changes` says what it did to passages, `None` that views must look
    /// at everything again.
    fn bump_revision(&mut self, changes: Option<Vec<PassageChange>>) {
        self.revision = fresh_revision();
        match changes {
            Some(changes) => {
                for change in changes {
                    self.journal.push_back((self.revision, change));
                }
                while self.journal.len() > JOURNAL_LENGTH {
                    if let Some((dropped, _)) = self.journal.pop_front() {
                        self.journal_from = self.journal_from.max(dropped);
                    }
                }
            }
            None => {
                self.journal.clear();
                self.journal_from = self.revision;
            }
        }
    }

    /// What happened to passages since `revision` (as a view last saw the project), or
    /// `None` when that is not known (too long ago, another project, or a change that
    /// touches everything): then the view looks at every passage again.
    pub fn passage_changes_since(&self, revision: u64) -> Option<Vec<&PassageChange>> {
        if revision == self.revision {
            return Some(Vec::new());
        }
        if revision < self.journal_from || revision > self.revision {
            return None;
        }
        let first = self.journal.partition_point(|(r, _)| *r <= revision);
        Some(self.journal.range(first..).map(|(_, c)| c).collect())
    }

    /// The passages an applied edit added and removed, from the edit and its inverse (the
    /// inverse holds what was there before).
    fn passage_changes(&self, applied: &Edit, inverse: &JournalView) -> Option<Vec<PassageChange>> {
        let mut changes = Vec::new();
        self.collect_changes(applied, inverse, &mut changes)?;
        Some(changes)
    }

    fn collect_changes(
        &self,
        applied: &Edit,
        inverse: &JournalView,
        changes: &mut Vec<PassageChange>,
    ) -> Option<()> {
        let now = |id: AnnotationId| self.annotation(id).map(PassageSummary::of);
        match (applied, inverse) {
            (Edit::AddAnnotation(a) | Edit::RestoreAnnotation(a), _) => {
                changes.push(PassageChange::Added(PassageSummary::of(a)));
            }
            (Edit::RemoveAnnotation(_), JournalView::Removed(before)) => {
                changes.push(PassageChange::Removed(before.clone()));
            }
            (
                Edit::SetAnnotationTags { id, .. } | Edit::RestoreAnnotationTags { id, .. },
                JournalView::Tags(old),
            ) => {
                let after = now(*id)?;
                let mut before = after.clone();
                before.tags = old.clone();
                changes.push(PassageChange::Removed(before));
                changes.push(PassageChange::Added(after));
            }
            (Edit::MoveAnnotation { id, .. }, JournalView::Span(start, end)) => {
                let after = now(*id)?;
                let mut before = after.clone();
                (before.start, before.end) = (*start, *end);
                changes.push(PassageChange::Removed(before));
                changes.push(PassageChange::Added(after));
            }
            (Edit::Batch(edits), JournalView::Batch(inverses)) => {
                // A batch's inverse undoes its parts in reverse order.
                for (edit, inverse) in edits.iter().zip(inverses.iter().rev()) {
                    self.collect_changes(edit, inverse, changes)?;
                }
            }
            // No passage's span, tags or place changes.
            (
                Edit::SetAnnotationNote { .. }
                | Edit::InsertTag { .. }
                | Edit::SetProjectMemo(_)
                | Edit::RenameProject(_)
                | Edit::UpdateDocument(_)
                | Edit::InsertDocument { .. },
                _,
            ) => {}
            // A tag's colour or a removal touching many passages: views look again.
            _ => return None,
        }
        Some(())
    }

    /// Characters of each document whose text could be read, as agreement and statistics
    /// take them (a document left out counts with the length recorded in the project).
    pub fn text_lengths(&self) -> std::collections::BTreeMap<DocId, usize> {
        self.project
            .documents
            .iter()
            .filter_map(|d| self.text(d.id).map(|t| (d.id, t.char_count())))
            .collect()
    }

    /// The passage with this id. Per-frame look-ups (the selected passage, the one under
    /// the pointer) come here: after the first, each is a binary search.
    pub fn annotation(&self, id: AnnotationId) -> Option<&Annotation> {
        let known = self.passage_keys.borrow().get(&id).copied();
        if let Some((doc, start, end)) = known
            && let Some(found) = self.project.annotation_at_key(id, doc, start, end)
        {
            return Some(found);
        }
        let found = self.project.annotation(id)?;
        self.passage_keys
            .borrow_mut()
            .insert(id, (found.doc, found.start, found.end));
        Some(found)
    }

    /// The project as it is now, to read on another thread (saving, exporting) while the
    /// window goes on editing. Cheap: edits made meanwhile copy the project first.
    pub fn snapshot(&self) -> Arc<Project> {
        Arc::clone(&self.project)
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
        self.sources_read_as = self
            .project
            .documents
            .iter()
            .map(|d| (d.id, (d.path.clone(), d.sha256.clone())))
            .collect();
        self.sources = self
            .project
            .documents
            .iter()
            .map(|d| {
                let file = store::resolve_document_path(&d.path, &base);
                (d.id, anchor::read_source(d, &file))
            })
            .collect();
        self.recheck_all_spans();
        self.bump_revision(None);
    }

    /// Passages whose document text is readable but whose span no longer holds their quote
    /// (orphans, or passages waiting to be re-anchored).
    pub fn misplaced(&self) -> &HashSet<AnnotationId> {
        &self.misplaced
    }

    fn recheck_all_spans(&mut self) {
        let sources = &self.sources;
        self.misplaced = self
            .project
            .annotations
            .iter()
            .filter(|a| {
                sources
                    .get(&a.doc)
                    .and_then(SourceState::text)
                    .is_some_and(|text| !anchor::is_anchored(a, text))
            })
            .map(|a| a.id)
            .collect();
    }

    /// Check again the spans of the passages an edit added, moved or removed.
    fn recheck_spans_of(&mut self, edit: &Edit) {
        match edit {
            Edit::AddAnnotation(a) | Edit::RestoreAnnotation(a) => {
                // Its span is known: the look-up is a binary search, not a walk.
                self.passage_keys
                    .borrow_mut()
                    .insert(a.id, (a.doc, a.start, a.end));
                self.recheck_span(a.id)
            }
            Edit::RemoveAnnotation(id) | Edit::MoveAnnotation { id, .. } => self.recheck_span(*id),
            Edit::Batch(edits) => edits.iter().for_each(|e| self.recheck_spans_of(e)),
            _ => {}
        }
    }

    fn recheck_span(&mut self, id: AnnotationId) {
        let misplaced = self.annotation(id).is_some_and(|a| {
            self.text(a.doc)
                .is_some_and(|text| !anchor::is_anchored(a, text))
        });
        if misplaced {
            self.misplaced.insert(id);
        } else {
            self.misplaced.remove(&id);
        }
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
        let label = edit.label();
        self.apply_labelled(edit, label)
    }

    /// Apply an edit as one undoable step named `label` in the Edit menu ("tag all hits").
    pub fn apply_labelled(&mut self, edit: Edit, label: &'static str) -> Result<(), EditError> {
        self.apply_coalescing(edit, label, None)
    }

    /// Apply an edit; when the previous step was made with the same `coalesce` key and
    /// nothing was undone or saved since, both become one step (one undo restores the state
    /// before the first), as a colour dragged through many values is one change.
    pub fn apply_coalescing(
        &mut self,
        edit: Edit,
        label: &'static str,
        coalesce: Option<u64>,
    ) -> Result<(), EditError> {
        let inverse = edit.apply(Arc::make_mut(&mut self.project))?;
        self.after_document_edit(&edit);
        // What the views need to know, read before the inverse joins the history.
        let inverse_for_journal = journal_view_of(&inverse);
        let joins_previous = coalesce.is_some()
            && self.redo_stack.is_empty()
            && self.saved_state != Some(self.state)
            && self
                .undo_stack
                .last()
                .is_some_and(|e| e.coalesce == coalesce);
        if joins_previous
            && self
                .undo_stack
                .last()
                .is_some_and(|e| inverse.restores_same_value_as(&e.edit))
        {
            // The step already restores the value from before this visit.
        } else if joins_previous {
            let previous = self.undo_stack.last_mut().expect("checked above");
            let earlier = std::mem::replace(&mut previous.edit, Edit::Batch(Vec::new()));
            let mut steps = vec![inverse];
            match earlier {
                Edit::Batch(earlier) => steps.extend(earlier),
                earlier => steps.push(earlier),
            }
            previous.edit = Edit::Batch(steps);
        } else {
            self.undo_stack.push(HistoryEntry {
                edit: inverse,
                label,
                coalesce,
                state: self.state,
            });
        }
        self.redo_stack.clear();
        self.state = self.next_state;
        self.next_state += 1;
        let changes = self.passage_changes(&edit, &inverse_for_journal);
        self.bump_revision(changes);
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
        self.undo_stack.last().map(|e| e.label)
    }

    pub fn redo_label(&self) -> Option<&'static str> {
        self.redo_stack.last().map(|e| e.label)
    }

    pub fn undo(&mut self) -> bool {
        Self::step(
            Arc::make_mut(&mut self.project),
            &mut self.undo_stack,
            &mut self.redo_stack,
            &mut self.state,
        )
        .is_some_and(|edit| {
            self.after_document_edit(&edit);
            let changes = self
                .redo_stack
                .last()
                .map(|inverse| journal_view_of(&inverse.edit))
                .and_then(|inverse| self.passage_changes(&edit, &inverse));
            self.bump_revision(changes);
            true
        })
    }

    pub fn redo(&mut self) -> bool {
        Self::step(
            Arc::make_mut(&mut self.project),
            &mut self.redo_stack,
            &mut self.undo_stack,
            &mut self.state,
        )
        .is_some_and(|edit| {
            self.after_document_edit(&edit);
            let changes = self
                .undo_stack
                .last()
                .map(|inverse| journal_view_of(&inverse.edit))
                .and_then(|inverse| self.passage_changes(&edit, &inverse));
            self.bump_revision(changes);
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
            label: entry.label,
            coalesce: None,
            state: *state,
        });
        *state = entry.state;
        Some(entry.edit)
    }

    /// Texts an edit replaced are shown at once and queued to be written to their files.
    fn replace_texts(&mut self, edit: &Edit) -> bool {
        match edit {
            Edit::ReplaceText {
                doc,
                text,
                sha256,
                previous,
            } => {
                let Some(document) = self.project.document(*doc) else {
                    return false;
                };
                let file = self.document_file(document);
                self.sources_read_as
                    .insert(*doc, (document.path.clone(), sha256.clone()));
                self.sources.insert(
                    *doc,
                    SourceState::Ok(DocumentText::new(text.as_ref().to_owned())),
                );
                self.text_writes.push(TextWrite {
                    doc: *doc,
                    file,
                    text: Arc::clone(text),
                    expected: anchor::sha256_hex(previous.as_bytes()),
                });
                true
            }
            Edit::Batch(edits) => {
                // Every part, not only up to the first text.
                let mut any = false;
                for edit in edits {
                    any |= self.replace_texts(edit);
                }
                any
            }
            _ => false,
        }
    }

    /// Texts waiting to be written to their files, oldest first; the caller runs them in
    /// this order (on a worker thread in the window).
    pub fn take_text_writes(&mut self) -> Vec<TextWrite> {
        std::mem::take(&mut self.text_writes)
    }

    /// Whether corrected texts wait to be written.
    pub fn has_text_writes(&self) -> bool {
        !self.text_writes.is_empty()
    }

    /// Write the waiting texts now, in order (the command line, tests).
    pub fn write_texts_now(&mut self) -> Result<(), StoreError> {
        let writes = self.take_text_writes();
        for (i, write) in writes.iter().enumerate() {
            if let Err(error) = write.run() {
                // What was not written waits for the next try.
                self.text_writes
                    .splice(0..0, writes[i + 1..].iter().cloned());
                return Err(error);
            }
        }
        Ok(())
    }

    /// Replace a document's text with `corrected`, which `changes` made from its current
    /// text (in order, as [`crate::correct::push_change`] collects them), as one undoable
    /// step: the document's fingerprint, and every passage following the changes (a
    /// passage whose text was deleted entirely keeps its old span and quote and is listed
    /// under Needs attention). The text is written to the document's file by
    /// [`Self::take_text_writes`]; undo and redo write the text they put back the same way.
    /// When `changes` do not make `corrected`, the one change between the two texts is
    /// used instead.
    pub fn correct_text(
        &mut self,
        doc: DocId,
        corrected: String,
        changes: &[crate::correct::TextChange],
    ) -> Result<Correction, CorrectionError> {
        let document = self
            .project
            .document(doc)
            .ok_or(EditError::NoDocument(doc))?;
        let Some(SourceState::Ok(old)) = self.source(doc) else {
            return Err(CorrectionError::NotReadable(document.title.clone()));
        };
        if old.as_str() == corrected {
            return Ok(Correction::default());
        }
        // The changes must account for the new length; otherwise trust only the texts.
        let grown: isize = changes
            .iter()
            .map(|c| c.inserted_chars as isize - (c.end - c.start) as isize)
            .sum();
        let fallback;
        let changes = if old.char_count() as isize + grown == corrected.chars().count() as isize {
            changes
        } else {
            fallback = crate::correct::diff(old.as_str(), &corrected)
                .into_iter()
                .collect::<Vec<_>>();
            &fallback
        };
        let new_text = DocumentText::new(corrected);
        let passages: Vec<&Annotation> = self
            .project
            .annotations_slice_of(doc)
            .iter()
            .map(|a| &**a)
            .filter(|a| !self.misplaced.contains(&a.id))
            .collect();
        let spans: Vec<_> = passages.iter().map(|a| a.range()).collect();
        let mut summary = Correction::default();
        let mut edits = vec![Edit::ReplaceText {
            doc,
            sha256: anchor::sha256_hex(new_text.as_str().as_bytes()),
            text: Arc::from(new_text.as_str()),
            previous: Arc::from(old.as_str()),
        }];
        for (passage, mapped) in passages
            .iter()
            .zip(crate::correct::map_spans(&spans, changes))
        {
            let Some(range) = mapped else {
                summary.orphaned += 1;
                continue;
            };
            let Some(found) = anchor::anchor_at(&new_text, range) else {
                summary.orphaned += 1;
                continue;
            };
            if (found.start, found.end) == (passage.start, passage.end)
                && found.quote == passage.quote
                && found.prefix == passage.prefix
                && found.suffix == passage.suffix
            {
                continue;
            }
            summary.moved += 1;
            edits.push(Edit::MoveAnnotation {
                id: passage.id,
                start: found.start,
                end: found.end,
                quote: found.quote,
                prefix: found.prefix,
                suffix: found.suffix,
            });
        }
        self.apply_labelled(Edit::Batch(edits), "correct text")?;
        Ok(summary)
    }

    /// Documents added by an edit (or by undoing a removal) need their text read.
    fn after_document_edit(&mut self, edit: &Edit) {
        if self.replace_texts(edit) {
            self.recheck_all_spans();
            return;
        }
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
            let before = self.sources.len();
            self.sources.retain(|id, _| project.document(*id).is_some());
            let mut changed = self.sources.len() != before;
            // A document whose file or recorded fingerprint changed (after re-anchoring, or
            // its undo) is compared with its file again; a new memo or title is not.
            let read_as = &mut self.sources_read_as;
            read_as.retain(|id, _| project.document(*id).is_some());
            for document in &project.documents {
                let key = (document.path.clone(), document.sha256.clone());
                if read_as.get(&document.id) != Some(&key) {
                    self.sources.remove(&document.id);
                    read_as.insert(document.id, key);
                }
                self.sources.entry(document.id).or_insert_with(|| {
                    changed = true;
                    anchor::read_source(
                        document,
                        &store::resolve_document_path(&document.path, &base),
                    )
                });
            }
            if changed {
                self.recheck_all_spans();
            }
        } else {
            self.recheck_spans_of(edit);
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
        if let Some(existing) = self
            .project
            .annotation_at_exact_of(doc, range.clone(), &self.coder)
        {
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
            conflict: false,
        }))?;
        Ok(Some(id))
    }

    /// Tag every range in `hits` with `tag` as one undoable step: new passages where there
    /// are none, the tag added to passages that cover a hit exactly. Returns how many
    /// passages gained the tag.
    pub fn tag_all(
        &mut self,
        hits: &[(DocId, std::ops::Range<usize>)],
        tag: TagId,
    ) -> Result<usize, EditError> {
        if self.project.tag(tag).is_none() {
            return Err(EditError::NoTag(tag));
        }
        let order: Vec<TagId> = self.project.codebook.iter().map(|t| t.id).collect();
        let mut next_id = self.project.next_annotation_id();
        let created = crate::model::now_rfc3339();
        let mut edits = Vec::new();
        for (doc, range) in hits {
            if let Some(existing) =
                self.project
                    .annotation_at_exact_of(*doc, range.clone(), &self.coder)
            {
                if !existing.tags.contains(&tag) {
                    let mut tags = existing.tags.clone();
                    tags.push(tag);
                    tags.sort_by_key(|t| order.iter().position(|o| o == t));
                    edits.push(Edit::SetAnnotationTags {
                        id: existing.id,
                        tags,
                    });
                }
                continue;
            }
            let anchor = self
                .text(*doc)
                .and_then(|t| anchor::anchor_at(t, range.clone()))
                .ok_or(EditError::BadSpan {
                    start: range.start,
                    end: range.end,
                })?;
            edits.push(Edit::AddAnnotation(Annotation {
                id: next_id,
                doc: *doc,
                start: range.start,
                end: range.end,
                tags: vec![tag],
                quote: anchor.quote,
                note: String::new(),
                coder: self.coder.clone(),
                created: created.clone(),
                prefix: anchor.prefix,
                suffix: anchor.suffix,
                conflict: false,
            }));
            next_id += 1;
        }
        let count = edits.len();
        if count > 0 {
            self.apply_labelled(Edit::Batch(edits), "tag all hits")?;
        }
        Ok(count)
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
        let mut errors = Vec::new();
        for imported in documents {
            match self.prepare_document(imported, &prepared) {
                Ok(document) => prepared.push(document),
                Err(error) => errors.push(error),
            }
        }
        let ids: Vec<DocId> = prepared.iter().map(|d| d.id).collect();
        let first_index = self.project.documents.len();
        let mut edits: Vec<Edit> = prepared
            .into_iter()
            .enumerate()
            .map(|(offset, document)| Edit::InsertDocument {
                index: first_index + offset,
                document,
            })
            .collect();
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
    fn prepare_document(
        &self,
        imported: import::ImportedDocument,
        also_adding: &[Document],
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
        let text = DocumentText::new(imported.text);
        Ok(Document {
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

    /// A file's path as the project file records it: relative to the project's folder when
    /// saved and near it, absolute otherwise.
    fn path_to_store(&self, file: &Path) -> String {
        match &self.path {
            Some(_) => store::relative_document_path(file, &self.base_dir()),
            None => std::path::absolute(file)
                .unwrap_or_else(|_| file.to_owned())
                .to_string_lossy()
                .into_owned(),
        }
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
        let saved = self.begin_save(false)?.run()?;
        self.finish_save(saved);
        Ok(())
    }

    /// Save to the project's own file even though it changed on disk: the person chose to
    /// overwrite it (the replaced file is kept as `NAME.ron.bak`).
    pub fn save_overwriting(&mut self) -> Result<(), StoreError> {
        let saved = self.begin_save(true)?.run()?;
        self.finish_save(saved);
        Ok(())
    }

    /// What a save to the project's own file needs, to run on another thread with
    /// [`SaveJob::run`]; [`Self::finish_save`] then records what was saved. With `overwrite`
    /// false the job refuses a file that changed on disk since it was read or written here.
    pub fn begin_save(&self, overwrite: bool) -> Result<SaveJob, StoreError> {
        Ok(SaveJob {
            path: self.own_path()?,
            project: self.snapshot(),
            state: self.state,
            expected_on_disk: (!overwrite).then(|| self.disk_fingerprint.clone()),
        })
    }

    /// Record a finished save: the content saved (perhaps older than the project now, if
    /// editing went on meanwhile) is the saved state.
    pub fn finish_save(&mut self, saved: Saved) {
        if self.path.as_deref() != Some(saved.path.as_path()) {
            // Saved as elsewhere meanwhile: that file is what this project is now.
            return;
        }
        self.disk_fingerprint = Some(saved.fingerprint);
        self.saved_state = Some(saved.state);
    }

    fn own_path(&self) -> Result<PathBuf, StoreError> {
        self.path.clone().ok_or_else(|| StoreError::Invalid {
            file: PathBuf::from("(unsaved project)"),
            message: "choose where to save it first (Save as…)".to_owned(),
        })
    }

    /// Save under a new path; document paths are rewritten relative to the new folder, and
    /// texts converted before the project had a folder are copied into `sources/` beside it.
    pub fn save_as(&mut self, path: &Path) -> Result<(), StoreError> {
        let old_base = self.base_dir();
        let new_base = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        };
        let staged = self
            .path
            .is_none()
            .then(|| std::path::absolute(&self.unsaved_sources_dir).ok())
            .flatten();
        let mut project = Project::clone(&self.project);
        for document in &mut project.documents {
            let mut file = store::resolve_document_path(&document.path, &old_base);
            if let Some(staged) = &staged
                && file.starts_with(staged)
            {
                let bytes = std::fs::read(&file).map_err(|source| StoreError::Io {
                    file: file.clone(),
                    source,
                })?;
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "document".to_owned());
                let stem = stem
                    .strip_suffix(')')
                    .and_then(|s| s.rsplit_once(" ("))
                    .filter(|(_, n)| n.chars().all(|c| c.is_ascii_digit()))
                    .map_or(stem.as_str(), |(s, _)| s)
                    .to_owned();
                file = store::write_new_file(&new_base.join("sources"), &stem, "txt", &bytes)?;
            }
            document.path = store::relative_document_path(&file, &new_base);
            if let Some(origin) = &document.origin {
                let origin_file = store::resolve_document_path(origin, &old_base);
                document.origin = Some(store::relative_document_path(&origin_file, &new_base));
            }
        }
        let text = store::project_to_ron(&project);
        store::write_atomically(path, text.as_bytes(), true)?;
        self.disk_fingerprint = Some(anchor::sha256_hex(text.as_bytes()));
        Arc::make_mut(&mut self.project).documents = project.documents;
        self.rebase_history_paths(&old_base, &new_base);
        let moved = self.path.as_deref() != Some(path);
        self.path = Some(path.to_owned());
        self.saved_state = Some(self.state);
        self.bump_revision(None);
        if moved && self.lock.take().is_some() {
            let _ = self.lock_project();
        }
        Ok(())
    }

    /// Documents kept in undo and redo steps name their files relative to the project's
    /// folder: after a Save as elsewhere they must resolve from the new folder.
    fn rebase_history_paths(&mut self, old_base: &Path, new_base: &Path) {
        if old_base == new_base {
            return;
        }
        let mut rebase = |document: &mut Document| {
            let file = store::resolve_document_path(&document.path, old_base);
            document.path = store::relative_document_path(&file, new_base);
            if let Some(origin) = &document.origin {
                let origin_file = store::resolve_document_path(origin, old_base);
                document.origin = Some(store::relative_document_path(&origin_file, new_base));
            }
        };
        for entry in self.undo_stack.iter_mut().chain(self.redo_stack.iter_mut()) {
            entry.edit.for_each_document_mut(&mut rebase);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_says_what_each_edit_did_to_passages() {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
        let mut workspace = Workspace::open(&sample).unwrap();
        let doc = workspace.project().documents[0].id;
        let start = workspace.revision();
        let id = workspace.tag_range(doc, 10..30, 2).unwrap().unwrap();
        let added = PassageSummary::of(workspace.annotation(id).unwrap());
        let after_add = workspace.revision();
        assert_eq!(
            workspace.passage_changes_since(start),
            Some(vec![&PassageChange::Added(added.clone())])
        );
        workspace.toggle_tag(id, 3).unwrap();
        let mut retagged = added.clone();
        retagged.tags = vec![2, 3];
        assert_eq!(
            workspace.passage_changes_since(after_add),
            Some(vec![
                &PassageChange::Removed(added.clone()),
                &PassageChange::Added(retagged.clone()),
            ])
        );
        let before_undo = workspace.revision();
        workspace.undo();
        assert_eq!(
            workspace.passage_changes_since(before_undo),
            Some(vec![
                &PassageChange::Removed(retagged),
                &PassageChange::Added(added),
            ])
        );
        assert_eq!(
            workspace.passage_changes_since(workspace.revision()),
            Some(vec![])
        );
        // A change that touches every passage (a tag deleted) is not itemised.
        let before_delete = workspace.revision();
        workspace.apply(Edit::RemoveTag(2)).unwrap();
        assert_eq!(workspace.passage_changes_since(before_delete), None);
        assert_eq!(workspace.passage_changes_since(start), None);
    }

    /// A saved project over one text file, with passages on "police", "teh" and "late".
    fn correction_fixture(dir: &Path) -> (Workspace, PathBuf) {
        let file = dir.join("interview.txt");
        std::fs::write(&file, "The polise said teh report was late.\nEnd.").unwrap();
        let mut workspace = Workspace::from_files(std::slice::from_ref(&file)).unwrap();
        workspace.save_as(&dir.join("study.ron")).unwrap();
        let doc = workspace.project().documents[0].id;
        for range in [4..10, 16..19, 31..35] {
            workspace.tag_range(doc, range, 1).unwrap();
        }
        (workspace, file)
    }

    fn quotes(workspace: &Workspace) -> Vec<(String, bool)> {
        workspace
            .project()
            .annotations
            .iter()
            .map(|a| (a.quote.clone(), workspace.is_anchored(a)))
            .collect()
    }

    #[test]
    fn a_correction_moves_passages_writes_the_file_and_undoes_as_one_step() {
        use crate::correct::{diff, push_change};
        let dir = tempfile::tempdir().unwrap();
        let (mut workspace, file) = correction_fixture(dir.path());
        let doc = workspace.project().documents[0].id;
        let old = std::fs::read_to_string(&file).unwrap();
        let mut changes = Vec::new();
        let mut text = old.clone();
        for next in [
            "The police said teh report was late.\nEnd.",
            "The police said the report was late.\nEnd.",
            "The police said the report was .\nEnd.",
            "Note: The police said the report was .\nEnd.",
        ] {
            push_change(&mut changes, diff(&text, next).unwrap());
            text = next.to_owned();
        }
        let undo_steps = workspace.undo_stack.len();
        let summary = workspace.correct_text(doc, text.clone(), &changes).unwrap();
        assert_eq!(
            summary,
            Correction {
                moved: 2,
                orphaned: 1
            }
        );
        assert_eq!(workspace.undo_stack.len(), undo_steps + 1, "one step");
        assert_eq!(workspace.undo_label(), Some("correct text"));
        // Shown at once; "late" was deleted whole: kept, listed as misplaced.
        assert_eq!(workspace.text(doc).unwrap().as_str(), text);
        assert_eq!(
            quotes(&workspace),
            vec![
                ("police".to_owned(), true),
                ("the".to_owned(), true),
                ("late".to_owned(), false)
            ]
        );
        assert_eq!(workspace.misplaced().len(), 1);
        let document = workspace.project().documents[0].clone();
        assert_eq!(document.sha256, anchor::sha256_hex(text.as_bytes()));
        assert_eq!(document.chars, text.chars().count());
        let police = &workspace.project().annotations[0];
        assert_eq!(police.prefix, "Note: The ");
        // The file is written when the window gets to it, with the old text kept.
        assert_eq!(std::fs::read_to_string(&file).unwrap(), old);
        workspace.write_texts_now().unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("interview.txt.bak")).unwrap(),
            old
        );
        // Saved and opened again, everything is where it was put.
        workspace.save().unwrap();
        let reopened = Workspace::open(workspace.path().unwrap()).unwrap();
        assert!(matches!(reopened.source(doc), Some(SourceState::Ok(_))));
        assert_eq!(quotes(&reopened), quotes(&workspace));

        // Undo puts back the text, in memory and on disk, and every passage.
        assert!(workspace.undo());
        assert_eq!(workspace.text(doc).unwrap().as_str(), old);
        assert!(workspace.misplaced().is_empty());
        assert_eq!(
            quotes(&workspace),
            vec![
                ("polise".to_owned(), true),
                ("teh".to_owned(), true),
                ("late".to_owned(), true)
            ]
        );
        assert_eq!(
            workspace.project().documents[0].sha256,
            anchor::sha256_hex(old.as_bytes())
        );
        workspace.write_texts_now().unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), old);
        assert!(workspace.redo());
        workspace.write_texts_now().unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
        assert_eq!(workspace.misplaced().len(), 1);
    }

    #[test]
    fn a_text_changed_by_another_program_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let (mut workspace, file) = correction_fixture(dir.path());
        let doc = workspace.project().documents[0].id;
        let corrected = "The police said teh report was late.\nEnd.".to_owned();
        let changes: Vec<_> =
            crate::correct::diff(workspace.text(doc).unwrap().as_str(), &corrected)
                .into_iter()
                .collect();
        workspace.correct_text(doc, corrected, &changes).unwrap();
        std::fs::write(&file, "Someone else's words").unwrap();
        let error = workspace.write_texts_now().unwrap_err();
        assert!(matches!(&error, StoreError::ChangedOnDisk { file: f } if *f == file));
        assert!(error.to_string().contains("interview.txt"), "{error}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "Someone else's words"
        );
    }

    #[test]
    fn tagging_a_span_another_coder_coded_makes_a_passage_of_ones_own() {
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
        let mut workspace = Workspace::open(&sample).unwrap();
        let doc = workspace.project().documents[0].id;
        workspace.coder = "ann".into();
        let anns = workspace.tag_range(doc, 10..30, 2).unwrap().unwrap();
        workspace.coder = "ben".into();
        let bens = workspace.tag_range(doc, 10..30, 2).unwrap().unwrap();
        assert_ne!(anns, bens, "ben's tag must not toggle ann's passage off");
        assert_eq!(workspace.annotation(anns).unwrap().tags, vec![2]);
        assert_eq!(workspace.annotation(bens).unwrap().coder, "ben");
        workspace.tag_all(&[(doc, 10..30)], 3).unwrap();
        assert_eq!(workspace.annotation(anns).unwrap().tags, vec![2]);
        assert_eq!(workspace.annotation(bens).unwrap().tags, vec![2, 3]);
    }

    fn renamed(workspace: &Workspace, name: &str) -> Edit {
        let mut tag = workspace.project().tag(1).unwrap().clone();
        tag.name = name.to_owned();
        Edit::UpdateTag(tag)
    }

    #[test]
    fn undo_names_what_was_done() {
        let mut workspace = Workspace::new_unsaved("t");
        workspace.apply(Edit::SetProjectMemo("m".into())).unwrap();
        assert_eq!(workspace.undo_label(), Some("edit project memo"));
        workspace
            .apply_labelled(renamed(&workspace, "x"), "rename tag")
            .unwrap();
        assert_eq!(workspace.undo_label(), Some("rename tag"));
        workspace.undo();
        assert_eq!(workspace.redo_label(), Some("rename tag"));
    }

    #[test]
    fn coalesced_edits_undo_as_one_step() {
        let mut workspace = Workspace::new_unsaved("t");
        for name in ["a", "ab", "abc"] {
            let edit = renamed(&workspace, name);
            workspace
                .apply_coalescing(edit, "rename tag", Some(7))
                .unwrap();
        }
        let other = renamed(&workspace, "other");
        workspace
            .apply_coalescing(other, "rename tag", Some(8))
            .unwrap();
        workspace.undo();
        assert_eq!(workspace.project().tag(1).unwrap().name, "abc");
        workspace.undo();
        assert_eq!(workspace.project().tag(1).unwrap().name, "quote");
        assert!(!workspace.can_undo());
        workspace.redo();
        assert_eq!(workspace.project().tag(1).unwrap().name, "abc");
    }

    #[test]
    fn misplaced_passages_are_tracked_edit_by_edit() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
        let mut workspace = Workspace::open(&path).unwrap();
        assert!(workspace.misplaced().is_empty(), "the sample is anchored");
        let passage = workspace.project().annotations[0].clone();
        // Moved onto text that is not its quote (as a hand edit of the file might do).
        workspace
            .apply(Edit::MoveAnnotation {
                id: passage.id,
                start: passage.start + 1,
                end: passage.end + 1,
                quote: passage.quote.clone(),
                prefix: String::new(),
                suffix: String::new(),
            })
            .unwrap();
        assert!(workspace.misplaced().contains(&passage.id));
        workspace.undo();
        assert!(workspace.misplaced().is_empty());
        workspace.redo();
        workspace.apply(Edit::RemoveAnnotation(passage.id)).unwrap();
        assert!(
            workspace.misplaced().is_empty(),
            "a removed passage is not misplaced"
        );
        workspace.undo();
        assert!(
            workspace.misplaced().contains(&passage.id),
            "and comes back misplaced"
        );
    }

    #[test]
    fn tagging_all_hits_is_one_step() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
        let mut workspace = Workspace::open(&path).unwrap();
        let doc = workspace.project().documents[0].id;
        let text = workspace.text(doc).unwrap().clone();
        let hits = crate::find::find_all(&text, "police", Default::default());
        assert!(hits.len() > 2);
        let before = workspace.project().clone();
        let hits: Vec<_> = hits.into_iter().map(|h| (doc, h)).collect();
        let tagged = workspace.tag_all(&hits, 3).unwrap();
        assert_eq!(tagged, hits.len());
        for (_, hit) in &hits {
            let passage = workspace
                .project()
                .annotation_at_exact(doc, hit.clone())
                .unwrap();
            assert!(passage.tags.contains(&3));
            assert_eq!(passage.quote.to_lowercase(), "police");
        }
        assert_eq!(workspace.undo_label(), Some("tag all hits"));
        assert_eq!(workspace.tag_all(&hits, 3).unwrap(), 0, "tagged already");
        workspace.undo();
        // Everything but the id counter, which never goes back: ids are not reused.
        assert_eq!(workspace.project().annotations, before.annotations);
    }
}
