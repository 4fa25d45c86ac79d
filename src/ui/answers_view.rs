//! The Answers view: a survey as a grid, a row per respondent and a column per question
//! (then the respondents' attributes), each cell the answer and the codes on its words.
//! Filtered by words, a code and attributes, sorted by a click on a column's heading; a
//! click on an answer opens it in its document, where it is coded as any text is. Only the
//! rows in view are laid out, so ten thousand respondents scroll as ten.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{Action, CentralView, snippet, theme};
use crate::model::{Project, TagId};
use crate::retrieval::answers::{AnswerFilter, AnswerGrid, AnswerSort, SortBy};
use crate::workspace::Workspace;

#[derive(Default)]
pub struct AnswersView {
    /// The grid and the revision of the project it was made from.
    grid: Option<(u64, AnswerGrid)>,
    filter_text: String,
    code: Option<TagId>,
    /// Respondents chosen by their attributes, in the syntax of `stats --documents`.
    attributes: String,
    sort: AnswerSort,
    /// The rows shown, for the filter and sort they were made with.
    shown: Option<(u64, AnswerFilter, AnswerSort, Vec<usize>)>,
}

impl AnswersView {
    /// Whether the project has a survey's questions to show.
    pub fn applies_to(project: &Project) -> bool {
        project.codebook.iter().any(|t| {
            t.parent.is_some_and(|p| {
                project
                    .tag(p)
                    .is_some_and(|parent| parent.name == crate::workspace::QUESTIONS_TAG)
            })
        })
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace) -> Vec<Action> {
        let mut actions = Vec::new();
        let project = workspace.project();
        let revision = workspace.revision();
        if self.grid.as_ref().is_none_or(|(made, _)| *made != revision) {
            self.grid = Some((revision, AnswerGrid::of(project)));
            self.shown = None;
        }
        ui.heading("Answers");
        let questions: Vec<TagId> = match &self.grid {
            Some((_, grid)) => grid.questions.iter().map(|(id, _)| *id).collect(),
            None => Vec::new(),
        };
        if questions.is_empty() {
            ui.weak("No survey yet: File → Import survey… adds one, a respondent per row.");
            return actions;
        }
        let filter = self.filter_bar(ui, project, &questions);
        let filter = match filter {
            Ok(filter) => filter,
            Err(problem) => {
                ui.colored_label(ui.visuals().warn_fg_color, problem);
                AnswerFilter {
                    documents: None,
                    ..self.plain_filter()
                }
            }
        };
        let (_, grid) = self.grid.as_ref().expect("made above");
        let fresh = self
            .shown
            .as_ref()
            .is_some_and(|(made, f, s, _)| *made == revision && *f == filter && *s == self.sort);
        if !fresh {
            let rows = grid.view(project, &filter, self.sort);
            self.shown = Some((revision, filter, self.sort, rows));
        }
        let (_, _, _, rows) = self.shown.as_ref().expect("made above");
        ui.weak(format!(
            "{} of {} respondent(s). Click a heading to sort by it, an answer to open it in its document.",
            rows.len(),
            grid.rows.len()
        ));
        let mut sort = self.sort;
        answers_table(ui, project, grid, rows, &mut sort, &mut actions);
        self.sort = sort;
        actions
    }

    fn plain_filter(&self) -> AnswerFilter {
        AnswerFilter {
            text: self.filter_text.clone(),
            code: self.code,
            documents: None,
        }
    }

