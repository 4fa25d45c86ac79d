//! A REFI-QDA project (`.qdpx`): a zip holding `project.qde` (QDA-XML, namespace
//! `urn:QDA-XML:project:1.0`) and each document's text as `sources/<guid>.txt`, so that
//! ATLAS.ti, MAXQDA, NVivo, QualCoder and others can open the coding.
//!
//! Positions are character offsets (code points) into the `.txt` files, which hold each text
//! exactly as Marginalia counts it (line ends included): the standard's reading. Written for a
//! named program ([`export_for`]), they are counted as that program counts them (UTF-16 units
//! for NVivo, CR LF as one for ATLAS.ti) and passage notes go where it reads them (a
//! selection's `Description` for QualCoder). Every `Note` carries a `creationDateTime`, which
//! QualCoder's importer needs. Document attributes become `Variables` with a value on each
//! source. Cases (a transcript's speakers) become `Cases` with their values, each referring
//! to its turns, written as selections without codings (`SelectionRef`). GUIDs are
//! name-based UUIDs of the project name and the item, so exporting twice gives the same
//! identifiers.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::qdc::{code_guid, origin, write_codes};
use super::xml::{XmlOut, is_xsd_date_time};
use super::{Corpus, ExportError, excerpt, stable_uuid};
use crate::model::{Annotation, Attribute, AttributeKind, DocId, DocumentText, Project};
use crate::qda_tools::{PositionMap, PositionUnit, QdaTool};

pub const NAMESPACE: &str = "urn:QDA-XML:project:1.0";
const FORMAT_NAME: &str = "REFI-QDA project";

/// The GUID of a passage: its `PlainTextSelection` here, and the `urn:uuid:` of its W3C
/// annotation, so that one passage has one identity in every export.
pub fn passage_guid(project: &Project, passage: u32) -> String {
    stable_uuid(&project.name, "passage", passage).to_string()
}

pub fn source_guid(project: &Project, doc: DocId) -> String {
    stable_uuid(&project.name, "source", doc).to_string()
}

fn user_guid(project: &Project, coder: &str) -> String {
    stable_uuid(&project.name, "user", coder).to_string()
}

fn note_guid(project: &Project, owner: &str) -> String {
    stable_uuid(&project.name, "note", owner).to_string()
}

fn variable_guid(project: &Project, attribute: u32) -> String {
    stable_uuid(&project.name, "variable", attribute).to_string()
}

fn case_guid(project: &Project, case: crate::model::CaseId) -> String {
    stable_uuid(&project.name, "case", case).to_string()
}

/// The selection that marks turn `index` of document `doc`.
fn turn_guid(project: &Project, doc: DocId, index: usize) -> String {
    stable_uuid(&project.name, "turn", format!("{doc}-{index}")).to_string()
}

/// The project as a `.qdpx` archive, positions in code points (the standard's reading).
pub fn export(corpus: &Corpus) -> Result<Vec<u8>, ExportError> {
    export_for(corpus, None)
}

