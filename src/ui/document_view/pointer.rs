//! The pointer over the text: press, drag (scrolling past the view's edge), Shift+click,
//! double-click for a word, triple-click for a paragraph, a click on a passage, the tooltip
//! of the passages under the pointer and the right-click menu.

use egui::Vec2;

use super::{DocumentView, Shown};
use crate::model::Project;
use crate::ui::{Action, TextSelection, tag_bar};

impl DocumentView {
    /// The passages under the pointer in a tooltip, and the right-click menu that tags the
    /// selection.
    pub(super) fn hover_and_menu(
        &mut self,
        response: &egui::Response,
        shown: &Shown<'_>,
        selection: Option<TextSelection>,
        actions: &mut Vec<Action>,
    ) {
        let project = shown.project;
        if !self.dragging
            && let Some(pos) = response.hover_pos()
        {
            let at = self.char_at(shown, pos);
            let covering = self.spans_at(shown.text, at);
            if !covering.is_empty() {
                response.clone().on_hover_ui_at_pointer(|ui| {
                    for span in &covering {
                        if let Some(annotation) = span.find_in(project, shown.doc) {
                            passage_tooltip(ui, project, annotation);
                        }
                    }
                });
            }
        }
        response.context_menu(|ui| {
            if selection.is_some_and(|s| !s.is_empty()) {
                ui.label("Tag the selection");
                if let Some(tag) = tag_bar::chips(ui, project, None) {
                    actions.push(Action::TagSelection(tag));
                    ui.close();
                }
            } else {
                ui.label("Select text to tag it");
            }
        });
    }

    pub(super) fn handle_pointer(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        shown: &Shown<'_>,
        selection: &mut Option<TextSelection>,
        actions: &mut Vec<Action>,
    ) {
        let text = shown.text;
        let (pressed, released, shift, press_origin, pointer) = ui.input(|i| {
            (
                i.pointer.primary_pressed(),
                i.pointer.primary_released(),
                i.modifiers.shift,
                i.pointer.press_origin(),
                i.pointer.interact_pos(),
            )
        });
        if pressed
            && response.hovered()
            && let Some(press) = press_origin
        {
            let at = self.char_at(shown, press);
            match selection {
                Some(existing) if shift => existing.head = at,
                _ => {
                    *selection = Some(TextSelection {
                        anchor: at,
                        head: at,
                    })
                }
            }
            self.dragging = true;
            response.request_focus();
        }
        if self.dragging
            && let Some(pos) = pointer
        {
            let at = self.char_at(shown, pos);
            if let Some(current) = selection {
                current.head = at;
            }
            // Keep selecting past the edge of the view by scrolling towards the pointer.
            let clip = ui.clip_rect();
            let delta = if pos.y < clip.top() {
                clip.top() - pos.y
            } else if pos.y > clip.bottom() {
                clip.bottom() - pos.y
            } else {
                0.0
            };
            if delta != 0.0 {
                ui.scroll_with_delta(Vec2::new(0.0, delta.clamp(-40.0, 40.0)));
                ui.ctx().request_repaint();
            }
        }
        if released || !ui.input(|i| i.pointer.primary_down()) {
            self.dragging = false;
        }

        if response.triple_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            let at = self.char_at(shown, pos);
            let paragraph = &text.paragraphs()[text.paragraph_of_char(at)];
            *selection = Some(TextSelection {
                anchor: paragraph.chars.start,
                head: paragraph.chars.end,
            });
        } else if response.double_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            if let Some(word) = self.word_at_point(shown, pos) {
                *selection = Some(TextSelection {
                    anchor: word.start,
                    head: word.end,
                });
            }
        } else if response.clicked()
            && !shift
            && selection.is_none_or(|s| s.is_empty())
            && let Some(pos) = response.interact_pointer_pos()
        {
            let at = self.char_at(shown, pos);
            // The innermost (shortest) passage under the pointer is the one meant.
            let innermost = self
                .spans_at(text, at)
                .into_iter()
                .min_by_key(|s| (s.stored_end - s.start, s.id))
                .map(|a| a.id);
            match innermost {
                Some(id) => actions.push(Action::SelectPassage { id, scroll: false }),
                // The click left the caret there; a passage being re-placed still waits.
                None => actions.push(Action::DeselectPassage),
            }
        }
    }
}

fn passage_tooltip(ui: &mut egui::Ui, project: &Project, annotation: &crate::model::Annotation) {
    ui.horizontal_wrapped(|ui| {
        for tag in &annotation.tags {
            tag_bar::chip_label(ui, project, *tag);
        }
        ui.weak(format!("{}–{}", annotation.start, annotation.end));
    });
    if !annotation.note.is_empty() {
        ui.label(crate::ui::snippet::lines(&annotation.note));
    }
}
