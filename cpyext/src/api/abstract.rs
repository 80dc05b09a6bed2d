//! abstract.h: calls, containers and iteration.
use super::c_str_arg;
use crate::ffi::{PyObject, Py_ssize_t};
use crate::gil;
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyDict, PyList, PyStr, PyTuple};
use rustpython_vm::function::{FuncArgs, KwArgs};
use rustpython_vm::protocol::{PyIter, PyIterReturn};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// Calls host code on C's behalf. The GIL is let go meanwhile, as CPython's
/// eval loop would, so a Python callback that waits on another thread that
/// needs the GIL cannot deadlock. A function C defined (a C method called
/// by name, `self.to_bytes()` in Cython) runs with the GIL kept, as in
/// CPython, where no eval loop comes between: C that relies on the GIL to
/// make such a sequence atomic (Cython's critical sections on 3.11) holds.
pub(crate) fn call_host(vm: &VirtualMachine, callable: &PyObjectRef, args: FuncArgs) -> PyResult<*mut PyObject> {
    let result = call_host_unchecked(vm, callable, args)?;
    // As CPython's calls check what comes back (`_Py_CheckFunctionResult`):
    // C that called with an error still set (y-py restores a callback's
    // error, then calls the next one) gets a SystemError naming the callee.
    if crate::error_indicator::occurred() {
        if let Some(cause) = crate::error_indicator::take_exception(vm) {
            proxy::decref(result);
            // A bound method passes the call on to its function, whose own
            // check is the one that fails in CPython.
            let named = match callable.class().is(vm.ctx.types.bound_method_type) {
                true => callable.get_attr("__func__", vm).unwrap_or_else(|_| callable.clone()),
                false => callable.clone(),
            };
            let culprit = named.repr(vm)?.to_string();
            return Err(crate::boundary::result_with_exception_set(vm, &culprit, cause));
        }
    }
    Ok(result)
}

/// `call_host` without the check of an error left set: for a C function
/// pointer of a builtin's method table, which C calls directly (CPython
/// checks nothing there).
pub(crate) fn call_host_unchecked(vm: &VirtualMachine, callable: &PyObjectRef, args: FuncArgs) -> PyResult<*mut PyObject> {
    // As CPython's calls check Py_EnterRecursiveCall: C that calls back
    // into itself without a Python frame between (a slot calling its own
    // wrapper) gets a RecursionError, not a native stack overflow.
    // Lists the callee can change in place (its arguments, a bound
    // method's self): their mirrors follow once it returns.
    let mut lists: Vec<PyObjectRef> =
        args.args.iter().chain(args.kwargs.values()).filter(|a| a.downcast_ref::<PyList>().is_some()).cloned().collect();
    if let Some(zelf) = bound_self(vm, callable).filter(|z| z.downcast_ref::<PyList>().is_some()) {
        lists.push(zelf);
    }
    super::ceval::check_call_depth(vm)?;
    // Positional calls go through the callee's vectorcall, which fills a
    // Python function's frame straight from the vector (no FuncArgs bind).
    let invoke = move || match args.kwargs.is_empty() {
        true => {
            let nargs = args.args.len();
            callable.vectorcall(args.args, nargs, None, vm)
        }
        false => callable.call(args, vm),
    };
    let result = vm.with_recursion(" while calling a Python object", || {
        if is_c_function(vm, callable) {
            invoke()
        } else {
            gil::without_gil(vm, invoke)
        }
    });
    for list in &lists {
        super::listobject::refresh_after_host_change(vm, list);
    }
    Ok(into_ref(vm, result?))
}

/// The object a bound method or builtin method is bound to (`xs.pop`).
fn bound_self(vm: &VirtualMachine, callable: &PyObjectRef) -> Option<PyObjectRef> {
    let types = &vm.ctx.types;
    let cls = callable.class();
    if !cls.is(types.bound_method_type) && !super::methodobject::is_builtin_function_class(vm, cls) {
        return None;
    }
    // Interned once: this runs on every call C makes to such a method.
    static SELF_NAME: std::sync::OnceLock<&'static rustpython_vm::builtins::PyStrInterned> = std::sync::OnceLock::new();
    callable.get_attr(*SELF_NAME.get_or_init(|| vm.ctx.intern_str("__self__")), vm).ok()
}

/// Whether `callable` is a function that C defined: a module's function,
/// or a C type's method bound to an instance (the host binds those as
/// `method` objects, as it binds Python functions).
fn is_c_function(vm: &VirtualMachine, callable: &PyObjectRef) -> bool {
    let types = &vm.ctx.types;
    let cls = callable.class();
    if cls.is(types.bound_method_type) {
        let python_function = callable.get_attr("__func__", vm).map_or(true, |f| f.class().is(types.function_type));
        if python_function {
            return false;
        }
    } else if !super::methodobject::is_builtin_function_class(vm, cls) {
        return false;
    }
    super::methodobject::function_def(vm, callable).is_some()
}

fn positional(vm: &VirtualMachine, args: *mut PyObject) -> PyResult<Vec<PyObjectRef>> {
    if args.is_null() {
        return Ok(Vec::new());
    }
    let args = to_host(vm, args)?;
    match args.downcast_ref::<PyTuple>() {
        Some(t) => Ok(t.as_slice().to_vec()),
        None => Err(vm.new_type_error("argument list must be a tuple".to_owned())),
    }
}

thread_local! {
    /// The exact tuple C gave `PyObject_Call` when the callee is a C
    /// function: CPython hands that tuple itself to a METH_VARARGS function
    /// (Cython returns a `*args` it got so unchanged, and tests `f(*t) is
    /// t`), where the host's call carries the items alone.
    static CALLER_TUPLE: std::cell::Cell<*mut PyObject> = const { std::cell::Cell::new(std::ptr::null_mut()) };
}

/// Takes the tuple `PyObject_Call` left for the C function it calls (NULL
/// if none): every C function takes it on entry, so no call nested in it
/// sees it.
pub(crate) fn take_caller_tuple() -> *mut PyObject {
    CALLER_TUPLE.with(|t| t.replace(std::ptr::null_mut()))
}

/// `tuple` (from `take_caller_tuple`), as a new reference, if it holds
/// exactly `args`: then it is this call's argument list.
pub(crate) fn caller_tuple(vm: &VirtualMachine, tuple: *mut PyObject, args: &[PyObjectRef]) -> Option<*mut PyObject> {
    // SAFETY: set by PyObject_Call from C's live argument, which C holds
    // for the length of the call.
    let items = unsafe { super::tupleobject::exact_tuple_items(tuple) }?;
    let same = items.len() == args.len()
        && items.iter().zip(args).all(|(&item, arg)| to_host(vm, item).is_ok_and(|item| item.is(arg)));
    same.then(|| {
        proxy::incref(tuple);
        tuple
    })
}

#[cpython_api]
fn PyObject_Call(vm: &VirtualMachine, callable: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = to_host(vm, callable)?;
    let positional = positional(vm, args)?;
    // Only a C function reached directly takes the tuple; its own calls see none.
    let pass_tuple = !args.is_null() && is_c_function(vm, &callable);
    let mut keywords = KwArgs::default();
    if !kwargs.is_null() {
        let kwargs = to_host(vm, kwargs)?;
        let Some(dict) = kwargs.downcast_ref::<PyDict>() else {
            return Err(vm.new_type_error("keyword list must be a dictionary".to_owned()));
        };
        for (k, v) in dict {
            insert_keyword(vm, &mut keywords, &k, v)?;
        }
    }
    if !pass_tuple {
        return call_host(vm, &callable, FuncArgs::new(positional, keywords));
    }
    let outer = CALLER_TUPLE.with(|t| t.replace(args));
    let result = call_host(vm, &callable, FuncArgs::new(positional, keywords));
    CALLER_TUPLE.with(|t| t.set(outer));
    result
}

#[cpython_api]
fn PyObject_CallObject(vm: &VirtualMachine, callable: *mut PyObject, args: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = to_host(vm, callable)?;
    let positional = positional(vm, args)?;
    call_host(vm, &callable, FuncArgs::from(positional))
}

#[cpython_api]
fn PyObject_CallNoArgs(vm: &VirtualMachine, callable: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = to_host(vm, callable)?;
    call_host(vm, &callable, FuncArgs::default())
}

#[cpython_api]
fn PyObject_CallOneArg(vm: &VirtualMachine, callable: *mut PyObject, arg: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = to_host(vm, callable)?;
    let arg = to_host(vm, arg)?;
    call_host(vm, &callable, FuncArgs::from(vec![arg]))
}

#[cpython_api]
fn PyObject_Type(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, o.class().to_owned().into()))
}

