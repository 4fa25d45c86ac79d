//! Frequencies, co-occurrence and cross-tabs by document attribute: the numbers behind
//! `marginalia stats`, the reports' frequency tables and the Analysis view. Pure: a function
//! of the project and its documents' lengths; nothing here reads files.
//!
//! Definitions (issue 11; the co-occurrence matrices are those of MAXQDA's Code Relations
//! Browser, "intersection" and "overlap" of segments, counted as below):
//!
//! - A passage counts when it carries at least one tag of the codebook; a passage whose
//!   tags were all deleted counts nowhere. Spans are clipped to the document's length.
//! - per tag: `passages` carrying it, `documents` with at least one of them, `characters`
//!   covered by them (a character covered by two of its passages counts once), `share` =
//!   characters / the characters of all documents considered.
//! - per document: its `passages`, the `characters` they cover (each once), and passages
//!   per tag.
//! - `same_passage[i][j]`: passages carrying both tag i and tag j; the diagonal: passages
//!   carrying tag i.
//! - `overlapping[i][j]`, i ≠ j: unordered pairs of two different passages of one document
//!   whose spans share at least one character, one carrying tag i and the other tag j (a
//!   pair counts once in a cell, even when each carries both); the diagonal is 0.
//! - `by`: per value of one attribute (or per bin of a number or date attribute), the
//!   documents with that value and passages per tag; documents without a value form a
//!   group of their own (`value: null`). Cases (a transcript's speakers) carry values of
//!   the same attributes: a passage in a turn whose speaker has a value counts under the
//!   speaker's value, any other under its document's; `cases` then counts the cases with
//!   each value ("what the officers said" is the group `role = officer`). `documents_with`
//!   counts, per tag, the group's documents (by their own value) with at least one passage
//!   carrying it: over `documents`, the share of respondents of a survey who said it.
//!
//! Each document is one sweep over its passages sorted by start: the characters per tag are
//! the union of sorted intervals, and only pairs of passages that really overlap are
//! visited (the active passages at a start all contain it).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::model::{Annotation, AttributeId, AttributeKind, DocId, Project, TagId, parse_number};

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The documents considered, in any order (`None`: all of them).
    pub documents: Option<Vec<DocId>>,
    pub by: Option<By>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct By {
    pub attribute: AttributeId,
    /// Bin edges for a number or date attribute, increasing; empty: every distinct value.
    pub bins: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stats {
    pub documents: usize,
    pub characters: usize,
    pub tags: Vec<TagStats>,
    pub per_document: Vec<DocumentStats>,
    pub cooccurrence: Cooccurrence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<ByStats>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TagStats {
    pub tag: String,
    #[serde(skip)]
    pub id: TagId,
    #[serde(skip)]
    pub color: String,
    pub passages: usize,
    pub documents: usize,
    pub characters: usize,
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentStats {
    pub id: DocId,
    pub title: String,
    /// The document's length in characters.
    pub length: usize,
    pub passages: usize,
    /// Characters covered by its passages, each once.
    pub characters: usize,
    pub tags: TagCounts,
}

/// Counts per tag in codebook order, written as a JSON object `{"quote": 3, …}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TagCounts(pub Vec<(String, usize)>);

impl Serialize for TagCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (tag, count) in &self.0 {
            map.serialize_entry(tag, count)?;
        }
        map.end()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cooccurrence {
    pub tags: Vec<String>,
    pub same_passage: Vec<Vec<usize>>,
    pub overlapping: Vec<Vec<usize>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ByStats {
    pub attribute: String,
    pub kind: &'static str,
    pub values: Vec<ByValue>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ByValue {
    /// The value, or the bin (`< 2000`, `[2000, 2010)`, `>= 2010`); `None`: no value.
    pub value: Option<String>,
    pub documents: usize,
    /// Cases with the value; present only when some case has a value of the attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cases: Option<usize>,
    pub passages: TagCounts,
    /// Per tag, the group's documents with at least one passage carrying it.
    pub documents_with: TagCounts,
}

/// Compute the figures. `lengths` gives each document's length in characters as its text
/// is now; a document missing there counts with the length the project recorded.
pub fn compute(
    project: &Project,
    lengths: &BTreeMap<DocId, usize>,
    options: &Options,
) -> Result<Stats, String> {
    let tag_index = project.codebook_positions();
    let n = project.codebook.len();
    let considered: Vec<&crate::model::Document> = match &options.documents {
        None => project.documents.iter().collect(),
        Some(ids) => project
            .documents
            .iter()
            .filter(|d| ids.contains(&d.id))
            .collect(),
    };
    let mut passages_of: HashMap<DocId, Vec<&Annotation>> = HashMap::new();
    for annotation in &project.annotations {
        if annotation.tags.iter().any(|t| tag_index.contains_key(t)) {
            passages_of
                .entry(annotation.doc)
                .or_default()
                .push(annotation);
        }
    }

    let mut tags: Vec<TagStats> = project
        .codebook
        .iter()
        .map(|t| TagStats {
            tag: t.name.clone(),
            id: t.id,
            color: t.color.clone(),
            passages: 0,
            documents: 0,
            characters: 0,
            share: 0.0,
        })
        .collect();
    let mut same_passage = vec![vec![0; n]; n];
    let mut overlapping = vec![vec![0; n]; n];
    let mut per_document = Vec::with_capacity(considered.len());
    let mut characters = 0;
    let mut sweep = Sweep::new(n);
    for document in &considered {
        let length = lengths.get(&document.id).copied().unwrap_or(document.chars);
        characters += length;
        let mut passages = passages_of.remove(&document.id).unwrap_or_default();
        passages.sort_by_key(|a| (a.start, a.end, a.id));
        let figures = sweep.document(&passages, length, &tag_index, &mut overlapping);
        for passage in &passages {
            let indices = tag_indices(passage, &tag_index);
            for &i in &indices {
                tags[i].passages += 1;
                for &j in &indices {
                    same_passage[i][j] += 1;
                }
            }
        }
        for (i, tag) in tags.iter_mut().enumerate() {
            tag.characters += figures.tag_characters[i];
            tag.documents += usize::from(figures.tag_passages[i] > 0);
        }
        per_document.push(DocumentStats {
            id: document.id,
            title: document.title.clone(),
            length,
            passages: passages.len(),
            characters: figures.coded_characters,
            tags: TagCounts(
                tags.iter()
                    .zip(&figures.tag_passages)
                    .map(|(t, count)| (t.tag.clone(), *count))
                    .collect(),
            ),
        });
    }
    for tag in &mut tags {
        tag.share = if characters == 0 {
            0.0
        } else {
            tag.characters as f64 / characters as f64
        };
    }
    let by = match &options.by {
        Some(by) => Some(by_attribute(project, &considered, by)?),
        None => None,
    };
    Ok(Stats {
        documents: considered.len(),
        characters,
        cooccurrence: Cooccurrence {
            tags: tags.iter().map(|t| t.tag.clone()).collect(),
            same_passage,
            overlapping,
        },
        tags,
        per_document,
        by,
    })
}

/// The codebook positions of a passage's tags, each once.
fn tag_indices(passage: &Annotation, tag_index: &HashMap<TagId, usize>) -> Vec<usize> {
    let mut indices: Vec<usize> = passage
        .tags
        .iter()
        .filter_map(|t| tag_index.get(t).copied())
        .collect();
    indices.sort_unstable();
    indices.dedup();
    indices
}

struct DocumentFigures {
    tag_passages: Vec<usize>,
    tag_characters: Vec<usize>,
    coded_characters: usize,
}

/// Buffers reused from one document to the next.
struct Sweep {
    covered_until: Vec<usize>,
    active: Vec<(usize, Vec<usize>)>,
    cells: Vec<(usize, usize)>,
}

impl Sweep {
    fn new(tags: usize) -> Self {
        Self {
            covered_until: vec![0; tags],
            active: Vec::new(),
            cells: Vec::new(),
        }
    }

    /// One pass over `passages`, sorted by start: characters per tag and in all, and the
    /// overlapping pairs added to `overlapping`.
    fn document(
        &mut self,
        passages: &[&Annotation],
        length: usize,
        tag_index: &HashMap<TagId, usize>,
        overlapping: &mut [Vec<usize>],
    ) -> DocumentFigures {
        let n = self.covered_until.len();
        let mut figures = DocumentFigures {
            tag_passages: vec![0; n],
            tag_characters: vec![0; n],
            coded_characters: 0,
        };
        self.covered_until.fill(0);
        self.active.clear();
        let mut all_covered_until = 0;
        for passage in passages {
            let indices = tag_indices(passage, tag_index);
            let (start, end) = (passage.start.min(length), passage.end.min(length));
            for &i in &indices {
                figures.tag_passages[i] += 1;
                let from = start.max(self.covered_until[i]);
                if end > from {
                    figures.tag_characters[i] += end - from;
                    self.covered_until[i] = end;
                }
            }
            let from = start.max(all_covered_until);
            if end > from {
                figures.coded_characters += end - from;
                all_covered_until = end;
            }
            if passage.start >= passage.end {
                continue;
            }
            // Every passage still active contains `passage.start`, so shares a character.
            self.active
                .retain(|(active_end, _)| *active_end > passage.start);
            for (_, other) in &self.active {
                self.cells.clear();
                for &i in &indices {
                    for &j in other {
                        if i != j {
                            self.cells.push((i.min(j), i.max(j)));
                        }
                    }
                }
                self.cells.sort_unstable();
                self.cells.dedup();
                for &(i, j) in &self.cells {
                    overlapping[i][j] += 1;
                    overlapping[j][i] += 1;
                }
            }
            self.active.push((passage.end, indices));
        }
        figures
    }
}

fn by_attribute(
    project: &Project,
    considered: &[&crate::model::Document],
    by: &By,
) -> Result<ByStats, String> {
    let attribute = project
        .attribute(by.attribute)
        .ok_or_else(|| format!("there is no attribute with id {}", by.attribute))?;
    let kind = &attribute.kind;
    let valued_cases: Vec<&crate::model::Case> = project
        .cases
        .iter()
        .filter(|c| c.attributes.contains_key(&attribute.id))
        .collect();
    let values = considered
        .iter()
        .map(|d| &d.attributes)
        .chain(valued_cases.iter().map(|c| &c.attributes))
        .filter_map(|values| values.get(&attribute.id).map(String::as_str));
    let group_of = grouping(kind, &by.bins, values)
        .map_err(|e| format!("--bins for {:?}: {e}", attribute.name))?;
    let n = project.codebook.len();
    struct Group {
        value: Option<String>,
        documents: usize,
        cases: usize,
        passages: Vec<usize>,
        documents_with: Vec<usize>,
    }
    let mut groups: Vec<Group> = group_of
        .labels
        .iter()
        .map(|label| Group {
            value: Some(label.clone()),
            documents: 0,
            cases: 0,
            passages: vec![0; n],
            documents_with: vec![0; n],
        })
        .chain([Group {
            value: None,
            documents: 0,
            cases: 0,
            passages: vec![0; n],
            documents_with: vec![0; n],
        }])
        .collect();
    let without = groups.len() - 1;
    let group_index = |value: Option<&String>| value.map_or(without, |v| (group_of.index)(v));
    let tag_index = project.codebook_positions();
    let mut considered_by_id: HashMap<DocId, &crate::model::Document> = HashMap::new();
    for document in considered {
        groups[group_index(document.attributes.get(&attribute.id))].documents += 1;
        considered_by_id.insert(document.id, document);
    }
    for case in &valued_cases {
        groups[group_index(case.attributes.get(&attribute.id))].cases += 1;
    }
    // Each passage counts under its own value; each document notes which tags its passages
    // carry, for the share of documents per tag.
    let mut carried: HashMap<DocId, Vec<bool>> = HashMap::new();
    for passage in &project.annotations {
        let Some(document) = considered_by_id.get(&passage.doc) else {
            continue;
        };
        let indices = tag_indices(passage, &tag_index);
        let present = carried.entry(document.id).or_insert_with(|| vec![false; n]);
        for &i in &indices {
            present[i] = true;
        }
        let speaker_value = document
            .turn_at(passage.start)
            .and_then(|turn| turn.speaker)
            .and_then(|speaker| project.case(speaker))
            .and_then(|case| case.attributes.get(&attribute.id));
        let value = speaker_value.or_else(|| document.attributes.get(&attribute.id));
        let group = &mut groups[group_index(value)];
        for i in indices {
            group.passages[i] += 1;
        }
    }
    for (doc, present) in &carried {
        let document = considered_by_id[doc];
        let group = &mut groups[group_index(document.attributes.get(&attribute.id))];
        for (count, here) in group.documents_with.iter_mut().zip(present) {
            *count += usize::from(*here);
        }
    }
    let unvalued = &groups[without];
    if unvalued.documents == 0 && unvalued.passages.iter().all(|c| *c == 0) {
        groups.pop();
    }
    let names: Vec<&str> = project.codebook.iter().map(|t| t.name.as_str()).collect();
    let counts_cases = !valued_cases.is_empty();
    Ok(ByStats {
        attribute: attribute.name.clone(),
        kind: kind.name(),
        values: groups
            .into_iter()
            .map(|group| ByValue {
                value: group.value,
                documents: group.documents,
                cases: counts_cases.then_some(group.cases),
                passages: TagCounts(
                    names
                        .iter()
                        .map(|n| (*n).to_owned())
                        .zip(group.passages)
                        .collect(),
                ),
                documents_with: TagCounts(
                    names
                        .iter()
                        .map(|n| (*n).to_owned())
                        .zip(group.documents_with)
                        .collect(),
                ),
            })
            .collect(),
    })
}

/// The groups' labels in order, and which group a value falls in.
struct Grouping<'a> {
    labels: Vec<String>,
    index: Box<dyn Fn(&str) -> usize + 'a>,
}

/// `values`: every value the documents and cases considered hold.
fn grouping<'a, 'v>(
    kind: &AttributeKind,
    bins: &'a [String],
    values: impl Iterator<Item = &'v str>,
) -> Result<Grouping<'a>, String> {
    let as_number = |v: &str| parse_number(v).unwrap_or(f64::NAN);
    if !bins.is_empty() {
        let numeric = match kind {
            AttributeKind::Number => true,
            AttributeKind::Date => false,
            other => {
                return Err(format!(
                    "bins group numbers and dates; this is a {} attribute",
                    other.name()
                ));
            }
        };
        for edge in bins {
            kind.check(edge)?;
        }
        let increasing = bins.windows(2).all(|w| {
            if numeric {
                as_number(&w[0]) < as_number(&w[1])
            } else {
                w[0] < w[1]
            }
        });
        if !increasing {
            return Err("the edges must increase".to_owned());
        }
        let mut labels = vec![format!("< {}", bins[0])];
        labels.extend(bins.windows(2).map(|w| format!("[{}, {})", w[0], w[1])));
        labels.push(format!(">= {}", bins[bins.len() - 1]));
        let index = move |value: &str| {
            if numeric {
                let x = as_number(value);
                bins.partition_point(|edge| as_number(edge) <= x)
            } else {
                bins.partition_point(|edge| edge.as_str() <= value)
            }
        };
        return Ok(Grouping {
            labels,
            index: Box::new(index),
        });
    }
    let mut values: Vec<String> = values.map(str::to_owned).collect();
    match kind {
        AttributeKind::Number => {
            values.sort_by(|a, b| as_number(a).total_cmp(&as_number(b)));
            values.dedup_by(|a, b| as_number(a) == as_number(b));
        }
        AttributeKind::Choice(choices) => {
            let rank = |v: &String| choices.iter().position(|c| c == v).unwrap_or(usize::MAX);
            values.extend(choices.iter().cloned());
            values.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
            values.dedup();
        }
        AttributeKind::Text | AttributeKind::Date => {
            values.sort();
            values.dedup();
        }
    }
    let numeric = matches!(kind, AttributeKind::Number);
    let labels = values.clone();
    let index = move |value: &str| {
        values
            .iter()
            .position(|v| {
                if numeric {
                    as_number(v) == as_number(value)
                } else {
                    v == value
                }
            })
            .expect("every value of a considered document or case has a group")
    };
    Ok(Grouping {
        labels,
        index: Box::new(index),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attribute, Document};

    /// Tags 1 quote, 2 statistic, 3 policy, 4 critique (the default codebook).
    fn project(passages: &[(DocId, usize, usize, &[TagId])]) -> Project {
        let mut project = Project::new("t");
        for (id, chars) in [(1, 100), (2, 50), (3, 30)] {
            project.documents.push(Document {
                turns: Vec::new(),
                direction: Default::default(),
                id,
                path: format!("{id}.txt"),
                title: format!("D{id}"),
                sha256: String::new(),
                chars,
                memo: String::new(),
                origin: None,
                attributes: Default::default(),
            });
        }
        for (index, (doc, start, end, tags)) in passages.iter().enumerate() {
            project.annotations.push(Box::new(Annotation {
                id: index as u32 + 1,
                doc: *doc,
                start: *start,
                end: *end,
                tags: tags.to_vec(),
                ..Default::default()
            }));
        }
        project
    }

    fn stats(project: &Project) -> Stats {
        compute(project, &BTreeMap::new(), &Options::default()).unwrap()
    }

    #[test]
    fn figures_worked_out_by_hand() {
        // D1: quote 0..10 and 5..20 overlap (quote covers 0..20 = 20 characters, not 25);
        //     statistic+policy 8..12 is one passage with two tags, inside both quotes;
        //     critique 30..40 contains policy 32..35 (nested); quote 50..60 stands alone.
        // D2: quote 0..5 and statistic 5..10 touch but share no character.
        // D3: no passages.
        let p = project(&[
            (1, 0, 10, &[1]),
            (1, 5, 20, &[1]),
            (1, 8, 12, &[2, 3]),
            (1, 30, 40, &[4]),
            (1, 32, 35, &[3]),
            (1, 50, 60, &[1]),
            (2, 0, 5, &[1]),
            (2, 5, 10, &[2]),
        ]);
        let s = stats(&p);
        assert_eq!((s.documents, s.characters), (3, 180));
        let row = |name: &str| {
            let t = s.tags.iter().find(|t| t.tag == name).unwrap();
            (t.passages, t.documents, t.characters)
        };
        assert_eq!(row("quote"), (4, 2, 20 + 10 + 5));
        assert_eq!(row("statistic"), (2, 2, 4 + 5));
        assert_eq!(row("policy"), (2, 1, 4 + 3));
        assert_eq!(row("critique"), (1, 1, 10));
        assert!((s.tags[0].share - 35.0 / 180.0).abs() < 1e-12);

        assert_eq!(
            s.cooccurrence.same_passage,
            vec![
                vec![4, 0, 0, 0],
                vec![0, 2, 1, 0],
                vec![0, 1, 2, 0],
                vec![0, 0, 0, 1],
            ]
        );
        // Overlapping pairs: (q0..10, q5..20) quote–quote: diagonal, not counted;
        // (q0..10, sp8..12) and (q5..20, sp8..12): quote–statistic 2, quote–policy 2;
        // (c30..40, p32..35): critique–policy 1. D2's passages only touch.
        assert_eq!(
            s.cooccurrence.overlapping,
            vec![
                vec![0, 2, 2, 0],
                vec![2, 0, 0, 0],
                vec![2, 0, 0, 1],
                vec![0, 0, 1, 0],
            ]
        );

        let d1 = &s.per_document[0];
        assert_eq!(
            (d1.passages, d1.characters, d1.length),
            (6, 20 + 10 + 10, 100)
        );
        assert_eq!(
            d1.tags.0,
            vec![
                ("quote".to_owned(), 3),
                ("statistic".to_owned(), 1),
                ("policy".to_owned(), 2),
                ("critique".to_owned(), 1)
            ]
        );
        let d3 = &s.per_document[2];
        assert_eq!((d3.passages, d3.characters), (0, 0));
        assert!(d3.tags.0.iter().all(|(_, n)| *n == 0));
    }

    #[test]
    fn a_pair_counts_once_per_cell_even_when_both_carry_both_tags() {
        let p = project(&[(1, 0, 10, &[1, 2]), (1, 5, 15, &[1, 2]), (1, 12, 20, &[2])]);
        let s = stats(&p);
        // Pairs: (1,2) overlap → quote–statistic once; (2,3) overlap → quote–statistic once
        // (passage 2 carries quote, passage 3 statistic); (1,3) do not overlap.
        assert_eq!(s.cooccurrence.overlapping[0][1], 2);
        assert_eq!(s.cooccurrence.overlapping[1][0], 2);
        assert_eq!(s.cooccurrence.same_passage[0][1], 2);
        assert_eq!(s.tags[1].characters, 20);
    }

    #[test]
    fn untagged_passages_and_spans_past_the_end_are_handled() {
        let p = project(&[(3, 20, 45, &[1]), (3, 0, 5, &[])]);
        let mut lengths = BTreeMap::new();
        lengths.insert(3, 25);
        let s = compute(&p, &lengths, &Options::default()).unwrap();
        assert_eq!(s.per_document[2].passages, 1);
        assert_eq!(
            s.per_document[2].characters, 5,
            "clipped to the text's 25 characters"
        );
        assert_eq!(s.characters, 100 + 50 + 25);
    }

    fn with_attribute(kind: AttributeKind, values: &[Option<&str>]) -> Project {
        let mut p = project(&[(1, 0, 10, &[1]), (1, 20, 30, &[1, 2]), (2, 0, 5, &[2])]);
        p.attributes.push(Attribute {
            id: 1,
            name: "year".into(),
            kind,
            description: String::new(),
        });
        for (document, value) in p.documents.iter_mut().zip(values) {
            if let Some(value) = value {
                document.attributes.insert(1, (*value).to_owned());
            }
        }
        p
    }

    /// Every document, grouped by attribute 1's values.
    fn by_attribute_1() -> Options {
        Options {
            documents: None,
            by: Some(By {
                attribute: 1,
                bins: Vec::new(),
            }),
        }
    }

    /// The groups of `stats --by` attribute 1 over the whole project.
    fn groups_by_attribute_1(project: &Project) -> Vec<ByValue> {
        compute(project, &BTreeMap::new(), &by_attribute_1())
            .unwrap()
            .by
            .unwrap()
            .values
    }

    /// Per group: value, documents, quote passages, statistic passages.
    type Groups = Vec<(Option<String>, usize, usize, usize)>;

    fn by(p: &Project, bins: &[&str]) -> Result<Groups, String> {
        let options = Options {
            by: Some(By {
                attribute: 1,
                bins: bins.iter().map(|b| (*b).to_owned()).collect(),
            }),
            ..by_attribute_1()
        };
        let s = compute(p, &BTreeMap::new(), &options)?;
        Ok(s.by
            .unwrap()
            .values
            .into_iter()
            .map(|v| (v.value, v.documents, v.passages.0[0].1, v.passages.0[1].1))
            .collect())
    }

    #[test]
    fn a_passage_in_a_speaker_s_turn_counts_under_the_speaker_s_value() {
        // Document 1 is a focus group: an officer speaks in 0..40, a member of staff in
        // 40..100. Document 2 is one officer's interview, its role set on the document;
        // document 3 has no value.
        let mut p = with_attribute(
            AttributeKind::Choice(vec!["officer".into(), "staff".into()]),
            &[None, Some("officer"), None],
        );
        p.annotations.push(Box::new(Annotation {
            id: 10,
            doc: 1,
            start: 45,
            end: 60,
            tags: vec![2],
            ..Default::default()
        }));
        p.sort_annotations();
        let case = |id, name: &str, role: &str| crate::model::Case {
            id,
            name: name.to_owned(),
            attributes: [(1, role.to_owned())].into_iter().collect(),
            memo: String::new(),
        };
        p.cases = vec![case(1, "Dana", "officer"), case(2, "Eli", "staff")];
        let turn = |start, end, speaker| crate::model::Turn {
            start,
            end,
            speaker: Some(speaker),
            time_start: None,
            time_end: None,
        };
        p.documents[0].turns = vec![turn(0, 18, 1), turn(20, 100, 2)];
        let groups = groups_by_attribute_1(&p);
        // Per group: value, documents, cases, quote passages, statistic passages.
        type Summary<'a> = (Option<&'a str>, usize, Option<usize>, usize, usize);
        let summary: Vec<Summary> = groups
            .iter()
            .map(|g| {
                (
                    g.value.as_deref(),
                    g.documents,
                    g.cases,
                    g.passages.0[0].1,
                    g.passages.0[1].1,
                )
            })
            .collect();
        // Passages: (1, 0..10, quote) in Dana's turn; (1, 20..30, quote+statistic) and
        // (1, 45..60, statistic) in Eli's; (2, 0..5, statistic) in the officer's interview.
        assert_eq!(
            summary,
            [
                (Some("officer"), 1, Some(1), 1, 1),
                (Some("staff"), 0, Some(1), 1, 2),
                (None, 2, Some(0), 0, 0),
            ]
        );
        let json = serde_json::to_value(&groups[0]).unwrap();
        assert_eq!(json["cases"], 1);
        // Without values on cases, the groups are the documents' as before, without `cases`.
        p.cases.iter_mut().for_each(|c| c.attributes.clear());
        let groups = groups_by_attribute_1(&p);
        assert!(groups.iter().all(|g| g.cases.is_none()));
        assert!(
            serde_json::to_value(&groups[0])
                .unwrap()
                .get("cases")
                .is_none()
        );
    }

    #[test]
    fn the_share_of_documents_saying_something_is_counted_per_value() {
        // Three respondents in the North, one in the South: two northerners' answers carry
        // quote (one of them twice), the southerner's statistic.
        let mut p = project(&[
            (1, 0, 10, &[1]),
            (1, 20, 30, &[1, 2]),
            (2, 0, 5, &[1]),
            (3, 0, 5, &[2]),
        ]);
        p.documents.push(crate::model::Document {
            id: 4,
            title: "D4".into(),
            path: "4.txt".into(),
            ..p.documents[2].clone()
        });
        p.attributes.push(Attribute {
            id: 1,
            name: "region".into(),
            kind: AttributeKind::Text,
            description: String::new(),
        });
        for (document, region) in p
            .documents
            .iter_mut()
            .zip(["North", "North", "South", "North"])
        {
            document.attributes.insert(1, region.to_owned());
        }
        let groups = groups_by_attribute_1(&p);
        let north = &groups[0];
        assert_eq!(north.value.as_deref(), Some("North"));
        assert_eq!(north.documents, 3);
        assert_eq!(north.passages.0[0].1, 3, "three passages carry quote");
        assert_eq!(
            north.documents_with.0[0].1, 2,
            "in two of the three documents"
        );
        assert_eq!(north.documents_with.0[1].1, 1);
        let south = &groups[1];
        assert_eq!(south.documents_with.0[1], ("statistic".to_owned(), 1));
        assert_eq!(south.documents_with.0[0].1, 0);
    }

    #[test]
    fn by_attribute_with_a_missing_value() {
        let p = with_attribute(AttributeKind::Number, &[Some("2020"), None, Some("2020.0")]);
        assert_eq!(
            by(&p, &[]).unwrap(),
            vec![(Some("2020".into()), 2, 2, 1), (None, 1, 0, 1)]
        );
        let p = with_attribute(
            AttributeKind::Number,
            &[Some("1999"), Some("2005"), Some("2030")],
        );
        assert_eq!(
            by(&p, &["2000", "2010"]).unwrap(),
            vec![
                (Some("< 2000".into()), 1, 2, 1),
                (Some("[2000, 2010)".into()), 1, 0, 1),
                (Some(">= 2010".into()), 1, 0, 0)
            ]
        );
        assert!(by(&p, &["2010", "2000"]).unwrap_err().contains("increase"));
        let p = with_attribute(
            AttributeKind::Choice(vec!["b".into(), "a".into(), "c".into()]),
            &[Some("a"), Some("b"), None],
        );
        let groups: Vec<Option<String>> = by(&p, &[]).unwrap().into_iter().map(|g| g.0).collect();
        assert_eq!(
            groups,
            vec![Some("b".into()), Some("a".into()), Some("c".into()), None]
        );
        assert!(by(&p, &["a"]).unwrap_err().contains("choice attribute"));
        let p = with_attribute(
            AttributeKind::Date,
            &[Some("2020-05-01"), Some("2021-01-01"), None],
        );
        assert_eq!(
            by(&p, &["2021-01-01"]).unwrap(),
            vec![
                (Some("< 2021-01-01".into()), 1, 2, 1),
                (Some(">= 2021-01-01".into()), 1, 0, 1),
                (None, 1, 0, 0)
            ]
        );
    }

    #[test]
    fn a_subset_of_documents_is_all_that_counts() {
        let p = project(&[(1, 0, 10, &[1]), (2, 0, 5, &[1])]);
        let options = Options {
            documents: Some(vec![2]),
            by: None,
        };
        let s = compute(&p, &BTreeMap::new(), &options).unwrap();
        assert_eq!((s.documents, s.characters), (1, 50));
        assert_eq!((s.tags[0].passages, s.tags[0].characters), (1, 5));
        assert_eq!(s.per_document.len(), 1);
    }

    #[test]
    fn json_has_the_documented_shape() {
        let p = project(&[(1, 0, 10, &[1, 2])]);
        let json = serde_json::to_value(stats(&p)).unwrap();
        assert_eq!(json["tags"][0]["tag"], "quote");
        assert_eq!(json["per_document"][0]["tags"]["statistic"], 1);
        assert_eq!(json["cooccurrence"]["same_passage"][0][1], 1);
        assert!(json.get("by").is_none());
    }
}
