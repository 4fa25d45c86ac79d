//! A project being worked on: the project, its texts as found on disk, where it is saved,
//! and the history of edits. The UI and the command line both drive this; neither touches
//! the project any other way.

mod anchoring;
mod autocode;
mod correction;
mod documents;
mod history;
mod journal;
mod locks;
mod saving;
mod sources;
mod survey;
mod tagging;
#[cfg(test)]
mod tests;

pub use anchoring::Reanchoring;
pub use autocode::{SPEAKERS_TAG, SpeakerCoding};
pub use correction::{Correction, CorrectionError};
pub use documents::AddDocumentError;
pub use journal::{PassageChange, PassageSummary};
pub use saving::{SaveJob, Saved};
pub use sources::TextWrite;
pub use survey::{QUESTIONS_TAG, SurveyColumns, SurveyImport};

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

use crate::anchor::{self, OrphanReason, Placement, SourceState};
use crate::edit::{Edit, EditError};
use crate::import;
use crate::model::{Annotation, AnnotationId, DocId, Document, DocumentText, Project, TagId};
use crate::store::{self, LockHolder, ProjectLock, StoreError};

use history::HistoryEntry;
use journal::journal_view_of;
use saving::file_fingerprint;

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
}
