//! structmember.h: the descriptors a C type's `tp_members` asks for. They
//! read and write the instance's C struct at the member's offset, with
//! CPython 3.11's conversions, range warnings and errors.
use crate::boundary::{self, CFunction};
use cpyext_macros::cpython_api;
use crate::ffi::{self, PyObject};
use crate::methods::{self, c_str};
use crate::{ctype, error_indicator, proxy};
use rustpython_vm::builtins::{PyStr, PyType};
use rustpython_vm::function::PySetterValue;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_double, c_float, c_int, c_long, c_longlong, c_short, c_uchar, c_uint, c_ulong, c_ulonglong, c_ushort};

#[derive(Clone, Copy)]
struct Member {
    name: &'static str,
    kind: u32,
    offset: usize,
    readonly: bool,
}

pub(crate) fn member_descriptor(vm: &VirtualMachine, def: *const ffi::PyMemberDef, class: &'static Py<PyType>) -> PyResult<PyObjectRef> {
    let def = unsafe { &*def };
    let name = unsafe { c_str(def.name) }.unwrap_or("?");
    let member = Member {
        name: methods::leak_str(name.to_owned()),
        kind: def.type_ as u32,
        offset: def.offset as usize,
        readonly: def.flags as u32 & ffi::READONLY != 0,
    };
    // A fatal error while a member is read or written names it with its type.
    let culprit = CFunction::Named(methods::leak_str(format!("{}.{name}", crate::ctype::tp_name(vm, class))));
    let getter = move |obj: PyObjectRef, vm: &VirtualMachine| -> PyResult {
        if matches!(member.kind, ffi::T_OBJECT | ffi::T_OBJECT_EX) {
            with_struct(vm, &obj, culprit, |base| get(vm, &obj, base, member))
        } else {
            read_struct(vm, &obj, culprit, |base| get(vm, &obj, base, member))
        }
    };
    let setter = move |obj: PyObjectRef, value: PySetterValue, vm: &VirtualMachine| -> PyResult<()> {
        if member.readonly {
            return Err(vm.new_attribute_error("readonly attribute".to_owned()));
        }
        let value = match value {
            PySetterValue::Assign(v) => Some(v),
            PySetterValue::Delete => None,
        };
        with_struct(vm, &obj, culprit, |base| set(vm, base, member, value))
    };
    let descriptor: PyObjectRef = ctype::documented_getset!(vm, name, class, unsafe { c_str(def.doc) }, getter, setter);
    // A member is a getset descriptor here: C that documents it later
    // writes the doc into this definition, made for it and kept for ever.
    let getset_def = Box::leak(Box::new(ffi::PyGetSetDef {
        name: def.name,
        get: None,
        set: None,
        doc: def.doc,
        closure: std::ptr::null_mut(),
    }));
    crate::api::methodobject::remember_getset_def(&descriptor, getset_def);
    Ok(descriptor)
}

/// Runs `f` on the instance's struct address, under the GIL.
fn with_struct<R>(vm: &VirtualMachine, obj: &PyObjectRef, culprit: CFunction, f: impl FnOnce(*mut u8) -> PyResult<R>) -> PyResult<R> {
    let object = struct_of(vm, obj)?;
    // No C function runs, but the struct is read under the GIL, in a frame,
    // and a fault found meanwhile names the member.
    boundary::call_into_c(vm, culprit, || f(object as *mut u8))
}

/// `with_struct` for a read that hands no proxy out (a number, a C
/// string): under the GIL, naming the member, without a call frame.
fn read_struct<R>(vm: &VirtualMachine, obj: &PyObjectRef, culprit: CFunction, f: impl FnOnce(*mut u8) -> PyResult<R>) -> PyResult<R> {
    let object = struct_of(vm, obj)?;
    boundary::read_from_c(vm, culprit, || f(object as *mut u8))
}

