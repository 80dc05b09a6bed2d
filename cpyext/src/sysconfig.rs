//! What `sysconfig` says about building extensions: cpyext, not RustPython.
//!
//! Build tools (setuptools' `build_ext`, pip's wheel tags, meson-python) ask
//! `sysconfig` where `Python.h` is, which suffix a built module gets and how
//! to call the compiler. RustPython's `sysconfig` reads those answers from its
//! built-in module `_sysconfigdata` (also registered under the name
//! `_sysconfigdata__linux_x86_64-linux-gnu`), whose `build_time_vars`
//! describe RustPython's own extension ABI. We replace that module by a copy
//! whose exec runs the host's and then overwrites the build variables with
//! ours: our `include/`, our suffix, and `cc -shared -fPIC -pthread`.
//!
//! `sysconfig.get_paths()['include']` does not come from those variables: it
//! is the template `{installed_base}/include/...` of the install scheme. The
//! exec runs the first time `sysconfig` computes its variables, which
//! `get_paths` does before it expands a template, so the exec also points
//! every scheme whose `include`/`platinclude` names the interpreter's own
//! headers (a template under `{installed_base}`/`{installed_platbase}`) at
//! our directory. User schemes (`~/.local/include/...`) are left alone: they
//! are where packages install their own headers.
use crate::loader::{self, EXTENSION_SUFFIXES, ModuleExec};
use rustpython_vm::builtins::{PyDict, PyModule};
use rustpython_vm::convert::ToPyObject;
use rustpython_vm::function::OptionalArg;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Overrides where our headers are (the directory holding `Python.h`).
pub const INCLUDE_ENV: &str = "CPYEXT_INCLUDE";
/// A directory holding a pip wheel, for `ensurepip` (and so `venv`). The
/// stdlib is frozen into the binary without its data files, so the wheel
/// `ensurepip` bundles is not there; it looks in `WHEEL_PKG_DIR` first
/// (see `wheel_pkg_dir` for the default).
pub const WHEEL_PKG_DIR_ENV: &str = "CPYEXT_WHEEL_PKG_DIR";

static HOST_EXEC: OnceLock<ModuleExec> = OnceLock::new();

pub fn install(builder: rustpython::InterpreterBuilder) -> rustpython::InterpreterBuilder {
    loader::extend_builtin_module(builder, "_sysconfigdata", &HOST_EXEC, exec_sysconfigdata)
}

/// Our header directory: `$CPYEXT_INCLUDE` if set, else `include/` two levels
/// above the binary (`target/release/cpyext` -> `include/`). Symbolic links to
/// the binary (a venv's `bin/python`) are resolved first.
pub fn include_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(INCLUDE_ENV).filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        return std::path::absolute(&dir).unwrap_or(dir);
    }
    let exe = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .unwrap_or_default();
    include_dir_for_binary(&exe)
}

/// Where `ensurepip` looks for its pip wheel: `$CPYEXT_WHEEL_PKG_DIR` if
/// set, else `wheels/` beside the binary's directory (`target/wheels` for
/// `target/release/cpyext`, which tests/setup.sh fills from PyPI) when it
/// exists.
pub fn wheel_pkg_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(WHEEL_PKG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let exe = std::env::current_exe().and_then(|p| p.canonicalize()).ok()?;
    let dir = exe.parent()?.parent()?.join("wheels");
    dir.is_dir().then_some(dir)
}

fn include_dir_for_binary(exe: &Path) -> PathBuf {
    exe.ancestors()
        .nth(3)
        .unwrap_or(Path::new("/"))
        .join("include")
}

pub enum Value {
    Str(String),
    Int(i64),
}

