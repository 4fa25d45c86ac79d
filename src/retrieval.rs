//! Retrieval: the coded passages of a whole project, filtered by tags, document, the
//! documents' attributes, words and a query between two tags ([`query`]), sorted by any
//! column — the "coded segments" table researchers work from.

pub mod answers;
pub mod query;

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use crate::attributes::DocumentFilter;
use crate::model::{Annotation, DocId, DocumentText, Project, TagId};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TagMatch {
    /// Passages with at least one of the chosen tags.
    #[default]
    Any,
    /// Passages with every chosen tag (co-occurrence).
    All,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PassageFilter {
    pub tags: Vec<TagId>,
    pub tag_match: TagMatch,
    pub document: Option<DocId>,
    /// Words looked for, without regard to case, in the quote, the note and the coder.
    pub text: String,
    pub untagged_only: bool,
    /// Documents chosen by their attributes, in the syntax of `stats --documents`
    /// (`outlet=Telegraph,year>=2020`); empty: every document.
    pub documents: String,
    /// Passages of one tag with (or without) another tag on, over or near them.
    pub query: Option<query::Query>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortColumn {
    #[default]
    Document,
    /// Who said the passage in a transcript, and when.
    Speaker,
    Tags,
    Passage,
    Note,
    Coder,
    Created,
}

impl SortColumn {
    pub const ALL: [SortColumn; 7] = [
        SortColumn::Document,
        SortColumn::Speaker,
        SortColumn::Tags,
        SortColumn::Passage,
        SortColumn::Note,
        SortColumn::Coder,
        SortColumn::Created,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SortColumn::Document => "Document",
            SortColumn::Speaker => "Speaker",
            SortColumn::Tags => "Tags",
            SortColumn::Passage => "Passage",
            SortColumn::Note => "Note",
            SortColumn::Coder => "Coder",
            SortColumn::Created => "Created",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    pub column: SortColumn,
    pub ascending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Self {
            column: SortColumn::Document,
            ascending: true,
        }
    }
}

impl PassageFilter {
    /// Whether a passage passes the tags, document and words filters (`folded_text`: the
    /// words, lower case); the attribute filter and the query need a [`Prepared`] filter.
    pub fn matches(&self, annotation: &Annotation, folded_text: &str) -> bool {
        self.matches_tags(annotation) && self.matches_except_tags(annotation, folded_text)
    }

    fn matches_tags(&self, annotation: &Annotation) -> bool {
        let has = |t: &TagId| annotation.tags.contains(t);
        self.tags.is_empty()
            || match self.tag_match {
                TagMatch::Any => self.tags.iter().any(has),
                TagMatch::All => self.tags.iter().all(has),
            }
    }

    fn matches_except_tags(&self, annotation: &Annotation, folded_text: &str) -> bool {
        if self.untagged_only && !annotation.tags.is_empty() {
            return false;
        }
        if self.document.is_some_and(|d| d != annotation.doc) {
            return false;
        }
        folded_text.is_empty()
            || [&annotation.quote, &annotation.note, &annotation.coder]
                .iter()
                .any(|field| lowercase(field).contains(folded_text))
    }
}

/// Lower case for comparing without regard to case, as the text filter does.
pub fn lowercase(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// A filter made ready for one project: the documents its attribute filter lets through
/// and the passages its query keeps, worked out once.
pub struct Prepared<'f> {
    filter: &'f PassageFilter,
    folded: String,
    documents: Option<HashSet<DocId>>,
    query: Option<Vec<bool>>,
    /// Why part of the filter does not apply: an attribute filter that does not read (then
    /// every document passes), documents whose paragraphs are unknown.
    pub problems: Vec<String>,
}

impl<'f> Prepared<'f> {
    /// `text` gives a document's text (for the query's paragraphs; `None`: unknown).
    pub fn new<'t>(
        project: &Project,
        filter: &'f PassageFilter,
        text: &dyn Fn(DocId) -> Option<&'t DocumentText>,
    ) -> Self {
        let mut problems = Vec::new();
        let documents = if filter.documents.trim().is_empty() {
            None
        } else {
            match DocumentFilter::parse(project, &filter.documents) {
                Ok(chosen) => Some(chosen.documents(project).into_iter().collect()),
                Err(error) => {
                    problems.push(format!("The documents filter does not read: {error}"));
                    None
                }
            }
        };
        let query = filter.query.as_ref().map(|q| {
            let matches = query::evaluate(project, q, text);
            if !matches.without_text.is_empty() {
                problems.push(format!(
                    "{} document(s) could not be read: there, near means overlapping",
                    matches.without_text.len()
                ));
            }
            matches.keep
        });
        Self {
            filter,
            folded: lowercase(filter.text.trim()),
            documents,
            query,
            problems,
        }
    }

    /// Whether the passage at `index` of `project.annotations` passes; `ignore_tags` leaves
    /// the any/all tag choice out (to count what each tag button would show).
    pub fn matches(&self, index: usize, annotation: &Annotation, ignore_tags: bool) -> bool {
        if self
            .documents
            .as_ref()
            .is_some_and(|d| !d.contains(&annotation.doc))
        {
            return false;
        }
        if self
            .query
            .as_ref()
            .is_some_and(|keep| !keep.get(index).copied().unwrap_or(false))
        {
            return false;
        }
        (ignore_tags || self.filter.matches_tags(annotation))
            && self.filter.matches_except_tags(annotation, &self.folded)
    }
}

/// Indices into `project.annotations` of the passages that pass `filter`, in `sort` order
/// (paragraphs unknown: a "same paragraph" query counts overlapping passages).
pub fn passages(project: &Project, filter: &PassageFilter, sort: Sort) -> Vec<usize> {
    sorted_rows(project, &Prepared::new(project, filter, &|_| None), sort)
}

/// Indices into `project.annotations` of the passages that pass `prepared`, in `sort` order.
pub fn sorted_rows(project: &Project, prepared: &Prepared, sort: Sort) -> Vec<usize> {
    let mut rows: Vec<usize> = project
        .annotations
        .iter()
        .enumerate()
        .filter(|(i, a)| prepared.matches(*i, a, false))
        .map(|(i, _)| i)
        .collect();
    let document_rank: HashMap<DocId, usize> = project
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id, i))
        .collect();
    let tag_rank = project.codebook_positions();
    let in_reading_order = |a: &Annotation, b: &Annotation| {
        let rank = |d: DocId| document_rank.get(&d).copied().unwrap_or(usize::MAX);
        (rank(a.doc), a.start, a.end, a.id).cmp(&(rank(b.doc), b.start, b.end, b.id))
    };
    let compare = |a: &Annotation, b: &Annotation| -> Ordering {
        let by_column = match sort.column {
            SortColumn::Document => Ordering::Equal,
            SortColumn::Speaker => {
                let speaker =
                    |x: &Annotation| lowercase(&crate::export::Speech::of(project, x).speaker);
                speaker(a).cmp(&speaker(b))
            }
            SortColumn::Tags => {
                let ranks = |x: &Annotation| -> Vec<usize> {
                    x.tags
                        .iter()
                        .map(|t| tag_rank.get(t).copied().unwrap_or(usize::MAX))
                        .collect()
                };
                ranks(a).cmp(&ranks(b))
            }
            SortColumn::Passage => lowercase(&a.quote).cmp(&lowercase(&b.quote)),
            SortColumn::Note => lowercase(&a.note).cmp(&lowercase(&b.note)),
            SortColumn::Coder => lowercase(&a.coder).cmp(&lowercase(&b.coder)),
            SortColumn::Created => a.created.cmp(&b.created),
        };
        let ordering = by_column.then_with(|| in_reading_order(a, b));
        if sort.ascending {
            ordering
        } else {
            ordering.reverse()
        }
    };
    let annotations = &project.annotations;
    rows.sort_by(|x, y| compare(&annotations[*x], &annotations[*y]));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Project {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
        crate::store::load_project(&path).expect("the sample project loads")
    }

    fn ids(project: &Project, rows: &[usize]) -> Vec<u32> {
        rows.iter().map(|r| project.annotations[*r].id).collect()
    }

    #[test]
    fn filters_by_any_or_all_tags_document_and_words() {
        let project = sample();
        let all = passages(&project, &PassageFilter::default(), Sort::default());
        assert_eq!(all.len(), project.annotations.len());

        let statistic = PassageFilter {
            tags: vec![2, 4],
            ..Default::default()
        };
        let any = passages(&project, &statistic, Sort::default());
        assert!(ids(&project, &any).iter().all(|id| {
            let tags = &project.annotation(*id).unwrap().tags;
            tags.contains(&2) || tags.contains(&4)
        }));
        let both = PassageFilter {
            tag_match: TagMatch::All,
            ..statistic.clone()
        };
        let both = passages(&project, &both, Sort::default());
        assert!(both.len() < any.len());
        assert!(both.iter().all(|r| {
            let tags = &project.annotations[*r].tags;
            tags.contains(&2) && tags.contains(&4)
        }));

        let words = PassageFilter {
            text: "PER CENT".into(),
            ..Default::default()
        };
        let found = passages(&project, &words, Sort::default());
        assert!(!found.is_empty());
        assert!(found.iter().all(|r| {
            let a = &project.annotations[*r];
            (a.quote.to_lowercase() + &a.note.to_lowercase()).contains("per cent")
        }));

        let first_doc = project.documents[0].id;
        let in_doc = PassageFilter {
            document: Some(first_doc),
            ..Default::default()
        };
        let rows = passages(&project, &in_doc, Sort::default());
        assert_eq!(rows.len(), project.annotations_of(first_doc).count());
    }

    #[test]
    fn a_query_combines_with_the_documents_filter() {
        let project = sample();
        let (a, b) = (project.codebook[0].id, project.codebook[1].id);
        let q = query::Query {
            tag: a,
            other: b,
            relation: query::Relation::Overlapping,
            without: true,
        };
        let keep = query::evaluate(&project, &q, &|_| None).keep;
        let first_doc = project.documents[0].id;
        let filter = PassageFilter {
            documents: format!("document={first_doc}"),
            query: Some(q),
            ..Default::default()
        };
        let rows = passages(&project, &filter, Sort::default());
        let expected: Vec<usize> = (0..project.annotations.len())
            .filter(|i| keep[*i] && project.annotations[*i].doc == first_doc)
            .collect();
        assert!(!expected.is_empty(), "the sample has such passages");
        assert_eq!(rows, expected);
        assert!(rows.iter().all(|r| {
            let tags = &project.annotations[*r].tags;
            tags.contains(&a) && !tags.contains(&b)
        }));

        // A filter that does not read lets every document through and says why.
        let bad = PassageFilter {
            documents: "colour=red".into(),
            ..Default::default()
        };
        let prepared = Prepared::new(&project, &bad, &|_| None);
        assert_eq!(prepared.problems.len(), 1);
        assert!(prepared.problems[0].contains("colour"));
        assert_eq!(
            sorted_rows(&project, &prepared, Sort::default()).len(),
            project.annotations.len()
        );
    }

    #[test]
    fn sorts_by_any_column_both_ways() {
        let project = sample();
        let by_quote = Sort {
            column: SortColumn::Passage,
            ascending: true,
        };
        let rows = passages(&project, &PassageFilter::default(), by_quote);
        let quotes: Vec<String> = rows
            .iter()
            .map(|r| project.annotations[*r].quote.to_lowercase())
            .collect();
        assert!(quotes.windows(2).all(|w| w[0] <= w[1]));
        let descending = passages(
            &project,
            &PassageFilter::default(),
            Sort {
                ascending: false,
                ..by_quote
            },
        );
        let mut reversed = rows.clone();
        reversed.reverse();
        assert_eq!(descending, reversed);
    }
}
