//! Any bytes as a `.qdpx` archive: an error naming the file (and the entry or element), or a
//! project whose passages quote their texts, which saves, loads back and exports.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marginalia::import::qdpx;
use marginalia_fuzz::{check_imported_qdpx, check_names_file};

fuzz_target!(|bytes: &[u8]| {
    let file = Path::new("fuzz.qdpx");
    match qdpx::read_qdpx_bytes(bytes, file) {
        Ok(imported) => check_imported_qdpx(&imported, file),
        Err(error) => check_names_file(&error.to_string(), file),
    }
});
