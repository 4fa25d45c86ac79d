//! One line of text rearranged so that a left-to-right layout without a bidi step (egui's
//! labels) shows it in reading order: the runs of the Unicode Bidirectional Algorithm (UAX #9)
//! put in visual order, and inside a right-to-left run the letters' words and the marks
//! between them reversed. A word of Arabic or Hebrew letters keeps its characters in logical
//! order, because the shaper sets a run of such letters right to left (and joins them) by
//! itself; brackets in a right-to-left run are mirrored (UAX #9, rule L4).
//!
//! For display only: what is stored, exported and read to screen readers stays in logical
//! order.

use std::borrow::Cow;

use unicode_bidi::{BidiClass, BidiInfo, bidi_class};

fn is_strong_right_to_left(c: char) -> bool {
    // Every right-to-left letter lies at or above Hebrew (U+0590): the class table is looked
    // up only there, as labels ask this of every snippet in every frame.
    c >= '\u{590}' && matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// Characters that join the letters before them in one shaped run: combining marks and the
/// zero-width joiners.
fn stays_with_letters(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::NSM | BidiClass::BN)
}

fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

/// Whether `text` has a right-to-left letter (Arabic, Hebrew, Syriac, Thaana, N'Ko…).
pub fn has_right_to_left(text: &str) -> bool {
    text.chars().any(is_strong_right_to_left)
}

/// `text` (one line) in the order a left-to-right layout draws it in reading order;
/// borrowed when it has no right-to-left character.
pub fn for_left_to_right_layout(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_strong_right_to_left) {
        return Cow::Borrowed(text);
    }
    let bidi = BidiInfo::new(text, None);
    let mut out = String::with_capacity(text.len() + 4);
    for paragraph in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let segment = &text[run.clone()];
            if levels[run.start].is_rtl() {
                for piece in right_to_left_pieces(segment).iter().rev() {
                    if piece.chars().any(is_strong_right_to_left) {
                        out.push_str(piece);
                    } else {
                        out.extend(piece.chars().map(mirrored));
                    }
                }
            } else {
                out.push_str(segment);
            }
        }
    }
    Cow::Owned(out)
}

/// A right-to-left run cut into words of letters (with their marks) and single other
/// characters, in logical order.
fn right_to_left_pieces(run: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut word_start: Option<usize> = None;
    for (at, c) in run.char_indices() {
        let letter = is_strong_right_to_left(c) || (word_start.is_some() && stays_with_letters(c));
        match (letter, word_start) {
            (true, None) => word_start = Some(at),
            (true, Some(_)) => {}
            (false, start) => {
                if let Some(start) = start {
                    pieces.push(&run[start..at]);
                    word_start = None;
                }
                pieces.push(&run[at..at + c.len_utf8()]);
            }
        }
    }
    if let Some(start) = word_start {
        pieces.push(&run[start..]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_to_right_text_is_left_as_it_is() {
        assert!(matches!(
            for_left_to_right_layout("Scotland Yard (1,500)"),
            Cow::Borrowed("Scotland Yard (1,500)")
        ));
    }

    #[test]
    fn arabic_words_run_from_the_right_with_the_full_stop_at_the_left() {
        assert_eq!(
            for_left_to_right_layout("قال الضابط إن البرنامج."),
            ".البرنامج إن الضابط قال"
        );
    }

    #[test]
    fn numbers_and_english_names_keep_their_own_order_inside_arabic() {
        assert_eq!(
            for_left_to_right_layout("قال John Smith إن 1,500 موظف"),
            "موظف 1,500 إن John Smith قال"
        );
    }

    #[test]
    fn brackets_are_mirrored_in_hebrew_and_marks_stay_on_their_letters() {
        // "(השוטר)": the opening bracket, logically first, is drawn at the right as ")".
        assert_eq!(for_left_to_right_layout("(השוטר) אמר"), "אמר (השוטר)");
        // A shadda and a fatha stay with the letters they sit on.
        let voweled = "مُدَرِّس جيد";
        assert_eq!(for_left_to_right_layout(voweled), "جيد مُدَرِّس");
    }

    #[test]
    fn english_with_an_arabic_quote_keeps_the_english_first() {
        assert_eq!(
            for_left_to_right_layout("He said قال الضابط today"),
            "He said الضابط قال today"
        );
    }
}
