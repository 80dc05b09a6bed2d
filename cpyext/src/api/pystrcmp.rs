//! pystrcmp.h: case-insensitive ASCII string comparison.
use cpyext_macros::cpython_api;
use std::ffi::{c_char, c_int};

fn lower(c: c_char) -> c_int {
    (c as u8).to_ascii_lowercase() as c_int
}

/// Compares at most `size` characters, ignoring ASCII case.
#[cpython_api(no_gil)]
unsafe fn PyOS_mystrnicmp(a: *const c_char, b: *const c_char, size: isize) -> c_int {
    for i in 0..size.max(0) as usize {
        let (x, y) = (*a.add(i), *b.add(i));
        if x == 0 || y == 0 || lower(x) != lower(y) {
            return lower(x) - lower(y);
        }
    }
    0
}

#[cpython_api(no_gil)]
unsafe fn PyOS_mystricmp(a: *const c_char, b: *const c_char) -> c_int {
    PyOS_mystrnicmp(a, b, isize::MAX)
}
