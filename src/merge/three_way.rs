//! The three-way merge behind `marginalia merge-driver`: two branches' versions of one project
//! ("ours", the branch being merged into, and "theirs") against their common ancestor
//! ("base"), item by item — codebook tags, documents and passages — never line by line.
//!
//! - Items are followed by id. Ids that both branches handed out on their own (two coders
//!   each adding passage 57) are told apart by content: the same tag name, the same document
//!   fingerprint, or the same passage (document, span, tags, coder, note) is one item; a
//!   different one keeps both, theirs renumbered above every id either branch used.
//! - A change on one side is taken; the same change on both is taken once; a deletion on one
//!   side of an item the other did not change is taken. Fields merge separately, so one
//!   coder's note and another's tag on the same passage both arrive; tags of a passage merge
//!   as a set (added on either side: added; removed on either side: removed).
//! - When both sides changed the same thing differently, a [`Conflict`] is reported and
//!   nothing is lost: a passage is kept in both versions, each flagged
//!   ([`Annotation::conflict`]) for a person to choose; a memo keeps both texts under
//!   headings; a tag's or document's field keeps ours' value and the report names theirs.
//!   An item deleted on one side but changed or still used on the other is kept.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::{fresh, highest_ids, join_memos, passage_label, tag_name_key};
use crate::model::{
    Annotation, AnnotationId, Case, CaseId, DocId, Document, IdCounters, Project, Tag, TagId,
    case_key,
};

/// What a conflict is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictItem {
    Project,
    Tag(TagId),
    Document(DocId),
    Case(CaseId),
    /// The passage's id in the merged project (ours' version).
    Passage(AnnotationId),
}

/// Something both branches changed differently, or one deleted and the other changed; the
/// message says what was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub item: ConflictItem,
    pub message: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

const OURS: &str = "ours (this branch)";
const THEIRS: &str = "theirs (the branch merged in)";

/// Merge `ours` and `theirs` against `base`; see the module's documentation.
pub fn merge3(base: &Project, ours: &Project, theirs: &Project) -> (Project, Vec<Conflict>) {
    let mut ids = highest_ids([base, ours, theirs]);
    let ours_handed_out = highest_ids([ours]);
    let mut conflicts = Vec::new();
    let tag_ids = ids_for_new_tags(base, ours, theirs, &ours_handed_out, &mut ids);
    let document_ids = ids_for_new_documents(base, ours, theirs, &ours_handed_out, &mut ids);
    let case_ids = ids_for_new_cases(base, ours, theirs, &ours_handed_out, &mut ids);
    let theirs = &renumbered(theirs, &tag_ids, &document_ids, &case_ids);

    let codebook = merge_tags(base, ours, theirs, &mut conflicts);
    let documents = merge_documents(base, ours, theirs, &mut conflicts);
    let annotations = merge_passages(
        base,
        ours,
        theirs,
        ours_handed_out.annotation,
        &mut ids,
        &mut conflicts,
    );
    let name = pick(&base.name, &ours.name, &theirs.name).unwrap_or_else(|| {
        conflicts.push(Conflict {
            item: ConflictItem::Project,
            message: format!(
                "the project's name: both branches changed it (ours “{}”, theirs “{}”); kept ours",
                ours.name, theirs.name
            ),
        });
        ours.name.clone()
    });
    let memo = merge_memo(&base.memo, &ours.memo, &theirs.memo).unwrap_or_else(|memo| {
        conflicts.push(Conflict {
            item: ConflictItem::Project,
            message: "the project memo: both branches changed it; both texts kept under headings"
                .to_owned(),
        });
        memo
    });
    let attributes =
        pick(&base.attributes, &ours.attributes, &theirs.attributes).unwrap_or_else(|| {
            conflicts.push(Conflict {
                item: ConflictItem::Project,
                message: "the document attributes: both branches changed their definitions; \
                          kept ours"
                    .to_owned(),
            });
            ours.attributes.clone()
        });
    let cases = merge_cases(base, ours, theirs, &mut conflicts);
    let mut merged = Project {
        format: ours.format.max(theirs.format),
        name,
        codebook,
        attributes,
        cases,
        documents,
        annotations: annotations.into_iter().map(Box::new).collect(),
        memo,
        ids,
    };
    keep_what_is_used(&mut merged, [ours, theirs, base], &mut conflicts);
    drop_undefined_values(&mut merged, &mut conflicts);
    keep_keys_unique(&mut merged, ours, &mut conflicts);
    merged.sort_annotations();
    merged.sync_id_counters();
    (merged, conflicts)
}

/// A value for an attribute the merged project does not define (the other branch deleted
/// it) would make the file unreadable: it goes, and the person is told.
fn drop_undefined_values(merged: &mut Project, conflicts: &mut Vec<Conflict>) {
    let defined: std::collections::HashSet<_> = merged.attributes.iter().map(|a| a.id).collect();
    for document in &mut merged.documents {
        let before = document.attributes.len();
        document.attributes.retain(|id, _| defined.contains(id));
        if document.attributes.len() != before {
            conflicts.push(Conflict {
                item: ConflictItem::Document(document.id),
                message: format!(
                    "document {} “{}”: values of attributes no longer defined were dropped",
                    document.id, document.title
                ),
            });
        }
    }
}

