//! Other windows on the same project, through its lock file.

use super::*;

impl Workspace {
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
