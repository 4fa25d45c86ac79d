//! Survey spreadsheets: a row per respondent, a few closed columns (age group, region, role)
//! and one or more open answers. This file reads the sheet — CSV in any usual dialect (comma,
//! semicolon or tab; a byte-order mark; UTF-8, UTF-16 or Windows-1252 as text files are read)
//! and `.xlsx`/`.xls`/`.ods` workbooks through calamine — and proposes which column names the
//! respondents and which hold free text. [`crate::workspace`] turns the rows into documents.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use thiserror::Error;

/// A sheet read: its header and every row with its number as a spreadsheet shows it (the
/// header is row 1).
#[derive(Clone, Debug, PartialEq)]
pub struct SurveyTable {
    pub file: PathBuf,
    pub header: Vec<String>,
    pub rows: Vec<SurveyRow>,
    /// Things to check (an encoding that was guessed).
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SurveyRow {
    /// The row's number as a spreadsheet shows the sheet (the header is row 1; in a CSV
    /// file a record is one row, however many lines its quoted cells take).
    pub number: usize,
    /// One cell per header column, trimmed; missing cells are empty.
    pub cells: Vec<String>,
}

/// Why a survey could not be read or imported: the file, and where in it.
#[derive(Clone, Debug, Error, PartialEq)]
#[error("{}{}: {message}", file.display(), place(*row, column.as_deref()))]
pub struct SurveyError {
    pub file: PathBuf,
    /// The row as a spreadsheet numbers it (the header is 1), when the problem has one.
    pub row: Option<usize>,
    /// The column's name, when the problem has one.
    pub column: Option<String>,
    pub message: String,
}

fn place(row: Option<usize>, column: Option<&str>) -> String {
    match (row, column) {
        (Some(row), Some(column)) => format!(":{row}: column “{column}”"),
        (Some(row), None) => format!(":{row}"),
        (None, Some(column)) => format!(": column “{column}”"),
        (None, None) => String::new(),
    }
}

impl SurveyError {
    pub fn new(file: &Path, row: Option<usize>, column: Option<&str>, message: String) -> Self {
        Self {
            file: file.to_owned(),
            row,
            column: column.map(str::to_owned),
            message,
        }
    }
}

/// Read a survey sheet: `.csv`/`.tsv`/`.txt` as delimited text, `.xlsx`/`.xlsm`/`.xls`/`.ods`
/// as a workbook (its sheet `sheet`, else the first).
pub fn read_table(file: &Path, sheet: Option<&str>) -> Result<SurveyTable, SurveyError> {
    let extension = file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(file, sheet),
        _ => {
            if let Some(sheet) = sheet {
                return Err(SurveyError::new(
                    file,
                    None,
                    None,
                    format!("--sheet {sheet:?} names a sheet of a workbook; this is a text file"),
                ));
            }
            let bytes = std::fs::read(file)
                .map_err(|e| SurveyError::new(file, None, None, e.to_string()))?;
            read_delimited(file, bytes)
        }
    }
}

fn read_delimited(file: &Path, bytes: Vec<u8>) -> Result<SurveyTable, SurveyError> {
    let decoded = super::text::read(file, bytes)
        .map_err(|e| SurveyError::new(file, None, None, e.to_string()))?;
    let text = decoded.text;
    let delimiter = delimiter_of(&text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_problem(file, &e, 1))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| csv_problem(file, &e, index + 2))?;
        let number = index + 2;
        if record.len() > header.len() && record.iter().skip(header.len()).any(|c| !c.is_empty()) {
            return Err(SurveyError::new(
                file,
                Some(number),
                None,
                format!(
                    "{} cells where the header names {} columns; a text with the separator “{}” \
                     in it must be in double quotes",
                    record.len(),
                    header.len(),
                    delimiter as char
                ),
            ));
        }
        let cells = (0..header.len())
            .map(|i| record.get(i).unwrap_or("").trim().to_owned())
            .collect::<Vec<_>>();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push(SurveyRow { number, cells });
    }
    finish(file, header, rows, decoded.warnings)
}

