//! Files: opening, importing, saving, autosaving and exporting, each run off the UI thread
//! where it can take long; the unsaved-changes question, Discard, and native file dialogs.

use super::*;
use crate::import::ImportDestination;

impl MarginaliaApp {
    pub(super) fn replace_workspace(&mut self, mut workspace: Workspace) {
        // The data folder is the app's choice, whatever project comes next.
        workspace.set_unsaved_sources_dir(self.workspace.unsaved_sources_dir().to_owned());
        if let Some(path) = workspace.path() {
            remember(&mut self.preferences.recent, path);
        }
        self.current_doc = workspace.project().documents.first().map(|d| d.id);
        // Whoever is coding in this window goes on coding in the project opened next.
        workspace.coder = self.preferences.coder.clone().unwrap_or_default();
        self.workspace = workspace;
        self.selection = None;
        self.selected_passage = None;
        self.document_view = DocumentView::default();
        // Reading starts in the document: the keys go there first.
        self.document_view.request_focus();
        self.coders_bar = CodersBar::default();
        self.passages_panel = PassagesPanel;
        self.codebook_panel = CodebookPanel::default();
        self.passages_table = PassagesTable::default();
        self.find_bar = FindBar::default();
        self.central_view = CentralView::Document;
        // Files still being read belong to the project just closed.
        self.import_jobs.clear();
        self.recovery_offer = pending_recovery(&self.workspace);
        self.attention_panel = AttentionPanel::default();
        self.agreement_view = AgreementView::default();
        self.merge_job = None;
        self.replacing = None;
        self.other_windows.clear();
        self.reanchor_opened_project();
        self.lock_opened_project();
    }

    /// Forget the unsaved changes: the window shows the project as it is on disk (a new
    /// project never saved starts empty again), and the recovery copy of those changes goes.
    pub(super) fn discard_changes(&mut self) {
        self.autosave.remove_own();
        let reloaded = match self.workspace.path() {
            Some(path) => Workspace::open(path),
            None => Ok(Workspace::new_unsaved("Untitled project")),
        };
        match reloaded {
            Ok(workspace) => {
                let view = self.central_view;
                let current = self.current_doc;
                self.replace_workspace(workspace);
                self.central_view = view;
                if current.is_some_and(|d| self.workspace.project().document(d).is_some()) {
                    self.current_doc = current;
                }
                self.status = Some("Unsaved changes discarded".to_owned());
            }
            // The file went away or broke: the changes are all that is left of the project,
            // so they stay, still marked unsaved.
            Err(error) => self.show_error(
                "Could not read the project back from disk; your changes are kept",
                error.to_string(),
            ),
        }
    }

    /// Open a project; on failure the current project stays and a dialog says why.
    pub fn open(&mut self, path: &Path) {
        match Workspace::open(path) {
            Ok(workspace) => {
                self.replace_workspace(workspace);
                self.status = Some(format!("Opened {}", path.display()));
            }
            Err(error) => {
                self.preferences.recent.retain(|p| p != path || p.exists());
                self.show_error("Could not open the project", error.to_string());
            }
        }
    }

    /// Open a project on a worker thread; the window keeps drawing, and the project
    /// replaces this one when it has been read.
    pub(super) fn start_open(&mut self, ctx: &egui::Context, path: PathBuf) {
        let what = format!("Opening {}", path.display());
        self.open_job = Some(Background::start(ctx, what, move || OpenOutcome {
            result: Workspace::open(&path).map_err(|e| e.to_string()),
            status: format!("Opened {}", path.display()),
            error_title: "Could not open the project",
            path,
            import_report: None,
        }));
    }

