//! Reading and writing project files: RON in the shape of DESIGN.md, written atomically,
//! with errors that name the file, the line and column, and what was expected.

mod lock;
pub mod paths;
mod reader;
mod writer;

pub use lock::{LockHolder, ProjectLock, lock_path};
pub use paths::{relative_document_path, resolve_document_path};

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::{Document, FORMAT_VERSION, Project};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{}:{line}:{column}: {message}", file.display())]
    Syntax {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {message}", file.display())]
    Invalid { file: PathBuf, message: String },
    /// A well-formed file whose parts do not fit together (a passage naming a missing tag…),
    /// with the place of the part at fault.
    #[error("{}:{line}:{column}: {message}", file.display())]
    Inconsistent {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {source}", file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is no longer what was read or last saved (another window or a sync tool
    /// wrote it): saving over it would lose those changes unless the person says so.
    #[error(
        "{}: the file changed on disk since it was opened; overwrite it or save under another name",
        file.display()
    )]
    ChangedOnDisk { file: PathBuf },
    /// Windows: another program holds the file open and does not let it be replaced (Excel
    /// with an export open, a sync or backup tool) for longer than a save waits.
    #[error(
        "{}: the file is open in another program that does not let it be replaced; close it \
         there and try again (nothing was written)",
        file.display()
    )]
    InUse { file: PathBuf },
}

impl StoreError {
    pub fn file(&self) -> &Path {
        match self {
            StoreError::Syntax { file, .. }
            | StoreError::Invalid { file, .. }
            | StoreError::Inconsistent { file, .. }
            | StoreError::Io { file, .. }
            | StoreError::ChangedOnDisk { file }
            | StoreError::InUse { file } => file,
        }
    }
}

/// Read and check a project file. Nothing on disk is changed, whatever the outcome.
pub fn load_project(path: &Path) -> Result<Project, StoreError> {
    load_project_fingerprinted(path).map(|(project, _)| project)
}

/// [`load_project`], with the SHA-256 of the bytes read, to tell later whether the file
/// changed on disk.
pub fn load_project_fingerprinted(path: &Path) -> Result<(Project, String), StoreError> {
    let bytes = std::fs::read(path).map_err(|source| StoreError::Io {
        file: path.to_owned(),
        source,
    })?;
    let fingerprint = crate::anchor::sha256_hex(&bytes);
    parse_project_bytes(&bytes, path).map(|project| (project, fingerprint))
}

/// Parse the bytes of a project file; `origin` is only used to name the file in errors.
pub fn parse_project_bytes(bytes: &[u8], origin: &Path) -> Result<Project, StoreError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column_of_byte(bytes, e.valid_up_to());
        StoreError::Syntax {
            file: origin.to_owned(),
            line,
            column,
            message: "the file is not valid UTF-8 text".to_owned(),
        }
    })?;
    parse_project(text, origin)
}

