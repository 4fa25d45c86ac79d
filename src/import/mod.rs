//! Turning document files into the plain text that passages point into.

pub mod qdpx;

use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{}: {source}", file.display())]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not UTF-8 text (the first invalid byte is at offset {offset}); save it as UTF-8 and add it again", file.display())]
    NotUtf8 { file: PathBuf, offset: usize },
    #[error("{}: Marginalia reads plain-text documents (.txt, .md); convert this file to text first", file.display())]
    Unsupported { file: PathBuf },
}

/// A document file's text, and the bytes its fingerprint is taken from.
pub struct ImportedText {
    pub text: String,
    pub bytes: Vec<u8>,
}

/// Read a plain-text document exactly as the file holds it: offsets count the file's own
/// characters, line ends included, so exports slice back to the same text in any tool.
pub fn read_document(file: &Path) -> Result<ImportedText, ImportError> {
    let extension = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(extension.as_str(), "txt" | "text" | "md" | "markdown" | "") {
        return Err(ImportError::Unsupported {
            file: file.to_owned(),
        });
    }
    let bytes = std::fs::read(file).map_err(|source| ImportError::Io {
        file: file.to_owned(),
        source,
    })?;
    plain_text(bytes, file)
}

/// The text of a plain-text document's bytes; `file` is only used to name it in errors.
pub fn plain_text(bytes: Vec<u8>, file: &Path) -> Result<ImportedText, ImportError> {
    let text = String::from_utf8(bytes.clone()).map_err(|e| ImportError::NotUtf8 {
        file: file.to_owned(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    Ok(ImportedText { text, bytes })
}

/// A document's title: its first non-empty line, or the file name when it has none.
pub fn title_of(text: &str, file: &Path) -> String {
    const MAX_TITLE_CHARS: usize = 120;
    let line = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim())
        .find(|l| !l.is_empty());
    match line {
        Some(line) if line.chars().count() > MAX_TITLE_CHARS => {
            let cut: String = line.chars().take(MAX_TITLE_CHARS - 1).collect();
            format!("{}…", cut.trim_end())
        }
        Some(line) => line.to_owned(),
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
    fn non_utf8_files_are_refused_with_the_offset() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("latin1.txt");
        std::fs::write(&file, b"caf\xe9").unwrap();
        let error = read_document(&file).err().unwrap();
        assert!(error.to_string().contains("offset 3"), "{error}");
    }
}
