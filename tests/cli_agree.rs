//! `marginalia agree`, run as a script would run it: the JSON shape, text and JSON telling
//! the same numbers, the CSV table, and errors for people.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marginalia::model::{Annotation, Document, Project};

fn marginalia() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

const TEXTS: [&str; 2] = [
    "The minister said the plan would cut waiting lists by half before the next election.",
    "Critics called the figures misleading; the opposition promised a review of the policy.",
];

/// Two documents coded by ann and ben with the default codebook (quote, statistic, policy,
/// critique); returns the project file.
fn team_project(dir: &Path) -> PathBuf {
    let mut project = Project::new("team");
    for (i, text) in TEXTS.iter().enumerate() {
        let name = format!("d{}.txt", i + 1);
        std::fs::write(dir.join(&name), text).unwrap();
        project.documents.push(Document {
            turns: Vec::new(),
            direction: Default::default(),
            id: i as u32 + 1,
            path: name.clone(),
            title: name,
            sha256: marginalia::anchor::sha256_hex(text.as_bytes()),
            chars: text.chars().count(),
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        });
    }
    let passages = [
        ("ann", 1, 0, 40, 1),
        ("ben", 1, 4, 40, 1),
        ("ann", 1, 41, 80, 3),
        ("ben", 1, 45, 84, 3),
        ("ann", 2, 0, 38, 4),
        ("ben", 2, 0, 40, 4),
        ("ben", 2, 40, 85, 3),
    ];
    for (id, &(coder, doc, start, end, tag)) in passages.iter().enumerate() {
        let text: String = TEXTS[doc as usize - 1]
            .chars()
            .skip(start)
            .take(end - start)
            .collect();
        project.annotations.push(Box::new(Annotation {
            id: id as u32 + 1,
            doc,
            start,
            end,
            tags: vec![tag],
            quote: text,
            coder: coder.to_owned(),
            ..Annotation::default()
        }));
    }
    project.sync_id_counters();
    let path = dir.join("team.ron");
    marginalia::store::save_project(&project, &path).unwrap();
    path
}

fn agree(args: &[&str]) -> Output {
    marginalia().arg("agree").args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let project = team_project(dir.path());
    let output = agree(&[project.to_str().unwrap(), "--json", "--bootstrap", "50"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["coders"], serde_json::json!(["ann", "ben"]));
    assert_eq!(report["documents"], serde_json::json!([1, 2]));
    let characters: usize = TEXTS.iter().map(|t| t.chars().count()).sum();
    assert_eq!(report["characters"], characters);
    let tags = report["tags"].as_array().unwrap();
    assert_eq!(tags.len(), 4);
    for tag in tags {
        assert!(tag["tag"].is_string());
        for key in ["percent", "kappa", "alpha", "alpha_u", "u_alpha"] {
            assert!(tag[key].is_number() || tag[key].is_null(), "{key}: {tag}");
        }
        for key in ["alpha", "alpha_u", "u_alpha"] {
            let ci = &tag["ci95"][key];
            assert!(
                ci.is_null() || ci.as_array().is_some_and(|a| a.len() == 2),
                "{key}: {ci}"
            );
        }
    }
    let quote = &tags[0];
    assert_eq!(quote["tag"], "quote");
    assert!(quote["alpha"].as_f64().unwrap() < 1.0);
    assert!(quote["ci95"]["alpha"].is_array());
    let statistic = &tags[1];
    assert!(statistic["alpha"].is_null(), "nobody used it: {statistic}");
    for key in ["alpha", "alpha_u", "u_alpha", "binary_u_alpha", "cu_alpha"] {
        let value = &report["overall"][key];
        assert!(value.is_number() || value.is_null(), "{key}: {value}");
    }
    assert!(report["overall"]["alpha"].is_number());
}

/// Every number the text prints (four decimals) is the JSON's number rounded.
#[test]
fn text_and_json_tell_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let project = team_project(dir.path());
    let path = project.to_str().unwrap();
    let args = ["--bootstrap", "40", "--seed", "3"];
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&agree(&[&[path, "--json"][..], &args].concat()))).unwrap();
    let text = stdout(&agree(&[&[path][..], &args].concat()));
    let mut section = String::new();
    let mut checked = 0;
    for line in text.lines() {
        if let Some(tag) = line.strip_prefix("tag ") {
            section = tag.to_owned();
            continue;
        }
        if line == "all tags" {
            section = "(all)".to_owned();
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let [name, value, ..] = words[..] else {
            continue;
        };
        let Ok(value) = value.parse::<f64>() else {
            assert!(
                value == "—" || name.ends_with(':') || !line.starts_with("  "),
                "{line}"
            );
            continue;
        };
        let source = if section == "(all)" {
            &json["overall"]
        } else {
            json["tags"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["tag"] == section.as_str())
                .unwrap()
        };
        let expected = source[name].as_f64().unwrap();
        assert_eq!(format!("{expected:.4}"), format!("{value:.4}"), "{line}");
        if let Some(ci) = line.split("95% ").nth(1) {
            let bounds = source["ci95"][name].as_array().unwrap();
            let printed = format!(
                "[{:.4}, {:.4}]",
                bounds[0].as_f64().unwrap(),
                bounds[1].as_f64().unwrap()
            );
            assert_eq!(ci, printed, "{line}");
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} numbers in:\n{text}");
}

#[test]
fn csv_is_the_per_tag_table() {
    let dir = tempfile::tempdir().unwrap();
    let project = team_project(dir.path());
    let output = agree(&[project.to_str().unwrap(), "--csv", "--bootstrap", "0"]);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("tag,percent,kappa,alpha,"));
    assert_eq!(lines.len(), 1 + 4 + 1, "{text}");
    assert!(lines[1].starts_with("quote,"));
    assert!(lines[5].starts_with("(all tags),"));
}

