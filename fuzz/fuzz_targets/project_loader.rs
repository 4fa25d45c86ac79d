//! Any bytes as a project file: an error naming file, line and column, or a project that
//! saves, loads back unchanged and exports.
#![no_main]

use std::collections::HashMap;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marginalia::store::{self, StoreError};
use marginalia_fuzz::{check_exports, check_names_file, check_round_trip};

fuzz_target!(|bytes: &[u8]| {
    let file = Path::new("fuzz.ron");
    match store::parse_project_bytes(bytes, file) {
        Ok(project) => {
            check_round_trip(&project, file);
            check_exports(&project, &HashMap::new());
        }
        Err(error) => {
            check_names_file(&error.to_string(), file);
            if let StoreError::Syntax { line, column, .. }
            | StoreError::Inconsistent { line, column, .. } = error
            {
                let lines = bytes.split(|b| *b == b'\n').count();
                assert!(
                    (1..=lines).contains(&line) && column >= 1,
                    "{line}:{column} is not a place in a file of {lines} lines"
                );
            }
        }
    }
});
