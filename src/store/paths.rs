//! Document paths in a project file: relative to the project's folder when the document
//! lies under it or beside it (so a project and its corpus move together), absolute otherwise;
//! and the app's own data folder, which the app passes to what needs it.

use std::path::{Component, Path, PathBuf};

/// The app's own data folder (the platform's usual place; `$XDG_DATA_HOME/marginalia` on Linux).
pub fn data_dir() -> PathBuf {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = if cfg!(windows) {
        var("APPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        var("XDG_DATA_HOME").or_else(|| var("HOME").map(|h| h.join(".local/share")))
    };
    base.unwrap_or_else(std::env::temp_dir).join("marginalia")
}

/// Where converted texts of a project never saved wait until Save as copies them beside it.
pub fn unsaved_sources_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("unsaved-sources")
}

/// Where a workspace that was given no data folder (the command line, the library in
/// another program, tests) keeps converted texts of a project never saved: a folder of this
/// process under the system's temporary folder, never the user's data folder, which only the
/// app passes in ([`crate::workspace::Workspace::set_unsaved_sources_dir`]).
pub fn temporary_unsaved_sources_dir() -> PathBuf {
    std::env::temp_dir().join(format!("marginalia-unsaved-sources-{}", std::process::id()))
}

/// Resolve a document path from a project file against the project's folder.
pub fn resolve_document_path(stored: &str, project_dir: &Path) -> PathBuf {
    let stored = Path::new(stored);
    if stored.is_absolute() {
        stored.to_owned()
    } else {
        normalize(&project_dir.join(stored))
    }
}

/// The path to store for `document` in a project kept in `project_dir`: relative when the
/// document lies under the project's folder or under that folder's parent, absolute otherwise.
/// Separators are always `/`, so a project file reads the same on every system.
pub fn relative_document_path(document: &Path, project_dir: &Path) -> String {
    let document = normalize(&absolute(document));
    let project_dir = normalize(&absolute(project_dir));
    if let Ok(rest) = document.strip_prefix(&project_dir) {
        return to_slashes(rest);
    }
    if let Some(parent) = project_dir.parent()
        && let Ok(rest) = document.strip_prefix(parent)
    {
        return format!("../{}", to_slashes(rest));
    }
    document.to_string_lossy().into_owned()
}

fn to_slashes(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_owned())
    }
}

/// Remove `.` and fold `..` without touching the file system (the file may not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_beside_the_project_folder_are_relative() {
        let project_dir = Path::new("/work/study/projects");
        assert_eq!(
            relative_document_path(Path::new("/work/study/seeds/a.txt"), project_dir),
            "../seeds/a.txt"
        );
        assert_eq!(
            relative_document_path(Path::new("/work/study/projects/sources/b.txt"), project_dir),
            "sources/b.txt"
        );
        assert_eq!(
            relative_document_path(Path::new("/elsewhere/c.txt"), project_dir),
            "/elsewhere/c.txt"
        );
    }

    #[test]
    fn stored_paths_resolve_against_the_project_folder() {
        let project_dir = Path::new("/work/study/projects");
        assert_eq!(
            resolve_document_path("../seeds/a.txt", project_dir),
            PathBuf::from("/work/study/seeds/a.txt")
        );
        assert_eq!(
            resolve_document_path("/x/y.txt", project_dir),
            PathBuf::from("/x/y.txt")
        );
    }
}
