//! Queries between two tags for the coded-passages table: the passages carrying tag A that
//! also carry tag B, that share text with a passage carrying B, or that lie near one (in the
//! same paragraph, or within some characters) — or, turned around, those that do not ("A
//! without B"). The result can become a code: [`tag_passages`] builds the one edit that
//! gives every passage found a tag, new or existing.
//!
//! Definitions. A passage carrying A and B itself counts as having B on the same passage,
//! overlapping and near (its own text is coded B), so that each relation contains the one
//! before it and "without" is exactly what is left of A:
//!
//! - **same passage**: the passage carries B too.
//! - **overlapping**: some passage of the same document carrying B (itself included) shares
//!   at least one character with it.
//! - **near, same paragraph**: some passage carrying B touches a paragraph (a line of the
//!   text, as the document view shows it) that the passage touches.
//! - **near, within N characters**: some passage carrying B is at most N characters away
//!   (N characters lie between the two, or fewer, or they overlap; N = 0 means touching).
//!
//! One pass per document over its passages, sorted by start as the project keeps them: the
//! passages carrying B become intervals sorted by where they begin, with the furthest end
//! reached so far, so each passage carrying A is one binary search.

use crate::edit::Edit;
use crate::model::{Annotation, DocId, DocumentText, Project, Tag, TagId};

/// How close a passage carrying the other tag must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    /// The passage carries both tags.
    SamePassage,
    /// A passage carrying the other tag shares text with it.
    Overlapping,
    /// A passage carrying the other tag touches one of its paragraphs.
    SameParagraph,
    /// A passage carrying the other tag is at most this many characters away.
    Within(usize),
}

impl Relation {
    pub fn describe(self) -> String {
        match self {
            Relation::SamePassage => "on the same passage".to_owned(),
            Relation::Overlapping => "overlapping".to_owned(),
            Relation::SameParagraph => "near (same paragraph)".to_owned(),
            Relation::Within(n) => format!("near (within {n} characters)"),
        }
    }
}

/// Passages carrying `tag` that have (or, with `without`, do not have) a passage carrying
/// `other` in the given relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Query {
    pub tag: TagId,
    pub other: TagId,
    pub relation: Relation,
    pub without: bool,
}

impl Query {
    /// "passages coded A overlapping a passage coded B", with the tags' names.
    pub fn describe(&self, project: &Project) -> String {
        let name = |id: TagId| {
            project
                .tag(id)
                .map_or_else(|| format!("(deleted tag {id})"), |t| t.name.clone())
        };
        let (a, b) = (name(self.tag), name(self.other));
        let not = if self.without { "not " } else { "" };
        match self.relation {
            Relation::SamePassage => format!("{a} {not}coded {b} on the same passage"),
            relation => format!("{a} {not}{} {b}", relation.describe()),
        }
    }
}

/// Which passages a query keeps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    /// Indexed like `project.annotations`: whether the passage passes the query.
    pub keep: Vec<bool>,
    /// Documents whose text could not be read: "same paragraph" counted there as
    /// overlapping.
    pub without_text: Vec<DocId>,
}

/// Evaluate `query` on every passage of `project` (whose list is sorted by document and
/// start, as every loaded project's is). `text` gives a document's text, needed for
/// paragraphs only.
pub fn evaluate<'t>(
    project: &Project,
    query: &Query,
    text: &dyn Fn(DocId) -> Option<&'t DocumentText>,
) -> Matches {
    let annotations = &project.annotations;
    let mut matches = Matches {
        keep: vec![false; annotations.len()],
        without_text: Vec::new(),
    };
    // Inclusive intervals of the passages carrying `other`, and the furthest end so far.
    let mut others: Vec<(usize, usize)> = Vec::new();
    let mut furthest: Vec<usize> = Vec::new();
    let mut from = 0;
    while from < annotations.len() {
        let doc = annotations[from].doc;
        let to = from + annotations[from..].partition_point(|a| a.doc == doc);
        let passages = &annotations[from..to];
        let has_tag = passages.iter().any(|a| a.tags.contains(&query.tag));
        if has_tag {
            let paragraphs = match query.relation {
                Relation::SameParagraph => {
                    let found = text(doc);
                    if found.is_none() {
                        matches.without_text.push(doc);
                    }
                    found
                }
                _ => None,
            };
            let interval = |a: &Annotation| -> (usize, usize) {
                let last = a.end.max(a.start + 1) - 1;
                match paragraphs {
                    Some(text) => (
                        text.paragraph_of_char(a.start),
                        text.paragraph_of_char(last),
                    ),
                    None => (a.start, last),
                }
            };
            others.clear();
            others.extend(
                passages
                    .iter()
                    .filter(|a| a.tags.contains(&query.other))
                    .map(|a| interval(a)),
            );
            others.sort_unstable();
            furthest.clear();
            let mut reach = 0;
            for (_, end) in &others {
                reach = reach.max(*end);
                furthest.push(reach);
            }
            for (offset, passage) in passages.iter().enumerate() {
                if !passage.tags.contains(&query.tag) {
                    continue;
                }
                let found = if query.relation == Relation::SamePassage {
                    passage.tags.contains(&query.other)
                } else {
                    let (mut lo, mut hi) = interval(passage);
                    if let (Relation::Within(n), None) = (query.relation, paragraphs) {
                        // n characters between: the other's first character at most
                        // `end + n`, its last at least `start - n - 1`.
                        lo = lo.saturating_sub(n + 1);
                        hi = hi.saturating_add(n + 1);
                    }
                    let before = others.partition_point(|(start, _)| *start <= hi);
                    before > 0 && furthest[before - 1] >= lo
                };
                matches.keep[from + offset] = found != query.without;
            }
        }
        from = to;
    }
    matches
}

