//! The column and its paragraphs laid out by the text engine (`crate::text_layout`): the
//! wrap width for the window, each paragraph's layout, glyph quads and decoration, cached
//! while they stay valid, and the paragraphs' heights and tops for scrolling.

use std::sync::Arc;

use egui::{Color32, Pos2, Rect, pos2};

use super::glyph_atlas::PaintedGlyph;
use super::paint::Decoration;
use super::passage_index::PassageSpan;
use super::{DocumentView, Shown};
use crate::model::TextDirection;
use crate::model::{DocumentText, Project};
use crate::text_layout::{FontSource, ParagraphLayout, ParagraphStyle, TextEngine};
use crate::ui::theme;

/// What every paragraph's layout depends on besides its text.
#[derive(Clone, Copy, PartialEq)]
pub(super) struct LayoutParams {
    pub(super) wrap_width: f32,
    pub(super) font_size: f32,
    pub(super) pixels_per_point: f32,
    pub(super) text_color: Color32,
    /// The page under the text, which a highlight's text colour is chosen against.
    pub(super) page: Color32,
    pub(super) dark_mode: bool,
    /// Line height as a multiple of the font size, and the serif font (the reading style).
    pub(super) line_spacing: f32,
    pub(super) serif: bool,
    pub(super) direction: TextDirection,
}

impl LayoutParams {
    pub(super) fn line_height(&self) -> f32 {
        self.font_size * self.line_spacing
    }
}

/// A paragraph ready to paint and hit-test.
pub(super) struct LaidOutParagraph {
    pub(super) layout: Arc<ParagraphLayout>,
    /// Its glyphs' quads in the glyph atlas of `atlas_generation`.
    pub(super) glyphs: Arc<Vec<PaintedGlyph>>,
    atlas_generation: u64,
    /// The passages it was decorated with: it is decorated again (not laid out) when they
    /// change.
    spans: Vec<PassageSpan>,
    pub(super) decoration: Decoration,
    /// The glyph quads in their colours, relative to the paragraph's top left: made on the
    /// first paint, then only moved to where the paragraph is on screen.
    pub(super) colored_glyphs: std::sync::OnceLock<egui::Mesh>,
}

/// Paragraphs kept laid out beyond what is on screen, so that scrolling back is free but
/// reading through a long document does not keep every paragraph's layout.
pub(super) const MAX_CACHED_PARAGRAPHS: usize = 200;

impl DocumentView {
    /// The width the text was wrapped at last frame, in points.
    pub fn wrap_width(&self) -> Option<f32> {
        self.params.map(|p| p.wrap_width)
    }

    pub(super) fn line_height(&self) -> f32 {
        self.params.map_or(24.0, |p| p.line_height())
    }

    fn set_params(&mut self, params: LayoutParams, text: &DocumentText) {
        if self.params == Some(params) && self.heights.len() == text.paragraphs().len() {
            return;
        }
        self.params = Some(params);
        self.laid_out.clear();
        // Estimate every paragraph from its length; paragraphs are measured as they come
        // into view, so a width change costs the visible paragraphs only.
        let line_height = params.line_height();
        let chars_per_row = (params.wrap_width / (params.font_size * 0.48)).max(1.0);
        self.heights = text
            .paragraphs()
            .iter()
            .map(|p| {
                if p.chars.is_empty() {
                    line_height * theme::PARAGRAPH_GAP
                } else {
                    (p.chars.len() as f32 / chars_per_row).ceil() * line_height
                        + line_height * theme::PARAGRAPH_GAP
                }
            })
            .collect();
        self.tops_dirty = true;
    }

    pub(super) fn recompute_tops(&mut self) {
        if !self.tops_dirty && self.tops.len() == self.heights.len() + 1 {
            return;
        }
        self.tops.clear();
        self.tops.reserve(self.heights.len() + 1);
        let mut y = 0.0;
        for h in &self.heights {
            self.tops.push(y);
            y += h;
        }
        self.tops.push(y);
        self.tops_dirty = false;
    }

    pub(super) fn paragraph_at_y(&self, y: f32) -> usize {
        let count = self.heights.len();
        self.tops[1..]
            .partition_point(|&bottom| bottom <= y)
            .min(count.saturating_sub(1))
    }

    /// Where paragraph `index` begins on screen, on a whole pixel (its glyphs are placed on
    /// the pixel grid relative to it).
    pub(super) fn top_left(&self, shown: &Shown<'_>, index: usize) -> Pos2 {
        let ppp = self.params.map_or(1.0, |p| p.pixels_per_point);
        let y = shown.origin.y + self.tops.get(index).copied().unwrap_or(0.0);
        pos2(
            (shown.origin.x * ppp).round() / ppp,
            (y * ppp).round() / ppp,
        )
    }

