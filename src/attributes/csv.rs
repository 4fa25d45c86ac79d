//! Attributes as CSV (RFC 4180, UTF-8, a header row), for spreadsheets, R and pandas.
//!
//! The first column, `document`, names a document by its title, its path as stored in the
//! project, or its id ([`super::find_document`]); or, in a file of cases (the people who
//! speak in transcripts), the first column `case` names a case by its name or id
//! ([`super::find_case`]). Every other column is an attribute: an
//! existing one by its exact name, or a new one whose kind is inferred from the column's
//! values (all numbers: number; all `YYYY-MM-DD` dates: date; otherwise text). An empty cell
//! is no value: importing it takes away the document's value. Documents not in the file
//! keep their values.
//!
//! An import checks the whole file first and returns either one [`Edit`] for everything
//! or every problem found, each with its line and column; so a bad file changes nothing.

use std::collections::{BTreeMap, HashMap};

use super::{MatchedBy, find_case, find_document, unambiguous_name};
use crate::edit::Edit;
use crate::model::{
    Attribute, AttributeId, AttributeKind, CaseId, DocId, Project, parse_iso_date, parse_number,
};

/// A problem in a CSV file, at a line (from 1) and a column (from 1, as a spreadsheet
/// counts columns; 0 when it concerns the whole line or file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvProblem {
    pub line: u64,
    pub column: usize,
    pub message: String,
}

/// What an import will do, for the person to read, and the edit that does it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPlan {
    /// One [`Edit::Batch`]: the new attributes, then the values that change.
    pub edit: Edit,
    /// Each row's document, how its cell matched it, and the row's line.
    pub rows: Vec<MatchedRow>,
    /// The attributes the file adds, with the kinds inferred.
    pub created: Vec<Attribute>,
    /// Values set, changed or taken away.
    pub changed_values: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchedRow {
    pub line: u64,
    pub cell: String,
    pub owner: RowOwner,
    pub by: MatchedBy,
}

/// What a row's values belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RowOwner {
    Document(DocId),
    Case(CaseId),
}

/// What the first column names: documents, or cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rows {
    Documents,
    Cases,
}

/// Plan importing `bytes` into `project`. `Err` holds every problem found, in file order.
pub fn plan_import(project: &Project, bytes: &[u8]) -> Result<ImportPlan, Vec<CsvProblem>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let (header, records) = read_records(bytes).map_err(|p| vec![p])?;
    let header_line = header.position().map_or(1, |p| line_of(bytes, p));
    let mut problems = Vec::new();
    let (kind_of_rows, columns) = header_columns(project, &header, header_line, &mut problems);
    let rows = match_rows(project, kind_of_rows, &records, &mut problems);

    // Kinds of new attributes come from all their values at once.
    let mut created = Vec::new();
    let mut next_id = project.next_attribute_id();
    let mut definitions: Vec<Option<Attribute>> = Vec::with_capacity(columns.len());
    for (index, column) in columns.iter().enumerate() {
        definitions.push(match column {
            Column::Existing(id) => project.attribute(*id).cloned(),
            Column::New(name) => {
                let values = records
                    .iter()
                    .filter_map(|(_, record)| record.get(index + 1))
                    .map(str::trim)
                    .filter(|v| !v.is_empty());
                let attribute = Attribute {
                    id: next_id,
                    name: name.clone(),
                    kind: infer_kind(values),
                    description: String::new(),
                };
                next_id += 1;
                created.push(attribute.clone());
                Some(attribute)
            }
            Column::Bad => None,
        });
    }

    let mut values: Vec<Edit> = Vec::new();
    // A case's values change in one edit per case (its whole record).
    let mut cases_changed: Vec<crate::model::Case> = Vec::new();
    let mut values_changed_on_cases = 0;
    for ((line, record), row) in records.iter().zip(&rows) {
        for (index, definition) in definitions.iter().enumerate() {
            let (Some(definition), Some(cell)) = (definition, record.get(index + 1)) else {
                continue;
            };
            let cell = cell.trim();
            let value = (!cell.is_empty()).then(|| cell.to_owned());
            if let Some(value) = &value
                && let Err(problem) = definition.kind.check(value)
            {
                problems.push(CsvProblem {
                    line: *line,
                    column: index + 2,
                    message: format!(
                        "attribute {:?} ({}): {problem}",
                        definition.name,
                        definition.kind.name()
                    ),
                });
                continue;
            }
            let Some(row) = row else { continue };
            match row.owner {
                RowOwner::Document(doc) => {
                    let current = project
                        .document(doc)
                        .and_then(|d| d.attributes.get(&definition.id));
                    if current != value.as_ref() {
                        values.push(Edit::SetAttributeValue {
                            doc,
                            attribute: definition.id,
                            value,
                        });
                    }
                }
                RowOwner::Case(id) => {
                    let Some(case) = project.case(id) else {
                        continue;
                    };
                    if case.attributes.get(&definition.id) == value.as_ref() {
                        continue;
                    }
                    let index = match cases_changed.iter().position(|c| c.id == id) {
                        Some(index) => index,
                        None => {
                            cases_changed.push(case.clone());
                            cases_changed.len() - 1
                        }
                    };
                    let changed = &mut cases_changed[index];
                    match value {
                        Some(value) => changed.attributes.insert(definition.id, value),
                        None => changed.attributes.remove(&definition.id),
                    };
                    values_changed_on_cases += 1;
                }
            }
        }
    }
    let changed_values = values.len() + values_changed_on_cases;
    values.extend(cases_changed.into_iter().map(Edit::UpdateCase));
    if !problems.is_empty() {
        problems.sort_by_key(|p| (p.line, p.column));
        return Err(problems);
    }
    let mut edits: Vec<Edit> = created
        .iter()
        .map(|attribute| Edit::InsertAttribute {
            index: usize::MAX,
            attribute: attribute.clone(),
        })
        .collect();
    edits.extend(values);
    Ok(ImportPlan {
        edit: Edit::Batch(edits),
        rows: rows.into_iter().flatten().collect(),
        created,
        changed_values,
    })
}

