//! "Needs attention": passages that could not be placed on their document's current text
//! (orphans). They are never dropped: each is shown with its document and quote, and the
//! person re-places it (the next selection in the document moves it there) or deletes it.
//! Also the passages a git merge kept in two versions (`conflict: true`): the person keeps
//! one (which clears its mark) and deletes the other.

use egui::RichText;

use super::Action;
use crate::edit::Edit;
use crate::model::{AnnotationId, DocId, Project};
use crate::workspace::{PassageChange, Workspace};

/// Height kept below this panel for the documents list, in points.
const DOCUMENTS_ROOM: f32 = 150.0;

const EXCERPT_CHARS: usize = 90;

#[derive(Default)]
pub struct AttentionPanel {
    /// The workspace revision `orphans` was computed for.
    revision: Option<u64>,
    orphans: Vec<AnnotationId>,
    /// Documents whose text cannot be read, with how many passages wait for them.
    unreadable: Vec<(DocId, usize)>,
    /// Passages marked as merge conflicts, in document order.
    conflicts: Vec<AnnotationId>,
}

impl AttentionPanel {
    /// Passages on a readable text that no longer hold their quote.
    pub fn orphans(&mut self, workspace: &Workspace) -> &[AnnotationId] {
        self.refresh(workspace);
        &self.orphans
    }

    /// Passages a git merge kept in two versions, waiting for a person to choose.
    pub fn conflicts(&mut self, workspace: &Workspace) -> &[AnnotationId] {
        self.refresh(workspace);
        &self.conflicts
    }

    fn refresh(&mut self, workspace: &Workspace) {
        if self.revision == Some(workspace.revision()) {
            return;
        }
        let changes = self
            .revision
            .and_then(|seen| workspace.passage_changes_since(seen));
        self.revision = Some(workspace.revision());
        let project = workspace.project();
        self.orphans.clear();
        self.unreadable.clear();
        // A new passage brings its own flag, if any: the list follows the edits, and is
        // collected from every passage only when what changed is not known.
        match changes {
            Some(changes) => {
                for change in changes {
                    match change {
                        PassageChange::Removed(passage) => {
                            self.conflicts.retain(|id| *id != passage.id);
                        }
                        PassageChange::Added(passage) => {
                            if workspace.annotation(passage.id).is_some_and(|a| a.conflict)
                                && !self.conflicts.contains(&passage.id)
                            {
                                self.conflicts.push(passage.id);
                            }
                        }
                    }
                }
                // In reading order, as when collected from the sorted list.
                self.conflicts.sort_by_key(|id| {
                    workspace
                        .annotation(*id)
                        .map(|a| (a.doc, a.start, a.end, a.id))
                });
            }
            None => {
                self.conflicts = project
                    .annotations
                    .iter()
                    .filter(|a| a.conflict)
                    .map(|a| a.id)
                    .collect();
            }
        }
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
        if self.orphans.is_empty() && self.unreadable.is_empty() && self.conflicts.is_empty() {
            return actions;
        }
        let project = workspace.project();
        let waiting: usize = self.unreadable.iter().map(|(_, n)| n).sum();
        let count = self.orphans.len() + waiting + self.conflicts.len();
        // The documents list below keeps room of its own (its heading, filter and a few
        // rows): a long list here scrolls rather than pushing the documents out of sight.
        let list_height = (ui.available_height() - DOCUMENTS_ROOM).clamp(60.0, 260.0);
        egui::CollapsingHeader::new(
            RichText::new(format!("Needs attention ({count})")).color(ui.visuals().warn_fg_color),
        )
        .id_salt("needs-attention")
        .default_open(true)
        .show(ui, |ui| {
            if !self.orphans.is_empty() || !self.unreadable.is_empty() {
                ui.weak("These passages were not found in their document's current text.");
            }
            egui::ScrollArea::vertical()
                .id_salt("attention-list")
                .max_height(list_height)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    if !self.conflicts.is_empty() {
                        conflicts(ui, project, &self.conflicts, &mut actions);
                    }
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

/// Both versions of each passage that two git branches changed differently: keep one (its
/// mark is cleared), delete the other.
fn conflicts(
    ui: &mut egui::Ui,
    project: &Project,
    conflicts: &[AnnotationId],
    actions: &mut Vec<Action>,
) {
    ui.weak(format!(
        "{} passage(s) were kept in two versions by a git merge: keep one, delete the other.",
        conflicts.len()
    ));
    for &id in conflicts {
        let Some(annotation) = project.annotation(id) else {
            continue;
        };
        let title = project
            .document(annotation.doc)
            .map_or("(no document)", |d| d.title.as_str());
        let tags: Vec<&str> = annotation
            .tags
            .iter()
            .filter_map(|t| project.tag(*t).map(|t| t.name.as_str()))
            .collect();
        ui.separator();
        ui.add(
            egui::Label::new(
                RichText::new(format!("Merge conflict · {title}"))
                    .small()
                    .weak(),
            )
            .truncate(),
        );
        let mut about = format!(
            "{} · {}–{}",
            tags.join(", "),
            annotation.start,
            annotation.end
        );
        if !annotation.coder.is_empty() {
            about.push_str(&format!(" · {}", annotation.coder));
        }
        ui.label(RichText::new(about).small());
        ui.add(egui::Label::new(RichText::new(excerpt(&annotation.quote)).italics()).wrap());
        if !annotation.note.is_empty() {
            ui.add(egui::Label::new(RichText::new(excerpt(&annotation.note)).small()).wrap());
        }
        ui.horizontal(|ui| {
            if ui
                .button("Show")
                .on_hover_text("Select this passage in its document")
                .clicked()
            {
                actions.push(Action::SelectPassage { id, scroll: true });
                actions.push(Action::ShowView(super::CentralView::Document));
            }
            if ui
                .button("Keep")
                .on_hover_text("Keep this version: its conflict mark is cleared")
                .clicked()
            {
                actions.push(Action::Apply {
                    edit: Box::new(Edit::SetAnnotationConflict {
                        id,
                        conflict: false,
                    }),
                    label: "keep passage",
                    coalesce: None,
                });
            }
            if ui
                .button("Delete")
                .on_hover_text("Delete this version")
                .clicked()
            {
                actions.push(Action::DeletePassage(id));
            }
        });
    }
}

fn excerpt(quote: &str) -> String {
    format!("“{}”", super::snippet::one_line(quote, EXCERPT_CHARS))
}
