//! What the other QDA programs count and where they read things, when they exchange a
//! REFI-QDA project: the one place that knows NVivo counts in UTF-16 units, ATLAS.ti counts
//! a Windows line end as one character, and QualCoder reads a coding's memo from the
//! selection's `Description`. The importer reads positions with it and the exporter writes
//! them with it; the README's table "REFI-QDA and the other programs" says the same for people.
//!
//! How we know (facts examined in 2026 in REFI-QDA files written by NVivo 12 and 15, MAXQDA
//! 24, ATLAS.ti 8, 23 and 26 and QualCoder 4, and in QualCoder's own importer):
//! - NVivo writes `startPosition`/`endPosition` in UTF-16 code units (an emoji counts two),
//!   CR LF counting two; its Windows version writes its `.txt` sources with a UTF-8 byte-order
//!   mark that the positions do not count. Its selections' `name` is empty.
//! - ATLAS.ti counts code points, but a CR LF pair as one; it puts a quote, possibly shortened
//!   with "…", in the selection's `name`.
//! - QualCoder counts code points (Python string indices), puts the whole selected text in
//!   `name`, writes sources with a byte-order mark its positions do not count, reads a
//!   selection's `Description` as the coding's memo and fails on a `Note` without a
//!   `creationDateTime`.
//! - MAXQDA counts code points.

use std::ops::Range;

use crate::model::DocumentText;

/// A program on the other side of a REFI-QDA exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QdaTool {
    NVivo,
    Maxqda,
    AtlasTi,
    QualCoder,
}

impl QdaTool {
    pub const ALL: [QdaTool; 4] = [
        QdaTool::NVivo,
        QdaTool::Maxqda,
        QdaTool::AtlasTi,
        QdaTool::QualCoder,
    ];

    /// The name on the command line (`--for NAME`).
    pub fn name(self) -> &'static str {
        match self {
            QdaTool::NVivo => "nvivo",
            QdaTool::Maxqda => "maxqda",
            QdaTool::AtlasTi => "atlasti",
            QdaTool::QualCoder => "qualcoder",
        }
    }

    /// The program's own spelling, for people.
    pub fn label(self) -> &'static str {
        match self {
            QdaTool::NVivo => "NVivo",
            QdaTool::Maxqda => "MAXQDA",
            QdaTool::AtlasTi => "ATLAS.ti",
            QdaTool::QualCoder => "QualCoder",
        }
    }

    /// A command-line name, in any case; `atlas.ti` and `atlas` are accepted too.
    pub fn from_name(name: &str) -> Option<QdaTool> {
        let name = name.trim().to_ascii_lowercase();
        QdaTool::ALL
            .into_iter()
            .find(|t| t.name() == name)
            .or(match name.as_str() {
                "atlas.ti" | "atlas" => Some(QdaTool::AtlasTi),
                _ => None,
            })
    }

    /// The program that wrote a project, from its `origin` attribute ("NVivo 15.1.0",
    /// "MAXQDA 24 (Release 24.4.0)", "ATLAS.ti 23.2", "QualCoder 3.6"); `None` when it names
    /// another program or none.
    pub fn from_origin(origin: &str) -> Option<QdaTool> {
        let origin = origin.to_ascii_lowercase();
        let squeezed: String = origin.chars().filter(|c| c.is_alphanumeric()).collect();
        if squeezed.contains("nvivo") {
            Some(QdaTool::NVivo)
        } else if squeezed.contains("maxqda") {
            Some(QdaTool::Maxqda)
        } else if squeezed.contains("atlasti") {
            Some(QdaTool::AtlasTi)
        } else if squeezed.contains("qualcoder") {
            Some(QdaTool::QualCoder)
        } else {
            None
        }
    }

    /// How the program counts `startPosition` and `endPosition`.
    pub fn position_unit(self) -> PositionUnit {
        match self {
            QdaTool::NVivo => PositionUnit::Utf16Units,
            QdaTool::AtlasTi => PositionUnit::CodePointsCrlfAsOne,
            QdaTool::Maxqda | QdaTool::QualCoder => PositionUnit::CodePoints,
        }
    }

    /// Whether the program takes a coding's memo from the selection's `Description` (and
    /// ignores its `NoteRef`s).
    pub fn reads_selection_memo_from_description(self) -> bool {
        matches!(self, QdaTool::QualCoder)
    }

    /// What the program puts in a selection's `name`.
    pub fn selection_name(self) -> SelectionName {
        match self {
            QdaTool::NVivo => SelectionName::Nothing,
            QdaTool::QualCoder => SelectionName::WholeText,
            QdaTool::AtlasTi => SelectionName::Quote,
            QdaTool::Maxqda => SelectionName::Unknown,
        }
    }
}

