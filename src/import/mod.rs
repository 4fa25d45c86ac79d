//! Turning document files into the plain text that passages point into.
//!
//! Plain UTF-8 text is used where it lies: offsets count the file's own characters, line
//! ends included, so exports slice back to the same text in any tool. Every other format
//! (UTF-16 and Windows-1252 text, HTML, Word, PDF) is converted once; the workspace keeps
//! the converted text as a UTF-8 `.txt` in the project's `sources/` folder and records the
//! original file as the document's `origin`.

mod destination;
mod docx;
mod html;
mod pdf;
pub mod qdpx;
pub mod survey;
mod text;
pub mod transcript;

pub use destination::{ImportDestination, import_destination};

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Larger documents are refused rather than read into memory: no research text is this big,
/// and a broken or hostile file must not exhaust the machine.
pub const MAX_DOCUMENT_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{}: {source}", file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{}: Marginalia reads .txt, .md, .html, .docx and .pdf documents and .vtt and .srt transcripts; save this file in one of those formats first",
        file.display()
    )]
    Unsupported { file: PathBuf },
    /// The file is of a supported kind but its content cannot be read as such.
    #[error("{}: {reason}", file.display())]
    Unreadable { file: PathBuf, reason: String },
    /// The file was read but holds no text to annotate.
    #[error("{}: {reason}", file.display())]
    NoText { file: PathBuf, reason: String },
}

/// The kinds of document Marginalia reads, by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentFormat {
    Text,
    Html,
    Docx,
    Pdf,
    /// WebVTT captions (Zoom, Teams): always read as a transcript.
    WebVtt,
    /// SubRip subtitles: always read as a transcript.
    Srt,
}

impl DocumentFormat {
    pub fn of(file: &Path) -> Option<Self> {
        let extension = file
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        Some(match extension.as_str() {
            "txt" | "text" | "md" | "markdown" | "" => Self::Text,
            "html" | "htm" | "xhtml" => Self::Html,
            "docx" => Self::Docx,
            "pdf" => Self::Pdf,
            "vtt" => Self::WebVtt,
            "srt" => Self::Srt,
            _ => return None,
        })
    }

    /// Extensions offered in file dialogs.
    pub const EXTENSIONS: [&'static str; 9] = [
        "txt", "md", "markdown", "html", "htm", "docx", "pdf", "vtt", "srt",
    ];
}

/// A document file read into the text its passages will point into.
#[derive(Clone, Debug)]
pub struct ImportedDocument {
    /// The file as given.
    pub file: PathBuf,
    pub text: String,
    /// False when the file is UTF-8 text used where it lies; true when the text was
    /// converted and must be stored as a new UTF-8 file.
    pub converted: bool,
    /// A title the format itself names (an HTML `<title>`), if any.
    pub title: Option<String>,
    /// Things the person should check, e.g. a guessed character encoding.
    pub warnings: Vec<String>,
    /// The file used where it lies begins with a UTF-8 byte-order mark, which `text` leaves
    /// out: it marks the encoding and is not a character that positions count.
    pub file_has_bom: bool,
    /// Set when the file was read as an interview or focus-group transcript: `text` is
    /// then the readable transcript, a turn per paragraph.
    pub transcript: Option<TranscriptFound>,
}

/// What reading a file as a transcript found, and what it was read from.
#[derive(Clone, Debug)]
pub struct TranscriptFound {
    pub layout: transcript::TranscriptLayout,
    /// Character offsets into the document's text; speakers as the file writes them.
    pub turns: Vec<transcript::TranscriptTurn>,
    /// The file's text before it was read as a transcript, and whether that was converted,
    /// so that it can be read again in another layout or as plain text.
    untranscribed: (String, bool),
}

