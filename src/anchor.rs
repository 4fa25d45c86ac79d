//! Fingerprints of source files, whether each passage still sits on the text it quotes, and
//! finding passages again when a document's text changed (re-anchoring).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use memchr::memmem;
use sha2::{Digest, Sha256};

use crate::model::{Annotation, Document, DocumentText};

/// How many characters of context a passage carries on each side for re-finding it.
pub const CONTEXT_CHARS: usize = 32;

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A document's file as found on disk now.
#[derive(Clone, Debug)]
pub enum SourceState {
    /// The file is there and matches its fingerprint.
    Ok(DocumentText),
    /// The file is there but its bytes differ from the fingerprint the project recorded.
    Changed(DocumentText),
    /// The file could not be read (the reason is for the person).
    Missing(String),
    /// The file is there but is not UTF-8 text.
    Unreadable(String),
}

impl SourceState {
    pub fn text(&self) -> Option<&DocumentText> {
        match self {
            SourceState::Ok(text) | SourceState::Changed(text) => Some(text),
            SourceState::Missing(_) | SourceState::Unreadable(_) => None,
        }
    }

    pub fn status_word(&self) -> &'static str {
        match self {
            SourceState::Ok(_) => "ok",
            SourceState::Changed(_) => "changed",
            SourceState::Missing(_) | SourceState::Unreadable(_) => "missing",
        }
    }

    pub fn problem(&self) -> Option<String> {
        match self {
            SourceState::Ok(_) => None,
            SourceState::Changed(_) => {
                Some("the file changed on disk since its passages were made".to_owned())
            }
            SourceState::Missing(reason) | SourceState::Unreadable(reason) => Some(reason.clone()),
        }
    }
}

/// The UTF-8 byte-order mark, as bytes.
pub const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Read a document's file and compare it with what the project recorded.
///
/// A leading UTF-8 byte-order mark is not part of the text: it marks the encoding, and no
/// other program counts it in its positions. Projects made before this rule counted it as
/// character 0; such a document is recognised by its recorded length (one more than the text
/// without the mark) and keeps the mark, so that its passages stay where they were.
pub fn read_source(document: &Document, file: &Path) -> SourceState {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => return SourceState::Missing(format!("{}: {error}", file.display())),
    };
    let fingerprint_matches = document.sha256.eq_ignore_ascii_case(&sha256_hex(&bytes));
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') && text.chars().count() != document.chars {
                text.drain(..'\u{feff}'.len_utf8());
            }
            let text = DocumentText::new(text);
            if fingerprint_matches && text.char_count() == document.chars {
                SourceState::Ok(text)
            } else {
                SourceState::Changed(text)
            }
        }
        Err(error) => SourceState::Unreadable(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            file.display(),
            error.utf8_error().valid_up_to()
        )),
    }
}

/// Whether the text at a passage's span is still exactly its quote.
pub fn is_anchored(annotation: &Annotation, text: &DocumentText) -> bool {
    text.slice(annotation.range()) == Some(annotation.quote.as_str())
}

/// Up to [`CONTEXT_CHARS`] characters before and after a span.
pub fn context(text: &DocumentText, start: usize, end: usize) -> (&str, &str) {
    let prefix = text
        .slice(start.saturating_sub(CONTEXT_CHARS)..start)
        .unwrap_or("");
    let suffix = text
        .slice(end..(end + CONTEXT_CHARS).min(text.char_count()))
        .unwrap_or("");
    (prefix, suffix)
}

/// A passage's span in a text, with the quote and context found there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Anchor {
    pub start: usize,
    pub end: usize,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
}

impl Anchor {
    /// A new passage on this span: one tag, no note, made by `coder` at `created`.
    pub fn into_passage(
        self,
        id: crate::model::AnnotationId,
        doc: crate::model::DocId,
        tag: crate::model::TagId,
        coder: &str,
        created: &str,
    ) -> Annotation {
        Annotation {
            id,
            doc,
            start: self.start,
            end: self.end,
            tags: vec![tag],
            quote: self.quote,
            note: String::new(),
            coder: coder.to_owned(),
            created: created.to_owned(),
            prefix: self.prefix,
            suffix: self.suffix,
            conflict: false,
        }
    }
}

/// The quote and context at `range` of `text`; `None` when the range lies outside the text.
pub fn anchor_at(text: &DocumentText, range: Range<usize>) -> Option<Anchor> {
    let quote = text.slice(range.clone())?.to_owned();
    let (prefix, suffix) = context(text, range.start, range.end);
    Some(Anchor {
        start: range.start,
        end: range.end,
        quote,
        prefix: prefix.to_owned(),
        suffix: suffix.to_owned(),
    })
}

/// Where a passage lies in its document's current text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// The text at its span is still its quote.
    Anchored,
    /// Its quote, or text close to it, was found at another span.
    Reanchored { start: usize, end: usize },
    /// It cannot be placed; it keeps its old span and quote until a person re-places it.
    Orphaned(OrphanReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrphanReason {
    /// Neither the quote nor text close enough to it is in the document any more.
    NotFound,
    /// The quote fits several places equally well, and its context does not decide.
    Ambiguous,
    /// The document's text could not be read.
    NoText,
}

impl OrphanReason {
    pub fn describe(self) -> &'static str {
        match self {
            OrphanReason::NotFound => "its text is no longer in the document",
            OrphanReason::Ambiguous => "its text appears in several places",
            OrphanReason::NoText => "the document's text cannot be read",
        }
    }
}

