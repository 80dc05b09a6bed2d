//! datetime.h: the datetime C API, as the capsule `datetime.datetime_CAPI`.
//!
//! The host's `datetime` module takes its classes from the native
//! `_datetime` (`from _datetime import *`), as CPython's does. We replace
//! that built-in module by a copy whose exec runs the host's and then adds
//! `datetime_CAPI`, a capsule holding our `PyDateTime_CAPI` table; the star
//! import copies it into `datetime`, where `PyDateTime_IMPORT` finds it.
//!
//! Date and time objects are plain proxies whose struct holds CPython's
//! fields (`data[]`, `hastzinfo`, `tzinfo`, `fold`, a timedelta's `days`...),
//! filled when the proxy is made (the objects are immutable), for C that
//! reads them directly. The header's accessor macros call
//! `_PyDateTime_GetField` and `_PyDateTime_GetTZInfo` instead, which also
//! serve C subclasses whose struct C filled itself. Both read through the
//! descriptors of the datetime classes themselves, so a subclass that
//! overrides `year` (say) still gives the stored value, as CPython's struct
//! reads do.
//!
//! The constructors of the table check their arguments with CPython 3.11's
//! own messages (the host's `_datetime` words them as later versions do),
//! then call the classes' `__new__` for the requested type: like CPython's
//! `tp_alloc` path, a subclass's own `__new__` and `__init__` do not run.
use super::bad_internal_call;
use crate::borrow::{CallFrame, borrowed};
use crate::boundary::enter_api;
use crate::ffi::{PyObject, PyTypeObject, Py_ssize_t};
/// The exec slot of a native module definition.
type ModuleExec = fn(&VirtualMachine, &Py<PyModule>) -> PyResult<()>;
use crate::proxy::{into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyModule, PyModuleDef, PyModuleSlots, PyType, PyTypeRef};
use rustpython_vm::function::{FuncArgs, KwArgs};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{CStr, c_char, c_int};
use std::sync::OnceLock;

/// `PyDateTime_CAPI`, field for field in CPython's order.
#[repr(C)]
struct DateTimeCapi {
    date_type: *mut PyTypeObject,
    datetime_type: *mut PyTypeObject,
    time_type: *mut PyTypeObject,
    delta_type: *mut PyTypeObject,
    tzinfo_type: *mut PyTypeObject,
    timezone_utc: *mut PyObject,
    date_from_date: unsafe extern "C" fn(c_int, c_int, c_int, *mut PyTypeObject) -> *mut PyObject,
    datetime_from_date_and_time: unsafe extern "C" fn(
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        *mut PyObject,
        *mut PyTypeObject,
    ) -> *mut PyObject,
    time_from_time: unsafe extern "C" fn(c_int, c_int, c_int, c_int, *mut PyObject, *mut PyTypeObject) -> *mut PyObject,
    delta_from_delta: unsafe extern "C" fn(c_int, c_int, c_int, c_int, *mut PyTypeObject) -> *mut PyObject,
    timezone_from_timezone: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject,
    datetime_from_timestamp: unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject,
    date_from_timestamp: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject,
    datetime_from_date_and_time_and_fold: unsafe extern "C" fn(
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        c_int,
        *mut PyObject,
        c_int,
        *mut PyTypeObject,
    ) -> *mut PyObject,
    time_from_time_and_fold:
        unsafe extern "C" fn(c_int, c_int, c_int, c_int, *mut PyObject, c_int, *mut PyTypeObject) -> *mut PyObject,
}

/// The table the capsule points at. The type and UTC pointers are filled
/// when `_datetime` is first executed; C only reads it after that.
static mut CAPI: DateTimeCapi = DateTimeCapi {
    date_type: std::ptr::null_mut(),
    datetime_type: std::ptr::null_mut(),
    time_type: std::ptr::null_mut(),
    delta_type: std::ptr::null_mut(),
    tzinfo_type: std::ptr::null_mut(),
    timezone_utc: std::ptr::null_mut(),
    date_from_date,
    datetime_from_date_and_time,
    time_from_time,
    delta_from_delta,
    timezone_from_timezone,
    datetime_from_timestamp,
    date_from_timestamp,
    datetime_from_date_and_time_and_fold,
    time_from_time_and_fold,
};

