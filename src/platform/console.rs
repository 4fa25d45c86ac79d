//! The Windows program is a windowed ("GUI subsystem") program, so that starting it from the
//! Start menu or Explorer opens no console window beside it. Windows gives such a program no
//! standard output, even when it is started from a terminal; so that `marginalia --help`,
//! `--version` and the command-line tools print there, it attaches to the console of the
//! terminal it was started from, if any.
//!
//! Output redirected to a file or pipe (`marginalia export … > out.csv`, or through
//! PowerShell) is already a valid handle and is left alone. A terminal does not wait for a
//! windowed program, so its prompt may come back before the output: README's "Install on
//! Windows" says so.

use windows_sys::Win32::Foundation::{GENERIC_READ, GENERIC_WRITE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::Storage::FileSystem::{
    CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, OPEN_EXISTING,
};
use windows_sys::Win32::System::Console::{
    ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_HANDLE,
    STD_OUTPUT_HANDLE, SetStdHandle,
};

/// Send standard output and error to the starting terminal when Windows gave none.
pub fn attach_to_parent_console() {
    let missing = |which: STD_HANDLE| {
        // SAFETY: GetStdHandle takes a constant and returns a handle value, null when none.
        let handle = unsafe { GetStdHandle(which) };
        handle.is_null() || handle == INVALID_HANDLE_VALUE
    };
    let (out_missing, err_missing) = (missing(STD_OUTPUT_HANDLE), missing(STD_ERROR_HANDLE));
    if !out_missing && !err_missing {
        return;
    }
    // SAFETY: plain call; it fails (and we do nothing) when the parent has no console, as
    // when the program is started from the Start menu.
    if unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } == 0 {
        return;
    }
    // Attaching sets the missing handles on current Windows; older ones need them opened.
    let console_output = || {
        let name: Vec<u16> = "CONOUT$\0".encode_utf16().collect();
        // SAFETY: `name` is a NUL-terminated UTF-16 string that outlives the call.
        unsafe {
            CreateFileW(
                name.as_ptr(),
                GENERIC_READ | GENERIC_WRITE,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                std::ptr::null(),
                OPEN_EXISTING,
                0,
                std::ptr::null_mut(),
            )
        }
    };
    for (which, was_missing) in [
        (STD_OUTPUT_HANDLE, out_missing),
        (STD_ERROR_HANDLE, err_missing),
    ] {
        if was_missing && missing(which) {
            let handle = console_output();
            if handle != INVALID_HANDLE_VALUE {
                // SAFETY: `handle` is a console handle we opened and never close: it lives as
                // long as the process, as standard handles do.
                unsafe { SetStdHandle(which, handle) };
            }
        }
    }
}
