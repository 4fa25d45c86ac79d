//! The sample project (the five seed articles and `projects/seeds.ron`), built into the
//! binary so that a copy of the program started anywhere can open it. On first start it is
//! written into the app's data folder, in the same layout as in the repository, and opened
//! from there: the person's edits to the sample never touch the program's own files.

use std::path::{Path, PathBuf};

/// The sample's files, by their path relative to the folder it is installed in.
const FILES: [(&str, &[u8]); 6] = [
    (
        "projects/seeds.ron",
        include_bytes!("../projects/seeds.ron"),
    ),
    (
        "seeds/000_fd2bbcf178ec013b.txt",
        include_bytes!("../seeds/000_fd2bbcf178ec013b.txt"),
    ),
    (
        "seeds/001_3d90d8b929a68814.txt",
        include_bytes!("../seeds/001_3d90d8b929a68814.txt"),
    ),
    (
        "seeds/002_c2d47f878a0c9e5f.txt",
        include_bytes!("../seeds/002_c2d47f878a0c9e5f.txt"),
    ),
    (
        "seeds/003_38e58dabd02f397c.txt",
        include_bytes!("../seeds/003_38e58dabd02f397c.txt"),
    ),
    (
        "seeds/004_36a6fe7c59615a69.txt",
        include_bytes!("../seeds/004_36a6fe7c59615a69.txt"),
    ),
];

/// The sample's project file inside `data_dir` (whether it is installed yet or not).
pub fn project_path(data_dir: &Path) -> PathBuf {
    data_dir.join("sample").join("projects").join("seeds.ron")
}

/// Write the sample into `data_dir/sample` unless it is there already (a sample the person
/// has worked on is theirs: it is never replaced), and return its project file.
pub fn install(data_dir: &Path) -> std::io::Result<PathBuf> {
    let project = project_path(data_dir);
    if project.exists() {
        return Ok(project);
    }
    let root = data_dir.join("sample");
    // The texts first, the project file last: a half-written sample is written again.
    for (relative, bytes) in FILES.iter().rev() {
        let file = root.join(relative);
        if let Some(folder) = file.parent() {
            std::fs::create_dir_all(folder)?;
        }
        crate::store::write_atomically(&file, bytes, false).map_err(std::io::Error::other)?;
    }
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_installed_sample_opens_with_every_text_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let project = install(dir.path()).unwrap();
        let workspace = crate::workspace::Workspace::open(&project).unwrap();
        let sample = workspace.project();
        assert_eq!(sample.documents.len(), 5);
        for document in &sample.documents {
            assert!(workspace.text(document.id).is_some(), "{}", document.path);
        }
        assert!(!sample.annotations.is_empty());
        assert!(sample.annotations.iter().all(|a| workspace.is_anchored(a)));
    }

    #[test]
    fn a_sample_already_there_is_left_as_the_person_left_it() {
        let dir = tempfile::tempdir().unwrap();
        let project = install(dir.path()).unwrap();
        std::fs::write(&project, "edited").unwrap();
        assert_eq!(install(dir.path()).unwrap(), project);
        assert_eq!(std::fs::read_to_string(&project).unwrap(), "edited");
    }
}
