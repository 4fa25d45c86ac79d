//! Two coders' passages in one document, tag by tag: the passages both made exactly alike,
//! the stretches where they differ, and the edits that settle a difference into a third,
//! consensus coder's passages. The document view's compare mode is drawn from this; the
//! measures of agreement are elsewhere in this module.
//!
//! A *difference* is a maximal stretch of text covered by passages carrying the tag that
//! were not matched exactly by the other coder (same start, same end), chained by overlap:
//! one coder's passage with nothing of the other's, or two passages that cover the same
//! sentence with different bounds. Settling it copies the chosen coder's passages (or both
//! coders') into the consensus coder's passages, as one undoable batch of edits.

use std::ops::Range;

use crate::edit::Edit;
use crate::model::{Annotation, AnnotationId, DocId, Project, TagId};

/// Passages of both coders with the same tag and exactly the same span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreed {
    pub tag: TagId,
    pub chars: Range<usize>,
    pub first: AnnotationId,
    pub second: AnnotationId,
}

/// A stretch where the two coders coded a tag differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub tag: TagId,
    /// From the first passage's start to the last one's end.
    pub chars: Range<usize>,
    /// The passages of the first and of the second coder in it (either may be empty),
    /// with their spans.
    pub first: Vec<CodedSpan>,
    pub second: Vec<CodedSpan>,
}

/// A passage in a comparison: its id and span (with the document, the key that finds it by
/// binary search).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodedSpan {
    pub id: AnnotationId,
    pub chars: Range<usize>,
}

/// Which coder's passages a difference is settled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settlement {
    First,
    Second,
    Both,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    pub agreed: Vec<Agreed>,
    /// In reading order (start, end, then the codebook's order of tags).
    pub differences: Vec<Difference>,
}

/// Compare `first`'s and `second`'s passages in `doc`, for every tag of the codebook or for
/// `only_tag`.
pub fn compare(
    project: &Project,
    doc: DocId,
    first: &str,
    second: &str,
    only_tag: Option<TagId>,
) -> Comparison {
    let passages = project.annotations_slice_of(doc);
    let mut comparison = Comparison::default();
    for tag in project.codebook.iter().map(|t| t.id) {
        if only_tag.is_some_and(|only| only != tag) {
            continue;
        }
        let of = |coder: &str| -> Vec<(usize, usize, AnnotationId)> {
            passages
                .iter()
                .filter(|a| a.coder == coder && a.tags.contains(&tag) && a.start < a.end)
                .map(|a| (a.start, a.end, a.id))
                .collect()
        };
        // The slice is sorted by (start, end, id), so both lists are too.
        let (ones, others) = (of(first), of(second));
        let (mut i, mut j) = (0, 0);
        let mut unmatched: Vec<(usize, usize, AnnotationId, bool)> = Vec::new();
        while i < ones.len() || j < others.len() {
            let one = ones.get(i);
            let other = others.get(j);
            match (one, other) {
                (Some(a), Some(b)) if (a.0, a.1) == (b.0, b.1) => {
                    comparison.agreed.push(Agreed {
                        tag,
                        chars: a.0..a.1,
                        first: a.2,
                        second: b.2,
                    });
                    i += 1;
                    j += 1;
                }
                (Some(a), b) if b.is_none_or(|b| (a.0, a.1) < (b.0, b.1)) => {
                    unmatched.push((a.0, a.1, a.2, true));
                    i += 1;
                }
                (_, Some(b)) => {
                    unmatched.push((b.0, b.1, b.2, false));
                    j += 1;
                }
                (None, None) | (Some(_), None) => unreachable!("handled above"),
            }
        }
        let mut current: Option<Difference> = None;
        for (start, end, id, is_first) in unmatched {
            let open = match current.as_mut().filter(|d| start < d.chars.end) {
                Some(open) => open,
                None => {
                    comparison.differences.extend(current.take());
                    current.insert(Difference {
                        tag,
                        chars: start..end,
                        first: Vec::new(),
                        second: Vec::new(),
                    })
                }
            };
            open.chars.end = open.chars.end.max(end);
            let side = if is_first {
                &mut open.first
            } else {
                &mut open.second
            };
            side.push(CodedSpan {
                id,
                chars: start..end,
            });
        }
        comparison.differences.extend(current);
    }
    let tag_position = |tag: TagId| project.codebook.iter().position(|t| t.id == tag);
    comparison
        .differences
        .sort_by_key(|d| (d.chars.start, d.chars.end, tag_position(d.tag)));
    comparison
        .agreed
        .sort_by_key(|a| (a.chars.start, a.chars.end, tag_position(a.tag)));
    comparison
}

