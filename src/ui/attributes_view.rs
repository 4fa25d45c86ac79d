//! The Attributes view: the documents' attribute values in a grid (a row per document, a
//! column per attribute), each cell edited with the widget of its attribute's kind — a text
//! field for text, a checked text field for numbers and `YYYY-MM-DD` dates (dates with a
//! calendar button too), a combo box for choices — and the attributes themselves added,
//! renamed and deleted. Every change is one undoable edit; the keystrokes of one visit to a
//! field are one step.

use egui::{Id, RichText, Stroke};
use egui_extras::{Column, TableBuilder};

use super::project_text_field::{self, FieldLook};
use super::{Action, theme};
use crate::edit::Edit;
use std::collections::BTreeMap;

use crate::model::{Attribute, AttributeId, AttributeKind, Case, Document, Project};
use crate::workspace::Workspace;

/// The kinds a new attribute can take, as the form offers them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum NewKind {
    #[default]
    Text,
    Number,
    Date,
    Choice,
}

impl NewKind {
    const ALL: [NewKind; 4] = [
        NewKind::Text,
        NewKind::Number,
        NewKind::Date,
        NewKind::Choice,
    ];

    fn label(self) -> &'static str {
        match self {
            NewKind::Text => "text",
            NewKind::Number => "number",
            NewKind::Date => "date (YYYY-MM-DD)",
            NewKind::Choice => "choice",
        }
    }
}

#[derive(Default)]
pub struct AttributesView {
    new_name: String,
    new_kind: NewKind,
    /// The values of a new choice attribute, separated by commas.
    new_choices: String,
}

impl AttributesView {
    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace) -> Vec<Action> {
        let mut actions = Vec::new();
        let project = workspace.project();
        ui.heading("Document attributes");
        ui.add(
            egui::Label::new(
                RichText::new(
                    "What each document is (its outlet, date, author…), for comparing codings \
                     between kinds of documents. Every change can be undone.",
                )
                .weak(),
            )
            .wrap(),
        );
        self.new_attribute_form(ui, project, &mut actions);
        if project.attributes.is_empty() {
            ui.weak("No attributes yet: add one above.");
            return actions;
        }
        definitions(ui, project, &mut actions);
        ui.separator();
        if project.documents.is_empty() {
            ui.weak("The project has no documents.");
            return actions;
        }
        grid(ui, project, &mut actions);
        actions
    }

    fn new_attribute_form(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        actions: &mut Vec<Action>,
    ) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("New attribute:");
            ui.add(
                egui::TextEdit::singleline(&mut self.new_name)
                    .hint_text("name")
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
            egui::ComboBox::from_id_salt("new-attribute-kind")
                .selected_text(self.new_kind.label())
                .show_ui(ui, |ui| {
                    for kind in NewKind::ALL {
                        ui.selectable_value(&mut self.new_kind, kind, kind.label());
                    }
                });
            if self.new_kind == NewKind::Choice {
                let label = ui.label("Choices:");
                ui.add(
                    egui::TextEdit::singleline(&mut self.new_choices)
                        .hint_text("separated by commas")
                        .desired_width(200.0),
                )
                .labelled_by(label.id);
            }
            let name = self.new_name.trim();
            let choices: Vec<String> = self
                .new_choices
                .split(',')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect();
            let problem = if name.is_empty() {
                Some("Give the attribute a name")
            } else if project.attribute_by_name(name).is_some() {
                Some("An attribute has this name already")
            } else if self.new_kind == NewKind::Choice && choices.is_empty() {
                Some("List the values it can take")
            } else {
                None
            };
            let add = ui
                .add_enabled(problem.is_none(), egui::Button::new("Add attribute"))
                .on_disabled_hover_text(problem.unwrap_or_default());
            if add.clicked() {
                let kind = match self.new_kind {
                    NewKind::Text => AttributeKind::Text,
                    NewKind::Number => AttributeKind::Number,
                    NewKind::Date => AttributeKind::Date,
                    NewKind::Choice => AttributeKind::Choice(choices),
                };
                actions.push(Action::Apply {
                    edit: Box::new(Edit::InsertAttribute {
                        index: project.attributes.len(),
                        attribute: Attribute {
                            id: project.next_attribute_id(),
                            name: name.to_owned(),
                            kind,
                            description: String::new(),
                        },
                    }),
                    label: "add attribute",
                    coalesce: None,
                });
                self.new_name.clear();
                self.new_choices.clear();
            }
        });
    }
}