/// The header and every record with its line; a malformed file is one problem.
#[allow(clippy::type_complexity)]
fn read_records(
    bytes: &[u8],
) -> Result<(::csv::StringRecord, Vec<(u64, ::csv::StringRecord)>), CsvProblem> {
    unclosed_quote(bytes)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(error)) => return Err(csv_error(bytes, &error)),
        None => {
            return Err(CsvProblem {
                line: 1,
                column: 0,
                message: "the file is empty; it needs a header row starting with `document`"
                    .to_owned(),
            });
        }
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| csv_error(bytes, &e))?;
        let line = record.position().map_or(0, |p| line_of(bytes, p));
        // A blank line (one empty field) is no row.
        if record.len() == 1 && record[0].trim().is_empty() && header.len() > 1 {
            continue;
        }
        rows.push((line, record));
    }
    Ok((header, rows))
}

/// The line (from 1) on which a record starts. The csv crate's own count lags a line behind
/// after a CRLF line end (it takes the LF as the start of the next record).
fn line_of(bytes: &[u8], position: &::csv::Position) -> u64 {
    let at = (position.byte() as usize).min(bytes.len());
    let through = bytes.get(at).is_some_and(|b| *b == b'\n') as usize;
    1 + bytes[..at + through]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
}

/// The csv crate reads a quote that is never closed as running to the end of the file;
/// that is a mistake to report (where the quote opens), not a value to store.
fn unclosed_quote(bytes: &[u8]) -> Result<(), CsvProblem> {
    let mut opened_at = None;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'"' {
            match opened_at {
                None => opened_at = Some(at),
                // `""` inside quotes is one quote.
                Some(_) if bytes.get(at + 1) == Some(&b'"') => at += 1,
                Some(_) => opened_at = None,
            }
        }
        at += 1;
    }
    match opened_at {
        None => Ok(()),
        Some(at) => {
            let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64;
            let line_start = bytes[..at]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let column = 1 + bytes[line_start..at].iter().filter(|b| **b == b',').count();
            Err(CsvProblem {
                line,
                column,
                message: "this quoted field is never closed (a `\"` is missing)".to_owned(),
            })
        }
    }
}

fn csv_error(bytes: &[u8], error: &::csv::Error) -> CsvProblem {
    let line = error.position().map_or(0, |p| line_of(bytes, p));
    let message = match error.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} fields, but the header has {expected_len}"),
        ::csv::ErrorKind::Utf8 { err, .. } => {
            return CsvProblem {
                line,
                column: err.field() + 1,
                message: "the field is not valid UTF-8 text; save the file as UTF-8".to_owned(),
            };
        }
        _ => format!("not a readable CSV file: {error}"),
    };
    CsvProblem {
        line,
        column: 0,
        message,
    }
}

