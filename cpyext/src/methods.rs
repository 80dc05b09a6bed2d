//! C functions (`PyMethodDef`) as host callables, and the Python-to-C call.
//!
//! Every call from Python into C goes through `call_c_function`: it takes
//! the GIL, opens a call frame (for borrowed references), converts the
//! arguments for the function's calling convention, and checks the result
//! against the error indicator the way CPython does.
use crate::ffi::{self, PyObject};
use crate::{boundary, proxy};
use rustpython_vm::function::{Callee, FuncArgs, ItemDoc, PyMethodFlags};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{CStr, c_int};

const CONVENTION_MASK: c_int = ffi::METH_VARARGS as c_int
    | ffi::METH_KEYWORDS as c_int
    | ffi::METH_NOARGS as c_int
    | ffi::METH_O as c_int
    | ffi::METH_FASTCALL as c_int
    | ffi::METH_METHOD as c_int;

/// Where a C function's `self` comes from.
#[derive(Clone, Copy)]
enum SelfArg {
    /// A fixed proxy (the module, for module functions).
    Fixed(usize),
    /// The first positional argument (instance methods and classmethods,
    /// whose descriptors put the instance or class there).
    FirstArg,
    /// NULL (METH_STATIC).
    Null,
}

/// What a host function needs to call one C function.
#[derive(Clone, Copy)]
struct CFunction {
    meth: usize,
    convention: c_int,
    self_arg: SelfArg,
    /// For METH_METHOD: the type that defines the method.
    defining_class: usize,
    name: &'static str,
    /// What CPython's `_PyObject_FunctionStr` gives, without the `()`:
    /// `module.name` for a module function, `Type.name` for a method.
    qualified: &'static str,
    /// Called through a method descriptor (a type's method): CPython's
    /// descriptor calls name it by `qualified` in every argument error,
    /// where a builtin function's METH_VARARGS names it by `ml_name`.
    descriptor: bool,
    /// How a SystemError about its result names it: CPython's
    /// `_Py_CheckFunctionResult` prints the callable's repr.
    culprit: &'static str,
}

pub fn leak_str(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A C string as UTF-8 text (None for NULL or invalid UTF-8).
///
/// # Safety
/// `p` must be NULL or a NUL-terminated string that stays valid and
/// unchanged for `'a`.
pub unsafe fn c_str<'a>(p: *const std::ffi::c_char) -> Option<&'a str> {
    if p.is_null() {
        None
    } else {
        // SAFETY: the caller's contract.
        unsafe { CStr::from_ptr(p) }.to_str().ok()
    }
}

/// Reads and checks one `PyMethodDef`.
///
/// # Safety
/// `def` must point at a `PyMethodDef` whose strings live as long as the
/// extension (CPython's contract for method tables).
unsafe fn describe(
    vm: &VirtualMachine,
    def: *const ffi::PyMethodDef,
    self_arg: SelfArg,
    owner: &str,
    defining_class: usize,
) -> PyResult<(CFunction, Option<&'static str>)> {
    // SAFETY: the caller's contract.
    let def = unsafe { &*def };
    // SAFETY: ml_name is NULL or a C string living as long as the table.
    let name = unsafe { c_str(def.ml_name) }
        .ok_or_else(|| vm.new_system_error("a PyMethodDef has no valid ml_name".to_owned()))?;
    let convention = def.ml_flags & CONVENTION_MASK;
    let known = [
        ffi::METH_NOARGS,
        ffi::METH_O,
        ffi::METH_VARARGS,
        ffi::METH_VARARGS | ffi::METH_KEYWORDS,
        ffi::METH_FASTCALL,
        ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
        ffi::METH_METHOD | ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
    ];
    if !known.iter().any(|k| *k as c_int == convention) {
        return Err(vm.new_system_error(format!("{name}() method: bad call flags")));
    }
    let Some(meth) = def.ml_meth else {
        return Err(vm.new_system_error(format!("{name}() method: ml_meth is NULL")));
    };
    // SAFETY: ml_doc, as ml_name.
    let doc = unsafe { c_str(def.ml_doc) }.map(|d| leak_str(d.to_owned()));
    let cfunc = CFunction {
        meth: meth as usize,
        convention,
        self_arg,
        defining_class,
        name: leak_str(name.to_owned()),
        // CPython leaves out a module of None or "builtins".
        qualified: if owner.is_empty() || owner == "builtins" {
            leak_str(name.to_owned())
        } else {
            leak_str(format!("{owner}.{name}"))
        },
        descriptor: false,
        culprit: leak_str(format!("<built-in function {name}>")),
    };
    Ok((cfunc, doc))
}

fn host_def(
    cfunc: CFunction,
    doc: Option<&'static str>,
    flags: PyMethodFlags,
) -> &'static rustpython_vm::function::PyMethodDef {
    Box::leak(Box::new(rustpython_vm::function::PyMethodDef {
        name: cfunc.name,
        func: Box::leak(Box::new(
            move |vm: &VirtualMachine, args: FuncArgs, callee: Callee| {
                call_c_function(vm, cfunc, args, callee.bound_self())
            },
        )),
        // A vectorcall (most calls from Python code) skips FuncArgs: its
        // keyword names stay the interned strs the caller passed.
        vectorcall: Some(Box::leak(Box::new(
            move |vm: &VirtualMachine,
                  args: Vec<PyObjectRef>,
                  nargs: usize,
                  kwnames: Option<&[PyObjectRef]>,
                  callee: Callee| {
                call_c_vectorcall(vm, cfunc, args, nargs, kwnames, callee.bound_self())
            },
        ))),
        flags,
        // A C function's doc is its own text, never a span of the host's
        // docstring database.
        doc_off: 0,
        doc_len: 0,
        doc_body_pending: false,
        doc: ItemDoc {
            text: doc,
            ..ItemDoc::NONE
        }
        .text,
    }))
}

