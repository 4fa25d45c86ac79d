//! The passages table: every coded passage of the project, filtered by tags (any or all),
//! document and words, sorted by any column. A click opens the passage in its document.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::{Action, CentralView, tag_bar, theme};
use crate::model::{DocId, Project};
use crate::retrieval::{self, PassageFilter, Sort, SortColumn, TagMatch};

const EXCERPT_CHARS: usize = 160;

#[derive(Default)]
pub struct PassagesTable {
    pub filter: PassageFilter,
    sort: Sort,
    cached: Option<Cached>,
}

/// Rows and tag counts for (revision, filter, sort): recomputed only when one changes, so a
/// table of 100,000 passages costs its visible rows per frame.
struct Cached {
    revision: u64,
    filter: PassageFilter,
    sort: Sort,
    rows: Vec<usize>,
    counts: std::collections::HashMap<crate::model::TagId, usize>,
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

    pub fn show_untagged(&mut self) {
        self.filter = PassageFilter {
            untagged_only: true,
            ..Default::default()
        };
    }

    /// The rows and counts for the current filter, taken out of the cache (recomputed when
    /// stale); the caller puts them back with `self.cached = Some(…)` when done.
    fn take_cached(&mut self, project: &Project, revision: u64) -> Cached {
        let fresh = self.cached.as_ref().is_some_and(|c| {
            c.revision == revision && c.filter == self.filter && c.sort == self.sort
        });
        if !fresh {
            let rows = retrieval::passages(project, &self.filter, self.sort);
            // Counts per tag over the passages the other filters leave, so each tag button
            // tells how many passages choosing it would show.
            let without_tags = PassageFilter {
                tags: Vec::new(),
                ..self.filter.clone()
            };
            let folded = retrieval::lowercase(without_tags.text.trim());
            let mut counts = std::collections::HashMap::new();
            for annotation in &project.annotations {
                if without_tags.matches(annotation, &folded) {
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
            });
        }
        self.cached.take().expect("set above")
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, project: &Project, revision: u64) -> Vec<Action> {
        let mut actions = Vec::new();
        self.filters(ui, project, revision);
        ui.separator();
        let cached = self.take_cached(project, revision);
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

    fn filters(&mut self, ui: &mut egui::Ui, project: &Project, revision: u64) {
        let cached = self.take_cached(project, revision);
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
        self.cached = Some(cached);
    }
}

fn excerpt(text: &str) -> String {
    super::passages_panel::excerpt(text, EXCERPT_CHARS)
}