/// One field: the side that changed it, or `None` when both changed it differently.
fn pick<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || theirs == base {
        Some(ours.clone())
    } else if ours == base {
        Some(theirs.clone())
    } else {
        None
    }
}

/// A memo; when both changed it differently, `Err` with both texts under headings.
fn merge_memo(base: &str, ours: &str, theirs: &str) -> Result<String, String> {
    let (base, ours, theirs) = (base.to_owned(), ours.to_owned(), theirs.to_owned());
    pick(&base, &ours, &theirs).ok_or_else(|| join_memos([(OURS, &*ours), (THEIRS, &*theirs)]).0)
}

/// The merged id of each tag theirs added: an ours tag of the same name, the same id when
/// ours never handed it out, or a fresh one.
fn ids_for_new_tags(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    ours_handed_out: &IdCounters,
    ids: &mut IdCounters,
) -> HashMap<TagId, TagId> {
    let keyed = |p: &Project| -> Vec<(TagId, String)> {
        p.codebook
            .iter()
            .map(|t| (t.id, tag_name_key(&t.name)))
            .collect()
    };
    ids_for_new_items(
        &base.codebook.iter().map(|t| t.id).collect(),
        &keyed(ours),
        &keyed(theirs),
        ours_handed_out.tag,
        &mut ids.tag,
    )
}

/// The merged id of each document theirs added: an ours document with the same fingerprint,
/// the same id when ours never handed it out, or a fresh one.
fn ids_for_new_documents(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    ours_handed_out: &IdCounters,
    ids: &mut IdCounters,
) -> HashMap<DocId, DocId> {
    let keyed = |p: &Project| -> Vec<(DocId, String)> {
        p.documents
            .iter()
            .map(|d| (d.id, d.sha256.clone()))
            .collect()
    };
    ids_for_new_items(
        &base.documents.iter().map(|d| d.id).collect(),
        &keyed(ours),
        &keyed(theirs),
        ours_handed_out.document,
        &mut ids.document,
    )
}

/// The merged id of each case theirs added (a speaker of a transcript it imported): ours'
/// case of the same name (as import matches speakers, [`case_key`]), the same id when ours
/// never handed it out, or a fresh one.
fn ids_for_new_cases(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    ours_handed_out: &IdCounters,
    ids: &mut IdCounters,
) -> HashMap<CaseId, CaseId> {
    let keyed = |p: &Project| -> Vec<(CaseId, String)> {
        p.cases.iter().map(|c| (c.id, case_key(&c.name))).collect()
    };
    ids_for_new_items(
        &base.cases.iter().map(|c| c.id).collect(),
        &keyed(ours),
        &keyed(theirs),
        ours_handed_out.case,
        &mut ids.case,
    )
}

/// The merged id of each item (tag, document, case) theirs added, the base not having its
/// id: ours' item of the same key, unless another of theirs took it or theirs still has it
/// from the base; else its own id when ours never handed that out; else a fresh one.
fn ids_for_new_items(
    base_ids: &HashSet<u32>,
    ours: &[(u32, String)],
    theirs: &[(u32, String)],
    ours_handed_out: u32,
    counter: &mut u32,
) -> HashMap<u32, u32> {
    let theirs_own: HashSet<u32> = theirs.iter().map(|(id, _)| *id).collect();
    let kept_by_theirs = |id: u32| base_ids.contains(&id) && theirs_own.contains(&id);
    let mut taken: HashSet<u32> = HashSet::new();
    let mut map = HashMap::new();
    for (id, key) in theirs.iter().filter(|(id, _)| !base_ids.contains(id)) {
        let same_key = ours
            .iter()
            .find(|(_, ours_key)| ours_key == key)
            .map(|(ours_id, _)| *ours_id)
            .filter(|ours_id| !taken.contains(ours_id) && !kept_by_theirs(*ours_id));
        let merged = match same_key {
            Some(ours_id) => ours_id,
            None if *id > ours_handed_out => *id,
            None => fresh(counter),
        };
        taken.insert(merged);
        map.insert(*id, merged);
    }
    map
}

/// Theirs with its new tags, documents and cases under their merged ids, references
/// included.
fn renumbered(
    theirs: &Project,
    tags: &HashMap<TagId, TagId>,
    documents: &HashMap<DocId, DocId>,
    cases: &HashMap<CaseId, CaseId>,
) -> Project {
    let tag = |id: &TagId| tags.get(id).copied().unwrap_or(*id);
    let document = |id: &DocId| documents.get(id).copied().unwrap_or(*id);
    let case = |id: &CaseId| cases.get(id).copied().unwrap_or(*id);
    let mut project = theirs.clone();
    for t in &mut project.codebook {
        t.id = tag(&t.id);
        t.parent = t.parent.as_ref().map(tag);
    }
    for c in &mut project.cases {
        c.id = case(&c.id);
    }
    for d in &mut project.documents {
        d.id = document(&d.id);
        for turn in &mut d.turns {
            turn.speaker = turn.speaker.as_ref().map(case);
        }
    }
    for a in &mut project.annotations {
        a.doc = document(&a.doc);
        let mut mapped: Vec<TagId> = Vec::with_capacity(a.tags.len());
        for t in a.tags.iter().map(tag) {
            if !mapped.contains(&t) {
                mapped.push(t);
            }
        }
        a.tags = mapped;
    }
    project
}