    /// The words, code and attributes fields; the filter they make, or why the attributes
    /// field does not read.
    fn filter_bar(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        questions: &[TagId],
    ) -> Result<AnswerFilter, String> {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Words:");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter_text)
                    .hint_text("in the answers")
                    .desired_width(180.0),
            )
            .labelled_by(label.id);
            let label = ui.label("Code:");
            let name = |id: Option<TagId>| {
                id.and_then(|id| project.tag(id))
                    .map_or("any".to_owned(), |t| t.name.clone())
            };
            egui::ComboBox::from_id_salt("answers-code")
                .selected_text(name(self.code))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.code, None, "any");
                    for tag in project.codebook.iter().filter(|t| {
                        !questions.contains(&t.id) && t.name != crate::workspace::QUESTIONS_TAG
                    }) {
                        ui.selectable_value(&mut self.code, Some(tag.id), &tag.name);
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label("Respondents:");
            ui.add(
                egui::TextEdit::singleline(&mut self.attributes)
                    .hint_text("region=North,age>=30")
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
        });
        let documents = match self.attributes.trim() {
            "" => None,
            text => Some(
                crate::attributes::DocumentFilter::parse(project, text)?
                    .documents(project)
                    .into_iter()
                    .collect(),
            ),
        };
        Ok(AnswerFilter {
            documents,
            ..self.plain_filter()
        })
    }
}

/// Rows are two lines: the answer, then its codes.
const ROW_HEIGHT: f32 = 40.0;

fn answers_table(
    ui: &mut egui::Ui,
    project: &Project,
    grid: &AnswerGrid,
    rows: &[usize],
    sort: &mut AnswerSort,
    actions: &mut Vec<Action>,
) {
    let mut heading = |ui: &mut egui::Ui, title: &str, by: SortBy| {
        let arrow = match (sort.by == by, sort.descending) {
            (true, false) => " ⏶",
            (true, true) => " ⏷",
            (false, _) => "",
        };
        let clicked = ui
            .add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false))
            .on_hover_text(format!("Sort by {title}"))
            .clicked();
        if clicked {
            *sort = AnswerSort {
                by,
                descending: sort.by == by && !sort.descending,
            };
        }
    };
    TableBuilder::new(ui)
        .id_salt("answers-grid")
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::top_down(egui::Align::Min))
        .column(Column::initial(110.0).at_least(60.0).clip(true))
        .columns(
            Column::initial(300.0).at_least(120.0).clip(true),
            grid.questions.len(),
        )
        .columns(
            Column::initial(110.0).at_least(60.0).clip(true),
            project.attributes.len(),
        )
        .header(24.0, |mut header| {
            header.col(|ui| heading(ui, "Respondent", SortBy::Respondent));
            for (column, (_, question)) in grid.questions.iter().enumerate() {
                header.col(|ui| heading(ui, question, SortBy::Question(column)));
            }
            for attribute in &project.attributes {
                header.col(|ui| heading(ui, &attribute.name, SortBy::Attribute(attribute.id)));
            }
        })
        .body(|body| {
            body.rows(ROW_HEIGHT, rows.len(), |mut table_row| {
                let row = &grid.rows[rows[table_row.index()]];
                table_row.col(|ui| {
                    ui.add(egui::Label::new(&row.title).truncate().selectable(false));
                });
                for answer in &row.answers {
                    table_row.col(|ui| {
                        let Some(answer) = answer else {
                            ui.weak("—");
                            return;
                        };
                        let text = snippet::one_line(&answer.text, 200);
                        let response = ui
                            .add(
                                egui::Label::new(text)
                                    .truncate()
                                    .selectable(false)
                                    .sense(egui::Sense::click()),
                            )
                            .on_hover_text(&answer.text);
                        if response.clicked() {
                            actions.push(Action::ShowView(CentralView::Document));
                            actions.push(Action::SelectPassage {
                                id: answer.passage,
                                scroll: true,
                            });
                        }
                        ui.horizontal(|ui| {
                            for code in answer.codes.iter().filter_map(|c| project.tag(*c)) {
                                ui.label(
                                    RichText::new(&code.name)
                                        .small()
                                        .color(theme::tag_color(project, code.id)),
                                );
                            }
                        });
                    });
                }
                for attribute in &project.attributes {
                    table_row.col(|ui| {
                        let value = project
                            .document(row.doc)
                            .and_then(|d| d.attributes.get(&attribute.id))
                            .map_or("", String::as_str);
                        ui.add(egui::Label::new(value).truncate().selectable(false));
                    });
                }
            });
        });
}
