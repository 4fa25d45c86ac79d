//! The Analysis view: the figures of [`crate::stats`] (the ones `marginalia stats` prints)
//! as pictures. A bar chart of how often each tag is used (passages or characters, in the
//! tags' colours) and a heatmap of which tags meet (on one passage, or on overlapping
//! passages). The figures are computed on a worker thread once per project revision, never
//! per frame. A click on a bar opens that tag's passages in the table; a click on a cell of
//! the same-passage matrix opens the passages carrying both tags. When the documents have
//! attributes, grouped bars show each tag's passages per value of one attribute; a click on
//! a bar opens the tag's passages in the documents with that value.

use std::path::PathBuf;
use std::sync::{Arc, mpsc};

use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Sense, Stroke, vec2};
use egui_plot::{Bar, BarChart, Legend, Plot, PlotPoint};

use super::app::background::{Background, Polled};
use super::{Action, theme};
use crate::model::{AttributeId, Project, TagId};
use crate::stats::{self, Stats};
use crate::workspace::Workspace;

/// What the bars count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Measure {
    #[default]
    Passages,
    Characters,
}

/// Which co-occurrence matrix the heatmap shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Matrix {
    #[default]
    SamePassage,
    Overlapping,
}

/// The bar chart's bar width (one tag per unit of x).
const BAR_WIDTH: f64 = 0.7;
/// The width of a group of bars in the tags × values chart (one value per unit of x).
const BY_GROUP_WIDTH: f64 = 0.8;

/// The charts of the view, each of which can be saved as PNG.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Chart {
    Frequencies,
    Cooccurrence,
    ByAttribute,
}

impl Chart {
    pub fn title(self) -> &'static str {
        match self {
            Chart::Frequencies => "Tag frequencies",
            Chart::Cooccurrence => "Co-occurrence",
            Chart::ByAttribute => "Tags by attribute",
        }
    }
}

/// A PNG's width and height in pixels once written, or why it was not.
type PngWritten = Result<[u32; 2], String>;

/// What a set of figures was computed for: a project revision, grouped by an attribute.
type Key = (u64, Option<AttributeId>);

#[derive(Default)]
pub struct AnalysisView {
    pub measure: Measure,
    pub matrix: Matrix,
    /// The attribute the tags × values chart groups by (`None`, or one that no longer
    /// exists: the first attribute).
    pub by: Option<AttributeId>,
    /// The attribute grouped by in the last frame.
    by_shown: Option<AttributeId>,
    /// The tags × values chart shows, for each value, the share of its documents with the
    /// tag (a survey's respondents who said it) instead of the passages.
    pub by_share: bool,
    /// The figures on screen and what they are of.
    shown: Option<(Key, Result<Stats, String>)>,
    running: Option<(Key, Background<Result<Stats, String>>)>,
    /// Where each bar and each clickable cell was drawn last frame (screen points), so a
    /// script can click them as a person would.
    bar_centres: Vec<(TagId, Pos2)>,
    cell_centres: Vec<((TagId, TagId), Pos2)>,
    by_centres: Vec<((TagId, Option<String>), Pos2)>,
    /// Where each chart was drawn last frame, as far as it was visible (screen points).
    chart_rects: Vec<(Chart, Rect)>,
    /// A PNG being written, and what became of the last one.
    png_job: Option<(PathBuf, mpsc::Receiver<PngWritten>)>,
    png_status: Option<String>,
}

impl AnalysisView {
    /// The figures on screen, once computed.
    pub fn stats(&self) -> Option<&Stats> {
        self.shown.as_ref().and_then(|(_, s)| s.as_ref().ok())
    }

    /// Whether the figures on screen are those of `revision`.
    pub fn is_current(&self, revision: u64) -> bool {
        self.running.is_none()
            && self
                .shown
                .as_ref()
                .is_some_and(|(key, _)| *key == (revision, self.by_shown))
    }