/// The project as a `.qdpx` archive for a named program (`None`: the standard's reading).
pub fn export_for(corpus: &Corpus, tool: Option<QdaTool>) -> Result<Vec<u8>, ExportError> {
    let (qde, sources) = project_qde_and_sources(corpus, tool)?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        // A fixed time keeps the archive a pure function of the project.
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("project.qde", options)?;
    zip.write_all(&qde)?;
    for (name, text) in sources {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// `project.qde` alone (the XML inside the archive).
pub fn project_qde(corpus: &Corpus) -> Result<Vec<u8>, ExportError> {
    project_qde_for(corpus, None)
}

/// `project.qde` alone, for a named program.
pub fn project_qde_for(corpus: &Corpus, tool: Option<QdaTool>) -> Result<Vec<u8>, ExportError> {
    project_qde_and_sources(corpus, tool).map(|(qde, _)| qde)
}

/// The date a note without one of its own is given: the newest passage's, else the moment
/// of the export. A date of the project's own keeps the export a function of the project.
fn fallback_note_date(project: &Project) -> String {
    project
        .annotations
        .iter()
        .map(|a| a.created.as_str())
        .filter(|c| is_xsd_date_time(c))
        .max()
        .map_or_else(crate::model::now_rfc3339, str::to_owned)
}

/// Every document needs its text, and every passage must still sit on its quote: the
/// positions are only meaningful against the text the archive carries.
fn checked_texts<'c>(corpus: &'c Corpus) -> Result<HashMap<DocId, &'c DocumentText>, ExportError> {
    let project = corpus.project;
    let mut texts = HashMap::new();
    for document in &project.documents {
        let text = corpus
            .text(document.id)
            .ok_or_else(|| ExportError::MissingText {
                id: document.id,
                title: document.title.clone(),
                path: document.path.clone(),
                format: FORMAT_NAME,
            })?;
        texts.insert(document.id, text);
    }
    for annotation in &project.annotations {
        let Some(text) = texts.get(&annotation.doc) else {
            continue;
        };
        if !crate::anchor::is_anchored(annotation, text) {
            return Err(ExportError::PassageOffText {
                passage: annotation.id,
                title: super::document_title(project, annotation.doc),
                start: annotation.start,
                end: annotation.end,
                quote: excerpt(&annotation.quote, 60),
                format: FORMAT_NAME,
            });
        }
    }
    Ok(texts)
}

type Sources<'c> = Vec<(String, &'c str)>;

fn project_qde_and_sources<'c>(
    corpus: &'c Corpus,
    tool: Option<QdaTool>,
) -> Result<(Vec<u8>, Sources<'c>), ExportError> {
    let project = corpus.project;
    let texts = checked_texts(corpus)?;
    let unit = tool.map_or(PositionUnit::CodePoints, QdaTool::position_unit);
    let notes_in_description = tool.is_some_and(QdaTool::reads_selection_memo_from_description);
    let undated = fallback_note_date(project);

    let mut coders: Vec<&str> = Vec::new();
    for annotation in &project.annotations {
        if !annotation.coder.is_empty() && !coders.contains(&annotation.coder.as_str()) {
            coders.push(&annotation.coder);
        }
    }

    let mut out = XmlOut::new()?;
    // Named in the origin, so that reading the archive back counts as it was written.
    let origin = match tool {
        Some(tool) => format!("{} (written for {})", origin(), tool.label()),
        None => origin(),
    };
    out.start(
        "Project",
        &[
            ("xmlns", NAMESPACE),
            ("name", &project.name),
            ("origin", &origin),
        ],
    )?;

    if !coders.is_empty() {
        out.start("Users", &[])?;
        for coder in &coders {
            let guid = user_guid(project, coder);
            out.empty("User", &[("guid", &guid), ("name", coder)])?;
        }
        out.end("Users")?;
    }

    if !project.codebook.is_empty() {
        out.start("CodeBook", &[])?;
        write_codes(&mut out, project)?;
        out.end("CodeBook")?;
    }
    write_variables(&mut out, project)?;
    write_cases(&mut out, project)?;

    // Notes are written after the sources (schema order), but referenced from them.
    let mut notes: Vec<Note> = Vec::new();
    let mut sources = Vec::new();
    if !project.documents.is_empty() {
        out.start("Sources", &[])?;
        for document in &project.documents {
            let guid = source_guid(project, document.id);
            let internal_name = format!("{guid}.txt");
            let plain_text_path = format!("internal://{internal_name}");
            out.start(
                "TextSource",
                &[
                    ("guid", &guid),
                    ("name", &document.title),
                    ("plainTextPath", &plain_text_path),
                ],
            )?;
            let text = texts[&document.id];
            let positions = PositionMap::new(text, unit);
            for annotation in project.annotations_of(document.id) {
                let selection = SelectionOut {
                    start: positions.position_of_char(annotation.start),
                    end: positions.position_of_char(annotation.end),
                    note_in_description: notes_in_description,
                    name_is_whole_quote: tool == Some(QdaTool::QualCoder),
                };
                write_selection(&mut out, project, annotation, &selection, &mut notes)?;
            }
            // A speaker's turns, for the cases to refer to.
            for (index, turn) in document.turns.iter().enumerate() {
                if turn.speaker.is_none() {
                    continue;
                }
                let guid = turn_guid(project, document.id, index);
                let start = positions.position_of_char(turn.start).to_string();
                let end = positions.position_of_char(turn.end).to_string();
                out.empty(
                    "PlainTextSelection",
                    &[
                        ("guid", guid.as_str()),
                        ("startPosition", start.as_str()),
                        ("endPosition", end.as_str()),
                    ],
                )?;
            }
            if !document.memo.is_empty() {
                let note = Note {
                    guid: note_guid(project, &format!("document-{}", document.id)),
                    name: format!("Memo on “{}”", document.title),
                    text: &document.memo,
                    creator: None,
                    created: None,
                };
                out.empty("NoteRef", &[("targetGUID", &note.guid)])?;
                notes.push(note);
            }
            write_variable_values(&mut out, project, &document.attributes)?;
            out.end("TextSource")?;
            sources.push((
                format!("sources/{internal_name}"),
                texts[&document.id].as_str(),
            ));
        }
        out.end("Sources")?;
    }

    let project_note = (!project.memo.is_empty()).then(|| Note {
        guid: note_guid(project, "project"),
        name: format!("Memo on {}", project.name),
        text: &project.memo,
        creator: None,
        created: None,
    });
    if let Some(note) = &project_note {
        notes.push(note.clone());
    }
    if !notes.is_empty() {
        out.start("Notes", &[])?;
        for note in &notes {
            let mut attributes = vec![("guid", note.guid.as_str()), ("name", note.name.as_str())];
            let creator = note.creator.map(|coder| user_guid(project, coder));
            if let Some(creator) = &creator {
                attributes.push(("creatingUser", creator));
            }
            attributes.push(("creationDateTime", note.created.unwrap_or(&undated)));
            out.start("Note", &attributes)?;
            out.text_element("PlainTextContent", note.text)?;
            out.end("Note")?;
        }
        out.end("Notes")?;
    }
    if let Some(note) = &project_note {
        out.empty("NoteRef", &[("targetGUID", &note.guid)])?;
    }
    out.end("Project")?;
    Ok((out.finish(), sources))
}

