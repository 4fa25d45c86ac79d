//! `marginalia autocode PROJECT.ron --by-speaker`: every transcript turn coded with its
//! speaker's tag under "Speakers", headless. The work is [`Workspace::code_by_speaker`].
//!
//! Exit codes: 0 done (also when nothing was missing); 1 the project could not be saved;
//! 2 the project could not be read, or has no transcripts (the file is then untouched).

use std::path::PathBuf;

use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct AutocodeArgs {
    /// The project file (.ron); saved atomically, keeping NAME.ron.bak.
    pub project: PathBuf,
    /// Code every turn's words (not the "Name:" label) with a tag per speaker under the
    /// parent tag "Speakers"; run again, only what is missing is added.
    #[arg(long, required = true)]
    pub by_speaker: bool,
    /// The coder the new passages are recorded under.
    #[arg(long, default_value = "autocode")]
    pub coder: String,
}

const EXIT_OK: i32 = 0;
const EXIT_FAILED: i32 = 1;
const EXIT_BAD_INPUT: i32 = 2;

pub fn run_autocode(args: &AutocodeArgs) -> i32 {
    let mut workspace = match Workspace::open(&args.project) {
        Ok(workspace) => workspace,
        Err(error) => {
            eprintln!("marginalia: {error}");
            return EXIT_BAD_INPUT;
        }
    };
    let transcripts = workspace
        .project()
        .documents
        .iter()
        .filter(|d| !d.turns.is_empty())
        .count();
    if transcripts == 0 {
        eprintln!(
            "marginalia: {}: no document has speakers' turns; add transcripts (.vtt, .srt, or text with \"Name: …\" turns) first",
            args.project.display()
        );
        return EXIT_BAD_INPUT;
    }
    workspace.coder = args.coder.clone();
    let coding = match workspace.code_by_speaker() {
        Ok(coding) => coding,
        Err(error) => {
            eprintln!("marginalia: {}: {error}", args.project.display());
            return EXIT_BAD_INPUT;
        }
    };
    if coding.turns_coded == 0 && coding.tags_added == 0 {
        eprintln!(
            "Nothing to add: all {} turns in {transcripts} transcript(s) carry their speaker's tag",
            coding.turns_already_coded
        );
        return EXIT_OK;
    }
    if let Err(error) = workspace.save() {
        eprintln!("marginalia: {error}");
        return EXIT_FAILED;
    }
    eprintln!(
        "Coded {} turn(s) in {transcripts} transcript(s) by speaker ({} new speaker tag(s), {} turn(s) already coded) in {}",
        coding.turns_coded,
        coding.tags_added,
        coding.turns_already_coded,
        args.project.display()
    );
    EXIT_OK
}
