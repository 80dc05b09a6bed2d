//! moduleobject.h: module objects, module state, multi-phase init.
use super::{bad_internal_call, c_str_arg};
use crate::borrow::borrowed;
use crate::ffi::{self, PyObject};
use crate::proxy::{self, into_ref, to_host};
use crate::{error_indicator, methods, types};
use cpyext_macros::cpython_api;
use dashmap::DashMap;
use rustpython_vm::builtins::{PyModule, PyStr};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void};
use std::sync::LazyLock;

/// What the layer knows of a module made from a `PyModuleDef`.
struct ModuleData {
    def: usize,
    state: usize,
    executed: bool,
    /// Made by single-phase init (PyState_FindModule finds only those).
    single_phase: bool,
}

/// Host module address -> its definition and state. Modules made from a
/// definition are immortal (their proxies are), so the address stays theirs.
static MODULES: LazyLock<DashMap<usize, ModuleData>> = LazyLock::new(DashMap::new);

thread_local! {
    /// The full dotted name of the extension being initialised: a submodule's
    /// `m_name` is often only its last component.
    static PACKAGE_CONTEXT: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub fn with_package_context<R>(full_name: &str, f: impl FnOnce() -> R) -> R {
    let outer = PACKAGE_CONTEXT.with(|c| c.replace(Some(full_name.to_owned())));
    // C reads the same name as `_Py_PackageContext` while init runs.
    let c_name = std::ffi::CString::new(full_name).unwrap_or_default();
    let outer_c = _Py_PackageContext.swap(c_name.as_ptr() as *mut c_char, std::sync::atomic::Ordering::SeqCst);
    let r = f();
    _Py_PackageContext.store(outer_c, std::sync::atomic::Ordering::SeqCst);
    drop(c_name);
    PACKAGE_CONTEXT.with(|c| *c.borrow_mut() = outer);
    r
}

/// `const char *_Py_PackageContext`: the full dotted name of the extension
/// whose PyInit_* function is running (NULL otherwise). An atomic pointer
/// has the layout of the plain pointer C declares.
#[unsafe(no_mangle)]
pub static _Py_PackageContext: std::sync::atomic::AtomicPtr<c_char> = std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());
inventory::submit! { crate::boundary::ApiData { name: "_Py_PackageContext" } }

fn module_name_for(def_name: &str) -> String {
    PACKAGE_CONTEXT.with(|c| match &*c.borrow() {
        Some(full) if full.rsplit('.').next() == Some(def_name) => full.clone(),
        _ => def_name.to_owned(),
    })
}

pub(crate) fn new_module(vm: &VirtualMachine, name: &str) -> PyObjectRef {
    let module = vm.new_module(name, vm.ctx.new_dict(), None);
    for attr in ["__package__", "__loader__", "__spec__"] {
        let _ = module.as_object().set_attr(attr, vm.ctx.none(), vm);
    }
    module.into()
}

/// Adds the functions, doc and state of `def` to `module` and remembers it.
pub(crate) unsafe fn attach_def(vm: &VirtualMachine, module: &PyObjectRef, def: *mut ffi::PyModuleDef, executed: bool) -> PyResult<()> {
    unsafe {
        let name = module.get_attr("__name__", vm)?.str(vm)?.to_string();
        if !(*def).m_methods.is_null() {
            add_functions(vm, module, (*def).m_methods, &name)?;
        }
        if let Some(doc) = methods::c_str((*def).m_doc) {
            module.set_attr("__doc__", vm.ctx.new_str(doc), vm)?;
        }
        let state = if (*def).m_size > 0 { libc::calloc(1, (*def).m_size as usize) as usize } else { 0 };
        if module.downcast_ref::<PyModule>().is_some() {
            proxy::make_immortal(proxy::new_ref(vm, module));
            MODULES.insert(proxy::host_addr(module), ModuleData { def: def as usize, state, executed, single_phase: executed });
        }
    }
    Ok(())
}

pub(crate) unsafe fn add_functions(vm: &VirtualMachine, module: &PyObjectRef, mut def: *mut ffi::PyMethodDef, module_name: &str) -> PyResult<()> {
    unsafe {
        while !(*def).ml_name.is_null() {
            let f = methods::module_function(vm, def, module, module_name)?;
            let name = methods::c_str((*def).ml_name).unwrap_or("");
            module.set_attr(name, f, vm)?;
            def = def.add(1);
        }
    }
    Ok(())
}

/// Single-phase init: the module is complete when this returns.
pub(crate) unsafe fn create_from_def(vm: &VirtualMachine, def: *mut ffi::PyModuleDef) -> PyResult<PyObjectRef> {
    let def_name = unsafe { c_str_arg(vm, (*def).m_name)? };
    let module = new_module(vm, &module_name_for(def_name));
    unsafe { attach_def(vm, &module, def, true)? };
    Ok(module)
}

