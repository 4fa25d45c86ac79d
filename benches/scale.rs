//! Scale benchmarks on a generated corpus: frame times of the real app run headless (egui
//! `Context::run_ui` of `MarginaliaApp` plus tessellation, no GPU), creating a passage,
//! opening and saving a 100,000-passage project, peak memory, and a 10-hour transcript
//! imported, coded by speaker and scrolled.
//!
//! `cargo bench --bench scale` prints the tables that BENCHMARKS.md records. Without
//! `--bench` (as `cargo test --benches` runs it) it does a quick pass on a tiny corpus,
//! only to prove that every step still runs.
//!
//! Frame times are CPU time of the benchmark thread (`CLOCK_THREAD_CPUTIME_ID`), so other
//! processes competing for the cores inflate them less than wall-clock time would.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use eframe::App as _;
use egui::{
    Event, Key, Modifiers, MouseWheelUnit, PointerButton, Pos2, RawInput, Rect, TouchPhase, Vec2,
    pos2, vec2,
};
use marginalia::Workspace;
use marginalia::corpus_gen::{Corpus, Script};
use marginalia::model::DocId;
use marginalia::ui::{MarginaliaApp, Preferences};

const SEED: u64 = 2026;
const KB: usize = 1_000;
const MB: usize = 1_000_000;
const WINDOW: Vec2 = vec2(1280.0, 800.0);
/// Over the document column with the default panel widths.
const POINTER: Pos2 = pos2(600.0, 420.0);

/// Frame counts; the quick pass (under `cargo test`) uses a handful.
#[derive(Clone, Copy)]
struct Plan {
    full: bool,
    scroll_frames: usize,
    resize_frames: usize,
    passages_created: usize,
    store_repeats: usize,
}

impl Plan {
    fn new(full: bool) -> Self {
        if full {
            Self {
                full,
                scroll_frames: 240,
                resize_frames: 60,
                passages_created: 25,
                store_repeats: 5,
            }
        } else {
            Self {
                full,
                scroll_frames: 6,
                resize_frames: 4,
                passages_created: 2,
                store_repeats: 1,
            }
        }
    }

    /// A size of the full benchmark, shrunk for the quick pass.
    fn bytes(&self, bytes: usize) -> usize {
        if self.full { bytes } else { bytes / 20 }
    }

    fn count(&self, count: usize) -> usize {
        if self.full { count } else { count / 100 }
    }
}

fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill in.
    let result = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(result, 0, "thread CPU clock unavailable");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// The app as eframe drives it, minus the window and the GPU.
struct Headless {
    ctx: egui::Context,
    app: MarginaliaApp,
    frame: eframe::Frame,
    size: Vec2,
    time: f64,
}

impl Headless {
    fn new(workspace: Workspace) -> Self {
        let mut headless = Self {
            ctx: egui::Context::default(),
            app: MarginaliaApp::with_workspace(
                workspace,
                Preferences {
                    coder: Some("tester".to_owned()),
                    ..Preferences::default()
                },
            ),
            frame: eframe::Frame::_new_kittest(),
            size: WINDOW,
            time: 0.0,
        };
        headless.idle(5);
        headless
    }

    /// One frame: CPU time of running the app's UI and tessellating what it painted.
    fn frame(&mut self, events: Vec<Event>) -> Duration {
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, self.size)),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..Default::default()
        };
        self.time += 1.0 / 60.0;
        let started = thread_cpu_time();
        let (ctx, app, frame) = (&self.ctx, &mut self.app, &mut self.frame);
        let output = ctx.run_ui(input, |ui| app.ui(ui, frame));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = thread_cpu_time() - started;
        black_box(primitives);
        // A renderer would upload the font atlas changes; there is none to hand them to.
        let mut textures = output.textures_delta;
        textures.clear();
        elapsed
    }

    fn idle(&mut self, frames: usize) {
        for _ in 0..frames {
            self.frame(vec![Event::PointerMoved(POINTER)]);
        }
    }

    fn jump_to(&mut self, char_offset: usize) {
        self.app.scroll_document_to(char_offset);
        self.idle(4);
    }

    /// Frames of wheel scrolling down, 40 points a frame (a brisk read).
    fn scroll(&mut self, frames: usize) -> Vec<Duration> {
        (0..frames)
            .map(|_| {
                self.frame(vec![
                    Event::PointerMoved(POINTER),
                    Event::MouseWheel {
                        unit: MouseWheelUnit::Point,
                        delta: vec2(0.0, -40.0),
                        phase: TouchPhase::Move,
                        source: egui::MouseWheelSource::Wheel,
                        modifiers: Modifiers::NONE,
                    },
                ])
            })
            .collect()
    }

    /// Drag from `from` to `to` as a person does; returns the selected character range.
    fn drag(&mut self, from: Pos2, to: Pos2) -> Option<std::ops::Range<usize>> {
        let button = |pos, pressed| Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        };
        self.frame(vec![Event::PointerMoved(from)]);
        self.frame(vec![button(from, true)]);
        self.frame(vec![Event::PointerMoved(from.lerp(to, 0.5))]);
        self.frame(vec![Event::PointerMoved(to)]);
        self.frame(vec![button(to, false)]);
        self.app.selection()
    }

    /// Press and release a key: the CPU time of each frame (the one that makes the edit, and
    /// the redraw after it).
    fn key(&mut self, key: Key) -> (Duration, Duration) {
        let event = |pressed| Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        };
        let edit = self.frame(vec![event(true)]);
        (edit, self.frame(vec![event(false)]))
    }
}

