//! Correcting a document's text without losing its passages: the changes made to a text,
//! and where each passage lies after them. Pure functions over strings and character
//! offsets; the workspace turns their result into one [`crate::edit::Edit`].
//!
//! The rules a passage follows through one change (the characters `start..end` of the text
//! replaced by `inserted`):
//! - a change wholly before or after the passage shifts it or leaves it alone;
//! - text inserted at either edge of a passage stays outside it (typing after a passage
//!   does not extend it); text inserted strictly inside it joins it;
//! - a change that deletes some of its characters shortens it, and what the change
//!   inserted in their place joins it;
//! - a change that deletes every one of its characters orphans it: it has no text left.
//!
//! A passage therefore never takes in a character that was outside it, and keeps every
//! character of its own that survives; the property tests below check exactly that.

use std::ops::Range;

/// One change to a text: the characters `start..end` (character offsets into the text as it
/// was just before this change) replaced by `inserted`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextChange {
    pub start: usize,
    pub end: usize,
    pub inserted: String,
    /// `inserted.chars().count()`, kept so that mapping never counts again.
    pub inserted_chars: usize,
}

impl TextChange {
    pub fn new(start: usize, end: usize, inserted: impl Into<String>) -> Self {
        let inserted = inserted.into();
        Self {
            start,
            end,
            inserted_chars: inserted.chars().count(),
            inserted,
        }
    }

    /// Characters the text grows by (negative when it shrinks).
    fn delta(&self) -> isize {
        self.inserted_chars as isize - (self.end - self.start) as isize
    }

    fn is_empty(&self) -> bool {
        self.start == self.end && self.inserted_chars == 0
    }
}

/// The one change that turns `old` into `new`: what lies between their longest common
/// beginning and end. `None` when they are equal. Text typed between two frames of an
/// editor is one such change (a keystroke, a paste over a selection, a cut).
pub fn diff(old: &str, new: &str) -> Option<TextChange> {
    if old == new {
        return None;
    }
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    // Equal bytes up to `prefix` in both: a boundary in one is a boundary in the other.
    while !old.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = a.len().min(b.len()) - prefix;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    let start = old[..prefix].chars().count();
    let removed = old[prefix..a.len() - suffix].chars().count();
    Some(TextChange::new(
        start,
        start + removed,
        &new[prefix..b.len() - suffix],
    ))
}

/// Add `change` (made to the text the earlier changes produced) to `changes`, joining it
/// with the last one when the two touch, so that a sentence typed or a word deleted key
/// by key is one change. A joined change still only ever replaces characters that were
/// deleted, so passages follow it as they follow the keystrokes one by one.
pub fn push_change(changes: &mut Vec<TextChange>, change: TextChange) {
    if change.is_empty() {
        return;
    }
    if let Some(last) = changes.last_mut() {
        // `last` replaced `last.start..last.end` with text now at `last.start..inserted_end`.
        let inserted_end = last.start + last.inserted_chars;
        if change.start <= inserted_end && change.end >= last.start {
            let start = last.start.min(change.start);
            // Back in the coordinates before `last`: past its inserted text, shift back.
            let end_before = if change.end <= inserted_end {
                last.end
            } else {
                (change.end as isize - last.delta()) as usize
            };
            // The joined insertion: what lies between `start` and `end_now` after both.
            let inserted_text: String = {
                let mut merged = String::new();
                // Before `change`: text of `last`'s insertion from `start` on (or nothing
                // when `change` begins before it).
                let lead = change.start.saturating_sub(last.start);
                merged.extend(last.inserted.chars().take(lead));
                merged.push_str(&change.inserted);
                let tail_from = change.end.saturating_sub(last.start);
                merged.extend(last.inserted.chars().skip(tail_from));
                merged
            };
            let joined = TextChange::new(start, end_before, inserted_text);
            if joined.is_empty() {
                changes.pop();
            } else {
                *last = joined;
            }
            return;
        }
    }
    changes.push(change);
}