/// One edit allowed per this many characters of a quote when it is found inexactly.
const CHARS_PER_EDIT: usize = 4;
/// Trailing characters of the prefix (leading of the suffix) searched exactly to bound an
/// inexact search; shorter context is too common to anchor anything.
const ANCHOR_CHARS: usize = 16;
const MIN_ANCHOR_CHARS: usize = 8;
/// An anchor found more often than this near the expected place tells nothing.
const MAX_ANCHOR_HITS: usize = 16;
/// A quote found more often than this is ambiguous whatever its context.
const MAX_OCCURRENCES: usize = 10_000;
/// Bytes searched on each side of where an edited passage is expected.
const INEXACT_SLACK_BYTES: usize = 4096;
/// Quotes longer than this are only found exactly.
const MAX_INEXACT_CHARS: usize = 5_000;
/// Edit-distance cells one passage may cost when no context anchors its search.
const MAX_UNANCHORED_CELLS: usize = 4_000_000;
/// Without context to confirm the place, an inexact match must be closer: one edit per
/// this many characters.
const UNANCHORED_CHARS_PER_EDIT: usize = 8;
/// Length of the character grams that rule out stretches of text before any edit distance
/// is computed.
const GRAM: usize = 4;
/// Quotes at least this long are found in one pass over the text, keyed on their first bytes.
const KEY_BYTES: usize = 16;

/// Classify each passage (all of one document) against the document's current text: still
/// in place, found elsewhere, or orphaned. The result is in the order of `passages`.
///
/// Exact matches come first: the quote is searched in the whole text (with line ends
/// normalised, so CRLF↔LF conversion re-anchors) and where it occurs more than once, the
/// stored prefix and suffix pick the occurrence whose surroundings match best; a tie is
/// ambiguous. A quote that no longer occurs is then matched inexactly (at most one edit per
/// four characters) in a window around where it is expected, bounded by its context where
/// that is still found.
pub fn place_passages(passages: &[&Annotation], text: &DocumentText) -> Vec<Placement> {
    let mut placements: Vec<Option<Placement>> = passages
        .iter()
        .map(|a| is_anchored(a, text).then_some(Placement::Anchored))
        .collect();
    if placements.iter().all(Option::is_some) {
        return placements.into_iter().flatten().collect();
    }
    let normal = Normalised::new(text.as_str());
    let pending: Vec<usize> = (0..passages.len())
        .filter(|&i| placements[i].is_none())
        .collect();
    let quotes: Vec<Cow<'_, str>> = pending
        .iter()
        .map(|&i| normalise(&passages[i].quote))
        .collect();
    let occurrences = find_all(&normal.text, &quotes);

    let mut inexact = Vec::new();
    for (slot, &i) in pending.iter().enumerate() {
        let quote = quotes[slot].as_ref();
        let passage = passages[i];
        placements[i] = match occurrences.get(quote) {
            _ if quote.is_empty() => Some(Placement::Orphaned(OrphanReason::NotFound)),
            Some(Occurrences::TooMany) => Some(Placement::Orphaned(OrphanReason::Ambiguous)),
            Some(Occurrences::At(found)) if !found.is_empty() => {
                let prefix = normalise(&passage.prefix);
                let suffix = normalise(&passage.suffix);
                let context = prefix.chars().count() + suffix.chars().count();
                match best_by_context(&normal.text, found, quote, &prefix, &suffix) {
                    // The quote is here but none of its surroundings: it may be the same words
                    // elsewhere while the passage itself was edited. Text close to the quote
                    // where the context still is wins; failing that, this occurrence.
                    Some((at, agreement))
                        if agreement < MIN_ANCHOR_CHARS && context >= MIN_ANCHOR_CHARS =>
                    {
                        inexact.push((i, slot, Some(at..at + quote.len())));
                        None
                    }
                    Some((at, _)) => Some(normal.placement(text, at..at + quote.len())),
                    None => Some(Placement::Orphaned(OrphanReason::Ambiguous)),
                }
            }
            _ => {
                inexact.push((i, slot, None));
                None
            }
        };
    }

    // Passages found so far tell how far the text around them moved.
    let mut shifts: Vec<(usize, isize)> = passages
        .iter()
        .zip(&placements)
        .filter_map(|(a, p)| match p {
            Some(Placement::Anchored) => Some((a.start, 0)),
            Some(Placement::Reanchored { start, .. }) => {
                Some((a.start, *start as isize - a.start as isize))
            }
            _ => None,
        })
        .collect();
    shifts.sort_unstable();
    for (i, slot, exact) in inexact {
        let passage = passages[i];
        let expected = expected_start(&shifts, passage.start).min(text.char_count());
        let expected = normal.normal_of(text.byte_of_char(expected));
        let found = find_inexact(
            &normal.text,
            &quotes[slot],
            &normalise(&passage.prefix),
            &normalise(&passage.suffix),
            expected,
        );
        placements[i] = Some(match (found, exact) {
            // An inexact match may begin or end inside a grapheme cluster (the edit that
            // moved the text changed a mark): it takes the whole cluster.
            (Ok(span), _) => match normal.placement(text, span) {
                Placement::Reanchored { start, end } => {
                    let whole = text.grapheme_span(start..end);
                    Placement::Reanchored {
                        start: whole.start,
                        end: whole.end,
                    }
                }
                other => other,
            },
            (Err(_), Some(span)) => normal.placement(text, span),
            (Err(reason), None) => Placement::Orphaned(reason),
        });
    }
    placements
        .into_iter()
        .map(|p| p.expect("every passage is placed"))
        .collect()
}

