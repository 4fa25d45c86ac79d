//! The edit that turns one project into another, item by item. File → Merge project…
//! applies a merged project this way, so that the merge is one undoable step whose undo puts
//! back exactly what was there. Not a diff for people to read (that is git's, on the file).

use std::collections::HashMap;

use super::Edit;
use crate::model::{Annotation, AnnotationId, Project};

impl Edit {
    /// An edit that, applied to `before`, gives `after`'s name, memo, codebook (in its
    /// order), attributes, cases, documents and passages. Items are matched by id. The order of
    /// attributes and documents that both projects hold is `before`'s (no edit reorders
    /// them; a merge keeps the first project's order); id counters only rise.
    pub fn between(before: &Project, after: &Project) -> Edit {
        let mut edits = Vec::new();
        let after_passages: HashMap<AnnotationId, &Annotation> =
            after.annotations.iter().map(|a| (a.id, &**a)).collect();
        // Passages that go or change leave first, so that nothing below trips over them.
        let mut unchanged = std::collections::HashSet::new();
        for passage in &before.annotations {
            if after_passages.get(&passage.id) == Some(&&**passage) {
                unchanged.insert(passage.id);
            } else {
                edits.push(Edit::RemoveAnnotation(passage.id));
            }
        }
        for attribute in &before.attributes {
            if after.attribute(attribute.id).is_none() {
                edits.push(Edit::RemoveAttribute(attribute.id));
            }
        }
        for (index, attribute) in after.attributes.iter().enumerate() {
            match before.attribute(attribute.id) {
                None => edits.push(Edit::InsertAttribute {
                    index,
                    attribute: attribute.clone(),
                }),
                Some(old) if old != attribute => {
                    edits.push(Edit::UpdateAttribute(attribute.clone()))
                }
                Some(_) => {}
            }
        }
        for document in &before.documents {
            if after.document(document.id).is_none() {
                edits.push(Edit::RemoveDocument(document.id));
            }
        }
        // Cases come in before the documents whose turns name them, and go after.
        for (index, case) in after.cases.iter().enumerate() {
            match before.case(case.id) {
                None => edits.push(Edit::InsertCase {
                    index,
                    case: case.clone(),
                }),
                Some(old) if old != case => edits.push(Edit::UpdateCase(case.clone())),
                Some(_) => {}
            }
        }
        for (index, document) in after.documents.iter().enumerate() {
            match before.document(document.id) {
                None => edits.push(Edit::InsertDocument {
                    index,
                    document: document.clone(),
                }),
                Some(old) if old != document => edits.push(Edit::UpdateDocument(document.clone())),
                Some(_) => {}
            }
        }
        for case in &before.cases {
            if after.case(case.id).is_none() {
                edits.push(Edit::RemoveCase(case.id));
            }
        }
        edits.extend(codebook_edits(before, after));
        for passage in &after.annotations {
            if !unchanged.contains(&passage.id) {
                edits.push(Edit::RestoreAnnotation(Annotation::clone(passage)));
            }
        }
        if before.memo != after.memo {
            edits.push(Edit::SetProjectMemo(after.memo.clone()));
        }
        if before.name != after.name {
            edits.push(Edit::RenameProject(after.name.clone()));
        }
        Edit::Batch(edits)
    }
}

