//! Cases (the speakers of transcripts and other units that span documents) and the turns
//! that point at them.

use super::{Edit, EditError};
use crate::model::{Case, CaseId, DocId, Project, Turn, case_key};

impl Edit {
    /// A case added, removed or renamed, or a document's turns replaced.
    pub(super) fn apply_to_cases(&self, project: &mut Project) -> Result<Edit, EditError> {
        match self {
            Edit::InsertCase { index, case } => {
                if project.case(case.id).is_some() {
                    return Err(EditError::DuplicateId(case.id));
                }
                check_case(project, case)?;
                let index = (*index).min(project.cases.len());
                project.cases.insert(index, case.clone());
                project.ids.case = project.ids.case.max(case.id);
                Ok(Edit::RemoveCase(case.id))
            }
            Edit::RemoveCase(id) => {
                let index = case_index(project, *id)?;
                if let Some(document) = project
                    .documents
                    .iter()
                    .find(|d| d.turns.iter().any(|t| t.speaker == Some(*id)))
                {
                    return Err(EditError::CaseSpeaks {
                        case: project.cases[index].name.clone(),
                        document: document.title.clone(),
                    });
                }
                let case = project.cases.remove(index);
                Ok(Edit::InsertCase { index, case })
            }
            Edit::UpdateCase(case) => {
                let index = case_index(project, case.id)?;
                check_case(project, case)?;
                let old = std::mem::replace(&mut project.cases[index], case.clone());
                Ok(Edit::UpdateCase(old))
            }
            Edit::SetTurns { doc, turns } => {
                let document = project
                    .documents
                    .iter()
                    .find(|d| d.id == *doc)
                    .ok_or(EditError::NoDocument(*doc))?;
                check_turns(project, document.chars, turns)?;
                let document = project
                    .documents
                    .iter_mut()
                    .find(|d| d.id == *doc)
                    .expect("found above");
                let old = std::mem::replace(&mut document.turns, turns.clone());
                Ok(Edit::SetTurns {
                    doc: *doc,
                    turns: old,
                })
            }
            _ => unreachable!("Edit::apply sends only these edits here"),
        }
    }

    /// One edit that makes `from` and `into` one case: `from`'s turns become `into`'s and
    /// `from` goes (its attribute values fill in those `into` lacks; memos are joined).
    pub fn merge_cases(project: &Project, from: CaseId, into: CaseId) -> Result<Edit, EditError> {
        let source = project.case(from).ok_or(EditError::NoCase(from))?;
        let target = project.case(into).ok_or(EditError::NoCase(into))?;
        if from == into {
            return Ok(Edit::Batch(Vec::new()));
        }
        let mut edits = Vec::new();
        for document in &project.documents {
            if document.turns.iter().any(|t| t.speaker == Some(from)) {
                let turns = document
                    .turns
                    .iter()
                    .map(|t| Turn {
                        speaker: t.speaker.map(|s| if s == from { into } else { s }),
                        ..t.clone()
                    })
                    .collect();
                edits.push(Edit::SetTurns {
                    doc: document.id,
                    turns,
                });
            }
        }
        let mut merged = target.clone();
        for (attribute, value) in &source.attributes {
            merged
                .attributes
                .entry(*attribute)
                .or_insert_with(|| value.clone());
        }
        if !source.memo.is_empty() {
            merged.memo = if merged.memo.is_empty() {
                source.memo.clone()
            } else {
                format!("{}\n\n{}", merged.memo, source.memo)
            };
        }
        edits.push(Edit::RemoveCase(from));
        if merged != *target {
            edits.push(Edit::UpdateCase(merged));
        }
        Ok(Edit::Batch(edits))
    }
}

fn case_index(project: &Project, id: CaseId) -> Result<usize, EditError> {
    project
        .cases
        .iter()
        .position(|c| c.id == id)
        .ok_or(EditError::NoCase(id))
}

/// Names identify cases across documents, so two may not read alike; a case's attribute
/// values, as a document's, name a defined attribute and fit its kind.
fn check_case(project: &Project, case: &Case) -> Result<(), EditError> {
    if case.name.trim().is_empty() {
        return Err(EditError::EmptyCaseName);
    }
    for (attribute, value) in &case.attributes {
        let definition = project
            .attribute(*attribute)
            .ok_or(EditError::NoAttribute(*attribute))?;
        definition
            .kind
            .check(value)
            .map_err(|problem| EditError::ValueDoesNotFit {
                attribute: definition.name.clone(),
                problem: format!("case {:?}: {problem}", case.name),
            })?;
    }
    let key = case_key(&case.name);
    if project
        .cases
        .iter()
        .any(|c| c.id != case.id && case_key(&c.name) == key)
    {
        return Err(EditError::DuplicateCaseName(case.name.clone()));
    }
    Ok(())
}

/// Turns lie in the text, in order, without overlapping, each spoken by a known case.
fn check_turns(project: &Project, chars: usize, turns: &[Turn]) -> Result<(), EditError> {
    let mut previous_end = 0;
    for turn in turns {
        if turn.start > turn.end || turn.end > chars || turn.start < previous_end {
            return Err(EditError::BadSpan {
                start: turn.start,
                end: turn.end,
            });
        }
        previous_end = turn.end;
        if let Some(speaker) = turn.speaker
            && project.case(speaker).is_none()
        {
            return Err(EditError::NoCase(speaker));
        }
    }
    Ok(())
}

/// The turns of `doc` with every span moved by `map` (`None`: the turn's text is gone).
pub fn turns_mapped(
    project: &Project,
    doc: DocId,
    mut map: impl FnMut(std::ops::Range<usize>) -> Option<std::ops::Range<usize>>,
) -> Vec<Turn> {
    let Some(document) = project.document(doc) else {
        return Vec::new();
    };
    document
        .turns
        .iter()
        .filter_map(|t| {
            let range = map(t.range())?;
            Some(Turn {
                start: range.start,
                end: range.end,
                ..t.clone()
            })
        })
        .collect()
}
