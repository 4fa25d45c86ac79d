//! An Excel workbook for spreadsheet users: the CSV table on a "Passages" sheet and the
//! counts per tag and document on a "Counts" sheet. Every text cell is written as a string,
//! so a note that starts with `=` stays text and never becomes a formula.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet};

use super::table::{COLUMNS, count_table, passage_rows};
use super::{Corpus, ExportError};

/// Excel refuses longer cell texts.
const MAX_CELL_CHARS: usize = 32_767;
const MIN_COLUMN_WIDTH: usize = 6;
const MAX_COLUMN_WIDTH: usize = 60;
/// Columns whose cells hold long text: wrapped, and as wide as allowed.
const LONG_TEXT_COLUMNS: [&str; 2] = ["quote", "note"];
const NUMBER_COLUMNS: [&str; 3] = ["annotation_id", "start", "end"];
const TIME_COLUMNS: [&str; 2] = ["time_start", "time_end"];

pub fn export(corpus: &Corpus) -> Result<Vec<u8>, ExportError> {
    let project = corpus.project;
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(project.name.as_str())
            .set_comment("Exported by Marginalia")
            .set_creation_datetime(&creation_time(corpus)),
    );
    let header = Format::new().set_bold();
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);

    let sheet = workbook.add_worksheet();
    sheet.set_name("Passages")?;
    let rows = passage_rows(project);
    let mut widths: Vec<usize> = COLUMNS.iter().map(|c| c.chars().count()).collect();
    for (column, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *name, &header)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let excel_row = index as u32 + 1;
        for (column, (name, value)) in COLUMNS.iter().zip(row.cells()).enumerate() {
            let excel_column = column as u16;
            if value.is_empty() && TIME_COLUMNS.contains(name) {
                // Outside transcripts: an empty cell, not a time of zero.
            } else if NUMBER_COLUMNS.contains(name) || TIME_COLUMNS.contains(name) {
                let number = value.parse::<f64>().unwrap_or_default();
                sheet.write_number_with_format(excel_row, excel_column, number, &top)?;
            } else {
                let format = if LONG_TEXT_COLUMNS.contains(name) {
                    &wrapped
                } else {
                    &top
                };
                sheet.write_string_with_format(
                    excel_row,
                    excel_column,
                    fit_cell(&value),
                    format,
                )?;
            }
            widths[column] = widths[column].max(display_width(&value));
        }
    }
    finish_sheet(sheet, &widths, rows.len() as u32, 0)?;
    for (column, name) in COLUMNS.iter().enumerate() {
        if LONG_TEXT_COLUMNS.contains(name) {
            sheet.set_column_width(column as u16, MAX_COLUMN_WIDTH as f64)?;
        }
    }

    let counts = count_table(project);
    let sheet = workbook.add_worksheet();
    sheet.set_name("Counts")?;
    let mut headings: Vec<&str> = vec!["document"];
    headings.extend(counts.tags.iter().map(|t| t.name.as_str()));
    if counts.has_untagged {
        headings.push("(no tag)");
    }
    headings.push("passages");
    let mut widths: Vec<usize> = headings.iter().map(|h| display_width(h)).collect();
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, fit_cell(heading), &header)?;
    }
    let all_rows = counts.rows.iter().chain(std::iter::once(&counts.total));
    let mut last_row = 0;
    for (index, row) in all_rows.enumerate() {
        let excel_row = index as u32 + 1;
        last_row = excel_row;
        let (label, format) = match row.document {
            Some(document) => (document.title.as_str(), &top),
            None => ("All documents", &header),
        };
        sheet.write_string_with_format(excel_row, 0, fit_cell(label), format)?;
        widths[0] = widths[0].max(display_width(label));
        let mut numbers = row.per_tag.clone();
        if counts.has_untagged {
            numbers.push(row.untagged);
        }
        numbers.push(row.passages);
        for (offset, number) in numbers.into_iter().enumerate() {
            sheet.write_number_with_format(excel_row, offset as u16 + 1, number as f64, format)?;
        }
    }
    finish_sheet(sheet, &widths, last_row, 1)?;

    Ok(workbook.save_to_buffer()?)
}

/// Frozen header (and first columns), a filter on the header, columns sized to their content.
fn finish_sheet(
    sheet: &mut Worksheet,
    widths: &[usize],
    last_row: u32,
    frozen_columns: u16,
) -> Result<(), ExportError> {
    sheet.set_freeze_panes(1, frozen_columns)?;
    if !widths.is_empty() {
        sheet.autofilter(0, 0, last_row, widths.len() as u16 - 1)?;
    }
    for (column, width) in widths.iter().enumerate() {
        let width = (*width + 2).clamp(MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH);
        sheet.set_column_width(column as u16, width as f64)?;
    }
    Ok(())
}

/// Width in characters of a value's longest line, as a spreadsheet would show it.
fn display_width(value: &str) -> usize {
    value.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Excel cannot hold more than 32,767 characters in a cell; a longer quote or note is cut
/// and says so, rather than making the whole export fail.
fn fit_cell(value: &str) -> std::borrow::Cow<'_, str> {
    // Excel counts UTF-16 units; counting those keeps emoji-heavy text within the limit too.
    if value.encode_utf16().count() <= MAX_CELL_CHARS {
        return value.into();
    }
    let total = value.chars().count();
    let marker = format!("… [cut: {total} characters in all]");
    let budget = MAX_CELL_CHARS - marker.encode_utf16().count();
    let mut used = 0;
    let mut cut = String::new();
    for ch in value.chars() {
        used += ch.len_utf16();
        if used > budget {
            break;
        }
        cut.push(ch);
    }
    cut.push_str(&marker);
    cut.into()
}

/// The workbook's creation time is the latest passage's, not the clock's, so that the same
/// project always exports to the same bytes.
fn creation_time(corpus: &Corpus) -> ExcelDateTime {
    corpus
        .project
        .annotations
        .iter()
        .map(|a| a.created.as_str())
        .filter(|c| super::xml::is_xsd_date_time(c))
        .max()
        .and_then(|latest| ExcelDateTime::parse_from_str(latest.get(..19)?).ok())
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cells_are_cut_within_the_excel_limit() {
        let long = "👩".repeat(20_000);
        let cut = fit_cell(&long);
        assert!(cut.encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(
            cut.ends_with("[cut: 20000 characters in all]"),
            "{}",
            &cut[cut.len() - 40..]
        );
        assert_eq!(fit_cell("short"), "short");
    }
}