/// What a host definition made by `bound_c_function` depends on. The host
/// keeps every definition it is given for good, so one is made per distinct
/// C definition, not per call: an extension that makes a function with
/// `PyCFunction_NewEx` on every call (a callback, a bound helper) leaked
/// about 290 bytes a call.
#[derive(PartialEq, Eq, Hash)]
struct BoundDefKey {
    def: usize,
    meth: usize,
    flags: c_int,
    name: Option<String>,
    doc: Option<String>,
    bound: bool,
    owner: String,
    defining_class: usize,
}

impl BoundDefKey {
    /// # Safety
    /// `def` must point at a readable `PyMethodDef` whose strings are NULL
    /// or NUL-terminated.
    unsafe fn read(def: *const ffi::PyMethodDef, bound: bool, owner: &str, defining_class: usize) -> Self {
        // SAFETY: the caller's contract.
        let d = unsafe { &*def };
        BoundDefKey {
            def: def as usize,
            meth: d.ml_meth.map_or(0, |m| m as usize),
            flags: d.ml_flags,
            // SAFETY: the caller's contract on the strings.
            name: unsafe { c_str(d.ml_name) }.map(str::to_owned),
            // SAFETY: as above.
            doc: unsafe { c_str(d.ml_doc) }.map(str::to_owned),
            bound,
            owner: owner.to_owned(),
            defining_class,
        }
    }
}

static BOUND_DEFS: std::sync::LazyLock<dashmap::DashMap<BoundDefKey, &'static rustpython_vm::function::PyMethodDef>> =
    std::sync::LazyLock::new(dashmap::DashMap::new);

/// Builds the host function for one `PyMethodDef` of a module. Called once
/// per function at module creation (the definitions it leaks live as long as
/// the extension).
///
/// `def` is an entry of the module's `PyMethodDef` table, which C keeps for
/// the extension's life (I8 in `proxy.rs`: the API layer calls this with
/// C's pointer, so it stays a safe function for now).
pub fn module_function(
    vm: &VirtualMachine,
    def: *const ffi::PyMethodDef,
    module: &PyObjectRef,
    module_name: &str,
) -> PyResult<PyObjectRef> {
    let module_proxy = proxy::new_ref(vm, module);
    proxy::make_immortal(module_proxy);
    // SAFETY: see above: an entry of a live method table.
    let (cfunc, doc) = unsafe {
        describe(
            vm,
            def,
            SelfArg::Fixed(module_proxy as usize),
            module_name,
            0,
        )
    }?;
    let function = host_def(cfunc, doc, PyMethodFlags::empty())
        .to_function()
        .with_module_object(module.clone())
        .into_ref(&vm.ctx);
    function
        .as_object()
        .set_attr("__module__", vm.ctx.new_str(module_name), vm)?;
    Ok(function.into())
}

