//! Interview and focus-group transcripts, end to end as a script runs them: `marginalia new`
//! reads each producer's layout with speakers and times, speakers become cases across
//! documents, `autocode --by-speaker` codes the turns, exports carry speaker and time.

mod documents;

use std::path::Path;
use std::process::Command;

use documents::{docx, write};
use marginalia::model::Project;

fn marginalia() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
}

const ZOOM_VTT: &str = "WEBVTT

1
00:00:01.000 --> 00:00:04.500
<v Amira Haddad>Thanks for coming. Shall we start</v>

2
00:00:04.500 --> 00:00:06.000
<v Amira Haddad>with how you joined?</v>

3
00:00:06.200 --> 00:00:11.000
<v Zoë Ó Briain>I joined in 2009, after university.</v>

4
00:00:10.500 --> 00:00:12.000
<v Sgt. Tom Reyes>Same year as me.</v>
";

const TYPED_TRANSCRIPT: &str = "Focus group 2, Leeds station\n\n\
Amira Haddad: What did the promotion board ask you?\n\n\
Sgt. Tom Reyes: Mostly about targets.\n\
It felt like a numbers exercise.\n\n\
Amira Haddad: And the positive-action scheme?\n\n\
Sgt. Tom Reyes: Nobody explained it to us.\n";

fn new_project(
    dir: &Path,
    files: &[std::path::PathBuf],
) -> (std::process::Output, std::path::PathBuf) {
    let project = dir.join("study.ron");
    let output = marginalia()
        .arg("new")
        .arg(&project)
        .args(files)
        .output()
        .unwrap();
    (output, project)
}

fn load(project: &Path) -> Project {
    marginalia::store::load_project(project).unwrap()
}

/// Each turn of a document as (speaker, what was said, start, end).
fn turns(
    project: &Project,
    title: &str,
    dir: &Path,
) -> Vec<(String, String, Option<f64>, Option<f64>)> {
    let document = project
        .documents
        .iter()
        .find(|d| d.title == title)
        .unwrap_or_else(|| panic!("no document {title:?}"));
    let text = std::fs::read_to_string(dir.join(&document.path)).unwrap();
    document
        .turns
        .iter()
        .map(|t| {
            (
                project.speaker_name(t).to_owned(),
                text.chars().skip(t.start).take(t.end - t.start).collect(),
                t.time_start,
                t.time_end,
            )
        })
        .collect()
}

#[test]
fn transcripts_in_three_layouts_become_turns_with_one_case_per_person() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(dir.path(), "group-1.vtt", ZOOM_VTT.as_bytes()),
        write(dir.path(), "group-2.txt", TYPED_TRANSCRIPT.as_bytes()),
        write(
            dir.path(),
            "interview.docx",
            &docx(&[
                &["I: Wie sind Sie zur Polizei gekommen? #00:00:04-2#"],
                &["B: Über einen Freund. #00:00:09-8#"],
                &["I: Und dann? #00:00:11-0#"],
                &["B: Dann die Ausbildung in Köln. #00:00:15-5#"],
            ]),
        ),
    ];
    let (output, project_file) = new_project(dir.path(), &files);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("3 transcript(s)"), "{stderr}");
    let project = load(&project_file);

    assert_eq!(
        turns(&project, "group-1", dir.path()),
        vec![
            (
                "Amira Haddad".to_owned(),
                "Thanks for coming. Shall we start with how you joined?".to_owned(),
                Some(1.0),
                Some(6.0)
            ),
            (
                "Zoë Ó Briain".to_owned(),
                "I joined in 2009, after university.".to_owned(),
                Some(6.2),
                Some(11.0)
            ),
            // Overlapping speech keeps its own times.
            (
                "Sgt. Tom Reyes".to_owned(),
                "Same year as me.".to_owned(),
                Some(10.5),
                Some(12.0)
            ),
        ]
    );
    let typed = turns(&project, "group-2", dir.path());
    // The heading stays, as a turn nobody is named for.
    assert_eq!(typed.len(), 5, "{typed:?}");
    assert_eq!(
        typed[0],
        (
            String::new(),
            "Focus group 2, Leeds station".to_owned(),
            None,
            None
        )
    );
    assert_eq!(typed[2].0, "Sgt. Tom Reyes");
    assert_eq!(
        typed[2].1,
        "Mostly about targets. It felt like a numbers exercise."
    );
    assert_eq!((typed[2].2, typed[2].3), (None, None));
    let interview = turns(&project, "interview", dir.path());
    assert_eq!(
        interview
            .iter()
            .map(|t| (t.0.as_str(), t.2, t.3))
            .collect::<Vec<_>>(),
        vec![
            ("I", None, Some(4.2)),
            ("B", Some(4.2), Some(9.8)),
            ("I", Some(9.8), Some(11.0)),
            ("B", Some(11.0), Some(15.5)),
        ]
    );
    assert_eq!(interview[3].1, "Dann die Ausbildung in Köln.");

    // One case per person across both focus groups: Amira and Tom speak in each.
    let names: Vec<&str> = project.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Amira Haddad", "Zoë Ó Briain", "Sgt. Tom Reyes", "I", "B"]
    );
    let amira = project.case_named("amira  haddad").unwrap().id;
    let speaks_in = project
        .documents
        .iter()
        .filter(|d| d.turns.iter().any(|t| t.speaker == Some(amira)))
        .count();
    assert_eq!(speaks_in, 2);
}

