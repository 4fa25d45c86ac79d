//! The passages table: every coded passage of the project, filtered by tags (any or all),
//! document, the documents' attributes, words and a query between two tags (overlapping,
//! near, without: [`crate::retrieval::query`]), sorted by any column. A click opens the
//! passage in its document; the passages shown can be given a tag in one undoable step.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{Action, CentralView, snippet, tag_bar, theme};
use crate::model::{DocId, Project, TagId};
use crate::retrieval::query::{self, Query, Relation, TagChoice};
use crate::retrieval::{self, PassageFilter, Prepared, Sort, SortColumn, TagMatch};
use crate::workspace::Workspace;

const EXCERPT_CHARS: usize = 160;

#[derive(Default)]
pub struct PassagesTable {
    pub filter: PassageFilter,
    sort: Sort,
    cached: Option<Cached>,
    /// The tag the passages shown get from "Tag these passages": an existing one, or
    /// (`None`) a new one named `new_tag_name`.
    tag_result_with: Option<TagId>,
    pub new_tag_name: String,
    tagged_note: Option<String>,
}

/// Rows and tag counts for (revision, filter, sort): recomputed only when one changes, so a
/// table of 100,000 passages costs its visible rows per frame.
struct Cached {
    revision: u64,
    filter: PassageFilter,
    sort: Sort,
    rows: Vec<usize>,
    counts: std::collections::HashMap<crate::model::TagId, usize>,
    problems: Vec<String>,
}

impl PassagesTable {
    /// Only the passages carrying `tag` (the Agreement view's click on a tag).
    pub fn show_tag(&mut self, tag: crate::model::TagId) {
        self.filter = PassageFilter {
            tags: vec![tag],
            ..Default::default()
        };
    }

    /// Only the passages carrying every one of `tags` (the Analysis view's click on a
    /// co-occurrence cell).
    pub fn show_all_tags(&mut self, tags: Vec<crate::model::TagId>) {
        self.filter = PassageFilter {
            tags,
            tag_match: TagMatch::All,
            ..Default::default()
        };
    }

    /// Only the passages carrying `tag` in the documents that pass `documents` (a filter in
    /// the syntax of `stats --documents`; the Analysis view's tags × attribute chart).
    pub fn show_tag_in_documents(&mut self, tag: crate::model::TagId, documents: String) {
        self.filter = PassageFilter {
            tags: vec![tag],
            documents,
            ..Default::default()
        };
    }

    /// The rows shown now, as indices into the project's passages (recomputed when stale).
    pub fn rows(&mut self, workspace: &Workspace) -> Vec<usize> {
        let cached = self.take_cached(workspace);
        let rows = cached.rows.clone();
        self.cached = Some(cached);
        rows
    }

    pub fn show_untagged(&mut self) {
        self.filter = PassageFilter {
            untagged_only: true,
            ..Default::default()
        };
    }

