//! Importing extension modules.
//!
//! The host's `_imp` is replaced by a copy whose exec slot installs our
//! `extension_suffixes`, `create_dynamic` and `exec_dynamic`, so `import name`
//! goes through importlib's ordinary `ExtensionFileLoader` (and `__file__`,
//! `__spec__` and packages work as usual). Before `dlopen` the loader reads
//! the file: a module without our ABI tag, or one that needs C-API symbols
//! the layer lacks, is refused with an ImportError that says why.
use crate::api::moduleobject;
use crate::boundary::{self, CFunction, implemented_names};
use crate::ffi::{self, PyObject};
use crate::{elf, error_indicator, methods, proxy};
use rustpython_vm::builtins::{PyModule, PyModuleDef, PyModuleSlots};
use rustpython_vm::function::OptionalArg;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};
use std::collections::HashSet;
use std::ffi::CString;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::OnceLock;

/// Our own suffixes first, which a CPython-built module never has. Then the
/// limited API's `.abi3.so`, the name maturin and setuptools give an abi3
/// module whatever the interpreter, and last a bare `.so`, which CPython
/// imports too and CMake and SWIG builds name their modules (nlopt's
/// `_nlopt.so`). A file with either of these two imports only when it
/// carries our ABI tag (`load`), so a CPython module is refused, not run.
pub const EXTENSION_SUFFIXES: [&str; 4] = [".cpyext-311-x86_64-linux-gnu.so", ".cpyext.so", ".abi3.so", ".so"];
const ABI_TAG: &str = "cpyext-abi-1";

pub type ModuleExec = fn(&VirtualMachine, &Py<PyModule>) -> PyResult<()>;
static HOST_IMP_EXEC: OnceLock<ModuleExec> = OnceLock::new();

pub fn install_import_hook(
    builder: rustpython::InterpreterBuilder,
) -> rustpython::InterpreterBuilder {
    extend_builtin_module(builder, "_imp", &HOST_IMP_EXEC, exec_imp)
}

/// Replaces the host's built-in module `name` by a copy whose exec slot is
/// `exec`; the host's own exec is kept in `host_exec` for `exec` to run
/// first. A native module of the same name replaces the built-in one.
pub fn extend_builtin_module(
    builder: rustpython::InterpreterBuilder,
    name: &str,
    host_exec: &'static OnceLock<ModuleExec>,
    exec: ModuleExec,
) -> rustpython::InterpreterBuilder {
    let defs = rustpython_vm::stdlib::builtin_module_defs(&builder.ctx);
    let host = defs
        .into_iter()
        .chain(rustpython_stdlib::stdlib_module_defs(&builder.ctx))
        .find(|d| d.name.expect_str() == name)
        .unwrap_or_else(|| panic!("the host has no built-in {name} module"));
    let _ = host_exec.set(
        host.slots
            .exec
            .unwrap_or_else(|| panic!("the host's {name} has no exec slot")),
    );
    let ours: &'static PyModuleDef = Box::leak(Box::new(PyModuleDef {
        name: host.name,
        doc: host.doc,
        methods: host.methods,
        slots: PyModuleSlots {
            create: host.slots.create,
            exec: Some(exec),
        },
    }));
    builder.add_native_module(ours)
}

fn exec_imp(vm: &VirtualMachine, module: &Py<PyModule>) -> PyResult<()> {
    (HOST_IMP_EXEC.get().unwrap())(vm, module)?;
    // Early, before the standard library makes its metaclasses.
    crate::mro::install(vm);
    let suffixes = vm.new_function("extension_suffixes", |vm: &VirtualMachine| -> PyObjectRef {
        vm.ctx
            .new_list(
                EXTENSION_SUFFIXES
                    .iter()
                    .map(|s| vm.ctx.new_str(*s).into())
                    .collect(),
            )
            .into()
    });
    module
        .as_object()
        .set_attr("extension_suffixes", suffixes, vm)?;
    module.as_object().set_attr(
        "create_dynamic",
        vm.new_function("create_dynamic", create_dynamic),
        vm,
    )?;
    module.as_object().set_attr(
        "exec_dynamic",
        vm.new_function("exec_dynamic", exec_dynamic),
        vm,
    )?;
    let sys = vm.sys_module.as_object();
    sys.set_attr("getdlopenflags", vm.new_function("getdlopenflags", || DLOPEN_FLAGS.load(Ordering::Relaxed)), vm)?;
    sys.set_attr("setdlopenflags", vm.new_function("setdlopenflags", |flags: i32| DLOPEN_FLAGS.store(flags, Ordering::Relaxed)), vm)?;
    // Here rather than in an init hook: one that ran before the host's
    // start-up overflowed the stack.
    crate::host_stdlib::extend_sys(vm);
    crate::host_stdlib::complete_frozen_modules(vm)?;
    crate::sysconfig::install_rust_build_hook(vm)?;
    Ok(())
}

