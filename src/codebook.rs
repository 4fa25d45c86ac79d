//! Codebook changes as a researcher phrases them (add a tag, give it a key, merge two tags,
//! bring in a codebook from another project), each turned into one [`Edit`].

use std::collections::HashMap;

use crate::edit::Edit;
use crate::model::{
    Annotation, AnnotationId, EXTRA_TAG_COLORS, Project, Tag, TagId, default_codebook,
};

/// Keys a tag can be given; the document view applies a tag when its key is pressed.
pub const TAG_KEYS: [&str; 9] = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// A new tag at the end of the codebook, with a colour and a key no other tag has yet
/// (while any are left).
pub fn new_tag(project: &Project, name: &str) -> Tag {
    let palette: Vec<String> = default_codebook()
        .into_iter()
        .map(|t| t.color)
        .chain(EXTRA_TAG_COLORS.iter().map(|c| (*c).to_owned()))
        .collect();
    let color = palette
        .iter()
        .find(|c| {
            !project
                .codebook
                .iter()
                .any(|t| t.color.eq_ignore_ascii_case(c))
        })
        .cloned()
        .unwrap_or_else(|| palette[project.codebook.len() % palette.len()].clone());
    let key = TAG_KEYS
        .iter()
        .find(|k| project.tag_by_key(k).is_none())
        .map_or_else(String::new, |k| (*k).to_owned());
    Tag {
        id: project.next_tag_id(),
        name: unique_name(project, name),
        color,
        key,
        description: String::new(),
        parent: None,
    }
}

fn unique_name(project: &Project, name: &str) -> String {
    let taken = |candidate: &str| project.codebook.iter().any(|t| t.name == candidate);
    if !taken(name) {
        return name.to_owned();
    }
    (2..)
        .map(|n| format!("{name} {n}"))
        .find(|candidate| !taken(candidate))
        .expect("some numbered name is free")
}

pub fn add_tag(project: &Project, name: &str) -> Edit {
    Edit::InsertTag {
        index: project.codebook.len(),
        tag: new_tag(project, name),
    }
}

/// Give `tag` the key `key` (or none, when empty). A key belongs to one tag: the tag that
/// had it loses it in the same step.
pub fn set_key(project: &Project, tag: TagId, key: &str) -> Option<Edit> {
    let mut target = project.tag(tag)?.clone();
    if target.key == key {
        return None;
    }
    let mut edits = Vec::new();
    if !key.is_empty()
        && let Some(holder) = project.tag_by_key(key).filter(|t| t.id != tag)
    {
        let mut holder = holder.clone();
        holder.key.clear();
        edits.push(Edit::UpdateTag(holder));
    }
    target.key = key.to_owned();
    edits.push(Edit::UpdateTag(target));
    Some(if edits.len() == 1 {
        edits.pop().expect("one edit")
    } else {
        Edit::Batch(edits)
    })
}

/// Make `parent` the parent of `tag` (one level: a tag with children cannot get a parent,
/// and a parent must itself be top-level).
pub fn set_parent(project: &Project, tag: TagId, parent: Option<TagId>) -> Option<Edit> {
    let mut target = project.tag(tag)?.clone();
    if target.parent == parent || parent == Some(tag) {
        return None;
    }
    if let Some(parent) = parent {
        let parent_tag = project.tag(parent)?;
        if parent_tag.parent.is_some() || project.codebook.iter().any(|t| t.parent == Some(tag)) {
            return None;
        }
    }
    target.parent = parent;
    Some(Edit::UpdateTag(target))
}

/// Tags a tag may be placed under: top-level tags other than itself, and none at all when
/// it has children of its own.
pub fn possible_parents(project: &Project, tag: TagId) -> Vec<&Tag> {
    if project.codebook.iter().any(|t| t.parent == Some(tag)) {
        return Vec::new();
    }
    project
        .codebook
        .iter()
        .filter(|t| t.id != tag && t.parent.is_none())
        .collect()
}

