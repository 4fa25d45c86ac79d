//! Carrying out actions: every [`Action`] a menu, panel, key or dialog produces is performed
//! here, in one place.

use super::*;

impl MarginaliaApp {
    /// Carry out one action, as the menus, panels and keys do: files and projects, changes
    /// to the project, and what the window shows, each in its own function below.
    pub fn perform(&mut self, ctx: &egui::Context, action: Action) {
        // Every action is listed here, so a new one does not build until it has its place.
        let unhandled = match &action {
            Action::NewProject
            | Action::OpenDialog
            | Action::Open(..)
            | Action::AddDocumentsDialog
            | Action::AddDocuments(..)
            | Action::Save
            | Action::SaveOverwriting(..)
            | Action::SaveAsDialog
            | Action::SaveAs(..)
            | Action::SaveAsReplacing(..)
            | Action::ExportDialog(..)
            | Action::ExportTo(..)
            | Action::ImportDialog
            | Action::Import(..)
            | Action::Quit
            | Action::ImportCodebookDialog
            | Action::ImportCodebook(..)
            | Action::MergeProjectDialog
            | Action::MergeProjects(..)
            | Action::ImportSurveyDialog
            | Action::ImportSurvey(..)
            | Action::SaveChartDialog(..)
            | Action::SaveChart(..) => self.perform_file_action(ctx, action),
            Action::Undo
            | Action::Redo
            | Action::PlacePassage { .. }
            | Action::TagSelection(..)
            | Action::ToggleTag { .. }
            | Action::SetNote { .. }
            | Action::DeletePassage(..)
            | Action::DeleteSelectedPassage
            | Action::Apply { .. }
            | Action::ConfirmDeleteTag(..)
            | Action::ConfirmRemoveDocument(..)
            | Action::TagAllHits(..)
            | Action::CodeBySpeaker
            | Action::CorrectText { .. }
            | Action::ApplyCorrectionThen(..)
            | Action::SetTextDirection(..) => self.perform_edit_action(ctx, action),
            Action::SelectDocument(..)
            | Action::SelectPassage { .. }
            | Action::StartReplace(..)
            | Action::DeselectPassage
            | Action::ClearSelection
            | Action::QuickCode(..)
            | Action::SelectRange { .. }
            | Action::StepDifference { .. }
            | Action::CycleFocus { .. } => self.perform_selection_action(ctx, action),
            Action::ShowView(..)
            | Action::ShowUntagged
            | Action::OpenFind
            | Action::CompareCoders { .. }
            | Action::SetTextSize(..)
            | Action::PreferencesDialog
            | Action::SetCoder { .. }
            | Action::ShowTagPassages(..)
            | Action::ShowPassagesWithAllTags(..)
            | Action::ShowTagPassagesIn { .. }
            | Action::SetDarkMode(..)
            | Action::EditText
            | Action::CloseTextEditor { .. }
            | Action::SetReadingStyle(..) => self.perform_view_action(ctx, action),
        };
        debug_assert!(
            unhandled.is_none(),
            "{unhandled:?} is listed under the wrong kind"
        );
    }

