//! What differs between operating systems and has no portable answer in the standard
//! library: whether a process is still running (for project locks and autosave recovery)
//! and, on Windows, the terminal a windowed program was started from.

#[cfg(windows)]
pub mod console;
mod process;

pub use process::process_is_alive;
