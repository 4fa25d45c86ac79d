//! Modal dialogs: unsaved changes, errors, and the in-app path prompt used where no native
//! file dialog is available (a bare window manager, a virtual display, a test).

use std::path::PathBuf;

use super::Action;

/// What a typed or picked path is for.
#[derive(Clone, Debug, PartialEq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    AddDocuments,
    Export(crate::export::ExportChoice),
    Import,
    ImportCodebook,
    /// Other coders' projects to merge into this one.
    MergeProjects,
    /// A survey spreadsheet (CSV, xlsx, ods).
    ImportSurvey,
    /// A PNG file for a chart of the Analysis view.
    SaveChart(super::Chart),
}

impl PathPurpose {
    fn title(&self) -> String {
        match self {
            PathPurpose::Open => "Open project".to_owned(),
            PathPurpose::SaveAs => "Save project as".to_owned(),
            PathPurpose::AddDocuments => "Add documents".to_owned(),
            PathPurpose::Export(format) => format!("Export as {}", format.label()),
            PathPurpose::Import => "Import a REFI-QDA project".to_owned(),
            PathPurpose::ImportCodebook => "Import a codebook (.qdc or .ron)".to_owned(),
            PathPurpose::MergeProjects => "Merge projects (.ron) into this one".to_owned(),
            PathPurpose::ImportSurvey => "Import a survey (.csv, .xlsx, .ods)".to_owned(),
            PathPurpose::SaveChart(chart) => format!("Save the chart “{}” as PNG", chart.title()),
        }
    }

    pub fn into_action(self, paths: Vec<PathBuf>) -> Option<Action> {
        let first = paths.first().cloned()?;
        Some(match self {
            PathPurpose::Open => Action::Open(first),
            PathPurpose::SaveAs => Action::SaveAs(first),
            PathPurpose::AddDocuments => Action::AddDocuments(paths),
            PathPurpose::Export(format) => Action::ExportTo(format, first),
            PathPurpose::Import => Action::Import(first),
            PathPurpose::ImportCodebook => Action::ImportCodebook(first),
            PathPurpose::MergeProjects => Action::MergeProjects(paths),
            PathPurpose::ImportSurvey => Action::ImportSurvey(first),
            PathPurpose::SaveChart(chart) => Action::SaveChart(chart, first),
        })
    }
}

pub enum Dialog {
    /// The project has unsaved changes and `then` would discard them.
    Unsaved {
        then: Action,
    },
    Error {
        title: String,
        message: String,
    },
    /// What an import of another program's project did: a line each (how positions were
    /// read, how codings were placed, then the codings and sources it lists).
    ImportReport {
        lines: Vec<String>,
    },
    PathPrompt {
        purpose: PathPurpose,
        text: String,
    },
    /// A question with one action to confirm, such as deleting a tag.
    Confirm {
        title: String,
        message: String,
        confirm: String,
        then: Action,
    },
    /// Saving found the project file changed on disk since it was opened; `then` is what
    /// was to happen after saving.
    ChangedOnDisk {
        then: Option<Action>,
    },
    /// Another window (alive) has this project open.
    OpenElsewhere {
        holders: Vec<String>,
    },
    /// Who is coding: asked before the first passage (`then` is the tagging that waits for
    /// the answer) and from Edit → Preferences….
    CoderName {
        text: String,
        then: Option<Action>,
    },
    /// Something worth reading that went well (a merge's report).
    Info {
        title: String,
        message: String,
    },
}

pub enum DialogOutcome {
    Open,
    Closed,
    /// Save first, then carry out the action.
    SaveThen(Action),
    Discard(Action),
    Perform(Action),
}

