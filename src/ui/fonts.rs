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
const SYSTEM_EMOJI: &str = "System colour emoji";

use crate::text_layout::fonts::{DEJAVU_SANS, DEJAVU_SERIF, SCRIPT_FONTS, system_colour_emoji};

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
    // The system's colour emoji font last: emoji that nothing before has (those added to
    // Unicode after egui's monochrome emoji font was made) show in colour instead of as
    // boxes. Not earlier, where it would turn arrows and check marks into pictures.
    let colour_emoji = system_colour_emoji().map(|(bytes, index)| {
        definitions.font_data.insert(
            SYSTEM_EMOJI.to_owned(),
            Arc::new(FontData::from_blob(Arc::new(bytes), index)),
        );
        SYSTEM_EMOJI.to_owned()
    });
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        let chain = definitions.families.entry(family).or_default();
        chain.extend(SCRIPT_FONTS.iter().map(|(name, _)| (*name).to_owned()));
        chain.push(FALLBACK.to_owned());
        chain.extend(colour_emoji.clone());
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

/// Look for the system's colour emoji font now, on a thread of its own, so that the first
/// frame (which installs the fonts) does not wait for the search (about 8 ms).
pub fn look_for_system_fonts() {
    std::thread::spawn(|| {
        system_colour_emoji();
    });
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

    /// Emoji newer than the monochrome font (🥰 🥺 🤔 🙂 🫶) come from the system's colour
    /// emoji font in labels, the Answers grid's cells and dialogs, instead of as boxes;
    /// arrows and check marks stay text.
    #[test]
    #[cfg_attr(
        not(feature = "external-tools"),
        ignore = "needs a system colour emoji font (Debian: fonts-noto-color-emoji); .ci/run \
                  installs it and runs this with --features external-tools"
    )]
    fn newer_emoji_come_from_the_system_colour_font_in_labels() {
        let newer = "🥰🥺🤔🙂🫶";
        let without = covered(FontDefinitions::default(), FontFamily::Proportional, newer);
        assert!(!without.is_empty(), "egui's own fonts lack some of {newer}");
        let missing = covered(definitions(false), FontFamily::Proportional, newer);
        assert!(missing.is_empty(), "still boxes: {missing:?}");
        let chain = &definitions(false).families[&FontFamily::Proportional];
        assert_eq!(chain.last().map(String::as_str), Some(SYSTEM_EMOJI));
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
