//! Where a `.qdpx` opened in the app becomes a Marginalia project: `NAME.ron` beside the
//! archive, or, when the archive's folder takes no new files (a read-only share, a mounted
//! disc, an attachment folder of another program), a folder of its own in the app's data
//! folder. Never over a file or folder that exists. Nothing here writes a project; this only
//! chooses the name.

use std::path::{Path, PathBuf};

/// The project file an import should write, and why it is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportDestination {
    /// `NAME.ron` (or `NAME-2.ron`, …) beside the archive.
    BesideArchive(PathBuf),
    /// The archive's folder is read-only: `DATA/imported/NAME/NAME.ron` (or `NAME-2/`, …),
    /// a folder that does not exist yet. Create it before writing the project.
    DataFolder(PathBuf),
}

impl ImportDestination {
    pub fn project_file(&self) -> &Path {
        match self {
            Self::BesideArchive(file) | Self::DataFolder(file) => file,
        }
    }
}

/// Choose where the project made from `archive` goes; `data_dir` is the app's data folder.
pub fn import_destination(archive: &Path, data_dir: &Path) -> ImportDestination {
    let folder = match archive.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    choose(archive, data_dir, accepts_new_files(folder))
}

fn choose(archive: &Path, data_dir: &Path, folder_writable: bool) -> ImportDestination {
    let stem = archive.file_stem().map_or_else(
        || "imported".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    if folder_writable {
        let beside = |name: String| archive.with_file_name(name);
        ImportDestination::BesideArchive(first_free(|n| match n {
            1 => beside(format!("{stem}.ron")),
            n => beside(format!("{stem}-{n}.ron")),
        }))
    } else {
        let imported = data_dir.join("imported");
        let folder = first_free(|n| match n {
            1 => imported.join(&stem),
            n => imported.join(format!("{stem}-{n}")),
        });
        ImportDestination::DataFolder(folder.join(format!("{stem}.ron")))
    }
}

/// The first of `name(1)`, `name(2)`, … that names nothing on disk.
fn first_free(name: impl Fn(usize) -> PathBuf) -> PathBuf {
    (1..)
        .map(name)
        .find(|path| path.symlink_metadata().is_err())
        .expect("some numbered name is free")
}

/// Whether a new file can be created in `folder` (tried, not guessed from permission bits:
/// a read-only mount or a network share answers only to a real attempt).
fn accepts_new_files(folder: &Path) -> bool {
    tempfile::Builder::new()
        .prefix(".marginalia-write-test-")
        .tempfile_in(folder)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beside_a_writable_archive_the_first_free_name_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("study.qdpx");
        let data = dir.path().join("data");
        assert_eq!(
            choose(&archive, &data, true),
            ImportDestination::BesideArchive(dir.path().join("study.ron"))
        );
        std::fs::write(dir.path().join("study.ron"), "mine").unwrap();
        std::fs::write(dir.path().join("study-2.ron"), "mine too").unwrap();
        assert_eq!(
            choose(&archive, &data, true),
            ImportDestination::BesideArchive(dir.path().join("study-3.ron"))
        );
    }

    #[test]
    fn a_read_only_folder_sends_the_project_into_its_own_folder_in_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Path::new("/media/disc/study.qdpx");
        let data = dir.path().join("data");
        let first = choose(archive, &data, false);
        assert_eq!(
            first,
            ImportDestination::DataFolder(data.join("imported/study/study.ron"))
        );
        std::fs::create_dir_all(data.join("imported/study")).unwrap();
        assert_eq!(
            choose(archive, &data, false).project_file(),
            data.join("imported/study-2/study.ron")
        );
    }

    #[test]
    fn a_folder_one_can_write_in_is_found_writable() {
        let dir = tempfile::tempdir().unwrap();
        assert!(accepts_new_files(dir.path()));
        assert!(!accepts_new_files(&dir.path().join("no such folder")));
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no trace"
        );
    }
}
