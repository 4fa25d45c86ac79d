//! "Edit text": a plain-text editor over a document's text, for correcting typos in a
//! transcript or an OCR text without losing its passages. Every change typed is recorded
//! as it happens (the difference between two frames, [`crate::correct::diff`]); "Apply
//! correction" hands the corrected text and those changes to the app, which applies them
//! as one undoable step. Until then the typed text lives only here, so the app asks before
//! anything would close the editor with changes not applied.

use std::sync::Arc;

use egui::RichText;

use super::Action;
use crate::correct::{TextChange, diff, push_change};
use crate::model::DocId;

pub struct TextEditor {
    doc: DocId,
    title: String,
    /// The text when the editor opened (or last applied), and its fingerprint.
    original: Arc<str>,
    original_sha256: String,
    /// What the person is typing into.
    buffer: String,
    /// `buffer` as of the last recorded change, to find the next one.
    shadow: String,
    /// The changes from `original` to `shadow`, in order, touching ones joined.
    changes: Vec<TextChange>,
    /// The text has right-to-left letters, which this editor cannot show in order: the
    /// person must say they read the warning before a correction is applied.
    right_to_left: bool,
    warning_read: bool,
}

impl TextEditor {
    pub fn new(doc: DocId, title: &str, text: &str, sha256: &str) -> Self {
        Self {
            doc,
            title: title.to_owned(),
            original: Arc::from(text),
            original_sha256: sha256.to_owned(),
            buffer: text.to_owned(),
            shadow: text.to_owned(),
            changes: Vec::new(),
            right_to_left: crate::text_layout::visual_order::has_right_to_left(text),
            warning_read: false,
        }
    }

    pub fn doc(&self) -> DocId {
        self.doc
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// Whether the text typed differs from the document's.
    pub fn is_modified(&self) -> bool {
        self.buffer.as_str() != &*self.original
    }

    /// The correction to apply: the corrected text and the changes that made it from the
    /// document's text as it is now (`current_sha256`). When the document's text changed
    /// under the editor (an undo of an earlier correction), only the two texts count.
    pub fn correction(&self, current: &str, current_sha256: &str) -> Action {
        let changes = if current_sha256 == self.original_sha256 {
            self.changes.clone()
        } else {
            diff(current, &self.buffer).into_iter().collect()
        };
        Action::CorrectText {
            doc: self.doc,
            text: self.buffer.clone(),
            changes,
        }
    }

    /// Record what changed in `buffer` since the last frame.
    fn record_change(&mut self) {
        if let Some(change) = diff(&self.shadow, &self.buffer) {
            push_change(&mut self.changes, change);
            self.shadow.clone_from(&self.buffer);
        }
    }

    /// The editor in the central area. `current` is the document's text now, with its
    /// fingerprint.
    pub fn ui(&mut self, ui: &mut egui::Ui, current: &str, current_sha256: &str) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.add(
            egui::Label::new(
                RichText::new(format!("Editing the text of “{}”", self.title)).strong(),
            )
            .truncate(),
        )
        .on_hover_text(
            "Passages follow the text: what you type inside a passage becomes part of it, \
             a passage whose text you delete entirely is listed under Needs attention.",
        );
        if self.right_to_left {
            egui::Frame::group(ui.style())
                .fill(ui.visuals().warn_fg_color.gamma_multiply(0.15))
                .show(ui, |ui| {
                    ui.add(
                        egui::Label::new(
                            RichText::new(
                                "This document has right-to-left text (Arabic, Hebrew…), which                                  this editor cannot show in order: it sets every line from the                                  left with no bidirectional layout, so words of those lines                                  appear reversed and a click may put the cursor elsewhere than                                  it looks. What you type is recorded exactly, character by                                  character; read the result in the document view after                                  applying (Undo takes it back).",
                            )
                            .color(ui.visuals().warn_fg_color),
                        )
                        .wrap(),
                    );
                    ui.checkbox(
                        &mut self.warning_read,
                        "I understand: let me apply corrections to this text",
                    );
                });
        }
        let may_apply = self.is_modified() && (!self.right_to_left || self.warning_read);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(may_apply, egui::Button::new("Apply correction"))
                .on_hover_text(
                    "Write the corrected text to the document's file (the old text is kept \
                     as .bak); one step Undo takes back",
                )
                .clicked()
            {
                actions.push(self.correction(current, current_sha256));
            }
            if ui
                .button("Close editor")
                .on_hover_text("Back to the document (asks first when changes were not applied)")
                .clicked()
            {
                actions.push(Action::CloseTextEditor {
                    ask: self.is_modified(),
                });
            }
            if self.is_modified() {
                ui.weak("Changes not applied yet");
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("text-editor-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let label = ui.label(RichText::new("Document text").small().weak());
                let response = ui
                    .add(
                        egui::TextEdit::multiline(&mut self.buffer)
                            .id_salt("text-editor")
                            .desired_width(ui.available_width())
                            .desired_rows(30)
                            .lock_focus(true),
                    )
                    .labelled_by(label.id);
                if response.changed() {
                    self.record_change();
                }
            });
        actions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_typed_frame_by_frame_make_the_corrected_text() {
        let mut editor = TextEditor::new(1, "t", "The polise said teh", "sha");
        for next in [
            "The police said teh",
            "The police said the",
            "X The police said the",
        ] {
            editor.buffer = next.to_owned();
            editor.record_change();
        }
        assert!(editor.is_modified());
        let Action::CorrectText { text, changes, .. } =
            editor.correction("The polise said teh", "sha")
        else {
            panic!("a correction")
        };
        assert_eq!(
            crate::correct::apply_changes("The polise said teh", &changes),
            text
        );
        // Under a text that changed meanwhile, the two texts alone decide.
        let Action::CorrectText { changes, .. } = editor.correction("The polise said", "other")
        else {
            panic!("a correction")
        };
        assert_eq!(
            crate::correct::apply_changes("The polise said", &changes),
            text
        );
    }
}