pub fn show(ctx: &egui::Context, dialog: &mut Dialog) -> DialogOutcome {
    let mut outcome = DialogOutcome::Open;
    let modal = egui::Modal::new(egui::Id::unique("dialog")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        match dialog {
            Dialog::Unsaved { then } => {
                ui.heading("Save changes?");
                ui.label("This project has changes that are not saved yet.");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        outcome = DialogOutcome::SaveThen(then.clone());
                    }
                    if ui.button("Discard").clicked() {
                        outcome = DialogOutcome::Discard(then.clone());
                    }
                    if ui.button("Cancel").clicked() {
                        outcome = DialogOutcome::Closed;
                    }
                });
            }
            Dialog::Error { title, message } => {
                ui.heading(title.as_str());
                ui.add(egui::Label::new(egui::RichText::new(message.as_str()).monospace()).wrap());
                ui.add_space(8.0);
                if ui.button("OK").clicked() {
                    outcome = DialogOutcome::Closed;
                }
            }
            Dialog::ImportReport { lines } => {
                ui.heading("Import report");
                // The first lines sum up; indented lines list codings and sources one by one,
                // which can be many: they scroll.
                let (summary, listed): (Vec<&String>, Vec<&String>) =
                    lines.iter().partition(|line| !line.starts_with("  "));
                for line in summary {
                    ui.add(egui::Label::new(line.as_str()).wrap());
                }
                if !listed.is_empty() {
                    ui.add_space(4.0);
                    egui::ScrollArea::vertical()
                        .max_height(240.0)
                        .auto_shrink([false, true])
                        .show(ui, |ui| {
                            for line in listed {
                                ui.add(
                                    egui::Label::new(egui::RichText::new(line.trim_start()).small())
                                        .wrap(),
                                );
                            }
                        });
                }
                ui.add_space(8.0);
                if ui.button("OK").clicked() {
                    outcome = DialogOutcome::Closed;
                }
            }
            Dialog::Confirm {
                title,
                message,
                confirm,
                then,
            } => {
                ui.heading(title.as_str());
                ui.add(egui::Label::new(message.as_str()).wrap());
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button(confirm.as_str()).clicked() {
                        outcome = DialogOutcome::Perform(then.clone());
                    }
                    if ui.button("Cancel").clicked() {
                        outcome = DialogOutcome::Closed;
                    }
                });
            }
            Dialog::ChangedOnDisk { then } => {
                ui.heading("This project changed on disk since you opened it");
                ui.label(
                    "Another window or a sync tool saved this project file after you opened it. \
                     Saving now would replace those changes with yours.",
                );
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui
                        .button("Overwrite")
                        .on_hover_text("Replace the file with this window's project (the replaced file is kept as .bak)")
                        .clicked()
                    {
                        outcome = DialogOutcome::Perform(Action::SaveOverwriting(
                            then.take().map(Box::new),
                        ));
                    }
                    if ui
                        .button("Save As…")
                        .on_hover_text("Keep both: save this window's project under another name")
                        .clicked()
                    {
                        outcome = DialogOutcome::Perform(Action::SaveAsDialog);
                    }
                    if ui.button("Cancel").clicked() {
                        outcome = DialogOutcome::Closed;
                    }
                });
            }
            Dialog::OpenElsewhere { holders } => {
                ui.heading("Also open in another window");
                ui.label(
                    "This project is open in another Marginalia window. You can keep working: \
                     before saving over changes saved from there, Marginalia asks what to do.",
                );
                for holder in holders.iter() {
                    ui.weak(holder.as_str());
                }
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Continue").clicked() {
                        outcome = DialogOutcome::Closed;
                    }
                    if ui
                        .button("Close project")
                        .on_hover_text("Leave the project to the other window")
                        .clicked()
                    {
                        outcome = DialogOutcome::Perform(Action::NewProject);
                    }
                });
            }
            Dialog::CoderName { text, then } => {
                outcome = coder_name(ui, text, then);
            }
            Dialog::Info { title, message } => {
                ui.heading(title.as_str());
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(message.as_str()).wrap());
                    });
                ui.add_space(8.0);
                if ui.button("OK").clicked() {
                    outcome = DialogOutcome::Closed;
                }
            }
            Dialog::PathPrompt { purpose, text } => {
                ui.heading(purpose.title());
                let hint = match purpose {
                    PathPurpose::AddDocuments | PathPurpose::MergeProjects => {
                        "One path per line, or separated by ;"
                    }
                    _ => "Path to the file",
                };
                let label = ui.label(hint);
                let response = ui
                    .add(
                        egui::TextEdit::singleline(text)
                            .desired_width(440.0)
                            .hint_text("/path/to/file"),
                    )
                    .labelled_by(label.id);
                // As in the coder's name: the focus taken back only when nothing has it, after
                // Enter's giving it up is read (else Enter would never submit).
                let submitted =
                    response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if !submitted && ui.memory(|m| m.focused().is_none()) {
                    response.request_focus();
                }
                ui.horizontal(|ui| {
                    if ui.button("OK").clicked() || submitted {
                        let paths: Vec<PathBuf> = text
                            .split([';', '\n'])
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(PathBuf::from)
                            .collect();
                        outcome = match purpose.clone().into_action(paths) {
                            Some(action) => DialogOutcome::Perform(action),
                            None => DialogOutcome::Closed,
                        };
                    }
                    if ui.button("Cancel").clicked() {
                        outcome = DialogOutcome::Closed;
                    }
                });
            }
        }
    });
    if modal.should_close() && matches!(outcome, DialogOutcome::Open) {
        outcome = DialogOutcome::Closed;
    }
    outcome
}

/// The coder name field: the name every new passage records. OK keeps it (and carries out
/// what waited for it); Cancel leaves things as they were.
fn coder_name(ui: &mut egui::Ui, text: &mut String, then: &mut Option<Action>) -> DialogOutcome {
    let mut outcome = DialogOutcome::Open;
    ui.heading(if then.is_some() {
        "Who is coding?"
    } else {
        "Preferences"
    });
    ui.add(
        egui::Label::new(
            "Every passage you make records this coder name, so that a team's work can be \
             merged and compared (Edit > Preferences… changes it at any time).",
        )
        .wrap(),
    );
    let label = ui.label("Coder name:");
    let response = ui
        .add(egui::TextEdit::singleline(text).desired_width(300.0))
        .labelled_by(label.id);
    // Enter in a single-line field gives its focus up, which is how a submission shows: the
    // focus is taken back only when nothing has it, after that is read (taken back first,
    // the field would never be seen to lose it).
    let submitted = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if !submitted && ui.memory(|m| m.focused().is_none()) {
        response.request_focus();
    }
    let name = text.trim().to_owned();
    ui.horizontal(|ui| {
        let ok = ui.add_enabled(!name.is_empty(), egui::Button::new("OK"));
        if (ok.clicked() || submitted) && !name.is_empty() {
            outcome = DialogOutcome::Perform(Action::SetCoder {
                name: name.clone(),
                then: then.take().map(Box::new),
            });
        }
        if ui.button("Cancel").clicked() {
            outcome = DialogOutcome::Closed;
        }
    });
    outcome
}