/// How the consensus coder's passages settle `difference` now, if they match one choice:
/// the tag on exactly the spans of the first coder's passages, the second's, or both's.
pub fn settled_as(
    project: &Project,
    doc: DocId,
    difference: &Difference,
    consensus: &str,
) -> Option<Settlement> {
    let has = |coded: &&CodedSpan| {
        project
            .annotation_at_exact_of(doc, coded.chars.clone(), consensus)
            .is_some_and(|c| c.tags.contains(&difference.tag))
    };
    let first = difference.first.iter().filter(has).count();
    let second = difference.second.iter().filter(has).count();
    let all_first = first == difference.first.len() && !difference.first.is_empty();
    let all_second = second == difference.second.len() && !difference.second.is_empty();
    match (all_first, all_second) {
        (true, true) => Some(Settlement::Both),
        (true, false) if second == 0 => Some(Settlement::First),
        (false, true) if first == 0 => Some(Settlement::Second),
        _ => None,
    }
}

/// The edits that make `consensus`'s passages settle `difference` with `settlement`: any
/// earlier settling of it is taken back first (the tag removed from consensus passages on
/// the spans of either coder's passages there), then the chosen passages are copied (or the
/// tag added to a consensus passage already on that span). `created`: the timestamp of new
/// passages. Empty when nothing changes.
pub fn settle(
    project: &Project,
    doc: DocId,
    difference: &Difference,
    settlement: Settlement,
    consensus: &str,
    created: &str,
) -> Vec<Edit> {
    let source = |coded: &CodedSpan| source_of(project, doc, coded.id, &coded.chars);
    let chosen: Vec<&Annotation> = match settlement {
        Settlement::First => difference.first.iter().filter_map(source).collect(),
        Settlement::Second => difference.second.iter().filter_map(source).collect(),
        Settlement::Both => difference
            .first
            .iter()
            .chain(&difference.second)
            .filter_map(source)
            .collect(),
    };
    let every_span = difference
        .first
        .iter()
        .chain(&difference.second)
        .map(|coded| coded.chars.clone());
    let wanted: Vec<Range<usize>> = chosen.iter().map(|a| a.range()).collect();
    let mut plan = ConsensusPlan::new(project, doc, consensus, created);
    for span in every_span {
        if !wanted.contains(&span) {
            plan.without_tag(span, difference.tag);
        }
    }
    for passage in chosen {
        plan.with_tag(passage, difference.tag);
    }
    plan.edits
}

/// The edits that copy every passage both coders made alike into `consensus`'s passages
/// (those the consensus coder has already are left alone).
pub fn adopt_agreed(
    project: &Project,
    doc: DocId,
    agreed: &[Agreed],
    consensus: &str,
    created: &str,
) -> Vec<Edit> {
    let mut plan = ConsensusPlan::new(project, doc, consensus, created);
    for pair in agreed {
        if let Some(source) = source_of(project, doc, pair.first, &pair.chars) {
            plan.with_tag(source, pair.tag);
        }
    }
    plan.edits
}

/// How many passages both coders made alike the consensus coder does not have yet (with
/// that tag on that span): what [`adopt_agreed`] would copy.
pub fn agreed_not_adopted(
    project: &Project,
    doc: DocId,
    agreed: &[Agreed],
    consensus: &str,
) -> usize {
    agreed
        .iter()
        .filter(|pair| {
            !project
                .annotation_at_exact_of(doc, pair.chars.clone(), consensus)
                .is_some_and(|c| c.tags.contains(&pair.tag))
        })
        .count()
}

/// A compared passage, found by binary search on its span.
fn source_of<'p>(
    project: &'p Project,
    doc: DocId,
    id: AnnotationId,
    chars: &Range<usize>,
) -> Option<&'p Annotation> {
    project.annotation_at_key(id, doc, chars.start, chars.end)
}

/// Edits to the consensus coder's passages, built up span by span so that two changes to
/// one span in the same batch see each other.
struct ConsensusPlan<'a> {
    project: &'a Project,
    doc: DocId,
    consensus: &'a str,
    created: &'a str,
    next_id: AnnotationId,
    /// Tags of consensus passages on a span as this batch leaves them: (span, id, tags).
    touched: Vec<(Range<usize>, Option<AnnotationId>, Vec<TagId>)>,
    edits: Vec<Edit>,
}

