//! Generates the Rust view of the header structs from `include/` (bindgen),
//! compiles the C shims, and exports the C API from the binary.
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

    // Structs and constants only: functions and exported data are defined in
    // Rust, and a second declaration of them would only drift.
    bindgen::Builder::default()
        .header(manifest.join("src/ffi_wrapper.h").to_str().unwrap())
        .clang_arg(format!("-I{}", include.display()))
        .allowlist_type("Py.*|_object|_typeobject|_longobject")
        .allowlist_var("METH_.*|Py_TPFLAGS_.*|Py_mod_.*|Py_(LT|LE|EQ|NE|GT|GE)|PYTHON_API_VERSION|Py_T_.*|_Py_T_.*|Py_READONLY|CPYEXT_ABI_TAG|PyBUF_.*")
        .blocklist_function(".*")
        .derive_default(true)
        .layout_tests(false)
        .generate()
        .expect("bindgen could not read include/")
        .write_to_file(out.join("bindings.rs"))
        .unwrap();

    // The C that must be C (varargs functions). Linked as plain objects, not an
    // archive, so that no member is dropped for lack of a Rust-side reference.
    let mut build = cc::Build::new();
    build.include(&include).flag("-fPIC").warnings(true);
    let mut any = false;
    for entry in std::fs::read_dir(&shims).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "c") {
            build.file(&path);
            any = true;
        }
    }
    if any {
        for object in build.compile_intermediates() {
            println!("cargo:rustc-link-arg-bins={}", object.display());
        }
    }

    // dlopen'ed extensions resolve the API against this executable.
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=Py*");
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=_Py*");
    println!("cargo:rustc-link-lib=dl");
}
