//! Paragraph layout with a real text engine, for the document view: bidirectional text by the
//! Unicode Bidirectional Algorithm, shaping of every script, line breaking by UAX #14, and the
//! geometry every place that draws or hits text needs — point → character, character → caret,
//! character range → rectangles — from one layout.
//!
//! Backed by parley (linebender), which shares harfrust and skrifa with egui 0.37. egui itself
//! has no bidi step yet; this interface is small on purpose (lay out a paragraph at a width,
//! hit-test, measure, list glyph runs to paint) so that the view can go back to egui's layout
//! once egui has one. Nothing here knows egui: offsets are our model's code points, positions
//! are points relative to the paragraph's top left.

pub(crate) mod fonts;
pub mod visual_order;

use std::borrow::Cow;
use std::ops::Range;

use parley::{
    Affinity, Alignment, AlignmentOptions, Cursor, FontContext, FontFamily, FontFamilyName,
    GenericFamily, Layout, LayoutContext, LineHeight, PositionedLayoutItem, Selection,
    StyleProperty,
};
use unicode_segmentation::UnicodeSegmentation;

pub use fonts::FontSource;

use crate::model::TextDirection;

/// The look of a paragraph: what its layout depends on besides text and width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParagraphStyle {
    pub font_size: f32,
    /// Line height as a multiple of the font size.
    pub line_height: f32,
    pub serif: bool,
    /// `Auto`: from its first strong character (rule P2 of the Bidirectional Algorithm).
    pub direction: TextDirection,
}

/// A rectangle in points, relative to the paragraph's top left.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextRect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl TextRect {
    fn from_box(b: parley::BoundingBox) -> Self {
        Self {
            x0: b.x0 as f32,
            y0: b.y0 as f32,
            x1: b.x1 as f32,
            y1: b.y1 as f32,
        }
    }

    pub fn center(&self) -> (f32, f32) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }
}

/// The fonts and parley's reusable state: one per window.
pub struct TextEngine {
    fonts: FontContext,
    /// No brush: colours are chosen per glyph when painting, from the character each glyph
    /// draws, so a new passage repaints a paragraph without laying it out again.
    layouts: LayoutContext<()>,
}

impl TextEngine {
    /// The bundled fonts, and the system's too with [`FontSource::BundledAndSystem`] (system
    /// fonts win where present; the bundled ones cover Arabic, Hebrew, Devanagari, Tamil and
    /// Thai on a machine that has none).
    pub fn new(source: FontSource) -> Self {
        Self {
            fonts: fonts::font_context(source),
            layouts: LayoutContext::new(),
        }
    }

    /// Lays out one paragraph (no line ends inside) wrapped at `width` points; right-to-left
    /// paragraphs are set from the right edge of that width.
    pub fn lay_out(&mut self, text: &str, style: &ParagraphStyle, width: f32) -> ParagraphLayout {
        // parley 0.11 takes a paragraph's direction from its first strong character only; a
        // zero-width mark of the wanted direction put before the text sets it.
        let mark = match style.direction {
            TextDirection::Auto => "",
            TextDirection::LeftToRight => "\u{200E}",
            TextDirection::RightToLeft => "\u{200F}",
        };
        let shaped = format!("{mark}{text}");
        let offsets = Offsets::new(text, mark.len());
        let families = fonts::families(style.serif);
        let family_names: Vec<FontFamilyName<'_>> = families
            .iter()
            .map(|name| FontFamilyName::named(name))
            .chain(std::iter::once(FontFamilyName::Generic(
                GenericFamily::SansSerif,
            )))
            .collect();
        let mut builder = self
            .layouts
            .ranged_builder(&mut self.fonts, &shaped, 1.0, true);
        builder.push_default(StyleProperty::FontFamily(FontFamily::List(Cow::Borrowed(
            &family_names,
        ))));
        // Emoji pictures in a colour emoji font, before the symbol font that would draw
        // them as black-and-white text.
        let emoji_names: Vec<FontFamilyName<'_>> = fonts::emoji_families(style.serif)
            .into_iter()
            .map(FontFamilyName::named)
            .chain(std::iter::once(FontFamilyName::Generic(
                GenericFamily::SansSerif,
            )))
            .collect();
        for emoji in emoji_ranges(text) {
            builder.push(
                StyleProperty::FontFamily(FontFamily::List(Cow::Borrowed(&emoji_names))),
                emoji.start + mark.len()..emoji.end + mark.len(),
            );
        }
        builder.push_default(StyleProperty::FontSize(style.font_size));
        builder.push_default(StyleProperty::LineHeight(LineHeight::FontSizeRelative(
            style.line_height,
        )));
        let mut layout: Layout<()> = builder.build(&shaped);
        layout.break_all_lines(Some(width));
        layout.align(Alignment::Start, AlignmentOptions::default());
        ParagraphLayout {
            layout,
            offsets,
            width,
        }
    }
}

