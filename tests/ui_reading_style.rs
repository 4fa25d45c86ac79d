//! Reading comfort: the column width, line spacing and font chosen in the "Reading"
//! popover lay the document out, and are kept in the preferences.

mod support;

use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::ui::{Action, Preferences, ReadingStyle};
use support::{app_harness_sized, drag, saved_project};

#[test]
fn the_column_width_limits_the_text_wrap_width_and_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let project = saved_project(dir.path());
    // Wide enough that the column, not the window, sets the width.
    let mut harness = app_harness_sized(Workspace::open(&project).unwrap(), 1900.0, 900.0);
    let default = harness.state().document_wrap_width().unwrap();
    assert_eq!(default, ReadingStyle::default().column_width);

    // The popover: its first slider is the column width; dragged to its left end, the
    // narrowest column.
    harness.get_by_label("Reading").click();
    harness.run_steps(3);
    let rect = harness
        .get_all_by_role(egui::accesskit::Role::Slider)
        .next()
        .unwrap()
        .rect();
    drag(
        &mut harness,
        rect.center(),
        egui::pos2(rect.left() - 40.0, rect.center().y),
    );
    harness.run_steps(3);
    let narrow = harness.state().preferences().reading.column_width;
    assert_eq!(
        narrow, 360.0,
        "the slider at its left end: the narrowest column"
    );
    assert_eq!(harness.state().document_wrap_width(), Some(narrow));

    // Serif and wider lines: the next frames lay the text out in the serif font.
    let ctx = harness.ctx.clone();
    harness.state_mut().perform(
        &ctx,
        Action::SetReadingStyle(ReadingStyle {
            serif: true,
            line_spacing: 2.0,
            column_width: 900.0,
            turn_times: false,
        }),
    );
    harness.run_steps(3);
    let style = harness.state().reading_style(&ctx);
    assert!(style.serif, "the serif font is installed and used");
    assert_eq!(harness.state().document_wrap_width(), Some(900.0));
    assert_eq!(harness.state().preferences().reading.line_spacing, 2.0);
    assert!(!harness.state().preferences().reading.turn_times);

    // Kept as eframe keeps the preferences (RON), and absent from older ones.
    let kept = ron::to_string(harness.state().preferences()).unwrap();
    let back: Preferences = ron::from_str(&kept).unwrap();
    assert_eq!(back.reading, harness.state().preferences().reading);
    let older: Preferences = ron::from_str("(text_size: 18.0)").unwrap();
    assert_eq!(older.reading, ReadingStyle::default());
}
