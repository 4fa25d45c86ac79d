//! Plain text (.txt, .md): UTF-8 as it is; UTF-16 when a byte-order mark says so; anything
//! else read as Windows-1252, the usual encoding of older Western European text files, with
//! a warning so that the person checks the result.

use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::{ImportError, ImportedDocument};

pub(super) fn read(file: &Path, bytes: Vec<u8>) -> Result<ImportedDocument, ImportError> {
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, ..] => Some((UTF_16LE, "UTF-16LE")),
        [0xFE, 0xFF, ..] => Some((UTF_16BE, "UTF-16BE")),
        _ => None,
    };
    if let Some((encoding, name)) = utf16 {
        let (text, had_errors) = decode_without_bom(encoding, &bytes[2..]);
        let mut warnings = Vec::new();
        if had_errors {
            warnings.push(format!(
                "{}: some bytes are not valid {name}; they show as “\u{fffd}”",
                file.display()
            ));
        }
        return Ok(document(file, text, true, warnings));
    }
    match String::from_utf8(bytes) {
        // The file is used where it lies, as it is; a UTF-8 byte-order mark in it marks the
        // encoding and is not a character of the text (as `anchor::read_source` reads it).
        Ok(text) => {
            let (text, file_has_bom) = match text.strip_prefix('\u{feff}') {
                Some(rest) => (rest.to_owned(), true),
                None => (text, false),
            };
            let mut document = document(file, text, false, Vec::new());
            document.file_has_bom = file_has_bom;
            Ok(document)
        }
        Err(error) => {
            let bytes = error.into_bytes();
            if let Some(offset) = bytes.iter().position(|b| *b == 0) {
                return Err(ImportError::Unreadable {
                    file: file.to_owned(),
                    reason: format!(
                        "not a text file (a zero byte at offset {offset}); if it is UTF-16 text \
                         without a byte-order mark, save it as UTF-8 and add it again"
                    ),
                });
            }
            let (text, _) = decode_without_bom(WINDOWS_1252, &bytes);
            let warning = format!(
                "{}: not UTF-8, so it was read as Windows-1252 (Western European); check that \
                 accented letters, quotes and symbols such as £ look right",
                file.display()
            );
            Ok(document(file, text, true, vec![warning]))
        }
    }
}

fn decode_without_bom(encoding: &'static Encoding, bytes: &[u8]) -> (String, bool) {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    (text.into_owned(), had_errors)
}

fn document(file: &Path, text: String, converted: bool, warnings: Vec<String>) -> ImportedDocument {
    ImportedDocument {
        transcript: None,
        file: file.to_owned(),
        text,
        converted,
        title: None,
        warnings,
        file_has_bom: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_bytes(bytes: &[u8]) -> Result<ImportedDocument, ImportError> {
        read(Path::new("notes.txt"), bytes.to_vec())
    }

    #[test]
    fn utf8_is_used_as_it_is() {
        let document = read_bytes("café\r\n“x”".as_bytes()).unwrap();
        assert_eq!(document.text, "café\r\n“x”");
        assert!(!document.converted);
        assert!(document.warnings.is_empty());
    }

    #[test]
    fn a_utf8_byte_order_mark_is_not_a_character_but_stays_in_the_fingerprint() {
        let bytes = "\u{feff}café\r\nline".as_bytes().to_vec();
        let document = read_bytes(&bytes).unwrap();
        assert_eq!(document.text, "café\r\nline");
        assert!(document.file_has_bom && !document.converted);
        assert_eq!(document.sha256(), crate::anchor::sha256_hex(&bytes));
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_converted() {
        let text = "£5 – “fair”\r\n👩‍👧";
        let mut little = vec![0xFF, 0xFE];
        let mut big = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            little.extend(unit.to_le_bytes());
            big.extend(unit.to_be_bytes());
        }
        for bytes in [little, big] {
            let document = read_bytes(&bytes).unwrap();
            assert_eq!(document.text, text);
            assert!(document.converted);
            assert!(document.warnings.is_empty(), "{:?}", document.warnings);
        }
    }

    #[test]
    fn other_bytes_are_read_as_windows_1252_with_a_warning() {
        let document = read_bytes(b"It\x92s \x93fair\x94 at \xa35").unwrap();
        assert_eq!(document.text, "It’s “fair” at £5");
        assert!(document.converted);
        assert_eq!(document.warnings.len(), 1);
        assert!(document.warnings[0].contains("Windows-1252"));
        assert!(document.warnings[0].starts_with("notes.txt: "));
    }

    #[test]
    fn binary_files_are_refused() {
        let error = read_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff")
            .err()
            .unwrap();
        assert!(error.to_string().contains("not a text file"), "{error}");
    }
}
