//! The code matrix for R, SPSS and pandas: one row per document, or per case when the
//! project has cases (the transcripts' speakers, whose passages are those said in their
//! turns); the row's attribute values; then one column per tag of the codebook, in its
//! order: 1 when a passage of the row carries the tag, else 0 — or, counted, how many of
//! its passages carry it. A passage carrying no tag of the codebook counts nowhere, and in
//! a matrix of cases a passage outside every speaker's turn counts nowhere either.

use rust_xlsxwriter::{Format as CellFormat, Workbook};

use super::{Corpus, ExportError};
use crate::model::{AttributeKind, Project, parse_number};

/// What a row of the matrix is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowsOf {
    Documents,
    Cases,
}

/// The matrix, ready to write.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub rows_of: RowsOf,
    /// `document` or `case`, the attributes' names, then the tags' names.
    pub header: Vec<String>,
    pub rows: Vec<MatrixRow>,
    /// Whether each attribute column holds numbers (written as numbers in a workbook).
    numeric_attributes: Vec<bool>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatrixRow {
    /// The document's title, or the case's name.
    pub label: String,
    /// One per attribute, empty where the row has no value.
    pub values: Vec<String>,
    /// One per tag: 0 or 1, or the number of passages.
    pub tags: Vec<usize>,
}

/// The matrix of `project`: rows per case when it has cases, else per document.
pub fn matrix(project: &Project, counts: bool) -> Matrix {
    let rows_of = if project.cases.is_empty() {
        RowsOf::Documents
    } else {
        RowsOf::Cases
    };
    let tag_index = project.codebook_positions();
    let mut rows: Vec<MatrixRow> = match rows_of {
        RowsOf::Documents => project
            .documents
            .iter()
            .map(|d| row(project, d.title.clone(), &d.attributes))
            .collect(),
        RowsOf::Cases => project
            .cases
            .iter()
            .map(|c| row(project, c.name.clone(), &c.attributes))
            .collect(),
    };
    for passage in &project.annotations {
        let Some(document) = project.document(passage.doc) else {
            continue;
        };
        let index = match rows_of {
            RowsOf::Documents => project.documents.iter().position(|d| d.id == document.id),
            RowsOf::Cases => document
                .turn_at(passage.start)
                .and_then(|turn| turn.speaker)
                .and_then(|speaker| project.cases.iter().position(|c| c.id == speaker)),
        };
        let Some(index) = index else { continue };
        let mut tags: Vec<usize> = passage
            .tags
            .iter()
            .filter_map(|t| tag_index.get(t).copied())
            .collect();
        tags.sort_unstable();
        tags.dedup();
        for tag in tags {
            rows[index].tags[tag] += 1;
        }
    }
    if !counts {
        for row in &mut rows {
            for cell in &mut row.tags {
                *cell = usize::from(*cell > 0);
            }
        }
    }
    let first = match rows_of {
        RowsOf::Documents => "document",
        RowsOf::Cases => "case",
    };
    let mut header = vec![first.to_owned()];
    header.extend(project.attributes.iter().map(|a| a.name.clone()));
    // A tag named like another column is told apart, so that data frames keep both.
    for tag in &project.codebook {
        let name = if header.contains(&tag.name) {
            format!("{} (tag)", tag.name)
        } else {
            tag.name.clone()
        };
        header.push(name);
    }
    Matrix {
        rows_of,
        header,
        rows,
        numeric_attributes: project
            .attributes
            .iter()
            .map(|a| a.kind == AttributeKind::Number)
            .collect(),
    }
}

fn row(
    project: &Project,
    label: String,
    values: &std::collections::BTreeMap<u32, String>,
) -> MatrixRow {
    MatrixRow {
        label,
        values: project
            .attributes
            .iter()
            .map(|a| values.get(&a.id).cloned().unwrap_or_default())
            .collect(),
        tags: vec![0; project.codebook.len()],
    }
}

/// The matrix as CSV (RFC 4180, CRLF line ends, a header row).
pub fn export_csv(corpus: &Corpus, counts: bool) -> Result<Vec<u8>, ExportError> {
    let matrix = matrix(corpus.project, counts);
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(&matrix.header)?;
    for row in &matrix.rows {
        let mut record = vec![row.label.clone()];
        record.extend(row.values.iter().cloned());
        record.extend(row.tags.iter().map(usize::to_string));
        writer.write_record(&record)?;
    }
    writer
        .into_inner()
        .map_err(|e| ExportError::Io(std::io::Error::other(e.to_string())))
}

