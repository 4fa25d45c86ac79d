//! Saving survives being killed at any moment: a child process saves a large project over and
//! over and is killed with SIGKILL after a random delay; after every kill the project file is
//! exactly one of the saved versions, `NAME.ron.bak` an earlier (or the same) good one, and
//! the folder holds nothing else but at most one leftover temporary file of each kind.
//!
//! The child is this test binary itself, re-run with `CHILD_PROJECT` set so that only
//! [`crash_child_saves_until_killed`] does anything. Delays come from a seeded generator:
//! `MARGINALIA_CRASH_SEED=N` replays a run.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use marginalia::model::{Annotation, Document, Project, Tag};
use marginalia::store::{self, backup_path, is_temporary_for};

const CHILD_PROJECT: &str = "MARGINALIA_CRASH_CHILD_PROJECT";
const CHILD_TEMPLATE: &str = "MARGINALIA_CRASH_CHILD_TEMPLATE";
const CHILD_FIRST_GENERATION: &str = "MARGINALIA_CRASH_CHILD_FIRST_GENERATION";
const READY: &str = "CRASH-CHILD-READY";
const CHILD_TEST_NAME: &str = "crash_child_saves_until_killed";

/// Every saved version differs from the others only in this name, of fixed width, so the
/// child can make version `g` from one serialised template without serialising again.
fn generation_name(generation: u64) -> String {
    format!("crash test generation {generation:012}")
}

/// A project of a few megabytes over awkward text.
fn large_project(passages: u32) -> Project {
    let mut project = Project::new(&generation_name(0));
    project.codebook.push(Tag {
        id: 5,
        name: "näive “quoted” \\ tag)".to_owned(),
        color: "#CC79A7".to_owned(),
        key: String::new(),
        description: "RON-special characters: \" \\ ) ] ,".to_owned(),
        parent: Some(1),
    });
    let line = "Café \u{301}– “fair” 👩‍👩‍👧 מבחן اختبار\r\n";
    let line_chars = line.chars().count();
    for id in 1..=20 {
        project.documents.push(Document {
            turns: Vec::new(),
            direction: Default::default(),
            id,
            path: format!("texts/document {id}.txt"),
            title: format!("Document {id} – “quoted”"),
            sha256: format!("{id:064x}"),
            chars: line_chars * 10_000,
            memo: String::new(),
            origin: None,
            attributes: Default::default(),
        });
    }
    for id in 1..=passages {
        let start = (id as usize * 7) % (line_chars * 9_000);
        project.annotations.push(Box::new(Annotation {
            id,
            doc: id % 20 + 1,
            start,
            end: start + line_chars,
            tags: vec![id % 5 + 1, (id + 2) % 5 + 1],
            quote: line.to_owned(),
            note: format!("note {id}: \"quoted\", back\\slash, paren) and a\nnew line"),
            coder: "coder ✎".to_owned(),
            created: "2026-11-22T15:00:00Z".to_owned(),
            prefix: "…the context before, “quoted”".to_owned(),
            suffix: "and after 👩‍👩‍👧\r\n".to_owned(),
            conflict: id % 7 == 0,
        }));
    }
    project.sort_annotations();
    project.sync_id_counters();
    project
}

/// The saved versions: one RON text, with the generation written into the project's name.
struct Versions {
    template: Vec<u8>,
    name_at: usize,
    name_len: usize,
}

impl Versions {
    fn new(template: Vec<u8>) -> Self {
        let placeholder = generation_name(0);
        let name_at = template
            .windows(placeholder.len())
            .position(|w| w == placeholder.as_bytes())
            .expect("the template holds the generation name");
        Self {
            template,
            name_at,
            name_len: placeholder.len(),
        }
    }

    fn bytes(&self, generation: u64) -> Vec<u8> {
        let mut bytes = self.template.clone();
        bytes[self.name_at..self.name_at + self.name_len]
            .copy_from_slice(generation_name(generation).as_bytes());
        bytes
    }

    /// The generation `bytes` are exactly the version of, if they are one.
    fn generation_of(&self, bytes: &[u8]) -> Option<u64> {
        if bytes.len() != self.template.len() {
            return None;
        }
        let name = std::str::from_utf8(&bytes[self.name_at..self.name_at + self.name_len]).ok()?;
        let generation: u64 = name.strip_prefix("crash test generation ")?.parse().ok()?;
        (bytes == self.bytes(generation).as_slice()).then_some(generation)
    }
}

/// Not a test of its own: the body of the child process, which does nothing unless the
/// parent test started it.
#[test]
fn crash_child_saves_until_killed() {
    let Some(project_file) = std::env::var_os(CHILD_PROJECT) else {
        return;
    };
    let template = std::fs::read(std::env::var_os(CHILD_TEMPLATE).unwrap()).unwrap();
    let first: u64 = std::env::var(CHILD_FIRST_GENERATION)
        .unwrap()
        .parse()
        .unwrap();
    let versions = Versions::new(template);
    let project_file = PathBuf::from(project_file);
    println!("{READY}");
    // Bounded so that a child the parent failed to kill ends by itself.
    for generation in first..first + 100_000 {
        // The same call `store::save_project` makes, on bytes prepared in advance.
        store::write_atomically(&project_file, &versions.bytes(generation), true).unwrap();
    }
}