#[derive(Clone, Copy, Default)]
struct Stats {
    median: f64,
    p95: f64,
    max: f64,
}

/// Milliseconds.
fn stats(samples: &[Duration]) -> Stats {
    let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p95: at(0.95),
        max: *ms.last().expect("samples"),
    }
}

fn median(samples: &[Duration]) -> f64 {
    stats(samples).median
}

/// A generated corpus written to a temporary folder, as a person's project on disk is.
struct OnDisk {
    _dir: tempfile::TempDir,
    project_file: PathBuf,
    corpus: Corpus,
}

fn on_disk(document_bytes: &[usize], passages: usize) -> OnDisk {
    on_disk_in(document_bytes, passages, Script::Latin)
}

fn on_disk_in(document_bytes: &[usize], passages: usize, script: Script) -> OnDisk {
    let dir = tempfile::tempdir().expect("temporary folder");
    let corpus = Corpus::generate_in(SEED, document_bytes, passages, script);
    let project_file = corpus
        .write_to(dir.path(), "study")
        .expect("write the corpus");
    OnDisk {
        _dir: dir,
        project_file,
        corpus,
    }
}

struct ViewCase {
    label: String,
    documents: Vec<usize>,
    passages: usize,
    /// The document on screen: the largest.
    doc: DocId,
    script: Script,
}

fn view_cases(plan: &Plan) -> Vec<ViewCase> {
    let case_in = |label: &str, documents: Vec<usize>, passages: usize, script: Script| {
        let documents: Vec<usize> = documents.into_iter().map(|b| plan.bytes(b)).collect();
        let largest = (0..documents.len())
            .max_by_key(|&i| (documents[i], std::cmp::Reverse(i)))
            .expect("a document");
        ViewCase {
            label: label.to_owned(),
            doc: largest as DocId + 1,
            passages: plan.count(passages),
            documents,
            script,
        }
    };
    let case = |label: &str, documents: Vec<usize>, passages: usize| {
        case_in(label, documents, passages, Script::Latin)
    };
    let mut hundred = vec![50 * KB; 100];
    let mut project = vec![5 * MB];
    project.append(&mut vec![50 * KB; 100]);
    let many = vec![
        case("50 KB, 0 passages", vec![50 * KB], 0),
        case(
            "50 KB, 500 passages (density of 5 MB/50,000)",
            vec![50 * KB],
            500,
        ),
        case("50 KB, 5,000 passages", vec![50 * KB], 5_000),
        case("5 MB, 0 passages", vec![5 * MB], 0),
        case("5 MB, 5,000 passages", vec![5 * MB], 5_000),
        case("5 MB, 50,000 passages", vec![5 * MB], 50_000),
        case(
            "100 docs x 50 KB, 50,000 passages",
            std::mem::take(&mut hundred),
            50_000,
        ),
        case("5 MB + 100 x 50 KB, 100,000 passages", project, 100_000),
    ];
    // Right-to-left and complex scripts (issue 18), at the density of 5 MB / 50,000.
    let scripts = vec![
        case_in(
            "1 MB Arabic, 10,000 passages",
            vec![MB],
            10_000,
            Script::Arabic,
        ),
        case_in(
            "1 MB mixed scripts, 10,000 passages",
            vec![MB],
            10_000,
            Script::Mixed,
        ),
    ];
    if plan.full {
        many.into_iter().chain(scripts).collect()
    } else {
        many.into_iter()
            .step_by(5)
            .chain(scripts.into_iter().take(1))
            .collect()
    }
}

struct ViewResult {
    label: String,
    first_view: Duration,
    scroll: Stats,
    /// A new place in the document every frame, as when dragging the scroll bar.
    jump: Stats,
    resize: Stats,
    create: Stats,
    after_create: Stats,
    /// Where the view was after scrolling, as a fraction of the document.
    reached: Option<f64>,
    /// Where it was before the window was resized, and after.
    before_resize: Option<f64>,
    after_resize: Option<f64>,
}

