//! Any bytes as the `project.qde` inside a well-formed `.qdpx` with two text sources: the zip
//! layer stays valid, so the fuzzer spends its time in the XML and the QDA-XML reader.
#![no_main]

use std::io::{Cursor, Write};
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use marginalia::import::qdpx;
use marginalia_fuzz::{check_imported_qdpx, check_names_file};
use zip::write::SimpleFileOptions;

/// Sources the seeds' `plainTextPath`s name (`internal://a.txt`, `internal://b.txt`).
const SOURCES: [(&str, &str); 2] = [
    (
        "sources/a.txt",
        "Café e\u{301} “quoted” 👩‍👩‍👧\r\nשלום עולם مرحبا\r\nend",
    ),
    ("sources/b.txt", "plain\nsecond line\n"),
];

fuzz_target!(|qde: &[u8]| {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("project.qde", stored).unwrap();
    zip.write_all(qde).unwrap();
    for (name, text) in SOURCES {
        zip.start_file(name, stored).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    let archive = zip.finish().unwrap().into_inner();
    let file = Path::new("fuzz.qdpx");
    match qdpx::read_qdpx_bytes(&archive, file) {
        Ok(imported) => check_imported_qdpx(&imported, file),
        Err(error) => check_names_file(&error.to_string(), file),
    }
});