/// The separator a delimited file uses: the one of `,`, `;` and tab found most often in its
/// first line outside double quotes (a comma when none is).
fn delimiter_of(text: &str) -> u8 {
    let first_line = text.lines().next().unwrap_or("");
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in first_line.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(d, _)| *d == byte) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, count)| *count)
        .filter(|(_, count)| *count > 0)
        .map_or(b',', |(delimiter, _)| *delimiter)
}

fn csv_problem(file: &Path, error: &::csv::Error, row: usize) -> SurveyError {
    let row = Some(row);
    let message = match error.kind() {
        ::csv::ErrorKind::Utf8 { .. } => "a cell is not valid text".to_owned(),
        _ => format!("the file cannot be read as a table: {error}"),
    };
    SurveyError::new(file, row, None, message)
}

fn read_workbook(file: &Path, sheet: Option<&str>) -> Result<SurveyTable, SurveyError> {
    let problem = |message: String| SurveyError::new(file, None, None, message);
    let mut workbook = calamine::open_workbook_auto(file)
        .map_err(|e| problem(format!("cannot be read as a workbook: {e}")))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                problem(format!(
                    "has no sheet {wanted:?}; its sheets are {}",
                    names.join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| problem("has no sheets".to_owned()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| problem(format!("sheet {name:?}: {e}")))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let mut rows_in = range.rows();
    let header: Vec<String> = rows_in
        .next()
        .map(|cells| {
            cells
                .iter()
                .map(|c| cell_text(c).trim().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (index, cells) in rows_in.enumerate() {
        let cells: Vec<String> = (0..header.len())
            .map(|i| {
                cells
                    .get(i)
                    .map(cell_text)
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            })
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        rows.push(SurveyRow {
            // The header is the range's first row; spreadsheets count from 1.
            number: first_row + index + 2,
            cells,
        });
    }
    finish(file, header, rows, Vec::new())
}

/// A cell as text: numbers without a needless ".0", dates as `YYYY-MM-DD` (with the time
/// when it has one), booleans as yes/no.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Data::Float(number) => number.to_string(),
        Data::Int(number) => number.to_string(),
        Data::Bool(true) => "yes".to_owned(),
        Data::Bool(false) => "no".to_owned(),
        Data::DateTime(date) if date.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
            if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::DateTime(date) => date.as_f64().to_string(),
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => format!("#{error:?}"),
    }
}

fn finish(
    file: &Path,
    header: Vec<String>,
    rows: Vec<SurveyRow>,
    warnings: Vec<String>,
) -> Result<SurveyTable, SurveyError> {
    if header.iter().all(String::is_empty) {
        return Err(SurveyError::new(
            file,
            Some(1),
            None,
            "the first row must name the columns (the questions and attributes)".to_owned(),
        ));
    }
    if let Some(index) = header.iter().position(String::is_empty) {
        return Err(SurveyError::new(
            file,
            Some(1),
            None,
            format!("column {} has no name in the first row", index + 1),
        ));
    }
    for (index, name) in header.iter().enumerate() {
        if let Some(first) = header[..index].iter().position(|h| h == name) {
            return Err(SurveyError::new(
                file,
                Some(1),
                Some(name),
                format!("appears twice (columns {} and {})", first + 1, index + 1),
            ));
        }
    }
    Ok(SurveyTable {
        file: file.to_owned(),
        header,
        rows,
        warnings,
    })
}

/// Which column names the respondents and which hold open answers, as proposed to the
/// person (who may choose otherwise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnProposal {
    /// A column whose values are all present and different, preferring one named like an
    /// id (`id`, `respondent`, `participant`…); `None`: respondents are named by their row.
    pub id: Option<usize>,
    /// Columns of free text: long answers, or varied ones with several words.
    pub text: Vec<usize>,
}

pub fn propose_columns(table: &SurveyTable) -> ColumnProposal {
    let column = |index: usize| table.rows.iter().map(move |r| r.cells[index].as_str());
    let unique_and_present = |index: usize| {
        let mut seen = std::collections::HashSet::new();
        column(index).all(|v| !v.is_empty() && seen.insert(v))
    };
    let named_like_id = |name: &str| {
        let name = name.to_lowercase();
        name == "id"
            || name.ends_with(" id")
            || name.ends_with("_id")
            || name.starts_with("id ")
            || [
                "respondent",
                "participant",
                "response id",
                "responseid",
                "case",
            ]
            .iter()
            .any(|n| name.contains(n))
    };
    let count = table.header.len();
    let id = (0..count)
        .filter(|i| unique_and_present(*i))
        .min_by_key(|i| (!named_like_id(&table.header[*i]), *i));
    let text = (0..count)
        .filter(|i| Some(*i) != id && is_free_text(column(*i)))
        .collect();
    ColumnProposal { id, text }
}

/// Free text: answers of 40 characters or more on average, or of several words that mostly
/// differ from one another.
fn is_free_text<'a>(values: impl Iterator<Item = &'a str>) -> bool {
    let present: Vec<&str> = values.filter(|v| !v.is_empty()).collect();
    if present.is_empty() {
        return false;
    }
    let average = present.iter().map(|v| v.chars().count()).sum::<usize>() / present.len();
    let words = present
        .iter()
        .filter(|v| v.split_whitespace().count() >= 3)
        .count();
    let distinct: std::collections::HashSet<&&str> = present.iter().collect();
    average >= 40 || (words * 2 > present.len() && distinct.len() * 4 > present.len() * 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(file: &str, bytes: &[u8]) -> SurveyTable {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file);
        std::fs::write(&path, bytes).unwrap();
        read_table(&path, None).unwrap()
    }

    #[test]
    fn semicolons_a_bom_quotes_with_newlines_and_emoji_are_read() {
        let table = table(
            "survey.csv",
            "\u{feff}id;region;Why did you apply?\r\nR1;North;\"Pay; and the hours.\nAlso 🙂\"\r\nR2;South;\r\n"
                .as_bytes(),
        );
        assert_eq!(table.header, ["id", "region", "Why did you apply?"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].cells[2], "Pay; and the hours.\nAlso 🙂");
        assert_eq!(
            table.rows[1].number, 3,
            "the second respondent is row 3, as a spreadsheet shows the file"
        );
        assert_eq!(table.rows[1].cells[2], "");
    }

    #[test]
    fn windows_1252_is_read_with_a_warning() {
        let table = table("survey.csv", b"id,answer\n1,caf\xe9 au lait\n");
        assert_eq!(table.rows[0].cells[1], "café au lait");
        assert!(table.warnings[0].contains("Windows-1252"));
    }

    #[test]
    fn header_problems_are_named_with_their_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.csv");
        std::fs::write(&path, "id,answer,answer\n1,a,b\n").unwrap();
        let error = read_table(&path, None).unwrap_err();
        assert_eq!(error.row, Some(1));
        assert!(
            error
                .to_string()
                .ends_with("bad.csv:1: column “answer”: appears twice (columns 2 and 3)"),
            "{error}"
        );
        std::fs::write(&path, "id,answer\n1,a,b,c\n").unwrap();
        let error = read_table(&path, None).unwrap_err();
        assert_eq!(error.row, Some(2));
        assert!(
            error.message.contains("4 cells where the header names 2"),
            "{error}"
        );
    }

    #[test]
    fn the_id_and_the_free_text_columns_are_proposed() {
        let table = table(
            "survey.csv",
            b"age group,Respondent ID,region,What would you change?,consent\n\
              18-24,A7,North,More mentoring for new recruits,yes\n\
              25-34,B2,North,Nothing really it works well,yes\n\
              18-24,C9,South,Clearer promotion criteria for everyone,no\n\
              35-44,D4,South,The shift pattern and the pay,yes\n",
        );
        let proposal = propose_columns(&table);
        assert_eq!(
            proposal.id,
            Some(1),
            "named like an id, every value present and different"
        );
        assert_eq!(proposal.text, [3]);
    }
}