/// Scroll from a tenth into the document, resize the window, create passages.
fn measure_view(case: &ViewCase, plan: &Plan) -> ViewResult {
    let disk = on_disk_in(&case.documents, case.passages, case.script);
    let workspace = Workspace::open(&disk.project_file).expect("open the corpus");
    let chars = disk.corpus.project.document(case.doc).expect("doc").chars;
    let mut app = Headless::new(workspace);
    app.app.perform(
        &app.ctx.clone(),
        marginalia::ui::Action::SelectDocument(case.doc),
    );
    // The first frame that shows the document: its first screen laid out.
    let first_view = app.frame(Vec::new());
    app.idle(2);
    app.jump_to(chars / 10);
    let scroll = app.scroll(plan.scroll_frames);
    let reached = app
        .drag(POINTER, POINTER + vec2(60.0, 0.0))
        .map(|range| range.start as f64 / chars as f64);
    app.frame(vec![escape()]);
    let jumps = plan.scroll_frames / 4;
    let jump: Vec<Duration> = (0..jumps)
        .map(|k| {
            app.app.scroll_document_to(chars * (k + 1) / (jumps + 1));
            app.frame(vec![Event::PointerMoved(POINTER)])
        })
        .collect();
    app.jump_to(chars / 10);
    let before_resize = app
        .drag(POINTER, POINTER + vec2(60.0, 0.0))
        .map(|range| range.start as f64 / chars as f64);
    app.frame(vec![escape()]);

    // A window edge dragged narrower a few points a frame, then maximise/restore jumps.
    let mut resize = Vec::new();
    for step in 0..plan.resize_frames {
        app.size = if step < plan.resize_frames * 2 / 3 {
            vec2(WINDOW.x - 5.0 * step as f32, WINDOW.y)
        } else if step % 2 == 0 {
            vec2(1900.0, 1000.0)
        } else {
            WINDOW
        };
        resize.push(app.frame(vec![Event::PointerMoved(POINTER)]));
    }
    // Where a narrower window shows the text: the same place, if the view keeps it.
    app.size = vec2(1100.0, WINDOW.y);
    app.idle(3);
    let after_resize = app
        .drag(POINTER, POINTER + vec2(60.0, 0.0))
        .map(|range| range.start as f64 / chars as f64);
    app.frame(vec![escape()]);
    app.size = WINDOW;
    app.idle(3);

    // Select a line's worth of text at places across the document, press 2 (statistic).
    let mut create = Vec::new();
    let mut after_create = Vec::new();
    for k in 0..plan.passages_created {
        app.jump_to(chars * (2 * k + 1) / (2 * plan.passages_created));
        let before = app.app.workspace().project().annotations.len();
        // A drag that starts and ends past the end of the same short line selects nothing;
        // a person would drag again a line lower, and so does the benchmark.
        let selected = (0..6)
            .map(|line| vec2(0.0, 26.0 * line as f32))
            .find_map(|down| {
                app.drag(
                    POINTER - vec2(120.0, 0.0) + down,
                    POINTER + vec2(140.0, 26.0) + down,
                )
                .filter(|r| !r.is_empty())
            });
        assert!(selected.is_some(), "the drag selects");
        let (edit_frame, next_frame) = app.key(Key::Num2);
        create.push(edit_frame);
        after_create.push(next_frame);
        let after = app.app.workspace().project().annotations.len();
        assert_eq!(
            after,
            before + 1,
            "{}: the key press made a passage",
            case.label
        );
        app.idle(2);
    }
    ViewResult {
        label: case.label.clone(),
        first_view,
        scroll: stats(&scroll),
        jump: stats(&jump),
        resize: stats(&resize),
        create: stats(&create),
        after_create: stats(&after_create),
        reached,
        before_resize,
        after_resize,
    }
}

/// The edit behind a new passage, without the UI: `Workspace::tag_range` on 5 MB/50,000.
fn edit_cost(plan: &Plan) -> Stats {
    let disk = on_disk(&[plan.bytes(5 * MB)], plan.count(50_000));
    let mut workspace = Workspace::open(&disk.project_file).expect("open");
    let chars = disk.corpus.project.documents[0].chars;
    let samples: Vec<Duration> = (0..plan.passages_created)
        .map(|k| {
            let start = chars * (2 * k + 1) / (2 * plan.passages_created) + 3;
            let started = thread_cpu_time();
            let made = workspace.tag_range(1, start..start + 41, 2).expect("tag");
            let elapsed = thread_cpu_time() - started;
            assert!(made.is_some());
            elapsed
        })
        .collect();
    stats(&samples)
}

