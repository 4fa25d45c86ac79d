//! Caret movement in a document text by characters (whole graphemes, so an emoji or a
//! letter with its accent is one step) and by words, across paragraph ends.

use unicode_segmentation::UnicodeSegmentation;

use crate::model::DocumentText;

/// The caret position one grapheme to the left or right; from a paragraph's edge to the
/// neighbouring paragraph's edge.
pub fn step_character(text: &DocumentText, at: usize, forward: bool) -> usize {
    let paragraphs = text.paragraphs();
    if paragraphs.is_empty() {
        return 0;
    }
    let index = text.paragraph_of_char(at);
    let paragraph = &paragraphs[index];
    let at = at.clamp(paragraph.chars.start, paragraph.chars.end);
    if forward && at == paragraph.chars.end {
        return paragraphs
            .get(index + 1)
            .map_or(at, |next| next.chars.start);
    }
    if !forward && at == paragraph.chars.start {
        return index
            .checked_sub(1)
            .map_or(at, |previous| paragraphs[previous].chars.end);
    }
    let line = &text.as_str()[paragraph.bytes.clone()];
    let local = text.byte_of_char(at) - paragraph.bytes.start;
    let boundary = if forward {
        line.grapheme_indices(true)
            .map(|(start, g)| start + g.len())
            .find(|end| *end > local)
            .unwrap_or(line.len())
    } else {
        line.grapheme_indices(true)
            .map(|(start, _)| start)
            .take_while(|start| *start < local)
            .last()
            .unwrap_or(0)
    };
    text.char_of_byte(paragraph.bytes.start + boundary)
}

/// The end of the next word (forward) or the start of the previous one (backward), as
/// word-wise movement in a text editor.
pub fn step_word(text: &DocumentText, at: usize, forward: bool) -> usize {
    let paragraphs = text.paragraphs();
    if paragraphs.is_empty() {
        return 0;
    }
    let mut index = text.paragraph_of_char(at);
    let mut at = at.clamp(paragraphs[index].chars.start, paragraphs[index].chars.end);
    loop {
        let paragraph = &paragraphs[index];
        let line = &text.as_str()[paragraph.bytes.clone()];
        let local = text.byte_of_char(at) - paragraph.bytes.start;
        let words = line
            .split_word_bound_indices()
            .filter(|(_, w)| w.chars().any(char::is_alphanumeric));
        let found = if forward {
            words
                .map(|(start, w)| start + w.len())
                .find(|end| *end > local)
        } else {
            words
                .map(|(start, _)| start)
                .take_while(|start| *start < local)
                .last()
        };
        if let Some(byte) = found {
            return text.char_of_byte(paragraph.bytes.start + byte);
        }
        // No word left in this paragraph: continue in the next (or previous) one.
        if forward && index + 1 < paragraphs.len() {
            index += 1;
            at = paragraphs[index].chars.start;
        } else if !forward && index > 0 {
            index -= 1;
            at = paragraphs[index].chars.end;
        } else {
            return if forward {
                paragraphs[index].chars.end
            } else {
                paragraphs[index].chars.start
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_step_over_whole_graphemes_and_line_ends() {
        // "e" + combining acute, a family emoji (ZWJ sequence), CRLF.
        let text = DocumentText::new("ae\u{301}👩‍👩‍👧b\r\nc".to_owned());
        let mut at = 0;
        let mut stops = vec![at];
        while at < text.char_count() {
            let next = step_character(&text, at, true);
            if next == at {
                break;
            }
            at = next;
            stops.push(at);
        }
        // a | é (2 chars) | family (5 chars) | b | line end | c
        assert_eq!(stops, vec![0, 1, 3, 8, 9, 11, 12]);
        let mut back = vec![at];
        while at > 0 {
            at = step_character(&text, at, false);
            back.push(at);
        }
        back.reverse();
        assert_eq!(back, stops);
    }

    #[test]
    fn words_skip_punctuation_and_paragraphs() {
        let text = DocumentText::new("The “rate” rose.\n\nNext – line".to_owned());
        assert_eq!(step_word(&text, 0, true), 3);
        assert_eq!(step_word(&text, 3, true), 9);
        assert_eq!(step_word(&text, 9, true), 15);
        assert_eq!(
            step_word(&text, 15, true),
            22,
            "over the blank line to “Next”"
        );
        assert_eq!(step_word(&text, 22, false), 18);
        assert_eq!(step_word(&text, 18, false), 11);
    }
}
