//! The strip above the document in a team project: whose passages the document shows (all
//! coders, one, or two compared), and in compare mode the differences between the two, to
//! step through (F8, Shift+F8) and settle into a consensus coder's passages.

use std::collections::BTreeMap;

use crate::agreement::compare::{self, Comparison, Settlement};
use crate::edit::Edit;
use crate::model::{DocId, Project, TagId};
use crate::workspace::{PassageChange, Workspace};

use super::Action;

/// Whose passages the document view shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CoderView {
    #[default]
    All,
    Only(String),
    /// Two coders: their passages as two groups of stripes, the text tinted where they
    /// coded alike and where only one did; `tag` narrows the comparison to one tag.
    Compare {
        first: String,
        second: String,
        tag: Option<TagId>,
    },
}

impl CoderView {
    /// Which group a passage of `coder` is drawn in, or `None` when it is not shown.
    pub fn group_of(&self, coder: &str) -> Option<usize> {
        match self {
            CoderView::All => Some(0),
            CoderView::Only(only) => (only == coder).then_some(0),
            CoderView::Compare { first, second, .. } => {
                if coder == first {
                    Some(0)
                } else if coder == second {
                    Some(1)
                } else {
                    None
                }
            }
        }
    }

    pub fn is_compare(&self) -> bool {
        matches!(self, CoderView::Compare { .. })
    }

    /// The coders named beside the stripe groups.
    pub fn group_names(&self) -> Vec<&str> {
        match self {
            CoderView::Compare { first, second, .. } => vec![first, second],
            _ => Vec::new(),
        }
    }
}

/// Default name of the coder whose passages settle differences.
pub const CONSENSUS: &str = "consensus";

pub struct CodersBar {
    pub view: CoderView,
    /// Whose passages settled differences become.
    pub consensus: String,
    /// The difference stepped to, an index into the comparison's differences.
    pub current: Option<usize>,
    /// The comparison for (revision, document, view), made once per change.
    cached: Option<(u64, DocId, CoderView, Comparison)>,
    /// Passages per coder at a revision, kept up to date from the edits' journal.
    coders: Option<(u64, BTreeMap<String, usize>)>,
}

impl Default for CodersBar {
    fn default() -> Self {
        Self {
            view: CoderView::All,
            consensus: CONSENSUS.to_owned(),
            current: None,
            cached: None,
            coders: None,
        }
    }
}

impl CodersBar {
    /// The differences in `doc` between the compared coders (none outside compare mode).
    pub fn comparison(&mut self, workspace: &Workspace, doc: DocId) -> Option<&Comparison> {
        let CoderView::Compare { first, second, tag } = &self.view else {
            return None;
        };
        let revision = workspace.revision();
        let fresh = self
            .cached
            .as_ref()
            .is_some_and(|(r, d, v, _)| *r == revision && *d == doc && *v == self.view);
        if !fresh {
            let comparison = compare::compare(workspace.project(), doc, first, second, *tag);
            if self
                .current
                .is_some_and(|at| at >= comparison.differences.len())
            {
                self.current = comparison.differences.len().checked_sub(1);
            }
            self.cached = Some((revision, doc, self.view.clone(), comparison));
        }
        self.cached.as_ref().map(|(.., c)| c)
    }

    /// Step to the next (or previous) difference, wrapping around; the action selects its
    /// text and brings it into view.
    pub fn step(&mut self, workspace: &Workspace, doc: DocId, forward: bool) -> Option<Action> {
        let current = self.current;
        let count = self.comparison(workspace, doc)?.differences.len();
        if count == 0 {
            return None;
        }
        let next = match (current, forward) {
            (None, true) => 0,
            (None, false) => count - 1,
            (Some(at), true) => (at + 1) % count,
            (Some(at), false) => (at + count - 1) % count,
        };
        self.current = Some(next);
        let chars = self.comparison(workspace, doc)?.differences[next]
            .chars
            .clone();
        Some(Action::SelectRange { doc, range: chars })
    }