/// Whether `side` put the items it shares with `base` in another order.
fn reordered(base: &[u32], side: &[u32]) -> bool {
    let in_side: HashSet<u32> = side.iter().copied().collect();
    let in_base: HashSet<u32> = base.iter().copied().collect();
    !base
        .iter()
        .filter(|id| in_side.contains(id))
        .eq(side.iter().filter(|id| in_base.contains(id)))
}

/// Every id in the order to keep: the order of the side that reordered (ours when both or
/// neither did), then the other side's new items in its order.
fn merged_order(base: &[u32], ours: &[u32], theirs: &[u32]) -> Vec<u32> {
    let (first, second) = if !reordered(base, ours) && reordered(base, theirs) {
        (theirs, ours)
    } else {
        (ours, theirs)
    };
    let mut seen = HashSet::new();
    first
        .iter()
        .chain(second)
        .copied()
        .filter(|id| seen.insert(*id))
        .collect()
}

/// Three versions of an item (any of them absent), and what to do with it.
enum Versions<'a, T> {
    Keep(&'a T),
    Merge {
        base: &'a T,
        ours: &'a T,
        theirs: &'a T,
    },
    /// Both sides added it (matched by name or fingerprint): ours, filled in from theirs.
    BothAdded {
        ours: &'a T,
        theirs: &'a T,
    },
    /// One side deleted it, the other changed it: kept in the changed version.
    DeletedAndChanged {
        kept: &'a T,
        deleted_by: &'static str,
    },
    Gone,
}

fn versions<'a, T: PartialEq>(
    base: Option<&'a T>,
    ours: Option<&'a T>,
    theirs: Option<&'a T>,
) -> Versions<'a, T> {
    match (base, ours, theirs) {
        (Some(base), Some(ours), Some(theirs)) => Versions::Merge { base, ours, theirs },
        (None, Some(ours), Some(theirs)) => Versions::BothAdded { ours, theirs },
        (Some(base), Some(kept), None) if kept != base => Versions::DeletedAndChanged {
            kept,
            deleted_by: "theirs",
        },
        (Some(base), None, Some(kept)) if kept != base => Versions::DeletedAndChanged {
            kept,
            deleted_by: "ours",
        },
        (None, Some(kept), None) | (None, None, Some(kept)) => Versions::Keep(kept),
        _ => Versions::Gone,
    }
}

fn merge_tags(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    conflicts: &mut Vec<Conflict>,
) -> Vec<Tag> {
    let ids = |p: &Project| p.codebook.iter().map(|t| t.id).collect::<Vec<_>>();
    let mut codebook = Vec::new();
    for id in merged_order(&ids(base), &ids(ours), &ids(theirs)) {
        match versions(base.tag(id), ours.tag(id), theirs.tag(id)) {
            Versions::Keep(tag) => codebook.push(tag.clone()),
            Versions::BothAdded { ours, theirs } => {
                let mut tag = ours.clone();
                if tag.description.trim().is_empty() {
                    tag.description = theirs.description.clone();
                }
                codebook.push(tag);
            }
            Versions::Merge { base, ours, theirs } => {
                let mut differ = Vec::new();
                let mut field = |name: &'static str, b: &String, o: &String, t: &String| {
                    pick(b, o, t).unwrap_or_else(|| {
                        differ.push(format!("{name} (ours “{o}”, theirs “{t}”)"));
                        o.clone()
                    })
                };
                let tag = Tag {
                    id,
                    name: field("name", &base.name, &ours.name, &theirs.name),
                    color: field("colour", &base.color, &ours.color, &theirs.color),
                    key: field("key", &base.key, &ours.key, &theirs.key),
                    description: field(
                        "description",
                        &base.description,
                        &ours.description,
                        &theirs.description,
                    ),
                    parent: pick(&base.parent, &ours.parent, &theirs.parent).unwrap_or_else(|| {
                        differ.push("parent".to_owned());
                        ours.parent
                    }),
                };
                if !differ.is_empty() {
                    conflicts.push(Conflict {
                        item: ConflictItem::Tag(id),
                        message: format!(
                            "tag {id} “{}”: both branches changed its {}; kept ours",
                            tag.name,
                            differ.join(", ")
                        ),
                    });
                }
                codebook.push(tag);
            }
            Versions::DeletedAndChanged { kept, deleted_by } => {
                conflicts.push(Conflict {
                    item: ConflictItem::Tag(id),
                    message: format!(
                        "tag {id} “{}”: {deleted_by} deleted it, the other branch changed it; kept",
                        kept.name
                    ),
                });
                codebook.push(kept.clone());
            }
            Versions::Gone => {}
        }
    }
    codebook
}