struct StoreResult {
    file_bytes: u64,
    passages: usize,
    parse: Duration,
    parse_text: Duration,
    open: Duration,
    to_ron: Duration,
    save: Duration,
    json_parse: Duration,
    json_write: Duration,
    /// `stats::compute` over every passage (what the Analysis view runs on its worker).
    stats: Duration,
    /// `marginalia stats --json` minus process start: open, compute, serialise.
    stats_json: Duration,
    /// The passages table's query (tag A in the same paragraph as tag B) and its rows.
    query: Duration,
}

fn measure_store(plan: &Plan) -> StoreResult {
    let mut documents = vec![plan.bytes(5 * MB)];
    documents.extend(std::iter::repeat_n(plan.bytes(50 * KB), 100));
    let disk = on_disk(&documents, plan.count(100_000));
    let project_file = &disk.project_file;
    let file_bytes = std::fs::metadata(project_file).expect("project file").len();
    let timed = |f: &mut dyn FnMut()| {
        let samples: Vec<Duration> = (0..plan.store_repeats)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed()
            })
            .collect();
        Duration::from_secs_f64(median(&samples) / 1e3)
    };
    let parse = timed(&mut || {
        black_box(marginalia::store::load_project(project_file).expect("load"));
    });
    let text = std::fs::read_to_string(project_file).expect("read");
    let parse_text = timed(&mut || {
        black_box(marginalia::store::parse_project(&text, project_file).expect("parse"));
    });
    let open = timed(&mut || {
        black_box(Workspace::open(project_file).expect("open"));
    });
    let mut workspace = Workspace::open(project_file).expect("open");
    let save = timed(&mut || workspace.save().expect("save"));
    let project = workspace.project().clone();
    let to_ron = timed(&mut || {
        black_box(marginalia::store::project_to_ron(&project));
    });
    let json = serde_json::to_string(&project).expect("json");
    let json_write = timed(&mut || {
        black_box(serde_json::to_string(&project).expect("json"));
    });
    let json_parse = timed(&mut || {
        black_box(serde_json::from_str::<marginalia::Project>(&json).expect("json"));
    });
    let lengths = workspace.text_lengths();
    let options = marginalia::stats::Options::default();
    let stats = timed(&mut || {
        black_box(marginalia::stats::compute(&project, &lengths, &options).expect("stats"));
    });
    let stats_json = timed(&mut || {
        let opened = Workspace::open(project_file).expect("open");
        let figures =
            marginalia::stats::compute(opened.project(), &opened.text_lengths(), &options)
                .expect("stats");
        black_box(serde_json::to_string(&figures).expect("json"));
    });
    let filter = marginalia::retrieval::PassageFilter {
        query: Some(marginalia::retrieval::query::Query {
            tag: project.codebook[0].id,
            other: project.codebook[1].id,
            relation: marginalia::retrieval::query::Relation::SameParagraph,
            without: false,
        }),
        ..Default::default()
    };
    let query = timed(&mut || {
        let prepared =
            marginalia::retrieval::Prepared::new(&project, &filter, &|doc| workspace.text(doc));
        black_box(marginalia::retrieval::sorted_rows(
            &project,
            &prepared,
            marginalia::retrieval::Sort::default(),
        ));
    });
    StoreResult {
        stats,
        stats_json,
        query,
        file_bytes,
        passages: project.annotations.len(),
        parse,
        parse_text,
        open,
        to_ron,
        save,
        json_parse,
        json_write,
    }
}

/// Resident memory of this process from /proc (`VmHWM`: the peak, `VmRSS`: now), bytes.
fn resident_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// In a child process: open the project, read it through, resize, tag; print the peak.
fn memory_child(project_file: Option<&Path>) {
    let workspace = match project_file {
        Some(file) => Workspace::open(file).expect("open"),
        None => Workspace::new_unsaved("empty"),
    };
    let chars = workspace.project().documents.first().map_or(0, |d| d.chars);
    let opened = resident_bytes("VmRSS:");
    let mut app = Headless::new(workspace);
    for k in 0..10 {
        app.jump_to(chars * k / 10);
        app.scroll(20);
    }
    for step in 0..20 {
        app.size = vec2(WINDOW.x - 10.0 * step as f32, WINDOW.y);
        app.idle(1);
    }
    if chars > 0 {
        app.drag(POINTER, POINTER + vec2(120.0, 0.0));
        app.key(Key::Num2);
    }
    println!(
        "{} {} {opened}",
        resident_bytes("VmHWM:"),
        resident_bytes("VmRSS:")
    );
}

