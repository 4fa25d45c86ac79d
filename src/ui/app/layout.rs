//! The frame's parts around the central view: work picked up from worker threads, the
//! status bar, the left column (documents, codebook, Needs attention), the floating tag
//! bar, the dialog on screen, and what follows the frame's actions (the close request,
//! autosave, the window title).

use super::*;

impl MarginaliaApp {
    pub(super) fn poll_background_work(&mut self, ctx: &egui::Context) {
        self.poll_export();
        self.poll_save(ctx);
        self.poll_open();
        self.poll_merge();
        self.poll_survey();
        self.poll_file_dialog(ctx);
        self.poll_imports();
        self.check_other_windows(ctx);
        self.poll_text_writes(ctx);
    }

    /// Write corrected texts (and texts undo or redo put back) to their files, in order, on
    /// a worker thread; report the files that could not be written.
    pub(super) fn poll_text_writes(&mut self, ctx: &egui::Context) {
        if let Some(job) = &self.text_write_job {
            match job.poll() {
                Polled::Running => return,
                Polled::Done(problems) => {
                    self.text_write_job = None;
                    if !problems.is_empty() {
                        self.show_error("Could not write the corrected text", problems.join("\n"));
                    }
                }
                Polled::Lost => {
                    self.text_write_job = None;
                    self.show_error(
                        "Could not write the corrected text",
                        "writing stopped unexpectedly".to_owned(),
                    );
                }
            }
        }
        let writes = self.workspace.take_text_writes();
        if !writes.is_empty() {
            let what = match writes.as_slice() {
                [one] => format!("Writing {}", one.file.display()),
                many => format!("Writing {} texts", many.len()),
            };
            self.text_write_job = Some(Background::start(ctx, what, move || {
                run_text_writes(&writes)
            }));
        }
    }

    /// Before the window closes: the texts still to write are written now.
    pub(super) fn finish_text_writes(&mut self) {
        if let Some(job) = self.text_write_job.take() {
            job.wait();
        }
        let problems = run_text_writes(&self.workspace.take_text_writes());
        for problem in problems {
            eprintln!("{problem}");
        }
    }

    pub(super) fn status_panel(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        egui::Panel::bottom("status").show(ui, |ui| {
            let file_work = self.file_work_in_progress().map(|w| format!("{w}…"));
            let busy =
                file_work.is_some() || self.export_job.is_some() || !self.import_jobs.is_empty();
            let message = match (file_work, &self.export_job, self.import_jobs.first()) {
                (Some(work), _, _) => Some(work),
                (None, Some(job), _) => Some(format!("Exporting {}…", job.format.label())),
                (None, None, Some(job)) => Some(job.progress_message()),
                (None, None, None) => self.status.clone(),
            };
            ui.horizontal(|ui| {
                if busy {
                    ui.spinner();
                }
                if status_bar::ui(
                    ui,
                    &self.workspace,
                    self.selection,
                    message.as_deref(),
                    self.preferences.coder.as_deref(),
                ) {
                    actions.push(Action::PreferencesDialog);
                }
                if let Some(tag) = self.quick_tag.and_then(|t| self.workspace.project().tag(t)) {
                    ui.separator();
                    ui.label(format!("Quick coding: {} (Esc ends)", tag.name))
                        .on_hover_text("Every selection you finish is tagged with this tag");
                }
                if !self.other_windows.is_empty() {
                    ui.separator();
                    ui.colored_label(ui.visuals().warn_fg_color, "Also open in another window")
                        .on_hover_text(self.other_windows.join("\n"));
                }
            });
        });
    }

    pub(super) fn left_column(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let (default, greatest) = theme::side_panel_widths(
            theme::LEFT_PANEL_WIDTH,
            theme::SIDE_PANEL_SHARE[0],
            ui.ctx().content_rect().width(),
        );
        egui::Panel::left("documents")
            .resizable(true)
            .default_size(default)
            .min_size(theme::LEFT_PANEL_WIDTH[1])
            .max_size(greatest)
            .show(ui, |ui| {
                let codebook = egui::Panel::bottom("codebook")
                    .resizable(true)
                    .default_size(ui.available_height() * theme::CODEBOOK_SHARE)
                    .min_size(theme::CODEBOOK_MIN_HEIGHT)
                    .show(ui, |ui| {
                        actions.extend(self.codebook_panel.ui(ui, &self.workspace));
                    });
                // "Needs attention" and the documents share what the codebook leaves, so a
                // long list of either scrolls instead of running under the codebook.
                let room = (codebook.response.rect.top() - ui.cursor().top()).max(0.0);
                ui.allocate_ui(egui::vec2(ui.available_width(), room), |ui| {
                    ui.set_max_height(room);
                    actions.extend(self.attention_panel.ui(ui, &self.workspace, self.replacing));
                    actions.extend(documents_panel::ui(
                        ui,
                        &self.workspace,
                        self.current_doc,
                        &mut self.documents_filter,
                    ));
                });
            });
    }