/// `text` with `changes` made to it in order.
pub fn apply_changes(text: &str, changes: &[TextChange]) -> String {
    let mut text = text.to_owned();
    for change in changes {
        let byte = |chars: usize| {
            text.char_indices()
                .nth(chars)
                .map_or(text.len(), |(byte, _)| byte)
        };
        let (from, to) = (byte(change.start), byte(change.end));
        text.replace_range(from..to, &change.inserted);
    }
    text
}

/// Where the span `span` lies after `change`; `None` when the change deleted all of it.
pub fn map_span(span: Range<usize>, change: &TextChange) -> Option<Range<usize>> {
    let (s, e) = (span.start, span.end);
    let (a, b) = (change.start, change.end);
    let shift = |x: usize| (x as isize + change.delta()) as usize;
    let inserted_end = a + change.inserted_chars;
    if a == b {
        // A pure insertion: inside only when strictly inside.
        return Some(if a <= s {
            shift(s)..shift(e)
        } else if a >= e {
            s..e
        } else {
            s..shift(e)
        });
    }
    if e <= a {
        return Some(s..e);
    }
    if s >= b {
        return Some(shift(s)..shift(e));
    }
    // The change deletes some of the span's characters.
    match (s < a, e > b) {
        (false, false) => None,
        (true, false) => Some(s..inserted_end),
        (false, true) => Some(a..shift(e)),
        (true, true) => Some(s..shift(e)),
    }
}