impl ImportedDocument {
    /// The fingerprint of the file the text is read from: the stored file's bytes.
    pub fn sha256(&self) -> String {
        if self.file_has_bom {
            let mut bytes = crate::anchor::UTF8_BOM.to_vec();
            bytes.extend_from_slice(self.text.as_bytes());
            crate::anchor::sha256_hex(&bytes)
        } else {
            crate::anchor::sha256_hex(self.text.as_bytes())
        }
    }

    /// The title to show: the format's own, else the first line, else the file name. A
    /// transcript's first line is what someone said: it is named by its file.
    pub fn title(&self) -> String {
        if self.transcript.is_some() && self.title.is_none() {
            return title_of("", &self.file);
        }
        match &self.title {
            Some(title) if !title.trim().is_empty() => shorten_title(title.trim()),
            _ => title_of(&self.text, &self.file),
        }
    }
}

impl ImportedDocument {
    /// The same file read again in `layout`, or (`None`) as plain text: the window's
    /// Add documents dialog offers this when a speaker pattern was not recognised.
    pub fn read_as(
        mut self,
        layout: Option<&transcript::TranscriptLayout>,
    ) -> Result<ImportedDocument, ImportError> {
        if let Some(found) = self.transcript.take() {
            (self.text, self.converted) = found.untranscribed;
        }
        match layout {
            None => Ok(self),
            Some(layout) => {
                let parsed = transcript::read_with_layout(&self.text, layout).map_err(|error| {
                    ImportError::Unreadable {
                        file: self.file.clone(),
                        reason: error.to_string(),
                    }
                })?;
                Ok(self.with_transcript(parsed))
            }
        }
    }

    fn with_transcript(mut self, parsed: transcript::Transcript) -> ImportedDocument {
        let untranscribed = std::mem::replace(&mut self.text, parsed.text);
        let unchanged = self.text == untranscribed;
        let was_converted = self.converted;
        self.converted = was_converted || !unchanged;
        if self.converted {
            self.file_has_bom = false;
        }
        let file = self.file.display().to_string();
        self.warnings
            .extend(parsed.warnings.into_iter().map(|w| format!("{file}: {w}")));
        self.transcript = Some(TranscriptFound {
            layout: parsed.layout,
            turns: parsed.turns,
            untranscribed: (untranscribed, was_converted),
        });
        self
    }
}

/// Read a document of any supported format. Nothing on disk is changed.
pub fn read_document(file: &Path) -> Result<ImportedDocument, ImportError> {
    if DocumentFormat::of(file).is_none() {
        return Err(ImportError::Unsupported {
            file: file.to_owned(),
        });
    }
    let bytes = read_bounded(file)?;
    read_document_bytes(file, bytes)
}

/// Read a document from its bytes, its format known by the extension of `file` (which names
/// it in errors). The importers' fuzz targets enter here.
pub fn read_document_bytes(file: &Path, bytes: Vec<u8>) -> Result<ImportedDocument, ImportError> {
    let format = DocumentFormat::of(file).ok_or_else(|| ImportError::Unsupported {
        file: file.to_owned(),
    })?;
    let mut document = match format {
        DocumentFormat::Text | DocumentFormat::WebVtt | DocumentFormat::Srt => {
            text::read(file, bytes)?
        }
        DocumentFormat::Html => html::read(file, &bytes)?,
        DocumentFormat::Docx => docx::read(file, &bytes)?,
        // PDF parsing is the one place a hostile or broken file meets a large third-party
        // parser: should it fail by panicking, that is reported like any unreadable file.
        DocumentFormat::Pdf => std::panic::catch_unwind(|| pdf::read(file, &bytes))
            .unwrap_or_else(|_| {
                Err(ImportError::Unreadable {
                    file: file.to_owned(),
                    reason: "the PDF reader failed on this file; it may be damaged".to_owned(),
                })
            })?,
    };
    if document.text.trim().is_empty() && format != DocumentFormat::Text {
        return Err(ImportError::NoText {
            file: file.to_owned(),
            reason: "the document holds no text".to_owned(),
        });
    }
    document.file = file.to_owned();
    read_transcript(document, format)
}

