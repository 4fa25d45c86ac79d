//! The fonts the document view lays text out in: egui's body font (Ubuntu Light) for Latin
//! text, so the view looks as the rest of the window, then Noto Sans for Arabic, Hebrew,
//! Devanagari, Tamil and Thai, DejaVu for symbols and more Latin, Greek and Cyrillic, and
//! egui's monochrome Noto Emoji. All are bundled (`assets/fonts/`, licences beside them), so
//! every script tested shows on a machine without those fonts; the system's fonts come after
//! them for everything else (CJK, other scripts, colour emoji).

use std::sync::Arc;

use parley::FontContext;
use parley::fontique::{Blob, Collection, CollectionOptions, FontInfoOverride};

/// Where fonts come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FontSource {
    /// Only the bundled fonts: the same glyphs on every machine (tests).
    BundledOnly,
    /// The bundled fonts, then the system's.
    BundledAndSystem,
}

static UBUNTU_LIGHT: &[u8] = epaint_default_fonts::UBUNTU_LIGHT;
static NOTO_EMOJI: &[u8] = epaint_default_fonts::NOTO_EMOJI_REGULAR;
pub static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub static DEJAVU_SERIF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif.ttf");
static NOTO_ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");
static NOTO_HEBREW: &[u8] = include_bytes!("../../assets/fonts/NotoSansHebrew-Regular.ttf");
static NOTO_DEVANAGARI: &[u8] = include_bytes!("../../assets/fonts/NotoSansDevanagari-Regular.ttf");
static NOTO_TAMIL: &[u8] = include_bytes!("../../assets/fonts/NotoSansTamil-Regular.ttf");
static NOTO_THAI: &[u8] = include_bytes!("../../assets/fonts/NotoSansThai-Regular.ttf");

const BODY: &str = "Marginalia Body";
const SERIF: &str = "Marginalia Serif";

/// The bundled fonts of scripts the body font lacks.
pub const SCRIPT_FONTS: &[(&str, &[u8])] = &[
    ("Marginalia Arabic", NOTO_ARABIC),
    ("Marginalia Hebrew", NOTO_HEBREW),
    ("Marginalia Devanagari", NOTO_DEVANAGARI),
    ("Marginalia Tamil", NOTO_TAMIL),
    ("Marginalia Thai", NOTO_THAI),
];

/// The bundled symbol and emoji fonts, tried after the script fonts.
const SYMBOLS: (&str, &[u8]) = ("Marginalia Symbols", DEJAVU_SANS);
const EMOJI: (&str, &[u8]) = ("Marginalia Emoji", NOTO_EMOJI);

/// The bundled families after the body font, in the order they are tried for a character.
fn bundled_families() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    SCRIPT_FONTS.iter().copied().chain([SYMBOLS, EMOJI])
}

pub(super) fn font_context(source: FontSource) -> FontContext {
    let mut context = FontContext {
        collection: Collection::new(CollectionOptions {
            shared: false,
            system_fonts: source == FontSource::BundledAndSystem,
        }),
        source_cache: Default::default(),
    };
    let bundled = [(BODY, UBUNTU_LIGHT), (SERIF, DEJAVU_SERIF)]
        .into_iter()
        .chain(bundled_families());
    for (family, bytes) in bundled {
        // Registered under names of ours, so that a system font of the same name neither
        // replaces nor doubles them.
        context.collection.register_fonts(
            Blob::new(Arc::new(bytes)),
            Some(FontInfoOverride {
                family_name: Some(family),
                ..Default::default()
            }),
        );
    }
    context
}

/// Fonts a system may have for the bundled scripts (Linux, Windows, macOS), tried before the
/// bundled ones so that the fonts a person installed, or their system's own, win where they
/// are present. Absent families are skipped; with [`FontSource::BundledOnly`] none is there.
const SYSTEM_SCRIPT_FAMILIES: &[&str] = &[
    "Noto Naskh Arabic",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Tamil",
    "Noto Sans Thai",
    "Segoe UI",
    "Nirmala UI",
    "Leelawadee UI",
    "Geeza Pro",
    "Arial Hebrew",
    "Kohinoor Devanagari",
    "Tamil Sangam MN",
    "Thonburi",
];

/// Colour emoji fonts of Linux, macOS and Windows: tried after the symbol font (whose
/// arrows, check marks and © are text, not emoji) and before the bundled monochrome emoji.
const SYSTEM_EMOJI_FAMILIES: &[&str] = &[
    "Noto Color Emoji",
    "Apple Color Emoji",
    "Segoe UI Emoji",
    "Twemoji",
];

/// The first colour emoji font the system has ([`SYSTEM_EMOJI_FAMILIES`]), as its file's
/// bytes (mapped, not copied) and the face's index; looked for once.
pub fn system_colour_emoji() -> Option<(Blob<u8>, u32)> {
    static FOUND: std::sync::OnceLock<Option<(Blob<u8>, u32)>> = std::sync::OnceLock::new();
    FOUND
        .get_or_init(|| {
            let mut collection = Collection::new(CollectionOptions {
                shared: false,
                system_fonts: true,
            });
            SYSTEM_EMOJI_FAMILIES.iter().find_map(|name| {
                let family = collection.family_by_name(name)?;
                let font = family.fonts().first()?;
                Some((font.load(None)?, font.index()))
            })
        })
        .clone()
}

/// The family names an emoji is set in: the colour emoji fonts, the bundled monochrome one,
/// then a paragraph's families for what they lack. (The symbol font, tried before them in
/// a paragraph, has black-and-white faces and hearts of its own.)
pub(super) fn emoji_families(serif: bool) -> Vec<&'static str> {
    let mut emoji: Vec<&'static str> = SYSTEM_EMOJI_FAMILIES.to_vec();
    emoji.push(EMOJI.0);
    emoji.extend(families(serif));
    emoji
}

/// Whether a grapheme cluster is shown as an emoji picture rather than as a text symbol
/// (UTS #51, section 4): a variation selector says which (U+FE0F picture, U+FE0E text);
/// without one its first character's Emoji_Presentation does. ❤ and © are text, ❤️ and 😀
/// pictures, flags (regional indicators) and skin tones pictures.
pub(super) fn is_emoji_presentation(grapheme: &str) -> bool {
    use unicode_properties::{EmojiStatus, UnicodeEmoji};
    if grapheme.contains('\u{FE0E}') {
        return false;
    }
    if grapheme.contains('\u{FE0F}') {
        return true;
    }
    grapheme.chars().next().is_some_and(|first| {
        matches!(
            first.emoji_status(),
            EmojiStatus::EmojiPresentation
                | EmojiStatus::EmojiPresentationAndModifierBase
                | EmojiStatus::EmojiPresentationAndEmojiComponent
                | EmojiStatus::EmojiPresentationAndModifierAndEmojiComponent
        )
    })
}

/// The family names a paragraph is set in, first choice first: the body font (Latin), the
/// system's fonts for the bundled scripts, the bundled fonts with the system's colour emoji
/// before the bundled monochrome ones, then (in the caller) the system's sans-serif
/// fallback for everything else.
pub(super) fn families(serif: bool) -> Vec<&'static str> {
    let mut families = vec![if serif { SERIF } else { BODY }];
    families.extend(SYSTEM_SCRIPT_FAMILIES);
    families.extend(SCRIPT_FONTS.iter().map(|(name, _)| *name));
    families.push(SYMBOLS.0);
    families.extend(SYSTEM_EMOJI_FAMILIES);
    families.push(EMOJI.0);
    families
}
