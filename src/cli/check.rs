//! `marginalia check`: is every document where the project says, and every passage on its text?

use std::path::Path;

use serde::Serialize;

use crate::anchor::SourceState;
use crate::workspace::Workspace;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct DocumentCheck {
    pub id: u32,
    pub path: String,
    pub status: &'static str,
}

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct AnnotationCounts {
    pub total: usize,
    pub anchored: usize,
    pub mismatched: usize,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CheckReport {
    pub documents: Vec<DocumentCheck>,
    pub annotations: AnnotationCounts,
    /// One line per problem, for people; not part of the JSON contract.
    #[serde(skip)]
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

pub fn check_project(workspace: &Workspace) -> CheckReport {
    let project = workspace.project();
    let mut problems = Vec::new();
    let documents = project
        .documents
        .iter()
        .map(|document| {
            let source = workspace.source(document.id);
            if let Some(problem) = source.and_then(SourceState::problem) {
                problems.push(format!(
                    "document {} “{}”: {problem}",
                    document.id, document.title
                ));
            }
            DocumentCheck {
                id: document.id,
                path: document.path.clone(),
                status: source.map_or("missing", SourceState::status_word),
            }
        })
        .collect();
    let mut annotations = AnnotationCounts {
        total: project.annotations.len(),
        ..Default::default()
    };
    for annotation in &project.annotations {
        if workspace.is_anchored(annotation) {
            annotations.anchored += 1;
        } else {
            annotations.mismatched += 1;
            problems.push(format!(
                "passage {} ({}..{} in document {}) no longer holds its quote “{}”",
                annotation.id,
                annotation.start,
                annotation.end,
                annotation.doc,
                excerpt(&annotation.quote, 60)
            ));
        }
    }
    CheckReport {
        documents,
        annotations,
        problems,
    }
}

fn excerpt(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max_chars - 1).collect();
        format!("{cut}…")
    }
}

pub(super) fn run(path: &Path, json: bool) -> i32 {
    let workspace = match Workspace::open(path) {
        Ok(workspace) => workspace,
        Err(error) => {
            eprintln!("{error}");
            return 2;
        }
    };
    let report = check_project(&workspace);
    if json {
        println!(
            "{}",
            serde_json::to_string(&report).expect("the report holds only strings and numbers")
        );
    } else {
        let ok_documents = report.documents.iter().filter(|d| d.status == "ok").count();
        println!("{}: “{}”", path.display(), workspace.project().name);
        println!(
            "documents: {} of {} ok",
            ok_documents,
            report.documents.len()
        );
        println!(
            "passages: {} of {} on their quoted text",
            report.annotations.anchored, report.annotations.total
        );
        for problem in &report.problems {
            println!("problem: {problem}");
        }
        if report.is_ok() {
            println!("all well");
        }
    }
    if report.is_ok() { 0 } else { 1 }
}
