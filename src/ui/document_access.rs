//! The document as screen readers (AccessKit) see it: a document node named after its
//! title, a paragraph node for each paragraph in view holding its text in text runs, the
//! caret and selection in them, and a node for each passage in view, named by its tags and
//! opening words ("quote, statistic: Scotland Yard has so far…"). Built only while an
//! accessibility client listens (egui skips it otherwise).
//!
//! The text runs come from the document's own layout, so a screen reader's highlight of a
//! word sits on the word in right-to-left and mixed lines too: a run per line and direction
//! (AccessKit measures a run's characters in one direction), characters in logical order.

use egui::accesskit;
use egui::{Id, Rect, Response, UiBuilder};
use std::ops::Range;

use super::TextSelection;
use crate::text_layout::{CharCell, ParagraphLayout};

/// A paragraph in view: its index, characters, text, size of its text and where it is on
/// screen.
pub struct ShownParagraph<'a> {
    pub index: usize,
    pub chars: Range<usize>,
    pub text: &'a str,
    pub layout: &'a ParagraphLayout,
    pub rect: Rect,
}

/// A passage in view, with its name and where its first line is on screen.
pub struct ShownPassage {
    pub key: u32,
    pub name: String,
    pub rect: Rect,
}

/// Whether an accessibility client listens (AccessKit is on): only then are the nodes built.
pub fn is_listening(response: &Response) -> bool {
    response
        .ctx
        .accesskit_node_builder(response.id, |_| ())
        .is_some()
}

/// Add the nodes under the document's `response` (only while AccessKit is on). `ui` is the
/// document's content, where a child is made for each node so that it hangs under the
/// document in the tree.
pub fn expose(
    ui: &mut egui::Ui,
    response: &Response,
    title: &str,
    paragraphs: &[ShownParagraph<'_>],
    selection: Option<TextSelection>,
    passages: &[ShownPassage],
) {
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Document, true, format!("Document: {title}"))
    });
    let ctx = response.ctx.clone();
    if ctx.accesskit_node_builder(response.id, |_| ()).is_none() {
        return;
    }
    let mut child = |salt: (&str, usize, usize), rect: Rect, parent: Id| {
        ui.new_child(
            UiBuilder::new()
                .id_salt(salt)
                .max_rect(rect)
                .accessibility_parent(parent),
        )
        .unique_id()
    };
    for paragraph in paragraphs {
        let rect = paragraph.rect;
        let id = child(("paragraph", paragraph.index, 0), rect, response.id);
        ctx.accesskit_node_builder(id, |node| {
            node.set_role(accesskit::Role::Paragraph);
            node.set_bounds(bounds(rect));
        });
        let runs = text_runs(paragraph);
        let run_ids: Vec<Id> = (0..runs.len())
            .map(|number| child(("text run", paragraph.index, number), rect, id))
            .collect();
        for (number, run) in runs.iter().enumerate() {
            ctx.accesskit_node_builder(run_ids[number], |node| {
                run.describe(node, paragraph.text, paragraph.rect);
                if number > 0 && runs[number - 1].line == run.line {
                    node.set_previous_on_line(run_ids[number - 1].accesskit_id());
                }
                if runs
                    .get(number + 1)
                    .is_some_and(|next| next.line == run.line)
                {
                    node.set_next_on_line(run_ids[number + 1].accesskit_id());
                }
            });
        }
        // The caret (the selection's moving end) is shown in its paragraph, with the other
        // end clamped to that paragraph: AccessKit's selection lies within one text node.
        if let Some(selection) =
            selection.filter(|s| paragraph.chars.contains(&s.head) || paragraph.chars.end == s.head)
        {
            let local = |at: usize| {
                at.clamp(paragraph.chars.start, paragraph.chars.end) - paragraph.chars.start
            };
            // Where runs meet, a selection's later end is told at the end of the run before
            // (what it covers), its earlier end at the start of the run after.
            let forward = selection.head >= selection.anchor;
            let anchor = position(&run_ids, &runs, local(selection.anchor), !forward);
            let focus = position(&run_ids, &runs, local(selection.head), forward);
            if let (Some(anchor), Some(focus)) = (anchor, focus) {
                ctx.accesskit_node_builder(id, |node| {
                    node.set_text_selection(accesskit::TextSelection { anchor, focus });
                });
            }
        }
    }
    for passage in passages {
        let id = child(
            ("passage", passage.key as usize, 0),
            passage.rect,
            response.id,
        );
        ctx.accesskit_node_builder(id, |node| {
            node.set_role(accesskit::Role::Mark);
            node.set_label(passage.name.clone());
            node.set_bounds(bounds(passage.rect));
        });
    }
}

