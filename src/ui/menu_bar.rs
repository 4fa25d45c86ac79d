//! Top menu bar: the commands of [`super::commands`], each with its shortcut beside it.

use egui::Button;

use super::Action;
use super::commands::{Command, CommandContext};
use crate::export::{ExportChoice, Format};
use crate::qda_tools::QdaTool;

pub fn ui(
    ui: &mut egui::Ui,
    context: &CommandContext<'_>,
    recent: &[std::path::PathBuf],
) -> Vec<Action> {
    let mut actions = Vec::new();
    let ctx = ui.ctx().clone();
    let mut item = |ui: &mut egui::Ui, command: Command| {
        let mut button = Button::new(command.menu_label(context));
        if let Some(shortcut) = command.shortcuts().first() {
            button = button.shortcut_text(ctx.format_shortcut(shortcut));
        }
        if ui.add_enabled(command.enabled(context), button).clicked() {
            actions.push(command.action(context));
        }
    };
    let mut from_submenus = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            item(ui, Command::NewProject);
            item(ui, Command::Open);
            ui.menu_button("Open recent", |ui| {
                if recent.is_empty() {
                    ui.weak("No recent projects");
                }
                for path in recent {
                    if ui.button(path.display().to_string()).clicked() {
                        from_submenus.push(Action::Open(path.clone()));
                    }
                }
            });
            item(ui, Command::AddDocuments);
            ui.separator();
            item(ui, Command::Save);
            item(ui, Command::SaveAs);
            item(ui, Command::ImportProject);
            item(ui, Command::ImportCodebook);
            item(ui, Command::MergeProject);
            item(ui, Command::ImportSurvey);
            ui.menu_button("Export", |ui| {
                for format in Format::ALL {
                    if format == Format::Qdpx {
                        // Other programs count positions and read notes differently: the
                        // archive is written for the one that will open it.
                        ui.menu_button(format.label(), |ui| {
                            let standard = ExportChoice::plain(format);
                            if ui
                                .button("Standard (positions in code points)")
                                .on_hover_text(
                                    "The REFI-QDA standard's reading; MAXQDA reads it so",
                                )
                                .clicked()
                            {
                                from_submenus.push(Action::ExportDialog(standard));
                            }
                            for tool in QdaTool::ALL {
                                let choice = ExportChoice {
                                    for_tool: Some(tool),
                                    ..ExportChoice::plain(format)
                                };
                                if ui
                                    .button(format!("For {}", tool.label()))
                                    .on_hover_text(format!(
                                        "Positions in {}",
                                        tool.position_unit().describe()
                                    ))
                                    .clicked()
                                {
                                    from_submenus.push(Action::ExportDialog(choice));
                                }
                            }
                        });
                    } else if matches!(format, Format::MatrixCsv | Format::MatrixXlsx) {
                        // R and SPSS want 0/1 for presence; counts weigh how often a
                        // respondent said it.
                        ui.menu_button(format.label(), |ui| {
                            if ui
                                .button("Present or absent (1 or 0)")
                                .on_hover_text("1 where a document has a passage with the tag")
                                .clicked()
                            {
                                from_submenus
                                    .push(Action::ExportDialog(ExportChoice::plain(format)));
                            }
                            if ui
                                .button("Passages counted")
                                .on_hover_text("How many of a document's passages have the tag")
                                .clicked()
                            {
                                from_submenus
                                    .push(Action::ExportDialog(ExportChoice::counting(format)));
                            }
                        });
                    } else if ui.button(format.label()).clicked() {
                        from_submenus.push(Action::ExportDialog(ExportChoice::plain(format)));
                    }
                }
            });
            ui.separator();
            item(ui, Command::Quit);
        });
        ui.menu_button("Edit", |ui| {
            item(ui, Command::Undo);
            item(ui, Command::Redo);
            ui.separator();
            item(ui, Command::Find);
            item(ui, Command::EditText);
            item(ui, Command::CodeBySpeaker);
            ui.separator();
            item(ui, Command::DeletePassage);
            ui.separator();
            item(ui, Command::Preferences);
        });
        ui.menu_button("View", |ui| {
            item(ui, Command::ShowDocument);
            item(ui, Command::ShowPassages);
            item(ui, Command::ShowMemos);
            item(ui, Command::ShowAgreement);
            item(ui, Command::ShowAnalysis);
            item(ui, Command::ShowAttributes);
            item(ui, Command::ShowCases);
            item(ui, Command::ShowAnswers);
            ui.separator();
            item(ui, Command::NextDifference);
            item(ui, Command::PreviousDifference);
            ui.separator();
            item(ui, Command::LargerText);
            item(ui, Command::SmallerText);
            ui.separator();
            item(ui, Command::LightTheme);
            item(ui, Command::DarkTheme);
            ui.separator();
            item(ui, Command::DirectionFromText);
            item(ui, Command::DirectionLeftToRight);
            item(ui, Command::DirectionRightToLeft);
        });
    });
    actions.extend(from_submenus);
    actions
}