/// Merge `from` into `into`: every passage tagged `from` is tagged `into` instead (once),
/// passages that end up on the same span with the same document become one (their tags and
/// notes joined), `from`'s children move under `into`, and `from` leaves the codebook.
pub fn merge(project: &Project, from: TagId, into: TagId) -> Option<Edit> {
    if from == into || project.tag(from).is_none() || project.tag(into).is_none() {
        return None;
    }
    let order: Vec<TagId> = project.codebook.iter().map(|t| t.id).collect();
    let sort = |tags: &mut Vec<TagId>| {
        tags.sort_by_key(|t| order.iter().position(|o| o == t));
        tags.dedup();
    };
    let mut edits = Vec::new();
    // Passages keyed by their span: the first on a span survives, later ones fold into it.
    let mut by_span: HashMap<(u32, usize, usize), usize> = HashMap::new();
    let mut merged: Vec<(Annotation, bool)> = Vec::new();
    let mut folded: Vec<AnnotationId> = Vec::new();
    for annotation in &project.annotations {
        let mut tags: Vec<TagId> = annotation
            .tags
            .iter()
            .map(|t| if *t == from { into } else { *t })
            .collect();
        sort(&mut tags);
        let changed = tags != annotation.tags;
        let span = (annotation.doc, annotation.start, annotation.end);
        match by_span.get(&span) {
            Some(&index) if changed || merged[index].1 => {
                let (survivor, survivor_changed) = &mut merged[index];
                survivor.tags.extend(tags);
                sort(&mut survivor.tags);
                if !annotation.note.is_empty() && survivor.note != annotation.note {
                    if !survivor.note.is_empty() {
                        survivor.note.push_str("\n\n");
                    }
                    survivor.note.push_str(&annotation.note);
                }
                *survivor_changed = true;
                folded.push(annotation.id);
            }
            _ => {
                let mut updated = Annotation::clone(annotation);
                updated.tags = tags;
                by_span.insert(span, merged.len());
                merged.push((updated, changed));
            }
        }
    }
    for (annotation, changed) in merged {
        if !changed {
            continue;
        }
        let original = project
            .annotation(annotation.id)
            .expect("merged passages come from the project");
        if original.tags != annotation.tags {
            edits.push(Edit::RestoreAnnotationTags {
                id: annotation.id,
                tags: annotation.tags.clone(),
            });
        }
        if original.note != annotation.note {
            edits.push(Edit::SetAnnotationNote {
                id: annotation.id,
                note: annotation.note.clone(),
            });
        }
    }
    edits.extend(folded.into_iter().map(Edit::RemoveAnnotation));
    for child in project
        .codebook
        .iter()
        .filter(|t| t.parent == Some(from) && t.id != into)
    {
        let mut child = child.clone();
        child.parent = Some(into);
        edits.push(Edit::UpdateTag(child));
    }
    // `into` takes `from`'s place in the hierarchy when it was its child, and its key when
    // it had none, so that the key a coder's fingers know keeps working.
    let from_tag = project.tag(from).expect("checked above");
    let into_tag = project.tag(into).expect("checked above");
    let mut updated = into_tag.clone();
    if updated.parent == Some(from) {
        updated.parent = from_tag.parent;
    }
    if updated.key.is_empty() {
        updated.key = from_tag.key.clone();
    }
    if updated != *into_tag {
        edits.push(Edit::UpdateTag(updated));
    }
    edits.push(Edit::RemoveTag(from));
    Some(Edit::Batch(edits))
}

/// How many passages carry each tag.
pub fn tag_counts(project: &Project) -> HashMap<TagId, usize> {
    let mut counts = HashMap::new();
    for annotation in &project.annotations {
        for tag in &annotation.tags {
            *counts.entry(*tag).or_insert(0) += 1;
        }
    }
    counts
}

/// Passages left without a tag (their last tag was deleted).
pub fn untagged(project: &Project) -> impl Iterator<Item = &Annotation> {
    project
        .annotations
        .iter()
        .filter(|a| a.tags.is_empty())
        .map(|a| &**a)
}

/// The codebook in display order: each top-level tag followed by its children.
pub fn display_order(project: &Project) -> Vec<(&Tag, usize)> {
    let mut rows = Vec::with_capacity(project.codebook.len());
    for tag in &project.codebook {
        let is_child = tag
            .parent
            .is_some_and(|p| p != tag.id && project.tag(p).is_some());
        if is_child {
            continue;
        }
        rows.push((tag, 0));
        for child in project
            .codebook
            .iter()
            .filter(|t| t.parent == Some(tag.id) && t.id != tag.id)
        {
            rows.push((child, 1));
        }
    }
    rows
}

/// Bring in tags from another codebook: tags whose name the project has already are left
/// as they are; the others are added with fresh ids, their parents kept where the parent came
/// too. Returns `None` when there is nothing new.
pub fn import_tags(project: &Project, tags: &[Tag]) -> Option<Edit> {
    let mut next_id = project.next_tag_id();
    let mut new_ids: HashMap<TagId, TagId> = HashMap::new();
    let mut existing_ids: HashMap<TagId, TagId> = HashMap::new();
    let mut added = Vec::new();
    for tag in tags {
        if let Some(existing) = project.codebook.iter().find(|t| t.name == tag.name) {
            existing_ids.insert(tag.id, existing.id);
            continue;
        }
        new_ids.insert(tag.id, next_id);
        let mut tag = tag.clone();
        tag.id = next_id;
        next_id += 1;
        added.push(tag);
    }
    if added.is_empty() {
        return None;
    }
    let mut used_keys: Vec<String> = project.codebook.iter().map(|t| t.key.clone()).collect();
    let mut edits = Vec::new();
    for (offset, mut tag) in added.into_iter().enumerate() {
        tag.parent = tag
            .parent
            .and_then(|p| new_ids.get(&p).or(existing_ids.get(&p)).copied())
            .filter(|p| project.tag(*p).is_none_or(|parent| parent.parent.is_none()));
        if !tag.key.is_empty() && used_keys.contains(&tag.key) {
            tag.key.clear();
        }
        used_keys.push(tag.key.clone());
        edits.push(Edit::InsertTag {
            index: project.codebook.len() + offset,
            tag,
        });
    }
    Some(Edit::Batch(edits))
}

