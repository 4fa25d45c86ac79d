//! Undo and redo: every edit applied as a step, its inverse kept, and steps made in a row
//! with one key (a colour dragged, a name typed) coalesced into one.

use super::*;

pub(super) struct HistoryEntry {
    pub(super) edit: Edit,
    /// What the person did, in the Edit menu's words ("add passage"), whichever way the
    /// entry is stepped.
    label: &'static str,
    /// Edits made with the same key in a row (dragging a colour, typing a name) are one step.
    coalesce: Option<u64>,
    /// The state the project returns to when `edit` is applied.
    state: u64,
}

impl Workspace {
    /// Apply an edit as one undoable step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let label = edit.label();
        self.apply_labelled(edit, label)
    }

    /// Apply an edit as one undoable step named `label` in the Edit menu ("tag all hits").
    pub fn apply_labelled(&mut self, edit: Edit, label: &'static str) -> Result<(), EditError> {
        self.apply_coalescing(edit, label, None)
    }

    /// Apply an edit; when the previous step was made with the same `coalesce` key and
    /// nothing was undone or saved since, both become one step (one undo restores the state
    /// before the first), as a colour dragged through many values is one change.
    pub fn apply_coalescing(
        &mut self,
        edit: Edit,
        label: &'static str,
        coalesce: Option<u64>,
    ) -> Result<(), EditError> {
        let inverse = edit.apply(Arc::make_mut(&mut self.project))?;
        self.after_document_edit(&edit);
        // What the views need to know, read before the inverse joins the history.
        let inverse_for_journal = journal_view_of(&inverse);
        let joins_previous = coalesce.is_some()
            && self.redo_stack.is_empty()
            && self.saved_state != Some(self.state)
            && self
                .undo_stack
                .last()
                .is_some_and(|e| e.coalesce == coalesce);
        if joins_previous
            && self
                .undo_stack
                .last()
                .is_some_and(|e| inverse.restores_same_value_as(&e.edit))
        {
            // The step already restores the value from before this visit.
        } else if joins_previous {
            let previous = self.undo_stack.last_mut().expect("checked above");
            let earlier = std::mem::replace(&mut previous.edit, Edit::Batch(Vec::new()));
            let mut steps = vec![inverse];
            match earlier {
                Edit::Batch(earlier) => steps.extend(earlier),
                earlier => steps.push(earlier),
            }
            previous.edit = Edit::Batch(steps);
        } else {
            self.undo_stack.push(HistoryEntry {
                edit: inverse,
                label,
                coalesce,
                state: self.state,
            });
        }
        self.redo_stack.clear();
        self.state = self.next_state;
        self.next_state += 1;
        let changes = self.passage_changes(&edit, &inverse_for_journal);
        self.bump_revision(changes);
        Ok(())
    }

    pub fn can_undo(&self) -> bool {
        !self.undo_stack.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo_stack.is_empty()
    }

    /// Labels of the next undo and redo steps, for the Edit menu.
    pub fn undo_label(&self) -> Option<&'static str> {
        self.undo_stack.last().map(|e| e.label)
    }

    pub fn redo_label(&self) -> Option<&'static str> {
        self.redo_stack.last().map(|e| e.label)
    }

    pub fn undo(&mut self) -> bool {
        Self::step(
            Arc::make_mut(&mut self.project),
            &mut self.undo_stack,
            &mut self.redo_stack,
            &mut self.state,
        )
        .is_some_and(|edit| {
            self.after_document_edit(&edit);
            let changes = self
                .redo_stack
                .last()
                .map(|inverse| journal_view_of(&inverse.edit))
                .and_then(|inverse| self.passage_changes(&edit, &inverse));
            self.bump_revision(changes);
            true
        })
    }

    pub fn redo(&mut self) -> bool {
        Self::step(
            Arc::make_mut(&mut self.project),
            &mut self.redo_stack,
            &mut self.undo_stack,
            &mut self.state,
        )
        .is_some_and(|edit| {
            self.after_document_edit(&edit);
            let changes = self
                .undo_stack
                .last()
                .map(|inverse| journal_view_of(&inverse.edit))
                .and_then(|inverse| self.passage_changes(&edit, &inverse));
            self.bump_revision(changes);
            true
        })
    }

    pub(super) fn step(
        project: &mut Project,
        from: &mut Vec<HistoryEntry>,
        to: &mut Vec<HistoryEntry>,
        state: &mut u64,
    ) -> Option<Edit> {
        let entry = from.pop()?;
        let inverse = entry
            .edit
            .apply(project)
            .expect("history entries are inverses of applied edits and always apply");
        to.push(HistoryEntry {
            edit: inverse,
            label: entry.label,
            coalesce: None,
            state: *state,
        });
        *state = entry.state;
        Some(entry.edit)
    }
}
