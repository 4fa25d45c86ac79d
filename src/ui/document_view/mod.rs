//! The reading view: a custom widget that lays out each paragraph with the text engine
//! (`crate::text_layout`: bidirectional text, shaping of every script), paints only the
//! paragraphs in view, and turns pointer presses, drags and keys into character selections.
//!
//! Its files name their jobs: `layout` (the column and the paragraphs' layouts),
//! `glyph_atlas` (glyphs rasterised into a texture of ours), `paint`, `hit_testing` (the one
//! geometry for points, carets and ranges), `pointer`, `keyboard`, `stripes` (the coding
//! stripes' bars) and `passage_index` (which passages each paragraph shows).

mod glyph_atlas;
mod hit_testing;
mod keyboard;
mod layout;
mod paint;
mod passage_index;
mod pointer;
mod speakers;
mod stripes;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use egui::{Pos2, Rect, Sense, vec2};

use self::glyph_atlas::GlyphAtlas;
use self::layout::{LaidOutParagraph, LayoutParams};
use self::passage_index::PassageSpan;
use super::TextSelection;
use super::coders_bar::CoderView;
use super::coding_stripes;
use super::document_access::{self, ShownParagraph, ShownPassage};
use super::reading_style::ReadingStyle;
use super::theme;
use crate::model::{AnnotationId, DocId, DocumentText, Project, TextDirection};
use crate::text_layout::TextEngine;
use crate::workspace::Workspace;

pub use super::Action;

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
    /// The text engine, made when the first paragraph is laid out (it reads the system's
    /// fonts).
    engine: Option<TextEngine>,
    atlas: GlyphAtlas,
    laid_out: HashMap<usize, Arc<LaidOutParagraph>>,
    /// Which way the document's paragraphs run: from their text, or as the document says.
    pub direction: TextDirection,
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
            let visible = self.lay_out_visible(shown, viewport);
            let bars = self.stripe_bars(shown, &visible);
            let margin = coding_stripes::Margin {
                right: origin.x - theme::STRIPE_GAP_TO_TEXT,
                width: theme::STRIPE_GUTTER,
                groups: if coders.is_compare() { 2 } else { 1 },
            };
            self.paint_speakers(
                ui,
                &ui.painter_at(ui.clip_rect()),
                shown,
                &visible,
                margin.right,
            );
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
            self.hover_and_menu(&response, shown, *selection, &mut actions);
            self.expose_to_screen_readers(ui, &response, shown, &visible, *selection);
        });
        actions
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

    /// The paragraphs and passages in view, for screen readers.
    fn expose_to_screen_readers(
        &self,
        ui: &mut egui::Ui,
        response: &egui::Response,
        shown: &Shown<'_>,
        visible: &[(usize, Arc<LaidOutParagraph>)],
        selection: Option<TextSelection>,
    ) {
        let title = shown
            .project
            .document(shown.doc)
            .map_or("", |d| d.title.as_str());
        if !document_access::is_listening(response) {
            // The document's role and name still go to egui (cheap); the nodes of its
            // paragraphs and passages are worked out only for a listener.
            document_access::expose(ui, response, title, &[], selection, &[]);
            return;
        }
        let text = shown.text;
        let paragraphs: Vec<ShownParagraph<'_>> = visible
            .iter()
            .map(|(index, laid_out)| {
                let paragraph = &text.paragraphs()[*index];
                let (width, height) = laid_out.layout.size();
                let top_left = self.top_left(shown, *index);
                ShownParagraph {
                    index: *index,
                    chars: paragraph.chars.clone(),
                    text: &text.as_str()[paragraph.bytes.clone()],
                    layout: &laid_out.layout,
                    rect: Rect::from_min_size(top_left, vec2(width, height)),
                }
            })
            .collect();
        let mut passages: Vec<ShownPassage> = Vec::new();
        for ((_, laid_out), paragraph) in visible.iter().zip(&paragraphs) {
            for span in self.spans_of(paragraph.index) {
                if passages.iter().any(|p| p.key == span.id) {
                    continue;
                }
                let Some(first) =
                    hit_testing::range_rects(&laid_out.layout, &paragraph.chars, &span.chars())
                        .into_iter()
                        .next()
                else {
                    continue;
                };
                if let Some(passage) = span.find_in(shown.project, shown.doc) {
                    passages.push(ShownPassage {
                        key: span.id,
                        name: super::passages_panel::passage_name(shown.project, passage),
                        rect: first.translate(paragraph.rect.min.to_vec2()),
                    });
                }
            }
        }
        document_access::expose(ui, response, title, &paragraphs, selection, &passages);
    }
}

#[cfg(test)]
mod tests {
    use super::passage_index::paragraph_from;
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
}