/// Multi-phase init (PEP 489), create step: `Py_mod_create` or a plain module.
/// The exec slots run later, from `exec_pending`.
pub fn module_from_def_and_spec(vm: &VirtualMachine, def: *mut ffi::PyModuleDef, spec: &PyObjectRef) -> PyResult {
    unsafe {
        let mut create = None;
        let mut slot = (*def).m_slots;
        while !slot.is_null() && (*slot).slot != 0 {
            match (*slot).slot as u32 {
                ffi::Py_mod_create => create = Some((*slot).value),
                ffi::Py_mod_exec => {}
                other => return Err(vm.new_system_error(format!("module uses unknown slot ID {other}"))),
            }
            slot = slot.add(1);
        }
        let module = match create {
            Some(f) => {
                let f: unsafe extern "C" fn(*mut PyObject, *mut ffi::PyModuleDef) -> *mut PyObject = std::mem::transmute(f);
                let spec_proxy = proxy::new_ref(vm, spec);
                let result = f(spec_proxy, def);
                proxy::decref(spec_proxy);
                let name = spec.get_attr("name", vm)?.str(vm)?.to_string();
                let pending = error_indicator::take_exception(vm);
                if result.is_null() {
                    return Err(pending.unwrap_or_else(|| {
                        vm.new_system_error(format!("creation of module {name} failed without setting an exception"))
                    }));
                }
                if pending.is_some() {
                    proxy::decref(result);
                    return Err(vm.new_system_error(format!("creation of module {name} raised unreported exception")));
                }
                let module = proxy::take(vm, result)?;
                if module.downcast_ref::<PyModule>().is_none() && (*def).m_size > 0 {
                    return Err(vm.new_system_error(format!(
                        "module {name} is not a module object, but requests module state"
                    )));
                }
                module
            }
            None => new_module(vm, &spec.get_attr("name", vm)?.str(vm)?.to_string()),
        };
        attach_def(vm, &module, def, false)?;
        Ok(module)
    }
}

/// Multi-phase init, exec step: runs each `Py_mod_exec` slot once, in order.
pub fn exec_pending(vm: &VirtualMachine, module: &PyObjectRef) -> PyResult<()> {
    let def = match MODULES.get_mut(&proxy::host_addr(module)) {
        Some(mut data) if !data.executed => {
            data.executed = true;
            data.def as *mut ffi::PyModuleDef
        }
        _ => return Ok(()),
    };
    let name = methods::leak_str(format!("{}.Py_mod_exec", module.get_attr("__name__", vm)?.str(vm)?));
    crate::boundary::call_into_c_with(vm, crate::boundary::CFunction::Named(name), &[module], |module_proxy| {
        run_exec_slots(vm, module, def, module_proxy[0])
    })
}

/// Runs each `Py_mod_exec` slot of `def` on the module, in order.
fn run_exec_slots(vm: &VirtualMachine, module: &PyObjectRef, def: *mut ffi::PyModuleDef, module_proxy: *mut PyObject) -> PyResult<()> {
    unsafe {
        let mut slot = (*def).m_slots;
        while !slot.is_null() && (*slot).slot != 0 {
            if (*slot).slot as u32 == ffi::Py_mod_exec {
                let exec: unsafe extern "C" fn(*mut PyObject) -> c_int = std::mem::transmute((*slot).value);
                let status = exec(module_proxy);
                let pending = error_indicator::take_exception(vm);
                if status != 0 {
                    let name = module.get_attr("__name__", vm)?.str(vm)?.to_string();
                    return Err(pending.unwrap_or_else(|| {
                        vm.new_system_error(format!("execution of module {name} failed without setting an exception"))
                    }));
                }
                if pending.is_some() {
                    let name = module.get_attr("__name__", vm)?.str(vm)?.to_string();
                    return Err(vm.new_system_error(format!("execution of module {name} raised unreported exception")));
                }
            }
            slot = slot.add(1);
        }
    }
    Ok(())
}

fn as_module(vm: &VirtualMachine, m: *mut PyObject) -> PyResult<PyObjectRef> {
    let m = to_host(vm, m)?;
    if m.downcast_ref::<PyModule>().is_none() {
        return Err(vm.new_type_error("bad argument type for built-in operation".to_owned()));
    }
    Ok(m)
}

#[cpython_api]
fn PyModule_NewObject(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = to_host(vm, name)?.str(vm)?;
    Ok(into_ref(vm, new_module(vm, name.expect_str())))
}

