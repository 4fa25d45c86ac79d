//! Combining coders' work on the same documents.
//!
//! - [`merge_projects`] joins several projects into one team project (`marginalia merge`):
//!   documents are matched by fingerprint, tags by name, and every passage keeps its coder.
//! - [`merge3`] merges two branches' versions of one project against their common ancestor,
//!   item by item (`marginalia merge-driver`, the git merge driver); see [`three_way`].
//!
//! Pure: projects in, a project and a report out. Reading files, rebasing document paths and
//! writing are the command line's business. Not for agreement (that is `agreement`).

pub mod three_way;

pub use three_way::{Conflict, ConflictItem, merge3};

use std::collections::HashMap;

use crate::model::{
    Annotation, Attribute, AttributeId, Case, CaseId, DocId, Document, IdCounters, Project, Tag,
    TagId, Turn, case_key,
};

/// One project to merge.
#[derive(Clone, Debug)]
pub struct MergeInput {
    /// Names the input in the report (usually its file name).
    pub label: String,
    /// The coder of this project's passages that name none (so nothing arrives anonymous),
    /// and the heading of its memos when they are joined with others'.
    pub coder: String,
    pub project: Project,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagOutcome {
    /// A tag of the first project, kept as it is.
    Kept,
    /// The same name (ignoring case and surrounding spaces) as a tag already merged.
    Matched,
    /// New to the merged codebook.
    Added,
}

/// Where one input's tag went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagMapping {
    pub input: usize,
    pub from_id: TagId,
    pub from_name: String,
    pub to_id: TagId,
    pub to_name: String,
    pub outcome: TagOutcome,
    /// The key the tag had, dropped because a tag merged before holds it.
    pub dropped_key: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentOutcome {
    /// A document of the first project, kept as it is.
    Kept,
    /// The same text (fingerprint) as a document already merged.
    Matched { into: DocId },
    /// New to the merged project.
    Added { as_id: DocId },
    /// The same path as a document already merged, but another text: left out, with its
    /// passages, for a person to decide which text is right.
    NotMerged {
        clashes_with: DocId,
        passages_left_out: usize,
    },
}

/// Where one input's document went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentMapping {
    pub input: usize,
    pub from_id: DocId,
    pub title: String,
    pub path: String,
    pub outcome: DocumentOutcome,
}

/// What became of one input's passages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassageCounts {
    /// Passages in the merged project.
    pub kept: usize,
    /// Identical to a passage of the same coder already merged (same document, span and
    /// tags): folded into it, notes joined.
    pub folded: usize,
    /// Passages without a coder that took the input's coder name.
    pub named: usize,
    /// Passages of documents that were not merged.
    pub left_out: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub tags: Vec<TagMapping>,
    pub documents: Vec<DocumentMapping>,
    /// One per input, in input order.
    pub passages: Vec<PassageCounts>,
    /// Documents whose memos from several inputs were joined under coders' headings.
    pub document_memos_joined: Vec<DocId>,
    /// Whether the project memos of several inputs were joined.
    pub project_memo_joined: bool,
}

impl MergeReport {
    /// Something was left out for a person to decide (a document with another text).
    pub fn left_something_out(&self) -> bool {
        self.documents
            .iter()
            .any(|d| matches!(d.outcome, DocumentOutcome::NotMerged { .. }))
    }
}

/// Tag names match ignoring case and surrounding spaces.
pub fn tag_name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Combine several projects of the same documents into one. The first project's name,
/// codebook order, colours, keys and ids are kept; what the others add gets fresh ids.
/// Passages of different coders are never folded: they are what agreement compares.
pub fn merge_projects(inputs: &[MergeInput]) -> (Project, MergeReport) {
    let mut merger = Merger::new(inputs);
    for (index, input) in inputs.iter().enumerate() {
        let tags = merger.tags(index, &input.project);
        let attributes = merger.attributes(&input.project);
        let cases = merger.cases(index, &input.project, &attributes);
        let documents = merger.documents(index, &input.project, &attributes, &cases);
        merger.passages(index, input, &tags, &documents);
    }
    merger.finish(inputs)
}

