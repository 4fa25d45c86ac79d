//! `marginalia export` and `marginalia import`.
//!
//! Exit codes: 0 done; 1 the export or import could not be made or written (the message
//! says why); 2 the input could not be read or the command line is incomplete.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::export::{self, Format};
use crate::import::qdpx;
use crate::qda_tools::QdaTool;
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The project file (.ron).
    pub project: PathBuf,
    /// csv, xlsx, matrix-csv, matrix-xlsx, md, html, w3c, qdpx or qdc.
    #[arg(long, short)]
    pub format: String,
    /// Where to write the export; text formats go to standard output without it (or with
    /// `-o -`). xlsx and qdpx are binary and need a file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// With md or html: add the inter-coder agreement table (as `marginalia agree` computes
    /// it with its defaults) at the end of the report.
    #[arg(long)]
    pub agreement: bool,
    /// Only the documents that pass this filter and their passages, e.g.
    /// `outlet=Telegraph|Guardian,year>=2020` (the syntax of `stats --documents`).
    #[arg(long, value_name = "FILTER")]
    pub documents: Option<String>,
    /// With qdpx: write positions and notes as this program reads them (nvivo, maxqda,
    /// atlasti or qualcoder). Without it, positions are code points, the standard's reading.
    #[arg(long = "for", value_name = "PROGRAM")]
    pub for_tool: Option<String>,
    /// With matrix-csv or matrix-xlsx: how many passages of each row carry each tag,
    /// instead of 1 or 0.
    #[arg(long)]
    pub counts: bool,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// A REFI-QDA project (.qdpx).
    pub file: PathBuf,
    /// The project file to create (.ron); the texts go into a `sources` folder beside it.
    #[arg(short, long)]
    pub output: PathBuf,
}

const EXIT_OK: i32 = 0;
const EXIT_FAILED: i32 = 1;
const EXIT_BAD_INPUT: i32 = 2;