#[cpython_api]
fn PyObject_Size(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_ssize_t> {
    object_size(vm, o)
}

/// `PyObject_Size` under its older name.
#[cpython_api]
fn PyObject_Length(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_ssize_t> {
    object_size(vm, o)
}

/// `len(o)`; an exact tuple's length comes from its struct.
fn object_size(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_ssize_t> {
    // SAFETY: C passes an object or NULL (I8).
    if let Some(items) = unsafe { super::tupleobject::exact_tuple_items(o) } {
        return Ok(items.len() as Py_ssize_t);
    }
    Ok(to_host(vm, o)?.length(vm)? as Py_ssize_t)
}

#[cpython_api]
fn PyObject_GetItem(vm: &VirtualMachine, o: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    let (o, key) = (to_host(vm, o)?, to_host(vm, key)?);
    Ok(into_ref(vm, o.get_item(&*key, vm)?))
}

#[cpython_api]
fn PyObject_SetItem(vm: &VirtualMachine, o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> PyResult<c_int> {
    let (o, key_host, v_host) = (to_host(vm, o)?, to_host(vm, key)?, to_host(vm, v)?);
    o.set_item(&*key_host, v_host, vm)?;
    proxy::pin_to_host(vm, v);
    super::listobject::refresh_after_host_change(vm, &o);
    Ok(0)
}

#[cpython_api]
fn PyObject_DelItem(vm: &VirtualMachine, o: *mut PyObject, key: *mut PyObject) -> PyResult<c_int> {
    let (o, key) = (to_host(vm, o)?, to_host(vm, key)?);
    o.del_item(&*key, vm)?;
    super::listobject::refresh_after_host_change(vm, &o);
    Ok(0)
}

#[cpython_api]
fn PyObject_DelItemString(vm: &VirtualMachine, o: *mut PyObject, key: *const c_char) -> PyResult<c_int> {
    let o = to_host(vm, o)?;
    let key: PyObjectRef = vm.ctx.new_str(c_str_arg(vm, key)?).into();
    o.del_item(&*key, vm)?;
    Ok(0)
}

/// An object exactly of type `cls` answers without the GIL, as CPython's
/// first, exact-type test touches nothing else (pycurl asserts one in a
/// callback while `perform()` has released the GIL). So does an instance of
/// a subtype of a class whose metatype is `type` itself, found on its type's
/// `tp_base` chain: CPython's test for such a class walks type objects only
/// (pycurl asserts it for instances of a Python subclass of `CurlMulti`).
/// The same answer comes without asking the host, with the GIL too: inside
/// the `tp_dealloc` of a Python subclass's instance its host is gone, and
/// CPython still answers from the type (pycurl asserts it as a subclass
/// with `__del__` closes its handle). Anything else needs the GIL.
///
/// # Safety
/// `inst`, when not NULL, must be a live object.
#[cpython_api(no_gil)]
unsafe fn PyObject_IsInstance(inst: *mut PyObject, cls: *mut PyObject) -> c_int {
    // SAFETY: the caller's contract; an object's type pointer is fixed.
    if !inst.is_null() && !cls.is_null() && unsafe { (*inst).ob_type } as *mut PyObject == cls {
        return 1;
    }
    // SAFETY: as above; type objects C sees are never freed while an
    // instance lives, and their tp_base links end at NULL.
    if !inst.is_null() && !cls.is_null() && unsafe { base_chain_holds(inst, cls) } {
        return 1;
    }
    crate::boundary::enter_api("PyObject_IsInstance", true, |vm| {
        let (inst, cls) = (to_host(vm, inst)?, to_host(vm, cls)?);
        Ok(inst.is_instance(&cls, vm)? as c_int)
    })
}

/// Whether `cls`, a class whose metatype is exactly `type` (so no
/// `__instancecheck__` of its own), is on the `tp_base` chain of `inst`'s
/// type. Reads type objects only, as CPython's `PyType_IsSubtype` of the
/// object's type does (a chain that `__bases__` assignment changed later
/// is not kept up to date).
///
/// # Safety
/// `inst` and `cls` must be live objects.
unsafe fn base_chain_holds(inst: *mut PyObject, cls: *mut PyObject) -> bool {
    // SAFETY: the caller's contract; a live object's type and that type's
    // bases outlive it.
    unsafe {
        if (*cls).ob_type != &raw mut crate::types::PyType_Type {
            return false;
        }
        let mut tp = (*inst).ob_type;
        while !tp.is_null() {
            if tp as *mut PyObject == cls {
                return true;
            }
            tp = (*tp).tp_base;
        }
    }
    false
}

#[cpython_api]
fn PyObject_IsSubclass(vm: &VirtualMachine, derived: *mut PyObject, cls: *mut PyObject) -> PyResult<c_int> {
    let (derived, cls) = (to_host(vm, derived)?, to_host(vm, cls)?);
    Ok(derived.is_subclass(&cls, vm)? as c_int)
}

#[cpython_api]
fn PyObject_GetIter(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let iter = to_host(vm, o)?.get_iter(vm)?;
    Ok(into_ref(vm, iter.into()))
}

#[cpython_api]
fn PyIter_Check(vm: &VirtualMachine, o: *mut PyObject) -> c_int {
    to_host(vm, o).map(|o| PyIter::check(&o)).unwrap_or(false) as c_int
}

/// NULL with no exception set means the iterator is exhausted.
#[cpython_api]
fn PyIter_Next(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    if !PyIter::check(&o) {
        return Err(vm.new_type_error(format!("'{}' object is not an iterator", crate::types::tp_name(vm, o.class()))));
    }
    match PyIter::new(o).next(vm)? {
        PyIterReturn::Return(item) => Ok(into_ref(vm, item)),
        PyIterReturn::StopIteration(_) => Ok(std::ptr::null_mut()),
    }
}


fn call_method(vm: &VirtualMachine, obj: *mut PyObject, name: *mut PyObject, args: Vec<PyObjectRef>) -> PyResult<*mut PyObject> {
    let obj = to_host(vm, obj)?;
    let name = super::object::name_object(vm, name)?;
    let method = obj.get_attr(&name, vm)?;
    call_host(vm, &method, FuncArgs::from(args))
}

#[cpython_api]
fn PyObject_CallMethodNoArgs(vm: &VirtualMachine, obj: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    call_method(vm, obj, name, Vec::new())
}

#[cpython_api]
fn PyObject_CallMethodOneArg(vm: &VirtualMachine, obj: *mut PyObject, name: *mut PyObject, arg: *mut PyObject) -> PyResult<*mut PyObject> {
    let arg = to_host(vm, arg)?;
    call_method(vm, obj, name, vec![arg])
}

const ARGUMENTS_OFFSET: usize = 1usize << (usize::BITS - 1);

/// The arguments of a vectorcall: positional ones first, then one value
/// per name in `kwnames`.
///
/// # Safety
/// `args` holds `nargs` arguments, then one value per name in `kwnames`.
pub(crate) unsafe fn vector_args(vm: &VirtualMachine, args: *const *mut PyObject, nargs: usize, kwnames: *mut PyObject) -> PyResult<FuncArgs> {
    let names: Vec<PyObjectRef> = match crate::proxy::opt_to_host(vm, kwnames)? {
        Some(k) => k.downcast::<PyTuple>().map_err(|_| super::bad_internal_call(vm))?.as_slice().to_vec(),
        None => Vec::new(),
    };
    let mut positional = Vec::with_capacity(nargs);
    for i in 0..nargs {
        positional.push(to_host(vm, unsafe { *args.add(i) })?);
    }
    let mut keywords = KwArgs::default();
    for (j, name) in names.iter().enumerate() {
        insert_keyword(vm, &mut keywords, name, to_host(vm, unsafe { *args.add(nargs + j) })?)?;
    }
    Ok(FuncArgs::new(positional, keywords))
}

/// The keyword part of a vectorcall as a new dict.
///
/// # Safety
/// `values` must hold one object per name in the tuple `kwnames`.
#[cpython_api]
unsafe fn _PyStack_AsDict(vm: &VirtualMachine, values: *const *mut PyObject, kwnames: *mut PyObject) -> PyResult<*mut PyObject> {
    let names = to_host(vm, kwnames)?.downcast::<PyTuple>().map_err(|_| super::bad_internal_call(vm))?;
    let dict = vm.ctx.new_dict();
    for (i, name) in names.iter().enumerate() {
        // SAFETY: the caller passes one value per name.
        let value = to_host(vm, unsafe { *values.add(i) })?;
        dict.set_item(&**name, value, vm)?;
    }
    Ok(into_ref(vm, dict.into()))
}

/// Positional arguments in an array, keyword arguments in a dict (or NULL).
#[cpython_api]
unsafe fn PyObject_VectorcallDict(vm: &VirtualMachine, callable: *mut PyObject, args: *const *mut PyObject, nargsf: usize, kwdict: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = to_host(vm, callable)?;
    let kwdict = crate::proxy::opt_to_host(vm, kwdict)?;
    // SAFETY: forwarded from the caller.
    unsafe { call_with_kwdict(vm, &callable, args, nargsf & !ARGUMENTS_OFFSET, kwdict) }
}

/// Calls with `nargs` positional arguments from C's array and the keyword
/// arguments of a dict (or none).
///
/// # Safety
/// `args` holds `nargs` arguments.
unsafe fn call_with_kwdict(vm: &VirtualMachine, callable: &PyObjectRef, args: *const *mut PyObject, nargs: usize, kwdict: Option<PyObjectRef>) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    let call_args = unsafe { vector_args(vm, args, nargs, std::ptr::null_mut())? };
    let mut keywords = call_args.kwargs;
    if let Some(kwdict) = kwdict {
        let Some(dict) = kwdict.downcast_ref::<PyDict>() else {
            return Err(super::bad_internal_call(vm));
        };
        for (k, v) in dict {
            insert_keyword(vm, &mut keywords, &k, v)?;
        }
    }
    call_host(vm, callable, FuncArgs::new(call_args.args, keywords))
}

/// `args[0].name(*args[1:nargs], **keywords)`.
#[cpython_api]
unsafe fn PyObject_VectorcallMethod(vm: &VirtualMachine, name: *mut PyObject, args: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    unsafe { vectorcall_method(vm, || super::object::name_object(vm, name), args, nargsf, kwnames) }
}

/// `args[0].<name>(*args[1:nargs], **keywords)`, the name read once the
/// arguments are.
///
/// # Safety
/// `args` holds `nargs` arguments, then one value per name in `kwnames`.
unsafe fn vectorcall_method(vm: &VirtualMachine, name: impl FnOnce() -> PyResult<rustpython_vm::builtins::PyStrRef>, args: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> PyResult<*mut PyObject> {
    let nargs = nargsf & !ARGUMENTS_OFFSET;
    if nargs == 0 {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: forwarded from the caller.
    let mut call_args = unsafe { vector_args(vm, args, nargs, kwnames)? };
    let obj = call_args.args.remove(0);
    let method = obj.get_attr(&name()?, vm)?;
    call_host(vm, &method, call_args)
}

/// Positional arguments first, then one value per name in `kwnames`.
#[cpython_api]
unsafe fn PyObject_Vectorcall(vm: &VirtualMachine, callable: *mut PyObject, args: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = to_host(vm, callable)?;
    let nargs = nargsf & !ARGUMENTS_OFFSET;
    let call_args = vector_args(vm, args, nargs, kwnames)?;
    call_host(vm, &callable, call_args)
}

/// Python call arguments as C receives them in tp_new/tp_init/tp_call: an
/// argument tuple and a keyword dict (NULL without keywords), both owned.
pub(crate) fn args_to_c(vm: &VirtualMachine, args: FuncArgs) -> PyResult<(*mut PyObject, *mut PyObject)> {
    let call = VectorArgs::from_host(vm, args);
    let dict = call.keyword_dict(vm)?;
    let tuple = into_ref(vm, vm.ctx.new_tuple(call.into_positional()).into());
    Ok((tuple, dict.map_or(std::ptr::null_mut(), |d| into_ref(vm, d.into()))))
}

/// A call's arguments in the vectorcall layout: the positional arguments,
/// then the keyword values, each named by the item of `names` at its place.
/// Calls that reach C with the host's `FuncArgs` (slots, wrappers) are put
/// in it, so C's keyword names and dicts have one maker (`keyword_dict_from`).
pub(crate) struct VectorArgs {
    pub args: Vec<PyObjectRef>,
    pub nargs: usize,
    pub names: Vec<PyObjectRef>,
}

impl VectorArgs {
    /// The layout of the host's arguments. A keyword's name is the object
    /// the caller gave when it was of a str subclass (CPython passes it on,
    /// and C compares it with the subclass's `__eq__`), else the interned str.
    pub(crate) fn from_host(vm: &VirtualMachine, args: FuncArgs) -> Self {
        let FuncArgs { mut args, mut kwargs } = args;
        let nargs = args.len();
        let objects = kwargs.take_key_objects();
        let names = kwargs
            .into_iter()
            .map(|(k, v)| {
                args.push(v);
                let given = objects.iter().find(|o| o.downcast_ref::<PyStr>().is_some_and(|o| o.as_wtf8() == &*k));
                given.cloned().unwrap_or_else(|| keyword_name(vm, k).to_owned().into())
            })
            .collect();
        VectorArgs { args, nargs, names }
    }

    pub(crate) fn values(&self) -> &[PyObjectRef] {
        &self.args[self.nargs..]
    }

    /// The positional arguments alone (once the keyword dict is made).
    pub(crate) fn into_positional(mut self) -> Vec<PyObjectRef> {
        self.args.truncate(self.nargs);
        self.args
    }

    /// The keyword dict C receives, None without keywords (C gets NULL).
    pub(crate) fn keyword_dict(&self, vm: &VirtualMachine) -> PyResult<Option<rustpython_vm::builtins::PyDictRef>> {
        if self.names.is_empty() {
            return Ok(None);
        }
        keyword_dict_from(vm, &self.names, self.values()).map(Some)
    }
}

/// Adds one keyword argument from C (a dict's key or a kwnames item): the
/// name must be a str; one of a str subclass is kept as given.
pub(crate) fn insert_keyword(vm: &VirtualMachine, keywords: &mut KwArgs, name: &PyObjectRef, value: PyObjectRef) -> PyResult<()> {
    let name = name
        .downcast_ref::<PyStr>()
        .ok_or_else(|| vm.new_type_error("keywords must be strings".to_owned()))?;
    keywords.insert_key_object(name, value, vm);
    Ok(())
}

/// The keyword dict C receives (METH_VARARGS | METH_KEYWORDS, tp_new,
/// tp_init, tp_call) for a vectorcall's keywords: `names` (strs) name
/// `values`. Its keys are as `keyword_object` gives them: interned, as
/// CPython's keyword names are, so C may compare them by address with
/// names it interned (orjson's `default`, `option`).
pub(crate) fn keyword_dict_from(
    vm: &VirtualMachine,
    names: &[PyObjectRef],
    values: &[PyObjectRef],
) -> PyResult<rustpython_vm::builtins::PyDictRef> {
    let dict = vm.ctx.new_dict();
    for (name, value) in names.iter().zip(values) {
        dict.set_item(&*keyword_object(vm, name)?, value.clone(), vm)?;
    }
    Ok(dict)
}

/// The name C sees for one keyword argument: an exact str interned, as
/// `keyword_name_of` gives it; one of a str subclass as the caller gave it
/// (`VectorArgs::from_host`).
pub(crate) fn keyword_object(vm: &VirtualMachine, name: &PyObjectRef) -> PyResult<PyObjectRef> {
    if name.class().is(vm.ctx.types.str_type) || name.downcast_ref::<PyStr>().is_none() {
        return Ok(keyword_name_of(vm, name)?.to_owned().into());
    }
    Ok(name.clone())
}

/// How many keyword names `keyword_name` remembers per thread.
const RECENT_KEYWORDS: usize = 16;

thread_local! {
    /// The keyword names interned last, most recent first: a program calls
    /// the same few functions with the same few keywords, and comparing a
    /// short name with these costs less than hashing it into the pool.
    static RECENT: std::cell::RefCell<Vec<&'static rustpython_vm::builtins::PyStrInterned>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The interned str of a keyword name (CPython's keyword names are
/// interned, and C may compare them by address).
pub(crate) fn keyword_name(vm: &VirtualMachine, name: rustpython_vm::common::wtf8::Wtf8Buf) -> &'static rustpython_vm::builtins::PyStrInterned {
    if let Some(known) = find_recent(|known| known.as_wtf8() == &*name) {
        return known;
    }
    let interned = vm.ctx.intern_str(name);
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        recent.truncate(RECENT_KEYWORDS - 1);
        recent.insert(0, interned);
    });
    interned
}

/// The interned str of `text` if it is among this thread's recent keyword
/// names.
pub(crate) fn recent_keyword(text: &str) -> Option<&'static rustpython_vm::builtins::PyStrInterned> {
    find_recent(|known| known.as_wtf8() == text)
}

/// The first of this thread's recent keyword names that `is_it` accepts.
fn find_recent(
    is_it: impl Fn(&rustpython_vm::builtins::PyStrInterned) -> bool,
) -> Option<&'static rustpython_vm::builtins::PyStrInterned> {
    RECENT.with(|recent| recent.borrow().iter().copied().find(|known| is_it(known)))
}

/// The interned str of a keyword name given as a str object. A name the
/// compiler interned (every keyword written in a call) is found among the
/// recent ones by address, without reading its text.
pub(crate) fn keyword_name_of(vm: &VirtualMachine, name: &rustpython_vm::PyObject) -> PyResult<&'static rustpython_vm::builtins::PyStrInterned> {
    if let Some(known) = find_recent(|known| known.as_object().is(name)) {
        return Ok(known);
    }
    let Some(text) = name.downcast_ref::<PyStr>() else {
        return Err(vm.new_type_error(format!("keywords must be strings, not {}", name.class().name())));
    };
    Ok(keyword_name(vm, text.as_wtf8().to_owned()))
}

