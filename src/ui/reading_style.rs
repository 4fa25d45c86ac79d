//! Reading comfort: how wide the document's column is, how far apart its lines are, and
//! whether its text is set in a serif or a sans-serif font, whether transcripts show their
//! turns' times. Kept with the preferences; the
//! document view lays its text out with it, and the "Reading" popover above the document
//! changes it.

use serde::{Deserialize, Serialize};

use super::theme;

/// Narrowest and widest reading column, in points.
pub const COLUMN_WIDTH: std::ops::RangeInclusive<f32> = 360.0..=1400.0;
/// Least and greatest line height, as a multiple of the text size.
pub const LINE_SPACING: std::ops::RangeInclusive<f32> = 1.2..=2.2;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadingStyle {
    /// The widest the text column gets, in points (a narrower window makes it narrower).
    pub column_width: f32,
    /// Line height as a multiple of the text size.
    pub line_spacing: f32,
    /// DejaVu Serif for the document's text instead of the sans-serif body font.
    pub serif: bool,
    /// Transcripts: each turn's start time under its speaker in the margin.
    pub turn_times: bool,
}

impl Default for ReadingStyle {
    fn default() -> Self {
        Self {
            column_width: theme::MAX_TEXT_WIDTH,
            line_spacing: theme::LINE_HEIGHT_FACTOR,
            serif: false,
            turn_times: true,
        }
    }
}

impl ReadingStyle {
    /// Within the ranges the popover offers (a preferences file may hold anything).
    pub fn clamped(self) -> Self {
        let finite = |value: f32, range: &std::ops::RangeInclusive<f32>, default: f32| {
            if value.is_finite() {
                value.clamp(*range.start(), *range.end())
            } else {
                default
            }
        };
        let default = Self::default();
        Self {
            column_width: finite(self.column_width, &COLUMN_WIDTH, default.column_width),
            line_spacing: finite(self.line_spacing, &LINE_SPACING, default.line_spacing),
            serif: self.serif,
            turn_times: self.turn_times,
        }
    }

    /// The popover's controls; returns the style as changed, if it was.
    pub fn ui(&self, ui: &mut egui::Ui) -> Option<ReadingStyle> {
        let mut style = *self;
        ui.set_min_width(260.0);
        ui.label("Column width");
        ui.add(
            egui::Slider::new(&mut style.column_width, COLUMN_WIDTH)
                .step_by(20.0)
                .suffix(" pt"),
        );
        ui.label("Line spacing");
        ui.add(
            egui::Slider::new(&mut style.line_spacing, LINE_SPACING)
                .step_by(0.1)
                .fixed_decimals(1),
        );
        ui.label("Font");
        ui.horizontal(|ui| {
            ui.radio_value(&mut style.serif, false, "Sans serif");
            ui.radio_value(&mut style.serif, true, "Serif");
        });
        ui.checkbox(&mut style.turn_times, "Show times of transcript turns");
        ui.separator();
        if ui.button("Reset").clicked() {
            style = Self::default();
        }
        (style != *self).then_some(style)
    }
}
