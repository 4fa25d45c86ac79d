//! The Answers view: a survey as a grid, a row per respondent and a column per question
//! (then the respondents' attributes), each cell the answer and the codes on its words.
//! Filtered by words, a code and attributes, sorted by a click on a column's heading. Words
//! selected in an answer are coded there as in the document (the tag keys, the tag bar,
//! quick coding, undo); "↗ open" opens the answer in its document. Only the rows in view
//! are laid out, so ten thousand respondents scroll as ten.

use std::borrow::Cow;
use std::ops::Range;

use egui::RichText;
use egui::text_selection::CCursorRange;
use egui_extras::{Column, TableBuilder};

use super::{Action, CentralView, snippet, tag_bar};
use crate::model::{DocId, Project, TagId};
use crate::retrieval::answers::{Answer, AnswerFilter, AnswerGrid, AnswerSort, SortBy};
use crate::text_layout::visual_order;
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
    /// The answer cell that last had the keyboard, and its selection then.
    cell: Option<CellFocus>,
    /// Where the tag bar goes, while words are selected in a cell.
    bar_at: Option<egui::Pos2>,
    /// Whether the mouse is selecting words in a cell: the selection is not finished.
    dragging: bool,
}

/// An answer cell holding the keyboard. Its selection, in its document's characters, is
/// handed to the window as the selection, so the tag keys, the tag bar, quick coding and
/// undo work on words chosen in the grid as they do in the document.
#[derive(Clone, Debug, PartialEq)]
struct CellFocus {
    id: egui::Id,
    doc: DocId,
    range: Range<usize>,
    /// The selection in the cell's own characters, to be put back with the keyboard.
    cursor: CCursorRange,
    /// The selection's end on screen, where the tag bar goes.
    end: egui::Pos2,
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

    /// Whether an answer cell has the keyboard: its keys are the document's (tag keys,
    /// Ctrl+Z, Delete), not a text field's, since nothing can be typed into it.
    pub fn holds_keys(&self, ctx: &egui::Context) -> bool {
        self.cell
            .as_ref()
            .is_some_and(|cell| ctx.memory(|m| m.has_focus(cell.id)))
    }

    /// Whether words are being selected with the mouse in a cell.
    pub fn is_dragging(&self) -> bool {
        self.dragging
    }

    /// Where the tag bar goes: the end of the words selected in an answer cell.
    pub fn selection_end(&self) -> Option<egui::Pos2> {
        self.bar_at
    }