/// The build variables we set, over the host's.
pub fn build_vars(include: &str, exec_prefix: &str) -> Vec<(&'static str, Value)> {
    use Value::*;
    let version = format!("{}.{}", rustpython_vm::version::MAJOR, rustpython_vm::version::MINOR);
    let suffix = EXTENSION_SUFFIXES[0];
    // SOABI is the ABI tag every wheel tool must agree on. packaging (pip,
    // setuptools' vendored copy) derives "cpyext" from EXT_SUFFIX (a soabi
    // starting "cp" takes its Windows branch: the text up to the first '-'),
    // and meson-python says "cpyext" too; setuptools' bdist_wheel builds its
    // tag from SOABI. With the full "cpyext-311-x86_64-linux-gnu" here,
    // setuptools tagged wheels `cpyext_311_x86_64_linux_gnu`, which pip on
    // cpyext refuses ("not a supported wheel on this platform") and which
    // setuptools <= 72 refuses to build. EXT_SUFFIX keeps the full name.
    let soabi = suffix.trim_start_matches('.').split('-').next().unwrap_or("cpyext");
    let cflags = "-DNDEBUG -g -fwrapv -O2 -Wall";
    vec![
        ("EXT_SUFFIX", Str(suffix.to_owned())),
        ("SOABI", Str(soabi.to_owned())),
        ("SHLIB_SUFFIX", Str(".so".to_owned())),
        ("INCLUDEPY", Str(include.to_owned())),
        ("CONFINCLUDEPY", Str(include.to_owned())),
        ("CC", Str("gcc -pthread".to_owned())),
        ("CXX", Str("g++ -pthread".to_owned())),
        ("LDSHARED", Str("gcc -pthread -shared".to_owned())),
        ("BLDSHARED", Str("gcc -pthread -shared".to_owned())),
        ("LDCXXSHARED", Str("g++ -pthread -shared".to_owned())),
        ("CCSHARED", Str("-fPIC".to_owned())),
        ("CFLAGS", Str(cflags.to_owned())),
        ("OPT", Str(cflags.to_owned())),
        ("BASECFLAGS", Str(String::new())),
        ("CPPFLAGS", Str(String::new())),
        ("LDFLAGS", Str(String::new())),
        // Extensions resolve the API against the running binary: there is no
        // libpython to link.
        ("Py_ENABLE_SHARED", Int(0)),
        ("PY_ENABLE_SHARED", Int(0)),
        ("LIBDIR", Str(format!("{exec_prefix}/lib"))),
        ("LIBPL", Str(format!("{exec_prefix}/lib"))),
        ("INCLUDEDIR", Str(include.to_owned())),
        // The standard library's directory, as CPython reports it (its
        // modules' `__file__` are below it): the frozen stdlib's modules
        // name files below rustpython-pylib's `Lib`. memray's module
        // classification (and others) read LIBDEST; the host has none.
        ("LIBDEST", Str(rustpython_pylib::LIB_PATH.to_owned())),
        ("BINLIBDEST", Str(rustpython_pylib::LIB_PATH.to_owned())),
        ("DESTLIB", Str(rustpython_pylib::LIB_PATH.to_owned())),
        ("LIBPC", Str(format!("{exec_prefix}/lib/pkgconfig"))),
        // The host's version, which `sys.version_info` reports: tools that
        // compare the two (CMake's FindPython) must agree.
        ("VERSION", Str(version.clone())),
        ("LDVERSION", Str(version)),
        // No libpython: these name nothing, but tools concatenate them.
        ("LIBRARY", Str(String::new())),
        // Empty: extensions do not link a libpython (meson reads this).
        ("LIBPYTHON", Str(String::new())),
        ("LDLIBRARY", Str(String::new())),
        ("BLDLIBRARY", Str(String::new())),
        ("DLLLIBRARY", Str(String::new())),
        ("INSTSONAME", Str(String::new())),
        ("EXE", Str(String::new())),
        ("MACHDEP", Str(std::env::consts::OS.to_owned())),
        ("HOST_GNU_TYPE", Str(format!("{}-pc-linux-gnu", std::env::consts::ARCH))),
        ("LIBS", Str("-ldl".to_owned())),
        ("SYSLIBS", Str("-lm".to_owned())),
        ("SHLIBS", Str("-ldl".to_owned())),
        ("LIBM", Str("-lm".to_owned())),
        ("LIBC", Str(String::new())),
        // Extensions resolve the API against the binary, which exports it.
        ("LINKFORSHARED", Str("-Xlinker -export-dynamic".to_owned())),
        ("CFLAGSFORSHARED", Str(String::new())),
        ("PY_CFLAGS", Str(cflags.to_owned())),
        ("PY_CFLAGS_NODIST", Str(String::new())),
        ("CFLAGS_NODIST", Str(String::new())),
        ("PY_CPPFLAGS", Str(format!("-I{include}"))),
        ("PY_LDFLAGS", Str(String::new())),
        ("PY_LDFLAGS_NODIST", Str(String::new())),
        ("LDFLAGS_NODIST", Str(String::new())),
        ("CONFIG_ARGS", Str(String::new())),
        // Our headers are CPython 3.11's, which have a GIL: extensions must
        // not be compiled as free-threaded. The host reports 1 (RustPython
        // has no GIL), and build scripts that support 3.13t pass
        // `-DPy_GIL_DISABLED=1` when they read it (regex's setup.py; its
        // `PyMutex` code then fails against our headers). `sys.abiflags` has
        // no `t` either (host patch), so sysconfig's `abi_thread` and the
        // site-packages `site` puts on sys.path agree.
        ("Py_GIL_DISABLED", Int(0)),
        ("ABIFLAGS", Str(String::new())),
        ("TZPATH", Str("/usr/share/zoneinfo:/usr/lib/zoneinfo:/usr/share/lib/zoneinfo:/etc/zoneinfo".to_owned())),
    ]
}

