//! import.h.
use super::c_str_arg;
use crate::borrow::borrowed;
use crate::ffi::PyObject;
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// `import name` and the module `name` names (for "a.b", module b).
fn import(vm: &VirtualMachine, name: &str) -> PyResult<PyObjectRef> {
    let module_name = vm.ctx.new_str(name);
    vm.import(&module_name, 0)?;
    vm.sys_module.get_attr("modules", vm)?.get_item(name, vm)
}

#[cpython_api]
fn PyImport_ImportModule(vm: &VirtualMachine, name: *const c_char) -> PyResult<*mut PyObject> {
    // CPython's calls `__import__` (PyImport_Import), a call like any other.
    super::ceval::check_call_depth(vm)?;
    Ok(into_ref(vm, import(vm, c_str_arg(vm, name)?)?))
}

#[cpython_api]
fn PyImport_Import(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = to_host(vm, name)?;
    let Some(name) = name.downcast_ref::<rustpython_vm::builtins::PyStr>() else {
        return Err(vm.new_type_error("module name must be a string".to_owned()));
    };
    super::ceval::check_call_depth(vm)?;
    Ok(into_ref(vm, import(vm, &name.to_string())?))
}

/// Borrowed: the module in sys.modules, made (empty) if it is not there.
#[cpython_api]
fn PyImport_AddModuleObject(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = to_host(vm, name)?.str(vm)?;
    let modules = vm.sys_module.get_attr("modules", vm)?;
    let module = match modules.get_item(name.expect_str(), vm) {
        Ok(m) if m.downcast_ref::<rustpython_vm::builtins::PyModule>().is_some() => m,
        _ => {
            let m = super::moduleobject::new_module(vm, name.expect_str());
            modules.set_item(name.expect_str(), m.clone(), vm)?;
            m
        }
    };
    let p = borrowed(vm, &module);
    proxy::make_immortal(p);
    Ok(p)
}

#[cpython_api]
unsafe fn PyImport_AddModule(vm: &VirtualMachine, name: *const c_char) -> PyResult<*mut PyObject> {
    let name = into_ref(vm, vm.ctx.new_str(c_str_arg(vm, name)?).into());
    let module = PyImport_AddModuleObject(name);
    proxy::decref(name);
    Ok(module)
}

/// Borrowed: sys.modules.
#[cpython_api]
fn PyImport_GetModuleDict(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    let p = borrowed(vm, &vm.sys_module.get_attr("modules", vm)?);
    proxy::make_immortal(p);
    Ok(p)
}

/// A new reference from sys.modules, or NULL (no error) when absent.
#[cpython_api]
fn PyImport_GetModule(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<*mut PyObject> {
    module_in_sys(vm, &to_host(vm, name)?)
}

/// A new reference to `sys.modules[name]`, or NULL (no error) when absent.
fn module_in_sys(vm: &VirtualMachine, name: &PyObjectRef) -> PyResult<*mut PyObject> {
    let modules = vm.sys_module.get_attr("modules", vm)?;
    Ok(match modules.get_item(&**name, vm) {
        Ok(m) => into_ref(vm, m),
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.key_error) => std::ptr::null_mut(),
        Err(e) => return Err(e),
    })
}

/// `importlib._bootstrap.__import__` (the frozen one), which is what
/// builtins.__import__ runs unless replaced; CPython's C import does not go
/// through a replaced builtins.__import__ either.
fn import_level(vm: &VirtualMachine, name: PyObjectRef, globals: *mut PyObject, locals: *mut PyObject, fromlist: *mut PyObject, level: c_int) -> PyResult<PyObjectRef> {
    if name.downcast_ref::<rustpython_vm::builtins::PyStr>().is_none() {
        return Err(vm.new_type_error("module name must be a string".to_owned()));
    }
    if level < 0 {
        return Err(vm.new_value_error("level must be >= 0".to_owned()));
    }
    let globals = proxy::opt_to_host(vm, globals)?.unwrap_or_else(|| vm.ctx.none());
    let locals = proxy::opt_to_host(vm, locals)?.unwrap_or_else(|| vm.ctx.none());
    let fromlist = proxy::opt_to_host(vm, fromlist)?.unwrap_or_else(|| vm.ctx.new_tuple(Vec::new()).into());
    let bootstrap = crate::types::import_for_layer(vm, "_frozen_importlib")?;
    let import = bootstrap.get_attr("__import__", vm)?;
    crate::gil::without_gil(vm, || import.call((name, globals, locals, fromlist, level), vm))
}

