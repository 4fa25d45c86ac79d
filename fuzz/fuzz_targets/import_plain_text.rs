//! Any bytes as a plain-text document: an error naming the file and the offset, or a text
//! whose character positions, paragraphs and title can all be taken.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marginalia::import::{self, ImportError};
use marginalia::model::DocumentText;
use marginalia_fuzz::check_names_file;

fuzz_target!(|bytes: &[u8]| {
    let file = Path::new("fuzz.txt");
    match import::plain_text(bytes.to_vec(), file) {
        Ok(imported) => {
            assert_eq!(imported.bytes, bytes);
            let _ = import::title_of(&imported.text, file);
            let text = DocumentText::new(imported.text.clone());
            let chars = imported.text.chars().count();
            assert_eq!(text.char_count(), chars);
            // Every character boundary maps to a byte boundary and back.
            let step = (chars / 64).max(1);
            for (index, (byte, _)) in imported.text.char_indices().enumerate().step_by(step) {
                assert_eq!(text.byte_of_char(index), byte);
                assert_eq!(text.char_of_byte(byte), index);
                assert_eq!(
                    text.utf16_of_char(index),
                    imported.text[..byte].encode_utf16().count()
                );
            }
            let _ = text.slice(chars / 3..chars);
            let _ = text.slice(chars..chars + 1);
            let _ = text.paragraph_of_char(chars / 2);
            let lines: usize = text.paragraphs().iter().map(|p| p.chars.len()).sum();
            assert!(lines <= chars);
        }
        Err(error) => {
            check_names_file(&error.to_string(), file);
            assert!(matches!(error, ImportError::NotUtf8 { .. }));
        }
    }
});
