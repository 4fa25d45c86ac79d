//! Transcripts: a document's turns (who spoke which span, and when) and the cases the
//! speakers are, which span documents.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{AttributeId, Document};

pub type CaseId = u32;

/// A person or other unit of analysis that spans documents: a speaker who took part in
/// three focus groups is one case with the turns of all three.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Case")]
pub struct Case {
    pub id: CaseId,
    pub name: String,
    /// The case's attribute values by attribute id, as documents carry theirs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<AttributeId, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub memo: String,
}

/// One speaker's turn in a transcript: `start..end` are the characters of what was said
/// (the "Name: " label before them is not part of the turn), times in seconds from the
/// recording's start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Turn")]
pub struct Turn {
    pub start: usize,
    pub end: usize,
    /// The case who spoke; `None` when the transcript does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<CaseId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_start: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_end: Option<f64>,
}

impl Turn {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl Document {
    /// The turn a passage starting at `start` lies in: the last turn starting at or
    /// before it, when it has not ended before `start`.
    pub fn turn_at(&self, start: usize) -> Option<&Turn> {
        let after = self.turns.partition_point(|t| t.start <= start);
        let turn = self.turns.get(after.checked_sub(1)?)?;
        (start < turn.end.max(turn.start + 1)).then_some(turn)
    }

    /// The turns a span overlaps, in order.
    pub fn turns_overlapping(&self, range: Range<usize>) -> &[Turn] {
        let first = self.turns.partition_point(|t| t.end <= range.start);
        let last = self
            .turns
            .partition_point(|t| t.start < range.end.max(range.start + 1));
        &self.turns[first..last.max(first)]
    }
}

/// A case name as matched across documents: letters' case and runs of spaces do not
/// make another person.
pub fn case_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `seconds` as transcripts show a time: `1:02:03`, or `2:03` under an hour.
pub fn format_time(seconds: f64) -> String {
    let total = seconds.max(0.0).floor() as u64;
    let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{secs:02}")
    } else {
        format!("{minutes}:{secs:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(start: usize, end: usize) -> Turn {
        Turn {
            start,
            end,
            speaker: None,
            time_start: None,
            time_end: None,
        }
    }

    #[test]
    fn a_position_finds_the_turn_it_lies_in() {
        let document = Document {
            id: 1,
            path: "focus-group.txt".to_owned(),
            title: "Focus group".to_owned(),
            sha256: String::new(),
            chars: 100,
            memo: String::new(),
            origin: None,
            attributes: BTreeMap::new(),
            direction: Default::default(),
            turns: vec![turn(5, 20), turn(30, 60)],
        };
        assert_eq!(document.turn_at(5).map(|t| t.start), Some(5));
        assert_eq!(document.turn_at(19).map(|t| t.start), Some(5));
        assert_eq!(document.turn_at(20), None, "the label between turns");
        assert_eq!(document.turn_at(2), None);
        assert_eq!(document.turn_at(59).map(|t| t.start), Some(30));
        assert_eq!(document.turns_overlapping(10..35).len(), 2);
        assert_eq!(document.turns_overlapping(20..30).len(), 0);
        assert_eq!(document.turns_overlapping(60..90).len(), 0);
    }

    #[test]
    fn times_read_as_transcripts_write_them() {
        assert_eq!(format_time(83.4), "1:23");
        assert_eq!(format_time(3723.0), "1:02:03");
        assert_eq!(format_time(0.0), "0:00");
    }

    #[test]
    fn case_names_match_across_spelling_of_case_and_spaces() {
        assert_eq!(case_key("  Amira   HADDAD "), case_key("amira haddad"));
        assert_ne!(case_key("Dr. Amira Haddad"), case_key("Amira Haddad"));
    }
}
