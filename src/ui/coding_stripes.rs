//! Coding stripes: in the margin left of the text, one bar per tag of every passage, from
//! the passage's first line to its last (as MAXQDA draws codes). Overlapping passages stand
//! side by side, a passage with two tags has two bars, so no code hides behind another's
//! colour. A bar writes its tag's name along its top when it is long enough, names its
//! passage on hover and to screen readers, and selects its passage when clicked. In compare
//! mode each of the two coders has a group of bars.

use std::ops::Range;

use egui::epaint::TextShape;
use egui::{Color32, FontId, Pos2, Rect, Sense, pos2};

use super::{Action, theme};
use crate::model::{AnnotationId, DocId, Project, TagId};

/// One bar to draw: a passage's tag, and where the passage is on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub passage: AnnotationId,
    pub doc: DocId,
    /// The passage's stored end (`chars` ends at the text's end for a passage past it):
    /// with its start, the key that finds it by binary search.
    pub stored_end: usize,
    pub tag: TagId,
    /// 0, or 1 for the second coder in compare mode.
    pub group: usize,
    pub chars: Range<usize>,
    /// Its first line's top and last line's bottom on screen; `None` for a passage that
    /// only takes a column (it ends before the view begins).
    pub y: Option<(f32, f32)>,
}

/// The column of each bar (given in the order of their passages, start then end), per
/// group: the one nearest the text that no earlier bar still occupies at its start.
/// The same bars give the same columns whatever part of the document is in view, as long
/// as the list starts where no passage crosses (the caller walks back to such a place).
pub fn assign_columns(bars: &[Bar]) -> Vec<usize> {
    // Per group, the end of the last bar in each column.
    let mut ends: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    bars.iter()
        .map(|bar| {
            let columns = &mut ends[bar.group.min(1)];
            match columns.iter().position(|end| *end <= bar.chars.start) {
                Some(free) => {
                    columns[free] = bar.chars.end;
                    free
                }
                None => {
                    columns.push(bar.chars.end);
                    columns.len() - 1
                }
            }
        })
        .collect()
}

/// Where the stripes go: the margin's right edge (beside the text) and its width.
pub struct Margin {
    pub right: f32,
    pub width: f32,
    /// Two groups (compare mode) or one.
    pub groups: usize,
}

impl Margin {
    fn group_width(&self) -> f32 {
        if self.groups > 1 {
            (self.width - theme::STRIPE_WIDTH[1]) / 2.0
        } else {
            self.width
        }
    }

    /// The right edge of a group: the second coder's group is nearer the text.
    fn group_right(&self, group: usize) -> f32 {
        if self.groups > 1 && group == 0 {
            self.right - self.group_width() - theme::STRIPE_WIDTH[1]
        } else {
            self.right
        }
    }
}