const CAPSULE_NAME: &CStr = c"datetime.datetime_CAPI";

/// CPython's `tp_basicsize` of date, datetime, time, timedelta and tzinfo
/// (the sizes of the header's structs). Cython compares the size of the
/// struct it was compiled with against the type's when it imports the
/// type, and refuses a smaller type.
const BASIC_SIZES: [Py_ssize_t; 5] = [32, 48, 40, 40, 16];

/// The host's datetime classes, and the descriptors the accessors read.
struct Classes {
    date: PyTypeRef,
    datetime: PyTypeRef,
    time: PyTypeRef,
    delta: PyTypeRef,
    tzinfo: PyTypeRef,
    timezone: PyTypeRef,
    /// Indexed by the header's `_PyDateTime_FIELD_*` numbers.
    fields: Vec<PyObjectRef>,
    datetime_tzinfo: PyObjectRef,
    time_tzinfo: PyObjectRef,
}

static CLASSES: OnceLock<Classes> = OnceLock::new();

/// (class, attribute) of each `_PyDateTime_FIELD_*` number, in order.
const FIELDS: [(Kind, &str); 16] = [
    (Kind::Date, "year"),
    (Kind::Date, "month"),
    (Kind::Date, "day"),
    (Kind::DateTime, "hour"),
    (Kind::DateTime, "minute"),
    (Kind::DateTime, "second"),
    (Kind::DateTime, "microsecond"),
    (Kind::DateTime, "fold"),
    (Kind::Time, "hour"),
    (Kind::Time, "minute"),
    (Kind::Time, "second"),
    (Kind::Time, "microsecond"),
    (Kind::Time, "fold"),
    (Kind::Delta, "days"),
    (Kind::Delta, "seconds"),
    (Kind::Delta, "microseconds"),
];

#[derive(Clone, Copy)]
enum Kind {
    Date,
    DateTime,
    Time,
    Delta,
}

fn class_attr(vm: &VirtualMachine, module: &PyObjectRef, name: &'static str) -> PyResult<PyTypeRef> {
    module
        .get_attr(name, vm)?
        .downcast::<PyType>()
        .map_err(|_| vm.new_system_error(format!("_datetime.{name} is not a type")))
}

fn descriptor(vm: &VirtualMachine, cls: &Py<PyType>, name: &'static str) -> PyResult<PyObjectRef> {
    cls.get_attr(vm.ctx.intern_str(name))
        .ok_or_else(|| vm.new_system_error(format!("{}.{name} is missing", cls.name())))
}

fn load_classes(vm: &VirtualMachine, module: &PyObjectRef) -> PyResult<Classes> {
    let date = class_attr(vm, module, "date")?;
    let datetime = class_attr(vm, module, "datetime")?;
    let time = class_attr(vm, module, "time")?;
    let delta = class_attr(vm, module, "timedelta")?;
    let fields = FIELDS
        .iter()
        .map(|(kind, name)| {
            let cls = match kind {
                Kind::Date => &date,
                Kind::DateTime => &datetime,
                Kind::Time => &time,
                Kind::Delta => &delta,
            };
            descriptor(vm, cls, name)
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(Classes {
        datetime_tzinfo: descriptor(vm, &datetime, "tzinfo")?,
        time_tzinfo: descriptor(vm, &time, "tzinfo")?,
        tzinfo: class_attr(vm, module, "tzinfo")?,
        timezone: class_attr(vm, module, "timezone")?,
        date,
        datetime,
        time,
        delta,
        fields,
    })
}

/// The classes, importing `_datetime` first if no one has yet.
fn classes(vm: &VirtualMachine) -> PyResult<&'static Classes> {
    if let Some(c) = CLASSES.get() {
        return Ok(c);
    }
    crate::types::import_for_layer(vm, "_datetime")?;
    CLASSES.get().ok_or_else(|| vm.new_import_error("the datetime C API is not available", vm.ctx.new_str("_datetime")))
}

// ---------------------------------------------------------------------------
// The `_datetime` module with its capsule.

static HOST_EXEC: OnceLock<ModuleExec> = OnceLock::new();

/// Registers our copy of the host's `_datetime` (whose exec adds the capsule).
pub(crate) fn install(builder: rustpython::InterpreterBuilder) -> rustpython::InterpreterBuilder {
    let defs = rustpython_stdlib::stdlib_module_defs(&builder.ctx);
    let Some(host) = defs.into_iter().find(|d| d.name.as_str() == "_datetime") else {
        return builder;
    };
    let Some(host_exec) = host.slots.exec else {
        return builder;
    };
    let _ = HOST_EXEC.set(host_exec);
    let ours: &'static PyModuleDef = Box::leak(Box::new(PyModuleDef {
        name: host.name,
        doc: host.doc,
        methods: host.methods,
        slots: PyModuleSlots { create: host.slots.create, exec: Some(exec_datetime) },
    }));
    builder.add_native_module(ours)
}

