//! Find (Ctrl+F): words in the current document or in all of them, every hit highlighted,
//! Enter / Shift+Enter to step through the hits, and "Tag all hits" as one undoable step.

use std::ops::Range;

use egui::{Key, RichText};

use super::Action;
use crate::find::{self, FindOptions};
use crate::model::{DocId, TagId};
use crate::workspace::Workspace;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    #[default]
    ThisDocument,
    AllDocuments,
}

#[derive(Default)]
pub struct FindBar {
    pub open: bool,
    query: String,
    options: FindOptions,
    scope: Scope,
    /// Hits in document order (documents in project order).
    hits: Vec<(DocId, Range<usize>)>,
    /// What `hits` were found for: the query, options, scope and current document.
    searched: Option<(String, FindOptions, Scope, Option<DocId>, usize)>,
    current: Option<usize>,
    tag: Option<TagId>,
    focus: bool,
}

impl FindBar {
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
    }

    pub fn hits(&self) -> &[(DocId, Range<usize>)] {
        &self.hits
    }

    /// The hits in one document, and which of them is the current one.
    pub fn hits_in(&self, doc: DocId) -> (Vec<Range<usize>>, Option<Range<usize>>) {
        if !self.open {
            return (Vec::new(), None);
        }
        let hits = self
            .hits
            .iter()
            .filter(|(d, _)| *d == doc)
            .map(|(_, r)| r.clone())
            .collect();
        let current = self
            .current
            .and_then(|i| self.hits.get(i))
            .filter(|(d, _)| *d == doc)
            .map(|(_, r)| r.clone());
        (hits, current)
    }

    fn refresh(&mut self, workspace: &Workspace, doc: Option<DocId>) {
        let documents = workspace.project().documents.len();
        let key = (
            self.query.clone(),
            self.options,
            self.scope,
            doc.filter(|_| self.scope == Scope::ThisDocument),
            documents,
        );
        if self.searched.as_ref() == Some(&key) {
            return;
        }
        self.hits.clear();
        let documents: Vec<DocId> = match self.scope {
            Scope::ThisDocument => doc.into_iter().collect(),
            Scope::AllDocuments => workspace.project().documents.iter().map(|d| d.id).collect(),
        };
        for id in documents {
            if let Some(text) = workspace.text(id) {
                self.hits.extend(
                    find::find_all(text, &self.query, self.options)
                        .into_iter()
                        .map(|r| (id, r)),
                );
            }
        }
        self.current = None;
        self.searched = Some(key);
    }

    /// Step to the next (or previous) hit, starting from the one after `from`.
    fn step(&mut self, forward: bool, doc: Option<DocId>, from: usize) -> Option<Action> {
        if self.hits.is_empty() {
            return None;
        }
        let count = self.hits.len();
        let next = match self.current {
            Some(i) if forward => (i + 1) % count,
            Some(i) => (i + count - 1) % count,
            None => {
                // The first hit after the caret in the current document, in reading order.
                let after = self
                    .hits
                    .iter()
                    .position(|(d, r)| Some(*d) == doc && r.start >= from)
                    .or_else(|| self.hits.iter().position(|(d, _)| Some(*d) == doc))
                    .unwrap_or(0);
                if forward {
                    after
                } else {
                    (after + count - 1) % count
                }
            }
        };
        self.current = Some(next);
        let (doc, range) = self.hits[next].clone();
        Some(Action::SelectRange { doc, range })
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        workspace: &Workspace,
        doc: Option<DocId>,
        caret: usize,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        if !self.open {
            return actions;
        }
        let project = workspace.project();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Find");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("words to find")
                        .desired_width(200.0),
                )
                .labelled_by(label.id);
            if std::mem::take(&mut self.focus) {
                response.request_focus();
            }
            ui.toggle_value(&mut self.options.match_case, "Match case");
            ui.toggle_value(&mut self.options.whole_word, "Whole word");
            ui.selectable_value(&mut self.scope, Scope::ThisDocument, "This document");
            ui.selectable_value(&mut self.scope, Scope::AllDocuments, "All documents");
            self.refresh(workspace, doc);

            let count = self.hits.len();
            let position = match (self.current, count) {
                (_, 0) if self.query.is_empty() => String::new(),
                (_, 0) => "no hits".to_owned(),
                (Some(i), n) => format!("{} of {n}", i + 1),
                (None, 1) => "1 hit".to_owned(),
                (None, n) => format!("{n} hits"),
            };
            ui.label(RichText::new(position).strong());

            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let shift = ui.input(|i| i.modifiers.shift);
            if enter {
                // Keep typing-focus in the field, so Enter can be pressed again.
                response.request_focus();
            }
            if ui
                .add_enabled(count > 0, egui::Button::new("Previous"))
                .on_hover_text("Shift+Enter")
                .clicked()
                || (enter && shift)
            {
                actions.extend(self.step(false, doc, caret));
            } else if ui
                .add_enabled(count > 0, egui::Button::new("Next"))
                .on_hover_text("Enter")
                .clicked()
                || enter
            {
                actions.extend(self.step(true, doc, caret));
            }

            ui.separator();
            if self.tag.is_none_or(|t| project.tag(t).is_none()) {
                self.tag = project.codebook.first().map(|t| t.id);
            }
            let tag_name = self
                .tag
                .and_then(|t| project.tag(t))
                .map_or("", |t| t.name.as_str());
            egui::ComboBox::from_id_salt("find-tag")
                .selected_text(tag_name)
                .width(110.0)
                .show_ui(ui, |ui| {
                    for tag in &project.codebook {
                        ui.selectable_value(&mut self.tag, Some(tag.id), &tag.name);
                    }
                });
            if ui
                .add_enabled(
                    count > 0 && self.tag.is_some(),
                    egui::Button::new(format!("Tag all {count} hits")),
                )
                .on_hover_text("Every hit becomes a passage with this tag (one undo step)")
                .clicked()
                && let Some(tag) = self.tag
            {
                actions.push(Action::TagAllHits(tag));
            }
            if ui.button("Close").on_hover_text("Escape").clicked()
                || ((response.has_focus() || response.lost_focus())
                    && ui.input(|i| i.key_pressed(Key::Escape)))
            {
                self.open = false;
            }
        });
        actions
    }
}