#[cpython_api]
fn PyImport_ImportModuleLevelObject(vm: &VirtualMachine, name: *mut PyObject, globals: *mut PyObject, locals: *mut PyObject, fromlist: *mut PyObject, level: c_int) -> PyResult<*mut PyObject> {
    let Some(name) = proxy::opt_to_host(vm, name)? else {
        return Err(vm.new_value_error("Empty module name".to_owned()));
    };
    Ok(into_ref(vm, import_level(vm, name, globals, locals, fromlist, level)?))
}

#[cpython_api]
fn PyImport_ImportModuleLevel(vm: &VirtualMachine, name: *const c_char, globals: *mut PyObject, locals: *mut PyObject, fromlist: *mut PyObject, level: c_int) -> PyResult<*mut PyObject> {
    let name = vm.ctx.new_str(c_str_arg(vm, name)?).into();
    Ok(into_ref(vm, import_level(vm, name, globals, locals, fromlist, level)?))
}

/// The same as PyImport_ImportModule (CPython 3.3 and later).
#[cpython_api]
fn PyImport_ImportModuleNoBlock(vm: &VirtualMachine, name: *const c_char) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, import(vm, c_str_arg(vm, name)?)?))
}

/// importlib.reload(m).
#[cpython_api]
fn PyImport_ReloadModule(vm: &VirtualMachine, m: *mut PyObject) -> PyResult<*mut PyObject> {
    let module = to_host(vm, m)?;
    let importlib = import(vm, "importlib")?;
    let reload = importlib.get_attr("reload", vm)?;
    Ok(into_ref(vm, crate::gil::without_gil(vm, || reload.call((module,), vm))?))
}

