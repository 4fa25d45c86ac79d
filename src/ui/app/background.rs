//! Work that could hold up drawing (reading and writing project files, waiting for a
//! native file dialog) runs on a thread of its own; the window picks up the result on a
//! later frame and keeps drawing meanwhile.

use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Work that runs longer than this shows its progress in the status bar; quicker work
/// would only make the bar flicker.
pub const SHOW_PROGRESS_AFTER: Duration = Duration::from_millis(300);

pub struct Background<T> {
    result: mpsc::Receiver<T>,
    started: Instant,
    /// What is being done, for the status bar: "Saving study.ron".
    pub what: String,
}

/// How a poll found the work.
pub enum Polled<T> {
    Running,
    Done(T),
    /// The thread ended without an answer (it panicked).
    Lost,
}

impl<T: Send + 'static> Background<T> {
    pub fn start(
        ctx: &egui::Context,
        what: String,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Self {
        let (sender, result) = mpsc::channel();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            let _ = sender.send(work());
            repaint.request_repaint();
        });
        Self {
            result,
            started: Instant::now(),
            what,
        }
    }

    pub fn poll(&self) -> Polled<T> {
        match self.result.try_recv() {
            Ok(value) => Polled::Done(value),
            Err(mpsc::TryRecvError::Empty) => Polled::Running,
            Err(mpsc::TryRecvError::Disconnected) => Polled::Lost,
        }
    }

    /// Wait for the work to end (only where the window is about to close).
    pub fn wait(self) -> Option<T> {
        self.result.recv().ok()
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Whether the status bar should say what is going on.
    pub fn shows_progress(&self) -> bool {
        self.elapsed() >= SHOW_PROGRESS_AFTER
    }
}