    /// Where `chart` was drawn last frame, as far as it was visible.
    pub fn chart_rect(&self, chart: Chart) -> Option<Rect> {
        self.chart_rects
            .iter()
            .find(|(c, _)| *c == chart)
            .map(|(_, r)| *r)
    }

    /// Save `chart` as a PNG at `path`: a screenshot of the next frame, cropped to where the
    /// chart is drawn and written on a worker thread.
    pub fn save_png(&mut self, ctx: &egui::Context, chart: Chart, path: PathBuf) {
        let Some(rect) = self.chart_rect(chart) else {
            self.png_status = Some(format!(
                "{}: the chart “{}” is not on screen; open the Analysis view and try again",
                path.display(),
                chart.title()
            ));
            return;
        };
        let (sender, receiver) = mpsc::channel();
        let pixels_per_point = ctx.pixels_per_point();
        let repaint = ctx.clone();
        let target = path.clone();
        ctx.request_screenshot(move |image| {
            std::thread::spawn(move || {
                let result = super::chart_png::write_png(&image, rect, pixels_per_point, &target);
                let _ = sender.send(result);
                repaint.request_repaint();
            });
        });
        self.png_status = Some(format!("Saving {}…", path.display()));
        self.png_job = Some((path, receiver));
    }

    fn poll_png(&mut self) {
        let Some((path, receiver)) = &self.png_job else {
            return;
        };
        self.png_status = match receiver.try_recv() {
            Ok(Ok([width, height])) => Some(format!(
                "Saved the chart to {} ({width} × {height} pixels)",
                path.display()
            )),
            Ok(Err(message)) => Some(format!("Could not save the chart: {message}")),
            Err(mpsc::TryRecvError::Empty) => return,
            Err(mpsc::TryRecvError::Disconnected) => Some(format!(
                "Could not save the chart to {}: the screenshot never came",
                path.display()
            )),
        };
        self.png_job = None;
    }

    /// The middle of the bar of `tag` in the group of an attribute value (`None`: no value)
    /// as drawn last frame.
    pub fn by_bar_centre(&self, tag: TagId, value: Option<&str>) -> Option<Pos2> {
        self.by_centres
            .iter()
            .find(|((t, v), _)| *t == tag && v.as_deref() == value)
            .map(|(_, p)| *p)
    }

