//! The eframe application: lays out the panels and carries out their actions.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use egui::{Key, ViewportCommand};
use serde::{Deserialize, Serialize};

use super::attention_panel::AttentionPanel;
use super::codebook_panel::CodebookPanel;
use super::dialogs::{self, Dialog, DialogOutcome, PathPurpose};
use super::document_view::{DocumentView, ViewState};
use super::find_bar::FindBar;
use super::import_jobs::{self, ImportJob};
use super::memos_view::MemosView;
use super::passages_panel::PassagesPanel;
use super::passages_table::PassagesTable;
use super::recovery_dialog::{self, RecoveryChoice};
use super::{Action, CentralView, TextSelection, documents_panel, menu_bar, status_bar, tag_bar};
use crate::edit::Edit;
use crate::export::Format;
use crate::model::{AnnotationId, DocId, DocumentText};
use crate::recovery::{self, Autosave, PendingRecovery};
use crate::workspace::Workspace;

const PREFERENCES_KEY: &str = "marginalia-preferences";
const MAX_RECENT: usize = 10;
pub const DEFAULT_TEXT_SIZE: f32 = 17.0;
/// A native dialog that answers faster than this did not open: there is no dialog service.
const NO_DIALOG_SERVICE: Duration = Duration::from_millis(250);
/// How often the lock file is read again to notice another window on the same project.
const OTHER_WINDOWS_CHECK: Duration = Duration::from_secs(3);

/// What the app remembers between runs (never the project itself).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub recent: Vec<PathBuf>,
    pub text_size: f32,
    pub dark_mode: Option<bool>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            text_size: DEFAULT_TEXT_SIZE,
            dark_mode: None,
        }
    }
}

/// What to open at start.
#[derive(Clone, Debug)]
pub enum StartupProject {
    /// The last project used, or the sample project the first time.
    LastOrSample,
    Project(PathBuf),
    /// A new, unsaved project with these documents.
    Files(Vec<PathBuf>),
}

struct ExportJob {
    format: Format,
    path: PathBuf,
    result: mpsc::Receiver<Result<(), String>>,
}

pub struct MarginaliaApp {
    workspace: Workspace,
    current_doc: Option<DocId>,
    selection: Option<TextSelection>,
    selected_passage: Option<AnnotationId>,
    document_view: DocumentView,
    passages_panel: PassagesPanel,
    codebook_panel: CodebookPanel,
    passages_table: PassagesTable,
    find_bar: FindBar,
    memos_view: MemosView,
    central_view: CentralView,
    preferences: Preferences,
    dialog: Option<Dialog>,
    status: Option<String>,
    export_job: Option<ExportJob>,
    import_jobs: Vec<ImportJob>,
    autosave: Autosave,
    recovery_offer: Option<PendingRecovery>,
    /// Off in tests and wherever no native dialog can open: paths are typed in the app.
    pub native_dialogs: bool,
    allowed_to_close: bool,
    shown_title: String,
    attention_panel: AttentionPanel,
    /// The orphan that the next text selection re-places.
    replacing: Option<AnnotationId>,
    /// Whether this window records itself in projects' lock files (off in tests).
    project_locks: bool,
    other_windows: Vec<String>,
    other_windows_checked: Option<Instant>,
}

