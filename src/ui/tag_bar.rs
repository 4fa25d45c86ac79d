//! Tag chips: the coloured buttons that apply a tag, and the small labels that show one.

use egui::{Button, Color32, CornerRadius, RichText, Stroke};

use super::theme;
use crate::model::{Project, TagId};

/// One chip per codebook tag, labelled with its key and name. Tags in `active` show as on.
/// Returns the tag clicked.
pub fn chips(ui: &mut egui::Ui, project: &Project, active: Option<&[TagId]>) -> Option<TagId> {
    let mut clicked = None;
    ui.horizontal_wrapped(|ui| {
        for tag in &project.codebook {
            let color = theme::tag_color(project, tag.id);
            let on = active.is_some_and(|tags| tags.contains(&tag.id));
            let label = match (tag.key.is_empty(), on) {
                (true, false) => tag.name.clone(),
                (true, true) => format!("+ {}", tag.name),
                (false, false) => format!("{} {}", tag.key, tag.name),
                (false, true) => format!("+ {} {}", tag.key, tag.name),
            };
            let (fill, text) = if on || active.is_none() {
                (color, theme::text_on(color))
            } else {
                (color.gamma_multiply(0.25), ui.visuals().text_color())
            };
            let button = Button::new(RichText::new(label).color(text).strong())
                .fill(fill)
                .stroke(Stroke::new(1.0, color))
                .corner_radius(CornerRadius::same(theme::CHIP_RADIUS));
            let hint = if tag.description.is_empty() {
                tag.name.clone()
            } else {
                tag.description.clone()
            };
            if ui.add(button).on_hover_text(hint).clicked() {
                clicked = Some(tag.id);
            }
        }
    });
    clicked
}

/// A small non-interactive chip naming a tag.
pub fn chip_label(ui: &mut egui::Ui, project: &Project, tag: TagId) {
    let color = theme::tag_color(project, tag);
    let name = project
        .tag(tag)
        .map_or_else(|| format!("tag {tag}"), |t| t.name.clone());
    egui::Frame::new()
        .fill(color)
        .corner_radius(CornerRadius::same(theme::TAG_BAR_RADIUS))
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(name).small().color(theme::text_on(color)));
        });
}

/// The floating bar shown beside a fresh selection, kept inside `bounds` (the document's
/// area) so that it never covers the panels beside it.
pub fn floating_bar(
    ctx: &egui::Context,
    position: egui::Pos2,
    bounds: egui::Rect,
    project: &Project,
    active: Option<&[TagId]>,
) -> Option<TagId> {
    egui::Area::new(egui::Id::unique("tag-bar"))
        .fixed_pos(position)
        .constrain_to(bounds)
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style())
                .show(ui, |ui| {
                    ui.set_max_width(420.0);
                    ui.horizontal(|ui| {
                        ui.label(RichText::new("Tag:").color(Color32::GRAY));
                        chips(ui, project, active)
                    })
                    .inner
                })
                .inner
        })
        .inner
}