    /// The middle of a tag's bar as drawn last frame.
    pub fn bar_centre(&self, tag: TagId) -> Option<Pos2> {
        self.bar_centres
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, p)| *p)
    }

    /// The middle of a heatmap cell (row tag, column tag) as drawn last frame.
    pub fn cell_centre(&self, row: TagId, column: TagId) -> Option<Pos2> {
        self.cell_centres
            .iter()
            .find(|(c, _)| *c == (row, column))
            .map(|(_, p)| *p)
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, workspace: &Workspace) -> Vec<Action> {
        let mut actions = Vec::new();
        let revision = workspace.revision();
        let attributes = &workspace.project().attributes;
        let by = self
            .by
            .filter(|id| attributes.iter().any(|a| a.id == *id))
            .or_else(|| attributes.first().map(|a| a.id));
        self.by_shown = by;
        let key = (revision, by);
        self.poll();
        self.poll_png();
        let fresh = self.shown.as_ref().is_some_and(|(k, _)| *k == key);
        let started = self.running.as_ref().is_some_and(|(k, _)| *k == key);
        if !fresh && !started {
            self.start(ui.ctx(), workspace, key);
        }
        ui.heading("Analysis");
        if self.running.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak("Counting…");
            });
        }
        self.bar_centres.clear();
        self.cell_centres.clear();
        self.by_centres.clear();
        self.chart_rects.clear();
        if let Some(status) = &self.png_status {
            ui.add(egui::Label::new(RichText::new(status).weak()).wrap());
        }
        let Some((_, result)) = &self.shown else {
            return actions;
        };
        let stats = match result {
            Ok(stats) => stats,
            Err(message) => {
                ui.add(egui::Label::new(message.as_str()).wrap());
                return actions;
            }
        };
        let project = workspace.project();
        if project.codebook.is_empty() {
            ui.weak("The codebook has no tags yet: there is nothing to count.");
            return actions;
        }
        let coded = stats.per_document.iter().map(|d| d.passages).sum::<usize>();
        ui.add(
            egui::Label::new(format!(
                "{} document(s), {} characters, {coded} passage(s) with a tag of the codebook. \
                 The same figures as `marginalia stats`.",
                stats.documents, stats.characters
            ))
            .wrap(),
        );
        let (measure, matrix, chosen_by) = (&mut self.measure, &mut self.matrix, &mut self.by);
        let by_share = &mut self.by_share;
        let (bar_centres, cell_centres) = (&mut self.bar_centres, &mut self.cell_centres);
        let by_centres = &mut self.by_centres;
        let chart_rects = &mut self.chart_rects;
        egui::ScrollArea::vertical()
            .id_salt("analysis-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    ui.strong("Tag frequencies");
                    ui.add_space(12.0);
                    ui.selectable_value(measure, Measure::Passages, "passages")
                        .on_hover_text("Passages carrying each tag");
                    ui.selectable_value(measure, Measure::Characters, "characters")
                        .on_hover_text(
                            "Characters covered by each tag's passages, each character once",
                        );
                    save_button(ui, Chart::Frequencies, &mut actions);
                });
                let shown = ui.scope(|ui| bar_chart(ui, project, stats, *measure, bar_centres));
                record(ui, chart_rects, Chart::Frequencies, shown.response.rect);
                actions.extend(shown.inner);
                ui.add_space(12.0);
                ui.horizontal(|ui| {
                    ui.strong("Co-occurrence");
                    ui.add_space(12.0);
                    ui.selectable_value(matrix, Matrix::SamePassage, "on the same passage")
                        .on_hover_text("Passages carrying both tags");
                    ui.selectable_value(matrix, Matrix::Overlapping, "on overlapping passages")
                        .on_hover_text(
                            "Pairs of two different passages of one document that share text, \
                             one carrying each tag",
                        );
                    save_button(ui, Chart::Cooccurrence, &mut actions);
                });
                let shown = ui.scope(|ui| heatmap(ui, project, stats, *matrix, cell_centres));
                record(ui, chart_rects, Chart::Cooccurrence, shown.response.rect);
                actions.extend(shown.inner);
                if let Some(by_stats) = &stats.by {
                    ui.add_space(12.0);
                    ui.horizontal(|ui| {
                        ui.strong("Tags by attribute");
                        ui.add_space(12.0);
                        let label = ui.label("grouped by");
                        let mut chosen = by;
                        egui::ComboBox::from_id_salt("analysis-by")
                            .selected_text(by_stats.attribute.as_str())
                            .show_ui(ui, |ui| {
                                for attribute in &project.attributes {
                                    ui.selectable_value(
                                        &mut chosen,
                                        Some(attribute.id),
                                        &attribute.name,
                                    );
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        if chosen != by {
                            *chosen_by = chosen;
                        }
                        ui.checkbox(by_share, "share of documents").on_hover_text(
                            "For each value, the percentage of its documents with at least \
                                 one passage of the tag (of a survey: its respondents who said it)",
                        );
                        save_button(ui, Chart::ByAttribute, &mut actions);
                    });
                    let share = *by_share;
                    let shown =
                        ui.scope(|ui| by_chart(ui, project, stats, by_stats, share, by_centres));
                    record(ui, chart_rects, Chart::ByAttribute, shown.response.rect);
                    actions.extend(shown.inner);
                }
            });
        actions
    }

    fn start(&mut self, ctx: &egui::Context, workspace: &Workspace, key: Key) {
        let project: Arc<Project> = workspace.snapshot();
        let lengths = workspace.text_lengths();
        let options = stats::Options {
            documents: None,
            by: key.1.map(|attribute| stats::By {
                attribute,
                bins: Vec::new(),
            }),
        };
        let job = Background::start(ctx, "Counting".to_owned(), move || {
            stats::compute(&project, &lengths, &options)
        });
        self.running = Some((key, job));
    }

    fn poll(&mut self) {
        let Some((revision, job)) = &self.running else {
            return;
        };
        let result = match job.poll() {
            Polled::Running => return,
            Polled::Done(result) => result,
            Polled::Lost => Err("counting stopped unexpectedly".to_owned()),
        };
        self.shown = Some((*revision, result));
        self.running = None;
    }
}

