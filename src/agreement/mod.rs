//! Inter-coder agreement: how far the coders of a project agree, per tag and over all tags.
//! Pure: takes the project and its documents' lengths in characters, gives a report; the
//! command line (`marginalia agree`) and the reports render it. Not for merging coders' work.
//!
//! Which characters count: the documents that every compared coder has coded at least once
//! (any passage, any tag), whole. A coder's passages are spans of characters (Unicode scalar
//! values, end exclusive); a passage with several tags counts for each of them.
//!
//! The measures (formulas and sources in [`measures`]):
//! - `percent` and `kappa` (two coders only): per tag, over characters;
//! - `alpha`: Krippendorff's nominal α over characters, any number of coders; per tag the
//!   value of a character is coded/not coded, over all tags it is the set of tags it carries;
//! - `alpha_u`: Krippendorff's unitizing α_U (2004 §11.6, as DKPro Statistics computes it);
//! - `u_alpha`, `binary_u_alpha`, `cu_alpha`: the 2016 family (Krippendorff, Mathet, Bouvry
//!   & Widlöcher); per tag, `u_alpha` is uα on that tag's passages against the rest.
//!
//! The unitizing measures need each coder's passages to lie apart within the values compared:
//! where two passages of one coder overlap, the measure gives a reason instead of a number.
//! Confidence intervals: see [`bootstrap`].

pub mod bootstrap;
pub mod compare;
pub mod measures;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use thiserror::Error;

use crate::model::{DocId, Project, TagId};
use measures::{
    Coincidences, Disagreement, Overlap, Table2, UAlphaParts, UnitizingParts, combined_alpha_u,
};

/// What to compare, and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Coders to compare; empty: every coder with a passage (anonymous passages left out).
    pub coders: Vec<String>,
    /// Tags to compare (by id); empty: the whole codebook.
    pub tags: Vec<TagId>,
    /// Documents to consider; empty: all. Only those every coder coded are used.
    pub documents: Vec<DocId>,
    /// Bootstrap replicates for the 95% intervals; 0 for none.
    pub bootstrap: usize,
    pub seed: u64,
    /// `percent` and `kappa` count only characters that at least one coder coded with one
    /// of the compared tags.
    pub coded_only: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            coders: Vec::new(),
            tags: Vec::new(),
            documents: Vec::new(),
            bootstrap: 1000,
            seed: 1,
            coded_only: false,
        }
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum AgreementError {
    #[error("agreement needs at least two coders; the project has {}", describe_coders(.0))]
    TooFewCoders(Vec<String>),
    #[error("no passage in the project is by coder “{name}” (coders: {})", describe_coders(.known))]
    UnknownCoder { name: String, known: Vec<String> },
    #[error("no document has passages by every one of {}", .0.join(", "))]
    NoCommonDocument(Vec<String>),
}

fn describe_coders(coders: &[String]) -> String {
    if coders.is_empty() {
        "none".to_owned()
    } else {
        coders.join(", ")
    }
}

