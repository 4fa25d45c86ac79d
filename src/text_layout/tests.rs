use super::*;
use crate::model::TextDirection;

const ARABIC: &str = "قال الضابط إن البرنامج ساعد الموظفين كثيرا";
const HEBREW: &str = "השוטר אמר שהתוכנית עזרה לעובדים מאוד";
const MIXED: &str = "قال الضابط John Smith إن 42 موظفا استفادوا";
const DEVANAGARI: &str = "अधिकारी ने कहा कि कार्यक्रम से कर्मचारियों को मदद मिली";
const TAMIL: &str = "அதிகாரி திட்டம் ஊழியர்களுக்கு உதவியது என்றார்";
const THAI: &str = "เจ้าหน้าที่กล่าวว่าโครงการช่วยพนักงานได้มาก";
const CJK: &str = "警官说该计划对员工帮助很大。";
const EMOJI: &str = "Family 👩‍👩‍👧 and thumbs 👍🏽 in one line";

fn style() -> ParagraphStyle {
    ParagraphStyle {
        font_size: 16.0,
        line_height: 1.4,
        serif: false,
        direction: TextDirection::Auto,
    }
}

fn engine() -> TextEngine {
    TextEngine::new(FontSource::BundledOnly)
}

fn grapheme_boundaries(text: &str) -> Vec<usize> {
    let mut boundaries = vec![0];
    let mut chars = 0;
    for grapheme in text.graphemes(true) {
        chars += grapheme.chars().count();
        boundaries.push(chars);
    }
    boundaries
}

/// Every caret position of a paragraph goes to a caret rectangle and back to itself through
/// a point in that rectangle, at a width where it wraps and at one where it does not.
#[test]
fn every_caret_position_round_trips_in_every_script() {
    let mut engine = engine();
    for text in [ARABIC, HEBREW, MIXED, DEVANAGARI, TAMIL, THAI, CJK, EMOJI] {
        for width in [140.0, 2000.0] {
            let layout = engine.lay_out(text, &style(), width);
            for offset in grapheme_boundaries(text) {
                let caret = layout.caret_rect(offset);
                let (x, y) = caret.center();
                let back = layout.offset_at(x, y);
                // At a line break the end of one line and the start of the next are one
                // caret position seen from two sides; either offset stands for it.
                let same_place =
                    back == offset || layout.caret_rect(back).center() == caret.center();
                assert!(
                    same_place,
                    "{text:?} at width {width}: offset {offset} → caret {caret:?} → offset {back}"
                );
            }
        }
    }
}

#[test]
fn a_right_to_left_paragraph_starts_at_the_right() {
    let mut engine = engine();
    let layout = engine.lay_out(ARABIC, &style(), 600.0);
    assert!(layout.is_right_to_left());
    let first = layout.caret_rect(0);
    let end = layout.caret_rect(ARABIC.chars().count());
    assert!(
        first.x0 > 500.0,
        "the first character is set from the right: {first:?}"
    );
    assert!(end.x0 < first.x0, "and the text runs leftwards: {end:?}");
    // A point at the right end of the line is the paragraph's start.
    let (_, y) = first.center();
    assert_eq!(layout.offset_at(599.0, y), 0);
}

/// A drag from the right end of an Arabic line over its first words covers those words.
#[test]
fn a_drag_from_the_start_of_a_right_to_left_line_selects_its_leading_words() {
    let mut engine = engine();
    let layout = engine.lay_out(ARABIC, &style(), 600.0);
    let first_words = "قال الضابط";
    let words_end = first_words.chars().count();
    let (_, y) = layout.caret_rect(0).center();
    let drag_end_x = layout.caret_rect(words_end).center().0;
    let from = layout.offset_at(599.0, y);
    let to = layout.offset_at(drag_end_x, y);
    let (start, end) = (from.min(to), from.max(to));
    let selected: String = ARABIC.chars().skip(start).take(end - start).collect();
    assert_eq!(selected, first_words);
}