/// The child's peak, final, and just-opened resident memory.
fn child_peak(project_file: Option<&Path>) -> (f64, f64, f64) {
    let mut command = Command::new(std::env::current_exe().expect("own path"));
    command.arg("--memory-child");
    if let Some(file) = project_file {
        command.arg(file);
    }
    let output = command.output().expect("run the memory child");
    assert!(
        output.status.success(),
        "memory child failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    let mut numbers = printed
        .split_whitespace()
        .map(|n| n.parse::<f64>().expect("the child prints its memory"));
    let mut next = || numbers.next().expect("three figures");
    (next(), next(), next())
}

fn escape() -> Event {
    Event::Key {
        key: Key::Escape,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    }
}

fn percent(fraction: Option<f64>) -> String {
    fraction.map_or("?".to_owned(), |f| format!("{:.1}%", f * 100.0))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--memory-child") {
        memory_child(args.get(at + 1).map(Path::new));
        return;
    }
    let plan = Plan::new(args.iter().any(|a| a == "--bench"));
    // `cargo bench --bench scale -- store` runs one part: views, store or memory.
    let case_filter = args.iter().position(|a| a == "--case").map(|at| at + 1);
    let parts: Vec<&str> = args[1..]
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && Some(i + 1) != case_filter)
        .map(|(_, a)| a)
        .map(String::as_str)
        .collect();
    let runs = |part: &str| parts.is_empty() || parts.contains(&part);
    if !plan.full {
        println!("quick pass on a tiny corpus (cargo bench --bench scale measures)");
    }
    println!(
        "marginalia scale benchmark: window {}x{}, CPU time per frame (run_ui + tessellate)",
        WINDOW.x, WINDOW.y
    );

    if runs("views") {
        views(&plan);
    }
    if runs("store") {
        store(&plan);
    }
    if runs("memory") {
        memory(&plan);
    }
    if runs("transcripts") {
        transcripts(&plan);
    }
    if runs("surveys") {
        surveys(&plan);
    }
}

/// A staff survey as an online form exports it: a respondent id, three closed columns and
/// three open questions answered in a sentence or three (some left empty).
fn survey_csv(respondents: usize) -> String {
    let words = marginalia::corpus_gen::seed_paragraphs().join(" ");
    let words: Vec<&str> = words.split_whitespace().collect();
    let mut random = marginalia::corpus_gen::SplitMix64::new(SEED);
    let mut csv = String::from(
        "respondent,age group,region,years of service,Why did you apply?,What helped?,What would you change?\n",
    );
    let regions = ["North", "South", "East", "West", "London"];
    let ages = ["18-24", "25-34", "35-44", "45-54", "55+"];
    let mut word = 0;
    for respondent in 1..=respondents {
        csv.push_str(&format!(
            "R{respondent:05},{},{},{}",
            ages[random.below(ages.len())],
            regions[random.below(regions.len())],
            random.below(30)
        ));
        for _ in 0..3 {
            csv.push(',');
            if random.below(10) == 0 {
                continue;
            }
            let answer: Vec<&str> = (0..random.between(5, 40))
                .map(|k| words[(word + k) % words.len()])
                .collect();
            word += answer.len();
            csv.push('"');
            csv.push_str(&answer.join(" ").replace('"', "\"\""));
            csv.push('"');
        }
        csv.push('\n');
    }
    csv
}