fn exec_datetime(vm: &VirtualMachine, module: &Py<PyModule>) -> PyResult<()> {
    (HOST_EXEC.get().expect("installed with the module"))(vm, module)?;
    // The capsule and the type objects are C-side objects: the C API must be
    // set up, as before the first extension is loaded.
    crate::startup::init(vm);
    let _gil = crate::gil::GilGuard::acquire(vm);
    let _frame = CallFrame::enter();
    let module_obj: PyObjectRef = module.to_owned().into();
    let classes = match CLASSES.get() {
        Some(c) => c,
        None => {
            let loaded = load_classes(vm, &module_obj)?;
            CLASSES.get_or_init(|| loaded)
        }
    };
    fill_table(vm, classes);
    // SAFETY: the table is a static, and the name a static C string.
    let capsule = unsafe { crate::api::pycapsule::PyCapsule_New((&raw mut CAPI).cast(), CAPSULE_NAME.as_ptr(), None) };
    if capsule.is_null() {
        return Err(crate::error_indicator::take_exception(vm)
            .unwrap_or_else(|| vm.new_system_error("cannot create the datetime C API capsule")));
    }
    let host_capsule = to_host(vm, capsule);
    crate::proxy::decref(capsule);
    module_obj.set_attr("datetime_CAPI", host_capsule?, vm)
}

/// Points the table at the type objects C sees for the host classes, and
/// gives them CPython's sizes (see `BASIC_SIZES`).
fn fill_table(vm: &VirtualMachine, classes: &Classes) {
    let types = [&classes.date, &classes.datetime, &classes.time, &classes.delta, &classes.tzinfo];
    let type_objects = types.map(|cls| crate::types::type_proxy(vm, cls));
    // SAFETY: the type objects are immortal and the table is a static that
    // only this exec writes (under the GIL); C reads it after the import.
    unsafe {
        for (tp, size) in type_objects.iter().zip(BASIC_SIZES) {
            (**tp).tp_basicsize = size;
        }
        let table = &raw mut CAPI;
        (*table).date_type = type_objects[0];
        (*table).datetime_type = type_objects[1];
        (*table).time_type = type_objects[2];
        (*table).delta_type = type_objects[3];
        (*table).tzinfo_type = type_objects[4];
        if (*table).timezone_utc.is_null() {
            // The table's reference to UTC lasts as long as the process.
            let utc = classes.timezone.as_object().get_attr("utc", vm).unwrap_or_else(|_| vm.ctx.none());
            (*table).timezone_utc = crate::proxy::new_ref(vm, &utc);
        }
    }
}

// ---------------------------------------------------------------------------
// The accessor functions behind the header's macros.

/// The value of one `_PyDateTime_FIELD_*` of a date, datetime, time or
/// timedelta (or an instance of a subclass).
#[cpython_api]
fn _PyDateTime_GetField(vm: &VirtualMachine, o: *mut PyObject, field: c_int) -> PyResult<c_int> {
    let classes = classes(vm)?;
    let field = usize::try_from(field).ok().filter(|&i| i < classes.fields.len()).ok_or_else(|| bad_internal_call(vm))?;
    field_value(vm, classes, &to_host(vm, o)?, field)
}

