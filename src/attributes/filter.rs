//! Choosing documents by their attribute values: the `--documents` option of `stats` and
//! `export`, and the documents panel's filter.
//!
//! ```text
//! FILTER = TERM { "," TERM }            every term must hold
//! TERM   = NAME OP [ VALUE { "|" VALUE } ]
//! OP     = "=" | "!=" | "<" | "<=" | ">" | ">="
//! ```
//!
//! - `outlet=Telegraph|Guardian`: the value is one of these; `outlet=`: no value.
//! - `outlet!=Telegraph`: no value, or another one; `outlet!=`: any value.
//! - `year>=2020`, `published<2021-01-01`: number and date attributes, one value; a
//!   document without a value never passes a comparison. Numbers compare as numbers
//!   (`year=2020` finds `2020.0`), dates in calendar order, everything else exactly.
//! - `document=…` names documents by title, path or id (as the CSV's first column does).
//! - A name or value holding `,`, `|`, `=`, `<`, `>`, `!` or spaces at its ends goes in double
//!   quotes (`outlet="Times, The"`), a `"` inside quotes is written `""`.

use std::collections::BTreeSet;

use super::find_document;
use crate::model::{AttributeId, AttributeKind, DocId, Document, Project, parse_number};

#[derive(Clone, Debug, PartialEq)]
pub struct DocumentFilter {
    terms: Vec<Term>,
}

