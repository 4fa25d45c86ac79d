//! Importing a REFI-QDA project (`.qdpx`): its text sources, codes and codings become a
//! Marginalia project, and each source's text a `.txt` file in a folder beside the project.
//!
//! An archive from elsewhere is untrusted input. Entry names that would lead outside a folder
//! (zip-slip), archives that would unpack to more than [`MAX_UNCOMPRESSED_BYTES`], and missing
//! or malformed parts are refused with an error naming the file and the part; nothing is
//! written unless everything could be read, and a write that fails half-way is undone.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use thiserror::Error;
use zip::ZipArchive;

use crate::anchor::sha256_hex;
use crate::model::{
    Annotation, DocId, Document, DocumentText, EXTRA_TAG_COLORS, FORMAT_VERSION, IdCounters,
    Project, Tag, TagId, default_codebook, parse_hex_color,
};
use crate::store::{self, StoreError};

/// The most an archive may unpack to, all entries together (and so any one entry).
pub const MAX_UNCOMPRESSED_BYTES: u64 = 512 * 1024 * 1024;
/// More entries than any real project has; a guard against archives built to exhaust memory.
const MAX_ENTRIES: usize = 200_000;
/// QDA-XML nests codes within codes; nothing legitimate comes near this depth.
const MAX_XML_DEPTH: usize = 512;

