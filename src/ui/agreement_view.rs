//! The Agreement view: how far the project's coders agree, per tag and over all tags. It shows
//! the report of [`crate::agreement`] (the one `marginalia agree` prints) as a table coloured
//! by the usual thresholds, a bar chart of α per tag, which coders are compared and which
//! documents are used. The report is computed on a worker thread once per project revision
//! and choice of coders, never per frame. A click on a tag's name compares two coders on it in
//! the document view; elsewhere on its row, it opens the tag's passages in the table.
//! Not the place for comparing two coders in the text (that is the document view's).

use std::collections::BTreeSet;
use std::sync::Arc;

use egui::RichText;
use egui_extras::{Column, TableBuilder};
use egui_plot::{Bar, BarChart, HLine, Legend, Plot};

use super::app::background::{Background, Polled};
use super::{Action, theme};
use crate::agreement::{self, AgreementReport, Interval, Options, render};
use crate::model::Project;
use crate::workspace::Workspace;

/// What a report is computed for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Request {
    revision: u64,
    coders: Vec<String>,
}

struct Computed {
    request: Request,
    result: Result<AgreementReport, String>,
}

#[derive(Default)]
pub struct AgreementView {
    /// Coders left out of the comparison; every other coder with a passage is compared.
    excluded: BTreeSet<String>,
    /// The coders with passages, and the revision they were read at.
    coders: Option<(u64, Vec<String>)>,
    shown: Option<Computed>,
    running: Option<(Request, Background<Result<AgreementReport, String>>)>,
}

impl AgreementView {
    /// The report on screen, when there is one.
    pub fn report(&self) -> Option<&AgreementReport> {
        self.shown.as_ref().and_then(|c| c.result.as_ref().ok())
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace) -> Vec<Action> {
        let mut actions = Vec::new();
        let revision = workspace.revision();
        if self.coders.as_ref().is_none_or(|(r, _)| *r != revision) {
            self.coders = Some((revision, agreement::coders_of(workspace.project())));
        }
        let all = self
            .coders
            .as_ref()
            .map(|(_, c)| c.clone())
            .unwrap_or_default();
        ui.heading("Inter-coder agreement");
        if all.len() < 2 {
            ui.add(
                egui::Label::new(format!(
                    "Agreement compares the passages of two or more coders; this project has \
                     passages by {}. Each passage records its coder (Edit > Preferences… sets \
                     yours); File > Merge project… brings in another coder's project.",
                    match all.as_slice() {
                        [] => "no named coder".to_owned(),
                        [one] => format!("{one} only"),
                        _ => unreachable!(),
                    }
                ))
                .wrap(),
            );
            return actions;
        }
        self.coder_picker(ui, &all);
        let chosen: Vec<String> = all
            .iter()
            .filter(|c| !self.excluded.contains(*c))
            .cloned()
            .collect();
        if chosen.len() < 2 {
            ui.weak("Choose at least two coders to compare.");
            return actions;
        }
        let request = Request {
            revision,
            coders: chosen,
        };
        self.poll();
        let fresh = self.shown.as_ref().is_some_and(|c| c.request == request);
        let started = self.running.as_ref().is_some_and(|(r, _)| *r == request);
        if !fresh && !started {
            self.start(ui.ctx(), workspace, request);
        }
        if self.running.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak("Computing agreement…");
            });
        }
        let Some(shown) = &self.shown else {
            return actions;
        };
        match &shown.result {
            Ok(report) => {
                let project = workspace.project();
                egui::ScrollArea::vertical()
                    .id_salt("agreement-scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        scope_note(ui, report, project);
                        legend(ui);
                        actions.extend(table(ui, report));
                        overall(ui, report);
                        reasons(ui, report);
                        ui.add_space(8.0);
                        chart(ui, report);
                    });
            }
            Err(message) => {
                ui.add(egui::Label::new(message.as_str()).wrap());
            }
        }
        actions
    }

    fn coder_picker(&mut self, ui: &mut egui::Ui, all: &[String]) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Compare:");
            for coder in all {
                let mut on = !self.excluded.contains(coder);
                if ui
                    .checkbox(&mut on, coder.as_str())
                    .on_hover_text("Include this coder's passages in the comparison")
                    .changed()
                {
                    if on {
                        self.excluded.remove(coder);
                    } else {
                        self.excluded.insert(coder.clone());
                    }
                }
            }
        });
    }

    fn start(&mut self, ctx: &egui::Context, workspace: &Workspace, request: Request) {
        let project: Arc<Project> = workspace.snapshot();
        let lengths = workspace.text_lengths();
        let options = Options {
            coders: request.coders.clone(),
            ..Options::default()
        };
        let job = Background::start(ctx, "Computing agreement".to_owned(), move || {
            agreement::compute(&project, &lengths, &options).map_err(|e| e.to_string())
        });
        self.running = Some((request, job));
    }

    fn poll(&mut self) {
        let Some((request, job)) = &self.running else {
            return;
        };
        let result = match job.poll() {
            Polled::Running => return,
            Polled::Done(result) => result,
            Polled::Lost => Err("computing the agreement stopped unexpectedly".to_owned()),
        };
        self.shown = Some(Computed {
            request: request.clone(),
            result,
        });
        self.running = None;
    }
}

