//! Commands of the layer itself, answered before the Python command line:
//!
//!   cpyext --cpyext-implemented       every C-API name the layer exports
//!   cpyext --cpyext-check FILE...     the C-API symbols each extension
//!                                     needs that the layer lacks
use crate::boundary::{ApiData, ApiFunction, implemented_names};
use crate::elf;
use std::collections::BTreeSet;
use std::process::ExitCode;

pub fn run_layer_command() -> Option<ExitCode> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--cpyext-implemented") => {
            let mut lines: Vec<String> = inventory::iter::<ApiFunction>
                .into_iter()
                .map(|f| format!("{}\tfunction\t{}", f.name, f.signature))
                .chain(
                    inventory::iter::<ApiData>
                        .into_iter()
                        .map(|d| format!("{}\tdata", d.name)),
                )
                .collect();
            lines.sort();
            for line in lines {
                println!("{line}");
            }
            Some(ExitCode::SUCCESS)
        }
        Some("--cpyext-check") => {
            let implemented: BTreeSet<&str> = implemented_names().collect();
            let mut all_found = true;
            for file in &args[2..] {
                match elf::inspect(std::path::Path::new(file)) {
                    Ok(ext) => {
                        let missing: BTreeSet<&str> = ext
                            .undefined
                            .iter()
                            .map(String::as_str)
                            .filter(|s| elf::is_api_symbol(s) && !implemented.contains(s))
                            .collect();
                        let tag = if ext.abi_tags.is_empty() {
                            "no cpyext ABI tag"
                        } else {
                            "cpyext ABI tag present"
                        };
                        println!("{file}: {tag}; {} C-API symbols missing", missing.len());
                        for name in &missing {
                            println!("  {name}");
                        }
                        all_found &= missing.is_empty() && !ext.abi_tags.is_empty();
                    }
                    Err(e) => {
                        println!("{file}: {e}");
                        all_found = false;
                    }
                }
            }
            Some(if all_found {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        _ => None,
    }
}