    /// Import a `.qdpx` as `NAME.ron` beside it, or into the data folder when its folder is
    /// read-only (never over an existing file), then open it; both on a worker thread.
    pub(super) fn start_import(&mut self, ctx: &egui::Context, file: PathBuf) {
        let what = format!("Importing {}", file.display());
        // An app built without a data folder (tests, other programs) imports into the
        // temporary folder, never into the user's data folder behind their back.
        let data_dir = self.data_dir.clone().unwrap_or_else(std::env::temp_dir);
        self.open_job = Some(Background::start(ctx, what, move || {
            let destination = crate::import::import_destination(&file, &data_dir);
            let project_file = destination.project_file().to_owned();
            let imported = prepare_folder(&destination).and_then(|()| {
                crate::import::qdpx::import_qdpx(&file, &project_file).map_err(|e| e.to_string())
            });
            // What came over and what did not, for the person to read before coding on.
            let report = imported.as_ref().ok().map(|saved| {
                let mut lines = saved.report.summary();
                lines.extend(saved.warnings.iter().map(|w| format!("warning: {w}")));
                lines
            });
            if imported.is_err()
                && let ImportDestination::DataFolder(_) = destination
                && let Some(folder) = project_file.parent()
            {
                // The folder made for this import, if the import left it empty.
                let _ = std::fs::remove_dir(folder);
            }
            let result =
                imported.and_then(|_| Workspace::open(&project_file).map_err(|e| e.to_string()));
            let status = match destination {
                ImportDestination::BesideArchive(_) => {
                    format!("Imported {} as {}", file.display(), project_file.display())
                }
                ImportDestination::DataFolder(_) => format!(
                    "Imported {} as {} (its own folder is read-only)",
                    file.display(),
                    project_file.display()
                ),
            };
            OpenOutcome {
                result,
                status,
                error_title: "Could not import",
                path: project_file,
                import_report: report,
            }
        }));
    }

    pub(super) fn poll_open(&mut self) {
        let Some(job) = &self.open_job else { return };
        let outcome = match job.poll() {
            Polled::Running => return,
            Polled::Done(outcome) => outcome,
            Polled::Lost => OpenOutcome {
                result: Err("reading the project stopped unexpectedly".to_owned()),
                status: String::new(),
                error_title: "Could not open the project",
                path: PathBuf::new(),
                import_report: None,
            },
        };
        self.open_job = None;
        match outcome.result {
            Ok(workspace) => {
                self.replace_workspace(workspace);
                self.status = Some(outcome.status);
                if let Some(lines) = outcome.import_report {
                    for line in &lines {
                        eprintln!("{line}");
                    }
                    self.dialog = Some(Dialog::ImportReport { lines });
                }
            }
            Err(message) => {
                let path = outcome.path;
                self.preferences.recent.retain(|p| *p != path || p.exists());
                self.show_error(outcome.error_title, message);
            }
        }
    }

    /// Save to the project's own file on a worker thread, then carry out `then`. A save
    /// asked for while one runs is queued (with its `then`), not lost.
    pub(super) fn start_save(&mut self, ctx: &egui::Context, overwrite: bool, then: Vec<Action>) {
        if self.save_job.is_some() {
            let queued = self.queued_save.get_or_insert_with(QueuedSave::default);
            queued.overwrite |= overwrite;
            queued.then.extend(then);
            return;
        }
        match self.workspace.begin_save(overwrite) {
            Ok(job) => {
                let what = format!("Saving {}", job.path().display());
                self.save_job = Some(SaveInFlight {
                    job: Background::start(ctx, what, move || job.run()),
                    then,
                });
            }
            // Never saved: the person chooses where first.
            Err(_) => self.ask_path(ctx, PathPurpose::SaveAs),
        }
    }

    pub(super) fn poll_save(&mut self, ctx: &egui::Context) {
        let Some(running) = &self.save_job else {
            return;
        };
        let result = match running.job.poll() {
            Polled::Running => return,
            Polled::Done(result) => result,
            Polled::Lost => Err(crate::store::StoreError::Invalid {
                file: self
                    .workspace
                    .path()
                    .map(Path::to_owned)
                    .unwrap_or_default(),
                message: "the save stopped unexpectedly; the file on disk is the previous \
                          version or the new one, never a mix (saves are atomic)"
                    .to_owned(),
            }),
        };
        let then = self.save_job.take().map(|r| r.then).unwrap_or_default();
        match result {
            Ok(saved) => {
                self.workspace.finish_save(saved);
                self.status = Some("Saved".to_owned());
                for action in then {
                    self.perform(ctx, action);
                }
            }
            Err(crate::store::StoreError::ChangedOnDisk { .. }) => {
                self.queued_save = None;
                self.dialog = Some(Dialog::ChangedOnDisk {
                    then: then.into_iter().next(),
                });
                return;
            }
            Err(error) => {
                self.queued_save = None;
                self.show_error("Could not save", error.to_string());
                return;
            }
        }
        if let Some(queued) = self.queued_save.take() {
            if self.workspace.is_dirty() {
                self.start_save(ctx, queued.overwrite, queued.then);
            } else {
                for action in queued.then {
                    self.perform(ctx, action);
                }
            }
        }
    }

    /// What the status bar should say of a save or an open that is running.
    pub(super) fn file_work_in_progress(&self) -> Option<&str> {
        let save = self.save_job.as_ref().map(|s| &s.job.what);
        let open = self
            .open_job
            .as_ref()
            .filter(|j| j.shows_progress())
            .map(|j| &j.what);
        let merge = self
            .merge_job
            .as_ref()
            .filter(|j| j.shows_progress())
            .map(|j| &j.what);
        save.or(open).or(merge).map(String::as_str)
    }

