//! Crash recovery: while a project has unsaved changes, a copy is written every
//! [`AUTOSAVE_INTERVAL_SECS`] to a recovery file, never to the person's own file:
//! `NAME.ron.recovery` beside a saved project, or `unsaved-….ron` in the app's data folder
//! for a project never saved. A clean save, or leaving without changes, removes it; opening
//! a project whose recovery file is newer offers to restore it.
//!
//! Time is passed in (seconds on any steady clock), so the schedule is tested without waiting.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::model::Project;
use crate::store::{self, StoreError};
use crate::workspace::Workspace;

pub const AUTOSAVE_INTERVAL_SECS: f64 = 30.0;
const UNSAVED_PREFIX: &str = "unsaved-";

/// `NAME.ron` → `NAME.ron.recovery`.
pub fn recovery_path(project_file: &Path) -> PathBuf {
    let mut name = project_file.file_name().unwrap_or_default().to_owned();
    name.push(".recovery");
    project_file.with_file_name(name)
}

/// Writes and removes this session's recovery file.
pub struct Autosave {
    /// The file for the project while it has never been saved (none: not kept).
    unsaved_file: Option<PathBuf>,
    /// The recovery file this session wrote (or restored from) and so may remove.
    written: Option<PathBuf>,
    written_revision: Option<u64>,
    /// When the changes not yet in a recovery file were first seen.
    pending_since: Option<f64>,
    /// Write on a worker thread (the window), or before `tick` returns (tests, tools).
    in_background: bool,
    /// A write running on a worker thread.
    writing: Option<std::thread::JoinHandle<Result<(), StoreError>>>,
}

impl Autosave {
    /// Recovery files of never-saved projects go into `unsaved_dir`; without one, only
    /// saved projects are recovered.
    pub fn new(unsaved_dir: Option<&Path>) -> Self {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        let name = format!(
            "{UNSAVED_PREFIX}{}-{}.ron",
            std::process::id(),
            &unique[..8]
        );
        Self {
            unsaved_file: unsaved_dir.map(|dir| dir.join(name)),
            written: None,
            written_revision: None,
            pending_since: None,
            in_background: false,
            writing: None,
        }
    }

    /// Serialise and write on a worker thread, so that a large project's recovery copy
    /// never holds up a frame.
    pub fn in_background(mut self) -> Self {
        self.in_background = true;
        self
    }

    /// Wait for a write in flight, and say how it went.
    pub fn finish_writing(&mut self) -> Result<(), StoreError> {
        match self.writing.take() {
            Some(writing) => writing.join().unwrap_or_else(|_| {
                Err(StoreError::Invalid {
                    file: self.written.clone().unwrap_or_default(),
                    message: "writing the recovery copy stopped unexpectedly".to_owned(),
                })
            }),
            None => Ok(()),
        }
    }

    /// The recovery file for the workspace as it is now.
    pub fn target(&self, workspace: &Workspace) -> Option<PathBuf> {
        match workspace.path() {
            Some(path) => Some(recovery_path(path)),
            None => self.unsaved_file.clone(),
        }
    }

    pub fn written_file(&self) -> Option<&Path> {
        self.written.as_deref()
    }

    /// Call often (every frame) with the current time in seconds. Writes the recovery file
    /// once changes have waited [`AUTOSAVE_INTERVAL_SECS`]; removes it once there are none.
    /// Returns how many seconds until a write falls due, so an idle window can wake for it.
    pub fn tick(&mut self, now: f64, workspace: &Workspace) -> Result<Option<f64>, StoreError> {
        if self.writing.as_ref().is_some_and(|w| w.is_finished()) {
            self.finish_writing()?;
        }
        let target = self.target(workspace);
        if self.written.is_some() && self.written != target {
            // Saved under another name, or another project: the old copy is not needed.
            self.remove_own();
        }
        // A new project nobody has touched yet ("unsaved" from birth) has nothing to recover.
        let worth_keeping = workspace.is_dirty()
            && (workspace.path().is_some()
                || workspace.can_undo()
                || !workspace.project().documents.is_empty());
        let Some(target) = target.filter(|_| worth_keeping) else {
            self.remove_own();
            self.pending_since = None;
            return Ok(None);
        };
        if self.written_revision == Some(workspace.revision()) {
            return Ok(None);
        }
        let since = *self.pending_since.get_or_insert(now);
        let due = since + AUTOSAVE_INTERVAL_SECS;
        if now < due {
            return Ok(Some(due - now));
        }
        if self.writing.is_some() {
            // The previous copy is still being written: this one follows it.
            return Ok(Some(0.1));
        }
        self.pending_since = None;
        self.write(workspace, &target)?;
        Ok(None)
    }