// The number protocol: each function is the host's own operator.

macro_rules! number_binary {
    ($($name:ident => $op:ident),* $(,)?) => {
        $(
            #[cpython_api]
            fn $name(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
                let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
                Ok(into_ref(vm, vm.$op(&a, &b)?))
            }
        )*
    };
}

number_binary! {
    PyNumber_Add => _add, PyNumber_Subtract => _sub, PyNumber_Multiply => _mul,
    PyNumber_MatrixMultiply => _matmul, PyNumber_FloorDivide => _floordiv, PyNumber_TrueDivide => _truediv,
    PyNumber_Remainder => _mod, PyNumber_Divmod => _divmod, PyNumber_Lshift => _lshift,
    PyNumber_Rshift => _rshift, PyNumber_And => _and, PyNumber_Xor => _xor, PyNumber_Or => _or,
    PyNumber_InPlaceAdd => _iadd, PyNumber_InPlaceSubtract => _isub, PyNumber_InPlaceMultiply => _imul,
    PyNumber_InPlaceMatrixMultiply => _imatmul, PyNumber_InPlaceFloorDivide => _ifloordiv,
    PyNumber_InPlaceTrueDivide => _itruediv, PyNumber_InPlaceRemainder => _imod,
    PyNumber_InPlaceLshift => _ilshift, PyNumber_InPlaceRshift => _irshift, PyNumber_InPlaceAnd => _iand,
    PyNumber_InPlaceXor => _ixor, PyNumber_InPlaceOr => _ior,
}

macro_rules! number_unary {
    ($($name:ident => $op:ident),* $(,)?) => {
        $(
            #[cpython_api]
            fn $name(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
                let o = to_host(vm, o)?;
                Ok(into_ref(vm, vm.$op(&o)?))
            }
        )*
    };
}