struct Merger {
    project: Project,
    report: MergeReport,
    tag_by_name: HashMap<String, TagId>,
    document_by_fingerprint: HashMap<String, DocId>,
    document_by_path: HashMap<String, DocId>,
    /// Identical passages fold: (document, start, end, sorted tags, coder) → index.
    passage_index: HashMap<(DocId, usize, usize, Vec<TagId>, String), usize>,
    /// Per merged document: (input, memo) in input order.
    document_memos: HashMap<DocId, Vec<(usize, String)>>,
}

impl Merger {
    fn new(inputs: &[MergeInput]) -> Self {
        let mut project = match inputs.first() {
            Some(first) => Project {
                codebook: Vec::new(),
                attributes: Vec::new(),
                cases: Vec::new(),
                documents: Vec::new(),
                annotations: Vec::new(),
                memo: String::new(),
                ..first.project.clone()
            },
            None => Project::new("Merged project"),
        };
        if let Some(first) = inputs.first() {
            // The first project's ids stay; the counters start above everything it handed out.
            let mut first = first.project.clone();
            first.sync_id_counters();
            project.ids = first.ids;
        }
        Self {
            project,
            report: MergeReport::default(),
            tag_by_name: HashMap::new(),
            document_by_fingerprint: HashMap::new(),
            document_by_path: HashMap::new(),
            passage_index: HashMap::new(),
            document_memos: HashMap::new(),
        }
    }

    fn tags(&mut self, input: usize, source: &Project) -> HashMap<TagId, TagId> {
        let mut map = HashMap::new();
        let mut added = Vec::new();
        for tag in &source.codebook {
            let key = tag_name_key(&tag.name);
            let mut mapping = TagMapping {
                input,
                from_id: tag.id,
                from_name: tag.name.clone(),
                to_id: tag.id,
                to_name: tag.name.clone(),
                outcome: TagOutcome::Kept,
                dropped_key: None,
            };
            if input == 0 {
                self.project.codebook.push(tag.clone());
                self.tag_by_name.entry(key).or_insert(tag.id);
            } else if let Some(&existing) = self.tag_by_name.get(&key) {
                let merged = tag_mut(&mut self.project.codebook, existing);
                if merged.description.trim().is_empty() {
                    merged.description = tag.description.clone();
                }
                mapping.to_id = existing;
                mapping.to_name = merged.name.clone();
                mapping.outcome = TagOutcome::Matched;
            } else {
                let id = fresh(&mut self.project.ids.tag);
                let mut new = Tag {
                    id,
                    parent: None,
                    ..tag.clone()
                };
                if !new.key.is_empty() && self.project.tag_by_key(&new.key).is_some() {
                    mapping.dropped_key = Some(std::mem::take(&mut new.key));
                }
                self.project.codebook.push(new);
                self.tag_by_name.insert(key, id);
                mapping.to_id = id;
                mapping.outcome = TagOutcome::Added;
                added.push((id, tag.parent));
            }
            map.insert(tag.id, mapping.to_id);
            self.report.tags.push(mapping);
        }
        // Parents once every tag of this input has its place; one level, as the app shows.
        for (id, parent) in added {
            let parent = parent
                .and_then(|p| map.get(&p).copied())
                .filter(|p| *p != id && self.project.tag(*p).is_some_and(|t| t.parent.is_none()));
            tag_mut(&mut self.project.codebook, id).parent = parent;
        }
        map
    }

    /// Attributes are matched by name (as tags are); one only an input has is added under
    /// a fresh id. Returns the input's attribute ids → the merged project's.
    fn attributes(&mut self, source: &Project) -> HashMap<AttributeId, AttributeId> {
        let mut map = HashMap::new();
        for attribute in &source.attributes {
            let key = tag_name_key(&attribute.name);
            let existing = self
                .project
                .attributes
                .iter()
                .find(|a| tag_name_key(&a.name) == key)
                .map(|a| a.id);
            let id = existing.unwrap_or_else(|| {
                let id = self
                    .project
                    .attributes
                    .iter()
                    .map(|a| a.id)
                    .max()
                    .unwrap_or(0)
                    + 1;
                self.project.attributes.push(Attribute {
                    id,
                    ..attribute.clone()
                });
                id
            });
            map.insert(attribute.id, id);
        }
        map
    }