#[derive(Clone)]
struct Note<'p> {
    guid: String,
    name: String,
    text: &'p str,
    creator: Option<&'p str>,
    created: Option<&'p str>,
}

/// A passage as one program reads it: its positions in that program's unit, and where its
/// note goes.
struct SelectionOut {
    start: usize,
    end: usize,
    note_in_description: bool,
    name_is_whole_quote: bool,
}

fn write_selection<'p>(
    out: &mut XmlOut,
    project: &'p Project,
    annotation: &'p Annotation,
    selection: &SelectionOut,
    notes: &mut Vec<Note<'p>>,
) -> std::io::Result<()> {
    let guid = passage_guid(project, annotation.id);
    // QualCoder writes, and reads, the whole selected text here; others take a short label.
    let name = if selection.name_is_whole_quote {
        annotation.quote.clone()
    } else {
        excerpt(
            &annotation
                .quote
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            80,
        )
    };
    let start = selection.start.to_string();
    let end = selection.end.to_string();
    let creator = (!annotation.coder.is_empty()).then(|| user_guid(project, &annotation.coder));
    let created = is_xsd_date_time(&annotation.created).then_some(annotation.created.as_str());
    let mut who_and_when: Vec<(&str, &str)> = Vec::new();
    if let Some(creator) = &creator {
        who_and_when.push(("creatingUser", creator));
    }
    if let Some(created) = created {
        who_and_when.push(("creationDateTime", created));
    }

    let mut attributes = vec![
        ("guid", guid.as_str()),
        ("name", name.as_str()),
        ("startPosition", start.as_str()),
        ("endPosition", end.as_str()),
    ];
    attributes.extend(who_and_when.iter().copied());
    out.start("PlainTextSelection", &attributes)?;
    if selection.note_in_description && !annotation.note.is_empty() {
        out.text_element("Description", &annotation.note)?;
    }
    for tag in &annotation.tags {
        if project.tag(*tag).is_none() {
            continue;
        }
        let coding_guid =
            stable_uuid(&project.name, "coding", format!("{}-{tag}", annotation.id)).to_string();
        let mut attributes = vec![("guid", coding_guid.as_str())];
        attributes.extend(who_and_when.iter().copied());
        out.start("Coding", &attributes)?;
        out.empty("CodeRef", &[("targetGUID", &code_guid(project, *tag))])?;
        out.end("Coding")?;
    }
    if !annotation.note.is_empty() && !selection.note_in_description {
        let note = Note {
            guid: note_guid(project, &format!("passage-{}", annotation.id)),
            name: format!("Note on passage {}", annotation.id),
            text: &annotation.note,
            creator: (!annotation.coder.is_empty()).then_some(annotation.coder.as_str()),
            created,
        };
        out.empty("NoteRef", &[("targetGUID", &note.guid)])?;
        notes.push(note);
    }
    out.end("PlainTextSelection")
}