/// Issue 21: 10,000 respondents × 3 open questions imported, the project opened, and
/// `stats --by` on it.
fn surveys(plan: &Plan) {
    let respondents = if plan.full { 10_000 } else { 200 };
    let dir = tempfile::tempdir().expect("temporary folder");
    let sheet = dir.path().join("survey.csv");
    std::fs::write(&sheet, survey_csv(respondents)).expect("write the sheet");
    let (mut import, mut open, mut by) = (Vec::new(), Vec::new(), Vec::new());
    let (mut sorts, mut grid_first, mut grid_scroll) = (Vec::new(), None, None);
    let mut answers = 0;
    for run in 0..plan.store_repeats {
        let project_file = dir.path().join(format!("run-{run}/survey.ron"));
        std::fs::create_dir_all(project_file.parent().expect("a folder")).expect("folder");
        let started = Instant::now();
        let table = marginalia::import::survey::read_table(&sheet, None).expect("read the sheet");
        let mut workspace = Workspace::new_at(&project_file, "survey");
        workspace.coder = "bench".to_owned();
        let imported = workspace
            .import_survey(
                &table,
                &marginalia::workspace::SurveyColumns {
                    id: Some(0),
                    text: vec![4, 5, 6],
                    skip: Vec::new(),
                },
            )
            .expect("import the survey");
        workspace.save().expect("save");
        import.push(started.elapsed());
        answers = imported.answers;
        let started = Instant::now();
        let opened = Workspace::open(&project_file).expect("open");
        open.push(started.elapsed());
        let started = Instant::now();
        let project = opened.project();
        let region = project.attribute_by_name("region").expect("region").id;
        let figures = marginalia::stats::compute(
            project,
            &opened.text_lengths(),
            &marginalia::stats::Options {
                documents: None,
                by: Some(marginalia::stats::By {
                    attribute: region,
                    bins: Vec::new(),
                }),
            },
        )
        .expect("stats");
        by.push(started.elapsed());
        assert_eq!(figures.documents, respondents.min(figures.documents));

        // The Answers grid: a sort of every respondent by an answer's text, and (once) the
        // view's first frame and scrolling frames in the real app.
        let grid = marginalia::retrieval::answers::AnswerGrid::of(&opened);
        let started = Instant::now();
        let sorted = grid.view(
            project,
            &Default::default(),
            marginalia::retrieval::answers::AnswerSort {
                by: marginalia::retrieval::answers::SortBy::Question(1),
                descending: true,
            },
        );
        sorts.push(started.elapsed());
        assert_eq!(sorted.len(), grid.rows.len());
        if run == 0 {
            let mut app = Headless::new(opened);
            let ctx = app.ctx.clone();
            app.app.perform(
                &ctx,
                marginalia::ui::Action::ShowView(marginalia::ui::CentralView::Answers),
            );
            grid_first = Some(app.frame(vec![Event::PointerMoved(POINTER)]));
            app.idle(3);
            grid_scroll = Some(stats(&app.scroll(plan.scroll_frames)));
        }
    }
    println!();
    println!(
        "survey: {respondents} respondents x 3 open questions ({answers} answers), {} runs",
        plan.store_repeats
    );
    println!(
        "import (read the sheet, write the texts, one edit, save) median {:.0} ms (target <= 2000 ms)",
        median(&import)
    );
    println!(
        "open the project median {:.0} ms (target <= 500 ms); stats --by region median {:.0} ms (target <= 500 ms)",
        median(&open),
        median(&by)
    );
    let scroll = grid_scroll.expect("one run");
    println!(
        "answers grid: first frame {:.1} ms; scroll frame median {:.2} ms (p95 {:.2}, target <= 4 ms); sorting {respondents} rows median {:.1} ms (target <= 16 ms with its frame)",
        grid_first.expect("one run").as_secs_f64() * 1000.0,
        scroll.median,
        scroll.p95,
        median(&sorts)
    );
}

/// A focus-group recording as Zoom writes its captions: `hours` long, `speakers` people
/// taking turns of one to four cues, a cue every few seconds.
fn meeting_vtt(hours: f64, speakers: usize) -> String {
    let words = marginalia::corpus_gen::seed_paragraphs().join(" ");
    let words: Vec<&str> = words.split_whitespace().collect();
    let mut random = marginalia::corpus_gen::SplitMix64::new(SEED);
    let stamp = |t: f64| {
        let ms = (t * 1000.0).round() as u64;
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            ms / 3_600_000,
            ms / 60_000 % 60,
            ms / 1000 % 60,
            ms % 1000
        )
    };
    let mut vtt = String::from("WEBVTT\n\n");
    let (mut time, mut word, mut cue) = (0.0, 0, 1);
    while time < hours * 3600.0 {
        let speaker = random.below(speakers);
        for _ in 0..random.between(1, 4) {
            let length = 3.0 + random.below(40) as f64 / 10.0;
            let said: Vec<&str> = (0..random.between(6, 14))
                .map(|k| words[(word + k) % words.len()])
                .collect();
            word += said.len();
            vtt.push_str(&format!(
                "{cue}\n{} --> {}\n<v Speaker {}>{}</v>\n\n",
                stamp(time),
                stamp(time + length),
                speaker + 1,
                said.join(" ")
            ));
            time += length;
            cue += 1;
        }
    }
    vtt
}