/// Field number `field` (`_PyDateTime_FIELD_*`) of a date, time or timedelta.
fn field_value(vm: &VirtualMachine, classes: &Classes, obj: &PyObjectRef, field: usize) -> PyResult<c_int> {
    let descr = &classes.fields[field];
    let value = vm.call_get_descriptor(descr, obj).unwrap_or_else(|| Ok(descr.clone()))?;
    value.try_into_value::<i32>(vm)
}

// ---------------------------------------------------------------------------
// The structs of date, datetime, time and timedelta proxies.

/// Which of the header's structs a proxy of `obj` carries, once C has
/// imported the datetime C API (before that no C can name the types).
fn struct_kind(obj: &PyObjectRef) -> Option<(&'static Classes, Kind, usize)> {
    let classes = CLASSES.get()?;
    let class = obj.class();
    let kind = if class.fast_issubclass(&classes.datetime) {
        (Kind::DateTime, size_of::<crate::ffi::PyDateTime_DateTime>())
    } else if class.fast_issubclass(&classes.date) {
        (Kind::Date, size_of::<crate::ffi::PyDateTime_Date>())
    } else if class.fast_issubclass(&classes.time) {
        (Kind::Time, size_of::<crate::ffi::PyDateTime_Time>())
    } else if class.fast_issubclass(&classes.delta) {
        (Kind::Delta, size_of::<crate::ffi::PyDateTime_Delta>())
    } else {
        return None;
    };
    Some((classes, kind.0, kind.1))
}

/// The object bytes of a proxy of a date, datetime, time or timedelta.
pub(crate) fn proxy_struct_size(_vm: &VirtualMachine, obj: &PyObjectRef) -> Option<usize> {
    struct_kind(obj).map(|(_, _, size)| size)
}

/// CPython's packing of a year and the clock fields into `data[]`.
fn pack_date(year: c_int, month: c_int, day: c_int) -> [u8; 4] {
    [(year >> 8) as u8, year as u8, month as u8, day as u8]
}

fn pack_time(hour: c_int, minute: c_int, second: c_int, usecond: c_int) -> [u8; 6] {
    [hour as u8, minute as u8, second as u8, (usecond >> 16) as u8, (usecond >> 8) as u8, usecond as u8]
}

/// Fills the struct of a new proxy of a date, datetime, time or timedelta
/// (zeroed memory of `proxy_struct_size` bytes). A datetime's or time's
/// `tzinfo` is a reference the struct owns (`release_proxy_struct`).
pub(crate) fn fill_proxy_struct(vm: &VirtualMachine, obj: &PyObjectRef, proxy: *mut PyObject) {
    let Some((classes, kind, _)) = struct_kind(obj) else { return };
    // A value the host cannot give (a broken subclass) stays 0.
    let field = |i: usize| field_value(vm, classes, obj, i).unwrap_or(0);
    let tzinfo = |descr: &PyObjectRef| {
        let tz = vm.call_get_descriptor(descr, obj).unwrap_or_else(|| Ok(vm.ctx.none())).unwrap_or_else(|_| vm.ctx.none());
        (!vm.is_none(&tz)).then(|| into_ref(vm, tz))
    };
    // SAFETY: `proxy` is the zeroed struct of a proxy just made with the
    // size `struct_kind` gave for this kind; the GIL is held.
    unsafe {
        match kind {
            Kind::DateTime => {
                let out = proxy as *mut crate::ffi::PyDateTime_DateTime;
                (*out).hashcode = -1;
                let (date, time) = (pack_date(field(0), field(1), field(2)), pack_time(field(3), field(4), field(5), field(6)));
                let mut data = [0u8; 10];
                data[..4].copy_from_slice(&date);
                data[4..].copy_from_slice(&time);
                (*out).data = data;
                (*out).fold = field(7) as u8;
                if let Some(tz) = tzinfo(&classes.datetime_tzinfo) {
                    (*out).hastzinfo = 1;
                    (*out).tzinfo = tz;
                }
            }
            Kind::Date => {
                let out = proxy as *mut crate::ffi::PyDateTime_Date;
                (*out).hashcode = -1;
                (*out).data = pack_date(field(0), field(1), field(2));
            }
            Kind::Time => {
                let out = proxy as *mut crate::ffi::PyDateTime_Time;
                (*out).hashcode = -1;
                (*out).data = pack_time(field(8), field(9), field(10), field(11));
                (*out).fold = field(12) as u8;
                if let Some(tz) = tzinfo(&classes.time_tzinfo) {
                    (*out).hastzinfo = 1;
                    (*out).tzinfo = tz;
                }
            }
            Kind::Delta => {
                let out = proxy as *mut crate::ffi::PyDateTime_Delta;
                (*out).hashcode = -1;
                (*out).days = field(13);
                (*out).seconds = field(14);
                (*out).microseconds = field(15);
            }
        }
    }
}