/// The configuration our `pyconfig.h` states, as CPython's `sysconfig`
/// reports its own: each `#define NAME VALUE` whose name starts with a
/// capital, as an int when VALUE is one, else as the text. Build scripts
/// read `HAVE_*`, `SIZEOF_*` and `WITH_*` from here.
pub fn pyconfig_vars(pyconfig_h: &str) -> Vec<(String, Value)> {
    pyconfig_h
        .lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("#define ")?;
            let (name, value) = rest.split_once(' ')?;
            let is_plain_name = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !is_plain_name {
                return None;
            }
            let value = value.trim();
            let value = match value.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => Value::Str(value.to_owned()),
            };
            Some((name.to_owned(), value))
        })
        .collect()
}

fn exec_sysconfigdata(vm: &VirtualMachine, module: &Py<PyModule>) -> PyResult<()> {
    (HOST_EXEC.get().unwrap())(vm, module)?;
    let include = include_dir().display().to_string();
    let vars = module.as_object().get_attr("build_time_vars", vm)?;
    let vars = vars
        .downcast_ref::<PyDict>()
        .ok_or_else(|| vm.new_type_error("build_time_vars is not a dict"))?;
    let exec_prefix = vm.state.config.paths.exec_prefix.clone();
    let to_object = |value: Value| -> PyObjectRef {
        match value {
            Value::Str(s) => s.to_pyobject(vm),
            Value::Int(i) => i.to_pyobject(vm),
        }
    };
    // pyconfig.h first: the build variables below overrule it where both
    // speak (`Py_ENABLE_SHARED`).
    if let Ok(text) = std::fs::read_to_string(include_dir().join("pyconfig.h")) {
        for (name, value) in pyconfig_vars(&text) {
            vars.set_item(name.as_str(), to_object(value), vm)?;
        }
    }
    for (name, value) in build_vars(&include, &exec_prefix) {
        vars.set_item(name, to_object(value), vm)?;
    }
    if let Some(dir) = wheel_pkg_dir() {
        vars.set_item("WHEEL_PKG_DIR", vm.ctx.new_str(dir.to_string_lossy().into_owned()).into(), vm)?;
    }
    point_schemes_at(vm, &include)
}