/// One bar per tag of the codebook, in its colour; a click on a bar asks for its passages.
fn bar_chart(
    ui: &mut egui::Ui,
    project: &Project,
    stats: &Stats,
    measure: Measure,
    centres: &mut Vec<(TagId, Pos2)>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let values: Vec<f64> = stats
        .tags
        .iter()
        .map(|t| match measure {
            Measure::Passages => t.passages as f64,
            Measure::Characters => t.characters as f64,
        })
        .collect();
    let names: Vec<String> = stats.tags.iter().map(|t| t.tag.clone()).collect();
    let (title, y_label) = match measure {
        Measure::Passages => ("Passages per tag", "passages"),
        Measure::Characters => ("Characters coded per tag", "characters"),
    };
    ui.label(RichText::new(title).weak());
    let plot = super::category_plot::over_categories(
        Plot::new("analysis-frequencies")
            .height(theme::ANALYSIS_CHART_HEIGHT)
            .legend(Legend::default())
            .x_axis_label("tag")
            .y_axis_label(y_label)
            .include_y(0.0),
        names.clone(),
    )
    .show(ui, |plot| {
        for (i, (tag, value)) in stats.tags.iter().zip(&values).enumerate() {
            let color = theme::tag_color(project, tag.id);
            let bar = Bar::new(i as f64, *value)
                .width(BAR_WIDTH)
                .name(&tag.tag)
                .fill(color);
            plot.bar_chart(BarChart::new(&tag.tag, vec![bar]).color(color));
        }
    });
    for (i, (tag, value)) in stats.tags.iter().zip(&values).enumerate() {
        if *value > 0.0 {
            let centre = plot
                .transform
                .position_from_point(&PlotPoint::new(i as f64, value / 2.0));
            centres.push((tag.id, centre));
        }
    }
    let response = plot
        .response
        .on_hover_text("Click a bar to see its passages");
    if response.clicked()
        && let Some(pointer) = response.interact_pointer_pos()
    {
        let point = plot.transform.value_from_position(pointer);
        let index = point.x.round();
        let inside_x = (point.x - index).abs() <= BAR_WIDTH / 2.0;
        if inside_x && index >= 0.0 {
            let i = index as usize;
            if let (Some(tag), Some(value)) = (stats.tags.get(i), values.get(i))
                && point.y >= 0.0
                && point.y <= *value
            {
                actions.push(Action::ShowTagPassages(tag.id));
            }
        }
    }
    actions
}

/// "Save as PNG…" beside a chart's heading.
fn save_button(ui: &mut egui::Ui, chart: Chart, actions: &mut Vec<Action>) {
    ui.add_space(12.0);
    if ui
        .button("Save as PNG…")
        .on_hover_text("Save this chart as it looks now, as a PNG image")
        .clicked()
    {
        actions.push(Action::SaveChartDialog(chart));
    }
}

/// Where a chart was drawn, as far as the scroll area shows it.
fn record(ui: &egui::Ui, rects: &mut Vec<(Chart, Rect)>, chart: Chart, rect: Rect) {
    let visible = rect.intersect(ui.clip_rect());
    if visible.is_positive() {
        rects.push((chart, visible));
    }
}

