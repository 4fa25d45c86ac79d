//! Importing a REFI-QDA project (`.qdpx`): its sources, codes, codings, notes and attributes
//! become a Marginalia project, and each source's text a `.txt` file in a folder beside it.
//!
//! Real archives differ from the standard in known ways ([`crate::qda_tools`]): positions in
//! the producer's own unit, texts with a byte-order mark, bare or relative paths, missing
//! texts. Each selection is placed in the producer's unit and checked against the text it
//! carries ([`placement`]); the [`ImportReport`] says how every coding was placed, and which
//! parts could not come in.
//!
//! An archive from elsewhere is untrusted input. Entry names that would lead outside a folder
//! (zip-slip), archives that would unpack to more than [`MAX_UNCOMPRESSED_BYTES`], and
//! malformed XML are refused with an error naming the file, the entry and the element;
//! nothing is written unless everything could be read, and a write that fails half-way is
//! undone.

mod archive;
mod attributes;
pub mod placement;
mod xml_tree;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;
use zip::ZipArchive;

use self::archive::{SafeArchive, escapes_its_folder};
use self::placement::{Outcome, Placer};
use self::xml_tree::{Element, parse_xml};
use crate::anchor::sha256_hex;
use crate::model::{
    Annotation, DocId, Document, DocumentText, EXTRA_TAG_COLORS, FORMAT_VERSION, IdCounters,
    Project, Tag, TagId, default_codebook, parse_hex_color,
};
use crate::qda_tools::{PositionUnit, QdaTool, SelectionName};
use crate::store::{self, StoreError};

/// The most an archive may unpack to, all entries together (and so any one entry).
pub const MAX_UNCOMPRESSED_BYTES: u64 = 512 * 1024 * 1024;
/// More entries than any real project has; a guard against archives built to exhaust memory.
const MAX_ENTRIES: usize = 200_000;
/// QDA-XML nests codes within codes; nothing legitimate comes near this depth.
const MAX_XML_DEPTH: usize = 512;
/// How many codings the report lists one by one; the rest are counted.
const MAX_LISTED: usize = 50;

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
    /// The text of each document whose text the archive holds, exactly as its passages count
    /// it. Documents whose text is missing have none here: their files are not written.
    pub texts: Vec<(DocId, String)>,
    /// Parts of the archive that were left out (pictures, audio, dangling note references).
    pub warnings: Vec<String>,
    pub report: ImportReport,
}

/// How the codings and sources of an archive came in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The program that wrote the archive, as its `origin` names it, and the unit its
    /// positions were read in.
    pub producer: String,
    pub unit: Option<PositionUnit>,
    /// Codings placed at their positions (`checked` of them confirmed by their own text).
    pub as_written: usize,
    pub checked: usize,
    /// Codings whose positions missed their own text, placed where that text is.
    pub repaired: usize,
    /// Codings that could not be placed: kept at their positions with their own text as
    /// quote (so `check` and the window list them for a person to place).
    pub unplaced: usize,
    /// Codings that could not be kept: no text to place them in and none of their own.
    pub skipped: usize,
    /// Placed codings whose span began or ended inside a grapheme cluster (a letter and its
    /// marks, a conjunct, a joined emoji), widened to the whole cluster.
    pub snapped: usize,
    /// One line per unplaced or skipped coding (up to [`MAX_LISTED`]).
    pub listed: Vec<String>,
    /// Sources whose text the archive lacks: kept as documents marked missing.
    pub missing_sources: Vec<String>,
    /// Sources read from outside the archive (`relative://`, `absolute://`).
    pub read_from_disk: Vec<String>,
    /// Picture, audio, video and PDF parts that Marginalia does not code, counted.
    pub media_left_out: BTreeMap<&'static str, usize>,
    /// Document attributes made from variables, cases and sets.
    pub attributes: usize,
}

