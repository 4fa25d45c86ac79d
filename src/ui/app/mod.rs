//! The eframe application: its state, and each frame's layout of the panels. What the
//! panels ask for is carried out in `perform.rs`; files in `files.rs`; keys in `keys.rs`.

pub(in crate::ui) mod background;
mod files;
mod keys;
mod layout;
mod merge;
mod perform;
mod survey;

use background::{Background, Polled};
use files::{
    OpenOutcome, QueuedSave, SaveInFlight, pending_recovery, remember, with_ron_extension,
};

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use egui::{Key, ViewportCommand};
use serde::{Deserialize, Serialize};

use super::agreement_view::AgreementView;
use super::analysis_view::AnalysisView;
use super::answers_view::AnswersView;
use super::attention_panel::AttentionPanel;
use super::attributes_view::AttributesView;
use super::cases_view::CasesView;
use super::codebook_panel::CodebookPanel;
use super::coders_bar::{CoderView, CodersBar};
use super::commands::{Command, CommandContext};
use super::dialogs::{self, Dialog, DialogOutcome, PathPurpose};
use super::document_view::{DocumentView, ViewState};
use super::find_bar::FindBar;
use super::fonts;
use super::import_jobs::{self, ImportJob};
use super::memos_view::MemosView;
use super::passages_panel::PassagesPanel;
use super::passages_table::PassagesTable;
use super::reading_style::ReadingStyle;
use super::recovery_dialog::{self, RecoveryChoice};
use super::text_editor::TextEditor;
use super::theme::{self, DEFAULT_TEXT_SIZE};
use super::{Action, CentralView, TextSelection, documents_panel, menu_bar, status_bar, tag_bar};
use crate::edit::Edit;
use crate::model::{AnnotationId, DocId, DocumentText};
use crate::recovery::{self, Autosave, PendingRecovery};
use crate::workspace::Workspace;

const PREFERENCES_KEY: &str = "marginalia-preferences";
const MAX_RECENT: usize = 10;
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
    /// The name stamped on every passage made in this window; `None` until the person has
    /// been asked (before their first passage, or in Preferences).
    pub coder: Option<String>,
    /// The document's column width, line spacing and font.
    pub reading: ReadingStyle,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            text_size: DEFAULT_TEXT_SIZE,
            dark_mode: None,
            coder: None,
            reading: ReadingStyle::default(),
        }
    }
}

/// The login name (`USER`, or `USERNAME` on Windows): what the coder name dialog proposes.
pub fn login_name() -> String {
    ["USER", "USERNAME"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|name| name.trim().to_owned())
        .find(|name| !name.is_empty())
        .unwrap_or_default()
}

/// What to open at start.
#[derive(Clone, Debug)]
pub enum StartupProject {
    /// The last project used, or the sample project the first time.
    LastOrSample,
    Project(PathBuf),
    /// A new, unsaved project with these documents.
    Files(Vec<PathBuf>),
    /// A REFI-QDA project (`.qdpx`) to import and open (see [`crate::import::import_destination`]).
    Import(PathBuf),
}

impl StartupProject {
    /// What the paths on the command line ask for: none, the last project or the sample; one
    /// `.ron`, that project (read here, so that one that cannot be read is reported on
    /// stderr before a window opens); one `.qdpx`, an import of it; other files, a new
    /// project with them. The message of an error is for the person who typed the command.
    pub fn from_paths(paths: Vec<PathBuf>) -> Result<Self, String> {
        let is = |path: &Path, extension: &str| {
            path.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case(extension))
        };
        match paths.as_slice() {
            [] => Ok(Self::LastOrSample),
            [project] if is(project, "ron") => {
                crate::store::load_project(project).map_err(|e| e.to_string())?;
                Ok(Self::Project(project.clone()))
            }
            [archive] if is(archive, "qdpx") => match std::fs::File::open(archive) {
                Ok(file) if file.metadata().is_ok_and(|m| m.is_file()) => {
                    Ok(Self::Import(archive.clone()))
                }
                Ok(_) => Err(format!(
                    "marginalia: {} is a folder, not a REFI-QDA project",
                    archive.display()
                )),
                Err(error) => Err(format!(
                    "marginalia: cannot read {}: {error}",
                    archive.display()
                )),
            },
            files if files.iter().any(|f| is(f, "ron") || is(f, "qdpx")) => Err(
                "marginalia: give one project (.ron or .qdpx), or document files, not both and \
                 not several projects"
                    .to_owned(),
            ),
            files => Ok(Self::Files(files.to_vec())),
        }
    }
}

