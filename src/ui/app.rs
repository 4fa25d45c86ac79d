//! The eframe application: lays out the panels and carries out their actions.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use egui::{Key, ViewportCommand};
use serde::{Deserialize, Serialize};

use super::dialogs::{self, Dialog, DialogOutcome, PathPurpose};
use super::document_view::{DocumentView, ViewState};
use super::passages_panel::PassagesPanel;
use super::{Action, TextSelection, documents_panel, menu_bar, status_bar, tag_bar};
use crate::edit::Edit;
use crate::export::Format;
use crate::model::{AnnotationId, DocId, DocumentText};
use crate::workspace::Workspace;

const PREFERENCES_KEY: &str = "marginalia-preferences";
const MAX_RECENT: usize = 10;
pub const DEFAULT_TEXT_SIZE: f32 = 17.0;
/// A native dialog that answers faster than this did not open: there is no dialog service.
const NO_DIALOG_SERVICE: Duration = Duration::from_millis(250);

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
    preferences: Preferences,
    dialog: Option<Dialog>,
    status: Option<String>,
    export_job: Option<ExportJob>,
    /// Off in tests and wherever no native dialog can open: paths are typed in the app.
    pub native_dialogs: bool,
    allowed_to_close: bool,
    shown_title: String,
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
            StartupProject::LastOrSample => {
                let candidates = preferences
                    .recent
                    .first()
                    .cloned()
                    .into_iter()
                    .chain(sample_project_path());
                candidates
                    .filter(|p| p.exists())
                    .find_map(|p| Workspace::open(&p).ok())
                    .unwrap_or_else(|| Workspace::new_unsaved("Untitled project"))
            }
        };
        let mut app = Self::with_workspace(workspace, preferences);
        if let Some(message) = error {
            app.dialog = Some(Dialog::Error {
                title: "Could not open".to_owned(),
                message,
            });
        }
        app.native_dialogs = true;
        app
    }

    /// An app on a given workspace, without native dialogs (tests, scripted use).
    pub fn with_workspace(workspace: Workspace, mut preferences: Preferences) -> Self {
        if let Some(path) = workspace.path() {
            remember(&mut preferences.recent, path);
        }
        let current_doc = workspace.project().documents.first().map(|d| d.id);
        Self {
            workspace,
            current_doc,
            selection: None,
            selected_passage: None,
            document_view: DocumentView::default(),
            passages_panel: PassagesPanel::default(),
            preferences,
            dialog: None,
            status: None,
            export_job: None,
            native_dialogs: false,
            allowed_to_close: false,
            shown_title: String::new(),
        }
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

    pub fn selected_passage(&self) -> Option<AnnotationId> {
        self.selected_passage
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
            Action::AddDocuments(paths) => self.add_documents(&paths),
            Action::Save => {
                self.commit_pending_note(ctx);
                self.save(ctx);
            }
            Action::SaveAsDialog => self.ask_path(ctx, PathPurpose::SaveAs),
            Action::SaveAs(path) => {
                self.commit_pending_note(ctx);
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
                    self.commit_pending_note(ctx);
                    self.current_doc = Some(doc);
                    self.selection = None;
                    self.selected_passage = None;
                }
            }
            Action::SelectPassage { id, scroll } => {
                if let Some(annotation) = self.workspace.project().annotation(id) {
                    let (doc, start, end) = (annotation.doc, annotation.start, annotation.end);
                    self.current_doc = Some(doc);
                    self.selected_passage = Some(id);
                    self.selection = Some(TextSelection {
                        anchor: start,
                        head: end,
                    });
                    if scroll {
                        self.document_view.scroll_to(start);
                    }
                }
            }
            Action::TagSelection(tag) => self.tag_selection(tag),
            Action::ToggleTag { passage, tag } => {
                let result = self.workspace.toggle_tag(passage, tag);
                self.after_tagging(result);
            }
            Action::SetNote { passage, note } => {
                let result = self
                    .workspace
                    .apply(Edit::SetAnnotationNote { id: passage, note });
                self.report(result);
            }
            Action::DeletePassage(id) => {
                let result = self.workspace.apply(Edit::RemoveAnnotation(id));
                self.report(result);
                if self.selected_passage == Some(id) {
                    self.selected_passage = None;
                    self.selection = None;
                }
            }
            Action::DeleteSelectedPassage => {
                if let Some(id) = self.selected_passage {
                    self.perform(ctx, Action::DeletePassage(id));
                }
            }
            Action::ClearSelection => {
                self.commit_pending_note(ctx);
                self.selection = None;
                self.selected_passage = None;
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

    fn replace_workspace(&mut self, workspace: Workspace) {
        if let Some(path) = workspace.path() {
            remember(&mut self.preferences.recent, path);
        }
        self.current_doc = workspace.project().documents.first().map(|d| d.id);
        self.workspace = workspace;
        self.selection = None;
        self.selected_passage = None;
        self.document_view = DocumentView::default();
        self.passages_panel = PassagesPanel::default();
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
            Err(error) => {
                self.show_error("Could not save", error.to_string());
                false
            }
        }
    }

    fn save_as(&mut self, path: &Path) {
        let path = with_ron_extension(path);
        match self.workspace.save_as(&path) {
            Ok(()) => {
                remember(&mut self.preferences.recent, &path);
                self.status = Some(format!("Saved as {}", path.display()));
            }
            Err(error) => self.show_error("Could not save", error.to_string()),
        }
    }

    fn add_documents(&mut self, paths: &[PathBuf]) {
        let mut added = 0;
        let mut problems = Vec::new();
        for path in paths {
            match self.workspace.add_document_file(path) {
                Ok(id) => {
                    added += 1;
                    self.current_doc = Some(id);
                }
                Err(error) => problems.push(error.to_string()),
            }
        }
        self.status = Some(format!("Added {added} document(s)"));
        if !problems.is_empty() {
            self.show_error("Some documents were not added", problems.join("\n"));
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

    fn commit_pending_note(&mut self, ctx: &egui::Context) {
        if let Some(action) = self
            .passages_panel
            .take_pending_note(self.workspace.project())
        {
            self.perform(ctx, action);
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
        let typing = ctx.egui_wants_keyboard_input();
        ctx.input_mut(|i| {
            for (shortcut, action) in [
                (menu_bar::SAVE_AS, Action::SaveAsDialog),
                (menu_bar::SAVE, Action::Save),
                (menu_bar::OPEN, Action::OpenDialog),
                (menu_bar::NEW, Action::NewProject),
                (menu_bar::QUIT, Action::Quit),
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
        for file in ctx.input(|i| i.raw.dropped_files.clone()) {
            let path = file.path().to_owned();
            if path.as_os_str().is_empty() {
                continue;
            }
            if path.extension().is_some_and(|e| e == "ron") {
                actions.push(Action::Open(path));
            } else {
                actions.push(Action::AddDocuments(vec![path]));
            }
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
        let mut actions = self.handle_keys(&ctx);

        if ctx.input(|i| i.viewport().close_requested())
            && self.workspace.is_dirty()
            && !self.allowed_to_close
        {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved { then: Action::Quit });
        }

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
            let message = match &self.export_job {
                Some(job) => Some(format!("Exporting {}…", job.format.label())),
                None => self.status.clone(),
            };
            ui.horizontal(|ui| {
                if self.export_job.is_some() {
                    ui.spinner();
                }
                status_bar::ui(ui, &self.workspace, self.selection, message.as_deref());
            });
        });
        egui::Panel::left("documents")
            .resizable(true)
            .default_size(250.0)
            .min_size(160.0)
            .max_size(420.0)
            .show(ui, |ui| {
                actions.extend(documents_panel::ui(ui, &self.workspace, self.current_doc));
            });
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
        egui::CentralPanel::default().show(ui, |ui| {
            actions.extend(self.central(ui));
        });

        if self.dialog.is_none()
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
                    self.commit_pending_note(&ctx);
                    if self.save(&ctx) {
                        actions.push(action);
                    }
                }
                DialogOutcome::Discard(action) => {
                    self.dialog = None;
                    self.workspace = Workspace::from_project(
                        self.workspace.project().clone(),
                        self.workspace.path().map(Path::to_owned),
                        true,
                    );
                    actions.push(action);
                }
            }
        }

        for action in actions {
            self.perform(&ctx, action);
        }

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

/// `projects/seeds.ron` from the working directory (a fresh clone) or from the source tree.
fn sample_project_path() -> Vec<PathBuf> {
    vec![
        PathBuf::from("projects/seeds.ron"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron"),
    ]
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
        PathPurpose::AddDocuments => dialog
            .add_filter("Text documents", &["txt", "md"])
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