/// The flags extension modules are opened with: `sys.setdlopenflags` sets
/// them (`RTLD_GLOBAL` lets a later module link against this one's symbols).
static DLOPEN_FLAGS: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(libc::RTLD_NOW);

fn create_dynamic(
    spec: PyObjectRef,
    _file: OptionalArg<PyObjectRef>,
    vm: &VirtualMachine,
) -> PyResult {
    crate::startup::init(vm);
    let name = spec.get_attr("name", vm)?.str(vm)?.to_string();
    let origin = spec.get_attr("origin", vm)?.str(vm)?.to_string();
    if !crate::startup::is_layer_interpreter(vm) {
        // As CPython refuses a module that does not support subinterpreters.
        return Err(import_error(
            vm,
            format!("module {name} does not support loading in subinterpreters (cpyext loads C extensions in the main interpreter only)"),
            &name,
            Path::new(&origin),
        ));
    }
    load(vm, &name, Path::new(&origin), &spec)
}

fn exec_dynamic(module: PyObjectRef, vm: &VirtualMachine) -> PyResult<i32> {
    moduleobject::exec_pending(vm, &module)?;
    Ok(0)
}

fn import_error(
    vm: &VirtualMachine,
    message: String,
    name: &str,
    path: &Path,
) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let err = vm.new_import_error(message, vm.ctx.new_str(name));
    let _ = err
        .as_object()
        .set_attr("path", vm.ctx.new_str(path.display().to_string()), vm);
    err
}

fn load(vm: &VirtualMachine, name: &str, path: &Path, spec: &PyObjectRef) -> PyResult {
    let short = name.rsplit('.').next().unwrap_or(name);
    let file = elf::inspect(path).map_err(|e| import_error(vm, e, name, path))?;
    if !file.abi_tags.iter().any(|t| t == ABI_TAG) {
        let found = if file.abi_tags.is_empty() {
            "no cpyext ABI tag".to_owned()
        } else {
            format!("ABI tag {:?}", file.abi_tags[0])
        };
        return Err(import_error(
            vm,
            format!(
                "{}: not built against cpyext's headers ({found}; was it built for CPython or another Python?). \
                 Rebuild it with cpyext's include/ directory.",
                path.display()
            ),
            name,
            path,
        ));
    }
    let implemented: HashSet<&str> = implemented_names().collect();
    let mut missing: Vec<&str> = file
        .undefined
        .iter()
        .map(String::as_str)
        .filter(|s| elf::is_api_symbol(s) && !implemented.contains(s))
        .collect();
    if !missing.is_empty() {
        missing.sort_unstable();
        return Err(import_error(
            vm,
            format!(
                "{name} needs C-API symbols cpyext does not implement: {}",
                missing.join(", ")
            ),
            name,
            path,
        ));
    }

    let c_path = CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // CPython runs dlopen with the importing thread holding the GIL, so the
    // library's constructors (C++ globals: pybind11's gil_scoped_acquire in
    // matplotlib's ft2font) may use the C API, and find the GIL held: a
    // PyEval_AcquireThread/PyEval_SaveThread pair there would otherwise
    // detach this thread from the VM for good.
    let loading = methods::leak_str(format!("{name} (loading the library)"));
    let handle = boundary::call_into_c(vm, CFunction::Named(loading), || {
        // SAFETY: a NUL-terminated path. Loading runs the library's
        // constructors: the ELF check above found our ABI tag, so it is an
        // extension built against our headers.
        unsafe { libc::dlopen(c_path.as_ptr(), DLOPEN_FLAGS.load(Ordering::Relaxed)) }
    });
    if handle.is_null() {
        // SAFETY: after a failed dlopen, dlerror returns a C string.
        let why = unsafe { std::ffi::CStr::from_ptr(libc::dlerror()) }
            .to_string_lossy()
            .into_owned();
        return Err(import_error(vm, why, name, path));
    }
    let init_name = format!("PyInit_{short}");
    let symbol = CString::new(init_name.clone()).unwrap();
    // SAFETY: a live handle and a NUL-terminated name.
    let init = unsafe { libc::dlsym(handle, symbol.as_ptr()) };
    if init.is_null() {
        return Err(import_error(
            vm,
            format!("dynamic module does not define module export function ({init_name})"),
            name,
            path,
        ));
    }
    // SAFETY: a non-null function address; PyInit_<name> has this
    // signature by CPython's contract for extension modules.
    let init: unsafe extern "C" fn() -> *mut PyObject = unsafe { std::mem::transmute(init) };
    run_init(vm, name, path, spec, init, &init_name)
}

