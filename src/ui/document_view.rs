//! The reading view: a custom widget that lays out one galley per paragraph, paints only
//! the paragraphs in view, and turns pointer presses and drags into character selections.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Color32, FontId, Galley, Pos2, Rect, Sense, Stroke, Vec2, pos2, vec2};
use unicode_segmentation::UnicodeSegmentation;

use super::coders_bar::CoderView;
use super::coding_stripes::{self, Bar};
use super::document_access::{self, ShownParagraph, ShownPassage};
use super::reading_style::{self, ReadingStyle};
use super::theme::TagColors;
use super::{Action, TextSelection};
use super::{caret, theme};
use crate::model::{
    Annotation, AnnotationId, DocId, DocumentText, Paragraph, Project, sections_for_range,
};
use crate::workspace::{PassageChange, PassageSummary, Workspace};

/// Widest text column, in points: lines longer than this are hard to read.
/// Space after each paragraph, as a fraction of the line height.

#[derive(Clone, Copy, PartialEq)]
struct LayoutParams {
    wrap_width: f32,
    font_size: f32,
    pixels_per_point: f32,
    text_color: Color32,
    /// The page under the text, which a highlight's text colour is chosen against.
    page: Color32,
    dark_mode: bool,
    /// Line height as a multiple of the font size, and the serif font (the reading style).
    line_spacing: f32,
    serif: bool,
}

impl LayoutParams {
    fn line_height(&self) -> f32 {
        self.font_size * self.line_spacing
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct PassageSpan {
    id: AnnotationId,
    start: usize,
    /// Where it is drawn to: the stored end, or the text's end for a passage past it.
    end: usize,
    stored_end: usize,
    color: Color32,
    /// The stripe group: 0, or 1 for the second coder in compare mode.
    group: usize,
}

impl PassageSpan {
    fn chars(&self) -> Range<usize> {
        self.start..self.end
    }

    /// A passage's span, colour and the paragraphs it covers (`None` for an empty span or
    /// one past the end of the text). `hint`: a paragraph at or before its start.
    fn place(
        text: &DocumentText,
        passage: &PassageSummary,
        colors: &TagColors,
        hint: usize,
        group: usize,
    ) -> Option<(Self, usize, usize)> {
        let end = passage.end.min(text.char_count());
        if passage.start >= end {
            return None;
        }
        let paragraphs = text.paragraphs();
        let first = paragraph_from(paragraphs, hint, passage.start);
        let last = paragraph_from(paragraphs, first, end - 1);
        let span = PassageSpan {
            id: passage.id,
            start: passage.start,
            end,
            stored_end: passage.end,
            color: colors.passage(&passage.tags),
            group,
        };
        Some((span, first, last))
    }

    /// The order of the project's list: start, end, id.
    fn order(&self) -> (usize, usize, AnnotationId) {
        (self.start, self.stored_end, self.id)
    }

    /// Its passage, by binary search on the project's sorted list.
    fn find_in<'p>(&self, project: &'p Project, doc: DocId) -> Option<&'p Annotation> {
        project.annotation_at_key(self.id, doc, self.start, self.stored_end)
    }
}

struct CachedGalley {
    /// The passages it was laid out with: it is laid out again when they change.
    spans: Vec<PassageSpan>,
    galley: Arc<Galley>,
    /// For each of those passages, the top of its first row and the bottom of its last
    /// in this paragraph (galley coordinates): where its coding stripes run.
    extents: Vec<(AnnotationId, f32, f32)>,
}

/// Galleys kept beyond what is on screen, so that scrolling back is free but reading
/// through a long document does not keep every paragraph's glyphs.
const MAX_CACHED_GALLEYS: usize = 200;

/// What the view shows of the current selection; the app owns the state.
pub struct ViewState<'a> {
    /// What the edits since the last frame did, so the index of passages is updated, not
    /// rebuilt.
    pub workspace: &'a Workspace,
    pub selection: &'a mut Option<TextSelection>,
    pub selected_passage: Option<&'a crate::model::Annotation>,
    /// Find hits in this document, in order, and the one stepped to.
    pub hits: &'a [Range<usize>],
    pub current_hit: Option<Range<usize>>,
    /// Passages whose span no longer holds their quote: not drawn there.
    pub misplaced: &'a std::collections::HashSet<AnnotationId>,
    /// Whose passages are shown, and whether two coders are compared.
    pub coders: &'a CoderView,
}

/// What is drawn over the text: the selection, the selected passage, find hits.
struct Marks<'a> {
    selection: Option<Range<usize>>,
    selected: Option<Range<usize>>,
    hits: &'a [Range<usize>],
    current_hit: Option<&'a Range<usize>>,
}

/// What this frame's helpers share: the document shown and where its text begins on screen.
struct Shown<'a> {
    project: &'a Project,
    doc: DocId,
    text: &'a DocumentText,
    origin: Pos2,
}