/// The struct of `obj`, an instance of a C type (or a class of a C metaclass).
fn struct_of(vm: &VirtualMachine, obj: &PyObjectRef) -> PyResult<*mut PyObject> {
    ctype::instance_object(obj.as_object()).or_else(|| {
        // A class of a C metaclass that C has not seen yet (its own
        // __init_subclass__ runs inside type.__new__): its struct is its
        // type object, made now.
        let cls = obj.downcast_ref::<rustpython_vm::builtins::PyType>()?;
        ctype::c_type_of(cls.class())?;
        Some(crate::types::type_proxy(vm, cls) as *mut crate::ffi::PyObject)
    }).ok_or_else(|| {
        vm.new_type_error(format!("descriptor needs an instance of a C type, not '{}'", crate::types::tp_name(vm, obj.class())))
    })
}

fn get(vm: &VirtualMachine, obj: &PyObjectRef, base: *mut u8, m: Member) -> PyResult {
    unsafe {
        let at = base.add(m.offset);
        let int = |v: i128| -> PyResult { Ok(vm.ctx.new_int(v).into()) };
        match m.kind {
            ffi::T_SHORT => int(*(at as *const c_short) as i128),
            ffi::T_INT => int(*(at as *const c_int) as i128),
            ffi::T_LONG => int(*(at as *const c_long) as i128),
            ffi::T_FLOAT => Ok(vm.ctx.new_float(*(at as *const c_float) as f64).into()),
            ffi::T_DOUBLE => Ok(vm.ctx.new_float(*(at as *const c_double)).into()),
            ffi::T_STRING => match c_str(*(at as *const *const c_char)) {
                Some(s) => Ok(vm.ctx.new_str(s).into()),
                None => Ok(vm.ctx.none()),
            },
            ffi::T_STRING_INPLACE => Ok(vm.ctx.new_str(c_str(at as *const c_char).unwrap_or("")).into()),
            ffi::T_OBJECT | ffi::T_OBJECT_EX => {
                let p = *(at as *const *mut PyObject);
                if p.is_null() {
                    if m.kind == ffi::T_OBJECT_EX {
                        return Err(missing_attribute(vm, obj, m));
                    }
                    return Ok(vm.ctx.none());
                }
                proxy::to_host(vm, p)
            }
            ffi::T_CHAR => {
                let c = *(at as *const c_uchar);
                Ok(vm.ctx.new_str(char::from(c).to_string()).into())
            }
            ffi::T_BYTE => int(*(at as *const i8) as i128),
            ffi::T_UBYTE => int(*(at as *const c_uchar) as i128),
            ffi::T_UINT => int(*(at as *const c_uint) as i128),
            ffi::T_USHORT => int(*(at as *const c_ushort) as i128),
            ffi::T_ULONG => int(*(at as *const c_ulong) as i128),
            ffi::T_BOOL => Ok(vm.ctx.new_bool(*(at as *const c_char) != 0).into()),
            ffi::T_LONGLONG => int(*(at as *const c_longlong) as i128),
            ffi::T_ULONGLONG => int(*(at as *const c_ulonglong) as i128),
            ffi::T_PYSSIZET => int(*(at as *const isize) as i128),
            ffi::T_NONE => Ok(vm.ctx.none()),
            _ => Err(vm.new_system_error(format!("bad memberdescr type for {}", m.name))),
        }
    }
}

fn missing_attribute(vm: &VirtualMachine, obj: &PyObjectRef, m: Member) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_attribute_error(format!("'{}' object has no attribute '{}'", ctype::tp_name(vm, obj.class()), m.name))
}

/// The error that an `As*` conversion left pending, if it failed.
fn converted<T: PartialEq + From<i8>>(vm: &VirtualMachine, value: T) -> PyResult<T> {
    if value == T::from(-1) {
        if let Some(e) = error_indicator::take_exception(vm) {
            return Err(e);
        }
    }
    Ok(value)
}

fn warn(vm: &VirtualMachine, message: &str) -> PyResult<()> {
    let warn = crate::types::import_for_layer(vm, "warnings")?.get_attr("warn", vm)?;
    warn.call((vm.ctx.new_str(message), vm.ctx.exceptions.runtime_warning.to_owned()), vm)?;
    Ok(())
}

