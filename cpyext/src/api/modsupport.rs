//! modsupport.h: creating modules and adding to them.
use super::c_str_arg;
use super::moduleobject;
use crate::ffi::{self, PyObject};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyModule;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_long};

#[cpython_api]
unsafe fn PyModule_Create2(vm: &VirtualMachine, def: *mut ffi::PyModuleDef, _apiver: c_int) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    unsafe { module_of_def(vm, def) }
}

/// # Safety
/// `def` is NULL or a module definition that outlives the module.
unsafe fn module_of_def(vm: &VirtualMachine, def: *mut ffi::PyModuleDef) -> PyResult<*mut PyObject> {
    if def.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller's contract.
    let module = unsafe { moduleobject::create_from_def(vm, def)? };
    Ok(into_ref(vm, module))
}

/// PyModule_Create2 by its older internal name.
///
/// # Safety
/// `def` is a module definition that outlives the module.
#[cpython_api]
unsafe fn _PyModule_CreateInitialized(vm: &VirtualMachine, def: *mut ffi::PyModuleDef, _apiver: c_int) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    unsafe { module_of_def(vm, def) }
}

#[cpython_api]
unsafe fn PyModule_AddFunctions(vm: &VirtualMachine, module: *mut PyObject, functions: *mut ffi::PyMethodDef) -> PyResult<c_int> {
    let m = to_host(vm, module)?;
    let name = m.get_attr("__name__", vm)?.str(vm)?.to_string();
    moduleobject::add_functions(vm, &m, functions, &name)?;
    super::methodobject::remember_added_table(&m, functions);
    Ok(0)
}

fn module_arg(vm: &VirtualMachine, module: *mut PyObject, caller: &str) -> PyResult<PyObjectRef> {
    let m = to_host(vm, module)?;
    if m.downcast_ref::<PyModule>().is_none() {
        return Err(vm.new_type_error(format!("{caller}() first argument must be a module")));
    }
    Ok(m)
}

#[cpython_api]
fn PyModule_AddObjectRef(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: *mut PyObject) -> PyResult<c_int> {
    add_object_ref(vm, module, name, value)
}

/// `PyModule_AddObjectRef` that takes the reference to `value` over, in
/// failure too (CPython 3.13's PyModule_Add, private in 3.11).
#[cpython_api]
fn _PyModule_Add(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: *mut PyObject) -> PyResult<c_int> {
    let added = add_object_ref(vm, module, name, value);
    proxy::xdecref(value);
    added
}

fn add_object_ref(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: *mut PyObject) -> PyResult<c_int> {
    let m = module_arg(vm, module, "PyModule_AddObjectRef")?;
    if value.is_null() {
        if !crate::error_indicator::occurred() {
            return Err(vm.new_system_error(
                "PyModule_AddObjectRef() must be called with an exception raised if value is NULL".to_owned(),
            ));
        }
        return Ok(-1);
    }
    let name = c_str_arg(vm, name)?;
    m.set_attr(name, to_host(vm, value)?, vm)?;
    // Extensions keep what they add to their module in statics without a
    // reference of their own (PyModule_AddObject steals theirs): the pointer
    // must stay valid as long as the module, which is never freed.
    proxy::keep_with_module(vm, value);
    Ok(0)
}

/// Steals `value` only when it succeeds.
#[cpython_api]
unsafe fn PyModule_AddObject(module: *mut PyObject, name: *const c_char, value: *mut PyObject) -> c_int {
    let status = PyModule_AddObjectRef(module, name, value);
    if status == 0 {
        proxy::decref(value);
    }
    status
}

#[cpython_api]
unsafe fn PyModule_AddIntConstant(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: c_long) -> c_int {
    let v = into_ref(vm, vm.ctx.new_int(value).into());
    let status = PyModule_AddObjectRef(module, name, v);
    proxy::decref(v);
    status
}

#[cpython_api]
unsafe fn PyModule_AddStringConstant(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: *const c_char) -> PyResult<c_int> {
    let v = into_ref(vm, vm.ctx.new_str(c_str_arg(vm, value)?).into());
    let status = PyModule_AddObjectRef(module, name, v);
    proxy::decref(v);
    Ok(status)
}

