//! Left panel: the project's documents, with their passage counts and any problem.

use egui::RichText;

use super::{Action, theme};
use crate::attributes::DocumentFilter;
use crate::model::{DocId, Project};
use crate::workspace::Workspace;

/// `filter`: the attribute filter typed above the list (shown once the project has
/// attributes), e.g. `outlet=Telegraph,year>=2020`; the same syntax as `marginalia stats
/// --documents`.
pub fn ui(
    ui: &mut egui::Ui,
    workspace: &Workspace,
    current: Option<DocId>,
    filter: &mut String,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let project = workspace.project();
    ui.heading("Documents");
    ui.add_space(4.0);
    if project.documents.is_empty() {
        ui.weak("No documents yet.");
        if ui.button("Add documents…").clicked() {
            actions.push(Action::AddDocumentsDialog);
        }
        return actions;
    }
    let shown = filtered(ui, project, filter);
    let rows: Vec<&crate::model::Document> = project
        .documents
        .iter()
        .filter(|d| shown.as_ref().is_none_or(|f| f.matches(d)))
        .collect();
    // Every row is one line of title and one of counts, so the list lays out only the rows
    // in view: a project of thousands of documents costs a frame what a screenful costs.
    let row_height = document_row_height(ui);
    egui::ScrollArea::vertical()
        .id_salt("documents")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, rows.len(), |ui, visible| {
            for document in &rows[visible] {
                if let Some(action) = document_row(ui, workspace, document, current, row_height) {
                    actions.push(action);
                }
            }
        });
    actions
}

/// Margins inside a document's row, above and below its two lines.
const ROW_MARGIN: i8 = 4;

fn document_row_height(ui: &egui::Ui) -> f32 {
    let line = ui.text_style_height(&egui::TextStyle::Body);
    2.0 * line + ui.spacing().item_spacing.y + 2.0 * f32::from(ROW_MARGIN)
}

/// One document: its title on one line (the whole title and the path on hover), its
/// passage count and whether its source changed.
fn document_row(
    ui: &mut egui::Ui,
    workspace: &Workspace,
    document: &crate::model::Document,
    current: Option<DocId>,
    row_height: f32,
) -> Option<Action> {
    let project = workspace.project();
    // A document's passages are one stretch of the sorted list: its length is two binary
    // searches, so no count is kept between frames.
    let count = project.annotations_slice_of(document.id).len();
    let problem = workspace.source(document.id).and_then(|s| s.problem());
    let is_current = current == Some(document.id);
    // A label cuts what does not fit at its right end, which for a right-to-left title is
    // its beginning: such titles are shortened (at their logical end) to fit first.
    let limit = if crate::text_layout::visual_order::has_right_to_left(&document.title) {
        30
    } else {
        60
    };
    let mut title = RichText::new(super::snippet::one_line(&document.title, limit));
    if is_current {
        title = title.strong();
    }
    let response = egui::Frame::new()
        .inner_margin(egui::Margin::symmetric(6, ROW_MARGIN))
        .corner_radius(theme::ROW_RADIUS)
        .fill(if is_current {
            ui.visuals().selection.bg_fill.gamma_multiply(0.5)
        } else {
            egui::Color32::TRANSPARENT
        })
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.set_height(row_height - 2.0 * f32::from(ROW_MARGIN));
            ui.add(egui::Label::new(title).truncate().selectable(false));
            ui.horizontal(|ui| {
                ui.weak(format!(
                    "{count} passage{}",
                    if count == 1 { "" } else { "s" }
                ));
                if let Some(problem) = &problem {
                    ui.colored_label(ui.visuals().warn_fg_color, "changed")
                        .on_hover_text(problem);
                }
            });
        })
        .response;
    let response = super::focus::clickable_row(ui, &response)
        .on_hover_text(format!("{}\n{}", document.title, document.path));
    super::focus::register_row(ui, super::focus::Region::Documents, &response, is_current);
    response.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::Role::Button,
            true,
            is_current,
            format!("{}, {count} passages", document.title),
        )
    });
    let mut action = response
        .clicked()
        .then_some(Action::SelectDocument(document.id));
    response.context_menu(|ui| {
        if ui.button("Remove from project…").clicked() {
            action = Some(Action::ConfirmRemoveDocument(document.id));
            ui.close();
        }
    });
    action
}

/// The filter field, when the project has attributes, and the filter it holds (`None`: all
/// documents, also while what is typed does not parse; the error is shown under it).
fn filtered(ui: &mut egui::Ui, project: &Project, text: &mut String) -> Option<DocumentFilter> {
    if project.attributes.is_empty() {
        return None;
    }
    let label = ui.label("Filter by attributes");
    ui.add(
        egui::TextEdit::singleline(text)
            .hint_text("outlet=Telegraph,year>=2020")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    if text.trim().is_empty() {
        return None;
    }
    match DocumentFilter::parse(project, text) {
        Ok(filter) => {
            let passing = project
                .documents
                .iter()
                .filter(|d| filter.matches(d))
                .count();
            ui.weak(format!(
                "{passing} of {} documents",
                project.documents.len()
            ));
            Some(filter)
        }
        Err(message) => {
            ui.colored_label(ui.visuals().error_fg_color, message);
            None
        }
    }
}
