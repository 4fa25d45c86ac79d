//! `marginalia attributes`: document and case attributes as CSV, in and out. The work is done by
//! [`crate::attributes::csv`]; this file reads and writes the files and talks to people.
//!
//! Exit codes: 0 done; 2 the project or the CSV could not be read, or does not fit (the
//! project file is then untouched).

use std::path::{Path, PathBuf};

use crate::attributes::csv::{self, CsvProblem, RowOwner};
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct AttributesArgs {
    /// The project file (.ron).
    pub project: PathBuf,
    /// Read attribute values from a CSV file whose first column, `document`, names each
    /// document by title, path or id (or, `case`, each case by name or id); new columns
    /// become attributes. The project is saved (keeping NAME.ron.bak) only when the whole
    /// file fits.
    #[arg(long, value_name = "FILE.csv", conflicts_with = "export")]
    pub import: Option<PathBuf>,
    /// Write every document's attribute values as CSV (`-` for standard output).
    #[arg(long, value_name = "FILE.csv")]
    pub export: Option<PathBuf>,
    /// With --export: the cases' values (the transcripts' speakers), a row per case; without
    /// --export or --import: list the cases with their values.
    #[arg(long, conflicts_with = "import")]
    pub cases: bool,
}

const EXIT_OK: i32 = 0;
const EXIT_BAD_INPUT: i32 = 2;

pub fn run_attributes(args: &AttributesArgs) -> i32 {
    let workspace = match Workspace::open(&args.project) {
        Ok(workspace) => workspace,
        Err(error) => {
            eprintln!("{error}");
            return EXIT_BAD_INPUT;
        }
    };
    let result = match (&args.import, &args.export) {
        (Some(file), _) => import(workspace, &args.project, file),
        (None, Some(file)) => export(&workspace, file, args.cases),
        (None, None) if args.cases => {
            list_cases(&workspace);
            Ok(())
        }
        (None, None) => {
            list(&workspace);
            Ok(())
        }
    };
    match result {
        Ok(()) => EXIT_OK,
        Err(message) => {
            eprintln!("{message}");
            EXIT_BAD_INPUT
        }
    }
}

/// The attributes and how many documents have a value of each.
fn list(workspace: &Workspace) {
    let project = workspace.project();
    if project.attributes.is_empty() {
        println!("The project has no attributes; add some with --import FILE.csv.");
        return;
    }
    for attribute in &project.attributes {
        let with_value = project
            .documents
            .iter()
            .filter(|d| d.attributes.contains_key(&attribute.id))
            .count();
        let choices = match &attribute.kind {
            crate::model::AttributeKind::Choice(values) => format!(" ({})", values.join(" | ")),
            _ => String::new(),
        };
        println!(
            "{}: {}{choices}, {with_value} of {} documents have a value{}",
            attribute.name,
            attribute.kind.name(),
            project.documents.len(),
            if attribute.description.is_empty() {
                String::new()
            } else {
                format!(" — {}", attribute.description)
            }
        );
    }
}

/// Each case, its turns and its values.
fn list_cases(workspace: &Workspace) {
    let project = workspace.project();
    if project.cases.is_empty() {
        println!("The project has no cases; transcripts added with their speakers make them.");
        return;
    }
    for case in &project.cases {
        let turns = project
            .documents
            .iter()
            .flat_map(|d| &d.turns)
            .filter(|t| t.speaker == Some(case.id))
            .count();
        let values: Vec<String> = project
            .attributes
            .iter()
            .filter_map(|a| Some(format!("{}={}", a.name, case.attributes.get(&a.id)?)))
            .collect();
        println!(
            "{} (case {}): {turns} turn(s){}",
            case.name,
            case.id,
            if values.is_empty() {
                String::new()
            } else {
                format!(", {}", values.join(", "))
            }
        );
    }
}

fn export(workspace: &Workspace, file: &Path, cases: bool) -> Result<(), String> {
    let project = workspace.project();
    let written = if cases {
        csv::export_cases(project)
    } else {
        csv::export(project)
    };
    let bytes = written.map_err(|e| format!("marginalia: writing CSV: {e}"))?;
    if file == Path::new("-") {
        use std::io::Write;
        return std::io::stdout()
            .write_all(&bytes)
            .map_err(|e| format!("marginalia: standard output: {e}"));
    }
    crate::store::write_atomically(file, &bytes, false).map_err(|e| e.to_string())?;
    eprintln!(
        "Wrote {} {} × {} attributes to {}",
        if cases {
            project.cases.len()
        } else {
            project.documents.len()
        },
        if cases { "cases" } else { "documents" },
        project.attributes.len(),
        file.display()
    );
    Ok(())
}

fn import(mut workspace: Workspace, project_file: &Path, file: &Path) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let plan = csv::plan_import(workspace.project(), &bytes).map_err(|problems| {
        let mut lines: Vec<String> = problems
            .iter()
            .map(|problem| located(file, problem))
            .collect();
        lines.push(format!(
            "marginalia: nothing was imported; {} is unchanged",
            project_file.display()
        ));
        lines.join("\n")
    })?;
    for row in &plan.rows {
        let project = workspace.project();
        let what = match row.owner {
            RowOwner::Document(doc) => format!(
                "document {doc} “{}”",
                project.document(doc).map_or("", |d| d.title.as_str())
            ),
            RowOwner::Case(id) => format!(
                "case {id} “{}”",
                project.case(id).map_or("", |c| c.name.as_str())
            ),
        };
        eprintln!(
            "{}:{}: {:?} is {what} (by its {})",
            file.display(),
            row.line,
            row.cell,
            row.by.name()
        );
    }
    for attribute in &plan.created {
        eprintln!(
            "New attribute {:?} ({})",
            attribute.name,
            attribute.kind.name()
        );
    }
    if plan.changed_values == 0 && plan.created.is_empty() {
        eprintln!(
            "Nothing to change: {} already holds these values",
            project_file.display()
        );
        return Ok(());
    }
    workspace
        .apply_labelled(plan.edit, "import attributes")
        .map_err(|e| format!("marginalia: {}: {e}", file.display()))?;
    workspace.save().map_err(|e| e.to_string())?;
    let of_cases = plan
        .rows
        .first()
        .is_some_and(|row| matches!(row.owner, RowOwner::Case(_)));
    eprintln!(
        "Imported {} value change(s) for {} {} into {}",
        plan.changed_values,
        plan.rows.len(),
        if of_cases { "case(s)" } else { "document(s)" },
        project_file.display()
    );
    Ok(())
}

/// `FILE:LINE:COLUMN: message` (without the column when the problem is a whole line).
fn located(file: &Path, problem: &CsvProblem) -> String {
    match problem.column {
        0 => format!("{}:{}: {}", file.display(), problem.line, problem.message),
        column => format!(
            "{}:{}:{column}: {}",
            file.display(),
            problem.line,
            problem.message
        ),
    }
}