/// The attributes: each one's name (renamed as typed), kind and a Delete button.
fn definitions(ui: &mut egui::Ui, project: &Project, actions: &mut Vec<Action>) {
    egui::CollapsingHeader::new(format!("Attributes ({})", project.attributes.len()))
        .id_salt("attribute-definitions")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("attribute-definitions-grid")
                .num_columns(3)
                .spacing([10.0, 4.0])
                .show(ui, |ui| {
                    for attribute in &project.attributes {
                        let field = project_text_field::show(
                            ui,
                            Id::unique(("attribute-name", attribute.id)),
                            &attribute.name,
                            FieldLook::single_line(160.0),
                        );
                        field.response.on_hover_text("Rename the attribute");
                        if let Some((typed, coalesce)) = field.typed {
                            let typed = typed.trim();
                            // Kept as it was until the new name is free and not empty.
                            let taken = project
                                .attributes
                                .iter()
                                .any(|a| a.id != attribute.id && a.name == typed);
                            if !typed.is_empty() && !taken && typed != attribute.name {
                                let mut renamed = attribute.clone();
                                renamed.name = typed.to_owned();
                                actions.push(Action::Apply {
                                    edit: Box::new(Edit::UpdateAttribute(renamed)),
                                    label: "rename attribute",
                                    coalesce: Some(coalesce),
                                });
                            }
                        }
                        let kind = match &attribute.kind {
                            AttributeKind::Choice(values) => format!("choice: {}", values.join(", ")),
                            AttributeKind::Date => "date (YYYY-MM-DD)".to_owned(),
                            other => other.name().to_owned(),
                        };
                        ui.weak(kind);
                        let valued = project
                            .documents
                            .iter()
                            .filter(|d| d.attributes.contains_key(&attribute.id))
                            .count();
                        if ui
                            .button("Delete")
                            .on_hover_text(format!(
                                "Delete “{}” and its values in {valued} document(s); Undo brings them back",
                                attribute.name
                            ))
                            .clicked()
                        {
                            actions.push(Action::Apply {
                                edit: Box::new(Edit::RemoveAttribute(attribute.id)),
                                label: "delete attribute",
                                coalesce: None,
                            });
                        }
                        ui.end_row();
                    }
                });
        });
}

/// Documents × attributes.
fn grid(ui: &mut egui::Ui, project: &Project, actions: &mut Vec<Action>) {
    let row_height = theme::TABLE_ROW_HEIGHT + 6.0;
    TableBuilder::new(ui)
        .id_salt("attributes-grid")
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(220.0).at_least(100.0).clip(true))
        .columns(
            Column::initial(160.0).at_least(90.0).clip(true),
            project.attributes.len(),
        )
        .header(24.0, |mut header| {
            header.col(|ui| {
                ui.strong("Document");
            });
            for attribute in &project.attributes {
                header.col(|ui| {
                    ui.strong(&attribute.name).on_hover_text(format!(
                        "{} ({})",
                        attribute.name,
                        attribute.kind.name()
                    ));
                });
            }
        })
        .body(|body| {
            body.rows(row_height, project.documents.len(), |mut row| {
                let document = &project.documents[row.index()];
                let mut title_id = None;
                row.col(|ui| {
                    let title = ui.add(
                        egui::Label::new(&document.title)
                            .truncate()
                            .selectable(false),
                    );
                    title_id = Some(title.id);
                });
                for attribute in &project.attributes {
                    row.col(|ui| {
                        if let Some(action) =
                            cell(ui, ValueOwner::Document(document), attribute, title_id)
                        {
                            actions.push(action);
                        }
                    });
                }
            });
        });
}

/// What carries attribute values: a document, or a case (a person across documents).
#[derive(Clone, Copy)]
pub(super) enum ValueOwner<'a> {
    Document(&'a Document),
    Case(&'a Case),
}

impl ValueOwner<'_> {
    fn values(&self) -> &BTreeMap<AttributeId, String> {
        match self {
            ValueOwner::Document(document) => &document.attributes,
            ValueOwner::Case(case) => &case.attributes,
        }
    }

    /// Tells the widgets of one owner's cells from another's.
    fn salt(&self) -> (&'static str, u32) {
        match self {
            ValueOwner::Document(document) => ("document", document.id),
            ValueOwner::Case(case) => ("case", case.id),
        }
    }

    /// The edit that gives the owner `value` of `attribute` (`None`: no value).
    fn set(&self, attribute: AttributeId, value: Option<String>) -> Edit {
        match self {
            ValueOwner::Document(document) => Edit::SetAttributeValue {
                doc: document.id,
                attribute,
                value,
            },
            ValueOwner::Case(case) => {
                let mut changed = (*case).clone();
                match value {
                    Some(value) => changed.attributes.insert(attribute, value),
                    None => changed.attributes.remove(&attribute),
                };
                Edit::UpdateCase(changed)
            }
        }
    }
}