/// A small, seedable generator (SplitMix64), so a failing run can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

/// Where kills landed, as far as the files tell.
#[derive(Default, Debug)]
struct Landings {
    /// The folder held a half-made temporary file: killed while writing or flushing it.
    mid_write: usize,
    /// The backup already held the current file: killed between backup and rename.
    after_backup: usize,
    /// Neither: killed before a save began, or between two saves.
    between_saves: usize,
}

fn kill_saves_repeatedly(kills: usize, passages: u32) {
    let seed = std::env::var("MARGINALIA_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5AFE_5A7E);
    eprintln!("crash test: seed {seed} (set MARGINALIA_CRASH_SEED to replay)");
    let mut random = Random(seed);

    let template_dir = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let project_file = folder.path().join("big.ron");
    let project = large_project(passages);
    let template = store::project_to_ron(&project);
    assert!(
        template.len() > 2_000_000,
        "a large project: {} bytes",
        template.len()
    );
    assert_eq!(
        store::parse_project(&template, &project_file).unwrap(),
        project,
        "the template is a valid project file"
    );
    let versions = Versions::new(template.into_bytes());
    let template_file = template_dir.path().join("template");
    std::fs::write(&template_file, &versions.template).unwrap();
    // Every version parses to the template's project, renamed: checked once here, so that
    // after each kill comparing bytes with a version shows the file parses.
    let mut renamed = project.clone();
    renamed.name = generation_name(7);
    assert_eq!(
        store::parse_project(
            std::str::from_utf8(&versions.bytes(7)).unwrap(),
            &project_file
        )
        .unwrap(),
        renamed
    );

    store::write_atomically(&project_file, &versions.bytes(0), true).unwrap();
    store::write_atomically(&project_file, &versions.bytes(1), true).unwrap();
    let mut current = 1;
    let mut landings = Landings::default();
    // Delay ranges from well inside one save to several saves, so that kills land before,
    // while and after the temporary file is written, backed up and renamed.
    let ranges_micros = [300, 2_000, 10_000, 40_000, 120_000];
    for kill in 0..kills {
        let range = ranges_micros[kill % ranges_micros.len()];
        let delay = Duration::from_micros(random.below(range));
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                CHILD_TEST_NAME,
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_PROJECT, &project_file)
            .env(CHILD_TEMPLATE, &template_file)
            .env(CHILD_FIRST_GENERATION, (current + 1).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains(READY) {
            line.clear();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "the child ended before it was ready: {:?}",
                child.wait_with_output()
            );
        }
        std::thread::sleep(delay);
        child.kill().unwrap();
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.signal(),
            Some(9),
            "kill {kill}: the child must die by SIGKILL, not end by itself: {}",
            String::from_utf8_lossy(&output.stderr)
        );

        let context = format!("kill {kill} (seed {seed}, delay {delay:?})");
        let generation = versions
            .generation_of(&std::fs::read(&project_file).unwrap())
            .unwrap_or_else(|| panic!("{context}: the project file is not a whole saved version"));
        assert!(
            generation >= current,
            "{context}: the file went back from {current} to {generation}"
        );
        let backup = versions
            .generation_of(&std::fs::read(backup_path(&project_file)).unwrap())
            .unwrap_or_else(|| panic!("{context}: the backup is not a whole saved version"));
        assert!(
            backup + 1 == generation || backup == generation,
            "{context}: the backup holds {backup}, the file {generation}"
        );

        let mut temporaries = 0;
        let mut backup_temporaries = 0;
        for entry in std::fs::read_dir(folder.path()).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name == "big.ron" || name == "big.ron.bak" {
                continue;
            }
            assert!(
                !name.ends_with(".ron"),
                "{context}: {name} could be taken for a project"
            );
            if is_temporary_for(&name, &project_file) {
                temporaries += 1;
            } else if is_temporary_for(&name, &backup_path(&project_file)) {
                backup_temporaries += 1;
            } else {
                panic!("{context}: unexpected file {name}");
            }
        }
        assert!(
            temporaries <= 1 && backup_temporaries <= 1,
            "{context}: leftovers pile up ({temporaries} temporary files, \
             {backup_temporaries} backup links)"
        );
        if temporaries > 0 {
            landings.mid_write += 1;
        } else if backup == generation {
            landings.after_backup += 1;
        } else {
            landings.between_saves += 1;
        }
        current = generation;
    }
    eprintln!(
        "crash test: {kills} kills, {current} saves completed, {:?}",
        landings
    );

    // A save after all that leaves exactly the project and its backup, both loadable.
    let mut last = project.clone();
    last.name = generation_name(current + 1);
    store::save_project(&last, &project_file).unwrap();
    assert_eq!(store::load_project(&project_file).unwrap(), last);
    let backup = store::load_project(&backup_path(&project_file)).unwrap();
    assert_eq!(backup.name, generation_name(current));
    let mut names: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["big.ron", "big.ron.bak"]);
}

#[test]
fn saves_killed_200_times_leave_a_whole_project_and_backup() {
    kill_saves_repeatedly(200, 12_000);
}

#[test]
#[ignore = "long: 1,000 kills; run with `cargo test --test crash_safe_save -- --ignored`"]
fn saves_killed_1000_times_leave_a_whole_project_and_backup() {
    kill_saves_repeatedly(1_000, 12_000);
}