impl ImportReport {
    /// The report for people, a line each.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(unit) = self.unit {
            lines.push(format!(
                "written by {}: positions read as {}",
                if self.producer.is_empty() {
                    "an unnamed program"
                } else {
                    &self.producer
                },
                unit.describe()
            ));
        }
        let mut codings = format!(
            "codings: {} as written ({} of them checked against their own text), {} repaired \
             from their quoted text, {} could not be placed",
            self.as_written, self.checked, self.repaired, self.unplaced
        );
        if self.unplaced > 0 {
            codings.push_str(" (kept as orphans, listed; `marginalia check` lists them too)");
        }
        if self.skipped > 0 {
            codings.push_str(&format!(
                ", {} could not be kept (no text to place them in)",
                self.skipped
            ));
        }
        lines.push(codings);
        if self.snapped > 0 {
            lines.push(format!(
                "{} coding{} began or ended inside a character as a reader sees it (a letter \
                 with its marks, a conjunct, a joined emoji) and now cover{} the whole character",
                self.snapped,
                if self.snapped == 1 { "" } else { "s" },
                if self.snapped == 1 { "s" } else { "" }
            ));
        }
        lines.extend(self.listed.iter().map(|l| format!("  {l}")));
        let listed_total = self.unplaced + self.skipped;
        if listed_total > self.listed.len() {
            lines.push(format!("  … and {} more", listed_total - self.listed.len()));
        }
        for missing in &self.missing_sources {
            lines.push(format!("missing text: {missing}"));
        }
        for source in &self.read_from_disk {
            lines.push(format!("read from outside the archive: {source}"));
        }
        if !self.media_left_out.is_empty() {
            let parts: Vec<String> = self
                .media_left_out
                .iter()
                .map(|(kind, count)| format!("{count} {kind}"))
                .collect();
            lines.push(format!(
                "left out (Marginalia codes text only): {}",
                parts.join(", ")
            ));
        }
        if self.attributes > 0 {
            lines.push(format!(
                "{} document attribute(s) from the project's variables, cases and sets",
                self.attributes
            ));
        }
        lines
    }

    /// Whether every coding landed where its producer put it, or was repaired.
    pub fn all_placed(&self) -> bool {
        self.unplaced == 0 && self.skipped == 0
    }
}

/// What [`save_imported`] wrote.
#[derive(Debug)]
pub struct SavedImport {
    pub project: Project,
    /// The folder holding the sources' `.txt` files.
    pub sources_dir: PathBuf,
    pub warnings: Vec<String>,
    pub report: ImportReport,
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

/// Read a `.qdpx` held in memory; `file` names it in errors, and its folder is where
/// `relative://` sources are looked for.
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
    let mut builder = Builder::new(file, Some(&mut archive));
    builder.entry = qde_name;
    builder.build(&root)
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
    // Taguette writes an empty `<Sets/>` beside the codes; sets are not part of a codebook.
    if let Some(codes) = root.child("Codes") {
        builder.read_codes(codes)?;
    }
    Ok(builder.tags)
}

// ----- from QDA-XML to a project -----

/// A source's text as found, its byte-order mark removed.
struct SourceText {
    text: String,
    had_bom: bool,
    /// Where it was found, when that was outside the archive.
    from_disk: Option<PathBuf>,
}

/// The part of a source that holds its text and selections: the source itself, a PDF's
/// text `Representation`, or a recording's `Transcript`.
struct TextPart<'e> {
    /// The element whose GUID, name, attributes, memo and whole-source codings count.
    owner: &'e Element<'e>,
    /// The element with `PlainTextContent` or `plainTextPath`.
    holder: &'e Element<'e>,
    title: String,
}

struct Builder<'a, 'z, R: Read + Seek> {
    file: &'a Path,
    /// The name of the XML entry, for errors.
    entry: String,
    /// `None` for a codebook file (`.qdc`), which has no sources to read.
    archive: Option<&'a mut SafeArchive<'z, R>>,
    producer: Option<QdaTool>,
    unit: PositionUnit,
    selection_name: SelectionName,
    base_path: Option<PathBuf>,
    tags: Vec<Tag>,
    tag_of_code: HashMap<String, TagId>,
    users: HashMap<String, String>,
    notes: HashMap<String, String>,
    /// Documents by the GUID of their source and of each of their selections, for the
    /// cases and sets that refer to them.
    document_of_guid: HashMap<String, DocId>,
    /// Where each selection placed on its text lies, by GUID: a case's `SelectionRef`s to
    /// a transcript's segments become its turns.
    span_of_selection: HashMap<String, (DocId, usize, usize)>,
    /// The selections cases refer to: one without codings or notes only marks a case's
    /// segment (a speaker's turn), not a passage.
    case_selections: std::collections::HashSet<String>,
    warnings: Vec<String>,
    report: ImportReport,
}