number_unary! { PyNumber_Negative => _neg, PyNumber_Positive => _pos, PyNumber_Absolute => _abs, PyNumber_Invert => _invert }

/// `pow(a, b, c)`; c is Py_None for the two-argument form.
#[cpython_api]
fn PyNumber_Power(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, c: *mut PyObject) -> PyResult<*mut PyObject> {
    let (a, b, c) = (to_host(vm, a)?, to_host(vm, b)?, to_host(vm, c)?);
    Ok(into_ref(vm, vm._pow(&a, &b, &c)?))
}

#[cpython_api]
fn PyNumber_InPlacePower(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, c: *mut PyObject) -> PyResult<*mut PyObject> {
    let (a, b, c) = (to_host(vm, a)?, to_host(vm, b)?, to_host(vm, c)?);
    Ok(into_ref(vm, vm._ipow(&a, &b, &c)?))
}

/// `int(o)`.
#[cpython_api]
fn PyNumber_Long(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, vm.ctx.types.int_type.as_object().call((o,), vm)?))
}

/// `float(o)`.
#[cpython_api]
fn PyNumber_Float(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, vm.ctx.types.float_type.as_object().call((o,), vm)?))
}

/// Whether `o` looks like a number: it has __index__, __int__ or __float__
/// (or is complex).
#[cpython_api]
fn PyNumber_Check(vm: &VirtualMachine, o: *mut PyObject) -> c_int {
    let Ok(o) = to_host(vm, o) else { return 0 };
    let number = &o.class().slots.as_number;
    (number.index.load().is_some()
        || number.int.load().is_some()
        || number.float.load().is_some()
        || o.class().fast_issubclass(vm.ctx.types.complex_type)) as c_int
}

/// Calls an object through the vectorcall function its type stores in each
/// instance at `tp_vectorcall_offset` (the tp_call of such types).
#[cpython_api]
unsafe fn PyVectorcall_Call(vm: &VirtualMachine, callable: *mut PyObject, tuple: *mut PyObject, dict: *mut PyObject) -> PyResult<*mut PyObject> {
    let tp = (*callable).ob_type;
    let offset = (*tp).tp_vectorcall_offset;
    let function = if offset > 0 { *((callable as *mut u8).add(offset as usize) as *const crate::ffi::vectorcallfunc) } else { None };
    let Some(function) = function else {
        let name = crate::methods::c_str((*tp).tp_name).unwrap_or("?");
        return Err(vm.new_type_error(format!("'{name}' object does not support vectorcall")));
    };
    let positional = positional(vm, tuple)?;
    let mut stack: Vec<*mut PyObject> = positional.iter().map(|a| crate::proxy::new_ref(vm, a)).collect();
    let nargs = stack.len();
    let mut names = Vec::new();
    if let Some(kwargs) = crate::proxy::opt_to_host(vm, dict)? {
        let kwargs = kwargs.downcast::<PyDict>().map_err(|_| vm.new_type_error("keyword list must be a dictionary".to_owned()))?;
        for (k, v) in &kwargs {
            names.push(k);
            stack.push(into_ref(vm, v));
        }
    }
    let kwnames = if names.is_empty() { std::ptr::null_mut() } else { into_ref(vm, vm.ctx.new_tuple(names).into()) };
    let culprit = crate::boundary::CFunction::Slot(tp, "vectorcall");
    // SAFETY: the type's vectorcall slot, given owned argument proxies.
    let result = crate::boundary::call_into_c(vm, culprit, || unsafe { function(callable, stack.as_ptr(), nargs, kwnames) });
    stack.into_iter().for_each(crate::proxy::decref);
    crate::proxy::xdecref(kwnames);
    crate::boundary::check_call_result(vm, || to_host(vm, callable), result).map(|r| into_ref(vm, r))
}

/// The object's `__index__` as an exact int.
#[cpython_api]
fn PyNumber_Index(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    let index = o.try_index(vm)?;
    if index.class().is(vm.ctx.types.int_type) {
        return Ok(into_ref(vm, index.into()));
    }
    Ok(into_ref(vm, vm.ctx.new_int(index.as_bigint().clone()).into()))
}

/// Whether the object supports indexing as a sequence (dicts never do).
#[cpython_api]
fn PySequence_Check(vm: &VirtualMachine, o: *mut PyObject) -> c_int {
    let Ok(o) = to_host(vm, o) else { return 0 };
    if o.downcast_ref::<PyDict>().is_some() {
        return 0;
    }
    let cls = o.class();
    if crate::ctype::c_type_of(cls).is_none() {
        return o.sequence_unchecked().check() as c_int;
    }
    // With a C type in the MRO, sq_item as CPython would have it: the
    // first class that defines it (a C type's table, a Python class's
    // `__getitem__`, a builtin's own), not any `__getitem__` the host sees
    // (numpy's scalars subscript as mappings only).
    let getitem = vm.ctx.intern_str("__getitem__");
    // The MRO starts with the class itself.
    for c in cls.mro.read().iter() {
        if crate::ctype::is_own_c_type(c) {
            let Some(tp) = crate::ctype::c_type_of(c) else { continue };
            // SAFETY: a readied C type object and its tables are immortal (I7).
            if unsafe { !(*tp).tp_as_sequence.is_null() && (*(*tp).tp_as_sequence).sq_item.is_some() } {
                return 1;
            }
        } else if c.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE) {
            if c.get_direct_attr(getitem).is_some() {
                return 1;
            }
        } else {
            return c.slots.as_sequence.item.load().is_some() as c_int;
        }
    }
    0
}

