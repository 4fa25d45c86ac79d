//! Reading document files off the UI thread: a worker converts each file in turn and
//! reports progress; the app adds the results to the project as one undoable edit once the
//! whole batch is read, so the window stays live during a long PDF.

use std::path::PathBuf;
use std::sync::mpsc;

use crate::import::{self, ImportError, ImportedDocument};

enum Progress {
    Reading { index: usize, name: String },
    Read(Box<Result<ImportedDocument, ImportError>>),
}

/// One batch of files being read.
pub struct ImportJob {
    receiver: mpsc::Receiver<Progress>,
    total: usize,
    reading: Option<(usize, String)>,
    results: Vec<Result<ImportedDocument, ImportError>>,
}

/// A batch that has been read: documents to add, files that could not be read.
pub struct ReadBatch {
    pub documents: Vec<ImportedDocument>,
    pub errors: Vec<String>,
}

impl ImportJob {
    pub fn start(ctx: &egui::Context, files: Vec<PathBuf>) -> Self {
        let (sender, receiver) = mpsc::channel();
        let total = files.len();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            for (index, file) in files.into_iter().enumerate() {
                let name = file.file_name().map_or_else(
                    || file.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                if sender.send(Progress::Reading { index, name }).is_err() {
                    return;
                }
                repaint.request_repaint();
                let result = import::read_document(&file);
                if sender.send(Progress::Read(Box::new(result))).is_err() {
                    // The app no longer waits for these files (another project was opened).
                    return;
                }
                repaint.request_repaint();
            }
        });
        Self {
            receiver,
            total,
            reading: None,
            results: Vec::new(),
        }
    }

    /// Take in what the worker reported; the batch once every file is read.
    pub fn poll(&mut self) -> Option<ReadBatch> {
        loop {
            match self.receiver.try_recv() {
                Ok(Progress::Reading { index, name }) => self.reading = Some((index, name)),
                Ok(Progress::Read(result)) => self.results.push(*result),
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    if self.results.len() < self.total {
                        let missing = self.total - self.results.len();
                        self.results.extend((0..missing).map(|_| {
                            Err(ImportError::Unreadable {
                                file: PathBuf::from("(import)"),
                                reason: "reading stopped unexpectedly".to_owned(),
                            })
                        }));
                    }
                    break;
                }
            }
        }
        (self.results.len() >= self.total).then(|| {
            let mut batch = ReadBatch {
                documents: Vec::new(),
                errors: Vec::new(),
            };
            for result in self.results.drain(..) {
                match result {
                    Ok(document) => batch.documents.push(document),
                    Err(error) => batch.errors.push(error.to_string()),
                }
            }
            batch
        })
    }

    /// "Importing 3 of 12: name.pdf".
    pub fn progress_message(&self) -> String {
        match &self.reading {
            Some((index, name)) => format!("Importing {} of {}: {name}", index + 1, self.total),
            None => format!("Importing {} documents…", self.total),
        }
    }
}

/// While files are dragged over the window, say what dropping them does.
pub fn drop_hint(ctx: &egui::Context) {
    let hovering = ctx.input(|i| i.raw.hovered_files.len());
    if hovering == 0 {
        return;
    }
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop-hint"),
    ));
    painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        "Drop to add documents (a .ron file opens that project)",
        egui::FontId::proportional(22.0),
        egui::Color32::WHITE,
    );
}
