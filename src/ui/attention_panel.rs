//! "Needs attention": passages that could not be placed on their document's current text
//! (orphans). They are never dropped: each is shown with its document and quote, and the
//! person re-places it (the next selection in the document moves it there) or deletes it.

use egui::RichText;

use super::Action;
use crate::model::{AnnotationId, DocId};
use crate::workspace::Workspace;

const EXCERPT_CHARS: usize = 90;

#[derive(Default)]
pub struct AttentionPanel {
    /// The workspace revision `orphans` was computed for.
    revision: Option<u64>,
    orphans: Vec<AnnotationId>,
    /// Documents whose text cannot be read, with how many passages wait for them.
    unreadable: Vec<(DocId, usize)>,
}

impl AttentionPanel {
    /// Passages on a readable text that no longer hold their quote.
    pub fn orphans(&mut self, workspace: &Workspace) -> &[AnnotationId] {
        self.refresh(workspace);
        &self.orphans
    }

    fn refresh(&mut self, workspace: &Workspace) {
        if self.revision == Some(workspace.revision()) {
            return;
        }
        self.revision = Some(workspace.revision());
        let project = workspace.project();
        self.orphans.clear();
        self.unreadable.clear();
        // Only documents without a readable text are walked: the misplaced passages are
        // kept by the workspace, edit by edit.
        for document in &project.documents {
            if workspace.text(document.id).is_none() {
                let waiting = project.annotations_slice_of(document.id).len();
                if waiting > 0 {
                    self.unreadable.push((document.id, waiting));
                }
            }
        }
        // The misplaced passages, in reading order, found by id: no walk over every passage.
        let mut orphans: Vec<_> = workspace
            .misplaced()
            .iter()
            .filter_map(|id| workspace.annotation(*id))
            .map(|a| (a.doc, a.start, a.end, a.id))
            .collect();
        orphans.sort_unstable();
        self.orphans = orphans.into_iter().map(|(.., id)| id).collect();
    }

    /// The section, shown only when something needs attention. `replacing` is the orphan
    /// waiting for a selection.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        workspace: &Workspace,
        replacing: Option<AnnotationId>,
    ) -> Vec<Action> {
        self.refresh(workspace);
        let mut actions = Vec::new();
        if self.orphans.is_empty() && self.unreadable.is_empty() {
            return actions;
        }
        let project = workspace.project();
        let waiting: usize = self.unreadable.iter().map(|(_, n)| n).sum();
        let count = self.orphans.len() + waiting;
        egui::CollapsingHeader::new(
            RichText::new(format!("Needs attention ({count})")).color(ui.visuals().warn_fg_color),
        )
        .id_salt("needs-attention")
        .default_open(true)
        .show(ui, |ui| {
            ui.weak("These passages were not found in their document's current text.");
            egui::ScrollArea::vertical()
                .id_salt("attention-list")
                .max_height(260.0)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for &id in &self.orphans {
                        let Some(annotation) = project.annotation(id) else {
                            continue;
                        };
                        let title = project
                            .document(annotation.doc)
                            .map_or("(no document)", |d| d.title.as_str());
                        ui.separator();
                        ui.add(egui::Label::new(RichText::new(title).small().weak()).truncate());
                        ui.add(
                            egui::Label::new(RichText::new(excerpt(&annotation.quote)).italics())
                                .wrap(),
                        );
                        if replacing == Some(id) {
                            ui.add(
                                egui::Label::new(
                                    RichText::new(
                                        "Select its new text in the document (Esc cancels)",
                                    )
                                    .color(ui.visuals().warn_fg_color),
                                )
                                .wrap(),
                            );
                        }
                        ui.horizontal(|ui| {
                            if replacing != Some(id)
                                && ui
                                    .button("Re-place")
                                    .on_hover_text(
                                        "Show the document; the next text you select becomes this passage",
                                    )
                                    .clicked()
                            {
                                actions.push(Action::StartReplace(id));
                            }
                            if ui
                                .button("Delete")
                                .on_hover_text("Delete this passage")
                                .clicked()
                            {
                                actions.push(Action::DeletePassage(id));
                            }
                        });
                    }
                    for (doc, passages) in &self.unreadable {
                        let Some(document) = project.document(*doc) else {
                            continue;
                        };
                        ui.separator();
                        ui.label(format!(
                            "“{}” cannot be read: its {passages} passage(s) are kept until the file is back.",
                            document.title
                        ));
                    }
                });
        });
        actions
    }
}

fn excerpt(quote: &str) -> String {
    let flat: String = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        format!("“{flat}”")
    } else {
        let cut: String = flat.chars().take(EXCERPT_CHARS - 1).collect();
        format!("“{}…”", cut.trim_end())
    }
}
