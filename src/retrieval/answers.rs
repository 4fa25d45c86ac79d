//! A survey's answers as a grid: a row per respondent (a document with at least one answer),
//! a column per question (the children of the tag "Questions" that a survey import makes),
//! each cell the answer's passage with the codes given to its words. Rows are filtered by
//! words in the answers, by a code and by the respondents' attributes, and sorted by any
//! column. The window's Answers view draws it; nothing here knows of egui.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::ops::Range;

use crate::model::{AnnotationId, DocId, Project, TagId};
use crate::workspace::{QUESTIONS_TAG, Workspace};

/// One answer: the passage coded with its question, its text, and the other codes on it
/// (passages of the same document sharing a character with it).
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub passage: AnnotationId,
    /// The passage's first character in its document: the cell's character `i` is the
    /// document's `start + i`, so words selected in the cell are coded where they are.
    pub start: usize,
    pub text: String,
    /// Whether `text` is still, character for character, the document's text at `start`
    /// (a coding made in the cell would otherwise land on other words).
    pub in_document: bool,
    /// `text` in lower case, made once for the filter's words and the sort.
    folded: String,
    pub codes: Vec<TagId>,
}

impl Answer {
    /// The document's characters under characters `cell` of the answer's text; `None` when
    /// `cell` runs past the answer.
    pub fn document_range(&self, cell: Range<usize>) -> Option<Range<usize>> {
        (cell.start <= cell.end && cell.end <= self.text.chars().count())
            .then(|| self.start + cell.start..self.start + cell.end)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnswerRow {
    pub doc: DocId,
    pub title: String,
    /// One per question of [`AnswerGrid::questions`]; `None` where the respondent gave none.
    pub answers: Vec<Option<Answer>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerGrid {
    /// The questions' tags and names, in codebook order.
    pub questions: Vec<(TagId, String)>,
    pub rows: Vec<AnswerRow>,
}

impl AnswerGrid {
    /// The grid of the workspace's project; empty when it has no questions.
    pub fn of(workspace: &Workspace) -> AnswerGrid {
        let project = workspace.project();
        let Some(parent) = project
            .codebook
            .iter()
            .find(|t| t.parent.is_none() && t.name == QUESTIONS_TAG)
        else {
            return AnswerGrid::default();
        };
        let questions: Vec<(TagId, String)> = project
            .codebook
            .iter()
            .filter(|t| t.parent == Some(parent.id))
            .map(|t| (t.id, t.name.clone()))
            .collect();
        if questions.is_empty() {
            return AnswerGrid::default();
        }
        let question_tags: HashSet<TagId> = questions.iter().map(|(id, _)| *id).collect();
        let column_of = |tag: TagId| questions.iter().position(|(id, _)| *id == tag);
        let mut rows: Vec<AnswerRow> = Vec::new();
        // Passages are kept by (document, start): each document's are together.
        let passages = &project.annotations;
        let mut at = 0;
        while at < passages.len() {
            let doc = passages[at].doc;
            let end = passages[at..]
                .iter()
                .position(|p| p.doc != doc)
                .map_or(passages.len(), |n| at + n);
            let here = &passages[at..end];
            let mut answers: Vec<Option<Answer>> = vec![None; questions.len()];
            for passage in here {
                for column in passage.tags.iter().filter_map(|t| column_of(*t)) {
                    if answers[column].is_some() {
                        continue;
                    }
                    let mut codes: Vec<TagId> = here
                        .iter()
                        .filter(|other| other.start < passage.end && passage.start < other.end)
                        .flat_map(|other| other.tags.iter().copied())
                        .filter(|tag| !question_tags.contains(tag) && *tag != parent.id)
                        .collect();
                    codes.sort_unstable();
                    codes.dedup();
                    answers[column] = Some(Answer {
                        passage: passage.id,
                        start: passage.start,
                        in_document: workspace
                            .text(doc)
                            .and_then(|text| text.slice(passage.start..passage.end))
                            == Some(passage.quote.as_str()),
                        text: passage.quote.clone(),
                        folded: crate::retrieval::lowercase(&passage.quote),
                        codes,
                    });
                }
            }
            if answers.iter().any(Option::is_some) {
                rows.push(AnswerRow {
                    doc,
                    title: project
                        .document(doc)
                        .map_or_else(|| format!("document {doc}"), |d| d.title.clone()),
                    answers,
                });
            }
            at = end;
        }
        AnswerGrid { questions, rows }
    }

    /// The rows that pass `filter`, sorted by `sort`, as indices into [`Self::rows`].
    pub fn view(&self, project: &Project, filter: &AnswerFilter, sort: AnswerSort) -> Vec<usize> {
        let words = crate::retrieval::lowercase(filter.text.trim());
        let shown: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let row = &self.rows[i];
                let answers = || row.answers.iter().flatten();
                (words.is_empty() || answers().any(|a| a.folded.contains(&words)))
                    && filter
                        .code
                        .is_none_or(|code| answers().any(|a| a.codes.contains(&code)))
                    && filter
                        .documents
                        .as_ref()
                        .is_none_or(|documents| documents.contains(&row.doc))
            })
            .collect();
        // Each row's key made once (ten thousand rows, no allocation per comparison); rows
        // without the value sorted by come last, whichever the direction.
        let rows = &self.rows;
        let key_of = |index: usize| -> Option<SortKey<'_>> {
            let row = &rows[index];
            match sort.by {
                SortBy::Respondent => Some(SortKey::natural(&row.title)),
                SortBy::Question(column) => row
                    .answers
                    .get(column)
                    .and_then(Option::as_ref)
                    .map(|answer| SortKey::Folded(&answer.folded)),
                SortBy::Attribute(attribute) => project
                    .document(row.doc)
                    .and_then(|d| d.attributes.get(&attribute))
                    .map(|value| SortKey::natural(value)),
            }
        };
        let mut keyed: Vec<(usize, Option<SortKey>)> =
            shown.into_iter().map(|i| (i, key_of(i))).collect();
        keyed.sort_by(|(_, x), (_, y)| match (x, y) {
            (Some(x), Some(y)) => {
                let order = x.cmp(y);
                if sort.descending {
                    order.reverse()
                } else {
                    order
                }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        });
        let shown: Vec<usize> = keyed.into_iter().map(|(i, _)| i).collect();
        shown
    }
}

/// What the grid's rows are narrowed to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerFilter {
    /// Words looked for, without regard to case, in the answers.
    pub text: String,
    /// Rows with an answer carrying this code.
    pub code: Option<TagId>,
    /// Rows of these documents only (chosen by their attributes).
    pub documents: Option<HashSet<DocId>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Respondent,
    /// The answers of the question in this column.
    Question(usize),
    Attribute(crate::model::AttributeId),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnswerSort {
    pub by: SortBy,
    pub descending: bool,
}

/// What rows sort by: text in natural order ("R2" before "R10"; numbers by value, before
/// words), or an answer's text as it reads.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
enum SortKey<'a> {
    Number(f64),
    /// The letters (lower case), then the digits by how many, then the digits.
    Natural(String, usize, String),
    /// An answer's text in lower case.
    Folded(&'a str),
}

impl SortKey<'_> {
    fn natural(value: &str) -> SortKey<'static> {
        match crate::model::parse_number(value) {
            Some(number) => SortKey::Number(number),
            None => {
                let digits: String = value.chars().filter(char::is_ascii_digit).collect();
                let letters: String = value.chars().filter(|c| !c.is_ascii_digit()).collect();
                SortKey::Natural(crate::retrieval::lowercase(&letters), digits.len(), digits)
            }
        }
    }

    fn cmp(&self, other: &SortKey<'_>) -> Ordering {
        match (self, other) {
            (SortKey::Number(x), SortKey::Number(y)) => x.total_cmp(y),
            (x, y) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::survey::{SurveyRow, SurveyTable};
    use crate::workspace::{SurveyColumns, Workspace};

    fn surveyed() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let mut workspace = Workspace::new_at(&dir.path().join("s.ron"), "s");
        let row = |number, cells: [&str; 4]| SurveyRow {
            number,
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
        };
        let table = SurveyTable {
            file: dir.path().join("s.csv"),
            header: ["id", "region", "Why?", "Change?"]
                .map(str::to_owned)
                .to_vec(),
            rows: vec![
                row(2, ["R10", "North", "The pay", "More mentoring please"]),
                row(3, ["R2", "South", "", "Fairer boards"]),
                row(4, ["R1", "North", "A friend", "Nothing"]),
            ],
            warnings: Vec::new(),
        };
        workspace
            .import_survey(
                &table,
                &SurveyColumns {
                    id: Some(0),
                    text: vec![2, 3],
                    skip: Vec::new(),
                },
            )
            .unwrap();
        (dir, workspace)
    }

    #[test]
    fn rows_are_respondents_and_cells_their_answers_with_codes() {
        let (_dir, mut workspace) = surveyed();
        // "mentoring" coded critique (tag 4) inside R10's second answer.
        let r10 = workspace.project().documents[0].id;
        let text = workspace.text(r10).unwrap().as_str().to_owned();
        let start = text.chars().collect::<String>().find("mentoring").unwrap();
        let start = text[..start].chars().count();
        workspace.tag_range(r10, start..start + 9, 4).unwrap();
        let grid = AnswerGrid::of(&workspace);
        let names: Vec<&str> = grid.questions.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Why?", "Change?"]);
        assert_eq!(grid.rows.len(), 3);
        let first = &grid.rows[0];
        assert_eq!(first.title, "R10");
        assert_eq!(first.answers[0].as_ref().unwrap().text, "The pay");
        let second = first.answers[1].as_ref().unwrap();
        assert_eq!(second.text, "More mentoring please");
        assert!(second.in_document);
        assert_eq!(second.codes, [4]);
        assert!(
            grid.rows[1].answers[0].is_none(),
            "R2 left the first question empty"
        );
        // Words chosen in the cell are the same words of the document.
        let in_document = second.document_range(5..14).unwrap();
        assert_eq!(
            workspace.text(r10).unwrap().slice(in_document),
            Some("mentoring")
        );
        assert_eq!(second.document_range(5..22), None, "past the answer");
    }

    #[test]
    fn rows_filter_by_words_code_and_attribute_and_sort_by_any_column() {
        let (_dir, workspace) = surveyed();
        let project = workspace.project();
        let grid = AnswerGrid::of(&workspace);
        let titles = |rows: Vec<usize>| -> Vec<String> {
            rows.into_iter()
                .map(|i| grid.rows[i].title.clone())
                .collect()
        };
        let all = AnswerFilter::default();
        let by = |by, descending| AnswerSort { by, descending };
        assert_eq!(
            titles(grid.view(project, &all, by(SortBy::Respondent, false))),
            ["R1", "R2", "R10"],
            "numbers in ids in order"
        );
        assert_eq!(
            titles(grid.view(project, &all, by(SortBy::Question(0), false))),
            ["R1", "R10", "R2"],
            "by the first answer, the respondent without one last"
        );
        assert_eq!(
            titles(grid.view(project, &all, by(SortBy::Question(0), true))),
            ["R10", "R1", "R2"]
        );
        let region = project.attribute_by_name("region").unwrap().id;
        assert_eq!(
            titles(grid.view(project, &all, by(SortBy::Attribute(region), true))),
            ["R2", "R10", "R1"]
        );
        let words = AnswerFilter {
            text: "BOARDS".to_owned(),
            ..Default::default()
        };
        assert_eq!(
            titles(grid.view(project, &words, AnswerSort::default())),
            ["R2"]
        );
        let north = AnswerFilter {
            documents: Some(
                crate::attributes::DocumentFilter::parse(project, "region=North")
                    .unwrap()
                    .documents(project)
                    .into_iter()
                    .collect(),
            ),
            ..Default::default()
        };
        assert_eq!(
            titles(grid.view(project, &north, AnswerSort::default())),
            ["R1", "R10"]
        );
        let coded = AnswerFilter {
            code: Some(4),
            ..Default::default()
        };
        assert!(grid.view(project, &coded, AnswerSort::default()).is_empty());
    }
}
