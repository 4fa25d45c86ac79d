//! The project file's text, written directly in the layout of ron's pretty printer with the
//! settings `project_to_ron` documents (struct names, 4-space indent, depth limit 2).
//!
//! ron escapes strings one character at a time through `fmt::Write`, which made saving a
//! 100,000-passage project take over half a second; this writer copies unescaped runs whole.
//! The tests hold it to byte-for-byte equality with ron's own output.

use std::fmt::Write;

use crate::model::{
    Annotation, Attribute, AttributeKind, Case, Document, IdCounters, Project, Tag, TextDirection,
    Turn,
};

/// `annotations` in the order to write them; `ids` when the counters must be written.
pub(super) fn write_project(
    project: &Project,
    annotations: &[&Annotation],
    ids: Option<&IdCounters>,
) -> String {
    let quotes: usize = annotations
        .iter()
        .map(|a| a.quote.len() + a.note.len())
        .sum();
    // Every struct is taken apart field by field, without `..`: a field added to the model
    // but not to this writer fails to compile instead of being dropped on save.
    let Project {
        format,
        name,
        codebook,
        attributes,
        cases,
        documents,
        annotations: _in_the_order_given,
        memo,
        ids: _written_when_given,
    } = project;
    let mut out = String::with_capacity(quotes + annotations.len() * 160 + 4096);
    out.push_str("Project(\n");
    let _ = writeln!(out, "    format: {format},");
    out.push_str("    name: ");
    escaped(&mut out, name);
    out.push_str(",\n");
    list(&mut out, "codebook", codebook, tag);
    // As ron writes it: left out when there are none.
    if !attributes.is_empty() {
        list(&mut out, "attributes", attributes, attribute);
    }
    if !cases.is_empty() {
        list(&mut out, "cases", cases, case);
    }
    list(&mut out, "documents", documents, document);
    list(&mut out, "annotations", annotations, |out, a| {
        annotation(out, a)
    });
    if !memo.is_empty() {
        out.push_str("    memo: ");
        escaped(&mut out, memo);
        out.push_str(",\n");
    }
    if let Some(IdCounters {
        tag,
        document,
        annotation,
        case,
    }) = ids
    {
        let _ = write!(
            out,
            "    ids: Ids(\n        tag: {tag},\n        document: {document},\n        annotation: {annotation},\n",
        );
        if *case != 0 {
            let _ = writeln!(out, "        case: {case},");
        }
        out.push_str("    ),\n");
    }
    out.push_str(")\n");
    out
}

fn list<T>(out: &mut String, name: &str, items: &[T], item: impl Fn(&mut String, &T)) {
    let _ = write!(out, "    {name}: [");
    if items.is_empty() {
        out.push_str("],\n");
        return;
    }
    out.push('\n');
    for value in items {
        out.push_str("        ");
        item(out, value);
        out.push_str(",\n");
    }
    out.push_str("    ],\n");
}

fn tag(out: &mut String, tag: &Tag) {
    let Tag {
        id,
        name,
        color,
        key,
        description,
        parent,
    } = tag;
    let _ = write!(out, "Tag(id: {id}, name: ");
    escaped(out, name);
    out.push_str(", color: ");
    escaped(out, color);
    out.push_str(", key: ");
    escaped(out, key);
    out.push_str(", description: ");
    escaped(out, description);
    if let Some(parent) = parent {
        let _ = write!(out, ", parent: Some({parent})");
    }
    out.push(')');
}

fn attribute(out: &mut String, attribute: &Attribute) {
    let Attribute {
        id,
        name,
        kind,
        description,
    } = attribute;
    let _ = write!(out, "Attribute(id: {id}, name: ");
    escaped(out, name);
    out.push_str(", kind: ");
    match kind {
        AttributeKind::Text => out.push_str("Text"),
        AttributeKind::Number => out.push_str("Number"),
        AttributeKind::Date => out.push_str("Date"),
        AttributeKind::Choice(values) => {
            out.push_str("Choice([");
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                escaped(out, value);
            }
            out.push_str("])");
        }
    }
    out.push_str(", description: ");
    escaped(out, description);
    out.push(')');
}

