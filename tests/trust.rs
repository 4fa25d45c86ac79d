//! Trusting the project file: passages re-anchored when a source changed (one undoable
//! edit), saving that never silently overwrites a file changed on disk, and the lock file
//! that tells two windows on one project about each other.

use std::path::{Path, PathBuf};

use marginalia::Workspace;
use marginalia::anchor::{OrphanReason, Placement, SourceState};
use marginalia::store::{self, StoreError};

const THIRD: &str = "002_c2d47f878a0c9e5f.txt";

fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = dir.path().join("seeds");
    let projects = dir.path().join("projects");
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::create_dir_all(&projects).unwrap();
    for entry in std::fs::read_dir(root.join("seeds")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), seeds.join(entry.file_name())).unwrap();
    }
    let project = projects.join("seeds.ron");
    std::fs::copy(root.join("projects/seeds.ron"), &project).unwrap();
    (dir, project)
}

/// Insert a line above document 3's text and delete passage 12's text from it.
fn change_third_document(project: &Path) {
    let file = project.parent().unwrap().join("../seeds").join(THIRD);
    let quote = store::load_project(project)
        .unwrap()
        .annotation(12)
        .unwrap()
        .quote
        .clone();
    let text = std::fs::read_to_string(&file).unwrap();
    let changed = format!("Updated.\n{}", text.replace(&quote, ""));
    std::fs::write(&file, changed).unwrap();
}

#[test]
fn new_passages_carry_their_context() {
    let (_dir, project) = sample_copy();
    let mut workspace = Workspace::open(&project).unwrap();
    let text = workspace.text(3).unwrap().as_str().to_owned();
    let start = text.find("Khan acknowledged").unwrap();
    let start = text[..start].chars().count();
    let id = workspace
        .tag_range(3, start..start + 17, 1)
        .unwrap()
        .unwrap();
    let passage = workspace.project().annotation(id).unwrap();
    assert_eq!(passage.quote, "Khan acknowledged");
    assert!(
        passage.prefix.ends_with("Sadiq Khan.\n\n"),
        "{:?}",
        passage.prefix
    );
    assert_eq!(
        passage.prefix.chars().count(),
        marginalia::anchor::CONTEXT_CHARS
    );
    assert!(
        passage.suffix.starts_with(" that the Met"),
        "{:?}",
        passage.suffix
    );
    // The file keeps the context on the passage's one line.
    let ron = store::project_to_ron(workspace.project());
    let line = ron
        .lines()
        .find(|l| l.contains("Khan acknowledged\""))
        .unwrap();
    assert!(
        line.contains("prefix: ") && line.contains("suffix: "),
        "{line}"
    );
}

#[test]
fn reanchoring_is_one_undoable_edit_that_leaves_orphans_alone() {
    let (_dir, project) = sample_copy();
    change_third_document(&project);
    let mut workspace = Workspace::open(&project).unwrap();
    let before = workspace.project().clone();
    assert!(matches!(workspace.source(3), Some(SourceState::Changed(_))));
    let placements = workspace.placements();
    assert_eq!(placements.len(), before.annotations.len());
    let placement = |id| placements.iter().find(|(p, _)| *p == id).unwrap().1;
    assert_eq!(placement(12), Placement::Orphaned(OrphanReason::NotFound));
    assert!(matches!(placement(11), Placement::Reanchored { .. }));
    assert_eq!(placement(1), Placement::Anchored);

    let summary = workspace.reanchor().unwrap();
    assert_eq!(summary.orphaned, 1);
    assert_eq!(summary.documents_updated, 1);
    assert_eq!(
        summary.moved,
        before.annotations.iter().filter(|a| a.doc == 3).count() - 1
    );
    assert!(workspace.is_dirty());
    assert!(matches!(workspace.source(3), Some(SourceState::Ok(_))));
    for annotation in &workspace.project().annotations {
        assert_eq!(workspace.is_anchored(annotation), annotation.id != 12);
    }
    assert_eq!(
        workspace.project().annotation(12),
        before.annotation(12),
        "the orphan keeps its span and quote"
    );

    assert!(workspace.undo());
    assert_eq!(workspace.project(), &before);
    assert!(!workspace.is_dirty());
    assert!(matches!(workspace.source(3), Some(SourceState::Changed(_))));
}

