//! `marginalia merge`, run as a person would: two coders' projects of the same articles, kept
//! in different folders, become one team project that opens and checks clean.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marginalia::Workspace;
use marginalia::model::{Project, Tag};
use marginalia::store;

const SEEDS: [&str; 2] = ["002_c2d47f878a0c9e5f.txt", "003_38e58dabd02f397c.txt"];

fn marginalia(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The two seed articles copied into `dir/seeds`.
fn seeds(dir: &Path) -> Vec<PathBuf> {
    let folder = dir.join("seeds");
    std::fs::create_dir_all(&folder).unwrap();
    SEEDS
        .iter()
        .map(|name| {
            let to = folder.join(name);
            std::fs::copy(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("seeds")
                    .join(name),
                &to,
            )
            .unwrap();
            to
        })
        .collect()
}

/// A project at `file` over `documents` (in this order), with passages
/// (document index, start, end, tag) made by `coder` as the app makes them.
fn coded_project(
    file: &Path,
    documents: &[PathBuf],
    coder: &str,
    passages: &[(usize, usize, usize, u32)],
) -> Project {
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let mut workspace = Workspace::new_at(file, "Team study");
    let ids: Vec<u32> = documents
        .iter()
        .map(|d| workspace.add_document_file(d).unwrap().0)
        .collect();
    workspace.coder = coder.to_owned();
    for &(document, start, end, tag) in passages {
        workspace.tag_range(ids[document], start..end, tag).unwrap();
    }
    workspace.save().unwrap();
    workspace.project().clone()
}

#[test]
fn two_coders_in_different_folders_merge_into_a_team_project_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let texts = seeds(dir.path());
    let ann = dir.path().join("ann/ann.ron");
    let ben = dir.path().join("ben/coding.ron");
    coded_project(&ann, &texts, "", &[(0, 0, 60, 1), (0, 200, 260, 4)]);
    // Ben added the articles the other way round, coded one span as Ann did, renamed a tag
    // and made one of his own.
    let mut ben_project = coded_project(
        &ben,
        &[texts[1].clone(), texts[0].clone()],
        "ben",
        &[(1, 0, 60, 1), (0, 10, 40, 2)],
    );
    ben_project.codebook[0].name = " QUOTE ".to_owned();
    ben_project.codebook.push(Tag {
        id: 5,
        name: "trust".to_owned(),
        color: "#CC79A7".to_owned(),
        key: "1".to_owned(),
        description: String::new(),
        parent: None,
    });
    ben_project
        .annotations
        .iter_mut()
        .find(|a| a.tags == [2])
        .unwrap()
        .tags
        .push(5);
    ben_project.documents[1].memo = "Ben's memo".to_owned();
    store::save_project(&ben_project, &ben).unwrap();

    let team = dir.path().join("team/team.ron");
    std::fs::create_dir_all(team.parent().unwrap()).unwrap();
    let output = marginalia(&[
        "merge",
        ann.to_str().unwrap(),
        ben.to_str().unwrap(),
        "-o",
        team.to_str().unwrap(),
        "--coder-for",
        &format!("{}=Ann", ann.display()),
    ]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(0), "{said}");
    assert!(
        said.contains("“ QUOTE ” (1) → “quote” (1), the same name"),
        "{said}"
    );
    assert!(
        said.contains("“trust” (5) added as 5; key 1 dropped"),
        "{said}"
    );
    assert!(said.contains("the same text (fingerprint)"), "{said}");
    assert!(said.contains("2 without a coder now “Ann”"), "{said}");

    let merged = store::load_project(&team).unwrap();
    assert_eq!(merged.documents.len(), 2);
    assert!(
        merged
            .documents
            .iter()
            .all(|d| d.path.starts_with("../seeds/"))
    );
    assert_eq!(merged.documents[0].memo, "Ben's memo");
    let mut passages: Vec<(u32, usize, usize, Vec<u32>, &str)> = merged
        .annotations
        .iter()
        .map(|a| (a.doc, a.start, a.end, a.tags.clone(), a.coder.as_str()))
        .collect();
    passages.sort();
    assert_eq!(
        passages,
        [
            (1, 0, 60, vec![1], "Ann"),
            (1, 0, 60, vec![1], "ben"),
            (1, 200, 260, vec![4], "Ann"),
            (2, 10, 40, vec![2, 5], "ben"),
        ]
    );
    let check = marginalia(&["check", team.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    // The agreement of the two coders is now computable.
    let agree = marginalia(&["agree", team.to_str().unwrap(), "--bootstrap", "0"]);
    assert_eq!(agree.status.code(), Some(0), "{}", text(&agree));
}

#[test]
fn an_existing_output_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let texts = seeds(dir.path());
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    coded_project(&a, &texts, "ann", &[(0, 0, 10, 1)]);
    coded_project(&b, &texts, "ben", &[(0, 0, 10, 1)]);
    let team = dir.path().join("team.ron");
    std::fs::write(&team, "not mine to replace").unwrap();
    let args = [
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        team.to_str().unwrap(),
    ];
    let output = marginalia(&args);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("exists already; give --force"),
        "{}",
        text(&output)
    );
    assert_eq!(
        std::fs::read_to_string(&team).unwrap(),
        "not mine to replace"
    );

    let output = marginalia(&[&args[..], &["--force"]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(store::load_project(&team).unwrap().annotations.len(), 2);
    assert_eq!(
        std::fs::read_to_string(store::backup_path(&team)).unwrap(),
        "not mine to replace"
    );
}

#[test]
fn a_bad_input_is_named_with_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let texts = seeds(dir.path());
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    coded_project(&a, &texts, "ann", &[(0, 0, 10, 1)]);
    coded_project(&b, &texts, "ben", &[(0, 0, 10, 1)]);
    let broken = std::fs::read_to_string(&b)
        .unwrap()
        .replace("codebook: [", "codebook: [[");
    std::fs::write(&b, &broken).unwrap();
    let team = dir.path().join("team.ron");
    let output = marginalia(&[
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        team.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let said = text(&output);
    assert!(said.contains(&format!("{}:4:", b.display())), "{said}");
    assert!(said.contains("nothing written"), "{said}");
    assert!(!team.exists());
    assert_eq!(
        std::fs::read_to_string(&b).unwrap(),
        broken,
        "inputs untouched"
    );

    let output = marginalia(&[
        "merge",
        a.to_str().unwrap(),
        a.to_str().unwrap(),
        "-o",
        team.to_str().unwrap(),
        "--coder-for",
        "elsewhere.ron=Zoe",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("--coder-for elsewhere.ron=Zoe"),
        "{}",
        text(&output)
    );
    assert!(!team.exists());
}

#[test]
fn the_same_path_with_another_text_is_reported_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let texts = seeds(dir.path());
    let a = dir.path().join("a.ron");
    let b = dir.path().join("b.ron");
    coded_project(&a, &texts, "ann", &[(0, 0, 10, 1)]);
    let mut changed = coded_project(&b, &texts, "ben", &[(0, 0, 10, 1), (1, 5, 9, 2)]);
    // Ben's copy of the first article was edited after he coded it.
    changed.documents[0].sha256 = "0".repeat(64);
    store::save_project(&changed, &b).unwrap();
    let team = dir.path().join("team.ron");
    let output = marginalia(&[
        "merge",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        team.to_str().unwrap(),
    ]);
    let said = text(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("NOT MERGED"), "{said}");
    assert!(said.contains("its 1 passage(s) are left out"), "{said}");
    let merged = store::load_project(&team).unwrap();
    assert_eq!(merged.documents.len(), 2);
    assert_eq!(merged.annotations.len(), 2);
}
