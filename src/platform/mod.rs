//! What differs between operating systems and has no portable answer in the standard
//! library: whether a process is still running (for project locks and autosave recovery),
//! whether two paths are one file (for saves), and, on Windows, the terminal a windowed
//! program was started from.

#[cfg(windows)]
pub mod console;
mod files;
mod process;

pub use files::same_file;
pub use process::process_is_alive;