fn merge_cases(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    conflicts: &mut Vec<Conflict>,
) -> Vec<Case> {
    let ids = |p: &Project| p.cases.iter().map(|c| c.id).collect::<Vec<_>>();
    let mut cases = Vec::new();
    for id in merged_order(&ids(base), &ids(ours), &ids(theirs)) {
        match versions(base.case(id), ours.case(id), theirs.case(id)) {
            Versions::Keep(case) => cases.push(case.clone()),
            Versions::BothAdded { ours, theirs } => {
                let mut case = ours.clone();
                for (attribute, value) in &theirs.attributes {
                    case.attributes
                        .entry(*attribute)
                        .or_insert_with(|| value.clone());
                }
                case.memo = join_memos([(OURS, &*ours.memo), (THEIRS, &*theirs.memo)]).0;
                cases.push(case);
            }
            Versions::Merge { base, ours, theirs } => {
                let mut differ = Vec::new();
                let name = pick(&base.name, &ours.name, &theirs.name).unwrap_or_else(|| {
                    differ.push(format!(
                        "name (ours “{}”, theirs “{}”)",
                        ours.name, theirs.name
                    ));
                    ours.name.clone()
                });
                let attributes = pick(&base.attributes, &ours.attributes, &theirs.attributes)
                    .unwrap_or_else(|| {
                        differ.push("attribute values".to_owned());
                        ours.attributes.clone()
                    });
                let memo =
                    merge_memo(&base.memo, &ours.memo, &theirs.memo).unwrap_or_else(|memo| {
                        differ.push("memo (both texts kept under headings)".to_owned());
                        memo
                    });
                if !differ.is_empty() {
                    conflicts.push(Conflict {
                        item: ConflictItem::Case(id),
                        message: format!(
                            "case {id} “{name}”: both branches changed its {}; kept ours",
                            differ.join(", ")
                        ),
                    });
                }
                cases.push(Case {
                    id,
                    name,
                    attributes,
                    memo,
                });
            }
            Versions::DeletedAndChanged { kept, deleted_by } => {
                conflicts.push(Conflict {
                    item: ConflictItem::Case(id),
                    message: format!(
                        "case {id} “{}”: {deleted_by} deleted it, the other branch changed it; kept",
                        kept.name
                    ),
                });
                cases.push(kept.clone());
            }
            Versions::Gone => {}
        }
    }
    cases
}

fn merge_documents(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    conflicts: &mut Vec<Conflict>,
) -> Vec<Document> {
    let ids = |p: &Project| p.documents.iter().map(|d| d.id).collect::<Vec<_>>();
    let mut documents = Vec::new();
    for id in merged_order(&ids(base), &ids(ours), &ids(theirs)) {
        match versions(base.document(id), ours.document(id), theirs.document(id)) {
            Versions::Keep(document) => documents.push(document.clone()),
            Versions::BothAdded { ours, theirs } => {
                let mut document = ours.clone();
                document.memo = join_memos([(OURS, &*ours.memo), (THEIRS, &*theirs.memo)]).0;
                documents.push(document);
            }
            Versions::Merge { base, ours, theirs } => {
                documents.push(merge_document(base, ours, theirs, conflicts));
            }
            Versions::DeletedAndChanged { kept, deleted_by } => {
                conflicts.push(Conflict {
                    item: ConflictItem::Document(id),
                    message: format!(
                        "document {id} “{}”: {deleted_by} deleted it, the other branch changed it; kept",
                        kept.title
                    ),
                });
                documents.push(kept.clone());
            }
            Versions::Gone => {}
        }
    }
    documents
}

fn merge_document(
    base: &Document,
    ours: &Document,
    theirs: &Document,
    conflicts: &mut Vec<Conflict>,
) -> Document {
    let mut differ = Vec::new();
    let mut field = |name: &'static str, b: &String, o: &String, t: &String| {
        pick(b, o, t).unwrap_or_else(|| {
            differ.push(format!("{name} (ours “{o}”, theirs “{t}”)"));
            o.clone()
        })
    };
    let path = field("path", &base.path, &ours.path, &theirs.path);
    let title = field("title", &base.title, &ours.title, &theirs.title);
    // The fingerprint, the length and a transcript's turns describe one text: they go
    // together.
    let fingerprint = |d: &Document| (d.sha256.clone(), d.chars, d.turns.clone());
    let (sha256, chars, turns) = pick(&fingerprint(base), &fingerprint(ours), &fingerprint(theirs))
        .unwrap_or_else(|| {
            differ.push("recorded text (fingerprint)".to_owned());
            fingerprint(ours)
        });
    let origin = pick(&base.origin, &ours.origin, &theirs.origin).unwrap_or_else(|| {
        differ.push("origin".to_owned());
        ours.origin.clone()
    });
    let memo = merge_memo(&base.memo, &ours.memo, &theirs.memo).unwrap_or_else(|memo| {
        differ.push("memo (both texts kept under headings)".to_owned());
        memo
    });
    let attributes =
        pick(&base.attributes, &ours.attributes, &theirs.attributes).unwrap_or_else(|| {
            differ.push("attribute values".to_owned());
            ours.attributes.clone()
        });
    if !differ.is_empty() {
        conflicts.push(Conflict {
            item: ConflictItem::Document(ours.id),
            message: format!(
                "document {} “{title}”: both branches changed its {}; kept ours",
                ours.id,
                differ.join(", ")
            ),
        });
    }
    let direction =
        pick(&base.direction, &ours.direction, &theirs.direction).unwrap_or_else(|| {
            differ.push("direction".to_owned());
            ours.direction
        });
    Document {
        direction,
        turns,
        id: ours.id,
        path,
        title,
        sha256,
        chars,
        memo,
        origin,
        attributes,
    }
}

/// What makes two passages one, when both branches added it under their own ids.
type PassageKey = (DocId, usize, usize, Vec<TagId>, String, String);

fn passage_key(a: &Annotation) -> PassageKey {
    let mut tags = a.tags.clone();
    tags.sort_unstable();
    (a.doc, a.start, a.end, tags, a.coder.clone(), a.note.clone())
}