#[cpython_api]
fn PyModule_SetDocString(vm: &VirtualMachine, module: *mut PyObject, doc: *const c_char) -> PyResult<c_int> {
    let m = to_host(vm, module)?;
    m.set_attr("__doc__", vm.ctx.new_str(c_str_arg(vm, doc)?), vm)?;
    Ok(0)
}

/// Adds `type` under its name without the module part (readying it first).
///
/// # Safety
/// `tp` must point to a type object.
#[cpython_api]
unsafe fn PyModule_AddType(vm: &VirtualMachine, module: *mut PyObject, tp: *mut ffi::PyTypeObject) -> PyResult<c_int> {
    // SAFETY: the caller passes a type object.
    let ready = unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_READY as u64 != 0;
    if !ready {
        crate::ctype::ready(vm, tp)?;
    }
    let name = super::typeobject::short_name(tp);
    let name = std::ffi::CString::new(name).map_err(|_| vm.new_value_error("embedded null character".to_owned()))?;
    let status = PyModule_AddObjectRef(module, name.as_ptr(), tp as *mut PyObject);
    Ok(status)
}

/// Multi-phase init by hand: the module `def` describes, for `spec`,
/// before its exec slots run (`PyModule_ExecDef`).
///
/// # Safety
/// `def` must point to a valid module definition that outlives the module.
#[cpython_api]
unsafe fn PyModule_FromDefAndSpec2(vm: &VirtualMachine, def: *mut ffi::PyModuleDef, spec: *mut PyObject, _module_api_version: c_int) -> PyResult<*mut PyObject> {
    if def.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    crate::api::moduleobject::PyModuleDef_Init(def);
    let spec = to_host(vm, spec)?;
    let module = moduleobject::module_from_def_and_spec(vm, def, &spec)?;
    Ok(into_ref(vm, module))
}

/// # Safety
/// `def` must point to a valid module definition.
#[cpython_api]
unsafe fn PyModule_ExecDef(vm: &VirtualMachine, module: *mut PyObject, def: *mut ffi::PyModuleDef) -> PyResult<c_int> {
    let module = to_host(vm, module)?;
    if def.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes a valid definition.
    unsafe { moduleobject::exec_def(vm, &module, def)? };
    Ok(0)
}

// --- the argument checks of Argument Clinic's generated code -------------------
// Each returns 1 to accept, or sets TypeError and returns 0.