/// Which coders, documents and characters the numbers are about, and how the intervals
/// were made.
fn scope_note(ui: &mut egui::Ui, report: &AgreementReport, project: &Project) {
    let titles: Vec<String> = report
        .documents
        .iter()
        .map(|id| {
            project
                .document(*id)
                .map_or_else(|| format!("document {id}"), |d| format!("“{}”", d.title))
        })
        .collect();
    let left_out = project
        .documents
        .len()
        .saturating_sub(report.documents.len());
    let mut note = format!(
        "Coders {} on the {} document(s) that each of them coded ({} characters): {}.",
        report.coders.join(", "),
        report.documents.len(),
        report.characters,
        titles.join(", ")
    );
    if left_out > 0 {
        note.push_str(&format!(
            " {left_out} other document(s) are left out: not every compared coder coded them."
        ));
    }
    ui.add(egui::Label::new(note).wrap());
    let intervals = if report.bootstrap.replicates == 0 {
        "no 95% intervals".to_owned()
    } else {
        format!(
            "95% intervals from {} bootstrap replicates (seed {}): {}",
            report.bootstrap.replicates, report.bootstrap.seed, report.bootstrap.method
        )
    };
    ui.add(
        egui::Label::new(
            RichText::new(format!(
                "Percent and kappa count every character; {intervals}."
            ))
            .weak(),
        )
        .wrap(),
    );
    for note in &report.notes {
        ui.add(egui::Label::new(RichText::new(note).weak()).wrap());
    }
}

fn legend(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        for (fill, text) in [
            (theme::agreement_fill(1.0), "≥ .800 good"),
            (theme::agreement_fill(0.7), "≥ .667 tentative"),
            (theme::agreement_fill(0.0), "below: poor"),
        ] {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, theme::SWATCH_RADIUS, fill);
            ui.label(text);
        }
        ui.weak("(κ and the α family; “—”: undefined, hover for why)");
    });
}

/// A coefficient on its threshold colour, or "—" with the reason on hover.
fn coefficient(ui: &mut egui::Ui, value: Option<f64>, reason: Option<&String>) {
    match value {
        Some(v) => {
            ui.painter()
                .rect_filled(ui.max_rect(), theme::ROW_RADIUS, theme::agreement_fill(v));
            ui.add(egui::Label::new(render::number(Some(v))).selectable(false));
        }
        None => {
            let response = ui.add(egui::Label::new(RichText::new("—").weak()).selectable(false));
            if let Some(reason) = reason {
                response.on_hover_text(reason.as_str());
            }
        }
    }
}