    /// The strip: shown when the project has passages of more than one coder, or a coder
    /// view other than all is chosen.
    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace, doc: DocId) -> Vec<Action> {
        let mut actions = Vec::new();
        let project = workspace.project();
        let coders = self.coders(workspace);
        if coders.len() < 2 && self.view == CoderView::All {
            return actions;
        }
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Coders:");
            self.choose_view(ui, project, &coders, label.id);
        });
        if self.view.is_compare() {
            self.compare_ui(ui, workspace, doc, &mut actions);
        }
        ui.separator();
        actions
    }

    fn choose_view(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        coders: &[String],
        label: egui::Id,
    ) {
        let shown = match &self.view {
            CoderView::All => "all coders".to_owned(),
            CoderView::Only(coder) => format!("only {}", display(coder)),
            CoderView::Compare { .. } => "compare two".to_owned(),
        };
        egui::ComboBox::from_id_salt("coder view")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.view, CoderView::All, "all coders");
                for coder in coders {
                    ui.selectable_value(
                        &mut self.view,
                        CoderView::Only(coder.clone()),
                        format!("only {}", display(coder)),
                    );
                }
                if coders.len() >= 2 && !self.view.is_compare() {
                    let compare = CoderView::Compare {
                        first: coders[0].clone(),
                        second: coders[1].clone(),
                        tag: None,
                    };
                    if ui.selectable_label(false, "compare two").clicked() {
                        self.view = compare;
                        self.current = None;
                    }
                }
            })
            .response
            .labelled_by(label);
        if let CoderView::Compare { first, second, tag } = &mut self.view {
            coder_combo(ui, "first coder", first, coders);
            let with = ui.label("with");
            coder_combo(ui, "second coder", second, coders).labelled_by(with.id);
            let on = ui.label("on");
            let tag_name = tag
                .and_then(|t| project.tag(t))
                .map_or("every tag".to_owned(), |t| t.name.clone());
            egui::ComboBox::from_id_salt("compared tag")
                .selected_text(tag_name)
                .show_ui(ui, |ui| {
                    ui.selectable_value(tag, None, "every tag");
                    for t in &project.codebook {
                        ui.selectable_value(tag, Some(t.id), &t.name);
                    }
                })
                .response
                .labelled_by(on.id);
        }
    }

    fn compare_ui(
        &mut self,
        ui: &mut egui::Ui,
        workspace: &Workspace,
        doc: DocId,
        actions: &mut Vec<Action>,
    ) {
        let project = workspace.project();
        let CoderView::Compare { first, second, .. } = self.view.clone() else {
            return;
        };
        let consensus = self.consensus.clone();
        let current = self.current;
        let Some(comparison) = self.comparison(workspace, doc) else {
            return;
        };
        let differences = comparison.differences.len();
        let settled = comparison
            .differences
            .iter()
            .filter(|d| compare::settled_as(project, doc, d, &consensus).is_some())
            .count();
        let agreed = comparison.agreed.len();
        let not_adopted = compare::agreed_not_adopted(project, doc, &comparison.agreed, &consensus);
        let current_difference = current.and_then(|at| comparison.differences.get(at).cloned());
        ui.horizontal_wrapped(|ui| {
            swatch(ui, super::theme::COMPARE_AGREE, "coded alike");
            swatch(ui, super::theme::COMPARE_DIFFER, "coded by one only");
            ui.separator();
            ui.label(format!(
                "{differences} difference{}, {settled} settled, {} passages alike",
                if differences == 1 { "" } else { "s" },
                agreed
            ));
            if ui
                .button("Previous")
                .on_hover_text("Previous difference (Shift+F8)")
                .clicked()
            {
                actions.push(Action::StepDifference { forward: false });
            }
            if ui
                .button("Next")
                .on_hover_text("Next difference (F8)")
                .clicked()
            {
                actions.push(Action::StepDifference { forward: true });
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Settle into coder");
            ui.add(egui::TextEdit::singleline(&mut self.consensus).desired_width(110.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    not_adopted > 0,
                    egui::Button::new("Adopt passages coded alike"),
                )
                .on_hover_text(
                    "Copy every passage both coders made alike into the consensus coder's passages",
                )
                .clicked()
                && let Some(comparison) = self.cached.as_ref().map(|(.., c)| c)
            {
                let adopt = compare::adopt_agreed(
                    project,
                    doc,
                    &comparison.agreed,
                    &self.consensus,
                    &crate::model::now_rfc3339(),
                );
                actions.push(Action::Apply {
                    edit: Box::new(Edit::Batch(adopt)),
                    label: "adopt passages coded alike",
                    coalesce: None,
                });
            }
        });
        let Some(difference) = current_difference else {
            ui.weak("Press F8 to step to the first difference.");
            return;
        };
        let tag = project.tag(difference.tag).map_or("?", |t| t.name.as_str());
        let settled = compare::settled_as(project, doc, &difference, &self.consensus);
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!(
                "{} of {differences}: {tag}, characters {}–{}",
                current.map_or(0, |c| c + 1),
                difference.chars.start,
                difference.chars.end
            ));
            ui.label(format!(
                "{}: {} passage{}, {}: {}",
                display(&first),
                difference.first.len(),
                if difference.first.len() == 1 { "" } else { "s" },
                display(&second),
                difference.second.len()
            ));
            let choices = [
                (Settlement::First, format!("Accept {}", display(&first))),
                (Settlement::Second, format!("Accept {}", display(&second))),
                (Settlement::Both, "Keep both".to_owned()),
            ];
            for (settlement, label) in choices {
                let chosen = settled == Some(settlement);
                let response = ui.add(egui::Button::selectable(chosen, label));
                if response.clicked() && !chosen {
                    let edits = compare::settle(
                        project,
                        doc,
                        &difference,
                        settlement,
                        &self.consensus,
                        &crate::model::now_rfc3339(),
                    );
                    if !edits.is_empty() {
                        actions.push(Action::Apply {
                            edit: Box::new(Edit::Batch(edits)),
                            label: "settle a difference",
                            coalesce: None,
                        });
                    }
                }
            }
        });
    }
}