/// "N argument(s)", as the messages below count them.
fn count_of(n: ffi::Py_ssize_t, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// 1 for Ok; 0 with the exception set for Err.
fn accepted(check: PyResult<()>) -> c_int {
    match check {
        Ok(()) => 1,
        Err(e) => {
            crate::error_indicator::set_from_exception(e);
            0
        }
    }
}

/// The "f() takes no ..." TypeError.
/// # Safety
/// `funcname` must be NULL or a C string.
unsafe fn takes_no(vm: &VirtualMachine, funcname: *const c_char, what: &str) -> rustpython_vm::builtins::PyBaseExceptionRef {
    // SAFETY: the caller's contract.
    let name = unsafe { crate::methods::c_str(funcname) }.unwrap_or("?");
    vm.new_type_error(format!("{name}() takes no {what}"))
}

/// Accepts `nargs` positional arguments between `min` and `max`
/// (`PY_SSIZE_T_MAX` for no bound). A NULL name speaks of an unpacked tuple.
/// # Safety
/// `name` must be NULL or a C string.
#[cpython_api]
unsafe fn _PyArg_CheckPositional(vm: &VirtualMachine, name: *const c_char, nargs: ffi::Py_ssize_t, min: ffi::Py_ssize_t, max: ffi::Py_ssize_t) -> c_int {
    if min <= nargs && nargs <= max {
        return 1;
    }
    // SAFETY: the caller's contract.
    let name = unsafe { crate::methods::c_str(name) };
    let (bound, qualifier) = if nargs < min { (min, "at least ") } else { (max, "at most ") };
    let qualifier = if min == max { "" } else { qualifier };
    let message = match name {
        Some(name) => format!("{name} expected {qualifier}{}, got {nargs}", count_of(bound, "argument")),
        None => format!("unpacked tuple should have {qualifier}{}, but has {nargs}", count_of(bound, "element")),
    };
    accepted(Err(vm.new_type_error(message)))
}

/// # Safety
/// `funcname` must be a C string; `kwargs` NULL or a live object.
#[cpython_api]
unsafe fn _PyArg_NoKeywords(vm: &VirtualMachine, funcname: *const c_char, kwargs: *mut PyObject) -> c_int {
    accepted(proxy::opt_to_host(vm, kwargs).and_then(|kwargs| match kwargs {
        None => Ok(()),
        Some(kwargs) => match kwargs.downcast_ref::<rustpython_vm::builtins::PyDict>() {
            None => Err(super::bad_internal_call(vm)),
            Some(dict) if dict.is_empty() => Ok(()),
            // SAFETY: the caller's contract.
            Some(_) => Err(unsafe { takes_no(vm, funcname, "keyword arguments") }),
        },
    }))
}

/// # Safety
/// `funcname` must be a C string; `kwnames` NULL or a live object.
#[cpython_api]
unsafe fn _PyArg_NoKwnames(vm: &VirtualMachine, funcname: *const c_char, kwnames: *mut PyObject) -> c_int {
    accepted(proxy::opt_to_host(vm, kwnames).and_then(|kwnames| match kwnames {
        None => Ok(()),
        Some(kwnames) => match kwnames.downcast_ref::<rustpython_vm::builtins::PyTuple>() {
            None => Err(super::bad_internal_call(vm)),
            Some(names) if names.is_empty() => Ok(()),
            // SAFETY: the caller's contract.
            Some(_) => Err(unsafe { takes_no(vm, funcname, "keyword arguments") }),
        },
    }))
}

/// # Safety
/// `funcname` must be a C string; `args` NULL or a live object.
#[cpython_api]
unsafe fn _PyArg_NoPositional(vm: &VirtualMachine, funcname: *const c_char, args: *mut PyObject) -> c_int {
    accepted(proxy::opt_to_host(vm, args).and_then(|args| match args {
        None => Ok(()),
        Some(args) => match args.downcast_ref::<rustpython_vm::builtins::PyTuple>() {
            None => Err(super::bad_internal_call(vm)),
            Some(tuple) if tuple.is_empty() => Ok(()),
            // SAFETY: the caller's contract.
            Some(_) => Err(unsafe { takes_no(vm, funcname, "positional arguments") }),
        },
    }))
}

/// Raises the TypeError of an argument of the wrong type: "f() argument 1
/// must be str, not int". A NULL `arg` is "None"'s absence (CPython says
/// "NULL").
/// # Safety
/// The strings must be C strings (`fname` may be NULL); `arg` NULL or a live object.
#[cpython_api]
unsafe fn _PyArg_BadArgument(vm: &VirtualMachine, fname: *const c_char, displayname: *const c_char, expected: *const c_char, arg: *mut PyObject) -> PyResult<()> {
    // SAFETY: the caller's contract.
    let (fname, displayname, expected) = unsafe { (crate::methods::c_str(fname), crate::methods::c_str(displayname).unwrap_or("argument"), crate::methods::c_str(expected).unwrap_or("?")) };
    let got = match proxy::opt_to_host(vm, arg)? {
        None => "NULL".to_owned(),
        Some(arg) if vm.is_none(&arg) => "None".to_owned(),
        Some(arg) => arg.class().name().to_string(),
    };
    let prefix = fname.map(|f| format!("{f}() ")).unwrap_or_default();
    Err(vm.new_type_error(format!("{prefix}{displayname} must be {expected}, not {got}")))
}

// --- Argument Clinic's keyword unpacking ------------------------------------------
// Clinic's generated wrappers hand over their parameters' names in a
// `_PyArg_Parser` and get back one slot per parameter.

/// What a clinic parser says about its function.
struct ClinicSignature<'a> {
    /// From `fname`, or from the ":name" that ends `format`.
    fname: Option<&'a str>,
    /// Every parameter's name; positional-only ones are "".
    keywords: Vec<&'a str>,
    /// How many leading parameters are positional-only.
    posonly: usize,
}

impl ClinicSignature<'_> {
    /// "f()" or "function", as the messages start.
    fn callee(&self) -> String {
        self.fname.map_or_else(|| "function".to_owned(), |f| format!("{f}()"))
    }

    /// The index of the keyword parameter called `name`.
    fn keyword_index(&self, name: &str) -> Option<usize> {
        self.keywords.iter().skip(self.posonly).position(|k| *k == name).map(|i| i + self.posonly)
    }
}

