//! Where text is on screen and what is under a point, from the paragraphs' layouts: the one
//! geometry that selection, the caret, highlights, stripes and find hits all use.

use std::ops::Range;

use egui::{Pos2, Rect, pos2};

use super::layout::LaidOutParagraph;
use super::{DocumentView, Shown};
use crate::text_layout::{ParagraphLayout, TextRect};

pub(super) fn rect_of(rect: TextRect) -> Rect {
    Rect::from_min_max(pos2(rect.x0, rect.y0), pos2(rect.x1, rect.y1))
}

impl DocumentView {
    /// Character offset under a point of the content area (the nearest caret position, on a
    /// grapheme boundary).
    pub(super) fn char_at(&mut self, shown: &Shown<'_>, pos: Pos2) -> usize {
        let index = self.paragraph_at_y(pos.y - shown.origin.y);
        let laid_out = self.paragraph(shown.project, shown.text, index);
        let paragraph = &shown.text.paragraphs()[index];
        let local = pos - self.top_left(shown, index);
        let column = laid_out.layout.offset_at(local.x, local.y);
        paragraph.chars.start + column.min(paragraph.chars.len())
    }

    /// The word under a point (double-click): by UAX #29 word boundaries, Thai, Lao, Khmer
    /// and Burmese by dictionary, as the layout found them.
    pub(super) fn word_at_point(&mut self, shown: &Shown<'_>, pos: Pos2) -> Option<Range<usize>> {
        let index = self.paragraph_at_y(pos.y - shown.origin.y);
        let laid_out = self.paragraph(shown.project, shown.text, index);
        let paragraph = &shown.text.paragraphs()[index];
        let local = pos - self.top_left(shown, index);
        let line = &shown.text.as_str()[paragraph.bytes.clone()];
        let word = laid_out.layout.word_at_point(line, local.x, local.y)?;
        Some(paragraph.chars.start + word.start..paragraph.chars.start + word.end)
    }

    /// Where the caret stands: a thin rectangle one row high, in screen coordinates.
    pub(super) fn caret_rect(&mut self, shown: &Shown<'_>, caret: usize) -> Rect {
        let (index, laid_out, column) = self.caret_in_paragraph(shown, caret);
        rect_of(laid_out.layout.caret_rect(column)).translate(self.top_left(shown, index).to_vec2())
    }

    /// The paragraph holding `caret`, its index and the caret's offset in it.
    pub(super) fn caret_in_paragraph(
        &mut self,
        shown: &Shown<'_>,
        caret: usize,
    ) -> (usize, std::sync::Arc<LaidOutParagraph>, usize) {
        let text = shown.text;
        let index = text.paragraph_of_char(caret);
        let laid_out = self.paragraph(shown.project, text, index);
        let chars = &text.paragraphs()[index].chars;
        (
            index,
            laid_out,
            caret.clamp(chars.start, chars.end) - chars.start,
        )
    }
}

/// Rectangles (paragraph coordinates) covering the part of `range` inside a paragraph, one
/// per line and direction run it crosses.
pub(super) fn range_rects(
    layout: &ParagraphLayout,
    paragraph: &Range<usize>,
    range: &Range<usize>,
) -> Vec<Rect> {
    let start = range.start.max(paragraph.start);
    let end = range.end.min(paragraph.end);
    if start > end
        || (start == end && !(range.start <= paragraph.start && paragraph.end < range.end))
    {
        return Vec::new();
    }
    if paragraph.is_empty() {
        // An empty line inside the selection: a sliver keeps the selection visibly continuous,
        // on the side the paragraph begins.
        let caret = rect_of(layout.caret_rect(0));
        let x = if layout.is_right_to_left() {
            caret.min.x - 6.0
        } else {
            caret.min.x
        };
        return vec![Rect::from_min_max(
            pos2(x, caret.min.y),
            pos2(x + 6.0, caret.max.y),
        )];
    }
    layout
        .range_rects(start - paragraph.start..end - paragraph.start)
        .into_iter()
        .map(rect_of)
        .collect()
}