/// Builds the descriptor for one `PyMethodDef` of a type: an instance
/// method, or a classmethod/staticmethod for METH_CLASS/METH_STATIC.
///
/// # Safety
/// `def` must point at an entry of the type's `tp_methods`, which lives as
/// long as the type.
pub unsafe fn type_method(
    vm: &VirtualMachine,
    def: *const ffi::PyMethodDef,
    class: &'static rustpython_vm::Py<rustpython_vm::builtins::PyType>,
    type_proxy: usize,
) -> PyResult<PyObjectRef> {
    // SAFETY: the caller's contract.
    let flags = unsafe { (*def).ml_flags };
    let owner = class.name().to_string();
    let (self_arg, host_flags) = if flags & ffi::METH_STATIC as c_int != 0 {
        (SelfArg::Null, PyMethodFlags::STATIC)
    } else if flags & ffi::METH_CLASS as c_int != 0 {
        (SelfArg::FirstArg, PyMethodFlags::CLASS)
    } else if flags & ffi::METH_METHOD as c_int != 0 {
        // Bound, a builtin_method (PyCMethod_Type), as in CPython.
        (SelfArg::FirstArg, PyMethodFlags::METHOD | PyMethodFlags::DEFINING_CLASS)
    } else {
        (SelfArg::FirstArg, PyMethodFlags::METHOD)
    };
    // SAFETY: the caller's contract.
    let (mut cfunc, doc) = unsafe { describe(vm, def, self_arg, &owner, type_proxy) }?;
    // METH_STATIC makes a builtin function (bound to the type) in CPython,
    // the others a method descriptor.
    cfunc.descriptor = flags & ffi::METH_STATIC as c_int == 0;
    let cfunc_is_descriptor = cfunc.descriptor;
    if cfunc.descriptor {
        // SAFETY: a type object being readied has its tp_name.
        let tp_name = unsafe { c_str((*(type_proxy as *mut ffi::PyTypeObject)).tp_name) }.unwrap_or(owner.as_str());
        cfunc.culprit = leak_str(format!("<method '{}' of '{tp_name}' objects>", cfunc.name));
    }
    let method = host_def(cfunc, doc, host_flags).to_proper_method(class, &vm.ctx);
    if !cfunc_is_descriptor {
        // A static method is a plain function: nothing bound to it names the table.
        crate::api::methodobject::remember_definition(vm, &method, def, 0)?;
    }
    Ok(method)
}

type NoArgs = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type WithKeywords =
    unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
type Fast =
    unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, ffi::Py_ssize_t) -> *mut PyObject;
type FastWithKeywords = unsafe extern "C" fn(
    *mut PyObject,
    *const *mut PyObject,
    ffi::Py_ssize_t,
    *mut PyObject,
) -> *mut PyObject;
type Method = unsafe extern "C" fn(
    *mut PyObject,
    *mut PyObject,
    *const *mut PyObject,
    usize,
    *mut PyObject,
) -> *mut PyObject;

/// `bound`: called through a bound method (its `self` first in `args`), not
/// a descriptor or a module function; it changes how errors name `f`.
fn call_c_function(vm: &VirtualMachine, f: CFunction, args: FuncArgs, bound: bool) -> PyResult {
    // The vectorcall layout: keyword values after the positional arguments,
    // their names apart (interned, or a str subclass's as given).
    let crate::api::r#abstract::VectorArgs { args, nargs, names } =
        crate::api::r#abstract::VectorArgs::from_host(vm, args);
    let kwnames = if names.is_empty() { None } else { Some(&names[..]) };
    call_c_vectorcall(vm, f, args, nargs, kwnames, bound)
}

fn call_c_vectorcall(
    vm: &VirtualMachine,
    f: CFunction,
    args: Vec<PyObjectRef>,
    nargs: usize,
    kwnames: Option<&[PyObjectRef]>,
    bound: bool,
) -> PyResult {
    boundary::call_into_c(vm, boundary::CFunction::Named(f.qualified), || {
        run_c_function(vm, f, &args[..nargs], &args[nargs..], kwnames.unwrap_or_default(), bound)
    })
}

/// How CPython's argument errors name `f` (`_PyObject_FunctionStr`, without
/// the `()`): a bound method by the qualified name of its `self`'s type (of
/// `self` itself for a classmethod), so a subclass's instance names the
/// subclass; a descriptor or a module function by `f.qualified`.
fn called_name(vm: &VirtualMachine, f: &CFunction, bound_self: Option<&PyObjectRef>) -> String {
    let Some(zelf) = bound_self else {
        return f.qualified.to_owned();
    };
    let owner = match zelf.downcast_ref::<rustpython_vm::builtins::PyType>() {
        Some(ty) => ty.to_owned(),
        None => zelf.class().to_owned(),
    };
    let qualname = owner
        .as_object()
        .get_attr("__qualname__", vm)
        .ok()
        .and_then(|q| q.str(vm).ok())
        .map_or_else(|| owner.name().to_string(), |q| q.to_string());
    format!("{qualname}.{}", f.name)
}