fn merge_passages(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    ours_handed_out: AnnotationId,
    ids: &mut IdCounters,
    conflicts: &mut Vec<Conflict>,
) -> Vec<Annotation> {
    let (base_of, ours_of, theirs_of) = (by_id(base), by_id(ours), by_id(theirs));
    let mut merged = Vec::new();
    // Passages the base had.
    for old in &base.annotations {
        let id = old.id;
        match versions(
            Some(&**old),
            ours_of.get(&id).copied(),
            theirs_of.get(&id).copied(),
        ) {
            Versions::Merge { base, ours, theirs } => match merge_passage(base, ours, theirs) {
                Some(passage) => merged.push(passage),
                None => {
                    let (pair, message) = flagged_pair(ours, theirs, ids);
                    merged.extend(pair);
                    conflicts.push(Conflict {
                        item: ConflictItem::Passage(id),
                        message,
                    });
                }
            },
            Versions::DeletedAndChanged { kept, deleted_by } => {
                let mut kept = kept.clone();
                kept.conflict = true;
                conflicts.push(Conflict {
                    item: ConflictItem::Passage(id),
                    message: format!(
                        "{}: {deleted_by} deleted it, the other branch changed it; kept, marked \
                         as a conflict",
                        passage_label(&kept)
                    ),
                });
                merged.push(kept);
            }
            Versions::Keep(_) | Versions::BothAdded { .. } | Versions::Gone => {}
        }
    }
    // Passages added on either side: ours as they are, theirs unless ours added the same.
    let added_by_ours: HashSet<PassageKey> = ours
        .annotations
        .iter()
        .filter(|a| !base_of.contains_key(&a.id))
        .map(|a| {
            merged.push(Annotation::clone(a));
            passage_key(a)
        })
        .collect();
    for added in theirs
        .annotations
        .iter()
        .filter(|a| !base_of.contains_key(&a.id))
    {
        if added_by_ours.contains(&passage_key(added)) {
            continue;
        }
        let mut added = Annotation::clone(added);
        if added.id <= ours_handed_out {
            added.id = fresh(&mut ids.annotation);
        }
        merged.push(added);
    }
    merged
}

fn by_id(project: &Project) -> HashMap<AnnotationId, &Annotation> {
    project.annotations.iter().map(|a| (a.id, &**a)).collect()
}

/// Both versions of a passage, flagged, theirs under a fresh id; and what to tell people.
fn flagged_pair(
    ours: &Annotation,
    theirs: &Annotation,
    ids: &mut IdCounters,
) -> ([Annotation; 2], String) {
    let mut theirs = theirs.clone();
    theirs.id = fresh(&mut ids.annotation);
    theirs.conflict = true;
    let mut ours = ours.clone();
    ours.conflict = true;
    let message = format!(
        "{}: both branches changed it differently; kept both: {} is ours, {} theirs, both \
         marked as a conflict",
        passage_label(&ours),
        ours.id,
        theirs.id
    );
    ([ours, theirs], message)
}

/// A passage both sides kept, field by field; `None` when both changed one field differently.
/// Tags merge as a set and never conflict.
fn merge_passage(base: &Annotation, ours: &Annotation, theirs: &Annotation) -> Option<Annotation> {
    if ours == theirs {
        return Some(ours.clone());
    }
    // Where the passage lies: moved as one.
    let place = |a: &Annotation| {
        (
            a.doc,
            a.start,
            a.end,
            a.quote.clone(),
            a.prefix.clone(),
            a.suffix.clone(),
        )
    };
    let (doc, start, end, quote, prefix, suffix) =
        pick(&place(base), &place(ours), &place(theirs))?;
    let note = pick(&base.note, &ours.note, &theirs.note)?;
    let coder = pick(&base.coder, &ours.coder, &theirs.coder)?;
    let created = pick(&base.created, &ours.created, &theirs.created)?;
    let conflict = pick(&base.conflict, &ours.conflict, &theirs.conflict)
        .unwrap_or(ours.conflict || theirs.conflict);
    let mut tags: Vec<TagId> = Vec::new();
    for tag in ours.tags.iter().chain(&theirs.tags) {
        let in_ours = ours.tags.contains(tag);
        let in_theirs = theirs.tags.contains(tag);
        let removed = base.tags.contains(tag) && !(in_ours && in_theirs);
        if !removed && !tags.contains(tag) {
            tags.push(*tag);
        }
    }
    Some(Annotation {
        id: ours.id,
        doc,
        start,
        end,
        tags,
        quote,
        note,
        coder,
        created,
        prefix,
        suffix,
        conflict,
    })
}

