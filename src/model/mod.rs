//! The project as data: codebook, documents, passages. Nothing here knows about egui or disk.

mod layout;
mod text;
mod transcript;

pub use layout::{LayoutSection, sections_for_range};
pub use text::{DocumentText, Paragraph};
pub use transcript::{Case, CaseId, RealignedTurns, Turn, case_key, format_time, realign_turns};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub type TagId = u32;
pub type DocId = u32;
pub type AnnotationId = u32;
pub type AttributeId = u32;

/// The current project-file format; older files are migrated on load.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Project")]
pub struct Project {
    pub format: u32,
    pub name: String,
    pub codebook: Vec<Tag>,
    /// Document attributes (variables such as outlet, date, interviewee's role): their
    /// definitions, in the order shown. Left out of the file when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    /// The people (or other units) that documents' turns belong to, across documents.
    /// Left out of the file when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<Case>,
    pub documents: Vec<Document>,
    /// Boxed, so that a passage inserted in the middle of a large project moves pointers,
    /// not whole passages (the list stays sorted by document, start, end, id).
    pub annotations: Vec<Box<Annotation>>,
    /// A free-text memo about the whole project.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub memo: String,
    /// Highest ids handed out so far, so that a deleted id is never reused.
    #[serde(default, skip_serializing_if = "IdCounters::is_unset")]
    pub ids: IdCounters,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Ids")]
pub struct IdCounters {
    #[serde(default)]
    pub tag: u32,
    #[serde(default)]
    pub document: u32,
    #[serde(default)]
    pub annotation: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub case: u32,
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}

impl IdCounters {
    fn is_unset(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Tag")]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    /// `#RRGGBB`.
    pub color: String,
    /// The keyboard key that applies the tag ("1".."9"), or empty.
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<TagId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Document")]
pub struct Document {
    pub id: DocId,
    /// Relative to the project file's folder when the file lies under or beside it.
    pub path: String,
    pub title: String,
    /// Hex SHA-256 of the file's bytes when it was added.
    pub sha256: String,
    /// Length of the text in characters (Unicode scalar values).
    pub chars: usize,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub memo: String,
    /// The file the text was converted from, when it was not plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// The document's attribute values by attribute id; an attribute without a value is
    /// absent. Each value fits its attribute's kind ([`AttributeKind::check`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<AttributeId, String>,
    /// Which way its paragraphs run; `Auto` (absent from the file) takes each paragraph's
    /// direction from its first strong letter (UAX #9, rule P2).
    #[serde(default, skip_serializing_if = "TextDirection::is_auto")]
    pub direction: TextDirection,
    /// A transcript's turns in text order, not overlapping; empty for other documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turns: Vec<Turn>,
}

/// The direction a document's paragraphs are set in, for texts whose first letters mislead
/// (an Arabic paragraph that opens with an English name, a Hebrew list of numbers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextDirection {
    #[default]
    Auto,
    LeftToRight,
    RightToLeft,
}

impl TextDirection {
    pub fn is_auto(&self) -> bool {
        *self == TextDirection::Auto
    }
}

/// A document attribute (a "variable" or "case attribute" in other tools): one value, or
/// none, per document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Attribute")]
pub struct Attribute {
    pub id: AttributeId,
    pub name: String,
    pub kind: AttributeKind,
    #[serde(default)]
    pub description: String,
}

/// What values an attribute takes. Values are stored as text in every kind, so a number
/// reads back exactly as it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttributeKind {
    Text,
    /// A decimal number (`12`, `-3.5`, `1e3`).
    Number,
    /// A calendar date in ISO 8601, `YYYY-MM-DD`.
    Date,
    /// One of the listed values, exactly.
    Choice(Vec<String>),
}

impl AttributeKind {
    /// The kind's name as the command line and reports show it.
    pub fn name(&self) -> &'static str {
        match self {
            AttributeKind::Text => "text",
            AttributeKind::Number => "number",
            AttributeKind::Date => "date",
            AttributeKind::Choice(_) => "choice",
        }
    }

