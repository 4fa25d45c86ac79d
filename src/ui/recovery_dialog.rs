//! The offer to restore changes that a crash kept from being saved.

use crate::recovery::PendingRecovery;

pub enum RecoveryChoice {
    Restore,
    Discard,
    /// Closed without choosing: the file stays for next time.
    Later,
}

pub fn show(ctx: &egui::Context, recovery: &PendingRecovery) -> Option<RecoveryChoice> {
    let mut choice = None;
    let modal = egui::Modal::new(egui::Id::unique("recovery-offer")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading("Restore unsaved changes?");
        let what = match &recovery.project_file {
            Some(file) => format!(
                "Changes to {} were not saved when Marginalia last closed.",
                file.file_name().unwrap_or_default().to_string_lossy()
            ),
            None => format!(
                "A new project, “{}”, was never saved when Marginalia last closed.",
                recovery.project.name
            ),
        };
        ui.label(what);
        ui.label(format!(
            "Restore unsaved changes from {}? ({} documents, {} passages)",
            recovery.when(),
            recovery.project.documents.len(),
            recovery.project.annotations.len()
        ));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                choice = Some(RecoveryChoice::Restore);
            }
            if ui.button("Discard them").clicked() {
                choice = Some(RecoveryChoice::Discard);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(RecoveryChoice::Later);
    }
    choice
}