    /// Paragraph `index` laid out, its glyphs placed and its passages' decoration worked out,
    /// each taken from the cache while still valid; its measured height corrects the estimate.
    pub(super) fn paragraph(
        &mut self,
        project: &Project,
        text: &DocumentText,
        index: usize,
    ) -> Arc<LaidOutParagraph> {
        let generation = self.atlas.generation();
        let cached = self.laid_out.get(&index);
        if let Some(cached) = cached
            && cached.spans == self.spans_of(index)
            && cached.atlas_generation == generation
        {
            return cached.clone();
        }
        let params = self
            .params
            .expect("layout parameters are set before painting");
        let paragraph = &text.paragraphs()[index];
        let (layout, glyphs) = match self.laid_out.remove(&index) {
            Some(old) if old.atlas_generation == generation => {
                (old.layout.clone(), old.glyphs.clone())
            }
            Some(old) => {
                let glyphs = self
                    .atlas
                    .place(&old.layout.glyph_runs(), params.pixels_per_point);
                (old.layout.clone(), Arc::new(glyphs))
            }
            None => {
                let style = ParagraphStyle {
                    font_size: params.font_size,
                    line_height: params.line_spacing,
                    serif: params.serif,
                    direction: params.direction,
                };
                let engine = self
                    .engine
                    .get_or_insert_with(|| TextEngine::new(FontSource::BundledAndSystem));
                let layout = engine.lay_out(
                    &text.as_str()[paragraph.bytes.clone()],
                    &style,
                    params.wrap_width,
                );
                let glyphs = self
                    .atlas
                    .place(&layout.glyph_runs(), params.pixels_per_point);
                (Arc::new(layout), Arc::new(glyphs))
            }
        };
        let line_height = params.line_height();
        // Blank lines already separate paragraphs in many texts: they get only the gap.
        let height = if paragraph.chars.is_empty() {
            line_height * theme::PARAGRAPH_GAP
        } else {
            layout.size().1.max(line_height) + line_height * theme::PARAGRAPH_GAP
        };
        if (self.heights[index] - height).abs() > 0.5 {
            self.heights[index] = height;
            self.tops_dirty = true;
        }
        let decoration = self.decorate(project, text, index, &layout, &params);
        let laid_out = Arc::new(LaidOutParagraph {
            layout,
            glyphs,
            atlas_generation: self.atlas.generation(),
            spans: self.spans_of(index).to_vec(),
            decoration,
            colored_glyphs: std::sync::OnceLock::new(),
        });
        self.laid_out.insert(index, laid_out.clone());
        laid_out
    }

    /// The reading column's wrap width for this frame's width and text size, laid out again
    /// when they changed. Returns where the column begins (the coding stripes' margin is
    /// taken from the left of a narrow window; a wide one has room for it beside the centred
    /// column) and, after a change, the place to keep at the top of the view.
    pub(super) fn lay_out_column(
        &mut self,
        ui: &egui::Ui,
        text: &DocumentText,
        font_size: f32,
    ) -> (f32, Option<(usize, f32)>) {
        let available_width = ui.available_width();
        let stripes = theme::STRIPE_GUTTER + theme::STRIPE_GAP_TO_TEXT;
        let wrap_width = (available_width - 2.0 * theme::TEXT_MARGIN - stripes)
            .clamp(120.0, self.reading.column_width);
        let left = ((available_width - wrap_width) / 2.0).max(theme::TEXT_MARGIN + stripes);
        let params = LayoutParams {
            wrap_width,
            font_size,
            pixels_per_point: ui.ctx().pixels_per_point(),
            text_color: theme::body_text(ui.visuals()),
            page: ui.visuals().panel_fill,
            dark_mode: ui.visuals().dark_mode,
            line_spacing: self.reading.line_spacing,
            serif: self.reading.serif,
            direction: self.direction,
        };
        // New layout parameters re-estimate every paragraph's height, which moves the text
        // under the scroll offset: keep the paragraph at the top of the view in its place.
        let keep_in_view = self
            .view_top
            .filter(|_| self.params.is_some_and(|old| old != params));
        self.set_params(params, text);
        self.recompute_tops();
        (left, keep_in_view)
    }

    /// The paragraphs in the viewport, laid out (measuring them may correct the estimated
    /// heights); layouts far from the view are let go.
    pub(super) fn lay_out_visible(
        &mut self,
        shown: &Shown<'_>,
        viewport: Rect,
    ) -> Vec<(usize, Arc<LaidOutParagraph>)> {
        let first = self.paragraph_at_y(viewport.min.y - theme::TEXT_MARGIN);
        self.view_top = (viewport.min.y > 0.0).then(|| {
            let into = viewport.min.y - theme::TEXT_MARGIN - self.tops[first];
            (first, (into / self.heights[first].max(1.0)).clamp(0.0, 1.0))
        });
        let mut visible = Vec::new();
        let mut index = first;
        while index < self.heights.len() && self.tops[index] <= viewport.max.y {
            visible.push((index, self.paragraph(shown.project, shown.text, index)));
            index += 1;
        }
        self.recompute_tops();
        if self.laid_out.len() > MAX_CACHED_PARAGRAPHS {
            let keep =
                first.saturating_sub(MAX_CACHED_PARAGRAPHS / 4)..index + MAX_CACHED_PARAGRAPHS / 4;
            self.laid_out.retain(|i, _| keep.contains(i));
        }
        visible
    }
}
