//! `export --for nvivo|maxqda|atlasti|qualcoder`: each export, read the way its program reads
//! it, covers our quotes. Read twice: by Marginalia's own importer (every passage back where
//! it was, none repaired), and, with `--features external-tools`, by pyqdpx, a REFI-QDA
//! reader from PyPI that shares no code with ours.
//!
//! The corpus is the awkward one in `tests/common`: CR LF line ends, an emoji ZWJ sequence
//! and a skin-tone emoji (characters beyond U+FFFF, which NVivo counts twice), a combining
//! mark, typographic punctuation.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use marginalia::export::qdpx::export_for;
use marginalia::import::qdpx;
use marginalia::model::Project;
use marginalia::qda_tools::QdaTool;

/// A passage with its document and tags by name: (title, start, end, quote, tags, note, coder).
type PassageByName = (String, usize, usize, String, Vec<String>, String, String);

fn passages_by_name(project: &Project) -> BTreeSet<PassageByName> {
    project
        .annotations
        .iter()
        .map(|a| {
            let mut tags: Vec<String> = a
                .tags
                .iter()
                .map(|t| project.tag(*t).unwrap().name.clone())
                .collect();
            tags.sort();
            (
                project.document(a.doc).unwrap().title.clone(),
                a.start,
                a.end,
                a.quote.clone(),
                tags,
                a.note.clone(),
                a.coder.clone(),
            )
        })
        .collect()
}

#[test]
fn every_export_for_a_program_comes_back_whole_without_repairs() {
    let fixture = common::fixture(false);
    let workspace = fixture.workspace();
    let corpus = workspace.corpus();
    for tool in QdaTool::ALL {
        let bytes = export_for(&corpus, Some(tool)).unwrap();
        let name = format!("study-for-{}.qdpx", tool.name());
        let imported = qdpx::read_qdpx_bytes(&bytes, Path::new(&name))
            .unwrap_or_else(|e| panic!("{}: {e}", tool.label()));
        assert_eq!(
            imported.report.unit,
            Some(tool.position_unit()),
            "{}: read in the unit it was written in",
            tool.label()
        );
        assert_eq!(
            passages_by_name(&imported.project),
            passages_by_name(&fixture.project),
            "{}",
            tool.label()
        );
        let report = &imported.report;
        assert_eq!(
            (
                report.as_written,
                report.repaired,
                report.unplaced,
                report.skipped
            ),
            (fixture.project.annotations.len(), 0, 0, 0),
            "{}: {:?}",
            tool.label(),
            report.summary()
        );
    }
}

/// The NVivo export's positions differ from the standard reading past the first emoji, so
/// the unit really is applied (a test of the fixture as much as of the export).
#[test]
fn the_nvivo_export_counts_differently_from_the_standard_one() {
    let fixture = common::fixture(false);
    let workspace = fixture.workspace();
    let corpus = workspace.corpus();
    let standard =
        String::from_utf8(marginalia::export::qdpx::project_qde_for(&corpus, None).unwrap())
            .unwrap();
    let nvivo = String::from_utf8(
        marginalia::export::qdpx::project_qde_for(&corpus, Some(QdaTool::NVivo)).unwrap(),
    )
    .unwrap();
    let starts = |qde: &str| -> Vec<String> {
        qde.split("startPosition=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().to_owned())
            .collect()
    };
    assert_ne!(starts(&standard), starts(&nvivo));
}

/// pyqdpx (`pip install pyqdpx==0.1.5`; `.ci/run` puts it in a virtual environment and names
/// its interpreter in `MARGINALIA_PYQDPX_PYTHON`) reads each export through
/// `tests/tools/read_qdpx_with_pyqdpx.py`.
#[cfg(feature = "external-tools")]
mod independent_reader {
    use super::*;
    use marginalia::qda_tools::PositionUnit;
    use serde_json::Value;

    fn unit_argument(unit: PositionUnit) -> &'static str {
        match unit {
            PositionUnit::Utf16Units => "utf16",
            PositionUnit::CodePoints => "code-points",
            PositionUnit::CodePointsCrlfAsOne => "crlf-as-one",
        }
    }

    fn read_with_pyqdpx(archive: &Path, unit: PositionUnit) -> Vec<Value> {
        let python =
            std::env::var("MARGINALIA_PYQDPX_PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/read_qdpx_with_pyqdpx.py");
        let output = std::process::Command::new(&python)
            .arg(&script)
            .arg(archive)
            .arg(unit_argument(unit))
            .output()
            .unwrap_or_else(|e| panic!("{python} runs: {e}"));
        assert!(
            output.status.success(),
            "{python} {}: {}\n(pyqdpx missing? pip install pyqdpx==0.1.5, or set MARGINALIA_PYQDPX_PYTHON)",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let read: Value = serde_json::from_slice(&output.stdout).expect("the script's JSON");
        read["selections"].as_array().unwrap().clone()
    }

    #[test]
    fn pyqdpx_reads_each_export_onto_our_quotes() {
        let fixture = common::fixture(false);
        let workspace = fixture.workspace();
        let corpus = workspace.corpus();
        let project = &fixture.project;
        // pyqdpx keeps a selection only with a code and a known user, and reads its first
        // coding.
        let readable: BTreeSet<(String, String, String)> = project
            .annotations
            .iter()
            .filter(|a| !a.coder.is_empty())
            .filter_map(|a| {
                let tag = project.tag(*a.tags.first()?)?;
                Some((
                    project.document(a.doc).unwrap().title.clone(),
                    tag.name.clone(),
                    a.quote.clone(),
                ))
            })
            .collect();
        assert!(
            readable.len() >= 3,
            "the fixture has passages pyqdpx can read"
        );
        let dir = tempfile::tempdir().unwrap();
        for tool in QdaTool::ALL {
            let archive = dir.path().join(format!("for-{}.qdpx", tool.name()));
            std::fs::write(&archive, export_for(&corpus, Some(tool)).unwrap()).unwrap();
            let selections = read_with_pyqdpx(&archive, tool.position_unit());
            let field = |s: &Value, key: &str| s[key].as_str().unwrap().to_owned();
            let as_the_program_reads: BTreeSet<(String, String, String)> = selections
                .iter()
                .map(|s| {
                    (
                        field(s, "source"),
                        field(s, "code"),
                        field(s, "unit_reading"),
                    )
                })
                .collect();
            assert_eq!(as_the_program_reads, readable, "{}", tool.label());
            if tool == QdaTool::NVivo {
                // pyqdpx's own reading is NVivo's: UTF-16 units.
                for selection in &selections {
                    assert_eq!(
                        field(selection, "pyqdpx_reading"),
                        field(selection, "unit_reading"),
                        "pyqdpx on the NVivo export"
                    );
                }
            }
        }
    }
}