#[derive(Default)]
pub struct DocumentView {
    /// Column width, line spacing and font, as the app has them this frame.
    pub reading: ReadingStyle,
    doc: Option<DocId>,
    /// The fingerprint of the text laid out: a corrected text is laid out anew.
    text_sha256: String,
    indexed_revision: Option<u64>,
    /// Whose passages the index holds.
    indexed_coders: CoderView,
    /// Passages overlapping each paragraph, in the project's order.
    spans: Vec<Vec<PassageSpan>>,
    galleys: HashMap<usize, CachedGalley>,
    /// Height of each paragraph: measured once laid out, estimated before.
    heights: Vec<f32>,
    /// `tops[i]` is the y of paragraph `i`; `tops[len]` the total height.
    tops: Vec<f32>,
    tops_dirty: bool,
    params: Option<LayoutParams>,
    dragging: bool,
    pending_scroll: Option<usize>,
    /// A caret moved by the keyboard, to be brought into view on this frame.
    reveal: Option<usize>,
    /// The x the caret keeps while moving up and down through rows of different lengths.
    caret_x: Option<f32>,
    /// The paragraph at the top of the view and how far into it (0..1) the view begins.
    view_top: Option<(usize, f32)>,
    /// Where the selection's end was last painted, for placing the tag bar.
    pub selection_end_pos: Option<Pos2>,
    /// Where the document is shown on screen: the tag bar stays inside it.
    pub shown_rect: Option<Rect>,
    /// Take the keyboard focus on the next frame (a project or document just opened).
    focus_requested: bool,
    /// Whether it had the focus last frame (egui's `gained_focus` misses focus that was
    /// requested after the view was drawn).
    had_focus: bool,
}

impl DocumentView {
    /// Bring a character offset into view on the next frame.
    pub fn scroll_to(&mut self, char_offset: usize) {
        self.pending_scroll = Some(char_offset);
    }

    /// Give the document the keyboard focus on the next frame.
    pub fn request_focus(&mut self) {
        self.focus_requested = true;
    }

    pub fn is_dragging(&self) -> bool {
        self.dragging
    }

    /// The passages of the document by paragraph, for this revision of the project: taken
    /// from the edits since the last revision seen (a new passage touches the paragraphs it
    /// covers, not the whole document), or built afresh in one pass over the passages.
    fn reindex(&mut self, project: &Project, doc: DocId, text: &DocumentText, state: &ViewState) {
        let revision = state.workspace.revision();
        let sha256 = project.document(doc).map_or("", |d| d.sha256.as_str());
        if self.doc != Some(doc)
            || self.indexed_coders != *state.coders
            || self.text_sha256 != sha256
        {
            self.doc = Some(doc);
            self.indexed_coders = state.coders.clone();
            self.text_sha256 = sha256.to_owned();
            // Another document: its passages must be indexed even at the same revision.
            self.indexed_revision = None;
            self.galleys.clear();
            self.heights.clear();
            self.params = None;
        }
        let paragraphs = text.paragraphs();
        let indexed = self.spans.len() == paragraphs.len();
        if indexed && self.indexed_revision == Some(revision) {
            return;
        }
        let changes = self
            .indexed_revision
            .filter(|_| indexed)
            .and_then(|seen| state.workspace.passage_changes_since(seen));
        self.indexed_revision = Some(revision);
        let tag_colors = theme::TagColors::new(project);
        if let Some(changes) = changes {
            for change in changes {
                match change {
                    PassageChange::Added(passage)
                        if passage.doc == doc && !state.misplaced.contains(&passage.id) =>
                    {
                        if let Some(group) = state.coders.group_of(&passage.coder) {
                            self.insert_span(text, passage, &tag_colors, group);
                        }
                    }
                    PassageChange::Removed(passage) if passage.doc == doc => {
                        self.remove_span(text, passage);
                    }
                    _ => {}
                }
            }
            return;
        }
        let mut spans = vec![Vec::new(); paragraphs.len()];
        // Passages come in document order, so the paragraph of each start is found by
        // stepping on from the previous one.
        let mut hint = 0;
        for annotation in project.annotations_slice_of(doc) {
            // An orphan's span no longer holds its text: drawing it there would mislead.
            if state.misplaced.contains(&annotation.id) {
                continue;
            }
            let Some(group) = state.coders.group_of(&annotation.coder) else {
                continue;
            };
            let Some((span, first, last)) = PassageSpan::place(
                text,
                &PassageSummary::of(annotation),
                &tag_colors,
                hint,
                group,
            ) else {
                continue;
            };
            hint = first;
            for paragraph in &mut spans[first..=last] {
                paragraph.push(span);
            }
        }
        self.spans = spans;
        if self.heights.len() != paragraphs.len() {
            self.heights.clear();
        }
    }

    /// A passage added since the last revision, in the paragraphs it covers, in the
    /// project's order (start, end, id).
    fn insert_span(
        &mut self,
        text: &DocumentText,
        passage: &PassageSummary,
        colors: &TagColors,
        group: usize,
    ) {
        let hint = text.paragraph_of_char(passage.start);
        if let Some((span, first, last)) = PassageSpan::place(text, passage, colors, hint, group) {
            for paragraph in &mut self.spans[first..=last] {
                let at = paragraph.partition_point(|s| s.order() < span.order());
                paragraph.insert(at, span);
            }
        }
    }

