//! Tag colours as egui colours: chips, translucent highlights, readable text on a chip.

use egui::Color32;

use crate::model::{Project, TagId, parse_hex_color};

/// Opacity of one passage's highlight; overlapping passages stack towards opaque, so an
/// overlap is always visibly stronger than either passage alone.
const HIGHLIGHT_ALPHA: f32 = 0.36;

pub fn tag_color(project: &Project, tag: TagId) -> Color32 {
    project
        .tag(tag)
        .and_then(|t| parse_hex_color(&t.color))
        .map_or(Color32::GRAY, |[r, g, b]| Color32::from_rgb(r, g, b))
}

/// The codebook's colours, parsed once for many passages.
pub struct TagColors(Vec<(TagId, Color32)>);

impl TagColors {
    pub fn new(project: &Project) -> Self {
        Self(
            project
                .codebook
                .iter()
                .map(|tag| (tag.id, tag_color(project, tag.id)))
                .collect(),
        )
    }

    /// The colour of a passage: its first tag's (a mean of several colours would be a muddy
    /// colour no tag has). Grey when it has no tag left.
    pub fn passage(&self, tags: &[TagId]) -> Color32 {
        tags.first()
            .and_then(|tag| self.0.iter().find(|(id, _)| id == tag))
            .map_or(Color32::GRAY, |(_, color)| *color)
    }
}

/// The highlight behind text covered by `colors.len()` passages at once.
pub fn highlight(colors: &[Color32]) -> Color32 {
    if colors.is_empty() {
        return Color32::TRANSPARENT;
    }
    let n = colors.len() as u32;
    let sum = colors.iter().fold((0u32, 0u32, 0u32), |acc, c| {
        (
            acc.0 + u32::from(c.r()),
            acc.1 + u32::from(c.g()),
            acc.2 + u32::from(c.b()),
        )
    });
    let alpha = 1.0 - (1.0 - HIGHLIGHT_ALPHA).powi(colors.len() as i32);
    Color32::from_rgba_unmultiplied(
        (sum.0 / n) as u8,
        (sum.1 / n) as u8,
        (sum.2 / n) as u8,
        (alpha * 255.0).round() as u8,
    )
}

/// Black or white, whichever reads better on `background`.
pub fn text_on(background: Color32) -> Color32 {
    let luminance = 0.299 * f32::from(background.r())
        + 0.587 * f32::from(background.g())
        + 0.114 * f32::from(background.b());
    if luminance > 150.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}
