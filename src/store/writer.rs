//! The project file's text, written directly in the layout of ron's pretty printer with the
//! settings `project_to_ron` documents (struct names, 4-space indent, depth limit 2).
//!
//! ron escapes strings one character at a time through `fmt::Write`, which made saving a
//! 100,000-passage project take over half a second; this writer copies unescaped runs whole.
//! The tests hold it to byte-for-byte equality with ron's own output.

use std::fmt::Write;

use crate::model::{Annotation, Document, IdCounters, Project, Tag};

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
    let mut out = String::with_capacity(quotes + annotations.len() * 160 + 4096);
    out.push_str("Project(\n");
    let _ = writeln!(out, "    format: {},", project.format);
    out.push_str("    name: ");
    escaped(&mut out, &project.name);
    out.push_str(",\n");
    list(&mut out, "codebook", &project.codebook, tag);
    list(&mut out, "documents", &project.documents, document);
    list(&mut out, "annotations", annotations, |out, a| {
        annotation(out, a)
    });
    if !project.memo.is_empty() {
        out.push_str("    memo: ");
        escaped(&mut out, &project.memo);
        out.push_str(",\n");
    }
    if let Some(ids) = ids {
        let _ = write!(
            out,
            "    ids: Ids(\n        tag: {},\n        document: {},\n        annotation: {},\n    ),\n",
            ids.tag, ids.document, ids.annotation
        );
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
    let _ = write!(out, "Tag(id: {}, name: ", tag.id);
    escaped(out, &tag.name);
    out.push_str(", color: ");
    escaped(out, &tag.color);
    out.push_str(", key: ");
    escaped(out, &tag.key);
    out.push_str(", description: ");
    escaped(out, &tag.description);
    if let Some(parent) = tag.parent {
        let _ = write!(out, ", parent: Some({parent})");
    }
    out.push(')');
}

fn document(out: &mut String, document: &Document) {
    let _ = write!(out, "Document(id: {}, path: ", document.id);
    escaped(out, &document.path);
    out.push_str(", title: ");
    escaped(out, &document.title);
    out.push_str(", sha256: ");
    escaped(out, &document.sha256);
    let _ = write!(out, ", chars: {}", document.chars);
    if !document.memo.is_empty() {
        out.push_str(", memo: ");
        escaped(out, &document.memo);
    }
    if let Some(origin) = &document.origin {
        out.push_str(", origin: Some(");
        escaped(out, origin);
        out.push(')');
    }
    out.push(')');
}

fn annotation(out: &mut String, a: &Annotation) {
    let _ = write!(
        out,
        "Annotation(id: {}, doc: {}, start: {}, end: {}, tags: [",
        a.id, a.doc, a.start, a.end
    );
    for (i, tag) in a.tags.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{tag}");
    }
    out.push_str("], quote: ");
    escaped(out, &a.quote);
    out.push_str(", note: ");
    escaped(out, &a.note);
    out.push_str(", coder: ");
    escaped(out, &a.coder);
    out.push_str(", created: ");
    escaped(out, &a.created);
    // As ron writes them: left out when empty.
    if !a.prefix.is_empty() {
        out.push_str(", prefix: ");
        escaped(out, &a.prefix);
    }
    if !a.suffix.is_empty() {
        out.push_str(", suffix: ");
        escaped(out, &a.suffix);
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
