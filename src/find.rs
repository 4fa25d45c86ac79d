//! Finding words in document texts. Hits are character ranges of the original text, so a
//! hit can be tagged as exactly the passage it shows, whatever case folding did to lengths.

use std::ops::Range;

use crate::model::DocumentText;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindOptions {
    pub match_case: bool,
    pub whole_word: bool,
}

/// Every non-overlapping occurrence of `needle` in `text`, in order.
pub fn find_all(text: &DocumentText, needle: &str, options: FindOptions) -> Vec<Range<usize>> {
    if needle.is_empty() {
        return Vec::new();
    }
    let haystack = text.as_str();
    let hits: Vec<Range<usize>> = if options.match_case {
        haystack
            .match_indices(needle)
            .map(|(byte, found)| {
                let start = text.char_of_byte(byte);
                start..text.char_of_byte(byte + found.len())
            })
            .collect()
    } else {
        let folded = Folded::new(haystack);
        let needle = fold(needle);
        folded
            .text
            .match_indices(&needle)
            .map(|(byte, found)| folded.original_chars(byte..byte + found.len()))
            .collect()
    };
    if options.whole_word {
        hits.into_iter()
            .filter(|hit| is_whole_word(haystack, text, hit))
            .collect()
    } else {
        hits
    }
}

/// Lower case, character by character; `ß` and `İ` change length, hence the map back.
fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

struct Folded {
    text: String,
    /// For each byte of `text` that starts a character, the original character index;
    /// other bytes hold the index of the character they belong to.
    original: Vec<u32>,
}

impl Folded {
    fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len());
        for (index, c) in original.chars().enumerate() {
            for lower in c.to_lowercase() {
                let before = text.len();
                text.push(lower);
                map.extend(std::iter::repeat_n(index as u32, text.len() - before));
            }
        }
        Self {
            text,
            original: map,
        }
    }

    /// The original characters a folded byte range came from, whole characters only.
    fn original_chars(&self, bytes: Range<usize>) -> Range<usize> {
        let start = self.original[bytes.start] as usize;
        let end = self.original[bytes.end - 1] as usize + 1;
        start..end
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_whole_word(haystack: &str, text: &DocumentText, hit: &Range<usize>) -> bool {
    let before = haystack[..text.byte_of_char(hit.start)].chars().next_back();
    let after = haystack[text.byte_of_char(hit.end)..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &DocumentText, hits: &[Range<usize>]) -> Vec<String> {
        hits.iter()
            .map(|h| text.slice(h.clone()).unwrap().to_owned())
            .collect()
    }

    #[test]
    fn case_insensitive_hits_are_original_characters() {
        let text =
            DocumentText::new("Police – “POLICE” and police🙂\r\nSTRASSE Straße İstanbul".into());
        let hits = find_all(&text, "police", FindOptions::default());
        assert_eq!(texts(&text, &hits), ["Police", "POLICE", "police"]);
        let hits = find_all(&text, "straße", FindOptions::default());
        assert_eq!(texts(&text, &hits), ["Straße"]);
        // `İ` folds to two characters; the hit still covers whole original characters.
        let hits = find_all(&text, "i̇stanbul", FindOptions::default());
        assert_eq!(texts(&text, &hits), ["İstanbul"]);
    }

    #[test]
    fn options_narrow_the_hits() {
        let text = DocumentText::new("Police policed the policy; police.".into());
        let case = FindOptions {
            match_case: true,
            whole_word: false,
        };
        assert_eq!(
            texts(&text, &find_all(&text, "police", case)),
            ["police", "police"]
        );
        let words = FindOptions {
            match_case: false,
            whole_word: true,
        };
        assert_eq!(
            find_all(&text, "police", words),
            vec![0..6, 27..33],
            "“policed” is not the word police"
        );
        assert!(find_all(&text, "", words).is_empty());
    }
}