/// What a selection's `name` holds, as far as the program that wrote it is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectionName {
    /// Nothing to check against.
    Nothing,
    /// The whole selected text.
    WholeText,
    /// The selected text, perhaps shortened and ended with "…", perhaps with its white space
    /// run together (ATLAS.ti; Marginalia's own export).
    Quote,
    /// A quote or a label: a name that matches the text confirms the span, one that matches
    /// nothing says nothing.
    Unknown,
}

/// A unit in which a program counts text positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PositionUnit {
    /// Unicode scalar values, as Marginalia and Python count (the standard's reading).
    CodePoints,
    /// UTF-16 code units: a character beyond U+FFFF counts two.
    Utf16Units,
    /// Code points, but a CR LF line end counts one.
    CodePointsCrlfAsOne,
}

impl PositionUnit {
    pub const ALL: [PositionUnit; 3] = [
        PositionUnit::CodePoints,
        PositionUnit::Utf16Units,
        PositionUnit::CodePointsCrlfAsOne,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            PositionUnit::CodePoints => "code points",
            PositionUnit::Utf16Units => "UTF-16 code units",
            PositionUnit::CodePointsCrlfAsOne => "code points with CR LF as one",
        }
    }
}

/// Conversion between character offsets of one text and positions in another unit.
///
/// Only the characters where the units differ are recorded (each character beyond U+FFFF,
/// or each CR of a CR LF), so a text without them costs nothing and each conversion is a
/// binary search.
#[derive(Clone, Debug)]
pub struct PositionMap {
    unit: PositionUnit,
    /// Character offsets of the characters that count differently, in order.
    special: Vec<usize>,
    char_count: usize,
}

/// A position converted to a character offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CharPosition {
    pub offset: usize,
    /// False when the position fell inside a character (between the halves of a surrogate
    /// pair, or between CR and LF) or past the end of the text, and was moved to the nearest
    /// offset before it.
    pub exact: bool,
}

impl PositionMap {
    pub fn new(text: &DocumentText, unit: PositionUnit) -> Self {
        let special = match unit {
            PositionUnit::CodePoints => Vec::new(),
            PositionUnit::Utf16Units => text
                .as_str()
                .chars()
                .enumerate()
                .filter(|(_, c)| c.len_utf16() == 2)
                .map(|(i, _)| i)
                .collect(),
            PositionUnit::CodePointsCrlfAsOne => {
                let mut special = Vec::new();
                let mut previous_was_cr = false;
                for (i, c) in text.as_str().chars().enumerate() {
                    if c == '\n' && previous_was_cr {
                        special.push(i - 1);
                    }
                    previous_was_cr = c == '\r';
                }
                special
            }
        };
        Self {
            unit,
            special,
            char_count: text.char_count(),
        }
    }

    pub fn unit(&self) -> PositionUnit {
        self.unit
    }

    /// Whether positions in this unit are the character offsets themselves for this text.
    pub fn is_identity(&self) -> bool {
        self.special.is_empty()
    }

    /// The position, in this unit, of a character offset (clamped to the end of the text).
    pub fn position_of_char(&self, offset: usize) -> usize {
        let offset = offset.min(self.char_count);
        match self.unit {
            PositionUnit::CodePoints => offset,
            // Every astral character before the offset counts one more.
            PositionUnit::Utf16Units => offset + self.special.partition_point(|&s| s < offset),
            // Every CR LF wholly before the offset counts one less.
            PositionUnit::CodePointsCrlfAsOne => {
                offset - self.special.partition_point(|&s| s + 2 <= offset)
            }
        }
    }

    /// The character offset of a position in this unit.
    pub fn char_of_position(&self, position: usize) -> CharPosition {
        let (offset, exact) = match self.unit {
            PositionUnit::CodePoints => (position, true),
            PositionUnit::Utf16Units => {
                // The k-th astral character (0-based) starts at unit `s + k` and ends at
                // `s + k + 2`; those ending at or before the position each add one unit.
                let whole = partition_point_indexed(&self.special, |k, s| s + k + 2 <= position);
                let offset = position - whole;
                match self.special.get(whole) {
                    Some(&s) if offset > s => (s, false),
                    _ => (offset, true),
                }
            }
            PositionUnit::CodePointsCrlfAsOne => {
                // The k-th CR LF starts at unit `s - k` and ends at `s - k + 1`.
                let whole = partition_point_indexed(&self.special, |k, s| s - k < position);
                (position + whole, true)
            }
        };
        if offset > self.char_count {
            CharPosition {
                offset: self.char_count,
                exact: false,
            }
        } else {
            CharPosition { offset, exact }
        }
    }

