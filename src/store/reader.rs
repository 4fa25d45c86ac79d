//! A fast reader for project files exactly as `writer` lays them out (what Marginalia saves).
//! It gives up, returning `None`, at the first byte that differs from that layout: ron then
//! reads the file, so hand-edited files, other layouts and errors are ron's business, with
//! ron's messages. The tests hold both readers to the same result.
//!
//! ron's reader took about half a second for a 100,000-passage project; this one a fraction.

use std::collections::BTreeMap;

use crate::model::{
    Annotation, Attribute, AttributeKind, Case, Document, IdCounters, Project, Tag, TextDirection,
    Turn,
};

pub(super) fn read_canonical(text: &str) -> Option<Project> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    r.expect("Project(\n    format: ")?;
    let format = r.number()?;
    r.expect(",\n    name: ")?;
    let name = r.string()?;
    r.expect(",\n")?;
    let codebook = r.list("codebook", Reader::tag)?;
    let attributes = if r.bytes[r.at..].starts_with(b"    attributes: [") {
        r.list("attributes", Reader::attribute)?
    } else {
        Vec::new()
    };
    let cases = if r.bytes[r.at..].starts_with(b"    cases: [") {
        r.list("cases", Reader::case)?
    } else {
        Vec::new()
    };
    let documents = r.list("documents", Reader::document)?;
    let annotations = r.list("annotations", |r| r.annotation().map(Box::new))?;
    let memo = if r.take("    memo: ") {
        let memo = r.string()?;
        r.expect(",\n")?;
        memo
    } else {
        String::new()
    };
    let ids = if r.take("    ids: Ids(\n        tag: ") {
        let tag = r.number()?;
        r.expect(",\n        document: ")?;
        let document = r.number()?;
        r.expect(",\n        annotation: ")?;
        let annotation = r.number()?;
        r.expect(",\n")?;
        let case = if r.take("        case: ") {
            let case = r.number()?;
            r.expect(",\n")?;
            case
        } else {
            0
        };
        r.expect("    ),\n")?;
        IdCounters {
            tag,
            document,
            annotation,
            case,
        }
    } else {
        IdCounters::default()
    };
    r.expect(")\n")?;
    (r.at == r.bytes.len()).then_some(Project {
        cases,
        format,
        name,
        codebook,
        attributes,
        documents,
        annotations,
        memo,
        ids,
    })
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, literal: &str) -> bool {
        if self.bytes[self.at..].starts_with(literal.as_bytes()) {
            self.at += literal.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, literal: &str) -> Option<()> {
        self.take(literal).then_some(())
    }

    fn number<N: TryFrom<u64>>(&mut self) -> Option<N> {
        let start = self.at;
        let mut value: u64 = 0;
        while let Some(digit) = self.bytes.get(self.at).filter(|b| b.is_ascii_digit()) {
            value = value
                .checked_mul(10)?
                .checked_add(u64::from(digit - b'0'))?;
            self.at += 1;
        }
        // No leading zeros: "007" is not what the writer writes.
        let digits = self.at - start;
        if digits == 0 || (digits > 1 && self.bytes[start] == b'0') {
            return None;
        }
        N::try_from(value).ok()
    }

    /// A string as `char::escape_debug` writes it.
    fn string(&mut self) -> Option<String> {
        self.expect("\"")?;
        let mut value = String::new();
        loop {
            let run = self.bytes[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\')?;
            value.push_str(&self.text[self.at..self.at + run]);
            self.at += run;
            if self.take("\"") {
                return Some(value);
            }
            self.at += 1;
            let escape = *self.bytes.get(self.at)?;
            self.at += 1;
            value.push(match escape {
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'0' => '\0',
                b'\\' => '\\',
                b'\'' => '\'',
                b'"' => '"',
                b'u' => {
                    self.expect("{")?;
                    let digits = self.bytes[self.at..]
                        .iter()
                        .take(7)
                        .position(|&b| b == b'}')?;
                    let hex = &self.text[self.at..self.at + digits];
                    if digits == 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    self.at += digits + 1;
                    char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                }
                _ => return None,
            });
        }
    }

    fn list<T>(
        &mut self,
        name: &str,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.expect("    ")?;
        self.expect(name)?;
        self.expect(": [")?;
        let mut items = Vec::new();
        if self.take("],\n") {
            return Some(items);
        }
        self.expect("\n")?;
        while self.take("        ") {
            items.push(item(self)?);
            self.expect(",\n")?;
        }
        self.expect("    ],\n")?;
        (!items.is_empty()).then_some(items)
    }

    fn tag(&mut self) -> Option<Tag> {
        self.expect("Tag(id: ")?;
        let id = self.number()?;
        self.expect(", name: ")?;
        let name = self.string()?;
        self.expect(", color: ")?;
        let color = self.string()?;
        self.expect(", key: ")?;
        let key = self.string()?;
        self.expect(", description: ")?;
        let description = self.string()?;
        let parent = if self.take(", parent: Some(") {
            let parent = self.number()?;
            self.expect(")")?;
            Some(parent)
        } else {
            None
        };
        self.expect(")")?;
        Some(Tag {
            id,
            name,
            color,
            key,
            description,
            parent,
        })
    }

    fn attribute(&mut self) -> Option<Attribute> {
        self.expect("Attribute(id: ")?;
        let id = self.number()?;
        self.expect(", name: ")?;
        let name = self.string()?;
        self.expect(", kind: ")?;
        let kind = if self.take("Text") {
            AttributeKind::Text
        } else if self.take("Number") {
            AttributeKind::Number
        } else if self.take("Date") {
            AttributeKind::Date
        } else {
            self.expect("Choice([")?;
            let mut values = Vec::new();
            if !self.take("])") {
                loop {
                    values.push(self.string()?);
                    if self.take("])") {
                        break;
                    }
                    self.expect(", ")?;
                }
            }
            AttributeKind::Choice(values)
        };
        self.expect(", description: ")?;
        let description = self.string()?;
        self.expect(")")?;
        Some(Attribute {
            id,
            name,
            kind,
            description,
        })
    }

    /// `, attributes: {…}` when present, keys increasing as a BTreeMap writes them.
    fn attribute_values(&mut self) -> Option<BTreeMap<u32, String>> {
        let mut attributes = BTreeMap::new();
        if self.take(", attributes: {") {
            loop {
                let attribute = self.number()?;
                self.expect(": ")?;
                let value = self.string()?;
                // Keys in increasing order, each once, as a BTreeMap writes them.
                if attributes
                    .last_key_value()
                    .is_some_and(|(k, _)| *k >= attribute)
                {
                    return None;
                }
                attributes.insert(attribute, value);
                if self.take("}") {
                    break;
                }
                self.expect(", ")?;
            }
        }
        Some(attributes)
    }

    /// `Some(x)` of a float as ron writes one (`Debug`); anything else is not ours.
    fn some_float(&mut self) -> Option<f64> {
        self.expect("Some(")?;
        let length = self.bytes[self.at..].iter().position(|&b| b == b')')?;
        let text = &self.text[self.at..self.at + length];
        let value: f64 = text.parse().ok()?;
        if format!("{value:?}") != text {
            return None;
        }
        self.at += length + 1;
        Some(value)
    }

    fn turn(&mut self) -> Option<Turn> {
        self.expect("Turn(start: ")?;
        let start = self.number()?;
        self.expect(", end: ")?;
        let end = self.number()?;
        let speaker = if self.take(", speaker: Some(") {
            let speaker = self.number()?;
            self.expect(")")?;
            Some(speaker)
        } else {
            None
        };
        let time_start = if self.take(", time_start: ") {
            Some(self.some_float()?)
        } else {
            None
        };
        let time_end = if self.take(", time_end: ") {
            Some(self.some_float()?)
        } else {
            None
        };
        self.expect(")")?;
        Some(Turn {
            start,
            end,
            speaker,
            time_start,
            time_end,
        })
    }

    fn case(&mut self) -> Option<Case> {
        self.expect("Case(id: ")?;
        let id = self.number()?;
        self.expect(", name: ")?;
        let name = self.string()?;
        let attributes = self.attribute_values()?;
        let memo = if self.take(", memo: ") {
            self.string()?
        } else {
            String::new()
        };
        self.expect(")")?;
        Some(Case {
            id,
            name,
            attributes,
            memo,
        })
    }

    fn document(&mut self) -> Option<Document> {
        self.expect("Document(id: ")?;
        let id = self.number()?;
        self.expect(", path: ")?;
        let path = self.string()?;
        self.expect(", title: ")?;
        let title = self.string()?;
        self.expect(", sha256: ")?;
        let sha256 = self.string()?;
        self.expect(", chars: ")?;
        let chars = self.number()?;
        let memo = if self.take(", memo: ") {
            self.string()?
        } else {
            String::new()
        };
        let origin = if self.take(", origin: Some(") {
            let origin = self.string()?;
            self.expect(")")?;
            Some(origin)
        } else {
            None
        };
        let attributes = self.attribute_values()?;
        let direction = if self.take(", direction: ") {
            if self.take("LeftToRight") {
                TextDirection::LeftToRight
            } else if self.take("RightToLeft") {
                TextDirection::RightToLeft
            } else {
                self.expect("Auto")?;
                TextDirection::Auto
            }
        } else {
            TextDirection::Auto
        };
        let mut turns = Vec::new();
        if self.take(", turns: [") {
            loop {
                turns.push(self.turn()?);
                if self.take("]") {
                    break;
                }
                self.expect(", ")?;
            }
        }
        self.expect(")")?;
        Some(Document {
            turns,
            id,
            path,
            title,
            sha256,
            chars,
            memo,
            origin,
            attributes,
            direction,
        })
    }

    fn annotation(&mut self) -> Option<Annotation> {
        self.expect("Annotation(id: ")?;
        let id = self.number()?;
        self.expect(", doc: ")?;
        let doc = self.number()?;
        self.expect(", start: ")?;
        let start = self.number()?;
        self.expect(", end: ")?;
        let end = self.number()?;
        self.expect(", tags: [")?;
        let mut tags = Vec::new();
        if !self.take("]") {
            loop {
                tags.push(self.number()?);
                if self.take("]") {
                    break;
                }
                self.expect(", ")?;
            }
        }
        self.expect(", quote: ")?;
        let quote = self.string()?;
        self.expect(", note: ")?;
        let note = self.string()?;
        self.expect(", coder: ")?;
        let coder = self.string()?;
        self.expect(", created: ")?;
        let created = self.string()?;
        let prefix = if self.take(", prefix: ") {
            self.string()?
        } else {
            String::new()
        };
        let suffix = if self.take(", suffix: ") {
            self.string()?
        } else {
            String::new()
        };
        let conflict = self.take(", conflict: true");
        self.expect(")")?;
        Some(Annotation {
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
        })
    }
}
