//! The app's look in one place (design tokens): tag colours as egui colours (chips,
//! translucent highlights, readable text on a chip), the find colour, the reading measure,
//! panel sizes, row heights and corner radii. Widgets ask for a token here instead of
//! writing a number of their own.

use egui::Color32;

/// Find hits: outlined, and the current one filled, over any passage colour.
pub const FIND_HIT: Color32 = Color32::from_rgb(0xF5, 0xA6, 0x23);

/// Body text size (points) until the person picks another.
pub const DEFAULT_TEXT_SIZE: f32 = 17.0;
/// The document's reading column: at most this wide, with this margin around it.
pub const MAX_TEXT_WIDTH: f32 = 760.0;
pub const TEXT_MARGIN: f32 = 28.0;
/// Line height as a multiple of the text size, and the gap between paragraphs in lines.
pub const LINE_HEIGHT_FACTOR: f32 = 1.5;
pub const PARAGRAPH_GAP: f32 = 0.6;

/// Coding stripes: the margin left of the text that holds them, the gap between it and
/// the text, the widest bar (room for the tag's name written along it) and the narrowest
/// (when many passages overlap), the gap between bars, and the name's size.
pub const STRIPE_GUTTER: f32 = 84.0;
pub const STRIPE_GAP_TO_TEXT: f32 = 10.0;
pub const STRIPE_WIDTH: [f32; 2] = [3.0, 13.0];
pub const STRIPE_SPACING: f32 = 2.0;
pub const STRIPE_LABEL_SIZE: f32 = 10.5;
/// A transcript speaker's name and time in the margin.
pub const SPEAKER_LABEL_SIZE: f32 = 12.5;

/// Compare mode: the text both coders coded alike, and the text only one of them coded
/// (a blue and an orange of the Okabe–Ito palette, told apart with any colour vision).
pub const COMPARE_AGREE: Color32 = Color32::from_rgb(0x56, 0xB4, 0xE9);
pub const COMPARE_DIFFER: Color32 = Color32::from_rgb(0xE6, 0x9F, 0x00);

/// Side panels: default, least and greatest width.
pub const LEFT_PANEL_WIDTH: [f32; 3] = [260.0, 180.0, 440.0];
pub const RIGHT_PANEL_WIDTH: [f32; 3] = [330.0, 220.0, 520.0];
/// The most of the window's width each side panel takes (left, right), so that a small
/// window keeps room for the document between them: at 800 points wide, the text keeps
/// about 320.
pub const SIDE_PANEL_SHARE: [f32; 2] = [0.25, 0.3];

/// A side panel's default and greatest width in a window `window_width` wide: its own, or
/// less in a small window, never under its least.
pub fn side_panel_widths(limits: [f32; 3], share: f32, window_width: f32) -> (f32, f32) {
    let greatest = limits[2].min(share * window_width).max(limits[1]);
    (limits[0].min(greatest), greatest)
}
/// The codebook's share of the left column's height, and its least height.
pub const CODEBOOK_SHARE: f32 = 0.55;
pub const CODEBOOK_MIN_HEIGHT: f32 = 120.0;

/// List rows: a passage in the right panel (tags, excerpt, note) and a table row.
pub const PASSAGE_ROW_HEIGHT: f32 = 58.0;
pub const TABLE_ROW_HEIGHT: f32 = 22.0;

/// Corner radii: highlights and find hits, colour swatches, list rows, chips.
pub const HIGHLIGHT_RADIUS: f32 = 2.0;
pub const SWATCH_RADIUS: f32 = 3.0;
pub const ROW_RADIUS: u8 = 4;
pub const CHIP_RADIUS: u8 = 10;
pub const TAG_BAR_RADIUS: u8 = 8;

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

/// The document's body text on its page: at least 7:1 (WCAG 2.2 AAA, success criterion
/// 1.4.6) against the panel it is painted on, in either theme (a test checks both).
pub fn body_text(visuals: &egui::Visuals) -> Color32 {
    body_text_in(visuals.dark_mode)
}

fn body_text_in(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_gray(0xDC)
    } else {
        Color32::from_gray(0x1C)
    }
}