    pub(super) fn save_as(&mut self, path: &Path) {
        let path = with_ron_extension(path);
        let moved = self.workspace.path() != Some(path.as_path());
        match self.workspace.save_as(&path) {
            Ok(()) => {
                if moved {
                    self.lock_opened_project();
                }
                remember(&mut self.preferences.recent, &path);
                self.status = Some(format!("Saved as {}", path.display()));
            }
            Err(error) => self.show_error("Could not save", error.to_string()),
        }
    }

    /// Add the documents of a batch read off the UI thread, as one undoable edit, and show
    /// what could not be added and what the person should check.
    pub(super) fn add_read_documents(&mut self, batch: import_jobs::ReadBatch) {
        let warnings: Vec<String> = batch
            .documents
            .iter()
            .flat_map(|d| d.warnings.iter().cloned())
            .collect();
        let (added, errors) = self.workspace.add_imported_all(batch.documents);
        if let Some(first) = added.first() {
            self.current_doc = Some(*first);
            self.selection = None;
            self.selected_passage = None;
        }
        self.status = Some(match added.len() {
            1 => "Added 1 document".to_owned(),
            n => format!("Added {n} documents"),
        });
        let problems: Vec<String> = batch
            .errors
            .into_iter()
            .chain(errors.iter().map(ToString::to_string))
            .collect();
        let mut message = problems.join("\n");
        if !warnings.is_empty() {
            if !message.is_empty() {
                message.push_str("\n\n");
            }
            message.push_str("Please check:\n");
            message.push_str(&warnings.join("\n"));
        }
        if !problems.is_empty() {
            self.show_error("Some documents were not added", message);
        } else if !warnings.is_empty() {
            self.show_error("Documents added: please check", message);
        }
    }

    pub(super) fn poll_imports(&mut self) {
        let mut finished = Vec::new();
        self.import_jobs.retain_mut(|job| match job.poll() {
            Some(batch) => {
                finished.push(batch);
                false
            }
            None => true,
        });
        for batch in finished {
            // Transcripts are shown before they are added; one review at a time.
            if self.transcript_review.is_some() {
                self.add_read_documents(batch);
                continue;
            }
            match crate::ui::transcript_review::TranscriptReview::of(batch) {
                Ok(review) => self.transcript_review = Some(review),
                Err(batch) => self.add_read_documents(batch),
            }
        }
    }

