//! Where a selection of another program lands in its text. Its positions are read in the unit
//! that program counts in; where the selection carries its own text (QualCoder's whole
//! selection, ATLAS.ti's quote), the span is checked against it, and when they disagree the
//! text is looked for — first at the positions other units would give, then nearby — so that
//! no coding lands on other words without the import saying so.

use std::ops::Range;

use memchr::memmem;

use crate::model::DocumentText;
use crate::qda_tools::{PositionMap, PositionUnit, SelectionName};

/// How far from its written position a selection's text is looked for, in characters. Wide
/// enough for drifts of a few thousand (a counted byte-order mark, emoji, line ends counted
/// another way), narrow enough that a short quote is not taken from another page.
pub const SEARCH_WINDOW_CHARS: usize = 20_000;

/// How a selection was placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// At its positions; it carries no text to check them against (or only a label).
    AsWritten,
    /// At its positions, which hold the text it carries.
    Verified,
    /// Its positions did not hold its text; it was placed where that text is.
    Repaired(Repair),
    /// Its positions do not hold its text, which is not near them either: kept at its
    /// positions (as far as they fit the text), for a person to place.
    Unplaced,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repair {
    /// The positions hold the text when read in another unit, or with a byte-order mark
    /// counted as a character.
    OtherUnit {
        unit: PositionUnit,
        counted_bom: bool,
    },
    /// The text was found near the positions.
    Found,
}

/// Places the selections of one text.
pub struct Placer<'t> {
    text: &'t DocumentText,
    unit: PositionUnit,
    /// The producer's file began with a byte-order mark (which no position should count).
    had_bom: bool,
    maps: Vec<PositionMap>,
}

impl<'t> Placer<'t> {
    pub fn new(text: &'t DocumentText, unit: PositionUnit, had_bom: bool) -> Self {
        Self {
            text,
            unit,
            had_bom,
            maps: Vec::new(),
        }
    }

    fn map(&mut self, unit: PositionUnit) -> &PositionMap {
        if let Some(index) = self.maps.iter().position(|m| m.unit() == unit) {
            return &self.maps[index];
        }
        self.maps.push(PositionMap::new(self.text, unit));
        self.maps.last().expect("just pushed")
    }

    /// The character range of a selection written as `start..end` in the producer's unit,
    /// and how it was placed. `quoted` is the text the selection carries (its `name`), and
    /// `name_kind` what the producer is known to put there.
    pub fn place(
        &mut self,
        start: usize,
        end: usize,
        quoted: Option<&str>,
        name_kind: SelectionName,
    ) -> (Range<usize>, Outcome) {
        let unit = self.unit;
        let written = self.map(unit).char_range(start, end);
        let quote = quoted
            .map(Quote::new)
            .filter(|q| !q.core.is_empty() && name_kind != SelectionName::Nothing);
        let Some(quote) = quote else {
            return match written {
                Some(range) => (range, Outcome::AsWritten),
                None => (self.clamped(start, end), Outcome::Unplaced),
            };
        };
        if let Some(range) = &written
            && quote.covers(self.text.slice(range.clone()).unwrap_or(""))
        {
            return (range.clone(), Outcome::Verified);
        }
        if let Some((range, repair)) = self.in_another_unit(start, end, &quote) {
            return (range, Outcome::Repaired(repair));
        }
        let near = written
            .as_ref()
            .map_or_else(|| self.clamped(start, end).start, |r| r.start);
        let length = written.as_ref().map_or(0, |r| r.len());
        if let Some(range) = self.find_near(&quote, near, length) {
            return (range, Outcome::Repaired(Repair::Found));
        }
        match (written, name_kind) {
            // A name that matches nothing may be a label rather than a quote.
            (Some(range), SelectionName::Unknown) => (range, Outcome::AsWritten),
            (Some(range), _) => (range, Outcome::Unplaced),
            (None, _) => (self.clamped(start, end), Outcome::Unplaced),
        }
    }

    /// The written positions, moved inside the text, as a character range.
    fn clamped(&mut self, start: usize, end: usize) -> Range<usize> {
        let unit = self.unit;
        let map = self.map(unit);
        let start = map.char_of_position(start).offset;
        let end = map.char_of_position(end).offset.max(start);
        start..end
    }