#[test]
fn the_direction_can_be_set_for_a_paragraph() {
    let mut engine = engine();
    let english = "The officer said it helped";
    let rtl = ParagraphStyle {
        direction: TextDirection::RightToLeft,
        ..style()
    };
    assert!(!engine.lay_out(english, &style(), 600.0).is_right_to_left());
    let layout = engine.lay_out(english, &rtl, 600.0);
    assert!(layout.is_right_to_left());
    // Offsets are the paragraph's own: the direction mark is not counted.
    assert_eq!(layout.char_count(), english.chars().count());
    let (x, y) = layout.caret_rect(4).center();
    assert_eq!(layout.offset_at(x, y), 4);
}

/// A range across a change of direction is drawn as the several pieces it covers.
#[test]
fn a_selection_across_a_direction_change_is_several_rectangles() {
    let mut engine = engine();
    let text = "The officer (الضابط) said 42 times";
    let layout = engine.lay_out(text, &style(), 600.0);
    assert!(!layout.is_right_to_left());
    // "cer (الض": the end of "officer" and the first letters of the Arabic word.
    let rects = layout.range_rects(8..16);
    assert_eq!(rects.len(), 2, "{rects:?}");
    assert!(rects[0].x1 <= rects[1].x0 || rects[1].x1 <= rects[0].x0);
}

#[test]
fn hits_never_fall_inside_a_grapheme_cluster() {
    let mut engine = engine();
    for text in [EMOJI, DEVANAGARI, "e\u{301}te\u{301} cafe\u{301}"] {
        let layout = engine.lay_out(text, &style(), 2000.0);
        let boundaries = grapheme_boundaries(text);
        let (_, y) = layout.caret_rect(0).center();
        for x in (0..400).map(|x| x as f32) {
            let offset = layout.offset_at(x, y);
            assert!(
                boundaries.contains(&offset),
                "{text:?}: x {x} gave {offset}, inside a grapheme"
            );
        }
    }
}

#[test]
fn every_script_tested_has_glyphs_in_the_bundled_fonts() {
    let mut engine = engine();
    for text in [ARABIC, HEBREW, DEVANAGARI, TAMIL, THAI] {
        let layout = engine.lay_out(text, &style(), 2000.0);
        let notdef = layout
            .glyph_runs()
            .iter()
            .flat_map(|run| run.glyphs.iter())
            .filter(|glyph| glyph.id == 0)
            .count();
        assert_eq!(notdef, 0, "{text:?} has missing glyphs");
    }
}

#[test]
fn each_glyph_knows_the_character_it_draws_in_either_direction() {
    let mut engine = engine();
    for text in ["plain red plain", ARABIC, MIXED] {
        let layout = engine.lay_out(text, &style(), 2000.0);
        let glyphs: Vec<PlacedGlyph> = layout
            .glyph_runs()
            .into_iter()
            .flat_map(|run| run.glyphs)
            .collect();
        for glyph in &glyphs {
            // The glyph stands inside the cell its character's caret positions bound.
            let before = layout.caret_rect(glyph.char_offset);
            let after = layout.caret_rect(glyph.char_offset + 1);
            let (left, right) = (before.x0.min(after.x0), before.x0.max(after.x0));
            assert!(
                glyph.x >= left - 0.5 && glyph.x <= right + 0.5,
                "{text:?}: glyph of character {} at x {} outside {left}..{right}",
                glyph.char_offset,
                glyph.x
            );
        }
        let mut drawn: Vec<usize> = glyphs.iter().map(|g| g.char_offset).collect();
        drawn.sort_unstable();
        drawn.dedup();
        assert!(
            drawn.len() * 10 >= text.chars().count() * 7,
            "{text:?}: {drawn:?}"
        );
    }
}

