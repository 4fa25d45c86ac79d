//! `marginalia attributes` and `marginalia stats`, run as a script would run them, on a copy
//! of the sample project.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn marginalia(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .unwrap()
}

/// The sample project and its texts in a temporary folder; returns the project file.
fn sample_copy(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["seeds", "projects"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    for entry in std::fs::read_dir(root.join("seeds")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("seeds").join(entry.file_name())).unwrap();
    }
    let project = dir.join("projects/seeds.ron");
    std::fs::copy(root.join("projects/seeds.ron"), &project).unwrap();
    project
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn attributes_import_then_stats_by_attribute() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_copy(dir.path());
    let csv = dir.path().join("attributes.csv");
    std::fs::write(
        &csv,
        "document,outlet,year\n\
         1,Telegraph,2021\n\
         ../seeds/001_3d90d8b929a68814.txt,Guardian,2019\n\
         Met Police ‘not free from racism’ as it launches action plan,Telegraph,\n",
    )
    .unwrap();
    let p = project.to_str().unwrap();
    let output = marginalia(&["attributes", p, "--import", csv.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(said.contains(":2: \"1\" is document 1"), "{said}");
    assert!(said.contains("(by its id)") && said.contains("(by its path)"));
    assert!(said.contains("(by its title)"), "{said}");
    assert!(said.contains("New attribute \"year\" (number)"), "{said}");
    let saved = std::fs::read_to_string(&project).unwrap();
    assert!(saved.contains("Attribute(id: 1, name: \"outlet\", kind: Text, description: \"\")"));
    assert!(saved.contains("attributes: {1: \"Telegraph\", 2: \"2021\"})"));

    let output = marginalia(&["stats", p, "--json", "--by", "outlet"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["documents"], 5);
    assert_eq!(json["characters"], 36075);
    let values = json["by"]["values"].as_array().unwrap();
    let summary: Vec<(serde_json::Value, u64)> = values
        .iter()
        .map(|v| (v["value"].clone(), v["documents"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("Guardian".into(), 1),
            ("Telegraph".into(), 2),
            (serde_json::Value::Null, 2)
        ]
    );
    // Each group's passages per tag add up to the tag's passages.
    for (index, tag) in json["tags"].as_array().unwrap().iter().enumerate() {
        let name = tag["tag"].as_str().unwrap();
        let sum: u64 = values
            .iter()
            .map(|v| v["passages"][name].as_u64().unwrap())
            .sum();
        assert_eq!(sum, tag["passages"].as_u64().unwrap(), "{name}");
        assert_eq!(
            json["cooccurrence"]["same_passage"][index][index],
            tag["passages"]
        );
    }

    let output = marginalia(&["stats", p, "--json", "--documents", "year>=2020"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["documents"], 1);
    assert_eq!(json["per_document"][0]["id"], 1);

    let exported = dir.path().join("out.csv");
    let output = marginalia(&["attributes", p, "--export", exported.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(text.starts_with("document,outlet,year\r\n"), "{text}");
    assert_eq!(text.lines().count(), 6);
}

#[test]
fn a_bad_csv_is_reported_with_line_and_column_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_copy(dir.path());
    let before = std::fs::read(&project).unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(&csv, "document,year\n1,2020\nNo such article,2021\n").unwrap();
    let p = project.to_str().unwrap();
    let output = marginalia(&["attributes", p, "--import", csv.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let said = stderr(&output);
    assert!(
        said.contains(&format!(
            "{}:3:1: no document has the title, path or id \"No such article\"",
            csv.display()
        )),
        "{said}"
    );
    assert!(said.contains("nothing was imported"), "{said}");
    assert_eq!(std::fs::read(&project).unwrap(), before);
    assert!(!dir.path().join("projects/seeds.ron.bak").exists());

    std::fs::write(&csv, "document,year\n1,\"2020\n").unwrap();
    let output = marginalia(&["attributes", p, "--import", csv.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("bad.csv:2:2: this quoted field is never closed"));
    assert_eq!(std::fs::read(&project).unwrap(), before);
}

#[test]
fn stats_csv_is_a_code_by_document_matrix() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let output = marginalia(&["stats", sample.to_str().unwrap(), "--csv"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    assert_eq!(reader.headers().unwrap().len(), 1 + 5);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let tags: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(tags, ["quote", "statistic", "policy", "critique"]);
    let quotes: u32 = rows[0]
        .iter()
        .skip(1)
        .map(|n| n.parse::<u32>().unwrap())
        .sum();
    assert_eq!(quotes, 9);
}

#[test]
fn stats_options_that_name_nothing_are_refused() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let s = sample.to_str().unwrap();
    let output = marginalia(&["stats", s, "--by", "outlet"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no attribute is named \"outlet\""));
    let output = marginalia(&["stats", s, "--documents", "year>"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--documents"),
        "{}",
        stderr(&output)
    );
}
