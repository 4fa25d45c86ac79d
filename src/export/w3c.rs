//! W3C Web Annotation Data Model (JSON-LD): one `AnnotationCollection` whose page holds an
//! `Annotation` per passage. Tags are `tagging` bodies, the note a `commenting` body; the
//! target names the document by its path and selects the passage twice, by position
//! (`TextPositionSelector`, in code points as the model counts characters) and by quote
//! (`TextQuoteSelector`, with up to 32 characters of context on each side).

use serde_json::{Value, json};

use super::table::passages_in_reading_order;
use super::{Corpus, ExportError, qdpx::passage_guid, stable_uuid};
use crate::model::Annotation;

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

pub fn export(corpus: &Corpus) -> Result<Vec<u8>, ExportError> {
    let mut bytes = serde_json::to_vec_pretty(&collection(corpus))?;
    bytes.push(b'\n');
    Ok(bytes)
}

pub fn collection(corpus: &Corpus) -> Value {
    let project = corpus.project;
    let items: Vec<Value> = passages_in_reading_order(project)
        .into_iter()
        .map(|annotation| annotation_json(corpus, annotation))
        .collect();
    json!({
        "@context": CONTEXT,
        "id": format!("urn:uuid:{}", stable_uuid(&project.name, "collection", "passages")),
        "type": "AnnotationCollection",
        "label": project.name,
        "total": items.len(),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    })
}

fn annotation_json(corpus: &Corpus, annotation: &Annotation) -> Value {
    let project = corpus.project;
    let mut bodies: Vec<Value> = annotation
        .tags
        .iter()
        .map(|tag| {
            json!({
                "type": "TextualBody",
                "purpose": "tagging",
                "value": super::tag_name(project, *tag),
            })
        })
        .collect();
    if !annotation.note.is_empty() {
        bodies.push(json!({
            "type": "TextualBody",
            "purpose": "commenting",
            "format": "text/plain",
            "value": annotation.note,
        }));
    }

    let mut quote_selector = json!({
        "type": "TextQuoteSelector",
        "exact": annotation.quote,
    });
    // Context comes from the text only when the passage still sits on its quote; otherwise
    // the characters around the stored positions would describe some other passage.
    if let Some(text) = corpus.anchored_text(annotation) {
        let (prefix, suffix) = crate::anchor::context(text, annotation.start, annotation.end);
        if !prefix.is_empty() {
            quote_selector["prefix"] = json!(prefix);
        }
        if !suffix.is_empty() {
            quote_selector["suffix"] = json!(suffix);
        }
    }

    let source = project
        .document(annotation.doc)
        .map_or_else(String::new, |d| d.path.clone());
    let mut value = json!({
        "id": format!("urn:uuid:{}", passage_guid(project, annotation.id)),
        "type": "Annotation",
        "motivation": if annotation.tags.is_empty() { "commenting" } else { "classifying" },
        "target": {
            "source": source,
            "selector": [
                {
                    "type": "TextPositionSelector",
                    "start": annotation.start,
                    "end": annotation.end,
                },
                quote_selector,
            ],
        },
    });
    if !bodies.is_empty() {
        value["body"] = Value::Array(bodies);
    }
    if !annotation.coder.is_empty() {
        value["creator"] = json!({ "type": "Person", "name": annotation.coder });
    }
    if !annotation.created.is_empty() {
        value["created"] = json!(annotation.created);
    }
    value
}
