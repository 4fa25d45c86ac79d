//! Document paths in a project file: relative to the project's folder when the document
//! lies under it or beside it (so a project and its corpus move together), absolute otherwise;
//! and the app's own data folder, which the app passes to what needs it.

use std::path::{Component, Path, PathBuf, Prefix};

/// The app's own data folder, in the platform's usual place: `$XDG_DATA_HOME/marginalia` on
/// Linux, `%APPDATA%\Marginalia` on Windows (roaming with the person's profile, as their
/// preferences should).
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
    let name = if cfg!(windows) {
        "Marginalia"
    } else {
        "marginalia"
    };
    base.unwrap_or_else(std::env::temp_dir).join(name)
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
///
/// Relative paths are written with `/`, but one typed on Windows may use `\`, which every
/// system reads here as a separator. An absolute path of another system (`C:\…` or
/// `\\server\…` read on Linux, `/home/…` on Windows) is kept as written: that document is
/// missing here, and the app asks where it is, rather than looking inside the project's folder.
pub fn resolve_document_path(stored: &str, project_dir: &Path) -> PathBuf {
    if Path::new(stored).is_absolute() || is_absolute_elsewhere(stored) {
        return PathBuf::from(stored);
    }
    let relative = if cfg!(windows) {
        stored.to_owned()
    } else {
        stored.replace('\\', "/")
    };
    normalize(&project_dir.join(relative))
}

/// Absolute on Unix (`/…`) or on Windows (`C:\…`, `C:/…`, `\\server\share\…`).
fn is_absolute_elsewhere(stored: &str) -> bool {
    let bytes = stored.as_bytes();
    let drive = bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/');
    drive || stored.starts_with('/') || stored.starts_with("\\\\")
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
            // `c:` and `C:` name one drive; file dialogs and the working folder differ.
            Component::Prefix(prefix) => match prefix.kind() {
                Prefix::Disk(letter) => {
                    out.push(format!("{}:", char::from(letter.to_ascii_uppercase())))
                }
                _ => out.push(prefix.as_os_str()),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
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

    #[cfg(unix)]
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

    #[cfg(unix)]
    #[test]
    fn a_relative_path_typed_with_backslashes_resolves_on_linux_too() {
        assert_eq!(
            resolve_document_path("..\\seeds\\a.txt", Path::new("/work/study/projects")),
            PathBuf::from("/work/study/seeds/a.txt")
        );
    }

    #[test]
    fn an_absolute_path_of_another_system_is_kept_as_written() {
        let here = std::env::temp_dir();
        for stored in [
            "C:\\Users\\Zoë Müller\\Documents\\interview.txt",
            "d:/fieldwork/notes.txt",
            "\\\\fileserver\\team\\study\\a.txt",
            "/home/zoë/study/a.txt",
        ] {
            assert_eq!(
                resolve_document_path(stored, &here),
                PathBuf::from(stored),
                "{stored}"
            );
        }
    }

    /// What a project on Windows stores and reads back, with a user name outside ASCII.
    #[cfg(windows)]
    #[test]
    fn windows_paths_with_drive_letters_and_non_ascii_names() {
        let project_dir = Path::new(r"C:\Users\Zoë Müller\Documents\Étude\projects");
        assert_eq!(
            relative_document_path(
                Path::new(r"C:\Users\Zoë Müller\Documents\Étude\seeds\entretien 1.txt"),
                project_dir
            ),
            "../seeds/entretien 1.txt"
        );
        assert_eq!(
            relative_document_path(
                Path::new(r"C:\Users\Zoë Müller\Documents\Étude\projects\sources\b.txt"),
                Path::new(r"c:\Users\Zoë Müller\Documents\Étude\projects")
            ),
            "sources/b.txt",
            "the drive letter's case does not matter"
        );
        assert_eq!(
            relative_document_path(Path::new(r"D:\fieldwork\c.txt"), project_dir),
            r"D:\fieldwork\c.txt"
        );
        assert_eq!(
            resolve_document_path("../seeds/entretien 1.txt", project_dir),
            PathBuf::from(r"C:\Users\Zoë Müller\Documents\Étude\seeds\entretien 1.txt")
        );
        assert_eq!(
            resolve_document_path(r"..\seeds\a.txt", project_dir),
            PathBuf::from(r"C:\Users\Zoë Müller\Documents\Étude\seeds\a.txt")
        );
    }

    #[cfg(windows)]
    #[test]
    fn the_data_folder_is_in_appdata() {
        let appdata = std::env::var_os("APPDATA").expect("Windows sets APPDATA");
        assert_eq!(data_dir(), PathBuf::from(appdata).join("Marginalia"));
    }
}