impl<'a> ConsensusPlan<'a> {
    fn new(project: &'a Project, doc: DocId, consensus: &'a str, created: &'a str) -> Self {
        Self {
            project,
            doc,
            consensus,
            created,
            next_id: project.next_annotation_id(),
            touched: Vec::new(),
            edits: Vec::new(),
        }
    }

    /// The consensus passage on `span` (as this batch leaves it): its index in `touched`.
    fn slot(&mut self, span: &Range<usize>) -> usize {
        if let Some(at) = self.touched.iter().position(|(s, ..)| s == span) {
            return at;
        }
        let existing = self
            .project
            .annotation_at_exact_of(self.doc, span.clone(), self.consensus);
        self.touched.push((
            span.clone(),
            existing.map(|a| a.id),
            existing.map(|a| a.tags.clone()).unwrap_or_default(),
        ));
        self.touched.len() - 1
    }

    fn without_tag(&mut self, span: Range<usize>, tag: TagId) {
        let at = self.slot(&span);
        let (_, id, tags) = &mut self.touched[at];
        let (Some(id), true) = (*id, tags.contains(&tag)) else {
            return;
        };
        tags.retain(|t| *t != tag);
        if tags.is_empty() {
            self.edits.push(Edit::RemoveAnnotation(id));
            self.touched[at].1 = None;
        } else {
            self.edits.push(Edit::SetAnnotationTags {
                id,
                tags: tags.clone(),
            });
        }
    }