    fn remove_span(&mut self, text: &DocumentText, passage: &PassageSummary) {
        let first = text.paragraph_of_char(passage.start);
        let last = text.paragraph_of_char(passage.end.saturating_sub(1).max(passage.start));
        for paragraph in self.spans.iter_mut().take(last + 1).skip(first) {
            paragraph.retain(|s| s.id != passage.id);
        }
    }

    /// The passages overlapping paragraph `index`.
    fn spans_of(&self, index: usize) -> &[PassageSpan] {
        self.spans.get(index).map_or(&[], Vec::as_slice)
    }

    /// The width the text was wrapped at last frame, in points.
    pub fn wrap_width(&self) -> Option<f32> {
        self.params.map(|p| p.wrap_width)
    }

    fn set_params(&mut self, params: LayoutParams, text: &DocumentText) {
        if self.params == Some(params) && self.heights.len() == text.paragraphs().len() {
            return;
        }
        self.params = Some(params);
        self.galleys.clear();
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

    fn recompute_tops(&mut self) {
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

    fn paragraph_at_y(&self, y: f32) -> usize {
        let count = self.heights.len();
        self.tops[1..]
            .partition_point(|&bottom| bottom <= y)
            .min(count.saturating_sub(1))
    }

    fn galley(
        &mut self,
        ui: &egui::Ui,
        project: &Project,
        text: &DocumentText,
        index: usize,
    ) -> Arc<Galley> {
        if let Some(cached) = self.galleys.get(&index)
            && cached.spans == self.spans_of(index)
        {
            return cached.galley.clone();
        }
        let params = self
            .params
            .expect("layout parameters are set before painting");
        let job = self.layout_job(project, text, index, params);
        let galley = ui.ctx().fonts_mut(|fonts| fonts.layout_job(job));
        let line_height = params.line_height();
        // Blank lines already separate paragraphs in many texts: they get only the gap.
        let height = if text.paragraphs()[index].chars.is_empty() {
            line_height * theme::PARAGRAPH_GAP
        } else {
            galley.rect.height().max(line_height) + line_height * theme::PARAGRAPH_GAP
        };
        if (self.heights[index] - height).abs() > 0.5 {
            self.heights[index] = height;
            self.tops_dirty = true;
        }
        let chars = &text.paragraphs()[index].chars;
        let extents = self
            .spans_of(index)
            .iter()
            .filter_map(|span| {
                let rects = range_rects(&galley, chars, &span.chars());
                let top = rects.iter().map(|r| r.top()).reduce(f32::min)?;
                let bottom = rects.iter().map(|r| r.bottom()).reduce(f32::max)?;
                Some((span.id, top, bottom))
            })
            .collect();
        self.galleys.insert(
            index,
            CachedGalley {
                spans: self.spans_of(index).to_vec(),
                galley: galley.clone(),
                extents,
            },
        );
        galley
    }

    fn layout_job(
        &self,
        project: &Project,
        text: &DocumentText,
        index: usize,
        params: LayoutParams,
    ) -> LayoutJob {
        let paragraph = &text.paragraphs()[index];
        let base = TextFormat {
            font_id: FontId::new(params.font_size, reading_style::family(params.serif)),
            color: params.text_color,
            line_height: Some(params.line_height()),
            ..Default::default()
        };
        let spans = self.spans_of(index);
        let ranges: Vec<(AnnotationId, Range<usize>)> =
            spans.iter().map(|s| (s.id, s.chars())).collect();
        let mut job = LayoutJob {
            text: text.as_str()[paragraph.bytes.clone()].to_owned(),
            wrap: egui::text::TextWrapping::wrap_at_width(params.wrap_width),
            ..Default::default()
        };
        let compared_tag = match &self.indexed_coders {
            CoderView::Compare { tag, .. } => Some(*tag),
            _ => None,
        };
        for section in sections_for_range(paragraph.chars.clone(), &ranges) {
            let bytes = text.byte_range(section.chars.clone());
            let mut format = base.clone();
            if let Some(tag) = compared_tag {
                let tint = self.compare_tint(project, spans, &section.annotations, tag);
                if let Some(tint) = tint {
                    format.background = theme::highlight(&[tint]);
                    format.color =
                        theme::text_over(params.page, params.dark_mode, format.background);
                }
            } else if !section.annotations.is_empty() {
                let section_colors: Vec<Color32> = section
                    .annotations
                    .iter()
                    .filter_map(|id| spans.iter().find(|s| s.id == *id).map(|s| s.color))
                    .collect();
                format.background = theme::highlight(&section_colors);
                format.color = theme::text_over(params.page, params.dark_mode, format.background);
                if section_colors.len() > 1 {
                    // The innermost passage's colour underlines an overlap, so nested and
                    // overlapping passages stay distinguishable, not just darker.
                    let innermost = *section_colors.last().expect("non-empty");
                    format.underline = Stroke::new(2.0, innermost);
                }
            }
            job.sections.push(egui::text::LayoutSection {
                leading_space: 0.0,
                byte_range: (bytes.start - paragraph.bytes.start).into()
                    ..(bytes.end - paragraph.bytes.start).into(),
                format,
            });
        }
        job
    }

    /// Compare mode: the tint of text covered by these passages: "alike" where both coders
    /// gave it the same tags (of the compared tag, or of all), "one only" where they differ,
    /// none where neither coded it.
    fn compare_tint(
        &self,
        project: &Project,
        spans: &[PassageSpan],
        covering: &[AnnotationId],
        compared: Option<crate::model::TagId>,
    ) -> Option<Color32> {
        let doc = self.doc?;
        let mut tags: [Vec<crate::model::TagId>; 2] = [Vec::new(), Vec::new()];
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

    /// Character offset under a point of the content area.
    fn char_at(&mut self, ui: &egui::Ui, shown: &Shown<'_>, pos: Pos2) -> usize {
        let (project, text, origin) = (shown.project, shown.text, shown.origin);
        let index = self.paragraph_at_y(pos.y - origin.y);
        let galley = self.galley(ui, project, text, index);
        let paragraph = &text.paragraphs()[index];
        let local = pos - (origin + vec2(0.0, self.tops[index]));
        let column = galley.cursor_from_pos(local).index.0;
        paragraph.chars.start + column.min(paragraph.chars.len())
    }

    /// Show the document. Returns the actions the person took.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        doc: DocId,
        text: &DocumentText,
        font_size: f32,
        state: ViewState<'_>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        self.reindex(project, doc, text, &state);
        let available_width = ui.available_width();
        let (left, keep_in_view) = self.lay_out_column(ui, text, font_size);
        let scroll_area = self.scroll_area(ui, doc, text, keep_in_view);
        let ViewState {
            selection,
            selected_passage,
            hits,
            current_hit,
            coders,
            ..
        } = state;
        self.selection_end_pos = None;
        self.shown_rect = Some(ui.max_rect());
        scroll_area.show_viewport(ui, |ui, viewport| {
            let total = vec2(
                available_width,
                self.tops[self.heights.len()] + 2.0 * theme::TEXT_MARGIN,
            );
            let (rect, response) = ui.allocate_exact_size(total, Sense::click_and_drag());
            let origin = rect.min + vec2(left, theme::TEXT_MARGIN);
            let shown = &Shown {
                project,
                doc,
                text,
                origin,
            };
            let visible = self.lay_out_visible(ui, shown, viewport);
            let bars = self.stripe_bars(shown, &visible);
            let margin = coding_stripes::Margin {
                right: origin.x - theme::STRIPE_GAP_TO_TEXT,
                width: theme::STRIPE_GUTTER,
                groups: if coders.is_compare() { 2 } else { 1 },
            };
            actions.extend(coding_stripes::show(
                ui,
                project,
                &margin,
                &bars,
                &coders.group_names(),
            ));
            self.handle_pointer(ui, &response, shown, selection, &mut actions);
            let first_visible = visible.first().map_or(0, |(index, _)| *index);
            self.keyboard(
                ui,
                &response,
                shown,
                (viewport, first_visible),
                selection,
                &mut actions,
            );
            let marks = Marks {
                selection: selection.filter(|s| !s.is_empty()).map(|s| s.range()),
                selected: selected_passage
                    .filter(|a| a.doc == doc && crate::anchor::is_anchored(a, text))
                    .map(|a| a.range()),
                hits,
                current_hit: current_hit.as_ref(),
            };
            let painter = ui.painter_at(ui.clip_rect());
            self.paint_paragraphs(ui, &painter, shown, &visible, &marks);
            if response.has_focus()
                && let Some(caret) = selection.map(|s| s.head)
            {
                self.paint_caret(ui, &painter, shown, caret);
            }
            self.hover_and_menu(ui, &response, shown, *selection, &mut actions);
            self.expose_to_screen_readers(ui, &response, shown, &visible, *selection);
        });
        actions
    }

    /// The reading column's wrap width for this frame's width and text size, laid out again
    /// when they changed. Returns where the column begins (the coding stripes' margin is
    /// taken from the left of a narrow window; a wide one has room for it beside the centred
    /// column) and, after a change, the place to keep at the top of the view.
    fn lay_out_column(
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

    /// The document's scroll area, moved to a place asked for (a passage, a find hit) or
    /// kept where the reader was across a new layout.
    fn scroll_area(
        &mut self,
        ui: &egui::Ui,
        doc: DocId,
        text: &DocumentText,
        keep_in_view: Option<(usize, f32)>,
    ) -> egui::ScrollArea {
        let scroll_area = egui::ScrollArea::vertical()
            .id_salt(("document", doc))
            .auto_shrink([false, false]);
        if let Some(target) = self.pending_scroll.take() {
            let index = text.paragraph_of_char(target);
            let y = self.tops[index] - ui.available_height() * 0.3;
            scroll_area.vertical_scroll_offset(y.max(0.0))
        } else if let Some((index, fraction)) = keep_in_view
            && index < self.heights.len()
        {
            let y = theme::TEXT_MARGIN + self.tops[index] + fraction * self.heights[index];
            scroll_area.vertical_scroll_offset(y)
        } else {
            scroll_area
        }
    }

    /// The paragraphs in the viewport, laid out (measuring them may correct the estimated
    /// heights); galleys far from the view are let go.
    fn lay_out_visible(
        &mut self,
        ui: &egui::Ui,
        shown: &Shown<'_>,
        viewport: Rect,
    ) -> Vec<(usize, Arc<Galley>)> {
        let first = self.paragraph_at_y(viewport.min.y - theme::TEXT_MARGIN);
        self.view_top = (viewport.min.y > 0.0).then(|| {
            let into = viewport.min.y - theme::TEXT_MARGIN - self.tops[first];
            (first, (into / self.heights[first].max(1.0)).clamp(0.0, 1.0))
        });
        let mut visible = Vec::new();
        let mut index = first;
        while index < self.heights.len() && self.tops[index] <= viewport.max.y {
            visible.push((index, self.galley(ui, shown.project, shown.text, index)));
            index += 1;
        }
        self.recompute_tops();
        if self.galleys.len() > MAX_CACHED_GALLEYS {
            let keep = first.saturating_sub(MAX_CACHED_GALLEYS / 4)..index + MAX_CACHED_GALLEYS / 4;
            self.galleys.retain(|i, _| keep.contains(i));
        }
        visible
    }

    /// The keyboard focus (asked for, or arriving: a caret where the view begins) and, while
    /// the document has it, the caret keys. `view`: the viewport and its first paragraph.
    fn keyboard(
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
        super::focus::register(ui, super::focus::Region::Document, response, true);
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
            let rect = self.caret_rect(ui, shown, caret);
            ui.scroll_to_rect(rect.expand(24.0), None);
        }
    }

    /// The caret, the document's focus mark, where it is in view.
    fn paint_caret(
        &mut self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        shown: &Shown<'_>,
        at: usize,
    ) {
        let rect = self.caret_rect(ui, shown, at);
        if ui.clip_rect().intersects(rect) {
            painter.line_segment(
                [rect.center_top(), rect.center_bottom()],
                Stroke::new(2.0, ui.visuals().strong_text_color()),
            );
        }
    }

    /// The paragraphs and passages in view, for screen readers.
    fn expose_to_screen_readers(
        &self,
        ui: &mut egui::Ui,
        response: &egui::Response,
        shown: &Shown<'_>,
        visible: &[(usize, Arc<Galley>)],
        selection: Option<TextSelection>,
    ) {
        let paragraphs: Vec<ShownParagraph<'_>> = visible
            .iter()
            .map(|(index, galley)| ShownParagraph {
                index: *index,
                chars: shown.text.paragraphs()[*index].chars.clone(),
                galley,
                top_left: shown.origin + vec2(0.0, self.tops[*index]),
            })
            .collect();
        let mut passages: Vec<ShownPassage> = Vec::new();
        for paragraph in &paragraphs {
            for span in self.spans_of(paragraph.index) {
                if passages.iter().any(|p| p.key == span.id) {
                    continue;
                }
                let Some(first) = range_rects(paragraph.galley, &paragraph.chars, &span.chars())
                    .into_iter()
                    .next()
                else {
                    continue;
                };
                if let Some(passage) = span.find_in(shown.project, shown.doc) {
                    passages.push(ShownPassage {
                        key: span.id,
                        name: super::passages_panel::passage_name(shown.project, passage),
                        rect: first.translate(paragraph.top_left.to_vec2()),
                    });
                }
            }
        }
        let title = shown
            .project
            .document(shown.doc)
            .map_or("", |d| d.title.as_str());
        document_access::expose(ui, response, title, &paragraphs, selection, &passages);
    }

    /// The coding stripes of the passages in view, in the project's order, with the
    /// passages before them that still take a column: from the nearest paragraph above the
    /// view that no passage runs into, so a bar keeps its column while the view scrolls.
    fn stripe_bars(&self, shown: &Shown<'_>, visible: &[(usize, Arc<Galley>)]) -> Vec<Bar> {
        /// How far up to look for such a paragraph before settling for a column shift.
        const MAX_PARAGRAPHS_BACK: usize = 64;
        let (Some((first, _)), Some((last, _))) = (visible.first(), visible.last()) else {
            return Vec::new();
        };
        let paragraphs = shown.text.paragraphs();
        let mut from = *first;
        while from > 0
            && *first - from < MAX_PARAGRAPHS_BACK
            && self
                .spans_of(from)
                .iter()
                .any(|s| s.start < paragraphs[from].chars.start)
        {
            from -= 1;
        }
        let mut spans: Vec<PassageSpan> = (from..=*last)
            .flat_map(|index| self.spans_of(index).iter().copied())
            .collect();
        spans.sort_by_key(PassageSpan::order);
        spans.dedup_by_key(|s| s.id);

        // Where each passage runs on screen, from the extents measured with each galley.
        let mut extents: HashMap<AnnotationId, (f32, f32)> = HashMap::new();
        for (index, _) in visible {
            let top = shown.origin.y + self.tops[*index];
            let Some(cached) = self.galleys.get(index) else {
                continue;
            };
            for (id, from, to) in &cached.extents {
                let extent = extents
                    .entry(*id)
                    .or_insert((f32::INFINITY, f32::NEG_INFINITY));
                extent.0 = extent.0.min(top + from);
                extent.1 = extent.1.max(top + to);
            }
        }
        let mut bars = Vec::new();
        for span in spans {
            let Some(passage) = span.find_in(shown.project, shown.doc) else {
                continue;
            };
            for tag in &passage.tags {
                bars.push(Bar {
                    passage: span.id,
                    doc: shown.doc,
                    stored_end: span.stored_end,
                    tag: *tag,
                    group: span.group,
                    chars: span.chars(),
                    y: extents.get(&span.id).copied(),
                });
            }
        }
        bars
    }

    /// Each visible paragraph: the selection under it, its text with the passages' colours,
    /// find hits over them, and the selected passage's outline.
    fn paint_paragraphs(
        &mut self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        shown: &Shown<'_>,
        visible: &[(usize, Arc<Galley>)],
        marks: &Marks<'_>,
    ) {
        let text = shown.text;
        for (index, galley) in visible {
            let paragraph = &text.paragraphs()[*index];
            let top_left = shown.origin + vec2(0.0, self.tops[*index]);
            if let Some(range) = &marks.selection {
                // Neutral, not the theme's blue: the selection must not be mistaken
                // for a passage tagged with a blue tag.
                let fill = if ui.visuals().dark_mode {
                    Color32::from_white_alpha(48)
                } else {
                    Color32::from_black_alpha(36)
                };
                for rect in range_rects(galley, &paragraph.chars, range) {
                    let rect = rect.translate(top_left.to_vec2());
                    painter.rect_filled(rect, theme::HIGHLIGHT_RADIUS, fill);
                    painter.line_segment(
                        [rect.left_bottom(), rect.right_bottom()],
                        Stroke::new(2.0, ui.visuals().strong_text_color()),
                    );
                }
                if paragraph.chars.contains(&range.end.saturating_sub(1))
                    || (paragraph.chars.end == range.end)
                {
                    let end = galley.pos_from_cursor(CCursor::new(
                        range.end.min(paragraph.chars.end) - paragraph.chars.start,
                    ));
                    self.selection_end_pos = Some(top_left + end.right_bottom().to_vec2());
                }
            }
            painter.galley(top_left, galley.clone(), theme::body_text(ui.visuals()));
            paint_hits(
                painter,
                galley,
                &paragraph.chars,
                top_left,
                marks.hits,
                marks.current_hit,
            );
            if let Some(range) = &marks.selected {
                for rect in range_rects(galley, &paragraph.chars, range) {
                    painter.rect_stroke(
                        rect.translate(top_left.to_vec2()).expand(1.0),
                        theme::HIGHLIGHT_RADIUS,
                        Stroke::new(1.5, ui.visuals().strong_text_color()),
                        egui::StrokeKind::Outside,
                    );
                }
            }
        }
    }

    /// The passages under the pointer in a tooltip, and the right-click menu that tags the
    /// selection.
    fn hover_and_menu(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        shown: &Shown<'_>,
        selection: Option<TextSelection>,
        actions: &mut Vec<Action>,
    ) {
        let project = shown.project;
        if !self.dragging
            && let Some(pos) = response.hover_pos()
        {
            let at = self.char_at(ui, shown, pos);
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
                if let Some(tag) = super::tag_bar::chips(ui, project, None) {
                    actions.push(Action::TagSelection(tag));
                    ui.close();
                }
            } else {
                ui.label("Select text to tag it");
            }
        });
    }