/// Converts the arguments for `f`'s calling convention, calls it and checks
/// its result (inside `call_into_c`). `values` are the keyword arguments'
/// values, `names` their names.
fn run_c_function(
    vm: &VirtualMachine,
    f: CFunction,
    mut args: &[PyObjectRef],
    values: &[PyObjectRef],
    names: &[PyObjectRef],
    bound: bool,
) -> PyResult {
    let has_keywords = !names.is_empty();
    // A bound method's `self`, which its argument errors are named after.
    let bound_self = if bound { args.first() } else { None };
    // The exact tuple a C caller passed, if it called this function directly.
    let given = crate::api::r#abstract::take_caller_tuple();
    // An owned reference for the duration of the call: C may keep `self`.
    let self_proxy = match f.self_arg {
        SelfArg::Fixed(p) => {
            proxy::incref(p as *mut PyObject);
            p as *mut PyObject
        }
        SelfArg::FirstArg => {
            let Some((first, rest)) = args.split_first() else {
                return Err(
                    vm.new_type_error(format!("unbound method {}() needs an argument", f.qualified))
                );
            };
            args = rest;
            proxy::new_ref(vm, first)
        }
        SelfArg::Null => std::ptr::null_mut(),
    };
    // The call's reference to `self`, released when the call ends.
    let _self_ref = proxy::ReleaseOnDrop(self_proxy);
    // SAFETY: `f.meth` is the ml_meth of a checked PyMethodDef, and the
    // convention its ml_flags declare says which signature it has; each
    // argument is a live proxy (or NULL where the convention allows), the
    // stack outlives the call, and `call_into_c` holds the GIL around it.
    let result = unsafe {
        match f.convention as u32 {
            ffi::METH_NOARGS => {
                if !args.is_empty() || has_keywords {
                    let name = called_name(vm, &f, bound_self);
                    if has_keywords {
                        return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
                    }
                    return Err(vm.new_type_error(format!(
                        "{name}() takes no arguments ({} given)",
                        args.len()
                    )));
                }
                std::mem::transmute::<usize, NoArgs>(f.meth)(self_proxy, std::ptr::null_mut())
            }
            ffi::METH_O => {
                if has_keywords {
                    let name = called_name(vm, &f, bound_self);
                    return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
                }
                if args.len() != 1 {
                    return Err(vm.new_type_error(format!(
                        "{}() takes exactly one argument ({} given)",
                        called_name(vm, &f, bound_self),
                        args.len()
                    )));
                }
                let arg = proxy::new_ref(vm, &args[0]);
                let r = std::mem::transmute::<usize, NoArgs>(f.meth)(self_proxy, arg);
                proxy::decref(arg);
                r
            }
            ffi::METH_VARARGS => {
                if has_keywords {
                    // CPython's cfunction_call (a bound method, a module
                    // function) says ml_name; a descriptor's call, the
                    // qualified name.
                    let name = if f.descriptor && !bound { f.qualified } else { f.name };
                    return Err(
                        vm.new_type_error(format!("{name}() takes no keyword arguments"))
                    );
                }
                let tuple = crate::api::r#abstract::caller_tuple(vm, given, args).unwrap_or_else(|| args_tuple(vm, args));
                let r = std::mem::transmute::<usize, NoArgs>(f.meth)(self_proxy, tuple);
                proxy::decref(tuple);
                r
            }
            x if x == ffi::METH_VARARGS | ffi::METH_KEYWORDS => {
                let tuple = crate::api::r#abstract::caller_tuple(vm, given, args).unwrap_or_else(|| args_tuple(vm, args));
                let dict = if has_keywords {
                    match crate::api::r#abstract::keyword_dict_from(vm, names, values) {
                        Ok(dict) => proxy::into_ref_fresh(vm, dict.into()),
                        Err(e) => {
                            proxy::decref(tuple);
                            return Err(e);
                        }
                    }
                } else {
                    std::ptr::null_mut()
                };
                let r = std::mem::transmute::<usize, WithKeywords>(f.meth)(self_proxy, tuple, dict);
                proxy::decref(tuple);
                proxy::xdecref(dict);
                r
            }
            ffi::METH_FASTCALL => {
                if has_keywords {
                    let name = called_name(vm, &f, bound_self);
                    return Err(vm.new_type_error(format!("{name}() takes no keyword arguments")));
                }
                let mut stack = ArgStack::new(args.len());
                args.iter().for_each(|a| stack.push(proxy::new_ref(vm, a)));
                std::mem::transmute::<usize, Fast>(f.meth)(
                    self_proxy,
                    stack.as_ptr(),
                    stack.len() as isize,
                )
            }
            x if x == ffi::METH_METHOD | ffi::METH_FASTCALL | ffi::METH_KEYWORDS => {
                let (stack, kwnames) = fastcall_stack(vm, args, values, names)?;
                let r = std::mem::transmute::<usize, Method>(f.meth)(
                    self_proxy,
                    f.defining_class as *mut PyObject,
                    stack.as_ptr(),
                    args.len(),
                    kwnames,
                );
                drop(stack);
                proxy::xdecref(kwnames);
                r
            }
            _ => {
                let (stack, kwnames) = fastcall_stack(vm, args, values, names)?;
                let r = std::mem::transmute::<usize, FastWithKeywords>(f.meth)(
                    self_proxy,
                    stack.as_ptr(),
                    args.len() as isize,
                    kwnames,
                );
                drop(stack);
                proxy::xdecref(kwnames);
                r
            }
        }
    };
    match bound_self {
        // CPython names the bound method object by its repr.
        Some(zelf) => boundary::check_object_named(
            vm,
            || Ok(format!("<built-in method {} of {} object at {:#x}>", f.name, zelf.class().slot_name(), zelf.get_id())),
            result,
        ),
        None => boundary::check_object_as(vm, f.culprit, result),
    }
}