    fn write(&mut self, workspace: &Workspace, target: &Path) -> Result<(), StoreError> {
        if workspace.path() == Some(target) {
            return Err(StoreError::Invalid {
                file: target.to_owned(),
                message: "a recovery file must never be the project file itself".to_owned(),
            });
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                file: dir.to_owned(),
                source,
            })?;
        }
        let project = workspace.snapshot();
        let file = target.to_owned();
        let write = move || {
            let text = store::project_to_ron(&project);
            store::write_atomically(&file, text.as_bytes(), false)
        };
        if self.in_background {
            self.writing = Some(std::thread::spawn(write));
        } else {
            write()?;
        }
        self.written = Some(target.to_owned());
        self.written_revision = Some(workspace.revision());
        Ok(())
    }

    /// Take over a recovery file that was just restored into `workspace`: it is this
    /// session's now (kept until a save), and is not rewritten until something changes.
    pub fn adopt(&mut self, recovery: &PendingRecovery, workspace: &Workspace) {
        if recovery.project_file.is_none() {
            self.unsaved_file = Some(recovery.file.clone());
        }
        self.written = Some(recovery.file.clone());
        self.written_revision = Some(workspace.revision());
        self.pending_since = None;
    }

    /// Remove this session's recovery file (after a clean save, or when leaving).
    pub fn remove_own(&mut self) {
        // A copy still being written would land after the removal.
        let _ = self.finish_writing();
        if let Some(file) = self.written.take() {
            let _ = std::fs::remove_file(file);
        }
        self.written_revision = None;
    }
}

/// A recovery file that holds changes its project file lacks.
#[derive(Clone, Debug)]
pub struct PendingRecovery {
    pub file: PathBuf,
    /// The project file it belongs to; `None` for a project that was never saved.
    pub project_file: Option<PathBuf>,
    pub project: Project,
    pub modified: SystemTime,
}

impl PendingRecovery {
    /// When the recovery file was written, for the person: `2026-11-22 15:00 UTC`.
    pub fn when(&self) -> String {
        let secs = self
            .modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let stamp = crate::model::rfc3339_from_unix(secs);
        format!("{} {} UTC", &stamp[..10], &stamp[11..16])
    }

    /// The workspace to continue from: the recovered content under the project's own
    /// path, marked unsaved.
    pub fn into_workspace(self) -> Workspace {
        Workspace::from_project(self.project, self.project_file, false)
    }

    /// Delete the recovery file (the person chose to discard it).
    pub fn discard(&self) {
        let _ = std::fs::remove_file(&self.file);
    }
}

/// The recovery file of `project_file`, when it is newer than the project and its content
/// differs. A recovery file that equals the project is redundant and removed. An unreadable
/// one is reported as the error.
pub fn pending_for(project_file: &Path) -> Option<Result<PendingRecovery, StoreError>> {
    let file = recovery_path(project_file);
    let modified = std::fs::metadata(&file).and_then(|m| m.modified()).ok()?;
    let project_modified = std::fs::metadata(project_file)
        .and_then(|m| m.modified())
        .ok()?;
    if modified <= project_modified {
        return None;
    }
    let recovered = match store::load_project(&file) {
        Ok(project) => project,
        Err(error) => return Some(Err(error)),
    };
    let saved = store::load_project(project_file).ok()?;
    if store::project_to_ron(&recovered) == store::project_to_ron(&saved) {
        let _ = std::fs::remove_file(&file);
        return None;
    }
    Some(Ok(PendingRecovery {
        file,
        project_file: Some(project_file.to_owned()),
        project: recovered,
        modified,
    }))
}