/// Tags `after` lacks go (the passages that carried them changed, so they left above), then
/// each of `after`'s tags is put at its place in turn: inserted, moved there, or updated.
fn codebook_edits(before: &Project, after: &Project) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut order: Vec<_> = before.codebook.iter().map(|t| t.id).collect();
    for tag in &before.codebook {
        if after.tag(tag.id).is_none() {
            edits.push(Edit::RemoveTag(tag.id));
            order.retain(|id| *id != tag.id);
        }
    }
    for (index, tag) in after.codebook.iter().enumerate() {
        match before.tag(tag.id) {
            None => {
                edits.push(Edit::InsertTag {
                    index,
                    tag: tag.clone(),
                });
                order.insert(index.min(order.len()), tag.id);
            }
            Some(old) => {
                let at = order.iter().position(|id| *id == tag.id).unwrap_or(index);
                if at != index {
                    edits.push(Edit::MoveTag {
                        id: tag.id,
                        to_index: index,
                    });
                    let id = order.remove(at);
                    order.insert(index.min(order.len()), id);
                }
                if old != tag {
                    edits.push(Edit::UpdateTag(tag.clone()));
                }
            }
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::{MergeInput, merge_projects};
    use crate::model::{Document, Tag};

    fn document(id: u32, sha: &str) -> Document {
        Document {
            turns: Vec::new(),
            direction: Default::default(),
            id,
            path: format!("{sha}.txt"),
            title: sha.to_uppercase(),
            sha256: sha.to_owned(),
            chars: 100,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        }
    }

    fn passage(id: u32, doc: u32, start: usize, tags: Vec<u32>, coder: &str) -> Annotation {
        Annotation {
            id,
            doc,
            start,
            end: start + 5,
            tags,
            quote: "abcde".to_owned(),
            coder: coder.to_owned(),
            ..Default::default()
        }
    }

    fn same_content(a: &Project, b: &Project) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.memo, b.memo);
        assert_eq!(a.codebook, b.codebook);
        assert_eq!(a.attributes, b.attributes);
        assert_eq!(a.documents, b.documents);
        let sorted = |p: &Project| {
            let mut passages = p.annotations.clone();
            passages.sort_by_key(|a| (a.doc, a.start, a.end, a.id));
            passages
        };
        assert_eq!(sorted(a), sorted(b));
    }

    /// Apply the edit between two projects: the result is `after`; its undo gives `before`.
    fn check(before: &Project, after: &Project) {
        let mut project = before.clone();
        let undo = Edit::between(before, after).apply(&mut project).unwrap();
        same_content(&project, after);
        let redo = undo.apply(&mut project).unwrap();
        same_content(&project, before);
        redo.apply(&mut project).unwrap();
        same_content(&project, after);
    }

    #[test]
    fn a_merged_project_is_one_edit_away_and_one_undo_back() {
        let mut ann = Project::new("ann");
        ann.documents.push(document(1, "aa"));
        ann.annotations
            .push(Box::new(passage(1, 1, 0, vec![1], "")));
        ann.annotations
            .push(Box::new(passage(2, 1, 10, vec![2], "ann")));
        ann.memo = "ann's memo".to_owned();
        ann.sync_id_counters();
        let mut ben = Project::new("ben");
        ben.codebook.push(Tag {
            id: 9,
            name: "Irony".to_owned(),
            ..ben.codebook[0].clone()
        });
        ben.documents.push(document(1, "bb"));
        ben.documents.push(document(2, "aa"));
        ben.annotations
            .push(Box::new(passage(1, 2, 0, vec![1, 9], "ben")));
        ben.annotations
            .push(Box::new(passage(2, 1, 3, vec![3], "ben")));
        ben.memo = "ben's memo".to_owned();
        ben.sync_id_counters();
        let (merged, _) = merge_projects(&[
            MergeInput {
                label: "ann.ron".into(),
                coder: "ann".into(),
                project: ann.clone(),
            },
            MergeInput {
                label: "ben.ron".into(),
                coder: "ben".into(),
                project: ben,
            },
        ]);
        assert!(merged.codebook.len() > ann.codebook.len());
        assert!(merged.documents.len() == 2);
        check(&ann, &merged);
    }

    #[test]
    fn tags_removed_reordered_and_changed_passages_follow() {
        let mut before = Project::new("p");
        before.documents.push(document(1, "aa"));
        before
            .annotations
            .push(Box::new(passage(1, 1, 0, vec![1, 2], "x")));
        before
            .annotations
            .push(Box::new(passage(2, 1, 8, vec![3], "x")));
        before
            .annotations
            .push(Box::new(passage(3, 1, 20, vec![4], "x")));
        before.sync_id_counters();
        let mut after = before.clone();
        after.codebook.retain(|t| t.id != 2);
        after.codebook.reverse();
        after.codebook[0].description = "changed".to_owned();
        after.annotations[0].tags = vec![1];
        after.annotations[1].conflict = true;
        after.annotations.remove(2);
        after
            .annotations
            .push(Box::new(passage(7, 1, 30, vec![1], "y")));
        after.documents[0].memo = "memo".to_owned();
        after.name = "renamed".to_owned();
        check(&before, &after);
        check(&after, &before);
    }
}
