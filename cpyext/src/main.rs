//! The `cpyext` binary: RustPython with the CPython C-API layer, exporting
//! the C API to the extension modules it loads. The same modules make
//! `libcpyext.so` (`lib.rs`) for programs that embed the interpreter.
//!
//! Unsafe code follows the rules in `proxy.rs` (invariants I1-I8): every
//! `unsafe` block says why it is sound in a `// SAFETY:` line, and every
//! `unsafe fn` says what its caller must guarantee in `# Safety`.
#![allow(static_mut_refs)]
#![feature(exitcode_exit_method)]
#![warn(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]

include!("layer.rs");

fn main() {
    run_command_line()
}
