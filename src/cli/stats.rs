//! `marginalia stats`: frequencies per tag and document, co-occurrence, and cross-tabs by a
//! document attribute, as text, JSON or a code × document CSV. The figures are computed by
//! [`crate::stats`]; their definitions are there.
//!
//! Exit codes: 0 done; 2 the project cannot be read or an option names nothing in it.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use crate::attributes::DocumentFilter;
use crate::model::{DocId, Project};
use crate::stats::{self, By, Options, Stats};
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// The project file (.ron).
    pub project: PathBuf,
    /// Count documents and passages per tag for each value of this attribute.
    #[arg(long, value_name = "ATTRIBUTE")]
    pub by: Option<String>,
    /// With --by a number or date attribute: bin edges, comma-separated and increasing
    /// (`2000,2010` gives `< 2000`, `[2000, 2010)`, `>= 2010`).
    #[arg(long, value_delimiter = ',', requires = "by")]
    pub bins: Vec<String>,
    /// Only documents that pass this filter, e.g. `outlet=Telegraph|Guardian,year>=2020`
    /// (see the README).
    #[arg(long, value_name = "FILTER")]
    pub documents: Option<String>,
    /// Print one JSON object.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print the code × document matrix (passages) as CSV.
    #[arg(long)]
    pub csv: bool,
}

const EXIT_OK: i32 = 0;
const EXIT_BAD_INPUT: i32 = 2;

pub fn run_stats(args: &StatsArgs) -> i32 {
    let workspace = match Workspace::open(&args.project) {
        Ok(workspace) => workspace,
        Err(error) => {
            eprintln!("{error}");
            return EXIT_BAD_INPUT;
        }
    };
    let project = workspace.project();
    let figures = options(args, project).and_then(|options| {
        stats::compute(
            project,
            &lengths(&workspace, options.documents.as_deref()),
            &options,
        )
    });
    let figures = match figures {
        Ok(figures) => figures,
        Err(message) => {
            eprintln!("marginalia: {}: {message}", args.project.display());
            return EXIT_BAD_INPUT;
        }
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&figures).expect("the figures hold only strings and numbers")
        );
    } else if args.csv {
        match matrix_csv(&figures) {
            Ok(csv) => print!("{csv}"),
            Err(error) => {
                eprintln!("marginalia: writing CSV: {error}");
                return EXIT_BAD_INPUT;
            }
        }
    } else {
        print!("{}", text(&figures));
    }
    EXIT_OK
}

fn options(args: &StatsArgs, project: &Project) -> Result<Options, String> {
    let documents = match &args.documents {
        Some(filter) => Some(
            DocumentFilter::parse(project, filter)
                .map_err(|e| format!("--documents: {e}"))?
                .documents(project),
        ),
        None => None,
    };
    let by = match &args.by {
        Some(name) => {
            let attribute = project.attribute_by_name(name.trim()).ok_or_else(|| {
                let names: Vec<String> = project
                    .attributes
                    .iter()
                    .map(|a| format!("{:?}", a.name))
                    .collect();
                format!(
                    "--by: no attribute is named {:?} (attributes: {})",
                    name.trim(),
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                )
            })?;
            Some(By {
                attribute: attribute.id,
                bins: args.bins.iter().map(|b| b.trim().to_owned()).collect(),
            })
        }
        None => None,
    };
    Ok(Options { documents, by })
}

/// The documents' lengths in characters as their texts are now (of `only`, or all); a
/// document whose text cannot be read counts with the length recorded in the project, with
/// a warning.
fn lengths(workspace: &Workspace, only: Option<&[DocId]>) -> BTreeMap<DocId, usize> {
    super::warn_unreadable(workspace, only);
    let mut lengths = workspace.text_lengths();
    lengths.retain(|id, _| only.is_none_or(|ids| ids.contains(id)));
    lengths
}

/// Rows: tags in codebook order; columns: documents (by title), passages per cell.
pub fn matrix_csv(figures: &Stats) -> Result<String, ::csv::Error> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec!["tag".to_owned()];
    header.extend(figures.per_document.iter().map(|d| d.title.clone()));
    writer.write_record(&header)?;
    for (index, tag) in figures.tags.iter().enumerate() {
        let mut row = vec![tag.tag.clone()];
        row.extend(
            figures
                .per_document
                .iter()
                .map(|d| d.tags.0[index].1.to_string()),
        );
        writer.write_record(&row)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ::csv::Error::from(std::io::Error::other(e.to_string())))?;
    Ok(String::from_utf8(bytes).expect("the CSV is made of strings"))
}

