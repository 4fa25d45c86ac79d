//! The charts' common frame: a bar chart over named categories (tags, attribute values) on
//! the x axis, one category per whole number, fixed in place (no zoom, drag or scroll, so a
//! click always means "this bar"). The Agreement and Analysis views build on it.

use egui_plot::{GridMark, Plot};

/// `plot` with `names` as its categories: the x range shows them all, and the axis writes
/// each name under its whole number and nothing between.
pub fn over_categories(plot: Plot<'_>, names: Vec<String>) -> Plot<'_> {
    let count = names.len();
    plot.include_x(-0.6)
        .include_x(count as f64 - 0.4)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .x_axis_formatter(move |mark: GridMark, _range| {
            let index = mark.value.round();
            if (mark.value - index).abs() < 1e-6 && index >= 0.0 {
                names.get(index as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
}