/// # Safety
/// `parser` must point to a parser whose strings are C strings and whose
/// `keywords` array ends with NULL.
unsafe fn clinic_signature<'a>(vm: &VirtualMachine, parser: *const ffi::_PyArg_Parser) -> PyResult<ClinicSignature<'a>> {
    if parser.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller's contract.
    let parser = unsafe { &*parser };
    // SAFETY: the caller's contract: C strings or NULL.
    let fname = unsafe { crate::methods::c_str(parser.fname) }
        // SAFETY: as above.
        .or_else(|| unsafe { crate::methods::c_str(parser.format) }.and_then(|f| f.split_once(':')).map(|(_, name)| name));
    let mut keywords = Vec::new();
    if !parser.keywords.is_null() {
        // SAFETY: the array ends with NULL (the caller's contract).
        unsafe {
            let mut p = parser.keywords;
            while !(*p).is_null() {
                keywords.push(crate::methods::c_str(*p).unwrap_or(""));
                p = p.add(1);
            }
        }
    }
    let posonly = keywords.iter().take_while(|k| k.is_empty()).count();
    Ok(ClinicSignature { fname, keywords, posonly })
}

/// The keyword arguments of a clinic call: a dict (tuple calls) or the
/// kwnames of a vectorcall, whose values follow the positional ones.
enum ClinicKeywords {
    None,
    Dict(rustpython_vm::builtins::PyDictRef),
    Names(rustpython_vm::builtins::PyTupleRef, *const *mut PyObject),
}

impl ClinicKeywords {
    /// # Safety
    /// `kwnames` must be NULL or a tuple whose values follow `args[nargs - 1]`.
    unsafe fn new(vm: &VirtualMachine, args: *const *mut PyObject, nargs: usize, kwargs: *mut PyObject, kwnames: *mut PyObject) -> PyResult<Self> {
        if let Some(kwargs) = proxy::opt_to_host(vm, kwargs)? {
            let dict = kwargs.downcast::<rustpython_vm::builtins::PyDict>().map_err(|_| super::bad_internal_call(vm))?;
            return Ok(Self::Dict(dict));
        }
        match proxy::opt_to_host(vm, kwnames)? {
            None => Ok(Self::None),
            Some(names) => {
                let names = names.downcast::<rustpython_vm::builtins::PyTuple>().map_err(|_| super::bad_internal_call(vm))?;
                // SAFETY: the values follow the positional arguments (the caller's contract).
                Ok(Self::Names(names, unsafe { args.add(nargs) }))
            }
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::None => 0,
            Self::Dict(d) => d.__len__(),
            Self::Names(n, _) => n.len(),
        }
    }

    /// The borrowed value given for `name`, or NULL.
    fn get(&self, vm: &VirtualMachine, name: &str) -> PyResult<*mut PyObject> {
        match self {
            Self::None => Ok(std::ptr::null_mut()),
            Self::Dict(d) => Ok(d.get_item_opt(name, vm)?.map_or(std::ptr::null_mut(), |v| crate::borrow::borrowed(vm, &v))),
            Self::Names(names, values) => {
                for (j, key) in names.iter().enumerate() {
                    if key.downcast_ref::<rustpython_vm::builtins::PyStr>().is_some_and(|k| k.to_str() == Some(name)) {
                        // SAFETY: one value per name follows the positional arguments.
                        return Ok(unsafe { *values.add(j) });
                    }
                }
                Ok(std::ptr::null_mut())
            }
        }
    }

    fn names(&self) -> Vec<PyObjectRef> {
        match self {
            Self::None => Vec::new(),
            Self::Dict(d) => d.keys_vec(),
            Self::Names(n, _) => n.as_slice().to_vec(),
        }
    }

    /// The TypeError for keywords left over once every parameter has taken its own.
    fn unexpected(&self, vm: &VirtualMachine, sig: &ClinicSignature, nargs: usize) -> rustpython_vm::builtins::PyBaseExceptionRef {
        let callee = sig.fname.map_or_else(|| "this function".to_owned(), |f| format!("{f}()"));
        for key in self.names() {
            let Some(key) = key.downcast_ref::<rustpython_vm::builtins::PyStr>() else {
                return vm.new_type_error("keywords must be strings".to_owned());
            };
            let key = key.as_wtf8().to_string();
            match sig.keyword_index(&key) {
                Some(i) if i < nargs => {
                    return vm.new_type_error(format!("argument for {callee} given by name ('{}') and position ({})", key, i + 1));
                }
                Some(_) => {}
                None => return vm.new_type_error(format!("'{}' is an invalid keyword argument for {callee}", key)),
            }
        }
        vm.new_type_error(format!("invalid keyword argument for {callee}"))
    }
}