    /// Cases (a transcript's speakers, other units) are matched by name as import matches
    /// speakers ([`case_key`]): one person in two coders' focus groups is one case. The first
    /// project's cases keep their ids; another's new case gets a fresh one, its attribute
    /// values and memo filling in what the merged case lacks. Returns the input's case ids
    /// → the merged project's.
    fn cases(
        &mut self,
        input: usize,
        source: &Project,
        attributes: &HashMap<AttributeId, AttributeId>,
    ) -> HashMap<CaseId, CaseId> {
        let mut map = HashMap::new();
        for case in &source.cases {
            let values: std::collections::BTreeMap<AttributeId, String> = case
                .attributes
                .iter()
                .filter_map(|(id, value)| Some((*attributes.get(id)?, value.clone())))
                .collect();
            let key = case_key(&case.name);
            let existing = match input {
                0 => None,
                _ => self
                    .project
                    .cases
                    .iter()
                    .position(|c| case_key(&c.name) == key),
            };
            let id = match existing {
                Some(index) => {
                    let merged = &mut self.project.cases[index];
                    for (attribute, value) in values {
                        merged.attributes.entry(attribute).or_insert(value);
                    }
                    merged.memo = join_notes(&merged.memo, &case.memo);
                    merged.id
                }
                None => {
                    let id = if input == 0 {
                        case.id
                    } else {
                        fresh(&mut self.project.ids.case)
                    };
                    self.project.cases.push(Case {
                        id,
                        attributes: values,
                        ..case.clone()
                    });
                    id
                }
            };
            map.insert(case.id, id);
        }
        map
    }

    fn documents(
        &mut self,
        input: usize,
        source: &Project,
        attributes: &HashMap<AttributeId, AttributeId>,
        cases: &HashMap<CaseId, CaseId>,
    ) -> HashMap<DocId, DocId> {
        let mut map = HashMap::new();
        for document in &source.documents {
            let values = document
                .attributes
                .iter()
                .filter_map(|(id, value)| Some((*attributes.get(id)?, value.clone())))
                .collect();
            let turns = turns_with_cases(&document.turns, cases);
            let outcome = if input == 0 {
                self.project.documents.push(Document {
                    memo: String::new(),
                    attributes: values,
                    turns,
                    ..document.clone()
                });
                self.index_document(document, document.id);
                DocumentOutcome::Kept
            } else if let Some(&into) = self.document_by_fingerprint.get(&document.sha256) {
                // The same text: a transcript's turns arrive if the document merged first
                // had none.
                if let Some(merged) = self.project.documents.iter_mut().find(|d| d.id == into)
                    && merged.turns.is_empty()
                {
                    merged.turns = turns;
                }
                DocumentOutcome::Matched { into }
            } else if let Some(&clashes_with) = self.document_by_path.get(&document.path) {
                DocumentOutcome::NotMerged {
                    clashes_with,
                    passages_left_out: source.annotations_of(document.id).count(),
                }
            } else {
                let as_id = fresh(&mut self.project.ids.document);
                self.project.documents.push(Document {
                    id: as_id,
                    memo: String::new(),
                    attributes: values,
                    turns,
                    ..document.clone()
                });
                self.index_document(document, as_id);
                DocumentOutcome::Added { as_id }
            };
            let merged_id = match outcome {
                DocumentOutcome::Kept => Some(document.id),
                DocumentOutcome::Matched { into } => Some(into),
                DocumentOutcome::Added { as_id } => Some(as_id),
                DocumentOutcome::NotMerged { .. } => None,
            };
            if let Some(merged_id) = merged_id {
                map.insert(document.id, merged_id);
                if !document.memo.trim().is_empty() {
                    self.document_memos
                        .entry(merged_id)
                        .or_default()
                        .push((input, document.memo.clone()));
                }
            }
            self.report.documents.push(DocumentMapping {
                input,
                from_id: document.id,
                title: document.title.clone(),
                path: document.path.clone(),
                outcome,
            });
        }
        map
    }