/// Gives back the `tzinfo` reference of a datetime's or time's struct, as
/// its proxy is freed.
pub(crate) fn release_proxy_struct(host: &PyObjectRef, proxy: *mut PyObject) {
    let tzinfo = match struct_kind(host) {
        // SAFETY: a proxy of this kind was made with this struct (`fill_proxy_struct`).
        Some((_, Kind::DateTime, _)) => unsafe { std::mem::replace(&mut (*(proxy as *mut crate::ffi::PyDateTime_DateTime)).tzinfo, std::ptr::null_mut()) },
        // SAFETY: as above.
        Some((_, Kind::Time, _)) => unsafe { std::mem::replace(&mut (*(proxy as *mut crate::ffi::PyDateTime_Time)).tzinfo, std::ptr::null_mut()) },
        _ => return,
    };
    crate::proxy::xdecref(tzinfo);
}

/// The tzinfo of a datetime or time (Py_None if it has none, and for a
/// date), borrowed.
#[cpython_api]
fn _PyDateTime_GetTZInfo(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let classes = classes(vm)?;
    let obj = to_host(vm, o)?;
    let descr = if obj.fast_isinstance(&classes.time) {
        &classes.time_tzinfo
    } else if obj.fast_isinstance(&classes.date) && !obj.fast_isinstance(&classes.datetime) {
        // CPython's date struct has the datetime's `hastzinfo` flag, always 0.
        return Ok(borrowed(vm, &vm.ctx.none()));
    } else {
        &classes.datetime_tzinfo
    };
    let tzinfo = vm.call_get_descriptor(descr, &obj).unwrap_or_else(|| Ok(descr.clone()))?;
    Ok(borrowed(vm, &tzinfo))
}