/// The tag the passages found get: one of the codebook, or a new one made with this name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagChoice {
    Existing(TagId),
    New(String),
}

/// One undoable edit that gives each passage of `rows` (indices into
/// `project.annotations`) the chosen tag, creating it first when new; passages that carry
/// it already are left alone. `None` when there is nothing to do (no passage would change
/// and no tag would be created) or the tag does not exist.
pub fn tag_passages(project: &Project, rows: &[usize], choice: &TagChoice) -> Option<Edit> {
    let mut edits = Vec::new();
    let tag: Tag = match choice {
        TagChoice::Existing(id) => project.tag(*id)?.clone(),
        TagChoice::New(name) => {
            let name = name.trim();
            if name.is_empty() {
                return None;
            }
            let tag = crate::codebook::new_tag(project, name);
            edits.push(Edit::InsertTag {
                index: project.codebook.len(),
                tag: tag.clone(),
            });
            tag
        }
    };
    let order: Vec<TagId> = project
        .codebook
        .iter()
        .map(|t| t.id)
        .chain(std::iter::once(tag.id))
        .collect();
    for row in rows {
        let Some(passage) = project.annotations.get(*row) else {
            continue;
        };
        if passage.tags.contains(&tag.id) {
            continue;
        }
        let mut tags = passage.tags.clone();
        tags.push(tag.id);
        tags.sort_by_key(|t| order.iter().position(|o| o == t));
        edits.push(Edit::SetAnnotationTags {
            id: passage.id,
            tags,
        });
    }
    let changes_passages = edits
        .iter()
        .any(|e| matches!(e, Edit::SetAnnotationTags { .. }));
    changes_passages.then_some(Edit::Batch(edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    const A: TagId = 1;
    const B: TagId = 2;
    const C: TagId = 3;

    /// Two documents. The first's text is three lines:
    ///
    /// ```text
    /// 0         1         2
    /// 0123456789012345678901234567
    /// aaaaaaaaaa\nbbbbbbbbbb\ncccc
    /// ```
    /// (lines 0..10, 11..21, 22..26). Passages, by id: (span, tags)
    ///
    /// 1: 0..4 A        2: 2..6 B         3: 7..9 A       4: 12..15 A,B
    /// 5: 16..18 C      6: 19..21 A       7: 23..25 B
    ///
    /// The second document has one passage, 8: 0..5 A, and no B.
    fn project() -> (Project, [DocumentText; 2]) {
        let mut project = Project::new("q");
        project.codebook = ["a", "b", "c"]
            .iter()
            .enumerate()
            .map(|(i, name)| Tag {
                id: i as TagId + 1,
                name: (*name).to_owned(),
                color: "#336699".into(),
                key: String::new(),
                description: String::new(),
                parent: None,
            })
            .collect();
        for id in [1, 2] {
            project.documents.push(Document {
                turns: Vec::new(),
                direction: Default::default(),
                id,
                path: format!("{id}.txt"),
                title: format!("doc {id}"),
                sha256: String::new(),
                chars: 26,
                memo: String::new(),
                origin: None,
                attributes: Default::default(),
            });
        }
        let passages: [(DocId, usize, usize, &[TagId]); 8] = [
            (1, 0, 4, &[A]),
            (1, 2, 6, &[B]),
            (1, 7, 9, &[A]),
            (1, 12, 15, &[A, B]),
            (1, 16, 18, &[C]),
            (1, 19, 21, &[A]),
            (1, 23, 25, &[B]),
            (2, 0, 5, &[A]),
        ];
        for (i, (doc, start, end, tags)) in passages.into_iter().enumerate() {
            project.annotations.push(Box::new(Annotation {
                id: i as u32 + 1,
                doc,
                start,
                end,
                tags: tags.to_vec(),
                quote: String::new(),
                note: String::new(),
                coder: String::new(),
                created: String::new(),
                prefix: String::new(),
                suffix: String::new(),
                conflict: false,
            }));
        }
        project.ids.annotation = 8;
        project.ids.tag = 3;
        let texts = [
            DocumentText::new("aaaaaaaaaa\nbbbbbbbbbb\ncccc".to_owned()),
            DocumentText::new("hello world".to_owned()),
        ];
        (project, texts)
    }

    fn found(relation: Relation, without: bool) -> Vec<u32> {
        let (project, texts) = project();
        let query = Query {
            tag: A,
            other: B,
            relation,
            without,
        };
        let matches = evaluate(&project, &query, &|doc| texts.get(doc as usize - 1));
        assert!(matches.without_text.is_empty());
        project
            .annotations
            .iter()
            .zip(&matches.keep)
            .filter(|(_, keep)| **keep)
            .map(|(a, _)| a.id)
            .collect()
    }

    #[test]
    fn each_relation_by_hand() {
        // Passages carrying A: 1, 3, 4, 6, 8.
        assert_eq!(found(Relation::SamePassage, false), [4]);
        // 1 (0..4) shares 2..4 with 2 (B); 4 carries B itself; 3 (7..9) starts after 2 ends.
        assert_eq!(found(Relation::Overlapping, false), [1, 4]);
        // Line 0 holds 1, 2 (B) and 3; line 1 holds 4 (A and B) and 6; 8 has no B anywhere.
        assert_eq!(found(Relation::SameParagraph, false), [1, 3, 4, 6]);
        // Within 0: touching counts, 3 starts one character after 2 ends (6..7): no.
        assert_eq!(found(Relation::Within(0), false), [1, 4]);
        // Within 1: one character between 2 and 3.
        assert_eq!(found(Relation::Within(1), false), [1, 3, 4]);
        // 6 (19..21) to 7 (23..25): two characters between (21, 22).
        assert_eq!(found(Relation::Within(2), false), [1, 3, 4, 6]);
    }

    #[test]
    fn without_is_the_rest_of_the_tag() {
        assert_eq!(found(Relation::SamePassage, true), [1, 3, 6, 8]);
        assert_eq!(found(Relation::Overlapping, true), [3, 6, 8]);
        assert_eq!(found(Relation::SameParagraph, true), [8]);
        assert_eq!(found(Relation::Within(1), true), [6, 8]);
    }

    #[test]
    fn nested_and_long_passages_are_found_by_their_reach() {
        // A B passage that starts early and ends late must still be seen by an A passage
        // that starts after a shorter B passage ended.
        let (mut project, _) = project();
        project.annotations[1].end = 20; // passage 2: B over 2..20
        let query = Query {
            tag: A,
            other: B,
            relation: Relation::Overlapping,
            without: false,
        };
        let keep = evaluate(&project, &query, &|_| None).keep;
        let ids: Vec<u32> = project
            .annotations
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(a, _)| a.id)
            .collect();
        assert_eq!(ids, [1, 3, 4, 6]);
    }

    #[test]
    fn paragraphs_without_text_are_reported() {
        let (project, _) = project();
        let query = Query {
            tag: A,
            other: B,
            relation: Relation::SameParagraph,
            without: false,
        };
        let matches = evaluate(&project, &query, &|_| None);
        assert_eq!(matches.without_text, [1, 2]);
        // Counted as overlapping there.
        assert!(matches.keep[0]);
        assert!(!matches.keep[2]);
    }

    #[test]
    fn tagging_the_result_is_one_undoable_edit() {
        let (mut project, _) = project();
        let before = project.clone();
        let rows = [0, 2, 3]; // passages 1, 3, 4
        let edit = tag_passages(&project, &rows, &TagChoice::New("a near b".into()))
            .expect("something to do");
        let inverse = edit.apply(&mut project).unwrap();
        let tag = project.codebook.last().unwrap().clone();
        assert_eq!(tag.name, "a near b");
        for id in [1, 3, 4] {
            assert!(project.annotation(id).unwrap().tags.contains(&tag.id));
        }
        assert!(!project.annotation(6).unwrap().tags.contains(&tag.id));
        inverse.apply(&mut project).unwrap();
        assert_eq!(project.codebook, before.codebook);
        assert_eq!(project.annotations, before.annotations);

        // An existing tag goes where the codebook puts it; passages with it are skipped.
        let edit = tag_passages(&project, &[0, 3], &TagChoice::Existing(B)).unwrap();
        let Edit::Batch(parts) = &edit else {
            panic!("a batch")
        };
        assert_eq!(
            parts,
            &[Edit::SetAnnotationTags {
                id: 1,
                tags: vec![A, B]
            }]
        );
        assert_eq!(tag_passages(&project, &[3], &TagChoice::Existing(B)), None);
        assert_eq!(
            tag_passages(&project, &[0], &TagChoice::New("  ".into())),
            None
        );
        assert_eq!(tag_passages(&project, &[0], &TagChoice::Existing(99)), None);
    }
}