struct ExportJob {
    format: crate::export::ExportChoice,
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
    agreement_view: AgreementView,
    analysis_view: AnalysisView,
    attributes_view: AttributesView,
    cases_view: CasesView,
    answers_view: AnswersView,
    central_view: CentralView,
    preferences: Preferences,
    dialog: Option<Dialog>,
    /// Transcripts read and waiting for the person to confirm their speakers and turns.
    transcript_review: Option<super::transcript_review::TranscriptReview>,
    status: Option<String>,
    export_job: Option<ExportJob>,
    save_job: Option<SaveInFlight>,
    queued_save: Option<QueuedSave>,
    /// A project being read (or a `.qdpx` imported) on a worker thread.
    open_job: Option<Background<OpenOutcome>>,
    /// Projects being read on a worker thread, to merge into this one.
    merge_job: Option<Background<merge::ReadInputs>>,
    survey_job: Option<Background<survey::ReadSheet>>,
    survey_review: Option<super::survey_review::SurveyReview>,
    /// A native file dialog open on a worker thread, and what its path is for.
    file_dialog: Option<(PathPurpose, Background<Option<Vec<PathBuf>>>)>,
    import_jobs: Vec<ImportJob>,
    /// The app's data folder, once given (`set_data_dir`).
    data_dir: Option<PathBuf>,
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
    /// The attribute filter over the documents list, as typed.
    documents_filter: String,
    /// Quick coding: the tag every finished selection gets, until Esc.
    quick_tag: Option<crate::model::TagId>,
    /// Whose passages the document shows; compare mode's differences.
    coders_bar: CodersBar,
    /// Frames begun, counted up to a few (for the startup timing).
    frames_begun: u8,
    /// "Edit text": the correction being typed into a document's text.
    text_editor: Option<TextEditor>,
    /// Corrected texts being written to their files on a worker thread: the files that
    /// could not be written, with why.
    text_write_job: Option<Background<Vec<String>>>,
    /// Whether the fonts were installed, and with the serif family or not.
    fonts_installed: Option<bool>,
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
        let data_dir = crate::store::paths::data_dir();
        let serif = preferences.reading.serif;
        let mut app = Self::starting(&cc.egui_ctx, startup, preferences, &data_dir);
        app.install_fonts(&cc.egui_ctx, serif);
        app.native_dialogs = true;
        app.enable_project_locks();
        app
    }

    /// The app as `new` starts it, with `data_dir` as its data folder (the sample, recovery
    /// copies, imports from read-only folders) and without native dialogs or project locks:
    /// what tests start.
    pub fn starting(
        ctx: &egui::Context,
        startup: StartupProject,
        preferences: Preferences,
        data_dir: &Path,
    ) -> Self {
        let mut error = None;
        let mut import = None;
        let workspace = match startup {
            StartupProject::Project(path) => Workspace::open(&path).unwrap_or_else(|e| {
                error = Some(e.to_string());
                Workspace::new_unsaved("Untitled project")
            }),
            StartupProject::Files(files) => Workspace::from_files(&files).unwrap_or_else(|e| {
                error = Some(e.to_string());
                Workspace::new_unsaved("Untitled project")
            }),
            // The window shows an empty project while the archive is read on a worker thread.
            StartupProject::Import(archive) => {
                import = Some(archive);
                Workspace::new_unsaved("Untitled project")
            }
            StartupProject::LastOrSample => preferences
                .recent
                .first()
                .filter(|p| p.exists())
                .and_then(|p| Workspace::open(p).ok())
                .or_else(|| {
                    let sample = crate::sample::install(data_dir);
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
        app.set_data_dir(data_dir);
        if let Some(archive) = import {
            app.start_import(ctx, archive);
        }
        app
    }

    /// Keep recovery files of never-saved projects (and their converted texts) in `dir`,
    /// and offer the newest one left by a Marginalia that did not close cleanly.
    pub fn set_data_dir(&mut self, dir: &Path) {
        self.data_dir = Some(dir.to_owned());
        self.autosave = Autosave::new(Some(dir)).in_background();
        self.workspace
            .set_unsaved_sources_dir(crate::store::paths::unsaved_sources_dir(dir));
        if self.recovery_offer.is_none() && self.dialog.is_none() {
            self.recovery_offer = recovery::unsaved_pending(dir).into_iter().next();
        }
    }

    /// An app on a given workspace, without native dialogs (tests, scripted use).
    pub fn with_workspace(mut workspace: Workspace, mut preferences: Preferences) -> Self {
        if let Some(path) = workspace.path() {
            remember(&mut preferences.recent, path);
        }
        let current_doc = workspace.project().documents.first().map(|d| d.id);
        let recovery_offer = pending_recovery(&workspace);
        workspace.coder = preferences.coder.clone().unwrap_or_default();
        let mut app = Self {
            workspace,
            current_doc,
            selection: None,
            selected_passage: None,
            document_view: DocumentView::default(),
            passages_panel: PassagesPanel,
            codebook_panel: CodebookPanel::default(),
            passages_table: PassagesTable::default(),
            find_bar: FindBar::default(),
            memos_view: MemosView,
            agreement_view: AgreementView::default(),
            analysis_view: AnalysisView::default(),
            attributes_view: AttributesView::default(),
            cases_view: CasesView,
            answers_view: AnswersView::default(),
            central_view: CentralView::Document,
            preferences,
            dialog: None,
            transcript_review: None,
            status: None,
            export_job: None,
            save_job: None,
            queued_save: None,
            open_job: None,
            merge_job: None,
            survey_job: None,
            survey_review: None,
            file_dialog: None,
            import_jobs: Vec::new(),
            data_dir: None,
            autosave: Autosave::new(None).in_background(),
            recovery_offer,
            native_dialogs: false,
            allowed_to_close: false,
            shown_title: String::new(),
            attention_panel: AttentionPanel::default(),
            replacing: None,
            project_locks: false,
            other_windows: Vec::new(),
            other_windows_checked: None,
            frames_begun: 0,
            quick_tag: None,
            documents_filter: String::new(),
            text_editor: None,
            text_write_job: None,
            fonts_installed: None,
            coders_bar: CodersBar::default(),
        };
        app.document_view.request_focus();
        app.reanchor_opened_project();
        app
    }

    /// Record this window in the lock file of each project it opens, and tell the person
    /// when another window has the project open.
    pub fn enable_project_locks(&mut self) {
        self.project_locks = true;
        self.lock_opened_project();
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

    /// What the commands' availability depends on, as things are now.
    fn command_context(&self, ctx: &egui::Context) -> CommandContext<'_> {
        CommandContext {
            workspace: &self.workspace,
            passage_selected: self.selected_passage.is_some(),
            text_size: self.preferences.text_size,
            dark_mode: ctx.global_style().visuals.dark_mode,
            comparing: self.coders_bar.view.is_compare()
                && self.central_view == CentralView::Document,
            document_direction: self
                .current_doc
                .and_then(|doc| self.workspace.project().document(doc))
                .map(|document| document.direction),
        }
    }

    /// The tag quick coding applies to every finished selection, if it is on.
    pub fn quick_tag(&self) -> Option<crate::model::TagId> {
        self.quick_tag
    }

    /// Whether the app has agreed to close its window (after Quit with nothing unsaved).
    pub fn is_closing(&self) -> bool {
        self.allowed_to_close
    }

    /// Whether a save is running on its worker thread.
    pub fn is_saving(&self) -> bool {
        self.save_job.is_some()
    }

    /// Whether corrected texts wait to be written, or are being written, to their files.
    pub fn is_writing_texts(&self) -> bool {
        self.text_write_job.is_some() || self.workspace.has_text_writes()
    }

    /// The fonts, with the serif family when it is asked for (it takes effect next frame).
    fn install_fonts(&mut self, ctx: &egui::Context, serif: bool) {
        fonts::install(ctx, serif);
        crate::startup_timing::mark("fonts set");
        self.fonts_installed = Some(serif);
    }

    /// The reading style as the document view can use it this frame: serif only once its
    /// font is there.
    pub fn reading_style(&self, ctx: &egui::Context) -> ReadingStyle {
        let style = self.preferences.reading.clamped();
        ReadingStyle {
            serif: style.serif && fonts::has_serif(ctx),
            ..style
        }
    }

    /// Where the document view wrapped its text last frame (its width, in points).
    pub fn document_wrap_width(&self) -> Option<f32> {
        self.document_view.wrap_width()
    }

    /// The document whose text is open in the text editor, and whether it holds changes
    /// not applied yet.
    pub fn text_editor(&self) -> Option<(DocId, bool)> {
        self.text_editor
            .as_ref()
            .map(|e| (e.doc(), e.is_modified()))
    }

    /// Where the caret is in the current document (the moving end of the selection).
    pub fn caret(&self) -> Option<usize> {
        self.selection.map(|s| s.head)
    }

    pub fn selected_passage(&self) -> Option<AnnotationId> {
        self.selected_passage
    }

    /// Whose passages the document shows (all, one coder's, or two compared).
    pub fn set_coder_view(&mut self, view: CoderView) {
        self.coders_bar.view = view;
        self.coders_bar.current = None;
    }

    pub fn coder_view(&self) -> &CoderView {
        &self.coders_bar.view
    }

    /// Compare mode: the difference stepped to, as an index in reading order.
    pub fn current_difference(&self) -> Option<usize> {
        self.coders_bar.current
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

    /// The agreement report the Agreement view shows, once computed.
    pub fn agreement_report(&self) -> Option<&crate::agreement::AgreementReport> {
        self.agreement_view.report()
    }

    /// The passages flagged as merge conflicts, listed under "Needs attention".
    pub fn conflicts(&mut self) -> Vec<AnnotationId> {
        self.attention_panel.conflicts(&self.workspace).to_vec()
    }

    /// The figures the Analysis view shows, once computed.
    pub fn analysis_stats(&self) -> Option<&crate::stats::Stats> {
        self.analysis_view.stats()
    }

    /// Whether the Analysis view shows the figures of the project as it is now.
    pub fn analysis_is_current(&self) -> bool {
        self.analysis_view.is_current(self.workspace.revision())
    }

    /// Where the Analysis view drew a tag's bar last frame (screen points).
    pub fn analysis_bar(&self, tag: crate::model::TagId) -> Option<egui::Pos2> {
        self.analysis_view.bar_centre(tag)
    }

    /// Where the Analysis view drew a co-occurrence cell last frame (screen points).
    pub fn analysis_cell(
        &self,
        row: crate::model::TagId,
        column: crate::model::TagId,
    ) -> Option<egui::Pos2> {
        self.analysis_view.cell_centre(row, column)
    }

    /// What the Analysis view's bars count and which matrix it shows.
    pub fn set_analysis_choices(&mut self, measure: super::Measure, matrix: super::Matrix) {
        self.analysis_view.measure = measure;
        self.analysis_view.matrix = matrix;
    }

    /// Whether projects to merge are being read.
    pub fn is_merging(&self) -> bool {
        self.merge_job.is_some()
    }

    /// The filter of the coded passages table.
    pub fn passages_filter(&self) -> &crate::retrieval::PassageFilter {
        &self.passages_table.filter
    }

    /// The rows the coded passages table shows now (indices into the project's passages).
    pub fn passages_rows(&mut self) -> Vec<usize> {
        self.passages_table.rows(&self.workspace)
    }

    /// Where the Analysis view drew the bar of a tag in the group of an attribute value
    /// (`None`: documents without a value) last frame (screen points).
    pub fn analysis_by_bar(
        &self,
        tag: crate::model::TagId,
        value: Option<&str>,
    ) -> Option<egui::Pos2> {
        self.analysis_view.by_bar_centre(tag, value)
    }

    /// Where the Analysis view drew a chart last frame, as far as it was visible.
    pub fn analysis_chart_rect(&self, chart: super::Chart) -> Option<egui::Rect> {
        self.analysis_view.chart_rect(chart)
    }

    /// The attribute the Analysis view's tags × values chart groups by.
    pub fn set_analysis_by(&mut self, attribute: Option<crate::model::AttributeId>) {
        self.analysis_view.by = attribute;
    }

    /// The message of the dialog on screen, if any.
    pub fn dialog_message(&self) -> Option<String> {
        match &self.dialog {
            Some(Dialog::Error { message, .. }) => Some(message.clone()),
            Some(Dialog::ImportReport { lines }) => Some(lines.join("\n")),
            Some(Dialog::Unsaved { .. }) => Some("unsaved changes".to_owned()),
            Some(Dialog::PathPrompt { purpose, .. }) => Some(format!("path prompt: {purpose:?}")),
            Some(Dialog::Confirm { title, .. }) => Some(title.clone()),
            Some(Dialog::ChangedOnDisk { .. }) => Some("changed on disk".to_owned()),
            Some(Dialog::OpenElsewhere { .. }) => Some("open in another window".to_owned()),
            Some(Dialog::CoderName { .. }) => Some("coder name".to_owned()),
            Some(Dialog::Info { title, message }) => Some(format!("{title}\n{message}")),
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
                project.annotations_slice_of(doc).len()
            ));
            return Vec::new();
        };
        if let Some(editor) = self.text_editor.as_mut().filter(|e| e.doc() == doc) {
            return editor.ui(ui, text.as_str(), &document.sha256);
        }
        let mut actions = self.coders_bar.ui(ui, &self.workspace, doc);
        let (hits, current_hit) = self.find_bar.hits_in(doc);
        actions.extend(
            self.document_view.ui(
                ui,
                project,
                doc,
                text,
                self.preferences.text_size,
                ViewState {
                    workspace: &self.workspace,
                    selection: &mut self.selection,
                    selected_passage: self
                        .selected_passage
                        .and_then(|id| self.workspace.annotation(id)),
                    hits: &hits,
                    current_hit,
                    misplaced: self.workspace.misplaced(),
                    coders: &self.coders_bar.view,
                },
            ),
        );
        actions
    }
}

impl eframe::App for MarginaliaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        match self.frames_begun {
            0 => crate::startup_timing::mark("first frame begins"),
            // The first frame was painted and presented before the second begins.
            1 => crate::startup_timing::mark("first frame painted (second begins)"),
            _ => {}
        }
        self.frames_begun = self.frames_begun.saturating_add(1);
        let serif = self.preferences.reading.serif;
        if self.fonts_installed.is_none() || (serif && self.fonts_installed == Some(false)) {
            self.install_fonts(&ctx, serif || self.fonts_installed == Some(true));
        }
        self.document_view.reading = self.reading_style(&ctx);
        self.document_view.direction = self
            .current_doc
            .and_then(|doc| self.workspace.project().document(doc))
            .map_or(Default::default(), |document| document.direction);
        self.poll_background_work(&ctx);
        // Shortcuts are read first (so a text field does not take them) but carried out
        // after what the panels did this frame: a note typed and Ctrl+Q pressed in the same
        // frame is an unsaved change by the time Quit asks.
        let shortcuts = self.handle_keys(&ctx);
        let mut actions = Vec::new();

        egui::Panel::top("menu").show(ui, |ui| {
            let context = self.command_context(&ctx);
            actions.extend(menu_bar::ui(ui, &context, &self.preferences.recent));
        });
        self.status_panel(ui, &mut actions);
        self.left_column(ui, &mut actions);
        // The table and the memos use the whole width; the selected passage's panel belongs
        // to the document.
        if self.central_view == CentralView::Document {
            let (default, greatest) = theme::side_panel_widths(
                theme::RIGHT_PANEL_WIDTH,
                theme::SIDE_PANEL_SHARE[1],
                ctx.content_rect().width(),
            );
            egui::Panel::right("passages")
                .resizable(true)
                .default_size(default)
                .min_size(theme::RIGHT_PANEL_WIDTH[1])
                .max_size(greatest)
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
            // Wrapped: in a narrow window a row wider than the panel would widen the panel's
            // content under the side panel, and the document's text would run beneath it.
            ui.horizontal_wrapped(|ui| {
                for (view, label) in [
                    (CentralView::Document, "Document"),
                    (CentralView::Passages, "Coded passages"),
                    (CentralView::Memos, "Memos"),
                    (CentralView::Agreement, "Agreement"),
                    (CentralView::Analysis, "Analysis"),
                    (CentralView::Attributes, "Attributes"),
                    (CentralView::Cases, "Cases"),
                    (CentralView::Answers, "Answers"),
                ] {
                    // Cases come with transcripts, answers with surveys: a project without
                    // them keeps its tab row.
                    let project = self.workspace.project();
                    let wanted = match view {
                        CentralView::Cases => !project.cases.is_empty(),
                        CentralView::Answers => AnswersView::applies_to(project),
                        _ => true,
                    };
                    if !wanted && self.central_view != view {
                        continue;
                    }
                    if ui
                        .selectable_label(self.central_view == view, label)
                        .clicked()
                    {
                        actions.push(Action::ShowView(view));
                    }
                }
                if self.central_view == CentralView::Document && self.current_doc.is_some() {
                    let editing_this = self
                        .text_editor
                        .as_ref()
                        .is_some_and(|e| Some(e.doc()) == self.current_doc);
                    // The buttons go on the tabs' row when they fit in what the tabs leave
                    // of it, else on a row of their own (never over the last tabs).
                    let button_width = |ui: &egui::Ui, text: &str| {
                        let font = egui::TextStyle::Button.resolve(ui.style());
                        let galley = ui.painter().layout_no_wrap(
                            text.to_owned(),
                            font,
                            egui::Color32::PLACEHOLDER,
                        );
                        galley.size().x + 2.0 * ui.spacing().button_padding.x
                    };
                    let mut controls_width = button_width(ui, "Reading");
                    if !editing_this {
                        controls_width +=
                            ui.spacing().item_spacing.x + button_width(ui, "Edit text…");
                    }
                    if ui.available_size_before_wrap().x < controls_width {
                        ui.end_row();
                    }
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        let reading = self.preferences.reading.clamped();
                        // Stays open while its controls are used; a click outside closes it.
                        let config = egui::containers::menu::MenuConfig::new()
                            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
                        egui::containers::menu::MenuButton::new("Reading")
                            .config(config)
                            .ui(ui, |ui| {
                                if let Some(style) = reading.ui(ui) {
                                    actions.push(Action::SetReadingStyle(style));
                                }
                            })
                            .0
                            .on_hover_text("Column width, line spacing and font of the text");
                        if !editing_this
                            && ui
                                .button("Edit text…")
                                .on_hover_text(
                                    "Correct typos in this document's text; its passages follow",
                                )
                                .clicked()
                        {
                            actions.push(Action::EditText);
                        }
                    });
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
                CentralView::Passages => {
                    actions.extend(self.passages_table.ui(ui, &self.workspace));
                }
                CentralView::Memos => actions.extend(self.memos_view.ui(
                    ui,
                    self.workspace.project(),
                    self.current_doc,
                )),
                CentralView::Agreement => {
                    actions.extend(self.agreement_view.ui(ui, &self.workspace));
                }
                CentralView::Analysis => {
                    actions.extend(self.analysis_view.ui(ui, &self.workspace));
                }
                CentralView::Attributes => {
                    actions.extend(self.attributes_view.ui(ui, &self.workspace));
                }
                CentralView::Cases => {
                    actions.extend(self.cases_view.ui(ui, &self.workspace));
                }
                CentralView::Answers => {
                    actions.extend(self.answers_view.ui(ui, &self.workspace));
                }
            }
        });

        self.tag_bar_or_placement(&ctx, &mut actions);
        self.dialog_on_screen(&ctx, &mut actions);

        self.answer_recovery_offer(&ctx);
        import_jobs::drop_hint(&ctx);

        actions.extend(shortcuts);
        if self.open_job.is_some() {
            // The project on screen is about to be replaced: nothing done to it now would
            // survive, so nothing is done.
            actions.clear();
        }
        for action in actions {
            self.perform(&ctx, action);
        }
        self.after_actions(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFERENCES_KEY, &self.preferences);
    }
}
