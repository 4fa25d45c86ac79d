//! Bottom bar: where the project lives, whether it is saved, and what is selected.

use super::TextSelection;
use crate::workspace::Workspace;

pub fn ui(
    ui: &mut egui::Ui,
    workspace: &Workspace,
    selection: Option<TextSelection>,
    message: Option<&str>,
) {
    ui.horizontal(|ui| {
        let path = workspace
            .path()
            .map_or_else(|| "not saved yet".to_owned(), |p| p.display().to_string());
        ui.label(path);
        if workspace.is_dirty() {
            ui.colored_label(ui.visuals().warn_fg_color, "* unsaved changes");
        } else {
            ui.weak("saved");
        }
        ui.separator();
        match selection.filter(|s| !s.is_empty()) {
            Some(selection) => {
                let range = selection.range();
                ui.label(format!(
                    "selection {}–{} ({} characters)",
                    range.start,
                    range.end,
                    range.len()
                ));
            }
            None => {
                ui.weak("no selection");
            }
        }
        if let Some(message) = message {
            ui.separator();
            ui.label(message);
        }
    });
}