fn document(out: &mut String, document: &Document) {
    let Document {
        id,
        path,
        title,
        sha256,
        chars,
        memo,
        origin,
        attributes,
        direction,
        turns,
    } = document;
    let _ = write!(out, "Document(id: {id}, path: ");
    escaped(out, path);
    out.push_str(", title: ");
    escaped(out, title);
    out.push_str(", sha256: ");
    escaped(out, sha256);
    let _ = write!(out, ", chars: {chars}");
    if !memo.is_empty() {
        out.push_str(", memo: ");
        escaped(out, memo);
    }
    if let Some(origin) = origin {
        out.push_str(", origin: Some(");
        escaped(out, origin);
        out.push(')');
    }
    attribute_values(out, attributes);
    match direction {
        TextDirection::Auto => {}
        TextDirection::LeftToRight => out.push_str(", direction: LeftToRight"),
        TextDirection::RightToLeft => out.push_str(", direction: RightToLeft"),
    }
    if !turns.is_empty() {
        out.push_str(", turns: [");
        for (i, one) in turns.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            turn(out, one);
        }
        out.push(']');
    }
    out.push(')');
}

/// `, attributes: {…}` as ron writes a map inside a line; nothing when empty.
fn attribute_values(out: &mut String, attributes: &std::collections::BTreeMap<u32, String>) {
    if attributes.is_empty() {
        return;
    }
    out.push_str(", attributes: {");
    for (i, (attribute, value)) in attributes.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{attribute}: ");
        escaped(out, value);
    }
    out.push('}');
}

fn turn(out: &mut String, turn: &Turn) {
    let Turn {
        start,
        end,
        speaker,
        time_start,
        time_end,
    } = turn;
    let _ = write!(out, "Turn(start: {start}, end: {end}");
    if let Some(speaker) = speaker {
        let _ = write!(out, ", speaker: Some({speaker})");
    }
    // ron writes floats with `Debug`: the shortest text that reads back as the same number.
    if let Some(time) = time_start {
        let _ = write!(out, ", time_start: Some({time:?})");
    }
    if let Some(time) = time_end {
        let _ = write!(out, ", time_end: Some({time:?})");
    }
    out.push(')');
}

fn case(out: &mut String, case: &Case) {
    let Case {
        id,
        name,
        attributes,
        memo,
    } = case;
    let _ = write!(out, "Case(id: {id}, name: ");
    escaped(out, name);
    attribute_values(out, attributes);
    if !memo.is_empty() {
        out.push_str(", memo: ");
        escaped(out, memo);
    }
    out.push(')');
}

fn annotation(out: &mut String, annotation: &Annotation) {
    let Annotation {
        id,
        doc,
        start,
        end,
        tags,
        quote,
        note,
        coder,
        created,
        prefix,
        suffix,
        conflict,
    } = annotation;
    let _ = write!(
        out,
        "Annotation(id: {id}, doc: {doc}, start: {start}, end: {end}, tags: ["
    );
    for (i, tag) in tags.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{tag}");
    }
    out.push_str("], quote: ");
    escaped(out, quote);
    out.push_str(", note: ");
    escaped(out, note);
    out.push_str(", coder: ");
    escaped(out, coder);
    out.push_str(", created: ");
    escaped(out, created);
    // As ron writes them: left out when empty.
    if !prefix.is_empty() {
        out.push_str(", prefix: ");
        escaped(out, prefix);
    }
    if !suffix.is_empty() {
        out.push_str(", suffix: ");
        escaped(out, suffix);
    }
    if *conflict {
        out.push_str(", conflict: true");
    }
    out.push(')');
}

/// A quoted string escaped as ron does: every character through `char::escape_debug`.
/// Runs of characters that it leaves alone are copied whole.
fn escaped(out: &mut String, value: &str) {
    out.push('"');
    let bytes = value.as_bytes();
    let mut plain_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let (c, width) = if byte < 0x80 {
            if (b' '..=b'~').contains(&byte) && !matches!(byte, b'"' | b'\'' | b'\\') {
                at += 1;
                continue;
            }
            (char::from(byte), 1)
        } else {
            let c = value[at..]
                .chars()
                .next()
                .expect("`at` is on a character boundary");
            if c.escape_debug().len() == 1 {
                at += c.len_utf8();
                continue;
            }
            (c, c.len_utf8())
        };
        out.push_str(&value[plain_from..at]);
        out.extend(c.escape_debug());
        at += width;
        plain_from = at;
    }
    out.push_str(&value[plain_from..]);
    out.push('"');
}