/// Double-click: the word under the pointer, by dictionary in Thai (no spaces between words).
#[test]
fn the_word_under_a_point_is_a_word_in_every_script() {
    let mut engine = engine();
    let cases: [(&str, usize, &str); 5] = [
        ("The café’s rate rose", 6, "café’s"),
        (ARABIC, 6, "الضابط"),
        (HEBREW, 8, "אמר"),
        (THAI, 21, "โครงการ"),
        // The dictionary takes the compound เจ้าหน้าที่ ("official") as เจ้า + หน้าที่.
        (THAI, 2, "เจ้า"),
    ];
    for (text, inside, word) in cases {
        let layout = engine.lay_out(text, &style(), 2000.0);
        let caret = layout.caret_rect(inside);
        let next = layout.caret_rect(inside + 1);
        let (x, y) = ((caret.x0 + next.x0) / 2.0, caret.center().1);
        let found = layout.word_at_point(text, x, y).expect("a word");
        let selected: String = text.chars().skip(found.start).take(found.len()).collect();
        assert_eq!(selected, word, "{text:?} at character {inside}");
    }
}

/// Thai wraps between words (found by dictionary), never inside one.
#[test]
fn thai_wraps_between_words() {
    let mut engine = engine();
    // THAI is เจ้า หน้าที่ กล่าว ว่า โครงการ ช่วย พนักงาน ได้ มาก, written without spaces.
    let word_starts = [0, 4, 11, 16, 19, 26, 30, 37, 40];
    for width in [60.0, 90.0, 120.0] {
        let layout = engine.lay_out(THAI, &style(), width);
        assert!(layout.line_count() > 1, "wraps at {width}");
        for line in 0..layout.line_count() {
            let start = layout.line_range(line).unwrap().start;
            assert!(
                word_starts.contains(&start),
                "a line at width {width} starts inside a word, at {start}"
            );
        }
    }
}

/// A system font for a bundled script (here DejaVu Sans, which has Hebrew, standing in for a
/// system's "Noto Sans Hebrew") is used before the bundled one.
#[test]
fn a_system_font_for_a_bundled_script_wins() {
    let mut engine = engine();
    engine.fonts.collection.register_fonts(
        parley::fontique::Blob::new(std::sync::Arc::new(fonts::DEJAVU_SANS)),
        Some(parley::fontique::FontInfoOverride {
            family_name: Some("Noto Sans Hebrew"),
            ..Default::default()
        }),
    );
    let layout = engine.lay_out(HEBREW, &style(), 2000.0);
    let sizes: Vec<usize> = layout
        .glyph_runs()
        .iter()
        .map(|run| run.font.data.data().len())
        .collect();
    // The spaces come from the body font; the letters from the "system" font, none from
    // the bundled Hebrew one.
    assert!(sizes.contains(&fonts::DEJAVU_SANS.len()), "{sizes:?}");
    let bundled_hebrew = fonts::SCRIPT_FONTS[1].1.len();
    assert!(!sizes.contains(&bundled_hebrew), "{sizes:?}");
}

/// Text symbols (©, arrows) from the symbol font, emoji from a system colour emoji font where
/// there is one, the bundled monochrome emoji last.
#[test]
fn colour_emoji_fonts_come_after_the_symbols_and_before_the_bundled_emoji() {
    let families = fonts::families(false);
    let at = |name: &str| families.iter().position(|f| *f == name).unwrap();
    assert!(at("Marginalia Symbols") < at("Noto Color Emoji"));
    assert!(at("Segoe UI Emoji") < at("Marginalia Emoji"));
    assert_eq!(families.last(), Some(&"Marginalia Emoji"));
    let emoji = fonts::emoji_families(false);
    assert_eq!(emoji[0], "Noto Color Emoji");
    let at = |name: &str| emoji.iter().position(|f| *f == name).unwrap();
    assert!(at("Marginalia Emoji") < at("Marginalia Symbols"));
}

/// The family name of the font each character's glyph was drawn from (the first character
/// of its cluster).
pub(crate) fn font_family_by_char(layout: &ParagraphLayout) -> Vec<(usize, String)> {
    use skrifa::MetadataProvider;
    let mut found = Vec::new();
    for run in layout.glyph_runs() {
        let font = skrifa::FontRef::from_index(run.font.data.data(), run.font.index).unwrap();
        let family = font
            .localized_strings(skrifa::string::StringId::FAMILY_NAME)
            .english_or_first()
            .map(|name| name.to_string())
            .unwrap_or_default();
        found.extend(run.glyphs.iter().map(|g| (g.char_offset, family.clone())));
    }
    found
}

