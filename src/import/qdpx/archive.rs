//! The `.qdpx` zip archive, read as untrusted input: every entry's name and size checked
//! before anything is unpacked, entries found regardless of case and separator.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use super::{Limits, MAX_UNCOMPRESSED_BYTES, QdpxError};

/// A zip archive whose every entry name and size has been checked.
pub(super) struct SafeArchive<'a, R: Read + Seek> {
    archive: &'a mut ZipArchive<R>,
    file: PathBuf,
    /// Entry names as stored.
    names: HashSet<String>,
    /// Entry names with `/` separators and without case, to their stored names: archives
    /// made on Windows may use `\` or `Sources/`.
    folded_names: HashMap<String, String>,
    /// Bytes that may still be unpacked before the archive counts as too large.
    budget: u64,
}

impl<'a, R: Read + Seek> SafeArchive<'a, R> {
    pub(super) fn check(
        archive: &'a mut ZipArchive<R>,
        file: &Path,
        limits: Limits,
    ) -> Result<Self, QdpxError> {
        let refuse = |message: String| QdpxError::Refused {
            file: file.to_owned(),
            message,
        };
        if archive.len() > limits.max_entries {
            return Err(refuse(format!(
                "the archive holds {} entries, more than the {} a project may have; refusing it",
                archive.len(),
                limits.max_entries
            )));
        }
        let mut names = HashSet::new();
        let mut folded_names = HashMap::new();
        let mut total: u64 = 0;
        for index in 0..archive.len() {
            let entry = archive
                .by_index_raw(index)
                .map_err(|e| refuse(format!("entry {index} of the archive cannot be read: {e}")))?;
            let name = entry.name().to_owned();
            if escapes_its_folder(&name) {
                return Err(refuse(format!(
                    "the archive entry “{name}” would land outside the folder it is unpacked into \
                     (an absolute path or “..”); refusing the whole archive"
                )));
            }
            total = total.saturating_add(entry.size());
            if total > limits.max_total_bytes {
                return Err(refuse(format!(
                    "the archive would unpack to more than {} MiB (at entry “{name}”, {} bytes); \
                     refusing it",
                    limits.max_total_bytes / (1024 * 1024),
                    entry.size()
                )));
            }
            folded_names
                .entry(fold_entry_name(&name))
                .or_insert_with(|| name.clone());
            names.insert(name);
        }
        Ok(Self {
            archive,
            file: file.to_owned(),
            names,
            folded_names,
            budget: limits.max_total_bytes,
        })
    }

    pub(super) fn refuse(&self, message: String) -> QdpxError {
        QdpxError::Refused {
            file: self.file.clone(),
            message,
        }
    }

    /// `project.qde` at the top of the archive (the standard's name), or failing that the
    /// only `.qde` file there.
    pub(super) fn project_entry_name(&self) -> Result<String, QdpxError> {
        if let Some(name) = self.find("project.qde") {
            return Ok(name);
        }
        let mut candidates: Vec<&String> = self
            .names
            .iter()
            .filter(|n| !n.contains('/') && n.to_ascii_lowercase().ends_with(".qde"))
            .collect();
        candidates.sort();
        // ATLAS.ti 26 names the XML after the project, which is usually the archive's name.
        let archive_stem = self
            .file
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase());
        if candidates.len() > 1
            && let Some(named) = candidates.iter().find(|n| {
                Path::new(n.as_str())
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_lowercase())
                    == archive_stem
            })
        {
            return Ok((*named).clone());
        }
        match candidates.as_slice() {
            [only] => Ok((*only).clone()),
            [] => Err(self.refuse(
                "the archive has no project.qde, so it is not a REFI-QDA project".to_owned(),
            )),
            _ => Err(self.refuse(format!(
                "the archive has no project.qde but several .qde files ({}); which one is the project?",
                candidates
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The stored name of an entry: exactly `name`, or failing that the one entry that
    /// differs only in separators or case.
    pub(super) fn find(&self, name: &str) -> Option<String> {
        if self.names.contains(name) {
            return Some(name.to_owned());
        }
        self.folded_names.get(&fold_entry_name(name)).cloned()
    }

    /// An entry's bytes, never more than the remaining budget whatever its header claims.
    pub(super) fn read(&mut self, name: &str) -> Result<Vec<u8>, QdpxError> {
        let refuse = {
            let file = self.file.clone();
            move |message: String| QdpxError::Refused { file, message }
        };
        let budget = self.budget;
        let mut bytes = Vec::new();
        let read = match self.archive.by_name(name) {
            Ok(entry) => entry.take(budget.saturating_add(1)).read_to_end(&mut bytes),
            Err(e) => {
                return Err(refuse(format!(
                    "the archive entry “{name}” cannot be read: {e}"
                )));
            }
        };
        if let Err(e) = read {
            return Err(refuse(format!(
                "the archive entry “{name}” cannot be unpacked: {e}"
            )));
        }
        if bytes.len() as u64 > budget {
            return Err(refuse(format!(
                "the archive entry “{name}” unpacks to more than its header says, past the \
                 {} MiB limit; refusing the archive",
                MAX_UNCOMPRESSED_BYTES / (1024 * 1024)
            )));
        }
        self.budget -= bytes.len() as u64;
        Ok(bytes)
    }
}

fn fold_entry_name(name: &str) -> String {
    name.replace('\\', "/").to_lowercase()
}

/// Whether unpacking an entry under this name could write outside the target folder.
pub(super) fn escapes_its_folder(name: &str) -> bool {
    let name = name.replace('\\', "/");
    name.starts_with('/')
        || name.contains('\0')
        || name.split('/').any(|component| component == "..")
        || name.as_bytes().get(1) == Some(&b':')
}
