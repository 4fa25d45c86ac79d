//! `NAME.ron.lock` beside an open project: one line per window that has the project open
//! (process id, host, since when, a window id), so that a second window on the same project
//! can tell the person, and the first can notice it. The lock only informs; what protects
//! the file is that saving refuses to overwrite a file that changed since it was read.
//! A line whose process is no longer alive on this host is stale and dropped.

use std::path::{Path, PathBuf};

use super::{StoreError, write_atomically};

const HEADER: &str = "# Marginalia: this project is open in these windows (process, host, since, window).\n\
                      # Lines of processes that have ended are ignored; delete this file if in doubt.\n";

/// A window that has a project open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockHolder {
    pub pid: u32,
    pub host: String,
    /// RFC 3339 UTC time the window opened the project.
    pub since: String,
    /// Tells apart two windows of one process.
    pub window: String,
}

impl LockHolder {
    fn this_window() -> Self {
        Self {
            pid: std::process::id(),
            host: host_name(),
            since: crate::model::now_rfc3339(),
            window: uuid::Uuid::new_v4().simple().to_string(),
        }
    }

    fn to_line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{}\n",
            self.pid, self.host, self.since, self.window
        )
    }

    fn from_line(line: &str) -> Option<Self> {
        let mut fields = line.split('\t');
        let holder = Self {
            pid: fields.next()?.trim().parse().ok()?,
            host: fields.next()?.to_owned(),
            since: fields.next()?.to_owned(),
            window: fields.next()?.trim().to_owned(),
        };
        Some(holder)
    }

    /// Whether the holder's process still runs. On another host that cannot be known, so
    /// the holder counts as alive.
    pub fn is_alive(&self) -> bool {
        self.host != host_name() || crate::platform::process_is_alive(self.pid)
    }

    /// For people: "process 4242 on lab-pc, since 2026-11-22T15:00:00Z".
    pub fn describe(&self) -> String {
        format!(
            "process {} on {}, since {}",
            self.pid, self.host, self.since
        )
    }
}

/// This window's hold on a project; dropping it takes this window's line out of the file
/// (and the file away when no other window holds the project).
#[derive(Debug)]
pub struct ProjectLock {
    file: PathBuf,
    holder: LockHolder,
}

impl ProjectLock {
    /// Record this window as holding `project`. Returns the lock and the other windows,
    /// still alive, that hold it too.
    pub fn acquire(project: &Path) -> Result<(Self, Vec<LockHolder>), StoreError> {
        let file = lock_path(project);
        let others = live_holders(&file);
        let holder = LockHolder::this_window();
        let mut text = String::from(HEADER);
        for other in others.iter().chain(std::iter::once(&holder)) {
            text.push_str(&other.to_line());
        }
        write_atomically(&file, text.as_bytes(), false)?;
        Ok((Self { file, holder }, others))
    }

    /// The other windows, still alive, that hold the project now.
    pub fn others(&self) -> Vec<LockHolder> {
        live_holders(&self.file)
            .into_iter()
            .filter(|h| h.window != self.holder.window)
            .collect()
    }

    pub fn file(&self) -> &Path {
        &self.file
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        let others = self.others();
        // Nothing useful can be done about a failure here: a stale line is ignored later.
        if others.is_empty() {
            let _ = std::fs::remove_file(&self.file);
        } else {
            let mut text = String::from(HEADER);
            for other in &others {
                text.push_str(&other.to_line());
            }
            let _ = write_atomically(&self.file, text.as_bytes(), false);
        }
    }
}

/// `NAME.ron` → `NAME.ron.lock`.
pub fn lock_path(project: &Path) -> PathBuf {
    let mut name = project.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    project.with_file_name(name)
}

/// The holders listed in a lock file whose processes are alive; none when there is no file.
pub fn live_holders(file: &Path) -> Vec<LockHolder> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .filter_map(LockHolder::from_line)
        .filter(LockHolder::is_alive)
        .collect()
}

fn host_name() -> String {
    let from_file = |path: &str| {
        std::fs::read_to_string(path)
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    from_file("/proc/sys/kernel/hostname")
        .or_else(|| from_file("/etc/hostname"))
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
        .or_else(|| std::env::var("COMPUTERNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "this computer".to_owned())
        .replace(['\t', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Above Linux's largest possible process id (2^22), so never alive; a multiple of four,
    /// as Windows process ids are (it ignores the two low bits).
    const DEAD_PID: u32 = 4_194_304 + 20;

    #[test]
    fn a_second_window_is_told_about_the_first_and_the_first_notices_it() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("study.ron");
        let (first, others) = ProjectLock::acquire(&project).unwrap();
        assert!(others.is_empty());
        assert!(lock_path(&project).exists());
        let (second, others) = ProjectLock::acquire(&project).unwrap();
        assert_eq!(others, vec![first.holder.clone()]);
        assert_eq!(others[0].pid, std::process::id());
        assert_eq!(first.others(), vec![second.holder.clone()]);
        drop(first);
        assert!(
            second.others().is_empty(),
            "the first window's line is gone"
        );
        assert!(lock_path(&project).exists(), "the second still holds it");
        drop(second);
        assert!(!lock_path(&project).exists());
    }

    #[test]
    fn a_line_of_a_dead_process_is_stale_and_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("study.ron");
        let stale = LockHolder {
            pid: DEAD_PID,
            host: host_name(),
            since: "2020-01-01T00:00:00Z".to_owned(),
            window: "old".to_owned(),
        };
        std::fs::write(lock_path(&project), format!("{HEADER}{}", stale.to_line())).unwrap();
        let (lock, others) = ProjectLock::acquire(&project).unwrap();
        assert!(others.is_empty());
        let text = std::fs::read_to_string(lock_path(&project)).unwrap();
        assert!(
            !text.contains("\told\n"),
            "the stale line is dropped: {text}"
        );
        drop(lock);
        assert!(!lock_path(&project).exists());
    }

    #[test]
    fn a_holder_on_another_host_counts_as_alive() {
        let remote = LockHolder {
            pid: DEAD_PID,
            host: format!("{}-elsewhere", host_name()),
            since: "2026-11-22T15:00:00Z".to_owned(),
            window: "w".to_owned(),
        };
        assert!(remote.is_alive());
        assert_eq!(LockHolder::from_line(&remote.to_line()), Some(remote));
    }
}