#[derive(Clone, Debug, PartialEq)]
enum Term {
    /// The value is one of `values` (`None` in the list: no value), or with `negated`, not.
    OneOf {
        attribute: AttributeId,
        kind: AttributeKind,
        values: Vec<Option<String>>,
        negated: bool,
    },
    Compare {
        attribute: AttributeId,
        kind: AttributeKind,
        op: Op,
        value: String,
    },
    Documents {
        ids: BTreeSet<DocId>,
        negated: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl DocumentFilter {
    /// Read `text` against the project's attributes and documents. An error names the term
    /// (and its place, from character 1) and what is wrong.
    pub fn parse(project: &Project, text: &str) -> Result<Self, String> {
        let mut terms = Vec::new();
        for (at, term) in split_outside_quotes(text, ',') {
            let at = text[..at].chars().count();
            if term.trim().is_empty() {
                return Err(format!(
                    "empty condition at character {}; conditions are separated by single commas",
                    at + 1
                ));
            }
            terms.push(
                parse_term(project, &term)
                    .map_err(|e| format!("in {:?} (character {}): {e}", term.trim(), at + 1))?,
            );
        }
        Ok(Self { terms })
    }

    pub fn matches(&self, document: &Document) -> bool {
        self.terms.iter().all(|term| term.matches(document))
    }

    /// The ids of the documents that pass, in project order.
    pub fn documents(&self, project: &Project) -> Vec<DocId> {
        project
            .documents
            .iter()
            .filter(|d| self.matches(d))
            .map(|d| d.id)
            .collect()
    }
}

/// The condition `NAME=VALUE` (`NAME=`: no value) that [`DocumentFilter::parse`] reads
/// back as "this attribute has this value", quoting the name and value where needed.
pub fn equals_term(name: &str, value: Option<&str>) -> String {
    format!(
        "{}={}",
        quote_if_needed(name),
        value.map_or_else(String::new, quote_if_needed)
    )
}

fn quote_if_needed(piece: &str) -> String {
    let plain = !piece.is_empty()
        && piece.trim() == piece
        && !piece.contains([',', '|', '=', '<', '>', '!', '"']);
    if plain {
        piece.to_owned()
    } else {
        format!("\"{}\"", piece.replace('"', "\"\""))
    }
}

impl Term {
    fn matches(&self, document: &Document) -> bool {
        match self {
            Term::OneOf {
                attribute,
                kind,
                values,
                negated,
            } => {
                let value = document.attributes.get(attribute);
                let found = values.iter().any(|wanted| match (wanted, value) {
                    (None, None) => true,
                    (Some(wanted), Some(value)) => same_value(kind, wanted, value),
                    _ => false,
                });
                found != *negated
            }
            Term::Compare {
                attribute,
                kind,
                op,
                value,
            } => document
                .attributes
                .get(attribute)
                .and_then(|have| compare(kind, have, value))
                .is_some_and(|ordering| match op {
                    Op::Lt => ordering.is_lt(),
                    Op::Le => ordering.is_le(),
                    Op::Gt => ordering.is_gt(),
                    Op::Ge => ordering.is_ge(),
                    Op::Eq | Op::Ne => unreachable!("equality terms are OneOf"),
                }),
            Term::Documents { ids, negated } => ids.contains(&document.id) != *negated,
        }
    }
}

fn same_value(kind: &AttributeKind, a: &str, b: &str) -> bool {
    match kind {
        AttributeKind::Number => parse_number(a).is_some_and(|x| Some(x) == parse_number(b)),
        _ => a == b,
    }
}

/// Numbers numerically, ISO dates as text (which is calendar order).
fn compare(kind: &AttributeKind, a: &str, b: &str) -> Option<std::cmp::Ordering> {
    match kind {
        AttributeKind::Number => parse_number(a)?.partial_cmp(&parse_number(b)?),
        _ => Some(a.cmp(b)),
    }
}

fn parse_term(project: &Project, term: &str) -> Result<Term, String> {
    let (name, op, rest) = split_operator(term)?;
    let values: Vec<String> = split_outside_quotes(rest, '|')
        .into_iter()
        .map(|(_, v)| unquote(&v))
        .collect::<Result<_, _>>()?;
    let no_value = values.len() == 1 && values[0].is_empty();
    if name == "document" {
        let negated = match op {
            Op::Eq => false,
            Op::Ne => true,
            _ => return Err("documents are compared with = or != only".to_owned()),
        };
        if no_value {
            return Err("name documents by title, path or id after `document=`".to_owned());
        }
        let ids = values
            .iter()
            .map(|v| find_document(project, v).map(|(d, _)| d.id))
            .collect::<Result<_, _>>()?;
        return Ok(Term::Documents { ids, negated });
    }
    let attribute = project.attribute_by_name(&name).ok_or_else(|| {
        let known: Vec<String> = project
            .attributes
            .iter()
            .map(|a| format!("{:?}", a.name))
            .collect();
        if known.is_empty() {
            format!("no attribute is named {name:?}: the project has no attributes")
        } else {
            format!(
                "no attribute is named {name:?}; the attributes are {} (and `document`)",
                known.join(", ")
            )
        }
    })?;
    let kind = attribute.kind.clone();
    if matches!(op, Op::Eq | Op::Ne) {
        let values = if no_value {
            vec![None]
        } else {
            for value in &values {
                kind.check(value)
                    .map_err(|e| format!("{} ({}): {e}", attribute.name, kind.name()))?;
            }
            values.into_iter().map(Some).collect()
        };
        return Ok(Term::OneOf {
            attribute: attribute.id,
            kind,
            values,
            negated: op == Op::Ne,
        });
    }
    if !matches!(kind, AttributeKind::Number | AttributeKind::Date) {
        return Err(format!(
            "{:?} is a {} attribute; <, <=, > and >= compare numbers and dates",
            attribute.name,
            kind.name()
        ));
    }
    let [value] = values.as_slice() else {
        return Err("a comparison takes one value".to_owned());
    };
    if value.is_empty() {
        return Err("a value is missing after the comparison".to_owned());
    }
    kind.check(value)
        .map_err(|e| format!("{} ({}): {e}", attribute.name, kind.name()))?;
    Ok(Term::Compare {
        attribute: attribute.id,
        kind,
        op,
        value: value.clone(),
    })
}

/// `NAME OP REST`, the name unquoted and trimmed.
fn split_operator(term: &str) -> Result<(String, Op, &str), String> {
    let mut quoted = false;
    for (at, c) in term.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '=' | '!' | '<' | '>' if !quoted => {
                let after = &term[at..];
                let (op, len) = [
                    ("!=", Op::Ne),
                    ("<=", Op::Le),
                    (">=", Op::Ge),
                    ("=", Op::Eq),
                    ("<", Op::Lt),
                    (">", Op::Gt),
                ]
                .into_iter()
                .find(|(s, _)| after.starts_with(s))
                .map(|(s, op)| (op, s.len()))
                .ok_or_else(|| "`!` goes with `=`, as in `outlet!=Telegraph`".to_owned())?;
                let name = unquote(&term[..at])?;
                if name.is_empty() {
                    return Err("an attribute name is missing before the operator".to_owned());
                }
                return Ok((name, op, &term[at + len..]));
            }
            _ => {}
        }
    }
    Err("no operator: write NAME=VALUE, NAME!=VALUE, NAME<VALUE, NAME>=VALUE…".to_owned())
}

/// Pieces of `text` between `separator`s that are not inside double quotes, each with its
/// byte offset in `text`.
fn split_outside_quotes(text: &str, separator: char) -> Vec<(usize, String)> {
    let mut pieces = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if c == separator && !quoted {
            pieces.push((start, text[start..at].to_owned()));
            start = at + c.len_utf8();
        }
    }
    pieces.push((start, text[start..].to_owned()));
    pieces
}

