//! What the tests of the real window share: copies of the sample corpus to work on, the app
//! in a test harness, and pointer gestures made as a person makes them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use egui::{Pos2, pos2};
use egui_kittest::{Harness, HarnessBuilder};
use marginalia::Workspace;
use marginalia::ui::{MarginaliaApp, Preferences};

/// The seed article most tests tag.
pub const SEED: &str = "002_c2d47f878a0c9e5f.txt";

/// One seed article copied into `dir`.
pub fn seed_copy(dir: &Path) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(SEED);
    let target = dir.join(SEED);
    std::fs::copy(source, &target).unwrap();
    target
}

/// A project saved in `dir` holding one seed article.
pub fn saved_project(dir: &Path) -> PathBuf {
    let seed = seed_copy(dir);
    let project = dir.join("study.ron");
    let mut workspace = Workspace::from_files(&[seed]).unwrap();
    workspace.save_as(&project).unwrap();
    project
}

/// The sample project and its texts copied into `dir` (`projects/seeds.ron` over
/// `seeds/`), so that nothing the app writes lands in the repository.
pub fn sample_copy(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(dir.join("projects")).unwrap();
    std::fs::create_dir_all(dir.join("seeds")).unwrap();
    for entry in std::fs::read_dir(root.join("seeds")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("seeds").join(entry.file_name())).unwrap();
    }
    let project = dir.join("projects").join("seeds.ron");
    std::fs::copy(root.join("projects").join("seeds.ron"), &project).unwrap();
    project
}

/// The app on `workspace` in a window of `width` × `height`, after its first frames.
pub fn app_harness_sized(
    workspace: Workspace,
    width: f32,
    height: f32,
) -> Harness<'static, MarginaliaApp> {
    app_harness_from(
        Harness::builder().with_size(egui::vec2(width, height)),
        workspace,
    )
}

/// The app on `workspace` (its coder named) in a harness as `builder` sets it up (size,
/// renderer, time between frames), after its first frames.
pub fn app_harness_from(
    builder: HarnessBuilder<MarginaliaApp>,
    workspace: Workspace,
) -> Harness<'static, MarginaliaApp> {
    let mut harness = builder.build_eframe(move |_cc| {
        MarginaliaApp::with_workspace(
            workspace,
            Preferences {
                coder: Some("tester".to_owned()),
                ..Preferences::default()
            },
        )
    });
    harness.run_steps(4);
    harness
}

/// The app on `workspace` in a 1280 × 800 window.
pub fn app_harness(workspace: Workspace) -> Harness<'static, MarginaliaApp> {
    app_harness_sized(workspace, 1280.0, 800.0)
}

/// Press at `from`, move through the middle to `to`, release.
pub fn drag(harness: &mut Harness<'_, MarginaliaApp>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.run_steps(2);
    harness.drag_at(from);
    harness.run_steps(2);
    harness.hover_at(pos2((from.x + to.x) / 2.0, (from.y + to.y) / 2.0));
    harness.run_steps(2);
    harness.hover_at(to);
    harness.run_steps(2);
    harness.drop_at(to);
    harness.run_steps(2);
}

/// Press and release at one place.
pub fn click_at(harness: &mut Harness<'_, MarginaliaApp>, at: Pos2) {
    harness.hover_at(at);
    harness.run_steps(1);
    harness.drag_at(at);
    harness.run_steps(1);
    harness.drop_at(at);
    harness.run_steps(3);
}

/// Step the app until `done` holds: for work the app does on worker threads (saving,
/// opening, the recovery copy). Fails the test after 30 s.
pub fn run_until(
    harness: &mut Harness<'_, MarginaliaApp>,
    what: &str,
    mut done: impl FnMut(&MarginaliaApp) -> bool,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done(harness.state()) {
        assert!(
            std::time::Instant::now() < deadline,
            "gave up waiting for {what}"
        );
        harness.step();
        std::thread::yield_now();
    }
    harness.run_steps(2);
}