enum Column {
    Existing(AttributeId),
    New(String),
    Bad,
}

/// The attribute of each column after the first.
fn header_columns(
    project: &Project,
    header: &::csv::StringRecord,
    line: u64,
    problems: &mut Vec<CsvProblem>,
) -> (Rows, Vec<Column>) {
    let rows = match header.get(0).map(str::trim) {
        Some("case") => Rows::Cases,
        Some("document") => Rows::Documents,
        other => {
            problems.push(CsvProblem {
                line,
                column: 1,
                message: format!(
                    "the first column must be `document` (a title, path or id) or `case` (a case's name or id), not {:?}",
                    other.unwrap_or_default()
                ),
            });
            Rows::Documents
        }
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let columns = header
        .iter()
        .enumerate()
        .skip(1)
        .map(|(index, name)| {
            let name = name.trim();
            let mut bad = |message: String| {
                problems.push(CsvProblem {
                    line,
                    column: index + 1,
                    message,
                });
                Column::Bad
            };
            if name.is_empty() {
                return bad("this column has no name".to_owned());
            }
            if name == "document" || name == "case" {
                return bad(format!("`{name}` is the first column only"));
            }
            if let Some(first) = seen.insert(name, index) {
                return bad(format!(
                    "column {name:?} appears twice (also column {})",
                    first + 1
                ));
            }
            match project.attribute_by_name(name) {
                Some(attribute) => Column::Existing(attribute.id),
                None => Column::New(name.to_owned()),
            }
        })
        .collect();
    (rows, columns)
}

/// Each record's document or case, or `None` after reporting why it has none.
fn match_rows(
    project: &Project,
    rows: Rows,
    records: &[(u64, ::csv::StringRecord)],
    problems: &mut Vec<CsvProblem>,
) -> Vec<Option<MatchedRow>> {
    let mut lines_of: HashMap<RowOwner, u64> = HashMap::new();
    records
        .iter()
        .map(|(line, record)| {
            let cell = record.get(0).unwrap_or_default();
            let mut problem = |message| {
                problems.push(CsvProblem {
                    line: *line,
                    column: 1,
                    message,
                });
                None
            };
            let found = match rows {
                Rows::Documents => find_document(project, cell).map(|(document, by)| {
                    let what = format!("document {} “{}”", document.id, document.title);
                    (RowOwner::Document(document.id), by, what)
                }),
                Rows::Cases => find_case(project, cell).map(|(case, by)| {
                    let what = format!("case {} “{}”", case.id, case.name);
                    (RowOwner::Case(case.id), by, what)
                }),
            };
            match found {
                Ok((owner, by, what)) => {
                    if let Some(first) = lines_of.insert(owner, *line) {
                        return problem(format!("{what} has a row already, on line {first}"));
                    }
                    Some(MatchedRow {
                        line: *line,
                        cell: cell.trim().to_owned(),
                        owner,
                        by,
                    })
                }
                Err(message) => problem(message),
            }
        })
        .collect()
}

/// Number when every value is a number, date when every value is an ISO date, else text.
/// A column without values is text.
pub fn infer_kind<'a>(values: impl Iterator<Item = &'a str> + Clone) -> AttributeKind {
    let mut values = values.peekable();
    if values.peek().is_none() {
        return AttributeKind::Text;
    }
    if values.clone().all(|v| parse_number(v).is_some()) {
        AttributeKind::Number
    } else if values.all(|v| parse_iso_date(v).is_some()) {
        AttributeKind::Date
    } else {
        AttributeKind::Text
    }
}

/// Every document (project order) and attribute (definition order) as CSV; the `document`
/// column holds [`unambiguous_name`], so the file imports back onto the same documents.
pub fn export(project: &Project) -> Result<Vec<u8>, ::csv::Error> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec!["document".to_owned()];
    header.extend(project.attributes.iter().map(|a| a.name.clone()));
    writer.write_record(&header)?;
    for document in &project.documents {
        let mut row = vec![unambiguous_name(project, document)];
        row.extend(
            project
                .attributes
                .iter()
                .map(|a| document.attributes.get(&a.id).cloned().unwrap_or_default()),
        );
        writer.write_record(&row)?;
    }
    writer
        .into_inner()
        .map_err(|e| ::csv::Error::from(std::io::Error::other(e.to_string())))
}

