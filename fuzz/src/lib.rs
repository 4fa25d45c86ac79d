//! What every fuzz target checks beyond "no panic": a project that loads saves and loads back
//! unchanged and exports in every format, and an error names the file it is about.

use std::collections::HashMap;
use std::path::Path;

use marginalia::export::{self, Corpus, Format};
use marginalia::model::{DocumentText, Project};
use marginalia::store;

/// Save → load gives the same project.
pub fn check_round_trip(project: &Project, origin: &Path) {
    let text = store::project_to_ron(project);
    let again = store::parse_project(&text, origin)
        .unwrap_or_else(|e| panic!("a saved project does not load again: {e}\n{text}"));
    assert_eq!(&again, project, "save → load changed the project");
}

/// Every export that does not need the texts, and every export with them when they are
/// given; each either succeeds or returns an error, never panics.
pub fn check_exports(project: &Project, texts: &HashMap<u32, DocumentText>) {
    let corpus = Corpus {
        project,
        texts: texts.iter().map(|(id, text)| (*id, text)).collect(),
    };
    for format in Format::ALL {
        // The workbook writer is slow and has its own fuzzing upstream; its input is the same
        // table the CSV export writes.
        if format == Format::Xlsx {
            continue;
        }
        let _ = export::export(format, &corpus);
    }
}

/// An error's message starts with the file it is about.
pub fn check_names_file(message: &str, file: &Path) {
    let name = file.display().to_string();
    assert!(
        message.starts_with(&name),
        "the error does not start with the file name {name}: {message}"
    );
}

/// An imported `.qdpx`: every passage lies in its text and quotes it exactly, and the project
/// saves, loads back unchanged and exports.
pub fn check_imported_qdpx(imported: &marginalia::import::qdpx::ImportedQdpx, origin: &Path) {
    let texts: HashMap<u32, DocumentText> = imported
        .texts
        .iter()
        .map(|(id, text)| (*id, DocumentText::new(text.clone())))
        .collect();
    let project = &imported.project;
    for annotation in &project.annotations {
        let text = &texts[&annotation.doc];
        assert_eq!(
            text.slice(annotation.range()),
            Some(annotation.quote.as_str()),
            "passage {} does not quote its text",
            annotation.id
        );
    }
    for document in &project.documents {
        assert_eq!(document.chars, texts[&document.id].char_count());
    }
    check_round_trip(project, origin);
    check_exports(project, &texts);
}