    /// A span given in this unit as a character range, when both ends land exactly.
    pub fn char_range(&self, start: usize, end: usize) -> Option<Range<usize>> {
        let (start, end) = (self.char_of_position(start), self.char_of_position(end));
        (start.exact && end.exact && start.offset <= end.offset).then_some(start.offset..end.offset)
    }
}

/// `partition_point` over a sorted slice whose predicate also needs each item's index.
fn partition_point_indexed(items: &[usize], below: impl Fn(usize, usize) -> bool) -> usize {
    let (mut low, mut high) = (0, items.len());
    while low < high {
        let middle = (low + high) / 2;
        if below(middle, items[middle]) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters the design notes ask every conversion to be tested on.
    const MIXED: &str = "£ – ‘a’ “b” • …\r\n🙂x e\u{301} 👩\u{200d}👧\r\nend";

    fn text() -> DocumentText {
        DocumentText::new(MIXED.to_owned())
    }

    #[test]
    fn utf16_positions_are_what_encode_utf16_counts() {
        let text = text();
        let map = PositionMap::new(&text, PositionUnit::Utf16Units);
        for offset in 0..=text.char_count() {
            let expected = text.utf16_of_char(offset);
            assert_eq!(map.position_of_char(offset), expected, "offset {offset}");
            assert_eq!(
                map.char_of_position(expected),
                CharPosition {
                    offset,
                    exact: true
                }
            );
        }
        // Between the halves of 🙂: moved to the emoji's start, and said so.
        let emoji = MIXED.chars().position(|c| c == '🙂').unwrap();
        let inside = map.position_of_char(emoji) + 1;
        assert_eq!(
            map.char_of_position(inside),
            CharPosition {
                offset: emoji,
                exact: false
            }
        );
    }

    #[test]
    fn crlf_as_one_counts_each_line_end_once() {
        let text = DocumentText::new("ab\r\ncd\r\n\r\ne".to_owned());
        let map = PositionMap::new(&text, PositionUnit::CodePointsCrlfAsOne);
        // a b ⏎ c d ⏎ ⏎ e  as ATLAS.ti counts: "e" is at 7, our offset 10.
        assert_eq!(map.position_of_char(10), 7);
        assert_eq!(map.char_of_position(7).offset, 10);
        assert_eq!(map.char_of_position(3).offset, 4); // "c"
        assert_eq!(map.char_of_position(2).offset, 2); // the line end itself
        for offset in [0, 1, 2, 4, 5, 6, 8, 10, 11] {
            let position = map.position_of_char(offset);
            assert_eq!(map.char_of_position(position).offset, offset, "{offset}");
        }
    }

    #[test]
    fn code_points_are_the_offsets_and_the_end_clamps() {
        let text = text();
        let map = PositionMap::new(&text, PositionUnit::CodePoints);
        assert!(map.is_identity());
        assert_eq!(map.position_of_char(5), 5);
        let past = map.char_of_position(text.char_count() + 3);
        assert_eq!(past.offset, text.char_count());
        assert!(!past.exact);
        assert_eq!(map.char_range(2, 1), None);
    }

    #[test]
    fn tools_are_known_by_their_origin_and_name() {
        assert_eq!(
            QdaTool::from_origin("NVivo 15.1.0.1234"),
            Some(QdaTool::NVivo)
        );
        assert_eq!(
            QdaTool::from_origin("MAXQDA 24 (Release 24.4.0)"),
            Some(QdaTool::Maxqda)
        );
        assert_eq!(
            QdaTool::from_origin("ATLAS.ti 23.2.1"),
            Some(QdaTool::AtlasTi)
        );
        assert_eq!(
            QdaTool::from_origin("QualCoder 3.6"),
            Some(QdaTool::QualCoder)
        );
        assert_eq!(QdaTool::from_origin("Marginalia 0.1.0"), None);
        assert_eq!(QdaTool::from_name("ATLAS.ti"), Some(QdaTool::AtlasTi));
        assert_eq!(QdaTool::from_name("NVivo"), Some(QdaTool::NVivo));
        assert_eq!(QdaTool::from_name("word"), None);
    }
}
