//! File → Import survey…: the sheet read, each column shown with a few of its values and
//! the part it plays — the respondents' id, an open question, an attribute, or left out —
//! as proposed ([`crate::import::survey::propose_columns`]) and changed by the person, before
//! anything is added.

use egui::RichText;

use crate::import::survey::{SurveyTable, propose_columns};
use crate::workspace::SurveyColumns;

/// What a column is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Id,
    OpenAnswers,
    Attribute,
    LeftOut,
}

impl Role {
    const ALL: [Role; 4] = [Role::Id, Role::OpenAnswers, Role::Attribute, Role::LeftOut];

    fn label(self) -> &'static str {
        match self {
            Role::Id => "Respondent id",
            Role::OpenAnswers => "Open answers",
            Role::Attribute => "Attribute",
            Role::LeftOut => "Left out",
        }
    }
}

pub struct SurveyReview {
    table: SurveyTable,
    roles: Vec<Role>,
}

pub enum SurveyOutcome {
    /// Import the sheet ([`SurveyReview::into_table`]) with these columns.
    Import(SurveyColumns),
    Cancel,
}

/// The roles' menus, all as wide as the widest choice.
const ROLE_WIDTH: f32 = 130.0;

/// How many values of each column the review shows.
const SAMPLES: usize = 3;

impl SurveyReview {
    pub fn new(table: SurveyTable) -> Self {
        let proposal = propose_columns(&table);
        let roles = (0..table.header.len())
            .map(|column| {
                if Some(column) == proposal.id {
                    Role::Id
                } else if proposal.text.contains(&column) {
                    Role::OpenAnswers
                } else {
                    Role::Attribute
                }
            })
            .collect();
        Self { table, roles }
    }

    /// The sheet reviewed, for the import (not copied: it may hold ten thousand rows).
    pub fn into_table(self) -> SurveyTable {
        self.table
    }

    /// The columns as chosen now.
    pub fn columns(&self) -> SurveyColumns {
        let with = |role: Role| -> Vec<usize> {
            (0..self.roles.len())
                .filter(|c| self.roles[*c] == role)
                .collect()
        };
        SurveyColumns {
            id: with(Role::Id).first().copied(),
            text: with(Role::OpenAnswers),
            skip: with(Role::LeftOut),
        }
    }

    pub fn show(&mut self, ctx: &egui::Context) -> Option<SurveyOutcome> {
        let mut outcome = None;
        let file = self
            .table
            .file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        egui::Window::new(format!("Import survey: {file}"))
            .collapsible(false)
            .resizable(true)
            .default_width(720.0)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(format!(
                    "{} respondent(s), {} column(s). Each respondent becomes a document: its \
                     open answers under their questions, each coded with its question's tag \
                     under “Questions”; attributes become the document's attributes.",
                    self.table.rows.len(),
                    self.table.header.len()
                ));
                for warning in &self.table.warnings {
                    ui.colored_label(ui.visuals().warn_fg_color, warning);
                }
                ui.separator();
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| self.columns_grid(ui));
                ui.separator();
                let problem = self.problem();
                if let Some(problem) = &problem {
                    ui.colored_label(ui.visuals().warn_fg_color, problem);
                }
                ui.horizontal(|ui| {
                    let import = ui.add_enabled(problem.is_none(), egui::Button::new("Import"));
                    if import.clicked() {
                        outcome = Some(SurveyOutcome::Import(self.columns()));
                    }
                    if ui.button("Cancel").clicked() {
                        outcome = Some(SurveyOutcome::Cancel);
                    }
                });
            });
        outcome
    }

    fn columns_grid(&mut self, ui: &mut egui::Ui) {
        let mut new_id = None;
        egui::Grid::new("survey-columns")
            .num_columns(3)
            .striped(true)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                ui.strong("Column");
                ui.strong("Is");
                ui.strong("Values");
                ui.end_row();
                for (column, name) in self.table.header.iter().enumerate() {
                    let label = ui.label(name);
                    let role = &mut self.roles[column];
                    let before = *role;
                    let combo = egui::ComboBox::from_id_salt(("survey-role", column))
                        .selected_text(role.label())
                        .width(ROLE_WIDTH)
                        .show_ui(ui, |ui| {
                            for choice in Role::ALL {
                                ui.selectable_value(role, choice, choice.label());
                            }
                        });
                    combo.response.labelled_by(label.id);
                    if *role == Role::Id && before != Role::Id {
                        new_id = Some(column);
                    }
                    let samples: Vec<String> = self
                        .table
                        .rows
                        .iter()
                        .map(|r| r.cells[column].as_str())
                        .filter(|v| !v.is_empty())
                        .take(SAMPLES)
                        .map(|v| super::snippet::one_line(v, 40))
                        .collect();
                    ui.label(RichText::new(samples.join(" · ")).weak());
                    ui.end_row();
                }
            });
        // One id at most: choosing another makes the previous one an attribute.
        if let Some(chosen) = new_id {
            for (column, role) in self.roles.iter_mut().enumerate() {
                if column != chosen && *role == Role::Id {
                    *role = Role::Attribute;
                }
            }
        }
    }

    /// Why the import cannot be made yet.
    fn problem(&self) -> Option<String> {
        self.columns()
            .text
            .is_empty()
            .then(|| "Choose at least one column of open answers.".to_owned())
    }
}
