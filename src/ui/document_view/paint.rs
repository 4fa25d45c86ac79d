//! Painting the paragraphs in view: the selection under the text, the passages' highlights,
//! the glyphs in their characters' colours, overlaps underlined, find hits and the selected
//! passage's outline over them, and the caret.

use std::ops::Range;
use std::sync::Arc;

use egui::{Color32, Mesh, Rect, Stroke};

use super::glyph_atlas;
use super::hit_testing::{range_rects, rect_of};
use super::layout::{LaidOutParagraph, LayoutParams};
use super::passage_index::PassageSpan;
use super::{DocumentView, Marks, Shown};
use crate::model::{AnnotationId, DocumentText, Project, TagId, sections_for_range};
use crate::text_layout::ParagraphLayout;
use crate::ui::coders_bar::CoderView;
use crate::ui::theme;

/// How a paragraph's passages are drawn, worked out once per change of its passages.
#[derive(Default)]
pub(super) struct Decoration {
    /// Passage highlights, paragraph coordinates.
    highlights: Vec<(Rect, Color32)>,
    /// Where passages overlap: a line under the text in the innermost passage's colour, so
    /// nested and overlapping passages stay distinguishable, not just darker.
    underlines: Vec<(Rect, Color32)>,
    /// Text over a highlight, in the colour that reads on it: paragraph offsets, in order.
    text_colors: Vec<(Range<usize>, Color32)>,
    /// For each passage, the top of its first line and the bottom of its last in this
    /// paragraph: where its coding stripes run.
    pub(super) extents: Vec<(AnnotationId, f32, f32)>,
}

impl Decoration {
    fn color_of(&self, char_offset: usize) -> Option<Color32> {
        let at = self
            .text_colors
            .partition_point(|(range, _)| range.end <= char_offset);
        self.text_colors
            .get(at)
            .filter(|(range, _)| range.start <= char_offset)
            .map(|(_, color)| *color)
    }
}

impl DocumentView {
    pub(super) fn decorate(
        &self,
        project: &Project,
        text: &DocumentText,
        index: usize,
        layout: &ParagraphLayout,
        params: &LayoutParams,
    ) -> Decoration {
        let paragraph = &text.paragraphs()[index];
        let spans = self.spans_of(index);
        let ranges: Vec<(AnnotationId, Range<usize>)> =
            spans.iter().map(|s| (s.id, s.chars())).collect();
        let compared_tag = match &self.indexed_coders {
            CoderView::Compare { tag, .. } => Some(*tag),
            _ => None,
        };
        let mut decoration = Decoration::default();
        for section in sections_for_range(paragraph.chars.clone(), &ranges) {
            let mut background = None;
            let mut underline = None;
            if let Some(tag) = compared_tag {
                background = self
                    .compare_tint(project, spans, &section.annotations, tag)
                    .map(|tint| theme::highlight(&[tint]));
            } else if !section.annotations.is_empty() {
                let section_colors: Vec<Color32> = section
                    .annotations
                    .iter()
                    .filter_map(|id| spans.iter().find(|s| s.id == *id).map(|s| s.color))
                    .collect();
                background = Some(theme::highlight(&section_colors));
                if section_colors.len() > 1 {
                    underline = section_colors.last().copied();
                }
            }
            let Some(background) = background else {
                continue;
            };
            let local = section.chars.start - paragraph.chars.start
                ..section.chars.end - paragraph.chars.start;
            for rect in range_rects(layout, &paragraph.chars, &section.chars) {
                decoration.highlights.push((rect, background));
                if let Some(color) = underline {
                    let bottom = rect.max.y - 0.1 * params.line_height();
                    decoration.underlines.push((
                        Rect::from_min_max(
                            egui::pos2(rect.min.x, bottom - 1.0),
                            egui::pos2(rect.max.x, bottom + 1.0),
                        ),
                        color,
                    ));
                }
            }
            decoration.text_colors.push((
                local,
                theme::text_over(params.page, params.dark_mode, background),
            ));
        }
        decoration.extents = spans
            .iter()
            .filter_map(|span| {
                let rects = range_rects(layout, &paragraph.chars, &span.chars());
                let top = rects.iter().map(|r| r.top()).reduce(f32::min)?;
                let bottom = rects.iter().map(|r| r.bottom()).reduce(f32::max)?;
                Some((span.id, top, bottom))
            })
            .collect();
        decoration
    }

    /// Compare mode: the tint of text covered by these passages: "alike" where both coders
    /// gave it the same tags (of the compared tag, or of all), "one only" where they differ,
    /// none where neither coded it.
    fn compare_tint(
        &self,
        project: &Project,
        spans: &[PassageSpan],
        covering: &[AnnotationId],
        compared: Option<TagId>,
    ) -> Option<Color32> {
        let doc = self.doc?;
        let mut tags: [Vec<TagId>; 2] = [Vec::new(), Vec::new()];
        for id in covering {
            let Some(span) = spans.iter().find(|s| s.id == *id) else {
                continue;
            };
            if let Some(passage) = span.find_in(project, doc) {
                let group = &mut tags[span.group.min(1)];
                group.extend(
                    passage
                        .tags
                        .iter()
                        .filter(|t| compared.is_none_or(|c| c == **t)),
                );
            }
        }
        for group in &mut tags {
            group.sort_unstable();
            group.dedup();
        }
        match (tags[0].is_empty(), tags[1].is_empty()) {
            (true, true) => None,
            _ if tags[0] == tags[1] => Some(theme::COMPARE_AGREE),
            _ => Some(theme::COMPARE_DIFFER),
        }
    }

