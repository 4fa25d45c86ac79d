//! `marginalia check`: is every document where the project says, and every passage on its
//! text? With `--fix`, passages whose text moved are put where it is now.

use std::path::Path;

use serde::Serialize;

use crate::anchor::{OrphanReason, Placement, SourceState};
use crate::workspace::Workspace;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct DocumentCheck {
    pub id: u32,
    pub path: String,
    pub status: &'static str,
}

/// Every passage is exactly one of `anchored`, `reanchored` or `orphaned`.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct AnnotationCounts {
    pub total: usize,
    /// The text at its span is its quote.
    pub anchored: usize,
    /// Its text is found at another span (`--fix` moves it there).
    pub reanchored: usize,
    /// Not found, found in several places, or its document cannot be read.
    pub orphaned: usize,
    /// `reanchored + orphaned`: passages not on their quoted text (kept for older scripts).
    pub mismatched: usize,
    /// Passages a git merge kept in two versions (`conflict: true`), waiting for a choice.
    pub conflicts: usize,
}

/// What `--fix` wrote.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct FixReport {
    /// Passages moved to where their text is now.
    pub moved: usize,
    /// Documents whose recorded fingerprint now matches their current text.
    pub documents_updated: usize,
    /// Transcript turns not found again in their changed text.
    pub turns_lost: usize,
    /// The previous project file, kept beside it; absent when nothing needed writing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<String>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CheckReport {
    pub documents: Vec<DocumentCheck>,
    pub annotations: AnnotationCounts,
    /// Present with `--fix`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<FixReport>,
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
    for (id, placement) in workspace.placements() {
        let annotation = project.annotation(id).expect("placed passages exist");
        let place = format!(
            "passage {} ({}..{} in document {})",
            annotation.id, annotation.start, annotation.end, annotation.doc
        );
        match placement {
            Placement::Anchored => annotations.anchored += 1,
            Placement::Reanchored { start, end } => {
                annotations.reanchored += 1;
                problems.push(format!(
                    "{place}: its text moved to {start}..{end} (check --fix moves the passage there)"
                ));
            }
            Placement::Orphaned(reason) => {
                annotations.orphaned += 1;
                // A missing document is reported once, above, not once per passage.
                if reason != OrphanReason::NoText {
                    problems.push(format!(
                        "{place} needs attention: {}: “{}”",
                        reason.describe(),
                        excerpt(&annotation.quote, 60)
                    ));
                }
            }
        }
    }
    annotations.mismatched = annotations.reanchored + annotations.orphaned;
    for annotation in project.annotations.iter().filter(|a| a.conflict) {
        annotations.conflicts += 1;
        problems.push(format!(
            "passage {} ({}..{} in document {}) needs attention: a merge kept it beside another \
             version (conflict: true); keep one, delete the other and clear the mark: “{}”",
            annotation.id,
            annotation.start,
            annotation.end,
            annotation.doc,
            excerpt(&annotation.quote, 60)
        ));
    }
    CheckReport {
        documents,
        annotations,
        fixed: None,
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

/// Re-anchor and write the project (atomically, keeping the previous file as `.bak`).
fn fix(workspace: &mut Workspace) -> Result<FixReport, String> {
    let summary = workspace.reanchor().map_err(|e| e.to_string())?;
    let mut report = FixReport {
        moved: summary.moved,
        documents_updated: summary.documents_updated,
        turns_lost: summary.turns_lost,
        backup: None,
    };
    if workspace.is_dirty() {
        workspace.save().map_err(|e| e.to_string())?;
        report.backup = workspace
            .path()
            .map(|p| crate::store::backup_path(p).display().to_string());
    }
    Ok(report)
}

pub(super) fn run(path: &Path, json: bool, fix_it: bool) -> i32 {
    let mut workspace = match Workspace::open(path) {
        Ok(workspace) => workspace,
        Err(error) => {
            eprintln!("{error}");
            return 2;
        }
    };
    let mut report = check_project(&workspace);
    // The exit code tells the state the project is left in.
    let mut left_ok = report.is_ok();
    if fix_it && !report.is_ok() {
        match fix(&mut workspace) {
            Ok(fixed) => {
                report.fixed = Some(fixed);
                left_ok = check_project(&workspace).is_ok();
            }
            Err(error) => {
                eprintln!("{}: could not fix the project: {error}", path.display());
                return 2;
            }
        }
    }
    if json {
        println!(
            "{}",
            serde_json::to_string(&report).expect("the report holds only strings and numbers")
        );
    } else {
        print_summary(path, &workspace, &report, left_ok);
    }
    if left_ok { 0 } else { 1 }
}

fn print_summary(path: &Path, workspace: &Workspace, report: &CheckReport, left_ok: bool) {
    let ok_documents = report.documents.iter().filter(|d| d.status == "ok").count();
    println!("{}: “{}”", path.display(), workspace.project().name);
    println!(
        "documents: {} of {} ok",
        ok_documents,
        report.documents.len()
    );
    let counts = &report.annotations;
    println!(
        "passages: {} of {} on their quoted text, {} found elsewhere, {} orphaned",
        counts.anchored, counts.total, counts.reanchored, counts.orphaned
    );
    for problem in &report.problems {
        println!("problem: {problem}");
    }
    if let Some(fixed) = &report.fixed {
        println!(
            "fixed: moved {} passage(s), updated {} document fingerprint(s){}{}",
            fixed.moved,
            fixed.documents_updated,
            match fixed.turns_lost {
                0 => String::new(),
                lost => format!(
                    "; {lost} transcript turn(s) not found again in the changed text, their speaker and times dropped"
                ),
            },
            fixed
                .backup
                .as_ref()
                .map(|b| format!("; the previous file is kept as {b}"))
                .unwrap_or_default()
        );
        if counts.orphaned > 0 {
            println!(
                "orphaned passages stay in the file: re-place or delete them in Marginalia (Needs attention)"
            );
        }
    }
    if left_ok {
        println!("all well");
    }
}
