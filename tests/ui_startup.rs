//! How the app starts as the installed program starts it: the first time on the sample
//! project, copied out of the binary into the data folder; with a `.qdpx` from the file
//! manager, on that project imported beside the archive.

mod support;

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::ui::{MarginaliaApp, Preferences, StartupProject};
use support::run_until;

fn started(startup: StartupProject, data_dir: &Path) -> Harness<'static, MarginaliaApp> {
    let data_dir = data_dir.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            MarginaliaApp::starting(&cc.egui_ctx, startup, Preferences::default(), &data_dir)
        });
    harness.run_steps(4);
    harness
}

#[test]
fn the_first_start_opens_the_sample_copied_into_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let harness = started(StartupProject::LastOrSample, &data);
    let app = harness.state();
    let sample = data.join("sample/projects/seeds.ron");
    assert_eq!(app.workspace().path(), Some(sample.as_path()));
    assert!(app.window_title().contains("Police positive action"));
    assert_eq!(app.workspace().project().documents.len(), 5);
    assert!(
        app.workspace()
            .project()
            .documents
            .iter()
            .all(|d| app.workspace().text(d.id).is_some())
    );
}

fn sample_qdpx(dir: &Path) -> (PathBuf, usize) {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let workspace = marginalia::Workspace::open(&sample).unwrap();
    let bytes =
        marginalia::export::export(marginalia::export::Format::Qdpx, &workspace.corpus()).unwrap();
    let archive = dir.join("study.qdpx");
    std::fs::write(&archive, bytes).unwrap();
    (archive, workspace.project().annotations.len())
}

#[test]
fn a_qdpx_to_open_is_imported_beside_it_and_never_over_an_earlier_import() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (archive, passages) = sample_qdpx(dir.path());

    for (n, expected) in [(1, "study.ron"), (2, "study-2.ron")] {
        let mut harness = started(StartupProject::Import(archive.clone()), &data);
        let imported = dir.path().join(expected);
        run_until(&mut harness, "the imported project", |app| {
            app.workspace().path() == Some(imported.as_path())
        });
        let app = harness.state();
        assert_eq!(app.workspace().project().annotations.len(), passages);
        assert!(
            app.workspace()
                .project()
                .annotations
                .iter()
                .all(|a| app.workspace().is_anchored(a)),
            "start {n}"
        );
        assert!(app.window_title().contains("Police positive action"));
    }
    // The first import is as it was written: the second chose another name.
    let first = marginalia::Workspace::open(&dir.path().join("study.ron")).unwrap();
    assert_eq!(first.project().annotations.len(), passages);
    assert!(
        !data.join("imported").exists(),
        "the archive's folder was writable"
    );
}

#[test]
fn a_qdpx_that_cannot_be_read_says_so_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("broken.qdpx");
    std::fs::write(&archive, b"not a zip archive").unwrap();
    let mut harness = started(StartupProject::Import(archive), &dir.path().join("data"));
    run_until(&mut harness, "the error", |app| {
        app.dialog_message().is_some()
    });
    let message = harness.state().dialog_message().unwrap();
    assert!(
        message.contains("broken.qdpx") && message.contains("not a REFI-QDA project"),
        "{message}"
    );
    assert!(!dir.path().join("broken.ron").exists());
}

/// Permission bits do not stop root, so this needs an ordinary user: run it with
/// `cargo test --test ui_startup -- --ignored` as one (CI runs as root).
#[cfg(unix)]
#[test]
#[ignore = "needs an unprivileged user: permission bits do not stop root"]
fn a_qdpx_in_a_read_only_folder_is_imported_into_the_data_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let (archive, passages) = sample_qdpx(&shared);
    let data = dir.path().join("data");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o555)).unwrap();
    assert!(
        tempfile::tempfile_in(&shared).is_err(),
        "this user can write in a read-only folder (root): run as an ordinary user"
    );
    let mut harness = started(StartupProject::Import(archive), &data);
    let imported = data.join("imported/study/study.ron");
    run_until(&mut harness, "the imported project", |app| {
        app.workspace().path() == Some(imported.as_path())
    });
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        harness.state().workspace().project().annotations.len(),
        passages
    );
    // The status bar says why the project is not beside the archive.
    assert!(
        harness
            .query_by_label_contains("its own folder is read-only")
            .is_some()
    );
    assert_eq!(
        std::fs::read_dir(&shared).unwrap().count(),
        1,
        "only the archive"
    );
}
