//! Every change to a project is an [`Edit`]. Applying one returns its inverse, which is all
//! that undo, redo, the unsaved marker and autosave need.

use std::sync::Arc;

use thiserror::Error;

mod between;
mod cases;

pub use cases::turns_mapped;

use crate::model::{
    Annotation, AnnotationId, Attribute, AttributeId, Case, CaseId, DocId, Document, Project, Tag,
    TagId, Turn,
};

#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    AddAnnotation(Annotation),
    RemoveAnnotation(AnnotationId),
    SetAnnotationTags {
        id: AnnotationId,
        tags: Vec<TagId>,
    },
    SetAnnotationNote {
        id: AnnotationId,
        note: String,
    },
    /// Mark a passage as one of two versions a git merge kept, or (`false`) clear the mark
    /// once a person has chosen it.
    SetAnnotationConflict {
        id: AnnotationId,
        conflict: bool,
    },
    /// Re-place a passage on new text (re-anchoring an orphan, or correcting a span), with
    /// the quote and context found there.
    MoveAnnotation {
        id: AnnotationId,
        start: usize,
        end: usize,
        quote: String,
        prefix: String,
        suffix: String,
    },
    InsertTag {
        index: usize,
        tag: Tag,
    },
    RemoveTag(TagId),
    UpdateTag(Tag),
    MoveTag {
        id: TagId,
        to_index: usize,
    },
    InsertDocument {
        index: usize,
        document: Document,
    },
    RemoveDocument(DocId),
    UpdateDocument(Document),
    SetProjectMemo(String),
    RenameProject(String),
    /// Define a document attribute, at `index` in the list of attributes.
    InsertAttribute {
        index: usize,
        attribute: Attribute,
    },
    /// Delete an attribute's definition and every document's value of it.
    RemoveAttribute(AttributeId),
    /// Rename an attribute, change its description or kind (every value it has must fit
    /// the new kind).
    UpdateAttribute(Attribute),
    /// Give a document a value of an attribute, or (`None`) take its value away.
    SetAttributeValue {
        doc: DocId,
        attribute: AttributeId,
        value: Option<String>,
    },
    /// Add a case (a speaker, a participant) at `index` in the list of cases.
    InsertCase {
        index: usize,
        case: Case,
    },
    /// Delete a case no turn is spoken by.
    RemoveCase(CaseId),
    /// Rename a case, change its attribute values or memo.
    UpdateCase(Case),
    /// Replace a transcript's turns (their spans after a correction, their speakers after
    /// cases were merged).
    SetTurns {
        doc: DocId,
        turns: Vec<Turn>,
    },
    /// Several edits that undo and redo as one step.
    Batch(Vec<Edit>),
    /// Put back a passage exactly as it was, even with no tags left (undo of a tag or
    /// document removal); the UI creates passages with [`Edit::AddAnnotation`].
    RestoreAnnotation(Annotation),
    /// Put back a passage's tags exactly as they were, even an empty list.
    RestoreAnnotationTags {
        id: AnnotationId,
        tags: Vec<TagId>,
    },
    /// Replace a document's text (a correction made in the text editor): the document
    /// records `text`'s fingerprint and length; the workspace shows `text` and writes it to
    /// the document's file. `previous` is the text it replaces, which the inverse puts back.
    /// Its passages move with [`Edit::MoveAnnotation`]s in the same batch.
    ReplaceText {
        doc: DocId,
        text: Arc<str>,
        /// Hex SHA-256 of `text`'s UTF-8 bytes.
        sha256: String,
        previous: Arc<str>,
    },
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum EditError {
    #[error("there is no passage with id {0}")]
    NoAnnotation(AnnotationId),
    #[error("there is no tag with id {0}")]
    NoTag(TagId),
    #[error("there is no document with id {0}")]
    NoDocument(DocId),
    #[error("an item with id {0} already exists")]
    DuplicateId(u32),
    #[error("the span {start}..{end} is empty or reversed")]
    BadSpan { start: usize, end: usize },
    #[error("a passage needs at least one tag")]
    NoTags,
    #[error("there is no attribute with id {0}")]
    NoAttribute(AttributeId),
    #[error("an attribute named {0:?} already exists")]
    DuplicateAttributeName(String),
    #[error("an attribute needs a name")]
    EmptyAttributeName,
    #[error("attribute {attribute:?}: {problem}")]
    ValueDoesNotFit { attribute: String, problem: String },
    #[error("there is no case with id {0}")]
    NoCase(CaseId),
    #[error("a case named {0:?} already exists")]
    DuplicateCaseName(String),
    #[error("a case needs a name")]
    EmptyCaseName,
    #[error("{case:?} speaks in “{document}”: merge the case into another instead")]
    CaseSpeaks { case: String, document: String },
}