/// How an attribute's values are typed in QDA-XML: a number attribute whose every value is a
/// whole number is an `Integer` (MAXQDA and QualCoder show it as one), other numbers `Float`.
fn variable_type(project: &Project, attribute: &Attribute) -> &'static str {
    match &attribute.kind {
        AttributeKind::Number => {
            let whole = project
                .documents
                .iter()
                .map(|d| &d.attributes)
                .chain(project.cases.iter().map(|c| &c.attributes))
                .filter_map(|values| values.get(&attribute.id))
                .all(|v| {
                    v.trim_start_matches(['-', '+'])
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                });
            if whole { "Integer" } else { "Float" }
        }
        AttributeKind::Date => "Date",
        AttributeKind::Text | AttributeKind::Choice(_) => "Text",
    }
}

fn write_variables(out: &mut XmlOut, project: &Project) -> std::io::Result<()> {
    if project.attributes.is_empty() {
        return Ok(());
    }
    out.start("Variables", &[])?;
    for attribute in &project.attributes {
        let guid = variable_guid(project, attribute.id);
        let attributes = [
            ("guid", guid.as_str()),
            ("name", attribute.name.as_str()),
            ("typeOfVariable", variable_type(project, attribute)),
        ];
        if attribute.description.is_empty() {
            out.empty("Variable", &attributes)?;
        } else {
            out.start("Variable", &attributes)?;
            out.text_element("Description", &attribute.description)?;
            out.end("Variable")?;
        }
    }
    out.end("Variables")
}

/// Each case with its memo, values and the selections of its turns.
fn write_cases(out: &mut XmlOut, project: &Project) -> std::io::Result<()> {
    if project.cases.is_empty() {
        return Ok(());
    }
    out.start("Cases", &[])?;
    for case in &project.cases {
        let guid = case_guid(project, case.id);
        out.start(
            "Case",
            &[("guid", guid.as_str()), ("name", case.name.as_str())],
        )?;
        if !case.memo.is_empty() {
            out.text_element("Description", &case.memo)?;
        }
        write_variable_values(out, project, &case.attributes)?;
        for document in &project.documents {
            for (index, turn) in document.turns.iter().enumerate() {
                if turn.speaker == Some(case.id) {
                    let turn = turn_guid(project, document.id, index);
                    out.empty("SelectionRef", &[("targetGUID", turn.as_str())])?;
                }
            }
        }
        out.end("Case")?;
    }
    out.end("Cases")
}

fn write_variable_values(
    out: &mut XmlOut,
    project: &Project,
    values: &std::collections::BTreeMap<crate::model::AttributeId, String>,
) -> std::io::Result<()> {
    for attribute in &project.attributes {
        let Some(value) = values.get(&attribute.id) else {
            continue;
        };
        let element = match variable_type(project, attribute) {
            "Integer" => "IntegerValue",
            "Float" => "FloatValue",
            "Date" => "DateValue",
            _ => "TextValue",
        };
        // xsd:decimal has no exponent: a number written "1e3" goes as text rather than
        // making the file invalid.
        let element = if element == "FloatValue" && value.contains(['e', 'E']) {
            "TextValue"
        } else {
            element
        };
        out.start("VariableValue", &[])?;
        out.empty(
            "VariableRef",
            &[("targetGUID", &variable_guid(project, attribute.id))],
        )?;
        out.text_element(element, value.trim())?;
        out.end("VariableValue")?;
    }
    Ok(())
}
