//! Fingerprints of source files, and whether each passage still sits on the text it quotes.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::model::{Annotation, Document, DocumentText};

/// How many characters of context a passage carries on each side for re-finding it.
pub const CONTEXT_CHARS: usize = 32;

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A document's file as found on disk now.
#[derive(Clone, Debug)]
pub enum SourceState {
    /// The file is there and matches its fingerprint.
    Ok(DocumentText),
    /// The file is there but its bytes differ from the fingerprint the project recorded.
    Changed(DocumentText),
    /// The file could not be read (the reason is for the person).
    Missing(String),
    /// The file is there but is not UTF-8 text.
    Unreadable(String),
}

impl SourceState {
    pub fn text(&self) -> Option<&DocumentText> {
        match self {
            SourceState::Ok(text) | SourceState::Changed(text) => Some(text),
            SourceState::Missing(_) | SourceState::Unreadable(_) => None,
        }
    }

    pub fn status_word(&self) -> &'static str {
        match self {
            SourceState::Ok(_) => "ok",
            SourceState::Changed(_) => "changed",
            SourceState::Missing(_) | SourceState::Unreadable(_) => "missing",
        }
    }

    pub fn problem(&self) -> Option<String> {
        match self {
            SourceState::Ok(_) => None,
            SourceState::Changed(_) => {
                Some("the file changed on disk since its passages were made".to_owned())
            }
            SourceState::Missing(reason) | SourceState::Unreadable(reason) => Some(reason.clone()),
        }
    }
}

/// Read a document's file and compare it with what the project recorded.
pub fn read_source(document: &Document, file: &Path) -> SourceState {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => return SourceState::Missing(format!("{}: {error}", file.display())),
    };
    let fingerprint_matches = document.sha256.eq_ignore_ascii_case(&sha256_hex(&bytes));
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text = DocumentText::new(text);
            if fingerprint_matches && text.char_count() == document.chars {
                SourceState::Ok(text)
            } else {
                SourceState::Changed(text)
            }
        }
        Err(error) => SourceState::Unreadable(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            file.display(),
            error.utf8_error().valid_up_to()
        )),
    }
}

/// Whether the text at a passage's span is still exactly its quote.
pub fn is_anchored(annotation: &Annotation, text: &DocumentText) -> bool {
    text.slice(annotation.range()) == Some(annotation.quote.as_str())
}

/// Up to [`CONTEXT_CHARS`] characters before and after a span.
pub fn context(text: &DocumentText, start: usize, end: usize) -> (&str, &str) {
    let prefix = text
        .slice(start.saturating_sub(CONTEXT_CHARS)..start)
        .unwrap_or("");
    let suffix = text
        .slice(end..(end + CONTEXT_CHARS).min(text.char_count()))
        .unwrap_or("");
    (prefix, suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn context_is_clipped_at_the_text_edges() {
        let text = DocumentText::new("“Hello” – world".to_owned());
        assert_eq!(context(&text, 0, 7), ("", " – world"));
        assert_eq!(context(&text, 10, 15), ("“Hello” – ", ""));
    }
}