/// Points the interpreter's install schemes' `include`/`platinclude` at
/// `include`, if `sysconfig` is loaded (it is when it imports us): the
/// templates that name the interpreter's own headers (`{installed_base}/...`)
/// become our directory.
///
/// An install into another base (`pip install --target` or `--prefix`,
/// which pass their base in `vars`) still expands the scheme's own
/// templates, so that a package's headers go there, not into our
/// `include/`: `get_paths` is wrapped to do that.
fn point_schemes_at(vm: &VirtualMachine, include: &str) -> PyResult<()> {
    let modules = vm.sys_module.get_attr("modules", vm)?;
    let Ok(sysconfig) = modules.get_item("sysconfig", vm) else {
        return Ok(());
    };
    if sysconfig.get_attr("_INSTALL_SCHEMES", vm).is_err() || sysconfig.get_attr("get_paths", vm).is_err() {
        return Ok(());
    }
    let scope = vm.new_scope_with_builtins();
    vm.run_string(scope.clone(), SCHEME_PATHS, "<cpyext sysconfig>")?;
    let install = scope.globals.get_item("install", vm)?;
    install.call((sysconfig, vm.ctx.new_str(include)), vm)?;
    Ok(())
}

const SCHEME_PATHS: &str = r#"
def install(sysconfig, include):
    import os
    if getattr(sysconfig.get_paths, "_cpyext_include", None) == include:
        return
    get_paths = getattr(sysconfig.get_paths, "__wrapped__", sysconfig.get_paths)
    own = ("{installed_base}", "{installed_platbase}")
    other_base = {"base", "platbase", "installed_base", "installed_platbase", "userbase"}
    originals = getattr(sysconfig, "_cpyext_original_templates", None)
    if originals is None:
        originals = {}
        for name, scheme in sysconfig._INSTALL_SCHEMES.items():
            for key in ("include", "platinclude"):
                template = scheme.get(key)
                if isinstance(template, str) and template.startswith(own):
                    originals.setdefault(name, {})[key] = template
        sysconfig._cpyext_original_templates = originals
    for name, keys in originals.items():
        for key in keys:
            sysconfig._INSTALL_SCHEMES[name][key] = include

    def get_paths_for_cpyext(scheme=None, vars=None, expand=True):
        if scheme is None:
            scheme = sysconfig.get_default_scheme()
        paths = get_paths(scheme, vars, expand)
        if expand and vars and other_base & set(vars) and scheme in originals:
            full = dict(vars)
            sysconfig._extend_dict(full, sysconfig.get_config_vars())
            for key, template in originals[scheme].items():
                paths[key] = os.path.normpath(sysconfig._subst_vars(os.path.expanduser(template), full))
        return paths

    get_paths_for_cpyext.__wrapped__ = get_paths
    get_paths_for_cpyext._cpyext_include = include
    get_paths_for_cpyext.__doc__ = get_paths.__doc__
    sysconfig.get_paths = get_paths_for_cpyext
"#;

/// Puts at the front of `sys.meta_path` a finder that finds nothing but, on
/// the first import of a Rust build tool (maturin, setuptools-rust), has
/// `cpyext.pyo3config` write the PyO3 configuration and set
/// `PYO3_CONFIG_FILE` for the cargo it will start. Without it maturin
/// refuses the interpreter and PyO3 builds for the host's 3.14.
pub fn install_rust_build_hook(vm: &VirtualMachine) -> PyResult<()> {
    // The PEP 517 backend and the setup.py helper that run cargo on PyO3 crates.
    const TOOLS: [&str; 2] = ["maturin", "setuptools_rust"];
    let find_spec = vm.new_function(
        "find_spec",
        |name: PyObjectRef, _path: OptionalArg<PyObjectRef>, _target: OptionalArg<PyObjectRef>, vm: &VirtualMachine| -> PyResult<()> {
            let Some(name) = name.downcast_ref::<rustpython_vm::builtins::PyStr>() else { return Ok(()) };
            if TOOLS.iter().any(|tool| name.as_wtf8() == *tool) {
                // `import cpyext.pyo3config` gives the package; the module is its attribute.
                let config = vm.import("cpyext.pyo3config", 0)?.get_attr("pyo3config", vm)?;
                config.get_attr("ensure_environment", vm)?.call((), vm)?;
            }
            Ok(())
        },
    );
    let hook = vm.new_module("cpyext_rust_build_hook", vm.ctx.new_dict(), None);
    hook.as_object().set_attr("find_spec", find_spec, vm)?;
    let meta_path = vm.sys_module.get_attr("meta_path", vm)?;
    vm.call_method(&meta_path, "insert", (0, hook))?;
    Ok(())
}