impl CodersBar {
    /// Every coder with a passage in the project, sorted (anonymous passages as ""):
    /// counted once, then followed edit by edit, so a new passage costs no walk.
    fn coders(&mut self, workspace: &Workspace) -> Vec<String> {
        let revision = workspace.revision();
        let changes = match &self.coders {
            Some((seen, _)) if *seen == revision => None,
            Some((seen, _)) => Some(workspace.passage_changes_since(*seen)),
            None => Some(None),
        };
        match (changes, self.coders.as_mut()) {
            (None, _) => {}
            (Some(Some(changes)), Some((seen, counts))) => {
                for change in changes {
                    match change {
                        PassageChange::Added(p) => *counts.entry(p.coder.clone()).or_default() += 1,
                        PassageChange::Removed(p) => {
                            if let Some(count) = counts.get_mut(&p.coder) {
                                *count = count.saturating_sub(1);
                            }
                        }
                    }
                }
                counts.retain(|_, count| *count > 0);
                *seen = revision;
            }
            _ => {
                let mut counts = BTreeMap::new();
                for annotation in &workspace.project().annotations {
                    *counts.entry(annotation.coder.clone()).or_default() += 1;
                }
                self.coders = Some((revision, counts));
            }
        }
        self.coders
            .as_ref()
            .map(|(_, counts)| counts.keys().cloned().collect())
            .unwrap_or_default()
    }
}

fn display(coder: &str) -> &str {
    if coder.is_empty() { "(no name)" } else { coder }
}

fn coder_combo(
    ui: &mut egui::Ui,
    salt: &str,
    coder: &mut String,
    coders: &[String],
) -> egui::Response {
    egui::ComboBox::from_id_salt(salt)
        .selected_text(display(coder))
        .show_ui(ui, |ui| {
            for name in coders {
                ui.selectable_value(coder, name.clone(), display(name));
            }
        })
        .response
}

fn swatch(ui: &mut egui::Ui, color: egui::Color32, label: &str) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
    ui.painter().rect_filled(
        rect,
        super::theme::SWATCH_RADIUS,
        super::theme::highlight(&[color]),
    );
    ui.label(label);
}