fn set(vm: &VirtualMachine, base: *mut u8, m: Member, value: Option<PyObjectRef>) -> PyResult<()> {
    unsafe {
        let at = base.add(m.offset);
        let Some(value) = value else {
            return match m.kind {
                ffi::T_OBJECT => {
                    let old = std::mem::replace(&mut *(at as *mut *mut PyObject), std::ptr::null_mut());
                    proxy::xdecref(old);
                    Ok(())
                }
                ffi::T_OBJECT_EX => {
                    let old = std::mem::replace(&mut *(at as *mut *mut PyObject), std::ptr::null_mut());
                    if old.is_null() {
                        return Err(vm.new_attribute_error(m.name.to_owned()));
                    }
                    proxy::decref(old);
                    Ok(())
                }
                _ => Err(vm.new_type_error("can't delete numeric/char attribute".to_owned())),
            };
        };
        let p = proxy::new_ref(vm, &value);
        let _release = proxy::ReleaseOnDrop(p);
        // CPython reads most integer members through PyLong_AsLong and warns
        // (RuntimeWarning) when the value does not fit the field.
        let as_long = || converted(vm, crate::api::longobject::PyLong_AsLong(p));
        match m.kind {
            ffi::T_BOOL => {
                if value.class().is(vm.ctx.types.bool_type) {
                    *(at as *mut c_char) = value.clone().is_true(vm)? as c_char;
                } else {
                    return Err(vm.new_type_error("attribute value type must be bool".to_owned()));
                }
            }
            ffi::T_BYTE => {
                let v = as_long()?;
                *(at as *mut i8) = v as i8;
                if v > i8::MAX as c_long || v < i8::MIN as c_long {
                    warn(vm, "Truncation of value to char")?;
                }
            }
            ffi::T_UBYTE => {
                let v = as_long()?;
                *(at as *mut c_uchar) = v as c_uchar;
                if !(0..=c_uchar::MAX as c_long).contains(&v) {
                    warn(vm, "Truncation of value to unsigned char")?;
                }
            }
            ffi::T_SHORT => {
                let v = as_long()?;
                *(at as *mut c_short) = v as c_short;
                if v > c_short::MAX as c_long || v < c_short::MIN as c_long {
                    warn(vm, "Truncation of value to short")?;
                }
            }
            ffi::T_USHORT => {
                let v = as_long()?;
                *(at as *mut c_ushort) = v as c_ushort;
                if !(0..=c_ushort::MAX as c_long).contains(&v) {
                    warn(vm, "Truncation of value to unsigned short")?;
                }
            }
            ffi::T_INT => {
                let v = as_long()?;
                *(at as *mut c_int) = v as c_int;
                if v > c_int::MAX as c_long || v < c_int::MIN as c_long {
                    warn(vm, "Truncation of value to int")?;
                }
            }
            ffi::T_UINT => {
                let v = unsigned_or_negative(vm, p)?;
                *(at as *mut c_uint) = v as c_uint;
                if v > c_uint::MAX as c_ulong {
                    warn(vm, "Truncation of value to unsigned int")?;
                }
            }
            ffi::T_LONG => *(at as *mut c_long) = as_long()?,
            ffi::T_ULONG => *(at as *mut c_ulong) = unsigned_or_negative(vm, p)?,
            ffi::T_PYSSIZET => *(at as *mut isize) = converted(vm, crate::api::longobject::PyLong_AsSsize_t(p))?,
            ffi::T_FLOAT => *(at as *mut c_float) = float_value(vm, p)? as c_float,
            ffi::T_DOUBLE => *(at as *mut c_double) = float_value(vm, p)?,
            ffi::T_OBJECT | ffi::T_OBJECT_EX => {
                proxy::incref(p);
                let old = std::mem::replace(&mut *(at as *mut *mut PyObject), p);
                proxy::xdecref(old);
            }
            ffi::T_CHAR => match value.downcast_ref::<PyStr>().and_then(|s| s.to_str()) {
                Some(s) if s.len() == 1 => *(at as *mut c_char) = s.as_bytes()[0] as c_char,
                _ => return Err(vm.new_type_error("bad argument type for built-in operation".to_owned())),
            },
            ffi::T_STRING | ffi::T_STRING_INPLACE => return Err(vm.new_type_error("readonly attribute".to_owned())),
            ffi::T_LONGLONG => *(at as *mut c_longlong) = converted(vm, crate::api::longobject::PyLong_AsLongLong(p))?,
            ffi::T_ULONGLONG => {
                let v = if value.downcast_ref::<rustpython_vm::builtins::PyInt>().is_some() {
                    crate::api::longobject::PyLong_AsUnsignedLongLong(p)
                } else {
                    crate::api::longobject::PyLong_AsLong(p) as c_ulonglong
                };
                if v == c_ulonglong::MAX {
                    if let Some(e) = error_indicator::take_exception(vm) {
                        return Err(e);
                    }
                }
                *(at as *mut c_ulonglong) = v;
            }
            _ => return Err(vm.new_system_error(format!("bad memberdescr type for {}", m.name))),
        }
    }
    Ok(())
}

