//! `marginalia merge` (several coders' projects into one team project) and
//! `marginalia merge-driver` (git's merge driver for project files). The merging itself is
//! in [`crate::merge`]; here are the files, the document paths and the messages.
//!
//! Exit codes of `merge`: 0 merged; 1 merged and written, but a document was left out (the
//! same path with another text); 2 an input cannot be read, an option is wrong or the output
//! exists: nothing is written.
//!
//! Exit codes of `merge-driver`, as git expects: 0 merged with nothing to decide; 1 merged,
//! with conflicts kept in both versions for a person to choose; 2 an input cannot be read
//! (the file git asked us to write is left as it was).

use std::path::{Path, PathBuf};

use crate::merge::{
    self, DocumentOutcome, MergeInput, MergeReport, PassageCounts, TagMapping, TagOutcome,
};
use crate::model::Project;
use crate::store::{self, StoreError};

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The projects to merge (.ron), two or more. The first one's name, codebook order,
    /// colours, keys and ids are kept.
    #[arg(required = true, num_args = 2..)]
    pub projects: Vec<PathBuf>,
    /// The team project to write (.ron). Its document paths are relative to its folder.
    #[arg(short, long)]
    pub output: PathBuf,
    /// The coder of a project's passages that name none, as PROJECT.ron=NAME (repeatable).
    /// Without it they take the project file's name without .ron.
    #[arg(long = "coder-for", value_name = "PROJECT=NAME")]
    pub coder_for: Vec<String>,
    /// Replace the output file if it exists (the previous one is kept as NAME.ron.bak).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct MergeDriverArgs {
    /// The common ancestor's version of the project (git's %O).
    pub base: PathBuf,
    /// This branch's version (git's %A); the merged project is written here.
    pub ours: PathBuf,
    /// The other branch's version (git's %B).
    pub theirs: PathBuf,
    /// The project's path in the repository (git's %P), to name it in messages.
    pub path: Option<PathBuf>,
}

const EXIT_OK: i32 = 0;
const EXIT_ATTENTION: i32 = 1;
const EXIT_BAD_INPUT: i32 = 2;

pub fn run_merge(args: &MergeArgs) -> i32 {
    match merge_files(args) {
        Ok(code) => code,
        Err(problems) => {
            for problem in &problems {
                eprintln!("marginalia: {problem}");
            }
            if args.output.exists() {
                eprintln!(
                    "marginalia: nothing written; {} is as it was",
                    args.output.display()
                );
            } else {
                eprintln!("marginalia: nothing written");
            }
            EXIT_BAD_INPUT
        }
    }
}