/// Grouped bars: for each value of the attribute (and "no value"), one bar per tag of the
/// codebook in its colour, its height the passages carrying the tag in the documents with
/// that value. A click on a bar asks for exactly those passages.
fn by_chart(
    ui: &mut egui::Ui,
    project: &Project,
    stats: &Stats,
    by: &stats::ByStats,
    share: bool,
    centres: &mut Vec<((TagId, Option<String>), Pos2)>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let tags = &stats.tags;
    let groups = &by.values;
    let label = |value: &Option<String>| value.clone().unwrap_or_else(|| "(no value)".to_owned());
    ui.label(
        RichText::new(if share {
            format!(
                "Share of documents with each tag, by {} (documents with each value)",
                by.attribute
            )
        } else {
            format!(
                "Passages per tag by {} (documents with each value)",
                by.attribute
            )
        })
        .weak(),
    );
    let width = BY_GROUP_WIDTH / tags.len().max(1) as f64;
    let x_of =
        |group: usize, tag: usize| group as f64 - BY_GROUP_WIDTH / 2.0 + width * (tag as f64 + 0.5);
    let count = |group: usize, tag: usize| {
        let group = &groups[group];
        if share {
            let with = group.documents_with.0.get(tag).map_or(0, |(_, n)| *n);
            match group.documents {
                0 => 0.0,
                all => with as f64 * 100.0 / all as f64,
            }
        } else {
            group.passages.0.get(tag).map_or(0.0, |(_, n)| *n as f64)
        }
    };
    let names: Vec<String> = groups
        .iter()
        .map(|g| match g.cases {
            Some(cases) => format!(
                "{} ({} doc., {cases} case{})",
                label(&g.value),
                g.documents,
                if cases == 1 { "" } else { "s" }
            ),
            None => format!("{} ({} doc.)", label(&g.value), g.documents),
        })
        .collect();
    let plot = super::category_plot::over_categories(
        Plot::new("analysis-by-attribute")
            .height(theme::ANALYSIS_CHART_HEIGHT)
            .legend(Legend::default())
            .x_axis_label(by.attribute.clone())
            .y_axis_label(if share { "% of documents" } else { "passages" })
            .include_y(0.0),
        names,
    )
    .show(ui, |plot| {
        for (t, tag) in tags.iter().enumerate() {
            let color = theme::tag_color(project, tag.id);
            let bars = (0..groups.len())
                .map(|g| {
                    Bar::new(x_of(g, t), count(g, t))
                        .width(width * 0.9)
                        .name(format!("{} · {}", tag.tag, label(&groups[g].value)))
                        .fill(color)
                })
                .collect();
            plot.bar_chart(BarChart::new(&tag.tag, bars).color(color));
        }
    });
    for (g, group) in groups.iter().enumerate() {
        for (t, tag) in tags.iter().enumerate() {
            let value = count(g, t);
            if value > 0.0 {
                let centre = plot
                    .transform
                    .position_from_point(&PlotPoint::new(x_of(g, t), value / 2.0));
                centres.push(((tag.id, group.value.clone()), centre));
            }
        }
    }
    let response = plot
        .response
        .on_hover_text("Click a bar to see its passages");
    if response.clicked()
        && let Some(pointer) = response.interact_pointer_pos()
    {
        let point = plot.transform.value_from_position(pointer);
        let g = point.x.round();
        let t = ((point.x - g + BY_GROUP_WIDTH / 2.0) / width).floor();
        if g >= 0.0 && t >= 0.0 && (g as usize) < groups.len() && (t as usize) < tags.len() {
            let (g, t) = (g as usize, t as usize);
            if point.y >= 0.0 && point.y <= count(g, t) {
                actions.push(Action::ShowTagPassagesIn {
                    tag: tags[t].id,
                    documents: crate::attributes::filter::equals_term(
                        &by.attribute,
                        groups[g].value.as_deref(),
                    ),
                });
            }
        }
    }
    actions
}