    fn spans_at(&self, text: &DocumentText, at: usize) -> Vec<PassageSpan> {
        let index = text.paragraph_of_char(at);
        self.spans_of(index)
            .iter()
            .filter(|s| s.chars().contains(&at))
            .copied()
            .collect()
    }

    fn handle_pointer(
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
            let at = self.char_at(ui, shown, press);
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
            let at = self.char_at(ui, shown, pos);
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
            let at = self.char_at(ui, shown, pos);
            let paragraph = &text.paragraphs()[text.paragraph_of_char(at)];
            *selection = Some(TextSelection {
                anchor: paragraph.chars.start,
                head: paragraph.chars.end,
            });
        } else if response.double_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            let at = self.char_at(ui, shown, pos);
            if let Some(word) = word_at(text, at) {
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
            let at = self.char_at(ui, shown, pos);
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

impl DocumentView {
    /// Where the caret stands: a thin rectangle one row high, in screen coordinates.
    fn caret_rect(&mut self, ui: &egui::Ui, shown: &Shown<'_>, caret: usize) -> Rect {
        let (project, text, origin) = (shown.project, shown.text, shown.origin);
        let index = text.paragraph_of_char(caret);
        let galley = self.galley(ui, project, text, index);
        let paragraph = &text.paragraphs()[index];
        let column =
            caret.clamp(paragraph.chars.start, paragraph.chars.end) - paragraph.chars.start;
        let rect = galley.pos_from_cursor(CCursor::new(column));
        rect.translate((origin + vec2(0.0, self.tops[index])).to_vec2())
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
        let (project, text) = (shown.project, shown.text);
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
                egui::Key::ArrowLeft if by_word => caret::step_word(text, caret, false),
                egui::Key::ArrowRight if by_word => caret::step_word(text, caret, true),
                egui::Key::ArrowLeft => caret::step_character(text, caret, false),
                egui::Key::ArrowRight => caret::step_character(text, caret, true),
                egui::Key::ArrowUp | egui::Key::ArrowDown => {
                    keeps_x = true;
                    self.caret_row_step(ui, project, text, caret, key == egui::Key::ArrowDown)
                }
                egui::Key::PageUp | egui::Key::PageDown => {
                    keeps_x = true;
                    let rows = (page_height / (self.line_height() * 1.0)).floor().max(1.0) as usize;
                    let mut at = caret;
                    for _ in 0..rows.saturating_sub(2).max(1) {
                        at = self.caret_row_step(ui, project, text, at, key == egui::Key::PageDown);
                    }
                    at
                }
                egui::Key::Home if modifiers.command => 0,
                egui::Key::End if modifiers.command => text.char_count(),
                egui::Key::Home | egui::Key::End => {
                    let index = text.paragraph_of_char(caret);
                    let galley = self.galley(ui, project, text, index);
                    let paragraph = &text.paragraphs()[index];
                    let column = CCursor::new(
                        caret.clamp(paragraph.chars.start, paragraph.chars.end)
                            - paragraph.chars.start,
                    );
                    let moved = if key == egui::Key::Home {
                        galley.cursor_begin_of_row(&column)
                    } else {
                        galley.cursor_end_of_row(&column)
                    };
                    paragraph.chars.start + moved.index.0.min(paragraph.chars.len())
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

    fn line_height(&self) -> f32 {
        self.params.map_or(24.0, |p| p.line_height())
    }

    /// The caret one visual row up or down, keeping its x; across paragraph ends.
    fn caret_row_step(
        &mut self,
        ui: &egui::Ui,
        project: &Project,
        text: &DocumentText,
        caret: usize,
        down: bool,
    ) -> usize {
        let index = text.paragraph_of_char(caret);
        let galley = self.galley(ui, project, text, index);
        let paragraph = text.paragraphs()[index].clone();
        let column = CCursor::new(
            caret.clamp(paragraph.chars.start, paragraph.chars.end) - paragraph.chars.start,
        );
        let x = self
            .caret_x
            .unwrap_or_else(|| galley.pos_from_cursor(column).center().x);
        self.caret_x = Some(x);
        let row = galley.layout_from_cursor(column).row;
        let last_row = galley.rows.len().saturating_sub(1);
        let neighbour = if down {
            (row >= last_row).then_some(index + 1)
        } else {
            (row == 0).then(|| index.wrapping_sub(1))
        };
        match neighbour {
            None => {
                let (moved, _) = if down {
                    galley.cursor_down_one_row(&column, Some(x))
                } else {
                    galley.cursor_up_one_row(&column, Some(x))
                };
                paragraph.chars.start + moved.index.0.min(paragraph.chars.len())
            }
            Some(next) if next < text.paragraphs().len() => {
                let galley = self.galley(ui, project, text, next);
                let target = &text.paragraphs()[next];
                let row = if down {
                    galley.rows.first()
                } else {
                    galley.rows.last()
                };
                let y = row.map_or(0.0, |r| (r.min_y() + r.max_y()) / 2.0);
                let column = galley.cursor_from_pos(vec2(x, y)).index.0;
                target.chars.start + column.min(target.chars.len())
            }
            Some(_) => caret,
        }
    }
}

/// Index of the paragraph holding `at`, as `DocumentText::paragraph_of_char`, looking from
/// `hint` onwards first: consecutive passages mostly start in the same or the next paragraph.
fn paragraph_from(paragraphs: &[Paragraph], hint: usize, at: usize) -> usize {
    let last = paragraphs.len().saturating_sub(1);
    let hint = hint.min(last);
    if hint > 0 && paragraphs[hint - 1].chars.end >= at {
        return paragraphs[..hint].partition_point(|p| p.chars.end < at);
    }
    let mut index = hint;
    for _ in 0..16 {
        if index >= last || paragraphs[index].chars.end >= at {
            return index.min(last);
        }
        index += 1;
    }
    (index + paragraphs[index..].partition_point(|p| p.chars.end < at)).min(last)
}

/// The word (by Unicode word boundaries) around a character offset.
fn word_at(text: &DocumentText, at: usize) -> Option<Range<usize>> {
    let paragraph = &text.paragraphs()[text.paragraph_of_char(at)];
    let line = &text.as_str()[paragraph.bytes.clone()];
    let target = text.byte_of_char(at) - paragraph.bytes.start;
    let (start, word) = line
        .split_word_bound_indices()
        .find(|(start, word)| *start <= target && target < start + word.len())?;
    if word.trim().is_empty() {
        return None;
    }
    let start = text.char_of_byte(paragraph.bytes.start + start);
    Some(start..start + word.chars().count())
}

/// Rectangles (galley coordinates) covering the part of `range` inside a paragraph.
fn range_rects(galley: &Galley, paragraph: &Range<usize>, range: &Range<usize>) -> Vec<Rect> {
    let start = range.start.max(paragraph.start);
    let end = range.end.min(paragraph.end);
    let mut rects = Vec::new();
    if start > end
        || (start == end && !(range.start <= paragraph.start && paragraph.end < range.end))
    {
        return rects;
    }
    if paragraph.is_empty() {
        // An empty line inside the selection: a sliver keeps the selection visibly continuous.
        if let Some(row) = galley.rows.first() {
            rects.push(Rect::from_min_max(
                pos2(0.0, row.min_y()),
                pos2(6.0, row.max_y()),
            ));
        }
        return rects;
    }
    let (start, end) = (start - paragraph.start, end - paragraph.start);
    let mut row_start = 0;
    for row in &galley.rows {
        let row_len = row.row.char_count_excluding_newline().0;
        let row_end = row_start + row_len;
        if start < row_end.max(row_start + 1) && row_start < end {
            let from = start.max(row_start) - row_start;
            let to = end.min(row_end) - row_start;
            let x0 = row.pos.x + row.row.x_offset(from.into());
            let x1 = row.pos.x + row.row.x_offset(to.into());
            rects.push(Rect::from_min_max(
                pos2(x0, row.min_y()),
                pos2(x1, row.max_y()),
            ));
        }
        row_start += row.char_count_including_newline().0;
    }
    rects
}

/// Find hits outlined in amber (the current one filled too), over the passage colours so a
/// hit inside a highlight is still seen.
fn paint_hits(
    painter: &egui::Painter,
    galley: &Galley,
    paragraph: &Range<usize>,
    top_left: Pos2,
    hits: &[Range<usize>],
    current: Option<&Range<usize>>,
) {
    let first = hits.partition_point(|h| h.end <= paragraph.start);
    for hit in hits[first..].iter().take_while(|h| h.start < paragraph.end) {
        let is_current = current == Some(hit);
        for rect in range_rects(galley, paragraph, hit) {
            let rect = rect.translate(top_left.to_vec2());
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

fn passage_tooltip(ui: &mut egui::Ui, project: &Project, annotation: &crate::model::Annotation) {
    ui.horizontal_wrapped(|ui| {
        for tag in &annotation.tags {
            super::tag_bar::chip_label(ui, project, *tag);
        }
        ui.weak(format!("{}–{}", annotation.start, annotation.end));
    });
    if !annotation.note.is_empty() {
        ui.label(&annotation.note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index as this view keeps it, brought up to date from the workspace.
    fn index_now(view: &mut DocumentView, workspace: &Workspace, doc: DocId) -> Vec<Vec<u32>> {
        let text = workspace.text(doc).expect("the seed text").clone();
        let mut selection = None;
        let state = ViewState {
            workspace,
            selection: &mut selection,
            selected_passage: None,
            hits: &[],
            current_hit: None,
            misplaced: workspace.misplaced(),
            coders: &CoderView::All,
        };
        view.reindex(workspace.project(), doc, &text, &state);
        view.spans
            .iter()
            .map(|p| p.iter().map(|s| s.id).collect())
            .collect()
    }

    #[test]
    fn the_index_kept_edit_by_edit_equals_one_built_afresh() {
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
        let mut workspace = Workspace::open(&sample).unwrap();
        let doc = workspace.project().documents[0].id;
        let mut kept = DocumentView::default();
        index_now(&mut kept, &workspace, doc);
        let first = workspace.project().annotations_slice_of(doc)[0].clone();
        // New passages (one across paragraphs, one nested), a tag toggled, a passage moved
        // and one deleted, then undo and redo of all of it.
        let across = workspace.tag_range(doc, 40..900, 2).unwrap().unwrap();
        workspace.tag_range(doc, 45..60, 3).unwrap();
        workspace.toggle_tag(across, 4).unwrap();
        workspace.move_passage(across, 100..1200).unwrap();
        workspace
            .apply(crate::edit::Edit::RemoveAnnotation(first.id))
            .unwrap();
        let steps = 5;
        let mut check = |workspace: &Workspace, when: &str| {
            let incremental = index_now(&mut kept, workspace, doc);
            let fresh = index_now(&mut DocumentView::default(), workspace, doc);
            assert_eq!(incremental, fresh, "{when}");
        };
        check(&workspace, "after the edits");
        for step in 0..steps {
            workspace.undo();
            check(&workspace, &format!("after undo {step}"));
        }
        for step in 0..steps {
            workspace.redo();
            check(&workspace, &format!("after redo {step}"));
        }
    }

    #[test]
    fn paragraph_search_from_a_hint_agrees_with_the_text() {
        let text = DocumentText::new("ab\ncd\n\nef\r\n\r\ngh".repeat(12));
        let paragraphs = text.paragraphs();
        for at in 0..=text.char_count() + 1 {
            for hint in [0, 1, 5, 30, paragraphs.len() - 1, paragraphs.len() + 3] {
                assert_eq!(
                    paragraph_from(paragraphs, hint, at),
                    text.paragraph_of_char(at),
                    "at {at} from {hint}"
                );
            }
        }
    }

    #[test]
    fn words_are_found_by_unicode_boundaries() {
        let text = DocumentText::new("The café’s “rate” rose\r\nnext".to_owned());
        assert_eq!(text.slice(word_at(&text, 5).unwrap()), Some("café’s"));
        assert_eq!(text.slice(word_at(&text, 13).unwrap()), Some("rate"));
        assert_eq!(word_at(&text, 3), None);
        assert_eq!(text.slice(word_at(&text, 24).unwrap()), Some("next"));
    }
}