// ---------------------------------------------------------------------------
// The table's constructors.

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: i32) -> i32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// CPython 3.11's date checks, with its messages.
fn check_date(vm: &VirtualMachine, year: c_int, month: c_int, day: c_int) -> PyResult<()> {
    if !(1..=9999).contains(&year) {
        return Err(vm.new_value_error(format!("year {year} is out of range")));
    }
    if !(1..=12).contains(&month) {
        return Err(vm.new_value_error("month must be in 1..12"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(vm.new_value_error("day is out of range for month"));
    }
    Ok(())
}

/// CPython 3.11's time checks, with its messages.
fn check_time(vm: &VirtualMachine, hour: c_int, minute: c_int, second: c_int, usecond: c_int, fold: c_int) -> PyResult<()> {
    let checks: [(c_int, c_int, &str); 4] = [
        (hour, 23, "hour must be in 0..23"),
        (minute, 59, "minute must be in 0..59"),
        (second, 59, "second must be in 0..59"),
        (usecond, 999_999, "microsecond must be in 0..999999"),
    ];
    for (value, max, message) in checks {
        if !(0..=max).contains(&value) {
            return Err(vm.new_value_error(message));
        }
    }
    if fold != 0 && fold != 1 {
        return Err(vm.new_value_error("fold must be either 0 or 1"));
    }
    Ok(())
}

/// The tzinfo argument as a host object: None or a tzinfo instance.
fn tzinfo_arg(vm: &VirtualMachine, classes: &Classes, tzinfo: *mut PyObject) -> PyResult<PyObjectRef> {
    let Some(tz) = opt_to_host(vm, tzinfo)? else {
        return Ok(vm.ctx.none());
    };
    if vm.is_none(&tz) || tz.fast_isinstance(&classes.tzinfo) {
        return Ok(tz);
    }
    // SAFETY: `tzinfo` is a live object (it converted above); its type
    // object and tp_name live as long as the process.
    let type_name = unsafe { CStr::from_ptr((*(*tzinfo).ob_type).tp_name) }.to_string_lossy().into_owned();
    Err(vm.new_type_error(format!("tzinfo argument must be None or of a tzinfo subclass, not type '{type_name}'")))
}

/// The class to build: `cls`, or `base` when C passes NULL.
fn class_arg(vm: &VirtualMachine, cls: *mut PyTypeObject, base: &PyTypeRef) -> PyResult<PyObjectRef> {
    match opt_to_host(vm, cls.cast())? {
        Some(cls) => Ok(cls),
        None => Ok(base.clone().into()),
    }
}

/// `base.__new__(cls, *args, **kwargs)`: an instance of `cls` made by the
/// base class, whatever `cls` itself defines.
fn base_new(vm: &VirtualMachine, base: &PyTypeRef, cls: PyObjectRef, args: Vec<PyObjectRef>, kwargs: KwArgs) -> PyResult<*mut PyObject> {
    let new = base.as_object().get_attr("__new__", vm)?;
    let mut all = Vec::with_capacity(args.len() + 1);
    all.push(cls);
    all.extend(args);
    Ok(into_ref(vm, new.call(FuncArgs::new(all, kwargs), vm)?))
}

fn ints(vm: &VirtualMachine, values: &[c_int]) -> Vec<PyObjectRef> {
    values.iter().map(|v| vm.ctx.new_int(*v).into()).collect()
}

fn fold_kwarg(vm: &VirtualMachine, fold: c_int) -> KwArgs {
    let mut kwargs = KwArgs::default();
    kwargs.insert("fold".into(), vm.ctx.new_int(fold).into());
    kwargs
}

/// `Date_FromDate`.
///
/// # Safety
/// `cls` is NULL or a live type object (the table's callers pass one).
unsafe extern "C" fn date_from_date(year: c_int, month: c_int, day: c_int, cls: *mut PyTypeObject) -> *mut PyObject {
    enter_api("PyDateTimeAPI->Date_FromDate", true, |vm| {
        check_date(vm, year, month, day)?;
        let classes = classes(vm)?;
        let cls = class_arg(vm, cls, &classes.date)?;
        base_new(vm, &classes.date, cls, ints(vm, &[year, month, day]), KwArgs::default())
    })
}

#[allow(clippy::too_many_arguments)]
fn new_datetime(
    vm: &VirtualMachine,
    [year, month, day, hour, minute, second, usecond]: [c_int; 7],
    tzinfo: *mut PyObject,
    fold: c_int,
    cls: *mut PyTypeObject,
) -> PyResult<*mut PyObject> {
    check_date(vm, year, month, day)?;
    check_time(vm, hour, minute, second, usecond, fold)?;
    let classes = classes(vm)?;
    let tz = tzinfo_arg(vm, classes, tzinfo)?;
    let cls = class_arg(vm, cls, &classes.datetime)?;
    let mut args = ints(vm, &[year, month, day, hour, minute, second, usecond]);
    args.push(tz);
    base_new(vm, &classes.datetime, cls, args, fold_kwarg(vm, fold))
}

/// `DateTime_FromDateAndTime`.
///
/// # Safety
/// `tzinfo` is NULL or a live object; `cls` is NULL or a live type object.
#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn datetime_from_date_and_time(
    year: c_int,
    month: c_int,
    day: c_int,
    hour: c_int,
    minute: c_int,
    second: c_int,
    usecond: c_int,
    tzinfo: *mut PyObject,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    enter_api("PyDateTimeAPI->DateTime_FromDateAndTime", true, |vm| {
        new_datetime(vm, [year, month, day, hour, minute, second, usecond], tzinfo, 0, cls)
    })
}

/// `DateTime_FromDateAndTimeAndFold`.
///
/// # Safety
/// As `datetime_from_date_and_time`.
#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn datetime_from_date_and_time_and_fold(
    year: c_int,
    month: c_int,
    day: c_int,
    hour: c_int,
    minute: c_int,
    second: c_int,
    usecond: c_int,
    tzinfo: *mut PyObject,
    fold: c_int,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    enter_api("PyDateTimeAPI->DateTime_FromDateAndTimeAndFold", true, |vm| {
        new_datetime(vm, [year, month, day, hour, minute, second, usecond], tzinfo, fold, cls)
    })
}