#[cpython_api]
fn PySequence_Size(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_ssize_t> {
    // SAFETY: C passes an object or NULL (I8).
    if let Some(items) = unsafe { super::tupleobject::exact_tuple_items(o) } {
        return Ok(items.len() as Py_ssize_t);
    }
    let o = to_host(vm, o)?;
    Ok(o.sequence_unchecked().length(vm)? as Py_ssize_t)
}

/// `o[i]`; a negative index counts from the end.
#[cpython_api]
fn PySequence_GetItem(vm: &VirtualMachine, o: *mut PyObject, i: Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: C passes an object or NULL (I8).
    if let Some(items) = unsafe { super::tupleobject::exact_tuple_items(o) } {
        let n = items.len() as Py_ssize_t;
        let index = if i < 0 { i + n } else { i };
        if let Some(&item) = usize::try_from(index).ok().and_then(|k| items.get(k)) {
            if !item.is_null() {
                proxy::incref(item);
                return Ok(item);
            }
        }
    }
    let o = to_host(vm, o)?;
    if let Some(r) = crate::slots::python_calls_c::c_sequence_item(vm, &o, i) {
        return Ok(into_ref(vm, r?));
    }
    let seq = o.sequence_unchecked();
    let mut i = i;
    if i < 0 {
        if let Some(len) = seq.length_opt(vm) {
            let len = len? as Py_ssize_t;
            i += len;
            // Still negative: CPython hands it to sq_item, which a builtin
            // bounds-checks without wrapping again (memoryview's wraps).
            // Its own IndexError.
            let cls = o.class();
            let builtin_item = !cls.fast_issubclass(vm.ctx.types.memoryview_type)
                && cls
                    .get_attr(vm.ctx.intern_str("__getitem__"))
                    .is_some_and(|f| f.downcast_ref::<rustpython_vm::builtins::PyFunction>().is_none());
            if i < 0 && builtin_item && seq.check() {
                let past_end: PyObjectRef = vm.ctx.new_int(len).into();
                return match o.get_item(&*past_end, vm) {
                    Err(e) => Err(e),
                    Ok(_) => Err(vm.new_index_error("index out of range".to_owned())),
                };
            }
        }
    }
    if !seq.check() {
        // the host's messages: "X is not a sequence" / "does not support indexing"
        return Ok(into_ref(vm, seq.get_item(i, vm)?));
    }
    // Index the way Python code does: the host's sequence slots of some
    // builtins differ from their __getitem__ (bytes items come out as bytes,
    // IndexError messages are generic), where CPython's agree.
    let index: PyObjectRef = vm.ctx.new_int(i).into();
    Ok(into_ref(vm, o.get_item(&*index, vm)?))
}

/// `tuple(o)` (an exact tuple comes back as itself).
#[cpython_api]
fn PySequence_Tuple(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let host = to_host(vm, o)?;
    if host.class().is(vm.ctx.types.tuple_type) {
        crate::proxy::incref(o);
        return Ok(o);
    }
    Ok(into_ref(vm, vm.ctx.types.tuple_type.as_object().call((host,), vm)?))
}

/// Whether the object has `__index__`.
#[cpython_api]
fn PyIndex_Check(vm: &VirtualMachine, o: *mut PyObject) -> c_int {
    to_host(vm, o).map(|o| o.class().slots.as_number.index.load().is_some()).unwrap_or(false) as c_int
}

/// The object's `__index__` as a Py_ssize_t. Out of range: clamped when
/// `exc` is NULL, else `exc` is raised.
#[cpython_api]
fn PyNumber_AsSsize_t(vm: &VirtualMachine, o: *mut PyObject, exc: *mut PyObject) -> PyResult<Py_ssize_t> {
    let host = to_host(vm, o)?;
    let index = host.try_index(vm)?;
    match num_traits::ToPrimitive::to_isize(index.as_bigint()) {
        Some(v) => Ok(v),
        None if exc.is_null() => Ok(if index.as_bigint().sign() == malachite_bigint::Sign::Minus { isize::MIN } else { isize::MAX }),
        None => {
            let exc = to_host(vm, exc)?;
            let exc = exc.downcast::<rustpython_vm::builtins::PyType>().map_err(|_| super::bad_internal_call(vm))?;
            Err(vm.new_exception_msg(exc, format!("cannot fit '{}' into an index-sized integer", crate::types::tp_name(vm, host.class())).into()))
        }
    }
}

/// `bin`, `oct`, `str` or `hex` of the object's `__index__`.
#[cpython_api]
fn PyNumber_ToBase(vm: &VirtualMachine, n: *mut PyObject, base: c_int) -> PyResult<*mut PyObject> {
    let name = match base {
        2 => "bin",
        8 => "oct",
        10 => "str",
        16 => "hex",
        _ => return Err(vm.new_system_error("PyNumber_ToBase: base must be 2, 8, 10 or 16".to_owned())),
    };
    let index = to_host(vm, n)?.try_index(vm)?;
    let function = vm.builtins.get_attr(name, vm)?;
    Ok(into_ref(vm, function.call((index,), vm)?))
}

// The mapping protocol.

/// Whether the object has `__getitem__` (and is not a type).
#[cpython_api]
fn PyMapping_Check(vm: &VirtualMachine, o: *mut PyObject) -> c_int {
    // A C type with sq_item and no mp_subscript has a host subscript slot
    // only for o[key]'s key conversion; CPython's check (mp_subscript) is false.
    let sq_only = crate::slots::python_calls_c::sq_subscript_slot as *const () as usize;
    to_host(vm, o)
        .map(|o| {
            let m = o.mapping_unchecked();
            m.check() && m.slots().subscript.load().is_none_or(|f| f as usize != sq_only)
        })
        .unwrap_or(false) as c_int
}

#[cpython_api]
fn PyMapping_Size(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_ssize_t> {
    Ok(to_host(vm, o)?.length(vm)? as Py_ssize_t)
}

#[cpython_api]
fn PyMapping_Length(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_ssize_t> {
    Ok(to_host(vm, o)?.length(vm)? as Py_ssize_t)
}

#[cpython_api]
fn PyMapping_GetItemString(vm: &VirtualMachine, o: *mut PyObject, key: *const c_char) -> PyResult<*mut PyObject> {
    let key: PyObjectRef = vm.ctx.new_str(c_str_arg(vm, key)?).into();
    Ok(into_ref(vm, to_host(vm, o)?.get_item(&*key, vm)?))
}

#[cpython_api]
fn PyMapping_HasKeyString(vm: &VirtualMachine, o: *mut PyObject, key: *const c_char) -> c_int {
    let found = || -> PyResult<bool> {
        let key: PyObjectRef = vm.ctx.new_str(c_str_arg(vm, key)?).into();
        Ok(to_host(vm, o)?.get_item(&*key, vm).is_ok())
    };
    found().unwrap_or(false) as c_int
}

fn mapping_list(vm: &VirtualMachine, o: *mut PyObject, method: &str) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    let view = vm.call_method(&o, method, ())?;
    Ok(into_ref(vm, vm.ctx.types.list_type.as_object().call((view,), vm)?))
}

#[cpython_api]
fn PyMapping_Keys(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    mapping_list(vm, o, "keys")
}

#[cpython_api]
fn PyMapping_Values(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    mapping_list(vm, o, "values")
}

#[cpython_api]
fn PyMapping_Items(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    mapping_list(vm, o, "items")
}

/// The vectorcall function an object's type stores in each instance (at
/// `tp_vectorcall_offset`, for types with Py_TPFLAGS_HAVE_VECTORCALL).
///
/// # Safety
/// `callable` must be a live object.
#[cpython_api]
unsafe fn PyVectorcall_Function(callable: *mut PyObject) -> *mut std::ffi::c_void {
    if callable.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: a live object has a type object, and a type with the flag
    // keeps a function pointer (or NULL) at the offset in each instance.
    unsafe {
        let tp = (*callable).ob_type;
        let offset = (*tp).tp_vectorcall_offset;
        if (*tp).tp_flags & crate::ffi::Py_TPFLAGS_HAVE_VECTORCALL as u64 == 0 || offset <= 0 {
            return std::ptr::null_mut();
        }
        *((callable as *mut u8).add(offset as usize) as *const *mut std::ffi::c_void)
    }
}

/// The value a finished generator or iterator returned: StopIteration's
/// value (None without an exception).
fn stop_iteration_value(vm: &VirtualMachine, error: rustpython_vm::builtins::PyBaseExceptionRef) -> PyResult<PyObjectRef> {
    if !error.fast_isinstance(vm.ctx.exceptions.stop_iteration) {
        return Err(error);
    }
    error.as_object().get_attr("value", vm)
}

/// Sends `arg` into `iter`: PYGEN_NEXT with a yielded value, PYGEN_RETURN
/// with the return value, PYGEN_ERROR (-1) with NULL and an exception.
///
/// # Safety
/// `presult` must point to writable storage for one object pointer.
#[cpython_api]
unsafe fn PyIter_Send(vm: &VirtualMachine, iter: *mut PyObject, arg: *mut PyObject, presult: *mut *mut PyObject) -> PyResult<c_int> {
    const PYGEN_RETURN: c_int = 0;
    const PYGEN_NEXT: c_int = 1;
    if presult.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes writable storage; NULL until a result.
    unsafe { *presult = std::ptr::null_mut() };
    let iterator = to_host(vm, iter)?;
    let arg = to_host(vm, arg)?;
    let step = if vm.is_none(&arg) && PyIter::check(&iterator) {
        match gil::without_gil(vm, || PyIter::new(iterator.clone()).next(vm))? {
            PyIterReturn::Return(value) => Ok(value),
            PyIterReturn::StopIteration(value) => {
                // SAFETY: as above.
                unsafe { *presult = into_ref(vm, value.unwrap_or_else(|| vm.ctx.none())) };
                return Ok(PYGEN_RETURN);
            }
        }
    } else {
        gil::without_gil(vm, || vm.call_method(&iterator, "send", (arg,)))
    };
    match step {
        Ok(value) => {
            // SAFETY: as above.
            unsafe { *presult = into_ref(vm, value) };
            Ok(PYGEN_NEXT)
        }
        Err(error) => {
            let value = stop_iteration_value(vm, error)?;
            // SAFETY: as above.
            unsafe { *presult = into_ref(vm, value) };
            Ok(PYGEN_RETURN)
        }
    }
}

/// Looks `name` up on the object's type (not the instance), as CPython's
/// special-method lookups do.
fn special_method(vm: &VirtualMachine, o: &PyObjectRef, name: &str) -> Option<PyObjectRef> {
    o.class().get_attr(vm.ctx.intern_str(name))
}

/// `aiter(o)`.
#[cpython_api]
fn PyObject_GetAIter(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    let Some(aiter) = special_method(vm, &o, "__aiter__") else {
        return Err(vm.new_type_error(format!("'{}' object is not an async iterable", crate::types::tp_name(vm, o.class()))));
    };
    let iterator = gil::without_gil(vm, || aiter.call((o.clone(),), vm))?;
    if special_method(vm, &iterator, "__anext__").is_none() {
        return Err(vm.new_type_error(format!(
            "aiter() returned not an async iterator of type '{}'",
            crate::types::tp_name(vm, iterator.class())
        )));
    }
    Ok(into_ref(vm, iterator))
}

/// Whether the object is an async iterator (its type has `__anext__`).
#[cpython_api]
fn PyAIter_Check(vm: &VirtualMachine, o: *mut PyObject) -> c_int {
    to_host(vm, o).map(|o| special_method(vm, &o, "__anext__").is_some()).unwrap_or(false) as c_int
}

/// `format(obj, format_spec)`; a NULL spec is "".
#[cpython_api]
fn PyObject_Format(vm: &VirtualMachine, obj: *mut PyObject, format_spec: *mut PyObject) -> PyResult<*mut PyObject> {
    let obj = to_host(vm, obj)?;
    let spec = match crate::proxy::opt_to_host(vm, format_spec)? {
        // CPython checks the spec itself, before any __format__ runs.
        Some(spec) if spec.downcast_ref::<rustpython_vm::builtins::PyStr>().is_none() => {
            return Err(vm.new_system_error(format!("Format specifier must be a string, not {}", crate::types::tp_name(vm, spec.class()))));
        }
        Some(spec) => spec,
        None => vm.ctx.new_str("").into(),
    };
    let format = vm.builtins.get_attr("format", vm)?;
    call_host(vm, &format, FuncArgs::from(vec![obj, spec]))
}

/// len(o) if it has one, else `o.__length_hint__()`, else the default.
#[cpython_api]
fn PyObject_LengthHint(vm: &VirtualMachine, o: *mut PyObject, defaultvalue: Py_ssize_t) -> PyResult<Py_ssize_t> {
    let o = to_host(vm, o)?;
    let length = o.sequence_unchecked().length_opt(vm).or_else(|| o.mapping_unchecked().length_opt(vm));
    match length {
        Some(Ok(n)) => return Ok(n as Py_ssize_t),
        Some(Err(e)) if !e.fast_isinstance(vm.ctx.exceptions.type_error) => return Err(e),
        _ => {}
    }
    let Some(hint) = special_method(vm, &o, "__length_hint__") else {
        return Ok(defaultvalue);
    };
    let result = match gil::without_gil(vm, || hint.call((o.clone(),), vm)) {
        Ok(r) => r,
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.type_error) => return Ok(defaultvalue),
        Err(e) => return Err(e),
    };
    if result.is(&vm.ctx.not_implemented) {
        return Ok(defaultvalue);
    }
    let Some(value) = result.downcast_ref::<rustpython_vm::builtins::PyInt>() else {
        return Err(vm.new_type_error(format!("__length_hint__ must be an integer, not {}", crate::types::tp_name(vm, result.class()))));
    };
    let value = num_traits::ToPrimitive::to_isize(value.as_bigint()).ok_or_else(|| {
        vm.new_overflow_error("Python int too large to convert to C ssize_t".to_owned())
    })?;
    if value < 0 {
        return Err(vm.new_value_error("__length_hint__() should return >= 0".to_owned()));
    }
    Ok(value)
}

/// The old buffer interface: a simple buffer's pointer and length, given up
/// at once (the pointer stays valid while the object lives unresized).
///
/// # Safety
/// `buffer` and `buffer_len` must point to writable storage.
unsafe fn old_buffer(vm: &VirtualMachine, obj: *mut PyObject, buffer: *mut *mut std::ffi::c_void, buffer_len: *mut Py_ssize_t, flags: c_int) -> PyResult<()> {
    if obj.is_null() || buffer.is_null() || buffer_len.is_null() {
        return Err(vm.new_system_error("null argument to internal routine".to_owned()));
    }
    // SAFETY: a zeroed Py_buffer is a valid empty one.
    let mut view: crate::ffi::Py_buffer = unsafe { std::mem::zeroed() };
    // SAFETY: `view` is writable; `obj` is a live object.
    if unsafe { super::pybuffer::PyObject_GetBuffer(obj, &mut view, flags) } < 0 {
        return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| super::bad_internal_call(vm)));
    }
    // SAFETY: the caller passes writable outputs; the view was filled.
    unsafe {
        *buffer = view.buf;
        *buffer_len = view.len;
        super::pybuffer::PyBuffer_Release(&mut view);
    }
    Ok(())
}