/// Captions are transcripts by their format; a text or Word document is one when its
/// content clearly is (`recognise_layout` is cautious: articles and reports stay text).
fn read_transcript(
    document: ImportedDocument,
    format: DocumentFormat,
) -> Result<ImportedDocument, ImportError> {
    let layout = match format {
        DocumentFormat::WebVtt => transcript::TranscriptLayout::WebVtt,
        DocumentFormat::Srt => transcript::TranscriptLayout::Srt,
        DocumentFormat::Text | DocumentFormat::Docx => {
            match transcript::recognise_layout(&document.text) {
                Some(layout) => layout,
                None => return Ok(document),
            }
        }
        DocumentFormat::Html | DocumentFormat::Pdf => return Ok(document),
    };
    let captions = matches!(format, DocumentFormat::WebVtt | DocumentFormat::Srt);
    match transcript::read_with_layout(&document.text, &layout) {
        Ok(parsed) => Ok(document.with_transcript(parsed)),
        Err(error) if captions => Err(ImportError::Unreadable {
            file: document.file,
            reason: error.to_string(),
        }),
        // Recognised but not readable throughout: the text is kept as it is.
        Err(error) => {
            let mut document = document;
            let file = document.file.display().to_string();
            document.warnings.push(format!(
                "{file}: it looks like a transcript ({}) but was added as plain text: {error}",
                layout.name()
            ));
            Ok(document)
        }
    }
}

fn read_bounded(file: &Path) -> Result<Vec<u8>, ImportError> {
    let io_error = |source| ImportError::Io {
        file: file.to_owned(),
        source,
    };
    let size = std::fs::metadata(file).map_err(io_error)?.len();
    if size > MAX_DOCUMENT_BYTES {
        return Err(ImportError::Unreadable {
            file: file.to_owned(),
            reason: format!(
                "the file is {} MB; Marginalia reads documents of up to {} MB",
                size / (1024 * 1024),
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            ),
        });
    }
    std::fs::read(file).map_err(io_error)
}

/// Paragraphs as converted formats store them: separated by a blank line, as in the
/// sample corpus, ending with a line end.
fn join_paragraphs(paragraphs: impl IntoIterator<Item = String>) -> String {
    let mut text = String::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.trim_matches(|c: char| c.is_whitespace() && c != '\u{a0}');
        if paragraph.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(paragraph);
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

const MAX_TITLE_CHARS: usize = 120;

fn shorten_title(line: &str) -> String {
    if line.chars().count() > MAX_TITLE_CHARS {
        let cut: String = line.chars().take(MAX_TITLE_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    } else {
        line.to_owned()
    }
}

/// A document's title: its first non-empty line, or the file name when it has none.
pub fn title_of(text: &str, file: &Path) -> String {
    let line = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim())
        .find(|l| !l.is_empty());
    match line {
        Some(line) => shorten_title(line),
        None => file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Untitled document".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_first_non_empty_line() {
        let file = Path::new("x/story.txt");
        assert_eq!(
            title_of("\n\n  Headline here \r\nBody", file),
            "Headline here"
        );
        assert_eq!(title_of("   \n", file), "story");
        let long = "w".repeat(300);
        assert_eq!(title_of(&long, file).chars().count(), 120);
    }

    #[test]
    fn unknown_formats_are_refused_by_name() {
        let error = read_document(Path::new("slides.pptx")).err().unwrap();
        assert!(matches!(error, ImportError::Unsupported { .. }));
        assert!(error.to_string().starts_with("slides.pptx: "), "{error}");
    }

    #[test]
    fn paragraphs_are_separated_by_blank_lines() {
        let text = join_paragraphs(["  One ".to_owned(), " ".to_owned(), "Two".to_owned()]);
        assert_eq!(text, "One\n\nTwo\n");
        assert_eq!(join_paragraphs(Vec::new()), "");
    }
}