    /// Write the recovery file when due, and wake an idle window in time for it.
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        if self.recovery_offer.is_some() {
            // The recovery file on disk is not ours to replace until the person chooses.
            return;
        }
        let now = ctx.input(|i| i.time);
        match self.autosave.tick(now, &self.workspace) {
            Ok(Some(wait)) => ctx.request_repaint_after_secs(wait as f32 + 0.05),
            Ok(None) => {}
            Err(error) => {
                self.status = Some(format!("Could not write the recovery copy: {error}"));
            }
        }
    }

    pub(super) fn answer_recovery_offer(&mut self, ctx: &egui::Context) {
        let Some(offer) = &self.recovery_offer else {
            return;
        };
        if self.dialog.is_some() {
            return;
        }
        let Some(choice) = recovery_dialog::show(ctx, offer) else {
            return;
        };
        let offer = self.recovery_offer.take().expect("checked above");
        match choice {
            RecoveryChoice::Restore => {
                let when = offer.when();
                let workspace = offer.clone().into_workspace();
                self.replace_workspace(workspace);
                self.recovery_offer = None;
                self.autosave.adopt(&offer, &self.workspace);
                self.status = Some(format!("Restored unsaved changes from {when}"));
            }
            RecoveryChoice::Discard => offer.discard(),
            RecoveryChoice::Later => {}
        }
    }

    /// Ask for a path with the native dialog (on a worker thread, so the window keeps
    /// drawing), or in the app where there is none.
    pub(super) fn ask_path(&mut self, ctx: &egui::Context, purpose: PathPurpose) {
        if self.native_dialogs {
            let folder = self.workspace.base_dir();
            let name = self.workspace.project().name.clone();
            let asked = purpose.clone();
            let what = "Waiting for the file dialog".to_owned();
            let job = Background::start(ctx, what, move || native_pick(&asked, folder, &name));
            self.file_dialog = Some((purpose, job));
            return;
        }
        self.ask_path_in_app(purpose);
    }

    fn ask_path_in_app(&mut self, purpose: PathPurpose) {
        let text = match &purpose {
            PathPurpose::SaveAs => self
                .workspace
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            _ => String::new(),
        };
        self.dialog = Some(Dialog::PathPrompt { purpose, text });
    }

    pub(super) fn poll_file_dialog(&mut self, ctx: &egui::Context) {
        let Some((_, job)) = &self.file_dialog else {
            return;
        };
        let (picked, quick) = match job.poll() {
            Polled::Running => return,
            Polled::Done(picked) => (picked, job.elapsed() < NO_DIALOG_SERVICE),
            Polled::Lost => (None, true),
        };
        let (purpose, _) = self.file_dialog.take().expect("checked above");
        match picked {
            Some(paths) => {
                if let Some(action) = purpose.into_action(paths) {
                    self.perform(ctx, action);
                }
            }
            // An answer faster than a person can give: no dialog service on this machine.
            None if quick => {
                self.native_dialogs = false;
                self.ask_path_in_app(purpose);
            }
            None => {}
        }
    }

    pub(super) fn start_export(
        &mut self,
        ctx: &egui::Context,
        format: crate::export::ExportChoice,
        path: PathBuf,
    ) {
        let project = self.workspace.project().clone();
        let texts: std::collections::HashMap<DocId, DocumentText> = project
            .documents
            .iter()
            .filter_map(|d| self.workspace.text(d.id).map(|t| (d.id, t.clone())))
            .collect();
        let (sender, receiver) = mpsc::channel();
        let target = path.clone();
        let repaint = ctx.clone();
        // Exports of a large corpus take a while: off the UI thread, the window stays live.
        std::thread::spawn(move || {
            let corpus = crate::export::Corpus {
                project: &project,
                texts: texts.iter().map(|(id, t)| (*id, t)).collect(),
            };
            let result = crate::export::export_choice(format, &corpus)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    crate::store::write_atomically(&target, &bytes, false)
                        .map_err(|e| e.to_string())
                });
            let _ = sender.send(result);
            repaint.request_repaint();
        });
        self.export_job = Some(ExportJob {
            format,
            path,
            result: receiver,
        });
    }

    pub(super) fn poll_export(&mut self) {
        let Some(job) = &self.export_job else { return };
        match job.result.try_recv() {
            Ok(Ok(())) => {
                self.status = Some(format!(
                    "Exported {} to {}",
                    job.format.label(),
                    job.path.display()
                ));
                self.export_job = None;
            }
            Ok(Err(message)) => {
                self.export_job = None;
                self.show_error("Export failed", message);
            }
            Err(mpsc::TryRecvError::Empty) => {}
            Err(mpsc::TryRecvError::Disconnected) => {
                self.export_job = None;
                self.show_error(
                    "Export failed",
                    "the export stopped unexpectedly".to_owned(),
                );
            }
        }
    }

    pub(super) fn lock_opened_project(&mut self) {
        if !self.project_locks || self.workspace.path().is_none() {
            return;
        }
        match self.workspace.lock_project() {
            Ok(others) if !others.is_empty() => {
                let holders: Vec<String> = others.iter().map(|h| h.describe()).collect();
                self.other_windows = holders.clone();
                self.dialog = Some(Dialog::OpenElsewhere { holders });
            }
            Ok(_) => self.other_windows.clear(),
            // A read-only folder: the project still opens, saving will say what is wrong.
            Err(error) => eprintln!("{error}"),
        }
        self.other_windows_checked = Some(Instant::now());
    }

    pub(super) fn check_other_windows(&mut self, ctx: &egui::Context) {
        if !self.project_locks || self.workspace.path().is_none() {
            return;
        }
        if self
            .other_windows_checked
            .is_none_or(|at| at.elapsed() >= OTHER_WINDOWS_CHECK)
        {
            self.other_windows = self
                .workspace
                .other_windows()
                .iter()
                .map(|h| h.describe())
                .collect();
            self.other_windows_checked = Some(Instant::now());
        }
        ctx.request_repaint_after(OTHER_WINDOWS_CHECK);
    }

    /// A project whose documents changed since its passages were made: move the passages
    /// found elsewhere (one undoable step) and say what needs attention.
    pub(super) fn reanchor_opened_project(&mut self) {
        match self.workspace.reanchor() {
            Ok(summary) if summary != Default::default() => {
                let mut message = format!(
                    "Documents changed on disk: {} passage(s) moved to where their text is now",
                    summary.moved
                );
                if summary.orphaned > 0 {
                    message.push_str(&format!(
                        "; {} need attention (left panel)",
                        summary.orphaned
                    ));
                }
                if summary.turns_lost > 0 {
                    message.push_str(&format!(
                        "; {} transcript turn(s) not found again, their speaker and times dropped",
                        summary.turns_lost
                    ));
                }
                message.push_str(". Undo reverts this.");
                self.status = Some(message);
            }
            Ok(_) => {}
            Err(error) => self.show_error("Could not re-anchor the passages", error.to_string()),
        }
    }
}

