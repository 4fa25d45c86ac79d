//! The codebook: every tag with its colour, key and passage count; the selected tag's
//! name, colour, key, parent and description are edited in place. Reorder, merge, delete.

use std::collections::HashMap;

use egui::{Color32, RichText};

use super::project_text_field::{self, FieldLook};
use super::{Action, theme};
use crate::codebook::{self, TAG_KEYS};
use crate::edit::Edit;
use crate::export::Format;
use crate::model::{Project, Tag, TagId};
use crate::workspace::{PassageChange, Workspace};

#[derive(Default)]
pub struct CodebookPanel {
    /// The tag whose details are open.
    selected: Option<TagId>,
    /// Focus the name field of a tag just added, so it can be named at once.
    focus_name: bool,
    /// Passages per tag and untagged passages, for the project revision they were counted at:
    /// counting 100,000 passages every frame would cost more than drawing the window.
    counts: Option<(u64, HashMap<TagId, usize>, usize)>,
}

impl CodebookPanel {
    /// Passages per tag, brought up to date from what the edits since the last count did
    /// (one new passage: one count changed), or counted afresh when that is not known.
    fn count_passages(&mut self, workspace: &Workspace) {
        let revision = workspace.revision();
        let changes = match &self.counts {
            Some((counted_at, _, _)) if *counted_at == revision => return,
            Some((counted_at, _, _)) => workspace.passage_changes_since(*counted_at),
            None => None,
        };
        match (changes, self.counts.as_mut()) {
            (Some(changes), Some((counted_at, counts, untagged))) => {
                for change in changes {
                    let (passage, step): (_, isize) = match change {
                        PassageChange::Added(p) => (p, 1),
                        PassageChange::Removed(p) => (p, -1),
                    };
                    if passage.tags.is_empty() {
                        *untagged = untagged.saturating_add_signed(step);
                    }
                    for tag in &passage.tags {
                        let count = counts.entry(*tag).or_default();
                        *count = count.saturating_add_signed(step);
                    }
                }
                *counted_at = revision;
            }
            _ => {
                let project = workspace.project();
                let untagged = codebook::untagged(project).count();
                self.counts = Some((revision, codebook::tag_counts(project), untagged));
            }
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace) -> Vec<Action> {
        let project = workspace.project();
        let mut actions = Vec::new();
        if self.selected.is_some_and(|id| project.tag(id).is_none()) {
            self.selected = None;
        }
        ui.horizontal(|ui| {
            ui.heading("Codebook");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("New tag")
                    .on_hover_text("Add a tag to the codebook")
                    .clicked()
                {
                    let edit = codebook::add_tag(project, "new tag");
                    if let Edit::InsertTag { tag, .. } = &edit {
                        self.selected = Some(tag.id);
                        self.focus_name = true;
                    }
                    actions.push(Action::Apply {
                        edit: Box::new(edit),
                        label: "add tag",
                        coalesce: None,
                    });
                }
            });
        });
        self.count_passages(workspace);
        // Taken out while the rows borrow `self`, put back below.
        let (counted_at, counts, untagged) = self.counts.take().expect("counted above");
        egui::ScrollArea::vertical()
            .id_salt("codebook")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (tag, depth) in codebook::display_order(project) {
                    let count = counts.get(&tag.id).copied().unwrap_or(0);
                    self.tag_row(ui, project, tag, depth, count, &mut actions);
                    if self.selected == Some(tag.id) {
                        self.details(ui, project, tag, &mut actions);
                    }
                }
                if untagged > 0 {
                    ui.add_space(4.0);
                    let response = ui
                        .add(
                            egui::Label::new(
                                RichText::new(format!("{untagged} untagged passage(s)"))
                                    .color(ui.visuals().warn_fg_color),
                            )
                            .sense(egui::Sense::click()),
                        )
                        .on_hover_text(
                            "Passages whose tags were deleted. They are kept; \
                             show them in the passages table to tag or delete them.",
                        );
                    if response.clicked() {
                        actions.push(Action::ShowUntagged);
                    }
                }
                ui.add_space(6.0);
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .small_button("Import codebook…")
                        .on_hover_text(
                            "Add the tags of a REFI-QDA codebook (.qdc) or another project (.ron)",
                        )
                        .clicked()
                    {
                        actions.push(Action::ImportCodebookDialog);
                    }
                    if ui
                        .small_button("Export codebook…")
                        .on_hover_text("Save the codebook alone as a REFI-QDA codebook (.qdc)")
                        .clicked()
                    {
                        actions.push(Action::ExportDialog(crate::export::ExportChoice::plain(
                            Format::Qdc,
                        )));
                    }
                });
            });
        self.counts = Some((counted_at, counts, untagged));
        actions
    }

    fn tag_row(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        tag: &Tag,
        depth: usize,
        count: usize,
        actions: &mut Vec<Action>,
    ) {
        let selected = self.selected == Some(tag.id);
        let color = theme::tag_color(project, tag.id);
        let response = egui::Frame::new()
            .inner_margin(egui::Margin {
                left: 4 + 16 * depth as i8,
                right: 4,
                top: 2,
                bottom: 2,
            })
            .corner_radius(theme::ROW_RADIUS)
            .fill(if selected {
                ui.visuals().selection.bg_fill.gamma_multiply(0.4)
            } else {
                Color32::TRANSPARENT
            })
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    let (swatch, _) =
                        ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
                    ui.painter()
                        .rect_filled(swatch, theme::SWATCH_RADIUS, color);
                    let key = if tag.key.is_empty() { " " } else { &tag.key };
                    ui.label(RichText::new(key).monospace().weak());
                    // The count first, at the right; the name in what is left, cut short
                    // with "…" in a narrow panel rather than running under the count.
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        ui.weak(count.to_string());
                        ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                            ui.add(egui::Label::new(&tag.name).truncate());
                        });
                    });
                });
            })
            .response;
        let response = super::focus::clickable_row(ui, &response);
        super::focus::register_row(ui, super::focus::Region::Codebook, &response, selected);
        let accessible = format!("{} (tag, {count} passages)", tag.name);
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::Role::ListItem, true, selected, accessible.clone())
        });
        let response = if tag.description.is_empty() {
            response
        } else {
            response.on_hover_text(&tag.description)
        };
        if response.clicked() && ui.input(|i| i.modifiers.command) {
            // Ctrl+click: quick coding with this tag.
            actions.push(Action::QuickCode(Some(tag.id)));
        } else if response.clicked() {
            self.selected = if selected { None } else { Some(tag.id) };
        }
        response.context_menu(|ui| {
            if ui
                .button(format!("Quick code with “{}”", tag.name))
                .on_hover_text("Every selection you make is tagged at once, until Esc")
                .clicked()
            {
                actions.push(Action::QuickCode(Some(tag.id)));
                ui.close();
            }
            self.tag_menu(ui, project, tag, actions);
        });
    }

    /// Reorder, merge and delete: in the row's context menu and under the details.
    fn tag_menu(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        tag: &Tag,
        actions: &mut Vec<Action>,
    ) {
        let index = project
            .codebook
            .iter()
            .position(|t| t.id == tag.id)
            .unwrap_or(0);
        if ui
            .add_enabled(index > 0, egui::Button::new("Move up"))
            .clicked()
        {
            actions.push(Action::Apply {
                edit: Box::new(Edit::MoveTag {
                    id: tag.id,
                    to_index: index - 1,
                }),
                label: "reorder tags",
                coalesce: None,
            });
            ui.close();
        }
        if ui
            .add_enabled(
                index + 1 < project.codebook.len(),
                egui::Button::new("Move down"),
            )
            .clicked()
        {
            actions.push(Action::Apply {
                edit: Box::new(Edit::MoveTag {
                    id: tag.id,
                    to_index: index + 1,
                }),
                label: "reorder tags",
                coalesce: None,
            });
            ui.close();
        }
        ui.menu_button(format!("Merge “{}” into", tag.name), |ui| {
            for other in project.codebook.iter().filter(|t| t.id != tag.id) {
                if ui.button(&other.name).clicked()
                    && let Some(edit) = codebook::merge(project, tag.id, other.id)
                {
                    self.selected = Some(other.id);
                    actions.push(Action::Apply {
                        edit: Box::new(edit),
                        label: "merge tags",
                        coalesce: None,
                    });
                    ui.close();
                }
            }
        });
        if ui.button(format!("Delete “{}”…", tag.name)).clicked() {
            actions.push(Action::ConfirmDeleteTag(tag.id));
            ui.close();
        }
    }

    fn details(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        tag: &Tag,
        actions: &mut Vec<Action>,
    ) {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            egui::Grid::new(("tag-details", tag.id))
                .num_columns(2)
                .spacing([8.0, 6.0])
                .show(ui, |ui| {
                    let name_label = ui.label("Name");
                    let name = project_text_field::show(
                        ui,
                        egui::Id::unique(("tag-name", tag.id)),
                        &tag.name,
                        FieldLook::single_line(150.0),
                    );
                    if std::mem::take(&mut self.focus_name) {
                        name.response.request_focus();
                    }
                    name.response.labelled_by(name_label.id);
                    // Stored trimmed and never empty: clearing the field to retype keeps the
                    // last name until the new one has a letter.
                    if let Some((typed, coalesce)) = name.typed {
                        let typed = typed.trim();
                        if !typed.is_empty() && typed != tag.name {
                            let mut renamed = tag.clone();
                            renamed.name = typed.to_owned();
                            actions.push(Action::Apply {
                                edit: Box::new(Edit::UpdateTag(renamed)),
                                label: "rename tag",
                                coalesce: Some(coalesce),
                            });
                        }
                    }
                    ui.end_row();

                    ui.label("Colour");
                    let mut rgb = project
                        .tag(tag.id)
                        .and_then(|t| crate::model::parse_hex_color(&t.color))
                        .unwrap_or([128, 128, 128]);
                    if egui::color_picker::color_edit_button_srgb(ui, &mut rgb).changed() {
                        let mut recoloured = tag.clone();
                        recoloured.color = format!("#{:02X}{:02X}{:02X}", rgb[0], rgb[1], rgb[2]);
                        actions.push(Action::Apply {
                            edit: Box::new(Edit::UpdateTag(recoloured)),
                            label: "recolour tag",
                            coalesce: Some(u64::from(tag.id)),
                        });
                    }
                    ui.end_row();

                    ui.label("Key");
                    let shown = if tag.key.is_empty() { "none" } else { &tag.key };
                    egui::ComboBox::from_id_salt(("tag-key", tag.id))
                        .selected_text(shown)
                        .width(60.0)
                        .show_ui(ui, |ui| {
                            for key in std::iter::once("").chain(TAG_KEYS) {
                                let holder = project
                                    .tag_by_key(key)
                                    .filter(|t| !key.is_empty() && t.id != tag.id);
                                let text = match (key.is_empty(), holder) {
                                    (true, _) => "none".to_owned(),
                                    (false, Some(holder)) => format!("{key} (now {})", holder.name),
                                    (false, None) => key.to_owned(),
                                };
                                if ui.selectable_label(tag.key == key, text).clicked()
                                    && let Some(edit) = codebook::set_key(project, tag.id, key)
                                {
                                    actions.push(Action::Apply {
                                        edit: Box::new(edit),
                                        label: "change tag key",
                                        coalesce: None,
                                    });
                                }
                            }
                        });
                    ui.end_row();

                    ui.label("Parent");
                    let parents = codebook::possible_parents(project, tag.id);
                    let current = tag
                        .parent
                        .and_then(|p| project.tag(p))
                        .map_or("none", |t| t.name.as_str());
                    ui.add_enabled_ui(!parents.is_empty() || tag.parent.is_some(), |ui| {
                        egui::ComboBox::from_id_salt(("tag-parent", tag.id))
                            .selected_text(current)
                            .width(150.0)
                            .show_ui(ui, |ui| {
                                let choices =
                                    std::iter::once(None).chain(parents.iter().map(|t| Some(t.id)));
                                for choice in choices {
                                    let text = choice
                                        .and_then(|p| project.tag(p))
                                        .map_or("none", |t| t.name.as_str());
                                    if ui.selectable_label(tag.parent == choice, text).clicked()
                                        && let Some(edit) =
                                            codebook::set_parent(project, tag.id, choice)
                                    {
                                        actions.push(Action::Apply {
                                            edit: Box::new(edit),
                                            label: "change tag parent",
                                            coalesce: None,
                                        });
                                    }
                                }
                            });
                    });
                    ui.end_row();
                });
            let description_label = ui.label("Description");
            let description = project_text_field::show(
                ui,
                egui::Id::unique(("tag-description", tag.id)),
                &tag.description,
                FieldLook::multiline(2, "When to apply this tag…"),
            );
            description.response.labelled_by(description_label.id);
            if let Some((typed, coalesce)) = description.typed
                && typed != tag.description
            {
                let mut described = tag.clone();
                described.description = typed;
                actions.push(Action::Apply {
                    edit: Box::new(Edit::UpdateTag(described)),
                    label: "describe tag",
                    coalesce: Some(coalesce),
                });
            }
            ui.horizontal_wrapped(|ui| {
                ui.menu_button("More…", |ui| self.tag_menu(ui, project, tag, actions));
            });
        });
    }
}
