//! The command line: `marginalia [PROJECT.ron | FILE…]` opens the window; the subcommands
//! work headless, for scripts and for checking a project.

pub mod agree;
pub mod attributes;
pub mod autocode;
mod check;
pub mod export;
pub mod merge;
pub mod new;
pub mod stats;
pub mod survey;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use check::{AnnotationCounts, CheckReport, DocumentCheck, FixReport, check_project};

#[derive(Debug, Parser)]
#[command(
    name = "marginalia",
    version,
    about = "Annotate documents with codes; keep the work in RON project files; export it.",
    args_conflicts_with_subcommands = true,
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A project file (.ron) to open, a REFI-QDA project (.qdpx) to import and open, or
    /// documents to start a new project with.
    pub paths: Vec<PathBuf>,
}

/// One line for the window and for each command, shown under `marginalia --help` (a test
/// checks that every command has one, and that it is the example of that command's help).
const EXAMPLES: &str = "\
Examples:
  marginalia                              the last project (the sample project the first time)
  marginalia study.ron                    open a project
  marginalia study.qdpx                   import a REFI-QDA project beside it, then open it
  marginalia interview1.txt notes.pdf     a new, unsaved project with these documents
  marginalia agree team.ron --coders ana,ben
  marginalia attributes study.ron --import attributes.csv
  marginalia autocode focus-groups.ron --by-speaker
  marginalia check study.ron --fix
  marginalia export study.ron --format csv -o passages.csv
  marginalia import study.qdpx -o study.ron
  marginalia merge ana.ron ben.ron -o team.ron
  marginalia merge-driver %O %A %B %P     run by git (see the README, \"Coding as a team\")
  marginalia new study.ron interview1.txt notes.pdf
  marginalia stats study.ron --by outlet --documents 'year>=2020'
  marginalia survey staff.ron answers.xlsx --id respondent --text comments";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inter-coder agreement per tag and over all tags: percent, Cohen's kappa,
    /// Krippendorff's alpha over characters, unitizing alpha (2004) and the u-alpha family
    /// (2016), with bootstrap intervals. Exits 1 when there is nothing to compare.
    #[command(after_help = "Example:\n  marginalia agree team.ron --coders ana,ben")]
    Agree(agree::AgreeArgs),
    /// Document attributes (outlet, date, role…) as CSV: --import FILE.csv sets them (the
    /// first column, `document`, names each document by title, path or id; new columns
    /// become attributes), --export FILE.csv writes them; without either, lists them.
    #[command(after_help = "Example:\n  marginalia attributes study.ron --import attributes.csv")]
    Attributes(attributes::AttributesArgs),
    /// Code transcripts automatically: --by-speaker tags every turn's words with its
    /// speaker's tag under "Speakers", as one step; run again, it adds only what is missing.
    #[command(after_help = "Example:\n  marginalia autocode focus-groups.ron --by-speaker")]
    Autocode(autocode::AutocodeArgs),
    /// Verify a project: every document (exists, fingerprint, length) and every passage
    /// (anchored on its quote, re-anchored where its text moved, or orphaned). Exits 1 when
    /// anything is wrong (after --fix: when anything is still wrong).
    #[command(after_help = "Example:\n  marginalia check study.ron --fix")]
    Check {
        project: PathBuf,
        /// Print one JSON object instead of a summary.
        #[arg(long)]
        json: bool,
        /// Move re-anchored passages to where their text is now and record the documents'
        /// current fingerprints; orphans stay as they are. Writes the project atomically,
        /// keeping the previous file as NAME.ron.bak.
        #[arg(long)]
        fix: bool,
    },
    /// Export a project for other tools (text formats go to standard output without -o).
    #[command(after_help = "Example:\n  marginalia export study.ron --format csv -o passages.csv")]
    Export(export::ExportArgs),
    /// Import a REFI-QDA project (.qdpx) as a Marginalia project.
    #[command(after_help = "Example:\n  marginalia import study.qdpx -o study.ron")]
    Import(export::ImportArgs),
    /// Combine several coders' projects of the same documents into one team project:
    /// documents matched by their text, tags by name, every passage kept with its coder.
    /// Exits 1 when a document had to be left out, 2 when nothing was written.
    #[command(after_help = "Example:\n  marginalia merge ana.ron ben.ron -o team.ron")]
    Merge(merge::MergeArgs),
    /// A git merge driver for project files: merges the versions %O %A %B item by item into
    /// %A. Exits 0 when nothing is left to decide, 1 when both versions of something were
    /// kept (marked as a conflict), 2 when a version cannot be read (%A is left as it was).
    #[command(
        name = "merge-driver",
        after_help = "Example:\n  marginalia merge-driver %O %A %B %P"
    )]
    MergeDriver(merge::MergeDriverArgs),
    /// Create a project from documents (.txt, .md, .html, .docx, .pdf) and transcripts
    /// (.vtt, .srt, and text or Word files with "Name: …" turns, read with their speakers).
    #[command(after_help = "Example:\n  marginalia new study.ron interview1.txt notes.pdf")]
    New(new::NewArgs),
    /// Frequencies per tag and document, co-occurrence of tags, and counts per value of a
    /// document attribute (--by); --csv gives the code × document matrix.
    #[command(
        after_help = "Example:\n  marginalia stats study.ron --by outlet --documents 'year>=2020'"
    )]
    Stats(stats::StatsArgs),
    /// Import an open-ended survey (CSV or a workbook): a document per respondent, titled by
    /// its id, each open answer under its question and coded with the question's tag (under
    /// "Questions"); the other columns become attributes. Refused whole, naming the row, when
    /// a respondent's id is missing, repeated or already in the project.
    #[command(
        after_help = "Example:\n  marginalia survey staff.ron answers.xlsx --id respondent --text comments"
    )]
    Survey(survey::SurveyArgs),
}

/// Exit codes: 0 all well, 1 the project has problems, 2 the input could not be read.
pub fn run(command: Command) -> i32 {
    match command {
        Command::Agree(args) => agree::run_agree(&args),
        Command::Attributes(args) => attributes::run_attributes(&args),
        Command::Autocode(args) => autocode::run_autocode(&args),
        Command::Check { project, json, fix } => check::run(&project, json, fix),
        Command::Export(args) => export::run_export(&args),
        Command::Import(args) => export::run_import(&args),
        Command::Merge(args) => merge::run_merge(&args),
        Command::MergeDriver(args) => merge::run_merge_driver(&args),
        Command::New(args) => new::run_new(&args),
        Command::Stats(args) => stats::run_stats(&args),
        Command::Survey(args) => survey::run_survey(&args),
    }
}

/// Say on stderr which documents (of `only`, or all) count with their recorded length
/// because their text cannot be read.
pub(crate) fn warn_unreadable(workspace: &crate::Workspace, only: Option<&[crate::model::DocId]>) {
    for document in &workspace.project().documents {
        if only.is_some_and(|ids| !ids.contains(&document.id))
            || workspace.text(document.id).is_some()
        {
            continue;
        }
        eprintln!(
            "marginalia: warning: “{}”: its text cannot be read; using its recorded length \
             ({} characters)",
            document.title, document.chars
        );
    }
}