/// Plain-text tables for a terminal.
pub fn text(figures: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} documents, {} characters\n",
        figures.documents, figures.characters
    );
    let mut rows = vec![vec![
        "tag".to_owned(),
        "passages".to_owned(),
        "documents".to_owned(),
        "characters".to_owned(),
        "share".to_owned(),
    ]];
    for tag in &figures.tags {
        rows.push(vec![
            tag.tag.clone(),
            tag.passages.to_string(),
            tag.documents.to_string(),
            tag.characters.to_string(),
            format!("{:.4}", tag.share),
        ]);
    }
    table(&mut out, &rows, 1);

    out.push_str("\nPer document\n");
    let mut rows = vec![vec![
        "id".to_owned(),
        "document".to_owned(),
        "passages".to_owned(),
        "characters coded".to_owned(),
    ]];
    rows[0].extend(figures.tags.iter().map(|t| t.tag.clone()));
    for document in &figures.per_document {
        let mut row = vec![
            document.id.to_string(),
            document.title.clone(),
            document.passages.to_string(),
            document.characters.to_string(),
        ];
        row.extend(document.tags.0.iter().map(|(_, n)| n.to_string()));
        rows.push(row);
    }
    table(&mut out, &rows, 2);

    for (title, matrix) in [
        (
            "Co-occurrence: passages carrying both tags",
            &figures.cooccurrence.same_passage,
        ),
        (
            "Co-occurrence: pairs of overlapping passages, one with each tag",
            &figures.cooccurrence.overlapping,
        ),
    ] {
        let _ = writeln!(out, "\n{title}");
        let mut rows = vec![vec![String::new()]];
        rows[0].extend(figures.cooccurrence.tags.iter().cloned());
        for (tag, counts) in figures.cooccurrence.tags.iter().zip(matrix) {
            let mut row = vec![tag.clone()];
            row.extend(counts.iter().map(usize::to_string));
            rows.push(row);
        }
        table(&mut out, &rows, 1);
    }

    if let Some(by) = &figures.by {
        // Cases (speakers) with a value of the attribute: their passages count under it.
        let with_cases = by.values.iter().any(|v| v.cases.is_some());
        let _ = writeln!(
            out,
            "\nBy {} ({}): documents{} and passages per tag",
            by.attribute,
            by.kind,
            if with_cases { ", cases" } else { "" }
        );
        let mut rows = vec![vec![by.attribute.clone(), "documents".to_owned()]];
        if with_cases {
            rows[0].push("cases".to_owned());
        }
        rows[0].extend(figures.tags.iter().map(|t| t.tag.clone()));
        for value in &by.values {
            let mut row = value_and_documents(value);
            if with_cases {
                row.push(value.cases.unwrap_or(0).to_string());
            }
            row.extend(value.passages.0.iter().map(|(_, n)| n.to_string()));
            rows.push(row);
        }
        table(&mut out, &rows, 1);

        let _ = writeln!(
            out,
            "\nBy {}: documents with at least one passage of each tag (share of the value's documents)",
            by.attribute
        );
        let mut rows = vec![vec![by.attribute.clone(), "documents".to_owned()]];
        rows[0].extend(figures.tags.iter().map(|t| t.tag.clone()));
        for value in &by.values {
            let mut row = value_and_documents(value);
            row.extend(
                value
                    .documents_with
                    .0
                    .iter()
                    .map(|(_, n)| match value.documents {
                        0 => n.to_string(),
                        all => format!("{n} ({:.0}%)", *n as f64 * 100.0 / all as f64),
                    }),
            );
            rows.push(row);
        }
        table(&mut out, &rows, 1);
    }
    out
}

/// A row's first cells in the tables by attribute: the value, and its documents.
fn value_and_documents(value: &crate::stats::ByValue) -> Vec<String> {
    vec![
        value
            .value
            .clone()
            .unwrap_or_else(|| "(no value)".to_owned()),
        value.documents.to_string(),
    ]
}

/// Columns padded to their widest cell (in characters); the first `left_aligned` columns
/// aligned left, numbers right.
fn table(out: &mut String, rows: &[Vec<String>], left_aligned: usize) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                if c < left_aligned {
                    format!("{cell:<width$}", width = widths[c])
                } else {
                    format!("{cell:>width$}", width = widths[c])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
}