fn plain(ui: &mut egui::Ui, value: Option<f64>, reason: Option<&String>) {
    let response = ui.add(egui::Label::new(render::number(value)).selectable(false));
    if let (None, Some(reason)) = (value, reason) {
        response.on_hover_text(reason.as_str());
    }
}

fn interval(ui: &mut egui::Ui, value: Option<Interval>) {
    if let Some([low, high]) = value {
        ui.add(
            egui::Label::new(RichText::new(format!("[{low:.3}, {high:.3}]")).weak())
                .selectable(false),
        );
    }
}

const HEADERS: [(&str, &str); 10] = [
    ("Tag", "Click a tag to see its passages"),
    (
        "Passages",
        "Passages per coder with this tag, in the documents used",
    ),
    (
        "percent",
        "Characters both coded or both left, over all characters (two coders)",
    ),
    ("κ", "Cohen's kappa over characters (two coders)"),
    ("α", "Krippendorff's nominal α over characters"),
    ("95% CI", "Bootstrap interval of α"),
    ("α_U", "Krippendorff's unitizing α (2004 §11.6)"),
    ("95% CI", "Bootstrap interval of α_U"),
    (
        "uα",
        "uα of Krippendorff et al. (2016) on this tag's passages",
    ),
    ("95% CI", "Bootstrap interval of uα"),
];

/// One row per tag; a click on a tag's name compares the first two coders on it in the
/// document (with two coders or more), a click elsewhere on its row opens its passages.
fn table(ui: &mut egui::Ui, report: &AgreementReport) -> Vec<Action> {
    let mut actions = Vec::new();
    let height = theme::TABLE_ROW_HEIGHT * (report.tags.len() as f32 + 1.5);
    TableBuilder::new(ui)
        .id_salt("agreement-table")
        .striped(true)
        .sense(egui::Sense::click())
        .vscroll(false)
        .min_scrolled_height(height)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(130.0).at_least(80.0).clip(true))
        .column(Column::initial(150.0).at_least(80.0).clip(true))
        .columns(Column::initial(72.0).at_least(60.0), 8)
        .header(24.0, |mut header| {
            for (title, hint) in HEADERS {
                header.col(|ui| {
                    ui.strong(title).on_hover_text(hint);
                });
            }
        })
        .body(|body| {
            body.rows(theme::TABLE_ROW_HEIGHT, report.tags.len(), |mut row| {
                let tag = &report.tags[row.index()];
                let reason = |measure: &str| tag.reasons.get(measure);
                let mut clicked = false;
                let mut compare = None;
                row.col(|ui| {
                    let name =
                        ui.add(egui::Button::new(RichText::new(&tag.tag).strong()).frame(false));
                    match &report.coders[..] {
                        [first, second, ..] => {
                            let name = name.on_hover_text(format!(
                                "Compare {first} and {second} on {} in the text",
                                tag.tag
                            ));
                            if name.clicked() {
                                compare = Some(Action::CompareCoders {
                                    first: first.clone(),
                                    second: second.clone(),
                                    tag: Some(tag.tag_id),
                                    documents: report.documents.clone(),
                                });
                            }
                        }
                        _ => {
                            clicked |= name
                                .on_hover_text(format!("Show the passages tagged {}", tag.tag))
                                .clicked();
                        }
                    }
                });
                row.col(|ui| {
                    let counts: Vec<String> = tag
                        .counts
                        .iter()
                        .map(|c| format!("{} {}", c.coder, c.passages))
                        .collect();
                    ui.add(
                        egui::Label::new(counts.join(" · "))
                            .truncate()
                            .selectable(false),
                    );
                });
                row.col(|ui| plain(ui, tag.percent, reason("percent")));
                row.col(|ui| coefficient(ui, tag.kappa, reason("kappa")));
                row.col(|ui| coefficient(ui, tag.alpha, reason("alpha")));
                row.col(|ui| interval(ui, tag.ci95.alpha));
                row.col(|ui| coefficient(ui, tag.alpha_u, reason("alpha_u")));
                row.col(|ui| interval(ui, tag.ci95.alpha_u));
                row.col(|ui| coefficient(ui, tag.u_alpha, reason("u_alpha")));
                row.col(|ui| interval(ui, tag.ci95.u_alpha));
                if let Some(compare) = compare {
                    actions.push(compare);
                } else if clicked || row.response().clicked() {
                    actions.push(Action::ShowTagPassages(tag.tag_id));
                }
            });
        });
    actions
}