/// The byte ranges of `text` holding emoji pictures, runs of neighbours joined.
fn emoji_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (start, grapheme) in text.grapheme_indices(true) {
        if !fonts::is_emoji_presentation(grapheme) {
            continue;
        }
        let end = start + grapheme.len();
        match ranges.last_mut() {
            Some(last) if last.end == start => last.end = end,
            _ => ranges.push(start..end),
        }
    }
    ranges
}

/// Code point offsets of the paragraph ↔ byte offsets of the text parley shaped (which may
/// begin with a direction mark).
struct Offsets {
    /// Byte offset in the shaped text of each character, and of the end.
    byte_of_char: Vec<usize>,
    mark_bytes: usize,
    /// Character offsets that are grapheme-cluster boundaries, in order.
    boundaries: Vec<usize>,
}

impl Offsets {
    fn new(text: &str, mark_bytes: usize) -> Self {
        let mut byte_of_char: Vec<usize> =
            text.char_indices().map(|(b, _)| b + mark_bytes).collect();
        byte_of_char.push(text.len() + mark_bytes);
        let mut boundaries = Vec::new();
        let mut chars = 0;
        for grapheme in text.graphemes(true) {
            boundaries.push(chars);
            chars += grapheme.chars().count();
        }
        boundaries.push(chars);
        Self {
            byte_of_char,
            mark_bytes,
            boundaries,
        }
    }

    fn char_count(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    fn shaped_byte(&self, char_offset: usize) -> usize {
        self.byte_of_char[char_offset.min(self.char_count())]
    }

    /// The character at a byte of the shaped text (the mark counts as offset 0).
    fn char_of_shaped_byte(&self, byte: usize) -> usize {
        if byte <= self.mark_bytes {
            return 0;
        }
        self.byte_of_char.partition_point(|b| *b < byte)
    }

    /// The nearest grapheme boundary at or before `offset`.
    fn snapped(&self, offset: usize) -> usize {
        let at = self.boundaries.partition_point(|b| *b <= offset);
        self.boundaries[at.saturating_sub(1)]
    }
}

/// Calls `visit` with each cluster of a line, in visual order, and its left edge.
fn each_cluster(line: &parley::Line<'_, ()>, mut visit: impl FnMut(f32, &parley::Cluster<'_, ()>)) {
    for item in line.items() {
        let PositionedLayoutItem::GlyphRun(glyph_run) = item else {
            continue;
        };
        let mut x = glyph_run.offset();
        for cluster in glyph_run.run().visual_clusters() {
            visit(x, &cluster);
            x += cluster.advance();
        }
    }
}

/// Where a character is drawn on its line: its left and right edges, in points from the
/// paragraph's left, and whether it runs right to left.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CharCell {
    pub x0: f32,
    pub x1: f32,
    pub right_to_left: bool,
}

/// One paragraph laid out at a width.
pub struct ParagraphLayout {
    layout: Layout<()>,
    offsets: Offsets,
    width: f32,
}

/// A run of glyphs in one font, ready to rasterise and paint.
pub struct GlyphRun {
    /// The font's bytes (shared, not copied) and its index in a collection.
    pub font: parley::FontData,
    pub font_size: f32,
    /// Variation coordinates, as F2Dot14 bits.
    pub normalized_coords: Vec<i16>,
    pub glyphs: Vec<PlacedGlyph>,
}

/// A glyph where it is drawn, and the character it draws (the first of its cluster), by which
/// the painter picks its colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedGlyph {
    pub id: u32,
    /// Pen position: x, and the baseline's y, in points.
    pub x: f32,
    pub y: f32,
    /// Paragraph offset of the character.
    pub char_offset: usize,
}

impl ParagraphLayout {
    /// Width given to the layout and height of its lines.
    pub fn size(&self) -> (f32, f32) {
        (self.width, self.layout.height())
    }

