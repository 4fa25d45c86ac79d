//! File → Merge project…: other coders' projects are read on a worker thread, merged into the
//! open project with [`crate::merge::merge_projects`] (the open project first, so its name,
//! codebook and ids stay), applied as one undoable edit, and the merge report is shown.

use super::*;
use crate::cli::merge::{describe_passages, rebase_document_paths};
use crate::merge::{
    DocumentOutcome, MergeInput, MergeReport, TagMapping, TagOutcome, merge_projects,
};
use crate::model::Project;

/// The projects to merge, read and with their document paths rebased onto the open
/// project's folder; or every problem met reading them.
pub(super) type ReadInputs = Result<Vec<MergeInput>, Vec<String>>;

impl MarginaliaApp {
    pub(super) fn start_merge(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        let folder = self.workspace.base_dir();
        let what = format!("Reading {} project(s) to merge", paths.len());
        self.merge_job = Some(Background::start(ctx, what, move || {
            read_inputs(&paths, &folder)
        }));
    }

    pub(super) fn poll_merge(&mut self) {
        let Some(job) = &self.merge_job else { return };
        let read = match job.poll() {
            Polled::Running => return,
            Polled::Done(read) => read,
            Polled::Lost => Err(vec!["reading the projects stopped unexpectedly".to_owned()]),
        };
        self.merge_job = None;
        match read {
            Ok(others) => self.merge_into_open_project(others),
            Err(problems) => {
                self.show_error("Could not merge: nothing was changed", problems.join("\n"))
            }
        }
    }

    /// Merge `others` into the open project as one step that one undo takes back.
    fn merge_into_open_project(&mut self, others: Vec<MergeInput>) {
        let current = self.workspace.project().clone();
        let (label, coder) = match self.workspace.path() {
            Some(path) => (path.display().to_string(), file_stem(path)),
            None => (
                "this project".to_owned(),
                self.preferences
                    .coder
                    .clone()
                    .unwrap_or_else(|| current.name.clone()),
            ),
        };
        let mut inputs = vec![MergeInput {
            label,
            coder,
            project: current.clone(),
        }];
        inputs.extend(others);
        let (merged, report) = merge_projects(&inputs);
        let edit = Edit::between(&current, &merged);
        match self.workspace.apply_labelled(edit, "merge project") {
            Ok(()) => {
                self.after_history_step();
                let title = if report.left_something_out() {
                    "Merged, but some documents were left out"
                } else {
                    "Merged"
                };
                self.status = Some(format!(
                    "Merged {} project(s) into this one; Undo takes the merge back",
                    inputs.len() - 1
                ));
                self.dialog = Some(Dialog::Info {
                    title: title.to_owned(),
                    message: summary(&inputs, &merged, &report),
                });
            }
            Err(error) => self.show_error("Could not merge", error.to_string()),
        }
    }
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// Read each project (every problem is reported, and then nothing is merged), with its
/// documents' paths made relative to `folder`, the open project's. Passages without a
/// coder take the file's name, as `marginalia merge` gives them.
fn read_inputs(paths: &[PathBuf], folder: &Path) -> ReadInputs {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match crate::store::load_project(path) {
            Ok(mut project) => {
                let from = path
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_owned);
                rebase_document_paths(&mut project, &from, folder);
                inputs.push(MergeInput {
                    label: path.display().to_string(),
                    coder: file_stem(path),
                    project,
                });
            }
            Err(error) => problems.push(error.to_string()),
        }
    }
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(problems)
    }
}

/// Where one tag of another project went (the window's fonts have no arrow).
fn tag_line(mapping: &TagMapping) -> String {
    let mut line = match mapping.outcome {
        TagOutcome::Kept => format!("“{}” kept", mapping.from_name),
        TagOutcome::Matched if mapping.from_name == mapping.to_name => {
            format!("“{}” matched", mapping.from_name)
        }
        TagOutcome::Matched => format!(
            "“{}” matched “{}” (the same name)",
            mapping.from_name, mapping.to_name
        ),
        TagOutcome::Added => format!("“{}” added", mapping.from_name),
    };
    if let Some(key) = &mapping.dropped_key {
        line.push_str(&format!(" (its key {key} is another tag's)"));
    }
    line
}

/// The merge report for the dialog: what became of each input's tags, documents and
/// passages.
fn summary(inputs: &[MergeInput], merged: &Project, report: &MergeReport) -> String {
    let name = |input: usize| {
        let label = &inputs[input].label;
        Path::new(label)
            .file_name()
            .map_or_else(|| label.clone(), |n| n.to_string_lossy().into_owned())
    };
    let mut lines = vec![format!(
        "The project now has {} documents, {} tags and {} passages. Edit > Undo merge project \
         takes the merge back.",
        merged.documents.len(),
        merged.codebook.len(),
        merged.annotations.len()
    )];
    lines.push(String::new());
    lines.push("Tags:".to_owned());
    for mapping in report.tags.iter().filter(|m| m.input > 0) {
        lines.push(format!("  {}: {}", name(mapping.input), tag_line(mapping)));
    }
    lines.push(String::new());
    lines.push("Documents:".to_owned());
    for mapping in report.documents.iter().filter(|m| m.input > 0) {
        let what = match mapping.outcome {
            DocumentOutcome::Kept => "kept".to_owned(),
            DocumentOutcome::Matched { into } => {
                format!("matched document {into} (the same text)")
            }
            DocumentOutcome::Added { as_id } => format!("added as document {as_id}"),
            DocumentOutcome::NotMerged {
                clashes_with,
                passages_left_out,
            } => format!(
                "NOT MERGED: its path {} is document {clashes_with}'s, but its text differs; \
                 its {passages_left_out} passage(s) were left out (check which text is right \
                 with marginalia check, then merge again)",
                mapping.path
            ),
        };
        lines.push(format!(
            "  {}: “{}”: {what}",
            name(mapping.input),
            mapping.title
        ));
    }
    lines.push(String::new());
    lines.push("Passages:".to_owned());
    for (input, counts) in report.passages.iter().enumerate() {
        lines.push(format!(
            "  {}: {}",
            name(input),
            describe_passages(counts, &inputs[input].coder)
        ));
    }
    if !report.document_memos_joined.is_empty() || report.project_memo_joined {
        lines.push(String::new());
        lines.push(
            "Memos of the same document (and project memos) were joined under each coder's name."
                .to_owned(),
        );
    }
    lines.join("\n")
}