/// Recovery files of never-saved projects in `dir`, newest first, leaving out those of
/// Marginalia windows still running.
pub fn unsaved_pending(dir: &Path) -> Vec<PendingRecovery> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PendingRecovery> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(UNSAVED_PREFIX)?.strip_suffix(".ron")?;
            let pid: u32 = rest.split('-').next()?.parse().ok()?;
            if pid == std::process::id() || crate::platform::process_is_alive(pid) {
                return None;
            }
            let file = entry.path();
            let modified = entry.metadata().and_then(|m| m.modified()).ok()?;
            let project = store::load_project(&file).ok()?;
            Some(PendingRecovery {
                file,
                project_file: None,
                project,
                modified,
            })
        })
        .collect();
    found.sort_by_key(|r| std::cmp::Reverse(r.modified));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Edit;

    fn saved_workspace(dir: &Path) -> (Workspace, PathBuf) {
        let file = dir.join("study.ron");
        let mut workspace = Workspace::new_unsaved("Study");
        workspace.save_as(&file).unwrap();
        (workspace, file)
    }

    #[test]
    fn written_only_when_dirty_and_after_the_interval() {
        let dir = tempfile::tempdir().unwrap();
        let (mut workspace, file) = saved_workspace(dir.path());
        let saved_bytes = std::fs::read(&file).unwrap();
        let mut autosave = Autosave::new(Some(dir.path()));
        let recovery = recovery_path(&file);

        assert_eq!(autosave.tick(0.0, &workspace).unwrap(), None);
        assert_eq!(autosave.tick(100.0, &workspace).unwrap(), None);
        assert!(!recovery.exists(), "a clean project needs no recovery file");

        workspace
            .apply(Edit::RenameProject("Renamed".to_owned()))
            .unwrap();
        assert_eq!(autosave.tick(100.0, &workspace).unwrap(), Some(30.0));
        assert_eq!(autosave.tick(129.0, &workspace).unwrap(), Some(1.0));
        assert!(!recovery.exists());
        assert_eq!(autosave.tick(130.0, &workspace).unwrap(), None);
        assert_eq!(
            store::load_project(&recovery).unwrap().name,
            "Renamed",
            "the recovery file holds the unsaved change"
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            saved_bytes,
            "the project file is untouched"
        );

        // Nothing new: no rewrite is scheduled.
        assert_eq!(autosave.tick(500.0, &workspace).unwrap(), None);

        workspace.save().unwrap();
        autosave.tick(501.0, &workspace).unwrap();
        assert!(!recovery.exists(), "a clean save removes the recovery file");
    }

    #[test]
    fn a_newer_different_recovery_file_is_offered() {
        let dir = tempfile::tempdir().unwrap();
        let (mut workspace, file) = saved_workspace(dir.path());
        assert!(pending_for(&file).is_none());

        // An identical copy is redundant and goes.
        std::fs::copy(&file, recovery_path(&file)).unwrap();
        set_modified_later(&recovery_path(&file), &file);
        assert!(pending_for(&file).is_none());
        assert!(!recovery_path(&file).exists());

        workspace
            .apply(Edit::RenameProject("Renamed".to_owned()))
            .unwrap();
        let mut autosave = Autosave::new(Some(dir.path()));
        autosave.tick(0.0, &workspace).unwrap();
        autosave.tick(30.0, &workspace).unwrap();
        set_modified_later(&recovery_path(&file), &file);
        let pending = pending_for(&file).unwrap().unwrap();
        assert_eq!(pending.project.name, "Renamed");
        let restored = pending.into_workspace();
        assert!(restored.is_dirty());
        assert_eq!(restored.path(), Some(file.as_path()));

        // A recovery file older than the project (saved since) is not offered.
        let now = std::time::SystemTime::now();
        std::fs::File::options()
            .write(true)
            .open(recovery_path(&file))
            .unwrap()
            .set_modified(now - std::time::Duration::from_secs(3600))
            .unwrap();
        assert!(pending_for(&file).is_none());
    }

    #[test]
    fn unsaved_projects_recover_from_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let mut workspace = Workspace::new_unsaved("Fresh");
        let mut untouched = Autosave::new(Some(dir.path()));
        untouched.tick(0.0, &workspace).unwrap();
        untouched.tick(100.0, &workspace).unwrap();
        assert!(
            untouched.written_file().is_none(),
            "an untouched new project is not worth a recovery file"
        );
        workspace
            .apply(Edit::RenameProject("Fresh notes".to_owned()))
            .unwrap();
        let mut autosave = Autosave::new(Some(dir.path()));
        autosave.tick(0.0, &workspace).unwrap();
        autosave.tick(31.0, &workspace).unwrap();
        let written = autosave.written_file().unwrap().to_owned();
        assert!(written.starts_with(dir.path()));
        // This process is running, so its own file is not offered to itself...
        assert!(unsaved_pending(dir.path()).is_empty());
        // ...but the file of a process that is gone is.
        let orphan = dir.path().join("unsaved-4000000000-abcdefgh.ron");
        std::fs::rename(&written, &orphan).unwrap();
        let pending = unsaved_pending(dir.path());
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].project.name, "Fresh notes");
        assert!(pending[0].project_file.is_none());
    }

    fn set_modified_later(file: &Path, than: &Path) {
        let reference = std::fs::metadata(than).unwrap().modified().unwrap();
        std::fs::File::options()
            .write(true)
            .open(file)
            .unwrap()
            .set_modified(reference + std::time::Duration::from_secs(5))
            .unwrap();
    }
}