fn merge_files(args: &MergeArgs) -> Result<i32, Vec<String>> {
    if args.output.exists() && !args.force {
        return Err(vec![format!(
            "{}: exists already; give --force to replace it (the previous file is kept as {})",
            args.output.display(),
            store::backup_path(&args.output).display()
        )]);
    }
    let coders = coders_for(args).map_err(|problem| vec![problem])?;
    let output_dir = folder_of(&args.output);
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for (file, coder) in args.projects.iter().zip(coders) {
        match store::load_project(file) {
            Ok(mut project) => {
                rebase_document_paths(&mut project, &folder_of(file), &output_dir);
                inputs.push(MergeInput {
                    label: file.display().to_string(),
                    coder,
                    project,
                });
            }
            Err(error) => problems.push(error.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let (merged, report) = merge::merge_projects(&inputs);
    if let Err(error) = store::save_project(&merged, &args.output) {
        return Err(vec![error.to_string()]);
    }
    print_report(&args.output, &inputs, &merged, &report);
    if report.left_something_out() {
        eprintln!(
            "marginalia: warning: some documents were not merged (see above): check which text \
             is right with marginalia check, then merge again"
        );
        Ok(EXIT_ATTENTION)
    } else {
        Ok(EXIT_OK)
    }
}

/// Each input's coder for passages without one: `--coder-for`, else the file's stem.
fn coders_for(args: &MergeArgs) -> Result<Vec<String>, String> {
    let mut coders: Vec<String> = args
        .projects
        .iter()
        .map(|p| {
            p.file_stem().map_or_else(
                || p.display().to_string(),
                |s| s.to_string_lossy().into_owned(),
            )
        })
        .collect();
    for given in &args.coder_for {
        // The project's path may itself hold `=`: the first split that names an input wins.
        let found = given.match_indices('=').find_map(|(at, _)| {
            let (file, name) = (&given[..at], &given[at + 1..]);
            input_index(&args.projects, Path::new(file)).map(|index| (index, name))
        });
        match found {
            Some((_, name)) if name.trim().is_empty() => {
                return Err(format!("--coder-for {given}: the coder's name is empty"));
            }
            Some((index, name)) => coders[index] = name.trim().to_owned(),
            None => {
                return Err(format!(
                    "--coder-for {given}: expected PROJECT.ron=NAME with PROJECT.ron one of the \
                     projects to merge"
                ));
            }
        }
    }
    Ok(coders)
}

fn input_index(projects: &[PathBuf], file: &Path) -> Option<usize> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    projects.iter().position(|p| p == file).or_else(|| {
        let wanted = canonical(file)?;
        projects
            .iter()
            .position(|p| canonical(p).as_ref() == Some(&wanted))
    })
}

fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Document paths as the output file will read them: resolved from the input's folder,
/// stored relative to the output's folder (absolute when it lies elsewhere).
pub fn rebase_document_paths(project: &mut Project, from: &Path, to: &Path) {
    let rebase = |stored: &str| {
        store::relative_document_path(&store::resolve_document_path(stored, from), to)
    };
    for document in &mut project.documents {
        document.path = rebase(&document.path);
        if let Some(origin) = &document.origin {
            document.origin = Some(rebase(origin));
        }
    }
}

fn print_report(output: &Path, inputs: &[MergeInput], merged: &Project, report: &MergeReport) {
    let label = |input: usize| inputs[input].label.as_str();
    let mut coders: Vec<&str> = merged
        .annotations
        .iter()
        .map(|a| a.coder.as_str())
        .collect();
    coders.sort_unstable();
    coders.dedup();
    let by = match coders.as_slice() {
        [] => String::new(),
        [one] => format!(" by {one}"),
        many => format!(" by {} coders ({})", many.len(), many.join(", ")),
    };
    println!(
        "Merged {} projects into {}: {} documents, {} tags, {} passages{by}",
        inputs.len(),
        output.display(),
        merged.documents.len(),
        merged.codebook.len(),
        merged.annotations.len(),
    );
    println!("tags:");
    for mapping in &report.tags {
        println!("  {}: {}", label(mapping.input), describe_tag(mapping));
    }
    println!("documents:");
    for mapping in &report.documents {
        let from = format!("“{}” ({})", mapping.title, mapping.from_id);
        let what = match mapping.outcome {
            DocumentOutcome::Kept => format!("{from} kept as {}", mapping.from_id),
            DocumentOutcome::Matched { into } => {
                format!("{from} → {into}, the same text (fingerprint)")
            }
            DocumentOutcome::Added { as_id } => format!("{from} added as {as_id}"),
            DocumentOutcome::NotMerged {
                clashes_with,
                passages_left_out,
            } => format!(
                "{from} NOT MERGED: {} is document {clashes_with}'s path, but the text differs; \
                 its {passages_left_out} passage(s) are left out",
                mapping.path
            ),
        };
        println!("  {}: {what}", label(mapping.input));
    }
    println!("passages:");
    for (input, counts) in report.passages.iter().enumerate() {
        println!(
            "  {}: {}",
            label(input),
            describe_passages(counts, &inputs[input].coder)
        );
    }
    for id in &report.document_memos_joined {
        let title = merged.document(*id).map_or("", |d| d.title.as_str());
        println!("memo of document {id} “{title}”: joined, under each coder's name");
    }
    if report.project_memo_joined {
        println!("project memo: joined, under each coder's name");
    }
}

fn describe_tag(mapping: &TagMapping) -> String {
    let from = format!("“{}” ({})", mapping.from_name, mapping.from_id);
    let mut text = match mapping.outcome {
        TagOutcome::Kept => format!("{from} kept"),
        TagOutcome::Matched => format!(
            "{from} → “{}” ({}), the same name",
            mapping.to_name, mapping.to_id
        ),
        TagOutcome::Added => format!("{from} added as {}", mapping.to_id),
    };
    if let Some(key) = &mapping.dropped_key {
        text.push_str(&format!("; key {key} dropped, another tag has it"));
    }
    text
}

/// What became of one input's passages, in a line.
pub fn describe_passages(counts: &PassageCounts, coder: &str) -> String {
    let mut parts = vec![format!("{} kept", counts.kept)];
    if counts.folded > 0 {
        parts.push(format!(
            "{} identical to one already merged (folded)",
            counts.folded
        ));
    }
    if counts.named > 0 {
        parts.push(format!("{} without a coder now “{coder}”", counts.named));
    }
    if counts.left_out > 0 {
        parts.push(format!("{} left out with their document", counts.left_out));
    }
    parts.join(", ")
}

pub fn run_merge_driver(args: &MergeDriverArgs) -> i32 {
    let name = |side: &str, file: &Path| match &args.path {
        Some(path) => PathBuf::from(format!("{} ({side})", path.display())),
        None => file.to_owned(),
    };
    let read = |side: &str, file: &Path, may_be_empty: bool| -> Result<Project, StoreError> {
        let bytes = std::fs::read(file).map_err(|source| StoreError::Io {
            file: name(side, file),
            source,
        })?;
        // Two branches that each created the file have no common version: git gives an
        // empty one.
        if may_be_empty && bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Project {
                codebook: Vec::new(),
                ..Project::new("")
            });
        }
        store::parse_project_bytes(&bytes, &name(side, file))
    };
    let versions = (
        read("common ancestor", &args.base, true),
        read("ours", &args.ours, false),
        read("theirs", &args.theirs, false),
    );
    let (base, ours, theirs) = match versions {
        (Ok(base), Ok(ours), Ok(theirs)) => (base, ours, theirs),
        (base, ours, theirs) => {
            for error in [base.err(), ours.err(), theirs.err()].into_iter().flatten() {
                eprintln!("marginalia merge-driver: {error}");
            }
            eprintln!("marginalia merge-driver: not merged; the file is left as it was");
            return EXIT_BAD_INPUT;
        }
    };
    let (merged, conflicts) = merge::merge3(&base, &ours, &theirs);
    let bytes = store::project_to_ron(&merged);
    // No `.bak` beside it: git keeps every version, and the folder is the work tree.
    if let Err(error) = store::write_atomically(&args.ours, bytes.as_bytes(), false) {
        eprintln!("marginalia merge-driver: {error}");
        return EXIT_BAD_INPUT;
    }
    if conflicts.is_empty() {
        return EXIT_OK;
    }
    let shown = args.path.as_deref().unwrap_or(&args.ours);
    eprintln!(
        "marginalia merge-driver: {}: {} conflict(s) to decide; nothing is lost (a passage \
         changed on both sides is kept in both versions, marked `conflict: true`, which \
         marginalia check lists):",
        shown.display(),
        conflicts.len()
    );
    for conflict in &conflicts {
        eprintln!("  {conflict}");
    }
    EXIT_ATTENTION
}