    /// The tag bar beside a finished selection, or, while a passage is being re-placed,
    /// the selection that places it.
    pub(super) fn tag_bar_or_placement(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        // A selection made for re-placing counts once it is finished: the mouse released, or
        // Shift let go after Shift+arrows (each arrow would otherwise place it anew).
        let in_answers = self.central_view == CentralView::Answers;
        let selecting = self.document_view.is_dragging()
            || (in_answers && self.answers_view.is_dragging())
            || ctx.input(|i| i.modifiers.shift);
        // Words are coded where they are read: in the document, or in an answer of the grid.
        let coding_here = self.central_view == CentralView::Document
            || (in_answers && self.answers_view.holds_keys(ctx));
        if let Some(id) = self.replacing
            && self.dialog.is_none()
            && !selecting
            && let Some(range) = self.selection()
        {
            actions.push(Action::PlacePassage { id, range });
        } else if let Some(tag) = self.quick_tag
            && self.dialog.is_none()
            && coding_here
            && !selecting
            && let (Some(range), Some(doc)) = (self.selection(), self.current_doc)
        {
            // Quick coding: a finished selection is tagged at once, unless it is exactly a
            // passage that has the tag already (a click on a passage selects it).
            let has_it = self
                .workspace
                .project()
                .annotation_at_exact_of(doc, range, &self.workspace.coder)
                .is_some_and(|a| a.tags.contains(&tag));
            if !has_it {
                actions.push(Action::TagSelection(tag));
            }
        } else if self.dialog.is_none()
            && let Some((position, bounds)) = self.tag_bar_place(ctx, selecting)
            && let (Some(range), Some(doc)) = (self.selection(), self.current_doc)
        {
            let project = self.workspace.project();
            let active = project
                .annotation_at_exact_of(doc, range, &self.workspace.coder)
                .map(|a| a.tags.as_slice());
            if let Some(tag) = tag_bar::floating_bar(
                ctx,
                position + egui::vec2(-60.0, 8.0),
                bounds,
                project,
                active,
            ) {
                actions.push(Action::TagSelection(tag));
                if in_answers {
                    self.answers_view.give_keyboard_back(ctx);
                }
            }
        }
    }

    /// Where the tag bar goes, and the area it is kept inside: beside the selection's end,
    /// in the document or in an answer of the grid, once the selection is finished.
    fn tag_bar_place(
        &self,
        ctx: &egui::Context,
        selecting: bool,
    ) -> Option<(egui::Pos2, egui::Rect)> {
        match self.central_view {
            CentralView::Document if !self.document_view.is_dragging() => {
                let bounds = self
                    .document_view
                    .shown_rect
                    .unwrap_or_else(|| ctx.content_rect());
                Some((self.document_view.selection_end_pos?, bounds))
            }
            CentralView::Answers if !selecting => {
                Some((self.answers_view.selection_end()?, ctx.content_rect()))
            }
            _ => None,
        }
    }

    pub(super) fn dialog_on_screen(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        self.survey_review_on_screen(ctx);
        if let Some(review) = &mut self.transcript_review {
            use crate::ui::transcript_review::ReviewOutcome;
            match review.show(ctx) {
                Some(ReviewOutcome::Add(batch)) => {
                    self.transcript_review = None;
                    self.add_read_documents(batch);
                }
                Some(ReviewOutcome::Cancel) => {
                    self.transcript_review = None;
                    self.status = Some("No documents added".to_owned());
                }
                None => {}
            }
        }
        if let Some(dialog) = &mut self.dialog {
            match dialogs::show(ctx, dialog) {
                DialogOutcome::Open => {}
                DialogOutcome::Closed => self.dialog = None,
                DialogOutcome::Perform(action) => {
                    self.dialog = None;
                    actions.push(action);
                }
                DialogOutcome::SaveThen(action) => {
                    self.dialog = None;
                    self.start_save(ctx, false, vec![action]);
                }
                DialogOutcome::Discard(action) => {
                    self.dialog = None;
                    self.discard_changes();
                    actions.push(action);
                }
            }
        }
    }

    /// After the frame's actions: the window's close button (asks, or waits for a save),
    /// the recovery copy, the window title.
    pub(super) fn after_actions(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.allowed_to_close {
            if let Some(save) = &mut self.save_job {
                // Leave once the save in flight has landed.
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                save.then(Action::Quit);
            } else if self.text_editor.as_ref().is_some_and(|e| e.is_modified()) {
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                self.ask_about_correction(&Action::Quit);
            } else if self.workspace.is_dirty() {
                ctx.send_viewport_cmd(ViewportCommand::CancelClose);
                self.dialog = Some(Dialog::Unsaved { then: Action::Quit });
            } else {
                self.finish_text_writes();
                self.autosave.remove_own();
            }
        }
        self.autosave(ctx);

        let title = self.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }
}

/// Run text writes in order; the problems, each naming its file.
fn run_text_writes(writes: &[crate::workspace::TextWrite]) -> Vec<String> {
    writes
        .iter()
        .filter_map(|write| match write.run() {
            Ok(()) => None,
            Err(crate::store::StoreError::ChangedOnDisk { file }) => Some(format!(
                "{}: another program changed this text since Marginalia read it, so the \
                 correction was not written there (Undo takes it back in the window)",
                file.display()
            )),
            Err(error) => Some(error.to_string()),
        })
        .collect()
}
