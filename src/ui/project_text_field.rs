//! A text field bound to a value of the project (a note, a memo, a tag's name): what is
//! typed becomes an edit at once, so the unsaved marker, autosave, recovery and the
//! quit prompt all see it. The keystrokes of one visit to the field (from gaining focus
//! to losing it) coalesce into one undo step.
//!
//! While the field has focus it shows what was typed (its draft), which can differ from
//! the stored value when the panel normalises it (a tag name is stored trimmed, and never
//! empty); the moment it loses focus it shows the stored value again, so an undo made
//! elsewhere is never hidden behind a stale draft.

use egui::{Id, Response, TextEdit, Ui};

/// What one visit to the field remembers between frames.
#[derive(Clone)]
struct Visit {
    draft: String,
    coalesce: u64,
}

/// What the field did this frame.
pub struct FieldOutput {
    pub response: Response,
    /// The field's text after a keystroke changed it, and the undo-coalescing key of this
    /// visit; `None` when nothing was typed this frame.
    pub typed: Option<(String, u64)>,
}

/// How the field looks.
#[derive(Clone, Copy)]
pub struct FieldLook<'a> {
    /// `None` for a single line, else the rows shown.
    pub rows: Option<usize>,
    pub hint: &'a str,
    pub width: f32,
}

impl<'a> FieldLook<'a> {
    pub fn single_line(width: f32) -> Self {
        Self {
            rows: None,
            hint: "",
            width,
        }
    }

    pub fn multiline(rows: usize, hint: &'a str) -> Self {
        Self {
            rows: Some(rows),
            hint,
            width: f32::INFINITY,
        }
    }
}

/// Show a field over the stored value (or the visit's draft while the field has focus).
/// `id` must be stable for the value edited, e.g. `Id::unique(("note", passage_id))`.
pub fn show(ui: &mut Ui, id: Id, stored: &str, look: FieldLook<'_>) -> FieldOutput {
    let visit_id = id.with("visit");
    let visit: Option<Visit> = ui.data(|d| d.get_temp(visit_id));
    let mut text = visit
        .as_ref()
        .map_or_else(|| stored.to_owned(), |v| v.draft.clone());
    let field = match look.rows {
        None => TextEdit::singleline(&mut text),
        Some(rows) => TextEdit::multiline(&mut text).desired_rows(rows),
    };
    let response = ui.add(field.id(id).hint_text(look.hint).desired_width(look.width));
    let changed = response.changed();
    let focused = response.has_focus();
    let visit = match (visit, focused || changed) {
        (Some(mut visit), true) => {
            visit.draft = text.clone();
            Some(visit)
        }
        (None, true) => Some(Visit {
            draft: text.clone(),
            coalesce: next_visit_key(ui, id),
        }),
        (_, false) => None,
    };
    let typed = changed.then(|| {
        let key = visit.as_ref().map_or(0, |v| v.coalesce);
        (text.clone(), key)
    });
    ui.data_mut(|d| match visit.filter(|_| focused) {
        Some(visit) => {
            d.insert_temp(visit_id, visit);
        }
        None => d.remove::<Visit>(visit_id),
    });
    FieldOutput { response, typed }
}

/// A key no earlier visit of any field used: counted in the context's memory, mixed with
/// the field's id so it never meets the small keys other coalescing edits use (tag ids).
fn next_visit_key(ui: &Ui, id: Id) -> u64 {
    let counter_id = Id::unique("project_text_field::visits");
    let count = ui.data_mut(|d| {
        let count = d.get_temp_mut_or_default::<u64>(counter_id);
        *count += 1;
        *count
    });
    id.with(count).value() | (1 << 63)
}