/// Where a passage that started at `old_start` is expected now: moved as far as the nearest
/// passage that was found.
fn expected_start(shifts: &[(usize, isize)], old_start: usize) -> usize {
    let after = shifts.partition_point(|(start, _)| *start < old_start);
    let nearest = [after.checked_sub(1), Some(after)]
        .into_iter()
        .flatten()
        .filter_map(|i| shifts.get(i))
        .min_by_key(|(start, _)| start.abs_diff(old_start));
    let shift = nearest.map_or(0, |(_, shift)| *shift);
    old_start.saturating_add_signed(shift)
}

fn normalise(text: &str) -> Cow<'_, str> {
    if text.contains("\r\n") {
        Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text with its CRLF line ends as LF, and the way back to the original's offsets.
struct Normalised<'a> {
    text: Cow<'a, str>,
    /// Byte offset, in the original, of each `\r` dropped from a `\r\n`.
    dropped: Vec<usize>,
    /// Byte offset, in the normalised text, of the `\n` that followed each dropped `\r`.
    dropped_before: Vec<usize>,
}

impl<'a> Normalised<'a> {
    fn new(original: &'a str) -> Self {
        let dropped: Vec<usize> = memmem::find_iter(original.as_bytes(), b"\r\n").collect();
        if dropped.is_empty() {
            return Self {
                text: Cow::Borrowed(original),
                dropped,
                dropped_before: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len() - dropped.len());
        let mut from = 0;
        for &at in &dropped {
            text.push_str(&original[from..at]);
            from = at + 1;
        }
        text.push_str(&original[from..]);
        let dropped_before = dropped.iter().enumerate().map(|(i, at)| at - i).collect();
        Self {
            text: Cow::Owned(text),
            dropped,
            dropped_before,
        }
    }

    /// A span that starts on a normalised `\n` starts on the `\r` before it in the original.
    fn original_of(&self, normal: usize) -> usize {
        normal + self.dropped_before.partition_point(|&at| at < normal)
    }

    fn normal_of(&self, original: usize) -> usize {
        original - self.dropped.partition_point(|&at| at < original)
    }

    fn placement(&self, text: &DocumentText, normal: Range<usize>) -> Placement {
        let start = text.char_of_byte(self.original_of(normal.start));
        let end = text.char_of_byte(self.original_of(normal.end));
        Placement::Reanchored { start, end }
    }
}

enum Occurrences {
    /// Byte offsets where the quote starts.
    At(Vec<usize>),
    TooMany,
}

/// Every occurrence (overlapping ones too) of each pattern in `haystack`. Long patterns are
/// found in one pass over the text, keyed on their first [`KEY_BYTES`] bytes, so that
/// thousands of passages cost one scan rather than one each.
fn find_all<'p>(haystack: &str, patterns: &'p [Cow<'p, str>]) -> HashMap<&'p str, Occurrences> {
    let bytes = haystack.as_bytes();
    let mut found: HashMap<&str, Occurrences> = HashMap::new();
    let mut keyed: HashMap<u128, Vec<&str>> = HashMap::new();
    let mut first_pairs = vec![false; 1 << 16];
    for pattern in patterns.iter().map(AsRef::as_ref) {
        if pattern.is_empty() || found.contains_key(pattern) {
            continue;
        }
        let pattern_bytes = pattern.as_bytes();
        if pattern_bytes.len() >= KEY_BYTES {
            let key = u128::from_le_bytes(pattern_bytes[..KEY_BYTES].try_into().expect("16 bytes"));
            keyed.entry(key).or_default().push(pattern);
            first_pairs[pair_index(pattern_bytes)] = true;
            found.insert(pattern, Occurrences::At(Vec::new()));
        } else {
            found.insert(
                pattern,
                find_overlapping(bytes, pattern_bytes, MAX_OCCURRENCES),
            );
        }
    }
    if keyed.is_empty() || bytes.len() < KEY_BYTES {
        return found;
    }
    // A pattern begins with a character's first byte, so a match can only start on one.
    for at in 0..=bytes.len() - KEY_BYTES {
        if !first_pairs[pair_index(&bytes[at..])] {
            continue;
        }
        let key = u128::from_le_bytes(bytes[at..at + KEY_BYTES].try_into().expect("16 bytes"));
        let Some(candidates) = keyed.get(&key) else {
            continue;
        };
        for pattern in candidates {
            if bytes[at..].starts_with(pattern.as_bytes()) {
                let entry = found
                    .get_mut(pattern)
                    .expect("every keyed pattern has an entry");
                if let Occurrences::At(list) = entry {
                    if list.len() == MAX_OCCURRENCES {
                        *entry = Occurrences::TooMany;
                    } else {
                        list.push(at);
                    }
                }
            }
        }
    }
    found
}

fn pair_index(bytes: &[u8]) -> usize {
    (usize::from(bytes[0]) << 8) | usize::from(bytes[1])
}

fn find_overlapping(haystack: &[u8], needle: &[u8], limit: usize) -> Occurrences {
    let finder = memmem::Finder::new(needle);
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = finder.find(&haystack[from..]) {
        if found.len() == limit {
            return Occurrences::TooMany;
        }
        found.push(from + at);
        from += at + 1;
    }
    Occurrences::At(found)
}

/// The occurrence whose surroundings agree longest with the stored context, and how many
/// characters agree; `None` when several agree equally well.
fn best_by_context(
    text: &str,
    occurrences: &[usize],
    quote: &str,
    prefix: &str,
    suffix: &str,
) -> Option<(usize, usize)> {
    let score = |at: usize| {
        let before = text[..at]
            .chars()
            .rev()
            .zip(prefix.chars().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let after = text[at + quote.len()..]
            .chars()
            .zip(suffix.chars())
            .take_while(|(a, b)| a == b)
            .count();
        before + after
    };
    let scored: Vec<(usize, usize)> = occurrences.iter().map(|&at| (score(at), at)).collect();
    let best = scored.iter().map(|(s, _)| *s).max()?;
    let mut winners = scored.iter().filter(|(s, _)| *s == best);
    let winner = *winners.next()?;
    winners.next().is_none().then_some((winner.1, winner.0))
}

/// A span of `text` close to `quote` (within one edit per [`CHARS_PER_EDIT`] characters)
/// near byte `expected`, in normalised byte offsets.
fn find_inexact(
    text: &str,
    quote: &str,
    prefix: &str,
    suffix: &str,
    expected: usize,
) -> Result<Range<usize>, OrphanReason> {
    let quote_chars: Vec<char> = quote.chars().collect();
    let max_edits = quote_chars.len() / CHARS_PER_EDIT;
    if max_edits == 0 || quote_chars.len() > MAX_INEXACT_CHARS {
        return Err(OrphanReason::NotFound);
    }
    let slack = INEXACT_SLACK_BYTES + 2 * quote.len();
    let low = floor_boundary(text, expected.saturating_sub(slack));
    let high = ceil_boundary(text, expected.saturating_add(quote.len() + slack));
    let window = &text[low..high];

    let prefix_anchor = tail_chars(prefix, ANCHOR_CHARS);
    let suffix_anchor = head_chars(suffix, ANCHOR_CHARS);
    let anchor_hits = |anchor: &str| -> Vec<usize> {
        if anchor.chars().count() < MIN_ANCHOR_CHARS {
            return Vec::new();
        }
        match find_overlapping(window.as_bytes(), anchor.as_bytes(), MAX_ANCHOR_HITS) {
            Occurrences::At(hits) => hits,
            Occurrences::TooMany => Vec::new(),
        }
    };
    let prefix_ends: Vec<usize> = anchor_hits(prefix_anchor)
        .into_iter()
        .map(|at| at + prefix_anchor.len())
        .collect();
    let suffix_starts = anchor_hits(suffix_anchor);

    let in_window = |candidates: Vec<(usize, Range<usize>)>| {
        choose(candidates, quote_chars.len()).map(|r| r.map(|s| low + s.start..low + s.end))
    };

    // Both ends anchored: the passage is what lies between them.
    let mut between = Vec::new();
    for &start in &prefix_ends {
        for &end in &suffix_starts {
            if start > end || end - start > 4 * quote.len() + 4 {
                continue;
            }
            let region: Vec<char> = window[start..end].chars().collect();
            if let Some(distance) = bounded_distance(&quote_chars, &region, max_edits) {
                between.push((distance, start..end));
            }
        }
    }
    if let Some(result) = in_window(between) {
        return result;
    }

    // One end anchored: the best alignment running from it.
    let mut one_sided = Vec::new();
    for &start in &prefix_ends {
        let after: Vec<char> = window[start..]
            .chars()
            .take(quote_chars.len() + max_edits)
            .collect();
        if let Some((distance, length)) = best_prefix_alignment(&quote_chars, &after, max_edits) {
            let end = start + after[..length].iter().map(|c| c.len_utf8()).sum::<usize>();
            one_sided.push((distance, start..end));
        }
    }
    let reversed_quote: Vec<char> = quote_chars.iter().rev().copied().collect();
    for &end in &suffix_starts {
        let before: Vec<char> = window[..end]
            .chars()
            .rev()
            .take(quote_chars.len() + max_edits)
            .collect();
        if let Some((distance, length)) = best_prefix_alignment(&reversed_quote, &before, max_edits)
        {
            let start = end - before[..length].iter().map(|c| c.len_utf8()).sum::<usize>();
            one_sided.push((distance, start..end));
        }
    }
    if let Some(result) = in_window(one_sided) {
        return result;
    }
    if !prefix_ends.is_empty() || !suffix_starts.is_empty() {
        // Its surroundings are here but the passage is not: it was deleted or rewritten.
        return Err(OrphanReason::NotFound);
    }

    // No context to go by: search the window around the expected place, more strictly (no
    // context confirms the place), only where enough of the quote's 4-grams occur, and
    // within a budget of edit-distance cells.
    let max_edits = quote_chars.len() / UNANCHORED_CHARS_PER_EDIT;
    if max_edits == 0 {
        return Err(OrphanReason::NotFound);
    }
    let chars: Vec<(usize, char)> = window.char_indices().collect();
    let letters: Vec<char> = chars.iter().map(|(_, c)| *c).collect();
    let byte_at = |i: usize| chars.get(i).map_or(window.len(), |(b, _)| *b);
    let mut budget = MAX_UNANCHORED_CELLS;
    let mut spans = Vec::new();
    for region in candidate_regions(&quote_chars, &letters, max_edits) {
        let cells = region.len() * quote_chars.len();
        if cells > budget {
            break;
        }
        budget -= cells;
        let found = approximate_ends(&quote_chars, &letters[region.clone()], max_edits);
        for (distance, end) in found {
            let end = region.start + end;
            let from = end.saturating_sub(quote_chars.len() + max_edits);
            let before: Vec<char> = letters[from..end].iter().rev().copied().collect();
            if let Some((d, length)) = best_prefix_alignment(&reversed_quote, &before, max_edits)
                && d == distance
            {
                spans.push((distance, byte_at(end - length)..byte_at(end)));
            }
        }
    }
    match choose(spans, quote_chars.len()) {
        Some(result) => result.map(|s| low + s.start..low + s.end),
        None => Err(OrphanReason::NotFound),
    }
}

/// Stretches of `text` where a match of `quote` within `limit` edits can lie. Such a match
/// is at most `quote.len() + limit` long and shares at least
/// `quote.len() + 1 - GRAM * (limit + 1)` of its 4-grams with the quote (the q-gram lemma),
/// so stretches with fewer are skipped without computing any distance.
fn candidate_regions(quote: &[char], text: &[char], limit: usize) -> Vec<Range<usize>> {
    let needed = (quote.len() + 1).saturating_sub(GRAM * (limit + 1));
    if needed == 0 || text.len() < GRAM {
        // The filter rules nothing out: the whole text is one region.
        return std::iter::once(0..text.len()).collect();
    }
    let key = |gram: &[char]| {
        gram.iter()
            .fold(0u128, |key, c| (key << 32) | u128::from(u32::from(*c)))
    };
    let grams: std::collections::HashSet<u128> = quote.windows(GRAM).map(key).collect();
    let hits: Vec<usize> = text
        .windows(GRAM)
        .map(|w| usize::from(grams.contains(&key(w))))
        .collect();
    let longest = quote.len() + limit;
    // The 4-grams inside a match starting at `s` start in `s..s + width`.
    let width = (longest + 1).saturating_sub(GRAM).max(1);
    let mut regions: Vec<Range<usize>> = Vec::new();
    let mut sum: usize = hits.iter().take(width).sum();
    for start in 0..hits.len() {
        if sum >= needed {
            let region = start..(start + longest).min(text.len());
            match regions.last_mut() {
                Some(last) if last.end >= region.start => last.end = region.end,
                _ => regions.push(region),
            }
        }
        sum -= hits[start];
        if let Some(entering) = hits.get(start + width) {
            sum += entering;
        }
    }
    regions
}

/// The candidate with the fewest edits. Overlapping candidates are one place (the one
/// closest to the quote's length wins); separate places equally close are ambiguous.
fn choose(
    mut candidates: Vec<(usize, Range<usize>)>,
    quote_len: usize,
) -> Option<Result<Range<usize>, OrphanReason>> {
    let best = candidates.iter().map(|(d, _)| *d).min()?;
    candidates.retain(|(d, span)| *d == best && span.start < span.end);
    candidates.sort_by_key(|(_, span)| (span.start, span.end));
    candidates.dedup();
    let (_, first) = candidates.first()?;
    let overlapping_all = candidates
        .iter()
        .all(|(_, span)| span.start < first.end && first.start < span.end);
    if !overlapping_all {
        return Some(Err(OrphanReason::Ambiguous));
    }
    candidates
        .into_iter()
        .map(|(_, span)| span)
        .min_by_key(|span| (span.len().abs_diff(quote_len), span.start))
        .map(Ok)
}

/// Levenshtein distance between `a` and `b` if it is at most `limit`.
fn bounded_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let last_row = distances_to_prefixes(a, b, limit)?;
    Some(last_row[b.len()]).filter(|&d| d <= limit)
}

/// The edit distance between all of `a` and each prefix of `b` (index = prefix length), or
/// `None` as soon as every distance exceeds `limit`.
fn distances_to_prefixes(a: &[char], b: &[char], limit: usize) -> Option<Vec<usize>> {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(ca != cb))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        if current.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous)
}

