//! Memos: the project's memo and one per document, written at full width. Each is
//! committed as one undoable edit when its field loses focus.

use std::collections::HashMap;

use super::Action;
use crate::edit::Edit;
use crate::model::{DocId, Project};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum MemoOf {
    Project,
    Document(DocId),
}

#[derive(Default)]
pub struct MemosView {
    drafts: HashMap<MemoOf, String>,
    /// The memo being typed in; the others show what the project holds (an undo may
    /// change them).
    editing: Option<MemoOf>,
}

impl MemosView {
    /// Memos still being typed, to commit before saving.
    pub fn take_pending(&mut self, project: &Project) -> Vec<Action> {
        let Some(of) = self.editing.take() else {
            return Vec::new();
        };
        let draft = self.drafts.remove(&of).unwrap_or_default();
        edit_for(project, of, draft)
            .map(|edit| Action::Apply {
                edit: Box::new(edit),
                label: "edit memo",
                coalesce: None,
            })
            .into_iter()
            .collect()
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        current: Option<DocId>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        egui::ScrollArea::vertical()
            .id_salt("memos")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(820.0);
                let heading = ui.heading("Project memo");
                ui.weak("Research questions, decisions, how the codebook is meant to be used.");
                self.memo(ui, project, MemoOf::Project, heading.id, 8, &mut actions);
                ui.add_space(12.0);
                ui.heading("Document memos");
                let documents = current
                    .and_then(|d| project.document(d))
                    .into_iter()
                    .chain(project.documents.iter().filter(|d| Some(d.id) != current));
                for document in documents {
                    ui.add_space(6.0);
                    let title = ui.label(egui::RichText::new(&document.title).strong());
                    let of = MemoOf::Document(document.id);
                    self.memo(ui, project, of, title.id, 3, &mut actions);
                }
            });
        actions
    }

    fn memo(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        of: MemoOf,
        label: egui::Id,
        rows: usize,
        actions: &mut Vec<Action>,
    ) {
        let stored = stored(project, of).unwrap_or_default();
        if self.editing != Some(of) {
            self.drafts.insert(of, stored.clone());
        }
        let draft = self.drafts.entry(of).or_default();
        let response = ui
            .add(
                egui::TextEdit::multiline(draft)
                    .id_salt(of)
                    .hint_text("Write a memo…")
                    .desired_rows(rows)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label);
        if response.has_focus() {
            self.editing = Some(of);
        }
        if response.lost_focus() {
            self.editing = None;
            if let Some(edit) = edit_for(project, of, draft.clone()) {
                actions.push(Action::Apply {
                    edit: Box::new(edit),
                    label: "edit memo",
                    coalesce: None,
                });
            }
        }
    }
}

fn stored(project: &Project, of: MemoOf) -> Option<String> {
    match of {
        MemoOf::Project => Some(project.memo.clone()),
        MemoOf::Document(id) => project.document(id).map(|d| d.memo.clone()),
    }
}

fn edit_for(project: &Project, of: MemoOf, memo: String) -> Option<Edit> {
    if stored(project, of)? == memo {
        return None;
    }
    Some(match of {
        MemoOf::Project => Edit::SetProjectMemo(memo),
        MemoOf::Document(id) => {
            let mut document = project.document(id)?.clone();
            document.memo = memo;
            Edit::UpdateDocument(document)
        }
    })
}