#[test]
fn coding_by_speaker_codes_each_turn_once_and_exports_carry_speaker_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(dir.path(), "group-1.vtt", ZOOM_VTT.as_bytes()),
        write(dir.path(), "group-2.txt", TYPED_TRANSCRIPT.as_bytes()),
    ];
    let (output, project_file) = new_project(dir.path(), &files);
    assert_eq!(output.status.code(), Some(0));
    let autocode = || {
        marginalia()
            .args(["autocode", "--by-speaker"])
            .arg(&project_file)
            .output()
            .unwrap()
    };
    let first = autocode();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let project = load(&project_file);
    let speakers = project
        .codebook
        .iter()
        .find(|t| t.name == "Speakers")
        .unwrap();
    let speaker_tags: Vec<&str> = project
        .codebook
        .iter()
        .filter(|t| t.parent == Some(speakers.id))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        speaker_tags,
        ["Amira Haddad", "Zoë Ó Briain", "Sgt. Tom Reyes"]
    );
    let spoken_turns: usize = project
        .documents
        .iter()
        .map(|d| d.turns.iter().filter(|t| t.speaker.is_some()).count())
        .sum();
    assert_eq!(project.annotations.len(), spoken_turns);
    for passage in &project.annotations {
        let document = project.document(passage.doc).unwrap();
        let turn = document.turn_at(passage.start).unwrap();
        assert_eq!((passage.start, passage.end), (turn.start, turn.end));
        let tag = project.tag(passage.tags[0]).unwrap();
        assert_eq!(
            tag.name,
            project.speaker_name(turn),
            "the label is not coded"
        );
        assert!(!passage.quote.contains(':'), "{:?}", passage.quote);
    }

    // Again: nothing is missing, and the file is left as it was.
    let before = std::fs::read(&project_file).unwrap();
    let second = autocode();
    assert_eq!(second.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&second.stderr).contains("Nothing to add"));
    assert_eq!(std::fs::read(&project_file).unwrap(), before);

    let csv = marginalia()
        .args(["export", "--format", "csv"])
        .arg(&project_file)
        .output()
        .unwrap();
    assert_eq!(
        csv.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let zoe = rows
        .iter()
        .find(|r| &r[column("speaker")] == "Zoë Ó Briain")
        .unwrap();
    assert_eq!(&zoe[column("quote")], "I joined in 2009, after university.");
    assert_eq!(&zoe[column("time_start")], "6.2");
    assert_eq!(&zoe[column("time_end")], "11");
    let typed = rows
        .iter()
        .find(|r| &r[column("quote")] == "Nobody explained it to us.")
        .unwrap();
    assert_eq!(&typed[column("speaker")], "Sgt. Tom Reyes");
    assert_eq!(
        &typed[column("time_start")],
        "",
        "no times in a typed transcript"
    );
}

#[test]
fn a_broken_transcript_is_refused_with_its_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "bad-time.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\n<v Ana>Hello</v>\n",
            "line 3",
        ),
        (
            "not-webvtt.vtt",
            "1\n00:00:01,000 --> 00:00:02,000\nHi\n",
            "line 1",
        ),
        (
            "no-text.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n00:00:03.000 --> 00:00:04.000\n<v Ana>Hi</v>\n",
            "line 3",
        ),
    ];
    for (name, content, line) in cases {
        let file = write(dir.path(), name, content.as_bytes());
        let (output, project) = new_project(dir.path(), &[file]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains(line),
            "{name}: {stderr}"
        );
        assert!(!project.exists(), "{name}: nothing is written");
        assert!(!dir.path().join("sources").exists());
    }
}