/// All tags together.
fn overall(ui: &mut egui::Ui, report: &AgreementReport) {
    let overall = &report.overall;
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        ui.strong("All tags:");
        for (name, value, ci, key) in [
            ("α", overall.alpha, overall.ci95.alpha, "alpha"),
            ("α_U", overall.alpha_u, overall.ci95.alpha_u, "alpha_u"),
            ("uα", overall.u_alpha, overall.ci95.u_alpha, "u_alpha"),
            (
                "|uα (coded or not)",
                overall.binary_u_alpha,
                overall.ci95.binary_u_alpha,
                "binary_u_alpha",
            ),
            (
                "cuα (among coded stretches)",
                overall.cu_alpha,
                overall.ci95.cu_alpha,
                "cu_alpha",
            ),
        ] {
            ui.label(name);
            coefficient(ui, value, overall.reasons.get(key));
            interval(ui, ci);
            ui.add_space(8.0);
        }
    });
}

/// Why a measure has no number, tag by tag.
fn reasons(ui: &mut egui::Ui, report: &AgreementReport) {
    let mut lines: Vec<String> = Vec::new();
    for tag in &report.tags {
        for (measure, reason) in &tag.reasons {
            lines.push(format!("{} — {measure}: {reason}", tag.tag));
        }
    }
    for (measure, reason) in &report.overall.reasons {
        lines.push(format!("all tags — {measure}: {reason}"));
    }
    if lines.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(format!(
        "Why some measures have no number ({})",
        lines.len()
    ))
    .id_salt("agreement-reasons")
    .default_open(true)
    .show(ui, |ui| {
        for line in lines {
            ui.add(egui::Label::new(line).wrap());
        }
    });
}

/// α, α_U and uα per tag, side by side, with the two thresholds.
fn chart(ui: &mut egui::Ui, report: &AgreementReport) {
    ui.strong("Krippendorff's α per tag");
    let names: Vec<String> = report.tags.iter().map(|t| t.tag.clone()).collect();
    let series: [(&str, Vec<Option<f64>>); 3] = [
        (
            "α (characters)",
            report.tags.iter().map(|t| t.alpha).collect(),
        ),
        (
            "α_U (unitizing)",
            report.tags.iter().map(|t| t.alpha_u).collect(),
        ),
        ("uα", report.tags.iter().map(|t| t.u_alpha).collect()),
    ];
    let width = 0.25;
    super::category_plot::over_categories(
        Plot::new("agreement-chart")
            .height(theme::AGREEMENT_CHART_HEIGHT)
            .legend(Legend::default())
            .x_axis_label("tag")
            .y_axis_label("agreement (1 = perfect)")
            .include_y(0.0)
            .include_y(1.0),
        names,
    )
    .show(ui, |plot| {
        for (s, ((name, values), color)) in
            series.into_iter().zip(theme::AGREEMENT_SERIES).enumerate()
        {
            let offset = (s as f64 - 1.0) * width;
            let bars: Vec<Bar> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| Bar::new(i as f64 + offset, v).width(width)))
                .collect();
            plot.bar_chart(BarChart::new(name, bars).color(color));
        }
        plot.hline(
            HLine::new("good (.800)", theme::AGREEMENT_GOOD_FROM).color(theme::AGREEMENT_GOOD),
        );
        plot.hline(
            HLine::new("tentative (.667)", theme::AGREEMENT_TENTATIVE_FROM)
                .color(theme::AGREEMENT_TENTATIVE),
        );
    });
}
