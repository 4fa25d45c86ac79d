//! Right panel: the selected passage (tags, note, delete) and every passage of the current
//! document in reading order.

use egui::RichText;

use super::project_text_field::{self, FieldLook};
use super::{Action, tag_bar, theme};
use crate::model::{Annotation, AnnotationId, DocId};
use crate::workspace::Workspace;

const EXCERPT_CHARS: usize = 110;

#[derive(Default)]
pub struct PassagesPanel;

impl PassagesPanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        workspace: &Workspace,
        doc: Option<DocId>,
        selected: Option<AnnotationId>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let project = workspace.project();
        if let Some(annotation) = selected.and_then(|id| workspace.annotation(id)) {
            self.selected_passage(ui, workspace, annotation, &mut actions);
            ui.separator();
        }

        let Some(doc) = doc else {
            return actions;
        };
        // The document's passages are one stretch of the sorted list: no walk, no cache.
        let passages = project.annotations_slice_of(doc);
        ui.heading(format!("Passages ({})", passages.len()));
        if passages.is_empty() {
            ui.weak("Select text in the document, then press a tag's key or click its chip.");
            return actions;
        }
        egui::ScrollArea::vertical()
            .id_salt(("passages", doc))
            .auto_shrink([false, false])
            .show_rows(ui, theme::PASSAGE_ROW_HEIGHT, passages.len(), |ui, rows| {
                for annotation in &passages[rows] {
                    let is_selected = selected == Some(annotation.id);
                    let response = egui::Frame::new()
                        .inner_margin(egui::Margin::symmetric(4, 2))
                        .fill(if is_selected {
                            ui.visuals().selection.bg_fill.gamma_multiply(0.35)
                        } else {
                            egui::Color32::TRANSPARENT
                        })
                        .show(ui, |ui| {
                            ui.set_min_height(theme::PASSAGE_ROW_HEIGHT - 6.0);
                            ui.set_width(ui.available_width());
                            ui.horizontal(|ui| {
                                for tag in &annotation.tags {
                                    tag_bar::chip_label(ui, project, *tag);
                                }
                                if annotation.tags.is_empty() {
                                    ui.weak("untagged");
                                }
                                let speech = crate::export::Speech::of(project, annotation)
            .label_with(|name| super::snippet::one_line(name, 40));
                                if !speech.is_empty() {
                                    ui.add(
                                        egui::Label::new(
                                            RichText::new(speech)
                                                .small()
                                                .weak(),
                                        )
                                        .truncate(),
                                    );
                                }
                                if !workspace.is_anchored(annotation) {
                                    ui.colored_label(ui.visuals().warn_fg_color, "text changed")
                                        .on_hover_text(
                                            "The document's text at this span no longer matches the quote",
                                        );
                                }
                            });
                            ui.add(egui::Label::new(super::snippet::one_line(&annotation.quote, EXCERPT_CHARS)).truncate());
                            if !annotation.note.is_empty() {
                                ui.add(
                                    egui::Label::new(
                                        RichText::new(format!("Note: {}", annotation.note))
                                            .small()
                                            .italics(),
                                    )
                                    .truncate(),
                                );
                            }
                        })
                        .response;
                    let response = super::focus::clickable_row(ui, &response);
                    super::focus::register_row(
                        ui,
                        super::focus::Region::Passages,
                        &response,
                        is_selected,
                    );
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(
                            egui::Role::ListItem,
                            true,
                            is_selected,
                            passage_name(project, annotation),
                        )
                    });
                    if response.clicked() {
                        actions.push(Action::SelectPassage {
                            id: annotation.id,
                            scroll: true,
                        });
                    }
                }
            });
        actions
    }

    fn selected_passage(
        &mut self,
        ui: &mut egui::Ui,
        workspace: &Workspace,
        annotation: &Annotation,
        actions: &mut Vec<Action>,
    ) {
        let project = workspace.project();
        ui.heading("Selected passage");
        let speech = crate::export::Speech::of(project, annotation)
            .label_with(|name| super::snippet::one_line(name, 40));
        if !speech.is_empty() {
            ui.strong(speech);
        }
        ui.weak(format!(
            "characters {}–{} ({} long)",
            annotation.start,
            annotation.end,
            annotation.len()
        ));
        ui.add_space(2.0);
        egui::ScrollArea::vertical()
            .id_salt("selected-quote")
            .max_height(110.0)
            .show(ui, |ui| {
                ui.label(
                    RichText::new(format!("“{}”", super::snippet::lines(&annotation.quote)))
                        .italics(),
                );
            });
        if !workspace.is_anchored(annotation) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "The document changed: the text at this span is no longer this quote.",
            );
        }
        ui.add_space(4.0);
        ui.label("Tags");
        if let Some(tag) = tag_bar::chips(ui, project, Some(&annotation.tags)) {
            actions.push(Action::ToggleTag {
                passage: annotation.id,
                tag,
            });
        }
        ui.add_space(4.0);
        let note_label = ui.label("Note");
        let note = project_text_field::show(
            ui,
            egui::Id::unique(("passage-note", annotation.id)),
            &annotation.note,
            FieldLook::multiline(3, "Why this passage matters…"),
        );
        note.response.labelled_by(note_label.id);
        if let Some((note, coalesce)) = note.typed {
            actions.push(Action::SetNote {
                passage: annotation.id,
                note,
                coalesce,
            });
        }
        ui.add_space(4.0);
        if ui
            .button("Delete passage")
            .on_hover_text("Delete (Del)")
            .clicked()
        {
            actions.push(Action::DeletePassage(annotation.id));
        }
    }
}

/// A passage as a screen reader names it: its tags, then its text ("quote, statistic:
/// Scotland Yard has so far…").
pub fn passage_name(project: &crate::model::Project, annotation: &Annotation) -> String {
    let tags: Vec<&str> = annotation
        .tags
        .iter()
        .filter_map(|t| project.tag(*t).map(|t| t.name.as_str()))
        .collect();
    let tags = if tags.is_empty() {
        "untagged".to_owned()
    } else {
        tags.join(", ")
    };
    format!(
        "{tags}: {}",
        super::snippet::flattened(&annotation.quote, EXCERPT_CHARS)
    )
}