/// Paint the bars that are in view and handle their hover and clicks.
pub fn show(
    ui: &egui::Ui,
    project: &Project,
    margin: &Margin,
    bars: &[Bar],
    group_names: &[&str],
) -> Option<Action> {
    let columns = assign_columns(bars);
    let mut needed = [0usize; 2];
    for (bar, column) in bars.iter().zip(&columns) {
        let group = bar.group.min(1);
        needed[group] = needed[group].max(column + 1);
    }
    let clip = ui.clip_rect();
    let painter = ui.painter_at(clip);
    let mut action = None;
    for (bar, column) in bars.iter().zip(&columns) {
        let Some((top, bottom)) = bar.y else {
            continue;
        };
        let group = bar.group.min(1);
        let pitch = (margin.group_width() / needed[group] as f32).min(theme::STRIPE_WIDTH[1]);
        let width = pitch - theme::STRIPE_SPACING;
        if width < theme::STRIPE_WIDTH[0] && (*column as f32 + 1.0) * pitch > margin.width {
            // More overlapping passages than the margin holds: the rest are in the
            // passages list and the tooltip.
            continue;
        }
        let width = width.max(theme::STRIPE_WIDTH[0]);
        let right = margin.group_right(group) - *column as f32 * pitch;
        let rect = Rect::from_min_max(pos2(right - width, top), pos2(right, bottom));
        if !clip.intersects(rect) {
            continue;
        }
        let color = theme::tag_color(project, bar.tag);
        painter.rect_filled(rect, 1.5, color);
        let tag = project.tag(bar.tag).map_or("", |t| t.name.as_str());
        paint_name(&painter, rect.intersect(clip), tag, color);

        let response = ui.interact(
            rect.intersect(clip),
            ui.scope_id().with(("coding stripe", bar.passage, bar.tag)),
            Sense::click(),
        );
        let passage =
            project.annotation_at_key(bar.passage, bar.doc, bar.chars.start, bar.stored_end);
        let excerpt = passage.map_or(String::new(), |a| excerpt(&a.quote));
        let coder = group_names.get(group).copied().unwrap_or_default();
        let name = if coder.is_empty() {
            format!("{tag}: {excerpt}")
        } else {
            format!("{tag} ({coder}): {excerpt}")
        };
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
        let response = response.on_hover_text(&name);
        if response.clicked() {
            action = Some(Action::SelectPassage {
                id: bar.passage,
                scroll: false,
            });
        }
    }
    if margin.groups > 1 {
        for (group, name) in group_names.iter().enumerate().take(2) {
            let right = margin.group_right(group);
            painter.text(
                pos2(right, clip.top() + 2.0),
                egui::Align2::RIGHT_TOP,
                name,
                FontId::proportional(theme::STRIPE_LABEL_SIZE),
                ui.visuals().strong_text_color(),
            );
        }
    }
    action
}

/// The tag's name written down the bar from its top (where the bar is in view), in black
/// or white against the bar's colour; only where the bar is wide and long enough.
fn paint_name(painter: &egui::Painter, visible: Rect, name: &str, color: Color32) {
    // No name fits a bar narrower than the widest or shorter than a short word.
    if visible.width() < theme::STRIPE_WIDTH[1] - theme::STRIPE_SPACING - 0.5
        || visible.height() < 3.0 * theme::STRIPE_LABEL_SIZE
    {
        return;
    }
    let galley = painter.layout_no_wrap(
        name.to_owned(),
        FontId::proportional(theme::STRIPE_LABEL_SIZE),
        theme::text_on(color),
    );
    let along = galley.size().x;
    let across = galley.size().y;
    if along + 8.0 > visible.height() {
        return;
    }
    // Turned a quarter clockwise, the text's top-left corner is at the bar's right.
    let anchor = Pos2::new(visible.center().x + across / 2.0, visible.top() + 4.0);
    painter.add(
        TextShape::new(anchor, galley, theme::text_on(color))
            .with_angle(std::f32::consts::FRAC_PI_2),
    );
}

fn excerpt(quote: &str) -> String {
    super::snippet::one_line(quote, 80)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(group: usize, chars: Range<usize>) -> Bar {
        Bar {
            passage: 0,
            doc: 1,
            stored_end: chars.end,
            tag: 0,
            group,
            chars,
            y: None,
        }
    }

    #[test]
    fn overlapping_passages_stand_side_by_side_and_free_columns_are_reused() {
        let bars = [
            bar(0, 0..10),
            bar(0, 0..10),  // a second tag of the same passage
            bar(0, 5..20),  // overlaps both
            bar(0, 10..12), // the first two columns are free again at 10
            bar(0, 20..30), // everything is free at 20
        ];
        assert_eq!(assign_columns(&bars), vec![0, 1, 2, 0, 0]);
    }

    #[test]
    fn each_coder_has_columns_of_their_own() {
        let bars = [bar(0, 0..10), bar(1, 0..10), bar(1, 2..4), bar(0, 3..5)];
        assert_eq!(assign_columns(&bars), vec![0, 0, 1, 1]);
    }
}
