//! Coding a transcript by speaker: every turn's words tagged with its speaker's tag, under a
//! parent tag "Speakers", as MAXQDA and NVivo code focus groups.

use super::*;
use crate::model::{Tag, Turn};

/// The parent tag the speakers' tags are kept under.
pub const SPEAKERS_TAG: &str = "Speakers";

/// What coding by speaker did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpeakerCoding {
    /// Speakers' tags made (the parent "Speakers" not counted).
    pub tags_added: usize,
    /// Turns newly coded: a passage made, or a tag added to the passage on the turn.
    pub turns_coded: usize,
    /// Turns that already carried their speaker's tag.
    pub turns_already_coded: usize,
}

impl Workspace {
    /// Code every turn of every transcript (what was said, not the "Name:" label) with a
    /// tag per speaker under the parent tag "Speakers", as one undoable step. Running it
    /// again adds only what is missing: tags found by name, turns already coded left as
    /// they are. Passages are this workspace's coder's.
    pub fn code_by_speaker(&mut self) -> Result<SpeakerCoding, EditError> {
        let project = &self.project;
        let mut summary = SpeakerCoding::default();
        let mut edits = Vec::new();
        let mut next_tag = project.next_tag_id();
        let same_name = |tag: &Tag, name: &str| {
            crate::model::case_key(&tag.name) == crate::model::case_key(name)
        };
        let parent = match project
            .codebook
            .iter()
            .find(|t| t.parent.is_none() && same_name(t, SPEAKERS_TAG))
        {
            Some(tag) => tag.id,
            None => {
                let tag = Tag {
                    id: next_tag,
                    name: SPEAKERS_TAG.to_owned(),
                    color: "#7F7F7F".to_owned(),
                    key: String::new(),
                    description: "Each speaker's turns, coded by Code by speaker.".to_owned(),
                    parent: None,
                };
                next_tag += 1;
                edits.push(Edit::InsertTag {
                    index: project.codebook.len(),
                    tag,
                });
                next_tag - 1
            }
        };
        let mut tag_of_case: HashMap<crate::model::CaseId, TagId> = HashMap::new();
        let speaking: Vec<&crate::model::Case> = project
            .cases
            .iter()
            .filter(|case| {
                project
                    .documents
                    .iter()
                    .any(|d| d.turns.iter().any(|t| t.speaker == Some(case.id)))
            })
            .collect();
        for case in speaking {
            let existing = project
                .codebook
                .iter()
                .find(|t| t.parent == Some(parent) && same_name(t, &case.name));
            let tag = match existing {
                Some(tag) => tag.id,
                None => {
                    let palette = speaker_palette();
                    let tag = Tag {
                        id: next_tag,
                        name: case.name.clone(),
                        color: palette[summary.tags_added % palette.len()].to_owned(),
                        key: String::new(),
                        description: String::new(),
                        parent: Some(parent),
                    };
                    next_tag += 1;
                    summary.tags_added += 1;
                    edits.push(Edit::InsertTag {
                        index: project.codebook.len() + edits.len(),
                        tag,
                    });
                    next_tag - 1
                }
            };
            tag_of_case.insert(case.id, tag);
        }
        let created = crate::model::now_rfc3339();
        let mut next_passage = project.next_annotation_id();
        for document in &project.documents {
            let Some(text) = self.text(document.id) else {
                continue;
            };
            for Turn {
                start,
                end,
                speaker,
                ..
            } in &document.turns
            {
                let Some(tag) = speaker.and_then(|s| tag_of_case.get(&s).copied()) else {
                    continue;
                };
                if start >= end {
                    continue;
                }
                if let Some(existing) =
                    project.annotation_at_exact_of(document.id, *start..*end, &self.coder)
                {
                    if existing.tags.contains(&tag) {
                        summary.turns_already_coded += 1;
                    } else {
                        let mut tags = existing.tags.clone();
                        tags.push(tag);
                        edits.push(Edit::SetAnnotationTags {
                            id: existing.id,
                            tags,
                        });
                        summary.turns_coded += 1;
                    }
                    continue;
                }
                let Some(anchor) = anchor::anchor_at(text, *start..*end) else {
                    continue;
                };
                edits.push(Edit::AddAnnotation(anchor.into_passage(
                    next_passage,
                    document.id,
                    tag,
                    &self.coder,
                    &created,
                )));
                next_passage += 1;
                summary.turns_coded += 1;
            }
        }
        if !edits.is_empty() {
            self.apply_labelled(Edit::Batch(edits), "code by speaker")?;
        }
        Ok(summary)
    }
}

/// Colours for speakers' tags, told apart from the default codes' (Okabe–Ito) by being
/// Paul Tol's "muted" qualitative scheme, also distinguishable with colour-blindness.
fn speaker_palette() -> [&'static str; 9] {
    [
        "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
        "#AA4499",
    ]
}