/// The text colour over a highlight: the body colour where it keeps 4.5:1 (WCAG 2.2 AA,
/// 1.4.3) against the highlight laid over the page, otherwise black or white, whichever
/// contrasts more (one of them always exceeds 4.5:1). Any tag colour a person picks reads.
pub fn text_over(page: Color32, dark_mode: bool, highlight: Color32) -> Color32 {
    let under = over(page, highlight);
    let body = body_text_in(dark_mode);
    if contrast_ratio(body, under) >= MIN_CONTRAST_OVER_HIGHLIGHT {
        return body;
    }
    if contrast_ratio(Color32::BLACK, under) >= contrast_ratio(Color32::WHITE, under) {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// WCAG 2.2 AA for body text (success criterion 1.4.3).
pub const MIN_CONTRAST_OVER_HIGHLIGHT: f32 = 4.5;

/// `layer` (with its alpha) painted over the opaque `background`.
pub fn over(background: Color32, layer: Color32) -> Color32 {
    let [r, g, b, a] = layer.to_srgba_unmultiplied();
    let alpha = f32::from(a) / 255.0;
    let mix = |under: u8, top: u8| {
        (f32::from(under) * (1.0 - alpha) + f32::from(top) * alpha).round() as u8
    };
    Color32::from_rgb(
        mix(background.r(), r),
        mix(background.g(), g),
        mix(background.b(), b),
    )
}

/// Relative luminance as WCAG 2.2 defines it (Understanding SC 1.4.3, "relative
/// luminance": sRGB channels linearised, weighted 0.2126, 0.7152, 0.0722).
pub fn relative_luminance(color: Color32) -> f32 {
    let linear = |channel: u8| {
        let c = f32::from(channel) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(color.r()) + 0.7152 * linear(color.g()) + 0.0722 * linear(color.b())
}

/// (L1 + 0.05) / (L2 + 0.05), the lighter over the darker (WCAG 2.2, "contrast ratio").
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Black or white, whichever contrasts more with `background` (WCAG 2.2 ratio; one of
/// them always reaches 4.5:1): the text of a tag chip in the tag's colour.
pub fn text_on(background: Color32) -> Color32 {
    if contrast_ratio(Color32::BLACK, background) >= contrast_ratio(Color32::WHITE, background) {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// Agreement coefficients against the usual thresholds (Krippendorff, *Content Analysis*
/// 2004, §11.4.4: α ≥ .800 reliable; ≥ .667 for tentative conclusions only; below, not
/// reliable). Okabe–Ito colours, laid under the number translucently so that it reads in
/// the light and the dark theme alike.
pub const AGREEMENT_GOOD: Color32 = Color32::from_rgb(0x00, 0x9E, 0x73);
pub const AGREEMENT_TENTATIVE: Color32 = Color32::from_rgb(0xE6, 0x9F, 0x00);
pub const AGREEMENT_POOR: Color32 = Color32::from_rgb(0xD5, 0x5E, 0x00);
pub const AGREEMENT_GOOD_FROM: f64 = 0.800;
pub const AGREEMENT_TENTATIVE_FROM: f64 = 0.667;
const AGREEMENT_FILL_OPACITY: f32 = 0.35;
/// The bar chart's series: α over characters, unitizing α_U, uα.
pub const AGREEMENT_SERIES: [Color32; 3] = [
    Color32::from_rgb(0x00, 0x72, 0xB2),
    Color32::from_rgb(0x56, 0xB4, 0xE9),
    Color32::from_rgb(0xCC, 0x79, 0xA7),
];
pub const AGREEMENT_CHART_HEIGHT: f32 = 240.0;

/// The threshold colour of an agreement coefficient.
pub fn agreement_band(value: f64) -> Color32 {
    if value >= AGREEMENT_GOOD_FROM {
        AGREEMENT_GOOD
    } else if value >= AGREEMENT_TENTATIVE_FROM {
        AGREEMENT_TENTATIVE
    } else {
        AGREEMENT_POOR
    }
}

/// The fill behind a coefficient in a table cell.
pub fn agreement_fill(value: f64) -> Color32 {
    agreement_band(value).gamma_multiply(AGREEMENT_FILL_OPACITY)
}

/// The Analysis view: the bar chart's height; the heatmap's shade (Okabe–Ito blue, laid
/// over the theme's field background so that counts read in the light and the dark theme),
/// its cells' least and greatest width, height, the row labels' greatest width and the
/// counts' size.
pub const ANALYSIS_CHART_HEIGHT: f32 = 260.0;
pub const HEATMAP: Color32 = Color32::from_rgb(0x00, 0x72, 0xB2);
pub const HEATMAP_CELL_WIDTH: [f32; 2] = [48.0, 120.0];
pub const HEATMAP_CELL_HEIGHT: f32 = 28.0;
pub const HEATMAP_LABEL_MAX_WIDTH: f32 = 180.0;
pub const HEATMAP_FONT_SIZE: f32 = 13.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_window_keeps_room_for_the_document_between_the_side_panels() {
        let widths = |window: f32| {
            let (left, left_most) =
                side_panel_widths(LEFT_PANEL_WIDTH, SIDE_PANEL_SHARE[0], window);
            let (right, right_most) =
                side_panel_widths(RIGHT_PANEL_WIDTH, SIDE_PANEL_SHARE[1], window);
            (
                left.round(),
                left_most.round(),
                right.round(),
                right_most.round(),
            )
        };
        // A usual window: the panels' own widths, room to widen them.
        assert_eq!(widths(1280.0), (260.0, 320.0, 330.0, 384.0));
        // 800 points: at most 200 + 240, so the document keeps 360.
        assert_eq!(widths(800.0), (200.0, 200.0, 240.0, 240.0));
        // Smaller still: never under the panels' least widths.
        assert_eq!(widths(500.0), (180.0, 180.0, 220.0, 220.0));
        assert_eq!(widths(3000.0).3, RIGHT_PANEL_WIDTH[2]);
    }

    fn themes() -> [egui::Visuals; 2] {
        [egui::Visuals::dark(), egui::Visuals::light()]
    }

    #[test]
    fn contrast_ratios_match_the_wcag_definition() {
        // The extremes and the W3C's worked value: #767676 on white is 4.54:1.
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast_ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 1e-6);
        assert!((contrast_ratio(Color32::from_gray(0x76), Color32::WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn chip_text_reads_on_any_tag_colour() {
        for r in (0..=255).step_by(17) {
            for g in (0..=255).step_by(17) {
                for b in (0..=255).step_by(17) {
                    let chip = Color32::from_rgb(r as u8, g as u8, b as u8);
                    let ratio = contrast_ratio(text_on(chip), chip);
                    assert!(ratio >= MIN_CONTRAST_OVER_HIGHLIGHT, "{chip:?}: {ratio:.2}");
                }
            }
        }
    }

    #[test]
    fn stripe_names_read_on_every_default_tag_colour() {
        for tag in crate::model::default_codebook() {
            let [r, g, b] = crate::model::parse_hex_color(&tag.color).unwrap();
            let bar = Color32::from_rgb(r, g, b);
            assert!(contrast_ratio(text_on(bar), bar) >= MIN_CONTRAST_OVER_HIGHLIGHT);
        }
    }

    #[test]
    fn body_text_is_aaa_on_its_page_in_both_themes() {
        for visuals in themes() {
            let ratio = contrast_ratio(body_text(&visuals), visuals.panel_fill);
            assert!(ratio >= 7.0, "dark {}: {ratio:.2}", visuals.dark_mode);
        }
    }

    /// Every default tag colour and a sweep of colours a person could pick, alone and
    /// stacked two and three deep (nested and overlapping passages), in both themes.
    #[test]
    fn text_over_any_highlight_keeps_aa_contrast() {
        let defaults: Vec<Color32> = crate::model::default_codebook()
            .iter()
            .filter_map(|t| crate::model::parse_hex_color(&t.color))
            .map(|[r, g, b]| Color32::from_rgb(r, g, b))
            .collect();
        // The compare mode's two tints are painted the same way.
        let mut colors = defaults.clone();
        colors.extend([COMPARE_AGREE, COMPARE_DIFFER]);
        for r in (0..=255).step_by(51) {
            for g in (0..=255).step_by(51) {
                for b in (0..=255).step_by(51) {
                    colors.push(Color32::from_rgb(r as u8, g as u8, b as u8));
                }
            }
        }
        for visuals in themes() {
            for (i, first) in colors.iter().enumerate() {
                let second = colors[(i * 7 + 3) % colors.len()];
                let third = colors[(i * 13 + 5) % colors.len()];
                for stack in [
                    vec![*first],
                    vec![*first, second],
                    vec![*first, second, third],
                ] {
                    let highlight = highlight(&stack);
                    let under = over(visuals.panel_fill, highlight);
                    let text = text_over(visuals.panel_fill, visuals.dark_mode, highlight);
                    let ratio = contrast_ratio(text, under);
                    assert!(
                        ratio >= MIN_CONTRAST_OVER_HIGHLIGHT,
                        "dark {}: {stack:?} gives {ratio:.2}",
                        visuals.dark_mode
                    );
                }
            }
        }
    }
}
