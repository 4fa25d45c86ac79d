//! `marginalia merge-driver` inside real git: a repository with the driver configured as the
//! README says, a base commit, two coders' branches, and `git merge`.
//!
//! git is required (it is on every development machine and on CI); a missing git fails the
//! test rather than skipping it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marginalia::Workspace;
use marginalia::model::{Project, Tag};
use marginalia::store;

const SEED: &str = "002_c2d47f878a0c9e5f.txt";

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    /// A fresh repository with the driver configured, holding a copy of a seed article and
    /// a project over it with three passages by the coder "lead", committed on `main`.
    fn new() -> Self {
        let repo = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git_ok(&["init", "-q", "-b", "main"]);
        repo.git_ok(&["config", "user.name", "Test Coder"]);
        repo.git_ok(&["config", "user.email", "coder@example.org"]);
        repo.git_ok(&["config", "commit.gpgsign", "false"]);
        let driver = format!(
            "'{}' merge-driver %O %A %B %P",
            env!("CARGO_BIN_EXE_marginalia")
        );
        repo.git_ok(&["config", "merge.marginalia.driver", &driver]);
        std::fs::write(
            repo.path().join(".gitattributes"),
            "*.ron merge=marginalia\n",
        )
        .unwrap();
        let seeds = repo.path().join("seeds");
        std::fs::create_dir_all(&seeds).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("seeds")
                .join(SEED),
            seeds.join(SEED),
        )
        .unwrap();
        std::fs::create_dir_all(repo.path().join("projects")).unwrap();
        let mut workspace = Workspace::new_at(&repo.project_file(), "Police coding");
        let doc = workspace.add_document_file(&seeds.join(SEED)).unwrap().0;
        workspace.coder = "lead".to_owned();
        for (start, tag) in [(0, 1), (300, 2), (600, 3)] {
            workspace.tag_range(doc, start..start + 50, tag).unwrap();
        }
        workspace.save().unwrap();
        repo.commit("base: three passages");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn project_file(&self) -> PathBuf {
        self.path().join("projects/study.ron")
    }

    fn git(&self, args: &[&str]) -> Output {
        Command::new("git")
            .args(args)
            .current_dir(self.path())
            // The machine's and the user's settings stay out of the test.
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .expect("git runs (it is needed for this test)")
    }

    fn git_ok(&self, args: &[&str]) -> Output {
        let output = self.git(args);
        assert!(output.status.success(), "git {args:?}: {}", text(&output));
        output
    }

    fn commit(&self, message: &str) {
        self.git_ok(&["add", "-A"]);
        self.git_ok(&["commit", "-q", "-m", message]);
    }

    fn load(&self) -> Project {
        store::load_project(&self.project_file()).unwrap()
    }

    fn save(&self, project: &Project) {
        std::fs::write(self.project_file(), store::project_to_ron(project)).unwrap();
    }

    /// On a new branch from `main`: passages by `coder` at `starts`, then `change` on the
    /// project, committed.
    fn branch(&self, name: &str, coder: &str, starts: &[usize], change: impl FnOnce(&mut Project)) {
        self.git_ok(&["checkout", "-q", "-b", name, "main"]);
        let mut workspace = Workspace::open(&self.project_file()).unwrap();
        workspace.coder = coder.to_owned();
        for &start in starts {
            workspace.tag_range(1, start..start + 40, 4).unwrap();
        }
        workspace.save().unwrap();
        let mut project = self.load();
        change(&mut project);
        self.save(&project);
        self.commit(&format!("{coder}'s coding"));
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn marginalia(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .output()
        .unwrap()
}

/// Each passage as (start, end, coder, tag names, note): what must survive the merge.
fn passages(project: &Project) -> Vec<(usize, usize, String, Vec<String>, String)> {
    let mut all: Vec<_> = project
        .annotations
        .iter()
        .map(|a| {
            let tags = a
                .tags
                .iter()
                .map(|t| project.tag(*t).unwrap().name.clone())
                .collect();
            (a.start, a.end, a.coder.clone(), tags, a.note.clone())
        })
        .collect();
    all.sort();
    all
}

fn assert_no_conflict_markers(file: &Path) {
    let content = std::fs::read_to_string(file).unwrap();
    for marker in ["<<<<<<<", "=======", ">>>>>>>"] {
        assert!(!content.contains(marker), "{marker} in\n{content}");
    }
}

#[test]
fn two_coders_branches_merge_by_item_without_a_conflict() {
    let repo = Repo::new();
    // Both branches hand out passage ids 4 and 5 on their own.
    repo.branch("ann", "ann", &[1000, 1100], |p| {
        p.annotations[0].note = "Ann: the headline quote".to_owned();
        p.codebook[1].name = "figure".to_owned();
    });
    let ann = repo.load();
    repo.branch("ben", "ben", &[2000, 2100], |p| {
        p.annotations[2].note = "Ben: a policy, not a quote".to_owned();
        p.codebook.push(Tag {
            id: 5,
            name: "trust".to_owned(),
            color: "#CC79A7".to_owned(),
            key: "5".to_owned(),
            description: "Who is believed".to_owned(),
            parent: None,
        });
        let last = p.annotations.last_mut().unwrap();
        last.tags.push(5);
    });
    let ben = repo.load();
    assert_eq!(
        ann.annotations.iter().map(|a| a.id).max(),
        ben.annotations.iter().map(|a| a.id).max(),
        "both branches used the same new ids"
    );

    repo.git_ok(&["checkout", "-q", "ann"]);
    let merge = repo.git(&["merge", "--no-edit", "ben"]);
    assert!(merge.status.success(), "git merge: {}", text(&merge));
    let file = repo.project_file();
    assert_no_conflict_markers(&file);
    let merged = repo.load();

    // Every passage of both branches, each with its coder, tags and note.
    let mut expected = passages(&ann);
    for passage in passages(&ben) {
        if !expected
            .iter()
            .any(|e| (e.0, e.1, &e.2) == (passage.0, passage.1, &passage.2))
        {
            expected.push(passage);
        }
    }
    for e in &mut expected {
        if (e.0, &e.2) == (600, &"lead".to_owned()) {
            e.4 = "Ben: a policy, not a quote".to_owned();
        }
        for tag in &mut e.3 {
            if tag == "statistic" {
                *tag = "figure".to_owned();
            }
        }
    }
    expected.sort();
    assert_eq!(passages(&merged), expected);
    assert_eq!(merged.annotations.len(), 7);
    assert!(merged.annotations.iter().all(|a| !a.conflict));
    let names: Vec<&str> = merged.codebook.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["quote", "figure", "policy", "critique", "trust"]);

    let check = marginalia(&["check", file.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    // The merge commit is made and the tree is clean.
    let status = repo.git_ok(&["status", "--porcelain"]);
    assert!(status.stdout.is_empty(), "{}", text(&status));
}

#[test]
fn the_same_note_changed_on_both_branches_keeps_both_versions_flagged() {
    let repo = Repo::new();
    repo.branch("ann", "ann", &[1000], |p| {
        p.annotations[1].note = "Ann reads it as a statistic".to_owned();
    });
    repo.branch("ben", "ben", &[2000], |p| {
        p.annotations[1].note = "Ben reads it as spin".to_owned();
    });
    repo.git_ok(&["checkout", "-q", "ann"]);
    let before = repo.load();
    let merge = repo.git(&["merge", "--no-edit", "ben"]);
    assert!(!merge.status.success(), "git must stop: {}", text(&merge));
    let said = text(&merge);
    assert!(said.contains("1 conflict(s)"), "{said}");
    assert!(said.contains("projects/study.ron"), "{said}");

    let file = repo.project_file();
    assert_no_conflict_markers(&file);
    let merged = repo.load();
    let flagged: Vec<(&str, &str)> = merged
        .annotations
        .iter()
        .filter(|a| a.conflict)
        .map(|a| (a.coder.as_str(), a.note.as_str()))
        .collect();
    assert_eq!(
        flagged,
        [
            ("lead", "Ann reads it as a statistic"),
            ("lead", "Ben reads it as spin")
        ]
    );
    let conflicted = merged.annotations.iter().filter(|a| a.conflict);
    assert!(
        conflicted
            .clone()
            .all(|a| a.start == before.annotations[1].start)
    );
    assert_eq!(
        merged.annotations.len(),
        3 + 1 + 1 + 1,
        "the rest merged as usual"
    );
    let ids: std::collections::HashSet<u32> = merged.annotations.iter().map(|a| a.id).collect();
    assert_eq!(ids.len(), merged.annotations.len());

    // git holds the file as unmerged until someone chooses and adds it.
    let unmerged = repo.git_ok(&["diff", "--name-only", "--diff-filter=U"]);
    assert_eq!(
        String::from_utf8_lossy(&unmerged.stdout).trim(),
        "projects/study.ron"
    );
    // check names both versions.
    let check = marginalia(&["check", file.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        text(&check)
            .matches("a merge kept it beside another version")
            .count(),
        2
    );
}

#[test]
fn an_unreadable_version_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let good = "Project(\n    format: 1,\n    name: \"p\",\n    codebook: [],\n    documents: [],\n    annotations: [],\n)\n";
    let base = dir.path().join("base");
    let ours = dir.path().join("ours");
    let theirs = dir.path().join("theirs");
    std::fs::write(&base, good).unwrap();
    std::fs::write(&ours, good).unwrap();
    std::fs::write(&theirs, "Project(\n    format: 1,\n    name: \n").unwrap();
    let output = marginalia(&[
        "merge-driver",
        base.to_str().unwrap(),
        ours.to_str().unwrap(),
        theirs.to_str().unwrap(),
        "study.ron",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("study.ron (theirs):"),
        "{}",
        text(&output)
    );
    assert_eq!(std::fs::read_to_string(&ours).unwrap(), good);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 3);
}