/// # Safety
/// `buffer` and `buffer_len` must point to writable storage.
#[cpython_api]
unsafe fn PyObject_AsCharBuffer(vm: &VirtualMachine, obj: *mut PyObject, buffer: *mut *const c_char, buffer_len: *mut Py_ssize_t) -> PyResult<c_int> {
    // SAFETY: forwarded from the caller.
    unsafe { old_buffer(vm, obj, buffer as *mut *mut std::ffi::c_void, buffer_len, crate::ffi::PyBUF_SIMPLE as c_int)? };
    Ok(0)
}

/// # Safety
/// `buffer` and `buffer_len` must point to writable storage.
#[cpython_api]
unsafe fn PyObject_AsReadBuffer(vm: &VirtualMachine, obj: *mut PyObject, buffer: *mut *const std::ffi::c_void, buffer_len: *mut Py_ssize_t) -> PyResult<c_int> {
    // SAFETY: forwarded from the caller.
    unsafe { old_buffer(vm, obj, buffer as *mut *mut std::ffi::c_void, buffer_len, crate::ffi::PyBUF_SIMPLE as c_int)? };
    Ok(0)
}

/// # Safety
/// `buffer` and `buffer_len` must point to writable storage.
#[cpython_api]
unsafe fn PyObject_AsWriteBuffer(vm: &VirtualMachine, obj: *mut PyObject, buffer: *mut *mut std::ffi::c_void, buffer_len: *mut Py_ssize_t) -> PyResult<c_int> {
    // SAFETY: forwarded from the caller.
    match unsafe { old_buffer(vm, obj, buffer, buffer_len, crate::ffi::PyBUF_WRITABLE as c_int) } {
        Ok(()) => Ok(0),
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.system_error) => Err(e),
        Err(_) => Err(vm.new_type_error("expected a writable bytes-like object".to_owned())),
    }
}

/// Whether a simple buffer can be had from the object.
#[cpython_api]
unsafe fn PyObject_CheckReadBuffer(obj: *mut PyObject) -> c_int {
    if obj.is_null() {
        return 0;
    }
    // SAFETY: a zeroed Py_buffer is a valid empty one.
    let mut view: crate::ffi::Py_buffer = unsafe { std::mem::zeroed() };
    // SAFETY: `obj` is a live object (C's argument) and `view` writable.
    if unsafe { super::pybuffer::PyObject_GetBuffer(obj, &mut view, crate::ffi::PyBUF_SIMPLE as c_int) } < 0 {
        crate::error_indicator::fetch();
        return 0;
    }
    // SAFETY: the view was filled just above.
    unsafe { super::pybuffer::PyBuffer_Release(&mut view) };
    1
}

// The mapping protocol (continued).

/// Whether `o[key]` works; any error is swallowed.
#[cpython_api]
fn PyMapping_HasKey(vm: &VirtualMachine, o: *mut PyObject, key: *mut PyObject) -> c_int {
    let found = || -> PyResult<bool> { Ok(to_host(vm, o)?.get_item(&*to_host(vm, key)?, vm).is_ok()) };
    found().unwrap_or(false) as c_int
}

#[cpython_api]
fn PyMapping_SetItemString(vm: &VirtualMachine, o: *mut PyObject, key: *const c_char, v: *mut PyObject) -> PyResult<c_int> {
    if key.is_null() {
        return Err(vm.new_system_error("null argument to internal routine".to_owned()));
    }
    let key: PyObjectRef = vm.ctx.new_str(c_str_arg(vm, key)?).into();
    let (o, value) = (to_host(vm, o)?, to_host(vm, v)?);
    o.set_item(&*key, value, vm)?;
    proxy::pin_to_host(vm, v);
    Ok(0)
}

// The sequence protocol (continued): each goes through the host's sequence
// slots, which follow CPython's order of attempts and messages.

#[cpython_api]
fn PySequence_Concat(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
    Ok(into_ref(vm, a.sequence_unchecked().concat(&b, vm)?))
}

#[cpython_api]
fn PySequence_Repeat(vm: &VirtualMachine, o: *mut PyObject, count: Py_ssize_t) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, o.sequence_unchecked().repeat(count, vm)?))
}

#[cpython_api]
fn PySequence_InPlaceConcat(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
    Ok(into_ref(vm, a.sequence_unchecked().inplace_concat(&b, vm)?))
}

#[cpython_api]
fn PySequence_InPlaceRepeat(vm: &VirtualMachine, o: *mut PyObject, count: Py_ssize_t) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, o.sequence_unchecked().inplace_repeat(count, vm)?))
}

/// `o[i1:i2]`.
#[cpython_api]
fn PySequence_GetSlice(vm: &VirtualMachine, o: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, o.sequence_unchecked().get_slice(i1, i2, vm)?))
}

/// A negative index counts from the end (when the object has a length).
fn sequence_index(vm: &VirtualMachine, o: &PyObjectRef, i: Py_ssize_t) -> PyResult<Py_ssize_t> {
    if i >= 0 {
        return Ok(i);
    }
    match o.sequence_unchecked().length_opt(vm) {
        Some(len) => Ok(i + len? as Py_ssize_t),
        None => Ok(i),
    }
}