/// "N positional argument(s)" bounds errors of a clinic call.
fn positional_count_error(vm: &VirtualMachine, sig: &ClinicSignature, qualifier: &str, bound: usize, nargs: usize) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let callee = sig.callee();
    if bound == 0 && qualifier != "at least" {
        return vm.new_type_error(format!("{callee} takes no positional arguments"));
    }
    vm.new_type_error(format!("{callee} takes {qualifier} {} ({nargs} given)", count_of(bound as ffi::Py_ssize_t, "positional argument")))
}

/// The shared work of both unpackers: checks the counts, then fills
/// `slot(i)` for each parameter `i` not given by position.
///
/// # Safety
/// As `_PyArg_UnpackKeywords`; `buf` must have a slot for each `slot(i)`.
#[allow(clippy::too_many_arguments)]
unsafe fn unpack_clinic_keywords(
    vm: &VirtualMachine,
    args: *const *mut PyObject,
    nargs: usize,
    keywords: &ClinicKeywords,
    sig: &ClinicSignature,
    (minpos, maxpos, minkw): (usize, usize, usize),
    first_keyword: usize,
    buf: *mut *mut PyObject,
    slot: impl Fn(usize) -> usize,
) -> PyResult<()> {
    let _ = args;
    let minposonly = sig.posonly.min(minpos);
    if nargs < minposonly {
        let qualifier = if minposonly < maxpos { "at least" } else { "exactly" };
        return Err(positional_count_error(vm, sig, qualifier, minposonly, nargs));
    }
    let required_until = if minkw > 0 { maxpos + minkw } else { minpos };
    let mut remaining = keywords.len();
    for i in first_keyword..sig.keywords.len() {
        let value = if remaining > 0 { keywords.get(vm, sig.keywords[i])? } else { std::ptr::null_mut() };
        if !value.is_null() {
            remaining -= 1;
        }
        // SAFETY: the caller's contract: a slot per parameter.
        unsafe { *buf.add(slot(i)) = value };
        if value.is_null() && (i < minpos || (i >= maxpos && i < required_until)) {
            return Err(vm.new_type_error(format!("{} missing required argument '{}' (pos {})", sig.callee(), sig.keywords[i], i + 1)));
        }
    }
    if remaining > 0 {
        return Err(keywords.unexpected(vm, sig, nargs));
    }
    Ok(())
}

/// Puts the arguments of a clinic call in one slot per parameter: the
/// positional ones first, then each keyword parameter's value (NULL when not
/// given). Returns `args` itself when no keywords need placing.
///
/// # Safety
/// `args` must hold `nargs` objects (then the kwnames values); `parser` as
/// for `clinic_signature`; `buf` must have a slot per parameter.
#[cpython_api]
unsafe fn _PyArg_UnpackKeywords(
    vm: &VirtualMachine,
    args: *const *mut PyObject,
    nargs: ffi::Py_ssize_t,
    kwargs: *mut PyObject,
    kwnames: *mut PyObject,
    parser: *mut ffi::_PyArg_Parser,
    minpos: c_int,
    maxpos: c_int,
    minkw: c_int,
    buf: *mut *mut PyObject,
) -> PyResult<*const *mut PyObject> {
    let (nargs, minpos, maxpos, minkw) = (nargs.max(0) as usize, minpos.max(0) as usize, maxpos.max(0) as usize, minkw.max(0) as usize);
    // SAFETY: the caller's contract.
    let keywords = unsafe { ClinicKeywords::new(vm, args, nargs, kwargs, kwnames)? };
    if keywords.len() == 0 && minkw == 0 && minpos <= nargs && nargs <= maxpos && !args.is_null() {
        return Ok(args);
    }
    // SAFETY: the caller's contract.
    let sig = unsafe { clinic_signature(vm, parser)? };
    let maxargs = sig.keywords.len();
    let given = nargs + keywords.len();
    if given > maxargs {
        let keyword = if nargs == 0 { "keyword " } else { "" };
        return Err(vm.new_type_error(format!("{} takes at most {maxargs} {keyword}argument{} ({given} given)", sig.callee(), if maxargs == 1 { "" } else { "s" })));
    }
    if nargs > maxpos {
        let qualifier = if minpos < maxpos { "at most" } else { "exactly" };
        return Err(positional_count_error(vm, &sig, qualifier, maxpos, nargs));
    }
    for i in 0..nargs {
        // SAFETY: `args` holds `nargs` objects and `buf` has room for them (nargs <= maxargs).
        unsafe { *buf.add(i) = *args.add(i) };
    }
    // SAFETY: the caller's contract.
    unsafe { unpack_clinic_keywords(vm, args, nargs, &keywords, &sig, (minpos, maxpos, minkw), nargs, buf, |i| i)? };
    Ok(buf)
}

