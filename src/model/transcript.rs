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

/// A transcript's turns found again in its text after the text changed outside Marginalia
/// (the stored transcript edited in another program), and how many were not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RealignedTurns {
    pub turns: Vec<Turn>,
    /// Turns of before that have no counterpart in the new text (their speaker or time
    /// could not be carried over).
    pub lost: usize,
}

/// Where a transcript's turns are in `text`, a new version of the readable transcript
/// Marginalia wrote ("Name: what was said", a paragraph per turn). Nothing of the old text
/// is kept, so the turns are read again from the paragraphs: a paragraph that starts with a
/// label naming a case (`speaker_of_label`) is that case's turn; one without a label is an
/// unnamed turn when the transcript had such turns. The old and new sequences of speakers
/// are then aligned (their longest common subsequence), so that each turn that is still
/// there keeps its times; a turn said again by someone else, or deleted, counts as lost.
pub fn realign_turns(
    old: &[Turn],
    text: &str,
    speaker_of_label: impl Fn(&str) -> Option<CaseId>,
) -> RealignedTurns {
    let had_unnamed = old.iter().any(|t| t.speaker.is_none());
    let mut found = Vec::new();
    for (start, paragraph) in paragraphs(text) {
        let labelled = paragraph
            .find(": ")
            .filter(|at| paragraph[..*at].chars().count() <= 80)
            .and_then(|at| Some((speaker_of_label(paragraph[..at].trim())?, at)));
        let (speaker, said) = match labelled {
            Some((speaker, at)) => {
                let after = &paragraph[at + 1..];
                let said = after.trim_start();
                (Some(speaker), &paragraph[paragraph.len() - said.len()..])
            }
            None if had_unnamed => (None, paragraph),
            None => continue,
        };
        if said.is_empty() {
            continue;
        }
        let skipped = paragraph[..paragraph.len() - said.len()].chars().count();
        let start = start + skipped;
        found.push(Turn {
            start,
            end: start + said.chars().count(),
            speaker,
            time_start: None,
            time_end: None,
        });
    }
    let pairs = aligned(old, &found);
    for &(from, to) in &pairs {
        found[to].time_start = old[from].time_start;
        found[to].time_end = old[from].time_end;
    }
    RealignedTurns {
        lost: old.len() - pairs.len(),
        turns: found,
    }
}

/// The text's paragraphs (runs of lines that are not blank), each with the character offset
/// where it starts, trailing whitespace left out.
fn paragraphs(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut chars_before = 0;
    let mut current: Option<(usize, usize, usize)> = None; // (char start, byte start, byte end)
    let mut byte = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end();
        if content.trim().is_empty() {
            if let Some((start, from, to)) = current.take() {
                out.push((start, &text[from..to]));
            }
        } else {
            let leading = content.len() - content.trim_start().len();
            match &mut current {
                Some((_, _, to)) => *to = byte + content.len(),
                None => {
                    current = Some((
                        chars_before + content[..leading].chars().count(),
                        byte + leading,
                        byte + content.len(),
                    ))
                }
            }
        }
        chars_before += line.chars().count();
        byte += line.len();
    }
    if let Some((start, from, to)) = current {
        out.push((start, &text[from..to]));
    }
    out
}

/// Pairs (old index, new index) of turns matched by speaker, in order: a common prefix and
/// suffix, and the longest common subsequence of what lies between (a changed stretch of a
/// long transcript is short; a stretch too long to compare keeps no pairs).
fn aligned(old: &[Turn], new: &[Turn]) -> Vec<(usize, usize)> {
    const MOST_CELLS: usize = 16_000_000;
    let same = |a: &Turn, b: &Turn| a.speaker == b.speaker;
    let prefix = old.iter().zip(new).take_while(|(a, b)| same(a, b)).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| same(a, b))
        .count();
    let mut pairs: Vec<(usize, usize)> = (0..prefix).map(|i| (i, i)).collect();
    let (a, b) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    if !a.is_empty() && !b.is_empty() && a.len() * b.len() <= MOST_CELLS {
        // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
        let width = b.len() + 1;
        let mut lengths = vec![0u32; (a.len() + 1) * width];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lengths[i * width + j] = if same(&a[i], &b[j]) {
                    lengths[(i + 1) * width + j + 1] + 1
                } else {
                    lengths[(i + 1) * width + j].max(lengths[i * width + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            if same(&a[i], &b[j]) {
                pairs.push((prefix + i, prefix + j));
                i += 1;
                j += 1;
            } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                i += 1;
            } else {
                j += 1;
            }
        }
    }
    let (old_tail, new_tail) = (old.len() - suffix, new.len() - suffix);
    pairs.extend((0..suffix).map(|k| (old_tail + k, new_tail + k)));
    pairs
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

    #[test]
    fn turns_are_found_again_in_a_transcript_edited_elsewhere() {
        let spoke = |start: usize, end: usize, speaker: Option<CaseId>, at: f64| Turn {
            start,
            end,
            speaker,
            time_start: Some(at),
            time_end: Some(at + 5.0),
        };
        // Before: "Ana: Hola.\n\nBen: Yes.\n\nAna: Más café?\n"
        let old = vec![
            spoke(5, 10, Some(1), 0.0),
            spoke(17, 21, Some(2), 5.0),
            spoke(28, 37, Some(1), 10.0),
        ];
        let label = |name: &str| match name {
            "Ana" => Some(1),
            "Ben" => Some(2),
            _ => None,
        };
        // After, in another editor: a heading added, Ben's turn deleted, a word changed, a
        // line break inside Ana's last turn.
        let text = "Focus group 3\n\nAna: ¡Hola!\n\nAna: Más té,\npor favor?\n";
        let found = realign_turns(&old, text, label);
        let said: Vec<&str> = found
            .turns
            .iter()
            .map(|t| {
                let start = text.char_indices().nth(t.start).unwrap().0;
                let end = text.char_indices().nth(t.end).map_or(text.len(), |c| c.0);
                &text[start..end]
            })
            .collect();
        assert_eq!(said, ["¡Hola!", "Más té,\npor favor?"]);
        assert!(found.turns.iter().all(|t| t.speaker == Some(1)));
        assert_eq!(
            found.turns.iter().map(|t| t.time_start).collect::<Vec<_>>(),
            [Some(0.0), Some(10.0)],
            "each turn still there keeps its time"
        );
        assert_eq!(found.lost, 1, "Ben's turn is gone");
        // A heading without a known label is not a turn; unnamed turns are, when there
        // were some.
        let unnamed = vec![spoke(0, 5, None, 0.0)];
        let found = realign_turns(&unnamed, "Hello.\n\nThanks.\n", label);
        assert_eq!(found.turns.len(), 2);
        assert_eq!((found.turns[1].start, found.turns[1].end), (8, 15));
        assert_eq!(found.lost, 0);
    }
}