/// `o[i] = v` (`v` NULL deletes).
#[cpython_api]
fn PySequence_SetItem(vm: &VirtualMachine, o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> PyResult<c_int> {
    let host = to_host(vm, o)?;
    let value = crate::proxy::opt_to_host(vm, v)?;
    if let Some(r) = crate::slots::python_calls_c::c_sequence_ass_item(vm, &host, i, value.clone()) {
        r?;
        if value.is_some() {
            proxy::pin_to_host(vm, v);
        }
        return Ok(0);
    }
    let seq = host.sequence_unchecked();
    let i = if seq.slots().ass_item.load().is_some() { sequence_index(vm, &host, i)? } else { i };
    match value {
        Some(value) => {
            seq.set_item(i, value, vm)?;
            proxy::pin_to_host(vm, v);
        }
        None => seq.del_item(i, vm)?,
    }
    super::listobject::refresh_after_host_change(vm, &host);
    Ok(0)
}

#[cpython_api]
fn PySequence_DelItem(vm: &VirtualMachine, o: *mut PyObject, i: Py_ssize_t) -> PyResult<c_int> {
    let host = to_host(vm, o)?;
    if let Some(r) = crate::slots::python_calls_c::c_sequence_ass_item(vm, &host, i, None) {
        r?;
        return Ok(0);
    }
    let seq = host.sequence_unchecked();
    let i = if seq.slots().ass_item.load().is_some() { sequence_index(vm, &host, i)? } else { i };
    seq.del_item(i, vm)?;
    super::listobject::refresh_after_host_change(vm, &host);
    Ok(0)
}

/// `o[i1:i2] = v` (`v` NULL deletes).
#[cpython_api]
fn PySequence_SetSlice(vm: &VirtualMachine, o: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t, v: *mut PyObject) -> PyResult<c_int> {
    let host = to_host(vm, o)?;
    match crate::proxy::opt_to_host(vm, v)? {
        Some(value) => host.sequence_unchecked().set_slice(i1, i2, value, vm)?,
        None => host.sequence_unchecked().del_slice(i1, i2, vm)?,
    }
    super::listobject::refresh_after_host_change(vm, &host);
    Ok(0)
}

#[cpython_api]
fn PySequence_DelSlice(vm: &VirtualMachine, o: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t) -> PyResult<c_int> {
    let host = to_host(vm, o)?;
    host.sequence_unchecked().del_slice(i1, i2, vm)?;
    super::listobject::refresh_after_host_change(vm, &host);
    Ok(0)
}

/// `list(o)`.
#[cpython_api]
fn PySequence_List(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    let items: Vec<PyObjectRef> = o.get_iter(vm)?.iter(vm)?.collect::<PyResult<_>>()?;
    Ok(into_ref(vm, vm.ctx.new_list(items).into()))
}

const PY_ITERSEARCH_COUNT: c_int = 1;
const PY_ITERSEARCH_INDEX: c_int = 2;
const PY_ITERSEARCH_CONTAINS: c_int = 3;

/// Iterates `seq` comparing each item with `obj`: the count of equal items,
/// the index of the first, or whether there is one.
fn iter_search(vm: &VirtualMachine, seq: &PyObjectRef, obj: &PyObjectRef, operation: c_int) -> PyResult<Py_ssize_t> {
    let iterator = seq.get_iter(vm).map_err(|e| {
        if e.fast_isinstance(vm.ctx.exceptions.type_error) {
            vm.new_type_error(format!("argument of type '{}' is not iterable", crate::types::tp_name(vm, seq.class())))
        } else {
            e
        }
    })?;
    let mut count: Py_ssize_t = 0;
    for (index, item) in iterator.iter::<PyObjectRef>(vm)?.enumerate() {
        if vm.bool_eq(&*item?, obj)? {
            match operation {
                PY_ITERSEARCH_COUNT => count += 1,
                PY_ITERSEARCH_INDEX => return Ok(index as Py_ssize_t),
                _ => return Ok(1),
            }
        }
    }
    match operation {
        PY_ITERSEARCH_COUNT => Ok(count),
        PY_ITERSEARCH_INDEX => Err(vm.new_value_error("sequence.index(x): x not in sequence".to_owned())),
        _ => Ok(0),
    }
}

#[cpython_api]
fn _PySequence_IterSearch(vm: &VirtualMachine, seq: *mut PyObject, obj: *mut PyObject, operation: c_int) -> PyResult<Py_ssize_t> {
    if !(PY_ITERSEARCH_COUNT..=PY_ITERSEARCH_CONTAINS).contains(&operation) {
        return Err(vm.new_system_error("unknown operation".to_owned()));
    }
    let (seq, obj) = (to_host(vm, seq)?, to_host(vm, obj)?);
    iter_search(vm, &seq, &obj, operation)
}

#[cpython_api]
fn PySequence_Count(vm: &VirtualMachine, o: *mut PyObject, value: *mut PyObject) -> PyResult<Py_ssize_t> {
    let (o, value) = (to_host(vm, o)?, to_host(vm, value)?);
    iter_search(vm, &o, &value, PY_ITERSEARCH_COUNT)
}

#[cpython_api]
fn PySequence_Index(vm: &VirtualMachine, o: *mut PyObject, value: *mut PyObject) -> PyResult<Py_ssize_t> {
    let (o, value) = (to_host(vm, o)?, to_host(vm, value)?);
    iter_search(vm, &o, &value, PY_ITERSEARCH_INDEX)
}

/// `ob in seq`: `__contains__`, else a search by iteration.
#[cpython_api]
fn PySequence_Contains(vm: &VirtualMachine, seq: *mut PyObject, ob: *mut PyObject) -> PyResult<c_int> {
    let (seq, ob) = (to_host(vm, seq)?, to_host(vm, ob)?);
    let sequence = seq.sequence_unchecked();
    if let Some(contains) = sequence.slots().contains.load() {
        return Ok(contains(sequence, &ob, vm)? as c_int);
    }
    Ok(iter_search(vm, &seq, &ob, PY_ITERSEARCH_CONTAINS)? as c_int)
}

/// A tuple of `o`'s items (`o` itself when it is a tuple), so that
/// PySequence_Fast_ITEMS is the tuple's own item array. `m` is the message
/// of the TypeError for an object that is not iterable.
#[cpython_api]
fn PySequence_Fast(vm: &VirtualMachine, o: *mut PyObject, m: *const c_char) -> PyResult<*mut PyObject> {
    if o.is_null() {
        return Err(vm.new_system_error("null argument to internal routine".to_owned()));
    }
    // An exact tuple or list is its own answer, as in CPython: C that keeps
    // it sees later changes to the list.
    // SAFETY: C passes a live object (I8); its type pointer is readable.
    let ob_type = unsafe { (*o).ob_type };
    if ob_type == &raw mut crate::types::PyTuple_Type || ob_type == &raw mut crate::types::PyList_Type {
        proxy::incref(o);
        return Ok(o);
    }
    let host = to_host(vm, o)?;
    let iterator = match host.get_iter(vm) {
        Ok(it) => it,
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.type_error) && !m.is_null() => {
            return Err(vm.new_type_error(c_str_arg(vm, m)?.to_owned()));
        }
        Err(e) => return Err(e),
    };
    let items: Vec<PyObjectRef> = iterator.iter(vm)?.collect::<PyResult<_>>()?;
    Ok(into_ref(vm, vm.ctx.new_tuple(items).into()))
}

/// `PySequence_Fast_ITEMS` of a list: its own `ob_item`, brought up to
/// date (see `listobject`).
#[cpython_api]
fn _PySequence_Fast_ListItems(vm: &VirtualMachine, list: *mut PyObject) -> PyResult<*mut *mut PyObject> {
    super::listobject::fast_items(vm, list)
}

/// `callable(*args[:nargs])`.
///
/// # Safety
/// `args` must hold `nargs` objects.
#[cpython_api]
unsafe fn _PyObject_FastCall(vm: &VirtualMachine, callable: *mut PyObject, args: *const *mut PyObject, nargs: Py_ssize_t) -> PyResult<*mut PyObject> {
    let callable = to_host(vm, callable)?;
    // SAFETY: the caller passes nargs arguments.
    let call_args = unsafe { vector_args(vm, args, nargs.max(0) as usize, std::ptr::null_mut())? };
    call_host(vm, &callable, call_args)
}

/// `_Py_Identifier` (abstract.h): a static method or key name.
#[repr(C)]
pub(crate) struct Identifier {
    string: *const c_char,
    index: Py_ssize_t,
}

/// The name a static identifier holds, as a str.
///
/// # Safety
/// `name` must be NULL or point to an identifier with a C string.
pub(crate) unsafe fn identifier_name(vm: &VirtualMachine, name: *mut Identifier) -> PyResult<PyObjectRef> {
    if name.is_null() {
        return Err(vm.new_system_error("null argument to internal routine".to_owned()));
    }
    // SAFETY: the caller passes a valid identifier.
    Ok(vm.ctx.new_str(c_str_arg(vm, unsafe { (*name).string })?).into())
}

/// # Safety
/// `name` must point to a static identifier.
#[cpython_api]
unsafe fn _PyObject_CallMethodIdNoArgs(vm: &VirtualMachine, obj: *mut PyObject, name: *mut Identifier) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    let name = unsafe { identifier_name(vm, name)? };
    let method = to_host(vm, obj)?.get_attr(&*name.downcast::<PyStr>().unwrap(), vm)?;
    call_host(vm, &method, FuncArgs::default())
}

/// # Safety
/// `name` must point to a static identifier.
#[cpython_api]
unsafe fn _PyObject_CallMethodIdOneArg(vm: &VirtualMachine, obj: *mut PyObject, name: *mut Identifier, arg: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    let name = unsafe { identifier_name(vm, name)? };
    let arg = to_host(vm, arg)?;
    let method = to_host(vm, obj)?.get_attr(&*name.downcast::<PyStr>().unwrap(), vm)?;
    call_host(vm, &method, FuncArgs::from(vec![arg]))
}

/// Whether the object's type has a length.
#[cpython_api]
fn _PyObject_HasLen(vm: &VirtualMachine, o: *mut PyObject) -> c_int {
    let Ok(o) = to_host(vm, o) else { return 0 };
    (o.sequence_unchecked().slots().length.load().is_some() || o.mapping_unchecked().slots().length.load().is_some()) as c_int
}

/// `o.__index__()`, which may be an instance of a subclass of int.
#[cpython_api]
fn _PyNumber_Index(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    if o.fast_isinstance(vm.ctx.types.int_type) {
        return Ok(into_ref(vm, o)); // an int (bool too) is its own index
    }
    Ok(into_ref(vm, o.try_index(vm)?.into()))
}

/// The exported form of the `PyVectorcall_NARGS` macro (the stable ABI's).
#[cpython_api(no_gil)]
fn PyVectorcall_NARGS(nargsf: usize) -> Py_ssize_t {
    (nargsf & !(1usize << (usize::BITS - 1))) as Py_ssize_t
}

/// The old name of `PySequence_Size`, exported for the stable ABI.
#[cpython_api]
unsafe fn PySequence_Length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: the same contract as PySequence_Size.
    unsafe { PySequence_Size(o) }
}

/// The old name of `PySequence_Contains`, exported for the stable ABI.
#[cpython_api]
unsafe fn PySequence_In(seq: *mut PyObject, ob: *mut PyObject) -> c_int {
    // SAFETY: the same contract as PySequence_Contains.
    unsafe { PySequence_Contains(seq, ob) }
}

// CPython's private call and sequence helpers (cpython/abstract.h).

