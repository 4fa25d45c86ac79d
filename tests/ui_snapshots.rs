//! Rendered snapshots of the real app (wgpu on Mesa's CPU Vulkan driver). They need a GPU
//! adapter, so they run only with `--features snapshots`, which CI turns on.
#![cfg(feature = "snapshots")]

mod support;

use std::path::Path;

use egui::pos2;
use egui_kittest::Harness;
use marginalia::Workspace;
use marginalia::ui::MarginaliaApp;

/// The app on `workspace`, drawn by wgpu, in a window of `size`.
fn rendered(workspace: Workspace, size: egui::Vec2) -> Harness<'static, MarginaliaApp> {
    support::app_harness_from(Harness::builder().with_size(size).wgpu(), workspace)
}

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
    let mut harness = rendered(workspace, egui::vec2(1280.0, 800.0));
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

/// Paragraphs in seven scripts, with passages on Arabic and Hebrew words and a selection in
/// the mixed line, in both themes: right-to-left paragraphs set from the right, joined,
/// with the full stop at the left; English names and numbers inside in their own order.
#[test]
fn every_script_in_the_light_theme() {
    every_script(false);
}

#[test]
fn every_script_in_the_dark_theme() {
    every_script(true);
}

fn every_script(dark: bool) {
    let fixed = std::env::temp_dir().join(format!("marginalia-snapshot-scripts-{dark}"));
    let _ = std::fs::remove_dir_all(&fixed);
    std::fs::create_dir_all(&fixed).unwrap();
    let file = fixed.join("scripts.txt");
    let text = "قال الضابط إن البرنامج ساعد الموظفين كثيرا.\n\
                השוטר אמר שהתוכנית עזרה לעובדים מאוד.\n\
                وقال John Smith إن 1,500 موظف شاركوا منذ عام 2017.\n\
                अधिकारी ने कहा कि कार्यक्रम से कर्मचारियों को मदद मिली।\n\
                அதிகாரி திட்டம் ஊழியர்களுக்கு உதவியது என்றார்.\n\
                เจ้าหน้าที่กล่าวว่าโครงการช่วยพนักงานได้มาก\n\
                Family 👩‍👩‍👧 and thumbs 👍🏽 in one line.\n";
    std::fs::write(&file, text).unwrap();
    {
        let mut workspace = Workspace::from_files(std::slice::from_ref(&file)).unwrap();
        workspace.coder = "tester".to_owned();
        let doc = workspace.project().documents[0].id;
        // "الضابط" (quote) and "אמר" (statistic, with policy over the whole Hebrew line).
        workspace.tag_range(doc, 4..10, 1).unwrap();
        let hebrew = text.lines().next().unwrap().chars().count() + 1;
        workspace.tag_range(doc, hebrew + 6..hebrew + 9, 2).unwrap();
        workspace.tag_range(doc, hebrew..hebrew + 37, 3).unwrap();
        let mut harness = rendered(workspace, egui::vec2(1100.0, 520.0));
        // The theme a person chose is set on the window's context at start-up; here, on
        // the harness's.
        harness.ctx.set_theme(if dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        harness.run_steps(4);
        let mixed = (text
            .lines()
            .take(2)
            .map(|l| l.chars().count() + 1)
            .sum::<usize>())
            ..(text
                .lines()
                .take(2)
                .map(|l| l.chars().count() + 1)
                .sum::<usize>()
                + 15);
        harness.state_mut().perform(
            &egui::Context::default(),
            marginalia::ui::Action::SelectRange { doc, range: mixed },
        );
        harness.run_steps(4);
        harness.snapshot(if dark {
            "scripts_dark"
        } else {
            "scripts_light"
        });
    }
}

/// "Save as PNG…" beside the tag frequencies: the path typed in the app's prompt gets a PNG
/// of exactly the chart's rectangle, with the tags' colours in it (the screenshot needs
/// the renderer, hence this file).
#[test]
fn a_chart_of_the_analysis_view_is_saved_as_png() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = Workspace::open(&root.join("projects/seeds.ron")).unwrap();
    let mut harness = rendered(workspace, egui::vec2(1400.0, 1000.0));
    harness.run_steps(4);
    harness.get_by_label("Analysis").click();
    harness.run_steps(2);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !harness.state().analysis_is_current() {
        assert!(
            std::time::Instant::now() < deadline,
            "the figures never came"
        );
        harness.step();
    }
    harness.run_steps(2);
    let rect = harness
        .state()
        .analysis_chart_rect(marginalia::ui::Chart::Frequencies)
        .expect("the chart is on screen");

    harness
        .get_all_by_label("Save as PNG…")
        .next()
        .expect("a Save as PNG button")
        .click();
    harness.run_steps(4);
    let path = dir.path().join("frequencies.png");
    assert_eq!(
        harness.state().dialog_message().as_deref(),
        Some("path prompt: SaveChart(Frequencies)")
    );
    harness
        .get_by_role(egui::accesskit::Role::TextInput)
        .type_text(&path.display().to_string());
    harness.run_steps(1);
    harness.get_by_label("OK").click();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !path.exists() {
        assert!(std::time::Instant::now() < deadline, "no PNG was written");
        harness.step();
        std::thread::yield_now();
    }
    let png = image::open(&path).unwrap().to_rgba8();
    let ppp = harness.ctx.pixels_per_point();
    let expected = (rect.size() * ppp).round();
    assert!(
        (png.width() as f32 - expected.x).abs() <= 1.0
            && (png.height() as f32 - expected.y).abs() <= 1.0,
        "{}×{} for a chart of {expected:?} pixels",
        png.width(),
        png.height()
    );
    // The picture is the chart, not some other part of the window: the middle of each
    // bar, where the app drew it, has that tag's hue (quote blue, critique vermilion).
    let project = harness.state().workspace().project().clone();
    let pixel_at = |tag: &str| {
        let id = project.codebook.iter().find(|t| t.name == tag).unwrap().id;
        let centre = harness.state().analysis_bar(id).expect("the bar was drawn");
        let at = ((centre - rect.min) * ppp).round();
        png.get_pixel(at.x as u32, at.y as u32).0
    };
    let [r, g, b, _] = pixel_at("quote");
    assert!(
        b > 2 * r.max(10) && b > g,
        "quote's bar is blue: {r} {g} {b}"
    );
    let [r, g, b, _] = pixel_at("critique");
    assert!(
        r > 2 * b.max(10) && r > g,
        "critique's bar is vermilion: {r} {g} {b}"
    );
}