#[test]
fn saving_over_a_file_changed_on_disk_is_refused_until_the_person_overwrites() {
    let (_dir, project) = sample_copy();
    let mut workspace = Workspace::open(&project).unwrap();
    workspace
        .apply(marginalia::edit::Edit::RenameProject("Mine".to_owned()))
        .unwrap();
    assert!(!workspace.changed_on_disk());

    let elsewhere = std::fs::read_to_string(&project)
        .unwrap()
        .replace("Police positive action", "Saved from another window");
    std::fs::write(&project, &elsewhere).unwrap();
    assert!(workspace.changed_on_disk());
    match workspace.save() {
        Err(StoreError::ChangedOnDisk { file }) => assert_eq!(file, project),
        other => panic!("expected ChangedOnDisk, got {other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&project).unwrap(), elsewhere);
    assert!(workspace.is_dirty());

    workspace.save_overwriting().unwrap();
    assert_eq!(store::load_project(&project).unwrap().name, "Mine");
    assert_eq!(
        std::fs::read_to_string(store::backup_path(&project)).unwrap(),
        elsewhere,
        "the overwritten file is kept as the backup"
    );
    assert!(!workspace.is_dirty());
    // What this workspace wrote is what it expects on disk now.
    workspace
        .apply(marginalia::edit::Edit::RenameProject(
            "Mine again".to_owned(),
        ))
        .unwrap();
    workspace.save().unwrap();
    assert_eq!(store::load_project(&project).unwrap().name, "Mine again");
}

#[test]
fn a_touched_but_identical_file_is_not_a_conflict() {
    let (_dir, project) = sample_copy();
    let mut workspace = Workspace::open(&project).unwrap();
    // A sync tool rewrites the same bytes (a new modification time, the same content).
    let bytes = std::fs::read(&project).unwrap();
    std::fs::write(&project, &bytes).unwrap();
    workspace
        .apply(marginalia::edit::Edit::RenameProject("Mine".to_owned()))
        .unwrap();
    workspace.save().unwrap();
    assert_eq!(store::load_project(&project).unwrap().name, "Mine");
}

#[test]
fn two_workspaces_on_one_project_know_about_each_other() {
    let (_dir, project) = sample_copy();
    let lock = store::lock_path(&project);
    let mut first = Workspace::open(&project).unwrap();
    assert!(first.lock_project().unwrap().is_empty());
    assert!(lock.exists());
    let mut second = Workspace::open(&project).unwrap();
    let others = second.lock_project().unwrap();
    assert_eq!(others.len(), 1, "the first window is reported");
    assert_eq!(others[0].pid, std::process::id());
    assert!(
        others[0]
            .describe()
            .contains(&std::process::id().to_string())
    );
    assert_eq!(
        first.other_windows().len(),
        1,
        "the first notices the second"
    );

    drop(first);
    assert!(second.other_windows().is_empty());
    // Save as elsewhere: the lock moves with the project.
    let renamed = project.with_file_name("renamed.ron");
    second.save_as(&renamed).unwrap();
    assert!(!lock.exists());
    assert!(store::lock_path(&renamed).exists());
    drop(second);
    assert!(!store::lock_path(&renamed).exists());
}

#[cfg(target_os = "linux")]
#[test]
fn a_lock_left_by_a_process_that_ended_is_ignored() {
    let (_dir, project) = sample_copy();
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_owned();
    // Above Linux's largest process id, so certainly not running.
    std::fs::write(
        store::lock_path(&project),
        format!("4194321\t{host}\t2020-01-01T00:00:00Z\tcrashed\n"),
    )
    .unwrap();
    let mut workspace = Workspace::open(&project).unwrap();
    assert!(workspace.lock_project().unwrap().is_empty());
    let text = std::fs::read_to_string(store::lock_path(&project)).unwrap();
    assert!(!text.contains("crashed"), "{text}");
    assert!(text.contains(&std::process::id().to_string()));
}