/// A 95% interval, `[low, high]`.
pub type Interval = [f64; 2];

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TagIntervals {
    pub alpha: Option<Interval>,
    pub alpha_u: Option<Interval>,
    pub u_alpha: Option<Interval>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OverallIntervals {
    pub alpha: Option<Interval>,
    pub alpha_u: Option<Interval>,
    pub u_alpha: Option<Interval>,
    pub binary_u_alpha: Option<Interval>,
    pub cu_alpha: Option<Interval>,
}

/// Passages and characters of one coder with one tag, in the documents used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoderCount {
    pub coder: String,
    pub passages: usize,
    /// Characters covered by the coder's passages with the tag (overlaps counted once).
    pub characters: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TagAgreement {
    pub tag: String,
    pub tag_id: TagId,
    pub percent: Option<f64>,
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
    pub alpha_u: Option<f64>,
    pub u_alpha: Option<f64>,
    pub ci95: TagIntervals,
    /// Why a measure is `null`, by measure name.
    pub reasons: BTreeMap<String, String>,
    pub counts: Vec<CoderCount>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OverallAgreement {
    pub alpha: Option<f64>,
    pub alpha_u: Option<f64>,
    pub u_alpha: Option<f64>,
    pub binary_u_alpha: Option<f64>,
    pub cu_alpha: Option<f64>,
    pub ci95: OverallIntervals,
    pub reasons: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BootstrapInfo {
    pub replicates: usize,
    pub seed: u64,
    pub method: &'static str,
}

/// Everything `marginalia agree` reports; its JSON form is the command's `--json` output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgreementReport {
    pub coders: Vec<String>,
    pub documents: Vec<DocId>,
    /// Characters of the documents used.
    pub characters: u64,
    pub tags: Vec<TagAgreement>,
    pub overall: OverallAgreement,
    pub coded_only: bool,
    pub bootstrap: BootstrapInfo,
    /// Things a reader should know (passages cut at a document's end, …).
    pub notes: Vec<String>,
}

/// Every coder name on a passage, sorted, without the empty name.
pub fn coders_of(project: &Project) -> Vec<String> {
    let names: BTreeSet<&str> = project
        .annotations
        .iter()
        .map(|a| a.coder.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    names.into_iter().map(str::to_owned).collect()
}

/// The agreement of `options.coders` on `project`. `lengths` are the documents' texts'
/// lengths in characters; a document missing from it counts with its recorded `chars`.
pub fn compute(
    project: &Project,
    lengths: &BTreeMap<DocId, usize>,
    options: &Options,
) -> Result<AgreementReport, AgreementError> {
    let coders = choose_coders(project, options)?;
    let tags: Vec<TagId> = if options.tags.is_empty() {
        project.codebook.iter().map(|t| t.id).collect()
    } else {
        options.tags.clone()
    };
    let documents = common_documents(project, &coders, &options.documents);
    if documents.is_empty() {
        return Err(AgreementError::NoCommonDocument(coders));
    }
    let mut notes = Vec::new();
    if documents.len() == 1 && options.bootstrap > 0 {
        notes.push(
            "one document only: resampling documents cannot vary it, so the 95% intervals \
             are the estimates themselves"
                .to_owned(),
        );
    }
    let study = Study::build(project, lengths, &coders, &tags, &documents, &mut notes);
    let estimate = study.estimate(&study.all_documents());
    let intervals = bootstrap::intervals(&study, options.bootstrap, options.seed);
    let counts = study.counts(project);
    let tag_rows = tags
        .iter()
        .enumerate()
        .map(|(t, &id)| {
            let e = &estimate.tags[t];
            let (percent, kappa) = if options.coded_only {
                (e.percent_coded, e.kappa_coded)
            } else {
                (e.percent, e.kappa)
            };
            TagAgreement {
                tag: project
                    .tag(id)
                    .map_or_else(|| format!("#{id}"), |t| t.name.clone()),
                tag_id: id,
                percent,
                kappa,
                alpha: e.alpha,
                alpha_u: e.alpha_u.as_ref().ok().copied().flatten(),
                u_alpha: e.u_alpha.as_ref().ok().copied().flatten(),
                ci95: intervals.tags[t].clone(),
                reasons: e.reasons(coders.len(), &coders),
                counts: counts[t].clone(),
            }
        })
        .collect();
    let overall = OverallAgreement {
        alpha: estimate.alpha,
        alpha_u: estimate.alpha_u.as_ref().ok().copied().flatten(),
        u_alpha: estimate.u.as_ref().ok().and_then(|u| u.u_alpha),
        binary_u_alpha: estimate.u.as_ref().ok().and_then(|u| u.binary_u_alpha),
        cu_alpha: estimate.u.as_ref().ok().and_then(|u| u.cu_alpha),
        ci95: intervals.overall,
        reasons: estimate.reasons(&coders),
    };
    Ok(AgreementReport {
        characters: study.documents.iter().map(|d| d.length).sum(),
        coders,
        documents,
        tags: tag_rows,
        overall,
        coded_only: options.coded_only,
        bootstrap: BootstrapInfo {
            replicates: options.bootstrap,
            seed: options.seed,
            method: bootstrap::METHOD,
        },
        notes,
    })
}

fn choose_coders(project: &Project, options: &Options) -> Result<Vec<String>, AgreementError> {
    let known = coders_of(project);
    let coders = if options.coders.is_empty() {
        known.clone()
    } else {
        let mut chosen: Vec<String> = Vec::new();
        for name in &options.coders {
            if !known.contains(name) {
                return Err(AgreementError::UnknownCoder {
                    name: name.clone(),
                    known,
                });
            }
            if !chosen.contains(name) {
                chosen.push(name.clone());
            }
        }
        chosen
    };
    if coders.len() < 2 {
        return Err(AgreementError::TooFewCoders(coders));
    }
    Ok(coders)
}

/// Documents (in id order) where every coder has at least one passage.
fn common_documents(project: &Project, coders: &[String], only: &[DocId]) -> Vec<DocId> {
    let mut ids: Vec<DocId> = project
        .documents
        .iter()
        .map(|d| d.id)
        .filter(|id| only.is_empty() || only.contains(id))
        .filter(|&id| {
            coders.iter().all(|coder| {
                project
                    .annotations
                    .iter()
                    .any(|a| a.doc == id && &a.coder == coder)
            })
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// One document's passages as the measures need them, and their additive parts.
#[derive(Clone, Debug)]
pub(crate) struct DocumentParts {
    pub(crate) length: u64,
    /// Nominal α over characters, the value being the set of tags a coder gave a character.
    overall_chars: Coincidences<Vec<usize>>,
    overall_u: Result<UAlphaParts, Overlap>,
    tags: Vec<TagParts>,
}

#[derive(Clone, Debug)]
struct TagParts {
    chars: Coincidences<bool>,
    pair: Table2,
    pair_coded: Table2,
    unitizing: Result<UnitizingParts, Overlap>,
    u: Result<UAlphaParts, Overlap>,
    /// Characters per coder (for the counts).
    covered: Vec<u64>,
}

/// The documents of a comparison, prepared once for the estimate and every bootstrap sample.
pub(crate) struct Study {
    pub(crate) documents: Vec<DocumentParts>,
    coders: Vec<String>,
    tags: Vec<TagId>,
    document_ids: Vec<DocId>,
}

/// The measures of one sample of documents.
pub(crate) struct Estimate {
    pub(crate) alpha: Option<f64>,
    pub(crate) alpha_u: Result<Option<f64>, Overlap>,
    pub(crate) u: Result<measures::UAlphas, Overlap>,
    pub(crate) tags: Vec<TagEstimate>,
}

pub(crate) struct TagEstimate {
    pub(crate) percent: Option<f64>,
    pub(crate) kappa: Option<f64>,
    pub(crate) percent_coded: Option<f64>,
    pub(crate) kappa_coded: Option<f64>,
    pub(crate) alpha: Option<f64>,
    pub(crate) alpha_u: Result<Option<f64>, Overlap>,
    pub(crate) u_alpha: Result<Option<f64>, Overlap>,
}

impl Study {
    fn build(
        project: &Project,
        lengths: &BTreeMap<DocId, usize>,
        coders: &[String],
        tags: &[TagId],
        documents: &[DocId],
        notes: &mut Vec<String>,
    ) -> Self {
        let documents_parts = documents
            .iter()
            .map(|&id| {
                let length = lengths
                    .get(&id)
                    .copied()
                    .unwrap_or_else(|| project.document(id).map_or(0, |d| d.chars));
                let units = units_of_document(project, id, length, coders, tags, notes);
                document_parts(&units, length, tags.len(), id)
            })
            .collect();
        Self {
            documents: documents_parts,
            coders: coders.to_vec(),
            tags: tags.to_vec(),
            document_ids: documents.to_vec(),
        }
    }

    pub(crate) fn all_documents(&self) -> Vec<usize> {
        (0..self.documents.len()).collect()
    }

    /// The measures over the documents at `sample` (indices, repeats allowed).
    pub(crate) fn estimate(&self, sample: &[usize]) -> Estimate {
        let docs: Vec<&DocumentParts> = sample.iter().map(|&i| &self.documents[i]).collect();
        let mut chars = Coincidences::default();
        for d in &docs {
            chars.merge(&d.overall_chars);
        }
        let u = merge_results(docs.iter().map(|d| &d.overall_u), |a, b| a.merge(b))
            .map(|p| p.map(|p| p.alphas()).unwrap_or_default());
        let tags: Vec<TagEstimate> = (0..self.tags.len())
            .map(|t| tag_estimate(&docs, t))
            .collect();
        let alpha_u = (0..self.tags.len())
            .map(|t| {
                merge_results(docs.iter().map(|d| &d.tags[t].unitizing), |a, b| a.merge(b))
                    .map(|p| p.map(|p| p.disagreement()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|parts| {
                let parts: Vec<Disagreement> = parts.into_iter().flatten().collect();
                combined_alpha_u(&parts)
            });
        Estimate {
            alpha: chars.alpha(),
            alpha_u,
            u,
            tags,
        }
    }

    fn counts(&self, project: &Project) -> Vec<Vec<CoderCount>> {
        (0..self.tags.len())
            .map(|t| {
                self.coders
                    .iter()
                    .enumerate()
                    .map(|(c, coder)| CoderCount {
                        coder: coder.clone(),
                        passages: project
                            .annotations
                            .iter()
                            .filter(|a| {
                                &a.coder == coder
                                    && self.document_ids.contains(&a.doc)
                                    && a.tags.contains(&self.tags[t])
                            })
                            .count(),
                        characters: self.documents.iter().map(|d| d.tags[t].covered[c]).sum(),
                    })
                    .collect()
            })
            .collect()
    }
}

fn tag_estimate(docs: &[&DocumentParts], t: usize) -> TagEstimate {
    let mut chars = Coincidences::default();
    let mut pair = Table2::default();
    let mut pair_coded = Table2::default();
    for d in docs {
        chars.merge(&d.tags[t].chars);
        pair.merge(&d.tags[t].pair);
        pair_coded.merge(&d.tags[t].pair_coded);
    }
    let two = docs.first().is_some_and(|d| d.tags[t].covered.len() == 2);
    let alpha_u = merge_results(docs.iter().map(|d| &d.tags[t].unitizing), |a, b| a.merge(b))
        .map(|p| p.and_then(|p| p.disagreement().alpha()));
    let u_alpha = merge_results(docs.iter().map(|d| &d.tags[t].u), |a, b| a.merge(b))
        .map(|p| p.and_then(|p| p.alphas().u_alpha));
    TagEstimate {
        percent: pair.percent().filter(|_| two),
        kappa: pair.kappa().filter(|_| two),
        percent_coded: pair_coded.percent().filter(|_| two),
        kappa_coded: pair_coded.kappa().filter(|_| two),
        alpha: chars.alpha(),
        alpha_u,
        u_alpha,
    }
}

/// Merges per-document parts; the first overlap found wins.
fn merge_results<'a, T: Clone + 'a>(
    parts: impl Iterator<Item = &'a Result<T, Overlap>>,
    merge: impl Fn(&mut T, &T),
) -> Result<Option<T>, Overlap> {
    let mut total: Option<T> = None;
    for part in parts {
        let part = part.as_ref().map_err(|e| *e)?;
        match &mut total {
            Some(t) => merge(t, part),
            None => total = Some(part.clone()),
        }
    }
    Ok(total)
}

/// A document's passages per coder, expanded to one unit per tag (value = the tag's index
/// among the compared tags), cut at the document's end.
fn units_of_document(
    project: &Project,
    doc: DocId,
    length: usize,
    coders: &[String],
    tags: &[TagId],
    notes: &mut Vec<String>,
) -> Vec<Vec<measures::Unit>> {
    let mut units = vec![Vec::new(); coders.len()];
    for a in project.annotations.iter().filter(|a| a.doc == doc) {
        let Some(c) = coders.iter().position(|name| name == &a.coder) else {
            continue;
        };
        if a.end > length {
            notes.push(format!(
                "passage {} ({}..{}) runs past the end of document {doc} ({length} characters); \
                 only its part inside the text counts",
                a.id, a.start, a.end
            ));
        }
        let (start, end) = (a.start.min(length), a.end.min(length));
        if start >= end {
            continue;
        }
        for tag in &a.tags {
            if let Some(v) = tags.iter().position(|t| t == tag) {
                units[c].push(measures::Unit::new(start, end, v));
            }
        }
    }
    units
}

fn document_parts(
    units: &[Vec<measures::Unit>],
    length: usize,
    tags: usize,
    doc: DocId,
) -> DocumentParts {
    let m = units.len();
    let in_doc = |overlap: Overlap| Overlap {
        document: doc,
        ..overlap
    };
    let per_tag = |t: usize| -> Vec<Vec<measures::Unit>> {
        units
            .iter()
            .map(|us| {
                us.iter()
                    .filter(|u| u.value == t)
                    .map(|u| measures::Unit::new(u.start, u.end, 0))
                    .collect()
            })
            .collect()
    };
    let mut parts = DocumentParts {
        length: length as u64,
        overall_chars: Coincidences::default(),
        overall_u: UAlphaParts::of_document(units, length, tags).map_err(in_doc),
        tags: (0..tags)
            .map(|t| {
                let own = per_tag(t);
                TagParts {
                    chars: Coincidences::default(),
                    pair: Table2::default(),
                    pair_coded: Table2::default(),
                    unitizing: UnitizingParts::of_document(&own, length).map_err(in_doc),
                    u: UAlphaParts::of_document(&own, length, 1).map_err(in_doc),
                    covered: vec![0; m],
                }
            })
            .collect(),
    };
    sweep_characters(units, length, tags, &mut parts);
    parts
}

/// Walks the document in runs of characters where no coder's set of tags changes, adding
/// each run to the character-level tallies.
fn sweep_characters(
    units: &[Vec<measures::Unit>],
    length: usize,
    tags: usize,
    parts: &mut DocumentParts,
) {
    let m = units.len();
    // (position, coder, tag, +1 at a start / −1 at an end)
    let mut events: Vec<(usize, usize, usize, i32)> = Vec::new();
    for (c, us) in units.iter().enumerate() {
        for u in us {
            events.push((u.start, c, u.value, 1));
            events.push((u.end, c, u.value, -1));
        }
    }
    events.sort_unstable();
    let mut active = vec![vec![0i32; tags]; m];
    let mut at = 0;
    let mut next = 0;
    while at < length {
        while next < events.len() && events[next].0 <= at {
            let (_, c, t, delta) = events[next];
            active[c][t] += delta;
            next += 1;
        }
        let until = events.get(next).map_or(length, |e| e.0.min(length));
        let width = (until - at) as u64;
        let sets: Vec<Vec<usize>> = active
            .iter()
            .map(|a| (0..tags).filter(|&t| a[t] > 0).collect())
            .collect();
        add_run(&sets, width, parts);
        at = until;
    }
}

fn add_run(sets: &[Vec<usize>], width: u64, parts: &mut DocumentParts) {
    let any_coded = sets.iter().any(|s| !s.is_empty());
    parts.overall_chars.add_unit(sets, width as f64);
    for (t, tag) in parts.tags.iter_mut().enumerate() {
        let coded: Vec<bool> = sets.iter().map(|s| s.contains(&t)).collect();
        tag.chars.add_unit(&coded, width as f64);
        if let [first, second] = coded[..] {
            tag.pair.add(first, second, width);
            if any_coded {
                tag.pair_coded.add(first, second, width);
            }
        }
        for (c, &is) in coded.iter().enumerate() {
            if is {
                tag.covered[c] += width;
            }
        }
    }
}

impl TagEstimate {
    fn reasons(&self, coders: usize, names: &[String]) -> BTreeMap<String, String> {
        let mut reasons = BTreeMap::new();
        if coders != 2 {
            let why = format!("defined for two coders; {coders} are compared");
            reasons.insert("percent".to_owned(), why.clone());
            reasons.insert("kappa".to_owned(), why);
        } else if self.kappa.is_none() {
            reasons.insert(
                "kappa".to_owned(),
                "no variation: both coders gave every character the same value".to_owned(),
            );
        }
        if self.alpha.is_none() {
            reasons.insert("alpha".to_owned(), NO_VARIATION.to_owned());
        }
        unitizing_reason(&mut reasons, "alpha_u", &self.alpha_u, names);
        unitizing_reason(&mut reasons, "u_alpha", &self.u_alpha, names);
        reasons
    }
}

const NO_VARIATION: &str =
    "no variation: nobody coded with it, or every character carries it for every coder";

fn unitizing_reason(
    reasons: &mut BTreeMap<String, String>,
    measure: &str,
    value: &Result<Option<f64>, Overlap>,
    names: &[String],
) {
    match value {
        Ok(Some(_)) => {}
        Ok(None) => {
            reasons.insert(measure.to_owned(), NO_VARIATION.to_owned());
        }
        Err(overlap) => {
            reasons.insert(measure.to_owned(), describe_overlap(overlap, names));
        }
    }
}

/// For people: which coder's passages overlap where.
pub fn describe_overlap(overlap: &Overlap, names: &[String]) -> String {
    let name = names.get(overlap.coder).map_or("?", String::as_str);
    if overlap.first == overlap.second {
        return format!(
            "{name}'s passage {}..{} in document {} carries more than one of the tags compared; \
             unitizing measures over several tags need one tag per stretch of text",
            overlap.first.0, overlap.first.1, overlap.document
        );
    }
    format!(
        "{name}'s passages {}..{} and {}..{} in document {} overlap; unitizing measures need \
         one coder's passages with the values compared to lie apart",
        overlap.first.0, overlap.first.1, overlap.second.0, overlap.second.1, overlap.document
    )
}

impl Estimate {
    fn reasons(&self, names: &[String]) -> BTreeMap<String, String> {
        let mut reasons = BTreeMap::new();
        if self.alpha.is_none() {
            reasons.insert("alpha".to_owned(), NO_VARIATION.to_owned());
        }
        unitizing_reason(&mut reasons, "alpha_u", &self.alpha_u, names);
        let u = |f: fn(&measures::UAlphas) -> Option<f64>| self.u.as_ref().map(f).map_err(|e| *e);
        unitizing_reason(&mut reasons, "u_alpha", &u(|u| u.u_alpha), names);
        unitizing_reason(
            &mut reasons,
            "binary_u_alpha",
            &u(|u| u.binary_u_alpha),
            names,
        );
        unitizing_reason(&mut reasons, "cu_alpha", &u(|u| u.cu_alpha), names);
        reasons
    }
}
