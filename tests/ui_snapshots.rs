//! Rendered snapshots of the real app (wgpu on Mesa's CPU Vulkan driver). They need a GPU
//! adapter, so they run only with `--features snapshots`, which CI turns on.
#![cfg(feature = "snapshots")]

use std::path::Path;

use egui::pos2;
use egui_kittest::Harness;
use marginalia::Workspace;
use marginalia::ui::{MarginaliaApp, Preferences};

#[test]
fn the_sample_project_with_a_selection_and_its_tag_bar() {
    // A fixed folder: the status bar shows the project's path, which must not depend on
    // where the repository was cloned.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixed = std::env::temp_dir().join("marginalia-snapshot");
    let _ = std::fs::remove_dir_all(&fixed);
    for folder in ["seeds", "projects"] {
        std::fs::create_dir_all(fixed.join(folder)).unwrap();
    }
    for entry in std::fs::read_dir(root.join("seeds")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), fixed.join("seeds").join(entry.file_name())).unwrap();
    }
    let sample = fixed.join("projects/seeds.ron");
    std::fs::copy(root.join("projects/seeds.ron"), &sample).unwrap();
    let workspace = Workspace::open(&sample).unwrap();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .wgpu()
        .build_eframe(move |_cc| {
            MarginaliaApp::with_workspace(
                workspace,
                Preferences {
                    coder: Some("tester".to_owned()),
                    ..Preferences::default()
                },
            )
        });
    harness.run_steps(4);
    let (from, to) = (pos2(560.0, 295.0), pos2(708.0, 318.0));
    harness.hover_at(from);
    harness.run_steps(1);
    harness.drag_at(from);
    harness.run_steps(1);
    harness.hover_at(to);
    harness.run_steps(1);
    harness.drop_at(to);
    harness.run_steps(4);
    assert!(harness.state().selection().is_some());
    harness.snapshot("sample_project_selection");
}
