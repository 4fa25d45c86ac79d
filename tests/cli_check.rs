//! `marginalia check`, run as a script would run it.

use std::path::Path;
use std::process::Command;

fn marginalia() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

fn sample() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron")
}

#[test]
fn the_sample_project_checks_clean_as_json() {
    let output = marginalia()
        .args(["check", sample().to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let documents = report["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 5);
    assert!(documents.iter().all(|d| d["status"] == "ok"));
    let annotations = &report["annotations"];
    assert_eq!(annotations["anchored"], annotations["total"]);
    assert_eq!(annotations["mismatched"], 0);
}

#[test]
fn a_changed_document_is_reported_and_fails_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    let projects = dir.path().join("projects");
    std::fs::create_dir_all(&projects).unwrap();
    std::fs::create_dir_all(&seeds).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), seeds.join(entry.file_name())).unwrap();
    }
    std::fs::copy(sample(), projects.join("seeds.ron")).unwrap();
    // Insert text at the start of one article: its passages no longer sit on their quotes.
    let edited = seeds.join("002_c2d47f878a0c9e5f.txt");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, format!("Editor's note: updated.\n{text}")).unwrap();
    std::fs::remove_file(seeds.join("004_36a6fe7c59615a69.txt")).unwrap();

    let output = marginalia()
        .args([
            "check",
            projects.join("seeds.ron").to_str().unwrap(),
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let status = |id: u64| {
        report["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status(3), "changed");
    assert_eq!(status(5), "missing");
    assert_eq!(status(1), "ok");
    let annotations = &report["annotations"];
    assert!(annotations["mismatched"].as_u64().unwrap() > 0);
    assert_eq!(
        annotations["anchored"].as_u64().unwrap() + annotations["mismatched"].as_u64().unwrap(),
        annotations["total"].as_u64().unwrap()
    );
}

#[test]
fn a_malformed_project_exits_non_zero_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("broken.ron");
    let text = std::fs::read_to_string(sample())
        .unwrap()
        .replacen("chars:", "chars", 1);
    std::fs::write(&project, &text).unwrap();
    let output = marginalia()
        .args(["check", project.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let line = text.lines().position(|l| l.contains("chars ")).unwrap() + 1;
    assert!(
        stderr.starts_with(&format!("{}:{line}:", project.display())),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&project).unwrap(),
        text,
        "the file is untouched"
    );
}
