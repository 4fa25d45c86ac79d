//! REFI-QDA's ways of describing documents, as Marginalia's document attributes:
//! - `Variables` with each source's (or case's) `VariableValue`s: an attribute per variable,
//!   of the kind its `typeOfVariable` says (when every value fits it);
//! - `Cases`: each case becomes a case of the project with its values; its values also go
//!   to each whole document it covers (its `SourceRef`s: an interview is its interviewee's),
//!   and a `case` attribute names the cases of each document (with those of its
//!   `SelectionRef`s, which may be a focus group's turns);
//! - `Sets` of sources: ATLAS.ti writes an attribute as sets named "name: value", which become
//!   attribute `name` = `value`; any other set (MAXQDA's document groups) becomes a yes/no
//!   attribute named after it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::guid_key;
use super::xml_tree::Element;
use crate::model::{Attribute, AttributeKind, DocId, parse_iso_date, parse_number};

/// The name of the attribute that lists the cases a document belongs to.
pub const CASE_ATTRIBUTE: &str = "case";

/// The attributes made, each document's values by attribute id, the cases found with
/// theirs, and warnings.
pub struct FinishedAttributes {
    pub attributes: Vec<Attribute>,
    pub document_values: BTreeMap<DocId, BTreeMap<u32, String>>,
    pub cases: Vec<FoundCase>,
    pub warnings: Vec<String>,
}

/// A `<Case>` of the project.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FoundCase {
    pub name: String,
    /// Its `Description`.
    pub memo: String,
    /// The GUIDs of the selections it refers to (`SelectionRef`), which may be its turns.
    pub selections: Vec<String>,
    /// Its values by attribute id (filled in by [`Attributes::finish`]).
    pub values: BTreeMap<u32, String>,
}

