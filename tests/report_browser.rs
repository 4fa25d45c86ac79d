//! The HTML report in a real browser: headless Chromium (Debian's `chromium`) renders the
//! report of the sample project (with an attribute) under a Content-Security-Policy that
//! forbids every script, and its DOM holds the charts (inline SVG) and the tables; its
//! screenshot shows the bars in the tags' colours. (Chromium's own "scripts off" setting
//! also stops `--dump-dom` and `--screenshot`, so the policy is what turns scripts off.)
//! Needs `chromium` on the PATH, hence `--features external-tools` (.ci/run installs it).
#![cfg(feature = "external-tools")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use marginalia::export::{self, Format};
use marginalia::workspace::Workspace;

/// A policy that lets the page run no script at all.
const NO_SCRIPT: &str =
    "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none'\" />";

/// `html` with [`NO_SCRIPT`] first in its head.
fn without_scripts(html: &str) -> String {
    let at = html.find("<head>").expect("a head") + "<head>".len();
    format!("{}{NO_SCRIPT}{}", &html[..at], &html[at..])
}

/// The sample project's report, with an attribute `outlet` on three documents, in `dir`,
/// with scripts forbidden.
fn report(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut workspace = Workspace::open(&root.join("projects/seeds.ron")).unwrap();
    common::with_outlet(&mut workspace, &["Telegraph", "Guardian", "Telegraph"]);
    let html =
        String::from_utf8(export::export(Format::Html, &workspace.corpus()).unwrap()).unwrap();
    assert!(!html.contains("<script"), "the report carries no script");
    let file = dir.join("report.html");
    std::fs::write(&file, without_scripts(&html)).unwrap();
    file
}

/// Run headless Chromium on `file` with `args`; its standard output.
fn chromium(profile: &Path, file: &Path, args: &[&str]) -> String {
    let output = Command::new("chromium")
        .args([
            "--headless",
            // Root in a CI container has no user namespace for the sandbox.
            "--no-sandbox",
            "--disable-gpu",
            "--force-color-profile=srgb",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(file)
        .output()
        .expect("chromium runs (apt-get install chromium)");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_report_renders_its_charts_and_tables_in_chromium_without_script() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");

    // The policy works in this browser: a page's script under it does not run.
    let control = dir.path().join("control.html");
    std::fs::write(
        &control,
        without_scripts(
            "<html><head></head><body><p id=\"x\">static</p>\
             <script>document.getElementById('x').textContent = 'ran';</script></body></html>",
        ),
    )
    .unwrap();
    let dom = chromium(&profile, &control, &["--dump-dom"]);
    assert!(dom.contains("<p id=\"x\">static</p>"), "{dom}");

    let file = report(dir.path());

    let dom = chromium(&profile, &file, &["--dump-dom"]);
    // The rendered document, as the browser built it.
    assert!(dom.contains("<html"), "{dom}");
    assert_eq!(dom.matches("<svg").count(), 2, "two charts");
    assert!(dom.contains("<title id=\"tag-chart-title\">Passages per tag</title>"));
    assert!(dom.contains("<title id=\"by-chart-title-0\">Passages per tag by outlet</title>"));
    // Bars as SVG rectangles with their figures: quote has 9 passages in the sample.
    assert!(dom.contains("<title>quote: 9 passages</title>"));
    assert!(dom.matches("passages</title></rect>").count() >= 4 + 4 * 3);
    // The tables: counts, frequencies, the two co-occurrence matrices, by outlet.
    for id in ["counts", "frequencies", "cooccurrence", "by-attribute"] {
        assert!(dom.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert!(dom.matches("<table").count() >= 5);
    assert!(dom.contains("<th scope=\"row\">Telegraph</th>"));

    // Screenshots of the page and of the same page without its charts: the charts paint
    // their bars and legends in the tags' colours (the tables' tag chips use them too).
    let html = std::fs::read_to_string(&file).unwrap();
    let mut bare = String::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<svg") {
        bare.push_str(&rest[..start]);
        let end = rest[start..].find("</svg>").expect("a closed svg") + start;
        rest = &rest[end + "</svg>".len()..];
    }
    bare.push_str(rest);
    let bare_file = dir.path().join("bare.html");
    std::fs::write(&bare_file, bare).unwrap();
    let shoot = |page: &Path, name: &str| {
        let shot = dir.path().join(name);
        chromium(
            &profile,
            page,
            &[
                &format!("--screenshot={}", shot.display()),
                "--window-size=1000,4000",
            ],
        );
        let image = image::open(&shot).expect("a PNG screenshot").to_rgba8();
        assert_eq!(image.dimensions(), (1000, 4000));
        image
    };
    let (with, without) = (shoot(&file, "report.png"), shoot(&bare_file, "bare.png"));
    let painted = |image: &image::RgbaImage, rgb: [u8; 3]| {
        image
            .pixels()
            .filter(|p| p.0[..3].iter().zip(rgb).all(|(a, b)| a.abs_diff(b) <= 3))
            .count()
    };
    for (tag, rgb) in [
        ("quote", [0x00, 0x72, 0xB2]),
        ("statistic", [0xE6, 0x9F, 0x00]),
        ("policy", [0x00, 0x9E, 0x73]),
        ("critique", [0xD5, 0x5E, 0x00]),
    ] {
        let (charts, chips) = (painted(&with, rgb), painted(&without, rgb));
        assert!(
            charts > chips + 1000,
            "{tag}: {charts} pixels in its colour with the charts, {chips} without"
        );
    }
}