/// Every case (project order) and attribute (definition order) as CSV, the first column
/// `case` holding each case's name, so that the file imports back onto the same cases.
pub fn export_cases(project: &Project) -> Result<Vec<u8>, ::csv::Error> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header = vec!["case".to_owned()];
    header.extend(project.attributes.iter().map(|a| a.name.clone()));
    writer.write_record(&header)?;
    for case in &project.cases {
        let mut row = vec![case.name.clone()];
        row.extend(
            project
                .attributes
                .iter()
                .map(|a| case.attributes.get(&a.id).cloned().unwrap_or_default()),
        );
        writer.write_record(&row)?;
    }
    writer
        .into_inner()
        .map_err(|e| ::csv::Error::from(std::io::Error::other(e.to_string())))
}

/// The values by attribute name of one document, for messages and tests.
pub fn values_by_name(project: &Project, doc: DocId) -> BTreeMap<String, String> {
    let Some(document) = project.document(doc) else {
        return BTreeMap::new();
    };
    document
        .attributes
        .iter()
        .filter_map(|(id, value)| Some((project.attribute(*id)?.name.clone(), value.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn project() -> Project {
        let mut project = Project::new("t");
        for (id, title, path) in [
            (1, "Met Police", "../seeds/a.txt"),
            (2, "Same title", "b.txt"),
            (3, "Same title", "c.txt"),
        ] {
            project.documents.push(Document {
                turns: Vec::new(),
                direction: Default::default(),
                id,
                path: path.into(),
                title: title.into(),
                sha256: String::new(),
                chars: 10,
                memo: String::new(),
                origin: None,
                attributes: Default::default(),
            });
        }
        project.attributes.push(Attribute {
            id: 1,
            name: "outlet".into(),
            kind: AttributeKind::Choice(vec!["Telegraph".into(), "Guardian".into()]),
            description: String::new(),
        });
        project
    }

    fn import(project: &mut Project, csv: &str) -> ImportPlan {
        let plan = plan_import(project, csv.as_bytes()).unwrap();
        plan.edit.apply(project).unwrap();
        plan
    }

    #[test]
    fn rows_match_by_title_path_or_id_and_new_columns_get_a_kind() {
        let mut p = project();
        let plan = import(
            &mut p,
            "\u{feff}document,outlet,year,published,role\r\n\
             Met Police,Telegraph,2021,2021-03-04,editor\r\n\
             b.txt,,2019.5,2020-01-01,\r\n\
             3,Guardian,-4,2020-02-29,12\r\n",
        );
        let by: Vec<(RowOwner, MatchedBy, u64)> =
            plan.rows.iter().map(|r| (r.owner, r.by, r.line)).collect();
        assert_eq!(
            by,
            vec![
                (RowOwner::Document(1), MatchedBy::Title, 2),
                (RowOwner::Document(2), MatchedBy::Path, 3),
                (RowOwner::Document(3), MatchedBy::Id, 4)
            ]
        );
        let kinds: Vec<(&str, &str)> = p
            .attributes
            .iter()
            .map(|a| (a.name.as_str(), a.kind.name()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("outlet", "choice"),
                ("year", "number"),
                ("published", "date"),
                ("role", "text")
            ]
        );
        assert_eq!(values_by_name(&p, 2).get("outlet"), None);
        assert_eq!(values_by_name(&p, 3)["role"], "12");
        assert_eq!(plan.changed_values, 10);
        // Exported and imported again, nothing changes.
        let exported = export(&p).unwrap();
        let again = plan_import(&p, &exported).unwrap();
        assert_eq!(again.changed_values, 0);
        assert!(again.created.is_empty());
        let text = String::from_utf8(exported).unwrap();
        assert!(text.starts_with("document,outlet,year,published,role\r\nMet Police,"));
        assert!(text.contains("\r\nb.txt,,2019.5,"), "{text}");
    }

    #[test]
    fn an_empty_cell_takes_a_value_away_and_absent_documents_keep_theirs() {
        let mut p = project();
        import(&mut p, "document,outlet\n1,Telegraph\n2,Guardian\n");
        import(&mut p, "document,outlet\n1,\n");
        assert_eq!(values_by_name(&p, 1).get("outlet"), None);
        assert_eq!(values_by_name(&p, 2)["outlet"], "Guardian");
    }

    #[test]
    fn problems_name_line_and_column_and_change_nothing() {
        let p = project();
        let problems = plan_import(
            &p,
            b"document,outlet,year\nMet Police,Times,1\nSame title,Guardian,2\nNowhere,,3\n\"1\",,x\n",
        )
        .unwrap_err();
        let places: Vec<(u64, usize)> = problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(places, vec![(2, 2), (3, 1), (4, 1), (5, 1)], "{problems:?}");
        assert!(
            problems[0]
                .message
                .contains("\"Times\" is not one of the choices")
        );
        assert!(problems[1].message.contains("names 2 documents"));
        assert!(problems[2].message.contains("no document"));
        assert!(problems[3].message.contains("has a row already, on line 2"));
        // "x" among numbers makes `year` text, so it is not a problem.

        let problems = plan_import(&p, b"document,outlet\n1,Telegraph,extra\n").unwrap_err();
        assert_eq!((problems[0].line, problems[0].column), (2, 0));
        assert!(problems[0].message.contains("3 fields"), "{problems:?}");

        let problems = plan_import(&p, b"title,outlet,,outlet\n").unwrap_err();
        let places: Vec<(u64, usize)> = problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(places, vec![(1, 1), (1, 3), (1, 4)], "{problems:?}");

        let problems = plan_import(&p, b"document,outlet\n1,\"Tele\n\"\"graph\n").unwrap_err();
        assert_eq!(
            (problems[0].line, problems[0].column),
            (2, 2),
            "{problems:?}"
        );
        assert!(problems[0].message.contains("never closed"));

        let problems = plan_import(&p, b"document,outlet\n1,Tele\xffgraph\n").unwrap_err();
        assert_eq!((problems[0].line, problems[0].column), (2, 2));
        assert!(plan_import(&p, b"").is_err());
    }

    #[test]
    fn kinds_are_inferred_from_all_values() {
        let kind = |values: &[&str]| infer_kind(values.iter().copied()).name();
        assert_eq!(kind(&["1", "2.5", "-3"]), "number");
        assert_eq!(kind(&["2020-01-01", "1999-12-31"]), "date");
        assert_eq!(kind(&["2020-01-01", "2020"]), "text");
        assert_eq!(kind(&[]), "text");
    }

    #[test]
    fn a_file_of_cases_sets_the_speakers_values_and_writes_them_back() {
        let mut p = project();
        let case = |id, name: &str| crate::model::Case {
            id,
            name: name.to_owned(),
            attributes: Default::default(),
            memo: String::new(),
        };
        p.cases = vec![case(1, "Dana Price"), case(2, "Eli")];
        p.ids.case = 2;
        let plan = import(
            &mut p,
            "case,role,age\r\n dana  PRICE ,officer,41\r\n2,staff,\r\n",
        );
        let by: Vec<(RowOwner, MatchedBy)> = plan.rows.iter().map(|r| (r.owner, r.by)).collect();
        assert_eq!(
            by,
            [
                (RowOwner::Case(1), MatchedBy::Name),
                (RowOwner::Case(2), MatchedBy::Id)
            ]
        );
        assert_eq!(plan.changed_values, 3);
        let value = |case: usize, name: &str| {
            let attribute = p.attribute_by_name(name).unwrap().id;
            p.cases[case].attributes.get(&attribute).cloned()
        };
        assert_eq!(value(0, "role").as_deref(), Some("officer"));
        assert_eq!(value(0, "age").as_deref(), Some("41"));
        assert_eq!(value(1, "role").as_deref(), Some("staff"));
        assert_eq!(value(1, "age"), None);
        assert_eq!(
            p.attribute_by_name("age").unwrap().kind,
            AttributeKind::Number
        );
        assert!(p.documents.iter().all(|d| {
            !d.attributes
                .contains_key(&p.attribute_by_name("role").unwrap().id)
        }));

        let written = String::from_utf8(export_cases(&p).unwrap()).unwrap();
        assert_eq!(
            written,
            "case,outlet,role,age\r\nDana Price,,officer,41\r\nEli,,staff,\r\n"
        );
        let mut again = p.clone();
        let plan = import(&mut again, &written);
        assert_eq!(
            plan.changed_values, 0,
            "the file written imports back unchanged"
        );

        let problems = plan_import(&p, b"case,role\nNobody,officer\n").unwrap_err();
        assert_eq!((problems[0].line, problems[0].column), (2, 1));
        assert!(
            problems[0]
                .message
                .contains("no case has the name or id \"Nobody\"")
        );
    }
}
