//! The codebook alone as a REFI-QDA codebook file (`.qdc`, namespace
//! `urn:QDA-XML:codebook:1.0`), for sharing a coding scheme between QDA programs.
//! Code GUIDs are the same as in the `.qdpx` export of the same project.

use std::collections::{HashMap, HashSet};
use std::io;

use super::xml::XmlOut;
use super::{Corpus, ExportError, stable_uuid};
use crate::model::{Project, Tag, TagId, parse_hex_color};

pub const NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

/// What the files say made them.
pub fn origin() -> String {
    format!("Marginalia {}", env!("CARGO_PKG_VERSION"))
}

pub fn export(corpus: &Corpus) -> Result<Vec<u8>, ExportError> {
    let project = corpus.project;
    if project.codebook.is_empty() {
        return Err(ExportError::EmptyCodebook {
            format: "REFI-QDA codebook",
        });
    }
    let mut out = XmlOut::new()?;
    out.start("CodeBook", &[("xmlns", NAMESPACE), ("origin", &origin())])?;
    write_codes(&mut out, project)?;
    out.end("CodeBook")?;
    Ok(out.finish())
}

/// The GUID of a tag's code, shared by the `.qdc` and `.qdpx` exports.
pub fn code_guid(project: &Project, tag: TagId) -> String {
    stable_uuid(&project.name, "code", tag).to_string()
}

/// A colour in the schema's `#RRGGBB` form, or `None` when the project holds something else
/// (the attribute is optional, and an invalid one would make the file invalid).
pub fn code_color(tag: &Tag) -> Option<String> {
    parse_hex_color(&tag.color).map(|[r, g, b]| format!("#{r:02X}{g:02X}{b:02X}"))
}

/// `<Codes>` with every tag, nested under its parent. The same shape is valid in both the
/// codebook and the project schema (neither needs anything between Description and Code).
pub fn write_codes(out: &mut XmlOut, project: &Project) -> io::Result<()> {
    let known: HashSet<TagId> = project.codebook.iter().map(|t| t.id).collect();
    // A parent that is missing, or the tag itself, makes a tag a top-level code.
    let effective_parent = |tag: &Tag| tag.parent.filter(|p| *p != tag.id && known.contains(p));
    let mut children: HashMap<TagId, Vec<&Tag>> = HashMap::new();
    for tag in &project.codebook {
        if let Some(parent) = effective_parent(tag) {
            children.entry(parent).or_default().push(tag);
        }
    }
    let mut written: HashSet<TagId> = HashSet::new();
    out.start("Codes", &[])?;
    let roots = project
        .codebook
        .iter()
        .filter(|t| effective_parent(t).is_none());
    for root in roots {
        write_code_tree(out, project, root, &children, &mut written)?;
    }
    // Tags whose parents form a cycle are reached from no root; they still belong in the
    // codebook, so each such cycle is cut at its first tag.
    for tag in &project.codebook {
        if !written.contains(&tag.id) {
            write_code_tree(out, project, tag, &children, &mut written)?;
        }
    }
    out.end("Codes")
}

/// One code and its descendants, depth first without recursion (a hand-edited project may
/// nest deeply).
fn write_code_tree<'a>(
    out: &mut XmlOut,
    project: &Project,
    root: &'a Tag,
    children: &HashMap<TagId, Vec<&'a Tag>>,
    written: &mut HashSet<TagId>,
) -> io::Result<()> {
    let open = |out: &mut XmlOut, tag: &Tag, written: &mut HashSet<TagId>| {
        written.insert(tag.id);
        let guid = code_guid(project, tag.id);
        let color = code_color(tag);
        let mut attributes = vec![
            ("guid", guid.as_str()),
            ("name", tag.name.as_str()),
            ("isCodable", "true"),
        ];
        if let Some(color) = &color {
            attributes.push(("color", color.as_str()));
        }
        out.start("Code", &attributes)?;
        if !tag.description.is_empty() {
            out.text_element("Description", &tag.description)?;
        }
        io::Result::Ok(())
    };
    open(out, root, written)?;
    // Each frame: a code whose element is open, and how many of its children were looked at.
    let mut stack: Vec<(&Tag, usize)> = vec![(root, 0)];
    while let Some((tag, next)) = stack.last_mut() {
        let kids = children.get(&tag.id).map(Vec::as_slice).unwrap_or(&[]);
        match kids[*next..].iter().position(|k| !written.contains(&k.id)) {
            Some(offset) => {
                let kid = kids[*next + offset];
                *next += offset + 1;
                open(out, kid, written)?;
                stack.push((kid, 0));
            }
            None => {
                stack.pop();
                out.end("Code")?;
            }
        }
    }
    Ok(())
}
