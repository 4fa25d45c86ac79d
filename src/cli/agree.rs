//! `marginalia agree`: inter-coder agreement of a project's coders, per tag and over all
//! tags, as text, JSON or CSV. The measures are in [`crate::agreement`].
//!
//! Exit codes: 0 done; 1 agreement cannot be computed (fewer than two coders, no document
//! coded by all of them); 2 the project cannot be read or an option names nothing in it.

use std::path::PathBuf;

use crate::agreement::{self, Options, render};
use crate::model::{DocId, Project, TagId};
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct AgreeArgs {
    /// The project file (.ron).
    pub project: PathBuf,
    /// Coders to compare, comma-separated (default: every coder with a passage).
    #[arg(long, value_delimiter = ',')]
    pub coders: Vec<String>,
    /// Tags to compare by name, comma-separated (default: the whole codebook).
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Documents to consider, by id or title, comma-separated (default: all; only those
    /// every coder has coded are used).
    #[arg(long, value_delimiter = ',')]
    pub documents: Vec<String>,
    /// Bootstrap replicates for the 95% intervals (documents resampled); 0 for none.
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Seed of the bootstrap: the same seed gives the same intervals.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Percent agreement and kappa count only characters at least one coder coded.
    #[arg(long)]
    pub coded_only: bool,
    /// Print one JSON object.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print the per-tag table as CSV.
    #[arg(long)]
    pub csv: bool,
}

const EXIT_OK: i32 = 0;
const EXIT_UNDEFINED: i32 = 1;
const EXIT_BAD_INPUT: i32 = 2;

pub fn run_agree(args: &AgreeArgs) -> i32 {
    let workspace = match Workspace::open(&args.project) {
        Ok(workspace) => workspace,
        Err(error) => {
            eprintln!("{error}");
            return EXIT_BAD_INPUT;
        }
    };
    let project = workspace.project();
    let options = match options(args, project) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("marginalia: {}: {message}", args.project.display());
            return EXIT_BAD_INPUT;
        }
    };
    super::warn_unreadable(&workspace, None);
    let lengths = workspace.text_lengths();
    if !workspace.misplaced().is_empty() {
        eprintln!(
            "marginalia: warning: {} passage(s) are not on their quoted text; agreement uses \
             their recorded offsets (see marginalia check)",
            workspace.misplaced().len()
        );
    }
    let report = match agreement::compute(project, &lengths, &options) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("marginalia: {}: {error}", args.project.display());
            return EXIT_UNDEFINED;
        }
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&report).expect("the report holds only strings and numbers")
        );
    } else if args.csv {
        print!("{}", render::csv(&report));
    } else {
        print!("{}", render::text(&report));
    }
    EXIT_OK
}

fn options(args: &AgreeArgs, project: &Project) -> Result<Options, String> {
    let coders: Vec<String> = args
        .coders
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let tags = args
        .tags
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(|name| find_tag(project, name))
        .collect::<Result<Vec<TagId>, String>>()?;
    let documents = args
        .documents
        .iter()
        .filter(|d| !d.trim().is_empty())
        .map(|name| find_document(project, name))
        .collect::<Result<Vec<DocId>, String>>()?;
    Ok(Options {
        coders,
        tags,
        documents,
        bootstrap: args.bootstrap,
        seed: args.seed,
        coded_only: args.coded_only,
    })
}

fn find_tag(project: &Project, name: &str) -> Result<TagId, String> {
    let wanted = name.trim().to_lowercase();
    project
        .codebook
        .iter()
        .find(|t| t.name.trim().to_lowercase() == wanted)
        .map(|t| t.id)
        .ok_or_else(|| {
            let names: Vec<&str> = project.codebook.iter().map(|t| t.name.as_str()).collect();
            format!(
                "no tag “{}” in the codebook (tags: {})",
                name.trim(),
                names.join(", ")
            )
        })
}

fn find_document(project: &Project, name: &str) -> Result<DocId, String> {
    let name = name.trim();
    let by_id = name
        .parse::<DocId>()
        .ok()
        .filter(|id| project.document(*id).is_some());
    by_id
        .or_else(|| {
            project
                .documents
                .iter()
                .find(|d| d.title == name || d.path == name)
                .map(|d| d.id)
        })
        .ok_or_else(|| format!("no document “{name}” (give its id, title or path)"))
}