    /// Open, save, import, export, merge, quit. Hands back an action that is not of this kind.
    fn perform_file_action(&mut self, ctx: &egui::Context, action: Action) -> Option<Action> {
        match action {
            Action::NewProject => self.unless_unsaved(ctx, action, |app, _| {
                app.replace_workspace(Workspace::new_unsaved("Untitled project"));
            }),
            Action::OpenDialog => self.unless_unsaved(ctx, action, |app, ctx| {
                app.ask_path(ctx, PathPurpose::Open);
            }),
            Action::Open(ref path) => {
                let path = path.clone();
                self.unless_unsaved(ctx, action, move |app, ctx| app.start_open(ctx, path));
            }
            Action::AddDocumentsDialog => self.ask_path(ctx, PathPurpose::AddDocuments),
            Action::AddDocuments(paths) => {
                if !paths.is_empty() {
                    self.import_jobs.push(ImportJob::start(ctx, paths));
                }
            }
            Action::Save => self.start_save(ctx, false, Vec::new()),
            Action::SaveOverwriting(then) => {
                self.start_save(ctx, true, then.map(|t| *t).into_iter().collect());
            }
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
                self.unless_unsaved(ctx, action, move |app, ctx| app.start_import(ctx, file));
            }
            Action::Quit => self.unless_unsaved(ctx, action, |app, ctx| {
                app.finish_text_writes();
                app.autosave.remove_own();
                app.allowed_to_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }),
            Action::ImportCodebookDialog => self.ask_path(ctx, PathPurpose::ImportCodebook),
            Action::ImportCodebook(path) => self.import_codebook(&path),
            Action::MergeProjectDialog => self.ask_path(ctx, PathPurpose::MergeProjects),
            Action::MergeProjects(paths) => self.start_merge(ctx, paths),
            Action::ImportSurveyDialog => self.ask_path(ctx, PathPurpose::ImportSurvey),
            Action::ImportSurvey(path) => self.start_survey(ctx, path),
            Action::SaveChartDialog(chart) => self.ask_path(ctx, PathPurpose::SaveChart(chart)),
            Action::SaveChart(chart, path) => self.analysis_view.save_png(ctx, chart, path),
            other => return Some(other),
        }
        None
    }

    /// Changes to the project: tagging, notes, deleting, undo and redo. Hands back an action that is not of this kind.
    fn perform_edit_action(&mut self, ctx: &egui::Context, action: Action) -> Option<Action> {
        match action {
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
            Action::TagSelection(tag) => {
                if self.selection().is_some() && !self.ask_coder_first(action) {
                    self.tag_selection(tag);
                }
            }
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
            Action::DeletePassage(id) => self.delete_passage(id),
            Action::DeleteSelectedPassage => {
                if let Some(id) = self.selected_passage {
                    self.perform(ctx, Action::DeletePassage(id));
                }
            }
            Action::SetTextDirection(direction) => {
                let document = self
                    .current_doc
                    .and_then(|doc| self.workspace.project().document(doc))
                    .filter(|document| document.direction != direction)
                    .cloned();
                if let Some(mut document) = document {
                    document.direction = direction;
                    let result = self.workspace.apply_coalescing(
                        Edit::UpdateDocument(document),
                        "set text direction",
                        None,
                    );
                    self.report(result);
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
            Action::ConfirmDeleteTag(tag) => self.confirm_delete_tag(tag),
            Action::ConfirmRemoveDocument(doc) => self.confirm_remove_document(doc),
            Action::CorrectText { doc, text, changes } => {
                self.correct_text(doc, text, &changes);
            }
            Action::ApplyCorrectionThen(then) => {
                if let Some(Action::CorrectText { doc, text, changes }) = self.pending_correction()
                {
                    self.correct_text(doc, text, &changes);
                }
                // Carried on only once nothing typed is left in the editor.
                if self.text_editor.as_ref().is_none_or(|e| !e.is_modified()) {
                    self.perform(ctx, *then);
                }
            }
            Action::TagAllHits(_) if self.ask_coder_first(action.clone()) => {}
            Action::TagAllHits(tag) => self.tag_all_hits(tag),
            Action::CodeBySpeaker if self.ask_coder_first(action.clone()) => {}
            Action::CodeBySpeaker => self.code_by_speaker(),
            other => return Some(other),
        }
        None
    }

    fn delete_passage(&mut self, id: AnnotationId) {
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

    /// Ask before deleting a tag, saying how many passages carry it.
    fn confirm_delete_tag(&mut self, tag: crate::model::TagId) {
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

    /// Ask before removing a document, saying how many passages go with it.
    fn confirm_remove_document(&mut self, doc: DocId) {
        let project = self.workspace.project();
        if let Some(document) = project.document(doc) {
            let passages = project.annotations_slice_of(doc).len();
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

    /// Every transcript turn tagged with its speaker, one undoable step.
    fn code_by_speaker(&mut self) {
        match self.workspace.code_by_speaker() {
            Ok(coding) if coding.turns_coded == 0 && coding.tags_added == 0 => {
                self.status = Some(format!(
                    "Nothing to add: all {} turns carry their speaker's tag",
                    coding.turns_already_coded
                ));
            }
            Ok(coding) => {
                self.status = Some(format!(
                    "Coded {} turn(s) by speaker ({} new speaker tag(s)); Undo takes it back",
                    coding.turns_coded, coding.tags_added
                ));
            }
            Err(error) => self.show_error("Could not code by speaker", error.to_string()),
        }
    }

    /// Tag every hit of the find bar, one undoable step.
    fn tag_all_hits(&mut self, tag: crate::model::TagId) {
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

    /// What is selected and where the keys go: documents, passages, ranges, quick coding,
    /// the differences between compared coders, the focus. Hands back an action that is not
    /// of this kind.
    fn perform_selection_action(&mut self, ctx: &egui::Context, action: Action) -> Option<Action> {
        match action {
            Action::SelectDocument(doc) => {
                if self.current_doc != Some(doc) {
                    self.current_doc = Some(doc);
                    self.selection = None;
                    self.selected_passage = None;
                    self.replacing = None;
                }
            }
            Action::SelectPassage { id, scroll } => {
                if let Some(annotation) = self.workspace.annotation(id) {
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
            Action::DeselectPassage => self.selected_passage = None,
            Action::QuickCode(tag) => {
                self.quick_tag = tag.filter(|t| self.workspace.project().tag(*t).is_some());
                self.status = self
                    .quick_tag
                    .and_then(|t| self.workspace.project().tag(t))
                    .map(|tag| {
                        format!(
                            "Quick coding with “{}”: every selection is tagged (Esc ends)",
                            tag.name
                        )
                    });
            }
            Action::ClearSelection => {
                if self.quick_tag.take().is_some() {
                    self.status = Some("Quick coding ended".to_owned());
                }
                self.selection = None;
                self.selected_passage = None;
                if self.replacing.take().is_some() {
                    self.status = None;
                }
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
            Action::CycleFocus { forward } => {
                if crate::ui::focus::cycle(ctx, forward).is_none() {
                    self.document_view.request_focus();
                }
            }
            Action::StepDifference { forward } => {
                let step = self
                    .current_doc
                    .and_then(|doc| self.coders_bar.step(&self.workspace, doc, forward));
                if let Some(select) = step {
                    self.perform(ctx, select);
                }
            }
            other => return Some(other),
        }
        None
    }

    /// What the window shows: the views, the text size and theme, preferences. Hands back an action that is not of this kind.
    fn perform_view_action(&mut self, ctx: &egui::Context, action: Action) -> Option<Action> {
        match action {
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
            Action::CompareCoders {
                first,
                second,
                tag,
                documents,
            } => {
                self.set_coder_view(CoderView::Compare { first, second, tag });
                if let Some(first_used) = documents.first()
                    && !self.current_doc.is_some_and(|d| documents.contains(&d))
                {
                    self.perform(ctx, Action::SelectDocument(*first_used));
                }
                self.central_view = CentralView::Document;
            }
            Action::SetTextSize(size) => {
                self.preferences.text_size = size.clamp(
                    crate::ui::commands::MIN_TEXT_SIZE,
                    crate::ui::commands::MAX_TEXT_SIZE,
                );
            }
            Action::PreferencesDialog => {
                self.dialog = Some(Dialog::CoderName {
                    text: self.preferences.coder.clone().unwrap_or_else(login_name),
                    then: None,
                });
            }
            Action::SetCoder { name, then } => {
                self.workspace.coder = name.clone();
                self.status = Some(format!("New passages are recorded as coded by {name}"));
                self.preferences.coder = Some(name);
                if let Some(then) = then {
                    self.perform(ctx, *then);
                }
            }
            Action::ShowTagPassages(tag) => {
                self.passages_table.show_tag(tag);
                self.central_view = CentralView::Passages;
            }
            Action::ShowPassagesWithAllTags(tags) => {
                self.passages_table.show_all_tags(tags);
                self.central_view = CentralView::Passages;
            }
            Action::ShowTagPassagesIn { tag, documents } => {
                self.passages_table.show_tag_in_documents(tag, documents);
                self.central_view = CentralView::Passages;
            }
            Action::EditText => self.open_text_editor(),
            Action::SetReadingStyle(style) => {
                self.preferences.reading = style.clamped();
            }
            Action::CloseTextEditor { ask: true } => {
                if let Some(editor) = &self.text_editor {
                    self.dialog = Some(Dialog::Confirm {
                        title: format!("Discard your changes to the text of “{}”?", editor.title()),
                        message: "The changes typed in the editor were not applied; the \
                                  document keeps its text."
                            .to_owned(),
                        confirm: "Discard changes".to_owned(),
                        then: Action::CloseTextEditor { ask: false },
                    });
                }
            }
            Action::CloseTextEditor { ask: false } => self.text_editor = None,
            Action::SetDarkMode(dark) => {
                self.preferences.dark_mode = Some(dark);
                ctx.set_theme(if dark {
                    egui::Theme::Dark
                } else {
                    egui::Theme::Light
                });
            }
            other => return Some(other),
        }
        None
    }

    /// Before the first passage: ask who is coding, and carry out `action` with the answer.
    /// Returns whether it asked.
    pub(super) fn ask_coder_first(&mut self, action: Action) -> bool {
        if self.preferences.coder.is_some() {
            return false;
        }
        self.dialog = Some(Dialog::CoderName {
            text: login_name(),
            then: Some(action),
        });
        true
    }

    /// Open the text editor on the current document (or show the one open already).
    fn open_text_editor(&mut self) {
        self.central_view = CentralView::Document;
        let Some(doc) = self.current_doc else {
            return;
        };
        if let Some(editor) = &self.text_editor
            && (editor.doc() == doc || editor.is_modified())
        {
            // One correction at a time: back to the one being typed.
            self.current_doc = Some(editor.doc());
            return;
        }
        let Some(document) = self.workspace.project().document(doc) else {
            return;
        };
        match self.workspace.source(doc) {
            Some(crate::anchor::SourceState::Ok(text)) => {
                self.text_editor = Some(TextEditor::new(
                    doc,
                    &document.title,
                    text.as_str(),
                    &document.sha256,
                ));
            }
            source => {
                let why = source
                    .and_then(|s| s.problem())
                    .unwrap_or_else(|| "its text is not read".to_owned());
                self.show_error(
                    "This text cannot be edited",
                    format!("“{}”: {why}", document.title),
                );
            }
        }
    }

    /// The correction typed in the text editor, if it holds one.
    fn pending_correction(&self) -> Option<Action> {
        let editor = self.text_editor.as_ref().filter(|e| e.is_modified())?;
        let document = self.workspace.project().document(editor.doc())?;
        let text = self.workspace.text(editor.doc())?;
        Some(editor.correction(text.as_str(), &document.sha256))
    }

    /// Apply a correction as one undoable step; the editor closes on success.
    fn correct_text(
        &mut self,
        doc: crate::model::DocId,
        text: String,
        changes: &[crate::correct::TextChange],
    ) {
        match self.workspace.correct_text(doc, text, changes) {
            Ok(summary) => {
                self.text_editor = None;
                self.selection = None;
                self.selected_passage = None;
                let mut message = format!(
                    "Text corrected: {} passage(s) followed the text",
                    summary.moved
                );
                if summary.orphaned > 0 {
                    message.push_str(&format!(
                        "; {} lost all their text and need attention (left panel)",
                        summary.orphaned
                    ));
                }
                message.push_str(". Undo takes the correction back.");
                self.status = Some(message);
            }
            Err(error) => self.show_error("Could not correct the text", error.to_string()),
        }
    }

    /// When the text editor holds a correction not applied: ask whether to apply it before
    /// `action` (Quit, Open…). Returns whether it asked.
    pub(super) fn ask_about_correction(&mut self, action: &Action) -> bool {
        let Some(editor) = self.text_editor.as_ref().filter(|e| e.is_modified()) else {
            return false;
        };
        self.dialog = Some(Dialog::Confirm {
            title: format!("Apply your correction of “{}”?", editor.title()),
            // The title names the document already; a long headline is not said twice.
            message: "The document's text has changes typed in the editor and not applied \
                      yet. Apply them first (Undo takes them back as one step), or Cancel and \
                      go on editing."
                .to_owned(),
            confirm: "Apply and continue".to_owned(),
            then: Action::ApplyCorrectionThen(Box::new(action.clone())),
        });
        true
    }

    /// Run `then` now, or first ask what to do with unsaved changes.
    pub(super) fn unless_unsaved(
        &mut self,
        ctx: &egui::Context,
        action: Action,
        then: impl FnOnce(&mut Self, &egui::Context),
    ) {
        if self.ask_about_correction(&action) {
            return;
        }
        if let Some(save) = &mut self.save_job {
            // A save is landing: ask again once it has (it may leave nothing unsaved).
            save.then(action);
        } else if self.workspace.is_dirty() {
            self.dialog = Some(Dialog::Unsaved { then: action });
        } else {
            then(self, ctx);
        }
    }

    pub(super) fn tag_selection(&mut self, tag: crate::model::TagId) {
        let (Some(doc), Some(range)) = (self.current_doc, self.selection()) else {
            return;
        };
        let result = self.workspace.tag_range(doc, range, tag);
        self.after_tagging(result);
    }

    pub(super) fn after_tagging(
        &mut self,
        result: Result<Option<AnnotationId>, crate::edit::EditError>,
    ) {
        match result {
            Ok(Some(id)) => self.selected_passage = Some(id),
            Ok(None) => {
                self.selected_passage = None;
                self.selection = None;
            }
            Err(error) => self.show_error("Could not tag the passage", error.to_string()),
        }
    }

    pub(super) fn after_history_step(&mut self) {
        let project = self.workspace.project();
        if self
            .selected_passage
            .is_some_and(|id| self.workspace.annotation(id).is_none())
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
    pub(super) fn import_codebook(&mut self, file: &Path) {
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

    pub(super) fn report(&mut self, result: Result<(), crate::edit::EditError>) {
        if let Err(error) = result {
            self.show_error("That change could not be made", error.to_string());
        }
    }

    pub(super) fn show_error(&mut self, title: &str, message: String) {
        eprintln!("{message}");
        self.dialog = Some(Dialog::Error {
            title: title.to_owned(),
            message,
        });
    }
}