/// One document's or case's value of one attribute, with the widget of the attribute's
/// kind.
pub(super) fn cell(
    ui: &mut egui::Ui,
    owner: ValueOwner<'_>,
    attribute: &Attribute,
    labelled_by: Option<Id>,
) -> Option<Action> {
    let stored = owner.values().get(&attribute.id);
    let salt = owner.salt();
    let set = |value: Option<String>, coalesce: Option<u64>| Action::Apply {
        edit: Box::new(owner.set(attribute.id, value)),
        label: "set attribute value",
        coalesce,
    };
    if let AttributeKind::Choice(values) = &attribute.kind {
        let mut chosen = stored.cloned();
        let before = chosen.clone();
        let combo = egui::ComboBox::from_id_salt(("attribute-choice", salt, attribute.id))
            .selected_text(chosen.as_deref().unwrap_or("—"))
            .width(ui.available_width() - 8.0)
            .truncate()
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, "— (no value)");
                for value in values {
                    ui.selectable_value(&mut chosen, Some(value.clone()), value);
                }
            });
        if let Some(label) = labelled_by {
            combo.response.labelled_by(label);
        }
        return (chosen != before).then(|| set(chosen, None));
    }
    let id = Id::unique(("attribute-value", salt, attribute.id));
    let is_date = attribute.kind == AttributeKind::Date;
    // A date's field leaves room for its calendar button.
    let picker_width = if is_date { DATE_BUTTON_WIDTH } else { 0.0 };
    let field = project_text_field::show(
        ui,
        id,
        stored.map_or("", String::as_str),
        FieldLook::single_line(ui.available_width() - 8.0 - picker_width),
    );
    let response = match labelled_by {
        Some(label) => field.response.labelled_by(label),
        None => field.response,
    };
    // What was typed and does not fit the kind is shown (outlined) but not stored until it
    // does; leaving the field shows the stored value again.
    let problem_id = id.with("problem");
    let mut action = None;
    if let Some((typed, coalesce)) = field.typed {
        let value = (!typed.is_empty()).then_some(typed);
        match value.as_deref().map(|v| attribute.kind.check(v)) {
            Some(Err(problem)) => ui.data_mut(|d| {
                d.insert_temp(problem_id, problem);
            }),
            _ => {
                ui.data_mut(|d| d.remove::<String>(problem_id));
                if value.as_ref() != stored {
                    action = Some(set(value, Some(coalesce)));
                }
            }
        }
    }
    if !response.has_focus() {
        ui.data_mut(|d| d.remove::<String>(problem_id));
    }
    if let Some(problem) = ui.data(|d| d.get_temp::<String>(problem_id)) {
        ui.painter().rect_stroke(
            response.rect,
            theme::SWATCH_RADIUS,
            Stroke::new(1.5, ui.visuals().error_fg_color),
            egui::StrokeKind::Outside,
        );
        response.on_hover_text(format!("{problem}; not stored until it fits"));
    }
    if is_date && let Some(picked) = date_picker(ui, salt, attribute, stored) {
        action = Some(set(Some(picked), None));
    }
    action
}

/// Room for the calendar button beside a date's field.
const DATE_BUTTON_WIDTH: f32 = 52.0;

/// The calendar button beside a date's field: the date chosen in its calendar, as
/// `YYYY-MM-DD`, when one is chosen. It opens on the stored date, or today without one.
fn date_picker(
    ui: &mut egui::Ui,
    (owner, owner_id): (&str, u32),
    attribute: &Attribute,
    stored: Option<&String>,
) -> Option<String> {
    let shown = stored
        .and_then(|v| v.parse::<jiff::civil::Date>().ok())
        .unwrap_or_else(|| jiff::Zoned::now().date());
    let mut date = shown;
    let salt = format!("attribute-date-{owner}-{owner_id}-{}", attribute.id);
    let saved = ui
        .add(
            // Text, not the widget's calendar emoji, which the app's fonts lack.
            egui_extras::DatePickerButton::new(&mut date)
                .id_salt(&salt)
                .format("Pick…")
                .show_icon(false)
                .calendar_week(false),
        )
        .on_hover_text(format!("Choose {} in a calendar", attribute.name))
        .changed();
    // Saved in the calendar: stored even when it is the date it opened on (today).
    (saved && Some(&date.to_string()) != stored).then(|| date.to_string())
}
