//! The keyboard in the document: focus, the caret keys (arrows by grapheme, word, row and
//! page, Home/End), Shift to extend the selection, Enter to select the passage at the caret.

use egui::Rect;

use super::{DocumentView, Shown};
use crate::ui::{Action, TextSelection, caret, focus};

impl DocumentView {
    /// The keyboard focus (asked for, or arriving: a caret where the view begins) and, while
    /// the document has it, the caret keys. `view`: the viewport and its first paragraph.
    pub(super) fn keyboard(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        shown: &Shown<'_>,
        (viewport, first): (Rect, usize),
        selection: &mut Option<TextSelection>,
        actions: &mut Vec<Action>,
    ) {
        if std::mem::take(&mut self.focus_requested) {
            response.request_focus();
        }
        focus::register(ui, focus::Region::Document, response, true);
        let gained_focus = response.has_focus() && !self.had_focus;
        self.had_focus = response.has_focus();
        let first_visible = shown
            .text
            .paragraphs()
            .get(first)
            .map_or(0, |p| p.chars.start);
        if gained_focus && selection.is_none() {
            *selection = Some(TextSelection {
                anchor: first_visible,
                head: first_visible,
            });
        }
        if response.has_focus() {
            // Arrows move the caret here instead of moving focus to another widget.
            ui.memory_mut(|m| {
                m.set_focus_lock_filter(
                    response.id,
                    egui::EventFilter {
                        horizontal_arrows: true,
                        vertical_arrows: true,
                        tab: false,
                        escape: false,
                    },
                );
            });
            self.handle_keyboard(
                ui,
                shown,
                viewport.height(),
                first_visible,
                selection,
                actions,
            );
        }
        if let Some(caret) = self.reveal.take() {
            let rect = self.caret_rect(shown, caret);
            ui.scroll_to_rect(rect.expand(24.0), None);
        }
    }

    /// Arrows, Page Up/Down, Home/End (with Ctrl: words, the document's ends) move the
    /// caret; with Shift they extend the selection. Enter selects the passage at the caret.
    fn handle_keyboard(
        &mut self,
        ui: &egui::Ui,
        shown: &Shown<'_>,
        page_height: f32,
        first_visible: usize,
        selection: &mut Option<TextSelection>,
        actions: &mut Vec<Action>,
    ) {
        let text = shown.text;
        let (keys, modifiers) = ui.input(|i| {
            let keys: Vec<egui::Key> = i
                .events
                .iter()
                .filter_map(|e| match e {
                    egui::Event::Key {
                        key, pressed: true, ..
                    } => Some(*key),
                    _ => None,
                })
                .collect();
            (keys, i.modifiers)
        });
        for key in keys {
            let caret = selection.map_or(first_visible, |s| s.head);
            let by_word = modifiers.command || modifiers.alt;
            let mut keeps_x = false;
            let target = match key {
                egui::Key::ArrowLeft | egui::Key::ArrowRight => {
                    // In a right-to-left paragraph the text reads from the right: the right
                    // arrow goes back in it, the left arrow on.
                    let (_, laid_out, _) = self.caret_in_paragraph(shown, caret);
                    let forward =
                        (key == egui::Key::ArrowRight) != laid_out.layout.is_right_to_left();
                    if by_word {
                        caret::step_word(text, caret, forward)
                    } else {
                        caret::step_character(text, caret, forward)
                    }
                }
                egui::Key::ArrowUp | egui::Key::ArrowDown => {
                    keeps_x = true;
                    self.caret_row_step(shown, caret, key == egui::Key::ArrowDown)
                }
                egui::Key::PageUp | egui::Key::PageDown => {
                    keeps_x = true;
                    let rows = (page_height / self.line_height()).floor().max(1.0) as usize;
                    let mut at = caret;
                    for _ in 0..rows.saturating_sub(2).max(1) {
                        at = self.caret_row_step(shown, at, key == egui::Key::PageDown);
                    }
                    at
                }
                egui::Key::Home if modifiers.command => 0,
                egui::Key::End if modifiers.command => text.char_count(),
                egui::Key::Home | egui::Key::End => {
                    self.row_end(shown, caret, key == egui::Key::End)
                }
                egui::Key::Enter => {
                    let innermost = self
                        .spans_at(text, caret)
                        .into_iter()
                        .min_by_key(|s| (s.stored_end - s.start, s.id))
                        .map(|a| a.id);
                    if let Some(id) = innermost {
                        actions.push(Action::SelectPassage { id, scroll: false });
                    }
                    continue;
                }
                _ => continue,
            };
            if !keeps_x {
                self.caret_x = None;
            }
            *selection = Some(match selection {
                Some(existing) if modifiers.shift => TextSelection {
                    anchor: existing.anchor,
                    head: target,
                },
                None if modifiers.shift => TextSelection {
                    anchor: caret,
                    head: target,
                },
                _ => TextSelection {
                    anchor: target,
                    head: target,
                },
            });
            self.reveal = Some(target);
        }
    }

    /// The start (Home) or end (End) of the caret's line, in reading order; a wrapped
    /// line ends before the spaces it wrapped at.
    fn row_end(&mut self, shown: &Shown<'_>, caret: usize, end: bool) -> usize {
        let (index, laid_out, column) = self.caret_in_paragraph(shown, caret);
        let paragraph = &shown.text.paragraphs()[index];
        let layout = &laid_out.layout;
        let line = layout.line_of(column);
        let Some(range) = layout.line_range(line) else {
            return caret;
        };
        if !end {
            return paragraph.chars.start + range.start;
        }
        let mut at = range.end;
        if line + 1 < layout.line_count() {
            let line_text = &shown.text.as_str()[paragraph.bytes.clone()];
            let line_chars: Vec<char> = line_text
                .chars()
                .skip(range.start)
                .take(range.len())
                .collect();
            let trailing = line_chars
                .iter()
                .rev()
                .take_while(|c| c.is_whitespace())
                .count();
            at = (range.end - trailing).max(range.start);
        }
        paragraph.chars.start + at.min(paragraph.chars.len())
    }

    /// The caret one visual line up or down, keeping its x; across paragraph ends.
    fn caret_row_step(&mut self, shown: &Shown<'_>, caret: usize, down: bool) -> usize {
        let text = shown.text;
        let (index, laid_out, column) = self.caret_in_paragraph(shown, caret);
        let layout = &laid_out.layout;
        let x = self
            .caret_x
            .unwrap_or_else(|| layout.caret_rect(column).center().0);
        self.caret_x = Some(x);
        let line = layout.line_of(column);
        let last_line = layout.line_count().saturating_sub(1);
        let (target, line) = match (down, line) {
            (true, line) if line < last_line => (index, line + 1),
            (false, line) if line > 0 => (index, line - 1),
            (true, _) if index + 1 < text.paragraphs().len() => (index + 1, 0),
            (false, _) if index > 0 => {
                let above = self.paragraph(shown.project, text, index - 1);
                (index - 1, above.layout.line_count().saturating_sub(1))
            }
            _ => return caret,
        };
        let laid_out = self.paragraph(shown.project, text, target);
        let Some((top, bottom)) = laid_out.layout.line_extent(line) else {
            return caret;
        };
        let paragraph = &text.paragraphs()[target];
        let at = laid_out.layout.offset_at(x, (top + bottom) / 2.0);
        paragraph.chars.start + at.min(paragraph.chars.len())
    }
}
