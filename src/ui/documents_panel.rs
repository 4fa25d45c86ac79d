//! Left panel: the project's documents, with their passage counts and any problem.

use egui::RichText;

use super::Action;
use crate::model::DocId;
use crate::workspace::Workspace;

pub fn ui(ui: &mut egui::Ui, workspace: &Workspace, current: Option<DocId>) -> Vec<Action> {
    let mut actions = Vec::new();
    let project = workspace.project();
    ui.heading("Documents");
    ui.add_space(4.0);
    if project.documents.is_empty() {
        ui.weak("No documents yet.");
        if ui.button("Add documents…").clicked() {
            actions.push(Action::AddDocumentsDialog);
        }
        return actions;
    }
    let mut counts = std::collections::HashMap::new();
    for annotation in &project.annotations {
        *counts.entry(annotation.doc).or_insert(0usize) += 1;
    }
    egui::ScrollArea::vertical()
        .id_salt("documents")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for document in &project.documents {
                let count = counts.get(&document.id).copied().unwrap_or(0);
                let problem = workspace.source(document.id).and_then(|s| s.problem());
                let mut title = RichText::new(&document.title);
                if current == Some(document.id) {
                    title = title.strong();
                }
                let response = ui
                    .horizontal(|ui| {
                        let selected = ui
                            .add(
                                egui::Button::selectable(current == Some(document.id), title)
                                    .truncate()
                                    .min_size(egui::vec2(ui.available_width() - 44.0, 0.0)),
                            )
                            .on_hover_text(format!(
                                "{}\n{}\n{count} passages",
                                document.title, document.path
                            ));
                        if problem.is_some() {
                            ui.colored_label(ui.visuals().warn_fg_color, "⚠");
                        }
                        ui.weak(count.to_string());
                        selected
                    })
                    .inner;
                if let Some(problem) = &problem {
                    ui.colored_label(ui.visuals().warn_fg_color, RichText::new(problem).small());
                }
                if response.clicked() {
                    actions.push(Action::SelectDocument(document.id));
                }
            }
        });
    actions
}
