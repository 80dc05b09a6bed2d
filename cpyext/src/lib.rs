//! `libcpyext.so`: RustPython with the CPython C-API layer, for C programs
//! that embed the interpreter (`Py_Initialize`, or PyPy's interface). The
//! `cpyext` binary (`main.rs`) is built from the same modules (`layer.rs`).
//!
//! The object model lives in its own modules (`proxy`, `borrow`, `types`,
//! `gil`, `error_indicator`, `methods`, `loader`); the C-API functions live
//! in `api/`, one file per header in `include/`.
//!
//! Unsafe code follows the rules in `proxy.rs` (invariants I1-I8): every
//! `unsafe` block says why it is sound in a `// SAFETY:` line, and every
//! `unsafe fn` says what its caller must guarantee in `# Safety`.
#![allow(static_mut_refs)]
#![feature(exitcode_exit_method)]
#![warn(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]

include!("layer.rs");