/// Parse project text; `origin` is only used to name the file in errors.
pub fn parse_project(text: &str, origin: &Path) -> Result<Project, StoreError> {
    // Files as Marginalia writes them take the fast path; anything else goes to ron.
    let parsed = match reader::read_canonical(text) {
        Some(project) => Ok(project),
        None => ron::Options::default().from_str(text),
    };
    let mut project: Project = parsed.map_err(|e| StoreError::Syntax {
        file: origin.to_owned(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: describe_ron_error(&e.code),
    })?;
    if project.format > FORMAT_VERSION {
        return Err(StoreError::Invalid {
            file: origin.to_owned(),
            message: format!(
                "this project uses format {}, but this version of Marginalia reads format {} at most; \
                 open it with a newer Marginalia",
                project.format, FORMAT_VERSION
            ),
        });
    }
    project.format = FORMAT_VERSION;
    check_consistency(&project).map_err(|(message, culprit)| {
        match culprit.and_then(|c| locate_element(text, c)) {
            Some((line, column)) => StoreError::Inconsistent {
                file: origin.to_owned(),
                line,
                column,
                message,
            },
            None => StoreError::Invalid {
                file: origin.to_owned(),
                message,
            },
        }
    })?;
    project.sort_annotations();
    project.sync_id_counters();
    Ok(project)
}

fn describe_ron_error(error: &ron::Error) -> String {
    let message = error.to_string();
    // ron names the struct with a leading "Unexpected missing field"/"expected" phrasing
    // already; only make the unit of the message clear.
    match error {
        ron::Error::Eof => "the file ends too early: a bracket or quote is not closed".to_owned(),
        _ => message,
    }
}

/// The part of a project file an error is about: the `occurrence`-th (from 0) element of a
/// kind (`Tag`, `Document`, `Annotation`) with an id.
#[derive(Clone, Copy, Debug)]
struct Culprit {
    kind: &'static str,
    id: u32,
    occurrence: usize,
}

impl Culprit {
    fn first(kind: &'static str, id: u32) -> Option<Self> {
        Some(Self {
            kind,
            id,
            occurrence: 0,
        })
    }

    fn second(kind: &'static str, id: u32) -> Option<Self> {
        Some(Self {
            kind,
            id,
            occurrence: 1,
        })
    }
}

/// Semantic checks the parser cannot make: unique ids and references that resolve.
fn check_consistency(project: &Project) -> Result<(), (String, Option<Culprit>)> {
    let mut seen = std::collections::HashSet::new();
    for tag in &project.codebook {
        if !seen.insert(tag.id) {
            return Err((
                format!("two tags share the id {}", tag.id),
                Culprit::second("Tag", tag.id),
            ));
        }
    }
    for tag in &project.codebook {
        if let Some(parent) = tag.parent
            && project.tag(parent).is_none()
        {
            return Err((
                format!(
                    "tag {} ({:?}) names parent tag {parent}, which the codebook does not have",
                    tag.id, tag.name
                ),
                Culprit::first("Tag", tag.id),
            ));
        }
    }
    check_attributes(project)?;
    seen.clear();
    for case in &project.cases {
        if !seen.insert(case.id) {
            return Err((
                format!("two cases share the id {}", case.id),
                Culprit::second("Case", case.id),
            ));
        }
    }
    seen.clear();
    for document in &project.documents {
        if !seen.insert(document.id) {
            return Err((
                format!("two documents share the id {}", document.id),
                Culprit::second("Document", document.id),
            ));
        }
        check_turns(project, document)?;
    }
    seen.clear();
    for annotation in &project.annotations {
        let here = Culprit::first("Annotation", annotation.id);
        if !seen.insert(annotation.id) {
            return Err((
                format!("two passages share the id {}", annotation.id),
                Culprit::second("Annotation", annotation.id),
            ));
        }
        if project.document(annotation.doc).is_none() {
            return Err((
                format!(
                    "passage {} refers to document {}, which the project does not list",
                    annotation.id, annotation.doc
                ),
                here,
            ));
        }
        if annotation.start > annotation.end {
            return Err((
                format!(
                    "passage {} starts at {} after its end {}",
                    annotation.id, annotation.start, annotation.end
                ),
                here,
            ));
        }
        if let Some(tag) = annotation.tags.iter().find(|t| project.tag(**t).is_none()) {
            return Err((
                format!(
                    "passage {} carries tag {tag}, which the codebook does not have",
                    annotation.id
                ),
                here,
            ));
        }
    }
    Ok(())
}

/// A transcript's turns lie in its recorded text, in order and apart, each spoken by a case
/// the project has: a speaker is never shown for words that are not theirs.
fn check_turns(project: &Project, document: &Document) -> Result<(), (String, Option<Culprit>)> {
    let here = || Culprit::first("Document", document.id);
    let mut previous_end = 0;
    for turn in &document.turns {
        if turn.start > turn.end || turn.end > document.chars || turn.start < previous_end {
            return Err((
                format!(
                    "document {}: the turn at characters {}–{} does not lie in its {} characters after the turn before it",
                    document.id, turn.start, turn.end, document.chars
                ),
                here(),
            ));
        }
        previous_end = turn.end;
        if let Some(speaker) = turn.speaker
            && project.case(speaker).is_none()
        {
            return Err((
                format!(
                    "document {}: the turn at characters {}–{} is spoken by case {speaker}, which the project does not list",
                    document.id, turn.start, turn.end
                ),
                here(),
            ));
        }
    }
    Ok(())
}

/// Attribute definitions with unique ids and names, and document and case values that name
/// a defined attribute and fit its kind.
fn check_attributes(project: &Project) -> Result<(), (String, Option<Culprit>)> {
    let mut ids = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    for attribute in &project.attributes {
        if !ids.insert(attribute.id) {
            return Err((
                format!("two attributes share the id {}", attribute.id),
                Culprit::second("Attribute", attribute.id),
            ));
        }
        if !names.insert(attribute.name.as_str()) {
            return Err((
                format!("two attributes share the name {:?}", attribute.name),
                Culprit::first("Attribute", attribute.id),
            ));
        }
    }
    let owners = project
        .documents
        .iter()
        .map(|d| ("document", "Document", d.id, &d.attributes))
        .chain(
            project
                .cases
                .iter()
                .map(|c| ("case", "Case", c.id, &c.attributes)),
        );
    for (owner, element, owner_id, values) in owners {
        for (id, value) in values {
            let here = Culprit::first(element, owner_id);
            let Some(attribute) = project.attribute(*id) else {
                return Err((
                    format!(
                        "{owner} {owner_id} has a value for attribute {id}, which the project does not define"
                    ),
                    here,
                ));
            };
            if let Err(problem) = attribute.kind.check(value) {
                return Err((
                    format!(
                        "{owner} {owner_id}: attribute {:?} ({}): {problem}",
                        attribute.name,
                        attribute.kind.name()
                    ),
                    here,
                ));
            }
        }
    }
    Ok(())
}

/// Line and column of an element written `Kind(id: N, …` (as Marginalia writes it, spaces
/// and line breaks allowed); `None` for a file written otherwise, e.g. with `id` not first.
fn locate_element(text: &str, culprit: Culprit) -> Option<(usize, usize)> {
    let mut found = 0;
    for (at, _) in text.match_indices(culprit.kind) {
        let starts_a_name = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let id = text[at + culprit.kind.len()..]
            .trim_start()
            .strip_prefix('(')
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix("id"))
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|rest| {
                rest.trim_start()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|digits| digits.parse::<u32>().ok());
        if starts_a_name && id == Some(culprit.id) {
            if found == culprit.occurrence {
                return Some(line_column_of_byte(text.as_bytes(), at));
            }
            found += 1;
        }
    }
    None
}