    fn index_document(&mut self, document: &Document, id: DocId) {
        self.document_by_fingerprint
            .entry(document.sha256.clone())
            .or_insert(id);
        self.document_by_path
            .entry(document.path.clone())
            .or_insert(id);
    }

    fn passages(
        &mut self,
        input: usize,
        source: &MergeInput,
        tags: &HashMap<TagId, TagId>,
        documents: &HashMap<DocId, DocId>,
    ) {
        let mut counts = PassageCounts::default();
        for annotation in &source.project.annotations {
            let Some(&doc) = documents.get(&annotation.doc) else {
                counts.left_out += 1;
                continue;
            };
            let mut mapped_tags: Vec<TagId> = Vec::new();
            for tag in annotation.tags.iter().filter_map(|t| tags.get(t)) {
                if !mapped_tags.contains(tag) {
                    mapped_tags.push(*tag);
                }
            }
            let coder = if annotation.coder.trim().is_empty() {
                counts.named += 1;
                source.coder.clone()
            } else {
                annotation.coder.clone()
            };
            let mut sorted_tags = mapped_tags.clone();
            sorted_tags.sort_unstable();
            let key = (
                doc,
                annotation.start,
                annotation.end,
                sorted_tags,
                coder.clone(),
            );
            if let Some(&index) = self.passage_index.get(&key) {
                let existing = &mut self.project.annotations[index];
                existing.note = join_notes(&existing.note, &annotation.note);
                existing.conflict |= annotation.conflict;
                counts.folded += 1;
                continue;
            }
            let id = if input == 0 {
                annotation.id
            } else {
                fresh(&mut self.project.ids.annotation)
            };
            self.passage_index
                .insert(key, self.project.annotations.len());
            self.project.annotations.push(Box::new(Annotation {
                id,
                doc,
                tags: mapped_tags,
                coder,
                ..Annotation::clone(annotation)
            }));
            counts.kept += 1;
        }
        self.report.passages.push(counts);
    }

    fn finish(mut self, inputs: &[MergeInput]) -> (Project, MergeReport) {
        let headings: Vec<String> = inputs.iter().map(memo_heading).collect();
        for document in &mut self.project.documents {
            let memos = self.document_memos.remove(&document.id).unwrap_or_default();
            let (memo, joined) = join_memos(
                memos
                    .iter()
                    .map(|(input, memo)| (headings[*input].as_str(), memo.as_str())),
            );
            document.memo = memo;
            if joined {
                self.report.document_memos_joined.push(document.id);
            }
        }
        let (memo, joined) = join_memos(
            inputs
                .iter()
                .zip(&headings)
                .map(|(input, heading)| (heading.as_str(), input.project.memo.as_str())),
        );
        self.project.memo = memo;
        self.report.project_memo_joined = joined;
        self.project.sort_annotations();
        self.project.sync_id_counters();
        (self.project, self.report)
    }
}

/// A document's turns with their speakers under the merged project's case ids; a speaker
/// whose case the input does not hold is left unnamed rather than given another's case.
fn turns_with_cases(turns: &[Turn], cases: &HashMap<CaseId, CaseId>) -> Vec<Turn> {
    turns
        .iter()
        .map(|turn| Turn {
            speaker: turn.speaker.and_then(|id| cases.get(&id).copied()),
            ..turn.clone()
        })
        .collect()
}

/// The heading of an input's memos: the one coder its passages name, or the input's coder.
fn memo_heading(input: &MergeInput) -> String {
    let mut coders = input
        .project
        .annotations
        .iter()
        .map(|a| a.coder.trim())
        .filter(|c| !c.is_empty());
    match coders.next() {
        Some(first) if coders.all(|c| c == first) => first.to_owned(),
        _ => input.coder.clone(),
    }
}