impl Edit {
    /// A short description for the Undo/Redo menu items.
    pub fn label(&self) -> &'static str {
        match self {
            Edit::AddAnnotation(_) => "add passage",
            Edit::RemoveAnnotation(_) => "delete passage",
            Edit::SetAnnotationTags { .. } => "change tags",
            Edit::SetAnnotationNote { .. } => "edit note",
            Edit::SetAnnotationConflict {
                conflict: false, ..
            } => "keep passage",
            Edit::SetAnnotationConflict { conflict: true, .. } => "mark conflict",
            Edit::MoveAnnotation { .. } => "move passage",
            Edit::InsertTag { .. } => "add tag",
            Edit::RemoveTag(_) => "delete tag",
            Edit::UpdateTag(_) => "change tag",
            Edit::MoveTag { .. } => "reorder tags",
            Edit::InsertDocument { .. } => "add document",
            Edit::RemoveDocument(_) => "remove document",
            Edit::UpdateDocument(_) => "change document",
            Edit::SetProjectMemo(_) => "edit project memo",
            Edit::RenameProject(_) => "rename project",
            Edit::InsertAttribute { .. } => "add attribute",
            Edit::RemoveAttribute(_) => "delete attribute",
            Edit::UpdateAttribute(_) => "change attribute",
            Edit::SetAttributeValue { .. } => "set attribute value",
            Edit::InsertCase { .. } => "add case",
            Edit::RemoveCase(_) => "delete case",
            Edit::UpdateCase(_) => "change case",
            Edit::SetTurns { .. } => "change turns",
            Edit::Batch(_) => "several changes",
            Edit::RestoreAnnotation(_) => "restore passage",
            Edit::RestoreAnnotationTags { .. } => "restore tags",
            Edit::ReplaceText { .. } => "correct text",
        }
    }

    /// Every document this edit would put into a project (to rewrite their paths when the
    /// project file moves to another folder).
    pub fn for_each_document_mut(&mut self, visit: &mut impl FnMut(&mut Document)) {
        match self {
            Edit::InsertDocument { document, .. } | Edit::UpdateDocument(document) => {
                visit(document)
            }
            Edit::Batch(edits) => {
                for edit in edits {
                    edit.for_each_document_mut(visit);
                }
            }
            _ => {}
        }
    }

    /// Whether applying `self` after `earlier` leaves nothing `earlier` did not already
    /// decide: both put back the same single field. Undo then needs only `earlier`, which
    /// keeps a long typing session's undo step the size of one value, not one per key.
    pub fn restores_same_value_as(&self, earlier: &Edit) -> bool {
        match (self, earlier) {
            (Edit::SetAnnotationNote { id: a, .. }, Edit::SetAnnotationNote { id: b, .. }) => {
                a == b
            }
            (Edit::UpdateTag(a), Edit::UpdateTag(b)) => a.id == b.id,
            (Edit::UpdateDocument(a), Edit::UpdateDocument(b)) => a.id == b.id,
            (Edit::UpdateAttribute(a), Edit::UpdateAttribute(b)) => a.id == b.id,
            (Edit::UpdateCase(a), Edit::UpdateCase(b)) => a.id == b.id,
            (
                Edit::SetAttributeValue {
                    doc: a,
                    attribute: x,
                    ..
                },
                Edit::SetAttributeValue {
                    doc: b,
                    attribute: y,
                    ..
                },
            ) => a == b && x == y,
            (Edit::SetProjectMemo(_), Edit::SetProjectMemo(_))
            | (Edit::RenameProject(_), Edit::RenameProject(_)) => true,
            _ => false,
        }
    }

    /// Apply to `project` and return the edit that undoes it. On error the project is
    /// unchanged (a failing batch rolls back the parts it had applied).
    pub fn apply(&self, project: &mut Project) -> Result<Edit, EditError> {
        // Every edit is listed here, so a new one does not build until it has its place.
        match self {
            Edit::AddAnnotation(..)
            | Edit::RemoveAnnotation(..)
            | Edit::SetAnnotationTags { .. }
            | Edit::SetAnnotationNote { .. }
            | Edit::SetAnnotationConflict { .. }
            | Edit::MoveAnnotation { .. }
            | Edit::RestoreAnnotation(..)
            | Edit::RestoreAnnotationTags { .. } => self.apply_to_passages(project),
            Edit::InsertTag { .. }
            | Edit::RemoveTag(..)
            | Edit::UpdateTag(..)
            | Edit::MoveTag { .. } => self.apply_to_codebook(project),
            Edit::InsertDocument { .. }
            | Edit::RemoveDocument(..)
            | Edit::UpdateDocument(..)
            | Edit::SetProjectMemo(..)
            | Edit::RenameProject(..)
            | Edit::ReplaceText { .. } => self.apply_to_documents(project),
            Edit::InsertAttribute { .. }
            | Edit::RemoveAttribute(..)
            | Edit::UpdateAttribute(..)
            | Edit::SetAttributeValue { .. } => self.apply_to_attributes(project),
            Edit::InsertCase { .. }
            | Edit::RemoveCase(..)
            | Edit::UpdateCase(..)
            | Edit::SetTurns { .. } => self.apply_to_cases(project),
            Edit::Batch(edits) => {
                let ids_before = project.ids.clone();
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(project) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(error) => {
                            for inverse in inverses.iter().rev() {
                                inverse
                                    .apply(project)
                                    .expect("the inverse of an applied edit applies");
                            }
                            project.ids = ids_before;
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }

    /// A passage added, removed, retagged, annotated or moved.
    fn apply_to_passages(&self, project: &mut Project) -> Result<Edit, EditError> {
        match self {
            Edit::AddAnnotation(annotation) => {
                if annotation.start >= annotation.end {
                    return Err(EditError::BadSpan {
                        start: annotation.start,
                        end: annotation.end,
                    });
                }
                if annotation.tags.is_empty() {
                    return Err(EditError::NoTags);
                }
                // An id above the counter was never handed out; below it, look.
                if annotation.id <= project.ids.annotation
                    && project.annotation(annotation.id).is_some()
                {
                    return Err(EditError::DuplicateId(annotation.id));
                }
                if project.document(annotation.doc).is_none() {
                    return Err(EditError::NoDocument(annotation.doc));
                }
                if let Some(missing) = annotation.tags.iter().find(|t| project.tag(**t).is_none()) {
                    return Err(EditError::NoTag(*missing));
                }
                let index = project.annotation_insert_position(annotation);
                project
                    .annotations
                    .insert(index, Box::new(annotation.clone()));
                project.ids.annotation = project.ids.annotation.max(annotation.id);
                Ok(Edit::RemoveAnnotation(annotation.id))
            }
            Edit::RemoveAnnotation(id) => {
                let index = annotation_index(project, *id)?;
                let removed = project.annotations.remove(index);
                Ok(Edit::AddAnnotation(*removed))
            }
            Edit::SetAnnotationTags { id, tags } => {
                if tags.is_empty() {
                    return Err(EditError::NoTags);
                }
                if let Some(missing) = tags.iter().find(|t| project.tag(**t).is_none()) {
                    return Err(EditError::NoTag(*missing));
                }
                let index = annotation_index(project, *id)?;
                let old = std::mem::replace(&mut project.annotations[index].tags, tags.clone());
                Ok(Edit::SetAnnotationTags { id: *id, tags: old })
            }
            Edit::SetAnnotationNote { id, note } => {
                let index = annotation_index(project, *id)?;
                let old = std::mem::replace(&mut project.annotations[index].note, note.clone());
                Ok(Edit::SetAnnotationNote { id: *id, note: old })
            }
            Edit::SetAnnotationConflict { id, conflict } => {
                let index = annotation_index(project, *id)?;
                let old = std::mem::replace(&mut project.annotations[index].conflict, *conflict);
                Ok(Edit::SetAnnotationConflict {
                    id: *id,
                    conflict: old,
                })
            }
            Edit::MoveAnnotation {
                id,
                start,
                end,
                quote,
                prefix,
                suffix,
            } => {
                if start >= end {
                    return Err(EditError::BadSpan {
                        start: *start,
                        end: *end,
                    });
                }
                let index = annotation_index(project, *id)?;
                let mut annotation = project.annotations.remove(index);
                let inverse = Edit::MoveAnnotation {
                    id: *id,
                    start: annotation.start,
                    end: annotation.end,
                    quote: std::mem::replace(&mut annotation.quote, quote.clone()),
                    prefix: std::mem::replace(&mut annotation.prefix, prefix.clone()),
                    suffix: std::mem::replace(&mut annotation.suffix, suffix.clone()),
                };
                annotation.start = *start;
                annotation.end = *end;
                let index = project.annotation_insert_position(&annotation);
                project.annotations.insert(index, annotation);
                Ok(inverse)
            }
            Edit::RestoreAnnotation(annotation) => {
                // An id above the counter was never handed out; below it, look.
                if annotation.id <= project.ids.annotation
                    && project.annotation(annotation.id).is_some()
                {
                    return Err(EditError::DuplicateId(annotation.id));
                }
                let index = project.annotation_insert_position(annotation);
                project
                    .annotations
                    .insert(index, Box::new(annotation.clone()));
                Ok(Edit::RemoveAnnotation(annotation.id))
            }
            Edit::RestoreAnnotationTags { id, tags } => {
                let index = annotation_index(project, *id)?;
                let old = std::mem::replace(&mut project.annotations[index].tags, tags.clone());
                Ok(Edit::RestoreAnnotationTags { id: *id, tags: old })
            }
            _ => unreachable!("Edit::apply sends only these edits here"),
        }
    }

    /// A tag added, removed, changed or moved in the codebook.
    fn apply_to_codebook(&self, project: &mut Project) -> Result<Edit, EditError> {
        match self {
            Edit::InsertTag { index, tag } => {
                if project.tag(tag.id).is_some() {
                    return Err(EditError::DuplicateId(tag.id));
                }
                let index = (*index).min(project.codebook.len());
                project.codebook.insert(index, tag.clone());
                project.ids.tag = project.ids.tag.max(tag.id);
                Ok(Edit::RemoveTag(tag.id))
            }
            Edit::RemoveTag(id) => {
                let index = tag_index(project, *id)?;
                // Passages keep existing when they lose their last tag: a coder's selection is
                // work too, and the codebook panel lists them as untagged.
                let mut restore = Vec::new();
                for annotation in &mut project.annotations {
                    if annotation.tags.contains(id) {
                        restore.push(Edit::RestoreAnnotationTags {
                            id: annotation.id,
                            tags: annotation.tags.clone(),
                        });
                        annotation.tags.retain(|t| t != id);
                    }
                }
                let removed = project.codebook.remove(index);
                let children: Vec<Tag> = project
                    .codebook
                    .iter_mut()
                    .filter(|t| t.parent == Some(*id))
                    .map(|t| {
                        let before = t.clone();
                        t.parent = None;
                        before
                    })
                    .collect();
                let mut inverse = vec![Edit::InsertTag {
                    index,
                    tag: removed,
                }];
                inverse.extend(children.into_iter().map(Edit::UpdateTag));
                inverse.extend(restore);
                Ok(Edit::Batch(inverse))
            }
            Edit::UpdateTag(tag) => {
                let index = tag_index(project, tag.id)?;
                let old = std::mem::replace(&mut project.codebook[index], tag.clone());
                Ok(Edit::UpdateTag(old))
            }
            Edit::MoveTag { id, to_index } => {
                let index = tag_index(project, *id)?;
                let tag = project.codebook.remove(index);
                let to_index = (*to_index).min(project.codebook.len());
                project.codebook.insert(to_index, tag);
                Ok(Edit::MoveTag {
                    id: *id,
                    to_index: index,
                })
            }
            _ => unreachable!("Edit::apply sends only these edits here"),
        }
    }

    /// A document added, removed or changed; the project's memo and name.
    fn apply_to_documents(&self, project: &mut Project) -> Result<Edit, EditError> {
        match self {
            Edit::InsertDocument { index, document } => {
                if project.document(document.id).is_some() {
                    return Err(EditError::DuplicateId(document.id));
                }
                let index = (*index).min(project.documents.len());
                project.documents.insert(index, document.clone());
                project.ids.document = project.ids.document.max(document.id);
                Ok(Edit::RemoveDocument(document.id))
            }
            Edit::RemoveDocument(id) => {
                let index = project
                    .documents
                    .iter()
                    .position(|d| d.id == *id)
                    .ok_or(EditError::NoDocument(*id))?;
                let document = project.documents.remove(index);
                let mut inverse = vec![Edit::InsertDocument { index, document }];
                let (removed, kept): (Vec<Box<Annotation>>, Vec<Box<Annotation>>) =
                    std::mem::take(&mut project.annotations)
                        .into_iter()
                        .partition(|a| a.doc == *id);
                project.annotations = kept;
                inverse.extend(removed.into_iter().map(|a| Edit::RestoreAnnotation(*a)));
                Ok(Edit::Batch(inverse))
            }
            Edit::UpdateDocument(document) => {
                let index = project
                    .documents
                    .iter()
                    .position(|d| d.id == document.id)
                    .ok_or(EditError::NoDocument(document.id))?;
                let old = std::mem::replace(&mut project.documents[index], document.clone());
                Ok(Edit::UpdateDocument(old))
            }
            Edit::SetProjectMemo(memo) => {
                let old = std::mem::replace(&mut project.memo, memo.clone());
                Ok(Edit::SetProjectMemo(old))
            }
            Edit::RenameProject(name) => {
                let old = std::mem::replace(&mut project.name, name.clone());
                Ok(Edit::RenameProject(old))
            }
            Edit::ReplaceText {
                doc,
                text,
                sha256,
                previous,
            } => {
                let document = project
                    .documents
                    .iter_mut()
                    .find(|d| d.id == *doc)
                    .ok_or(EditError::NoDocument(*doc))?;
                let old_sha256 = std::mem::replace(&mut document.sha256, sha256.clone());
                document.chars = text.chars().count();
                Ok(Edit::ReplaceText {
                    doc: *doc,
                    text: Arc::clone(previous),
                    sha256: old_sha256,
                    previous: Arc::clone(text),
                })
            }
            _ => unreachable!("Edit::apply sends only these edits here"),
        }
    }

    /// A document attribute defined, removed or changed, or a document's value.
    fn apply_to_attributes(&self, project: &mut Project) -> Result<Edit, EditError> {
        match self {
            Edit::InsertAttribute { index, attribute } => {
                if project.attribute(attribute.id).is_some() {
                    return Err(EditError::DuplicateId(attribute.id));
                }
                check_attribute_name(project, attribute)?;
                let index = (*index).min(project.attributes.len());
                project.attributes.insert(index, attribute.clone());
                Ok(Edit::RemoveAttribute(attribute.id))
            }
            Edit::RemoveAttribute(id) => {
                let index = attribute_index(project, *id)?;
                let attribute = project.attributes.remove(index);
                let mut inverse = vec![Edit::InsertAttribute { index, attribute }];
                for document in &mut project.documents {
                    if let Some(value) = document.attributes.remove(id) {
                        inverse.push(Edit::SetAttributeValue {
                            doc: document.id,
                            attribute: *id,
                            value: Some(value),
                        });
                    }
                }
                for case in &mut project.cases {
                    if case.attributes.contains_key(id) {
                        inverse.push(Edit::UpdateCase(case.clone()));
                        case.attributes.remove(id);
                    }
                }
                Ok(Edit::Batch(inverse))
            }
            Edit::UpdateAttribute(attribute) => {
                let index = attribute_index(project, attribute.id)?;
                check_attribute_name(project, attribute)?;
                for document in &project.documents {
                    if let Some(value) = document.attributes.get(&attribute.id) {
                        attribute.kind.check(value).map_err(|problem| {
                            EditError::ValueDoesNotFit {
                                attribute: attribute.name.clone(),
                                problem: format!("document {:?}: {problem}", document.title),
                            }
                        })?;
                    }
                }
                for case in &project.cases {
                    if let Some(value) = case.attributes.get(&attribute.id) {
                        attribute.kind.check(value).map_err(|problem| {
                            EditError::ValueDoesNotFit {
                                attribute: attribute.name.clone(),
                                problem: format!("case {:?}: {problem}", case.name),
                            }
                        })?;
                    }
                }
                let old = std::mem::replace(&mut project.attributes[index], attribute.clone());
                Ok(Edit::UpdateAttribute(old))
            }
            Edit::SetAttributeValue {
                doc,
                attribute,
                value,
            } => {
                let definition = project
                    .attribute(*attribute)
                    .ok_or(EditError::NoAttribute(*attribute))?;
                if let Some(value) = value {
                    definition
                        .kind
                        .check(value)
                        .map_err(|problem| EditError::ValueDoesNotFit {
                            attribute: definition.name.clone(),
                            problem,
                        })?;
                }
                let document = project
                    .documents
                    .iter_mut()
                    .find(|d| d.id == *doc)
                    .ok_or(EditError::NoDocument(*doc))?;
                let old = match value {
                    Some(value) => document.attributes.insert(*attribute, value.clone()),
                    None => document.attributes.remove(attribute),
                };
                Ok(Edit::SetAttributeValue {
                    doc: *doc,
                    attribute: *attribute,
                    value: old,
                })
            }
            _ => unreachable!("Edit::apply sends only these edits here"),
        }
    }
}

fn annotation_index(project: &Project, id: AnnotationId) -> Result<usize, EditError> {
    project
        .annotations
        .iter()
        .position(|a| a.id == id)
        .ok_or(EditError::NoAnnotation(id))
}

fn attribute_index(project: &Project, id: AttributeId) -> Result<usize, EditError> {
    project
        .attributes
        .iter()
        .position(|a| a.id == id)
        .ok_or(EditError::NoAttribute(id))
}

/// An attribute's name is not empty and no other attribute has it.
fn check_attribute_name(project: &Project, attribute: &Attribute) -> Result<(), EditError> {
    if attribute.name.trim().is_empty() {
        return Err(EditError::EmptyAttributeName);
    }
    if project
        .attributes
        .iter()
        .any(|a| a.id != attribute.id && a.name == attribute.name)
    {
        return Err(EditError::DuplicateAttributeName(attribute.name.clone()));
    }
    Ok(())
}

fn tag_index(project: &Project, id: TagId) -> Result<usize, EditError> {
    project
        .codebook
        .iter()
        .position(|t| t.id == id)
        .ok_or(EditError::NoTag(id))
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

    fn passage(id: AnnotationId, start: usize, end: usize, tags: Vec<TagId>) -> Annotation {
        Annotation {
            id,
            doc: 1,
            start,
            end,
            tags,
            quote: "x".repeat(end - start),
            ..Default::default()
        }
    }

    /// Apply, undo, redo: each step must land exactly on the state before or after.
    fn round_trip(project: &mut Project, edit: Edit) {
        let before = project.clone();
        let inverse = edit.apply(project).unwrap();
        let after = project.clone();
        let redo = inverse.apply(project).unwrap();
        assert_eq!(project.annotations, before.annotations);
        assert_eq!(project.codebook, before.codebook);
        assert_eq!(project.documents, before.documents);
        assert_eq!(project.attributes, before.attributes);
        redo.apply(project).unwrap();
        assert_eq!(project.attributes, after.attributes);
        assert_eq!(project.annotations, after.annotations);
        assert_eq!(project.codebook, after.codebook);
        assert_eq!(project.documents, after.documents);
    }

    #[test]
    fn every_edit_undoes_and_redoes_exactly() {
        let mut p = project();
        round_trip(&mut p, Edit::AddAnnotation(passage(1, 5, 9, vec![1, 2])));
        round_trip(&mut p, Edit::AddAnnotation(passage(2, 2, 4, vec![3])));
        round_trip(
            &mut p,
            Edit::SetAnnotationConflict {
                id: 1,
                conflict: true,
            },
        );
        round_trip(
            &mut p,
            Edit::SetAnnotationTags {
                id: 1,
                tags: vec![4],
            },
        );
        round_trip(
            &mut p,
            Edit::SetAnnotationNote {
                id: 1,
                note: "why".into(),
            },
        );
        round_trip(
            &mut p,
            Edit::MoveAnnotation {
                id: 2,
                start: 50,
                end: 52,
                quote: "yy".into(),
                prefix: "before ".into(),
                suffix: " after".into(),
            },
        );
        round_trip(&mut p, Edit::RemoveTag(4));
        round_trip(&mut p, Edit::MoveTag { id: 1, to_index: 2 });
        round_trip(&mut p, Edit::RemoveAnnotation(2));
        round_trip(
            &mut p,
            Edit::ReplaceText {
                doc: 1,
                text: Arc::from("corrected"),
                sha256: "ab12".into(),
                previous: Arc::from("x".repeat(100)),
            },
        );
        round_trip(&mut p, Edit::RemoveDocument(1));
    }

    #[test]
    fn attribute_edits_undo_and_redo_exactly() {
        use crate::model::AttributeKind;
        let mut p = project();
        let outlet = Attribute {
            id: 1,
            name: "outlet".into(),
            kind: AttributeKind::Choice(vec!["Telegraph".into(), "Guardian".into()]),
            description: String::new(),
        };
        let year = Attribute {
            id: 2,
            name: "year".into(),
            kind: AttributeKind::Number,
            description: "of publication".into(),
        };
        round_trip(
            &mut p,
            Edit::InsertAttribute {
                index: 0,
                attribute: outlet.clone(),
            },
        );
        round_trip(
            &mut p,
            Edit::InsertAttribute {
                index: 0,
                attribute: year.clone(),
            },
        );
        assert_eq!(p.attributes[0].name, "year");
        let set = |attribute, value: Option<&str>| Edit::SetAttributeValue {
            doc: 1,
            attribute,
            value: value.map(str::to_owned),
        };
        round_trip(&mut p, set(1, Some("Guardian")));
        round_trip(&mut p, set(2, Some("2021")));
        round_trip(&mut p, set(1, Some("Telegraph")));
        round_trip(&mut p, set(2, None));
        round_trip(
            &mut p,
            Edit::UpdateAttribute(Attribute {
                name: "newspaper".into(),
                ..outlet.clone()
            }),
        );
        assert_eq!(p.attributes[1].name, "newspaper");
        assert_eq!(p.documents[0].attributes.get(&1).unwrap(), "Telegraph");
        // Deleting takes the values with it; undoing puts both back.
        let before = p.clone();
        let undo = Edit::RemoveAttribute(1).apply(&mut p).unwrap();
        assert!(p.documents[0].attributes.is_empty());
        assert_eq!(p.attributes.len(), 1);
        undo.apply(&mut p).unwrap();
        assert_eq!(p, before);
        round_trip(&mut p, Edit::RemoveAttribute(1));

        // Cases carry values of the same attributes: checked the same way, taken by a
        // deletion and put back by its undo.
        p.cases.push(crate::model::Case {
            id: 1,
            name: "Ana".into(),
            attributes: Default::default(),
            memo: String::new(),
        });
        let ana = p.cases[0].clone();
        let with_value = |value: &str| {
            let mut case = ana.clone();
            case.attributes.insert(2, value.to_owned());
            Edit::UpdateCase(case)
        };
        let refused = with_value("many").apply(&mut p.clone());
        assert!(
            matches!(refused, Err(EditError::ValueDoesNotFit { .. })),
            "{refused:?}"
        );
        round_trip(&mut p, with_value("1987"));
        assert_eq!(p.cases[0].attributes[&2], "1987");
        let before = p.clone();
        let undo = Edit::RemoveAttribute(2).apply(&mut p).unwrap();
        assert!(p.cases[0].attributes.is_empty());
        undo.apply(&mut p).unwrap();
        assert_eq!(p, before);
    }

    #[test]
    fn attribute_edits_that_do_not_fit_change_nothing() {
        use crate::model::AttributeKind;
        let mut p = project();
        let year = Attribute {
            id: 1,
            name: "year".into(),
            kind: AttributeKind::Number,
            description: String::new(),
        };
        Edit::InsertAttribute {
            index: 0,
            attribute: year.clone(),
        }
        .apply(&mut p)
        .unwrap();
        Edit::SetAttributeValue {
            doc: 1,
            attribute: 1,
            value: Some("2021".into()),
        }
        .apply(&mut p)
        .unwrap();
        let before = p.clone();
        let refused = [
            Edit::SetAttributeValue {
                doc: 1,
                attribute: 1,
                value: Some("soon".into()),
            },
            Edit::SetAttributeValue {
                doc: 9,
                attribute: 1,
                value: Some("1".into()),
            },
            Edit::SetAttributeValue {
                doc: 1,
                attribute: 9,
                value: None,
            },
            Edit::UpdateAttribute(Attribute {
                kind: AttributeKind::Date,
                ..year.clone()
            }),
            Edit::InsertAttribute {
                index: 0,
                attribute: Attribute {
                    id: 2,
                    ..year.clone()
                },
            },
            Edit::InsertAttribute {
                index: 0,
                attribute: Attribute {
                    id: 2,
                    name: " ".into(),
                    ..year.clone()
                },
            },
            Edit::RemoveAttribute(5),
        ];
        for edit in refused {
            assert!(edit.apply(&mut p).is_err(), "{edit:?}");
            assert_eq!(p, before, "{edit:?}");
        }
    }

    #[test]
    fn passages_stay_in_document_order() {
        let mut p = project();
        for (id, start) in [(1, 40), (2, 10), (3, 25)] {
            Edit::AddAnnotation(passage(id, start, start + 3, vec![1]))
                .apply(&mut p)
                .unwrap();
        }
        let starts: Vec<usize> = p.annotations.iter().map(|a| a.start).collect();
        assert_eq!(starts, vec![10, 25, 40]);
    }

    #[test]
    fn removing_a_tag_keeps_passages_that_lose_their_last_tag() {
        let mut p = project();
        Edit::AddAnnotation(passage(1, 0, 3, vec![2]))
            .apply(&mut p)
            .unwrap();
        let undo = Edit::RemoveTag(2).apply(&mut p).unwrap();
        assert_eq!(p.annotations.len(), 1);
        assert!(p.annotations[0].tags.is_empty());
        undo.apply(&mut p).unwrap();
        assert_eq!(p.annotations[0].tags, vec![2]);
        assert_eq!(p.codebook[1].name, "statistic");
    }

    #[test]
    fn invalid_edits_are_refused_and_change_nothing() {
        let mut p = project();
        let before = p.clone();
        assert_eq!(
            Edit::AddAnnotation(passage(1, 0, 3, vec![99])).apply(&mut p),
            Err(EditError::NoTag(99))
        );
        assert_eq!(
            Edit::AddAnnotation(passage(1, 3, 3, vec![1])).apply(&mut p),
            Err(EditError::BadSpan { start: 3, end: 3 })
        );
        let batch = Edit::Batch(vec![
            Edit::AddAnnotation(passage(1, 0, 3, vec![1])),
            Edit::AddAnnotation(passage(1, 5, 8, vec![1])),
        ]);
        assert_eq!(batch.apply(&mut p), Err(EditError::DuplicateId(1)));
        assert_eq!(p, before);
    }
}
