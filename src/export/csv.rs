//! CSV (RFC 4180, UTF-8, header row): one row per passage × tag, for pandas, R and
//! spreadsheets. Values are verbatim, newlines included (inside quoted fields), so that the
//! quote a script reads is the real text; `start`/`end` are character offsets.

use super::table::{COLUMNS, passage_rows};
use super::{Corpus, ExportError};

pub fn export(corpus: &Corpus) -> Result<Vec<u8>, ExportError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for row in passage_rows(corpus.project) {
        writer.write_record(row.cells())?;
    }
    writer
        .into_inner()
        .map_err(|e| ExportError::Io(std::io::Error::other(e.to_string())))
}