/// The co-occurrence matrix as a grid of cells shaded by their count, the count written in
/// each. Off the diagonal the shade scales with the largest off-diagonal count; diagonal
/// cells (a tag with itself) are outlined and not shaded.
fn heatmap(
    ui: &mut egui::Ui,
    project: &Project,
    stats: &Stats,
    matrix: Matrix,
    centres: &mut Vec<((TagId, TagId), Pos2)>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    let counts = match matrix {
        Matrix::SamePassage => &stats.cooccurrence.same_passage,
        Matrix::Overlapping => &stats.cooccurrence.overlapping,
    };
    let tags = &stats.tags;
    let n = tags.len();
    let title = match matrix {
        Matrix::SamePassage => {
            "Passages carrying both tags (the diagonal: passages carrying the tag)"
        }
        Matrix::Overlapping => {
            "Pairs of overlapping passages, one carrying each tag (the diagonal is not counted)"
        }
    };
    ui.label(RichText::new(title).weak());
    let font = FontId::proportional(theme::HEATMAP_FONT_SIZE);
    let text_color = ui.visuals().text_color();
    let name_width = tags
        .iter()
        .map(|t| {
            ui.painter()
                .layout_no_wrap(t.tag.clone(), font.clone(), text_color)
                .size()
                .x
        })
        .fold(0.0_f32, f32::max);
    let [min_cell, max_cell] = theme::HEATMAP_CELL_WIDTH;
    let cell = vec2(
        (name_width + 12.0).clamp(min_cell, max_cell),
        theme::HEATMAP_CELL_HEIGHT,
    );
    let swatch = 10.0;
    let label_width = name_width.min(theme::HEATMAP_LABEL_MAX_WIDTH) + swatch + 14.0;
    let size = vec2(label_width + cell.x * n as f32, cell.y * (n as f32 + 1.0));
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    let painter = ui.painter_at(rect);
    let grid_origin = rect.min + vec2(label_width, cell.y);
    let cell_rect = |row: usize, column: usize| {
        Rect::from_min_size(
            grid_origin + vec2(column as f32 * cell.x, row as f32 * cell.y),
            cell,
        )
    };
    let largest = (0..n)
        .flat_map(|i| (0..n).filter(move |j| *j != i).map(move |j| (i, j)))
        .map(|(i, j)| counts[i][j])
        .max()
        .unwrap_or(0)
        .max(1);
    let empty = ui.visuals().extreme_bg_color;
    let grid_line = Stroke::new(1.0, ui.visuals().widgets.noninteractive.bg_stroke.color);
    for (i, tag) in tags.iter().enumerate() {
        let color = theme::tag_color(project, tag.id);
        // Column header and row label, each with the tag's colour.
        let header =
            Rect::from_min_size(rect.min + vec2(label_width + i as f32 * cell.x, 0.0), cell);
        painter.with_clip_rect(header).text(
            header.center(),
            Align2::CENTER_CENTER,
            &tag.tag,
            font.clone(),
            text_color,
        );
        painter.line_segment(
            [
                header.left_bottom() + vec2(4.0, -2.0),
                header.right_bottom() + vec2(-4.0, -2.0),
            ],
            Stroke::new(3.0, color),
        );
        let row_label = Rect::from_min_size(
            rect.min + vec2(0.0, cell.y * (i as f32 + 1.0)),
            vec2(label_width, cell.y),
        );
        let swatch_rect = Rect::from_center_size(
            row_label.left_center() + vec2(swatch / 2.0 + 2.0, 0.0),
            vec2(swatch, swatch),
        );
        painter.rect_filled(swatch_rect, theme::SWATCH_RADIUS, color);
        painter
            .with_clip_rect(row_label.shrink2(vec2(2.0, 0.0)))
            .text(
                swatch_rect.right_center() + vec2(6.0, 0.0),
                Align2::LEFT_CENTER,
                &tag.tag,
                font.clone(),
                text_color,
            );
        for (j, other) in tags.iter().enumerate() {
            let value = counts[i][j];
            let cell_rect = cell_rect(i, j);
            let fill = if i == j || value == 0 {
                empty
            } else {
                let t = 0.15 + 0.85 * (value as f32 / largest as f32).min(1.0);
                empty.lerp_to_gamma(theme::HEATMAP, t)
            };
            painter.rect_filled(cell_rect, 0.0, fill);
            painter.rect_stroke(cell_rect, 0.0, grid_line, egui::StrokeKind::Inside);
            if i == j {
                painter.rect_stroke(
                    cell_rect.shrink(2.0),
                    0.0,
                    Stroke::new(1.0, color),
                    egui::StrokeKind::Inside,
                );
            }
            let number_color = if i == j || value == 0 {
                text_color
            } else {
                count_color(fill)
            };
            painter.text(
                cell_rect.center(),
                Align2::CENTER_CENTER,
                value.to_string(),
                font.clone(),
                number_color,
            );
            if matrix == Matrix::SamePassage && value > 0 {
                centres.push(((tag.id, other.id), cell_rect.center()));
            }
        }
    }
    let hovered_cell = response.hover_pos().and_then(|pointer| {
        let at = pointer - grid_origin;
        let (column, row) = ((at.x / cell.x).floor(), (at.y / cell.y).floor());
        (column >= 0.0 && row >= 0.0 && (column as usize) < n && (row as usize) < n)
            .then_some((row as usize, column as usize))
    });
    if let Some((i, j)) = hovered_cell {
        let (a, b) = (&tags[i].tag, &tags[j].tag);
        let value = counts[i][j];
        let text = match (matrix, i == j) {
            (Matrix::SamePassage, true) => {
                format!("{value} passage(s) carry {a}. Click to see them.")
            }
            (Matrix::SamePassage, false) => {
                format!("{value} passage(s) carry both {a} and {b}. Click to see them.")
            }
            (Matrix::Overlapping, true) => format!("{a} with itself is not counted."),
            (Matrix::Overlapping, false) => format!(
                "{value} pair(s) of overlapping passages, one tagged {a} and the other {b}."
            ),
        };
        let clicked = response.clicked();
        response.on_hover_text_at_pointer(text);
        if clicked && matrix == Matrix::SamePassage && counts[i][j] > 0 {
            actions.push(if i == j {
                Action::ShowTagPassages(tags[i].id)
            } else {
                Action::ShowPassagesWithAllTags(vec![tags[i].id, tags[j].id])
            });
        }
    }
    heat_key(ui, largest, matrix);
    actions
}