/// What holds a value: a document, or a case (by its place among the project's cases).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    Document(DocId),
    Case(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Declared {
    Text,
    Boolean,
    Number,
    Date,
    /// ATLAS.ti's "name: value" sets: a choice among the values seen.
    Choice,
    /// A plain set: members "yes", other documents "no".
    Membership,
}

struct Pending {
    name: String,
    declared: Declared,
    description: String,
    values: BTreeMap<Owner, String>,
}

/// Collects attribute values from the parts of a project, then makes the attributes.
#[derive(Default)]
pub struct Attributes {
    pending: Vec<Pending>,
    by_name: HashMap<String, usize>,
    by_variable: HashMap<String, usize>,
    cases: Vec<FoundCase>,
    /// Things the person should know: conflicting values, values that do not fit.
    pub warnings: Vec<String>,
}

impl Attributes {
    fn attribute(&mut self, name: &str, declared: Declared) -> usize {
        let key = name.trim().to_lowercase();
        if let Some(&index) = self.by_name.get(&key) {
            return index;
        }
        self.pending.push(Pending {
            name: name.trim().to_owned(),
            declared,
            description: String::new(),
            values: BTreeMap::new(),
        });
        self.by_name.insert(key, self.pending.len() - 1);
        self.pending.len() - 1
    }

    /// The project's `<Variables>`.
    pub fn read_variables(&mut self, variables: &Element) {
        for variable in variables.children_named("Variable") {
            let (Some(guid), Some(name)) = (variable.attribute("guid"), variable.attribute("name"))
            else {
                continue;
            };
            if name.trim().is_empty() {
                continue;
            }
            let declared = match variable.attribute("typeOfVariable").unwrap_or("Text") {
                "Boolean" => Declared::Boolean,
                "Integer" | "Float" => Declared::Number,
                "Date" => Declared::Date,
                _ => Declared::Text,
            };
            let index = self.attribute(name, declared);
            if let Some(description) = variable.child_text("Description") {
                self.pending[index].description = description.trim().to_owned();
            }
            self.by_variable.insert(guid_key(guid), index);
        }
    }

    /// An element's `VariableValue`s, given to each of `documents`.
    pub fn read_values(&mut self, owner: &Element, documents: &[DocId], owner_name: &str) {
        let owners: Vec<Owner> = documents.iter().map(|d| Owner::Document(*d)).collect();
        self.read_values_for(owner, &owners, owner_name);
    }

    fn read_values_for(&mut self, owner: &Element, owners: &[Owner], owner_name: &str) {
        for value in owner.children_named("VariableValue") {
            let Some(variable) = value
                .child("VariableRef")
                .and_then(|r| r.attribute("targetGUID"))
            else {
                continue;
            };
            let Some(&index) = self.by_variable.get(&guid_key(variable)) else {
                self.warnings.push(format!(
                    "{owner_name} has a value of variable {variable}, which the project does \
                     not define; left out"
                ));
                continue;
            };
            let Some(text) = [
                "TextValue",
                "BooleanValue",
                "IntegerValue",
                "FloatValue",
                "DateValue",
                "DateTimeValue",
            ]
            .iter()
            .find_map(|name| value.child_text(name)) else {
                continue;
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            for &holder in owners {
                self.set_on(index, holder, text.to_owned(), owner_name);
            }
        }
    }

    fn set(&mut self, index: usize, doc: DocId, value: String, from: &str) {
        self.set_on(index, Owner::Document(doc), value, from);
    }

    fn set_on(&mut self, index: usize, holder: Owner, value: String, from: &str) {
        let pending = &mut self.pending[index];
        let doc = match holder {
            Owner::Document(doc) => doc,
            // A case's own values come from its own element only, once each.
            Owner::Case(_) => {
                pending.values.entry(holder).or_insert(value);
                return;
            }
        };
        match pending.values.get(&holder) {
            Some(existing) if *existing != value => self.warnings.push(format!(
                "document {doc}: attribute “{}” is “{existing}”, and {from} gives it “{value}” \
                 too; the first value is kept",
                pending.name
            )),
            Some(_) => {}
            None => {
                pending.values.insert(holder, value);
            }
        }
    }

    /// The project's `<Cases>`; `document_of` gives the document of a source's or a
    /// selection's GUID.
    pub fn read_cases(&mut self, cases: &Element, document_of: impl Fn(&str) -> Option<DocId>) {
        let mut case_names: BTreeMap<DocId, BTreeSet<String>> = BTreeMap::new();
        for case in cases.children_named("Case") {
            let documents_of = |refs: &str| -> Vec<DocId> {
                let mut documents: Vec<DocId> = case
                    .children_named(refs)
                    .filter_map(|r| r.attribute("targetGUID"))
                    .filter_map(&document_of)
                    .collect();
                documents.sort_unstable();
                documents.dedup();
                documents
            };
            // A whole source is the case's (an interview): its values are the document's.
            // A selection is a segment of a text others speak in too (a focus group): the
            // values stay the case's, and its turns carry them.
            let whole_documents = documents_of("SourceRef");
            let mut documents = whole_documents.clone();
            documents.extend(documents_of("SelectionRef"));
            documents.sort_unstable();
            documents.dedup();
            let name = case
                .attribute("name")
                .filter(|n| !n.trim().is_empty())
                .or(case.attribute("guid"))
                .unwrap_or("case")
                .trim()
                .to_owned();
            let mut owners = vec![Owner::Case(self.cases.len())];
            owners.extend(whole_documents.iter().map(|d| Owner::Document(*d)));
            self.read_values_for(case, &owners, &format!("case “{name}”"));
            self.cases.push(FoundCase {
                name: name.clone(),
                memo: case
                    .child_text("Description")
                    .map(|d| d.trim().to_owned())
                    .unwrap_or_default(),
                selections: case
                    .children_named("SelectionRef")
                    .filter_map(|r| r.attribute("targetGUID"))
                    .map(guid_key)
                    .collect(),
                values: BTreeMap::new(),
            });
            for doc in documents {
                case_names.entry(doc).or_default().insert(name.clone());
            }
        }
        if case_names.is_empty() {
            return;
        }
        let index = self.attribute(CASE_ATTRIBUTE, Declared::Text);
        for (doc, names) in case_names {
            let joined = names.into_iter().collect::<Vec<_>>().join("; ");
            self.set(index, doc, joined, "a case");
        }
    }

    /// The project's `<Sets>`. Sets of codes or notes only are left out and counted.
    pub fn read_sets(&mut self, sets: &Element, document_of: impl Fn(&str) -> Option<DocId>) {
        let mut without_documents = 0;
        for set in sets.children_named("Set") {
            let members: Vec<DocId> = set
                .children_named("MemberSource")
                .filter_map(|r| r.attribute("targetGUID"))
                .filter_map(&document_of)
                .collect();
            let name = set.attribute("name").unwrap_or("").trim();
            if members.is_empty() || name.is_empty() {
                without_documents += 1;
                continue;
            }
            let from = format!("set “{name}”");
            match split_name_value(name) {
                Some((attribute, value)) => {
                    let index = self.attribute(attribute, Declared::Choice);
                    for doc in members {
                        self.set(index, doc, value.to_owned(), &from);
                    }
                }
                None => {
                    let index = self.attribute(name, Declared::Membership);
                    for doc in members {
                        self.set(index, doc, "yes".to_owned(), &from);
                    }
                }
            }
        }
        if without_documents > 0 {
            self.warnings.push(format!(
                "{without_documents} set(s) of codes or notes left out: Marginalia groups \
                 documents only"
            ));
        }
    }

    /// The attributes, ids from 1, and each document's values. A declared kind that a
    /// value does not fit falls back to text, with a warning.
    pub fn finish(mut self, documents: &[DocId]) -> FinishedAttributes {
        let mut attributes = Vec::new();
        let mut values: BTreeMap<DocId, BTreeMap<u32, String>> = BTreeMap::new();
        let mut cases = std::mem::take(&mut self.cases);
        for pending in std::mem::take(&mut self.pending) {
            if pending.values.is_empty() {
                continue;
            }
            let id = attributes.len() as u32 + 1;
            let (kind, pending_values) = self.kind_of(pending.declared, &pending);
            for (holder, value) in pending_values {
                match holder {
                    Owner::Document(doc) => {
                        values.entry(doc).or_default().insert(id, value);
                    }
                    Owner::Case(index) => {
                        cases[index].values.insert(id, value);
                    }
                }
            }
            if pending.declared == Declared::Membership {
                for &doc in documents {
                    values
                        .entry(doc)
                        .or_default()
                        .entry(id)
                        .or_insert_with(|| "no".to_owned());
                }
            }
            attributes.push(Attribute {
                id,
                name: pending.name,
                kind,
                description: pending.description,
            });
        }
        FinishedAttributes {
            attributes,
            document_values: values,
            cases,
            warnings: self.warnings,
        }
    }

    fn kind_of(
        &mut self,
        declared: Declared,
        pending: &Pending,
    ) -> (AttributeKind, Vec<(Owner, String)>) {
        let values: Vec<(Owner, String)> = pending
            .values
            .iter()
            .map(|(doc, value)| (*doc, value.clone()))
            .collect();
        let converted: Option<(AttributeKind, Vec<(Owner, String)>)> = match declared {
            Declared::Text => None,
            Declared::Number => values
                .iter()
                .all(|(_, v)| parse_number(v).is_some())
                .then(|| (AttributeKind::Number, values.clone())),
            Declared::Date => values
                .iter()
                .map(|(doc, v)| {
                    // xsd:date may carry a time zone ("2021-03-04Z", "2021-03-04+01:00").
                    let day = v.get(..10).unwrap_or(v);
                    parse_iso_date(day).map(|_| (*doc, day.to_owned()))
                })
                .collect::<Option<Vec<_>>>()
                .map(|days| (AttributeKind::Date, days)),
            Declared::Boolean => values
                .iter()
                .map(|(doc, v)| match v.as_str() {
                    "true" | "1" => Some((*doc, "yes".to_owned())),
                    "false" | "0" => Some((*doc, "no".to_owned())),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(|values| (yes_no(), values)),
            Declared::Membership => Some((yes_no(), values.clone())),
            Declared::Choice => {
                let choices: BTreeSet<String> = values.iter().map(|(_, v)| v.clone()).collect();
                Some((
                    AttributeKind::Choice(choices.into_iter().collect()),
                    values.clone(),
                ))
            }
        };
        match converted {
            Some(kind_and_values) => kind_and_values,
            None => {
                if declared != Declared::Text {
                    self.warnings.push(format!(
                        "attribute “{}”: not every value is of its declared type, so it is \
                         kept as text",
                        pending.name
                    ));
                }
                (AttributeKind::Text, values)
            }
        }
    }
}

fn yes_no() -> AttributeKind {
    AttributeKind::Choice(vec!["yes".to_owned(), "no".to_owned()])
}

/// "gender: male" as ("gender", "male"); `None` for a name without a colon between two
/// non-empty parts.
fn split_name_value(name: &str) -> Option<(&str, &str)> {
    let (attribute, value) = name.split_once(':')?;
    let (attribute, value) = (attribute.trim(), value.trim());
    (!attribute.is_empty() && !value.is_empty()).then_some((attribute, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_names_split_at_their_first_colon() {
        assert_eq!(split_name_value("gender: male"), Some(("gender", "male")));
        assert_eq!(split_name_value("time: 10:30"), Some(("time", "10:30")));
        assert_eq!(split_name_value("Pilot interviews"), None);
        assert_eq!(split_name_value("odd:"), None);
    }
}