/// Positional proxies, then keyword values, and the tuple of keyword names
/// (NULL without keywords): the vectorcall layout.
fn fastcall_stack(
    vm: &VirtualMachine,
    args: &[PyObjectRef],
    values: &[PyObjectRef],
    names: &[PyObjectRef],
) -> PyResult<(ArgStack, *mut PyObject)> {
    // Interned, as CPython's keyword names are: C may compare them by
    // address with names it interned (orjson's `default`, `option`); a str
    // subclass's stays as given.
    let interned = names
        .iter()
        .map(|n| crate::api::r#abstract::keyword_object(vm, n))
        .collect::<PyResult<Vec<PyObjectRef>>>()?;
    let mut stack = ArgStack::new(args.len() + values.len());
    args.iter().chain(values).for_each(|a| stack.push(proxy::new_ref(vm, a)));
    if interned.is_empty() {
        return Ok((stack, std::ptr::null_mut()));
    }
    Ok((stack, kwnames_tuple(vm, &interned)))
}

/// How many kwnames tuples `kwnames_tuple` keeps per thread.
const KWNAMES_KEPT: usize = 8;

thread_local! {
    /// The last kwnames tuples made, each with its names' addresses and
    /// holding one reference: a call site passes the same names on every
    /// call, as CPython passes its code's constant tuple, so the tuple is
    /// handed out again instead of being made, crossed and freed each time.
    static KWNAMES: std::cell::RefCell<Vec<(Vec<usize>, usize)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A new reference to a tuple of `names`, reused from the recent ones.
fn kwnames_tuple(vm: &VirtualMachine, names: &[PyObjectRef]) -> *mut PyObject {
    // A kept tuple holds its names, so an address seen here is still theirs.
    let key: Vec<usize> = names.iter().map(|n| &**n as *const rustpython_vm::PyObject as usize).collect();
    let found = KWNAMES.with(|kept| kept.borrow().iter().find(|(k, _)| *k == key).map(|(_, t)| *t));
    if let Some(tuple) = found {
        proxy::incref(tuple as *mut PyObject);
        return tuple as *mut PyObject;
    }
    let tuple = proxy::into_ref_fresh(vm, vm.ctx.new_tuple(names.to_vec()).into());
    // The list's own reference.
    proxy::incref(tuple);
    let evicted = KWNAMES.with(|kept| {
        let mut kept = kept.borrow_mut();
        let evicted = if kept.len() == KWNAMES_KEPT { kept.pop() } else { None };
        kept.insert(0, (key, tuple as usize));
        evicted
    });
    if let Some((_, old)) = evicted {
        proxy::decref(old as *mut PyObject);
    }
    tuple
}

/// Calls with up to this many arguments pass them from an array on the
/// stack: most calls, which then allocate nothing for it.
const INLINE_ARGS: usize = 8;

/// The argument array of a METH_FASTCALL call, each entry an owned proxy,
/// released when it drops (after the call).
enum ArgStack {
    Inline([*mut PyObject; INLINE_ARGS], usize),
    Heap(Vec<*mut PyObject>),
}

impl ArgStack {
    fn new(capacity: usize) -> Self {
        if capacity <= INLINE_ARGS {
            ArgStack::Inline([std::ptr::null_mut(); INLINE_ARGS], 0)
        } else {
            ArgStack::Heap(Vec::with_capacity(capacity))
        }
    }

    fn push(&mut self, p: *mut PyObject) {
        match self {
            ArgStack::Inline(items, len) if *len < INLINE_ARGS => {
                items[*len] = p;
                *len += 1;
            }
            ArgStack::Inline(items, len) => {
                let mut heap = items[..*len].to_vec();
                heap.push(p);
                *self = ArgStack::Heap(heap);
            }
            ArgStack::Heap(items) => items.push(p),
        }
    }

    fn as_slice(&self) -> &[*mut PyObject] {
        match self {
            ArgStack::Inline(items, len) => &items[..*len],
            ArgStack::Heap(items) => items,
        }
    }

    fn as_ptr(&self) -> *const *mut PyObject {
        self.as_slice().as_ptr()
    }

    fn len(&self) -> usize {
        self.as_slice().len()
    }
}

impl Drop for ArgStack {
    fn drop(&mut self) {
        self.as_slice().iter().for_each(|&p| proxy::decref(p));
    }
}

/// The argument tuple for METH_VARARGS, made directly as a C tuple: a host
/// tuple is built only if C passes it back into Python.
fn args_tuple(vm: &VirtualMachine, args: &[PyObjectRef]) -> *mut PyObject {
    if args.is_empty() {
        return crate::api::tupleobject::empty_tuple(vm);
    }
    let tuple = proxy::new_pending(
        proxy::Layout::Tuple,
        proxy::tuple_size(args.len()),
        &raw mut crate::types::PyTuple_Type,
    );
    // SAFETY: a fresh tuple proxy sized for `args.len()` items.
    unsafe {
        let t = tuple as *mut ffi::PyTupleObject;
        (*t).ob_base.ob_size = args.len() as isize;
        let items = (*t).ob_item.as_mut_ptr();
        for (i, a) in args.iter().enumerate() {
            *items.add(i) = proxy::new_ref(vm, a);
        }
    }
    tuple
}



/// Builds the host function for `PyCMethod_New`: `self_object` (if any) is
/// held by the host function and passed to C as `self` on each call, the
/// way a bound builtin method holds its instance. Like `module_function`,
/// it leaks one definition per call.
///
/// # Safety
/// `def` must point at a `PyMethodDef` whose strings live as long as the
/// extension (CPython's contract for method tables).
pub unsafe fn bound_c_function(
    vm: &VirtualMachine,
    def: *const ffi::PyMethodDef,
    self_object: Option<PyObjectRef>,
    owner: &str,
    defining_class: usize,
) -> PyResult<PyObjectRef> {
    let self_arg = if self_object.is_some() { SelfArg::FirstArg } else { SelfArg::Null };
    // SAFETY: the caller's contract on `def`.
    let key = unsafe { BoundDefKey::read(def, self_object.is_some(), owner, defining_class) };
    let cached = BOUND_DEFS.get(&key).map(|entry| *entry);
    let host = match cached {
        Some(host) => host,
        None => {
            // SAFETY: the caller's contract on `def`.
            let (cfunc, doc) = unsafe { describe(vm, def, self_arg, owner, defining_class)? };
            // A function with a defining class is a builtin_method (PyCMethod_Type).
            let host_flags = if defining_class != 0 { PyMethodFlags::DEFINING_CLASS } else { PyMethodFlags::empty() };
            let host = host_def(cfunc, doc, host_flags);
            BOUND_DEFS.insert(key, host);
            host
        }
    };
    Ok(match (self_object, rustpython_vm::function::DEFINING_CLASS_FUNCTION_TYPE.get()) {
        (Some(bound), _) => host.build_bound_method(&vm.ctx, bound, vm.ctx.types.object_type).into(),
        (None, Some(cls)) if defining_class != 0 => rustpython_vm::PyRef::new_ref(host.to_function(), cls.clone(), None).into(),
        (None, _) => host.build_function(&vm.ctx).into(),
    })
}