#[test]
fn options_choose_coders_tags_and_documents() {
    let dir = tempfile::tempdir().unwrap();
    let project = team_project(dir.path());
    let path = project.to_str().unwrap();
    let output = agree(&[
        path,
        "--json",
        "--coders",
        "ben,ann",
        "--tags",
        "Quote,policy",
        "--documents",
        "1",
        "--bootstrap",
        "0",
        "--coded-only",
    ]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["coders"], serde_json::json!(["ben", "ann"]));
    assert_eq!(report["documents"], serde_json::json!([1]));
    let names: Vec<&str> = report["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tag"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["quote", "policy"]);
    assert_eq!(report["coded_only"], true);
}

#[test]
fn errors_are_for_people() {
    let dir = tempfile::tempdir().unwrap();
    let project = team_project(dir.path());
    let path = project.to_str().unwrap();

    let unknown_tag = agree(&[path, "--tags", "nonsense"]);
    assert_eq!(unknown_tag.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown_tag.stderr).contains("no tag “nonsense”"));

    let one_coder = agree(&[path, "--coders", "ann"]);
    assert_eq!(one_coder.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&one_coder.stderr).contains("at least two coders"));

    let broken = dir.path().join("broken.ron");
    std::fs::write(
        &broken,
        "Project(format: 1, name: \"x\",\n  codebook: [oops",
    )
    .unwrap();
    let output = agree(&[broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.ron:2:"), "{stderr}");

    let missing = agree(&[dir.path().join("nowhere.ron").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn export_adds_the_agreement_table_to_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let project = team_project(dir.path());
    let path = project.to_str().unwrap();
    let export = |format: &str| {
        let output = marginalia()
            .args(["export", path, "--format", format, "--agreement"])
            .output()
            .unwrap();
        stdout(&output)
    };
    let markdown = export("md");
    assert!(markdown.contains("## Inter-coder agreement"), "{markdown}");
    assert!(markdown.contains("| quote | "), "{markdown}");
    let html = export("html");
    let table = html.find("<section class=\"agreement\">").unwrap();
    assert!(table < html.rfind("</body>").unwrap());
    let plain = marginalia()
        .args(["export", path, "--format", "md"])
        .output()
        .unwrap();
    assert!(!stdout(&plain).contains("Inter-coder agreement"));
}