/// The finder for a sys.path entry: from sys.path_importer_cache, else the
/// first of sys.path_hooks that accepts it (cached); None if none does.
#[cpython_api]
fn PyImport_GetImporter(vm: &VirtualMachine, path: *mut PyObject) -> PyResult<*mut PyObject> {
    let path = to_host(vm, path)?;
    let cache = vm.sys_module.get_attr("path_importer_cache", vm)?;
    let hooks = vm.sys_module.get_attr("path_hooks", vm)?;
    if let Ok(found) = cache.get_item(&*path, vm) {
        return Ok(into_ref(vm, found));
    }
    let hooks: Vec<PyObjectRef> = hooks.try_to_value(vm)?;
    for hook in hooks {
        match hook.call((path.clone(),), vm) {
            Ok(importer) => {
                cache.set_item(&*path, importer.clone(), vm)?;
                return Ok(into_ref(vm, importer));
            }
            Err(e) if e.fast_isinstance(vm.ctx.exceptions.import_error) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(into_ref(vm, vm.ctx.none()))
}

/// The host's .pyc magic number, as CPython reports its own: the four
/// bytes of importlib.util.MAGIC_NUMBER read as a little-endian long.
#[cpython_api]
fn PyImport_GetMagicNumber(vm: &VirtualMachine) -> PyResult<std::ffi::c_long> {
    let external = crate::types::import_for_layer(vm, "_frozen_importlib_external")?;
    let magic = external.get_attr("MAGIC_NUMBER", vm)?;
    let bytes = magic.downcast_ref::<rustpython_vm::builtins::PyBytes>().map(|b| b.as_bytes().to_vec()).unwrap_or_default();
    let mut value: std::ffi::c_long = 0;
    for (i, b) in bytes.iter().take(4).enumerate() {
        value |= (*b as std::ffi::c_long) << (8 * i);
    }
    Ok(value)
}

/// sys.implementation.cache_tag, as a C string that lives for ever.
#[cpython_api]
fn PyImport_GetMagicTag(vm: &VirtualMachine) -> PyResult<*const c_char> {
    static TAG: std::sync::OnceLock<std::ffi::CString> = std::sync::OnceLock::new();
    if let Some(tag) = TAG.get() {
        return Ok(tag.as_ptr());
    }
    let tag = vm.sys_module.get_attr("implementation", vm)?.get_attr("cache_tag", vm)?.str(vm)?.to_string();
    Ok(TAG.get_or_init(|| std::ffi::CString::new(tag).unwrap_or_default()).as_ptr())
}

/// Runs a code object as the body of module `name` (made if needed, with
/// __builtins__, and __file__/__cached__/__spec__ fixed up from the paths);
/// a new reference to sys.modules[name]. On failure the module is taken
/// out of sys.modules.
#[cpython_api]
fn PyImport_ExecCodeModuleObject(vm: &VirtualMachine, name: *mut PyObject, co: *mut PyObject, pathname: *mut PyObject, cpathname: *mut PyObject) -> PyResult<*mut PyObject> {
    let name_obj = to_host(vm, name)?;
    let code = to_host(vm, co)?;
    let pathname = match proxy::opt_to_host(vm, pathname)? {
        Some(p) => p,
        None => code.get_attr("co_filename", vm)?,
    };
    let cpathname = proxy::opt_to_host(vm, cpathname)?.unwrap_or_else(|| vm.ctx.none());
    Ok(into_ref(vm, exec_code_module(vm, name_obj, code, pathname, cpathname)?))
}

/// The dict of module `name` (made and put in sys.modules if needed), with
/// __builtins__ set, as CPython prepares a module for running code in it.
fn module_dict_for_exec(vm: &VirtualMachine, name: &PyObjectRef) -> PyResult<PyObjectRef> {
    let name_str = name.str(vm)?.to_string();
    let modules = vm.sys_module.get_attr("modules", vm)?;
    let module = match modules.get_item(&**name, vm) {
        Ok(m) if m.downcast_ref::<rustpython_vm::builtins::PyModule>().is_some() => m,
        _ => {
            let m = super::moduleobject::new_module(vm, &name_str);
            modules.set_item(&**name, m.clone(), vm)?;
            m
        }
    };
    let dict = module.get_attr("__dict__", vm)?;
    if dict.get_item("__builtins__", vm).is_err() {
        dict.set_item("__builtins__", vm.builtins.dict().into(), vm)?;
    }
    Ok(dict)
}

/// Runs `code` in the module's dict; sys.modules[name] afterwards. On
/// failure the module is taken out of sys.modules.
fn exec_code_in_module(vm: &VirtualMachine, name: &PyObjectRef, dict: &PyObjectRef, code: PyObjectRef) -> PyResult<PyObjectRef> {
    let modules = vm.sys_module.get_attr("modules", vm)?;
    let run = || -> PyResult<PyObjectRef> {
        vm.builtins.get_attr("eval", vm)?.call((code, dict.clone(), dict.clone()), vm)?;
        match modules.get_item(&**name, vm) {
            Ok(m) => Ok(m),
            Err(_) => Err(vm.new_import_error(format!("Loaded module {} not found in sys.modules", name.repr(vm)?), vm.ctx.new_str(name.str(vm)?.to_string()))),
        }
    };
    run().inspect_err(|_| {
        let _ = modules.del_item(&**name, vm);
    })
}

fn exec_code_module(vm: &VirtualMachine, name: PyObjectRef, code: PyObjectRef, pathname: PyObjectRef, cpathname: PyObjectRef) -> PyResult<PyObjectRef> {
    let dict = module_dict_for_exec(vm, &name)?;
    let external = crate::types::import_for_layer(vm, "_frozen_importlib_external")?;
    if let Err(e) = vm.call_method(&external, "_fix_up_module", (dict.clone(), name.clone(), pathname, cpathname)) {
        let _ = vm.sys_module.get_attr("modules", vm)?.del_item(&*name, vm);
        return Err(e);
    }
    exec_code_in_module(vm, &name, &dict, code)
}

/// Runs the frozen module `name` afresh (1), or 0 if there is no such
/// frozen module; a package gets an empty __path__.
#[cpython_api]
fn PyImport_ImportFrozenModuleObject(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<c_int> {
    let name = to_host(vm, name)?;
    let imp = crate::types::import_for_layer(vm, "_imp")?;
    if !vm.call_method(&imp, "is_frozen", (name.clone(),))?.try_to_bool(vm)? {
        return Ok(0);
    }
    let code = vm.call_method(&imp, "get_frozen_object", (name.clone(),))?;
    let is_package = vm.call_method(&imp, "is_frozen_package", (name.clone(),))?.try_to_bool(vm)?;
    let dict = module_dict_for_exec(vm, &name)?;
    if is_package {
        dict.set_item("__path__", vm.ctx.new_list(Vec::new()).into(), vm)?;
    }
    exec_code_in_module(vm, &name, &dict, code)?;
    dict.set_item("__origname__", name, vm)?;
    Ok(1)
}

#[cpython_api]
fn PyImport_ImportFrozenModule(vm: &VirtualMachine, name: *const c_char) -> PyResult<c_int> {
    let name = into_ref(vm, vm.ctx.new_str(c_str_arg(vm, name)?).into());
    // SAFETY: a live str proxy made just above.
    let result = unsafe { PyImport_ImportFrozenModuleObject(name) };
    proxy::decref(name);
    Ok(result)
}

fn optional_path(vm: &VirtualMachine, path: *const c_char) -> PyResult<Option<PyObjectRef>> {
    Ok(if path.is_null() { None } else { Some(vm.ctx.new_str(c_str_arg(vm, path)?).into()) })
}

/// With only `cpathname`, the source path is what importlib derives from it.
#[cpython_api]
fn PyImport_ExecCodeModuleWithPathnames(vm: &VirtualMachine, name: *const c_char, co: *mut PyObject, pathname: *const c_char, cpathname: *const c_char) -> PyResult<*mut PyObject> {
    let name = vm.ctx.new_str(c_str_arg(vm, name)?).into();
    let code = to_host(vm, co)?;
    let cpath = optional_path(vm, cpathname)?;
    let path = match optional_path(vm, pathname)? {
        Some(p) => p,
        None => match &cpath {
            Some(c) => {
                let external = crate::types::import_for_layer(vm, "_frozen_importlib_external")?;
                vm.call_method(&external, "source_from_cache", (c.clone(),)).or_else(|_| code.get_attr("co_filename", vm))?
            }
            None => code.get_attr("co_filename", vm)?,
        },
    };
    let cpath = cpath.unwrap_or_else(|| vm.ctx.none());
    Ok(into_ref(vm, exec_code_module(vm, name, code, path, cpath)?))
}

#[cpython_api]
unsafe fn PyImport_ExecCodeModuleEx(name: *const c_char, co: *mut PyObject, pathname: *const c_char) -> *mut PyObject {
    PyImport_ExecCodeModuleWithPathnames(name, co, pathname, std::ptr::null())
}

#[cpython_api]
unsafe fn PyImport_ExecCodeModule(name: *const c_char, co: *mut PyObject) -> *mut PyObject {
    PyImport_ExecCodeModuleWithPathnames(name, co, std::ptr::null(), std::ptr::null())
}

/// Adds a built-in module for a program that embeds the interpreter:
/// before `Py_Initialize`, the module is importable once the interpreter
/// starts (and listed in `sys.builtin_module_names`), as in CPython. In a
/// running interpreter the table of built-in modules is fixed, as in CPython
/// 3.11: the entry is recorded and has no effect; 0.
#[cpython_api(no_gil)]
unsafe fn PyImport_AppendInittab(name: *const c_char, initfunc: Option<unsafe extern "C" fn() -> *mut PyObject>) -> c_int {
    if name.is_null() {
        return -1;
    }
    // SAFETY: the caller passes a NUL-terminated name.
    let name = unsafe { std::ffi::CStr::from_ptr(name) }.to_string_lossy().into_owned();
    INITTAB.lock().unwrap_or_else(|e| e.into_inner()).push((name, initfunc.map(|f| f as usize)));
    0
}

/// As PyImport_AppendInittab, for each entry of a table ended by a NULL name.
/// # Safety
/// `newtab` must be such a table.
#[cpython_api(no_gil)]
unsafe fn PyImport_ExtendInittab(newtab: *mut InittabEntry) -> c_int {
    let mut entry = newtab;
    // SAFETY: the caller passes a table ended by a NULL name.
    while !unsafe { (*entry).name }.is_null() {
        // SAFETY: as above; each entry's name is NUL-terminated.
        unsafe {
            if PyImport_AppendInittab((*entry).name, (*entry).initfunc) < 0 {
                return -1;
            }
            entry = entry.add(1);
        }
    }
    0
}

/// `struct _inittab` of import.h.
#[repr(C)]
pub struct InittabEntry {
    name: *const c_char,
    initfunc: Option<unsafe extern "C" fn() -> *mut PyObject>,
}

/// Entries given to PyImport_AppendInittab: (name, PyInit_* address).
static INITTAB: std::sync::Mutex<Vec<(String, Option<usize>)>> = std::sync::Mutex::new(Vec::new());

/// The entries added so far, for the interpreter an embedding program
/// starts (the loader makes them importable).
pub fn inittab_entries() -> Vec<(String, Option<unsafe extern "C" fn() -> *mut PyObject>)> {
    INITTAB
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        // SAFETY: each address was a `PyInit_*` function pointer.
        .map(|(name, f)| (name.clone(), f.map(|f| unsafe { std::mem::transmute::<usize, unsafe extern "C" fn() -> *mut PyObject>(f) })))
        .collect()
}

/// `_imp`'s definition, for an embedder that lists `_imp` in its inittab:
/// a multi-phase definition, as in CPython 3.11, whose exec step fills the
/// module with the host's `_imp` functions.
#[cpython_api(no_gil)]
fn PyInit__imp() -> *mut PyObject {
    static DEFINITION: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let def = *DEFINITION.get_or_init(|| {
        let exec: unsafe extern "C" fn(*mut PyObject) -> c_int = exec_imp;
        let slots = Box::leak(Box::new([
            crate::ffi::PyModuleDef_Slot { slot: crate::ffi::Py_mod_exec as c_int, value: exec as *mut std::ffi::c_void },
            crate::ffi::PyModuleDef_Slot { slot: 0, value: std::ptr::null_mut() },
        ]));
        let def = Box::leak(Box::new(crate::ffi::PyModuleDef { m_name: c"_imp".as_ptr(), m_slots: slots.as_mut_ptr(), ..Default::default() }));
        def as *mut crate::ffi::PyModuleDef as usize
    });
    // SAFETY: a definition that lives for ever.
    unsafe { super::moduleobject::PyModuleDef_Init(def as *mut crate::ffi::PyModuleDef) }
}

/// The exec slot of PyInit__imp's definition: the host `_imp`'s functions
/// and doc, on the new module.
///
/// # Safety
/// `module` must be a module proxy, under the GIL.
unsafe extern "C" fn exec_imp(module: *mut PyObject) -> c_int {
    crate::boundary::enter_api("PyInit__imp", true, |vm| {
        let module = to_host(vm, module)?;
        let host = import(vm, "_imp")?;
        let namespace = host.dict().ok_or_else(|| vm.new_system_error("_imp has no namespace".to_owned()))?;
        for (name, value) in &namespace {
            let name = name.str(vm)?.to_string();
            if !matches!(name.as_str(), "__name__" | "__loader__" | "__spec__" | "__package__") {
                module.set_attr(&vm.ctx.new_str(name.as_str()), value, vm)?;
            }
        }
        Ok(0)
    })
}

// CPython's private import API (cpython/import.h).

/// Takes the global import lock (`_imp.acquire_lock()`); re-entrant.
#[cpython_api]
fn _PyImport_AcquireLock(vm: &VirtualMachine) -> PyResult<()> {
    crate::types::import_for_layer(vm, "_imp")?.get_attr("acquire_lock", vm)?.call((), vm)?;
    Ok(())
}

/// Releases the global import lock: 1, or -1 (no exception) when this
/// thread does not hold it.
#[cpython_api]
fn _PyImport_ReleaseLock(vm: &VirtualMachine) -> PyResult<c_int> {
    let imp = crate::types::import_for_layer(vm, "_imp")?;
    if !imp.get_attr("lock_held", vm)?.call((), vm)?.try_to_bool(vm)? {
        return Ok(-1);
    }
    match imp.get_attr("release_lock", vm)?.call((), vm) {
        Ok(_) => Ok(1),
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.runtime_error) => Ok(-1),
        Err(e) => Err(e),
    }
}

/// Whether the interpreter's import system is set up: always, once C runs.
#[cpython_api]
fn _PyImport_IsInitialized(_interp: *mut std::ffi::c_void) -> c_int {
    1
}

/// A new reference from sys.modules by a static identifier, or NULL (no
/// error) when absent.
///
/// # Safety
/// `name` must point to a static identifier.
#[cpython_api]
unsafe fn _PyImport_GetModuleId(vm: &VirtualMachine, name: *mut super::r#abstract::Identifier) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    let name = unsafe { super::r#abstract::identifier_name(vm, name)? };
    module_in_sys(vm, &name)
}

/// `sys.modules[name] = module`.
#[cpython_api]
fn _PyImport_SetModule(vm: &VirtualMachine, name: *mut PyObject, module: *mut PyObject) -> PyResult<c_int> {
    let (name, module) = (to_host(vm, name)?, to_host(vm, module)?);
    vm.sys_module.get_attr("modules", vm)?.set_item(&*name, module, vm)?;
    Ok(0)
}

#[cpython_api]
fn _PyImport_SetModuleString(vm: &VirtualMachine, name: *const c_char, module: *mut PyObject) -> PyResult<c_int> {
    let name = c_str_arg(vm, name)?;
    let module = to_host(vm, module)?;
    vm.sys_module.get_attr("modules", vm)?.set_item(name, module, vm)?;
    Ok(0)
}

/// `getattr(import(modname), attrname)`.
#[cpython_api]
fn _PyImport_GetModuleAttr(vm: &VirtualMachine, modname: *mut PyObject, attrname: *mut PyObject) -> PyResult<*mut PyObject> {
    let modname = to_host(vm, modname)?;
    let Some(modname) = modname.downcast_ref::<rustpython_vm::builtins::PyStr>() else {
        return Err(vm.new_type_error(format!("module name must be str, not {}", crate::types::tp_name(vm, modname.class()))));
    };
    let module = import(vm, &modname.to_string())?;
    let attrname = super::object::name_object(vm, attrname)?;
    Ok(into_ref(vm, module.get_attr(&attrname, vm)?))
}

#[cpython_api]
fn _PyImport_GetModuleAttrString(vm: &VirtualMachine, modname: *const c_char, attrname: *const c_char) -> PyResult<*mut PyObject> {
    let module = import(vm, c_str_arg(vm, modname)?)?;
    let attrname = vm.ctx.new_str(c_str_arg(vm, attrname)?);
    Ok(into_ref(vm, module.get_attr(&attrname, vm)?))
}

/// Records a module that single-phase init made under `name` in
/// `modules` (sys.modules or another mapping); SystemError for a module
/// that no PyModuleDef made.
fn fix_up_extension(vm: &VirtualMachine, module: *mut PyObject, name: PyObjectRef, modules: *mut PyObject) -> PyResult<c_int> {
    let module = to_host(vm, module)?;
    // Only modules made from a PyModuleDef are extension modules.
    if module.downcast_ref::<rustpython_vm::builtins::PyModule>().is_none() || super::moduleobject::definition_of(&module).is_none() {
        return Err(super::bad_internal_call(vm));
    }
    let modules = match proxy::opt_to_host(vm, modules)? {
        Some(m) => m,
        None => vm.sys_module.get_attr("modules", vm)?,
    };
    modules.set_item(&*name, module, vm)?;
    Ok(0)
}

#[cpython_api]
fn _PyImport_FixupExtensionObject(vm: &VirtualMachine, module: *mut PyObject, name: *mut PyObject, _filename: *mut PyObject, modules: *mut PyObject) -> PyResult<c_int> {
    let name = to_host(vm, name)?;
    fix_up_extension(vm, module, name, modules)
}

#[cpython_api]
fn _PyImport_FixupBuiltin(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, modules: *mut PyObject) -> PyResult<c_int> {
    let name = vm.ctx.new_str(c_str_arg(vm, name)?).into();
    fix_up_extension(vm, module, name, modules)
}
