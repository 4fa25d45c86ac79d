//! The common edits phrased as a researcher would: tag this span, tag every hit, toggle.

use super::*;

impl Workspace {
    /// Tag `range` of `doc` with `tag`: a new passage, or when a passage covers exactly this
    /// range already, the tag is toggled on it. Returns the passage, or `None` when the
    /// toggle removed its last tag and with it the passage.
    pub fn tag_range(
        &mut self,
        doc: DocId,
        range: std::ops::Range<usize>,
        tag: TagId,
    ) -> Result<Option<AnnotationId>, EditError> {
        if let Some(existing) = self
            .project
            .annotation_at_exact_of(doc, range.clone(), &self.coder)
        {
            let id = existing.id;
            return self.toggle_tag(id, tag);
        }
        let anchor = self
            .text(doc)
            .and_then(|t| anchor::anchor_at(t, range.clone()))
            .ok_or(EditError::BadSpan {
                start: range.start,
                end: range.end,
            })?;
        let id = self.project.next_annotation_id();
        self.apply(Edit::AddAnnotation(anchor.into_passage(
            id,
            doc,
            tag,
            &self.coder,
            &crate::model::now_rfc3339(),
        )))?;
        Ok(Some(id))
    }

    /// Tag every range in `hits` with `tag` as one undoable step: new passages where there
    /// are none, the tag added to passages that cover a hit exactly. Returns how many
    /// passages gained the tag.
    pub fn tag_all(
        &mut self,
        hits: &[(DocId, std::ops::Range<usize>)],
        tag: TagId,
    ) -> Result<usize, EditError> {
        if self.project.tag(tag).is_none() {
            return Err(EditError::NoTag(tag));
        }
        let order: Vec<TagId> = self.project.codebook.iter().map(|t| t.id).collect();
        let mut next_id = self.project.next_annotation_id();
        let created = crate::model::now_rfc3339();
        let mut edits = Vec::new();
        for (doc, range) in hits {
            if let Some(existing) =
                self.project
                    .annotation_at_exact_of(*doc, range.clone(), &self.coder)
            {
                if !existing.tags.contains(&tag) {
                    let mut tags = existing.tags.clone();
                    tags.push(tag);
                    tags.sort_by_key(|t| order.iter().position(|o| o == t));
                    edits.push(Edit::SetAnnotationTags {
                        id: existing.id,
                        tags,
                    });
                }
                continue;
            }
            let anchor = self
                .text(*doc)
                .and_then(|t| anchor::anchor_at(t, range.clone()))
                .ok_or(EditError::BadSpan {
                    start: range.start,
                    end: range.end,
                })?;
            edits.push(Edit::AddAnnotation(anchor.into_passage(
                next_id,
                *doc,
                tag,
                &self.coder,
                &created,
            )));
            next_id += 1;
        }
        let count = edits.len();
        if count > 0 {
            self.apply_labelled(Edit::Batch(edits), "tag all hits")?;
        }
        Ok(count)
    }

    /// Add or remove one tag on a passage; removing its last tag deletes the passage.
    pub fn toggle_tag(
        &mut self,
        id: AnnotationId,
        tag: TagId,
    ) -> Result<Option<AnnotationId>, EditError> {
        let annotation = self
            .project
            .annotation(id)
            .ok_or(EditError::NoAnnotation(id))?;
        let mut tags = annotation.tags.clone();
        if let Some(position) = tags.iter().position(|t| *t == tag) {
            tags.remove(position);
        } else {
            tags.push(tag);
            let order: Vec<TagId> = self.project.codebook.iter().map(|t| t.id).collect();
            tags.sort_by_key(|t| order.iter().position(|o| o == t));
        }
        if tags.is_empty() {
            self.apply(Edit::RemoveAnnotation(id))?;
            Ok(None)
        } else {
            self.apply(Edit::SetAnnotationTags { id, tags })?;
            Ok(Some(id))
        }
    }
}