impl MarginaliaApp {
    pub fn new(cc: &eframe::CreationContext<'_>, startup: StartupProject) -> Self {
        let preferences: Preferences = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFERENCES_KEY))
            .unwrap_or_default();
        if let Some(dark) = preferences.dark_mode {
            cc.egui_ctx.set_theme(if dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
        }
        let mut error = None;
        let workspace = match startup {
            StartupProject::Project(path) => Workspace::open(&path).unwrap_or_else(|e| {
                error = Some(e.to_string());
                Workspace::new_unsaved("Untitled project")
            }),
            StartupProject::Files(files) => Workspace::from_files(&files).unwrap_or_else(|e| {
                error = Some(e.to_string());
                Workspace::new_unsaved("Untitled project")
            }),
            StartupProject::LastOrSample => preferences
                .recent
                .first()
                .filter(|p| p.exists())
                .and_then(|p| Workspace::open(p).ok())
                .or_else(|| {
                    let sample = crate::sample::install(&crate::store::paths::data_dir());
                    sample.ok().and_then(|p| Workspace::open(&p).ok())
                })
                .unwrap_or_else(|| Workspace::new_unsaved("Untitled project")),
        };
        let mut app = Self::with_workspace(workspace, preferences);
        if let Some(message) = error {
            app.dialog = Some(Dialog::Error {
                title: "Could not open".to_owned(),
                message,
            });
        }
        app.native_dialogs = true;
        app.set_data_dir(&crate::store::paths::data_dir());
        app.enable_project_locks();
        app
    }

    /// Keep recovery files of never-saved projects (and their converted texts) in `dir`,
    /// and offer the newest one left by a Marginalia that did not close cleanly.
    pub fn set_data_dir(&mut self, dir: &Path) {
        self.autosave = Autosave::new(Some(dir));
        self.workspace
            .set_unsaved_sources_dir(crate::store::paths::unsaved_sources_dir(dir));
        if self.recovery_offer.is_none() && self.dialog.is_none() {
            self.recovery_offer = recovery::unsaved_pending(dir).into_iter().next();
        }
    }

    /// An app on a given workspace, without native dialogs (tests, scripted use).
    pub fn with_workspace(workspace: Workspace, mut preferences: Preferences) -> Self {
        if let Some(path) = workspace.path() {
            remember(&mut preferences.recent, path);
        }
        let current_doc = workspace.project().documents.first().map(|d| d.id);
        let recovery_offer = pending_recovery(&workspace);
        let mut app = Self {
            workspace,
            current_doc,
            selection: None,
            selected_passage: None,
            document_view: DocumentView::default(),
            passages_panel: PassagesPanel::default(),
            codebook_panel: CodebookPanel::default(),
            passages_table: PassagesTable::default(),
            find_bar: FindBar::default(),
            memos_view: MemosView,
            central_view: CentralView::Document,
            preferences,
            dialog: None,
            status: None,
            export_job: None,
            import_jobs: Vec::new(),
            autosave: Autosave::new(None),
            recovery_offer,
            native_dialogs: false,
            allowed_to_close: false,
            shown_title: String::new(),
            attention_panel: AttentionPanel::default(),
            replacing: None,
            project_locks: false,
            other_windows: Vec::new(),
            other_windows_checked: None,
        };
        app.reanchor_opened_project();
        app
    }

    /// Record this window in the lock file of each project it opens, and tell the person
    /// when another window has the project open.
    pub fn enable_project_locks(&mut self) {
        self.project_locks = true;
        self.lock_opened_project();
    }

    fn lock_opened_project(&mut self) {
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

    fn check_other_windows(&mut self, ctx: &egui::Context) {
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
    fn reanchor_opened_project(&mut self) {
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
                message.push_str(". Undo reverts this.");
                self.status = Some(message);
            }
            Ok(_) => {}
            Err(error) => self.show_error("Could not re-anchor the passages", error.to_string()),
        }
    }

    /// The passages listed under "Needs attention".
    pub fn orphans(&mut self) -> Vec<AnnotationId> {
        self.attention_panel.orphans(&self.workspace).to_vec()
    }

    /// The orphan waiting for a text selection, if any.
    pub fn replacing(&self) -> Option<AnnotationId> {
        self.replacing
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    pub fn current_document(&self) -> Option<DocId> {
        self.current_doc
    }

    pub fn selection(&self) -> Option<std::ops::Range<usize>> {
        self.selection.filter(|s| !s.is_empty()).map(|s| s.range())
    }

    /// Where the caret is in the current document (the moving end of the selection).
    pub fn caret(&self) -> Option<usize> {
        self.selection.map(|s| s.head)
    }

    pub fn selected_passage(&self) -> Option<AnnotationId> {
        self.selected_passage
    }

    pub fn central_view(&self) -> CentralView {
        self.central_view
    }

    /// Bring a character offset of the current document into view (scripted use, benchmarks).
    pub fn scroll_document_to(&mut self, char_offset: usize) {
        self.document_view.scroll_to(char_offset);
    }

    pub fn preferences(&self) -> &Preferences {
        &self.preferences
    }

    /// The message of the dialog on screen, if any.
    pub fn dialog_message(&self) -> Option<String> {
        match &self.dialog {
            Some(Dialog::Error { message, .. }) => Some(message.clone()),
            Some(Dialog::Unsaved { .. }) => Some("unsaved changes".to_owned()),
            Some(Dialog::PathPrompt { purpose, .. }) => Some(format!("path prompt: {purpose:?}")),
            Some(Dialog::Confirm { title, .. }) => Some(title.clone()),
            Some(Dialog::ChangedOnDisk { .. }) => Some("changed on disk".to_owned()),
            Some(Dialog::OpenElsewhere { .. }) => Some("open in another window".to_owned()),
            None => None,
        }
    }

    pub fn window_title(&self) -> String {
        let marker = if self.workspace.is_dirty() {
            "● "
        } else {
            ""
        };
        format!("{marker}{} — Marginalia", self.workspace.project().name)
    }

    /// Carry out one action, as the menus, panels and keys do.
    pub fn perform(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::NewProject => self.unless_unsaved(ctx, action, |app, _| {
                app.replace_workspace(Workspace::new_unsaved("Untitled project"));
            }),
            Action::OpenDialog => self.unless_unsaved(ctx, action, |app, ctx| {
                app.ask_path(ctx, PathPurpose::Open);
            }),
            Action::Open(ref path) => {
                let path = path.clone();
                self.unless_unsaved(ctx, action, move |app, _| app.open(&path));
            }
            Action::AddDocumentsDialog => self.ask_path(ctx, PathPurpose::AddDocuments),
            Action::AddDocuments(paths) => {
                if !paths.is_empty() {
                    self.import_jobs.push(ImportJob::start(ctx, paths));
                }
            }
            Action::Save => {
                self.save(ctx);
            }
            Action::SaveOverwriting(then) => match self.workspace.save_overwriting() {
                Ok(()) => {
                    self.status = Some("Saved over the file changed on disk".to_owned());
                    if let Some(then) = then {
                        self.perform(ctx, *then);
                    }
                }
                Err(error) => self.show_error("Could not save", error.to_string()),
            },
            Action::SaveAsDialog => self.ask_path(ctx, PathPurpose::SaveAs),
            Action::SaveAs(path) => {
                let target = with_ron_extension(&path);
                // A native dialog asks before replacing a file; the in-app prompt asks here.
                if !self.native_dialogs
                    && target.exists()
                    && self.workspace.path() != Some(target.as_path())
                {
                    let name = target.file_name().map_or_else(
                        || target.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    self.dialog = Some(Dialog::Confirm {
                        title: format!("Replace “{name}”?"),
                        message: format!(
                            "{} exists already. Replacing it with this project loses what it \
                             holds (the replaced file is kept as {name}.bak).",
                            target.display()
                        ),
                        confirm: "Replace".to_owned(),
                        then: Action::SaveAsReplacing(target),
                    });
                } else {
                    self.save_as(&target);
                }
            }
            Action::SaveAsReplacing(path) => {
                self.save_as(&path);
            }
            Action::ExportDialog(format) => self.ask_path(ctx, PathPurpose::Export(format)),
            Action::ExportTo(format, path) => self.start_export(ctx, format, path),
            Action::ImportDialog => self.unless_unsaved(ctx, action, |app, ctx| {
                app.ask_path(ctx, PathPurpose::Import);
            }),
            Action::Import(ref file) => {
                let file = file.clone();
                self.unless_unsaved(ctx, action, move |app, _| app.import(&file));
            }
            Action::Quit => self.unless_unsaved(ctx, action, |app, ctx| {
                app.autosave.remove_own();
                app.allowed_to_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }),
            Action::Undo => {
                if self.workspace.undo() {
                    self.after_history_step();
                }
            }
            Action::Redo => {
                if self.workspace.redo() {
                    self.after_history_step();
                }
            }
            Action::SelectDocument(doc) => {
                if self.current_doc != Some(doc) {
                    self.current_doc = Some(doc);
                    self.selection = None;
                    self.selected_passage = None;
                    self.replacing = None;
                }
            }
            Action::SelectPassage { id, scroll } => {
                if let Some(annotation) = self.workspace.project().annotation(id) {
                    let (doc, start, end) = (annotation.doc, annotation.start, annotation.end);
                    // An orphan's span is not where its text is: nothing to show there.
                    let anchored = self.workspace.is_anchored(annotation);
                    self.current_doc = Some(doc);
                    self.selected_passage = Some(id);
                    self.selection = anchored.then_some(TextSelection {
                        anchor: start,
                        head: end,
                    });
                    if scroll && anchored {
                        self.document_view.scroll_to(start);
                    }
                }
            }
            Action::StartReplace(id) => {
                if let Some(doc) = self.workspace.project().annotation(id).map(|a| a.doc) {
                    self.current_doc = Some(doc);
                    self.selection = None;
                    self.selected_passage = Some(id);
                    self.replacing = Some(id);
                    self.status = Some(
                        "Select the passage's new text in the document (Esc cancels)".to_owned(),
                    );
                }
            }
            Action::PlacePassage { id, range } => {
                self.replacing = None;
                match self.workspace.move_passage(id, range) {
                    Ok(()) => {
                        self.selected_passage = Some(id);
                        self.status = Some("Passage re-placed".to_owned());
                    }
                    Err(error) => {
                        self.show_error("Could not re-place the passage", error.to_string())
                    }
                }
            }
            Action::TagSelection(tag) => self.tag_selection(tag),
            Action::ToggleTag { passage, tag } => {
                let result = self.workspace.toggle_tag(passage, tag);
                self.after_tagging(result);
            }
            Action::SetNote {
                passage,
                note,
                coalesce,
            } => {
                let result = self.workspace.apply_coalescing(
                    Edit::SetAnnotationNote { id: passage, note },
                    "edit note",
                    Some(coalesce),
                );
                self.report(result);
            }
            Action::DeletePassage(id) => {
                let result = self.workspace.apply(Edit::RemoveAnnotation(id));
                self.report(result);
                if self.selected_passage == Some(id) {
                    self.selected_passage = None;
                    self.selection = None;
                }
                if self.replacing == Some(id) {
                    self.replacing = None;
                }
            }
            Action::DeleteSelectedPassage => {
                if let Some(id) = self.selected_passage {
                    self.perform(ctx, Action::DeletePassage(id));
                }
            }
            Action::DeselectPassage => self.selected_passage = None,
            Action::ClearSelection => {
                self.selection = None;
                self.selected_passage = None;
                if self.replacing.take().is_some() {
                    self.status = None;
                }
            }
            Action::Apply {
                edit,
                label,
                coalesce,
            } => {
                let result = self.workspace.apply_coalescing(*edit, label, coalesce);
                self.report(result);
                self.after_history_step();
            }
            Action::ConfirmDeleteTag(tag) => {
                let project = self.workspace.project();
                if let Some(tag) = project.tag(tag) {
                    let carried = project
                        .annotations
                        .iter()
                        .filter(|a| a.tags.contains(&tag.id))
                        .count();
                    let orphaned = project
                        .annotations
                        .iter()
                        .filter(|a| a.tags == [tag.id])
                        .count();
                    self.dialog = Some(Dialog::Confirm {
                        title: format!("Delete the tag “{}”?", tag.name),
                        message: format!(
                            "{carried} passage(s) carry it and will lose it. {orphaned} of them \
                             have no other tag: they are kept and listed as untagged. \
                             Undo brings the tag back on every passage."
                        ),
                        confirm: "Delete tag".to_owned(),
                        then: Action::Apply {
                            edit: Box::new(Edit::RemoveTag(tag.id)),
                            label: "delete tag",
                            coalesce: None,
                        },
                    });
                }
            }
            Action::ConfirmRemoveDocument(doc) => {
                let project = self.workspace.project();
                if let Some(document) = project.document(doc) {
                    let passages = project.annotations_of(doc).count();
                    self.dialog = Some(Dialog::Confirm {
                        title: format!("Remove “{}” from the project?", document.title),
                        message: format!(
                            "Its {passages} passage(s) are removed with it. The file itself \
                             stays where it is. Undo brings the document and its passages back."
                        ),
                        confirm: "Remove document".to_owned(),
                        then: Action::Apply {
                            edit: Box::new(Edit::RemoveDocument(doc)),
                            label: "remove document",
                            coalesce: None,
                        },
                    });
                }
            }
            Action::ImportCodebookDialog => self.ask_path(ctx, PathPurpose::ImportCodebook),
            Action::ImportCodebook(path) => self.import_codebook(&path),
            Action::ShowView(view) => {
                self.central_view = view;
            }
            Action::ShowUntagged => {
                self.passages_table.show_untagged();
                self.central_view = CentralView::Passages;
            }
            Action::OpenFind => {
                self.find_bar.open();
                self.central_view = CentralView::Document;
            }
            Action::SelectRange { doc, range } => {
                if self.current_doc != Some(doc) {
                    self.current_doc = Some(doc);
                }
                self.selected_passage = None;
                self.selection = Some(TextSelection {
                    anchor: range.start,
                    head: range.end,
                });
                self.document_view.scroll_to(range.start);
            }
            Action::TagAllHits(tag) => {
                let hits = self.find_bar.hits().to_vec();
                match self.workspace.tag_all(&hits, tag) {
                    Ok(count) => {
                        let name = self
                            .workspace
                            .project()
                            .tag(tag)
                            .map_or(String::new(), |t| t.name.clone());
                        self.status = Some(format!("Tagged {count} hit(s) with {name}"));
                    }
                    Err(error) => self.show_error("Could not tag the hits", error.to_string()),
                }
            }
            Action::SetTextSize(size) => {
                self.preferences.text_size =
                    size.clamp(menu_bar::MIN_TEXT_SIZE, menu_bar::MAX_TEXT_SIZE);
            }
            Action::SetDarkMode(dark) => {
                self.preferences.dark_mode = Some(dark);
                ctx.set_theme(if dark {
                    egui::Theme::Dark
                } else {
                    egui::Theme::Light
                });
            }
        }
    }

    /// Run `then` now, or first ask what to do with unsaved changes.
    fn unless_unsaved(
        &mut self,
        ctx: &egui::Context,
        action: Action,
        then: impl FnOnce(&mut Self, &egui::Context),
    ) {
        if self.workspace.is_dirty() {
            self.dialog = Some(Dialog::Unsaved { then: action });
        } else {
            then(self, ctx);
        }
    }

    fn replace_workspace(&mut self, mut workspace: Workspace) {
        // The data folder is the app's choice, whatever project comes next.
        workspace.set_unsaved_sources_dir(self.workspace.unsaved_sources_dir().to_owned());
        if let Some(path) = workspace.path() {
            remember(&mut self.preferences.recent, path);
        }
        self.current_doc = workspace.project().documents.first().map(|d| d.id);
        self.workspace = workspace;
        self.selection = None;
        self.selected_passage = None;
        self.document_view = DocumentView::default();
        self.passages_panel = PassagesPanel::default();
        self.codebook_panel = CodebookPanel::default();
        self.passages_table = PassagesTable::default();
        self.find_bar = FindBar::default();
        self.central_view = CentralView::Document;
        // Files still being read belong to the project just closed.
        self.import_jobs.clear();
        self.recovery_offer = pending_recovery(&self.workspace);
        self.attention_panel = AttentionPanel::default();
        self.replacing = None;
        self.other_windows.clear();
        self.reanchor_opened_project();
        self.lock_opened_project();
    }

    /// Forget the unsaved changes: the window shows the project as it is on disk (a new
    /// project never saved starts empty again), and the recovery copy of those changes goes.
    fn discard_changes(&mut self) {
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

    /// Import a `.qdpx` as `NAME.ron` beside it (never over an existing file), then open it.
    fn import(&mut self, file: &Path) {
        let project_file = free_project_path(file);
        match crate::import::qdpx::import_qdpx(file, &project_file) {
            Ok(_) => {
                self.open(&project_file);
                self.status = Some(format!(
                    "Imported {} as {}",
                    file.display(),
                    project_file.display()
                ));
            }
            Err(error) => self.show_error("Could not import", error.to_string()),
        }
    }

    fn save(&mut self, ctx: &egui::Context) -> bool {
        if self.workspace.path().is_none() {
            self.ask_path(ctx, PathPurpose::SaveAs);
            return false;
        }
        match self.workspace.save() {
            Ok(()) => {
                self.status = Some("Saved".to_owned());
                true
            }
            Err(crate::store::StoreError::ChangedOnDisk { .. }) => {
                self.dialog = Some(Dialog::ChangedOnDisk { then: None });
                false
            }
            Err(error) => {
                self.show_error("Could not save", error.to_string());
                false
            }
        }
    }

    fn save_as(&mut self, path: &Path) {
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
    fn add_read_documents(&mut self, batch: import_jobs::ReadBatch) {
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

    fn poll_imports(&mut self) {
        let mut finished = Vec::new();
        self.import_jobs.retain_mut(|job| match job.poll() {
            Some(batch) => {
                finished.push(batch);
                false
            }
            None => true,
        });
        for batch in finished {
            self.add_read_documents(batch);
        }
    }

    /// Write the recovery file when due, and wake an idle window in time for it.
    fn autosave(&mut self, ctx: &egui::Context) {
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

    fn answer_recovery_offer(&mut self, ctx: &egui::Context) {
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

    fn tag_selection(&mut self, tag: crate::model::TagId) {
        let (Some(doc), Some(range)) = (self.current_doc, self.selection()) else {
            return;
        };
        let result = self.workspace.tag_range(doc, range, tag);
        self.after_tagging(result);
    }

    fn after_tagging(&mut self, result: Result<Option<AnnotationId>, crate::edit::EditError>) {
        match result {
            Ok(Some(id)) => self.selected_passage = Some(id),
            Ok(None) => {
                self.selected_passage = None;
                self.selection = None;
            }
            Err(error) => self.show_error("Could not tag the passage", error.to_string()),
        }
    }

    fn after_history_step(&mut self) {
        let project = self.workspace.project();
        if self
            .selected_passage
            .is_some_and(|id| project.annotation(id).is_none())
        {
            self.selected_passage = None;
            self.selection = None;
        }
        if self
            .current_doc
            .is_none_or(|d| project.document(d).is_none())
        {
            self.current_doc = project.documents.first().map(|d| d.id);
        }
    }

    /// Add the tags of a `.qdc` codebook or of another project's codebook.
    fn import_codebook(&mut self, file: &Path) {
        let tags = if file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
        {
            crate::store::load_project(file)
                .map(|p| p.codebook)
                .map_err(|e| e.to_string())
        } else {
            crate::import::qdpx::read_qdc(file).map_err(|e| e.to_string())
        };
        match tags {
            Ok(tags) => match crate::codebook::import_tags(self.workspace.project(), &tags) {
                Some(edit) => {
                    let added = match &edit {
                        Edit::Batch(edits) => edits.len(),
                        _ => 1,
                    };
                    let result = self.workspace.apply_labelled(edit, "import codebook");
                    self.report(result);
                    self.status = Some(format!(
                        "Added {added} tag(s) from {}; tags with names already in the codebook were left as they are",
                        file.display()
                    ));
                }
                None => {
                    self.status = Some(format!(
                        "Every tag of {} is in the codebook already",
                        file.display()
                    ));
                }
            },
            Err(message) => self.show_error("Could not import the codebook", message),
        }
    }

    fn report(&mut self, result: Result<(), crate::edit::EditError>) {
        if let Err(error) = result {
            self.show_error("That change could not be made", error.to_string());
        }
    }

    fn show_error(&mut self, title: &str, message: String) {
        eprintln!("{message}");
        self.dialog = Some(Dialog::Error {
            title: title.to_owned(),
            message,
        });
    }

    /// Ask for a path with the native dialog, or in the app where there is none.
    fn ask_path(&mut self, ctx: &egui::Context, purpose: PathPurpose) {
        if self.native_dialogs {
            let started = Instant::now();
            let picked = native_pick(&purpose, &self.workspace);
            match picked {
                Some(paths) => {
                    if let Some(action) = purpose.into_action(paths) {
                        self.perform(ctx, action);
                    }
                    return;
                }
                None if started.elapsed() > NO_DIALOG_SERVICE => return,
                None => self.native_dialogs = false,
            }
        }
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

    fn start_export(&mut self, ctx: &egui::Context, format: Format, path: PathBuf) {
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
            let result = crate::export::export(format, &corpus)
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

    fn poll_export(&mut self) {
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

    /// Shortcuts that work anywhere, and the tagging keys when the document has focus.
    fn handle_keys(&mut self, ctx: &egui::Context) -> Vec<Action> {
        let mut actions = Vec::new();
        // Keys are the document's unless a text field has them (a focused button does not).
        let typing = ctx.text_edit_focused();
        ctx.input_mut(|i| {
            for (shortcut, action) in [
                (menu_bar::SAVE_AS, Action::SaveAsDialog),
                (menu_bar::SAVE, Action::Save),
                (menu_bar::OPEN, Action::OpenDialog),
                (menu_bar::NEW, Action::NewProject),
                (menu_bar::QUIT, Action::Quit),
                (menu_bar::FIND, Action::OpenFind),
            ] {
                if i.consume_shortcut(&shortcut) {
                    actions.push(action);
                }
            }
            if !typing {
                if i.consume_shortcut(&menu_bar::REDO) || i.consume_shortcut(&menu_bar::REDO_ALT) {
                    actions.push(Action::Redo);
                }
                if i.consume_shortcut(&menu_bar::UNDO) {
                    actions.push(Action::Undo);
                }
            }
            if i.consume_shortcut(&menu_bar::ZOOM_IN) {
                actions.push(Action::SetTextSize(self.preferences.text_size + 1.0));
            }
            if i.consume_shortcut(&menu_bar::ZOOM_OUT) {
                actions.push(Action::SetTextSize(self.preferences.text_size - 1.0));
            }
        });
        if typing || self.dialog.is_some() {
            return actions;
        }
        let project = self.workspace.project();
        ctx.input(|i| {
            if i.modifiers.command || i.modifiers.alt {
                return;
            }
            if self.selection().is_some() {
                for (key, digit) in DIGIT_KEYS {
                    if i.key_pressed(key)
                        && let Some(tag) = project.tag_by_key(digit)
                    {
                        actions.push(Action::TagSelection(tag.id));
                    }
                }
            }
            if i.key_pressed(Key::Escape) {
                actions.push(Action::ClearSelection);
            }
            if i.key_pressed(Key::Delete) || i.key_pressed(Key::Backspace) {
                actions.push(Action::DeleteSelectedPassage);
            }
        });
        let mut documents = Vec::new();
        for file in ctx.input(|i| i.raw.dropped_files.clone()) {
            let path = file.path().to_owned();
            if path.as_os_str().is_empty() {
                continue;
            }
            match path.extension().and_then(|e| e.to_str()) {
                Some("ron") => actions.push(Action::Open(path)),
                Some("qdpx") => actions.push(Action::Import(path)),
                _ => documents.push(path),
            }
        }
        if !documents.is_empty() {
            actions.push(Action::AddDocuments(documents));
        }
        actions
    }

    fn central(&mut self, ui: &mut egui::Ui) -> Vec<Action> {
        let Some(doc) = self.current_doc else {
            ui.centered_and_justified(|ui| {
                ui.label("Add documents (File > Add documents…) or open a project to begin.");
            });
            return Vec::new();
        };
        let project = self.workspace.project();
        let Some(document) = project.document(doc) else {
            return Vec::new();
        };
        let source = self.workspace.source(doc);
        if let Some(problem) = source.and_then(|s| s.problem()) {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Warning: {problem}"));
        }
        let Some(text) = source.and_then(|s| s.text()) else {
            ui.label(format!(
                "The text of “{}” cannot be shown. Its {} passages are kept and will be saved unchanged.",
                document.title,
                project.annotations_of(doc).count()
            ));
            return Vec::new();
        };
        let (hits, current_hit) = self.find_bar.hits_in(doc);
        self.document_view.ui(
            ui,
            project,
            doc,
            text,
            self.workspace.revision(),
            self.preferences.text_size,
            ViewState {
                selection: &mut self.selection,
                selected_passage: self.selected_passage,
                hits: &hits,
                current_hit,
                misplaced: self.workspace.misplaced(),
            },
        )
    }
}

const DIGIT_KEYS: [(Key, &str); 9] = [
    (Key::Num1, "1"),
    (Key::Num2, "2"),
    (Key::Num3, "3"),
    (Key::Num4, "4"),
    (Key::Num5, "5"),
    (Key::Num6, "6"),
    (Key::Num7, "7"),
    (Key::Num8, "8"),
    (Key::Num9, "9"),
];

impl eframe::App for MarginaliaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.poll_export();
        self.poll_imports();
        self.check_other_windows(&ctx);
        // Shortcuts are read first (so a text field does not take them) but carried out
        // after what the panels did this frame: a note typed and Ctrl+Q pressed in the same
        // frame is an unsaved change by the time Quit asks.
        let shortcuts = self.handle_keys(&ctx);
        let mut actions = Vec::new();

        egui::Panel::top("menu").show(ui, |ui| {
            actions.extend(menu_bar::ui(
                ui,
                &self.workspace,
                &self.preferences.recent,
                self.selected_passage.is_some(),
                self.preferences.text_size,
            ));
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            let message = match (&self.export_job, self.import_jobs.first()) {
                (Some(job), _) => Some(format!("Exporting {}…", job.format.label())),
                (None, Some(job)) => Some(job.progress_message()),
                (None, None) => self.status.clone(),
            };
            ui.horizontal(|ui| {
                if self.export_job.is_some() || !self.import_jobs.is_empty() {
                    ui.spinner();
                }
                status_bar::ui(ui, &self.workspace, self.selection, message.as_deref());
                if !self.other_windows.is_empty() {
                    ui.separator();
                    ui.colored_label(ui.visuals().warn_fg_color, "Also open in another window")
                        .on_hover_text(self.other_windows.join("\n"));
                }
            });
        });
        egui::Panel::left("documents")
            .resizable(true)
            .default_size(260.0)
            .min_size(180.0)
            .max_size(440.0)
            .show(ui, |ui| {
                egui::Panel::bottom("codebook")
                    .resizable(true)
                    .default_size(ui.available_height() * 0.55)
                    .min_size(120.0)
                    .show(ui, |ui| {
                        actions.extend(self.codebook_panel.ui(
                            ui,
                            self.workspace.project(),
                            self.workspace.revision(),
                        ));
                    });
                actions.extend(self.attention_panel.ui(ui, &self.workspace, self.replacing));
                actions.extend(documents_panel::ui(ui, &self.workspace, self.current_doc));
            });
        // The table and the memos use the whole width; the selected passage's panel belongs
        // to the document.
        if self.central_view == CentralView::Document {
            egui::Panel::right("passages")
                .resizable(true)
                .default_size(330.0)
                .min_size(220.0)
                .max_size(520.0)
                .show(ui, |ui| {
                    actions.extend(self.passages_panel.ui(
                        ui,
                        &self.workspace,
                        self.current_doc,
                        self.selected_passage,
                    ));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                for (view, label) in [
                    (CentralView::Document, "Document"),
                    (CentralView::Passages, "Coded passages"),
                    (CentralView::Memos, "Memos"),
                ] {
                    if ui
                        .selectable_label(self.central_view == view, label)
                        .clicked()
                    {
                        actions.push(Action::ShowView(view));
                    }
                }
            });
            ui.separator();
            match self.central_view {
                CentralView::Document => {
                    let caret = self.selection.map_or(0, |s| s.head);
                    actions.extend(
                        self.find_bar
                            .ui(ui, &self.workspace, self.current_doc, caret),
                    );
                    actions.extend(self.central(ui));
                }
                CentralView::Passages => actions.extend(self.passages_table.ui(
                    ui,
                    self.workspace.project(),
                    self.workspace.revision(),
                )),
                CentralView::Memos => actions.extend(self.memos_view.ui(
                    ui,
                    self.workspace.project(),
                    self.current_doc,
                )),
            }
        });

        // A selection made for re-placing counts once it is finished: the mouse released, or
        // Shift let go after Shift+arrows (each arrow would otherwise place it anew).
        let selecting = self.document_view.is_dragging() || ctx.input(|i| i.modifiers.shift);
        if let Some(id) = self.replacing
            && self.dialog.is_none()
            && !selecting
            && let Some(range) = self.selection()
        {
            actions.push(Action::PlacePassage { id, range });
        } else if self.dialog.is_none()
            && !self.document_view.is_dragging()
            && let (Some(range), Some(doc), Some(position)) = (
                self.selection(),
                self.current_doc,
                self.document_view.selection_end_pos,
            )
        {
            let project = self.workspace.project();
            let active = project
                .annotation_at_exact(doc, range)
                .map(|a| a.tags.as_slice());
            if let Some(tag) =
                tag_bar::floating_bar(&ctx, position + egui::vec2(-60.0, 8.0), project, active)
            {
                actions.push(Action::TagSelection(tag));
            }
        }

        if let Some(dialog) = &mut self.dialog {
            match dialogs::show(&ctx, dialog) {
                DialogOutcome::Open => {}
                DialogOutcome::Closed => self.dialog = None,
                DialogOutcome::Perform(action) => {
                    self.dialog = None;
                    actions.push(action);
                }
                DialogOutcome::SaveThen(action) => {
                    self.dialog = None;
                    if self.save(&ctx) {
                        actions.push(action);
                    } else if let Some(Dialog::ChangedOnDisk { then }) = &mut self.dialog {
                        *then = Some(action);
                    }
                }
                DialogOutcome::Discard(action) => {
                    self.dialog = None;
                    self.discard_changes();
                    actions.push(action);
                }
            }
        }

        self.answer_recovery_offer(&ctx);
        import_jobs::drop_hint(&ctx);

        actions.extend(shortcuts);
        for action in actions {
            self.perform(&ctx, action);
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.allowed_to_close {
            if self.workspace.is_dirty() {
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                self.dialog = Some(Dialog::Unsaved { then: Action::Quit });
            } else {
                self.autosave.remove_own();
            }
        }
        self.autosave(&ctx);

        let title = self.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFERENCES_KEY, &self.preferences);
    }
}

/// A newer recovery file of a project just opened (not of one restored or changed already).
fn pending_recovery(workspace: &Workspace) -> Option<PendingRecovery> {
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
fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    recent.retain(|p| *p != path);
    recent.insert(0, path);
    recent.truncate(MAX_RECENT);
}

/// `STUDY.qdpx` → `STUDY.ron`, or `STUDY-2.ron`… when that exists already.
fn free_project_path(file: &Path) -> PathBuf {
    let stem = file.file_stem().map_or_else(
        || "imported".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut candidate = file.with_file_name(format!("{stem}.ron"));
    let mut n = 2;
    while candidate.exists() {
        candidate = file.with_file_name(format!("{stem}-{n}.ron"));
        n += 1;
    }
    candidate
}

fn with_ron_extension(path: &Path) -> PathBuf {
    if path.extension().is_some() {
        path.to_owned()
    } else {
        path.with_extension("ron")
    }
}

fn native_pick(purpose: &PathPurpose, workspace: &Workspace) -> Option<Vec<PathBuf>> {
    let folder = workspace.base_dir();
    let dialog = rfd::FileDialog::new().set_directory(&folder);
    match purpose {
        PathPurpose::Open => dialog
            .add_filter("Marginalia project", &["ron"])
            .pick_file()
            .map(|p| vec![p]),
        PathPurpose::SaveAs => dialog
            .add_filter("Marginalia project", &["ron"])
            .set_file_name(format!("{}.ron", workspace.project().name))
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
        PathPurpose::AddDocuments => dialog
            .add_filter("Documents", &crate::import::DocumentFormat::EXTENSIONS)
            .pick_files(),
        PathPurpose::Export(format) => dialog
            .add_filter(format.label(), &[format.extension()])
            .set_file_name(format!(
                "{}.{}",
                workspace.project().name,
                format.extension()
            ))
            .save_file()
            .map(|p| vec![p]),
    }
}
