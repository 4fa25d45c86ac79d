//! A small XML tree of `project.qde`: element names without namespace prefixes, attributes,
//! children and text, read with quick-xml; errors name the entry, line and column.

use quick_xml::events::Event;

use super::MAX_XML_DEPTH;

/// An element of `project.qde`, names without namespace prefixes.
#[derive(Debug, Default)]
pub(super) struct Element {
    pub(super) name: String,
    pub(super) attributes: Vec<(String, String)>,
    pub(super) children: Vec<Element>,
    pub(super) text: String,
}

impl Element {
    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub(super) fn children_named<'e>(
        &'e self,
        name: &'e str,
    ) -> impl DoubleEndedIterator<Item = &'e Element> + 'e {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub(super) fn child(&self, name: &str) -> Option<&Element> {
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
            _ => self.name.clone(),
        }
    }
}

fn local_name(qualified: &[u8]) -> String {
    let local = match qualified.iter().position(|b| *b == b':') {
        Some(colon) => &qualified[colon + 1..],
        None => qualified,
    };
    String::from_utf8_lossy(local).into_owned()
}

pub(super) fn parse_xml(bytes: &[u8], entry: &str) -> Result<Element, String> {
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
                    local_name(start.name().as_ref())
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
                    name: local_name(start.name().as_ref()),
                    ..Default::default()
                };
                for attribute in start.attributes() {
                    let attribute =
                        attribute.map_err(|e| format!("{}: malformed attribute: {e}", at()))?;
                    let value = attribute
                        .unescape_value()
                        .map_err(|e| format!("{}: malformed attribute value: {e}", at()))?;
                    element
                        .attributes
                        .push((local_name(attribute.key.as_ref()), value.into_owned()));
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
