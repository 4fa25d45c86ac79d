//! Whether two paths name one file (two hard links to it), which a save must know: renaming
//! one link over another link to the same file does nothing on Unix (POSIX) and under Wine,
//! and would leave the temporary link behind.

use std::path::Path;

#[cfg(unix)]
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(windows)]
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, GetFileInformationByHandle,
    };
    // The volume and the file's index on it identify a file, as device and inode do on Unix.
    let identity = |path: &Path| {
        let file = std::fs::File::open(path).ok()?;
        // SAFETY: the structure is plain data, filled by the call; the handle is open for
        // the length of the call.
        unsafe {
            let mut info: BY_HANDLE_FILE_INFORMATION = std::mem::zeroed();
            (GetFileInformationByHandle(file.as_raw_handle(), &mut info) != 0).then_some((
                info.dwVolumeSerialNumber,
                info.nFileIndexHigh,
                info.nFileIndexLow,
            ))
        }
    };
    match (identity(a), identity(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

#[cfg(not(any(unix, windows)))]
pub fn same_file(_a: &Path, _b: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_links_to_one_file_are_the_same_file_and_two_copies_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let original = dir.path().join("p.ron");
        let link = dir.path().join("p.ron.bak");
        let copy = dir.path().join("copy.ron");
        std::fs::write(&original, "same bytes").unwrap();
        std::fs::hard_link(&original, &link).unwrap();
        std::fs::copy(&original, &copy).unwrap();
        assert!(same_file(&original, &link));
        assert!(!same_file(&original, &copy));
        assert!(!same_file(&original, &dir.path().join("missing")));
    }
}
