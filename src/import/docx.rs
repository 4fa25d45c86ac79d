//! Word documents (.docx): a zip of XML parts; the body text is in `word/document.xml`, one
//! `w:p` element per paragraph, its characters in `w:t` runs, with `w:tab` and `w:br`
//! for tabs and line breaks. Deleted text of tracked changes (`w:delText`) is not text.

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;

use super::{ImportError, ImportedDocument, MAX_DOCUMENT_BYTES, join_paragraphs};

const BODY_PART: &str = "word/document.xml";

pub(super) fn read(file: &Path, bytes: &[u8]) -> Result<ImportedDocument, ImportError> {
    let unreadable = |reason: String| ImportError::Unreadable {
        file: file.to_owned(),
        reason,
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        unreadable(format!(
            "not a Word document (.docx is a zip archive, and this file is not one: {e})"
        ))
    })?;
    let mut part = archive.by_name(BODY_PART).map_err(|e| match e {
        zip::result::ZipError::UnsupportedArchive(message) if message.contains("assword") => {
            unreadable(
                "the document is password-protected; remove the password in Word and add it again"
                    .to_owned(),
            )
        }
        _ => unreadable(format!(
            "not a Word document: the archive has no {BODY_PART} ({e})"
        )),
    })?;
    if part.size() > MAX_DOCUMENT_BYTES {
        return Err(unreadable(format!(
            "{BODY_PART} would unpack to {} MB, more than the {} MB Marginalia reads",
            part.size() / (1024 * 1024),
            MAX_DOCUMENT_BYTES / (1024 * 1024)
        )));
    }
    let mut xml = String::new();
    part.by_ref()
        .take(MAX_DOCUMENT_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| unreadable(format!("{BODY_PART} could not be read: {e}")))?;
    let paragraphs = paragraphs(&xml).map_err(|e| unreadable(format!("{BODY_PART}: {e}")))?;
    Ok(ImportedDocument {
        transcript: None,
        file: file.to_owned(),
        text: join_paragraphs(paragraphs),
        converted: true,
        title: None,
        warnings: Vec::new(),
        file_has_bom: false,
    })
}

/// The text of each `w:p`, in document order (a paragraph nested in a text box comes
/// before the paragraph that holds the box).
fn paragraphs(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut paragraphs = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut in_text = false;
    // Alternate content repeats the chosen content for older readers: read it once.
    let mut fallback_depth = 0usize;
    loop {
        let position = reader.buffer_position();
        let at = |e: &dyn std::fmt::Display| format!("at byte {position}: {e}");
        match reader.read_event().map_err(|e| at(&e))? {
            Event::Start(element) => match element.name().as_ref() {
                b"mc:Fallback" => fallback_depth += 1,
                _ if fallback_depth > 0 => {}
                b"w:p" => open.push(String::new()),
                b"w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(element) => {
                if fallback_depth == 0
                    && let Some(paragraph) = open.last_mut()
                {
                    match element.name().as_ref() {
                        b"w:tab" | b"w:ptab" => paragraph.push('\t'),
                        b"w:br" | b"w:cr" => paragraph.push('\n'),
                        b"w:noBreakHyphen" => paragraph.push('\u{2011}'),
                        _ => {}
                    }
                }
            }
            Event::End(element) => match element.name().as_ref() {
                b"mc:Fallback" => fallback_depth = fallback_depth.saturating_sub(1),
                _ if fallback_depth > 0 => {}
                b"w:p" => paragraphs.extend(open.pop()),
                b"w:t" => in_text = false,
                _ => {}
            },
            Event::Text(text) if in_text && fallback_depth == 0 => {
                let text = text.xml10_content().map_err(|e| at(&e))?;
                if let Some(paragraph) = open.last_mut() {
                    paragraph.push_str(&text);
                }
            }
            Event::GeneralRef(reference) if in_text && fallback_depth == 0 => {
                let character = match reference.resolve_char_ref().map_err(|e| at(&e))? {
                    Some(character) => character,
                    None => match reference.decode().map_err(|e| at(&e))?.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(at(&format!("unknown entity “&{other};”"))),
                    },
                };
                if let Some(paragraph) = open.last_mut() {
                    paragraph.push(character);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(paragraphs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_tabs_and_breaks_make_paragraph_text() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="x" xmlns:mc="y"><w:body>
            <w:p><w:r><w:t>Fish </w:t></w:r><w:r><w:t xml:space="preserve">&amp; chips</w:t><w:tab/><w:t>&#163;5</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><w:t>Line</w:t><w:br/><w:t>two</w:t><w:delText>gone</w:delText></w:r></w:p>
            <w:p><mc:AlternateContent><mc:Choice><w:t>once</w:t></mc:Choice><mc:Fallback><w:p><w:t>once</w:t></w:p></mc:Fallback></mc:AlternateContent></w:p>
            </w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml).unwrap(),
            vec!["Fish & chips\t£5", "Line\ntwo", "once"]
        );
    }

    #[test]
    fn a_file_that_is_not_a_zip_is_refused_by_name() {
        let error = read(Path::new("report.docx"), b"plain words")
            .err()
            .unwrap();
        let message = error.to_string();
        assert!(
            message.starts_with("report.docx: not a Word document"),
            "{message}"
        );
    }
}