/// Memos from several sources as one: a single distinct memo stays as it is; several are
/// each put under their coder's heading. Also says whether anything was joined.
pub(crate) fn join_memos<'m>(
    parts: impl IntoIterator<Item = (&'m str, &'m str)>,
) -> (String, bool) {
    let mut distinct: Vec<(&str, &str)> = Vec::new();
    for (heading, memo) in parts {
        if !memo.trim().is_empty() && !distinct.iter().any(|(_, m)| m.trim() == memo.trim()) {
            distinct.push((heading, memo));
        }
    }
    match distinct.as_slice() {
        [] => (String::new(), false),
        [(_, memo)] => ((*memo).to_owned(), false),
        _ => (
            distinct
                .iter()
                .map(|(heading, memo)| format!("## {heading}\n\n{}", memo.trim_end()))
                .collect::<Vec<_>>()
                .join("\n\n"),
            true,
        ),
    }
}

/// Two notes of one passage as one: each kept once, in order.
pub(crate) fn join_notes(first: &str, second: &str) -> String {
    if second.trim().is_empty() || first.trim() == second.trim() {
        first.to_owned()
    } else if first.trim().is_empty() {
        second.to_owned()
    } else {
        format!("{first}\n\n{second}")
    }
}

/// The next id from a counter, which then holds it (so it is never handed out again).
pub(crate) fn fresh(counter: &mut u32) -> u32 {
    *counter += 1;
    *counter
}

fn tag_mut(codebook: &mut [Tag], id: TagId) -> &mut Tag {
    codebook
        .iter_mut()
        .find(|t| t.id == id)
        .expect("merged tags are in the merged codebook")
}

/// The counters at least as high as every id any of `projects` holds or handed out.
pub(crate) fn highest_ids<'p>(projects: impl IntoIterator<Item = &'p Project>) -> IdCounters {
    let mut ids = IdCounters::default();
    for project in projects {
        let mut synced = project.ids.clone();
        synced.tag = synced
            .tag
            .max(project.codebook.iter().map(|t| t.id).max().unwrap_or(0));
        synced.document = synced
            .document
            .max(project.documents.iter().map(|d| d.id).max().unwrap_or(0));
        synced.annotation = synced
            .annotation
            .max(project.annotations.iter().map(|a| a.id).max().unwrap_or(0));
        synced.case = synced
            .case
            .max(project.cases.iter().map(|c| c.id).max().unwrap_or(0));
        ids.case = ids.case.max(synced.case);
        ids.tag = ids.tag.max(synced.tag);
        ids.document = ids.document.max(synced.document);
        ids.annotation = ids.annotation.max(synced.annotation);
    }
    ids
}