#[test]
fn news_articles_stay_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut files: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let (output, project) = new_project(dir.path(), &files);
    assert_eq!(output.status.code(), Some(0));
    let project = load(&project);
    assert!(
        project
            .documents
            .iter()
            .all(|d| d.turns.is_empty() && d.origin.is_none())
    );
    assert!(project.cases.is_empty());
}

#[test]
fn speakers_roles_from_a_spreadsheet_group_what_was_said_across_focus_groups() {
    let dir = tempfile::tempdir().unwrap();
    let group_1 = write(dir.path(), "group1.vtt", ZOOM_VTT.as_bytes());
    let group_2 = write(dir.path(), "group2.txt", TYPED_TRANSCRIPT.as_bytes());
    let (output, project) = new_project(dir.path(), &[group_1, group_2]);
    assert!(output.status.success(), "{output:?}");
    let autocode = marginalia()
        .args(["autocode", project.to_str().unwrap(), "--by-speaker"])
        .output()
        .unwrap();
    assert!(autocode.status.success(), "{autocode:?}");
    // The roles, as a research assistant keeps them in a spreadsheet: names as typed there.
    let roles = write(
        dir.path(),
        "people.csv",
        "case,role\r\nAMIRA HADDAD,facilitator\r\nzoë ó briain,staff\r\nSgt.  Tom Reyes,officer\r\n"
            .as_bytes(),
    );
    let import = marginalia()
        .args(["attributes", project.to_str().unwrap(), "--import"])
        .arg(&roles)
        .output()
        .unwrap();
    assert!(import.status.success(), "{import:?}");
    let listed = marginalia()
        .args(["attributes", project.to_str().unwrap(), "--cases"])
        .output()
        .unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(
        listed.contains("Sgt. Tom Reyes (case 3): 3 turn(s), role=officer"),
        "{listed}"
    );

    let stats = marginalia()
        .args(["stats", project.to_str().unwrap(), "--by", "role", "--json"])
        .output()
        .unwrap();
    assert!(stats.status.success(), "{stats:?}");
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    let by_role: Vec<(String, u64, u64)> = json["by"]["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| {
            (
                group["value"].as_str().unwrap_or("(none)").to_owned(),
                group["cases"].as_u64().unwrap(),
                group["passages"]["Sgt. Tom Reyes"].as_u64().unwrap(),
            )
        })
        .collect();
    // The sergeant's three turns (one in the first group, two in the second) are the
    // officers' passages; nobody else's are.
    assert!(
        by_role.contains(&("officer".to_owned(), 1, 3)),
        "{by_role:?}"
    );
    assert!(by_role.contains(&("staff".to_owned(), 1, 0)), "{by_role:?}");
    let exported = marginalia()
        .args([
            "attributes",
            project.to_str().unwrap(),
            "--export",
            "-",
            "--cases",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(exported.stdout).unwrap(),
        "case,role\r\nAmira Haddad,facilitator\r\nZoë Ó Briain,staff\r\nSgt. Tom Reyes,officer\r\n"
    );

    // The code × case matrix for R and SPSS: a row per person, their role, then per tag how
    // many of the passages said in their turns carry it.
    let matrix = marginalia()
        .args([
            "export",
            project.to_str().unwrap(),
            "--format",
            "matrix-csv",
            "--counts",
        ])
        .output()
        .unwrap();
    assert!(matrix.status.success(), "{matrix:?}");
    let mut reader = csv::Reader::from_reader(matrix.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&header[..2], ["case", "role"]);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let sergeant = rows.iter().find(|r| &r[0] == "Sgt. Tom Reyes").unwrap();
    assert_eq!(&sergeant[1], "officer");
    assert_eq!(&sergeant[column("Sgt. Tom Reyes")], "3");
    assert_eq!(&sergeant[column("Amira Haddad")], "0");
    let workbook_file = dir.path().join("matrix.xlsx");
    let written = marginalia()
        .args([
            "export",
            project.to_str().unwrap(),
            "--format",
            "matrix-xlsx",
            "-o",
        ])
        .arg(&workbook_file)
        .output()
        .unwrap();
    assert!(written.status.success(), "{written:?}");
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&workbook_file).unwrap();
    let sheet = workbook.worksheet_range("Matrix").unwrap();
    let sergeant_row = sheet.rows().find(|r| r[0] == "Sgt. Tom Reyes").unwrap();
    assert_eq!(
        sergeant_row[column("Sgt. Tom Reyes")],
        calamine::Data::Float(1.0),
        "without --counts: whether any of their passages carries the tag"
    );
    let refused = marginalia()
        .args([
            "export",
            project.to_str().unwrap(),
            "--format",
            "csv",
            "--counts",
        ])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
}