    /// The rows and counts for the current filter, taken out of the cache (recomputed when
    /// stale); the caller puts them back with `self.cached = Some(…)` when done.
    fn take_cached(&mut self, workspace: &Workspace) -> Cached {
        let revision = workspace.revision();
        let fresh = self.cached.as_ref().is_some_and(|c| {
            c.revision == revision && c.filter == self.filter && c.sort == self.sort
        });
        if !fresh {
            self.tagged_note = None;
            let project = workspace.project();
            let prepared = Prepared::new(project, &self.filter, &|doc| workspace.text(doc));
            let rows = retrieval::sorted_rows(project, &prepared, self.sort);
            // Counts per tag over the passages the other filters leave, so each tag button
            // tells how many passages choosing it would show.
            let mut counts = std::collections::HashMap::new();
            for (index, annotation) in project.annotations.iter().enumerate() {
                if prepared.matches(index, annotation, true) {
                    for tag in &annotation.tags {
                        *counts.entry(*tag).or_insert(0) += 1;
                    }
                }
            }
            self.cached = Some(Cached {
                revision,
                filter: self.filter.clone(),
                sort: self.sort,
                rows,
                counts,
                problems: prepared.problems,
            });
        }
        self.cached.take().expect("set above")
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace) -> Vec<Action> {
        let mut actions = Vec::new();
        let project = workspace.project();
        self.filters(ui, workspace);
        let cached = self.take_cached(workspace);
        for problem in &cached.problems {
            ui.colored_label(ui.visuals().warn_fg_color, problem);
        }
        if !cached.rows.is_empty() {
            actions.extend(self.tag_result(ui, project, &cached.rows));
        }
        ui.separator();
        if cached.rows.is_empty() {
            ui.weak("No passage matches these filters.");
            self.cached = Some(cached);
            return actions;
        }
        let rows = &cached.rows;
        let mut clicked_header = None;
        let sort = self.sort;
        TableBuilder::new(ui)
            .id_salt("passages-table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(150.0).at_least(80.0).clip(true))
            .column(Column::initial(120.0).at_least(50.0).clip(true))
            .column(Column::initial(140.0).at_least(60.0).clip(true))
            .column(Column::remainder().at_least(200.0).clip(true))
            .column(Column::initial(170.0).at_least(60.0).clip(true))
            .column(Column::initial(60.0).at_least(40.0).clip(true))
            .column(Column::initial(84.0).at_least(60.0).clip(true))
            .header(24.0, |mut header| {
                for column in SortColumn::ALL {
                    header.col(|ui| {
                        let arrow = match (sort.column == column, sort.ascending) {
                            (false, _) => "",
                            (true, true) => " ^",
                            (true, false) => " v",
                        };
                        let label = format!("{}{arrow}", column.title());
                        if ui
                            .add(egui::Button::new(RichText::new(label).strong()).frame(false))
                            .on_hover_text("Sort by this column; again to reverse")
                            .clicked()
                        {
                            clicked_header = Some(column);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(theme::TABLE_ROW_HEIGHT, rows.len(), |mut row| {
                    let annotation = &project.annotations[rows[row.index()]];
                    row.col(|ui| {
                        let title = project
                            .document(annotation.doc)
                            .map_or("(missing document)", |d| d.title.as_str());
                        ui.add(egui::Label::new(title).truncate().selectable(false));
                    });
                    row.col(|ui| {
                        let speech = crate::export::Speech::of(project, annotation)
                            .label_with(|name| snippet::one_line(name, 40));
                        ui.add(egui::Label::new(speech).truncate().selectable(false));
                    });
                    row.col(|ui| {
                        if annotation.tags.is_empty() {
                            ui.weak("untagged");
                        }
                        for tag in &annotation.tags {
                            tag_bar::chip_label(ui, project, *tag);
                        }
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(excerpt(&annotation.quote))
                                .truncate()
                                .selectable(false),
                        )
                        .on_hover_text(&annotation.quote);
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(excerpt(&annotation.note))
                                .truncate()
                                .selectable(false),
                        );
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&annotation.coder).selectable(false));
                    });
                    row.col(|ui| {
                        let date = annotation.created.get(..10).unwrap_or(&annotation.created);
                        ui.add(egui::Label::new(RichText::new(date).weak()).selectable(false));
                    });
                    if row.response().clicked() {
                        actions.push(Action::SelectPassage {
                            id: annotation.id,
                            scroll: true,
                        });
                        actions.push(Action::ShowView(CentralView::Document));
                    }
                });
            });
        if let Some(column) = clicked_header {
            self.sort = if self.sort.column == column {
                Sort {
                    column,
                    ascending: !self.sort.ascending,
                }
            } else {
                Sort {
                    column,
                    ascending: true,
                }
            };
        }
        self.cached = Some(cached);
        actions
    }

    fn filters(&mut self, ui: &mut egui::Ui, workspace: &Workspace) {
        let project = workspace.project();
        let cached = self.take_cached(workspace);
        let shown = cached.rows.len();
        let counts = &cached.counts;
        let total = project.annotations.len();
        ui.horizontal(|ui| {
            ui.heading("Coded passages");
            ui.weak(format!("{shown} of {total}"));
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Tags:");
            for tag in &project.codebook {
                let on = self.filter.tags.contains(&tag.id);
                let color = theme::tag_color(project, tag.id);
                let count = counts.get(&tag.id).copied().unwrap_or(0);
                let text = RichText::new(format!("{} ({count})", tag.name)).color(if on {
                    theme::text_on(color)
                } else {
                    ui.visuals().text_color()
                });
                let button = egui::Button::new(text)
                    .fill(if on { color } else { color.gamma_multiply(0.2) })
                    .stroke(egui::Stroke::new(1.0, color))
                    .corner_radius(theme::CHIP_RADIUS);
                if ui
                    .add(button)
                    .on_hover_text("Show passages with this tag")
                    .clicked()
                {
                    if on {
                        self.filter.tags.retain(|t| *t != tag.id);
                    } else {
                        self.filter.tags.push(tag.id);
                    }
                }
            }
            ui.separator();
            ui.selectable_value(&mut self.filter.tag_match, TagMatch::Any, "any")
                .on_hover_text("Passages with at least one of the chosen tags");
            ui.selectable_value(&mut self.filter.tag_match, TagMatch::All, "all")
                .on_hover_text("Passages with every chosen tag");
            ui.checkbox(&mut self.filter.untagged_only, "untagged only");
        });
        ui.horizontal(|ui| {
            ui.label("Document:");
            let current = self
                .filter
                .document
                .and_then(|d| project.document(d))
                .map_or("all documents", |d| d.title.as_str());
            egui::ComboBox::from_id_salt("table-document")
                .selected_text(current)
                .width(260.0)
                .truncate()
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.document, None, "all documents");
                    for document in &project.documents {
                        ui.selectable_value(
                            &mut self.filter.document,
                            Some(document.id) as Option<DocId>,
                            &document.title,
                        );
                    }
                });
            let label = ui.label("Words:");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.text)
                    .hint_text("in passages, notes, coders")
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
            if ui.button("Clear filters").clicked() {
                self.filter = PassageFilter::default();
            }
        });
        if !project.attributes.is_empty() || !self.filter.documents.is_empty() {
            ui.horizontal(|ui| {
                let label = ui.label("Documents where:");
                ui.add(
                    egui::TextEdit::singleline(&mut self.filter.documents)
                        .hint_text("attributes, e.g. outlet=Telegraph, year>=2020")
                        .desired_width(360.0),
                )
                .labelled_by(label.id)
                .on_hover_text(
                    "The syntax of `marginalia stats --documents`: NAME=VALUE|VALUE, \
                     NAME!=VALUE, NAME<VALUE, NAME>=VALUE…, conditions separated by commas",
                );
            });
        }
        self.query_row(ui, project);
        self.cached = Some(cached);
    }

    /// "Query: passages of A [with|without] B [on the same passage|overlapping|near…]".
    fn query_row(&mut self, ui: &mut egui::Ui, project: &Project) {
        let name = |id: TagId| project.tag(id).map_or("(deleted tag)", |t| t.name.as_str());
        ui.horizontal_wrapped(|ui| {
            ui.label("Query: passages of");
            let current = self.filter.query.map_or("(no query)", |q| name(q.tag));
            let mut chosen = self.filter.query.map(|q| q.tag);
            egui::ComboBox::from_id_salt("query-tag")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen, None, "(no query)");
                    for tag in &project.codebook {
                        ui.selectable_value(&mut chosen, Some(tag.id), &tag.name);
                    }
                });
            if chosen != self.filter.query.map(|q| q.tag) {
                self.filter.query = chosen.map(|tag| {
                    let other = self
                        .filter
                        .query
                        .map(|q| q.other)
                        .or_else(|| project.codebook.iter().map(|t| t.id).find(|t| *t != tag))
                        .unwrap_or(tag);
                    let (relation, without) = self
                        .filter
                        .query
                        .map_or((Relation::Overlapping, false), |q| (q.relation, q.without));
                    Query {
                        tag,
                        other,
                        relation,
                        without,
                    }
                });
            }
            let Some(query) = &mut self.filter.query else {
                return;
            };
            egui::ComboBox::from_id_salt("query-without")
                .selected_text(if query.without { "without" } else { "with" })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut query.without, false, "with");
                    ui.selectable_value(&mut query.without, true, "without");
                });
            egui::ComboBox::from_id_salt("query-other")
                .selected_text(name(query.other))
                .show_ui(ui, |ui| {
                    for tag in &project.codebook {
                        ui.selectable_value(&mut query.other, tag.id, &tag.name);
                    }
                });
            let within = match query.relation {
                Relation::Within(n) => n,
                _ => 100,
            };
            egui::ComboBox::from_id_salt("query-relation")
                .selected_text(relation_label(query.relation))
                .show_ui(ui, |ui| {
                    for relation in [
                        Relation::SamePassage,
                        Relation::Overlapping,
                        Relation::SameParagraph,
                        Relation::Within(within),
                    ] {
                        ui.selectable_value(
                            &mut query.relation,
                            relation,
                            relation_label(relation),
                        )
                        .on_hover_text(relation_help(relation));
                    }
                });
            if let Relation::Within(n) = &mut query.relation {
                ui.add(
                    egui::DragValue::new(n)
                        .range(0..=1_000_000)
                        .suffix(" characters"),
                );
            }
        });
    }

    /// "Tag these N passages with [tag ▾] [name of a new tag] [Tag]": one undoable edit.
    fn tag_result(&mut self, ui: &mut egui::Ui, project: &Project, rows: &[usize]) -> Vec<Action> {
        let mut actions = Vec::new();
        if self
            .tag_result_with
            .is_some_and(|t| project.tag(t).is_none())
        {
            self.tag_result_with = None;
        }
        ui.horizontal(|ui| {
            let label = ui.label(format!("Tag these {} passage(s) with", rows.len()));
            let current = self
                .tag_result_with
                .and_then(|t| project.tag(t))
                .map_or("a new tag", |t| t.name.as_str());
            egui::ComboBox::from_id_salt("tag-result-with")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.tag_result_with, None, "a new tag");
                    for tag in &project.codebook {
                        ui.selectable_value(&mut self.tag_result_with, Some(tag.id), &tag.name);
                    }
                });
            // A new tag is named after the query unless the person names it.
            let suggested = self
                .filter
                .query
                .map_or_else(|| "found".to_owned(), |q| q.describe(project));
            if self.tag_result_with.is_none() {
                ui.add(
                    egui::TextEdit::singleline(&mut self.new_tag_name)
                        .hint_text(&suggested)
                        .desired_width(240.0),
                )
                .labelled_by(label.id);
            }
            let clicked = ui
                .button("Tag them")
                .on_hover_text("Give every passage shown the tag, as one step that Undo takes back")
                .clicked();
            if clicked {
                let choice = match self.tag_result_with {
                    Some(tag) => TagChoice::Existing(tag),
                    None if self.new_tag_name.trim().is_empty() => TagChoice::New(suggested),
                    None => TagChoice::New(self.new_tag_name.clone()),
                };
                match query::tag_passages(project, rows, &choice) {
                    Some(edit) => {
                        actions.push(Action::Apply {
                            edit: Box::new(edit),
                            label: "tag passages found",
                            coalesce: None,
                        });
                        self.new_tag_name.clear();
                        self.tagged_note = None;
                    }
                    None => {
                        self.tagged_note =
                            Some("Every passage shown has this tag already.".to_owned());
                    }
                }
            }
            if let Some(note) = &self.tagged_note {
                ui.weak(note);
            }
        });
        actions
    }
}

fn relation_label(relation: Relation) -> String {
    match relation {
        Relation::SamePassage => "on the same passage".to_owned(),
        Relation::Overlapping => "overlapping".to_owned(),
        Relation::SameParagraph => "in the same paragraph".to_owned(),
        Relation::Within(_) => "within".to_owned(),
    }
}

fn relation_help(relation: Relation) -> &'static str {
    match relation {
        Relation::SamePassage => "The passage carries both tags",
        Relation::Overlapping => "A passage with the other tag shares text with it",
        Relation::SameParagraph => "A passage with the other tag is in one of its paragraphs",
        Relation::Within(_) => "A passage with the other tag is at most so many characters away",
    }
}

fn excerpt(text: &str) -> String {
    super::snippet::one_line(text, EXCERPT_CHARS)
}