/// Where each span lies after `changes`, in order; `None` for a span whose every character
/// was deleted.
pub fn map_spans(spans: &[Range<usize>], changes: &[TextChange]) -> Vec<Option<Range<usize>>> {
    spans
        .iter()
        .map(|span| changes.iter().try_fold(span.clone(), map_span))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chars(text: &str, range: Range<usize>) -> String {
        text.chars()
            .skip(range.start)
            .take(range.end - range.start)
            .collect()
    }

    #[test]
    fn diff_finds_the_changed_middle_in_characters() {
        let change = diff("a £5 café", "a £6 café").unwrap();
        assert_eq!(change, TextChange::new(3, 4, "6"));
        // Bytes of 'é' (c3 a9) and 'è' (c3 a8) share a first byte: the change is the
        // whole character.
        assert_eq!(diff("café", "cafè").unwrap(), TextChange::new(3, 4, "è"));
        assert_eq!(diff("ab", "ab"), None);
        assert_eq!(diff("aa", "aaa").unwrap(), TextChange::new(2, 2, "a"));
        assert_eq!(diff("👩x", "x").unwrap(), TextChange::new(0, 1, ""));
    }

    #[test]
    fn passages_follow_a_typo_fix() {
        let old = "The polise said teh report was late.";
        let passage = 4..15; // "polise said"
        let other = 16..19; // "teh"
        let mut changes = Vec::new();
        let mut text = old.to_owned();
        for next in [
            "The polie said teh report was late.",
            "The police said teh report was late.",
            "The police said the report was late.",
            "The police said the report was very late.",
        ] {
            push_change(&mut changes, diff(&text, next).unwrap());
            text = next.to_owned();
        }
        assert_eq!(apply_changes(old, &changes), text);
        let mapped = map_spans(&[passage, other, 31..35], &changes);
        assert_eq!(chars(&text, mapped[0].clone().unwrap()), "police said");
        assert_eq!(chars(&text, mapped[1].clone().unwrap()), "the");
        assert_eq!(chars(&text, mapped[2].clone().unwrap()), "late");
    }

    #[test]
    fn deleting_a_whole_passage_orphans_it_and_edges_stay_outside() {
        assert_eq!(map_span(4..8, &TextChange::new(2, 10, "")), None);
        assert_eq!(map_span(4..8, &TextChange::new(4, 8, "new")), None);
        assert_eq!(map_span(4..8, &TextChange::new(8, 8, "xy")), Some(4..8));
        assert_eq!(map_span(4..8, &TextChange::new(4, 4, "xy")), Some(6..10));
        assert_eq!(map_span(4..8, &TextChange::new(5, 5, "xy")), Some(4..10));
        assert_eq!(map_span(4..8, &TextChange::new(6, 10, "xy")), Some(4..8));
        assert_eq!(map_span(4..8, &TextChange::new(2, 5, "")), Some(2..5));
    }

    /// A random edit: delete `len` characters at `at`, then insert `text` there (each
    /// position taken modulo the text's length at that moment).
    #[derive(Clone, Debug)]
    struct RandomEdit {
        at: usize,
        len: usize,
        text: String,
    }

    fn random_edit() -> impl Strategy<Value = RandomEdit> {
        (
            0usize..1000,
            prop_oneof![Just(0usize), 1usize..4, 0usize..20],
            prop_oneof![Just(String::new()), "[a-c é👩\n]{1,6}"],
        )
            .prop_map(|(at, len, text)| RandomEdit { at, len, text })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Random insertions and deletions against random passages, checked by slicing the
        /// new text: the changes recorded reproduce it, and every passage keeps exactly its
        /// surviving characters (plus text inserted among them), or is orphaned when none
        /// survive.
        #[test]
        fn passages_follow_random_edits(
            old in "[a-d é👩‍\r\n]{0,60}",
            raw_spans in proptest::collection::vec((0usize..100, 1usize..12), 0..8),
            edits in proptest::collection::vec(random_edit(), 1..12),
        ) {
            let old_len = old.chars().count();
            let spans: Vec<Range<usize>> = raw_spans
                .iter()
                .filter(|_| old_len > 0)
                .map(|(start, len)| {
                    let start = start % old_len;
                    start..(start + len).min(old_len)
                })
                .collect();
            // Each character of the text, with the position it had in `old` (None: typed).
            // Followed through the changes the editor sees (the difference between two
            // frames), which may delete and retype a character the edit itself kept.
            let mut text: Vec<(char, Option<usize>)> =
                old.chars().enumerate().map(|(i, c)| (c, Some(i))).collect();
            let mut changes = Vec::new();
            let mut typed: Vec<char> = old.chars().collect();
            for edit in &edits {
                let at = edit.at % (typed.len() + 1);
                let end = (at + edit.len).min(typed.len());
                let before: String = typed.iter().collect();
                typed.splice(at..end, edit.text.chars());
                let now: String = typed.iter().collect();
                if let Some(change) = diff(&before, &now) {
                    text.splice(
                        change.start..change.end,
                        change.inserted.chars().map(|c| (c, None)),
                    );
                    push_change(&mut changes, change);
                }
            }
            let new: String = text.iter().map(|(c, _)| c).collect();
            prop_assert_eq!(&new, &typed.iter().collect::<String>());
            prop_assert_eq!(apply_changes(&old, &changes), new.clone());

            for (span, mapped) in spans.iter().zip(map_spans(&spans, &changes)) {
                let survivors: Vec<usize> = text
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, from))| from.is_some_and(|f| span.contains(&f)))
                    .map(|(i, _)| i)
                    .collect();
                match mapped {
                    None => prop_assert!(
                        survivors.is_empty(),
                        "{span:?} orphaned with characters left at {survivors:?}"
                    ),
                    Some(range) => {
                        // With none of its characters left it may still hold text typed
                        // over it piece by piece (a word retyped letter by letter), never
                        // text from outside it.
                        prop_assert!(range.start < range.end && range.end <= text.len());
                        // It holds every surviving character and nothing from outside it.
                        prop_assert!(survivors.iter().all(|i| range.contains(i)));
                        for (c, from) in &text[range.clone()] {
                            prop_assert!(
                                from.is_none_or(|f| span.contains(&f)),
                                "{span:?} took {c:?} from outside it"
                            );
                        }
                        // Untouched, it quotes exactly what it quoted.
                        let untouched = survivors.len() == span.len()
                            && survivors.last().unwrap() - survivors[0] + 1 == span.len();
                        if untouched {
                            prop_assert_eq!(chars(&new, range), chars(&old, span.clone()));
                        }
                    }
                }
            }
        }
    }
}
