//! The Cases view: the people (and other units) the project's transcripts name, each with
//! the turns and documents they speak in and their attribute values (role, age, site: the
//! project's attributes, as documents have them). A case is renamed as its name is typed,
//! and two spellings of one person ("Anna K", "Anna") are merged into one case, turns and
//! all.

use std::collections::{BTreeSet, HashMap};

use egui::{Id, RichText, Stroke};
use egui_extras::{Column, TableBuilder};

use super::attributes_view::{ValueOwner, cell};
use super::project_text_field::{self, FieldLook};
use super::{Action, theme};
use crate::edit::Edit;
use crate::model::{Case, CaseId, DocId, Project, case_key};
use crate::workspace::Workspace;

#[derive(Default)]
pub struct CasesView;

/// Where a case speaks: how many turns, in which documents.
#[derive(Default)]
struct Spoken {
    turns: usize,
    documents: BTreeSet<DocId>,
}

impl CasesView {
    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace) -> Vec<Action> {
        let mut actions = Vec::new();
        let project = workspace.project();
        ui.heading("Cases");
        ui.add(
            egui::Label::new(
                RichText::new(
                    "The people who speak in the transcripts. A name in several transcripts is \
                     one case; where one person was written two ways, merge the two. Their \
                     attributes (role, age, site…) are those defined in the Attributes tab; \
                     statistics by an attribute count a passage by its speaker's value. \
                     Every change can be undone.",
                )
                .weak(),
            )
            .wrap(),
        );
        if project.cases.is_empty() {
            ui.weak("No cases yet: a transcript added with its speakers makes one per person.");
            return actions;
        }
        let spoken = spoken_by_case(project);
        let row_height = theme::TABLE_ROW_HEIGHT + 6.0;
        TableBuilder::new(ui)
            .id_salt("cases-table")
            .striped(true)
            .resizable(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(240.0).at_least(120.0).clip(true))
            .column(Column::initial(70.0).at_least(50.0))
            .column(Column::initial(110.0).at_least(70.0))
            .columns(
                Column::initial(150.0).at_least(90.0).clip(true),
                project.attributes.len(),
            )
            .column(Column::remainder().at_least(140.0).clip(true))
            .header(24.0, |mut header| {
                let attributes = project.attributes.iter().map(|a| a.name.as_str());
                for title in ["Name", "Turns", "Documents"]
                    .into_iter()
                    .chain(attributes)
                    .chain(["Merge"])
                {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, project.cases.len(), |mut row| {
                    let case = &project.cases[row.index()];
                    let here = spoken.get(&case.id);
                    let mut name_id = None;
                    row.col(|ui| {
                        let (id, action) = name_field(ui, project, case);
                        name_id = Some(id);
                        actions.extend(action);
                    });
                    row.col(|ui| {
                        ui.label(here.map_or(0, |s| s.turns).to_string());
                    });
                    row.col(|ui| {
                        let titles: Vec<&str> = here
                            .map(|s| {
                                s.documents
                                    .iter()
                                    .filter_map(|d| project.document(*d))
                                    .map(|d| d.title.as_str())
                                    .collect()
                            })
                            .unwrap_or_default();
                        let count = ui.label(titles.len().to_string());
                        if !titles.is_empty() {
                            count.on_hover_text(titles.join("\n"));
                        }
                    });
                    for attribute in &project.attributes {
                        row.col(|ui| {
                            actions.extend(cell(ui, ValueOwner::Case(case), attribute, name_id));
                        });
                    }
                    row.col(|ui| {
                        if let Some(action) = merge_menu(ui, project, case) {
                            actions.push(action);
                        }
                    });
                });
            });
        actions
    }
}

fn spoken_by_case(project: &Project) -> HashMap<CaseId, Spoken> {
    let mut spoken: HashMap<CaseId, Spoken> = HashMap::new();
    for document in &project.documents {
        for speaker in document.turns.iter().filter_map(|t| t.speaker) {
            let entry = spoken.entry(speaker).or_default();
            entry.turns += 1;
            entry.documents.insert(document.id);
        }
    }
    spoken
}

/// The case's name, renamed as typed. A name that reads as another case's (names match
/// across documents without regard to letter case and spacing) is shown outlined and not
/// stored: two such cases are one person, which Merge says.
fn name_field(ui: &mut egui::Ui, project: &Project, case: &Case) -> (Id, Option<Action>) {
    let id = Id::unique(("case-name", case.id));
    let field = project_text_field::show(
        ui,
        id,
        &case.name,
        FieldLook::single_line(ui.available_width() - 8.0),
    );
    let problem_id = id.with("problem");
    let mut action = None;
    if let Some((typed, coalesce)) = field.typed {
        let typed = typed.split_whitespace().collect::<Vec<_>>().join(" ");
        let key = case_key(&typed);
        let taken_by = project
            .cases
            .iter()
            .find(|c| c.id != case.id && case_key(&c.name) == key);
        match taken_by {
            Some(other) => {
                let problem = format!(
                    "“{}” is another case: use Merge to make them one",
                    other.name
                );
                ui.data_mut(|d| d.insert_temp(problem_id, problem));
            }
            None => {
                ui.data_mut(|d| d.remove::<String>(problem_id));
                if !typed.is_empty() && typed != case.name {
                    action = Some(Action::Apply {
                        edit: Box::new(Edit::UpdateCase(Case {
                            name: typed,
                            ..case.clone()
                        })),
                        label: "rename case",
                        coalesce: Some(coalesce),
                    });
                }
            }
        }
    }
    if !field.response.has_focus() {
        ui.data_mut(|d| d.remove::<String>(problem_id));
    }
    let field_id = field.response.id;
    match ui.data(|d| d.get_temp::<String>(problem_id)) {
        Some(problem) => {
            ui.painter().rect_stroke(
                field.response.rect,
                theme::SWATCH_RADIUS,
                Stroke::new(1.5, ui.visuals().error_fg_color),
                egui::StrokeKind::Outside,
            );
            field.response.on_hover_text(problem);
        }
        None => {
            field.response.on_hover_text("Rename the case");
        }
    }
    (field_id, action)
}

/// "Merge into…": the case's turns become the chosen case's, and this case goes.
fn merge_menu(ui: &mut egui::Ui, project: &Project, case: &Case) -> Option<Action> {
    let mut into = None;
    egui::ComboBox::from_id_salt(("merge-case", case.id))
        .selected_text("Merge into…")
        .width(ui.available_width() - 8.0)
        .show_ui(ui, |ui| {
            for other in project.cases.iter().filter(|c| c.id != case.id) {
                if ui.selectable_label(false, &other.name).clicked() {
                    into = Some(other.id);
                }
            }
        })
        .response
        .on_hover_text(format!(
            "Make “{}” and another case one: its turns become the other's",
            case.name
        ));
    let edit = Edit::merge_cases(project, case.id, into?).ok()?;
    Some(Action::Apply {
        edit: Box::new(edit),
        label: "merge cases",
        coalesce: None,
    })
}