#[cpython_api]
fn PyModule_New(vm: &VirtualMachine, name: *const c_char) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, new_module(vm, c_str_arg(vm, name)?)))
}

/// Borrowed; a module's dict lives as long as the interpreter.
#[cpython_api]
fn PyModule_GetDict(vm: &VirtualMachine, module: *mut PyObject) -> PyResult<*mut PyObject> {
    let m = to_host(vm, module)?;
    let Some(dict) = m.dict() else { return Err(bad_internal_call(vm)) };
    if m.downcast_ref::<PyModule>().is_none() {
        return Err(bad_internal_call(vm));
    }
    let p = borrowed(vm, &dict.into());
    proxy::make_immortal(p);
    Ok(p)
}

#[cpython_api]
fn PyModule_GetNameObject(vm: &VirtualMachine, module: *mut PyObject) -> PyResult<*mut PyObject> {
    let m = as_module(vm, module)?;
    match m.get_attr("__name__", vm).ok().filter(|n| n.downcast_ref::<PyStr>().is_some()) {
        Some(name) => Ok(into_ref(vm, name)),
        None => Err(vm.new_system_error("nameless module".to_owned())),
    }
}

/// The UTF-8 stays valid as long as the module: the name's proxy is kept.
#[cpython_api]
unsafe fn PyModule_GetName(module: *mut PyObject) -> *const c_char {
    let name = PyModule_GetNameObject(module);
    if name.is_null() {
        return std::ptr::null();
    }
    proxy::make_immortal(name);
    super::unicodeobject::PyUnicode_AsUTF8(name)
}

#[cpython_api]
fn PyModule_GetDef(vm: &VirtualMachine, module: *mut PyObject) -> PyResult<*mut ffi::PyModuleDef> {
    let m = as_module(vm, module)?;
    Ok(MODULES.get(&proxy::host_addr(&m)).map_or(std::ptr::null_mut(), |d| d.def as *mut ffi::PyModuleDef))
}

#[cpython_api]
fn PyModule_GetState(vm: &VirtualMachine, module: *mut PyObject) -> PyResult<*mut c_void> {
    let m = as_module(vm, module)?;
    Ok(MODULES.get(&proxy::host_addr(&m)).map_or(std::ptr::null_mut(), |d| d.state as *mut c_void))
}

/// Marks a definition as one for multi-phase init: the loader recognises
/// what PyInit returns by this type.
#[cpython_api]
unsafe fn PyModuleDef_Init(def: *mut ffi::PyModuleDef) -> *mut PyObject {
    let head = def as *mut PyObject;
    (*head).ob_type = &raw mut types::PyModuleDef_Type;
    (*head).ob_refcnt = ffi::IMMORTAL_REFCNT;
    head
}

#[cpython_api]
fn PyModule_GetFilenameObject(vm: &VirtualMachine, module: *mut PyObject) -> PyResult<*mut PyObject> {
    let m = as_module(vm, module)?;
    match m.get_attr("__file__", vm).ok().filter(|f| f.downcast_ref::<PyStr>().is_some()) {
        Some(file) => Ok(into_ref(vm, file)),
        None => Err(vm.new_system_error("module filename missing".to_owned())),
    }
}

/// The module made from `def` by single-phase init (for PyState_FindModule),
/// or NULL. Its proxy is immortal, so the pointer is a valid borrowed one.
pub(crate) fn module_of_def(def: *mut ffi::PyModuleDef) -> *mut PyObject {
    let found = MODULES.iter().find(|entry| entry.value().def == def as usize && entry.value().single_phase).map(|e| *e.key());
    match found {
        Some(host) => crate::proxy::IDENTITY.get(&host).map_or(std::ptr::null_mut(), |p| *p as *mut PyObject),
        None => std::ptr::null_mut(),
    }
}

/// The definition a module was made from, if any.
pub(crate) fn definition_of(module: &PyObjectRef) -> Option<*mut ffi::PyModuleDef> {
    MODULES.get(&proxy::host_addr(module)).map(|d| d.def as *mut ffi::PyModuleDef)
}

/// Deprecated: `__file__` as UTF-8, valid as long as the module.
#[cpython_api]
unsafe fn PyModule_GetFilename(module: *mut PyObject) -> *const c_char {
    let file = PyModule_GetFilenameObject(module);
    if file.is_null() {
        return std::ptr::null();
    }
    proxy::make_immortal(file);
    super::unicodeobject::PyUnicode_AsUTF8(file)
}

