//! What an installed `marginalia` answers on the command line before any window opens:
//! `--version`, `--help` with an example of every command, and a `.qdpx` given as the file
//! to open (the file manager's "Open with Marginalia").

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clap::CommandFactory;

/// The binary with no display, so that a window it should not open fails at once.
fn marginalia() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_marginalia"));
    command.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    command
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn command_names() -> Vec<String> {
    marginalia::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect()
}

#[test]
fn version_names_the_program_and_its_version() {
    let output = marginalia().arg("--version").output().unwrap();
    assert_eq!(
        stdout(&output).trim(),
        format!("marginalia {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_shows_an_example_of_every_command_and_each_command_shows_its_own() {
    let help = stdout(&marginalia().arg("--help").output().unwrap());
    let examples: Vec<&str> = help
        .lines()
        .skip_while(|l| *l != "Examples:")
        .skip(1)
        .map(str::trim)
        .collect();
    let names = command_names();
    assert!(names.len() >= 7, "{names:?}");
    for name in &names {
        let prefix = format!("marginalia {name} ");
        let example = examples
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no example of `{name}` under --help:\n{help}"));
        let own = stdout(&marginalia().args([name, "--help"]).output().unwrap());
        let own_example = own
            .lines()
            .skip_while(|l| *l != "Example:")
            .nth(1)
            .unwrap_or_else(|| panic!("`{name} --help` has no example:\n{own}"))
            .trim();
        assert!(
            example.starts_with(own_example),
            "`{name}`: {example:?} under --help, {own_example:?} under its own help"
        );
    }
    // The window's ways to start are there too, the .qdpx among them.
    assert!(
        examples
            .iter()
            .any(|l| l.starts_with("marginalia study.qdpx"))
    );
}

#[test]
fn the_examples_parse_as_the_commands_they_show() {
    use clap::Parser;
    let help = stdout(&marginalia().arg("--help").output().unwrap());
    for line in help.lines().skip_while(|l| *l != "Examples:").skip(1) {
        // An example is the command up to two spaces before its explanation.
        let example = line.trim().split("  ").next().unwrap();
        let words: Vec<&str> = example.split_whitespace().collect();
        if let Err(error) = marginalia::cli::Cli::try_parse_from(&words) {
            panic!("{example:?} does not parse: {error}");
        }
    }
}

fn sample_qdpx(dir: &Path) -> PathBuf {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("projects/seeds.ron");
    let workspace = marginalia::Workspace::open(&sample).unwrap();
    let bytes =
        marginalia::export::export(marginalia::export::Format::Qdpx, &workspace.corpus()).unwrap();
    let archive = dir.join("study.qdpx");
    std::fs::write(&archive, bytes).unwrap();
    archive
}

#[cfg(feature = "gui")]
#[test]
fn a_qdpx_to_open_is_an_import_and_a_missing_one_is_refused_before_any_window() {
    use marginalia::ui::StartupProject;
    let dir = tempfile::tempdir().unwrap();
    let archive = sample_qdpx(dir.path());
    assert!(matches!(
        StartupProject::from_paths(vec![archive.clone()]),
        Ok(StartupProject::Import(path)) if path == archive
    ));
    // Written on Windows, say: the extension's case does not matter.
    let upper = dir.path().join("STUDY2.QDPX");
    std::fs::copy(&archive, &upper).unwrap();
    assert!(matches!(
        StartupProject::from_paths(vec![upper]),
        Ok(StartupProject::Import(_))
    ));

    let missing = dir.path().join("gone.qdpx");
    let output = marginalia().arg(&missing).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read") && stderr.contains("gone.qdpx"),
        "{stderr}"
    );

    let output = marginalia()
        .arg(&archive)
        .arg(dir.path().join("notes.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not both"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "nothing was imported"
    );
}

#[test]
fn an_import_goes_beside_the_archive_under_a_free_name() {
    let dir = tempfile::tempdir().unwrap();
    let archive = sample_qdpx(dir.path());
    let data = dir.path().join("data");
    let first = marginalia::import::import_destination(&archive, &data);
    assert_eq!(
        first,
        marginalia::import::ImportDestination::BesideArchive(dir.path().join("study.ron"))
    );
    std::fs::write(first.project_file(), "a project of the same name").unwrap();
    assert_eq!(
        marginalia::import::import_destination(&archive, &data).project_file(),
        dir.path().join("study-2.ron")
    );
}

/// Permission bits do not stop root, so this runs only for an ordinary user.
#[cfg(unix)]
#[test]
fn an_import_from_a_read_only_folder_goes_into_the_data_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let archive = sample_qdpx(&shared);
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable_anyway = tempfile::tempfile_in(&shared).is_ok();
    let data = dir.path().join("data");
    let destination = marginalia::import::import_destination(&archive, &data);
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
    if writable_anyway {
        eprintln!("skipped: this user can write in a read-only folder (root)");
        return;
    }
    assert_eq!(
        destination,
        marginalia::import::ImportDestination::DataFolder(data.join("imported/study/study.ron"))
    );
}