/// Issue 20: a 10-hour, 12-speaker WebVTT (about 1 MB) imported and coded by speaker, and
/// the document view scrolled on it beside a plain text of the same size.
fn transcripts(plan: &Plan) {
    let hours = if plan.full { 10.0 } else { 0.5 };
    let dir = tempfile::tempdir().expect("temporary folder");
    let vtt = meeting_vtt(hours, 12);
    let captions = dir.path().join("meeting.vtt");
    std::fs::write(&captions, &vtt).expect("write the captions");
    let repeats = plan.store_repeats;
    let (mut import, mut code) = (Vec::new(), Vec::new());
    let mut coded = None;
    for run in 0..repeats {
        let project_file = dir.path().join(format!("meeting-{run}.ron"));
        let started = Instant::now();
        let mut workspace = Workspace::new_at(&project_file, "meeting");
        workspace
            .add_document_file(&captions)
            .expect("import the captions");
        import.push(started.elapsed());
        workspace.coder = "bench".to_owned();
        let started = Instant::now();
        let coding = workspace.code_by_speaker().expect("code by speaker");
        code.push(started.elapsed());
        assert!(coding.turns_coded > 0);
        workspace.save().expect("save");
        coded = Some((project_file, coding.turns_coded));
    }
    let (project_file, turns) = coded.expect("a run");
    let transcript = Workspace::open(&project_file).expect("open");
    let document = transcript.project().documents[0].clone();
    let text_bytes = transcript.text(document.id).expect("text").as_str().len();
    println!();
    println!(
        "transcript: {hours} h, 12 speakers, {} KB of WebVTT, {} turns ({} KB of text)",
        vtt.len() / KB,
        document.turns.len(),
        text_bytes / KB
    );
    println!(
        "import median {:.0} ms, code by speaker ({turns} turns) median {:.0} ms, together {:.0} ms (target <= 1000 ms), {repeats} runs",
        median(&import),
        median(&code),
        median(&import) + median(&code)
    );
    // The view on the coded transcript, and on a generated plain text of the same size
    // with as many passages.
    let plain = on_disk(&[text_bytes], turns);
    let scroll_on = |workspace: Workspace, doc: DocId| {
        let chars = workspace.project().document(doc).expect("doc").chars;
        let mut app = Headless::new(workspace);
        app.app.perform(
            &app.ctx.clone(),
            marginalia::ui::Action::SelectDocument(doc),
        );
        app.idle(3);
        app.jump_to(chars / 10);
        stats(&app.scroll(plan.scroll_frames))
    };
    let on_transcript = scroll_on(transcript, document.id);
    let on_plain = scroll_on(
        Workspace::open(&plain.project_file).expect("open the plain text"),
        1,
    );
    println!(
        "scroll median: transcript {:.2} ms (p95 {:.2}), plain text {:.2} ms (p95 {:.2}), ratio {:.2} (target <= 1.5)",
        on_transcript.median,
        on_transcript.p95,
        on_plain.median,
        on_plain.p95,
        on_transcript.median / on_plain.median
    );
}

fn views(plan: &Plan) {
    let mut results = Vec::new();
    // `-- views --case 100,000` measures only the cases whose label holds `100,000`.
    let only = std::env::args().skip_while(|a| a != "--case").nth(1);
    let cases = view_cases(plan)
        .into_iter()
        .filter(|c| only.as_ref().is_none_or(|o| c.label.contains(o.as_str())));
    for case in cases {
        let started = Instant::now();
        let result = measure_view(&case, plan);
        eprintln!(
            "  measured {} in {:.1} s",
            case.label,
            started.elapsed().as_secs_f64()
        );
        results.push(result);
    }
    println!();
    println!(
        "| case | first view | scroll median | p95 | max | jump median | max | resize median | p95 | max | new passage median | max | next frame median | max | scrolled to | before resizing | after |"
    );
    println!(
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in &results {
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {} | {} |",
            r.label,
            r.first_view.as_secs_f64() * 1e3,
            r.scroll.median,
            r.scroll.p95,
            r.scroll.max,
            r.jump.median,
            r.jump.max,
            r.resize.median,
            r.resize.p95,
            r.resize.max,
            r.create.median,
            r.create.max,
            r.after_create.median,
            r.after_create.max,
            percent(r.reached),
            percent(r.before_resize),
            percent(r.after_resize),
        );
    }
    let edit = edit_cost(plan);
    let find = |label: &str| results.iter().find(|r| r.label.starts_with(label));
    if let (Some(big), Some(small)) = (find("5 MB, 50,000"), find("50 KB, 500 passages")) {
        println!();
        println!(
            "scroll, 5 MB/50,000 vs 50 KB/500: {:.2} ms vs {:.2} ms, ratio {:.2} (target <= 4 ms and <= 1.5)",
            big.scroll.median,
            small.scroll.median,
            big.scroll.median / small.scroll.median
        );
        println!(
            "resize, 5 MB/50,000: max frame {:.2} ms (target <= 16 ms)",
            big.resize.max
        );
        println!(
            "new passage, 5 MB/50,000: median {:.2} ms, max {:.2} ms; the frame after it: median {:.2} ms (target <= 1 ms each)",
            big.create.median, big.create.max, big.after_create.median
        );
        println!(
            "  of which the edit alone (Workspace::tag_range, no UI): median {:.2} ms",
            edit.median
        );
    }
}