/// A passage's quote shortened for a message.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        flat
    } else {
        let cut: String = flat.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// A passage named for a person: id, quote, span, document.
pub(crate) fn passage_label(annotation: &Annotation) -> String {
    format!(
        "passage {} (“{}”, {}..{} in document {})",
        annotation.id,
        excerpt(&annotation.quote, 40),
        annotation.start,
        annotation.end,
        annotation.doc
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AnnotationId;

    fn document(id: DocId, path: &str, sha: &str) -> Document {
        Document {
            turns: Vec::new(),
            direction: Default::default(),
            id,
            path: path.to_owned(),
            title: format!("Document {id}"),
            sha256: sha.to_owned(),
            chars: 100,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        }
    }

    fn passage(id: AnnotationId, doc: DocId, span: (usize, usize), tags: &[TagId]) -> Annotation {
        Annotation {
            id,
            doc,
            start: span.0,
            end: span.1,
            tags: tags.to_vec(),
            quote: format!("text {}..{}", span.0, span.1),
            ..Default::default()
        }
    }

    fn input(label: &str, coder: &str, project: Project) -> MergeInput {
        MergeInput {
            label: label.to_owned(),
            coder: coder.to_owned(),
            project,
        }
    }

    /// Ann's project: the default codebook, documents 1 and 2, three passages.
    fn ann() -> Project {
        let mut p = Project::new("Ann's coding");
        p.documents = vec![document(1, "a.txt", "AAA"), document(2, "b.txt", "BBB")];
        p.annotations = vec![
            passage(1, 1, (0, 10), &[1]),
            passage(2, 1, (20, 30), &[2, 3]),
            passage(3, 2, (5, 15), &[4]),
        ]
        .into_iter()
        .map(Box::new)
        .collect();
        for a in &mut p.annotations {
            a.coder = "ann".to_owned();
        }
        p.documents[0].memo = "Ann on A".to_owned();
        p.memo = "Ann's project memo".to_owned();
        p.sync_id_counters();
        p
    }

    /// Ben's project: the same texts under other ids and in another order, his own tag names.
    fn ben() -> Project {
        let mut p = Project::new("Ben");
        p.codebook = vec![
            Tag {
                id: 1,
                name: " Critique ".to_owned(),
                color: "#111111".to_owned(),
                key: "1".to_owned(),
                description: String::new(),
                parent: None,
            },
            Tag {
                id: 2,
                name: "trust".to_owned(),
                color: "#222222".to_owned(),
                key: "2".to_owned(),
                description: "Who is believed".to_owned(),
                parent: Some(1),
            },
            Tag {
                id: 3,
                name: "QUOTE".to_owned(),
                color: "#333333".to_owned(),
                key: "9".to_owned(),
                description: String::new(),
                parent: None,
            },
        ];
        p.documents = vec![
            document(7, "b.txt", "BBB"),
            document(8, "a.txt", "AAA"),
            document(9, "c.txt", "CCC"),
        ];
        p.annotations = vec![
            passage(4, 8, (0, 10), &[3]),
            passage(5, 7, (5, 15), &[1, 2]),
            passage(6, 9, (1, 2), &[2]),
            passage(7, 9, (1, 2), &[2]),
        ]
        .into_iter()
        .map(Box::new)
        .collect();
        p.annotations[3].note = "second thoughts".to_owned();
        p.documents[1].memo = "Ben on A".to_owned();
        p.sync_id_counters();
        p
    }

    #[test]
    fn documents_match_by_fingerprint_and_tags_by_name() {
        let (merged, report) = merge_projects(&[
            input("ann.ron", "ann", ann()),
            input("ben.ron", "ben", ben()),
        ]);
        assert_eq!(merged.name, "Ann's coding");
        let paths: Vec<(DocId, &str)> = merged
            .documents
            .iter()
            .map(|d| (d.id, d.path.as_str()))
            .collect();
        assert_eq!(paths, [(1, "a.txt"), (2, "b.txt"), (3, "c.txt")]);
        let names: Vec<&str> = merged.codebook.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["quote", "statistic", "policy", "critique", "trust"]);
        // The first project's colour and key win; the new tag's clashing key is dropped;
        // its parent follows the mapping.
        assert_eq!(merged.codebook[0].color, "#0072B2");
        let trust = &merged.codebook[4];
        assert_eq!(
            (trust.id, trust.key.as_str(), trust.parent),
            (5, "", Some(4))
        );
        let ben_tags: Vec<(TagId, TagId, TagOutcome)> = report
            .tags
            .iter()
            .filter(|m| m.input == 1)
            .map(|m| (m.from_id, m.to_id, m.outcome))
            .collect();
        assert_eq!(
            ben_tags,
            [
                (1, 4, TagOutcome::Matched),
                (2, 5, TagOutcome::Added),
                (3, 1, TagOutcome::Matched)
            ]
        );
        assert_eq!(report.tags[5].dropped_key.as_deref(), Some("2"));
        assert!(!report.left_something_out());
    }

    #[test]
    fn every_passage_keeps_its_coder_and_identical_ones_of_one_coder_fold() {
        let (merged, report) = merge_projects(&[
            input("ann.ron", "ann", ann()),
            input("ben.ron", "ben", ben()),
        ]);
        // Ann's passage 1 and Ben's passage 4 cover the same span with the same tag, but
        // they are different coders' work: both stay.
        let on_span: Vec<(&str, AnnotationId)> = merged
            .annotations
            .iter()
            .filter(|a| a.doc == 1 && a.start == 0 && a.end == 10)
            .map(|a| (a.coder.as_str(), a.id))
            .collect();
        assert_eq!(on_span, [("ann", 1), ("ben", 4)]);
        // Ben's passages 6 and 7 are the same passage twice: one, notes kept.
        let on_c: Vec<&Annotation> = merged
            .annotations
            .iter()
            .filter(|a| a.doc == 3)
            .map(|a| &**a)
            .collect();
        assert_eq!(on_c.len(), 1);
        assert_eq!(on_c[0].note, "second thoughts");
        assert_eq!(on_c[0].tags, [5]);
        assert_eq!(
            report.passages[1],
            PassageCounts {
                kept: 3,
                folded: 1,
                named: 4,
                left_out: 0
            }
        );
        // Ids are unique and above the first project's.
        let mut ids: Vec<AnnotationId> = merged.annotations.iter().map(|a| a.id).collect();
        ids.sort_unstable();
        assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
        assert_eq!(merged.ids.annotation, 6);
        let ben_on_b = merged
            .annotations
            .iter()
            .find(|a| a.doc == 2 && a.coder == "ben")
            .unwrap();
        assert_eq!(
            ben_on_b.tags,
            [4, 5],
            "tags mapped into the merged codebook"
        );
    }

    #[test]
    fn memos_of_one_document_are_joined_under_each_coders_name() {
        let (merged, report) =
            merge_projects(&[input("ann.ron", "x", ann()), input("ben.ron", "ben", ben())]);
        assert_eq!(
            merged.documents[0].memo,
            "## ann\n\nAnn on A\n\n## ben\n\nBen on A"
        );
        assert_eq!(report.document_memos_joined, [1]);
        // Only Ann wrote a project memo: it stays as it is.
        assert_eq!(merged.memo, "Ann's project memo");
        assert!(!report.project_memo_joined);
        let mut second = ben();
        second.memo = "Ben's memo".to_owned();
        let (merged, report) = merge_projects(&[
            input("ann.ron", "x", ann()),
            input("ben.ron", "ben", second),
        ]);
        assert_eq!(
            merged.memo,
            "## ann\n\nAnn's project memo\n\n## ben\n\nBen's memo"
        );
        assert!(report.project_memo_joined);
    }

    #[test]
    fn attributes_match_by_name_and_values_follow_their_attribute() {
        let attribute = |id, name: &str| Attribute {
            id,
            name: name.to_owned(),
            kind: crate::model::AttributeKind::Text,
            description: String::new(),
        };
        let mut first = ann();
        first.attributes = vec![attribute(1, "outlet")];
        first.documents[0]
            .attributes
            .insert(1, "Telegraph".to_owned());
        let mut second = ben();
        // The same attribute under another id and spelling, and one only Ben has.
        second.attributes = vec![attribute(1, "author"), attribute(2, " Outlet")];
        let added = second.documents.len() - 1;
        second.documents[added]
            .attributes
            .insert(1, "Smith".to_owned());
        second.documents[added]
            .attributes
            .insert(2, "Guardian".to_owned());
        let added_sha = second.documents[added].sha256.clone();
        let (merged, _) = merge_projects(&[
            input("ann.ron", "ann", first),
            input("ben.ron", "ben", second),
        ]);
        let names: Vec<&str> = merged.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["outlet", "author"]);
        let (outlet, author) = (merged.attributes[0].id, merged.attributes[1].id);
        assert_eq!(merged.documents[0].attributes[&outlet], "Telegraph");
        let bens = merged
            .documents
            .iter()
            .find(|d| d.sha256 == added_sha)
            .expect("Ben's own document is added");
        assert_eq!(bens.attributes[&outlet], "Guardian");
        assert_eq!(bens.attributes[&author], "Smith");
    }

    #[test]
    fn the_same_path_with_another_text_is_reported_not_merged() {
        let mut other = ben();
        other.documents[0].sha256 = "changed".to_owned();
        let (merged, report) = merge_projects(&[
            input("ann.ron", "ann", ann()),
            input("ben.ron", "ben", other),
        ]);
        assert_eq!(merged.documents.len(), 3);
        assert!(report.left_something_out());
        let not_merged = report
            .documents
            .iter()
            .find(|d| matches!(d.outcome, DocumentOutcome::NotMerged { .. }))
            .unwrap();
        assert_eq!(
            (not_merged.from_id, not_merged.outcome),
            (
                7,
                DocumentOutcome::NotMerged {
                    clashes_with: 2,
                    passages_left_out: 1
                }
            )
        );
        assert_eq!(report.passages[1].left_out, 1);
        assert!(
            merged
                .annotations
                .iter()
                .all(|a| merged.document(a.doc).is_some())
        );
    }

    #[test]
    fn merging_a_project_with_itself_under_one_coder_changes_nothing_but_names() {
        let mut project = ann();
        project.annotations[2].coder.clear();
        let (merged, report) = merge_projects(&[
            input("a.ron", "ann", project.clone()),
            input("a copy.ron", "ann", project.clone()),
        ]);
        assert_eq!(merged.annotations.len(), 3);
        assert_eq!(report.passages[1].folded, 3);
        assert!(merged.annotations.iter().all(|a| a.coder == "ann"));
        assert_eq!(merged.codebook, project.codebook);
        assert_eq!(merged.documents[0].memo, "Ann on A");
    }

    #[test]
    fn nothing_to_merge_gives_an_empty_project() {
        let (merged, report) = merge_projects(&[]);
        assert!(merged.annotations.is_empty());
        assert!(report.passages.is_empty());
    }

    #[test]
    fn memos_and_notes_join_once() {
        assert_eq!(join_notes("a", "a "), "a");
        assert_eq!(join_notes("", "b"), "b");
        assert_eq!(join_notes("a", "b"), "a\n\nb");
        assert_eq!(
            join_memos([("x", " "), ("y", "m")]),
            ("m".to_owned(), false)
        );
    }

    fn spoken(start: usize, end: usize, speaker: CaseId) -> Turn {
        Turn {
            start,
            end,
            speaker: Some(speaker),
            time_start: Some(start as f64),
            time_end: Some(end as f64),
        }
    }

    fn case(id: CaseId, name: &str) -> Case {
        Case {
            id,
            name: name.to_owned(),
            attributes: Default::default(),
            memo: String::new(),
        }
    }

    #[test]
    fn speakers_of_every_coder_s_transcripts_stay_with_their_turns() {
        // Ann imported focus group A (Dana, Eli); Ben imported the same group and another,
        // B, where Eli spoke again with Farah. Each handed out case ids 1 and 2 on their own.
        let mut ann = ann();
        ann.cases = vec![case(1, "Dana"), case(2, "Eli")];
        ann.documents[0].turns = vec![spoken(6, 40, 1), spoken(45, 90, 2)];
        ann.sync_id_counters();
        let mut ben = Project::new("Ben's coding");
        ben.cases = vec![case(1, "Farah"), case(2, "eli ")];
        let mut group_a = document(1, "a.txt", "AAA");
        group_a.turns = vec![spoken(6, 40, 2)];
        let mut group_b = document(2, "group-b.txt", "CCC");
        group_b.turns = vec![spoken(7, 30, 1), spoken(37, 80, 2)];
        ben.documents = vec![group_a, group_b];
        ben.sync_id_counters();

        let (merged, _) =
            merge_projects(&[input("ann.ron", "ann", ann), input("ben.ron", "ben", ben)]);
        let names = |doc: &Document| -> Vec<String> {
            doc.turns
                .iter()
                .map(|t| merged.speaker_name(t).to_owned())
                .collect()
        };
        let cases: Vec<&str> = merged.cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cases, ["Dana", "Eli", "Farah"], "Eli is one case");
        let group_a = merged.documents.iter().find(|d| d.sha256 == "AAA").unwrap();
        assert_eq!(
            names(group_a),
            ["Dana", "Eli"],
            "the first coder's turns as they were"
        );
        let group_b = merged.documents.iter().find(|d| d.sha256 == "CCC").unwrap();
        assert_eq!(
            names(group_b),
            ["Farah", "Eli"],
            "Ben's ids 1 and 2 are Farah and Eli, not Ann's Dana and Eli"
        );
        assert_eq!(group_b.turns[0].time_start, Some(7.0));
        let mut ids: Vec<CaseId> = merged.cases.iter().map(|c| c.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 3, "no id given twice");
        assert!(merged.ids.case >= 3);
    }
}
