//! `marginalia new PROJECT.ron FILE…`: a new project from documents, made headless.
//!
//! Exit codes: 0 created; 1 the project could not be written; 2 a document could not be
//! added or the project file exists already. With exit code 2 nothing is written at all.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::import;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The project file to create (.ron); an existing file is never replaced. Converted
    /// texts go into a `sources` folder beside it.
    pub project: PathBuf,
    /// Documents to add: .txt, .md, .html, .htm, .docx, .pdf; transcripts: .vtt, .srt (and
    /// text or Word files whose content is one).
    pub files: Vec<PathBuf>,
}

const EXIT_OK: i32 = 0;
const EXIT_FAILED: i32 = 1;
const EXIT_BAD_INPUT: i32 = 2;

pub fn run_new(args: &NewArgs) -> i32 {
    let project_file = if args.project.extension().is_some() {
        args.project.clone()
    } else {
        args.project.with_extension("ron")
    };
    if project_file.exists() {
        eprintln!(
            "marginalia: {}: exists already; choose another name, or add documents to it in the app",
            project_file.display()
        );
        return EXIT_BAD_INPUT;
    }
    // Read every document before anything is written, so a bad one leaves no trace.
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    let mut first_file_of_text: HashMap<String, PathBuf> = HashMap::new();
    for file in &args.files {
        match import::read_document(file) {
            Ok(document) => {
                let fingerprint = document.sha256();
                if let Some(first) = first_file_of_text.get(&fingerprint) {
                    problems.push(format!(
                        "{}: the same text as {} is given twice",
                        file.display(),
                        first.display()
                    ));
                    continue;
                }
                first_file_of_text.insert(fingerprint, file.clone());
                documents.push(document);
            }
            Err(error) => problems.push(error.to_string()),
        }
    }
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("marginalia: {problem}");
        }
        eprintln!(
            "marginalia: {} not created: {} of {} documents could not be added",
            project_file.display(),
            problems.len(),
            args.files.len()
        );
        return EXIT_BAD_INPUT;
    }
    for warning in documents.iter().flat_map(|d| &d.warnings) {
        eprintln!("marginalia: warning: {warning}");
    }
    let name = project_file.file_stem().map_or_else(
        || "Untitled project".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut workspace = Workspace::new_at(&project_file, &name);
    let (added, errors) = workspace.add_imported_all(documents);
    if let Some(error) = errors.first() {
        eprintln!("marginalia: {error}");
        return EXIT_FAILED;
    }
    if let Err(error) = workspace.save() {
        eprintln!("marginalia: {error}");
        return EXIT_FAILED;
    }
    let converted = workspace
        .project()
        .documents
        .iter()
        .filter(|d| d.origin.is_some())
        .count();
    let sources = if converted > 0 {
        format!(
            " ({converted} converted to text in {})",
            workspace.sources_dir().display()
        )
    } else {
        String::new()
    };
    let project = workspace.project();
    let transcripts = project
        .documents
        .iter()
        .filter(|d| !d.turns.is_empty())
        .count();
    let speakers = if transcripts > 0 {
        let turns: usize = project.documents.iter().map(|d| d.turns.len()).sum();
        format!(
            "; {transcripts} transcript(s) with {turns} turns by {} speaker(s)",
            project.cases.len()
        )
    } else {
        String::new()
    };
    eprintln!(
        "Created {} with {} documents{sources}{speakers}",
        project_file.display(),
        added.len()
    );
    EXIT_OK
}