    /// `Ok` when `value` is a value of this kind; otherwise what is wrong, for a person.
    pub fn check(&self, value: &str) -> Result<(), String> {
        match self {
            AttributeKind::Text => {
                if value.is_empty() {
                    Err("an empty value is written as no value".to_owned())
                } else {
                    Ok(())
                }
            }
            AttributeKind::Number => parse_number(value)
                .map(drop)
                .ok_or_else(|| format!("{value:?} is not a number (such as 12 or -3.5)")),
            AttributeKind::Date => parse_iso_date(value)
                .map(drop)
                .ok_or_else(|| format!("{value:?} is not a date written YYYY-MM-DD")),
            AttributeKind::Choice(values) => {
                if values.iter().any(|v| v == value) {
                    Ok(())
                } else {
                    Err(format!(
                        "{value:?} is not one of the choices {}",
                        values
                            .iter()
                            .map(|v| format!("{v:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            }
        }
    }
}

/// A finite decimal number as people write one: digits with an optional sign, decimal
/// point and exponent (`12`, `-3.5`, `.5`, `1e3`); not `inf`, `NaN`, hex or thousands
/// separators.
pub fn parse_number(value: &str) -> Option<f64> {
    let looks_decimal = !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && value.bytes().any(|b| b.is_ascii_digit());
    if !looks_decimal {
        return None;
    }
    value.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// An ISO 8601 calendar date `YYYY-MM-DD` (a real day of the proleptic Gregorian calendar)
/// as (year, month, day).
pub fn parse_iso_date(value: &str) -> Option<(u32, u32, u32)> {
    let bytes = value.as_bytes();
    if bytes.len() != 10
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
    {
        return None;
    }
    let year: u32 = value[..4].parse().ok()?;
    let month: u32 = value[5..7].parse().ok()?;
    let day: u32 = value[8..].parse().ok()?;
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some((year, month, day))
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Annotation")]
pub struct Annotation {
    pub id: AnnotationId,
    pub doc: DocId,
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset one past the last character.
    pub end: usize,
    pub tags: Vec<TagId>,
    /// The exact text at `start..end` when the passage was made.
    pub quote: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub coder: String,
    /// RFC 3339 UTC timestamp.
    #[serde(default)]
    pub created: String,
    /// Up to [`crate::anchor::CONTEXT_CHARS`] characters just before the passage, to find it
    /// again when the document changes. Empty in files written before it existed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// Up to [`crate::anchor::CONTEXT_CHARS`] characters just after the passage.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suffix: String,
    /// Set by a three-way merge (`marginalia merge-driver`) on both versions of a passage that
    /// two branches changed differently, until someone chooses; absent from the file when false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub conflict: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Annotation {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn overlaps(&self, range: &std::ops::Range<usize>) -> bool {
        self.start < range.end && range.start < self.end
    }
}

/// The codebook every new project starts with, in the Okabe–Ito palette.
pub fn default_codebook() -> Vec<Tag> {
    let tag = |id: TagId, name: &str, color: &str, description: &str| Tag {
        id,
        name: name.to_owned(),
        color: color.to_owned(),
        key: id.to_string(),
        description: description.to_owned(),
        parent: None,
    };
    vec![
        tag(1, "quote", "#0072B2", "Words attributed to a speaker"),
        tag(2, "statistic", "#E69F00", "A figure, rate or count"),
        tag(3, "policy", "#009E73", "A rule, plan or programme"),
        tag(4, "critique", "#D55E00", "An objection or criticism"),
    ]
}

/// The rest of the Okabe–Ito palette, offered to tags added later.
pub const EXTRA_TAG_COLORS: [&str; 4] = ["#CC79A7", "#56B4E9", "#F0E442", "#000000"];

impl Default for Project {
    fn default() -> Self {
        Self::new("Untitled project")
    }
}

impl Project {
    pub fn new(name: &str) -> Self {
        let mut project = Self {
            format: FORMAT_VERSION,
            name: name.to_owned(),
            codebook: default_codebook(),
            attributes: Vec::new(),
            cases: Vec::new(),
            documents: Vec::new(),
            annotations: Vec::new(),
            memo: String::new(),
            ids: IdCounters::default(),
        };
        project.sync_id_counters();
        project
    }

    /// Raise the id counters to at least the highest id in use (files written by hand or
    /// by other tools may lack them).
    pub fn sync_id_counters(&mut self) {
        let max_tag = self.codebook.iter().map(|t| t.id).max().unwrap_or(0);
        let max_doc = self.documents.iter().map(|d| d.id).max().unwrap_or(0);
        let max_ann = self.annotations.iter().map(|a| a.id).max().unwrap_or(0);
        self.ids.tag = self.ids.tag.max(max_tag);
        self.ids.document = self.ids.document.max(max_doc);
        self.ids.annotation = self.ids.annotation.max(max_ann);
        let max_case = self.cases.iter().map(|c| c.id).max().unwrap_or(0);
        self.ids.case = self.ids.case.max(max_case);
    }

    pub fn next_case_id(&self) -> CaseId {
        self.ids.case + 1
    }

    pub fn case(&self, id: CaseId) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// The case of this name, matched as [`case_key`] does.
    pub fn case_named(&self, name: &str) -> Option<&Case> {
        let key = case_key(name);
        self.cases.iter().find(|c| case_key(&c.name) == key)
    }

    /// The name of who spoke `turn`, for lists and exports; empty when nobody is named.
    pub fn speaker_name(&self, turn: &Turn) -> &str {
        turn.speaker
            .and_then(|id| self.case(id))
            .map_or("", |c| c.name.as_str())
    }

    pub fn next_tag_id(&self) -> TagId {
        self.ids.tag + 1
    }

    pub fn next_document_id(&self) -> DocId {
        self.ids.document + 1
    }

    pub fn next_annotation_id(&self) -> AnnotationId {
        self.ids.annotation + 1
    }

    pub fn tag(&self, id: TagId) -> Option<&Tag> {
        self.codebook.iter().find(|t| t.id == id)
    }

    /// Each tag's position in the codebook, for tables with a column or row per tag.
    pub fn codebook_positions(&self) -> std::collections::HashMap<TagId, usize> {
        self.codebook
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id, i))
            .collect()
    }

    pub fn tag_by_key(&self, key: &str) -> Option<&Tag> {
        self.codebook
            .iter()
            .find(|t| !t.key.is_empty() && t.key == key)
    }

    pub fn attribute(&self, id: AttributeId) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.id == id)
    }

    pub fn attribute_by_name(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The id a new attribute gets: one above the highest in use.
    pub fn next_attribute_id(&self) -> AttributeId {
        self.attributes.iter().map(|a| a.id).max().unwrap_or(0) + 1
    }

    pub fn document(&self, id: DocId) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    pub fn annotation(&self, id: AnnotationId) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.id == id).map(|a| &**a)
    }

    pub fn annotation_mut(&mut self, id: AnnotationId) -> Option<&mut Annotation> {
        self.annotations
            .iter_mut()
            .find(|a| a.id == id)
            .map(|a| &mut **a)
    }

    /// Passages of one document, in the list's order (any order: a project built in
    /// memory need not be sorted). For a sorted project, [`Self::annotations_slice_of`] is
    /// a binary search instead of a walk.
    pub fn annotations_of(&self, doc: DocId) -> impl Iterator<Item = &Annotation> {
        self.annotations
            .iter()
            .filter(move |a| a.doc == doc)
            .map(|a| &**a)
    }

    /// The passages of `doc` in a project whose list is sorted (document, start, end, id),
    /// as every loaded project and every workspace's project is: found by binary search.
    pub fn annotations_slice_of(&self, doc: DocId) -> &[Box<Annotation>] {
        let from = self.annotations.partition_point(|a| a.doc < doc);
        let to = from + self.annotations[from..].partition_point(|a| a.doc == doc);
        &self.annotations[from..to]
    }

    /// The passage `id` when its document and span are known, in a sorted project: a
    /// binary search instead of a walk over every passage.
    pub fn annotation_at_key(
        &self,
        id: AnnotationId,
        doc: DocId,
        start: usize,
        end: usize,
    ) -> Option<&Annotation> {
        let key = (doc, start, end, id);
        let at = self
            .annotations
            .partition_point(|a| (a.doc, a.start, a.end, a.id) < key);
        self.annotations
            .get(at)
            .filter(|a| a.id == id)
            .map(|a| &**a)
    }

    /// The passage covering exactly `range` in `doc`, if any (the one with the lowest id
    /// when several do), in a sorted project.
    pub fn annotation_at_exact(
        &self,
        doc: DocId,
        range: std::ops::Range<usize>,
    ) -> Option<&Annotation> {
        let key = (doc, range.start, range.end);
        let at = self
            .annotations
            .partition_point(|a| (a.doc, a.start, a.end) < key);
        self.annotations
            .get(at)
            .filter(|a| (a.doc, a.start, a.end) == key)
            .map(|a| &**a)
    }

    /// The passage of `coder` with exactly this span, if any: in a team project several
    /// coders may have passages on the same span, and tagging changes only one's own.
    pub fn annotation_at_exact_of(
        &self,
        doc: DocId,
        range: std::ops::Range<usize>,
        coder: &str,
    ) -> Option<&Annotation> {
        let key = (doc, range.start, range.end);
        let at = self
            .annotations
            .partition_point(|a| (a.doc, a.start, a.end) < key);
        self.annotations[at..]
            .iter()
            .take_while(|a| (a.doc, a.start, a.end) == key)
            .find(|a| a.coder == coder)
            .map(|a| &**a)
    }

    /// Keep the on-disk order of DESIGN.md: (document, start, end, id).
    pub fn sort_annotations(&mut self) {
        self.annotations
            .sort_by_key(|a| (a.doc, a.start, a.end, a.id));
    }

    /// Index at which an annotation keeps the sort order.
    pub fn annotation_insert_position(&self, annotation: &Annotation) -> usize {
        let key = (
            annotation.doc,
            annotation.start,
            annotation.end,
            annotation.id,
        );
        self.annotations
            .partition_point(|a| (a.doc, a.start, a.end, a.id) < key)
    }
}

/// Parse `#RRGGBB` into RGB bytes.
pub fn parse_hex_color(color: &str) -> Option<[u8; 3]> {
    let hex = color.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// The current time as an RFC 3339 UTC timestamp with second precision.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    rfc3339_from_unix(secs)
}

/// Civil-from-days conversion (proleptic Gregorian), so no date crate is needed.
pub fn rfc3339_from_unix(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(rfc3339_from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_from_unix(1_795_359_600), "2026-11-22T15:00:00Z");
        assert_eq!(rfc3339_from_unix(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn attribute_values_fit_their_kind() {
        assert!(AttributeKind::Number.check("12").is_ok());
        assert!(AttributeKind::Number.check("-3.5e2").is_ok());
        for bad in ["", "1,5", "inf", "NaN", "0x1f", "12 ", "-", "e"] {
            assert!(AttributeKind::Number.check(bad).is_err(), "{bad}");
        }
        assert!(AttributeKind::Date.check("2024-02-29").is_ok());
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01",
            "2024/01/01",
        ] {
            assert!(AttributeKind::Date.check(bad).is_err(), "{bad}");
        }
        let choice = AttributeKind::Choice(vec!["a".into(), "b".into()]);
        assert!(choice.check("b").is_ok());
        assert!(choice.check("B").is_err());
        assert!(AttributeKind::Text.check("").is_err());
    }

    #[test]
    fn hex_colours_parse() {
        assert_eq!(parse_hex_color("#0072B2"), Some([0x00, 0x72, 0xB2]));
        assert_eq!(parse_hex_color("0072B2"), None);
        assert_eq!(parse_hex_color("#00é2B"), None);
    }

    #[test]
    fn ids_are_never_reused_after_delete() {
        let mut p = Project::new("t");
        p.ids.annotation = 7;
        p.sync_id_counters();
        assert_eq!(p.next_annotation_id(), 8);
        assert_eq!(p.next_tag_id(), 5);
    }

    #[test]
    fn insert_position_keeps_order() {
        let mut p = Project::new("t");
        for (id, start) in [(1, 10), (2, 30)] {
            p.annotations.push(Box::new(Annotation {
                id,
                doc: 1,
                start,
                end: start + 5,
                tags: vec![1],
                ..Default::default()
            }));
        }
        let mut a = p.annotations[0].clone();
        a.id = 3;
        a.start = 20;
        assert_eq!(p.annotation_insert_position(&a), 1);
    }
}