/// An unsigned field takes a negative value too, with a warning, as in CPython.
fn unsigned_or_negative(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<c_ulong> {
    let v = unsafe { crate::api::longobject::PyLong_AsUnsignedLong(p) };
    if v == c_ulong::MAX && error_indicator::occurred() {
        error_indicator::set(None);
        let signed = converted(vm, unsafe { crate::api::longobject::PyLong_AsLong(p) })?;
        warn(vm, "Writing negative value into unsigned field")?;
        return Ok(signed as c_ulong);
    }
    Ok(v)
}

fn float_value(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<f64> {
    let v = unsafe { crate::api::floatobject::PyFloat_AsDouble(p) };
    if v == -1.0 {
        if let Some(e) = error_indicator::take_exception(vm) {
            return Err(e);
        }
    }
    Ok(v)
}


fn member_of(def: &ffi::PyMemberDef) -> Member {
    // SAFETY: a PyMemberDef's name is a C string (or NULL).
    let name = unsafe { c_str(def.name) }.unwrap_or("?");
    Member {
        name: methods::leak_str(name.to_owned()),
        kind: def.type_ as u32,
        offset: def.offset as usize,
        readonly: def.flags as u32 & ffi::READONLY != 0,
    }
}

/// The object whose struct starts at `address`, for error messages (None
/// if the address is not an object the layer knows).
fn object_at(vm: &VirtualMachine, address: *mut u8) -> PyObjectRef {
    // SAFETY: the GIL is held and no other view of this header is live.
    unsafe { proxy::header_mut(address as *mut PyObject) }.and_then(|h| h.host()).unwrap_or_else(|| vm.ctx.none())
}

/// Reads member `m` of the struct at `obj_addr`, as its descriptor does.
///
/// # Safety
/// `obj_addr` must point to a struct with the member `m` describes.
#[cpython_api]
unsafe fn PyMember_GetOne(vm: &VirtualMachine, obj_addr: *const c_char, m: *mut ffi::PyMemberDef) -> PyResult<*mut PyObject> {
    // SAFETY: the caller passes a valid member definition.
    let member = member_of(unsafe { &*m });
    let base = obj_addr as *mut u8;
    let value = get(vm, &object_at(vm, base), base, member)?;
    Ok(proxy::into_ref(vm, value))
}

/// Writes member `m` of the struct at `obj_addr` (NULL deletes it).
///
/// # Safety
/// `obj_addr` must point to a struct with the member `m` describes.
#[cpython_api]
unsafe fn PyMember_SetOne(vm: &VirtualMachine, obj_addr: *mut c_char, m: *mut ffi::PyMemberDef, value: *mut PyObject) -> PyResult<c_int> {
    // SAFETY: the caller passes a valid member definition.
    let member = member_of(unsafe { &*m });
    if member.readonly {
        return Err(vm.new_attribute_error("readonly attribute".to_owned()));
    }
    let value = proxy::opt_to_host(vm, value)?;
    set(vm, obj_addr as *mut u8, member, value)?;
    Ok(0)
}
