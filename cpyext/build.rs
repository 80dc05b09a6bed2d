//! Generates the Rust view of the header structs from `include/` (bindgen),
//! compiles the C shims, and exports the C API from the `cpyext` binary and
//! from `libcpyext.so`.
use std::env;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.parent().unwrap().to_path_buf();
    let include = root.join("include");
    let shims = root.join("c_shims");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());

    println!("cargo:rerun-if-changed={}", include.display());
    println!("cargo:rerun-if-changed={}", shims.display());
    println!("cargo:rerun-if-changed={}", manifest.join("src/ffi_wrapper.h").display());

    // Structs and constants only: functions and exported data are defined in
    // Rust, and a second declaration of them would only drift.
    bindgen::Builder::default()
        .header(manifest.join("src/ffi_wrapper.h").to_str().unwrap())
        .clang_arg(format!("-I{}", include.display()))
        .allowlist_type("Py.*|_object|_typeobject|_longobject|_PyArg_Parser")
        .allowlist_var("METH_.*|Py_TPFLAGS_.*|Py_mod_.*|Py_(tp|nb|sq|mp|am|bf)_.*|Py_(LT|LE|EQ|NE|GT|GE)|PYTHON_API_VERSION|T_[A-Z_]*|READONLY|CPYEXT_ABI_TAG|PyBUF_.*|Py_(single|file|eval)_input")
        .blocklist_function(".*")
        .derive_default(true)
        .layout_tests(false)
        .generate()
        .expect("bindgen could not read include/")
        .write_to_file(out.join("bindings.rs"))
        .unwrap();

    // The C that must be C (varargs functions), as a static library that
    // the binary, the library and the unit tests link.
    // The library exports only what Rust defines (rustc's version script
    // hides the rest), so each shim is compiled under a private name
    // (`cpyext_shim_NAME`, through a force-included header of defines) and
    // exported by a Rust trampoline named NAME that jumps to it; the
    // trampolines also keep every member of the archive linked.
    let names = register_shims(&shims, &out);
    write_opcode_table(&include, &out);
    let renames = out.join("shim_renames.h");
    std::fs::write(&renames, names.iter().map(|n| format!("#define {n} cpyext_shim_{n}\n")).collect::<String>()).unwrap();
    let mut build = cc::Build::new();
    build.include(&include).flag("-fPIC").flag("-include").flag(renames.to_str().unwrap()).warnings(true);
    for entry in std::fs::read_dir(&shims).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "c") {
            build.file(&path);
        }
    }
    build.compile("cpyext_shims");
    // `rustc-link-lib` reaches the library target only; the binary, built
    // from the same modules, takes the archive as a link argument.
    println!("cargo:rustc-link-arg-bins={}", out.join("libcpyext_shims.a").display());
    // dlopen'ed extensions resolve the API against the `cpyext` executable.
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=Py*");
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=_Py*");
    // The layer's own entry points that our headers' inline functions call
    // (Py_SET_TYPE's cpyext_type_changed).
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=cpyext_*");
    // Calls between the layer's own functions stay inside the library, and
    // the library exports only the C API: C symbols some dependency exports
    // (liblzma's) would otherwise take the place of an extension's own
    // libraries.
    println!("cargo:rustc-link-arg-cdylib=-Wl,-Bsymbolic-functions");
    println!("cargo:rustc-link-arg-cdylib=-Wl,--exclude-libs,ALL");
    println!("cargo:rustc-link-lib=dl");
}

/// Registers every function the C shims define, as `#[cpython_api]` does for
/// Rust ones. A definition is written with its name at the start of a line
/// (`PyObject *` on the line before, `PyTuple_Pack(...)` on its own line).
/// Also writes their trampolines (`shim_trampolines.rs`) and returns their names.
fn register_shims(shims: &std::path::Path, out: &std::path::Path) -> Vec<String> {
    let mut registrations = String::new();
    let mut trampolines = String::new();
    let mut names = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(shims).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "c")) {
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let is_definition = (line.starts_with("Py") || line.starts_with("_Py"))
                && line.contains('(')
                && lines.get(i + 1).is_some_and(|next| next.trim() == "{");
            if is_definition {
                let name = &line[..line.find('(').unwrap()];
                let ret = if i > 0 { lines[i - 1].trim() } else { "" };
                let signature = format!("{ret} {line}").replace('"', "'");
                registrations.push_str(&format!(
                    "inventory::submit! {{ crate::boundary::ApiFunction {{ name: {name:?}, signature: {signature:?} }} }}\n"
                ));
                trampolines.push_str(&format!(
                    "unsafe extern \"C\" {{ fn cpyext_shim_{name}(); }}\n\
                     /// `{signature}`, defined in C (c_shims/).\n\
                     ///\n/// # Safety\n/// The C function's contract; the jump leaves every argument register as the caller set it.\n\
                     #[unsafe(naked)]\n#[unsafe(no_mangle)]\n\
                     pub unsafe extern \"C\" fn {name}() {{ core::arch::naked_asm!(\"jmp {{0}}\", sym cpyext_shim_{name}) }}\n"
                ));
                names.push(name.to_owned());
            }
        }
    }
    std::fs::write(out.join("shims.rs"), registrations).unwrap();
    std::fs::write(out.join("shim_trampolines.rs"), trampolines).unwrap();
    names
}

/// CPython 3.11's opcode numbers by name, from `include/opcode.h`, for
/// `PyCode_GetCode` (`opcodes_311.rs`).
fn write_opcode_table(include: &std::path::Path, out: &std::path::Path) {
    let header = std::fs::read_to_string(include.join("opcode.h")).unwrap();
    let mut table = String::from("/// (name, number) of each opcode `include/opcode.h` defines.\npub(crate) const OPCODES_311: &[(&str, u8)] = &[\n");
    for line in header.lines() {
        let mut words = line.split_whitespace();
        if let (Some("#define"), Some(name), Some(number), None) = (words.next(), words.next(), words.next(), words.next()) {
            if let Ok(number) = number.parse::<u8>() {
                if name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') && name != "HAVE_ARGUMENT" {
                    table.push_str(&format!("    ({name:?}, {number}),\n"));
                }
            }
        }
    }
    table.push_str("];\n");
    std::fs::write(out.join("opcodes_311.rs"), table).unwrap();
}