/// Which font an emoji is set in follows its presentation (UTS #51): 😀, 👍🏽 and ❤ with
/// U+FE0F are pictures, set in an emoji font although the symbol font (tried first for
/// text) has faces and hearts; ❤ alone and © are text, set in the text's fonts.
#[test]
fn emoji_pictures_are_set_in_the_emoji_font_and_text_symbols_in_the_symbol_font() {
    // a(0) space 😀(2) space ❤(4) U+FE0F(5) space ❤(7) space 👍(9) 🏽(10) space ©(12)
    let text = "a 😀 \u{2764}\u{FE0F} \u{2764} 👍🏽 ©";
    let layout = engine().lay_out(text, &style(), 600.0);
    let fonts = font_family_by_char(&layout);
    let font_of = |offset: usize| -> Vec<&str> {
        fonts
            .iter()
            .filter(|(at, _)| *at == offset)
            .map(|(_, family)| family.as_str())
            .collect()
    };
    assert_eq!(font_of(2), ["Noto Emoji"], "{fonts:?}");
    assert!(font_of(4).iter().all(|f| *f == "Noto Emoji"), "{fonts:?}");
    assert_eq!(font_of(7), ["DejaVu Sans"], "{fonts:?}");
    assert!(font_of(9).iter().all(|f| *f == "Noto Emoji"), "{fonts:?}");
    assert_eq!(
        font_of(12),
        ["Ubuntu Light"],
        "the body font's ©: {fonts:?}"
    );
    assert!(fonts::is_emoji_presentation("🇬🇧"));
    assert!(fonts::is_emoji_presentation("1\u{FE0F}\u{20E3}"));
    assert!(!fonts::is_emoji_presentation("1"));
    assert!(!fonts::is_emoji_presentation("😀\u{FE0E}"));
}

/// Screen readers are told where each character is: the boxes of a grapheme's characters
/// cover exactly what a selection of that grapheme highlights, in every script, and an
/// Arabic line's first character is at its right end.
#[test]
fn each_characters_box_is_where_a_selection_of_it_is_drawn() {
    for text in [ARABIC, HEBREW, MIXED, DEVANAGARI, TAMIL, THAI, CJK, EMOJI] {
        let layout = engine().lay_out(text, &style(), 240.0);
        let boundaries = grapheme_boundaries(text);
        for pair in boundaries.windows(2) {
            let (start, end) = (pair[0], pair[1]);
            let rects = layout.range_rects(start..end);
            if rects.is_empty() {
                continue;
            }
            let line = layout.line_of(start);
            let first = layout.line_range(line).unwrap().start;
            let cells = layout.line_cells(line);
            let covered = &cells[start - first..end - first];
            let (x0, x1) = covered
                .iter()
                .fold((f32::MAX, f32::MIN), |(a, b), c| (a.min(c.x0), b.max(c.x1)));
            let (r0, r1) = rects
                .iter()
                .fold((f32::MAX, f32::MIN), |(a, b), r| (a.min(r.x0), b.max(r.x1)));
            assert!(
                (x0 - r0).abs() < 0.5 && (x1 - r1).abs() < 0.5,
                "{text:?} {start}..{end}: boxes {x0}..{x1}, selection {r0}..{r1}"
            );
        }
    }
    let arabic = engine().lay_out(ARABIC, &style(), 600.0);
    let cells = arabic.line_cells(0);
    assert_eq!(cells.len(), ARABIC.chars().count());
    assert!(cells.iter().all(|c| c.right_to_left));
    let rightmost = cells.iter().map(|c| c.x1).fold(f32::MIN, f32::max);
    assert_eq!(cells[0].x1, rightmost, "the first letter is at the right");
}
