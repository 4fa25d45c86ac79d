//! Saving: snapshots written on any thread, never over a file another program changed.

use super::*;

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

/// SHA-256 of a file's bytes; `None` when it cannot be read (it may not exist yet).
pub(super) fn file_fingerprint(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|bytes| anchor::sha256_hex(&bytes))
}

impl Workspace {
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

    pub(super) fn own_path(&self) -> Result<PathBuf, StoreError> {
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
    pub(super) fn rebase_history_paths(&mut self, old_base: &Path, new_base: &Path) {
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
}
