//! The documents' texts as read from disk, and corrected texts waiting to be written back.

use super::*;

/// A document's text to write to its file, ready to run on any thread: the window's
/// correction of a text, or the text that undoing or redoing one puts back.
#[derive(Clone, Debug)]
pub struct TextWrite {
    pub doc: DocId,
    pub file: PathBuf,
    pub text: Arc<str>,
    /// Fingerprint of the text the file holds now, as this window last knew it.
    expected: String,
}

impl TextWrite {
    /// Write the text atomically, keeping what the file held as `NAME.bak`. Nothing is
    /// written when the file holds this text already, and nothing when another program
    /// changed it since ([`StoreError::ChangedOnDisk`]): its text is not this window's to
    /// overwrite.
    pub fn run(&self) -> Result<(), StoreError> {
        let now = std::fs::read(&self.file).map_err(|source| StoreError::Io {
            file: self.file.clone(),
            source,
        })?;
        let now = anchor::sha256_hex(&now);
        if now == anchor::sha256_hex(self.text.as_bytes()) {
            return Ok(());
        }
        if now != self.expected {
            return Err(StoreError::ChangedOnDisk {
                file: self.file.clone(),
            });
        }
        store::write_atomically(&self.file, self.text.as_bytes(), true)
    }
}

impl Workspace {
    /// Characters of each document whose text could be read, as agreement and statistics
    /// take them (a document left out counts with the length recorded in the project).
    pub fn text_lengths(&self) -> std::collections::BTreeMap<DocId, usize> {
        self.project
            .documents
            .iter()
            .filter_map(|d| self.text(d.id).map(|t| (d.id, t.char_count())))
            .collect()
    }

    /// Read every document's file again (after it changed on disk, or after Save as).
    pub fn reload_sources(&mut self) {
        let base = self.base_dir();
        self.sources_read_as = self
            .project
            .documents
            .iter()
            .map(|d| (d.id, (d.path.clone(), d.sha256.clone())))
            .collect();
        self.sources = self
            .project
            .documents
            .iter()
            .map(|d| {
                let file = store::resolve_document_path(&d.path, &base);
                (d.id, anchor::read_source(d, &file))
            })
            .collect();
        self.recheck_all_spans();
        self.bump_revision(None);
    }

    pub fn source(&self, doc: DocId) -> Option<&SourceState> {
        self.sources.get(&doc)
    }

    pub fn text(&self, doc: DocId) -> Option<&DocumentText> {
        self.sources.get(&doc).and_then(SourceState::text)
    }

    /// Texts an edit replaced are shown at once and queued to be written to their files.
    pub(super) fn replace_texts(&mut self, edit: &Edit) -> bool {
        match edit {
            Edit::ReplaceText {
                doc,
                text,
                sha256,
                previous,
            } => {
                let Some(document) = self.project.document(*doc) else {
                    return false;
                };
                let file = self.document_file(document);
                self.sources_read_as
                    .insert(*doc, (document.path.clone(), sha256.clone()));
                self.sources.insert(
                    *doc,
                    SourceState::Ok(DocumentText::new(text.as_ref().to_owned())),
                );
                self.text_writes.push(TextWrite {
                    doc: *doc,
                    file,
                    text: Arc::clone(text),
                    expected: anchor::sha256_hex(previous.as_bytes()),
                });
                true
            }
            Edit::Batch(edits) => {
                // Every part, not only up to the first text.
                let mut any = false;
                for edit in edits {
                    any |= self.replace_texts(edit);
                }
                any
            }
            _ => false,
        }
    }

    /// Texts waiting to be written to their files, oldest first; the caller runs them in
    /// this order (on a worker thread in the window).
    pub fn take_text_writes(&mut self) -> Vec<TextWrite> {
        std::mem::take(&mut self.text_writes)
    }

    /// Whether corrected texts wait to be written.
    pub fn has_text_writes(&self) -> bool {
        !self.text_writes.is_empty()
    }

    /// Write the waiting texts now, in order (the command line, tests).
    pub fn write_texts_now(&mut self) -> Result<(), StoreError> {
        let writes = self.take_text_writes();
        for (i, write) in writes.iter().enumerate() {
            if let Err(error) = write.run() {
                // What was not written waits for the next try.
                self.text_writes
                    .splice(0..0, writes[i + 1..].iter().cloned());
                return Err(error);
            }
        }
        Ok(())
    }

    /// Documents added by an edit (or by undoing a removal) need their text read.
    pub(super) fn after_document_edit(&mut self, edit: &Edit) {
        if self.replace_texts(edit) {
            self.recheck_all_spans();
            return;
        }
        let touches_documents = match edit {
            Edit::InsertDocument { .. } | Edit::RemoveDocument(_) | Edit::UpdateDocument(_) => true,
            Edit::Batch(edits) => edits.iter().any(|e| {
                matches!(
                    e,
                    Edit::InsertDocument { .. } | Edit::RemoveDocument(_) | Edit::UpdateDocument(_)
                )
            }),
            _ => false,
        };
        if touches_documents {
            let base = self.base_dir();
            let project = &self.project;
            let before = self.sources.len();
            self.sources.retain(|id, _| project.document(*id).is_some());
            let mut changed = self.sources.len() != before;
            // A document whose file or recorded fingerprint changed (after re-anchoring, or
            // its undo) is compared with its file again; a new memo or title is not.
            let read_as = &mut self.sources_read_as;
            read_as.retain(|id, _| project.document(*id).is_some());
            for document in &project.documents {
                let key = (document.path.clone(), document.sha256.clone());
                if read_as.get(&document.id) != Some(&key) {
                    self.sources.remove(&document.id);
                    read_as.insert(document.id, key);
                }
                self.sources.entry(document.id).or_insert_with(|| {
                    changed = true;
                    anchor::read_source(
                        document,
                        &store::resolve_document_path(&document.path, &base),
                    )
                });
            }
            if changed {
                self.recheck_all_spans();
            }
        } else {
            self.recheck_spans_of(edit);
        }
    }
}
