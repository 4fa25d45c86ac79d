//! Bottom bar: where the project lives, whether it is saved, what is selected, and who is
//! coding.

use super::TextSelection;
use crate::workspace::Workspace;

pub fn ui(
    ui: &mut egui::Ui,
    workspace: &Workspace,
    selection: Option<TextSelection>,
    message: Option<&str>,
    coder: Option<&str>,
) -> bool {
    let mut change_coder = false;
    ui.horizontal(|ui| {
        let who = match coder {
            Some(name) => format!("Coder: {name}"),
            None => "Coder: not set".to_owned(),
        };
        change_coder = ui
            .add(egui::Button::new(who).frame(false))
            .on_hover_text("The name recorded on new passages; click to change it")
            .clicked();
        ui.separator();
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
    change_coder
}
