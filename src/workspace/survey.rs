//! A survey's rows as documents: one per respondent, titled by its id, holding each open
//! answer as a paragraph under its question and coded with a tag named after the question
//! (under a parent tag "Questions"); the other columns become the respondent's attributes.
//! Everything is checked before anything is written, and added as one undoable step.

use super::*;
use crate::import::survey::{SurveyError, SurveyTable};
use crate::model::{Attribute, AttributeId, Tag};

/// The parent tag of the questions' tags.
pub const QUESTIONS_TAG: &str = "Questions";

/// What importing a survey did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SurveyImport {
    /// Respondents added as documents.
    pub respondents: usize,
    /// Answers added (each a coded passage).
    pub answers: usize,
    /// Respondents left out because they answered none of the open questions.
    pub without_answers: usize,
    /// Attributes the closed columns added.
    pub attributes_added: usize,
}

/// Which columns to read how: by index into the table's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyColumns {
    /// The column naming each respondent; `None`: "Row N".
    pub id: Option<usize>,
    /// The open questions, in the order their answers are written.
    pub text: Vec<usize>,
    /// Columns left out; every other column becomes an attribute.
    pub skip: Vec<usize>,
}

/// One respondent's document before it is added.
struct Respondent {
    title: String,
    text: String,
    /// (character range of an answer, its question's index in `SurveyColumns::text`)
    answers: Vec<(std::ops::Range<usize>, usize)>,
    values: std::collections::BTreeMap<AttributeId, String>,
}

impl Workspace {
    /// Add the respondents of `table` (see the module's documentation). A respondent whose
    /// id is empty, given twice, or already a document's title, a value that does not fit
    /// an existing attribute, or a column named twice refuses the whole import: nothing is
    /// written, and the error names the row and column.
    pub fn import_survey(
        &mut self,
        table: &SurveyTable,
        columns: &SurveyColumns,
    ) -> Result<SurveyImport, SurveyError> {
        let file = table.file.as_path();
        let problem = |row: Option<usize>, column: Option<&str>, message: String| {
            SurveyError::new(file, row, column, message)
        };
        let header = &table.header;
        if columns.text.is_empty() {
            return Err(problem(
                None,
                None,
                "choose at least one column of open answers (--text COLUMN)".to_owned(),
            ));
        }
        if let Some(id) = columns.id
            && columns.text.contains(&id)
        {
            return Err(problem(
                None,
                Some(&header[id]),
                "names the respondents, so it cannot also be an open question".to_owned(),
            ));
        }
        let project = &self.project;

        // Respondents' names: present, once each, and new to the project.
        let mut titles: HashMap<String, usize> = HashMap::new();
        let mut row_titles = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let title = match columns.id {
                Some(id) => row.cells[id].clone(),
                None => format!("Row {}", row.number),
            };
            let id_column = columns.id.map(|i| header[i].as_str());
            if title.is_empty() {
                return Err(problem(
                    Some(row.number),
                    id_column,
                    "the respondent has no id".to_owned(),
                ));
            }
            if let Some(first) = titles.insert(title.clone(), row.number) {
                return Err(problem(
                    Some(row.number),
                    id_column,
                    format!("respondent “{title}” is on row {first} too"),
                ));
            }
            if project.documents.iter().any(|d| d.title == title) {
                return Err(problem(
                    Some(row.number),
                    id_column,
                    format!("respondent “{title}” is already a document of the project"),
                ));
            }
            row_titles.push(title);
        }

        // Closed columns: existing attributes by name (every value must fit), else new ones
        // of the kind their values have.
        let mut next_attribute = project.next_attribute_id();
        let mut new_attributes: Vec<Attribute> = Vec::new();
        let mut attribute_of: Vec<(usize, AttributeId)> = Vec::new();
        for (index, name) in header.iter().enumerate() {
            if Some(index) == columns.id
                || columns.text.contains(&index)
                || columns.skip.contains(&index)
            {
                continue;
            }
            let values = table
                .rows
                .iter()
                .map(|r| r.cells[index].as_str())
                .filter(|v| !v.is_empty());
            let attribute = match project.attribute_by_name(name) {
                Some(existing) => {
                    for row in table.rows.iter().filter(|r| !r.cells[index].is_empty()) {
                        existing.kind.check(&row.cells[index]).map_err(|message| {
                            problem(
                                Some(row.number),
                                Some(name),
                                format!("attribute “{name}” ({}): {message}", existing.kind.name()),
                            )
                        })?;
                    }
                    existing.id
                }
                None => {
                    let attribute = Attribute {
                        id: next_attribute,
                        name: name.clone(),
                        kind: crate::attributes::csv::infer_kind(values),
                        description: String::new(),
                    };
                    next_attribute += 1;
                    new_attributes.push(attribute);
                    next_attribute - 1
                }
            };
            attribute_of.push((index, attribute));
        }

