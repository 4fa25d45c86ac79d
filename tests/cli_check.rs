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

/// The sample project and its seeds copied to a temporary folder, laid out as in the
/// repository (`projects/seeds.ron` beside `seeds/`).
fn sample_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    let projects = dir.path().join("projects");
    std::fs::create_dir_all(&projects).unwrap();
    std::fs::create_dir_all(&seeds).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), seeds.join(entry.file_name())).unwrap();
    }
    let project = projects.join("seeds.ron");
    std::fs::copy(sample(), &project).unwrap();
    (dir, project)
}

fn check_json(project: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let output = marginalia()
        .arg("check")
        .arg(project)
        .arg("--json")
        .args(extra)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), report)
}

fn count(report: &serde_json::Value, key: &str) -> u64 {
    report["annotations"][key].as_u64().unwrap()
}

/// Text inserted above every passage of document 3 and one of its passages deleted;
/// document 4 converted to CRLF line ends. Returns the deleted passage's id.
fn change_sources(project: &Path) -> u32 {
    let seeds = project.parent().unwrap().parent().unwrap().join("seeds");
    let before = marginalia::store::load_project(project).unwrap();
    let deleted = before.annotations.iter().find(|a| a.id == 12).unwrap();
    let third = seeds.join("002_c2d47f878a0c9e5f.txt");
    let text = std::fs::read_to_string(&third).unwrap();
    assert!(text.contains(&deleted.quote));
    let text = format!("Editor’s note: this article was updated.\n\n{text}")
        .replace(deleted.quote.as_str(), "");
    std::fs::write(&third, text).unwrap();
    let fourth = seeds.join("003_38e58dabd02f397c.txt");
    let text = std::fs::read_to_string(&fourth).unwrap();
    std::fs::write(&fourth, text.replace('\n', "\r\n")).unwrap();
    deleted.id
}

#[test]
fn check_counts_every_passage_as_anchored_reanchored_or_orphaned() {
    let (_dir, project) = sample_copy();
    let deleted = change_sources(&project);
    let before = marginalia::store::load_project(&project).unwrap();
    let on_changed = |doc: u32| before.annotations.iter().filter(|a| a.doc == doc).count() as u64;

    let (code, report) = check_json(&project, &[]);
    assert_eq!(code, Some(1));
    let total = count(&report, "total");
    assert_eq!(total, before.annotations.len() as u64);
    assert_eq!(
        count(&report, "anchored") + count(&report, "reanchored") + count(&report, "orphaned"),
        total
    );
    assert_eq!(count(&report, "orphaned"), 1, "{report}");
    assert_eq!(
        count(&report, "reanchored"),
        on_changed(3) - 1 + on_changed(4)
    );
    assert_eq!(
        count(&report, "anchored"),
        total - on_changed(3) - on_changed(4)
    );
    assert_eq!(
        count(&report, "mismatched"),
        count(&report, "reanchored") + count(&report, "orphaned")
    );
    assert!(report.get("fixed").is_none());
    assert_eq!(
        marginalia::store::load_project(&project).unwrap(),
        before,
        "check without --fix writes nothing"
    );
    assert!(!marginalia::store::backup_path(&project).exists());

    let human = marginalia().arg("check").arg(&project).output().unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(human.contains("found elsewhere"), "{human}");
    assert!(human.contains(&format!("passage {deleted} ")), "{human}");
}

#[test]
fn check_fix_writes_the_moves_atomically_and_keeps_the_orphans() {
    let (dir, project) = sample_copy();
    let deleted = change_sources(&project);
    let original_bytes = std::fs::read(&project).unwrap();
    let before = marginalia::store::load_project(&project).unwrap();
    let (_, found) = check_json(&project, &[]);

    let (code, report) = check_json(&project, &["--fix"]);
    assert_eq!(code, Some(1), "an orphan still needs attention: {report}");
    assert_eq!(
        report["fixed"]["moved"].as_u64(),
        Some(count(&found, "reanchored"))
    );
    assert_eq!(report["fixed"]["documents_updated"], 2);
    let backup = marginalia::store::backup_path(&project);
    assert_eq!(
        std::fs::read(&backup).unwrap(),
        original_bytes,
        "the previous file is kept"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("projects"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "seeds.ron" && name != "seeds.ron.bak")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Re-checked: the moved passages are anchored, the orphan is still an orphan.
    let (code, after) = check_json(&project, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        count(&after, "anchored"),
        count(&found, "anchored") + count(&found, "reanchored")
    );
    assert_eq!(count(&after, "reanchored"), 0);
    assert_eq!(count(&after, "orphaned"), 1);
    let statuses: Vec<&str> = after["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert!(statuses.iter().all(|s| *s == "ok"), "{statuses:?}");

    // The orphan is in the file exactly as it was; moved passages sit on their quotes.
    let fixed = marginalia::Workspace::open(&project).unwrap();
    let orphan = fixed.project().annotation(deleted).unwrap();
    assert_eq!(Some(orphan), before.annotation(deleted));
    for annotation in &fixed.project().annotations {
        if annotation.id != deleted {
            assert!(fixed.is_anchored(annotation), "passage {}", annotation.id);
        }
    }
    // Nothing left to move: a second --fix writes nothing.
    std::fs::remove_file(&backup).unwrap();
    let (code, report) = check_json(&project, &["--fix"]);
    assert_eq!(code, Some(1));
    assert_eq!(report["fixed"]["moved"], 0);
    assert!(report["fixed"].get("backup").is_none());
    assert!(!backup.exists());
}

#[test]
fn check_fix_on_a_clean_project_changes_nothing() {
    let (_dir, project) = sample_copy();
    let bytes = std::fs::read(&project).unwrap();
    let (code, report) = check_json(&project, &["--fix"]);
    assert_eq!(code, Some(0));
    assert!(report.get("fixed").is_none());
    assert_eq!(std::fs::read(&project).unwrap(), bytes);
    assert!(!marginalia::store::backup_path(&project).exists());
}
