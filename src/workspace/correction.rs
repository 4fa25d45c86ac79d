//! Correcting a document's text, its passages moving with the changes.

use super::*;

/// What correcting a document's text did to its passages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Correction {
    /// Passages whose span, quote or context changed with the text.
    pub moved: usize,
    /// Passages whose every character was deleted: listed under Needs attention.
    pub orphaned: usize,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum CorrectionError {
    #[error("“{0}” cannot be corrected: its text is not read as the project recorded it")]
    NotReadable(String),
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl Workspace {
    /// Replace a document's text with `corrected`, which `changes` made from its current
    /// text (in order, as [`crate::correct::push_change`] collects them), as one undoable
    /// step: the document's fingerprint, and every passage following the changes (a
    /// passage whose text was deleted entirely keeps its old span and quote and is listed
    /// under Needs attention). The text is written to the document's file by
    /// [`Self::take_text_writes`]; undo and redo write the text they put back the same way.
    /// When `changes` do not make `corrected`, the one change between the two texts is
    /// used instead.
    pub fn correct_text(
        &mut self,
        doc: DocId,
        corrected: String,
        changes: &[crate::correct::TextChange],
    ) -> Result<Correction, CorrectionError> {
        let document = self
            .project
            .document(doc)
            .ok_or(EditError::NoDocument(doc))?;
        let Some(SourceState::Ok(old)) = self.source(doc) else {
            return Err(CorrectionError::NotReadable(document.title.clone()));
        };
        if old.as_str() == corrected {
            return Ok(Correction::default());
        }
        // The changes must account for the new length; otherwise trust only the texts.
        let grown: isize = changes
            .iter()
            .map(|c| c.inserted_chars as isize - (c.end - c.start) as isize)
            .sum();
        let fallback;
        let changes = if old.char_count() as isize + grown == corrected.chars().count() as isize {
            changes
        } else {
            fallback = crate::correct::diff(old.as_str(), &corrected)
                .into_iter()
                .collect::<Vec<_>>();
            &fallback
        };
        let new_text = DocumentText::new(corrected);
        let passages: Vec<&Annotation> = self
            .project
            .annotations_slice_of(doc)
            .iter()
            .map(|a| &**a)
            .filter(|a| !self.misplaced.contains(&a.id))
            .collect();
        let spans: Vec<_> = passages.iter().map(|a| a.range()).collect();
        let mut summary = Correction::default();
        let mut edits = vec![Edit::ReplaceText {
            doc,
            sha256: anchor::sha256_hex(new_text.as_str().as_bytes()),
            text: Arc::from(new_text.as_str()),
            previous: Arc::from(old.as_str()),
        }];
        for (passage, mapped) in passages
            .iter()
            .zip(crate::correct::map_spans(&spans, changes))
        {
            let Some(range) = mapped else {
                summary.orphaned += 1;
                continue;
            };
            let Some(found) = anchor::anchor_at(&new_text, range) else {
                summary.orphaned += 1;
                continue;
            };
            if (found.start, found.end) == (passage.start, passage.end)
                && found.quote == passage.quote
                && found.prefix == passage.prefix
                && found.suffix == passage.suffix
            {
                continue;
            }
            summary.moved += 1;
            edits.push(Edit::MoveAnnotation {
                id: passage.id,
                start: found.start,
                end: found.end,
                quote: found.quote,
                prefix: found.prefix,
                suffix: found.suffix,
            });
        }
        // A transcript's turns move with the text as its passages do; a turn whose every
        // character was deleted goes.
        if !document.turns.is_empty() {
            let spans: Vec<_> = document.turns.iter().map(|t| t.range()).collect();
            let mut mapped = crate::correct::map_spans(&spans, changes).into_iter();
            let turns = crate::edit::turns_mapped(&self.project, doc, |_| mapped.next().flatten());
            edits.push(Edit::SetTurns { doc, turns });
        }
        self.apply_labelled(Edit::Batch(edits), "correct text")?;
        Ok(summary)
    }
}