#[derive(Debug, Error)]
pub enum QdpxError {
    #[error("{}: {source}", file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", file.display())]
    Refused { file: PathBuf, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A `.qdpx` read into memory, nothing written yet.
#[derive(Debug)]
pub struct ImportedQdpx {
    /// The project. Each document's `path` is only its file name here; [`save_imported`]
    /// places the files and makes the paths relative to the project file.
    pub project: Project,
    /// The text of each document, exactly as its positions count it.
    pub texts: Vec<(DocId, String)>,
    /// Parts of the archive that were left out (pictures, audio, dangling note references).
    pub warnings: Vec<String>,
}

/// What [`save_imported`] wrote.
#[derive(Debug)]
pub struct SavedImport {
    pub project: Project,
    /// The folder holding the sources' `.txt` files.
    pub sources_dir: PathBuf,
    pub warnings: Vec<String>,
}

#[derive(Clone, Copy, Debug)]
struct Limits {
    max_total_bytes: u64,
    max_entries: usize,
}

const DEFAULT_LIMITS: Limits = Limits {
    max_total_bytes: MAX_UNCOMPRESSED_BYTES,
    max_entries: MAX_ENTRIES,
};

/// Read a `.qdpx` and save it as `project_file`, with the texts in a folder beside it.
pub fn import_qdpx(file: &Path, project_file: &Path) -> Result<SavedImport, QdpxError> {
    let imported = read_qdpx(file)?;
    save_imported(imported, project_file)
}

/// Read a `.qdpx` into memory and check every part of it; writes nothing.
pub fn read_qdpx(file: &Path) -> Result<ImportedQdpx, QdpxError> {
    let archive = std::fs::File::open(file).map_err(|source| QdpxError::Io {
        file: file.to_owned(),
        source,
    })?;
    read_qdpx_from(std::io::BufReader::new(archive), file, DEFAULT_LIMITS)
}

/// Read a `.qdpx` held in memory; `file` is only used to name it in errors.
pub fn read_qdpx_bytes(bytes: &[u8], file: &Path) -> Result<ImportedQdpx, QdpxError> {
    read_qdpx_from(std::io::Cursor::new(bytes), file, DEFAULT_LIMITS)
}

fn read_qdpx_from<R: Read + Seek>(
    reader: R,
    file: &Path,
    limits: Limits,
) -> Result<ImportedQdpx, QdpxError> {
    let refuse = |message: String| QdpxError::Refused {
        file: file.to_owned(),
        message,
    };
    let mut archive = ZipArchive::new(reader).map_err(|e| {
        refuse(format!(
            "not a REFI-QDA project: a .qdpx is a zip archive, and this one cannot be read as one ({e})"
        ))
    })?;
    let mut archive = SafeArchive::check(&mut archive, file, limits)?;
    let qde_name = archive.project_entry_name()?;
    let qde_bytes = archive.read(&qde_name)?;
    let root = parse_xml(&qde_bytes, &qde_name).map_err(refuse)?;
    Builder::new(file, Some(&mut archive)).build(&root)
}

/// Read a REFI-QDA codebook file (`.qdc`): its codes as tags, nested codes under their
/// parents, in document order. Ids count from 1; the caller renumbers them into a project.
pub fn read_qdc(file: &Path) -> Result<Vec<Tag>, QdpxError> {
    let bytes = std::fs::read(file).map_err(|source| QdpxError::Io {
        file: file.to_owned(),
        source,
    })?;
    read_qdc_bytes(&bytes, file)
}

pub fn read_qdc_bytes(bytes: &[u8], file: &Path) -> Result<Vec<Tag>, QdpxError> {
    let refuse = |message: String| QdpxError::Refused {
        file: file.to_owned(),
        message,
    };
    let entry = file.file_name().map_or_else(
        || "codebook".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let root = parse_xml(bytes, &entry).map_err(refuse)?;
    if root.name != "CodeBook" {
        return Err(refuse(format!(
            "holds <{}> where a REFI-QDA codebook has <CodeBook> \
             (namespace urn:QDA-XML:codebook:1.0)",
            root.name
        )));
    }
    let mut builder: Builder<'_, '_, std::io::Cursor<Vec<u8>>> = Builder::new(file, None);
    if let Some(codes) = root.child("Codes") {
        builder.read_codes(codes)?;
    }
    Ok(builder.tags)
}

/// A zip archive whose every entry name and size has been checked.
struct SafeArchive<'a, R: Read + Seek> {
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
    fn check(
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

    fn refuse(&self, message: String) -> QdpxError {
        QdpxError::Refused {
            file: self.file.clone(),
            message,
        }
    }

    /// `project.qde` at the top of the archive (the standard's name), or failing that the
    /// only `.qde` file there.
    fn project_entry_name(&self) -> Result<String, QdpxError> {
        if let Some(name) = self.find("project.qde") {
            return Ok(name);
        }
        let mut candidates: Vec<&String> = self
            .names
            .iter()
            .filter(|n| !n.contains('/') && n.to_ascii_lowercase().ends_with(".qde"))
            .collect();
        candidates.sort();
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
    fn find(&self, name: &str) -> Option<String> {
        if self.names.contains(name) {
            return Some(name.to_owned());
        }
        self.folded_names.get(&fold_entry_name(name)).cloned()
    }

    /// An entry's bytes, never more than the remaining budget whatever its header claims.
    fn read(&mut self, name: &str) -> Result<Vec<u8>, QdpxError> {
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
fn escapes_its_folder(name: &str) -> bool {
    let name = name.replace('\\', "/");
    name.starts_with('/')
        || name.contains('\0')
        || name.split('/').any(|component| component == "..")
        || name.as_bytes().get(1) == Some(&b':')
}

// ----- a small XML tree -----

/// An element of `project.qde`, names without namespace prefixes.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn children_named<'e>(
        &'e self,
        name: &'e str,
    ) -> impl DoubleEndedIterator<Item = &'e Element> + 'e {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// How to name this element in an error: its name attribute, else its GUID.
    fn describe(&self) -> String {
        match (self.attribute("name"), self.attribute("guid")) {
            (Some(name), _) if !name.is_empty() => format!("{} “{name}”", self.name),
            (_, Some(guid)) => format!("{} {guid}", self.name),
            _ => self.name.clone(),
        }
    }
}

fn local_name(qualified: &[u8]) -> String {
    let local = match qualified.iter().position(|b| *b == b':') {
        Some(colon) => &qualified[colon + 1..],
        None => qualified,
    };
    String::from_utf8_lossy(local).into_owned()
}

fn parse_xml(bytes: &[u8], entry: &str) -> Result<Element, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "{entry} is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = quick_xml::Reader::from_str(text);
    let position_of = |offset: u64| {
        // The reader's offsets may fall inside a character (a second byte-order mark, which
        // the reader skips on its own): count from the start of that character.
        let mut end = (offset as usize).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{entry}:{line}:{column}")
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "{}: malformed XML: {e}",
                position_of(reader.error_position())
            )
        })?;
        let at = || position_of(reader.buffer_position());
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                return Err(format!(
                    "{}: element <{}> after the end of the document",
                    at(),
                    local_name(start.name().as_ref())
                ));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(format!(
                        "{}: elements nest more than {MAX_XML_DEPTH} deep",
                        at()
                    ));
                }
                let mut element = Element {
                    name: local_name(start.name().as_ref()),
                    ..Default::default()
                };
                for attribute in start.attributes() {
                    let attribute =
                        attribute.map_err(|e| format!("{}: malformed attribute: {e}", at()))?;
                    let value = attribute
                        .unescape_value()
                        .map_err(|e| format!("{}: malformed attribute value: {e}", at()))?;
                    element
                        .attributes
                        .push((local_name(attribute.key.as_ref()), value.into_owned()));
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(element);
                } else {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => root = Some(element),
                    }
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| format!("{}: a closing tag with no opening tag", at()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(content) => {
                if let Some(current) = stack.last_mut() {
                    let content = content
                        .xml10_content()
                        .map_err(|e| format!("{}: {e}", at()))?;
                    current.text.push_str(&content);
                }
            }
            Event::CData(content) => {
                if let Some(current) = stack.last_mut() {
                    let content = content
                        .xml10_content()
                        .map_err(|e| format!("{}: {e}", at()))?;
                    current.text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                let character = match reference
                    .resolve_char_ref()
                    .map_err(|e| format!("{}: {e}", at()))?
                {
                    Some(character) => character,
                    None => {
                        let name = reference.decode().map_err(|e| format!("{}: {e}", at()))?;
                        match name.as_ref() {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => {
                                return Err(format!(
                                    "{}: unknown entity “&{other};” (QDA-XML uses only XML's own)",
                                    at()
                                ));
                            }
                        }
                    }
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push(character);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "{entry} ends before the element <{}> is closed",
            open.name
        ));
    }
    root.ok_or_else(|| format!("{entry} holds no XML element"))
}

// ----- from QDA-XML to a project -----

struct Builder<'a, 'z, R: Read + Seek> {
    file: &'a Path,
    /// `None` for a codebook file (`.qdc`), which has no sources to read.
    archive: Option<&'a mut SafeArchive<'z, R>>,
    tags: Vec<Tag>,
    tag_of_code: HashMap<String, TagId>,
    users: HashMap<String, String>,
    notes: HashMap<String, String>,
    warnings: Vec<String>,
}

/// One passage before it is merged with others on the same span.
struct Selection {
    start: usize,
    end: usize,
    /// The text at `start..end`: quotes come from the source, never from the archive's names.
    quote: String,
    /// The context around the span, to find it again if the source changes.
    prefix: String,
    suffix: String,
    tags: Vec<TagId>,
    note: String,
    coder: String,
    created: String,
}

impl<'a, 'z, R: Read + Seek> Builder<'a, 'z, R> {
    fn new(file: &'a Path, archive: Option<&'a mut SafeArchive<'z, R>>) -> Self {
        Self {
            file,
            archive,
            tags: Vec::new(),
            tag_of_code: HashMap::new(),
            users: HashMap::new(),
            notes: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    fn refuse(&self, message: String) -> QdpxError {
        QdpxError::Refused {
            file: self.file.to_owned(),
            message,
        }
    }

    /// Where in the file a problem is: the archive's `project.qde`, or a codebook file itself.
    fn entry_prefix(&self) -> &'static str {
        if self.archive.is_some() {
            "project.qde: "
        } else {
            ""
        }
    }

    fn build(mut self, root: &Element) -> Result<ImportedQdpx, QdpxError> {
        if root.name != "Project" {
            return Err(self.refuse(format!(
                "project.qde holds <{}> where a REFI-QDA project has <Project> \
                 (namespace urn:QDA-XML:project:1.0)",
                root.name
            )));
        }
        let name = root
            .attribute("name")
            .filter(|n| !n.trim().is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| {
                self.file.file_stem().map_or_else(
                    || "Imported project".to_owned(),
                    |s| s.to_string_lossy().into_owned(),
                )
            });

        for user in root
            .children_named("Users")
            .flat_map(|u| u.children_named("User"))
        {
            if let Some(guid) = user.attribute("guid") {
                let name = user
                    .attribute("name")
                    .or(user.attribute("id"))
                    .unwrap_or("");
                self.users.insert(guid_key(guid), name.to_owned());
            }
        }
        for note in root
            .children_named("Notes")
            .flat_map(|n| n.children_named("Note"))
        {
            if let Some(guid) = note.attribute("guid") {
                let text = self.source_text(note, false)?.unwrap_or_default();
                let text = join_texts([note.child_text("Description").unwrap_or(""), &text]);
                self.notes.insert(guid_key(guid), text);
            }
        }
        // After the notes: codes may refer to them.
        if let Some(codes) = root.child("CodeBook").and_then(|c| c.child("Codes")) {
            self.read_codes(codes)?;
        }

        let mut documents = Vec::new();
        let mut texts = Vec::new();
        let mut annotations = Vec::new();
        let mut file_names = FileNames::default();
        for source in root
            .children_named("Sources")
            .flat_map(|s| s.children.iter())
        {
            if source.name != "TextSource" {
                self.warnings.push(format!(
                    "{} left out: Marginalia imports text sources only",
                    source.describe()
                ));
                continue;
            }
            let id = documents.len() as DocId + 1;
            let text = self.source_text(source, true)?.unwrap_or_default();
            let source_name = source.attribute("name").unwrap_or("");
            let file_name = file_names.claim(source_name, source.attribute("guid").unwrap_or(""));
            let document_text = DocumentText::new(text);
            for selection in self.selections(source, &document_text)? {
                annotations.push((id, selection));
            }
            let memo = self.description_and_notes(source);
            let text = document_text.as_str().to_owned();
            documents.push(Document {
                id,
                title: super::title_of(&text, Path::new(source_name)),
                sha256: sha256_hex(text.as_bytes()),
                chars: document_text.char_count(),
                path: file_name,
                memo,
                origin: None,
                attributes: Default::default(),
            });
            texts.push((id, text));
        }
        if documents.is_empty()
            && !root
                .children_named("Sources")
                .any(|s| !s.children.is_empty())
        {
            self.warnings
                .push("the project has no sources; only its codebook was imported".to_owned());
        }

        let mut project = Project {
            format: FORMAT_VERSION,
            name,
            codebook: std::mem::take(&mut self.tags),
            attributes: Vec::new(),
            documents,
            annotations: merge_same_spans(annotations)
                .into_iter()
                .map(Box::new)
                .collect(),
            memo: self.description_and_notes(root),
            ids: IdCounters::default(),
        };
        project.sort_annotations();
        project.sync_id_counters();
        Ok(ImportedQdpx {
            project,
            texts,
            warnings: self.warnings,
        })
    }

    /// Codes in document order, each nested code under its parent; walked without
    /// recursion so that a deep codebook cannot exhaust the stack.
    fn read_codes(&mut self, codes: &Element) -> Result<(), QdpxError> {
        let palette: Vec<String> = default_codebook()
            .into_iter()
            .map(|t| t.color)
            .chain(EXTRA_TAG_COLORS.iter().map(|c| (*c).to_owned()))
            .collect();
        let mut pending: Vec<(&Element, Option<TagId>)> = codes
            .children_named("Code")
            .rev()
            .map(|code| (code, None))
            .collect();
        while let Some((code, parent)) = pending.pop() {
            let guid = code.attribute("guid").ok_or_else(|| {
                self.refuse(format!(
                    "{}{} has no guid",
                    self.entry_prefix(),
                    code.describe()
                ))
            })?;
            let id = self.tags.len() as TagId + 1;
            if self.tag_of_code.insert(guid_key(guid), id).is_some() {
                return Err(self.refuse(format!(
                    "{}two codes share the guid {guid}",
                    self.entry_prefix()
                )));
            }
            let index = self.tags.len();
            let color = code
                .attribute("color")
                .and_then(normalize_color)
                .unwrap_or_else(|| palette[index % palette.len()].clone());
            let description = self.description_and_notes(code);
            self.tags.push(Tag {
                id,
                name: code
                    .attribute("name")
                    .filter(|n| !n.is_empty())
                    .map_or_else(|| format!("code {id}"), str::to_owned),
                color,
                key: if index < 9 {
                    (index + 1).to_string()
                } else {
                    String::new()
                },
                description,
                parent,
            });
            pending.extend(code.children_named("Code").rev().map(|c| (c, Some(id))));
        }
        Ok(())
    }

    /// The text of a source or note: inline `PlainTextContent`, or the archive entry its
    /// `plainTextPath` names. `None` when it has neither and `required` is false.
    fn source_text(
        &mut self,
        source: &Element,
        required: bool,
    ) -> Result<Option<String>, QdpxError> {
        if let Some(content) = source.child_text("PlainTextContent") {
            return Ok(Some(content.to_owned()));
        }
        let Some(path) = source.attribute("plainTextPath") else {
            if required {
                return Err(self.refuse(format!(
                    "project.qde: {} has neither a plainTextPath nor PlainTextContent, so its \
                     text is missing",
                    source.describe()
                )));
            }
            return Ok(None);
        };
        let Some(internal) = path.strip_prefix("internal://") else {
            return Err(self.refuse(format!(
                "{} refers to a file outside the archive ({path}); export the project again \
                 with its sources embedded",
                source.describe()
            )));
        };
        if escapes_its_folder(internal) {
            return Err(self.refuse(format!(
                "{}: its plainTextPath “{path}” points outside the archive's sources folder; \
                 refusing the archive",
                source.describe()
            )));
        }
        let wanted = format!("sources/{internal}");
        let Some(archive) = self.archive.as_deref_mut() else {
            return Err(self.refuse(format!(
                "{} names a source file, which a codebook file cannot hold",
                source.describe()
            )));
        };
        let Some(entry) = archive.find(&wanted) else {
            return Err(self.refuse(format!(
                "the archive has no entry “{wanted}”, which {} names as its text ({path})",
                source.describe()
            )));
        };
        let bytes = archive.read(&entry)?;
        String::from_utf8(bytes).map(Some).map_err(|e| {
            self.refuse(format!(
                "the archive entry “{entry}” ({}) is not UTF-8 text (invalid byte at offset {})",
                source.describe(),
                e.utf8_error().valid_up_to()
            ))
        })
    }

    fn selections(
        &mut self,
        source: &Element,
        text: &DocumentText,
    ) -> Result<Vec<Selection>, QdpxError> {
        let mut selections = Vec::new();
        for selection in source.children_named("PlainTextSelection") {
            let position = |name: &str| -> Result<usize, QdpxError> {
                let value = selection.attribute(name).ok_or_else(|| {
                    self.refuse(format!(
                        "project.qde: {} in {} has no {name}",
                        selection.describe(),
                        source.describe()
                    ))
                })?;
                value.trim().parse::<usize>().map_err(|_| {
                    self.refuse(format!(
                        "project.qde: {} in {} has {name}=“{value}”, expected a character \
                         position (a whole number from 0)",
                        selection.describe(),
                        source.describe()
                    ))
                })
            };
            let (start, end) = (position("startPosition")?, position("endPosition")?);
            if start > end || end > text.char_count() {
                return Err(self.refuse(format!(
                    "project.qde: {} in {} spans characters {start}..{end}, but the text has {} \
                     characters; the archive does not match its sources",
                    selection.describe(),
                    source.describe(),
                    text.char_count()
                )));
            }
            let codings: Vec<&Element> = selection.children_named("Coding").collect();
            // Who made the selection, and who applied each code: a coding names its own
            // user when several coders coded one selection (REFI-QDA `creatingUser`).
            let who = |element: &Element| {
                element
                    .attribute("creatingUser")
                    .and_then(|guid| self.users.get(&guid_key(guid)).cloned())
            };
            let selector = who(selection);
            let mut by_coder: Vec<(String, Vec<&Element>)> = Vec::new();
            for coding in &codings {
                let coder = who(coding).or_else(|| selector.clone()).unwrap_or_default();
                match by_coder.iter_mut().find(|(c, _)| *c == coder) {
                    Some((_, group)) => group.push(coding),
                    None => by_coder.push((coder, vec![coding])),
                }
            }
            if by_coder.is_empty() {
                by_coder.push((selector.clone().unwrap_or_default(), Vec::new()));
            }
            let created = selection
                .attribute("creationDateTime")
                .or_else(|| codings.iter().find_map(|c| c.attribute("creationDateTime")))
                .unwrap_or("")
                .to_owned();
            let own_note = self.description_and_notes(selection);
            let (prefix, suffix) = crate::anchor::context(text, start, end);
            // The selection's own note goes with the coder who made it (else the first).
            let note_owner = by_coder
                .iter()
                .position(|(coder, _)| Some(coder) == selector.as_ref())
                .unwrap_or(0);
            for (index, (coder, group)) in by_coder.into_iter().enumerate() {
                let tags = self.coded_tags(&group, source)?;
                let mut note = if index == note_owner {
                    own_note.clone()
                } else {
                    String::new()
                };
                for coding in &group {
                    note = join_texts([note.as_str(), &self.notes_of(coding)]);
                }
                selections.push(Selection {
                    start,
                    end,
                    quote: text.slice(start..end).unwrap_or_default().to_owned(),
                    prefix: prefix.to_owned(),
                    suffix: suffix.to_owned(),
                    tags,
                    note,
                    coder,
                    created: created.clone(),
                });
            }
        }
        // Codings on the source itself apply to the whole text.
        let whole: Vec<&Element> = source.children_named("Coding").collect();
        if !whole.is_empty() {
            let tags = self.coded_tags(&whole, source)?;
            let note = whole
                .iter()
                .map(|c| self.notes_of(c))
                .fold(String::new(), |all, n| join_texts([all.as_str(), &n]));
            selections.push(Selection {
                start: 0,
                end: text.char_count(),
                quote: text.as_str().to_owned(),
                prefix: String::new(),
                suffix: String::new(),
                tags,
                note,
                coder: String::new(),
                created: String::new(),
            });
        }
        Ok(selections)
    }

    fn coded_tags(&self, codings: &[&Element], source: &Element) -> Result<Vec<TagId>, QdpxError> {
        let mut tags = Vec::new();
        for coding in codings {
            let target = coding
                .child("CodeRef")
                .and_then(|r| r.attribute("targetGUID"))
                .ok_or_else(|| {
                    self.refuse(format!(
                        "project.qde: a Coding in {} has no CodeRef targetGUID",
                        source.describe()
                    ))
                })?;
            let tag = *self.tag_of_code.get(&guid_key(target)).ok_or_else(|| {
                self.refuse(format!(
                    "project.qde: a Coding in {} refers to code {target}, which the codebook \
                     does not define",
                    source.describe()
                ))
            })?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        Ok(tags)
    }

    /// The texts of the notes an element refers to, one paragraph each.
    fn notes_of(&mut self, element: &Element) -> String {
        let mut texts = Vec::new();
        for reference in element.children_named("NoteRef") {
            let Some(target) = reference.attribute("targetGUID") else {
                continue;
            };
            match self.notes.get(&guid_key(target)) {
                Some(text) => texts.push(text.clone()),
                None => self.warnings.push(format!(
                    "{} refers to note {target}, which the project does not hold; left out",
                    element.describe()
                )),
            }
        }
        join_texts(texts.iter().map(String::as_str))
    }

    /// An element's Description followed by the notes it refers to: Marginalia keeps both in
    /// one memo or note field.
    fn description_and_notes(&mut self, element: &Element) -> String {
        let notes = self.notes_of(element);
        join_texts([element.child_text("Description").unwrap_or(""), &notes])
    }
}

/// GUIDs compare without braces and case, as the schema allows both spellings.
fn guid_key(guid: &str) -> String {
    guid.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

fn join_texts<'s>(parts: impl IntoIterator<Item = &'s str>) -> String {
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `#RGB` or `#RRGGBB` as Marginalia's `#RRGGBB`.
fn normalize_color(color: &str) -> Option<String> {
    let color = color.trim();
    let hex = color.strip_prefix('#')?;
    let long = if hex.len() == 3 && hex.is_ascii() {
        format!("#{}", hex.chars().flat_map(|c| [c, c]).collect::<String>())
    } else {
        color.to_owned()
    };
    parse_hex_color(&long).map(|[r, g, b]| format!("#{r:02X}{g:02X}{b:02X}"))
}

/// Passages of one coder on the same span of the same document become one passage with all
/// their tags: other programs write a selection per coding, Marginalia a passage per span and
/// coder. Different coders' passages stay apart: they are what agreement compares.
fn merge_same_spans(selections: Vec<(DocId, Selection)>) -> Vec<Annotation> {
    let mut annotations: Vec<Annotation> = Vec::new();
    let mut by_span: HashMap<(DocId, usize, usize, String), usize> = HashMap::new();
    for (doc, selection) in selections {
        let key = (doc, selection.start, selection.end, selection.coder.clone());
        if let Some(&index) = by_span.get(&key) {
            let existing: &mut Annotation = &mut annotations[index];
            for tag in selection.tags {
                if !existing.tags.contains(&tag) {
                    existing.tags.push(tag);
                }
            }
            if !selection.note.is_empty() && !existing.note.contains(&selection.note) {
                existing.note = join_texts([existing.note.as_str(), &selection.note]);
            }
            continue;
        }
        by_span.insert(key, annotations.len());
        annotations.push(Annotation {
            id: annotations.len() as u32 + 1,
            doc,
            start: selection.start,
            end: selection.end,
            tags: selection.tags,
            quote: selection.quote,
            note: selection.note,
            coder: selection.coder,
            created: selection.created,
            prefix: selection.prefix,
            suffix: selection.suffix,
            conflict: false,
        });
    }
    annotations
}

/// File names for the sources: from the source's name where it makes a usable one, unique
/// within the folder (compared without case, for case-insensitive file systems).
#[derive(Default)]
struct FileNames {
    taken: HashSet<String>,
}

impl FileNames {
    fn claim(&mut self, source_name: &str, guid: &str) -> String {
        let stem = usable_stem(source_name)
            .or_else(|| usable_stem(guid))
            .unwrap_or_else(|| "source".to_owned());
        let mut candidate = format!("{stem}.txt");
        let mut counter = 2;
        while !self.taken.insert(candidate.to_lowercase()) {
            candidate = format!("{stem} ({counter}).txt");
            counter += 1;
        }
        candidate
    }
}

/// A file stem made from a name: the characters that are special on some file system
/// (path separators, `:`, `*`, `?`, quotes, controls) replaced, a short extension dropped, no
/// leading dot, so the name can neither leave the folder nor hide in it.
fn usable_stem(name: &str) -> Option<String> {
    const MAX_STEM_CHARS: usize = 80;
    let name = name.trim();
    let without_extension = match name.rsplit_once('.') {
        Some((stem, extension))
            if !stem.is_empty()
                && (1..=5).contains(&extension.len())
                && extension.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            stem
        }
        _ => name,
    };
    let cleaned: String = without_extension
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(MAX_STEM_CHARS)
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c == '_' || c.is_whitespace());
    if cleaned.is_empty() {
        return None;
    }
    let reserved = [
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "lpt1", "lpt2", "lpt3",
    ];
    if reserved.contains(&cleaned.to_ascii_lowercase().as_str()) {
        return Some(format!("{cleaned}_"));
    }
    Some(cleaned.to_owned())
}

// ----- writing -----

/// Write the texts into a new folder beside `project_file` and save the project there.
/// Refuses to overwrite an existing project or folder. The texts are written into a
/// temporary folder first and renamed into place, and removed again if the project cannot be
/// saved, so a failure leaves nothing behind.
pub fn save_imported(
    imported: ImportedQdpx,
    project_file: &Path,
) -> Result<SavedImport, QdpxError> {
    let io_error = |file: &Path| {
        let file = file.to_owned();
        move |source| QdpxError::Io { file, source }
    };
    let refuse = |message: String| QdpxError::Refused {
        file: project_file.to_owned(),
        message,
    };
    if project_file.exists() {
        return Err(refuse(
            "a file of that name exists already; import into a new project file (an import \
             never overwrites a project)"
                .to_owned(),
        ));
    }
    let project_dir = match project_file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    if !project_dir.is_dir() {
        return Err(refuse(format!(
            "the folder {} does not exist; create it first",
            project_dir.display()
        )));
    }
    let stem = project_file.file_stem().map_or_else(
        || "project".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let folder_name = ["sources".to_owned(), format!("{stem}-sources")]
        .into_iter()
        .find(|name| !project_dir.join(name).exists())
        .ok_or_else(|| {
            refuse(format!(
                "both “sources” and “{stem}-sources” exist already in {}; import into another \
                 folder so that no texts are overwritten",
                project_dir.display()
            ))
        })?;
    let sources_dir = project_dir.join(&folder_name);

    let ImportedQdpx {
        mut project,
        texts,
        warnings,
    } = imported;
    let staging = tempfile::Builder::new()
        .prefix(".marginalia-import-")
        .tempdir_in(&project_dir)
        .map_err(io_error(&project_dir))?;
    // A temporary folder is private (0700); the sources folder it becomes is an ordinary one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(io_error(staging.path()))?;
    }
    let file_names: HashMap<DocId, String> = project
        .documents
        .iter()
        .map(|d| (d.id, d.path.clone()))
        .collect();
    for (doc, text) in &texts {
        let Some(name) = file_names.get(doc) else {
            continue;
        };
        let path = staging.path().join(name);
        let mut file = std::fs::File::create(&path).map_err(io_error(&path))?;
        file.write_all(text.as_bytes()).map_err(io_error(&path))?;
        file.sync_all().map_err(io_error(&path))?;
    }
    std::fs::rename(staging.path(), &sources_dir).map_err(io_error(&sources_dir))?;
    // The staging folder is now the sources folder; nothing is left for it to clean up.
    let _ = staging.keep();

    for document in &mut project.documents {
        document.path = format!("{folder_name}/{}", document.path);
    }
    if let Err(error) = store::save_project(&project, project_file) {
        let _ = std::fs::remove_dir_all(&sources_dir);
        return Err(error.into());
    }
    Ok(SavedImport {
        project,
        sources_dir,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    const MINIMAL_QDE: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Tiny">
  <CodeBook><Codes>
    <Code guid="11111111-1111-1111-1111-111111111111" name="theme" isCodable="true" color="#abc">
      <Code guid="22222222-2222-2222-2222-222222222222" name="sub &amp; theme" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="33333333-3333-3333-3333-333333333333" name="inline.txt">
      <PlainTextContent>Café &#13;
au lait</PlainTextContent>
      <PlainTextSelection guid="44444444-4444-4444-4444-444444444444" startPosition="0" endPosition="4">
        <Coding guid="55555555-5555-5555-5555-555555555555"><CodeRef targetGUID="{22222222-2222-2222-2222-222222222222}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PictureSource guid="66666666-6666-6666-6666-666666666666" name="photo"/>
  </Sources>
</Project>
"##;

    fn read(bytes: Vec<u8>, limits: Limits) -> Result<ImportedQdpx, QdpxError> {
        read_qdpx_from(Cursor::new(bytes), Path::new("test.qdpx"), limits)
    }

    #[test]
    fn inline_text_nested_codes_and_braced_guids_import() {
        let imported = read(
            archive(&[("project.qde", MINIMAL_QDE.as_bytes())]),
            DEFAULT_LIMITS,
        )
        .unwrap();
        let project = &imported.project;
        assert_eq!(project.name, "Tiny");
        assert_eq!(project.codebook[0].color, "#AABBCC");
        assert_eq!(project.codebook[1].name, "sub & theme");
        assert_eq!(project.codebook[1].parent, Some(1));
        assert_eq!(project.codebook[1].key, "2");
        assert_eq!(imported.texts[0].1, "Café \r\nau lait");
        assert_eq!(project.annotations[0].quote, "Café");
        assert_eq!(project.annotations[0].tags, vec![2]);
        assert!(
            imported.warnings.iter().any(|w| w.contains("photo")),
            "{:?}",
            imported.warnings
        );
    }

    #[test]
    fn an_error_position_inside_a_character_is_reported_not_a_panic() {
        // Found by the fuzzer: two byte-order marks, then text that is not XML.
        let mut bytes = "\u{feff}\u{feff}9c<!dac273d\"$cref".as_bytes().to_vec();
        bytes.extend_from_slice(b"<?xml version=\"1.0\"?><Project/>");
        let error = parse_xml(&bytes, "project.qde").expect_err("not well-formed XML");
        assert!(error.starts_with("project.qde:1:"), "{error}");
    }

    #[test]
    fn archives_larger_than_the_limit_are_refused() {
        let big = vec![b'a'; 4096];
        let bytes = archive(&[
            ("project.qde", MINIMAL_QDE.as_bytes()),
            ("sources/big.txt", &big),
        ]);
        let limits = Limits {
            max_total_bytes: 2048,
            max_entries: 10,
        };
        let error = read(bytes, limits).unwrap_err().to_string();
        assert!(
            error.contains("test.qdpx") && error.contains("more than"),
            "{error}"
        );
        let too_many = archive(&[
            ("a", b""),
            ("b", b""),
            ("project.qde", MINIMAL_QDE.as_bytes()),
        ]);
        let limits = Limits {
            max_total_bytes: 1 << 20,
            max_entries: 2,
        };
        let error = read(too_many, limits).unwrap_err().to_string();
        assert!(error.contains("3 entries"), "{error}");
    }

    #[test]
    fn entries_are_found_across_separators_and_case() {
        let qde = MINIMAL_QDE
            .replace(
                "<PlainTextContent>Café &#13;\nau lait</PlainTextContent>",
                "",
            )
            .replace(
                r#"name="inline.txt">"#,
                r#"name="inline.txt" plainTextPath="internal://Doc.txt">"#,
            );
        let bytes = archive(&[
            ("Project.QDE", qde.as_bytes()),
            ("Sources\\doc.txt", "Café au lait".as_bytes()),
        ]);
        let imported = read(bytes, DEFAULT_LIMITS).unwrap();
        assert_eq!(imported.texts[0].1, "Café au lait");
        assert_eq!(imported.project.annotations[0].quote, "Café");
    }

    #[test]
    fn selections_outside_the_text_are_refused() {
        let qde = MINIMAL_QDE.replace("endPosition=\"4\"", "endPosition=\"400\"");
        let error = read(archive(&[("project.qde", qde.as_bytes())]), DEFAULT_LIMITS)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("0..400") && error.contains("44444444"),
            "{error}"
        );
    }

    #[test]
    fn unusable_names_make_safe_file_names() {
        let mut names = FileNames::default();
        assert_eq!(names.claim("Interview 1.docx", ""), "Interview 1.txt");
        assert_eq!(names.claim("interview 1.txt", ""), "interview 1 (2).txt");
        assert_eq!(names.claim("../../etc/passwd", "g"), "etc_passwd.txt");
        assert_eq!(names.claim("///", "abc-def"), "abc-def.txt");
        assert_eq!(
            names.claim("Met ‘not free’: £25", ""),
            "Met ‘not free’_ £25.txt"
        );
        assert_eq!(names.claim("CON", ""), "CON_.txt");
        assert!(escapes_its_folder("../evil.txt"));
        assert!(escapes_its_folder("sources\\..\\..\\evil.txt"));
        assert!(escapes_its_folder("/etc/passwd"));
        assert!(escapes_its_folder("C:/evil.txt"));
        assert!(!escapes_its_folder("sources/a..b.txt"));
    }
}