/// A tag or document deleted on one side but still used on the other (a passage added to a
/// deleted document, a tag given to a passage or made a parent) comes back, as a conflict.
fn keep_what_is_used(merged: &mut Project, sources: [&Project; 3], conflicts: &mut Vec<Conflict>) {
    let documents: HashSet<DocId> = merged.documents.iter().map(|d| d.id).collect();
    let mut wanted: Vec<DocId> = merged
        .annotations
        .iter()
        .map(|a| a.doc)
        .filter(|d| !documents.contains(d))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    for id in wanted {
        match sources.iter().find_map(|p| p.document(id)) {
            Some(document) => {
                conflicts.push(Conflict {
                    item: ConflictItem::Document(id),
                    message: format!(
                        "document {id} “{}”: one branch deleted it while the other coded it; kept",
                        document.title
                    ),
                });
                merged.documents.push(document.clone());
            }
            None => merged.annotations.retain(|a| a.doc != id),
        }
    }
    // A case deleted (or merged into another) on one side while the other's turns still name
    // it comes back: a turn never loses its speaker in a merge.
    let have: HashSet<CaseId> = merged.cases.iter().map(|c| c.id).collect();
    let mut wanted: Vec<CaseId> = merged
        .documents
        .iter()
        .flat_map(|d| d.turns.iter().filter_map(|t| t.speaker))
        .filter(|c| !have.contains(c))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    for id in wanted {
        match sources.iter().find_map(|p| p.case(id)) {
            Some(case) => {
                conflicts.push(Conflict {
                    item: ConflictItem::Case(id),
                    message: format!(
                        "case {id} “{}”: one branch deleted it while the other's transcript names it; kept",
                        case.name
                    ),
                });
                merged.cases.push(case.clone());
            }
            None => {
                for document in &mut merged.documents {
                    for turn in &mut document.turns {
                        turn.speaker = turn.speaker.filter(|s| *s != id);
                    }
                }
            }
        }
    }
    loop {
        let have: HashSet<TagId> = merged.codebook.iter().map(|t| t.id).collect();
        let mut wanted: Vec<TagId> = merged
            .annotations
            .iter()
            .flat_map(|a| a.tags.iter().copied())
            .chain(merged.codebook.iter().filter_map(|t| t.parent))
            .filter(|t| !have.contains(t))
            .collect();
        if wanted.is_empty() {
            break;
        }
        wanted.sort_unstable();
        wanted.dedup();
        for id in wanted {
            match sources.iter().find_map(|p| p.tag(id)) {
                Some(tag) => {
                    conflicts.push(Conflict {
                        item: ConflictItem::Tag(id),
                        message: format!(
                            "tag {id} “{}”: one branch deleted it while the other used it; kept",
                            tag.name
                        ),
                    });
                    merged.codebook.push(tag.clone());
                }
                None => {
                    for a in &mut merged.annotations {
                        a.tags.retain(|t| *t != id);
                    }
                    for t in &mut merged.codebook {
                        t.parent = t.parent.filter(|p| *p != id);
                    }
                }
            }
        }
    }
}