/// The codebook alone as RON, for sharing a coding scheme between projects.
pub fn codebook_to_ron(project: &Project) -> String {
    let config = ron::ser::PrettyConfig::new().depth_limit(1);
    ron::ser::to_string_pretty(&project.codebook, config).expect("tags always serialise") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn project() -> Project {
        let mut p = Project::new("t");
        p.documents.push(Document {
            turns: Vec::new(),
            direction: Default::default(),
            id: 1,
            path: "a.txt".into(),
            title: "A".into(),
            sha256: String::new(),
            chars: 100,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        });
        p.sync_id_counters();
        p
    }

    fn passage(
        id: AnnotationId,
        start: usize,
        end: usize,
        tags: &[TagId],
        note: &str,
    ) -> Annotation {
        Annotation {
            id,
            doc: 1,
            start,
            end,
            tags: tags.to_vec(),
            quote: "x".repeat(end - start),
            note: note.into(),
            coder: String::new(),
            created: String::new(),
            ..Default::default()
        }
    }

    #[test]
    fn merging_moves_passages_and_folds_duplicates() {
        let mut p = project();
        p.annotations = vec![
            passage(1, 0, 10, &[1], "first"),
            passage(2, 0, 10, &[2], "second"),
            passage(3, 20, 30, &[1, 2], ""),
            passage(4, 40, 50, &[3], ""),
        ]
        .into_iter()
        .map(Box::new)
        .collect();
        p.sync_id_counters();
        let before = p.clone();
        let edit = merge(&p, 2, 1).expect("a merge");
        let inverse = edit.apply(&mut p).unwrap();

        assert!(p.tag(2).is_none());
        let ids: Vec<AnnotationId> = p.annotations.iter().map(|a| a.id).collect();
        assert_eq!(
            ids,
            vec![1, 3, 4],
            "passage 2 folded into passage 1 on the same span"
        );
        assert_eq!(p.annotation(1).unwrap().tags, vec![1]);
        assert_eq!(p.annotation(1).unwrap().note, "first\n\nsecond");
        assert_eq!(
            p.annotation(3).unwrap().tags,
            vec![1],
            "the tag appears once"
        );
        assert_eq!(p.annotation(4).unwrap().tags, vec![3]);

        inverse.apply(&mut p).unwrap();
        assert_eq!(
            p, before,
            "one undo restores the codebook and every passage"
        );
    }

    #[test]
    fn merging_keeps_the_hierarchy_and_the_key() {
        let mut p = project();
        let mut child = new_tag(&p, "child");
        child.parent = Some(2);
        Edit::InsertTag {
            index: 4,
            tag: child,
        }
        .apply(&mut p)
        .unwrap();
        let child_id = p.codebook[4].id;
        merge(&p, 2, 1).unwrap().apply(&mut p).unwrap();
        assert_eq!(p.tag(child_id).unwrap().parent, Some(1));
        assert_eq!(p.tag(1).unwrap().key, "1");
    }

    #[test]
    fn a_key_belongs_to_one_tag() {
        let mut p = project();
        set_key(&p, 3, "1").unwrap().apply(&mut p).unwrap();
        assert_eq!(p.tag_by_key("1").unwrap().id, 3);
        assert_eq!(p.tag(1).unwrap().key, "");
        assert!(
            set_key(&p, 3, "1").is_none(),
            "no edit when nothing changes"
        );
    }

    #[test]
    fn new_tags_take_a_free_colour_key_and_name() {
        let mut p = project();
        let tag = new_tag(&p, "quote");
        assert_eq!(tag.name, "quote 2");
        assert_eq!(tag.key, "5");
        assert_eq!(tag.color, EXTRA_TAG_COLORS[0]);
        add_tag(&p, "theme").apply(&mut p).unwrap();
        assert_eq!(p.codebook.last().unwrap().name, "theme");
    }

    #[test]
    fn parents_are_one_level_deep() {
        let mut p = project();
        set_parent(&p, 2, Some(1)).unwrap().apply(&mut p).unwrap();
        assert!(
            set_parent(&p, 3, Some(2)).is_none(),
            "a child cannot be a parent"
        );
        assert!(
            set_parent(&p, 1, Some(3)).is_none(),
            "a parent cannot become a child"
        );
        assert_eq!(
            display_order(&p)
                .iter()
                .map(|(t, depth)| (t.id, *depth))
                .collect::<Vec<_>>(),
            vec![(1, 0), (2, 1), (3, 0), (4, 0)]
        );
    }

    #[test]
    fn imported_tags_are_added_once_with_fresh_ids() {
        let mut p = project();
        let mut other = Project::new("other");
        other.codebook[0].name = "theme".into();
        other.codebook[1].parent = Some(1);
        let edit = import_tags(&p, &other.codebook).unwrap();
        edit.apply(&mut p).unwrap();
        assert_eq!(p.codebook.len(), 5, "only the tag with a new name is added");
        let theme = p.codebook.last().unwrap();
        assert_eq!((theme.id, theme.name.as_str()), (5, "theme"));
        assert_eq!(theme.key, "", "its key 1 is taken");
        assert!(import_tags(&p, &other.codebook).is_none());
    }
}
