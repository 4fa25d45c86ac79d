//! Any bytes as a document of each format Marginalia imports (the first byte picks the
//! format): an error naming the file, or a text whose character positions, paragraphs and
//! title can all be taken.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marginalia::import;
use marginalia::model::DocumentText;
use marginalia_fuzz::check_names_file;

const FILES: [&str; 5] = ["fuzz.txt", "fuzz.md", "fuzz.html", "fuzz.docx", "fuzz.pdf"];

fuzz_target!(|input: &[u8]| {
    let Some((selector, bytes)) = input.split_first() else {
        return;
    };
    let file = Path::new(FILES[usize::from(*selector) % FILES.len()]);
    match import::read_document_bytes(file, bytes.to_vec()) {
        Ok(document) => {
            let _ = document.title();
            let _ = document.sha256();
            let text = DocumentText::new(document.text.clone());
            let chars = document.text.chars().count();
            assert_eq!(text.char_count(), chars);
            // Every character boundary maps to a byte boundary and back.
            let step = (chars / 64).max(1);
            for (index, (byte, _)) in document.text.char_indices().enumerate().step_by(step) {
                assert_eq!(text.byte_of_char(index), byte);
                assert_eq!(text.char_of_byte(byte), index);
                assert_eq!(
                    text.utf16_of_char(index),
                    document.text[..byte].encode_utf16().count()
                );
            }
            let _ = text.slice(chars / 3..chars);
            let _ = text.paragraph_of_char(chars / 2);
            let lines: usize = text.paragraphs().iter().map(|p| p.chars.len()).sum();
            assert!(lines <= chars);
        }
        Err(error) => check_names_file(&error.to_string(), file),
    }
});