/// The matrix as an Excel workbook: one sheet, numbers as numbers, every other value as
/// text (a value that starts with `=` never becomes a formula).
pub fn export_xlsx(corpus: &Corpus, counts: bool) -> Result<Vec<u8>, ExportError> {
    let matrix = matrix(corpus.project, counts);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Matrix")?;
    let bold = CellFormat::new().set_bold();
    for (column, name) in matrix.header.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, name, &bold)?;
    }
    for (index, row) in matrix.rows.iter().enumerate() {
        let line = index as u32 + 1;
        sheet.write_string(line, 0, &row.label)?;
        for (column, value) in row.values.iter().enumerate() {
            let at = column as u16 + 1;
            match parse_number(value).filter(|_| matrix.numeric_attributes[column]) {
                Some(number) => sheet.write_number(line, at, number)?,
                None if value.is_empty() => sheet,
                None => sheet.write_string(line, at, value)?,
            };
        }
        let first_tag = 1 + row.values.len();
        for (column, count) in row.tags.iter().enumerate() {
            sheet.write_number(line, (first_tag + column) as u16, *count as f64)?;
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Annotation, Attribute, Case, Document, Turn};

    fn focus_groups() -> Project {
        let mut project = Project::new("Focus groups");
        project.attributes.push(Attribute {
            id: 1,
            name: "role".into(),
            kind: AttributeKind::Text,
            description: String::new(),
        });
        let turn = |start, end, speaker| Turn {
            start,
            end,
            speaker: Some(speaker),
            time_start: None,
            time_end: None,
        };
        for (id, turns) in [
            (1, vec![turn(0, 40, 1), turn(40, 80, 2)]),
            (2, vec![turn(0, 50, 2)]),
        ] {
            project.documents.push(Document {
                turns,
                direction: Default::default(),
                id,
                path: format!("group{id}.txt"),
                title: format!("Group {id}"),
                sha256: String::new(),
                chars: 100,
                memo: String::new(),
                origin: None,
                attributes: [(1, "mixed".to_owned())].into_iter().collect(),
            });
        }
        let case = |id, name: &str, role: &str| Case {
            id,
            name: name.into(),
            attributes: [(1, role.to_owned())].into_iter().collect(),
            memo: String::new(),
        };
        project.cases = vec![case(1, "Dana", "officer"), case(2, "Eli", "staff")];
        // (document, start, tags): quote is 1, statistic 2, policy 3, critique 4.
        for (id, (doc, start, tags)) in [
            (1, 5, vec![1]),
            (1, 10, vec![1, 1]),
            (1, 45, vec![3]),
            (2, 5, vec![3, 4]),
            (2, 90, vec![2]),
        ]
        .into_iter()
        .enumerate()
        {
            project.annotations.push(Box::new(Annotation {
                id: id as u32 + 1,
                doc,
                start,
                end: start + 3,
                tags,
                ..Default::default()
            }));
        }
        project
    }

    fn table(matrix: &Matrix) -> Vec<(String, Vec<String>, Vec<usize>)> {
        matrix
            .rows
            .iter()
            .map(|r| (r.label.clone(), r.values.clone(), r.tags.clone()))
            .collect()
    }

    #[test]
    fn rows_are_cases_with_the_passages_said_in_their_turns() {
        let project = focus_groups();
        let counted = matrix(&project, true);
        assert_eq!(counted.rows_of, RowsOf::Cases);
        assert_eq!(
            counted.header,
            ["case", "role", "quote", "statistic", "policy", "critique"]
        );
        // Dana: two quotes in her turn. Eli: a policy passage in each group and a critique;
        // the statistic at 90..93 of group 2 lies outside every turn.
        assert_eq!(
            table(&counted),
            [
                ("Dana".into(), vec!["officer".into()], vec![2, 0, 0, 0]),
                ("Eli".into(), vec!["staff".into()], vec![0, 0, 2, 1]),
            ]
        );
        let present = matrix(&project, false);
        assert_eq!(present.rows[0].tags, [1, 0, 0, 0]);
        assert_eq!(present.rows[1].tags, [0, 0, 1, 1]);
    }

    #[test]
    fn without_cases_rows_are_documents() {
        let mut project = focus_groups();
        project.cases.clear();
        for document in &mut project.documents {
            document.turns.clear();
        }
        let counted = matrix(&project, true);
        assert_eq!(counted.header[0], "document");
        assert_eq!(
            table(&counted),
            [
                ("Group 1".into(), vec!["mixed".into()], vec![2, 0, 1, 0]),
                ("Group 2".into(), vec!["mixed".into()], vec![0, 1, 1, 1]),
            ]
        );
    }

    #[test]
    fn the_menu_choice_counts_passages_or_marks_them() {
        use crate::export::{ExportChoice, Format, export_choice};
        let project = focus_groups();
        let corpus = Corpus {
            project: &project,
            texts: std::collections::HashMap::new(),
        };
        let csv = |choice| String::from_utf8(export_choice(choice, &corpus).unwrap()).unwrap();
        let counted = csv(ExportChoice::counting(Format::MatrixCsv));
        let marked = csv(ExportChoice::plain(Format::MatrixCsv));
        // Dana's two quotes: 2 when counted, 1 when marked.
        let dana = |csv: &str| {
            csv.lines()
                .find(|l| l.starts_with("Dana"))
                .unwrap()
                .to_owned()
        };
        assert_eq!(dana(&counted), "Dana,officer,2,0,0,0");
        assert_eq!(dana(&marked), "Dana,officer,1,0,0,0");
    }
}