/// A key belongs to one tag: where the branches gave one key to two tags, the tag that has it
/// in ours keeps it.
fn keep_keys_unique(merged: &mut Project, ours: &Project, conflicts: &mut Vec<Conflict>) {
    let mut holders: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, tag) in merged.codebook.iter().enumerate() {
        if !tag.key.is_empty() {
            holders.entry(tag.key.clone()).or_default().push(index);
        }
    }
    let mut clashes: Vec<(String, Vec<usize>)> =
        holders.into_iter().filter(|(_, h)| h.len() > 1).collect();
    clashes.sort();
    for (key, holders) in clashes {
        let keeper = holders
            .iter()
            .copied()
            .find(|i| {
                ours.tag(merged.codebook[*i].id)
                    .is_some_and(|t| t.key == key)
            })
            .unwrap_or(holders[0]);
        let keeper_name = merged.codebook[keeper].name.clone();
        for index in holders.into_iter().filter(|i| *i != keeper) {
            let tag = &mut merged.codebook[index];
            tag.key.clear();
            conflicts.push(Conflict {
                item: ConflictItem::Tag(tag.id),
                message: format!(
                    "tag {} “{}”: the branches gave key {key} to two tags; it stays with “{}”",
                    tag.id, tag.name, keeper_name
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Project {
        let mut p = Project::new("Study");
        p.documents = vec![Document {
            turns: Vec::new(),
            direction: Default::default(),
            id: 1,
            path: "a.txt".to_owned(),
            title: "A".to_owned(),
            sha256: "AAA".to_owned(),
            chars: 100,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        }];
        p.annotations = (1..=3)
            .map(|id| Annotation {
                id,
                doc: 1,
                start: id as usize * 10,
                end: id as usize * 10 + 5,
                tags: vec![1],
                quote: format!("q{id}"),
                coder: "ann".to_owned(),
                ..Default::default()
            })
            .map(Box::new)
            .collect();
        p.sync_id_counters();
        p
    }

    fn added(id: AnnotationId, start: usize, coder: &str) -> Annotation {
        Annotation {
            id,
            doc: 1,
            start,
            end: start + 3,
            tags: vec![2],
            quote: format!("new {start}"),
            coder: coder.to_owned(),
            ..Default::default()
        }
    }

    fn clean(base: &Project, ours: &Project, theirs: &Project) -> Project {
        let (merged, conflicts) = merge3(base, ours, theirs);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        merged
    }

    #[test]
    fn one_sided_changes_are_taken_and_identical_ones_once() {
        let base = base();
        let mut ours = base.clone();
        ours.annotations[0].note = "ours' note".to_owned();
        ours.codebook[1].name = "figure".to_owned();
        ours.annotations.remove(2);
        let mut theirs = base.clone();
        theirs.annotations[1].tags.push(3);
        theirs.annotations[0].tags.push(4);
        theirs.codebook[1].name = "figure".to_owned();
        theirs.memo = "theirs' memo".to_owned();
        let merged = clean(&base, &ours, &theirs);
        assert_eq!(merged.annotations.len(), 2, "the deletion is taken");
        assert_eq!(merged.annotations[0].note, "ours' note");
        assert_eq!(
            merged.annotations[0].tags,
            [1, 4],
            "fields merge separately"
        );
        assert_eq!(merged.annotations[1].tags, [1, 3]);
        assert_eq!(merged.codebook[1].name, "figure");
        assert_eq!(merged.memo, "theirs' memo");
        assert_eq!(clean(&base, &base, &base), base);
        assert_eq!(clean(&base, &ours, &base), ours);
    }

    #[test]
    fn ids_handed_out_on_both_sides_are_told_apart_by_content() {
        let base = base();
        let mut ours = base.clone();
        ours.annotations.push(Box::new(added(4, 50, "ann")));
        ours.annotations.push(Box::new(added(5, 60, "ann")));
        let mut theirs = base.clone();
        theirs.annotations.push(Box::new(added(4, 70, "ben")));
        // The same passage both made (a cherry-pick): once.
        theirs.annotations.push(Box::new(added(5, 60, "ann")));
        theirs.annotations.push(Box::new(added(6, 80, "ben")));
        let merged = clean(&base, &ours, &theirs);
        let passages: Vec<(AnnotationId, usize, &str)> = merged
            .annotations
            .iter()
            .filter(|a| a.start >= 50)
            .map(|a| (a.id, a.start, a.coder.as_str()))
            .collect();
        assert_eq!(
            passages,
            [
                (4, 50, "ann"),
                (5, 60, "ann"),
                (7, 70, "ben"),
                (6, 80, "ben")
            ]
        );
        assert_eq!(merged.ids.annotation, 7);
    }

    #[test]
    fn new_tags_and_documents_match_by_name_and_fingerprint() {
        let base = base();
        let new_tag = |id, name: &str, key: &str| Tag {
            id,
            name: name.to_owned(),
            color: "#CC79A7".to_owned(),
            key: key.to_owned(),
            description: String::new(),
            parent: None,
        };
        let new_doc = |id, sha: &str| Document {
            turns: Vec::new(),
            direction: Default::default(),
            id,
            path: format!("{sha}.txt"),
            title: sha.to_owned(),
            sha256: sha.to_owned(),
            chars: 10,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        };
        let mut ours = base.clone();
        ours.codebook.push(new_tag(5, "trust", "5"));
        ours.documents.push(new_doc(2, "BBB"));
        let mut theirs = base.clone();
        theirs.codebook.push(new_tag(5, "blame", "5"));
        theirs.codebook.push(new_tag(6, " Trust", ""));
        theirs.documents.push(new_doc(2, "CCC"));
        theirs.documents.push(new_doc(3, "BBB"));
        let mut theirs_passage = added(4, 5, "ben");
        theirs_passage.doc = 2;
        theirs_passage.tags = vec![5, 6];
        theirs.annotations.push(Box::new(theirs_passage));
        theirs.sync_id_counters();

        let (merged, conflicts) = merge3(&base, &ours, &theirs);
        let tags: Vec<(TagId, &str, &str)> = merged
            .codebook
            .iter()
            .map(|t| (t.id, t.name.as_str(), t.key.as_str()))
            .skip(4)
            .collect();
        assert_eq!(tags, [(5, "trust", "5"), (7, "blame", "")]);
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        assert!(conflicts[0].message.contains("key 5"));
        let documents: Vec<(DocId, &str)> = merged
            .documents
            .iter()
            .map(|d| (d.id, d.sha256.as_str()))
            .collect();
        assert_eq!(documents, [(1, "AAA"), (2, "BBB"), (4, "CCC")]);
        let passage = merged.annotation(4).unwrap();
        assert_eq!((passage.doc, passage.tags.as_slice()), (4, &[7, 5][..]));
    }

    #[test]
    fn the_same_passage_changed_differently_is_kept_twice_and_flagged() {
        let base = base();
        let mut ours = base.clone();
        ours.annotations[1].note = "ours".to_owned();
        let mut theirs = base.clone();
        theirs.annotations[1].note = "theirs".to_owned();
        theirs.annotations.push(Box::new(added(4, 90, "ben")));
        let (merged, conflicts) = merge3(&base, &ours, &theirs);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].item, ConflictItem::Passage(2));
        let flagged: Vec<(AnnotationId, &str)> = merged
            .annotations
            .iter()
            .filter(|a| a.conflict)
            .map(|a| (a.id, a.note.as_str()))
            .collect();
        assert_eq!(flagged, [(2, "ours"), (5, "theirs")]);
        assert!(merged.annotation(4).is_some_and(|a| !a.conflict));
    }

    #[test]
    fn deleted_on_one_side_and_changed_on_the_other_is_kept() {
        let base = base();
        let mut ours = base.clone();
        ours.annotations.remove(0);
        ours.codebook.remove(1);
        for a in &mut ours.annotations {
            a.tags.retain(|t| *t != 2);
        }
        let mut theirs = base.clone();
        theirs.annotations[0].note = "still needed".to_owned();
        theirs.annotations.push(Box::new(added(4, 90, "ben")));
        let (merged, conflicts) = merge3(&base, &ours, &theirs);
        assert_eq!(conflicts.len(), 2, "{conflicts:?}");
        assert!(merged.annotation(1).is_some_and(|a| a.conflict));
        assert!(
            merged.tag(2).is_some(),
            "tag 2 is used by theirs' new passage"
        );
        assert!(matches!(conflicts[1].item, ConflictItem::Tag(2)));
    }

    #[test]
    fn field_conflicts_on_tags_documents_and_memos_keep_ours_and_say_so() {
        let base = base();
        let mut ours = base.clone();
        ours.codebook[0].name = "speech".to_owned();
        ours.documents[0].memo = "ours".to_owned();
        let mut theirs = base.clone();
        theirs.codebook[0].name = "voice".to_owned();
        theirs.documents[0].memo = "theirs".to_owned();
        let (merged, conflicts) = merge3(&base, &ours, &theirs);
        assert_eq!(merged.codebook[0].name, "speech");
        assert!(
            merged.documents[0].memo.contains("ours")
                && merged.documents[0].memo.contains("theirs")
        );
        assert_eq!(conflicts.len(), 2);
        assert!(conflicts[0].message.contains("“voice”"), "{}", conflicts[0]);
    }

    #[test]
    fn a_reordered_codebook_keeps_its_order() {
        let base = base();
        let ours = base.clone();
        let mut theirs = base.clone();
        theirs.codebook.swap(0, 3);
        let merged = clean(&base, &ours, &theirs);
        assert_eq!(merged.codebook, theirs.codebook);
    }

    #[test]
    fn branches_without_a_common_ancestor_merge_by_content() {
        let empty = Project {
            codebook: Vec::new(),
            ..Project::new("")
        };
        let ours = base();
        let mut theirs = base();
        theirs.annotations.push(Box::new(added(4, 90, "ben")));
        let merged = clean(&empty, &ours, &theirs);
        assert_eq!(merged.annotations.len(), 4);
        assert_eq!(merged.codebook.len(), 4);
        assert_eq!(merged.documents.len(), 1);
    }

    #[test]
    fn speakers_added_on_both_branches_keep_their_turns() {
        // Both coders had Dana (case 1) in the base; each imported another focus group and
        // handed out case 2 on their own: Ben in ours, Chloé and dana in theirs.
        let case = |id, name: &str| Case {
            id,
            name: name.to_owned(),
            attributes: Default::default(),
            memo: String::new(),
        };
        let turn = |start, speaker| crate::model::Turn {
            start,
            end: start + 5,
            speaker: Some(speaker),
            time_start: Some(start as f64),
            time_end: None,
        };
        let group = |id, sha: &str, turns| Document {
            turns,
            direction: Default::default(),
            id,
            path: format!("{sha}.txt"),
            title: sha.to_owned(),
            sha256: sha.to_owned(),
            chars: 100,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        };
        let mut base = base();
        base.cases = vec![case(1, "Dana")];
        base.sync_id_counters();
        let mut ours = base.clone();
        ours.cases.push(case(2, "Ben"));
        ours.documents
            .push(group(2, "OURS", vec![turn(0, 1), turn(10, 2)]));
        ours.sync_id_counters();
        let mut theirs = base.clone();
        theirs.cases.push(case(2, "Chloé"));
        theirs.cases[0].memo = "Dana leads the night shift".to_owned();
        theirs
            .documents
            .push(group(2, "THEIRS", vec![turn(0, 2), turn(10, 1)]));
        theirs.sync_id_counters();

        let (merged, conflicts) = merge3(&base, &ours, &theirs);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        let speakers = |sha: &str| -> Vec<&str> {
            let document = merged.documents.iter().find(|d| d.sha256 == sha).unwrap();
            document
                .turns
                .iter()
                .map(|t| merged.speaker_name(t))
                .collect()
        };
        assert_eq!(speakers("OURS"), ["Dana", "Ben"]);
        assert_eq!(
            speakers("THEIRS"),
            ["Chloé", "Dana"],
            "theirs' case 2 is not ours' Ben"
        );
        let names: Vec<&str> = merged.cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Dana", "Ben", "Chloé"]);
        assert_eq!(merged.cases[0].memo, "Dana leads the night shift");
    }

    #[test]
    fn a_case_deleted_on_one_branch_but_speaking_on_the_other_stays() {
        let case = |id, name: &str| Case {
            id,
            name: name.to_owned(),
            attributes: Default::default(),
            memo: String::new(),
        };
        let mut base = base();
        base.cases = vec![case(1, "Dana"), case(2, "Eli")];
        base.documents[0].turns = vec![crate::model::Turn {
            start: 0,
            end: 5,
            speaker: Some(2),
            time_start: None,
            time_end: None,
        }];
        base.sync_id_counters();
        // Ours deleted Eli; theirs moved Eli's turn: the turn must not lose its speaker.
        let mut theirs = base.clone();
        theirs.documents[0].turns[0].end = 6;
        let mut ours = base.clone();
        ours.cases.retain(|c| c.id != 2);
        let (merged, conflicts) = merge3(&base, &ours, &theirs);
        assert_eq!(merged.documents[0].turns[0].end, 6, "theirs' turns taken");
        assert_eq!(merged.speaker_name(&merged.documents[0].turns[0]), "Eli");
        assert!(
            conflicts.iter().any(|c| c.item == ConflictItem::Case(2)),
            "{conflicts:?}"
        );
    }
}
