//! A small XML tree of `project.qde`: element names without namespace prefixes, attributes,
//! children and text, read with quick-xml; errors name the entry, line and column.

use std::borrow::Cow;

use quick_xml::events::Event;

use super::MAX_XML_DEPTH;

/// An element of `project.qde`, names without namespace prefixes. Names and attribute values borrow from the document's text
/// where they need no unescaping (nearly always), so that a 100,000-coding project is not
/// millions of small allocations.
#[derive(Debug, Default)]
pub(super) struct Element<'x> {
    pub(super) name: Cow<'x, str>,
    pub(super) attributes: Vec<(Cow<'x, str>, Cow<'x, str>)>,
    pub(super) children: Vec<Element<'x>>,
    pub(super) text: String,
}

impl<'x> Element<'x> {
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_ref())
    }

    pub(super) fn children_named<'e>(
        &'e self,
        name: &'e str,
    ) -> impl DoubleEndedIterator<Item = &'e Element<'x>> + 'e {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub(super) fn child(&self, name: &str) -> Option<&Element<'x>> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(super) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// How to name this element in an error: its name attribute, else its GUID.
    pub(super) fn describe(&self) -> String {
        match (self.attribute("name"), self.attribute("guid")) {
            (Some(name), _) if !name.is_empty() => format!("{} “{name}”", self.name),
            (_, Some(guid)) => format!("{} {guid}", self.name),
            _ => self.name.to_string(),
        }
    }
}

fn local_name(qualified: &[u8]) -> &[u8] {
    match qualified.iter().position(|b| *b == b':') {
        Some(colon) => &qualified[colon + 1..],
        None => qualified,
    }
}

/// `part` as a slice of `document` with the document's lifetime, when it lies inside it (the
/// parser hands out slices of its input that borrow the event, not the input); otherwise a
/// copy.
fn borrowed<'x>(document: &'x str, part: &[u8]) -> Cow<'x, str> {
    let start = (part.as_ptr() as usize).wrapping_sub(document.as_ptr() as usize);
    match document.get(start..start.wrapping_add(part.len())) {
        Some(slice) if slice.as_bytes().as_ptr() == part.as_ptr() => Cow::Borrowed(slice),
        _ => Cow::Owned(String::from_utf8_lossy(part).into_owned()),
    }
}

pub(super) fn parse_xml<'x>(bytes: &'x [u8], entry: &str) -> Result<Element<'x>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "{entry} is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = quick_xml::Reader::from_str(text);
    let position_of = |offset: u64| {
        // The reader's offsets may fall inside a character (a second byte-order mark, which
        // the reader skips on its own): count from the start of that character.
        let mut end = (offset as usize).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{entry}:{line}:{column}")
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "{}: malformed XML: {e}",
                position_of(reader.error_position())
            )
        })?;
        let at = || position_of(reader.buffer_position());
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                return Err(format!(
                    "{}: element <{}> after the end of the document",
                    at(),
                    String::from_utf8_lossy(local_name(start.name().as_ref()))
                ));
            }
            Event::Start(ref start) | Event::Empty(ref start) => {
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(format!(
                        "{}: elements nest more than {MAX_XML_DEPTH} deep",
                        at()
                    ));
                }
                let mut element = Element {
                    name: borrowed(text, local_name(start.name().as_ref())),
                    ..Default::default()
                };
                for attribute in start.attributes() {
                    let attribute =
                        attribute.map_err(|e| format!("{}: malformed attribute: {e}", at()))?;
                    let value = attribute
                        .unescape_value()
                        .map_err(|e| format!("{}: malformed attribute value: {e}", at()))?;
                    let value = match value {
                        Cow::Borrowed(value) => borrowed(text, value.as_bytes()),
                        Cow::Owned(value) => Cow::Owned(value),
                    };
                    element
                        .attributes
                        .push((borrowed(text, local_name(attribute.key.as_ref())), value));
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(element);
                } else {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => root = Some(element),
                    }
                }
            }
            Event::End(_) => {
                let element = stack
                    .pop()
                    .ok_or_else(|| format!("{}: a closing tag with no opening tag", at()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(content) => {
                if let Some(current) = stack.last_mut() {
                    let content = content
                        .xml10_content()
                        .map_err(|e| format!("{}: {e}", at()))?;
                    current.text.push_str(&content);
                }
            }
            Event::CData(content) => {
                if let Some(current) = stack.last_mut() {
                    let content = content
                        .xml10_content()
                        .map_err(|e| format!("{}: {e}", at()))?;
                    current.text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                let character = match reference
                    .resolve_char_ref()
                    .map_err(|e| format!("{}: {e}", at()))?
                {
                    Some(character) => character,
                    None => {
                        let name = reference.decode().map_err(|e| format!("{}: {e}", at()))?;
                        match name.as_ref() {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => {
                                return Err(format!(
                                    "{}: unknown entity “&{other};” (QDA-XML uses only XML's own)",
                                    at()
                                ));
                            }
                        }
                    }
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push(character);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "{entry} ends before the element <{}> is closed",
            open.name
        ));
    }
    root.ok_or_else(|| format!("{entry} holds no XML element"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_and_values_borrow_the_document_and_escaped_ones_are_unescaped() {
        let xml = br#"<q:Project xmlns:q="urn:QDA-XML:project:1.0"><q:Code name="plain" note="a &amp; b &#x5D0;">x &lt; y</q:Code></q:Project>"#;
        let root = parse_xml(xml, "project.qde").unwrap();
        assert_eq!(root.name, "Project");
        assert!(matches!(root.name, Cow::Borrowed(_)));
        let code = root.child("Code").unwrap();
        assert_eq!(code.attribute("name"), Some("plain"));
        assert!(matches!(code.attributes[0].1, Cow::Borrowed(_)));
        assert_eq!(code.attribute("note"), Some("a & b \u{5d0}"));
        assert!(matches!(code.attributes[1].1, Cow::Owned(_)));
        assert_eq!(code.text, "x < y");
    }

    #[test]
    fn a_slice_from_elsewhere_is_copied_not_reinterpreted() {
        let document = "<a/>";
        let elsewhere = String::from("name");
        assert!(
            matches!(borrowed(document, elsewhere.as_bytes()), Cow::Owned(ref s) if s == "name")
        );
        assert!(matches!(
            borrowed(document, &document.as_bytes()[1..2]),
            Cow::Borrowed("a")
        ));
    }
}