        // Each respondent's text: a question, its answer, a blank line between.
        let mut respondents = Vec::new();
        let mut summary = SurveyImport::default();
        for (row, title) in table.rows.iter().zip(row_titles) {
            let mut text = String::new();
            let mut chars = 0;
            let mut answers = Vec::new();
            for (question, &column) in columns.text.iter().enumerate() {
                let answer = row.cells[column].trim();
                if answer.is_empty() {
                    continue;
                }
                let question_line = format!("{}\n", header[column]);
                chars += question_line.chars().count();
                text.push_str(&question_line);
                let start = chars;
                chars += answer.chars().count();
                text.push_str(answer);
                answers.push((start..chars, question));
                text.push_str("\n\n");
                chars += 2;
            }
            if answers.is_empty() {
                summary.without_answers += 1;
                continue;
            }
            // One line end after the last answer, as a text file ends.
            text.pop();
            let values = attribute_of
                .iter()
                .filter(|(index, _)| !row.cells[*index].is_empty())
                .map(|(index, attribute)| (*attribute, row.cells[*index].clone()))
                .collect();
            respondents.push(Respondent {
                title,
                text,
                answers,
                values,
            });
        }
        if respondents.is_empty() {
            return Err(problem(
                None,
                None,
                "no respondent answered any of the open questions: nothing to add".to_owned(),
            ));
        }

        // The tags: "Questions" and one per question, found by name when there.
        let mut edits: Vec<Edit> = new_attributes
            .iter()
            .enumerate()
            .map(|(offset, attribute)| Edit::InsertAttribute {
                index: project.attributes.len() + offset,
                attribute: attribute.clone(),
            })
            .collect();
        summary.attributes_added = new_attributes.len();
        let mut next_tag = project.next_tag_id();
        let mut codebook_length = project.codebook.len();
        let mut tag = |name: &str, parent: Option<TagId>, color: &str, edits: &mut Vec<Edit>| {
            if let Some(existing) = project.codebook.iter().find(|t| {
                t.parent == parent
                    && crate::merge::tag_name_key(&t.name) == crate::merge::tag_name_key(name)
            }) {
                return existing.id;
            }
            let id = next_tag;
            next_tag += 1;
            edits.push(Edit::InsertTag {
                index: codebook_length,
                tag: Tag {
                    id,
                    name: name.to_owned(),
                    color: color.to_owned(),
                    key: String::new(),
                    description: String::new(),
                    parent,
                },
            });
            codebook_length += 1;
            id
        };
        let parent = tag(QUESTIONS_TAG, None, "#7F7F7F", &mut edits);
        let palette = [
            "#44AA99", "#882255", "#117733", "#88CCEE", "#999933", "#AA4499",
        ];
        let question_tags: Vec<TagId> = columns
            .text
            .iter()
            .enumerate()
            .map(|(i, column)| {
                tag(
                    &header[*column],
                    Some(parent),
                    palette[i % palette.len()],
                    &mut edits,
                )
            })
            .collect();

        // Only now is anything written: each respondent's text into the sources folder.
        let sources = self.sources_dir();
        let created = crate::model::now_rfc3339();
        let first_id = project.next_document_id();
        let mut next_passage = project.next_annotation_id();
        let first_index = project.documents.len();
        let mut passages = Vec::new();
        let stored_files =
            write_texts(&sources, &respondents).map_err(|e| problem(None, None, e.to_string()))?;
        for (offset, (respondent, stored)) in respondents.into_iter().zip(stored_files).enumerate()
        {
            let text = DocumentText::new(respondent.text);
            let id = first_id + offset as DocId;
            edits.push(Edit::InsertDocument {
                index: first_index + offset,
                document: Document {
                    id,
                    path: self.path_to_store(&stored),
                    title: respondent.title,
                    sha256: anchor::sha256_hex(text.as_str().as_bytes()),
                    chars: text.char_count(),
                    memo: String::new(),
                    origin: Some(self.path_to_store(file)),
                    attributes: respondent.values,
                    direction: Default::default(),
                    turns: Vec::new(),
                },
            });
            for (range, question) in respondent.answers {
                let Some(found) = anchor::anchor_at(&text, range) else {
                    continue;
                };
                passages.push(Edit::AddAnnotation(found.into_passage(
                    next_passage,
                    id,
                    question_tags[question],
                    &self.coder,
                    &created,
                )));
                next_passage += 1;
                summary.answers += 1;
            }
            summary.respondents += 1;
        }
        edits.extend(passages);
        self.apply_labelled(Edit::Batch(edits), "import survey")
            .map_err(|e| problem(None, None, e.to_string()))?;
        Ok(summary)
    }
}

/// Each respondent's text written into `sources` (synced, never over another file; see
/// [`store::write_new_file`]), several at once: each file waits on the disk, and
/// ten thousand waits one after the other take seconds.
fn write_texts(sources: &Path, respondents: &[Respondent]) -> Result<Vec<PathBuf>, StoreError> {
    const WRITERS: usize = 8;
    let chunk = respondents.len().div_ceil(WRITERS).max(1);
    std::thread::scope(|scope| {
        let writers: Vec<_> = respondents
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|r| {
                            store::write_new_file(
                                sources,
                                &file_stem_for(&r.title),
                                "txt",
                                r.text.as_bytes(),
                            )
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        let mut written = Vec::with_capacity(respondents.len());
        for writer in writers {
            written.extend(writer.join().expect("a writer thread does not panic")?);
        }
        Ok(written)
    })
}

/// A file name for a respondent's text: the id without characters file systems refuse.
fn file_stem_for(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(60)
        .collect();
    let stem = stem.trim().trim_matches('.').to_owned();
    if stem.is_empty() {
        "respondent".to_owned()
    } else {
        format!("respondent {stem}")
    }
}