    pub fn is_right_to_left(&self) -> bool {
        self.layout.is_rtl()
    }

    pub fn char_count(&self) -> usize {
        self.offsets.char_count()
    }

    pub fn line_count(&self) -> usize {
        self.layout.len()
    }

    /// The character offset a point falls on: the nearest caret position, always on a
    /// grapheme boundary.
    pub fn offset_at(&self, x: f32, y: f32) -> usize {
        let cursor = Cursor::from_point(&self.layout, x, y);
        self.offsets
            .snapped(self.offsets.char_of_shaped_byte(cursor.index()))
    }

    fn cursor(&self, offset: usize, affinity: Affinity) -> Cursor {
        Cursor::from_byte_index(&self.layout, self.offsets.shaped_byte(offset), affinity)
    }

    /// Where the caret stands before the character at `offset` (at the end, after the last).
    pub fn caret_rect(&self, offset: usize) -> TextRect {
        // Downstream: the caret belongs with the character it precedes, which is where a
        // click that lands on that character's leading edge put it.
        let count = self.char_count();
        if offset >= count && count > 0 {
            // parley 0.11 puts the caret after a paragraph's last character on the wrong line
            // when the paragraph ends in a run of the other direction; it stands at the far
            // side of that character, in the character's own direction.
            let last = self.offsets.shaped_byte(self.offsets.snapped(count - 1));
            let end = self.offsets.shaped_byte(count);
            if let Some((x0, x1, right_to_left, (top, bottom))) = self.cluster_cell(last..end) {
                let x = if right_to_left { x0 } else { x1 };
                return TextRect {
                    x0: x,
                    y0: top,
                    x1: x + 1.0,
                    y1: bottom,
                };
            }
        }
        TextRect::from_box(
            self.cursor(offset, Affinity::Downstream)
                .geometry(&self.layout, 1.0),
        )
    }

    /// Where the clusters of a range of the shaped text (one grapheme: a cluster or several)
    /// are drawn on the line that holds its start: their left and right edge, whether the
    /// first runs right to left, and the line's extent.
    fn cluster_cell(&self, bytes: Range<usize>) -> Option<(f32, f32, bool, (f32, f32))> {
        let line = self
            .layout
            .lines()
            .find(|line| line.text_range().contains(&bytes.start))?;
        let metrics = line.metrics();
        let extent = (metrics.block_min_coord, metrics.block_max_coord);
        let mut cell: Option<(f32, f32, bool)> = None;
        each_cluster(&line, |x, cluster| {
            let advance = cluster.advance();
            let range = cluster.text_range();
            if range.start < bytes.end && bytes.start < range.end {
                cell = Some(match cell {
                    None => (x, x + advance, cluster.is_rtl()),
                    Some((x0, x1, rtl)) => (x0.min(x), x1.max(x + advance), rtl),
                });
            }
        });
        cell.map(|(x0, x1, rtl)| (x0, x1, rtl, extent))
    }

    /// The rectangles a character range covers, one per line and direction run it crosses.
    pub fn range_rects(&self, range: Range<usize>) -> Vec<TextRect> {
        if range.start >= range.end {
            return Vec::new();
        }
        let selection = Selection::new(
            self.cursor(range.start, Affinity::Downstream),
            self.cursor(range.end, Affinity::Upstream),
        );
        selection
            .geometry(&self.layout)
            .into_iter()
            .map(|(b, _line)| TextRect::from_box(b))
            .filter(|r| r.x1 > r.x0)
            .collect()
    }

    /// The word under a point by the layout's word boundaries (UAX #29, and dictionaries for
    /// Thai, Lao, Khmer and Burmese, which write no spaces between words), without the spaces
    /// after it; `None` over white space or punctuation alone. `text` is the paragraph laid
    /// out.
    pub fn word_at_point(&self, text: &str, x: f32, y: f32) -> Option<Range<usize>> {
        let range = Selection::word_from_point(&self.layout, x, y).text_range();
        let start = self
            .offsets
            .snapped(self.offsets.char_of_shaped_byte(range.start));
        let end = self
            .offsets
            .char_of_shaped_byte(range.end)
            .min(self.char_count());
        let chars: Vec<char> = text
            .chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect();
        let leading = chars.iter().take_while(|c| !c.is_alphanumeric()).count();
        let trailing = chars[leading..]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        let word = start + leading..end - trailing;
        (!word.is_empty()).then_some(word)
    }

