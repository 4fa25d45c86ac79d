//! The egui layer. Panels read the workspace and return [`Action`]s; only `app.rs` turns
//! them into edits, file operations and view changes.

mod agreement_view;
mod analysis_view;
mod answers_view;
pub mod app;
mod attention_panel;
mod attributes_view;
mod caret;
mod cases_view;
mod category_plot;
mod chart_png;
mod codebook_panel;
mod coders_bar;
mod coding_stripes;
pub mod commands;
mod dialogs;
mod document_access;
mod document_view;
mod documents_panel;
mod find_bar;
mod focus;
mod fonts;
mod import_jobs;
mod memos_view;
mod menu_bar;
mod passages_panel;
mod passages_table;
mod project_text_field;
mod reading_style;
mod recovery_dialog;
mod snippet;
mod status_bar;
mod survey_review;
mod tag_bar;
mod text_editor;
mod theme;
mod transcript_review;

use std::path::PathBuf;

pub use analysis_view::{Chart, Matrix, Measure};
pub use app::{MarginaliaApp, Preferences, StartupProject};
pub use coders_bar::CoderView;
pub use fonts::look_for_system_fonts;
pub use reading_style::ReadingStyle;

use crate::edit::Edit;
use crate::model::{AnnotationId, DocId, TagId};

/// What the central area shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CentralView {
    #[default]
    Document,
    /// Every coded passage of the project in one table.
    Passages,
    Memos,
    /// Inter-coder agreement per tag.
    Agreement,
    /// Tag frequencies and co-occurrence, as charts.
    Analysis,
    /// The documents' attribute values, in a grid.
    Attributes,
    /// The people the transcripts name: renamed, merged.
    Cases,
    /// A survey's answers as a grid, a row per respondent.
    Answers,
}

/// Something the person asked for. Panels produce these; the app carries them out.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    NewProject,
    OpenDialog,
    Open(PathBuf),
    AddDocumentsDialog,
    AddDocuments(Vec<PathBuf>),
    Save,
    SaveAsDialog,
    SaveAs(PathBuf),
    /// Save as a file that exists, after the person agreed to replace it.
    SaveAsReplacing(PathBuf),
    ExportDialog(crate::export::ExportChoice),
    ExportTo(crate::export::ExportChoice, PathBuf),
    ImportDialog,
    /// Import a REFI-QDA project into a new Marginalia project beside it, then open that.
    Import(PathBuf),
    Quit,
    Undo,
    Redo,
    SelectDocument(DocId),
    /// Select a passage; `scroll` brings it into view.
    SelectPassage {
        id: AnnotationId,
        scroll: bool,
    },
    /// Tag the current text selection (or toggle the tag when it is exactly a passage).
    TagSelection(TagId),
    ToggleTag {
        passage: AnnotationId,
        tag: TagId,
    },
    /// A passage's note as typed; `coalesce` joins the keystrokes of one visit to the
    /// note field into one undo step.
    SetNote {
        passage: AnnotationId,
        note: String,
        coalesce: u64,
    },
    DeletePassage(AnnotationId),
    DeleteSelectedPassage,
    /// Wait for the next text selection in the passage's document, and move it there.
    StartReplace(AnnotationId),
    /// Move a passage onto a range of its document (quote and context taken from there).
    PlacePassage {
        id: AnnotationId,
        range: std::ops::Range<usize>,
    },
    /// Save over a project file that changed on disk, as the person chose; then carry on.
    SaveOverwriting(Option<Box<Action>>),
    /// Esc: no selection, no selected passage, no re-placing, no quick coding.
    ClearSelection,
    /// Quick coding: every selection finished from now on is tagged with this tag, until
    /// Esc (`None` ends it).
    QuickCode(Option<TagId>),
    /// A click on text outside any passage: the caret stays where it was put.
    DeselectPassage,
    /// A change built by a panel (the codebook's), applied as one undoable step.
    Apply {
        edit: Box<Edit>,
        label: &'static str,
        coalesce: Option<u64>,
    },
    ConfirmDeleteTag(TagId),
    ConfirmRemoveDocument(DocId),
    ImportCodebookDialog,
    ImportCodebook(PathBuf),
    ShowView(CentralView),
    /// The passages table, filtered to passages without a tag.
    ShowUntagged,
    OpenFind,
    /// Select a range of a document (a find hit) and bring it into view.
    SelectRange {
        doc: DocId,
        range: std::ops::Range<usize>,
    },
    /// The document view in compare mode: two coders, on one tag or every tag, showing one
    /// of `documents` (those the agreement was computed on) unless the current one is.
    CompareCoders {
        first: String,
        second: String,
        tag: Option<TagId>,
        documents: Vec<DocId>,
    },
    /// F6 / Shift+F6: the keyboard focus to the next (previous) region of the window.
    CycleFocus {
        forward: bool,
    },
    /// Compare mode: step to the next (or previous) difference between the two coders.
    StepDifference {
        forward: bool,
    },
    /// Tag every hit of the current search, as one undoable step.
    TagAllHits(TagId),
    /// Code every transcript turn with its speaker's tag under "Speakers".
    CodeBySpeaker,
    SetTextSize(f32),
    SetDarkMode(bool),
    /// The shown document's paragraphs set in this direction (or from their text).
    SetTextDirection(crate::model::TextDirection),
    /// The Preferences dialog (the coder name).
    PreferencesDialog,
    /// Record `name` as the coder of new passages (kept in the preferences), then carry on
    /// with what was waiting for a name.
    SetCoder {
        name: String,
        then: Option<Box<Action>>,
    },
    /// The passages table, filtered to the passages carrying this tag.
    ShowTagPassages(TagId),
    /// The passages table, filtered to the passages carrying every one of these tags.
    ShowPassagesWithAllTags(Vec<TagId>),
    /// The passages table, filtered to the passages carrying this tag in the documents
    /// that pass this filter (the syntax of `stats --documents`).
    ShowTagPassagesIn {
        tag: TagId,
        documents: String,
    },
    /// Ask where to save a chart of the Analysis view as PNG.
    SaveChartDialog(Chart),
    /// Save a chart of the Analysis view as PNG, from a screenshot of the next frame.
    SaveChart(Chart, PathBuf),
    MergeProjectDialog,
    /// Merge these projects into the open one, as one undoable step.
    MergeProjects(Vec<PathBuf>),
    ImportSurveyDialog,
    /// Read a survey sheet, then show its columns before importing its respondents.
    ImportSurvey(PathBuf),
    /// Open the text editor on the current document ("Edit text").
    EditText,
    /// Replace a document's text with its correction, made from its current text by
    /// `changes` (in order), as one undoable step; passages follow the changes.
    CorrectText {
        doc: DocId,
        text: String,
        changes: Vec<crate::correct::TextChange>,
    },
    /// Close the text editor; `ask` first when it holds changes not applied.
    CloseTextEditor {
        ask: bool,
    },
    /// Apply the correction in the text editor, then carry on (Quit, Open…).
    ApplyCorrectionThen(Box<Action>),
    /// Lay the document out with this column width, line spacing and font (remembered).
    SetReadingStyle(ReadingStyle),
}

/// A character range selected in the current document: `anchor` is where the drag began,
/// `head` where it is now (before `anchor` when dragging backwards).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSelection {
    pub anchor: usize,
    pub head: usize,
}

impl TextSelection {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.anchor.min(self.head)..self.anchor.max(self.head)
    }

    pub fn is_empty(&self) -> bool {
        self.anchor == self.head
    }
}
