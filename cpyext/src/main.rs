//! The `cpyext` binary: RustPython with the CPython C-API layer.
//!
//! The object model lives in its own modules (`proxy`, `borrow`, `types`,
//! `gil`, `error_indicator`, `methods`, `loader`); the C-API functions live
//! in `api/`, one file per header in `include/`.
#![allow(clippy::missing_safety_doc, static_mut_refs)]

mod api;
mod borrow;
mod boundary;
mod cli;
mod ctype;
mod elf;
mod error_indicator;
mod ffi;
mod gil;
mod hooks;
mod loader;
mod methods;
mod proxy;
mod slots;
mod startup;
mod sysconfig;
mod types;

use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(code) = cli::run_layer_command() {
        return code;
    }
    use rustpython::InterpreterBuilderExt;
    let builder = rustpython::InterpreterBuilder::new().init_stdlib();
    let builder = loader::install_import_hook(builder);
    let builder = sysconfig::install(builder);
    let builder = api::datetime::install(builder);
    rustpython::run(builder)
}