/// `args[0].<identifier>(*args[1:], **keywords)`.
///
/// # Safety
/// `name` is a static identifier; `args` holds `nargs` arguments, then one
/// value per name in `kwnames`.
#[cpython_api]
unsafe fn _PyObject_VectorcallMethodId(vm: &VirtualMachine, name: *mut Identifier, args: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller (`name`, `args` and `kwnames`).
    unsafe {
        let name = || Ok(identifier_name(vm, name)?.downcast::<PyStr>().expect("identifier_name makes a str"));
        vectorcall_method(vm, name, args, nargsf, kwnames)
    }
}

/// A call through the callable's type (its tp_call), with the arguments as
/// a vector: `keywords` is a tuple of names whose values follow the
/// positional ones, or a dict, or NULL.
///
/// # Safety
/// `args` holds `nargs` arguments (then the keyword values if `keywords`
/// is a tuple of names).
#[cpython_api]
unsafe fn _PyObject_MakeTpCall(vm: &VirtualMachine, _tstate: *mut std::ffi::c_void, callable: *mut PyObject, args: *const *mut PyObject, nargs: Py_ssize_t, keywords: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable_obj = to_host(vm, callable)?;
    if !callable_obj.is_callable() {
        return Err(vm.new_type_error(format!("'{}' object is not callable", crate::types::tp_name(vm, callable_obj.class()))));
    }
    let nargs = nargs.max(0) as usize;
    let keywords_obj = crate::proxy::opt_to_host(vm, keywords)?;
    if keywords_obj.as_ref().is_some_and(|k| k.downcast_ref::<PyDict>().is_some()) {
        // SAFETY: forwarded from the caller.
        return unsafe { call_with_kwdict(vm, &callable_obj, args, nargs, keywords_obj) };
    }
    // SAFETY: forwarded from the caller.
    let call_args = unsafe { vector_args(vm, args, nargs, keywords)? };
    call_host(vm, &callable_obj, call_args)
}

/// The check the interpreter makes of what a callable returned: NULL must
/// come with an exception and a result without one; either mistake
/// becomes a SystemError naming the callable (or `where_` without one).
///
/// # Safety
/// `where_` is NULL or a C string; `result` is NULL or a new reference,
/// which is given up on a mistake.
#[cpython_api]
unsafe fn _Py_CheckFunctionResult(vm: &VirtualMachine, _tstate: *mut std::ffi::c_void, callable: *mut PyObject, result: *mut PyObject, where_: *const c_char) -> PyResult<*mut PyObject> {
    // The callable names the culprit; `where_` only when there is none.
    crate::boundary::check_returned(vm, result, || {
        if callable.is_null() { Ok(c_str_arg(vm, where_)?.to_owned()) } else { Ok(to_host(vm, callable)?.repr(vm)?.to_string()) }
    })
}

/// isinstance without `__instancecheck__`: the type, or else the object's
/// `__class__`, derives from `cls` (walking `__bases__` for a class-like
/// `cls` that is not a type).
#[cpython_api]
fn _PyObject_RealIsInstance(vm: &VirtualMachine, inst: *mut PyObject, cls: *mut PyObject) -> PyResult<c_int> {
    let (inst, cls) = (to_host(vm, inst)?, to_host(vm, cls)?);
    let claimed_class = || -> PyResult<Option<PyObjectRef>> { vm.get_attribute_opt(&inst, "__class__") };
    if let Some(cls_type) = cls.downcast_ref::<rustpython_vm::builtins::PyType>() {
        if inst.class().fast_issubclass(cls_type) {
            return Ok(1);
        }
        let claimed = claimed_class()?;
        let derives = claimed
            .as_ref()
            .and_then(|c| c.downcast_ref::<rustpython_vm::builtins::PyType>())
            .is_some_and(|c| !c.is(inst.class()) && c.fast_issubclass(cls_type));
        return Ok(derives as c_int);
    }
    if vm.get_attribute_opt(&cls, "__bases__")?.is_none_or(|b| b.downcast_ref::<PyTuple>().is_none()) {
        return Err(vm.new_type_error("isinstance() arg 2 must be a type, a tuple of types, or a union".to_owned()));
    }
    match claimed_class()? {
        Some(claimed) => Ok(derives_through_bases(vm, &claimed, &cls)? as c_int),
        None => Ok(0),
    }
}

/// Whether `derived` is `cls` or reaches it through `__bases__`.
fn derives_through_bases(vm: &VirtualMachine, derived: &PyObjectRef, cls: &PyObjectRef) -> PyResult<bool> {
    if derived.is(cls) {
        return Ok(true);
    }
    let Some(bases) = vm.get_attribute_opt(derived, "__bases__")? else { return Ok(false) };
    let Some(bases) = bases.downcast_ref::<PyTuple>() else { return Ok(false) };
    for base in bases.iter() {
        if vm.with_recursion(" in __subclasscheck__", || derives_through_bases(vm, base, cls))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// issubclass without `__subclasscheck__`.
#[cpython_api]
fn _PyObject_RealIsSubclass(vm: &VirtualMachine, derived: *mut PyObject, cls: *mut PyObject) -> PyResult<c_int> {
    let (derived, cls) = (to_host(vm, derived)?, to_host(vm, cls)?);
    Ok(derived.real_is_subclass(&cls, vm)? as c_int)
}

/// A NULL-terminated array of C copies of the bytes objects in a sequence
/// (an exec argv), to be freed with `_Py_FreeCharPArray`.
#[cpython_api]
fn _PySequence_BytesToCharpArray(vm: &VirtualMachine, seq: *mut PyObject) -> PyResult<*mut *mut c_char> {
    let seq = to_host(vm, seq)?;
    let length = seq.length(vm)?;
    let items = (0..length).map(|i| seq.get_item(&i, vm)).collect::<PyResult<Vec<PyObjectRef>>>()?;
    let mut copies = Vec::with_capacity(items.len() + 1);
    let free_all = |copies: &Vec<*mut c_char>| {
        for c in copies {
            // SAFETY: each copy came from malloc below.
            unsafe { libc::free(*c as *mut std::ffi::c_void) };
        }
    };
    for item in &items {
        let Some(bytes) = item.downcast_ref::<rustpython_vm::builtins::PyBytes>() else {
            free_all(&copies);
            return Err(vm.new_type_error(format!("expected bytes, {} found", crate::types::tp_name(vm, item.class()))));
        };
        let data = bytes.as_bytes();
        if data.contains(&0) {
            free_all(&copies);
            return Err(vm.new_value_error("embedded null byte".to_owned()));
        }
        // SAFETY: a fresh block of data.len() + 1 bytes, filled and terminated.
        let copy = unsafe {
            let copy = libc::malloc(data.len() + 1) as *mut c_char;
            if copy.is_null() {
                free_all(&copies);
                return Err(crate::error_indicator::no_memory(vm));
            }
            std::ptr::copy_nonoverlapping(data.as_ptr() as *const c_char, copy, data.len());
            *copy.add(data.len()) = 0;
            copy
        };
        copies.push(copy);
    }
    copies.push(std::ptr::null_mut());
    // SAFETY: a block for the pointers, as many as copies holds.
    let array = unsafe { libc::malloc(copies.len() * std::mem::size_of::<*mut c_char>()) as *mut *mut c_char };
    if array.is_null() {
        free_all(&copies);
        return Err(crate::error_indicator::no_memory(vm));
    }
    // SAFETY: the block holds copies.len() pointers.
    unsafe { std::ptr::copy_nonoverlapping(copies.as_ptr(), array, copies.len()) };
    Ok(array)
}

/// Frees an array from `_PySequence_BytesToCharpArray`.
///
/// # Safety
/// `array` is NULL or such an array, not freed before.
#[cpython_api(no_gil)]
unsafe fn _Py_FreeCharPArray(array: *const *mut c_char) {
    if array.is_null() {
        return;
    }
    let mut at = 0;
    // SAFETY: the caller's contract: NULL-terminated, every entry malloc'ed.
    unsafe {
        while !(*array.add(at)).is_null() {
            libc::free(*array.add(at) as *mut std::ffi::c_void);
            at += 1;
        }
        libc::free(array as *mut std::ffi::c_void);
    }
}

/// Steps an nd-index to the next element: `fastest_last` for C order (the
/// last index varies fastest), else Fortran order. Past the end it wraps
/// to all zeros.
///
/// # Safety
/// `index` and `shape` hold `nd` entries.
unsafe fn add_one_to_index(nd: c_int, index: *mut Py_ssize_t, shape: *const Py_ssize_t, fastest_last: bool) {
    let nd = nd.max(0) as usize;
    for step in 0..nd {
        let k = if fastest_last { nd - 1 - step } else { step };
        // SAFETY: k < nd, within both arrays (the caller's contract).
        unsafe {
            if *index.add(k) < *shape.add(k) - 1 {
                *index.add(k) += 1;
                return;
            }
            *index.add(k) = 0;
        }
    }
}

/// # Safety
/// `index` and `shape` hold `nd` entries.
#[cpython_api(no_gil)]
unsafe fn _Py_add_one_to_index_C(nd: c_int, index: *mut Py_ssize_t, shape: *const Py_ssize_t) {
    // SAFETY: forwarded from the caller.
    unsafe { add_one_to_index(nd, index, shape, true) }
}

/// # Safety
/// `index` and `shape` hold `nd` entries.
#[cpython_api(no_gil)]
unsafe fn _Py_add_one_to_index_F(nd: c_int, index: *mut Py_ssize_t, shape: *const Py_ssize_t) {
    // SAFETY: forwarded from the caller.
    unsafe { add_one_to_index(nd, index, shape, false) }
}