/// One passage before it is merged with others on the same span.
struct Selection {
    start: usize,
    end: usize,
    /// The text at `start..end` (for a coding that could not be placed, the text it
    /// carries, so that it shows as not on its text).
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
            entry: "project.qde".to_owned(),
            archive,
            producer: None,
            unit: PositionUnit::CodePoints,
            selection_name: SelectionName::Unknown,
            base_path: None,
            tags: Vec::new(),
            tag_of_code: HashMap::new(),
            users: HashMap::new(),
            notes: HashMap::new(),
            document_of_guid: HashMap::new(),
            span_of_selection: HashMap::new(),
            case_selections: Default::default(),
            warnings: Vec::new(),
            report: ImportReport::default(),
        }
    }

    fn refuse(&self, message: String) -> QdpxError {
        QdpxError::Refused {
            file: self.file.to_owned(),
            message,
        }
    }

    /// Where in the file a problem is: the archive's XML entry, or a codebook file itself.
    fn entry_prefix(&self) -> String {
        if self.archive.is_some() {
            format!("{}: ", self.entry)
        } else {
            String::new()
        }
    }

    fn build(mut self, root: &Element) -> Result<ImportedQdpx, QdpxError> {
        if root.name != "Project" {
            return Err(self.refuse(format!(
                "{} holds <{}> where a REFI-QDA project has <Project> \
                 (namespace urn:QDA-XML:project:1.0)",
                self.entry, root.name
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
        self.read_producer(root);

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
                let text = match self.source_text(note)? {
                    Ok(found) => found.text,
                    Err(missing) => {
                        if note.attribute("plainTextPath").is_some() {
                            self.warnings.push(format!(
                                "{}: its text is missing ({missing})",
                                note.describe()
                            ));
                        }
                        String::new()
                    }
                };
                let text = join_texts([note.child_text("Description").unwrap_or(""), &text]);
                self.notes.insert(guid_key(guid), text);
            }
        }
        // After the notes: codes may refer to them.
        if let Some(codes) = root.child("CodeBook").and_then(|c| c.child("Codes")) {
            self.read_codes(codes)?;
        }

        if let Some(cases) = root.child("Cases") {
            self.case_selections = cases
                .children_named("Case")
                .flat_map(|case| case.children_named("SelectionRef"))
                .filter_map(|r| r.attribute("targetGUID"))
                .map(guid_key)
                .collect();
        }
        let mut documents = Vec::new();
        let mut texts = Vec::new();
        let mut annotations = Vec::new();
        let mut file_names = FileNames::default();
        let mut attributes = attributes::Attributes::default();
        if let Some(variables) = root.child("Variables") {
            attributes.read_variables(variables);
        }
        for source in root
            .children_named("Sources")
            .flat_map(|s| s.children.iter())
        {
            for part in self.text_parts(source) {
                let id = documents.len() as DocId + 1;
                let (document, text, selections) =
                    self.read_text_part(&part, id, &mut file_names)?;
                attributes.read_values(part.owner, &[id], &part.owner.describe());
                annotations.extend(selections.into_iter().map(|s| (id, s)));
                if let Some(text) = text {
                    texts.push((id, text));
                }
                documents.push(document);
            }
        }
        if documents.is_empty()
            && !root
                .children_named("Sources")
                .any(|s| !s.children.is_empty())
        {
            self.warnings
                .push("the project has no sources; only its codebook was imported".to_owned());
        }

        let document_of = |guid: &str| self.document_of_guid.get(&guid_key(guid)).copied();
        if let Some(cases) = root.child("Cases") {
            attributes.read_cases(cases, document_of);
        }
        if let Some(sets) = root.child("Sets") {
            attributes.read_sets(sets, document_of);
        }
        let ids: Vec<DocId> = documents.iter().map(|d: &Document| d.id).collect();
        let finished = attributes.finish(&ids);
        let (project_attributes, mut values) = (finished.attributes, finished.document_values);
        self.warnings.extend(finished.warnings);
        self.report.attributes = project_attributes.len();
        for document in &mut documents {
            if let Some(values) = values.remove(&document.id) {
                document.attributes = values;
            }
        }
        let cases = self.cases_and_turns(finished.cases, &mut documents);

        let mut project = Project {
            cases,
            format: FORMAT_VERSION,
            name,
            codebook: std::mem::take(&mut self.tags),
            attributes: project_attributes,
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
            report: self.report,
        })
    }

    /// The project's cases, each with its values and memo (names made distinct, as cases
    /// are matched by name), and their turns: a case's `SelectionRef`s to placed selections
    /// in a text become turns of that case, where they do not overlap another's.
    fn cases_and_turns(
        &mut self,
        found: Vec<attributes::FoundCase>,
        documents: &mut [Document],
    ) -> Vec<crate::model::Case> {
        let mut cases: Vec<crate::model::Case> = Vec::with_capacity(found.len());
        let mut turns: HashMap<DocId, Vec<crate::model::Turn>> = HashMap::new();
        for (index, case) in found.into_iter().enumerate() {
            let id = index as crate::model::CaseId + 1;
            let mut name = case.name.clone();
            let mut copy = 1;
            while cases
                .iter()
                .any(|c| crate::model::case_key(&c.name) == crate::model::case_key(&name))
            {
                copy += 1;
                name = format!("{} ({copy})", case.name);
            }
            for guid in &case.selections {
                if let Some(&(doc, start, end)) = self.span_of_selection.get(guid)
                    && start < end
                {
                    turns.entry(doc).or_default().push(crate::model::Turn {
                        start,
                        end,
                        speaker: Some(id),
                        time_start: None,
                        time_end: None,
                    });
                }
            }
            cases.push(crate::model::Case {
                id,
                name,
                attributes: case.values,
                memo: case.memo,
            });
        }
        let mut overlapping = 0;
        for document in documents.iter_mut() {
            let Some(mut spans) = turns.remove(&document.id) else {
                continue;
            };
            spans.sort_by_key(|t| (t.start, t.end));
            let mut kept: Vec<crate::model::Turn> = Vec::with_capacity(spans.len());
            for turn in spans {
                match kept.last() {
                    Some(last) if turn.start < last.end => overlapping += 1,
                    _ => kept.push(turn),
                }
            }
            document.turns = kept;
        }
        if overlapping > 0 {
            self.warnings.push(format!(
                "{overlapping} case selection(s) overlap another case's in the same text and \
                 were not made turns (a turn has one speaker)"
            ));
        }
        cases
    }

    /// The producing program and how its positions and selection names are read.
    fn read_producer(&mut self, root: &Element) {
        let origin = root.attribute("origin").unwrap_or("").trim();
        self.producer = QdaTool::from_origin(origin);
        self.report.producer = origin.to_owned();
        (self.unit, self.selection_name) = match self.producer {
            // Marginalia's own export, perhaps "written for" a program: that program's
            // unit, and the name holding a shortened quote (the whole one for QualCoder).
            tool if origin.starts_with("Marginalia") => (
                tool.map_or(PositionUnit::CodePoints, QdaTool::position_unit),
                match tool {
                    Some(QdaTool::QualCoder) => SelectionName::WholeText,
                    _ => SelectionName::Quote,
                },
            ),
            Some(tool) => (tool.position_unit(), tool.selection_name()),
            None => (PositionUnit::CodePoints, SelectionName::Unknown),
        };
        self.report.unit = Some(self.unit);
        if let Some(base) = root.attribute("basePath") {
            self.base_path = Some(PathBuf::from(strip_scheme(base)));
        }
    }

    /// The parts of a source that hold text to code; other kinds are counted as left out.
    fn text_parts<'e>(&mut self, source: &'e Element) -> Vec<TextPart<'e>> {
        let name = source.attribute("name").unwrap_or("").trim().to_owned();
        let leave_out = |report: &mut ImportReport, kind: &'static str, count: usize| {
            if count > 0 {
                *report.media_left_out.entry(kind).or_default() += count;
            }
        };
        match source.name.as_ref() {
            "TextSource" => vec![TextPart {
                owner: source,
                holder: source,
                title: name,
            }],
            "PDFSource" => {
                let selections = source.children_named("PDFSelection").count();
                leave_out(&mut self.report, "PDF area selection(s)", selections);
                match source.child("Representation") {
                    Some(representation) => vec![TextPart {
                        owner: source,
                        holder: representation,
                        title: name,
                    }],
                    None => {
                        leave_out(
                            &mut self.report,
                            "PDF source(s) without a text representation",
                            1,
                        );
                        Vec::new()
                    }
                }
            }
            "PictureSource" => {
                leave_out(&mut self.report, "picture source(s)", 1);
                let selections = source.children_named("PictureSelection").count();
                leave_out(&mut self.report, "picture selection(s)", selections);
                Vec::new()
            }
            "AudioSource" | "VideoSource" => {
                let (kind, selection) = if source.name == "AudioSource" {
                    ("audio source(s)", "AudioSelection")
                } else {
                    ("video source(s)", "VideoSelection")
                };
                leave_out(&mut self.report, kind, 1);
                let selections = source.children_named(selection).count();
                leave_out(
                    &mut self.report,
                    "time selection(s) in recordings",
                    selections,
                );
                let transcripts: Vec<&Element> = source.children_named("Transcript").collect();
                let several = transcripts.len() > 1;
                transcripts
                    .into_iter()
                    .enumerate()
                    .map(|(index, transcript)| {
                        let own = transcript.attribute("name").unwrap_or("").trim();
                        let title = match (own.is_empty(), several) {
                            (false, _) => own.to_owned(),
                            (true, false) => format!("{name} (transcript)"),
                            (true, true) => format!("{name} (transcript {})", index + 1),
                        };
                        TextPart {
                            owner: transcript,
                            holder: transcript,
                            title,
                        }
                    })
                    .collect()
            }
            other => {
                self.warnings.push(format!(
                    "{} left out: not a kind of source Marginalia knows (<{other}>)",
                    source.describe()
                ));
                Vec::new()
            }
        }
    }

    /// A document from one text part, its text (when the archive has it) and its codings.
    fn read_text_part(
        &mut self,
        part: &TextPart<'_>,
        id: DocId,
        file_names: &mut FileNames,
    ) -> Result<(Document, Option<String>, Vec<Selection>), QdpxError> {
        let owner = part.owner;
        if let Some(guid) = owner.attribute("guid") {
            self.document_of_guid.insert(guid_key(guid), id);
        }
        let path_hint = part
            .holder
            .attribute("plainTextPath")
            .map(|p| file_name_of(strip_scheme(p)).to_owned())
            .unwrap_or_default();
        let file_name = file_names.claim(
            if part.title.is_empty() {
                &path_hint
            } else {
                &part.title
            },
            owner.attribute("guid").unwrap_or(""),
        );
        let memo = self.description_and_notes(owner);
        let found = self.source_text(part.holder)?;
        let (text, had_bom) = match found {
            Ok(found) => {
                if let Some(disk) = &found.from_disk {
                    self.report.read_from_disk.push(format!(
                        "{} from {}",
                        owner.describe(),
                        disk.display()
                    ));
                }
                (Some(found.text), found.had_bom)
            }
            Err(missing) => {
                self.report.missing_sources.push(format!(
                    "{} ({missing}): kept as a document marked missing; put its text at \
                     sources/{file_name} beside the project and run `marginalia check --fix`",
                    owner.describe()
                ));
                (None, false)
            }
        };
        let document_text = text.map(DocumentText::new);
        let selections = self.selections(part, document_text.as_ref(), had_bom, id)?;
        let (sha256, chars) = match &document_text {
            Some(text) => (sha256_hex(text.as_str().as_bytes()), text.char_count()),
            // No fingerprint: whatever text is put in place later counts as changed, so its
            // passages are found again by their quotes.
            None => (String::new(), 0),
        };
        let title = match (&part.title, &document_text) {
            (title, _) if !title.is_empty() => title.clone(),
            (_, Some(text)) => super::title_of(text.as_str(), Path::new(&file_name)),
            (_, None) => file_name.trim_end_matches(".txt").to_owned(),
        };
        let document = Document {
            turns: Vec::new(),
            direction: Default::default(),
            id,
            title,
            sha256,
            chars,
            path: file_name,
            memo,
            origin: None,
            attributes: Default::default(),
        };
        Ok((
            document,
            document_text.map(|t| t.as_str().to_owned()),
            selections,
        ))
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

    /// The text of a source, transcript or note: inline `PlainTextContent`, or the file its
    /// `plainTextPath` names (in the archive, or beside it for `relative://` and
    /// `absolute://`). `Ok(Err(why))` when it cannot be found or read; `Err` only for an
    /// archive to refuse (a path that leads out of its folder).
    fn source_text(&mut self, holder: &Element) -> Result<Result<SourceText, String>, QdpxError> {
        if let Some(content) = holder.child_text("PlainTextContent") {
            let (text, had_bom) = without_bom(content.to_owned());
            return Ok(Ok(SourceText {
                text,
                had_bom,
                from_disk: None,
            }));
        }
        let Some(path) = holder.attribute("plainTextPath") else {
            return Ok(Err(
                "it has neither a plainTextPath nor PlainTextContent".to_owned()
            ));
        };
        let (scheme, rest) = match path.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            None => (String::new(), path),
        };
        if scheme == "internal" && escapes_its_folder(rest) {
            return Err(self.refuse(format!(
                "{}{}: its plainTextPath “{path}” points outside the archive's sources folder; \
                 refusing the archive",
                self.entry_prefix(),
                holder.describe()
            )));
        }
        let Some(archive) = self.archive.as_deref_mut() else {
            return Err(self.refuse(format!(
                "{} names a source file, which a codebook file cannot hold",
                holder.describe()
            )));
        };
        // In the archive: under its sources folder, or at its top; for a path from another
        // machine, by its file name.
        let mut in_archive: Vec<String> = Vec::new();
        if !escapes_its_folder(rest) {
            in_archive.push(format!("sources/{rest}"));
            in_archive.push(rest.to_owned());
        }
        let name = file_name_of(rest);
        if !name.is_empty() {
            in_archive.push(format!("sources/{name}"));
        }
        for candidate in &in_archive {
            if let Some(entry) = archive.find(candidate) {
                let bytes = archive.read(&entry)?;
                return Ok(decode_text(bytes)
                    .map(|(text, had_bom)| SourceText {
                        text,
                        had_bom,
                        from_disk: None,
                    })
                    .map_err(|why| format!("the archive entry “{entry}” {why}")));
            }
        }
        // Outside the archive, only for paths that say so, and only plain text files: an
        // archive must not be able to pull any file of the machine into a project.
        if matches!(scheme.as_str(), "relative" | "absolute" | "file") {
            let mut on_disk: Vec<PathBuf> = Vec::new();
            let archive_dir = self.file.parent().map(Path::to_owned).unwrap_or_default();
            if scheme == "relative" {
                if let Some(base) = &self.base_path {
                    on_disk.push(base.join(rest));
                }
                on_disk.push(archive_dir.join(rest));
            } else {
                on_disk.push(PathBuf::from(rest));
                on_disk.push(archive_dir.join(name));
            }
            for candidate in on_disk {
                let is_text = candidate
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
                if !is_text || !candidate.is_file() {
                    continue;
                }
                let read = std::fs::metadata(&candidate)
                    .map_err(|e| e.to_string())
                    .and_then(|m| {
                        if m.len() > super::MAX_DOCUMENT_BYTES {
                            Err("too large".to_owned())
                        } else {
                            std::fs::read(&candidate).map_err(|e| e.to_string())
                        }
                    });
                return Ok(match read {
                    Ok(bytes) => decode_text(bytes)
                        .map(|(text, had_bom)| SourceText {
                            text,
                            had_bom,
                            from_disk: Some(candidate.clone()),
                        })
                        .map_err(|why| format!("{} {why}", candidate.display())),
                    Err(error) => Err(format!("{}: {error}", candidate.display())),
                });
            }
        }
        Ok(Err(format!(
            "the archive has no entry for its plainTextPath “{path}”"
        )))
    }

    fn selections(
        &mut self,
        part: &TextPart<'_>,
        text: Option<&DocumentText>,
        had_bom: bool,
        doc: DocId,
    ) -> Result<Vec<Selection>, QdpxError> {
        let holder = part.holder;
        let mut placer = text.map(|t| Placer::new(t, self.unit, had_bom));
        let mut selections = Vec::new();
        // A transcript's selections run between its sync points.
        let sync_points: HashMap<String, &str> = holder
            .children_named("SyncPoint")
            .filter_map(|p| Some((guid_key(p.attribute("guid")?), p.attribute("position")?)))
            .collect();
        let written: Vec<&Element> = holder
            .children_named("PlainTextSelection")
            .chain(holder.children_named("TranscriptSelection"))
            .collect();
        for selection in written {
            let (start, end) = if selection.name == "TranscriptSelection" {
                let point = |name: &str| {
                    selection
                        .attribute(name)
                        .and_then(|g| sync_points.get(&guid_key(g)))
                        .map(|p| p.to_string())
                };
                match (point("fromSyncPoint"), point("toSyncPoint")) {
                    (Some(from), Some(to)) => (
                        self.position(selection, part, "fromSyncPoint", &from)?,
                        self.position(selection, part, "toSyncPoint", &to)?,
                    ),
                    _ => {
                        self.list_skipped(format!(
                            "{} in {}: its sync points are missing",
                            selection.describe(),
                            part.owner.describe()
                        ));
                        continue;
                    }
                }
            } else {
                let attribute = |name: &str| {
                    selection.attribute(name).ok_or_else(|| {
                        self.refuse(format!(
                            "{}{} in {} has no {name}",
                            self.entry_prefix(),
                            selection.describe(),
                            part.owner.describe()
                        ))
                    })
                };
                let (start, end) = (attribute("startPosition")?, attribute("endPosition")?);
                (
                    self.position(selection, part, "startPosition", start)?,
                    self.position(selection, part, "endPosition", end)?,
                )
            };
            if let Some(guid) = selection.attribute("guid") {
                self.document_of_guid.insert(guid_key(guid), doc);
            }
            let quoted = selection.attribute("name").filter(|n| !n.trim().is_empty());
            let placed = match (&mut placer, text) {
                (Some(placer), Some(text)) => {
                    let (mut range, outcome) =
                        placer.place(start, end, quoted, self.selection_name);
                    if outcome != Outcome::Unplaced {
                        let whole = text.grapheme_span(range.clone());
                        if whole != range {
                            self.report.snapped += 1;
                            range = whole;
                        }
                    }
                    match outcome {
                        Outcome::AsWritten => self.report.as_written += 1,
                        Outcome::Verified => {
                            self.report.as_written += 1;
                            self.report.checked += 1;
                        }
                        Outcome::Repaired(_) => self.report.repaired += 1,
                        Outcome::Unplaced => {}
                    }
                    if outcome == Outcome::Unplaced {
                        match quoted {
                            Some(quoted) => {
                                self.list_unplaced(format!(
                                    "{} in {}: positions {start}..{end} do not hold its text “{}”",
                                    selection.describe(),
                                    part.owner.describe(),
                                    short(quoted)
                                ));
                                let (prefix, suffix) =
                                    crate::anchor::context(text, range.start, range.end);
                                Some((
                                    range.start,
                                    range.end,
                                    quoted.to_owned(),
                                    prefix.to_owned(),
                                    suffix.to_owned(),
                                ))
                            }
                            None => {
                                self.list_skipped(format!(
                                    "{} in {}: positions {start}..{end} lie outside its text of {} characters",
                                    selection.describe(),
                                    part.owner.describe(),
                                    text.char_count()
                                ));
                                None
                            }
                        }
                    } else {
                        if let Some(guid) = selection.attribute("guid") {
                            self.span_of_selection
                                .insert(guid_key(guid), (doc, range.start, range.end));
                        }
                        let quote = text.slice(range.clone()).unwrap_or_default().to_owned();
                        let (prefix, suffix) = crate::anchor::context(text, range.start, range.end);
                        Some((
                            range.start,
                            range.end,
                            quote,
                            prefix.to_owned(),
                            suffix.to_owned(),
                        ))
                    }
                }
                _ => match quoted {
                    // No text: the coding keeps its own words, to be found again once the
                    // text is in place.
                    Some(quoted) => {
                        self.report.unplaced += 1;
                        Some((start, end, quoted.to_owned(), String::new(), String::new()))
                    }
                    None => {
                        self.list_skipped(format!(
                            "{} in {}: its text is missing and it carries none of its own",
                            selection.describe(),
                            part.owner.describe()
                        ));
                        None
                    }
                },
            };
            let Some((start, end, quote, prefix, suffix)) = placed else {
                continue;
            };
            selections
                .extend(self.coder_selections(selection, part, start, end, quote, prefix, suffix)?);
        }
        // Codings on the source itself apply to the whole text.
        let whole: Vec<&Element> = part.owner.children_named("Coding").collect();
        if !whole.is_empty() {
            match text {
                Some(text) => {
                    let tags = self.coded_tags(&whole, part.owner)?;
                    let note = whole
                        .iter()
                        .map(|c| self.notes_of(c))
                        .fold(String::new(), |all, n| join_texts([all.as_str(), &n]));
                    self.report.as_written += 1;
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
                None => self.list_skipped(format!(
                    "the codings of the whole of {}: its text is missing",
                    part.owner.describe()
                )),
            }
        }
        Ok(selections)
    }

    fn position(
        &self,
        selection: &Element,
        part: &TextPart<'_>,
        name: &str,
        value: &str,
    ) -> Result<usize, QdpxError> {
        value.trim().parse::<usize>().map_err(|_| {
            self.refuse(format!(
                "{}{} in {} has {name}=“{value}”, expected a character position (a whole \
                 number from 0)",
                self.entry_prefix(),
                selection.describe(),
                part.owner.describe()
            ))
        })
    }

    fn list_unplaced(&mut self, line: String) {
        self.report.unplaced += 1;
        if self.report.listed.len() < MAX_LISTED {
            self.report.listed.push(line);
        }
    }

    fn list_skipped(&mut self, line: String) {
        self.report.skipped += 1;
        if self.report.listed.len() < MAX_LISTED {
            self.report.listed.push(line);
        }
    }

    /// A selection's passages, one per coder: a coding names its own user when several
    /// coders coded one selection (REFI-QDA `creatingUser`).
    #[allow(clippy::too_many_arguments)]
    fn coder_selections(
        &mut self,
        selection: &Element,
        part: &TextPart<'_>,
        start: usize,
        end: usize,
        quote: String,
        prefix: String,
        suffix: String,
    ) -> Result<Vec<Selection>, QdpxError> {
        let codings: Vec<&Element> = selection.children_named("Coding").collect();
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
        let marks_a_case = selection
            .attribute("guid")
            .is_some_and(|guid| self.case_selections.contains(&guid_key(guid)));
        if codings.is_empty() && own_note.trim().is_empty() && marks_a_case {
            return Ok(Vec::new());
        }
        // The selection's own note goes with the coder who made it (else the first).
        let note_owner = by_coder
            .iter()
            .position(|(coder, _)| Some(coder) == selector.as_ref())
            .unwrap_or(0);
        let mut selections = Vec::new();
        for (index, (coder, group)) in by_coder.into_iter().enumerate() {
            let tags = self.coded_tags(&group, part.owner)?;
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
                quote: quote.clone(),
                prefix: prefix.clone(),
                suffix: suffix.clone(),
                tags,
                note,
                coder,
                created: created.clone(),
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
                        "{}a Coding in {} has no CodeRef targetGUID",
                        self.entry_prefix(),
                        source.describe()
                    ))
                })?;
            let tag = *self.tag_of_code.get(&guid_key(target)).ok_or_else(|| {
                self.refuse(format!(
                    "{}a Coding in {} refers to code {target}, which the codebook does not \
                     define",
                    self.entry_prefix(),
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

/// A text with its UTF-8 byte-order mark removed, and whether it had one: no producer
/// counts it in its positions.
fn without_bom(text: String) -> (String, bool) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest.to_owned(), true),
        None => (text, false),
    }
}

/// A source file's bytes as text: UTF-8 (a byte-order mark removed), or UTF-16 with its
/// byte-order mark. The error completes "the archive entry … ".
fn decode_text(bytes: Vec<u8>) -> Result<(String, bool), String> {
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    if let Some(encoding) = utf16 {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            return Err("is not valid UTF-16 text".to_owned());
        }
        return Ok((text.into_owned(), true));
    }
    String::from_utf8(bytes).map(without_bom).map_err(|e| {
        format!(
            "is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// A path without its `internal://`, `relative://`, `absolute://` or `file://` scheme.
fn strip_scheme(path: &str) -> &str {
    match path.split_once("://") {
        Some((_, rest)) => rest,
        None => path,
    }
}

/// The last component of a path written with either separator.
fn file_name_of(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn short(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 60 {
        format!("{}…", flat.chars().take(59).collect::<String>())
    } else {
        flat
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
        report,
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
        report,
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
        assert_eq!(
            imported.report.media_left_out.get("picture source(s)"),
            Some(&1)
        );
        assert!(
            imported
                .report
                .summary()
                .iter()
                .any(|l| l.contains("1 picture source(s)")),
            "{:?}",
            imported.report.summary()
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
    fn a_selection_outside_its_text_is_listed_not_misplaced_and_the_rest_comes_in() {
        let qde = MINIMAL_QDE.replace("endPosition=\"4\"", "endPosition=\"400\"");
        let imported = read(archive(&[("project.qde", qde.as_bytes())]), DEFAULT_LIMITS).unwrap();
        assert!(imported.project.annotations.is_empty());
        assert_eq!(imported.project.codebook.len(), 2);
        assert_eq!(imported.project.documents.len(), 1);
        let report = &imported.report;
        assert_eq!((report.skipped, report.as_written), (1, 0));
        assert!(!report.all_placed());
        let listed = report.listed.join("\n");
        assert!(
            listed.contains("0..400") && listed.contains("44444444"),
            "{listed}"
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
