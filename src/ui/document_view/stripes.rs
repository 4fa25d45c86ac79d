//! The coding stripes beside the text: which passages' bars the margin shows this frame and
//! where each runs, from the paragraphs' layouts.

use std::collections::HashMap;
use std::sync::Arc;

use super::layout::LaidOutParagraph;
use super::passage_index::PassageSpan;
use super::{DocumentView, Shown};
use crate::model::AnnotationId;
use crate::ui::coding_stripes::Bar;

impl DocumentView {
    /// The coding stripes of the passages in view, in the project's order, with the
    /// passages before them that still take a column: from the nearest paragraph above the
    /// view that no passage runs into, so a bar keeps its column while the view scrolls.
    pub(super) fn stripe_bars(
        &self,
        shown: &Shown<'_>,
        visible: &[(usize, Arc<LaidOutParagraph>)],
    ) -> Vec<Bar> {
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

        // Where each passage runs on screen, from the extents measured with each layout.
        let mut extents: HashMap<AnnotationId, (f32, f32)> = HashMap::new();
        for (index, laid_out) in visible {
            let top = self.top_left(shown, *index).y;
            for (id, from, to) in &laid_out.decoration.extents {
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
}
