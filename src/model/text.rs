//! A document's text with fast conversion between character offsets (the project's unit)
//! and UTF-8 byte offsets (what Rust strings and egui index by).

use std::ops::Range;

/// How many characters lie between two byte checkpoints. Small enough that a lookup
/// scans at most this many characters, large enough that the index stays a few percent
/// of the text.
const CHECKPOINT_EVERY: usize = 64;

/// One line of the document: the unit the view lays out and caches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Character range of the visible text, excluding the line end (`\n` or `\r\n`).
    pub chars: Range<usize>,
    /// Byte range of the same text.
    pub bytes: Range<usize>,
}

#[derive(Clone, Debug)]
pub struct DocumentText {
    text: String,
    char_count: usize,
    /// Byte offset of character `i * CHECKPOINT_EVERY`.
    checkpoints: Vec<usize>,
    paragraphs: Vec<Paragraph>,
}

impl DocumentText {
    pub fn new(text: String) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_EVERY + 1);
        let mut paragraphs = Vec::new();
        let mut char_count = 0;
        let mut line_start_char = 0;
        let mut line_start_byte = 0;
        for (byte, ch) in text.char_indices() {
            if char_count % CHECKPOINT_EVERY == 0 {
                checkpoints.push(byte);
            }
            if ch == '\n' {
                let (end_char, end_byte) = if text[..byte].ends_with('\r') {
                    (char_count - 1, byte - 1)
                } else {
                    (char_count, byte)
                };
                let (end_char, end_byte) =
                    (end_char.max(line_start_char), end_byte.max(line_start_byte));
                paragraphs.push(Paragraph {
                    chars: line_start_char..end_char,
                    bytes: line_start_byte..end_byte,
                });
                line_start_char = char_count + 1;
                line_start_byte = byte + 1;
            }
            char_count += 1;
        }
        if char_count % CHECKPOINT_EVERY == 0 {
            checkpoints.push(text.len());
        }
        // A final line without a line end; an empty one after a trailing newline is kept
        // only when the text is empty, so that a file ending in "\n" has no phantom line.
        if line_start_byte < text.len() || paragraphs.is_empty() {
            let end_byte = text.len();
            paragraphs.push(Paragraph {
                chars: line_start_char..char_count,
                bytes: line_start_byte..end_byte,
            });
        }
        Self {
            text,
            char_count,
            checkpoints,
            paragraphs,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn char_count(&self) -> usize {
        self.char_count
    }

    pub fn paragraphs(&self) -> &[Paragraph] {
        &self.paragraphs
    }

    /// UTF-8 byte offset of a character offset; offsets past the end clamp to the end.
    pub fn byte_of_char(&self, char_offset: usize) -> usize {
        if char_offset >= self.char_count {
            return self.text.len();
        }
        let checkpoint = char_offset / CHECKPOINT_EVERY;
        let base = self.checkpoints[checkpoint];
        let skip = char_offset - checkpoint * CHECKPOINT_EVERY;
        match self.text[base..].char_indices().nth(skip) {
            Some((byte, _)) => base + byte,
            None => self.text.len(),
        }
    }

    /// Character offset of a byte offset, which must lie on a character boundary
    /// (a byte inside a character counts as that character's start).
    pub fn char_of_byte(&self, byte_offset: usize) -> usize {
        let byte_offset = byte_offset.min(self.text.len());
        let checkpoint = self.checkpoints.partition_point(|&b| b <= byte_offset) - 1;
        let base = self.checkpoints[checkpoint];
        checkpoint * CHECKPOINT_EVERY + self.text[base..byte_offset].chars().count()
            - usize::from(!self.text.is_char_boundary(byte_offset))
    }

    /// `chars` widened to whole grapheme clusters (UAX #29): a start inside a cluster (a
    /// Devanagari conjunct, a ZWJ emoji, a letter with its combining marks) moves to the
    /// cluster's start, an end inside one to its end, so that a passage never holds half a
    /// character as a reader sees it.
    pub fn grapheme_span(&self, chars: Range<usize>) -> Range<usize> {
        use unicode_segmentation::GraphemeCursor;
        let text = self.text.as_str();
        let bytes = self.byte_range(chars);
        let snap = |byte: usize, forward: bool| {
            let mut cursor = GraphemeCursor::new(byte, text.len(), true);
            match cursor.is_boundary(text, 0) {
                Ok(true) | Err(_) => byte,
                Ok(false) => {
                    let moved = if forward {
                        cursor.next_boundary(text, 0)
                    } else {
                        cursor.prev_boundary(text, 0)
                    };
                    moved.ok().flatten().unwrap_or(byte)
                }
            }
        };
        let start = snap(bytes.start, false);
        let end = snap(bytes.end, true).max(start);
        self.char_of_byte(start)..self.char_of_byte(end)
    }

    pub fn byte_range(&self, chars: Range<usize>) -> Range<usize> {
        self.byte_of_char(chars.start)..self.byte_of_char(chars.end.max(chars.start))
    }

    /// The text of a character range; `None` when the range lies outside the text.
    pub fn slice(&self, chars: Range<usize>) -> Option<&str> {
        if chars.start > chars.end || chars.end > self.char_count {
            return None;
        }
        let bytes = self.byte_range(chars);
        Some(&self.text[bytes])
    }

    /// Index of the paragraph holding a character offset (line ends belong to the line before).
    pub fn paragraph_of_char(&self, char_offset: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.chars.end < char_offset)
            .min(self.paragraphs.len().saturating_sub(1))
    }

    /// UTF-16 code-unit offset of a character offset, for standards that count in UTF-16.
    pub fn utf16_of_char(&self, char_offset: usize) -> usize {
        let byte = self.byte_of_char(char_offset);
        self.text[..byte].encode_utf16().count()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn spans_are_widened_to_whole_graphemes() {
        // "क्षा" is one cluster of four characters (क ् ष ा); the family emoji is five
        // characters joined by ZWJ; "é" here is e + a combining acute accent.
        let text = super::DocumentText::new("a क्षा b 👩‍👩‍👧 e\u{301}!".to_owned());
        assert_eq!(text.grapheme_span(3..5), 2..6, "inside the conjunct");
        assert_eq!(text.grapheme_span(9..11), 9..14, "inside the emoji");
        assert_eq!(
            text.grapheme_span(15..16),
            15..17,
            "between e and its accent"
        );
        assert_eq!(text.grapheme_span(0..1), 0..1, "already whole");
        assert_eq!(text.grapheme_span(17..17), 17..17);
    }
    use super::*;

    const MIXED: &str = "£5 – ‘q’ “d” • 👩‍👩‍👧 e\u{301}\r\nline two\r\n\r\nend";

    #[test]
    fn char_and_byte_offsets_agree_with_std() {
        let text = DocumentText::new(MIXED.to_owned());
        assert_eq!(text.char_count(), MIXED.chars().count());
        for (char_offset, (byte, _)) in MIXED.char_indices().enumerate() {
            assert_eq!(text.byte_of_char(char_offset), byte, "char {char_offset}");
            assert_eq!(text.char_of_byte(byte), char_offset, "byte {byte}");
        }
        assert_eq!(text.byte_of_char(text.char_count()), MIXED.len());
        assert_eq!(text.char_of_byte(MIXED.len()), text.char_count());
    }

    #[test]
    fn offsets_hold_past_many_checkpoints() {
        let long: String = "a£👩\u{301}\r\n".repeat(500);
        let text = DocumentText::new(long.clone());
        for (char_offset, (byte, _)) in long.char_indices().enumerate().step_by(7) {
            assert_eq!(text.byte_of_char(char_offset), byte);
            assert_eq!(text.char_of_byte(byte), char_offset);
        }
    }

    #[test]
    fn slices_are_by_character() {
        let text = DocumentText::new(MIXED.to_owned());
        assert_eq!(text.slice(0..2), Some("£5"));
        assert_eq!(text.slice(3..4), Some("–"));
        let emoji_start = MIXED.chars().position(|c| c == '👩').unwrap();
        assert_eq!(text.slice(emoji_start..emoji_start + 5), Some("👩‍👩‍👧"));
        assert_eq!(text.slice(5..200), None);
        let reversed = std::ops::Range { start: 4, end: 3 };
        assert_eq!(text.slice(reversed), None);
    }

    #[test]
    fn paragraphs_exclude_crlf_line_ends() {
        let text = DocumentText::new(MIXED.to_owned());
        let paragraphs: Vec<&str> = text
            .paragraphs()
            .iter()
            .map(|p| &text.as_str()[p.bytes.clone()])
            .collect();
        assert_eq!(
            paragraphs,
            vec!["£5 – ‘q’ “d” • 👩‍👩‍👧 e\u{301}", "line two", "", "end"]
        );
        for p in text.paragraphs() {
            assert_eq!(
                text.slice(p.chars.clone()),
                Some(&text.as_str()[p.bytes.clone()])
            );
        }
    }

    #[test]
    fn trailing_newline_adds_no_empty_paragraph() {
        let text = DocumentText::new("a\nb\n".to_owned());
        assert_eq!(text.paragraphs().len(), 2);
        let empty = DocumentText::new(String::new());
        assert_eq!(empty.paragraphs().len(), 1);
        assert_eq!(empty.paragraphs()[0].chars, 0..0);
    }

    #[test]
    fn paragraph_lookup() {
        let text = DocumentText::new("ab\ncd\n\nef".to_owned());
        assert_eq!(text.paragraph_of_char(0), 0);
        assert_eq!(text.paragraph_of_char(2), 0);
        assert_eq!(text.paragraph_of_char(3), 1);
        assert_eq!(text.paragraph_of_char(6), 2);
        assert_eq!(text.paragraph_of_char(7), 3);
        assert_eq!(text.paragraph_of_char(9), 3);
    }

    #[test]
    fn utf16_counts_surrogate_pairs() {
        let text = DocumentText::new("a👩b".to_owned());
        assert_eq!(text.utf16_of_char(2), 3);
        assert_eq!(text.utf16_of_char(3), 4);
    }
}