/// PyModule_ExecDef: runs the `Py_mod_exec` slots of `def` on `module`.
///
/// # Safety
/// `def` must point to a valid module definition.
pub(crate) unsafe fn exec_def(vm: &VirtualMachine, module: &PyObjectRef, def: *mut ffi::PyModuleDef) -> PyResult<()> {
    // Each call runs the slots, as in CPython; the loader's exec step then
    // finds the module executed.
    if let Some(mut data) = MODULES.get_mut(&proxy::host_addr(module)) {
        if data.def == def as usize {
            data.executed = true;
        }
    }
    let name = module.get_attr("__name__", vm)?.str(vm)?.to_string();
    let module_proxy = proxy::new_ref(vm, module);
    let _release = proxy::ReleaseOnDrop(module_proxy);
    // SAFETY: the caller passes a valid definition; its slot array ends
    // with a zero slot.
    unsafe {
        let mut slot = (*def).m_slots;
        while !slot.is_null() && (*slot).slot != 0 {
            match (*slot).slot as u32 {
                ffi::Py_mod_create => {}
                ffi::Py_mod_exec => {
                    let exec: unsafe extern "C" fn(*mut PyObject) -> c_int = std::mem::transmute((*slot).value);
                    let status = exec(module_proxy);
                    let pending = error_indicator::take_exception(vm);
                    if status != 0 {
                        return Err(pending.unwrap_or_else(|| {
                            vm.new_system_error(format!("execution of module {name} failed without setting an exception"))
                        }));
                    }
                    if pending.is_some() {
                        return Err(vm.new_system_error(format!("execution of module {name} raised unreported exception")));
                    }
                }
                other => return Err(vm.new_system_error(format!("module {name} initialized with unknown slot {other}"))),
            }
            slot = slot.add(1);
        }
    }
    Ok(())
}


/// Makes `module` the one `PyState_FindModule(def)` returns.
pub(crate) fn register_for_find(module: &PyObjectRef, def: *mut ffi::PyModuleDef) {
    for mut entry in MODULES.iter_mut() {
        if entry.value().def == def as usize {
            entry.value_mut().single_phase = false;
        }
    }
    let key = proxy::host_addr(module);
    match MODULES.get_mut(&key) {
        Some(mut data) => {
            data.def = def as usize;
            data.single_phase = true;
        }
        None => {
            MODULES.insert(key, ModuleData { def: def as usize, state: 0, executed: true, single_phase: true });
        }
    }
}

/// Forgets the module `PyState_FindModule(def)` returns; false if none.
pub(crate) fn unregister_for_find(def: *mut ffi::PyModuleDef) -> bool {
    let mut found = false;
    for mut entry in MODULES.iter_mut() {
        if entry.value().def == def as usize && entry.value().single_phase {
            entry.value_mut().single_phase = false;
            found = true;
        }
    }
    found
}

// CPython's private module API.

/// Sets a module's globals to None, as interpreter shutdown does: first
/// the names with one leading underscore, then all but `__builtins__`.
fn clear_module_dict(vm: &VirtualMachine, dict: &PyObjectRef) -> PyResult<()> {
    let Some(dict) = dict.downcast_ref::<rustpython_vm::builtins::PyDict>() else { return Err(bad_internal_call(vm)) };
    let names = |pick: &dyn Fn(&str) -> bool| -> Vec<PyObjectRef> {
        dict.into_iter()
            .filter_map(|(k, _)| k.downcast_ref::<PyStr>().map(|s| s.as_wtf8().to_string()).filter(|s| pick(s)).map(|_| k))
            .collect()
    };
    let private = names(&|s: &str| s.starts_with('_') && !s.starts_with("__"));
    for key in private {
        dict.set_item(&*key, vm.ctx.none(), vm)?;
    }
    let rest = names(&|s: &str| s != "__builtins__");
    for key in rest {
        dict.set_item(&*key, vm.ctx.none(), vm)?;
    }
    Ok(())
}

#[cpython_api]
fn _PyModule_ClearDict(vm: &VirtualMachine, dict: *mut PyObject) -> PyResult<()> {
    clear_module_dict(vm, &to_host(vm, dict)?)
}

#[cpython_api]
fn _PyModule_Clear(vm: &VirtualMachine, module: *mut PyObject) -> PyResult<()> {
    let module = as_module(vm, module)?;
    let dict = module.dict().ok_or_else(|| bad_internal_call(vm))?;
    clear_module_dict(vm, &dict.into())
}

/// Whether `spec._initializing` is true: the module is being imported. 0
/// for a spec without it.
#[cpython_api]
fn _PyModuleSpec_IsInitializing(vm: &VirtualMachine, spec: *mut PyObject) -> PyResult<c_int> {
    let Some(spec) = proxy::opt_to_host(vm, spec)? else { return Ok(0) };
    match vm.get_attribute_opt(&spec, "_initializing")? {
        Some(flag) => Ok(flag.try_to_bool(vm)? as c_int),
        None => Ok(0),
    }
}