/// Align all of `quote` against a prefix of `text` (both start together, the end is free):
/// the fewest edits, and the length of `text` they cover (closest to the quote's own length
/// among equals).
fn best_prefix_alignment(quote: &[char], text: &[char], limit: usize) -> Option<(usize, usize)> {
    distances_to_prefixes(quote, text, limit)?
        .iter()
        .enumerate()
        .filter(|(_, d)| **d <= limit)
        .min_by_key(|(length, d)| (**d, length.abs_diff(quote.len())))
        .map(|(length, d)| (*d, length))
}

/// End offsets in `text` where `quote` matches with the fewest edits (at most `limit`),
/// anywhere in `text` (Sellers' approximate matching).
fn approximate_ends(quote: &[char], text: &[char], limit: usize) -> Vec<(usize, usize)> {
    let mut previous = vec![0; text.len() + 1];
    let mut current = vec![0; text.len() + 1];
    for (i, q) in quote.iter().enumerate() {
        current[0] = i + 1;
        for (j, t) in text.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(q != t))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let Some(best) = previous.iter().copied().min().filter(|&d| d <= limit) else {
        return Vec::new();
    };
    previous
        .iter()
        .enumerate()
        .filter(|(_, d)| **d == best)
        .map(|(end, d)| (*d, end))
        .collect()
}