    /// The line holding the caret before `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let byte = self.offsets.shaped_byte(offset);
        self.layout
            .lines()
            .position(|line| line.text_range().end > byte)
            .unwrap_or(self.line_count().saturating_sub(1))
    }

    /// The characters of a line, in logical order (a wrapped line's trailing spaces
    /// included).
    pub fn line_range(&self, line: usize) -> Option<Range<usize>> {
        let bytes = self.layout.get(line)?.text_range();
        let start = self.offsets.char_of_shaped_byte(bytes.start);
        let end = self.offsets.char_of_shaped_byte(bytes.end);
        Some(start..end.max(start))
    }

    /// Where each character of a line is drawn, in logical order: for screen readers, which
    /// are told each character's box and direction. A cluster of several characters (a
    /// letter with its marks, a joined emoji) shares its width among them; a character drawn
    /// by nothing (a line's direction mark) gets an empty box where the one before ends.
    pub fn line_cells(&self, line: usize) -> Vec<CharCell> {
        let (Some(chars), Some(laid_out)) = (self.line_range(line), self.layout.get(line)) else {
            return Vec::new();
        };
        let mut cells: Vec<Option<CharCell>> = vec![None; chars.len()];
        each_cluster(&laid_out, |x, cluster| {
            let advance = cluster.advance();
            let range = cluster.text_range();
            let first = self.offsets.char_of_shaped_byte(range.start);
            let count = self
                .offsets
                .char_of_shaped_byte(range.end)
                .saturating_sub(first);
            let right_to_left = cluster.is_rtl();
            for k in 0..count {
                let share = advance / count as f32;
                // A right-to-left cluster's first character is at its right.
                let x0 = if right_to_left {
                    x + advance - (k + 1) as f32 * share
                } else {
                    x + k as f32 * share
                };
                if let Some(cell) = (first + k)
                    .checked_sub(chars.start)
                    .and_then(|i| cells.get_mut(i))
                {
                    *cell = Some(CharCell {
                        x0,
                        x1: x0 + share,
                        right_to_left,
                    });
                }
            }
        });
        let mut before = CharCell {
            x0: 0.0,
            x1: 0.0,
            right_to_left: self.is_right_to_left(),
        };
        cells
            .into_iter()
            .map(|cell| {
                let cell = cell.unwrap_or({
                    let edge = if before.right_to_left {
                        before.x0
                    } else {
                        before.x1
                    };
                    CharCell {
                        x0: edge,
                        x1: edge,
                        right_to_left: before.right_to_left,
                    }
                });
                before = cell;
                cell
            })
            .collect()
    }

    /// The vertical extent of a line.
    pub fn line_extent(&self, line: usize) -> Option<(f32, f32)> {
        let metrics = *self.layout.get(line)?.metrics();
        Some((metrics.block_min_coord, metrics.block_max_coord))
    }

    /// The glyph runs to paint, in visual order.
    pub fn glyph_runs(&self) -> Vec<GlyphRun> {
        let mut runs = Vec::new();
        for line in self.layout.lines() {
            for item in line.items() {
                let PositionedLayoutItem::GlyphRun(glyph_run) = item else {
                    continue;
                };
                let run = glyph_run.run();
                // With one style (no brushes) a line's glyph run holds all its run's
                // clusters, so walking the clusters gives each glyph its character.
                let mut x = glyph_run.offset();
                let baseline = glyph_run.baseline();
                let mut glyphs = Vec::new();
                for cluster in run.visual_clusters() {
                    let char_offset = self
                        .offsets
                        .char_of_shaped_byte(cluster.text_range().start)
                        .min(self.char_count().saturating_sub(1));
                    for glyph in cluster.glyphs() {
                        glyphs.push(PlacedGlyph {
                            id: glyph.id,
                            x: x + glyph.x,
                            y: baseline + glyph.y,
                            char_offset,
                        });
                        x += glyph.advance;
                    }
                }
                debug_assert_eq!(glyphs.len(), glyph_run.positioned_glyphs().count());
                runs.push(GlyphRun {
                    font: run.font().clone(),
                    font_size: run.font_size(),
                    normalized_coords: run.normalized_coords().to_vec(),
                    glyphs,
                });
            }
        }
        runs
    }
}

#[cfg(test)]
pub(crate) mod tests;