/// Trim, then take away the quotes of a quoted piece (`""` inside is one `"`).
fn unquote(piece: &str) -> Result<String, String> {
    let piece = piece.trim();
    let Some(inner) = piece.strip_prefix('"') else {
        if piece.contains('"') {
            return Err(format!(
                "{piece:?}: a quote goes around the whole name or value"
            ));
        }
        return Ok(piece.to_owned());
    };
    let inner = inner
        .strip_suffix('"')
        .ok_or_else(|| format!("{piece:?}: the quote is not closed"))?;
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '"' && chars.next() != Some('"') {
            return Err(format!("{piece:?}: write a quote inside quotes as \"\""));
        }
        value.push(c);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Attribute;

    fn project() -> Project {
        let mut project = Project::new("t");
        project.attributes = vec![
            Attribute {
                id: 1,
                name: "outlet".into(),
                kind: AttributeKind::Text,
                description: String::new(),
            },
            Attribute {
                id: 2,
                name: "year".into(),
                kind: AttributeKind::Number,
                description: String::new(),
            },
            Attribute {
                id: 3,
                name: "published".into(),
                kind: AttributeKind::Date,
                description: String::new(),
            },
        ];
        let rows: [(&str, &[(u32, &str)]); 4] = [
            ("A", &[(1, "Telegraph"), (2, "2019"), (3, "2019-05-01")]),
            ("B", &[(1, "Guardian"), (2, "2021.0"), (3, "2021-01-01")]),
            ("C", &[(1, "Times, The"), (2, "2020")]),
            ("D", &[]),
        ];
        for (index, (title, values)) in rows.into_iter().enumerate() {
            project.documents.push(Document {
                turns: Vec::new(),
                direction: Default::default(),
                id: index as DocId + 1,
                path: format!("{title}.txt"),
                title: title.into(),
                sha256: String::new(),
                chars: 1,
                memo: String::new(),
                origin: None,
                attributes: values
                    .iter()
                    .map(|(id, value)| (*id, (*value).to_owned()))
                    .collect(),
            });
        }
        project
    }

    fn titles(filter: &str) -> String {
        let p = project();
        let filter = DocumentFilter::parse(&p, filter).unwrap();
        filter
            .documents(&p)
            .into_iter()
            .map(|id| p.document(id).unwrap().title.clone())
            .collect()
    }

    #[test]
    fn terms_select_documents() {
        assert_eq!(titles("outlet=Telegraph"), "A");
        assert_eq!(titles("outlet=Telegraph|Guardian"), "AB");
        assert_eq!(titles("outlet=\"Times, The\""), "C");
        assert_eq!(titles("outlet="), "D");
        assert_eq!(titles("outlet!="), "ABC");
        assert_eq!(titles("outlet!=Telegraph"), "BCD");
        assert_eq!(titles("year>=2020"), "BC");
        assert_eq!(titles("year=2021"), "B");
        assert_eq!(titles("year<2020 , outlet=Telegraph"), "A");
        assert_eq!(titles("published<2021-01-01"), "A");
        assert_eq!(titles("published<=2021-01-01"), "AB");
        assert_eq!(titles("document=A|2|C.txt"), "ABC");
        assert_eq!(titles("document!=A,year>2000"), "BC");
    }

    #[test]
    fn equals_terms_read_back() {
        for (value, expected) in [
            (Some("Times, The"), "C"),
            (Some("Telegraph"), "A"),
            (None, "D"),
        ] {
            let term = equals_term("outlet", value);
            assert_eq!(titles(&term), expected, "{term}");
        }
        assert_eq!(equals_term("a b", Some(" x\"y")), "a b=\" x\"\"y\"");
        assert_eq!(titles(&equals_term("year", Some("2021.0"))), "B");
    }

    #[test]
    fn mistakes_are_explained() {
        let p = project();
        let error = |text: &str| DocumentFilter::parse(&p, text).unwrap_err();
        assert!(error("colour=red").contains("no attribute is named \"colour\""));
        assert!(error("outlet>B").contains("text attribute"));
        assert!(error("year>=soon").contains("not a number"));
        assert!(error("year>=2020|2021").contains("one value"));
        assert!(error("outlet").contains("no operator"));
        assert!(error("year>=2020,,outlet=A").contains("character 12"));
        assert!(error("outlet=\"Times").contains("not closed"));
        assert!(error("outlet!Times").contains("`!` goes with `=`"));
        assert!(error("document=Z").contains("no document"));
    }
}