fn line_column_of_byte(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The project as RON text: one line per tag, document and passage, so that a diff shows
/// one line per changed passage. The layout is ron's pretty printer's with struct names,
/// a 4-space indent and a depth limit of 2 (the file stays ron), written by `writer` for
/// speed; passages in the order of `Project::sort_annotations`.
pub fn project_to_ron(project: &Project) -> String {
    let mut annotations: Vec<&crate::model::Annotation> =
        project.annotations.iter().map(|a| &**a).collect();
    let key = |a: &&crate::model::Annotation| (a.doc, a.start, a.end, a.id);
    if !annotations.is_sorted_by_key(key) {
        annotations.sort_by_key(key);
    }
    // The counters matter only once an id above the highest in use has been handed out
    // (a deleted passage); otherwise they are derivable and kept out of the file.
    let derived = crate::model::IdCounters {
        tag: project.codebook.iter().map(|t| t.id).max().unwrap_or(0),
        document: project.documents.iter().map(|d| d.id).max().unwrap_or(0),
        annotation: project.annotations.iter().map(|a| a.id).max().unwrap_or(0),
        case: project.cases.iter().map(|c| c.id).max().unwrap_or(0),
    };
    let ids = (project.ids != derived && project.ids != Default::default()).then_some(&project.ids);
    writer::write_project(project, &annotations, ids)
}

/// Save atomically, keeping the previous file as `NAME.ron.bak`; see [`write_atomically`].
pub fn save_project(project: &Project, path: &Path) -> Result<(), StoreError> {
    write_atomically(path, project_to_ron(project).as_bytes(), true)
}

/// Write `bytes` to `path` so that a crash at any moment (the process killed, the power cut)
/// leaves `path` holding either its previous content or `bytes`, never a mixture:
///
/// 1. the bytes go to a temporary file `.NAME.XXXXXX.tmp` in the same folder, which is
///    flushed to disk (`fsync`);
/// 2. with `keep_backup`, the current file is hard-linked (copied on Windows) to a temporary
///    name and renamed over `NAME.bak`, so the backup is replaced in one step and is always a
///    whole, earlier good file; the folder is flushed so the backup is on disk before the
///    file changes;
/// 3. the temporary file is renamed over `path` and the folder flushed again.
///
/// A crash can leave a temporary file behind. Its name starts with a dot and ends in `.tmp`,
/// so it is neither the project nor a `.ron` file; the next save of the same file removes
/// such leftovers. A temporary file is locked while it is written, and only unlocked ones
/// (whose writer has gone) are removed, so two saves at once do not remove each other's.
pub fn write_atomically(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), StoreError> {
    let io_error = |source| StoreError::Io {
        file: path.to_owned(),
        source,
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let backup = backup_path(path);
    remove_stale_temporaries(&folder, path);
    if keep_backup {
        remove_stale_temporaries(&folder, &backup);
    }
    let mut temp = tempfile::Builder::new()
        .prefix(&temporary_prefix(path))
        .suffix(TEMPORARY_SUFFIX)
        .rand_bytes(TEMPORARY_RANDOM_CHARS)
        .tempfile_in(&folder)
        .map_err(io_error)?;
    // Only for the clean-up above: a file system without locks still saves safely.
    let _ = temp.as_file().try_lock();
    temp.write_all(bytes).map_err(io_error)?;
    // A temporary file is private (0600); a project or export is shared like any document,
    // so it keeps the permissions of the file it replaces, or gets the usual ones.
    let permissions = match std::fs::metadata(path) {
        Ok(old) => Some(old.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(permissions) = permissions {
        temp.as_file()
            .set_permissions(permissions)
            .map_err(io_error)?;
    }
    temp.as_file().sync_all().map_err(io_error)?;
    if keep_backup && path.exists() {
        replace_backup(path, &backup, &folder)?;
        sync_folder(&folder).map_err(io_error)?;
    }
    persist_waiting_out_brief_holds(temp, path)?;
    sync_folder(&folder).map_err(io_error)
}

/// How long a save waits, attempt after attempt, for another program to let go of the file
/// it replaces: about two seconds in all, longer than a virus scan or an indexer holds a
/// file, shorter than a person waits without wondering.
const REPLACE_RETRY_DELAYS_MS: [u64; 8] = [10, 20, 50, 100, 200, 300, 500, 800];

/// Rename the written temporary file over `path`. On Windows the rename fails while another
/// program has `path` open without sharing it for deletion; Unix has no such refusal.
fn persist_waiting_out_brief_holds(
    mut temp: tempfile::NamedTempFile,
    path: &Path,
) -> Result<(), StoreError> {
    let mut delays = REPLACE_RETRY_DELAYS_MS.iter();
    loop {
        match temp.persist(path) {
            Ok(_) => return Ok(()),
            Err(failed) if is_held_by_another_program(&failed.error) => {
                let Some(delay) = delays.next() else {
                    return Err(StoreError::InUse {
                        file: path.to_owned(),
                    });
                };
                std::thread::sleep(std::time::Duration::from_millis(*delay));
                temp = failed.file;
            }
            Err(failed) => {
                return Err(StoreError::Io {
                    file: path.to_owned(),
                    source: failed.error,
                });
            }
        }
    }
}

/// Windows' ERROR_ACCESS_DENIED (5), ERROR_SHARING_VIOLATION (32), ERROR_LOCK_VIOLATION (33):
/// what replacing a file that another program holds open gives.
fn is_held_by_another_program(error: &std::io::Error) -> bool {
    cfg!(windows) && matches!(error.raw_os_error(), Some(5 | 32 | 33))
}

const TEMPORARY_SUFFIX: &str = ".tmp";
const TEMPORARY_RANDOM_CHARS: usize = 6;

/// `.NAME.`: the start of the temporary files that become `NAME`.
fn temporary_prefix(path: &Path) -> String {
    format!(
        ".{}.",
        path.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// Whether `name` is one of the temporary files [`write_atomically`] makes for `target`.
pub fn is_temporary_for(name: &str, target: &Path) -> bool {
    name.strip_prefix(&temporary_prefix(target))
        .and_then(|rest| rest.strip_suffix(TEMPORARY_SUFFIX))
        .is_some_and(|random| {
            random.len() == TEMPORARY_RANDOM_CHARS
                && random.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Remove temporary files for `target` left by a save that crashed. One still being written
/// by another save is locked and stays.
fn remove_stale_temporaries(folder: &Path, target: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !is_temporary_for(&name.to_string_lossy(), target) {
            continue;
        }
        let Ok(file) = std::fs::File::open(entry.path()) else {
            continue;
        };
        if file.try_lock().is_ok() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Make `backup` hold the current content of `path`, replacing any older backup in one step.
fn replace_backup(path: &Path, backup: &Path, folder: &Path) -> Result<(), StoreError> {
    let io_error = |source| StoreError::Io {
        file: backup.to_owned(),
        source,
    };
    // A save killed between making the backup and replacing the project leaves both names
    // on one file. The backup holds the current bytes already, and renaming a link over
    // another link to the same file does nothing (POSIX), which would leave the temporary
    // link behind.
    if crate::platform::same_file(path, backup) {
        return Ok(());
    }
    // A hard link keeps the old bytes under a second name without copying them. Not on
    // Windows: a link shares the file's sharing rules there, so while another program holds
    // the project open the link could be neither renamed nor removed; reading it is allowed.
    let linked = (!cfg!(windows))
        .then(|| {
            tempfile::Builder::new()
                .prefix(&temporary_prefix(backup))
                .suffix(TEMPORARY_SUFFIX)
                .rand_bytes(TEMPORARY_RANDOM_CHARS)
                .make_in(folder, |link| std::fs::hard_link(path, link))
                .ok()
        })
        .flatten();
    match linked {
        Some(link) => link
            .persist(backup)
            .map(drop)
            .map_err(|e| io_error(e.error)),
        // Windows, or a file system without hard links: copy, through a temporary file of
        // its own.
        None => {
            let old = std::fs::read(path).map_err(|source| StoreError::Io {
                file: path.to_owned(),
                source,
            })?;
            write_atomically(backup, &old, false)
        }
    }
}

/// Flush a folder's entries (new names, renames) to disk.
#[cfg(unix)]
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    std::fs::File::open(folder)?.sync_all()
}

/// Elsewhere a folder cannot be opened as a file; the rename itself is the best there is.
#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

/// Windows has no mode bits: a new file takes its folder's access rules, as a document should.
#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

/// Store `bytes` as a new file `STEM.EXT` in `dir` (created when missing), or `STEM (2).EXT`…
/// when that name is taken by a different file. A file that already holds exactly these
/// bytes is used as it is. No existing file is ever replaced, even by a writer racing us:
/// the name is created exclusively, then written and synced.
///
/// The bytes go straight into the new name rather than into a temporary file renamed into
/// place (three file-system operations per file instead of seven; a survey writes ten
/// thousand). That is safe because every caller writes its texts before the project that
/// names them is saved: a crash can leave a partial file that no project names, and it is
/// never taken for a complete one, as a file is reused only when it holds exactly these
/// bytes.
pub fn write_new_file(
    dir: &Path,
    stem: &str,
    extension: &str,
    bytes: &[u8],
) -> Result<PathBuf, StoreError> {
    let io_error = |file: &Path, source| StoreError::Io {
        file: file.to_owned(),
        source,
    };
    let create = |file: &Path| {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(file)
    };
    for candidate in numbered_names(dir, stem, extension) {
        // The folder is made only when missing: looking for it first would cost every file
        // another operation.
        let opened = match create(&candidate) {
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
                create(&candidate)
            }
            opened => opened,
        };
        match opened {
            Ok(mut file) => {
                file.write_all(bytes)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| io_error(&candidate, e))?;
                return Ok(candidate);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                if std::fs::read(&candidate).is_ok_and(|old| old == bytes) {
                    return Ok(candidate);
                }
            }
            Err(error) => return Err(io_error(&candidate, error)),
        }
    }
    unreachable!("the names run on until a free one is found")
}

/// `dir/STEM.EXT`, then `dir/STEM (2).EXT`, `dir/STEM (3).EXT`… without end.
fn numbered_names<'a>(
    dir: &'a Path,
    stem: &'a str,
    extension: &'a str,
) -> impl Iterator<Item = PathBuf> + 'a {
    (1..).map(move |counter: u64| {
        dir.join(match counter {
            1 => format!("{stem}.{extension}"),
            n => format!("{stem} ({n}).{extension}"),
        })
    })
}

/// `NAME.ron` → `NAME.ron.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".bak");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r##"Project(
    format: 1,
    name: "Police positive action",
    codebook: [
        Tag(id: 1, name: "quote", color: "#0072B2", key: "1", description: "Words attributed to a speaker"),
        Tag(id: 2, name: "statistic", color: "#E69F00", key: "2", description: "A figure, rate or count"),
    ],
    documents: [
        Document(id: 1, path: "../seeds/002_c2d47f878a0c9e5f.txt", title: "Met Police", sha256: "69cb", chars: 4709),
    ],
    annotations: [
        Annotation(id: 1, doc: 1, start: 265, end: 374, tags: [2], quote: "Forty", note: "", coder: "", created: "2026-11-22T15:00:00Z"),
    ],
)
"##;

    /// How `project_to_ron` wrote before it had its own writer: through ron's pretty printer.
    fn ron_pretty(project: &Project) -> String {
        let mut project = project.clone();
        project.sort_annotations();
        let mut derived = project.clone();
        derived.ids = Default::default();
        derived.sync_id_counters();
        if derived.ids == project.ids {
            project.ids = Default::default();
        }
        let config = ron::ser::PrettyConfig::new()
            .depth_limit(2)
            .struct_names(true)
            .indentor("    ")
            .new_line("\n");
        let mut text = ron::ser::to_string_pretty(&project, config).unwrap();
        text.push('\n');
        text
    }

    fn awkward_project() -> Project {
        let awkward = "Tab\there \"q\" 'a' \\ back\r\n e\u{301} \u{1F469}\u{200D}\u{1F467} \u{0} \u{7f} \
                       \u{200b} \u{feff} \u{378} \u{e000} \u{202e} £–‘’“”•… \u{85} \u{2028} \u{ad}";
        let mut project = parse_project(SAMPLE, Path::new("sample.ron")).unwrap();
        project.name = awkward.to_owned();
        project.memo = awkward.to_owned();
        project.codebook[1].parent = Some(1);
        project.codebook[0].description = awkward.to_owned();
        project.documents[0].memo = awkward.to_owned();
        project.documents[0].origin = Some(awkward.to_owned());
        project.documents[0].direction = crate::model::TextDirection::RightToLeft;
        project.attributes = vec![
            crate::model::Attribute {
                id: 1,
                name: awkward.to_owned(),
                kind: crate::model::AttributeKind::Text,
                description: awkward.to_owned(),
            },
            crate::model::Attribute {
                id: 3,
                name: "year".to_owned(),
                kind: crate::model::AttributeKind::Number,
                description: String::new(),
            },
            crate::model::Attribute {
                id: 4,
                name: "published".to_owned(),
                kind: crate::model::AttributeKind::Date,
                description: String::new(),
            },
            crate::model::Attribute {
                id: 7,
                name: "outlet".to_owned(),
                kind: crate::model::AttributeKind::Choice(vec![
                    awkward.to_owned(),
                    "Telegraph".to_owned(),
                ]),
                description: "where".to_owned(),
            },
            crate::model::Attribute {
                id: 8,
                name: "none yet".to_owned(),
                kind: crate::model::AttributeKind::Choice(vec![]),
                description: String::new(),
            },
        ];
        project.documents[0].attributes = [
            (1, awkward.to_owned()),
            (3, "-2.5e3".to_owned()),
            (4, "2024-02-29".to_owned()),
            (7, awkward.to_owned()),
        ]
        .into_iter()
        .collect();
        let mut second = project.annotations[0].clone();
        second.id = 9;
        second.start = 1;
        second.tags = vec![];
        second.quote = awkward.to_owned();
        second.note = awkward.to_owned();
        second.conflict = true;
        project.annotations.push(second);
        project
    }

    #[test]
    fn the_writer_matches_ron_byte_for_byte() {
        let sample = parse_project(SAMPLE, Path::new("sample.ron")).unwrap();
        let mut empty = Project::new("");
        empty.codebook.clear();
        let mut counters_needed = awkward_project();
        counters_needed.ids.annotation = 40;
        let mut every_char = Project::new("every character");
        every_char.memo = (0..0x2_0000)
            .chain((0x2_0000..0x11_0000).step_by(7))
            .filter_map(char::from_u32)
            .collect();
        let generated = crate::corpus_gen::Corpus::generate(1, &[30_000, 5_000], 400).project;
        let mut transcript = awkward_project();
        transcript.cases = vec![
            crate::model::Case {
                id: 1,
                name: "Zoë \"Z\" Ó Briain".to_owned(),
                attributes: [(3, "34".to_owned())].into_iter().collect(),
                memo: "line one\nline two".to_owned(),
            },
            crate::model::Case {
                id: 4,
                name: "عمر".to_owned(),
                attributes: Default::default(),
                memo: String::new(),
            },
        ];
        transcript.ids.case = 9;
        let turn = |start, end, speaker, time_start, time_end| crate::model::Turn {
            start,
            end,
            speaker,
            time_start,
            time_end,
        };
        transcript.documents[0].turns = vec![
            turn(0, 3, None, None, None),
            turn(5, 9, Some(1), Some(0.1), Some(83.4)),
            turn(11, 12, Some(4), Some(36_000.0), None),
            turn(12, 20, Some(1), Some(1e-7), Some(1.0e21)),
        ];
        for project in [
            transcript,
            sample,
            empty,
            awkward_project(),
            counters_needed,
            every_char,
            generated,
        ] {
            let ours = project_to_ron(&project);
            let theirs = ron_pretty(&project);
            if let Some((line, (a, b))) = ours
                .lines()
                .zip(theirs.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b)
            {
                panic!("line {}: ours\n{a}\nron's\n{b}", line + 1);
            }
            assert_eq!(ours, theirs);
            let fast = reader::read_canonical(&ours).expect("the fast reader takes what we write");
            let by_ron: Project = ron::Options::default().from_str(&ours).unwrap();
            assert_eq!(fast, by_ron);
        }
    }

    #[test]
    fn files_in_another_layout_are_left_to_ron() {
        let canonical = project_to_ron(&awkward_project());
        assert!(reader::read_canonical(&canonical).is_some());
        let variants = [
            canonical.replace("id: 1,", "id:1,"),
            canonical.replace("    name:", "  name:"),
            canonical.replace(")\n", ")"),
            canonical.replace("format: 1,", "format: 01,"),
            canonical.replace("tags: [2]", "tags: [2,]"),
            canonical.replace("created: ", "// a comment\ncreated: "),
            canonical.replacen("quote: \"", "quote: r\"", 1),
            canonical.replace("Tab\\t", "Tab\\x09"),
            canonical.replace("kind: Number", "kind: Number()"),
            canonical.replace("{1: ", "{ 1: "),
            canonical.replace("3: \"-2.5e3\"", "1: \"-2.5e3\""),
            format!("{canonical} "),
        ];
        for variant in variants {
            assert_ne!(variant, canonical);
            assert!(reader::read_canonical(&variant).is_none(), "{variant}");
        }
        // The fast path is only a shortcut: a spaced-out file still loads, through ron.
        let spaced = canonical.replace("Tag(id: 1,", "Tag(\n  id: 1,");
        let project = parse_project(&spaced, Path::new("p.ron")).unwrap();
        assert_eq!(project.codebook[0].id, 1);
    }

    #[test]
    fn the_merge_flag_is_written_only_when_set_and_read_by_both_readers() {
        let mut project = parse_project(SAMPLE, Path::new("sample.ron")).unwrap();
        assert!(!project.annotations[0].conflict, "old files load unflagged");
        assert!(!project_to_ron(&project).contains("conflict"));
        project.annotations[0].conflict = true;
        let text = project_to_ron(&project);
        assert!(text.contains(", created: \"2026-11-22T15:00:00Z\", conflict: true)"));
        let fast = reader::read_canonical(&text).expect("the fast reader takes the flag");
        let by_ron: Project = ron::Options::default().from_str(&text).unwrap();
        assert_eq!(fast, by_ron);
        assert!(fast.annotations[0].conflict);
    }

    #[test]
    fn a_documents_direction_is_written_only_when_set_and_read_by_both_readers() {
        let mut project = parse_project(SAMPLE, Path::new("sample.ron")).unwrap();
        assert!(
            project.documents[0].direction.is_auto(),
            "old files load as Auto"
        );
        assert!(!project_to_ron(&project).contains("direction"));
        for direction in [
            crate::model::TextDirection::RightToLeft,
            crate::model::TextDirection::LeftToRight,
        ] {
            project.documents[0].direction = direction;
            let text = project_to_ron(&project);
            let fast = reader::read_canonical(&text).expect("the fast reader takes it");
            let by_ron: Project = ron::Options::default().from_str(&text).unwrap();
            assert_eq!(fast, by_ron);
            assert_eq!(fast.documents[0].direction, direction);
        }
    }

    #[test]
    fn the_design_sample_loads_and_writes_back_identically() {
        let project = parse_project(SAMPLE, Path::new("sample.ron")).unwrap();
        assert_eq!(project.annotations[0].quote, "Forty");
        assert_eq!(project_to_ron(&project), SAMPLE);
    }

    #[test]
    fn unknown_and_missing_optional_fields_load() {
        let text = SAMPLE
            .replace(r#"key: "1", "#, "")
            .replace(r#"note: "", coder: "", "#, r#"colour_hint: "x", "#);
        let project = parse_project(&text, Path::new("p.ron")).unwrap();
        assert_eq!(project.codebook[0].key, "");
        assert_eq!(project.annotations[0].note, "");
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let broken = SAMPLE.replace("start: 265,", "start: 265");
        let error = parse_project(&broken, Path::new("broken.ron")).unwrap_err();
        match &error {
            StoreError::Syntax { line, column, .. } => {
                assert_eq!(*line, 12);
                assert!(*column > 30, "column {column}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
        assert!(error.to_string().starts_with("broken.ron:12:"), "{error}");
    }

    #[test]
    fn dangling_references_are_reported() {
        let text = SAMPLE.replace("tags: [2]", "tags: [7]");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(error.to_string().contains("tag 7"), "{error}");
        assert!(error.to_string().starts_with("p.ron:12:9: "), "{error}");
        let text = SAMPLE.replace("doc: 1,", "doc: 3,");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(error.to_string().contains("document 3"), "{error}");
        assert!(error.to_string().starts_with("p.ron:12:9: "), "{error}");
        // The second of two tags with one id is the one at fault.
        let text = SAMPLE.replace("Tag(id: 2,", "Tag( id :1,");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("p.ron:6:9: two tags share the id 1"),
            "{error}"
        );
        // Written otherwise, the element cannot be placed; the file is still named.
        let text = SAMPLE.replace("Annotation(id: 1, doc: 1,", "Annotation(doc: 3, id: 1,");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "p.ron: passage 1 refers to document 3, which the project does not list"
        );
    }

    #[test]
    fn turns_off_their_text_or_naming_no_case_are_reported_where_they_are() {
        let mut project = awkward_project();
        project.cases = vec![crate::model::Case {
            id: 1,
            name: "Ana".to_owned(),
            attributes: [(1, "x".to_owned())].into_iter().collect(),
            memo: String::new(),
        }];
        let chars = project.documents[0].chars;
        project.documents[0].turns = vec![crate::model::Turn {
            start: 0,
            end: chars,
            speaker: Some(1),
            time_start: None,
            time_end: None,
        }];
        let canonical = project_to_ron(&project);
        let reread = parse_project(&canonical, Path::new("p.ron"));
        assert!(reread.is_ok(), "{reread:?}");
        let text = canonical.replace("speaker: Some(1)", "speaker: Some(7)");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(
            error.to_string().contains(&format!(
                "document 1: the turn at characters 0–{chars} is spoken by case 7, which the project does not list"
            )),
            "{error}"
        );
        let text = canonical.replace(
            &format!("end: {chars}, speaker"),
            &format!("end: {}, speaker", chars + 1),
        );
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(error.to_string().contains("does not lie in its"), "{error}");
        let text = canonical.replace("attributes: {1: \"x\"}", "attributes: {9: \"x\"}");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("case 1 has a value for attribute 9, which the project does not define"),
            "{error}"
        );
    }

    #[test]
    fn attribute_values_that_do_not_fit_are_reported_where_they_are() {
        let canonical = project_to_ron(&awkward_project());
        let text = canonical.replace("\"2024-02-29\"", "\"2024-02-30\"");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(
            error.to_string().starts_with("p.ron:16:9: document 1: attribute \"published\" (date): \"2024-02-30\" is not a date"),
            "{error}"
        );
        let text = canonical.replace("{1: ", "{2: ");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("attribute 2, which the project does not define"),
            "{error}"
        );
        let text = canonical.replace("name: \"year\"", "name: \"outlet\"");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("two attributes share the name \"outlet\""),
            "{error}"
        );
    }

    #[test]
    fn newer_formats_are_refused_clearly() {
        let text = SAMPLE.replace("format: 1", "format: 9");
        let error = parse_project(&text, Path::new("p.ron")).unwrap_err();
        assert!(error.to_string().contains("format 9"), "{error}");
    }

    #[test]
    fn non_utf8_files_are_reported_with_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let mut bytes = SAMPLE.as_bytes().to_vec();
        bytes.insert(20, 0xFF);
        std::fs::write(&path, &bytes).unwrap();
        let error = load_project(&path).unwrap_err();
        assert!(error.to_string().contains("p.ron:2:"), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    /// A save killed after it made the backup but before it replaced the project leaves
    /// the project and its backup as two names of one file; the next save must not leave
    /// its temporary link behind (found by the crash test).
    #[test]
    fn a_backup_that_is_the_project_itself_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let mut project = parse_project(SAMPLE, &path).unwrap();
        save_project(&project, &path).unwrap();
        std::fs::hard_link(&path, backup_path(&path)).unwrap();
        project.name = "Renamed".into();
        save_project(&project, &path).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["p.ron", "p.ron.bak"]);
        assert_eq!(load_project(&path).unwrap().name, "Renamed");
        assert_eq!(
            load_project(&backup_path(&path)).unwrap().name,
            "Police positive action"
        );
    }

    #[test]
    fn saving_keeps_a_backup_of_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let mut project = parse_project(SAMPLE, &path).unwrap();
        save_project(&project, &path).unwrap();
        project.name = "Renamed".into();
        save_project(&project, &path).unwrap();
        assert_eq!(load_project(&path).unwrap().name, "Renamed");
        let backup = load_project(&backup_path(&path)).unwrap();
        assert_eq!(backup.name, "Police positive action");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(
                mode & 0o777,
                0o644,
                "a saved project is readable like any document"
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn leftovers_of_a_crashed_save_are_removed_by_the_next_save_unless_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        let stale = dir.path().join(".p.ron.aB3xY9.tmp");
        let stale_backup_link = dir.path().join(".p.ron.bak.Qw12Er.tmp");
        let in_use = dir.path().join(".p.ron.Zz9Zz9.tmp");
        let unrelated = dir.path().join(".other.ron.aB3xY9.tmp");
        for file in [&stale, &stale_backup_link, &in_use, &unrelated] {
            std::fs::write(file, "half a project").unwrap();
        }
        let writer = std::fs::File::open(&in_use).unwrap();
        writer.lock().unwrap();
        let project = parse_project(SAMPLE, &path).unwrap();
        save_project(&project, &path).unwrap();
        save_project(&project, &path).unwrap();
        assert!(!stale.exists() && !stale_backup_link.exists());
        assert!(in_use.exists(), "a temporary file being written stays");
        assert!(
            unrelated.exists(),
            "another file's temporaries are not ours to remove"
        );
        assert_eq!(load_project(&path).unwrap(), project);
        assert_eq!(load_project(&backup_path(&path)).unwrap(), project);
    }

    #[test]
    fn temporary_names_cannot_be_taken_for_the_project() {
        let target = Path::new("dir/p.ron");
        assert!(is_temporary_for(".p.ron.aB3xY9.tmp", target));
        assert!(!is_temporary_for("p.ron", target));
        assert!(!is_temporary_for(".p.ron.bak.aB3xY9.tmp", target));
        assert!(!is_temporary_for(".p.ron.aB3xY9.tmp.ron", target));
        assert!(!is_temporary_for(".p.ron.a-3xY9.tmp", target));
        assert!(is_temporary_for(
            ".p.ron.bak.aB3xY9.tmp",
            &backup_path(target)
        ));
    }

    #[test]
    fn a_save_that_fails_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ron");
        std::fs::write(&path, SAMPLE).unwrap();
        // The target's folder is replaced by a file of the same name: the temporary file
        // cannot be created, so the write fails before anything is renamed.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "not a folder").unwrap();
        let project = parse_project(SAMPLE, &path).unwrap();
        assert!(save_project(&project, &blocked.join("p.ron")).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), SAMPLE);
    }

    #[test]
    fn new_files_never_replace_a_different_file() {
        let dir = tempfile::tempdir().unwrap();
        let sources = dir.path().join("sources");
        let first = write_new_file(&sources, "report", "txt", b"one").unwrap();
        assert_eq!(first, sources.join("report.txt"), "the folder is made");
        let second = write_new_file(&sources, "report", "txt", b"two").unwrap();
        assert_eq!(second, sources.join("report (2).txt"));
        assert_eq!(std::fs::read(&first).unwrap(), b"one");
        let again = write_new_file(&sources, "report", "txt", b"two").unwrap();
        assert_eq!(again, second, "identical content is reused, not copied");
        // A partial file left by a crash is not taken for the whole text.
        std::fs::write(sources.join("partial.txt"), b"thr").unwrap();
        let whole = write_new_file(&sources, "partial", "txt", b"three").unwrap();
        assert_eq!(whole, sources.join("partial (2).txt"));
        assert_eq!(std::fs::read(&whole).unwrap(), b"three");
    }

    /// Windows refuses to replace a file that another program holds open without sharing it
    /// for deletion; these run where that can happen (`.ci/windows-test` runs them under Wine).
    #[cfg(windows)]
    mod held_by_another_program {
        use super::*;
        use std::os::windows::fs::OpenOptionsExt;

        /// Share mode FILE_SHARE_READ alone: others may read, not replace or delete.
        fn hold(file: &Path) -> std::fs::File {
            std::fs::OpenOptions::new()
                .read(true)
                .share_mode(0x1)
                .open(file)
                .unwrap()
        }

        #[test]
        fn a_save_waits_out_a_brief_hold() {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("étude.ron");
            std::fs::write(&file, "old").unwrap();
            let holder = hold(&file);
            // Released well inside the two seconds a save waits.
            let release = std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(100));
                drop(holder);
            });
            write_atomically(&file, b"new", true).unwrap();
            release.join().unwrap();
            assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
            assert_eq!(std::fs::read_to_string(backup_path(&file)).unwrap(), "old");
        }

        #[test]
        fn a_lasting_hold_is_reported_and_the_file_is_left_as_it_was() {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("export.csv");
            std::fs::write(&file, "old").unwrap();
            let holder = hold(&file);
            let error = write_atomically(&file, b"new", false).unwrap_err();
            assert!(matches!(error, StoreError::InUse { .. }), "{error}");
            assert!(error.to_string().contains("open in another program"));
            drop(holder);
            assert_eq!(std::fs::read_to_string(&file).unwrap(), "old");
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert_eq!(left.len(), 1, "no temporary file is left behind");
        }
    }
}