/// Black or white, whichever contrasts more with `fill` (WCAG contrast, at least 4.58:1
/// on any colour).
fn count_color(fill: Color32) -> Color32 {
    if theme::contrast_ratio(fill, Color32::BLACK) >= theme::contrast_ratio(fill, Color32::WHITE) {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// How the shades read: from no count to the largest count off the diagonal.
fn heat_key(ui: &mut egui::Ui, largest: usize, matrix: Matrix) {
    ui.horizontal(|ui| {
        let empty = ui.visuals().extreme_bg_color;
        ui.weak("0");
        for step in 0..=4 {
            let t = 0.15 + 0.85 * step as f32 / 4.0;
            let fill: Color32 = empty.lerp_to_gamma(theme::HEATMAP, t);
            let (rect, _) = ui.allocate_exact_size(vec2(18.0, 12.0), Sense::hover());
            ui.painter().rect_filled(rect, 0.0, fill);
        }
        ui.weak(format!("{largest} (the largest count off the diagonal)"));
        if matrix == Matrix::SamePassage {
            ui.weak("· click a cell to see its passages");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heatmap_counts_read_on_every_shade_in_both_themes() {
        for visuals in [egui::Visuals::light(), egui::Visuals::dark()] {
            let empty = visuals.extreme_bg_color;
            for step in 0..=20 {
                let t = 0.15 + 0.85 * step as f32 / 20.0;
                let fill = empty.lerp_to_gamma(theme::HEATMAP, t);
                let ratio = theme::contrast_ratio(fill, count_color(fill));
                assert!(
                    ratio >= 4.5,
                    "dark mode {}: shade {t} gives contrast {ratio:.2}",
                    visuals.dark_mode
                );
            }
            // Empty cells and the diagonal write their counts in the text colour.
            let ratio = theme::contrast_ratio(empty, visuals.text_color());
            assert!(ratio >= 4.5, "text on an empty cell: {ratio:.2}");
        }
    }
}
