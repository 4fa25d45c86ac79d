//! The passage table shared by the CSV and Excel exports, and the counts per tag and
//! document shared by the Excel sheet and the reports.

use std::collections::HashMap;

use crate::model::{Annotation, DocId, Document, Project, Tag};

/// The CSV/Excel columns, in order; the names are the contract for scripts that read them.
/// `speaker`, `time_start` and `time_end` (seconds) are empty outside transcripts.
pub const COLUMNS: [&str; 13] = [
    "document",
    "path",
    "annotation_id",
    "tag",
    "start",
    "end",
    "quote",
    "note",
    "coder",
    "created",
    "speaker",
    "time_start",
    "time_end",
];

/// One passage × one of its tags (or no tag, for a passage whose tags were all deleted).
pub struct PassageRow<'a> {
    pub document: String,
    pub path: &'a str,
    pub annotation_id: u32,
    pub tag: String,
    pub start: usize,
    pub end: usize,
    pub quote: &'a str,
    pub note: &'a str,
    pub coder: &'a str,
    pub created: &'a str,
    pub speech: Speech,
}

/// Who said a passage in a transcript, and when: the turns it overlaps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Speech {
    /// The speakers of those turns, each once, in order, joined by "; ".
    pub speaker: String,
    pub time_start: Option<f64>,
    pub time_end: Option<f64>,
}

impl Speech {
    pub fn of(project: &Project, annotation: &Annotation) -> Speech {
        let Some(document) = project.document(annotation.doc) else {
            return Speech::default();
        };
        let turns = document.turns_overlapping(annotation.range());
        let mut speakers: Vec<&str> = Vec::new();
        for turn in turns {
            let name = project.speaker_name(turn);
            if !name.is_empty() && !speakers.contains(&name) {
                speakers.push(name);
            }
        }
        Speech {
            speaker: speakers.join("; "),
            time_start: turns.first().and_then(|t| t.time_start),
            time_end: turns.last().and_then(|t| t.time_end),
        }
    }

    /// "1:23–1:40", or the start alone; empty without times.
    pub fn times(&self) -> String {
        match (self.time_start, self.time_end) {
            (Some(start), Some(end)) => format!(
                "{}–{}",
                crate::model::format_time(start),
                crate::model::format_time(end)
            ),
            (Some(start), None) => crate::model::format_time(start),
            _ => String::new(),
        }
    }

    /// "Anna, 1:23–1:40" as reports show it; empty outside transcripts. `name` shapes the
    /// speaker's name for where it is shown (labels put right-to-left names in reading
    /// order first, so that the times are not turned round with them).
    pub fn label_with(&self, name: impl Fn(&str) -> String) -> String {
        let times = self.times();
        match (self.speaker.is_empty(), times.is_empty()) {
            (false, false) => format!("{}, {times}", name(&self.speaker)),
            (false, true) => name(&self.speaker),
            (true, _) => times,
        }
    }

    pub fn label(&self) -> String {
        self.label_with(str::to_owned)
    }
}

fn seconds(time: Option<f64>) -> String {
    time.map(|t| t.to_string()).unwrap_or_default()
}

impl PassageRow<'_> {
    /// The row as text cells, in [`COLUMNS`] order.
    pub fn cells(&self) -> [String; 13] {
        [
            self.document.clone(),
            self.path.to_owned(),
            self.annotation_id.to_string(),
            self.tag.clone(),
            self.start.to_string(),
            self.end.to_string(),
            self.quote.to_owned(),
            self.note.to_owned(),
            self.coder.to_owned(),
            self.created.to_owned(),
            self.speech.speaker.clone(),
            seconds(self.speech.time_start),
            seconds(self.speech.time_end),
        ]
    }
}

/// Passages in reading order: documents as the project lists them, then by position.
pub fn passages_in_reading_order(project: &Project) -> Vec<&Annotation> {
    let document_order: HashMap<DocId, usize> = project
        .documents
        .iter()
        .enumerate()
        .map(|(index, d)| (d.id, index))
        .collect();
    let mut passages: Vec<&Annotation> = project.annotations.iter().map(|a| &**a).collect();
    passages.sort_by_key(|a| {
        (
            document_order.get(&a.doc).copied().unwrap_or(usize::MAX),
            a.start,
            a.end,
            a.id,
        )
    });
    passages
}

pub fn passage_rows(project: &Project) -> Vec<PassageRow<'_>> {
    let mut rows = Vec::new();
    for annotation in passages_in_reading_order(project) {
        let document = project.document(annotation.doc);
        let speech = Speech::of(project, annotation);
        let row = |tag: String| PassageRow {
            document: super::document_title(project, annotation.doc),
            path: document.map_or("", |d| d.path.as_str()),
            annotation_id: annotation.id,
            tag,
            start: annotation.start,
            end: annotation.end,
            quote: &annotation.quote,
            note: &annotation.note,
            coder: &annotation.coder,
            created: &annotation.created,
            speech: speech.clone(),
        };
        if annotation.tags.is_empty() {
            rows.push(row(String::new()));
        }
        for tag in &annotation.tags {
            rows.push(row(super::tag_name(project, *tag)));
        }
    }
    rows
}

/// How many passages carry each tag, per document.
pub struct CountTable<'a> {
    /// The codebook, in its order: one column each.
    pub tags: Vec<&'a Tag>,
    /// Whether any passage has no tag at all (then the table has a column for those).
    pub has_untagged: bool,
    /// One row per document, in project order.
    pub rows: Vec<CountRow<'a>>,
    /// The whole project.
    pub total: CountRow<'a>,
}

pub struct CountRow<'a> {
    /// `None` for the total row.
    pub document: Option<&'a Document>,
    /// Passages carrying each tag, in `CountTable::tags` order.
    pub per_tag: Vec<usize>,
    pub untagged: usize,
    /// Passages in all (a passage with two tags counts once here).
    pub passages: usize,
}

impl<'a> CountRow<'a> {
    fn empty(document: Option<&'a Document>, tags: usize) -> Self {
        Self {
            document,
            per_tag: vec![0; tags],
            untagged: 0,
            passages: 0,
        }
    }

    fn add(&mut self, annotation: &Annotation, tag_columns: &HashMap<u32, usize>) {
        self.passages += 1;
        if annotation.tags.is_empty() {
            self.untagged += 1;
        }
        for tag in &annotation.tags {
            if let Some(&column) = tag_columns.get(tag) {
                self.per_tag[column] += 1;
            }
        }
    }
}

pub fn count_table(project: &Project) -> CountTable<'_> {
    let tags: Vec<&Tag> = project.codebook.iter().collect();
    let tag_columns: HashMap<u32, usize> = tags
        .iter()
        .enumerate()
        .map(|(column, t)| (t.id, column))
        .collect();
    let mut rows: Vec<CountRow> = project
        .documents
        .iter()
        .map(|d| CountRow::empty(Some(d), tags.len()))
        .collect();
    let row_of: HashMap<DocId, usize> = project
        .documents
        .iter()
        .enumerate()
        .map(|(index, d)| (d.id, index))
        .collect();
    let mut total = CountRow::empty(None, tags.len());
    for annotation in &project.annotations {
        if let Some(&row) = row_of.get(&annotation.doc) {
            rows[row].add(annotation, &tag_columns);
        }
        total.add(annotation, &tag_columns);
    }
    CountTable {
        tags,
        has_untagged: total.untagged > 0,
        rows,
        total,
    }
}