    fn with_tag(&mut self, source: &Annotation, tag: TagId) {
        let at = self.slot(&source.range());
        let order: Vec<TagId> = self.project.codebook.iter().map(|t| t.id).collect();
        let (_, id, tags) = &mut self.touched[at];
        if tags.contains(&tag) {
            return;
        }
        tags.push(tag);
        tags.sort_by_key(|t| order.iter().position(|o| o == t));
        match *id {
            Some(id) => self.edits.push(Edit::SetAnnotationTags {
                id,
                tags: tags.clone(),
            }),
            None => {
                let new_id = self.next_id;
                self.next_id += 1;
                *id = Some(new_id);
                self.edits.push(Edit::AddAnnotation(Annotation {
                    id: new_id,
                    doc: self.doc,
                    start: source.start,
                    end: source.end,
                    tags: tags.clone(),
                    quote: source.quote.clone(),
                    note: String::new(),
                    coder: self.consensus.to_owned(),
                    created: self.created.to_owned(),
                    prefix: source.prefix.clone(),
                    suffix: source.suffix.clone(),
                    conflict: false,
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn project(passages: &[(&str, usize, usize, &[TagId])]) -> Project {
        let mut project = Project::new("t");
        project.documents.push(Document {
            turns: Vec::new(),
            direction: Default::default(),
            id: 1,
            path: "a.txt".into(),
            title: "a".into(),
            sha256: String::new(),
            chars: 100,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        });
        for (i, (coder, start, end, tags)) in passages.iter().enumerate() {
            project.annotations.push(Box::new(Annotation {
                id: i as AnnotationId + 1,
                doc: 1,
                start: *start,
                end: *end,
                tags: tags.to_vec(),
                quote: "x".repeat(end - start),
                note: String::new(),
                coder: (*coder).into(),
                created: String::new(),
                prefix: String::new(),
                suffix: String::new(),
                conflict: false,
            }));
        }
        project.sort_annotations();
        project.sync_id_counters();
        project
    }

    /// The consensus coder's passages: span and tags.
    fn team(project: &Project) -> Vec<(usize, usize, Vec<TagId>)> {
        project
            .annotations
            .iter()
            .filter(|a| a.coder == "team")
            .map(|a| (a.start, a.end, a.tags.clone()))
            .collect()
    }

    fn apply(project: &mut Project, edits: Vec<Edit>) {
        for edit in edits {
            edit.apply(project).unwrap();
        }
    }

    #[test]
    fn exact_matches_agree_and_overlapping_bounds_form_one_difference() {
        // Tag 1: both coded 0..10; ann 20..40 and ben 25..45 disagree on the bounds;
        // ann alone coded 60..70. Tag 2: ben alone coded 0..10.
        let project = project(&[
            ("ann", 0, 10, &[1]),
            ("ben", 0, 10, &[1, 2]),
            ("ann", 20, 40, &[1]),
            ("ben", 25, 45, &[1]),
            ("ann", 60, 70, &[1]),
        ]);
        let comparison = compare(&project, 1, "ann", "ben", None);
        assert_eq!(
            comparison.agreed,
            vec![Agreed {
                tag: 1,
                chars: 0..10,
                first: 1,
                second: 2
            }]
        );
        let found: Vec<_> = comparison
            .differences
            .iter()
            .map(|d| {
                let ids = |side: &[CodedSpan]| side.iter().map(|c| c.id).collect::<Vec<_>>();
                (d.tag, d.chars.clone(), ids(&d.first), ids(&d.second))
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (2, 0..10, vec![], vec![2]),
                (1, 20..45, vec![3], vec![4]),
                (1, 60..70, vec![5], vec![]),
            ]
        );
        let only_tag_2 = compare(&project, 1, "ann", "ben", Some(2));
        assert_eq!(only_tag_2.differences.len(), 1);
        assert!(only_tag_2.agreed.is_empty());
    }

    #[test]
    fn settling_copies_the_chosen_passages_and_can_be_changed() {
        let mut project = project(&[("ann", 20, 40, &[1]), ("ben", 25, 45, &[1])]);
        let difference = compare(&project, 1, "ann", "ben", None).differences[0].clone();
        assert_eq!(settled_as(&project, 1, &difference, "team"), None);

        let edits = settle(&project, 1, &difference, Settlement::First, "team", "now");
        apply(&mut project, edits);
        assert_eq!(team(&project), vec![(20, 40, vec![1])]);
        assert_eq!(
            settled_as(&project, 1, &difference, "team"),
            Some(Settlement::First)
        );

        // Changing one's mind replaces the earlier choice instead of adding to it.
        let edits = settle(&project, 1, &difference, Settlement::Second, "team", "now");
        apply(&mut project, edits);
        assert_eq!(team(&project), vec![(25, 45, vec![1])]);
        assert_eq!(
            settled_as(&project, 1, &difference, "team"),
            Some(Settlement::Second)
        );

        let edits = settle(&project, 1, &difference, Settlement::Both, "team", "now");
        apply(&mut project, edits);
        assert_eq!(
            settled_as(&project, 1, &difference, "team"),
            Some(Settlement::Both)
        );
        // The coders' own passages are never touched.
        assert_eq!(
            project
                .annotations
                .iter()
                .filter(|a| a.coder != "team")
                .count(),
            2
        );
        assert!(
            settle(&project, 1, &difference, Settlement::Both, "team", "now").is_empty(),
            "settled that way already"
        );
    }

    #[test]
    fn a_consensus_passage_on_the_same_span_gains_the_tag_instead_of_a_twin() {
        let mut project = project(&[
            ("ann", 0, 10, &[1, 2]),
            ("ben", 0, 10, &[1]),
            ("team", 0, 10, &[1]),
        ]);
        let comparison = compare(&project, 1, "ann", "ben", None);
        assert!(adopt_agreed(&project, 1, &comparison.agreed, "team", "now").is_empty());
        let difference = comparison.differences[0].clone();
        assert_eq!(difference.tag, 2);
        let edits = settle(&project, 1, &difference, Settlement::First, "team", "now");
        apply(&mut project, edits);
        assert_eq!(team(&project), vec![(0, 10, vec![1, 2])]);
        // Settling with the coder who left it out takes the tag away again.
        let edits = settle(&project, 1, &difference, Settlement::Second, "team", "now");
        apply(&mut project, edits);
        assert_eq!(
            project
                .annotations
                .iter()
                .find(|a| a.coder == "team")
                .map(|a| a.tags.clone()),
            Some(vec![1])
        );
    }

    #[test]
    fn agreed_passages_are_adopted_once() {
        let mut project = project(&[("ann", 0, 10, &[1, 2]), ("ben", 0, 10, &[1, 2])]);
        let comparison = compare(&project, 1, "ann", "ben", None);
        assert_eq!(comparison.agreed.len(), 2);
        let edits = adopt_agreed(&project, 1, &comparison.agreed, "team", "now");
        assert_eq!(
            edits.len(),
            2,
            "one new passage, then the second tag added to it"
        );
        apply(&mut project, edits);
        assert_eq!(team(&project), vec![(0, 10, vec![1, 2])]);
        assert!(adopt_agreed(&project, 1, &comparison.agreed, "team", "now").is_empty());
    }
}
