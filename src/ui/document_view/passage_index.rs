//! The passages of the shown document by paragraph, kept up to date edit by edit: which
//! passages each paragraph shows, with their colours and stripe groups.

use std::ops::Range;

use super::{DocumentView, ViewState};
use crate::model::{Annotation, AnnotationId, DocId, DocumentText, Paragraph, Project};
use crate::ui::theme::{self, TagColors};
use crate::workspace::{PassageChange, PassageSummary};

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct PassageSpan {
    pub(super) id: AnnotationId,
    pub(super) start: usize,
    /// Where it is drawn to: the stored end, or the text's end for a passage past it.
    pub(super) end: usize,
    pub(super) stored_end: usize,
    pub(super) color: egui::Color32,
    /// The stripe group: 0, or 1 for the second coder in compare mode.
    pub(super) group: usize,
}

impl PassageSpan {
    pub(super) fn chars(&self) -> Range<usize> {
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
    pub(super) fn order(&self) -> (usize, usize, AnnotationId) {
        (self.start, self.stored_end, self.id)
    }

    /// Its passage, by binary search on the project's sorted list.
    pub(super) fn find_in<'p>(&self, project: &'p Project, doc: DocId) -> Option<&'p Annotation> {
        project.annotation_at_key(self.id, doc, self.start, self.stored_end)
    }
}

impl DocumentView {
    /// The passages of the document by paragraph, for this revision of the project: taken
    /// from the edits since the last revision seen (a new passage touches the paragraphs it
    /// covers, not the whole document), or built afresh in one pass over the passages.
    pub(super) fn reindex(
        &mut self,
        project: &Project,
        doc: DocId,
        text: &DocumentText,
        state: &ViewState,
    ) {
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
            self.laid_out.clear();
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
    pub(super) fn spans_of(&self, index: usize) -> &[PassageSpan] {
        self.spans.get(index).map_or(&[], Vec::as_slice)
    }

    /// The passages covering a character.
    pub(super) fn spans_at(&self, text: &DocumentText, at: usize) -> Vec<PassageSpan> {
        let index = text.paragraph_of_char(at);
        self.spans_of(index)
            .iter()
            .filter(|s| s.chars().contains(&at))
            .copied()
            .collect()
    }
}

/// Index of the paragraph holding `at`, as `DocumentText::paragraph_of_char`, looking from
/// `hint` onwards first: consecutive passages mostly start in the same or the next paragraph.
pub(super) fn paragraph_from(paragraphs: &[Paragraph], hint: usize, at: usize) -> usize {
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