/// The window while the 100,000-passage project saves: Ctrl+S, then frames of scrolling
/// (UI thread CPU time) until the save on its worker thread has landed.
fn frames_during_save(plan: &Plan) -> (Stats, usize, Duration) {
    let mut documents = vec![plan.bytes(5 * MB)];
    documents.extend(std::iter::repeat_n(plan.bytes(50 * KB), 100));
    let disk = on_disk(&documents, plan.count(100_000));
    let workspace = Workspace::open(&disk.project_file).expect("open");
    let mut app = Headless::new(workspace);
    // Something to save: a passage made as a person makes it.
    let selected = app.drag(POINTER - vec2(120.0, 0.0), POINTER + vec2(140.0, 26.0));
    assert!(selected.is_some_and(|r| !r.is_empty()), "the drag selects");
    app.key(Key::Num2);
    app.idle(2);
    assert!(app.app.workspace().is_dirty());
    let started = Instant::now();
    let save = Event::Key {
        key: Key::S,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    };
    let mut frames = vec![app.frame(vec![save])];
    while app.app.is_saving() || app.app.workspace().is_dirty() {
        frames.extend(app.scroll(1));
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the save lands within a minute"
        );
    }
    (stats(&frames), frames.len(), started.elapsed())
}

fn store(plan: &Plan) {
    let (during_save, save_frames, save_wall) = frames_during_save(plan);
    let store = measure_store(plan);
    println!();
    println!(
        "project of {} passages, {:.1} MB of RON, median of {}:",
        store.passages,
        store.file_bytes as f64 / 1e6,
        plan.store_repeats
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("| step | ms | target | serde_json ms, same data | ratio to serde_json |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| open: Workspace::open (read, parse, check; read and fingerprint the 101 texts) | {:.0} | 500 | | |",
        ms(store.open)
    );
    println!(
        "| load: store::load_project (read, parse, check) | {:.0} | | | |",
        ms(store.parse)
    );
    println!(
        "| parse text in memory: store::parse_project vs serde_json::from_str | {:.0} | | {:.0} | {:.2} |",
        ms(store.parse_text),
        ms(store.json_parse),
        ms(store.parse_text) / ms(store.json_parse)
    );
    println!(
        "| save: Workspace::save (serialise, write, fsync, keep .bak, rename) | {:.0} | 300 | | |",
        ms(store.save)
    );
    println!(
        "| serialise: store::project_to_ron vs serde_json::to_string | {:.0} | | {:.0} | {:.2} |",
        ms(store.to_ron),
        ms(store.json_write),
        ms(store.to_ron) / ms(store.json_write)
    );
    println!(
        "| stats: stats::compute over every passage (the Analysis view's worker) | {:.0} | 500 | | |",
        ms(store.stats)
    );
    println!(
        "| stats --json: Workspace::open, stats::compute, serde_json | {:.0} | 500 | | |",
        ms(store.stats_json)
    );
    println!(
        "| query: tag 1 in the same paragraph as tag 2, the passages table's rows | {:.0} | | | |",
        ms(store.query)
    );
    println!();
    println!(
        "frames during a save of the 100,000-passage project (Ctrl+S, scrolling until it lands, {save_frames} frames, {:.0} ms wall):",
        ms(save_wall)
    );
    println!("| | median | p95 | max | target |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| UI thread frame, ms | {:.2} | {:.2} | {:.2} | < 8 |",
        during_save.median, during_save.p95, during_save.max
    );
}

fn memory(plan: &Plan) {
    let disk = on_disk(&[plan.bytes(5 * MB)], plan.count(50_000));
    let text_bytes = disk.corpus.text_bytes() as f64;
    let (baseline, _, _) = child_peak(None);
    let (peak, end, opened) = child_peak(Some(&disk.project_file));
    println!();
    println!(
        "memory, 5 MB/50,000 (open, read through, resize, tag), text {:.1} MB:",
        text_bytes / 1e6
    );
    println!("| | MB | x text |");
    println!("|---|---:|---:|");
    println!("| empty app (baseline) | {:.0} | |", baseline / 1e6);
    println!(
        "| peak (VmHWM) | {:.0} | {:.1} |",
        peak / 1e6,
        peak / text_bytes
    );
    println!(
        "| peak above the empty app | {:.0} | {:.1} |",
        (peak - baseline) / 1e6,
        (peak - baseline) / text_bytes
    );
    println!(
        "| resident once opened, before any frame | {:.0} | {:.1} |",
        opened / 1e6,
        opened / text_bytes
    );
    println!(
        "| resident at the end (VmRSS) | {:.0} | {:.1} |",
        end / 1e6,
        end / text_bytes
    );
}