/// As `_PyArg_UnpackKeywords` for a function with `*args`: `buf[vararg]`
/// gets a new tuple of the positional arguments past `maxpos` (the caller
/// releases it), and the parameters from `vararg` on move up one slot.
///
/// # Safety
/// As `_PyArg_UnpackKeywords`, with one more slot in `buf`.
#[cpython_api]
unsafe fn _PyArg_UnpackKeywordsWithVararg(
    vm: &VirtualMachine,
    args: *const *mut PyObject,
    nargs: ffi::Py_ssize_t,
    kwargs: *mut PyObject,
    kwnames: *mut PyObject,
    parser: *mut ffi::_PyArg_Parser,
    minpos: c_int,
    maxpos: c_int,
    minkw: c_int,
    vararg: c_int,
    buf: *mut *mut PyObject,
) -> PyResult<*const *mut PyObject> {
    let (nargs, minpos, maxpos, minkw) = (nargs.max(0) as usize, minpos.max(0) as usize, maxpos.max(0) as usize, minkw.max(0) as usize);
    let vararg = vararg.max(0) as usize;
    // SAFETY: the caller's contract.
    let keywords = unsafe { ClinicKeywords::new(vm, args, nargs, kwargs, kwnames)? };
    // SAFETY: the caller's contract.
    let sig = unsafe { clinic_signature(vm, parser)? };
    let slot = |i: usize| if i < vararg { i } else { i + 1 };
    let positional = nargs.min(maxpos);
    for i in 0..positional {
        // SAFETY: `args` holds `nargs` objects; `buf` has a slot per parameter.
        unsafe { *buf.add(slot(i)) = *args.add(i) };
    }
    // SAFETY: the caller's contract.
    let rest = (positional..nargs).map(|i| proxy::to_host(vm, unsafe { *args.add(i) })).collect::<PyResult<Vec<_>>>()?;
    // SAFETY: the caller's contract.
    unsafe { unpack_clinic_keywords(vm, args, positional, &keywords, &sig, (minpos, maxpos, minkw), positional, buf, slot)? };
    // SAFETY: buf has the vararg slot.
    unsafe { *buf.add(vararg) = into_ref(vm, vm.ctx.new_tuple(rest).into()) };
    Ok(buf)
}

/// An `O&` converter: None leaves the `Py_ssize_t` at `result` as it is; an
/// integer is stored (OverflowError beyond Py_ssize_t).
///
/// # Safety
/// `result` must point to a `Py_ssize_t`.
#[cpython_api]
unsafe fn _Py_convert_optional_to_ssize_t(vm: &VirtualMachine, obj: *mut PyObject, result: *mut ffi::Py_ssize_t) -> c_int {
    let convert = || -> PyResult<()> {
        let obj = to_host(vm, obj)?;
        if vm.is_none(&obj) {
            return Ok(());
        }
        if obj.class().slots.as_number.index.load().is_none() {
            return Err(vm.new_type_error(format!("argument should be integer or None, not '{}'", crate::types::tp_name(vm, obj.class()))));
        }
        let index = obj.try_index(vm)?;
        let value: isize = index.as_bigint().try_into().map_err(|_| vm.new_overflow_error(format!("cannot fit '{}' into an index-sized integer", crate::types::tp_name(vm, obj.class()))))?;
        // SAFETY: the caller's contract.
        unsafe { *result = value };
        Ok(())
    };
    accepted(convert())
}
