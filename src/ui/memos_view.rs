//! Memos: the project's name and memo, and one memo per document, written at full width.
//! What is typed is an edit at once (one undo step per visit to a field).

use super::Action;
use super::project_text_field::{self, FieldLook};
use crate::edit::Edit;
use crate::model::{DocId, Project};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum MemoOf {
    Project,
    Document(DocId),
}

#[derive(Default)]
pub struct MemosView;

impl MemosView {
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
                project_name(ui, project, &mut actions);
                ui.add_space(12.0);
                let heading = ui.heading("Project memo");
                ui.weak("Research questions, decisions, how the codebook is meant to be used.");
                memo(ui, project, MemoOf::Project, heading.id, 8, &mut actions);
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
                    memo(ui, project, of, title.id, 3, &mut actions);
                }
            });
        actions
    }
}

/// The project's name, shown in the window title; stored trimmed and never empty.
fn project_name(ui: &mut egui::Ui, project: &Project, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        let label = ui.label(egui::RichText::new("Project name").strong());
        let field = project_text_field::show(
            ui,
            egui::Id::unique("project-name"),
            &project.name,
            FieldLook::single_line(320.0),
        );
        field.response.labelled_by(label.id);
        if let Some((name, coalesce)) = field.typed {
            let name = name.trim();
            if !name.is_empty() && name != project.name {
                actions.push(Action::Apply {
                    edit: Box::new(Edit::RenameProject(name.to_owned())),
                    label: "rename project",
                    coalesce: Some(coalesce),
                });
            }
        }
    });
}

fn memo(
    ui: &mut egui::Ui,
    project: &Project,
    of: MemoOf,
    label: egui::Id,
    rows: usize,
    actions: &mut Vec<Action>,
) {
    let stored = stored(project, of).unwrap_or_default();
    let field = project_text_field::show(
        ui,
        egui::Id::unique(("memo", of)),
        stored,
        FieldLook::multiline(rows, "Write a memo…"),
    );
    field.response.labelled_by(label);
    if let Some((memo, coalesce)) = field.typed
        && let Some(edit) = edit_for(project, of, memo)
    {
        actions.push(Action::Apply {
            edit: Box::new(edit),
            label: "edit memo",
            coalesce: Some(coalesce),
        });
    }
}

fn stored(project: &Project, of: MemoOf) -> Option<&str> {
    match of {
        MemoOf::Project => Some(&project.memo),
        MemoOf::Document(id) => project.document(id).map(|d| d.memo.as_str()),
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
