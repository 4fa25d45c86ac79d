//! Whether the process with a given id is still running on this computer. A project lock
//! or an autosave left by a process that is gone is stale; one whose process runs is not.

#[cfg(target_os = "linux")]
pub fn process_is_alive(pid: u32) -> bool {
    std::path::Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(all(unix, not(target_os = "linux")))]
pub fn process_is_alive(pid: u32) -> bool {
    // `kill -0` asks whether the process exists without signalling it.
    std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .map_or(true, |s| s.success())
}

#[cfg(windows)]
pub fn process_is_alive(pid: u32) -> bool {
    use windows_sys::Win32::Foundation::{CloseHandle, ERROR_ACCESS_DENIED, GetLastError};
    use windows_sys::Win32::System::Threading::{
        GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
    };
    // The value GetExitCodeProcess gives while a process runs (STILL_ACTIVE).
    const STILL_ACTIVE: u32 = 259;
    // SAFETY: OpenProcess takes plain values and returns a handle or null; the handle is
    // used only here and closed once.
    unsafe {
        let handle = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
        if handle.is_null() {
            // A process of another user that we may not query still exists.
            return GetLastError() == ERROR_ACCESS_DENIED;
        }
        let mut code = 0u32;
        let queried = GetExitCodeProcess(handle, &mut code) != 0;
        CloseHandle(handle);
        // A process whose exit code cannot be read is taken as alive: a lock wrongly kept
        // asks the person, a lock wrongly dropped lets two windows write one file.
        !queried || code == STILL_ACTIVE
    }
}

#[cfg(not(any(unix, windows)))]
pub fn process_is_alive(_pid: u32) -> bool {
    // No way to ask: an old lock is shown to the person, who can delete it.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive() {
        assert!(process_is_alive(std::process::id()));
    }

    #[test]
    fn a_child_that_has_exited_is_not() {
        let mut child = if cfg!(windows) {
            std::process::Command::new("cmd")
                .args(["/C", "exit 0"])
                .spawn()
        } else {
            std::process::Command::new("true").spawn()
        }
        .expect("a child process starts");
        let pid = child.id();
        assert!(child.wait().unwrap().success());
        // On Linux the id is free once reaped but handed out again only after the others;
        // on Windows `child` still holds the process object, so its id is not reused yet.
        assert!(!process_is_alive(pid), "process {pid} has exited");
    }
}