    /// The keyboard and the selection back to the cell whose words the tag bar just coded
    /// (a field forgets its selection with the keyboard), so that they and the bar stay for
    /// another tag, as in the document.
    pub fn give_keyboard_back(&self, ctx: &egui::Context) {
        if let Some(cell) = &self.cell {
            let mut state = egui::text_edit::TextEditState::load(ctx, cell.id).unwrap_or_default();
            state.cursor.set_char_range(Some(cell.cursor));
            state.store(ctx, cell.id);
            ctx.memory_mut(|m| m.request_focus(cell.id));
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace) -> Vec<Action> {
        let mut actions = Vec::new();
        let project = workspace.project();
        let revision = workspace.revision();
        if self.grid.as_ref().is_none_or(|(made, _)| *made != revision) {
            self.grid = Some((revision, AnswerGrid::of(workspace)));
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
            "{} of {} respondent(s). Click a heading to sort by it; select words in an answer to code them there (tag keys, tag bar); ↗ opens the answer in its document.",
            rows.len(),
            grid.rows.len()
        ));
        let mut sort = self.sort;
        let mut focused = None;
        self.dragging = false;
        answers_table(
            ui,
            project,
            grid,
            rows,
            &mut sort,
            &mut CellsSeen {
                focused: &mut focused,
                dragging: &mut self.dragging,
            },
            &mut actions,
        );
        self.sort = sort;
        // A cell's selection becomes the window's when it changes. Losing the keyboard (to
        // the tag bar, the codebook) leaves the selection as it was, as in the document.
        match focused {
            Some(now) => {
                if self.cell.as_ref().is_none_or(|before| {
                    before.id != now.id || before.doc != now.doc || before.range != now.range
                }) {
                    actions.push(Action::SelectRange {
                        doc: now.doc,
                        range: now.range.clone(),
                    });
                }
                self.bar_at = (!now.range.is_empty()).then_some(now.end);
                self.cell = Some(now);
            }
            // The click that took the keyboard from the cell may be on the tag bar: the bar
            // stays for that frame, so the click reaches it.
            None if ui.input(|i| i.pointer.any_click()) => {}
            None => self.bar_at = None,
        }
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
    seen: &mut CellsSeen,
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
                for (column, answer) in row.answers.iter().enumerate() {
                    table_row.col(|ui| {
                        let Some(answer) = answer else {
                            ui.weak("—");
                            return;
                        };
                        let cell = AnswerCell {
                            doc: row.doc,
                            title: &row.title,
                            question: &grid.questions[column].1,
                            answer,
                            id: egui::Id::unique(("answer-cell", row.doc, column)),
                        };
                        cell.ui(ui, project, seen, actions);
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

/// What the cells drawn in a frame tell the view.
struct CellsSeen<'a> {
    /// The cell with the keyboard, if one was drawn.
    focused: &'a mut Option<CellFocus>,
    dragging: &'a mut bool,
}

/// One answer in the grid: its text, where words are selected to be coded, then a button
/// that opens it in its document and the codes on its words.
struct AnswerCell<'a> {
    doc: DocId,
    title: &'a str,
    question: &'a str,
    answer: &'a Answer,
    id: egui::Id,
}

impl AnswerCell<'_> {
    fn ui(
        &self,
        ui: &mut egui::Ui,
        project: &Project,
        seen: &mut CellsSeen,
        actions: &mut Vec<Action>,
    ) {
        let answer = self.answer;
        // The cell's characters must be the document's, one for one, for a selection here
        // to code the same words there: an answer whose text has changed in its document
        // since, or that reads right to left (egui's fields set text left to right), is
        // shown and opened, not coded in the grid.
        let codable = answer.in_document && !visual_order::has_right_to_left(&answer.text);
        if codable {
            // Line breaks shown as spaces, one character for one, so the field's character
            // offsets stay the answer's.
            let line: Cow<'_, str> = if answer.text.contains(['\n', '\r', '\t']) {
                Cow::Owned(answer.text.replace(['\n', '\r', '\t'], " "))
            } else {
                Cow::Borrowed(&answer.text)
            };
            let mut read_only: &str = &line;
            let output = egui::TextEdit::singleline(&mut read_only)
                .id(self.id)
                .frame(egui::Frame::NONE)
                .margin(0.0)
                .desired_width(f32::INFINITY)
                .show(ui);
            *seen.dragging |= output.response.is_pointer_button_down_on();
            if output.response.has_focus()
                && let Some(cursor) = output.cursor_range
            {
                let chars = cursor.as_sorted_char_range();
                if let Some(range) = answer.document_range(chars.start.0..chars.end.0) {
                    let at = output.galley.pos_from_cursor(cursor.primary);
                    let end = output.galley_pos + at.left_bottom().to_vec2()
                        - egui::vec2(output.galley.rect.left(), 0.0);
                    *seen.focused = Some(CellFocus {
                        id: self.id,
                        doc: self.doc,
                        range,
                        cursor,
                        end: output.text_clip_rect.clamp(end),
                    });
                }
            }
            // The whole answer on hover when the cell cuts it, but not over a selection's
            // tag bar.
            let cut = output.galley.size().x > output.text_clip_rect.width() + 0.5
                || matches!(line, Cow::Owned(_));
            if cut && !output.response.has_focus() {
                output.response.response.on_hover_text(&answer.text);
            }
        } else {
            let text = snippet::one_line(&answer.text, 200);
            let why = if answer.in_document {
                "Right-to-left text is coded in its document: open it there."
            } else {
                "This answer's text has changed in its document: open it there to code it."
            };
            ui.add(egui::Label::new(text).truncate().selectable(false))
                .on_hover_text(format!("{}\n\n{why}", answer.text));
        }
        ui.horizontal(|ui| {
            let open = ui
                .add(egui::Button::new(RichText::new("↗ open").small()).frame(false))
                .on_hover_text("Open this answer in its document");
            let name = format!("Open {}'s answer to {}", self.title, self.question);
            open.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone()));
            if open.clicked() {
                actions.push(Action::ShowView(CentralView::Document));
                actions.push(Action::SelectPassage {
                    id: answer.passage,
                    scroll: true,
                });
            }
            // The codes as the passages panel shows them: chips in the tags' colours.
            for code in &answer.codes {
                tag_bar::chip_label(ui, project, *code);
            }
        });
    }
}
