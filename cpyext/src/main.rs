//! The `cpyext` binary: loads `libcpyext.so` from beside itself (symbolic
//! links resolved, so a venv's `bin/python` finds it) and runs its command
//! line. The library is loaded with RTLD_GLOBAL: extension modules it
//! imports later resolve the C API against it.
use std::ffi::{CString, c_int};
use std::process::ExitCode;

fn main() -> ExitCode {
    let exe = std::env::current_exe().and_then(|p| p.canonicalize());
    let library = match &exe {
        Ok(exe) => exe.with_file_name("libcpyext.so"),
        Err(e) => {
            eprintln!("cpyext: cannot find its own executable: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Ok(path) = CString::new(library.as_os_str().as_encoded_bytes()) else {
        eprintln!("cpyext: {} is not a usable path", library.display());
        return ExitCode::FAILURE;
    };
    // SAFETY: dlopen/dlsym/dlerror with a NUL-terminated path and name; the
    // symbol is `cpyext_main` of lib.rs, `extern "C" fn() -> c_int`.
    unsafe {
        let handle = libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL);
        if handle.is_null() {
            let why = std::ffi::CStr::from_ptr(libc::dlerror()).to_string_lossy();
            eprintln!("cpyext: cannot load {}: {why}", library.display());
            return ExitCode::FAILURE;
        }
        let main = libc::dlsym(handle, c"cpyext_main".as_ptr());
        if main.is_null() {
            eprintln!("cpyext: {} has no cpyext_main", library.display());
            return ExitCode::FAILURE;
        }
        let main: extern "C" fn() -> c_int = std::mem::transmute(main);
        ExitCode::from(main() as u8)
    }
}