    fn in_another_unit(
        &mut self,
        start: usize,
        end: usize,
        quote: &Quote,
    ) -> Option<(Range<usize>, Repair)> {
        let shifts: &[bool] = if self.had_bom {
            &[false, true]
        } else {
            &[false]
        };
        for &counted_bom in shifts {
            for unit in PositionUnit::ALL {
                if unit == self.unit && !counted_bom {
                    continue;
                }
                let (Some(start), Some(end)) = (
                    start.checked_sub(usize::from(counted_bom)),
                    end.checked_sub(usize::from(counted_bom)),
                ) else {
                    continue;
                };
                let map = self.map(unit);
                if map.is_identity() && unit != PositionUnit::CodePoints && !counted_bom {
                    continue;
                }
                let Some(range) = map.char_range(start, end) else {
                    continue;
                };
                if quote.covers(self.text.slice(range.clone()).unwrap_or("")) {
                    return Some((range, Repair::OtherUnit { unit, counted_bom }));
                }
            }
        }
        None
    }

    /// The occurrence of the quote nearest to character `near`, within the search window.
    /// A shortened quote keeps the written length where that is longer than what it shows.
    fn find_near(&self, quote: &Quote, near: usize, written_length: usize) -> Option<Range<usize>> {
        let text = self.text;
        let needle = quote.first_word();
        let window_start = near.saturating_sub(SEARCH_WINDOW_CHARS);
        let window_end =
            (near + SEARCH_WINDOW_CHARS + quote.core.chars().count()).min(text.char_count());
        let bytes = text.byte_range(window_start..window_end);
        let haystack = &text.as_str()[bytes.clone()];
        let mut best: Option<(usize, Range<usize>)> = None;
        for hit in overlapping_hits(haystack.as_bytes(), needle.as_bytes()) {
            let byte = bytes.start + hit;
            let Some(matched_bytes) = quote.matched_length(&text.as_str()[byte..]) else {
                continue;
            };
            let start = text.char_of_byte(byte);
            let mut end = text.char_of_byte(byte + matched_bytes);
            if quote.shortened {
                end = end.max((start + written_length).min(text.char_count()));
            }
            let distance = start.abs_diff(near);
            if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                best = Some((distance, start..end));
            }
        }
        best.map(|(_, range)| range)
    }
}

/// Every place `needle` occurs, overlapping ones included: a selection that begins inside a
/// run of its first characters (the last zeros of "25,000", the second dot of "...") is
/// found where `memmem::find_iter`, which skips past each match, would step over it.
fn overlapping_hits<'h>(haystack: &'h [u8], needle: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
    let finder = memmem::Finder::new(needle);
    let mut from = 0;
    std::iter::from_fn(move || {
        let hit = from + finder.find(haystack.get(from..)?)?;
        from = hit + 1;
        Some(hit)
    })
}

/// The text a selection carries, ready to compare: a trailing "…" (or "...") means it was
/// shortened; white space is compared as single spaces, since exports run it together.
struct Quote<'q> {
    core: &'q str,
    shortened: bool,
}

impl<'q> Quote<'q> {
    fn new(text: &'q str) -> Self {
        let trimmed = text.trim();
        for ellipsis in ["…", "..."] {
            if let Some(core) = trimmed.strip_suffix(ellipsis) {
                return Self {
                    core: core.trim_end(),
                    shortened: true,
                };
            }
        }
        Self {
            core: trimmed,
            shortened: false,
        }
    }

