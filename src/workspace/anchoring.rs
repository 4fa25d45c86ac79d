//! Whether each passage still sits on its quote, and re-anchoring those that do not.

use super::*;

/// What re-anchoring found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reanchoring {
    /// Passages put on the span where their text now is.
    pub moved: usize,
    /// Passages that could not be placed and wait for a person.
    pub orphaned: usize,
    /// Documents whose recorded fingerprint was updated to their current text.
    pub documents_updated: usize,
    /// Transcript turns that could not be found again in their changed text (see
    /// [`crate::model::realign_turns`]): their speaker and times are no longer recorded.
    pub turns_lost: usize,
}

impl Workspace {
    /// Passages whose document text is readable but whose span no longer holds their quote
    /// (orphans, or passages waiting to be re-anchored).
    pub fn misplaced(&self) -> &HashSet<AnnotationId> {
        &self.misplaced
    }

    pub(super) fn recheck_all_spans(&mut self) {
        let sources = &self.sources;
        self.misplaced = self
            .project
            .annotations
            .iter()
            .filter(|a| {
                sources
                    .get(&a.doc)
                    .and_then(SourceState::text)
                    .is_some_and(|text| !anchor::is_anchored(a, text))
            })
            .map(|a| a.id)
            .collect();
    }

    /// Check again the spans of the passages an edit added, moved or removed.
    pub(super) fn recheck_spans_of(&mut self, edit: &Edit) {
        match edit {
            Edit::AddAnnotation(a) | Edit::RestoreAnnotation(a) => {
                // Its span is known: the look-up is a binary search, not a walk.
                self.passage_keys
                    .borrow_mut()
                    .insert(a.id, (a.doc, a.start, a.end));
                self.recheck_span(a.id)
            }
            Edit::RemoveAnnotation(id) | Edit::MoveAnnotation { id, .. } => self.recheck_span(*id),
            Edit::Batch(edits) => edits.iter().for_each(|e| self.recheck_spans_of(e)),
            _ => {}
        }
    }

    pub(super) fn recheck_span(&mut self, id: AnnotationId) {
        let misplaced = self.annotation(id).is_some_and(|a| {
            self.text(a.doc)
                .is_some_and(|text| !anchor::is_anchored(a, text))
        });
        if misplaced {
            self.misplaced.insert(id);
        } else {
            self.misplaced.remove(&id);
        }
    }

    /// Whether a passage's span still holds its quote (false when the text is unavailable).
    pub fn is_anchored(&self, annotation: &Annotation) -> bool {
        self.text(annotation.doc)
            .is_some_and(|text| anchor::is_anchored(annotation, text))
    }

    /// Where every passage lies in its document's current text, in project order.
    pub fn placements(&self) -> Vec<(AnnotationId, Placement)> {
        let mut placements = Vec::with_capacity(self.project.annotations.len());
        let mut by_document: HashMap<DocId, Vec<&Annotation>> = HashMap::new();
        for annotation in &self.project.annotations {
            by_document
                .entry(annotation.doc)
                .or_default()
                .push(annotation);
        }
        let mut found: HashMap<AnnotationId, Placement> = HashMap::new();
        for (doc, passages) in by_document {
            match self.text(doc) {
                Some(text) => {
                    let placed = anchor::place_passages(&passages, text);
                    found.extend(passages.iter().map(|a| a.id).zip(placed));
                }
                None => found.extend(
                    passages
                        .iter()
                        .map(|a| (a.id, Placement::Orphaned(OrphanReason::NoText))),
                ),
            }
        }
        for annotation in &self.project.annotations {
            placements.push((annotation.id, found[&annotation.id]));
        }
        placements
    }

    /// The one edit that re-anchors the project: passages found elsewhere move there (with
    /// the quote and context found there), passages of a changed document take their
    /// context from its current text, and each changed document records the fingerprint
    /// of its current text. Orphans are left exactly as they are. `None` when nothing needs
    /// changing.
    pub fn reanchoring_edit(&self) -> (Option<Edit>, Reanchoring) {
        let mut summary = Reanchoring::default();
        let mut edits = Vec::new();
        for document in &self.project.documents {
            if let Some(SourceState::Changed(text)) = self.source(document.id) {
                let mut updated = document.clone();
                updated.sha256 = anchor::sha256_hex(text.as_str().as_bytes());
                updated.chars = text.char_count();
                if !document.turns.is_empty() {
                    // The turns' spans were of the old text; they are found again in the new.
                    let realigned =
                        crate::model::realign_turns(&document.turns, text.as_str(), |label| {
                            self.project.case_named(label).map(|c| c.id)
                        });
                    updated.turns = realigned.turns;
                    summary.turns_lost += realigned.lost;
                }
                edits.push(Edit::UpdateDocument(updated));
                summary.documents_updated += 1;
            }
        }
        for (id, placement) in self.placements() {
            let annotation = self.project.annotation(id).expect("placed passages exist");
            let changed_document =
                matches!(self.source(annotation.doc), Some(SourceState::Changed(_)));
            let range = match placement {
                Placement::Anchored if changed_document => annotation.range(),
                Placement::Anchored => continue,
                Placement::Reanchored { start, end } => {
                    summary.moved += 1;
                    start..end
                }
                Placement::Orphaned(_) => {
                    summary.orphaned += 1;
                    continue;
                }
            };
            let Some(found) = self
                .text(annotation.doc)
                .and_then(|text| anchor::anchor_at(text, range))
            else {
                continue;
            };
            if (found.start, found.end) == (annotation.start, annotation.end)
                && found.quote == annotation.quote
                && found.prefix == annotation.prefix
                && found.suffix == annotation.suffix
            {
                continue;
            }
            edits.push(Edit::MoveAnnotation {
                id,
                start: found.start,
                end: found.end,
                quote: found.quote,
                prefix: found.prefix,
                suffix: found.suffix,
            });
        }
        let edit = (!edits.is_empty()).then_some(Edit::Batch(edits));
        (edit, summary)
    }

    /// Re-anchor the project as one undoable step (see [`Self::reanchoring_edit`]).
    pub fn reanchor(&mut self) -> Result<Reanchoring, EditError> {
        let (edit, summary) = self.reanchoring_edit();
        if let Some(edit) = edit {
            self.apply(edit)?;
        }
        Ok(summary)
    }

    /// Put a passage on new text of its document, with the quote and context there.
    pub fn move_passage(
        &mut self,
        id: AnnotationId,
        range: std::ops::Range<usize>,
    ) -> Result<(), EditError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::NoAnnotation(id))?;
        let found = self
            .text(annotation.doc)
            .filter(|_| range.start < range.end)
            .and_then(|text| anchor::anchor_at(text, range.clone()))
            .ok_or(EditError::BadSpan {
                start: range.start,
                end: range.end,
            })?;
        self.apply(Edit::MoveAnnotation {
            id,
            start: found.start,
            end: found.end,
            quote: found.quote,
            prefix: found.prefix,
            suffix: found.suffix,
        })
    }
}