pub fn run_export(args: &ExportArgs) -> i32 {
    let Some(format) = Format::from_name(&args.format) else {
        let names: Vec<&str> = Format::ALL.iter().map(Format::name).collect();
        eprintln!(
            "marginalia: unknown export format “{}”; choose one of {}",
            args.format,
            names.join(", ")
        );
        return EXIT_BAD_INPUT;
    };
    let tool = match args
        .for_tool
        .as_deref()
        .map(|name| (name, QdaTool::from_name(name)))
    {
        None => None,
        Some((_, Some(tool))) if format == Format::Qdpx => Some(tool),
        Some((name, Some(_))) => {
            eprintln!(
                "marginalia: --for {name} goes with --format qdpx, whose positions and notes \
                 differ between programs; {} is read the same by all",
                format.label()
            );
            return EXIT_BAD_INPUT;
        }
        Some((name, None)) => {
            let names: Vec<&str> = QdaTool::ALL.iter().map(|t| t.name()).collect();
            eprintln!(
                "marginalia: --for “{name}”: unknown program; choose one of {}",
                names.join(", ")
            );
            return EXIT_BAD_INPUT;
        }
    };
    let matrix = matches!(format, Format::MatrixCsv | Format::MatrixXlsx);
    if args.counts && !matrix {
        eprintln!(
            "marginalia: --counts goes with --format matrix-csv or matrix-xlsx, not {}",
            format.name()
        );
        return EXIT_BAD_INPUT;
    }
    let to_stdout = args.output.as_deref().is_none_or(|o| o == Path::new("-"));
    if to_stdout && !format.is_text() {
        eprintln!(
            "marginalia: {} is a binary format and cannot go to the terminal; \
             write it to a file with -o FILE.{}",
            format.label(),
            format.extension()
        );
        return EXIT_BAD_INPUT;
    }
    let workspace = match Workspace::open(&args.project) {
        Ok(workspace) => workspace,
        Err(error) => {
            eprintln!("{error}");
            return EXIT_BAD_INPUT;
        }
    };
    let whole = workspace.corpus();
    let restricted = match &args.documents {
        Some(filter) => match crate::attributes::DocumentFilter::parse(whole.project, filter) {
            Ok(filter) => Some(export::only_documents(
                whole.project,
                &filter.documents(whole.project),
            )),
            Err(message) => {
                eprintln!(
                    "marginalia: {}: --documents: {message}",
                    args.project.display()
                );
                return EXIT_BAD_INPUT;
            }
        },
        None => None,
    };
    let corpus = match &restricted {
        Some(project) => export::Corpus {
            project,
            texts: whole
                .texts
                .iter()
                .filter(|(id, _)| project.document(**id).is_some())
                .map(|(id, text)| (*id, *text))
                .collect(),
        },
        None => whole,
    };
    if !format.needs_texts() {
        for document in corpus.documents_without_text() {
            let reason = workspace
                .source(document.id)
                .and_then(|s| s.problem())
                .unwrap_or_else(|| "its text could not be read".to_owned());
            eprintln!(
                "marginalia: warning: “{}”: {reason}; its passages are exported from their stored quotes",
                document.title
            );
        }
    }
    let exported = match (format, tool) {
        (Format::Qdpx, Some(tool)) => {
            eprintln!(
                "marginalia: positions written as {} counts them ({}){}",
                tool.label(),
                tool.position_unit().describe(),
                if tool.reads_selection_memo_from_description() {
                    ", passage notes in each selection's Description"
                } else {
                    ""
                }
            );
            export::qdpx::export_for(&corpus, Some(tool))
        }
        (Format::Qdpx, None) => {
            eprintln!(
                "marginalia: positions written as code points, the REFI-QDA standard's reading; \
                 NVivo counts UTF-16 units and ATLAS.ti a CR LF as one: add --for nvivo, maxqda, \
                 atlasti or qualcoder to write them as that program reads them"
            );
            export::export(format, &corpus)
        }
        (Format::MatrixCsv, _) => export::matrix::export_csv(&corpus, args.counts),
        (Format::MatrixXlsx, _) => export::matrix::export_xlsx(&corpus, args.counts),
        _ => export::export(format, &corpus),
    };
    let bytes = match exported {
        Ok(bytes) if args.agreement => {
            match with_agreement(format, bytes, &workspace, corpus.project) {
                Ok(bytes) => bytes,
                Err(message) => {
                    eprintln!("marginalia: {}: {message}", args.project.display());
                    return EXIT_FAILED;
                }
            }
        }
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!(
                "marginalia: {}: cannot export as {}: {error}",
                args.project.display(),
                format.label()
            );
            return EXIT_FAILED;
        }
    };
    match args.output.as_deref() {
        Some(path) if !to_stdout => match crate::store::write_atomically(path, &bytes, false) {
            Ok(()) => EXIT_OK,
            Err(error) => {
                eprintln!("marginalia: {error}");
                EXIT_FAILED
            }
        },
        _ => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
                Ok(()) => EXIT_OK,
                // A reader that stops early (`| head`) is not an error of ours.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
                Err(error) => {
                    eprintln!("marginalia: writing the export: {error}");
                    EXIT_FAILED
                }
            }
        }
    }
}

/// The report with the agreement table added at its end (before `</body>` in HTML).
fn with_agreement(
    format: Format,
    bytes: Vec<u8>,
    workspace: &Workspace,
    project: &crate::model::Project,
) -> Result<Vec<u8>, String> {
    use crate::agreement::{self, render};
    let lengths = workspace.text_lengths();
    let report = agreement::compute(project, &lengths, &agreement::Options::default())
        .map_err(|e| format!("cannot add the agreement table: {e}"))?;
    let report_text = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    let combined = match format {
        Format::Markdown => format!("{report_text}\n{}", render::markdown(&report)),
        Format::Html => match report_text.rfind("</body>") {
            Some(at) => format!(
                "{}{}{}",
                &report_text[..at],
                render::html(&report),
                &report_text[at..]
            ),
            None => format!("{report_text}{}", render::html(&report)),
        },
        _ => return Err("--agreement goes with the md and html formats".to_owned()),
    };
    Ok(combined.into_bytes())
}

pub fn run_import(args: &ImportArgs) -> i32 {
    let imported = match qdpx::read_qdpx(&args.file) {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("marginalia: {error}");
            return EXIT_BAD_INPUT;
        }
    };
    match qdpx::save_imported(imported, &args.output) {
        Ok(saved) => {
            for warning in &saved.warnings {
                eprintln!("marginalia: warning: {warning}");
            }
            for line in saved.report.summary() {
                eprintln!("marginalia: {line}");
            }
            let project = &saved.project;
            eprintln!(
                "Imported {} documents, {} tags and {} passages into {} (texts in {})",
                project.documents.len(),
                project.codebook.len(),
                project.annotations.len(),
                args.output.display(),
                saved.sources_dir.display()
            );
            EXIT_OK
        }
        Err(error) => {
            eprintln!("marginalia: {error}");
            EXIT_FAILED
        }
    }
}
