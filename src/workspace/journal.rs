//! What each edit did to passages, remembered for views that update their indexes and
//! counts instead of looking at every passage again.

use super::*;

/// How many passage changes the workspace remembers for views that update incrementally.
pub(super) const JOURNAL_LENGTH: usize = 4096;

/// A passage as views index it: where it is and what it carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassageSummary {
    pub id: AnnotationId,
    pub doc: DocId,
    pub start: usize,
    pub end: usize,
    pub tags: Vec<TagId>,
    pub coder: String,
}

impl PassageSummary {
    pub fn of(annotation: &Annotation) -> Self {
        Self {
            id: annotation.id,
            doc: annotation.doc,
            start: annotation.start,
            end: annotation.end,
            tags: annotation.tags.clone(),
            coder: annotation.coder.clone(),
        }
    }
}

/// One passage added or removed by an edit (a change of tags or span is both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PassageChange {
    Added(PassageSummary),
    Removed(PassageSummary),
}

/// What the journal needs from an edit's inverse: what a passage was before.
pub(super) enum JournalView {
    Removed(PassageSummary),
    Tags(Vec<TagId>),
    Span(usize, usize),
    Batch(Vec<JournalView>),
    Other,
}

pub(super) fn journal_view_of(inverse: &Edit) -> JournalView {
    match inverse {
        Edit::AddAnnotation(a) | Edit::RestoreAnnotation(a) => {
            JournalView::Removed(PassageSummary::of(a))
        }
        Edit::SetAnnotationTags { tags, .. } | Edit::RestoreAnnotationTags { tags, .. } => {
            JournalView::Tags(tags.clone())
        }
        Edit::MoveAnnotation { start, end, .. } => JournalView::Span(*start, *end),
        Edit::Batch(edits) => JournalView::Batch(edits.iter().map(journal_view_of).collect()),
        _ => JournalView::Other,
    }
}

impl Workspace {
    /// A new revision; `changes` says what it did to passages, `None` that views must look
    /// at everything again.
    pub(super) fn bump_revision(&mut self, changes: Option<Vec<PassageChange>>) {
        self.revision = fresh_revision();
        match changes {
            Some(changes) => {
                for change in changes {
                    self.journal.push_back((self.revision, change));
                }
                while self.journal.len() > JOURNAL_LENGTH {
                    if let Some((dropped, _)) = self.journal.pop_front() {
                        self.journal_from = self.journal_from.max(dropped);
                    }
                }
            }
            None => {
                self.journal.clear();
                self.journal_from = self.revision;
            }
        }
    }

    /// What happened to passages since `revision` (as a view last saw the project), or
    /// `None` when that is not known (too long ago, another project, or a change that
    /// touches everything): then the view looks at every passage again.
    pub fn passage_changes_since(&self, revision: u64) -> Option<Vec<&PassageChange>> {
        if revision == self.revision {
            return Some(Vec::new());
        }
        if revision < self.journal_from || revision > self.revision {
            return None;
        }
        let first = self.journal.partition_point(|(r, _)| *r <= revision);
        Some(self.journal.range(first..).map(|(_, c)| c).collect())
    }

    /// The passages an applied edit added and removed, from the edit and its inverse (the
    /// inverse holds what was there before).
    pub(super) fn passage_changes(
        &self,
        applied: &Edit,
        inverse: &JournalView,
    ) -> Option<Vec<PassageChange>> {
        let mut changes = Vec::new();
        self.collect_changes(applied, inverse, &mut changes)?;
        Some(changes)
    }

    pub(super) fn collect_changes(
        &self,
        applied: &Edit,
        inverse: &JournalView,
        changes: &mut Vec<PassageChange>,
    ) -> Option<()> {
        let now = |id: AnnotationId| self.annotation(id).map(PassageSummary::of);
        match (applied, inverse) {
            (Edit::AddAnnotation(a) | Edit::RestoreAnnotation(a), _) => {
                changes.push(PassageChange::Added(PassageSummary::of(a)));
            }
            (Edit::RemoveAnnotation(_), JournalView::Removed(before)) => {
                changes.push(PassageChange::Removed(before.clone()));
            }
            (
                Edit::SetAnnotationTags { id, .. } | Edit::RestoreAnnotationTags { id, .. },
                JournalView::Tags(old),
            ) => {
                let after = now(*id)?;
                let mut before = after.clone();
                before.tags = old.clone();
                changes.push(PassageChange::Removed(before));
                changes.push(PassageChange::Added(after));
            }
            (Edit::MoveAnnotation { id, .. }, JournalView::Span(start, end)) => {
                let after = now(*id)?;
                let mut before = after.clone();
                (before.start, before.end) = (*start, *end);
                changes.push(PassageChange::Removed(before));
                changes.push(PassageChange::Added(after));
            }
            (Edit::Batch(edits), JournalView::Batch(inverses)) => {
                // A batch's inverse undoes its parts in reverse order.
                for (edit, inverse) in edits.iter().zip(inverses.iter().rev()) {
                    self.collect_changes(edit, inverse, changes)?;
                }
            }
            // No passage's span, tags or place changes.
            (
                Edit::SetAnnotationNote { .. }
                | Edit::InsertTag { .. }
                | Edit::SetProjectMemo(_)
                | Edit::RenameProject(_)
                | Edit::UpdateDocument(_)
                | Edit::InsertDocument { .. },
                _,
            ) => {}
            // A tag's colour or a removal touching many passages: views look again.
            _ => return None,
        }
        Some(())
    }
}
