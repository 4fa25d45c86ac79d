//! The window's fonts: egui's own (Ubuntu Light, Hack, and the monochrome Noto Emoji and
//! emoji-icon fonts), then DejaVu Sans as the last fallback for symbols they lack (arrows,
//! check marks, maths, box drawing, more Latin, Greek and Cyrillic letters), and DejaVu
//! Serif for the serif reading font, loaded only once a person chooses it. Before DejaVu
//! come the Noto fonts the document view bundles for Arabic, Hebrew, Devanagari, Tamil and
//! Thai, so that titles and snippets in those scripts show in lists and dialogs too (the
//! same bytes as the view's, not a second copy). The fonts are in `assets/fonts/` with their
//! licences.

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

/// The family name of the serif reading font.
pub const SERIF: &str = "DejaVu Serif";
const FALLBACK: &str = "DejaVu Sans";

use crate::text_layout::fonts::{DEJAVU_SANS, DEJAVU_SERIF, SCRIPT_FONTS};

/// egui's fonts with DejaVu Sans after them; with `serif`, the serif family too (DejaVu
/// Serif first, then the same fallbacks as the body text).
pub fn definitions(serif: bool) -> FontDefinitions {
    let mut definitions = FontDefinitions::default();
    definitions.font_data.insert(
        FALLBACK.to_owned(),
        Arc::new(FontData::from_static(DEJAVU_SANS)),
    );
    for (name, bytes) in SCRIPT_FONTS {
        definitions
            .font_data
            .insert((*name).to_owned(), Arc::new(FontData::from_static(bytes)));
    }
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let chain = definitions.families.entry(family).or_default();
        chain.extend(SCRIPT_FONTS.iter().map(|(name, _)| (*name).to_owned()));
        chain.push(FALLBACK.to_owned());
    }
    if serif {
        definitions.font_data.insert(
            SERIF.to_owned(),
            Arc::new(FontData::from_static(DEJAVU_SERIF)),
        );
        let mut chain = vec![SERIF.to_owned()];
        chain.extend(
            definitions.families[&FontFamily::Proportional]
                .iter()
                .cloned(),
        );
        definitions
            .families
            .insert(FontFamily::Name(SERIF.into()), chain);
    }
    definitions
}

/// Use [`definitions`] from the next frame on.
pub fn install(ctx: &egui::Context, serif: bool) {
    ctx.set_fonts(definitions(serif));
}

/// Whether the serif family can be used this frame (it was installed before it began).
pub fn has_serif(ctx: &egui::Context) -> bool {
    ctx.fonts(|fonts| {
        fonts
            .definitions()
            .families
            .contains_key(&FontFamily::Name(SERIF.into()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::FontId;

    /// Symbols common in transcripts and social-media data.
    const SYMBOLS: &[&str] = &[
        "→←↑↓⇒↔",
        "✓✔✗✘",
        "≤≥≠±×÷∑√∞≈∈",
        "─│┌┐└┘├┼",
        "•◦▪■□●○★☆♥♦",
        "€£¥₹₽",
        "“”‘’–—…‰†‡§№℃™©®°½",
        "αβγΩЖŁĘőşəʃ",
    ];
    /// Emoji that the monochrome emoji font draws (as outlines, not in colour). Emoji
    /// added to Unicode after 2014 (🤔 🤣 🥰 🥺 …) are not in it: see the README.
    const EMOJI: &[&str] = &["😀😂😊😍😭😡😱👍👎👏🙌🙏💪❤💔💯🔥✨🎉🌍🚀📱☕⭐⚠❌✅"];

    fn covered(definitions: FontDefinitions, family: FontFamily, text: &str) -> Vec<char> {
        let ctx = egui::Context::default();
        ctx.set_fonts(definitions);
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        // No painter here to take the font atlas.
        output.textures_delta.clear();
        let font = FontId::new(14.0, family);
        let missing = ctx.fonts_mut(|fonts| {
            text.chars()
                .filter(|c| !fonts.has_glyph(&font, *c))
                .collect()
        });
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        missing
    }

    #[test]
    fn symbols_and_emoji_have_glyphs_in_every_family() {
        let all: String = SYMBOLS.iter().chain(EMOJI).copied().collect();
        for family in [
            FontFamily::Proportional,
            FontFamily::Monospace,
            FontFamily::Name(SERIF.into()),
        ] {
            let missing = covered(definitions(true), family.clone(), &all);
            assert!(missing.is_empty(), "{family:?} lacks {missing:?}");
        }
    }

    #[test]
    fn without_the_fallback_symbols_would_be_boxes() {
        let all: String = SYMBOLS.concat();
        let missing = covered(FontDefinitions::default(), FontFamily::Proportional, &all);
        assert!(
            missing.len() > 10,
            "egui's fonts alone lack only {missing:?}: is the fallback still needed?"
        );
        let emoji = covered(
            FontDefinitions::default(),
            FontFamily::Proportional,
            EMOJI[0],
        );
        assert!(emoji.is_empty(), "the emoji font is on: {emoji:?}");
    }
}