fn new_time(
    vm: &VirtualMachine,
    [hour, minute, second, usecond]: [c_int; 4],
    tzinfo: *mut PyObject,
    fold: c_int,
    cls: *mut PyTypeObject,
) -> PyResult<*mut PyObject> {
    check_time(vm, hour, minute, second, usecond, fold)?;
    let classes = classes(vm)?;
    let tz = tzinfo_arg(vm, classes, tzinfo)?;
    let cls = class_arg(vm, cls, &classes.time)?;
    let mut args = ints(vm, &[hour, minute, second, usecond]);
    args.push(tz);
    base_new(vm, &classes.time, cls, args, fold_kwarg(vm, fold))
}

/// `Time_FromTime`.
///
/// # Safety
/// `tzinfo` is NULL or a live object; `cls` is NULL or a live type object.
unsafe extern "C" fn time_from_time(
    hour: c_int,
    minute: c_int,
    second: c_int,
    usecond: c_int,
    tzinfo: *mut PyObject,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    enter_api("PyDateTimeAPI->Time_FromTime", true, |vm| new_time(vm, [hour, minute, second, usecond], tzinfo, 0, cls))
}

/// `Time_FromTimeAndFold`.
///
/// # Safety
/// As `time_from_time`.
unsafe extern "C" fn time_from_time_and_fold(
    hour: c_int,
    minute: c_int,
    second: c_int,
    usecond: c_int,
    tzinfo: *mut PyObject,
    fold: c_int,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    enter_api("PyDateTimeAPI->Time_FromTimeAndFold", true, |vm| {
        new_time(vm, [hour, minute, second, usecond], tzinfo, fold, cls)
    })
}

/// `Delta_FromDelta`. The value is always normalised: CPython leaves an
/// out-of-range value unnormalised when `normalize` is 0 (a caller's bug it
/// only asserts against), which a host timedelta cannot hold.
///
/// # Safety
/// `cls` is NULL or a live type object.
unsafe extern "C" fn delta_from_delta(days: c_int, seconds: c_int, useconds: c_int, _normalize: c_int, cls: *mut PyTypeObject) -> *mut PyObject {
    enter_api("PyDateTimeAPI->Delta_FromDelta", true, |vm| {
        let total_seconds = i64::from(seconds) + i64::from(useconds).div_euclid(1_000_000);
        let normal_days = i64::from(days) + total_seconds.div_euclid(86_400);
        let normal_seconds = total_seconds.rem_euclid(86_400);
        let normal_useconds = i64::from(useconds).rem_euclid(1_000_000);
        if normal_days.abs() > 999_999_999 {
            return Err(vm.new_overflow_error(format!("days={normal_days}; must have magnitude <= 999999999")));
        }
        let classes = classes(vm)?;
        let cls = class_arg(vm, cls, &classes.delta)?;
        let args = [normal_days, normal_seconds, normal_useconds].iter().map(|v| vm.ctx.new_int(*v).into()).collect();
        base_new(vm, &classes.delta, cls, args, KwArgs::default())
    })
}

/// `TimeZone_FromTimeZone`: UTC itself for a zero offset without a name.
///
/// # Safety
/// `offset` is a live object (a timedelta); `name` is NULL or a live str.
unsafe extern "C" fn timezone_from_timezone(offset: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    enter_api("PyDateTimeAPI->TimeZone_FromTimeZone", true, |vm| {
        let classes = classes(vm)?;
        let offset = to_host(vm, offset)?;
        let name = opt_to_host(vm, name)?;
        if offset.fast_isinstance(&classes.delta) {
            let zero = !offset.clone().try_to_bool(vm)?;
            if zero && name.is_none() {
                let utc = classes.timezone.as_object().get_attr("utc", vm)?;
                return Ok(into_ref(vm, utc));
            }
            // CPython's test on the normalised fields: strictly inside one day.
            let field = |i: usize| -> PyResult<i64> {
                let descr = &classes.fields[i];
                vm.call_get_descriptor(descr, &offset).unwrap_or_else(|| Ok(descr.clone()))?.try_into_value::<i64>(vm)
            };
            let (days, seconds, useconds) = (field(13)?, field(14)?, field(15)?);
            if (days == -1 && seconds == 0 && useconds < 1) || days < -1 || days >= 1 {
                let repr = offset.repr(vm)?;
                return Err(vm.new_value_error(format!(
                    "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {repr}."
                )));
            }
        }
        let mut args = vec![offset];
        args.extend(name);
        let tz = classes.timezone.as_object().call(args, vm)?;
        Ok(into_ref(vm, tz))
    })
}