/// A newer recovery file of a project just opened (not of one restored or changed already).
/// A save running on a worker thread, and what to do once it succeeded.
pub(super) struct SaveInFlight {
    job: Background<Result<crate::workspace::Saved, crate::store::StoreError>>,
    then: Vec<Action>,
}

impl SaveInFlight {
    /// Carry out `action` once the save has succeeded (Quit waits for the save).
    pub(super) fn then(&mut self, action: Action) {
        if !self.then.contains(&action) {
            self.then.push(action);
        }
    }
}

/// A save asked for while another ran: it starts when that one ends.
#[derive(Default)]
pub(super) struct QueuedSave {
    overwrite: bool,
    then: Vec<Action>,
}

/// A project read (or imported and read) on a worker thread.
pub(super) struct OpenOutcome {
    result: Result<Workspace, String>,
    status: String,
    error_title: &'static str,
    /// The project file read, or that was to be read.
    path: PathBuf,
    /// For an import: how its codings were placed and what was left out, a line each.
    import_report: Option<Vec<String>>,
}

pub(super) fn pending_recovery(workspace: &Workspace) -> Option<PendingRecovery> {
    let path = workspace.path().filter(|_| !workspace.is_dirty())?;
    match recovery::pending_for(path)? {
        Ok(pending) => Some(pending),
        Err(error) => {
            eprintln!("marginalia: a recovery file was found but cannot be read: {error}");
            None
        }
    }
}

/// Most recent first, no duplicates.
pub(super) fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    recent.retain(|p| *p != path);
    recent.insert(0, path);
    recent.truncate(MAX_RECENT);
}

/// Create the folder of an import into the data folder (one beside the archive exists).
fn prepare_folder(destination: &ImportDestination) -> Result<(), String> {
    match destination {
        ImportDestination::BesideArchive(_) => Ok(()),
        ImportDestination::DataFolder(file) => {
            let folder = file.parent().unwrap_or(Path::new("."));
            std::fs::create_dir_all(folder)
                .map_err(|e| format!("cannot create the folder {}: {e}", folder.display()))
        }
    }
}

pub(super) fn with_ron_extension(path: &Path) -> PathBuf {
    if path.extension().is_some() {
        path.to_owned()
    } else {
        path.with_extension("ron")
    }
}

fn native_pick(purpose: &PathPurpose, folder: PathBuf, name: &str) -> Option<Vec<PathBuf>> {
    let dialog = rfd::FileDialog::new().set_directory(&folder);
    match purpose {
        PathPurpose::Open => dialog
            .add_filter("Marginalia project", &["ron"])
            .pick_file()
            .map(|p| vec![p]),
        PathPurpose::SaveAs => dialog
            .add_filter("Marginalia project", &["ron"])
            .set_file_name(format!("{name}.ron"))
            .save_file()
            .map(|p| vec![p]),
        PathPurpose::Import => dialog
            .add_filter("REFI-QDA project", &["qdpx"])
            .pick_file()
            .map(|p| vec![p]),
        PathPurpose::ImportCodebook => dialog
            .add_filter("Codebook", &["qdc", "ron"])
            .pick_file()
            .map(|p| vec![p]),
        PathPurpose::MergeProjects => dialog
            .add_filter("Marginalia project", &["ron"])
            .pick_files(),
        PathPurpose::ImportSurvey => dialog
            .add_filter("Survey", &["csv", "tsv", "txt", "xlsx", "xls", "ods"])
            .pick_file()
            .map(|p| vec![p]),
        PathPurpose::AddDocuments => dialog
            .add_filter("Documents", &crate::import::DocumentFormat::EXTENSIONS)
            .pick_files(),
        PathPurpose::Export(format) => dialog
            .add_filter(format.label(), &[format.extension()])
            .set_file_name(format!("{name}.{}", format.extension()))
            .save_file()
            .map(|p| vec![p]),
        PathPurpose::SaveChart(chart) => dialog
            .add_filter("PNG image", &["png"])
            .set_file_name(format!("{name} - {}.png", chart.title()))
            .save_file()
            .map(|p| vec![p]),
    }
}