    fn first_word(&self) -> &'q str {
        self.core.split(char::is_whitespace).next().unwrap_or("")
    }

    /// Whether a span's text is this quote (or, when shortened, begins with it).
    fn covers(&self, span: &str) -> bool {
        if span == self.core {
            return true;
        }
        match self.matched_length(span.trim_start()) {
            Some(length) => self.shortened || span.trim_start()[length..].trim().is_empty(),
            None => false,
        }
    }

    /// How many bytes at the start of `text` the quote matches, white space compared as
    /// single spaces; `None` when it does not match there.
    fn matched_length(&self, text: &str) -> Option<usize> {
        let mut quote = self.core.chars().peekable();
        let mut chars = text.char_indices().peekable();
        while let Some(q) = quote.next() {
            if q.is_whitespace() {
                while quote.next_if(|c| c.is_whitespace()).is_some() {}
                let (_, c) = chars.next()?;
                if !c.is_whitespace() {
                    return None;
                }
                while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            } else {
                let (_, c) = chars.next()?;
                if c != q {
                    return None;
                }
            }
        }
        Some(chars.peek().map_or(text.len(), |(byte, _)| *byte))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "Intro 🙂 line\r\nThe board said “fair pay” mattered.\r\nNext 👩‍👧 line: fair pay again.";

    fn text() -> DocumentText {
        DocumentText::new(TEXT.to_owned())
    }

    fn chars_of(text: &DocumentText, needle: &str) -> Range<usize> {
        let byte = text.as_str().find(needle).unwrap();
        let start = text.char_of_byte(byte);
        start..start + needle.chars().count()
    }

    #[test]
    fn a_quote_at_its_positions_is_verified() {
        let text = text();
        let range = chars_of(&text, "“fair pay”");
        let mut placer = Placer::new(&text, PositionUnit::CodePoints, false);
        let placed = placer.place(
            range.start,
            range.end,
            Some("“fair pay”"),
            SelectionName::WholeText,
        );
        assert_eq!(placed, (range, Outcome::Verified));
    }

    /// A selection that begins inside a run of its first characters (the last zeros of
    /// "25,000", the second dot of "...") is found again when its positions are off.
    #[test]
    fn a_quote_that_begins_inside_a_run_of_its_first_characters_is_found_again() {
        let text = DocumentText::new("No comments yet... Comments on £25,000 on allyship".into());
        for (needle, run_before) in [(".. Comments", "yet."), ("00 on allyship", "£25,0")] {
            let byte = text.as_str().find(run_before).unwrap() + run_before.len();
            let start = text.char_of_byte(byte);
            let range = start..start + needle.chars().count();
            assert_eq!(text.slice(range.clone()), Some(needle));
            let mut placer = Placer::new(&text, PositionUnit::CodePoints, false);
            let (shifted_start, shifted_end) = (range.start - 4, range.end - 4);
            let placed = placer.place(
                shifted_start,
                shifted_end,
                Some(needle),
                SelectionName::WholeText,
            );
            assert_eq!(
                placed,
                (range, Outcome::Repaired(Repair::Found)),
                "{needle}"
            );
        }
    }

    #[test]
    fn utf16_positions_given_as_code_points_are_repaired_by_unit() {
        let text = text();
        let range = chars_of(&text, "said “fair pay”");
        let map = PositionMap::new(&text, PositionUnit::Utf16Units);
        let (start, end) = (
            map.position_of_char(range.start),
            map.position_of_char(range.end),
        );
        let mut placer = Placer::new(&text, PositionUnit::CodePoints, false);
        let placed = placer.place(
            start,
            end,
            Some("said “fair pay”"),
            SelectionName::WholeText,
        );
        assert_eq!(
            placed,
            (
                range,
                Outcome::Repaired(Repair::OtherUnit {
                    unit: PositionUnit::Utf16Units,
                    counted_bom: false
                })
            )
        );
    }

    #[test]
    fn a_counted_byte_order_mark_is_repaired() {
        let text = text();
        let range = chars_of(&text, "Intro");
        let mut placer = Placer::new(&text, PositionUnit::CodePoints, true);
        let (placed, outcome) = placer.place(
            range.start + 1,
            range.end + 1,
            Some("Intro"),
            SelectionName::WholeText,
        );
        assert_eq!(placed, range);
        assert_eq!(
            outcome,
            Outcome::Repaired(Repair::OtherUnit {
                unit: PositionUnit::CodePoints,
                counted_bom: true
            })
        );
    }

    #[test]
    fn a_shortened_quote_is_found_nearby_with_its_written_length() {
        let text = text();
        let range = chars_of(&text, "The board said “fair pay” mattered.");
        let mut placer = Placer::new(&text, PositionUnit::CodePoints, false);
        // Written nine characters late, its quote shortened and its white space run together.
        let (placed, outcome) = placer.place(
            range.start + 9,
            range.end + 9,
            Some("The  board\nsaid…"),
            SelectionName::Quote,
        );
        assert_eq!(outcome, Outcome::Repaired(Repair::Found));
        assert_eq!(placed, range);
    }

    #[test]
    fn the_nearest_occurrence_wins() {
        let text = text();
        let second = text.as_str().rfind("fair pay").unwrap();
        let second = text.char_of_byte(second);
        let mut placer = Placer::new(&text, PositionUnit::CodePoints, false);
        let (placed, _) = placer.place(
            second - 3,
            second + 5,
            Some("fair pay"),
            SelectionName::WholeText,
        );
        assert_eq!(placed, second..second + 8);
    }

    #[test]
    fn a_quote_found_nowhere_is_unplaced_unless_it_may_be_a_label() {
        let text = text();
        let mut placer = Placer::new(&text, PositionUnit::CodePoints, false);
        let quote = Some("words that are not there");
        assert_eq!(
            placer.place(0, 5, quote, SelectionName::WholeText),
            (0..5, Outcome::Unplaced)
        );
        assert_eq!(
            placer.place(0, 5, Some("Coded segment"), SelectionName::Unknown),
            (0..5, Outcome::AsWritten)
        );
        // Past the end of the text, with nothing to check: kept inside it, and unplaced.
        let count = text.char_count();
        assert_eq!(
            placer.place(count + 10, count + 20, None, SelectionName::Nothing),
            (count..count, Outcome::Unplaced)
        );
    }
}
