//! The sample project the app opens on first start: `projects/seeds.ron` over `seeds/`.
//! It must open cleanly, every passage must sit on its quoted text, it must use the whole
//! codebook, and it must stay in the canonical layout that `store::project_to_ron` writes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use marginalia::anchor::sha256_hex;
use marginalia::cli::check_project;
use marginalia::model::default_codebook;
use marginalia::{Workspace, store};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample_path() -> PathBuf {
    manifest_dir().join("projects").join("seeds.ron")
}

fn seeds_dir() -> PathBuf {
    manifest_dir().join("seeds")
}

fn open_sample() -> Workspace {
    Workspace::open(&sample_path())
        .unwrap_or_else(|e| panic!("the sample project does not open: {e}"))
}

#[test]
fn sample_opens_with_every_document_ok_and_every_passage_anchored() {
    let workspace = open_sample();
    let project = workspace.project();
    assert_eq!(project.name, "Police positive action");
    assert_eq!(project.documents.len(), 5);

    let report = check_project(&workspace);
    for document in &report.documents {
        assert_eq!(
            document.status, "ok",
            "document {} ({}) is {}",
            document.id, document.path, document.status
        );
    }
    assert!(report.is_ok(), "problems: {:#?}", report.problems);
    assert_eq!(report.annotations.total, project.annotations.len());
    assert_eq!(report.annotations.anchored, report.annotations.total);
    assert_eq!(report.annotations.mismatched, 0);
    assert!(
        report.annotations.total >= 8,
        "only {} passages",
        report.annotations.total
    );
}

#[test]
fn sample_uses_the_default_codebook_and_every_tag() {
    let workspace = open_sample();
    let project = workspace.project();
    assert_eq!(project.codebook, default_codebook());

    for tag in &project.codebook {
        let uses = project
            .annotations
            .iter()
            .filter(|a| a.tags.contains(&tag.id))
            .count();
        assert!(uses >= 1, "tag {:?} is never used", tag.name);
    }
    for document in &project.documents {
        assert!(
            project.annotations_of(document.id).next().is_some(),
            "document {} ({}) has no passage",
            document.id,
            document.title
        );
    }
    for annotation in &project.annotations {
        assert!(
            !annotation.tags.is_empty(),
            "passage {} has no tag",
            annotation.id
        );
        assert!(!annotation.is_empty(), "passage {} is empty", annotation.id);
        assert_eq!(annotation.coder, "sample");
        assert!(
            !annotation.created.is_empty(),
            "passage {} has no timestamp",
            annotation.id
        );
    }
}

#[test]
fn sample_file_is_in_canonical_layout() {
    let path = sample_path();
    let on_disk = std::fs::read_to_string(&path).unwrap();
    let project = store::load_project(&path).unwrap();
    let canonical = store::project_to_ron(&project);
    if on_disk != canonical {
        let first_difference = on_disk
            .lines()
            .zip(canonical.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b);
        panic!(
            "projects/seeds.ron is not what project_to_ron writes; first differing line: \
             {first_difference:#?} (lines on disk: {}, canonical: {})",
            on_disk.lines().count(),
            canonical.lines().count()
        );
    }
    // Passages in the on-disk order of DESIGN.md, (document, start, end, id).
    let keys: Vec<_> = project
        .annotations
        .iter()
        .map(|a| (a.doc, a.start, a.end, a.id))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn sample_documents_match_their_recorded_fingerprints() {
    let workspace = open_sample();
    let project = workspace.project();
    let mut in_order = Vec::new();
    for (index, document) in project.documents.iter().enumerate() {
        assert_eq!(
            document.id as usize,
            index + 1,
            "ids follow file-name order"
        );
        let file_name = document
            .path
            .strip_prefix("../seeds/")
            .unwrap_or_else(|| panic!("{} is not under ../seeds/", document.path));
        in_order.push(file_name.to_owned());
        let bytes = std::fs::read(seeds_dir().join(file_name)).unwrap();
        assert_eq!(sha256_hex(&bytes), document.sha256, "{file_name}: sha256");
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.chars().count(), document.chars, "{file_name}: chars");
        let first_line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap();
        assert_eq!(document.title, first_line, "{file_name}: title");
    }
    let mut sorted = in_order.clone();
    sorted.sort();
    assert_eq!(in_order, sorted, "documents are listed in file-name order");
    let listed: BTreeSet<String> = in_order.into_iter().collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        on_disk, listed,
        "seeds/ holds exactly the sample's documents"
    );
}

/// The recorded fingerprints (checked above) stand for the corpus on every machine; this
/// compares the files themselves where the workplace's shared corpus sits beside the clone.
#[test]
#[ignore = "needs the shared corpus in ../shared/seeds beside the checkout"]
fn seeds_are_byte_identical_to_the_shared_corpus() {
    let shared = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds"));
    assert!(shared.is_dir(), "{} is there", shared.display());
    let names = |dir: &Path| -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names(&seeds_dir()), names(shared), "same file names");
    for name in names(shared) {
        let ours = std::fs::read(seeds_dir().join(&name)).unwrap();
        let theirs = std::fs::read(shared.join(&name)).unwrap();
        assert!(
            ours == theirs,
            "seeds/{name} differs from the shared corpus"
        );
    }
}