/// AccessKit's limit on a text run's characters (its word starts are counted in a byte).
const MOST_CHARS_IN_A_RUN: usize = 255;

/// A run of a line's characters drawn in one direction: paragraph-local characters, their
/// boxes, and the line.
struct TextRun {
    line: usize,
    chars: Range<usize>,
    cells: Vec<CharCell>,
    top: f32,
    bottom: f32,
}

/// The paragraph's text runs in logical order: each line cut where the direction changes
/// (and at AccessKit's limit of characters).
fn text_runs(paragraph: &ShownParagraph<'_>) -> Vec<TextRun> {
    let layout = paragraph.layout;
    let mut runs: Vec<TextRun> = Vec::new();
    for line in 0..layout.line_count() {
        let (Some(chars), Some((top, bottom))) =
            (layout.line_range(line), layout.line_extent(line))
        else {
            continue;
        };
        let cells = layout.line_cells(line);
        for (offset, cell) in chars.zip(cells) {
            match runs.last_mut() {
                Some(run)
                    if run.line == line
                        && run
                            .cells
                            .last()
                            .is_some_and(|c| c.right_to_left == cell.right_to_left)
                        && run.cells.len() < MOST_CHARS_IN_A_RUN =>
                {
                    run.chars.end = offset + 1;
                    run.cells.push(cell);
                }
                _ => runs.push(TextRun {
                    line,
                    chars: offset..offset + 1,
                    cells: vec![cell],
                    top,
                    bottom,
                }),
            }
        }
    }
    runs
}

impl TextRun {
    /// The run as AccessKit's text run node: its text, box, direction, and each character's
    /// length, position and width along the direction.
    fn describe(&self, node: &mut accesskit::Node, text: &str, paragraph: Rect) {
        let right_to_left = self.cells.first().is_some_and(|c| c.right_to_left);
        let left = self.cells.iter().map(|c| c.x0).fold(f32::MAX, f32::min);
        let right = self.cells.iter().map(|c| c.x1).fold(f32::MIN, f32::max);
        let value: String = text
            .chars()
            .skip(self.chars.start)
            .take(self.chars.len())
            .collect();
        let mut word_starts = Vec::new();
        let mut after_word = false;
        for (index, c) in value.chars().enumerate() {
            let in_word = c.is_alphanumeric();
            if in_word && !after_word && index > 0 {
                word_starts.push(index as u8);
            }
            after_word = in_word;
        }
        node.set_role(accesskit::Role::TextRun);
        node.set_text_direction(if right_to_left {
            accesskit::TextDirection::RightToLeft
        } else {
            accesskit::TextDirection::LeftToRight
        });
        node.set_bounds(bounds(Rect::from_min_max(
            paragraph.min + egui::vec2(left, self.top),
            paragraph.min + egui::vec2(right, self.bottom),
        )));
        node.set_character_lengths(
            value
                .chars()
                .map(|c| c.len_utf8() as u8)
                .collect::<Vec<u8>>(),
        );
        node.set_character_positions(
            self.cells
                .iter()
                .map(|c| {
                    if right_to_left {
                        right - c.x1
                    } else {
                        c.x0 - left
                    }
                })
                .collect::<Vec<f32>>(),
        );
        node.set_character_widths(self.cells.iter().map(|c| c.x1 - c.x0).collect::<Vec<f32>>());
        node.set_word_starts(word_starts);
        node.set_value(value);
    }
}

/// The text position before a paragraph-local character: in the run holding it, or, when
/// `upstream` or at the paragraph's end, at the end of the run it follows.
fn position(
    run_ids: &[Id],
    runs: &[TextRun],
    offset: usize,
    upstream: bool,
) -> Option<accesskit::TextPosition> {
    let ending_here = || runs.iter().rposition(|run| run.chars.end == offset);
    let holding = || runs.iter().position(|run| run.chars.contains(&offset));
    let number = if upstream {
        ending_here().or_else(holding)
    } else {
        holding().or_else(ending_here)
    }?;
    Some(accesskit::TextPosition {
        node: run_ids[number].accesskit_id(),
        character_index: offset - runs[number].chars.start,
    })
}

fn bounds(rect: Rect) -> accesskit::Rect {
    accesskit::Rect {
        x0: rect.min.x.into(),
        y0: rect.min.y.into(),
        x1: rect.max.x.into(),
        y1: rect.max.y.into(),
    }
}