/// Runs a module's `PyInit_*` and makes the module of what it returns.
fn run_init(
    vm: &VirtualMachine,
    name: &str,
    path: &Path,
    spec: &PyObjectRef,
    init: unsafe extern "C" fn() -> *mut PyObject,
    init_name: &str,
) -> PyResult {
    let culprit = CFunction::Named(methods::leak_str(format!("{name}.{init_name}")));
    // The module's creation (multi-phase Py_mod_create included) belongs to
    // the same call into C: borrowed references live until it is done.
    boundary::call_into_c(vm, culprit, || {
        // A submodule's m_name is often its last component only.
        // SAFETY: PyInit_* takes no arguments and returns a new reference or NULL.
        let result = moduleobject::with_package_context(name, || unsafe { init() });
        // SAFETY: what PyInit_* returned.
        unsafe { module_from_init_result(vm, name, path, spec, result) }
    })
}

/// Makes the modules a program embedding the interpreter added with
/// `PyImport_AppendInittab` importable, as built-in modules: a finder first
/// on `sys.meta_path` whose loader runs the entry's `PyInit_*`.
pub fn install_inittab(vm: &VirtualMachine) -> PyResult<()> {
    let entries = crate::api::import::inittab_entries();
    if entries.is_empty() {
        return Ok(());
    }
    let names: Vec<PyObjectRef> = entries.iter().map(|(n, _)| vm.ctx.new_str(n.as_str()).into()).collect();
    let create = vm.new_function("create_inittab_module", |spec: PyObjectRef, vm: &VirtualMachine| -> PyResult {
        let name = spec.get_attr("name", vm)?.str(vm)?.to_string();
        let entry = crate::api::import::inittab_entries().into_iter().rev().find(|(n, _)| *n == name);
        match entry {
            Some((_, Some(init))) => run_init(vm, &name, Path::new(""), &spec, init, "PyInit (inittab)"),
            _ => Err(vm.new_import_error(format!("no built-in module named {name}"), vm.ctx.new_str(name))),
        }
    });
    let exec = vm.new_function("exec_inittab_module", exec_dynamic);
    let scope = vm.new_scope_with_builtins();
    vm.run_string(scope.clone(), INITTAB_FINDER, "<cpyext inittab>")?;
    let install = scope.globals.get_item("install", vm)?;
    install.call((vm.ctx.new_tuple(names), create, exec), vm)?;
    Ok(())
}

const INITTAB_FINDER: &str = r#"
def install(names, create, exec_):
    import sys
    from importlib.machinery import ModuleSpec

    class InittabImporter:
        """Built-in modules of the program that embeds the interpreter."""

        @classmethod
        def find_spec(cls, name, path=None, target=None):
            return ModuleSpec(name, cls, origin="built-in") if name in names else None

        @staticmethod
        def create_module(spec):
            return create(spec)

        @staticmethod
        def exec_module(module):
            exec_(module)

    sys.meta_path.insert(0, InittabImporter)
    sys.builtin_module_names = tuple(sorted(set(sys.builtin_module_names) | set(names)))
"#;

/// Applies CPython's checks to what PyInit_* returned, and finishes a
/// multi-phase module.
///
/// # Safety
/// `result` must be what the module's PyInit_* returned: NULL, a new
/// reference to a module, or a `PyModuleDef` stamped by `PyModuleDef_Init`.
unsafe fn module_from_init_result(
    vm: &VirtualMachine,
    name: &str,
    path: &Path,
    spec: &PyObjectRef,
    result: *mut PyObject,
) -> PyResult {
    let short = name.rsplit('.').next().unwrap_or(name);
    if result.is_null() {
        return Err(match error_indicator::take_exception(vm) {
            // CPython's exception propagates as it is (a ModuleNotFoundError
            // from PyCapsule_Import stays one); a note names the module.
            Some(cause) => {
                let note = vm.ctx.new_str(format!("while initializing the extension module {name} ({})", path.display()));
                let _ = vm.call_method(cause.as_object(), "add_note", (note,));
                cause
            }
            None => vm.new_system_error(format!(
                "initialization of {short} failed without raising an exception"
            )),
        });
    }
    if let Some(cause) = error_indicator::take_exception(vm) {
        let err = vm.new_system_error(format!(
            "initialization of {short} raised unreported exception"
        ));
        err.set_cause(Some(cause));
        return Err(err);
    }
    // SAFETY: a non-NULL result of PyInit_* is an object (or a module def).
    if unsafe { (*result).ob_type } == &raw mut crate::types::PyModuleDef_Type {
        // Multi-phase init (PEP 489): the definition comes back, not a module.
        return moduleobject::module_from_def_and_spec(vm, result as *mut ffi::PyModuleDef, spec);
    }
    let module = proxy::take(vm, result)?;
    // Single-phase init: CPython's `_PyImport_LoadDynamicModuleWithSpec`
    // sets `__file__` to the file it loaded, over whatever PyInit_* set
    // (mypyc writes the name it was built with, CPython's suffix and no
    // directory); importlib's own attributes never override it.
    if !path.as_os_str().is_empty() {
        if let Ok(origin) = spec.get_attr("origin", vm) {
            if !vm.is_none(&origin) {
                let _ = module.set_attr("__file__", origin, vm);
            }
        }
    }
    Ok(module)
}