fn tail_chars(text: &str, count: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(count.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..]
}

fn head_chars(text: &str, count: usize) -> &str {
    let end = text
        .char_indices()
        .nth(count)
        .map_or(text.len(), |(i, _)| i);
    &text[..end]
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_counted_unless_an_old_project_counted_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bom.txt");
        let bytes = "\u{feff}“Quote” 🙂\r\nend".as_bytes();
        std::fs::write(&file, bytes).unwrap();
        let without = "“Quote” 🙂\r\nend".chars().count();
        let mut document = Document {
            turns: Vec::new(),
            direction: Default::default(),
            id: 1,
            path: "bom.txt".to_owned(),
            title: "t".to_owned(),
            sha256: sha256_hex(bytes),
            chars: without,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        };
        let SourceState::Ok(text) = read_source(&document, &file) else {
            panic!("a file with its fingerprint reads as ok");
        };
        assert_eq!(text.slice(0..7), Some("“Quote”"));
        // Recorded before the rule: the mark was character 0, and stays so.
        document.chars = without + 1;
        let SourceState::Ok(text) = read_source(&document, &file) else {
            panic!("an old project's document reads as ok");
        };
        assert_eq!(text.slice(1..8), Some("“Quote”"));
    }

    const SEED: &str = include_str!("../seeds/002_c2d47f878a0c9e5f.txt");

    const FORTY: &str = "Forty per cent of its new recruits from 2022 must be from an ethnic minority background under the action plan";
    const OFFICERS: &str = "more than 5,000 officers from ethnic minority backgrounds, up from just over 3,000 a decade ago";
    const STAFF: &str =
        "nearly 10,000 police staff of whom over 26% are from an ethnic minority background";
    /// Mid-paragraph, with at least 32 characters of the same paragraph on each side.
    const MUST_BE: &str = "must be from an ethnic minority background";
    /// Spans a paragraph break.
    const ACROSS: &str = "a decade ago.\n\nThere are also";

    fn char_span(text: &str, needle: &str) -> Range<usize> {
        let byte = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} is not in the text"));
        let start = text[..byte].chars().count();
        start..start + needle.chars().count()
    }

    /// A passage on `needle` as the app makes it: quote and context from the text.
    fn passage(id: u32, text: &str, needle: &str) -> Annotation {
        let text = DocumentText::new(text.to_owned());
        let range = char_span(text.as_str(), needle);
        let anchor = anchor_at(&text, range).unwrap();
        Annotation {
            id,
            doc: 1,
            start: anchor.start,
            end: anchor.end,
            tags: vec![1],
            quote: anchor.quote,
            prefix: anchor.prefix,
            suffix: anchor.suffix,
            ..Default::default()
        }
    }

    fn seed_passages(text: &str) -> Vec<Annotation> {
        let line_end = if text.contains("\r\n") { "\r\n" } else { "\n" };
        [FORTY, OFFICERS, STAFF, MUST_BE, ACROSS]
            .iter()
            .enumerate()
            .map(|(i, needle)| passage(i as u32 + 1, text, &needle.replace('\n', line_end)))
            .collect()
    }

    fn place(passages: &[Annotation], text: &str) -> Vec<Placement> {
        let refs: Vec<&Annotation> = passages.iter().collect();
        place_passages(&refs, &DocumentText::new(text.to_owned()))
    }

    /// The text a placement puts the passage on.
    fn placed_text(passage: &Annotation, placement: Placement, text: &str) -> Option<String> {
        let range = match placement {
            Placement::Anchored => passage.range(),
            Placement::Reanchored { start, end } => start..end,
            Placement::Orphaned(_) => return None,
        };
        Some(text.chars().skip(range.start).take(range.len()).collect())
    }

    #[test]
    fn an_unchanged_text_keeps_every_passage_in_place() {
        let passages = seed_passages(SEED);
        assert!(
            place(&passages, SEED)
                .iter()
                .all(|p| *p == Placement::Anchored)
        );
    }

    #[test]
    fn insertions_before_passages_move_them_onto_their_quotes() {
        let passages = seed_passages(SEED);
        let changed = format!("Editor’s note: updated with a correction.\n\n{SEED}").replace(
            "But consultations with",
            "(Figures from 2020.) But consultations with",
        );
        let placements = place(&passages, &changed);
        for (passage, placement) in passages.iter().zip(&placements) {
            assert!(
                matches!(placement, Placement::Reanchored { .. }),
                "passage {} is {placement:?}",
                passage.id
            );
            assert_eq!(
                placed_text(passage, *placement, &changed).as_deref(),
                Some(passage.quote.as_str()),
                "passage {}",
                passage.id
            );
        }
    }

    #[test]
    fn an_edit_inside_a_passage_finds_the_edited_text() {
        let passages = seed_passages(SEED);
        let edited_forty = FORTY.replace("Forty per cent", "Forty-five per cent");
        let edited_staff = STAFF.replace("police staff", "civilian police staff");
        let changed = format!("A new first line.\n{SEED}")
            .replace(FORTY, &edited_forty)
            .replace(STAFF, &edited_staff);
        let placements = place(&passages, &changed);
        assert_eq!(
            placed_text(&passages[0], placements[0], &changed).as_deref(),
            Some(edited_forty.as_str())
        );
        assert_eq!(
            placed_text(&passages[2], placements[2], &changed).as_deref(),
            Some(edited_staff.as_str())
        );
        assert_eq!(
            placed_text(&passages[1], placements[1], &changed).as_deref(),
            Some(OFFICERS)
        );
    }

    #[test]
    fn an_edit_that_changes_too_much_orphans_the_passage() {
        let passages = seed_passages(SEED);
        let rewritten = "The force now employs a great many officers of varied backgrounds, \
                         double the number it had some ten years earlier";
        let changed = SEED.replace(OFFICERS, rewritten);
        let placements = place(&passages, &changed);
        assert_eq!(placements[1], Placement::Orphaned(OrphanReason::NotFound));
        assert_eq!(placements[0], Placement::Anchored);
    }

    #[test]
    fn a_deleted_passage_is_orphaned_and_the_others_move() {
        let passages = seed_passages(SEED);
        let paragraph = SEED.split("\n\n").find(|p| p.contains(STAFF)).unwrap();
        let changed = SEED.replacen(&format!("{paragraph}\n\n"), "", 1);
        let placements = place(&passages, &changed);
        assert_eq!(placements[2], Placement::Orphaned(OrphanReason::NotFound));
        // The passage across the deleted paragraph's start lost half its text too.
        assert!(matches!(placements[4], Placement::Orphaned(_)));
        for i in [0, 1, 3] {
            assert_eq!(
                placed_text(&passages[i], placements[i], &changed).as_deref(),
                Some(passages[i].quote.as_str())
            );
        }
        // Deleting text after a passage leaves it in place.
        assert_eq!(placements[0], Placement::Anchored);
    }

    #[test]
    fn duplicated_paragraphs_move_passages_only_where_context_decides() {
        let passages = seed_passages(SEED);
        let forty = SEED.split("\n\n").find(|p| p.contains(FORTY)).unwrap();
        let officers = SEED.split("\n\n").find(|p| p.contains(OFFICERS)).unwrap();

        // A paragraph copied after itself: the passages before and in it stay in place.
        let after = SEED.replacen(forty, &format!("{forty}\n\n{forty}"), 1);
        let placements = place(&passages, &after);
        assert_eq!(placements[0], Placement::Anchored);
        assert_eq!(placements[3], Placement::Anchored);
        assert_eq!(
            placed_text(&passages[1], placements[1], &after).as_deref(),
            Some(OFFICERS)
        );

        // Text inserted above, and a passage's paragraph duplicated: its surroundings are
        // identical in both copies, so no place is better than the other.
        let shifted =
            format!("Update.\n\n{SEED}").replacen(forty, &format!("{forty}\n\n{forty}"), 1);
        let placements = place(&passages, &shifted);
        assert_eq!(placements[3], Placement::Orphaned(OrphanReason::Ambiguous));
        // A passage at the start of the paragraph: only the first copy follows the
        // paragraph it followed before.
        let Placement::Reanchored { start, .. } = placements[0] else {
            panic!("{:?}", placements[0]);
        };
        let first_copy = shifted.find(FORTY).unwrap();
        assert_eq!(start, shifted[..first_copy].chars().count());

        // The paragraph after it copied: the suffix tells the copies apart.
        let copied = format!("Update.\n\n{SEED}").replacen(
            officers,
            &format!("{officers}\n\n{officers}"),
            1,
        );
        let placements = place(&passages, &copied);
        let Placement::Reanchored { start, .. } = placements[1] else {
            panic!("{:?}", placements[1]);
        };
        let second = copied.rfind(OFFICERS).unwrap();
        assert_eq!(start, copied[..second].chars().count());
    }

    #[test]
    fn crlf_and_lf_conversions_re_anchor() {
        let passages = seed_passages(SEED);
        let crlf = SEED.replace('\n', "\r\n");
        let placements = place(&passages, &crlf);
        for (passage, placement) in passages.iter().zip(&placements) {
            assert!(
                matches!(placement, Placement::Reanchored { .. }),
                "{placement:?}"
            );
            assert_eq!(
                placed_text(passage, *placement, &crlf),
                Some(passage.quote.replace('\n', "\r\n"))
            );
        }

        // And back: passages made on the CRLF text find their place in the LF one.
        let crlf_passages = seed_passages(&crlf);
        let placements = place(&crlf_passages, SEED);
        let across = placed_text(&crlf_passages[4], placements[4], SEED);
        assert_eq!(across.as_deref(), Some(ACROSS));
        for (passage, placement) in crlf_passages.iter().zip(&placements) {
            assert_eq!(
                placed_text(passage, *placement, SEED),
                Some(passage.quote.replace("\r\n", "\n"))
            );
        }
    }

    #[test]
    fn the_same_words_elsewhere_do_not_capture_an_edited_passage() {
        // "Sadiq Khan" appears twice; the first, a passage, is misspelt by an edit.
        let khan = passage(1, SEED, "Sadiq Khan");
        let changed = format!("Update.\n{}", SEED.replacen("Sadiq Khan", "Sadiq Kahn", 1));
        let placements = place(std::slice::from_ref(&khan), &changed);
        let Placement::Reanchored { start, .. } = placements[0] else {
            panic!("{:?}", placements[0]);
        };
        assert_eq!(
            placed_text(&khan, placements[0], &changed).as_deref(),
            Some("Sadiq Kahn")
        );
        assert_eq!(start, char_span(&changed, "Sadiq Kahn").start);
        // Where its surroundings are gone too, the one exact occurrence is taken.
        let rewritten = changed.replace("alongside London’s mayor Sadiq Kahn.", "with City Hall.");
        let placements = place(std::slice::from_ref(&khan), &rewritten);
        assert_eq!(
            placed_text(&khan, placements[0], &rewritten).as_deref(),
            Some("Sadiq Khan")
        );
    }

    #[test]
    fn passages_without_context_go_by_their_quote_alone() {
        let mut passages = seed_passages(SEED);
        for passage in &mut passages {
            passage.prefix.clear();
            passage.suffix.clear();
        }
        let changed = format!("Update.\n\n{SEED}").replacen(STAFF, &format!("{STAFF}; {STAFF}"), 1);
        let placements = place(&passages, &changed);
        assert_eq!(
            placed_text(&passages[0], placements[0], &changed).as_deref(),
            Some(FORTY)
        );
        assert_eq!(placements[2], Placement::Orphaned(OrphanReason::Ambiguous));

        // Edited inside and moved, with nothing but the quote to go by.
        let edited = OFFICERS.replace("5,000", "5,500");
        let changed = format!("Update.\n\n{SEED}").replace(OFFICERS, &edited);
        let placements = place(&passages, &changed);
        assert_eq!(
            placed_text(&passages[1], placements[1], &changed).as_deref(),
            Some(edited.as_str())
        );
    }

    #[test]
    fn a_different_text_orphans_every_passage() {
        let passages = seed_passages(SEED);
        let other = include_str!("../seeds/000_fd2bbcf178ec013b.txt");
        let placements = place(&passages, other);
        assert!(
            placements
                .iter()
                .all(|p| *p == Placement::Orphaned(OrphanReason::NotFound)),
            "{placements:?}"
        );
    }

    #[test]
    fn four_grams_rule_out_text_that_cannot_match() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        let quote = chars(OFFICERS);
        let unrelated = chars(&include_str!("../seeds/000_fd2bbcf178ec013b.txt")[..3000]);
        assert!(candidate_regions(&quote, &unrelated, quote.len() / 8).is_empty());
        let edited = OFFICERS.replace("5,000", "5,500");
        let text = chars(&format!("{}{edited} and more", &SEED[..700]));
        let regions = candidate_regions(&quote, &text, quote.len() / 8);
        let at = SEED[..700].chars().count();
        assert!(
            regions
                .iter()
                .any(|r| r.start <= at && at + quote.len() <= r.end),
            "{regions:?}"
        );
    }

    #[test]
    fn spans_past_the_end_of_the_text_never_panic() {
        let mut moved = passage(1, SEED, FORTY);
        moved.start += 100_000;
        moved.end += 100_000;
        let mut gone = passage(2, SEED, OFFICERS);
        gone.start = 90_000;
        gone.end = 80_000;
        gone.quote = "text that is nowhere in the document at all".to_owned();
        let short = "Forty per cent of its new recruits";
        let placements = place(&[moved.clone(), gone], short);
        assert_eq!(placements[1], Placement::Orphaned(OrphanReason::NotFound));
        assert!(matches!(placements[0], Placement::Orphaned(_)));
        let placements = place(&[moved], SEED);
        assert_eq!(
            placements[0],
            Placement::Reanchored {
                start: char_span(SEED, FORTY).start,
                end: char_span(SEED, FORTY).end
            }
        );
        assert!(
            place(&[passage(3, SEED, FORTY)], "")
                .iter()
                .all(|p| matches!(p, Placement::Orphaned(_)))
        );
    }

    #[test]
    fn context_is_clipped_at_the_text_edges() {
        let text = DocumentText::new("“Hello” – world".to_owned());
        assert_eq!(context(&text, 0, 7), ("", " – world"));
        assert_eq!(context(&text, 10, 15), ("“Hello” – ", ""));
    }
}
