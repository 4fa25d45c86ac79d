//! `marginalia survey PROJECT.ron FILE.csv|.xlsx|.ods`: a survey's respondents as documents,
//! headless. Reading the sheet is [`crate::import::survey`]; turning its rows into documents
//! is [`Workspace::import_survey`]; this file chooses the columns and talks to people.
//!
//! Exit codes: 0 done; 1 the project could not be saved; 2 the sheet or the project could
//! not be read, or the import was refused (nothing is then written).

use std::path::{Path, PathBuf};

use crate::import::survey::{self, SurveyTable};
use crate::workspace::{SurveyColumns, Workspace};

#[derive(Debug, clap::Args)]
pub struct SurveyArgs {
    /// The project file (.ron): respondents are added to it, or it is created.
    pub project: PathBuf,
    /// The survey: CSV (comma, semicolon or tab) or a workbook (.xlsx, .xls, .ods).
    pub file: PathBuf,
    /// The column naming each respondent (the documents' titles). Without it, a column
    /// whose values are all present and different is chosen, preferring one named like an
    /// id; without such a column, respondents are named by their row.
    #[arg(long, value_name = "COLUMN")]
    pub id: Option<String>,
    /// A column of open answers (repeat for several). Without any, the columns of long or
    /// varied text are chosen. Every other column becomes an attribute.
    #[arg(long, value_name = "COLUMN")]
    pub text: Vec<String>,
    /// The workbook's sheet (default: its first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// The coder the answers' passages are recorded under.
    #[arg(long, default_value = "survey")]
    pub coder: String,
}

const EXIT_OK: i32 = 0;
const EXIT_FAILED: i32 = 1;
const EXIT_BAD_INPUT: i32 = 2;

pub fn run_survey(args: &SurveyArgs) -> i32 {
    let table = match survey::read_table(&args.file, args.sheet.as_deref()) {
        Ok(table) => table,
        Err(error) => {
            eprintln!("marginalia: {error}");
            return EXIT_BAD_INPUT;
        }
    };
    for warning in &table.warnings {
        eprintln!("marginalia: warning: {warning}");
    }
    let columns = match choose_columns(&table, args) {
        Ok(columns) => columns,
        Err(message) => {
            eprintln!("marginalia: {}: {message}", args.file.display());
            return EXIT_BAD_INPUT;
        }
    };
    let mut workspace = if args.project.exists() {
        match Workspace::open(&args.project) {
            Ok(workspace) => workspace,
            Err(error) => {
                eprintln!("{error}");
                return EXIT_BAD_INPUT;
            }
        }
    } else {
        let name = args
            .project
            .file_stem()
            .map_or("Survey".to_owned(), |s| s.to_string_lossy().into_owned());
        Workspace::new_at(&args.project, &name)
    };
    workspace.coder = args.coder.clone();
    let imported = match workspace.import_survey(&table, &columns) {
        Ok(imported) => imported,
        Err(error) => {
            eprintln!("marginalia: {error}");
            eprintln!(
                "marginalia: nothing was imported; {} is unchanged",
                args.project.display()
            );
            return EXIT_BAD_INPUT;
        }
    };
    if let Err(error) = workspace.save() {
        eprintln!("marginalia: {}: {error}", args.project.display());
        return EXIT_FAILED;
    }
    eprintln!(
        "Added {} respondent(s) with {} answer(s) to {}{}{}",
        imported.respondents,
        imported.answers,
        args.project.display(),
        match imported.attributes_added {
            0 => String::new(),
            n => format!("; {n} new attribute(s)"),
        },
        match imported.without_answers {
            0 => String::new(),
            n => format!("; {n} respondent(s) answered no open question and were left out"),
        }
    );
    EXIT_OK
}

/// The columns named on the command line, or those proposed, said aloud.
fn choose_columns(table: &SurveyTable, args: &SurveyArgs) -> Result<SurveyColumns, String> {
    let find = |name: &str| -> Result<usize, String> {
        table
            .header
            .iter()
            .position(|h| h == name.trim())
            .ok_or_else(|| {
                format!(
                    "no column is named “{name}”; the columns are {}",
                    table
                        .header
                        .iter()
                        .map(|h| format!("“{h}”"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    };
    let proposal = survey::propose_columns(table);
    let id = match &args.id {
        Some(name) => Some(find(name)?),
        None => proposal.id,
    };
    let text = if args.text.is_empty() {
        let chosen: Vec<usize> = proposal
            .text
            .into_iter()
            .filter(|c| Some(*c) != id)
            .collect();
        describe(table, Path::new(&args.file), id, &chosen);
        chosen
    } else {
        args.text
            .iter()
            .map(|name| find(name))
            .collect::<Result<_, _>>()?
    };
    Ok(SurveyColumns {
        id,
        text,
        skip: Vec::new(),
    })
}

fn describe(table: &SurveyTable, file: &Path, id: Option<usize>, text: &[usize]) {
    let names = |columns: &[usize]| {
        columns
            .iter()
            .map(|c| format!("“{}”", table.header[*c]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    eprintln!(
        "{}: respondents named by {}; open answers in {} (choose with --id and --text)",
        file.display(),
        id.map_or("their row".to_owned(), |c| format!("“{}”", table.header[c])),
        if text.is_empty() {
            "no column".to_owned()
        } else {
            names(text)
        }
    );
}