    /// Each visible paragraph: the selection under it, its passages' highlights, its glyphs,
    /// find hits over them, and the selected passage's outline.
    pub(super) fn paint_paragraphs(
        &mut self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        shown: &Shown<'_>,
        visible: &[(usize, Arc<LaidOutParagraph>)],
        marks: &Marks<'_>,
    ) {
        let text = shown.text;
        let body = theme::body_text(ui.visuals());
        let strong = ui.visuals().strong_text_color();
        let mut glyphs = Mesh::with_texture(self.atlas.texture_id(ui.ctx()));
        let mut overlays = Vec::new();
        for (index, laid_out) in visible {
            let paragraph = &text.paragraphs()[*index];
            let offset = self.top_left(shown, *index).to_vec2();
            let layout = &laid_out.layout;
            if let Some(range) = &marks.selection {
                // Neutral, not the theme's blue: the selection must not be mistaken
                // for a passage tagged with a blue tag.
                let fill = if ui.visuals().dark_mode {
                    Color32::from_white_alpha(48)
                } else {
                    Color32::from_black_alpha(36)
                };
                for rect in range_rects(layout, &paragraph.chars, range) {
                    let rect = rect.translate(offset);
                    painter.rect_filled(rect, theme::HIGHLIGHT_RADIUS, fill);
                    painter.line_segment(
                        [rect.left_bottom(), rect.right_bottom()],
                        Stroke::new(2.0, strong),
                    );
                }
                if paragraph.chars.contains(&range.end.saturating_sub(1))
                    || (paragraph.chars.end == range.end)
                {
                    let end = range.end.min(paragraph.chars.end) - paragraph.chars.start;
                    let caret = rect_of(layout.caret_rect(end)).translate(offset);
                    self.selection_end_pos = Some(caret.right_bottom());
                }
            }
            for (rect, color) in &laid_out.decoration.highlights {
                painter.rect_filled(rect.translate(offset), 0.0, *color);
            }
            let local = laid_out.colored_glyphs.get_or_init(|| {
                glyph_atlas::colored_quads(&laid_out.glyphs, |at| {
                    laid_out.decoration.color_of(at).unwrap_or(body)
                })
            });
            let first = glyphs.vertices.len() as u32;
            glyphs
                .vertices
                .extend(local.vertices.iter().map(|vertex| egui::epaint::Vertex {
                    pos: vertex.pos + offset,
                    ..*vertex
                }));
            glyphs
                .indices
                .extend(local.indices.iter().map(|index| index + first));
            overlays.push((*index, laid_out.clone(), offset));
        }
        painter.add(egui::Shape::mesh(glyphs));
        for (index, laid_out, offset) in overlays {
            let paragraph = &text.paragraphs()[index];
            for (rect, color) in &laid_out.decoration.underlines {
                painter.rect_filled(rect.translate(offset), 0.0, *color);
            }
            paint_hits(painter, &laid_out.layout, &paragraph.chars, offset, marks);
            if let Some(range) = &marks.selected {
                for rect in range_rects(&laid_out.layout, &paragraph.chars, range) {
                    painter.rect_stroke(
                        rect.translate(offset).expand(1.0),
                        theme::HIGHLIGHT_RADIUS,
                        Stroke::new(1.5, strong),
                        egui::StrokeKind::Outside,
                    );
                }
            }
        }
        self.atlas.upload(ui.ctx());
    }

    /// The caret, the document's focus mark, where it is in view.
    pub(super) fn paint_caret(
        &mut self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        shown: &Shown<'_>,
        at: usize,
    ) {
        let rect = self.caret_rect(shown, at);
        if ui.clip_rect().intersects(rect) {
            painter.line_segment(
                [rect.center_top(), rect.center_bottom()],
                Stroke::new(2.0, ui.visuals().strong_text_color()),
            );
        }
    }
}

/// Find hits outlined in amber (the current one filled too), over the passage colours so a
/// hit inside a highlight is still seen.
fn paint_hits(
    painter: &egui::Painter,
    layout: &ParagraphLayout,
    paragraph: &Range<usize>,
    offset: egui::Vec2,
    marks: &Marks<'_>,
) {
    let hits = marks.hits;
    let first = hits.partition_point(|h| h.end <= paragraph.start);
    for hit in hits[first..].iter().take_while(|h| h.start < paragraph.end) {
        let is_current = marks.current_hit == Some(hit);
        for rect in range_rects(layout, paragraph, hit) {
            let rect = rect.translate(offset);
            if is_current {
                painter.rect_filled(
                    rect,
                    theme::HIGHLIGHT_RADIUS,
                    theme::FIND_HIT.gamma_multiply(0.45),
                );
            }
            painter.rect_stroke(
                rect,
                theme::HIGHLIGHT_RADIUS,
                Stroke::new(if is_current { 2.5 } else { 1.5 }, theme::FIND_HIT),
                egui::StrokeKind::Outside,
            );
        }
    }
}