unsafe extern "C" {
    // The C shims' argument parsers (c_shims/modsupport.c), which give
    // CPython's messages for a bad argument tuple.
    fn PyArg_ParseTupleAndKeywords(args: *mut PyObject, kwargs: *mut PyObject, format: *const c_char, kwlist: *mut *mut c_char, ...) -> c_int;
    fn PyArg_UnpackTuple(args: *mut PyObject, name: *const c_char, min: Py_ssize_t, max: Py_ssize_t, ...) -> c_int;
}

/// `cls.<name>(*args)` with the classmethod of `base`, whatever `cls`
/// overrides: CPython's table calls the C function directly.
fn base_classmethod(vm: &VirtualMachine, base: &PyTypeRef, name: &'static str, cls: PyObjectRef, args: Vec<PyObjectRef>) -> PyResult<*mut PyObject> {
    let descr = descriptor(vm, base, name)?;
    let bound = vm
        .call_get_descriptor_specific(&descr, None, Some(&cls))
        .unwrap_or_else(|| Ok(descr.clone()))?;
    Ok(into_ref(vm, bound.call(args, vm)?))
}

/// `DateTime_FromTimestamp(cls, args, kwargs)`: `cls.fromtimestamp(*args, **kwargs)`.
///
/// # Safety
/// `cls` and `args` are live objects (a type and a tuple); `kwargs` is NULL or a dict.
unsafe extern "C" fn datetime_from_timestamp(cls: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    let mut timestamp: *mut PyObject = std::ptr::null_mut();
    let mut tzinfo: *mut PyObject = std::ptr::null_mut();
    let mut keywords: [*mut c_char; 3] = [c"timestamp".as_ptr().cast_mut(), c"tz".as_ptr().cast_mut(), std::ptr::null_mut()];
    // SAFETY: the format asks for two optional object pointers, which are
    // the two out-parameters given; the keyword list is NULL-terminated.
    let parsed = unsafe {
        PyArg_ParseTupleAndKeywords(args, kwargs, c"O|O:fromtimestamp".as_ptr(), keywords.as_mut_ptr(), &raw mut timestamp, &raw mut tzinfo)
    };
    if parsed == 0 {
        return std::ptr::null_mut();
    }
    enter_api("PyDateTimeAPI->DateTime_FromTimestamp", true, |vm| {
        let classes = classes(vm)?;
        let cls = to_host(vm, cls)?;
        let mut call_args = vec![to_host(vm, timestamp)?];
        call_args.extend(opt_to_host(vm, tzinfo)?);
        base_classmethod(vm, &classes.datetime, "fromtimestamp", cls, call_args)
    })
}

/// `Date_FromTimestamp(cls, args)`: `cls.fromtimestamp(*args)`, one argument.
///
/// # Safety
/// `cls` and `args` are live objects (a type and a tuple).
unsafe extern "C" fn date_from_timestamp(cls: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    let mut timestamp: *mut PyObject = std::ptr::null_mut();
    // SAFETY: one out-parameter for at most one argument.
    let unpacked = unsafe { PyArg_UnpackTuple(args, c"fromtimestamp".as_ptr(), 1, 1, &raw mut timestamp) };
    if unpacked == 0 {
        return std::ptr::null_mut();
    }
    enter_api("PyDateTimeAPI->Date_FromTimestamp", true, |vm| {
        let classes = classes(vm)?;
        let cls = to_host(vm, cls)?;
        let timestamp = to_host(vm, timestamp)?;
        base_classmethod(vm, &classes.date, "fromtimestamp", cls, vec![timestamp])
    })
}
