//! unicodeobject.h: str.
//!
//! A str proxy has CPython's compact PEP 393 layout (see the header): the
//! struct, then the text, 1, 2 or 4 bytes a character and NUL-terminated,
//! copied from the host str when the proxy is made (`fill_str_proxy`). A str
//! made by `PyUnicode_New` is a proxy without a host object: C writes its
//! text, and the host str is made from that memory when it first crosses into
//! Python (`str_from_proxy`). Most operations run on the host str, through
//! `str`'s own methods, so their results and errors are Python's.
use rustpython_unicode as unicode;
use super::{bad_internal_call, c_str_arg, has_type_flag};
use crate::ffi::{self, PyObject, Py_ssize_t};
use crate::proxy::{self, Layout, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyBytes, PyStr, PyStrRef, PyTuple};
use rustpython_vm::common::wtf8::{CodePoint, Wtf8Buf};
use rustpython_vm::{AsObject, PyObjectRef, PyPayload, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_void};

// --- the PEP 393 layout ------------------------------------------------------

/// `tp_basicsize` of str: CPython's `sizeof(PyUnicodeObject)`.
pub(crate) const STR_BASICSIZE: usize = size_of::<ffi::PyUnicodeObject>();

// The bit-field `state` of PyASCIIObject as one 32-bit word (GCC allocates
// bit-fields from the least significant bit on x86-64).
const STATE_INTERNED: u32 = 0b11;
const STATE_KIND_SHIFT: u32 = 2;
const STATE_KIND: u32 = 0b111 << STATE_KIND_SHIFT;
const STATE_COMPACT: u32 = 1 << 5;
const STATE_ASCII: u32 = 1 << 6;
const STATE_READY: u32 = 1 << 7;

const SSTATE_INTERNED_MORTAL: u32 = 1;
const SSTATE_INTERNED_IMMORTAL: u32 = 2;
const MAX_UNICODE: u32 = 0x10ffff;

/// How a str's characters are stored: bytes per character, and whether all
/// are ASCII (which picks the short struct).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Form {
    kind: u8,
    ascii: bool,
}

impl Form {
    fn for_max_char(max_char: u32) -> Form {
        match max_char {
            0..0x80 => Form { kind: 1, ascii: true },
            0x80..0x100 => Form { kind: 1, ascii: false },
            0x100..0x10000 => Form { kind: 2, ascii: false },
            _ => Form { kind: 4, ascii: false },
        }
    }

    /// Where the characters start: right after the struct.
    fn struct_size(self) -> usize {
        if self.ascii { size_of::<ffi::PyASCIIObject>() } else { size_of::<ffi::PyCompactUnicodeObject>() }
    }

    /// PyUnicode_MAX_CHAR_VALUE: the largest character the form can hold.
    fn max_char(self) -> u32 {
        match (self.kind, self.ascii) {
            (1, true) => 0x7f,
            (1, false) => 0xff,
            (2, _) => 0xffff,
            _ => MAX_UNICODE,
        }
    }

    fn proxy_size(self, length: usize) -> usize {
        self.struct_size() + (length + 1) * self.kind as usize
    }
}

fn form_of(s: &PyStr) -> Form {
    if s.as_wtf8().is_ascii() {
        return Form { kind: 1, ascii: true };
    }
    Form::for_max_char(s.as_wtf8().code_points().map(|c| c.to_u32()).max().unwrap_or(0))
}

/// The proxy size of a host str (for `proxy::make_proxy`). An instance of a
/// subclass is laid out as CPython makes one: a whole PyUnicodeObject whose
/// `data` points at the text (here right after it), not compact.
pub(crate) fn str_proxy_size(vm: &VirtualMachine, obj: &PyObjectRef) -> usize {
    let s = obj.downcast_ref::<PyStr>().expect("a str proxy is made for a str");
    let form = form_of(s);
    if obj.class().is(vm.ctx.types.str_type) {
        form.proxy_size(s.char_len())
    } else {
        STR_BASICSIZE + (s.char_len() + 1) * form.kind as usize
    }
}

fn ascii_struct(p: *mut PyObject) -> *mut ffi::PyASCIIObject {
    p as *mut ffi::PyASCIIObject
}

fn compact_struct(p: *mut PyObject) -> *mut ffi::PyCompactUnicodeObject {
    p as *mut ffi::PyCompactUnicodeObject
}

/// # Safety
/// `p` must point at a str proxy's struct.
unsafe fn state_word(p: *mut PyObject) -> *mut u32 {
    // SAFETY: `state` is a 32-bit bit-field word inside the struct.
    unsafe { &raw mut (*ascii_struct(p)).state as *mut u32 }
}

/// # Safety
/// `p` must point at a str proxy's struct.
unsafe fn state(p: *mut PyObject) -> u32 {
    // SAFETY: the caller guarantees the struct.
    unsafe { *state_word(p) }
}

/// # Safety
/// `p` must point at writable memory of `form.proxy_size(length)` bytes.
unsafe fn init_compact(p: *mut PyObject, form: Form, length: usize) {
    // SAFETY: the caller guarantees the memory; the fields are plain data.
    unsafe {
        let a = ascii_struct(p);
        (*a).length = length as Py_ssize_t;
        (*a).hash = -1;
        (*a).wstr = std::ptr::null_mut();
        let mut word = ((form.kind as u32) << STATE_KIND_SHIFT) | STATE_COMPACT | STATE_READY;
        if form.ascii {
            word |= STATE_ASCII;
        } else {
            let c = compact_struct(p);
            (*c).utf8_length = 0;
            (*c).utf8 = std::ptr::null_mut();
            (*c).wstr_length = 0;
        }
        *state_word(p) = word;
    }
}

/// # Safety
/// `p` must point at writable memory of `data_offset` bytes (at least
/// `STR_BASICSIZE`) followed by room for `length + 1` characters of
/// `form.kind` bytes.
unsafe fn init_subclass_instance(p: *mut PyObject, form: Form, length: usize, data_offset: usize) {
    // SAFETY: the caller guarantees the memory.
    unsafe {
        init_compact(p, Form { ascii: false, ..form }, length);
        let data = (p as *mut u8).add(data_offset);
        *((p as *mut u8).add(std::mem::offset_of!(ffi::PyUnicodeObject, data)) as *mut *mut u8) = data;
        let mut word = state(p) & !STATE_COMPACT;
        if form.ascii {
            // ASCII text is its own UTF-8, as CPython shares it.
            word |= STATE_ASCII;
            (*compact_struct(p)).utf8 = data as *mut c_char;
            (*compact_struct(p)).utf8_length = length as Py_ssize_t;
        }
        *state_word(p) = word;
    }
}

/// The characters of a str struct as C sees them.
#[derive(Clone, Copy)]
struct Text {
    kind: u8,
    data: *mut u8,
    length: usize,
}

impl Text {
    /// # Safety
    /// `p` must point at a str struct whose text is in place (a str proxy).
    unsafe fn of(p: *mut PyObject) -> Text {
        // SAFETY: the caller guarantees the struct; compact text follows it,
        // other text is where `data.any` points.
        unsafe {
            let word = state(p);
            let kind = ((word & STATE_KIND) >> STATE_KIND_SHIFT) as u8;
            let data = if word & STATE_COMPACT == 0 {
                *((p as *mut u8).add(std::mem::offset_of!(ffi::PyUnicodeObject, data)) as *mut *mut u8)
            } else if word & STATE_ASCII != 0 {
                (p as *mut u8).add(size_of::<ffi::PyASCIIObject>())
            } else {
                (p as *mut u8).add(size_of::<ffi::PyCompactUnicodeObject>())
            };
            Text { kind, data, length: (*ascii_struct(p)).length.max(0) as usize }
        }
    }

    fn get(&self, index: usize) -> u32 {
        // SAFETY: `index` is below `length`, inside the text.
        unsafe {
            match self.kind {
                1 => *self.data.add(index) as u32,
                2 => *(self.data as *const u16).add(index) as u32,
                _ => *(self.data as *const u32).add(index),
            }
        }
    }

    fn set(&self, index: usize, value: u32) {
        // SAFETY: `index` is at most `length` (the NUL slot), inside the text.
        unsafe {
            match self.kind {
                1 => *self.data.add(index) = value as u8,
                2 => *(self.data as *mut u16).add(index) = value as u16,
                _ => *(self.data as *mut u32).add(index) = value,
            }
        }
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the text spans `length * kind` bytes.
        unsafe { std::slice::from_raw_parts(self.data, self.length * self.kind as usize) }
    }
}

/// Whether `p` is a str proxy in the compact layout the layer maintains.
fn has_str_layout(p: *mut PyObject) -> bool {
    // SAFETY: the GIL is held and no other view of this header is live.
    unsafe { proxy::header_mut(p) }.is_some_and(|h| h.layout == Layout::Str)
}

/// Fills a new proxy of the host str `obj` (for `proxy::make_proxy`).
/// `fresh` says only the proxy will hold the str: its hash stays -1, as in
/// CPython for a str nobody has hashed, so C may still modify it.
///
/// # Safety
/// `proxy` must be zeroed memory of `str_proxy_size` bytes for `obj`.
pub(crate) unsafe fn fill_str_proxy(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef, fresh: bool) {
    let s = obj.downcast_ref::<PyStr>().expect("a str proxy is made for a str");
    let form = form_of(s);
    let length = s.char_len();
    let exact = obj.class().is(vm.ctx.types.str_type);
    // SAFETY: the caller allocated `str_proxy_size` bytes.
    unsafe {
        if exact {
            init_compact(proxy, form, length);
        } else {
            init_subclass_instance(proxy, form, length, STR_BASICSIZE);
        }
    }
    // SAFETY: the struct is initialised with room for the text.
    unsafe { write_text(proxy, s, form) };
    if exact {
        let interned = vm.ctx.interned_str(s.as_wtf8()).is_some_and(|i| i.as_object().is(obj));
        if !fresh || interned {
            // SAFETY: the struct is initialised.
            unsafe { (*ascii_struct(proxy)).hash = obj.hash(vm).unwrap_or(-1) as Py_ssize_t };
        }
        if interned {
            // SAFETY: as above.
            unsafe { *state_word(proxy) |= SSTATE_INTERNED_MORTAL };
        }
    }
}

/// The bytes the text of `obj`, an instance of a str subclass, takes after
/// the struct of a C subtype of str (NUL included).
pub(crate) fn subtype_text_size(obj: &PyObjectRef) -> usize {
    obj.downcast_ref::<PyStr>().map_or(0, |s| (s.char_len() + 1) * form_of(s).kind as usize)
}

/// Fills the `PyUnicodeObject` at the start of an instance of a C subtype
/// of str from its host `obj`: not compact, its text at `data_offset` (after
/// the subtype's own fields), as CPython lays out a str subclass instance.
///
/// # Safety
/// `object` must be zeroed, writable memory of `data_offset` bytes (at least
/// `STR_BASICSIZE`) plus `subtype_text_size(obj)`.
pub(crate) unsafe fn fill_subtype_text(object: *mut PyObject, obj: &PyObjectRef, data_offset: usize) {
    let Some(s) = obj.downcast_ref::<PyStr>() else { return };
    let form = form_of(s);
    // SAFETY: the caller guarantees the memory; the text goes after the struct.
    unsafe {
        init_subclass_instance(object, form, s.char_len(), data_offset.max(STR_BASICSIZE));
        write_text(object, s, form);
    }
}

/// Copies the characters of `s` into the text of the str struct `p`.
///
/// # Safety
/// `p` must be an initialised str struct with room for `s` in `form`.
unsafe fn write_text(p: *mut PyObject, s: &PyStr, form: Form) {
    // SAFETY: the caller guarantees the struct, so `Text` finds the text.
    let text = unsafe { Text::of(p) };
    if form.ascii {
        // SAFETY: the text has room for `length` bytes; ASCII is one byte each.
        unsafe { std::ptr::copy_nonoverlapping(s.as_bytes().as_ptr(), text.data, text.length) };
    } else {
        for (i, c) in s.as_wtf8().code_points().enumerate() {
            text.set(i, c.to_u32());
        }
    }
}

/// The host str of a proxy made by `PyUnicode_New`, from the text C wrote
/// (for `proxy::materialize`): a new object, as `PyUnicode_New` makes in
/// CPython, never one of the host's shared strs (`vm.ctx.new_str` gives the
/// cached one-character and empty strs). A shared host would already have
/// its own proxy: this one would take over its identity entry, and, parked
/// at count zero behind a host that never dies, never be freed (ormsgpack's
/// `unpackb` of one-character strs grew by ~140 bytes a str).
pub(crate) fn str_from_proxy(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<PyObjectRef> {
    // SAFETY: `p` is a proxy of layout Str, so its struct and text are in place.
    let text = unsafe { Text::of(p) };
    if !matches!(text.kind, 1 | 2 | 4) {
        return Err(vm.new_system_error(format!("a str made in C has the invalid kind {}", text.kind)));
    }
    Ok(PyPayload::into_ref(pystr_from_canonical(vm, text.kind, text.bytes())?, &vm.ctx).into())
}

/// A str from text in canonical form (`kind` bytes per character).
pub(crate) fn str_from_canonical(vm: &VirtualMachine, kind: u8, text: &[u8]) -> PyResult<PyObjectRef> {
    Ok(vm.ctx.new_str(pystr_from_canonical(vm, kind, text)?).into())
}

/// The str value of text in canonical form, not yet an object.
fn pystr_from_canonical(vm: &VirtualMachine, kind: u8, text: &[u8]) -> PyResult<PyStr> {
    if kind == 1 && text.is_ascii() {
        // SAFETY: every byte was just checked to be ASCII.
        return Ok(unsafe { PyStr::new_ascii_unchecked(text.to_vec()) });
    }
    let mut out = Wtf8Buf::with_capacity(text.len());
    for unit in text.chunks_exact(kind as usize) {
        let c = match kind {
            1 => unit[0] as u32,
            2 => u16::from_ne_bytes([unit[0], unit[1]]) as u32,
            _ => u32::from_ne_bytes([unit[0], unit[1], unit[2], unit[3]]),
        };
        let cp = CodePoint::from_u32(c)
            .ok_or_else(|| vm.new_system_error(format!("character U+{c:x} is not in range [U+0000; U+10ffff]")))?;
        out.push(cp);
    }
    Ok(PyStr::from(out))
}

/// A new str of `length` characters up to `max_char`, for C to fill: no
/// host object until it crosses into Python.
fn new_pending_str(vm: &VirtualMachine, length: usize, max_char: u32) -> PyResult<*mut PyObject> {
    let form = Form::for_max_char(max_char);
    if length > (isize::MAX as usize - form.struct_size()) / form.kind as usize - 1 {
        return Err(crate::error_indicator::no_memory(vm));
    }
    let p = proxy::try_new_pending(Layout::Str, form.proxy_size(length), &raw mut crate::types::PyUnicode_Type)
        .ok_or_else(|| crate::error_indicator::no_memory(vm))?;
    // SAFETY: `p` is zeroed memory of `form.proxy_size(length)` bytes.
    unsafe { init_compact(p, form, length) };
    Ok(p)
}

fn empty_str(vm: &VirtualMachine) -> *mut PyObject {
    into_ref(vm, vm.ctx.empty_str.to_owned().into())
}

/// The characters of any str object: the proxy's memory when it has the
/// compact layout, else the host text.
enum Chars {
    Memory(Text),
    Host(Vec<u32>),
}

impl Chars {
    fn len(&self) -> usize {
        match self {
            Chars::Memory(t) => t.length,
            Chars::Host(v) => v.len(),
        }
    }

    fn get(&self, index: usize) -> u32 {
        match self {
            Chars::Memory(t) => t.get(index),
            Chars::Host(v) => v[index],
        }
    }

    fn max_in(&self, start: usize, end: usize) -> u32 {
        (start..end).map(|i| self.get(i)).max().unwrap_or(0)
    }
}

fn chars_of(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<Chars> {
    if !has_type_flag(p, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_argument(vm));
    }
    if has_str_layout(p) {
        // SAFETY: a Str-layout proxy has its struct and text in place.
        return Ok(Chars::Memory(unsafe { Text::of(p) }));
    }
    let s = as_str(vm, p)?;
    Ok(Chars::Host(s.as_wtf8().code_points().map(|c| c.to_u32()).collect()))
}

/// CPython lets C change a str in place only while nobody else can have
/// seen it: one reference, no hash yet, not interned, exactly str. A host
/// object made for it meanwhile is dropped, if nothing else holds it, and
/// made again from the new text when needed.
fn check_modifiable(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<()> {
    if make_modifiable(p) {
        Ok(())
    } else {
        Err(vm.new_system_error("Cannot modify a string currently used".to_owned()))
    }
}

/// CPython's `unicode_modifiable`: whether C alone holds the str `p`, which
/// nothing has hashed or interned, so that its text may change in place.
/// If so, its host object (held by the proxy alone) is let go: the str is
/// made again from the text when it next crosses into Python, as one from
/// `PyUnicode_New` is.
fn make_modifiable(p: *mut PyObject) -> bool {
    if !has_str_layout(p) {
        return false;
    }
    // SAFETY: a Str-layout proxy has its struct in place.
    let shared = unsafe {
        (*p).ob_refcnt != 1
            || (*ascii_struct(p)).hash != -1
            || state(p) & STATE_INTERNED != 0
            || (*p).ob_type != &raw mut crate::types::PyUnicode_Type
    };
    if shared {
        return false;
    }
    // SAFETY: the GIL is held and no other view of this header is live.
    let Some(h) = (unsafe { proxy::header_mut(p) }) else { return false };
    if !h.host.is_null() {
        // SAFETY: a non-null host of a live proxy is a strong reference.
        let host = unsafe { &*h.host };
        if host.strong_count() != 1 {
            return false;
        }
        proxy::IDENTITY.remove_if(&(h.host as usize), |_, v| *v == p as usize);
        // SAFETY: the proxy owned this reference; it now gives it up.
        let owned = unsafe { PyObjectRef::from_raw(std::ptr::NonNull::new_unchecked(h.host as *mut _)) };
        h.host = std::ptr::null();
        drop(owned);
    }
    // SAFETY: the struct is in place; the caches no longer match the text.
    unsafe {
        (*ascii_struct(p)).wstr = std::ptr::null_mut();
        if state(p) & STATE_ASCII == 0 {
            (*compact_struct(p)).utf8 = std::ptr::null_mut();
            (*compact_struct(p)).utf8_length = 0;
            (*compact_struct(p)).wstr_length = 0;
        }
    }
    true
}

// --- shared helpers -----------------------------------------------------------

/// The TypeError of `PyErr_BadArgument`.
fn bad_argument(vm: &VirtualMachine) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_type_error("bad argument type for built-in operation".to_owned())
}

/// Decodes UTF-8 strictly; on bad input the host's own decoder raises the
/// UnicodeDecodeError, so its details match Python's.
fn decode_utf8(vm: &VirtualMachine, bytes: &[u8]) -> PyResult<PyObjectRef> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(vm.ctx.new_str(s).into()),
        Err(_) => {
            let b: PyObjectRef = vm.ctx.new_bytes(bytes.to_vec()).into();
            vm.call_method(&b, "decode", ("utf-8",))
        }
    }
}

fn as_str(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<PyStrRef> {
    if o.is_null() {
        return Err(bad_internal_call(vm));
    }
    to_host(vm, o)?.downcast::<PyStr>().map_err(|_| bad_argument(vm))
}

/// A str argument, or CPython's "must be str, not X" TypeError.
fn ensure_str(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<PyObjectRef> {
    if o.is_null() {
        return Err(bad_internal_call(vm));
    }
    let obj = to_host(vm, o)?;
    if obj.downcast_ref::<PyStr>().is_none() {
        return Err(vm.new_type_error(format!("must be str, not {}", crate::types::tp_name(vm, obj.class()))));
    }
    Ok(obj)
}

/// Calls `str.<name>` unbound, so a subclass's override is not used.
fn str_method(vm: &VirtualMachine, name: &'static str, args: impl rustpython_vm::function::IntoFuncArgs) -> PyResult {
    vm.ctx.types.str_type.as_object().get_attr(name, vm)?.call(args, vm)
}

/// `_codecs.<name>(...)`: the host's codec functions.
pub(crate) fn codecs_call(vm: &VirtualMachine, name: &'static str, args: impl rustpython_vm::function::IntoFuncArgs) -> PyResult {
    crate::types::import_for_layer(vm, "_codecs")?.get_attr(name, vm)?.call(args, vm)
}

/// C bytes as a host bytes object (NULL with size 0 is empty).
///
/// # Safety
/// `s` must point at `size` readable bytes, or be NULL with `size` 0.
unsafe fn c_bytes(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t) -> PyResult<PyObjectRef> {
    if size < 0 || (s.is_null() && size > 0) {
        return Err(bad_internal_call(vm));
    }
    let data = if size == 0 {
        &[][..]
    } else {
        // SAFETY: the caller guarantees `size` readable bytes at `s`.
        unsafe { std::slice::from_raw_parts(s as *const u8, size as usize) }
    };
    Ok(vm.ctx.new_bytes(data.to_vec()).into())
}

/// An optional C string argument (`errors`, `encoding`): None when NULL.
fn opt_c_str(vm: &VirtualMachine, s: *const c_char) -> PyResult<Option<PyObjectRef>> {
    if s.is_null() { Ok(None) } else { Ok(Some(vm.ctx.new_str(c_str_arg(vm, s)?).into())) }
}

fn errors_arg(vm: &VirtualMachine, errors: *const c_char) -> PyResult<PyObjectRef> {
    Ok(opt_c_str(vm, errors)?.unwrap_or_else(|| vm.ctx.none()))
}

/// Item `index` of a codec function's result tuple.
fn item(vm: &VirtualMachine, result: &PyObjectRef, index: usize) -> PyResult<PyObjectRef> {
    let t = result.downcast_ref::<PyTuple>().ok_or_else(|| vm.new_type_error("codec must return a tuple".to_owned()))?;
    t.get(index).cloned().ok_or_else(|| vm.new_type_error("codec returned a short tuple".to_owned()))
}

fn set_interned(p: *mut PyObject, vm: &VirtualMachine, host: &PyObjectRef, how: u32) {
    if has_str_layout(p) {
        // SAFETY: a Str-layout proxy has its struct in place.
        unsafe {
            *state_word(p) = (state(p) & !STATE_INTERNED) | how;
            (*ascii_struct(p)).hash = host.hash(vm).unwrap_or(-1) as Py_ssize_t;
        }
    }
}

fn warn_deprecated(vm: &VirtualMachine, message: &str) -> PyResult<()> {
    let warn = crate::types::import_for_layer(vm, "warnings")?.get_attr("warn", vm)?;
    let category: PyObjectRef = vm.ctx.exceptions.deprecation_warning.to_owned().into();
    warn.call((vm.ctx.new_str(message), category, vm.ctx.new_int(1)), vm)?;
    Ok(())
}

fn ordering(o: std::cmp::Ordering) -> c_int {
    match o {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

// --- making str objects ----------------------------------------------------------

/// # Safety
/// `u` must be NULL or a NUL-terminated string.
#[cpython_api]
unsafe fn PyUnicode_FromString(vm: &VirtualMachine, u: *const c_char) -> PyResult<*mut PyObject> {
    if u.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { std::ffi::CStr::from_ptr(u) }.to_bytes();
    Ok(into_ref(vm, decode_utf8(vm, bytes)?))
}

/// # Safety
/// `u` must point at `size` readable bytes (or be NULL).
#[cpython_api]
unsafe fn PyUnicode_FromStringAndSize(vm: &VirtualMachine, u: *const c_char, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(vm.new_system_error("Negative size passed to PyUnicode_FromStringAndSize".to_owned()));
    }
    if u.is_null() {
        if size == 0 {
            return Ok(empty_str(vm));
        }
        return Err(vm.new_system_error(
            "NULL string with positive size with NULL passed to PyUnicode_FromStringAndSize".to_owned(),
        ));
    }
    // SAFETY: the caller guarantees `size` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(u as *const u8, size as usize) };
    if !bytes.is_empty() && bytes.is_ascii() {
        // ASCII text (most of what drivers fetch) is its own compact form:
        // a pending str, as from `PyUnicode_New`, whose host str is made
        // when it crosses into Python (`str_from_proxy`).
        let p = new_pending_str(vm, bytes.len(), 0x7f)?;
        // SAFETY: an ASCII compact str of `bytes.len()` characters, its
        // text right after the struct (the NUL after it is zeroed memory).
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), (p as *mut u8).add(size_of::<ffi::PyASCIIObject>()), bytes.len()) };
        return Ok(p);
    }
    Ok(into_ref(vm, decode_utf8(vm, bytes)?))
}

/// A new str of `size` characters up to `maxchar`, for C to fill through
/// PyUnicode_DATA/PyUnicode_WRITE before it crosses into Python.
#[cpython_api]
fn PyUnicode_New(vm: &VirtualMachine, size: Py_ssize_t, maxchar: u32) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(vm.new_system_error("Negative size passed to PyUnicode_New".to_owned()));
    }
    if maxchar > MAX_UNICODE {
        return Err(vm.new_system_error("invalid maximum character passed to PyUnicode_New".to_owned()));
    }
    if size == 0 {
        return Ok(empty_str(vm));
    }
    new_pending_str(vm, size as usize, maxchar)
}

/// # Safety
/// `buffer` must hold `size` characters of `kind` bytes each.
#[cpython_api]
unsafe fn PyUnicode_FromKindAndData(vm: &VirtualMachine, kind: c_int, buffer: *const c_void, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(vm.new_value_error("size must be positive".to_owned()));
    }
    if !matches!(kind, 1 | 2 | 4) {
        return Err(vm.new_system_error("invalid kind".to_owned()));
    }
    if size == 0 {
        return Ok(empty_str(vm));
    }
    // SAFETY: the caller guarantees `size * kind` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(buffer as *const u8, size as usize * kind as usize) };
    Ok(into_ref(vm, str_from_canonical(vm, kind as u8, bytes)?))
}

/// A str from bytes the caller promises are ASCII (others read as Latin-1).
///
/// # Safety
/// `buffer` must hold `size` readable bytes.
#[cpython_api]
unsafe fn _PyUnicode_FromASCII(vm: &VirtualMachine, buffer: *const c_char, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if size <= 0 {
        return Ok(empty_str(vm));
    }
    // SAFETY: the caller guarantees `size` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(buffer as *const u8, size as usize) };
    Ok(into_ref(vm, str_from_canonical(vm, 1, bytes)?))
}

/// A str from code points, lone surrogates included (as CPython's str may
/// hold them); ValueError for a value beyond U+10FFFF.
fn from_code_points(vm: &VirtualMachine, points: impl Iterator<Item = i64>) -> PyResult<*mut PyObject> {
    let mut text = Wtf8Buf::new();
    for value in points {
        match u32::try_from(value).ok().and_then(CodePoint::from_u32) {
            Some(c) => text.push(c),
            None => {
                return Err(vm.new_value_error(format!(
                    "character U+{:x} is not in range [U+0000; U+10ffff]",
                    value as u32
                )));
            }
        }
    }
    Ok(into_ref(vm, vm.ctx.new_str(text).into()))
}

#[cpython_api]
fn PyUnicode_FromOrdinal(vm: &VirtualMachine, ordinal: c_int) -> PyResult<*mut PyObject> {
    if !(0..=0x10FFFF).contains(&ordinal) {
        return Err(vm.new_value_error("chr() arg not in range(0x110000)".to_owned()));
    }
    from_code_points(vm, std::iter::once(ordinal as i64))
}

/// `size` wide characters (UTF-32 here), or up to the NUL when it is -1.
///
/// # Safety
/// `w` must hold `size` wide characters, or be NUL-terminated when -1.
#[cpython_api]
unsafe fn PyUnicode_FromWideChar(vm: &VirtualMachine, w: *const libc::wchar_t, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if w.is_null() {
        if size == 0 {
            return Ok(empty_str(vm));
        }
        return Err(bad_internal_call(vm));
    }
    let len = if size == -1 {
        // SAFETY: the caller passes a NUL-terminated wide string.
        unsafe { libc::wcslen(w) }
    } else if size < 0 {
        return Err(bad_internal_call(vm));
    } else {
        size as usize
    };
    // SAFETY: `len` wide characters are readable.
    let units = unsafe { std::slice::from_raw_parts(w, len) };
    from_code_points(vm, units.iter().map(|u| *u as u32 as i64))
}

/// Deprecated: FromWideChar, or with NULL a str of `size` characters for C
/// to write through PyUnicode_AS_UNICODE (kind 4, so that its wchar_t view
/// is its text).
///
/// # Safety
/// As `PyUnicode_FromWideChar`.
#[cpython_api]
unsafe fn PyUnicode_FromUnicode(vm: &VirtualMachine, u: *const libc::wchar_t, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if u.is_null() {
        if size > 0 {
            warn_deprecated(vm, "PyUnicode_FromUnicode(NULL, size) is deprecated; use PyUnicode_New() instead")?;
        }
        if size < 0 {
            return Err(bad_internal_call(vm));
        }
        if size == 0 {
            return Ok(empty_str(vm));
        }
        let p = new_pending_str(vm, size as usize, MAX_UNICODE)?;
        // SAFETY: a fresh kind-4 compact str: its text is a wchar_t array.
        unsafe {
            let text = Text::of(p);
            (*ascii_struct(p)).wstr = text.data as *mut libc::wchar_t;
            (*compact_struct(p)).wstr_length = size;
        }
        return Ok(p);
    }
    if size < 0 {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller guarantees `size` wide characters.
    unsafe { PyUnicode_FromWideChar(u, size) }.nonnull(vm)
}

/// Turns a pointer returned by one of our exported functions back into a
/// result (the exception is already set when it is NULL).
trait NonNullResult {
    fn nonnull(self, vm: &VirtualMachine) -> PyResult<*mut PyObject>;
}

impl NonNullResult for *mut PyObject {
    fn nonnull(self, vm: &VirtualMachine) -> PyResult<*mut PyObject> {
        if !self.is_null() {
            return Ok(self);
        }
        Err(crate::error_indicator::take_exception(vm)
            .unwrap_or_else(|| vm.new_system_error("error return without exception set".to_owned())))
    }
}

/// A str from a bytes-like object through a codec (UTF-8 and strict when
/// NULL); a str is refused, as CPython does.
#[cpython_api]
fn PyUnicode_FromEncodedObject(vm: &VirtualMachine, obj: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    if obj.is_null() {
        return Err(bad_internal_call(vm));
    }
    let o = to_host(vm, obj)?;
    let data: Vec<u8> = if let Some(b) = o.downcast_ref::<PyBytes>() {
        b.as_bytes().to_vec()
    } else if o.downcast_ref::<PyStr>().is_some() {
        return Err(vm.new_type_error("decoding str is not supported".to_owned()));
    } else {
        match <rustpython_vm::protocol::PyBuffer as rustpython_vm::TryFromBorrowedObject>::try_from_borrowed_object(vm, &o) {
            Ok(buffer) => buffer.contiguous_or_collect(|b| b.to_vec()),
            Err(_) => {
                return Err(vm.new_type_error(format!(
                    "decoding to str: need a bytes-like object, {} found",
                    crate::types::tp_name(vm, o.class())
                )));
            }
        }
    };
    if data.is_empty() {
        return Ok(empty_str(vm));
    }
    // SAFETY: `data` is a live buffer of its length.
    unsafe { PyUnicode_Decode(data.as_ptr() as *const c_char, data.len() as Py_ssize_t, encoding, errors) }.nonnull(vm)
}

/// The str itself for an exact str, a copy for a subclass, else TypeError.
#[cpython_api]
fn PyUnicode_FromObject(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<*mut PyObject> {
    if obj.is_null() {
        return Err(bad_internal_call(vm));
    }
    let o = to_host(vm, obj)?;
    if o.class().is(vm.ctx.types.str_type) {
        proxy::incref(obj);
        return Ok(obj);
    }
    match o.downcast_ref::<PyStr>() {
        Some(s) => Ok(into_ref(vm, vm.ctx.new_str(s.as_wtf8().to_owned()).into())),
        None => Err(vm.new_type_error(format!("Can't convert '{}' object to str implicitly", crate::types::tp_name(vm, o.class())))),
    }
}

/// A new exact str with the same text (a distinct object).
#[cpython_api]
fn _PyUnicode_Copy(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_internal_call(vm));
    }
    let chars = chars_of(vm, unicode)?;
    if chars.len() == 0 {
        return Ok(empty_str(vm));
    }
    let copy = new_pending_str(vm, chars.len(), chars.max_in(0, chars.len()))?;
    // SAFETY: the new str's struct and text are in place.
    let text = unsafe { Text::of(copy) };
    for i in 0..chars.len() {
        text.set(i, chars.get(i));
    }
    Ok(copy)
}

/// Code points `start` to `end` (clipped to the length).
#[cpython_api]
fn PyUnicode_Substring(vm: &VirtualMachine, unicode: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t) -> PyResult<*mut PyObject> {
    let s = as_str(vm, unicode)?;
    if start < 0 || end < 0 {
        return Err(vm.new_index_error("string index out of range".to_owned()));
    }
    let len = s.char_len();
    let (start, end) = ((start as usize).min(len), (end as usize).min(len));
    if start == 0 && end == len && s.class().is(vm.ctx.types.str_type) {
        return Ok(into_ref(vm, s.into()));
    }
    if start >= end {
        return Ok(empty_str(vm));
    }
    from_code_points(vm, s.as_wtf8().code_points().skip(start).take(end - start).map(|c| c.to_u32() as i64))
}

// --- interning ------------------------------------------------------------------

/// Interned through `sys.intern`, so C and Python share one table.
fn intern(vm: &VirtualMachine, s: PyObjectRef) -> PyResult<PyObjectRef> {
    vm.sys_module.get_attr("intern", vm)?.call((s,), vm)
}

/// # Safety
/// `p` must be NULL or point at a (possibly NULL) object pointer.
#[cpython_api]
unsafe fn PyUnicode_InternInPlace(vm: &VirtualMachine, p: *mut *mut PyObject) {
    // SAFETY: the caller guarantees `p`.
    let s = if p.is_null() { std::ptr::null_mut() } else { unsafe { *p } };
    // CPython quietly leaves anything but an exact str alone.
    if s.is_null() || !has_type_flag(s, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return;
    }
    // SAFETY: `s` is a live object.
    if unsafe { (*s).ob_type } != &raw mut crate::types::PyUnicode_Type {
        return;
    }
    if has_str_layout(s) && unsafe { state(s) } & STATE_INTERNED != 0 {
        return;
    }
    let Ok(host) = to_host(vm, s) else { return };
    let Ok(interned) = intern(vm, host.clone()) else { return };
    if interned.is(&host) {
        set_interned(s, vm, &host, SSTATE_INTERNED_MORTAL);
        return;
    }
    let replacement = proxy::new_ref(vm, &interned);
    set_interned(replacement, vm, &interned, SSTATE_INTERNED_MORTAL);
    // SAFETY: `p` is valid (checked above); the old reference was the caller's.
    unsafe { *p = replacement };
    proxy::decref(s);
}

/// Deprecated: interns, and the str lives for ever.
///
/// # Safety
/// As `PyUnicode_InternInPlace`.
#[cpython_api]
unsafe fn PyUnicode_InternImmortal(vm: &VirtualMachine, p: *mut *mut PyObject) -> PyResult<()> {
    warn_deprecated(vm, "PyUnicode_InternImmortal() is deprecated; use PyUnicode_InternInPlace() instead")?;
    // SAFETY: the caller guarantees `p`.
    unsafe { PyUnicode_InternInPlace(p) };
    // SAFETY: as above.
    let s = unsafe { *p };
    if !s.is_null() && has_str_layout(s) && unsafe { state(s) } & STATE_INTERNED != 0 {
        let host = to_host(vm, s)?;
        set_interned(s, vm, &host, SSTATE_INTERNED_IMMORTAL);
        proxy::make_immortal(s);
    }
    Ok(())
}

#[cpython_api]
fn PyUnicode_InternFromString(vm: &VirtualMachine, u: *const c_char) -> PyResult<*mut PyObject> {
    if u.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: `u` is a NUL-terminated string (checked non-NULL above).
    let bytes = unsafe { std::ffi::CStr::from_ptr(u) }.to_bytes();
    let interned = intern(vm, decode_utf8(vm, bytes)?)?;
    let p = proxy::new_ref(vm, &interned);
    set_interned(p, vm, &interned, SSTATE_INTERNED_MORTAL);
    Ok(p)
}

/// The interned str of a static identifier, a borrowed reference that stays
/// valid for ever (its proxy is immortal).
///
/// # Safety
/// `id` must point at a `_Py_Identifier` with a NUL-terminated string.
#[cpython_api]
unsafe fn _PyUnicode_FromId(vm: &VirtualMachine, id: *mut PyIdentifier) -> PyResult<*mut PyObject> {
    if id.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller guarantees the identifier.
    let name = c_str_arg(vm, unsafe { (*id).string })?;
    let interned = intern(vm, vm.ctx.new_str(name).into())?;
    let p = proxy::new_ref(vm, &interned);
    set_interned(p, vm, &interned, SSTATE_INTERNED_MORTAL);
    proxy::make_immortal(p);
    Ok(p)
}

/// CPython's `_Py_Identifier` (abstract.h).
#[repr(C)]
pub struct PyIdentifier {
    string: *const c_char,
    index: Py_ssize_t,
}

// --- characters -------------------------------------------------------------------

#[cpython_api]
fn PyUnicode_GetLength(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<Py_ssize_t> {
    if !unicode.is_null() && has_str_layout(unicode) {
        // SAFETY: a Str-layout proxy has its struct in place.
        return Ok(unsafe { (*ascii_struct(unicode)).length });
    }
    Ok(as_str(vm, unicode)?.char_len() as Py_ssize_t)
}

/// Deprecated: the length in wchar_t units, the length itself here.
#[cpython_api]
fn PyUnicode_GetSize(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<Py_ssize_t> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_argument(vm));
    }
    Ok(chars_of(vm, unicode)?.len() as Py_ssize_t)
}

/// The code point at `index`; (Py_UCS4)-1 with an exception on failure.
#[cpython_api]
fn PyUnicode_ReadChar(vm: &VirtualMachine, unicode: *mut PyObject, index: Py_ssize_t) -> PyResult<u32> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_argument(vm));
    }
    let chars = chars_of(vm, unicode)?;
    if index < 0 || index as usize >= chars.len() {
        return Err(vm.new_index_error("string index out of range".to_owned()));
    }
    Ok(chars.get(index as usize))
}

#[cpython_api]
fn PyUnicode_WriteChar(vm: &VirtualMachine, unicode: *mut PyObject, index: Py_ssize_t, ch: u32) -> PyResult<c_int> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) || !has_str_layout(unicode) {
        return Err(bad_argument(vm));
    }
    // SAFETY: a Str-layout proxy has its struct and text in place.
    let text = unsafe { Text::of(unicode) };
    if index < 0 || index as usize >= text.length {
        return Err(vm.new_index_error("string index out of range".to_owned()));
    }
    check_modifiable(vm, unicode)?;
    // SAFETY: as above.
    if ch > unsafe { max_char_value(unicode) } {
        return Err(vm.new_value_error("character out of range".to_owned()));
    }
    text.set(index as usize, ch);
    Ok(0)
}

/// # Safety
/// `p` must be a Str-layout proxy.
unsafe fn max_char_value(p: *mut PyObject) -> u32 {
    // SAFETY: the caller guarantees the struct.
    let word = unsafe { state(p) };
    let kind = ((word & STATE_KIND) >> STATE_KIND_SHIFT) as u8;
    Form { kind, ascii: word & STATE_ASCII != 0 }.max_char()
}

/// Copies the text into `target` (or a new PyMem block when NULL),
/// optionally NUL-terminated.
fn as_ucs4(vm: &VirtualMachine, unicode: *mut PyObject, target: *mut u32, target_size: Py_ssize_t, copy_null: bool) -> PyResult<*mut u32> {
    let chars = chars_of(vm, unicode)?;
    let needed = chars.len() + copy_null as usize;
    let target = if target.is_null() {
        let block = super::pymem::malloc(needed * 4) as *mut u32;
        if block.is_null() {
            return Err(crate::error_indicator::no_memory(vm));
        }
        block
    } else {
        if (target_size as usize) < needed {
            if copy_null && target_size > 0 {
                // SAFETY: the buffer holds at least one character.
                unsafe { *target = 0 };
            }
            return Err(vm.new_system_error("string is longer than the buffer".to_owned()));
        }
        target
    };
    for i in 0..chars.len() {
        // SAFETY: the buffer holds `needed` characters.
        unsafe { *target.add(i) = chars.get(i) };
    }
    if copy_null {
        // SAFETY: as above.
        unsafe { *target.add(chars.len()) = 0 };
    }
    Ok(target)
}

/// # Safety
/// `buffer` must hold `buflen` characters.
#[cpython_api]
unsafe fn PyUnicode_AsUCS4(vm: &VirtualMachine, unicode: *mut PyObject, buffer: *mut u32, buflen: Py_ssize_t, copy_null: c_int) -> PyResult<*mut u32> {
    if buffer.is_null() || buflen < 0 {
        return Err(bad_internal_call(vm));
    }
    as_ucs4(vm, unicode, buffer, buflen, copy_null != 0)
}

#[cpython_api]
fn PyUnicode_AsUCS4Copy(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut u32> {
    as_ucs4(vm, unicode, std::ptr::null_mut(), 0, true)
}

/// A new str of `length` characters holding the start of `p`'s text, with
/// `p`'s kind.
fn resized_copy(vm: &VirtualMachine, p: *mut PyObject, length: usize) -> PyResult<*mut PyObject> {
    let chars = chars_of(vm, p)?;
    let max_char = if has_str_layout(p) {
        // SAFETY: a Str-layout proxy has its struct in place.
        unsafe { max_char_value(p) }
    } else {
        Form::for_max_char(chars.max_in(0, chars.len())).max_char()
    };
    let copy = new_pending_str(vm, length, max_char)?;
    // SAFETY: the new str's struct and text are in place.
    let text = unsafe { Text::of(copy) };
    for i in 0..length.min(chars.len()) {
        text.set(i, chars.get(i));
    }
    Ok(copy)
}

/// Resizes `*unicode` to `length` characters. The layer's proxies have a
/// fixed size, so a new str always replaces the old one.
///
/// # Safety
/// `unicode` must be NULL or point at an owned object pointer.
#[cpython_api]
unsafe fn PyUnicode_Resize(vm: &VirtualMachine, unicode: *mut *mut PyObject, length: Py_ssize_t) -> PyResult<c_int> {
    if unicode.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller guarantees the pointer.
    let old = unsafe { *unicode };
    if old.is_null() || !has_type_flag(old, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) || length < 0 {
        return Err(bad_internal_call(vm));
    }
    if chars_of(vm, old)?.len() == length as usize {
        return Ok(0);
    }
    let replacement = if length == 0 { empty_str(vm) } else { resized_copy(vm, old, length as usize)? };
    // SAFETY: as above; the old reference was the caller's.
    unsafe { *unicode = replacement };
    proxy::decref(old);
    Ok(0)
}

fn kind_name(p: *mut PyObject) -> &'static str {
    if !has_str_layout(p) {
        return "legacy";
    }
    // SAFETY: a Str-layout proxy has its struct in place.
    let word = unsafe { state(p) };
    match ((word & STATE_KIND) >> STATE_KIND_SHIFT, word & STATE_ASCII != 0) {
        (1, true) => "ascii",
        (1, false) => "latin1",
        (2, _) => "UCS2",
        (4, _) => "UCS4",
        _ => "<invalid kind>",
    }
}

#[cpython_api]
fn PyUnicode_CopyCharacters(vm: &VirtualMachine, to: *mut PyObject, to_start: Py_ssize_t, from: *mut PyObject, from_start: Py_ssize_t, how_many: Py_ssize_t) -> PyResult<Py_ssize_t> {
    if from.is_null() || to.is_null() || !has_type_flag(from, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) || !has_type_flag(to, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_internal_call(vm));
    }
    let source = chars_of(vm, from)?;
    let target_len = chars_of(vm, to)?.len();
    if from_start as usize > source.len() || to_start as usize > target_len {
        return Err(vm.new_index_error("string index out of range".to_owned()));
    }
    if how_many < 0 {
        return Err(vm.new_system_error("how_many cannot be negative".to_owned()));
    }
    let how_many = how_many.min((source.len() - from_start as usize) as Py_ssize_t);
    if to_start + how_many > target_len as Py_ssize_t {
        return Err(vm.new_system_error(format!(
            "Cannot write {how_many} characters at {to_start} in a string of {target_len} characters"
        )));
    }
    if how_many == 0 {
        return Ok(0);
    }
    check_modifiable(vm, to)?;
    // SAFETY: `to` passed the check, so it is a Str-layout proxy.
    let (target, limit) = unsafe { (Text::of(to), max_char_value(to)) };
    let (from_start, to_start) = (from_start as usize, to_start as usize);
    if source.max_in(from_start, from_start + how_many as usize) > limit {
        return Err(vm.new_system_error(format!(
            "Cannot copy {} characters into a string of {} characters",
            kind_name(from),
            kind_name(to)
        )));
    }
    for i in 0..how_many as usize {
        target.set(to_start + i, source.get(from_start + i));
    }
    Ok(how_many)
}

/// CopyCharacters without checks, for callers that know the target fits.
#[cpython_api]
fn _PyUnicode_FastCopyCharacters(vm: &VirtualMachine, to: *mut PyObject, to_start: Py_ssize_t, from: *mut PyObject, from_start: Py_ssize_t, how_many: Py_ssize_t) -> PyResult<()> {
    let source = chars_of(vm, from)?;
    if !has_str_layout(to) {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: a Str-layout proxy has its struct and text in place.
    let target = unsafe { Text::of(to) };
    for i in 0..how_many.max(0) as usize {
        target.set(to_start as usize + i, source.get(from_start as usize + i));
    }
    Ok(())
}

#[cpython_api]
fn PyUnicode_Fill(vm: &VirtualMachine, unicode: *mut PyObject, start: Py_ssize_t, length: Py_ssize_t, fill_char: u32) -> PyResult<Py_ssize_t> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_internal_call(vm));
    }
    check_modifiable(vm, unicode)?;
    if start < 0 {
        return Err(vm.new_index_error("string index out of range".to_owned()));
    }
    // SAFETY: `unicode` passed the check, so it is a Str-layout proxy.
    let (text, limit) = unsafe { (Text::of(unicode), max_char_value(unicode)) };
    if fill_char > limit {
        return Err(vm.new_value_error("fill character is bigger than the string maximum character".to_owned()));
    }
    let length = length.min(text.length as Py_ssize_t - start);
    if length <= 0 {
        return Ok(0);
    }
    for i in 0..length as usize {
        text.set(start as usize + i, fill_char);
    }
    Ok(length)
}

#[cpython_api]
fn _PyUnicode_FastFill(vm: &VirtualMachine, unicode: *mut PyObject, start: Py_ssize_t, length: Py_ssize_t, fill_char: u32) -> PyResult<()> {
    if !has_str_layout(unicode) {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: a Str-layout proxy has its struct and text in place.
    let text = unsafe { Text::of(unicode) };
    for i in 0..length.max(0) as usize {
        text.set(start as usize + i, fill_char);
    }
    Ok(())
}

/// The largest character of text[start..end], rounded up to what a kind
/// holds (127, 255, 65535 or 0x10ffff), as CPython reports it.
#[cpython_api]
fn _PyUnicode_FindMaxChar(vm: &VirtualMachine, unicode: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t) -> PyResult<u32> {
    let chars = chars_of(vm, unicode)?;
    let len = chars.len();
    let end = (end.max(0) as usize).min(len);
    let start = start.max(0) as usize;
    if start >= end {
        return Ok(127);
    }
    Ok(Form::for_max_char(chars.max_in(start, end)).max_char())
}

#[cpython_api]
fn _PyUnicode_Ready(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<c_int> {
    if unicode.is_null() {
        return Err(bad_internal_call(vm));
    }
    Ok(0)
}

/// Checks the struct's invariants the way CPython's debug check does;
/// returns 1 (a broken str stops the process, as CPython's assertions do).
#[cpython_api]
fn _PyUnicode_CheckConsistency(unicode: *mut PyObject, check_content: c_int) -> c_int {
    if unicode.is_null() || !has_str_layout(unicode) {
        return 1;
    }
    // SAFETY: a Str-layout proxy has its struct and text in place.
    let (text, word) = unsafe { (Text::of(unicode), state(unicode)) };
    let kind_ok = matches!(text.kind, 1 | 2 | 4) && (word & STATE_ASCII == 0 || text.kind == 1);
    if !kind_ok || word & STATE_READY == 0 {
        crate::boundary::fatal("_PyUnicode_CheckConsistency: a str with an invalid state");
    }
    if check_content != 0 && word & STATE_ASCII != 0 && (0..text.length).any(|i| text.get(i) > 0x7f) {
        crate::boundary::fatal("_PyUnicode_CheckConsistency: an ASCII str holds a non-ASCII character");
    }
    1
}

// --- wchar_t ------------------------------------------------------------------------

/// The wchar_t (UTF-32) copy of a str, kept by the proxy and recorded in the
/// struct's `wstr`; a kind-4 str's text is already one.
fn wide_view(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<(*mut libc::wchar_t, usize)> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_argument(vm));
    }
    if has_str_layout(unicode) {
        // SAFETY: a Str-layout proxy has its struct and text in place.
        let (text, existing) = unsafe { (Text::of(unicode), (*ascii_struct(unicode)).wstr) };
        if !existing.is_null() {
            return Ok((existing, text.length));
        }
        let wide = if text.kind == 4 {
            text.data as *mut libc::wchar_t
        } else {
            let mut buffer = vec![0u8; (text.length + 1) * 4];
            for i in 0..text.length {
                buffer[i * 4..i * 4 + 4].copy_from_slice(&text.get(i).to_ne_bytes());
            }
            // SAFETY: the GIL is held and no other view of this header is live.
            let h = unsafe { proxy::header_mut(unicode) }.ok_or_else(|| bad_internal_call(vm))?;
            h.set_wstr(buffer.into_boxed_slice());
            h.wstr().unwrap().as_mut_ptr() as *mut libc::wchar_t
        };
        // SAFETY: as above.
        unsafe {
            (*ascii_struct(unicode)).wstr = wide;
            if state(unicode) & (STATE_ASCII | STATE_COMPACT) != STATE_ASCII | STATE_COMPACT {
                (*compact_struct(unicode)).wstr_length = text.length as Py_ssize_t;
            }
        }
        return Ok((wide, text.length));
    }
    // A str whose proxy the layer does not lay out (an instance of a C
    // subclass): the copy lives in the proxy's header.
    let chars = chars_of(vm, unicode)?;
    let mut buffer = vec![0u8; (chars.len() + 1) * 4];
    for i in 0..chars.len() {
        buffer[i * 4..i * 4 + 4].copy_from_slice(&chars.get(i).to_ne_bytes());
    }
    // SAFETY: the GIL is held and no other view of this header is live.
    let h = unsafe { proxy::header_mut(unicode) }.ok_or_else(|| bad_internal_call(vm))?;
    h.set_wstr(buffer.into_boxed_slice());
    Ok((h.wstr().unwrap().as_mut_ptr() as *mut libc::wchar_t, chars.len()))
}

#[cpython_api]
fn PyUnicode_AsUnicode(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut libc::wchar_t> {
    Ok(wide_view(vm, unicode)?.0)
}

/// # Safety
/// `size` must be NULL or writable.
#[cpython_api]
unsafe fn PyUnicode_AsUnicodeAndSize(vm: &VirtualMachine, unicode: *mut PyObject, size: *mut Py_ssize_t) -> PyResult<*mut libc::wchar_t> {
    let (wide, len) = wide_view(vm, unicode)?;
    if !size.is_null() {
        // SAFETY: the caller guarantees `size`.
        unsafe { *size = len as Py_ssize_t };
    }
    Ok(wide)
}

/// Like PyUnicode_AsUnicode, but refuses text with a NUL character.
#[cpython_api]
fn _PyUnicode_AsUnicode(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*const libc::wchar_t> {
    let (wide, len) = wide_view(vm, unicode)?;
    // SAFETY: the view holds `len` characters.
    if unsafe { std::slice::from_raw_parts(wide, len) }.contains(&0) {
        return Err(vm.new_value_error("embedded null character".to_owned()));
    }
    Ok(wide)
}

/// Copies at most `size` wide characters (with the NUL if it fits); with a
/// NULL buffer, the size needed including the NUL.
///
/// # Safety
/// `w` must be NULL or hold `size` wide characters.
#[cpython_api]
unsafe fn PyUnicode_AsWideChar(vm: &VirtualMachine, unicode: *mut PyObject, w: *mut libc::wchar_t, size: Py_ssize_t) -> PyResult<Py_ssize_t> {
    if unicode.is_null() {
        return Err(bad_internal_call(vm));
    }
    let chars = chars_of(vm, unicode)?;
    let len = chars.len() as Py_ssize_t;
    if w.is_null() {
        return Ok(len + 1);
    }
    let (copied, result) = if size > len { (len + 1, len) } else { (size.max(0), size.max(0)) };
    for i in 0..copied as usize {
        let c = if i < chars.len() { chars.get(i) } else { 0 };
        // SAFETY: the caller's buffer holds `size` >= `copied` characters.
        unsafe { *w.add(i) = c as libc::wchar_t };
    }
    Ok(result)
}

/// A new PyMem block with the wide text and a NUL; with a NULL `size`, text
/// holding a NUL is refused.
///
/// # Safety
/// `size` must be NULL or writable.
#[cpython_api]
unsafe fn PyUnicode_AsWideCharString(vm: &VirtualMachine, unicode: *mut PyObject, size: *mut Py_ssize_t) -> PyResult<*mut libc::wchar_t> {
    if unicode.is_null() {
        return Err(bad_internal_call(vm));
    }
    let chars = chars_of(vm, unicode)?;
    if size.is_null() && (0..chars.len()).any(|i| chars.get(i) == 0) {
        return Err(vm.new_value_error("embedded null character".to_owned()));
    }
    let block = as_ucs4(vm, unicode, std::ptr::null_mut(), 0, true)?;
    if !size.is_null() {
        // SAFETY: the caller guarantees `size`.
        unsafe { *size = chars.len() as Py_ssize_t };
    }
    Ok(block as *mut libc::wchar_t)
}

// --- UTF-8 ---------------------------------------------------------------------------

/// The UTF-8 of a str, NUL-terminated, kept as long as the proxy: ASCII
/// text is its own UTF-8; other compact text gets `utf8`/`utf8_length`.
fn utf8_of(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<(*const c_char, usize)> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_argument(vm));
    }
    if has_str_layout(unicode) {
        // SAFETY: a Str-layout proxy has its struct and text in place.
        let (text, word) = unsafe { (Text::of(unicode), state(unicode)) };
        if word & STATE_ASCII != 0 {
            // The str's own text, as in CPython. C that alone holds a fresh
            // str writes its text through this pointer (pyfastx's
            // reverse_complement), which CPython's str then shows: such a
            // str's host is made again from the text when it next crosses.
            make_modifiable(unicode);
            return Ok((text.data as *const c_char, text.length));
        }
        // SAFETY: as above; a non-ASCII str has the longer struct.
        let cached = unsafe { (*compact_struct(unicode)).utf8 };
        if !cached.is_null() {
            // SAFETY: as above.
            return Ok((cached, unsafe { (*compact_struct(unicode)).utf8_length } as usize));
        }
        let mut utf8 = String::with_capacity(text.length);
        for i in 0..text.length {
            match char::from_u32(text.get(i)) {
                Some(c) => utf8.push(c),
                None => {
                    // A lone surrogate: the host's encoder raises the error.
                    let host = to_host(vm, unicode)?;
                    let err = vm.call_method(&host, "encode", ("utf-8",)).err();
                    return Err(err.unwrap_or_else(|| vm.new_system_error("str is not valid UTF-8".to_owned())));
                }
            }
        }
        let len = utf8.len();
        let mut buffer = utf8.into_bytes();
        buffer.push(0);
        // SAFETY: the GIL is held and no other view of this header is live.
        let h = unsafe { proxy::header_mut(unicode) }.ok_or_else(|| bad_internal_call(vm))?;
        h.set_utf8(buffer.into_boxed_slice());
        let ptr = h.utf8().unwrap().as_ptr() as *mut c_char;
        // SAFETY: as above.
        unsafe {
            (*compact_struct(unicode)).utf8 = ptr;
            (*compact_struct(unicode)).utf8_length = len as Py_ssize_t;
        }
        return Ok((ptr, len));
    }
    // SAFETY: the GIL is held and no other view of this header is live.
    if let Some(utf8) = unsafe { proxy::header_mut(unicode) }.and_then(|h| h.utf8()) {
        return Ok((utf8.as_ptr() as *const c_char, utf8.len() - 1));
    }
    let s = as_str(vm, unicode)?;
    let text = match s.to_str() {
        Some(t) => t.to_owned(),
        None => {
            let err = vm.call_method(s.as_object(), "encode", ("utf-8",)).err();
            return Err(err.unwrap_or_else(|| vm.new_system_error("str is not valid UTF-8".to_owned())));
        }
    };
    let len = text.len();
    let mut buffer = text.into_bytes();
    buffer.push(0);
    // SAFETY: the GIL is held and no other view of this header is live.
    let h = unsafe { proxy::header_mut(unicode) }.ok_or_else(|| bad_internal_call(vm))?;
    h.set_utf8(buffer.into_boxed_slice());
    Ok((h.utf8().unwrap().as_ptr() as *const c_char, len))
}

/// # Safety
/// `size` must be NULL or writable.
#[cpython_api]
unsafe fn PyUnicode_AsUTF8AndSize(vm: &VirtualMachine, unicode: *mut PyObject, size: *mut Py_ssize_t) -> PyResult<*const c_char> {
    let (ptr, len) = utf8_of(vm, unicode)?;
    if !size.is_null() {
        // SAFETY: the caller guarantees `size`.
        unsafe { *size = len as Py_ssize_t };
    }
    Ok(ptr)
}

#[cpython_api]
fn PyUnicode_AsUTF8(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*const c_char> {
    Ok(utf8_of(vm, unicode)?.0)
}

#[cpython_api]
fn PyUnicode_AsUTF8String(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    encode_with(vm, unicode, "utf_8_encode", std::ptr::null())
}

#[cpython_api]
fn _PyUnicode_AsUTF8String(vm: &VirtualMachine, unicode: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    encode_with(vm, unicode, "utf_8_encode", errors)
}

/// `size` bytes of UTF-8, with the named error handler ("strict" if NULL).
///
/// # Safety
/// `s` must hold `size` readable bytes.
#[cpython_api]
unsafe fn PyUnicode_DecodeUTF8(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    unsafe { decode_with(vm, "utf_8_decode", s, size, errors, std::ptr::null_mut()) }
}

/// # Safety
/// As `PyUnicode_DecodeUTF8`; `consumed` NULL or writable.
#[cpython_api]
unsafe fn PyUnicode_DecodeUTF8Stateful(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes and `consumed`.
    unsafe { decode_with(vm, "utf_8_decode", s, size, errors, consumed) }
}

// --- the other codecs ---------------------------------------------------------------

/// Decodes C bytes with `_codecs.<function>(data, errors, final)`; a stateful
/// decode (non-NULL `consumed`) leaves an incomplete sequence at the end for
/// the next call and says how many bytes it used.
///
/// # Safety
/// `s` must hold `size` readable bytes; `consumed` NULL or writable.
unsafe fn decode_with(vm: &VirtualMachine, function: &'static str, s: *const c_char, size: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    let data = unsafe { c_bytes(vm, s, size)? };
    let errors = errors_arg(vm, errors)?;
    let result = if matches!(function, "latin_1_decode" | "ascii_decode") {
        codecs_call(vm, function, (data, errors))?
    } else {
        codecs_call(vm, function, (data, errors, vm.ctx.new_bool(consumed.is_null())))?
    };
    if !consumed.is_null() {
        let used: Py_ssize_t = item(vm, &result, 1)?.try_into_value(vm)?;
        // SAFETY: the caller guarantees `consumed`.
        unsafe { *consumed = used };
    }
    Ok(into_ref(vm, item(vm, &result, 0)?))
}

/// Encodes a str with `_codecs.<function>(str, errors)`.
fn encode_with(vm: &VirtualMachine, unicode: *mut PyObject, function: &'static str, errors: *const c_char) -> PyResult<*mut PyObject> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_argument(vm));
    }
    let s = to_host(vm, unicode)?;
    let result = codecs_call(vm, function, (s, errors_arg(vm, errors)?))?;
    Ok(into_ref(vm, item(vm, &result, 0)?))
}

/// UTF-16/32 with a byte order: -1 little, 1 big, 0 (or NULL) read from a
/// BOM and reported back in `*byteorder`.
///
/// # Safety
/// `s` must hold `size` readable bytes; the pointers NULL or writable.
unsafe fn decode_wide(vm: &VirtualMachine, function: &'static str, s: *const c_char, size: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int, consumed: *mut Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    let data = unsafe { c_bytes(vm, s, size)? };
    // SAFETY: the caller guarantees `byteorder`.
    let order = if byteorder.is_null() { 0 } else { unsafe { *byteorder } };
    let result = codecs_call(vm, function, (data.clone(), errors_arg(vm, errors)?, vm.ctx.new_int(order), vm.ctx.new_bool(consumed.is_null())))
        .map_err(|e| name_byte_order(vm, e, function, &data, order))?;
    if !consumed.is_null() {
        let used: Py_ssize_t = item(vm, &result, 1)?.try_into_value(vm)?;
        // SAFETY: the caller guarantees `consumed`.
        unsafe { *consumed = used };
    }
    if !byteorder.is_null() {
        let found: c_int = item(vm, &result, 2)?.try_into_value(vm)?;
        // SAFETY: the caller guarantees `byteorder`.
        unsafe { *byteorder = found };
    }
    Ok(into_ref(vm, item(vm, &result, 0)?))
}

/// CPython names the byte order in a decode error ("utf-16-le"): the
/// order given, else the one a BOM selects, else the native one.
fn name_byte_order(vm: &VirtualMachine, e: rustpython_vm::builtins::PyBaseExceptionRef, function: &str, data: &PyObjectRef, order: c_int) -> rustpython_vm::builtins::PyBaseExceptionRef {
    if !e.fast_isinstance(vm.ctx.exceptions.unicode_decode_error) {
        return e;
    }
    let wide32 = function.starts_with("utf_32");
    let bytes = data.downcast_ref::<PyBytes>().map(|b| b.as_bytes().to_vec()).unwrap_or_default();
    let order = if order != 0 {
        order
    } else if wide32 && bytes.starts_with(&[0, 0, 0xFE, 0xFF]) || !wide32 && bytes.starts_with(&[0xFE, 0xFF]) {
        1
    } else {
        -1
    };
    let name = format!("utf-{}-{}", if wide32 { 32 } else { 16 }, if order > 0 { "be" } else { "le" });
    let _ = e.as_object().set_attr("encoding", vm.ctx.new_str(name), vm);
    e
}

/// # Safety
/// `s` must hold `size` readable bytes; `byteorder` NULL or writable.
#[cpython_api]
unsafe fn PyUnicode_DecodeUTF16(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's guarantees.
    unsafe { decode_wide(vm, "utf_16_ex_decode", s, size, errors, byteorder, std::ptr::null_mut()) }
}

/// # Safety
/// As `PyUnicode_DecodeUTF16`; `consumed` NULL or writable.
#[cpython_api]
unsafe fn PyUnicode_DecodeUTF16Stateful(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int, consumed: *mut Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's guarantees.
    unsafe { decode_wide(vm, "utf_16_ex_decode", s, size, errors, byteorder, consumed) }
}

/// # Safety
/// As `PyUnicode_DecodeUTF16`.
#[cpython_api]
unsafe fn PyUnicode_DecodeUTF32(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's guarantees.
    unsafe { decode_wide(vm, "utf_32_ex_decode", s, size, errors, byteorder, std::ptr::null_mut()) }
}

/// # Safety
/// As `PyUnicode_DecodeUTF16Stateful`.
#[cpython_api]
unsafe fn PyUnicode_DecodeUTF32Stateful(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int, consumed: *mut Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's guarantees.
    unsafe { decode_wide(vm, "utf_32_ex_decode", s, size, errors, byteorder, consumed) }
}

/// UTF-16/32 with a byte order (0: native with a BOM).
fn encode_wide(vm: &VirtualMachine, unicode: *mut PyObject, function: &'static str, errors: *const c_char, byteorder: c_int) -> PyResult<*mut PyObject> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_argument(vm));
    }
    let s = to_host(vm, unicode)?;
    let result = codecs_call(vm, function, (s, errors_arg(vm, errors)?, vm.ctx.new_int(byteorder)))?;
    Ok(into_ref(vm, item(vm, &result, 0)?))
}

#[cpython_api]
fn PyUnicode_AsUTF16String(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    encode_wide(vm, unicode, "utf_16_encode", std::ptr::null(), 0)
}

#[cpython_api]
fn _PyUnicode_EncodeUTF16(vm: &VirtualMachine, unicode: *mut PyObject, errors: *const c_char, byteorder: c_int) -> PyResult<*mut PyObject> {
    encode_wide(vm, unicode, "utf_16_encode", errors, byteorder)
}

/// How UTF-7 (RFC 2152) may write an ASCII character: directly (set D),
/// directly unless asked not to (set O, or white space), or only in base64.
enum Utf7Class {
    Direct,
    Optional,
    WhiteSpace,
    Base64Only,
}

fn utf7_class(c: u32) -> Utf7Class {
    match char::from_u32(c) {
        Some('A'..='Z' | 'a'..='z' | '0'..='9' | '\'' | '(' | ')' | ',' | '-' | '.' | '/' | ':' | '?') => Utf7Class::Direct,
        Some('!' | '"' | '#' | '$' | '%' | '&' | '*' | ';' | '<' | '=' | '>' | '@' | '[' | ']' | '^' | '_' | '`' | '{' | '|' | '}') => {
            Utf7Class::Optional
        }
        Some(' ' | '\t' | '\r' | '\n') => Utf7Class::WhiteSpace,
        _ => Utf7Class::Base64Only,
    }
}

/// UTF-7 with the choice of writing set O and white space in base64 too;
/// `str.encode("utf-7")` is (0, 0). Lone surrogates are written as the
/// 16-bit units they are, and nothing can fail, so `errors` is not used.
#[cpython_api]
fn _PyUnicode_EncodeUTF7(vm: &VirtualMachine, unicode: *mut PyObject, base64_set_o: c_int, base64_white_space: c_int, _errors: *const c_char) -> PyResult<*mut PyObject> {
    const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let text = as_str(vm, unicode)?;
    let direct = |c: u32| match utf7_class(c) {
        Utf7Class::Direct => true,
        Utf7Class::Optional => base64_set_o == 0,
        Utf7Class::WhiteSpace => base64_white_space == 0,
        Utf7Class::Base64Only => false,
    };
    let mut out = Vec::with_capacity(text.byte_len());
    // Inside a base64 run: the bits not written yet (the low `bits` of `buffer`).
    let (mut shifted, mut bits, mut buffer) = (false, 0u32, 0u64);
    for point in text.as_wtf8().code_points() {
        let c = point.to_u32();
        if shifted && direct(c) {
            // Leaving base64: the bits left over, then '-' where the next
            // character would otherwise be read as base64.
            if bits > 0 {
                out.push(BASE64[((buffer << (6 - bits)) & 0x3f) as usize]);
                bits = 0;
            }
            shifted = false;
            if c == u32::from(b'-') || BASE64.contains(&(c as u8)) {
                out.push(b'-');
            }
            out.push(c as u8);
            continue;
        }
        if !shifted {
            if c == u32::from(b'+') {
                out.extend_from_slice(b"+-");
                continue;
            }
            if direct(c) {
                out.push(c as u8);
                continue;
            }
            out.push(b'+');
            shifted = true;
        }
        let units: Vec<u32> = if c >= 0x10000 { vec![0xd800 | ((c - 0x10000) >> 10), 0xdc00 | ((c - 0x10000) & 0x3ff)] } else { vec![c] };
        for unit in units {
            buffer = (buffer << 16) | u64::from(unit);
            bits += 16;
            while bits >= 6 {
                out.push(BASE64[((buffer >> (bits - 6)) & 0x3f) as usize]);
                bits -= 6;
            }
        }
    }
    if bits > 0 {
        out.push(BASE64[((buffer << (6 - bits)) & 0x3f) as usize]);
    }
    if shifted {
        out.push(b'-');
    }
    Ok(into_ref(vm, vm.ctx.new_bytes(out).into()))
}

#[cpython_api]
fn PyUnicode_AsUTF32String(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    encode_wide(vm, unicode, "utf_32_encode", std::ptr::null(), 0)
}

#[cpython_api]
fn _PyUnicode_EncodeUTF32(vm: &VirtualMachine, unicode: *mut PyObject, errors: *const c_char, byteorder: c_int) -> PyResult<*mut PyObject> {
    encode_wide(vm, unicode, "utf_32_encode", errors, byteorder)
}

/// # Safety
/// `s` must hold `size` readable bytes.
#[cpython_api]
unsafe fn PyUnicode_DecodeUTF7(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    unsafe { decode_with(vm, "utf_7_decode", s, size, errors, std::ptr::null_mut()) }
}

/// # Safety
/// As `PyUnicode_DecodeUTF7`; `consumed` NULL or writable.
#[cpython_api]
unsafe fn PyUnicode_DecodeUTF7Stateful(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's guarantees.
    unsafe { decode_with(vm, "utf_7_decode", s, size, errors, consumed) }
}

/// # Safety
/// `s` must hold `size` readable bytes.
#[cpython_api]
unsafe fn PyUnicode_DecodeLatin1(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    unsafe { decode_with(vm, "latin_1_decode", s, size, errors, std::ptr::null_mut()) }
}

#[cpython_api]
fn PyUnicode_AsLatin1String(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    encode_with(vm, unicode, "latin_1_encode", std::ptr::null())
}

#[cpython_api]
fn _PyUnicode_AsLatin1String(vm: &VirtualMachine, unicode: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    encode_with(vm, unicode, "latin_1_encode", errors)
}

/// # Safety
/// `s` must hold `size` readable bytes.
#[cpython_api]
unsafe fn PyUnicode_DecodeASCII(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    unsafe { decode_with(vm, "ascii_decode", s, size, errors, std::ptr::null_mut()) }
}

#[cpython_api]
fn PyUnicode_AsASCIIString(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    encode_with(vm, unicode, "ascii_encode", std::ptr::null())
}

#[cpython_api]
fn _PyUnicode_AsASCIIString(vm: &VirtualMachine, unicode: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    encode_with(vm, unicode, "ascii_encode", errors)
}

/// # Safety
/// `s` must hold `size` readable bytes.
#[cpython_api]
unsafe fn PyUnicode_DecodeUnicodeEscape(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    unsafe { decode_escape_warning(vm, s, size, errors, std::ptr::null_mut()) }
}

/// # Safety
/// As `PyUnicode_DecodeUnicodeEscape`; `consumed` NULL or writable.
#[cpython_api]
unsafe fn _PyUnicode_DecodeUnicodeEscapeStateful(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's guarantees.
    unsafe { decode_escape_warning(vm, s, size, errors, consumed) }
}

/// The offset of the character after the backslash of the first escape
/// the unicode_escape codec does not know (`\q`), if any. A `\N{...}`
/// name is skipped whole; an octal escape above 0o377 is unknown.
fn first_invalid_escape(data: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] != b'\\' {
            i += 1;
            continue;
        }
        match data[i + 1] {
            b'N' if data.get(i + 2) == Some(&b'{') => {
                i = data[i + 3..].iter().position(|&b| b == b'}').map_or(data.len(), |end| i + 3 + end + 1);
            }
            b'0'..=b'7' => {
                // Up to three octal digits; above 0o377 is unknown too.
                let digits = data[i + 1..].iter().take(3).take_while(|b| (b'0'..=b'7').contains(*b)).count();
                let value = data[i + 1..i + 1 + digits].iter().fold(0u32, |v, b| v * 8 + (b - b'0') as u32);
                if value > 0o377 {
                    return Some(i + 1);
                }
                i += 1 + digits;
            }
            b'\n' | b'\\' | b'\'' | b'"' | b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'x' | b'u' | b'U' | b'N' => i += 2,
            _ => return Some(i + 1),
        }
    }
    None
}

/// The unicode_escape decoder without its warning: the first unknown
/// escape is reported through `first_invalid_escape` (NULL if none), for a
/// caller (a parser) that words the warning itself.
///
/// # Safety
/// As `_PyUnicode_DecodeUnicodeEscapeStateful`; `first_invalid_escape`
/// must be writable.
#[cpython_api]
unsafe fn _PyUnicode_DecodeUnicodeEscapeInternal(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t, first_invalid: *mut *const c_char) -> PyResult<*mut PyObject> {
    if first_invalid.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller's guarantees.
    let (text, invalid) = unsafe { decode_escape_silently(vm, s, size, errors, consumed)? };
    // SAFETY: an offset found inside the caller's bytes; the out-pointer is writable.
    unsafe { *first_invalid = invalid.map_or(std::ptr::null(), |at| s.add(at)) };
    Ok(text)
}

/// The unicode_escape codec with its warnings silenced, and the offset of
/// its first unknown escape.
///
/// # Safety
/// `s` must hold `size` readable bytes; `consumed` NULL or writable.
unsafe fn decode_escape_silently(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t) -> PyResult<(*mut PyObject, Option<usize>)> {
    // SAFETY: the caller guarantees the bytes.
    let data = if s.is_null() || size <= 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(s as *const u8, size as usize) } };
    let warnings = crate::types::import_for_layer(vm, "warnings")?;
    let silenced = warnings.get_attr("catch_warnings", vm)?.call((), vm)?;
    vm.call_method(&silenced, "__enter__", ())?;
    let result = vm
        .call_method(&warnings, "simplefilter", (vm.ctx.new_str("ignore"), vm.ctx.exceptions.deprecation_warning.to_owned()))
        // SAFETY: the caller's guarantees.
        .and_then(|_| unsafe { decode_with(vm, "unicode_escape_decode", s, size, errors, consumed) });
    let none = vm.ctx.none();
    if let Err(e) = vm.call_method(&silenced, "__exit__", (none.clone(), none.clone(), none)) {
        if let Ok(text) = result {
            proxy::decref(text);
        }
        return Err(e);
    }
    Ok((result?, first_invalid_escape(data)))
}

/// The unicode_escape codec, warning of its first unknown escape in
/// CPython's words (the host's codec words it otherwise).
///
/// # Safety
/// As `decode_escape_silently`.
unsafe fn decode_escape_warning(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's guarantees.
    let (text, invalid) = unsafe { decode_escape_silently(vm, s, size, errors, consumed)? };
    let Some(at) = invalid else { return Ok(text) };
    // SAFETY: `at` is inside the caller's `size` bytes.
    let escape = unsafe { std::slice::from_raw_parts(s.add(at) as *const u8, (size as usize - at).min(3)) };
    let message = if escape[0].is_ascii_digit() && escape[0] < b'8' {
        format!("invalid octal escape sequence '\\{}'", String::from_utf8_lossy(escape))
    } else {
        format!("invalid escape sequence '\\{}'", escape[0] as char)
    };
    let category = vm.ctx.exceptions.deprecation_warning.to_owned().into();
    if let Err(e) = super::warnings::warn_host(vm, category, vm.ctx.new_str(message).into(), 1) {
        proxy::decref(text);
        return Err(e);
    }
    Ok(text)
}

#[cpython_api]
fn PyUnicode_AsUnicodeEscapeString(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    encode_with(vm, unicode, "unicode_escape_encode", std::ptr::null())
}

/// # Safety
/// `s` must hold `size` readable bytes.
#[cpython_api]
unsafe fn PyUnicode_DecodeRawUnicodeEscape(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    unsafe { decode_with(vm, "raw_unicode_escape_decode", s, size, errors, std::ptr::null_mut()) }
}

/// # Safety
/// As `PyUnicode_DecodeRawUnicodeEscape`; `consumed` NULL or writable.
#[cpython_api]
unsafe fn _PyUnicode_DecodeRawUnicodeEscapeStateful(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's guarantees.
    unsafe { decode_with(vm, "raw_unicode_escape_decode", s, size, errors, consumed) }
}

#[cpython_api]
fn PyUnicode_AsRawUnicodeEscapeString(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    encode_with(vm, unicode, "raw_unicode_escape_encode", std::ptr::null())
}

/// A charmap decode; a NULL mapping is Latin-1.
///
/// # Safety
/// `s` must hold `size` readable bytes.
#[cpython_api]
unsafe fn PyUnicode_DecodeCharmap(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, mapping: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    if mapping.is_null() {
        // SAFETY: the caller guarantees the bytes.
        return unsafe { PyUnicode_DecodeLatin1(s, size, errors) }.nonnull(vm);
    }
    // SAFETY: the caller guarantees the bytes.
    let data = unsafe { c_bytes(vm, s, size)? };
    let result = codecs_call(vm, "charmap_decode", (data, errors_arg(vm, errors)?, to_host(vm, mapping)?))?;
    Ok(into_ref(vm, item(vm, &result, 0)?))
}

fn encode_charmap(vm: &VirtualMachine, unicode: *mut PyObject, mapping: *mut PyObject, errors: *const c_char, errors_given: bool) -> PyResult<*mut PyObject> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_argument(vm));
    }
    if mapping.is_null() {
        // Only the private entry point has a default mapping (Latin-1).
        if !errors_given {
            return Err(bad_argument(vm));
        }
        return encode_with(vm, unicode, "latin_1_encode", errors);
    }
    let s = to_host(vm, unicode)?;
    let result = codecs_call(vm, "charmap_encode", (s, errors_arg(vm, errors)?, to_host(vm, mapping)?))?;
    Ok(into_ref(vm, item(vm, &result, 0)?))
}

#[cpython_api]
fn PyUnicode_AsCharmapString(vm: &VirtualMachine, unicode: *mut PyObject, mapping: *mut PyObject) -> PyResult<*mut PyObject> {
    encode_charmap(vm, unicode, mapping, std::ptr::null(), false)
}

#[cpython_api]
fn _PyUnicode_EncodeCharmap(vm: &VirtualMachine, unicode: *mut PyObject, mapping: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    encode_charmap(vm, unicode, mapping, errors, true)
}

#[cpython_api]
fn PyUnicode_BuildEncodingMap(vm: &VirtualMachine, string: *mut PyObject) -> PyResult<*mut PyObject> {
    let s = as_str(vm, string)?;
    Ok(into_ref(vm, codecs_call(vm, "charmap_build", (s,))?))
}

/// The locale's encoding. CPython coerces the C locale to UTF-8 on Linux,
/// and the layer's host decodes file names as UTF-8, so this is UTF-8 with
/// "strict" or "surrogateescape", the two handlers CPython accepts here.
fn locale_errors(vm: &VirtualMachine, errors: *const c_char) -> PyResult<&'static str> {
    match opt_c_str(vm, errors)? {
        None => Ok("strict"),
        Some(e) => match e.downcast_ref::<PyStr>().and_then(|s| s.to_str()) {
            Some("strict") => Ok("strict"),
            Some("surrogateescape") => Ok("surrogateescape"),
            _ => Err(vm.new_value_error("unsupported error handler".to_owned())),
        },
    }
}

/// # Safety
/// `str` must hold `len` readable bytes followed by a NUL.
#[cpython_api]
unsafe fn PyUnicode_DecodeLocaleAndSize(vm: &VirtualMachine, str: *const c_char, len: Py_ssize_t, errors: *const c_char) -> PyResult<*mut PyObject> {
    let errors = locale_errors(vm, errors)?;
    if str.is_null() || len < 0 {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller guarantees `len` bytes and a NUL after them.
    let (data, terminated) = unsafe { (std::slice::from_raw_parts(str as *const u8, len as usize), *str.add(len as usize) == 0) };
    if !terminated || data.contains(&0) {
        return Err(vm.new_value_error("embedded null byte".to_owned()));
    }
    let bytes: PyObjectRef = vm.ctx.new_bytes(data.to_vec()).into();
    match vm.call_method(&bytes, "decode", ("utf-8", errors)) {
        Ok(text) => Ok(into_ref(vm, text)),
        // CPython reports the first undecodable byte under the name "locale".
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.unicode_decode_error) => {
            let start: PyObjectRef = e.as_object().get_attr("start", vm)?;
            let start: isize = start.try_into_value(vm)?;
            let exc = vm.ctx.exceptions.unicode_decode_error.as_object().call(
                ("locale", bytes, vm.ctx.new_int(start), vm.ctx.new_int(start + 1), "decoding error"),
                vm,
            )?;
            Err(exc.downcast().map_err(|_| bad_internal_call(vm))?)
        }
        Err(e) => Err(e),
    }
}

/// # Safety
/// `str` must be a NUL-terminated string.
#[cpython_api]
unsafe fn PyUnicode_DecodeLocale(vm: &VirtualMachine, str: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    if str.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller passes a NUL-terminated string.
    let len = unsafe { libc::strlen(str) };
    // SAFETY: as above.
    unsafe { PyUnicode_DecodeLocaleAndSize(str, len as Py_ssize_t, errors) }.nonnull(vm)
}

#[cpython_api]
fn PyUnicode_EncodeLocale(vm: &VirtualMachine, unicode: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    let errors = locale_errors(vm, errors)?;
    let s = as_str(vm, unicode)?;
    if s.as_wtf8().code_points().any(|c| c.to_u32() == 0) {
        return Err(vm.new_value_error("embedded null character".to_owned()));
    }
    match vm.call_method(s.as_object(), "encode", ("utf-8", errors)) {
        Ok(bytes) => Ok(into_ref(vm, bytes)),
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.unicode_encode_error) => {
            let start: PyObjectRef = e.as_object().get_attr("start", vm)?;
            let start: isize = start.try_into_value(vm)?;
            let exc = vm.ctx.exceptions.unicode_encode_error.as_object().call(
                ("locale", s.clone(), vm.ctx.new_int(start), vm.ctx.new_int(start + 1), "encoding error"),
                vm,
            )?;
            Err(exc.downcast().map_err(|_| bad_internal_call(vm))?)
        }
        Err(e) => Err(e),
    }
}

/// # Safety
/// `s` must be a NUL-terminated string.
#[cpython_api]
unsafe fn PyUnicode_DecodeFSDefault(vm: &VirtualMachine, s: *const c_char) -> PyResult<*mut PyObject> {
    if s.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller passes a NUL-terminated string.
    let len = unsafe { libc::strlen(s) };
    // SAFETY: as above.
    unsafe { PyUnicode_DecodeFSDefaultAndSize(s, len as Py_ssize_t) }.nonnull(vm)
}

/// The file system encoding: UTF-8 with "surrogateescape", as os.fsdecode.
///
/// # Safety
/// `s` must hold `size` readable bytes.
#[cpython_api]
unsafe fn PyUnicode_DecodeFSDefaultAndSize(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    let data = unsafe { c_bytes(vm, s, size)? };
    Ok(into_ref(vm, vm.call_method(&data, "decode", ("utf-8", "surrogateescape"))?))
}

#[cpython_api]
fn PyUnicode_EncodeFSDefault(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    let s = as_str(vm, unicode)?;
    Ok(into_ref(vm, vm.call_method(s.as_object(), "encode", ("utf-8", "surrogateescape"))?))
}

/// An `O&` converter: a str or path-like becomes the bytes of its file
/// system encoding (bytes pass through); a NULL object releases `*result`.
///
/// # Safety
/// `result` must point at an object pointer.
#[cpython_api]
unsafe fn PyUnicode_FSConverter(vm: &VirtualMachine, arg: *mut PyObject, result: *mut c_void) -> c_int {
    // A converter reports failure with 0, not -1.
    // SAFETY: the caller's guarantees.
    unsafe { pyunicode_fsconverter_impl(vm, arg, result) }.unwrap_or_else(|e| {
        crate::error_indicator::set_from_exception(e);
        0
    })
}

/// # Safety
/// As `PyUnicode_FSConverter`.
unsafe fn pyunicode_fsconverter_impl(vm: &VirtualMachine, arg: *mut PyObject, result: *mut c_void) -> PyResult<c_int> {
    let result = result as *mut *mut PyObject;
    if arg.is_null() {
        // SAFETY: the caller guarantees `result`, holding what we stored.
        unsafe {
            proxy::xdecref(*result);
            *result = std::ptr::null_mut();
        }
        return Ok(1);
    }
    let fsencode = crate::types::import_for_layer(vm, "os")?.get_attr("fsencode", vm)?;
    let encoded = fsencode.call((to_host(vm, arg)?,), vm)?;
    let data = encoded.downcast_ref::<PyBytes>().map(|b| b.as_bytes().to_vec()).unwrap_or_default();
    if data.contains(&0) {
        return Err(vm.new_value_error("embedded null byte".to_owned()));
    }
    // SAFETY: the caller guarantees `result`.
    unsafe { *result = into_ref(vm, encoded) };
    Ok(0x20000) // Py_CLEANUP_SUPPORTED
}

/// An `O&` converter: a str stays, bytes and path-likes are decoded from the
/// file system encoding; a NULL object releases `*result`.
///
/// # Safety
/// `result` must point at an object pointer.
#[cpython_api]
unsafe fn PyUnicode_FSDecoder(vm: &VirtualMachine, arg: *mut PyObject, result: *mut c_void) -> c_int {
    // A converter reports failure with 0, not -1.
    // SAFETY: the caller's guarantees.
    unsafe { pyunicode_fsdecoder_impl(vm, arg, result) }.unwrap_or_else(|e| {
        crate::error_indicator::set_from_exception(e);
        0
    })
}

/// # Safety
/// As `PyUnicode_FSDecoder`.
unsafe fn pyunicode_fsdecoder_impl(vm: &VirtualMachine, arg: *mut PyObject, result: *mut c_void) -> PyResult<c_int> {
    let result = result as *mut *mut PyObject;
    if arg.is_null() {
        // SAFETY: the caller guarantees `result`, holding what we stored.
        unsafe {
            proxy::xdecref(*result);
            *result = std::ptr::null_mut();
        }
        return Ok(1);
    }
    let obj = to_host(vm, arg)?;
    let path = if obj.downcast_ref::<PyBytes>().is_some() || obj.downcast_ref::<PyStr>().is_some() {
        obj.clone()
    } else {
        crate::types::import_for_layer(vm, "os")?.get_attr("fspath", vm)?.call((obj.clone(),), vm)?
    };
    let output = if path.downcast_ref::<PyStr>().is_some() {
        path
    } else if path.downcast_ref::<PyBytes>().is_some() {
        vm.call_method(&path, "decode", ("utf-8", "surrogateescape"))?
    } else {
        return Err(vm.new_type_error(format!(
            "path should be string, bytes, or os.PathLike, not {}",
            crate::types::tp_name(vm, obj.class())
        )));
    };
    if output.downcast_ref::<PyStr>().is_some_and(|s| s.as_wtf8().code_points().any(|c| c.to_u32() == 0)) {
        return Err(vm.new_value_error("embedded null character".to_owned()));
    }
    // SAFETY: the caller guarantees `result`.
    unsafe { *result = into_ref(vm, output) };
    Ok(0x20000) // Py_CLEANUP_SUPPORTED
}

/// An `O&` converter to a PyMem wchar_t string (NUL-terminated, with no
/// NUL inside) that the caller frees with PyMem_Free (returns 1, as
/// CPython does); a NULL object frees it.
///
/// # Safety
/// `ptr` must point at a `wchar_t *`.
#[cpython_api]
unsafe fn _PyUnicode_WideCharString_Converter(vm: &VirtualMachine, obj: *mut PyObject, ptr: *mut c_void) -> c_int {
    // SAFETY: the caller's guarantees.
    unsafe { wide_converter(vm, obj, ptr, false) }
}

/// As `_PyUnicode_WideCharString_Converter`, and None gives NULL.
///
/// # Safety
/// `ptr` must point at a `wchar_t *`.
#[cpython_api]
unsafe fn _PyUnicode_WideCharString_Opt_Converter(vm: &VirtualMachine, obj: *mut PyObject, ptr: *mut c_void) -> c_int {
    // SAFETY: the caller's guarantees.
    unsafe { wide_converter(vm, obj, ptr, true) }
}

/// # Safety
/// `ptr` must point at a `wchar_t *`.
unsafe fn wide_converter(vm: &VirtualMachine, obj: *mut PyObject, ptr: *mut c_void, none_is_null: bool) -> c_int {
    let out = ptr as *mut *mut libc::wchar_t;
    if obj.is_null() {
        // SAFETY: the caller's pointer holds what we stored (or NULL).
        unsafe {
            super::pymem::free(*out as *mut c_void);
            *out = std::ptr::null_mut();
        }
        return 1;
    }
    if none_is_null && obj == &raw mut crate::types::_Py_NoneStruct {
        // SAFETY: as above.
        unsafe { *out = std::ptr::null_mut() };
        return 1;
    }
    if !has_type_flag(obj, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        let name = to_host(vm, obj).map(|o| o.class().name().to_string()).unwrap_or_default();
        let expected = if none_is_null { "str or None" } else { "str" };
        crate::error_indicator::set_from_exception(vm.new_type_error(format!("argument must be {expected}, not {name}")));
        return 0;
    }
    // SAFETY: `obj` is a str; a NULL size refuses embedded NULs.
    let wide = unsafe { PyUnicode_AsWideCharString(obj, std::ptr::null_mut()) };
    if wide.is_null() {
        return 0;
    }
    // SAFETY: as above.
    unsafe { *out = wide };
    1
}

/// Decimal digits become ASCII digits and whitespace a space; the text
/// ends with a '?' at the first other non-ASCII character (for int() and
/// float() parsing, which then report the bad text).
#[cpython_api]
unsafe fn _PyUnicode_TransformDecimalAndSpaceToASCII(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    if unicode.is_null() || !has_type_flag(unicode, ffi::Py_TPFLAGS_UNICODE_SUBCLASS) {
        return Err(bad_internal_call(vm));
    }
    let s = as_str(vm, unicode)?;
    if s.as_wtf8().is_ascii() {
        proxy::incref(unicode);
        return Ok(unicode);
    }
    let mut out = String::with_capacity(s.char_len());
    for c in s.as_wtf8().code_points() {
        let ch = c.to_u32();
        // SAFETY: the character functions take plain values.
        let (space, decimal) = unsafe { (_PyUnicode_IsWhitespace(ch) != 0, _PyUnicode_ToDecimalDigit(ch)) };
        if ch < 127 {
            out.push(ch as u8 as char);
        } else if space {
            out.push(' ');
        } else {
            match decimal {
                d @ 0..=9 => out.push((b'0' + d as u8) as char),
                _ => {
                    out.push('?');
                    break;
                }
            }
        }
    }
    Ok(into_ref(vm, vm.ctx.new_str(out).into()))
}

#[cpython_api]
fn PyUnicode_GetDefaultEncoding() -> *const c_char {
    c"utf-8".as_ptr()
}

/// Decodes bytes with a text encoding (UTF-8 and strict when NULL); the
/// codec must make a str.
///
/// # Safety
/// `s` must hold `size` readable bytes.
#[cpython_api]
unsafe fn PyUnicode_Decode(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the bytes.
    let bytes = unsafe { c_bytes(vm, s, size)? };
    let encoding = if encoding.is_null() { "utf-8" } else { c_str_arg(vm, encoding)? };
    let errors = if errors.is_null() { "strict" } else { c_str_arg(vm, errors)? };
    let info = super::codecs::lookup_text_encoding(vm, encoding, "codecs.decode()")?;
    let decoded = super::codecs::run_codec(vm, &info, 1, bytes, Some(errors), encoding)?;
    if decoded.downcast_ref::<PyStr>().is_none() {
        return Err(vm.new_type_error(format!(
            "'{encoding}' decoder returned '{}' instead of 'str'; use codecs.decode() to decode to arbitrary types",
            crate::types::tp_name(vm, decoded.class())
        )));
    }
    Ok(into_ref(vm, decoded))
}

/// Encodes with a text encoding (UTF-8 and "strict" when NULL); the codec
/// must return bytes.
#[cpython_api]
fn PyUnicode_AsEncodedString(vm: &VirtualMachine, unicode: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    let s = as_str(vm, unicode)?;
    let encoding = if encoding.is_null() { "utf-8" } else { c_str_arg(vm, encoding)? };
    let errors = if errors.is_null() { "strict" } else { c_str_arg(vm, errors)? };
    let info = super::codecs::lookup_text_encoding(vm, encoding, "codecs.encode()")?;
    let encoded = super::codecs::run_codec(vm, &info, 0, s.into(), Some(errors), encoding)?;
    if encoded.downcast_ref::<PyBytes>().is_none() {
        return Err(vm.new_type_error(format!(
            "'{encoding}' encoder returned '{}' instead of 'bytes'; use codecs.encode() to encode to arbitrary types",
            crate::types::tp_name(vm, encoded.class())
        )));
    }
    Ok(into_ref(vm, encoded))
}

/// PyCodec_Encode (0) or PyCodec_Decode (1) of a str, for the deprecated
/// As*Object/As*Unicode; the default encoding is UTF-8.
fn codec_object(vm: &VirtualMachine, unicode: *mut PyObject, index: usize, encoding: *const c_char, errors: *const c_char) -> PyResult<(PyObjectRef, PyObjectRef)> {
    let encoding = if encoding.is_null() { c"utf-8".as_ptr() } else { encoding };
    let errors = if errors.is_null() { c"strict".as_ptr() } else { errors };
    let result = super::codecs::codec_apply(vm, unicode, encoding, errors, index)?;
    Ok((result, vm.ctx.new_str(c_str_arg(vm, encoding)?).into()))
}

#[cpython_api]
fn PyUnicode_AsEncodedObject(vm: &VirtualMachine, unicode: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    as_str(vm, unicode)?;
    warn_deprecated(vm, "PyUnicode_AsEncodedObject() is deprecated; use PyUnicode_AsEncodedString() to encode from str to bytes or PyCodec_Encode() for generic encoding")?;
    Ok(into_ref(vm, codec_object(vm, unicode, 0, encoding, errors)?.0))
}

#[cpython_api]
fn PyUnicode_AsEncodedUnicode(vm: &VirtualMachine, unicode: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    as_str(vm, unicode)?;
    warn_deprecated(vm, "PyUnicode_AsEncodedUnicode() is deprecated; use PyCodec_Encode() to encode from str to str")?;
    let (result, encoding) = codec_object(vm, unicode, 0, encoding, errors)?;
    if result.downcast_ref::<PyStr>().is_none() {
        return Err(vm.new_type_error(format!(
            "'{}' encoder returned '{}' instead of 'str'; use codecs.encode() to encode to arbitrary types",
            encoding.str(vm)?,
            crate::types::tp_name(vm, result.class())
        )));
    }
    Ok(into_ref(vm, result))
}

#[cpython_api]
fn PyUnicode_AsDecodedObject(vm: &VirtualMachine, unicode: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    as_str(vm, unicode)?;
    warn_deprecated(vm, "PyUnicode_AsDecodedObject() is deprecated; use PyCodec_Decode() to decode from str")?;
    Ok(into_ref(vm, codec_object(vm, unicode, 1, encoding, errors)?.0))
}

#[cpython_api]
fn PyUnicode_AsDecodedUnicode(vm: &VirtualMachine, unicode: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    as_str(vm, unicode)?;
    warn_deprecated(vm, "PyUnicode_AsDecodedUnicode() is deprecated; use PyCodec_Decode() to decode from str to str")?;
    let (result, encoding) = codec_object(vm, unicode, 1, encoding, errors)?;
    if result.downcast_ref::<PyStr>().is_none() {
        return Err(vm.new_type_error(format!(
            "'{}' decoder returned '{}' instead of 'str'; use codecs.decode() to decode to arbitrary types",
            encoding.str(vm)?,
            crate::types::tp_name(vm, result.class())
        )));
    }
    Ok(into_ref(vm, result))
}

// --- str operations ------------------------------------------------------------------

#[cpython_api]
fn PyUnicode_Concat(vm: &VirtualMachine, left: *mut PyObject, right: *mut PyObject) -> PyResult<*mut PyObject> {
    // The left operand is checked as every str function checks its str;
    // only the right one gets the message of `str + x`.
    let l = ensure_str(vm, left)?;
    let r = to_host(vm, right)?;
    let (Some(ls), Some(rs)) = (l.downcast_ref::<PyStr>(), r.downcast_ref::<PyStr>()) else {
        return Err(vm.new_type_error(format!(
            "can only concatenate str (not \"{}\") to str",
            crate::types::tp_name(vm, r.class())
        )));
    };
    let mut joined = ls.as_wtf8().to_owned();
    joined.push_wtf8(rs.as_wtf8());
    Ok(into_ref(vm, vm.ctx.new_str(joined).into()))
}

/// `*pleft += right`; on error `*pleft` is released and set to NULL (an
/// error already set, such as the one that made `right` NULL, is kept).
///
/// # Safety
/// `pleft` must be NULL or point at a (possibly NULL) owned object pointer.
#[cpython_api]
unsafe fn PyUnicode_Append(vm: &VirtualMachine, pleft: *mut *mut PyObject, right: *mut PyObject) {
    if pleft.is_null() {
        if !crate::error_indicator::occurred() {
            crate::error_indicator::set_from_exception(bad_internal_call(vm));
        }
        return;
    }
    // SAFETY: the caller guarantees `pleft`.
    let left = unsafe { *pleft };
    let fail = |e: Option<rustpython_vm::builtins::PyBaseExceptionRef>| {
        if let Some(e) = e {
            crate::error_indicator::set_from_exception(e);
        } else if !crate::error_indicator::occurred() {
            crate::error_indicator::set_from_exception(bad_internal_call(vm));
        }
        // SAFETY: as above; the reference was the caller's.
        unsafe { *pleft = std::ptr::null_mut() };
        proxy::xdecref(left);
    };
    let is_str = |p: *mut PyObject| !p.is_null() && has_type_flag(p, ffi::Py_TPFLAGS_UNICODE_SUBCLASS);
    if !is_str(left) || !is_str(right) {
        return fail(None);
    }
    let (l, r) = match (to_host(vm, left), to_host(vm, right)) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(e), _) | (_, Err(e)) => return fail(Some(e)),
    };
    let exact = |o: &PyObjectRef| o.class().is(vm.ctx.types.str_type);
    let empty = |o: &PyObjectRef| o.downcast_ref::<PyStr>().is_some_and(|s| s.char_len() == 0);
    // CPython's shortcuts around its empty-string singleton.
    if empty(&l) && exact(&l) {
        proxy::incref(right);
        // SAFETY: as above.
        unsafe { *pleft = right };
        proxy::decref(left);
        return;
    }
    if empty(&r) && exact(&r) {
        return;
    }
    let mut joined = l.downcast_ref::<PyStr>().unwrap().as_wtf8().to_owned();
    joined.push_wtf8(r.downcast_ref::<PyStr>().unwrap().as_wtf8());
    let result = into_ref(vm, vm.ctx.new_str(joined).into());
    // SAFETY: as above.
    unsafe { *pleft = result };
    proxy::decref(left);
}

/// Append, then release `right`.
///
/// # Safety
/// As `PyUnicode_Append`; `right` is a reference the call takes over.
#[cpython_api]
unsafe fn PyUnicode_AppendAndDel(pleft: *mut *mut PyObject, right: *mut PyObject) {
    // SAFETY: the caller's guarantees.
    unsafe { PyUnicode_Append(pleft, right) };
    proxy::xdecref(right);
}

fn sep_arg(vm: &VirtualMachine, sep: *mut PyObject) -> PyResult<PyObjectRef> {
    if sep.is_null() { Ok(vm.ctx.none()) } else { ensure_str(vm, sep) }
}

#[cpython_api]
fn PyUnicode_Split(vm: &VirtualMachine, s: *mut PyObject, sep: *mut PyObject, maxsplit: Py_ssize_t) -> PyResult<*mut PyObject> {
    let s = ensure_str(vm, s)?;
    let sep = sep_arg(vm, sep)?;
    Ok(into_ref(vm, str_method(vm, "split", (s, sep, vm.ctx.new_int(maxsplit)))?))
}

#[cpython_api]
fn PyUnicode_RSplit(vm: &VirtualMachine, s: *mut PyObject, sep: *mut PyObject, maxsplit: Py_ssize_t) -> PyResult<*mut PyObject> {
    let s = ensure_str(vm, s)?;
    let sep = sep_arg(vm, sep)?;
    Ok(into_ref(vm, str_method(vm, "rsplit", (s, sep, vm.ctx.new_int(maxsplit)))?))
}

#[cpython_api]
fn PyUnicode_Splitlines(vm: &VirtualMachine, s: *mut PyObject, keepends: c_int) -> PyResult<*mut PyObject> {
    let s = ensure_str(vm, s)?;
    Ok(into_ref(vm, str_method(vm, "splitlines", (s, vm.ctx.new_bool(keepends != 0)))?))
}

#[cpython_api]
fn PyUnicode_Partition(vm: &VirtualMachine, s: *mut PyObject, sep: *mut PyObject) -> PyResult<*mut PyObject> {
    let (s, sep) = (ensure_str(vm, s)?, ensure_str(vm, sep)?);
    Ok(into_ref(vm, str_method(vm, "partition", (s, sep))?))
}

#[cpython_api]
fn PyUnicode_RPartition(vm: &VirtualMachine, s: *mut PyObject, sep: *mut PyObject) -> PyResult<*mut PyObject> {
    let (s, sep) = (ensure_str(vm, s)?, ensure_str(vm, sep)?);
    Ok(into_ref(vm, str_method(vm, "rpartition", (s, sep))?))
}

/// Maps each character through `table[ord(c)]`: a LookupError keeps the
/// character, an int or str replaces it, None leaves it undefined, and a
/// run of undefined characters goes to the `errors` handler ("strict" when
/// NULL; `str.translate` is this with "ignore").
#[cpython_api]
fn PyUnicode_Translate(vm: &VirtualMachine, s: *mut PyObject, table: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    let text = ensure_str(vm, s)?;
    let table = to_host(vm, table)?;
    let errors = if errors.is_null() { "strict" } else { c_str_arg(vm, errors)? };
    let chars: Vec<CodePoint> = text.downcast_ref::<PyStr>().unwrap().as_wtf8().code_points().collect();
    // Some(mapped text) or None for an undefined character.
    let lookup = |c: CodePoint| -> PyResult<Option<Wtf8Buf>> {
        let key: PyObjectRef = vm.ctx.new_int(c.to_u32()).into();
        let mapped = match table.get_item(&*key, vm) {
            Ok(m) => m,
            Err(e) if e.fast_isinstance(vm.ctx.exceptions.lookup_error) => return Ok(Some(Wtf8Buf::from(c))),
            Err(e) => return Err(e),
        };
        if vm.is_none(&mapped) {
            return Ok(None);
        }
        if let Some(s) = mapped.downcast_ref::<PyStr>() {
            return Ok(Some(s.as_wtf8().to_owned()));
        }
        if let Some(i) = mapped.downcast_ref::<rustpython_vm::builtins::PyInt>() {
            let value = i.try_to_primitive::<i64>(vm).unwrap_or(-1);
            return match u32::try_from(value).ok().and_then(CodePoint::from_u32) {
                Some(cp) => Ok(Some(Wtf8Buf::from(cp))),
                None => Err(vm.new_value_error("character mapping must be in range(0x110000)".to_owned())),
            };
        }
        Err(vm.new_type_error("character mapping must return integer, None or str".to_owned()))
    };
    let mut out = Wtf8Buf::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(mapped) = lookup(chars[i])? {
            out.push_wtf8(&mapped);
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < chars.len() && lookup(chars[end])?.is_none() {
            end += 1;
        }
        match errors {
            "ignore" => i = end,
            "replace" => {
                for _ in i..end {
                    out.push_char('?');
                }
                i = end;
            }
            _ => {
                let exc = vm.ctx.exceptions.unicode_translate_error.as_object().call(
                    (text.clone(), vm.ctx.new_int(i), vm.ctx.new_int(end), "character maps to <undefined>"),
                    vm,
                )?;
                let handler = codecs_call(vm, "lookup_error", (errors,))?;
                let result = handler.call((exc.clone(),), vm)?;
                let replacement = item(vm, &result, 0)?;
                let position: isize = item(vm, &result, 1)?.try_into_value(vm)?;
                match replacement.downcast_ref::<PyStr>() {
                    Some(r) => out.push_wtf8(r.as_wtf8()),
                    None => {
                        return Err(vm.new_type_error(
                            "translating error handler must return (str, int) tuple".to_owned(),
                        ));
                    }
                }
                let position = if position < 0 { position + chars.len() as isize } else { position };
                if position < 0 || position as usize > chars.len() {
                    return Err(vm.new_index_error(format!("position {position} from error handler out of bounds")));
                }
                i = position as usize;
            }
        }
    }
    Ok(into_ref(vm, vm.ctx.new_str(out).into()))
}

/// `separator.join(seq)`; a NULL separator is a space.
#[cpython_api]
fn PyUnicode_Join(vm: &VirtualMachine, separator: *mut PyObject, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    let iter = to_host(vm, seq)?.get_iter(vm).map_err(|e| {
        if e.fast_isinstance(vm.ctx.exceptions.type_error) {
            vm.new_type_error("can only join an iterable".to_owned())
        } else {
            e
        }
    })?;
    let items: Vec<PyObjectRef> = iter.iter::<PyObjectRef>(vm)?.collect::<PyResult<_>>()?;
    join_items(vm, separator, items)
}

fn join_items(vm: &VirtualMachine, separator: *mut PyObject, items: Vec<PyObjectRef>) -> PyResult<*mut PyObject> {
    let separator: PyObjectRef = match crate::proxy::opt_to_host(vm, separator)? {
        Some(s) => s,
        None => vm.ctx.new_str(" ").into(),
    };
    // One exact str is the result itself; the separator is not looked at.
    if let [only] = items.as_slice() {
        if only.class().is(vm.ctx.types.str_type) {
            return Ok(into_ref(vm, only.clone()));
        }
    }
    if separator.downcast_ref::<PyStr>().is_none() {
        return Err(vm.new_type_error(format!(
            "separator: expected str instance, {} found",
            crate::types::tp_name(vm, separator.class())
        )));
    }
    let list: PyObjectRef = vm.ctx.new_list(items).into();
    Ok(into_ref(vm, str_method(vm, "join", (separator, list))?))
}

/// # Safety
/// `items` must hold `seqlen` object pointers.
#[cpython_api]
unsafe fn _PyUnicode_JoinArray(vm: &VirtualMachine, separator: *mut PyObject, items: *const *mut PyObject, seqlen: Py_ssize_t) -> PyResult<*mut PyObject> {
    let mut hosts = Vec::with_capacity(seqlen.max(0) as usize);
    for i in 0..seqlen.max(0) as usize {
        // SAFETY: the caller guarantees `seqlen` pointers.
        hosts.push(to_host(vm, unsafe { *items.add(i) })?);
    }
    join_items(vm, separator, hosts)
}

/// 1 if `substr` matches at the start (direction -1) or end of
/// str[start:end], else 0.
#[cpython_api]
fn PyUnicode_Tailmatch(vm: &VirtualMachine, s: *mut PyObject, substr: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t, direction: c_int) -> PyResult<Py_ssize_t> {
    let (s, sub) = (ensure_str(vm, s)?, ensure_str(vm, substr)?);
    let method = if direction < 0 { "startswith" } else { "endswith" };
    let found = str_method(vm, method, (s, sub, vm.ctx.new_int(start), vm.ctx.new_int(end)))?;
    Ok(found.try_to_bool(vm)? as Py_ssize_t)
}

/// -2 with the error set, as the Find functions report failure.
fn find_result(result: PyResult<Py_ssize_t>) -> Py_ssize_t {
    result.unwrap_or_else(|e| {
        crate::error_indicator::set_from_exception(e);
        -2
    })
}

/// The index of `substr` in str[start:end], searching forwards (direction
/// 1) or backwards (-1); -1 if absent, -2 on error.
#[cpython_api]
fn PyUnicode_Find(vm: &VirtualMachine, s: *mut PyObject, substr: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t, direction: c_int) -> Py_ssize_t {
    find_result((|| {
        let (s, sub) = (ensure_str(vm, s)?, ensure_str(vm, substr)?);
        let method = if direction > 0 { "find" } else { "rfind" };
        str_method(vm, method, (s, sub, vm.ctx.new_int(start), vm.ctx.new_int(end)))?.try_into_value(vm)
    })())
}

/// Slice bounds as CPython adjusts them for a str of `len` characters.
fn adjust_indices(start: Py_ssize_t, end: Py_ssize_t, len: Py_ssize_t) -> (Py_ssize_t, Py_ssize_t) {
    let end = if end > len { len } else if end < 0 { (end + len).max(0) } else { end };
    let start = if start < 0 { (start + len).max(0) } else { start };
    (start, end)
}

#[cpython_api]
fn PyUnicode_FindChar(vm: &VirtualMachine, s: *mut PyObject, ch: u32, start: Py_ssize_t, end: Py_ssize_t, direction: c_int) -> Py_ssize_t {
    find_result((|| {
        let chars = chars_of(vm, s)?;
        let (start, end) = adjust_indices(start, end, chars.len() as Py_ssize_t);
        if end - start < 1 {
            return Ok(-1);
        }
        let (start, end) = (start as usize, end as usize);
        let hit = if direction > 0 {
            (start..end).find(|&i| chars.get(i) == ch)
        } else {
            (start..end).rev().find(|&i| chars.get(i) == ch)
        };
        Ok(hit.map_or(-1, |i| i as Py_ssize_t))
    })())
}

#[cpython_api]
fn PyUnicode_Count(vm: &VirtualMachine, s: *mut PyObject, substr: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t) -> PyResult<Py_ssize_t> {
    let (s, sub) = (ensure_str(vm, s)?, ensure_str(vm, substr)?);
    str_method(vm, "count", (s, sub, vm.ctx.new_int(start), vm.ctx.new_int(end)))?.try_into_value(vm)
}

#[cpython_api]
fn PyUnicode_Replace(vm: &VirtualMachine, s: *mut PyObject, substr: *mut PyObject, replstr: *mut PyObject, maxcount: Py_ssize_t) -> PyResult<*mut PyObject> {
    let (s, sub, repl) = (ensure_str(vm, s)?, ensure_str(vm, substr)?, ensure_str(vm, replstr)?);
    Ok(into_ref(vm, str_method(vm, "replace", (s, sub, repl, vm.ctx.new_int(maxcount)))?))
}

/// -1, 0 or 1 by code point; -1 with TypeError for a non-str.
#[cpython_api]
fn PyUnicode_Compare(vm: &VirtualMachine, left: *mut PyObject, right: *mut PyObject) -> PyResult<c_int> {
    let (l, r) = (to_host(vm, left)?, to_host(vm, right)?);
    match (l.downcast_ref::<PyStr>(), r.downcast_ref::<PyStr>()) {
        (Some(a), Some(b)) => Ok(ordering(a.as_wtf8().code_points().cmp(b.as_wtf8().code_points()))),
        _ => Err(vm.new_type_error(format!(
            "Can't compare {} and {}",
            crate::types::tp_name(vm, l.class()),
            crate::types::tp_name(vm, r.class())
        ))),
    }
}

fn compare_ascii(s: &PyStr, right: &[u8]) -> c_int {
    let ours = s.as_wtf8().code_points().map(|c| c.to_u32());
    ordering(ours.cmp(right.iter().map(|b| *b as u32)))
}

/// # Safety
/// `right` must be a NUL-terminated string.
#[cpython_api]
unsafe fn PyUnicode_CompareWithASCIIString(vm: &VirtualMachine, left: *mut PyObject, right: *const c_char) -> PyResult<c_int> {
    let s = as_str(vm, left)?;
    // SAFETY: the caller passes a NUL-terminated string.
    let right = unsafe { std::ffi::CStr::from_ptr(right) }.to_bytes();
    Ok(compare_ascii(&s, right))
}

/// # Safety
/// `right` must be a NUL-terminated string.
#[cpython_api]
unsafe fn _PyUnicode_EqualToASCIIString(vm: &VirtualMachine, left: *mut PyObject, right: *const c_char) -> c_int {
    let Ok(s) = as_str(vm, left) else { return 0 };
    // SAFETY: the caller passes a NUL-terminated string.
    let right = unsafe { std::ffi::CStr::from_ptr(right) }.to_bytes();
    (compare_ascii(&s, right) == 0) as c_int
}

/// # Safety
/// `right` must point at a `_Py_Identifier`.
#[cpython_api]
unsafe fn _PyUnicode_EqualToASCIIId(vm: &VirtualMachine, left: *mut PyObject, right: *mut PyIdentifier) -> c_int {
    let Ok(s) = as_str(vm, left) else { return 0 };
    // SAFETY: the caller guarantees the identifier and its string.
    let right = unsafe { std::ffi::CStr::from_ptr((*right).string) }.to_bytes();
    (compare_ascii(&s, right) == 0) as c_int
}

fn same_text(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> c_int {
    match (as_str(vm, a), as_str(vm, b)) {
        (Ok(a), Ok(b)) => (a.as_wtf8() == b.as_wtf8()) as c_int,
        _ => 0,
    }
}

#[cpython_api]
fn _PyUnicode_EQ(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> c_int {
    same_text(vm, a, b)
}

#[cpython_api]
fn _PyUnicode_Equal(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> c_int {
    same_text(vm, a, b)
}

/// A bool for two str, NotImplemented otherwise.
#[cpython_api]
fn PyUnicode_RichCompare(vm: &VirtualMachine, left: *mut PyObject, right: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    let (l, r) = (to_host(vm, left)?, to_host(vm, right)?);
    let (Some(a), Some(b)) = (l.downcast_ref::<PyStr>(), r.downcast_ref::<PyStr>()) else {
        return Ok(into_ref(vm, vm.ctx.not_implemented()));
    };
    let o = a.as_wtf8().code_points().cmp(b.as_wtf8().code_points());
    use std::cmp::Ordering::*;
    let result = match op {
        0 => o == Less,
        1 => o != Greater,
        2 => o == Equal,
        3 => o != Equal,
        4 => o == Greater,
        5 => o != Less,
        _ => return Err(bad_internal_call(vm)),
    };
    Ok(into_ref(vm, vm.ctx.new_bool(result).into()))
}

/// `format % args`.
#[cpython_api]
fn PyUnicode_Format(vm: &VirtualMachine, format: *mut PyObject, args: *mut PyObject) -> PyResult<*mut PyObject> {
    if format.is_null() || args.is_null() {
        return Err(bad_internal_call(vm));
    }
    let format = ensure_str(vm, format)?;
    Ok(into_ref(vm, str_method(vm, "__mod__", (format, to_host(vm, args)?))?))
}

/// `element in container`, both str.
#[cpython_api]
fn PyUnicode_Contains(vm: &VirtualMachine, container: *mut PyObject, element: *mut PyObject) -> PyResult<c_int> {
    let e = to_host(vm, element)?;
    if e.downcast_ref::<PyStr>().is_none() {
        return Err(vm.new_type_error(format!(
            "'in <string>' requires string as left operand, not {}",
            crate::types::tp_name(vm, e.class())
        )));
    }
    let c = ensure_str(vm, container)?;
    Ok(str_method(vm, "__contains__", (c, e))?.try_to_bool(vm)? as c_int)
}

#[cpython_api]
fn PyUnicode_IsIdentifier(vm: &VirtualMachine, s: *mut PyObject) -> PyResult<c_int> {
    let s = as_str(vm, s)?;
    Ok(str_method(vm, "isidentifier", (s,))?.try_to_bool(vm)? as c_int)
}

/// How many leading characters form an identifier.
#[cpython_api]
fn _PyUnicode_ScanIdentifier(vm: &VirtualMachine, s: *mut PyObject) -> PyResult<Py_ssize_t> {
    let s = as_str(vm, s)?;
    let mut count = 0;
    for c in s.as_wtf8().code_points() {
        let probe = if count == 0 { Wtf8Buf::from(c) } else { Wtf8Buf::from_iter([CodePoint::from('a'), c]) };
        if !str_method(vm, "isidentifier", (vm.ctx.new_str(probe),))?.try_to_bool(vm)? {
            break;
        }
        count += 1;
    }
    Ok(count)
}

/// lstrip (0), rstrip (1) or strip (2) of the characters in `sepobj`
/// (whitespace when it is NULL or None).
#[cpython_api]
fn _PyUnicode_XStrip(vm: &VirtualMachine, s: *mut PyObject, striptype: c_int, sepobj: *mut PyObject) -> PyResult<*mut PyObject> {
    let s = ensure_str(vm, s)?;
    let sep = crate::proxy::opt_to_host(vm, sepobj)?.unwrap_or_else(|| vm.ctx.none());
    let method = match striptype {
        0 => "lstrip",
        1 => "rstrip",
        _ => "strip",
    };
    Ok(into_ref(vm, str_method(vm, method, (s, sep))?))
}

/// An int as `%d`, `%x`, `%X` or `%o` would format it, with the alternate
/// form and a precision (minimum digits).
#[cpython_api]
fn _PyUnicode_FormatLong(vm: &VirtualMachine, val: *mut PyObject, alt: c_int, prec: c_int, r#type: c_int) -> PyResult<*mut PyObject> {
    let v = to_host(vm, val)?;
    let conversion = match r#type as u8 {
        b'd' | b'i' | b'u' => 'd',
        c @ (b'x' | b'X' | b'o') => c as char,
        _ => return Err(bad_internal_call(vm)),
    };
    let format = format!("%{}{}{}", if alt != 0 { "#" } else { "" }, if prec >= 0 { format!(".{prec}") } else { String::new() }, conversion);
    let format: PyObjectRef = vm.ctx.new_str(format).into();
    let args: PyObjectRef = vm.ctx.new_tuple(vec![v]).into();
    Ok(into_ref(vm, str_method(vm, "__mod__", (format, args))?))
}

// --- character classes ----------------------------------------------------------------

/// Characters 0..128 that Python counts as whitespace.
#[unsafe(no_mangle)]
pub static _Py_ascii_whitespace: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        table[c] = matches!(c, 0x09..=0x0D | 0x1C..=0x20) as u8;
        c += 1;
    }
    table
};
inventory::submit! { crate::boundary::ApiData { name: "_Py_ascii_whitespace" } }

/// `chr(ch).<method>()` on the host: its Unicode database answers.
fn char_method(vm: &VirtualMachine, ch: u32, prefix: Option<char>, method: &'static str) -> PyResult<PyObjectRef> {
    let c = CodePoint::from_u32(ch).ok_or_else(|| vm.new_value_error("character out of range".to_owned()))?;
    let mut text = Wtf8Buf::new();
    if let Some(p) = prefix {
        text.push_char(p);
    }
    text.push(c);
    str_method(vm, method, (vm.ctx.new_str(text),))
}

/// The code points of `chr(ch).<method>()` (a full case mapping).
fn char_mapping(vm: &VirtualMachine, ch: u32, method: &'static str) -> Vec<u32> {
    char_method(vm, ch, None, method)
        .ok()
        .and_then(|r| r.downcast::<PyStr>().ok())
        .map(|s| s.as_wtf8().code_points().map(|c| c.to_u32()).collect())
        .unwrap_or_else(|| vec![ch])
}

/// Whether the code point `ch` is a character (a lone surrogate is not a
/// `char`) of the class `class` tests, as C wants it.
fn in_class(ch: u32, class: impl Fn(char) -> bool) -> c_int {
    char::from_u32(ch).is_some_and(class) as c_int
}

// The character classes: the host's own tables (rustpython-unicode, which
// its str methods use), so `Py_UNICODE_ISSPACE(c)` agrees with `c.isspace()`.
// Pure functions, callable without the GIL as in CPython (numpy's string
// ufuncs classify characters with the GIL released).

#[cpython_api(no_gil)]
fn _PyUnicode_IsLowercase(ch: u32) -> c_int {
    in_class(ch, |c| unicode::case::is_lowercase(c) && !unicode::case::is_uppercase(c) && !unicode::case::is_titlecase(c))
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsUppercase(ch: u32) -> c_int {
    in_class(ch, |c| unicode::case::is_uppercase(c) && !unicode::case::is_lowercase(c) && !unicode::case::is_titlecase(c))
}

/// Category Lt.
#[cpython_api(no_gil)]
fn _PyUnicode_IsTitlecase(ch: u32) -> c_int {
    in_class(ch, unicode::case::is_titlecase)
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsWhitespace(ch: u32) -> c_int {
    in_class(ch, unicode::classify::is_space)
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsDecimalDigit(ch: u32) -> c_int {
    in_class(ch, unicode::classify::is_decimal)
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsDigit(ch: u32) -> c_int {
    in_class(ch, unicode::classify::is_digit)
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsNumeric(ch: u32) -> c_int {
    in_class(ch, unicode::classify::is_numeric)
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsPrintable(ch: u32) -> c_int {
    in_class(ch, unicode::classify::is_printable)
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsAlpha(ch: u32) -> c_int {
    in_class(ch, unicode::classify::is_alpha)
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsXidStart(ch: u32) -> c_int {
    in_class(ch, unicode::identifier::is_xid_start)
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsXidContinue(ch: u32) -> c_int {
    in_class(ch, unicode::identifier::is_xid_continue)
}

/// A line boundary: what `str.splitlines` splits at.
#[cpython_api(no_gil)]
fn _PyUnicode_IsLinebreak(ch: u32) -> c_int {
    matches!(ch, 0x0A | 0x0B | 0x0C | 0x0D | 0x1C | 0x1D | 0x1E | 0x85 | 0x2028 | 0x2029) as c_int
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsCased(ch: u32) -> c_int {
    in_class(ch, unicode::case::is_cased)
}

#[cpython_api(no_gil)]
fn _PyUnicode_IsCaseIgnorable(ch: u32) -> c_int {
    in_class(ch, unicode::case::is_case_ignorable)
}

/// A simple (one-character) case mapping: as in CPython's tables, the
/// first character of the full mapping.
fn simple_mapping(vm: &VirtualMachine, ch: u32, method: &'static str) -> u32 {
    char_mapping(vm, ch, method).first().copied().unwrap_or(ch)
}

#[cpython_api]
fn _PyUnicode_ToLowercase(vm: &VirtualMachine, ch: u32) -> u32 {
    simple_mapping(vm, ch, "lower")
}

#[cpython_api]
fn _PyUnicode_ToUppercase(vm: &VirtualMachine, ch: u32) -> u32 {
    simple_mapping(vm, ch, "upper")
}

#[cpython_api]
fn _PyUnicode_ToTitlecase(vm: &VirtualMachine, ch: u32) -> u32 {
    simple_mapping(vm, ch, "title")
}

/// Writes the full mapping (at most 3 characters) to `res`; returns its length.
fn full_mapping(vm: &VirtualMachine, ch: u32, method: &'static str, res: *mut u32) -> c_int {
    let mapped = char_mapping(vm, ch, method);
    for (i, c) in mapped.iter().take(3).enumerate() {
        // SAFETY: the caller's buffer holds 3 characters, as CPython requires.
        unsafe { *res.add(i) = *c };
    }
    mapped.len().min(3) as c_int
}

/// # Safety
/// `res` must hold 3 characters.
#[cpython_api]
unsafe fn _PyUnicode_ToLowerFull(vm: &VirtualMachine, ch: u32, res: *mut u32) -> c_int {
    full_mapping(vm, ch, "lower", res)
}

/// # Safety
/// `res` must hold 3 characters.
#[cpython_api]
unsafe fn _PyUnicode_ToUpperFull(vm: &VirtualMachine, ch: u32, res: *mut u32) -> c_int {
    full_mapping(vm, ch, "upper", res)
}

/// # Safety
/// `res` must hold 3 characters.
#[cpython_api]
unsafe fn _PyUnicode_ToTitleFull(vm: &VirtualMachine, ch: u32, res: *mut u32) -> c_int {
    full_mapping(vm, ch, "title", res)
}

/// # Safety
/// `res` must hold 3 characters.
#[cpython_api]
unsafe fn _PyUnicode_ToFoldedFull(vm: &VirtualMachine, ch: u32, res: *mut u32) -> c_int {
    full_mapping(vm, ch, "casefold", res)
}

/// `unicodedata.<function>(chr(ch), default)`.
fn unicodedata_value(vm: &VirtualMachine, function: &'static str, ch: u32, default: PyObjectRef) -> PyResult<PyObjectRef> {
    let c = CodePoint::from_u32(ch).ok_or_else(|| vm.new_value_error("character out of range".to_owned()))?;
    let f = crate::types::import_for_layer(vm, "unicodedata")?.get_attr(function, vm)?;
    f.call((vm.ctx.new_str(Wtf8Buf::from(c)), default), vm)
}

#[cpython_api]
fn _PyUnicode_ToDecimalDigit(vm: &VirtualMachine, ch: u32) -> c_int {
    unicodedata_value(vm, "decimal", ch, vm.ctx.new_int(-1).into())
        .and_then(|v| v.try_into_value::<c_int>(vm))
        .unwrap_or(-1)
}

#[cpython_api]
fn _PyUnicode_ToDigit(vm: &VirtualMachine, ch: u32) -> c_int {
    unicodedata_value(vm, "digit", ch, vm.ctx.new_int(-1).into())
        .and_then(|v| v.try_into_value::<c_int>(vm))
        .unwrap_or(-1)
}

#[cpython_api]
fn _PyUnicode_ToNumeric(vm: &VirtualMachine, ch: u32) -> f64 {
    unicodedata_value(vm, "numeric", ch, vm.ctx.new_float(-1.0).into())
        .and_then(|v| v.try_into_value::<f64>(vm))
        .unwrap_or(-1.0)
}

// --- _PyUnicodeWriter -----------------------------------------------------------------

/// CPython's `_PyUnicodeWriter`, field for field (C reads and writes them).
#[repr(C)]
pub struct PyUnicodeWriter {
    buffer: *mut PyObject,
    data: *mut c_void,
    kind: c_int,
    maxchar: u32,
    size: Py_ssize_t,
    pos: Py_ssize_t,
    min_length: Py_ssize_t,
    min_char: u32,
    overallocate: u8,
    readonly: u8,
}

/// Re-reads the buffer's data, kind and size into the writer. A shared
/// (read-only) buffer looks full and of kind 0, so the next write copies it.
///
/// # Safety
/// `w` must be a writer whose buffer is a Str-layout proxy.
unsafe fn writer_update(w: *mut PyUnicodeWriter) {
    // SAFETY: the caller guarantees the writer and its buffer.
    unsafe {
        let text = Text::of((*w).buffer);
        (*w).maxchar = max_char_value((*w).buffer);
        (*w).data = text.data as *mut c_void;
        if (*w).readonly != 0 {
            (*w).kind = 0;
            (*w).size = 0;
        } else {
            (*w).kind = text.kind as c_int;
            (*w).size = text.length as Py_ssize_t;
        }
    }
}

/// Puts a shared str in the writer as its buffer, to be returned as it is
/// or copied on the next write.
///
/// # Safety
/// `w` must be a valid writer with no buffer; `str` a Str-layout proxy
/// whose reference passes to the writer.
unsafe fn writer_take_shared(w: *mut PyUnicodeWriter, str: *mut PyObject, length: Py_ssize_t) {
    // SAFETY: the caller's guarantees.
    unsafe {
        (*w).buffer = str;
        (*w).readonly = 1;
        writer_update(w);
        (*w).pos += length;
    }
}

/// # Safety
/// `writer` must point at writable `_PyUnicodeWriter` memory.
#[cpython_api]
unsafe fn _PyUnicodeWriter_Init(writer: *mut PyUnicodeWriter) {
    // SAFETY: the caller passes writable writer memory.
    unsafe {
        std::ptr::write_bytes(writer, 0, 1);
        (*writer).min_char = 127;
        (*writer).kind = 0;
    }
}

/// Makes room for `length` more characters up to `maxchar`: a first buffer,
/// a larger one, or a wider kind, with the characters written so far copied.
///
/// # Safety
/// `writer` must be an initialised writer.
#[cpython_api]
unsafe fn _PyUnicodeWriter_PrepareInternal(vm: &VirtualMachine, writer: *mut PyUnicodeWriter, length: Py_ssize_t, maxchar: u32) -> PyResult<c_int> {
    // SAFETY: the caller guarantees the writer.
    let w = unsafe { &mut *writer };
    if length > Py_ssize_t::MAX - w.pos {
        return Err(crate::error_indicator::no_memory(vm));
    }
    let mut new_length = w.pos + length;
    let maxchar = maxchar.max(w.min_char);
    let overallocate = w.overallocate != 0;
    let grow = |n: Py_ssize_t| if overallocate && n <= Py_ssize_t::MAX - n / 4 { n + n / 4 } else { n };
    if w.buffer.is_null() {
        new_length = grow(new_length).max(w.min_length);
        if maxchar > MAX_UNICODE {
            return Err(vm.new_system_error("invalid maximum character passed to PyUnicode_New".to_owned()));
        }
        w.buffer = new_pending_str(vm, new_length.max(1) as usize, maxchar)?;
        if new_length == 0 {
            // PyUnicode_New(0) would be the shared empty str.
            w.buffer = resized_empty(vm, w.buffer)?;
        }
    } else {
        if new_length > w.size {
            new_length = grow(new_length).max(w.min_length);
        } else {
            new_length = w.size;
        }
        let current_max = if w.readonly != 0 {
            // SAFETY: the buffer is a Str-layout proxy.
            unsafe { max_char_value(w.buffer) }
        } else {
            w.maxchar
        };
        let wanted_max = maxchar.max(current_max);
        if maxchar > MAX_UNICODE {
            return Err(vm.new_system_error("invalid maximum character passed to PyUnicode_New".to_owned()));
        }
        // SAFETY: the buffer is a Str-layout proxy.
        let old = unsafe { Text::of(w.buffer) };
        let replacement = new_pending_str(vm, new_length.max(1) as usize, wanted_max)?;
        // SAFETY: as above, for the new buffer.
        let new = unsafe { Text::of(replacement) };
        for i in 0..(w.pos as usize).min(old.length) {
            new.set(i, old.get(i));
        }
        proxy::decref(w.buffer);
        w.buffer = replacement;
        w.readonly = 0;
    }
    // SAFETY: the writer now has a Str-layout buffer of its own.
    unsafe { writer_update(writer) };
    Ok(0)
}

/// A zero-length buffer still needs its own memory (the writer writes its
/// NUL); PyUnicode_New made one character, so make it look empty.
fn resized_empty(_vm: &VirtualMachine, p: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: `p` is a fresh Str-layout proxy of one character.
    unsafe { (*ascii_struct(p)).length = 0 };
    Ok(p)
}

/// # Safety
/// `writer` must be an initialised writer.
#[cpython_api]
unsafe fn _PyUnicodeWriter_PrepareKindInternal(vm: &VirtualMachine, writer: *mut PyUnicodeWriter, kind: c_int) -> PyResult<c_int> {
    let maxchar = match kind {
        1 => 0xff,
        2 => 0xffff,
        4 => MAX_UNICODE,
        _ => return Err(bad_internal_call(vm)),
    };
    // SAFETY: the caller guarantees the writer.
    unsafe { _PyUnicodeWriter_PrepareInternal(writer, 0, maxchar) }.into_result(vm)?;
    Ok(0)
}

/// An int status from one of our exported functions as a result.
trait StatusResult {
    fn into_result(self, vm: &VirtualMachine) -> PyResult<()>;
}

impl StatusResult for c_int {
    fn into_result(self, vm: &VirtualMachine) -> PyResult<()> {
        if self >= 0 {
            return Ok(());
        }
        Err(crate::error_indicator::take_exception(vm)
            .unwrap_or_else(|| vm.new_system_error("error return without exception set".to_owned())))
    }
}

/// Room for `length` characters up to `maxchar`, as the header's macro.
///
/// # Safety
/// `w` must be an initialised writer.
unsafe fn writer_prepare(vm: &VirtualMachine, w: *mut PyUnicodeWriter, length: Py_ssize_t, maxchar: u32) -> PyResult<()> {
    // SAFETY: the caller guarantees the writer.
    let (current_max, room) = unsafe { ((*w).maxchar, (*w).size - (*w).pos) };
    if maxchar <= current_max && length <= room || length == 0 {
        return Ok(());
    }
    // SAFETY: as above.
    unsafe { _PyUnicodeWriter_PrepareInternal(w, length, maxchar) }.into_result(vm)
}

/// # Safety
/// `w` must have room prepared for `chars` at `pos`.
unsafe fn writer_put(w: *mut PyUnicodeWriter, chars: impl Iterator<Item = u32>) {
    // SAFETY: the caller guarantees the room; the buffer is a Str-layout proxy.
    unsafe {
        let text = Text::of((*w).buffer);
        let mut pos = (*w).pos as usize;
        for c in chars {
            text.set(pos, c);
            pos += 1;
        }
        (*w).pos = pos as Py_ssize_t;
    }
}

/// # Safety
/// `writer` must be an initialised writer.
#[cpython_api]
unsafe fn _PyUnicodeWriter_WriteChar(vm: &VirtualMachine, writer: *mut PyUnicodeWriter, ch: u32) -> PyResult<c_int> {
    // SAFETY: the caller guarantees the writer.
    unsafe {
        writer_prepare(vm, writer, 1, ch)?;
        writer_put(writer, std::iter::once(ch));
    }
    Ok(0)
}

/// # Safety
/// `writer` must be an initialised writer.
#[cpython_api]
unsafe fn _PyUnicodeWriter_WriteStr(vm: &VirtualMachine, writer: *mut PyUnicodeWriter, str: *mut PyObject) -> PyResult<c_int> {
    let chars = chars_of(vm, str)?;
    let length = chars.len();
    if length == 0 {
        return Ok(0);
    }
    let maxchar = if has_str_layout(str) {
        // SAFETY: a Str-layout proxy has its struct in place.
        unsafe { max_char_value(str) }
    } else {
        Form::for_max_char(chars.max_in(0, length)).max_char()
    };
    // SAFETY: the caller guarantees the writer.
    let w = unsafe { &mut *writer };
    if (maxchar > w.maxchar || length as Py_ssize_t > w.size - w.pos) && w.buffer.is_null() && w.overallocate == 0 && has_str_layout(str) {
        // The whole result may be this str: share it, copy on a later write.
        proxy::incref(str);
        // SAFETY: the writer has no buffer; the new reference passes to it.
        unsafe { writer_take_shared(writer, str, length as Py_ssize_t) };
        return Ok(0);
    }
    // SAFETY: as above.
    unsafe {
        writer_prepare(vm, writer, length as Py_ssize_t, maxchar)?;
        writer_put(writer, (0..length).map(|i| chars.get(i)));
    }
    Ok(0)
}

/// # Safety
/// `writer` must be an initialised writer.
#[cpython_api]
unsafe fn _PyUnicodeWriter_WriteSubstring(vm: &VirtualMachine, writer: *mut PyUnicodeWriter, str: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t) -> PyResult<c_int> {
    let chars = chars_of(vm, str)?;
    let (start, end) = (start.max(0) as usize, (end.max(0) as usize).min(chars.len()));
    if start == 0 && end == chars.len() {
        // SAFETY: the caller guarantees the writer.
        return unsafe { _PyUnicodeWriter_WriteStr(writer, str) }.into_result(vm).map(|_| 0);
    }
    if start >= end {
        return Ok(0);
    }
    let maxchar = Form::for_max_char(chars.max_in(start, end)).max_char();
    // SAFETY: the caller guarantees the writer.
    unsafe {
        writer_prepare(vm, writer, (end - start) as Py_ssize_t, maxchar)?;
        writer_put(writer, (start..end).map(|i| chars.get(i)));
    }
    Ok(0)
}

/// # Safety
/// `writer` must be an initialised writer; `ascii` must hold `len` bytes
/// (or be NUL-terminated when `len` is -1).
#[cpython_api]
unsafe fn _PyUnicodeWriter_WriteASCIIString(vm: &VirtualMachine, writer: *mut PyUnicodeWriter, ascii: *const c_char, len: Py_ssize_t) -> PyResult<c_int> {
    // SAFETY: the caller guarantees the string.
    let len = if len == -1 { (unsafe { libc::strlen(ascii) }) as Py_ssize_t } else { len };
    if len <= 0 {
        return Ok(0);
    }
    // SAFETY: as above.
    let bytes = unsafe { std::slice::from_raw_parts(ascii as *const u8, len as usize) };
    // SAFETY: the caller guarantees the writer.
    let w = unsafe { &mut *writer };
    if w.buffer.is_null() && w.overallocate == 0 {
        let str = new_pending_str(vm, len as usize, 0x7f)?;
        // SAFETY: `str` is a fresh Str-layout proxy of `len` characters.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), Text::of(str).data, bytes.len());
            writer_take_shared(writer, str, len);
        }
        return Ok(0);
    }
    // SAFETY: as above.
    unsafe {
        writer_prepare(vm, writer, len, 0x7f)?;
        writer_put(writer, bytes.iter().map(|b| *b as u32));
    }
    Ok(0)
}

/// # Safety
/// `writer` must be an initialised writer; `str` must hold `len` bytes.
#[cpython_api]
unsafe fn _PyUnicodeWriter_WriteLatin1String(vm: &VirtualMachine, writer: *mut PyUnicodeWriter, str: *const c_char, len: Py_ssize_t) -> PyResult<c_int> {
    if len <= 0 {
        return Ok(0);
    }
    // SAFETY: the caller guarantees the bytes.
    let bytes = unsafe { std::slice::from_raw_parts(str as *const u8, len as usize) };
    let maxchar = if bytes.is_ascii() { 0x7f } else { 0xff };
    // SAFETY: the caller guarantees the writer.
    unsafe {
        writer_prepare(vm, writer, len, maxchar)?;
        writer_put(writer, bytes.iter().map(|b| *b as u32));
    }
    Ok(0)
}

/// The str written so far (the writer is left empty).
///
/// # Safety
/// `writer` must be an initialised writer.
#[cpython_api]
unsafe fn _PyUnicodeWriter_Finish(vm: &VirtualMachine, writer: *mut PyUnicodeWriter) -> PyResult<*mut PyObject> {
    // SAFETY: the caller guarantees the writer.
    let w = unsafe { &mut *writer };
    let buffer = std::mem::replace(&mut w.buffer, std::ptr::null_mut());
    if buffer.is_null() {
        return Ok(empty_str(vm));
    }
    if w.readonly != 0 {
        return Ok(buffer);
    }
    if w.pos == 0 {
        proxy::decref(buffer);
        return Ok(empty_str(vm));
    }
    // SAFETY: the buffer is a Str-layout proxy.
    let length = unsafe { Text::of(buffer) }.length as Py_ssize_t;
    if length == w.pos {
        return Ok(buffer);
    }
    // The proxy's memory has a fixed size: copy into one of the right length.
    let result = resized_copy(vm, buffer, w.pos as usize);
    proxy::decref(buffer);
    result
}

/// # Safety
/// `writer` must be an initialised writer.
#[cpython_api]
unsafe fn _PyUnicodeWriter_Dealloc(writer: *mut PyUnicodeWriter) {
    // SAFETY: the caller guarantees the writer.
    let buffer = unsafe { std::mem::replace(&mut (*writer).buffer, std::ptr::null_mut()) };
    proxy::xdecref(buffer);
}

/// Writes `obj`, a str, formatted by `format_spec[start:end]` as
/// `str.__format__` does (an empty spec writes the str itself).
///
/// # Safety
/// `writer` must be an initialised writer.
#[cpython_api]
unsafe fn _PyUnicode_FormatAdvancedWriter(vm: &VirtualMachine, writer: *mut PyUnicodeWriter, obj: *mut PyObject, format_spec: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t) -> PyResult<c_int> {
    let spec = as_str(vm, format_spec)?;
    let (start, end) = (start.max(0) as usize, (end.max(0) as usize).min(spec.char_len()));
    let text = if start >= end {
        to_host(vm, obj)?.str(vm)?.into()
    } else {
        // The slice's code points, as PyUnicode_Substring takes them.
        let spec: Wtf8Buf = spec.as_wtf8().code_points().skip(start).take(end - start).collect();
        let format = vm.ctx.types.str_type.as_object().get_attr("__format__", vm)?;
        format.call((to_host(vm, obj)?, vm.ctx.new_str(spec)), vm)?
    };
    let text = into_ref(vm, text);
    // SAFETY: the caller guarantees the writer; `text` is a str we own.
    let written = unsafe { _PyUnicodeWriter_WriteStr(writer, text) };
    proxy::decref(text);
    written.into_result(vm).map(|_| 0)
}

/// The group widths of a `localeconv()` grouping string, from the right: a
/// byte is a width, 0 (the string's end) repeats the previous width for
/// ever, and CHAR_MAX ends grouping (the rest is one group).
struct GroupWidths {
    grouping: *const c_char,
    next: usize,
    previous: Py_ssize_t,
}

impl Iterator for GroupWidths {
    type Item = Py_ssize_t;

    fn next(&mut self) -> Option<Py_ssize_t> {
        // SAFETY: the caller of _PyUnicode_InsertThousandsGrouping passes a
        // NUL-terminated grouping; reading stops at its NUL.
        let byte = unsafe { *self.grouping.add(self.next) } as u8;
        match byte {
            0 if self.previous > 0 => Some(self.previous),
            0 | 0x7F..=0xFF => None,
            width => {
                self.next += 1;
                self.previous = width as Py_ssize_t;
                Some(self.previous)
            }
        }
    }
}

/// `n_digits` digits of `digits` from `d_pos`, grouped by `grouping` with
/// `thousands_sep` between groups and zero-padded to `min_width`. Without a
/// writer: only the length, and in `*maxchar` the widest character it needs.
/// With one: the text is written to end at `writer->pos + n_buffer` (the
/// caller has prepared the room and moves `pos` itself). Returns the length.
///
/// # Safety
/// `grouping` must be NUL-terminated; `writer` must be an initialised
/// writer or NULL, and `maxchar` writable when it is NULL.
#[cpython_api]
unsafe fn _PyUnicode_InsertThousandsGrouping(vm: &VirtualMachine, writer: *mut PyUnicodeWriter, n_buffer: Py_ssize_t, digits: *mut PyObject, d_pos: Py_ssize_t, n_digits: Py_ssize_t, min_width: Py_ssize_t, grouping: *const c_char, thousands_sep: *mut PyObject, maxchar: *mut u32) -> PyResult<Py_ssize_t> {
    if grouping.is_null() || (writer.is_null() && maxchar.is_null()) || d_pos < 0 || n_digits < 0 {
        return Err(bad_internal_call(vm));
    }
    let separator = chars_of(vm, thousands_sep)?;
    let sep_len = separator.len() as Py_ssize_t;
    // Each group as (digits, zeros), rightmost first; a separator precedes
    // every group but the first. The padding to min_width counts separators.
    let mut groups = Vec::new();
    let (mut remaining, mut width) = (n_digits, min_width.max(0));
    let mut widths = GroupWidths { grouping, next: 0, previous: 0 };
    loop {
        let needed = remaining.max(width).max(1);
        let group_width = widths.next();
        let len = group_width.map_or(needed, |w| w.min(needed));
        let used = remaining.min(len);
        groups.push((used, (len - remaining).max(0)));
        remaining -= used;
        width -= len;
        if group_width.is_none() || (remaining <= 0 && width <= 0) {
            break;
        }
        width -= sep_len;
    }
    let count = groups.iter().map(|(d, z)| d + z).sum::<Py_ssize_t>() + (groups.len() as Py_ssize_t - 1) * sep_len;
    if writer.is_null() {
        // The separator's kind counts, as PyUnicode_MAX_CHAR_VALUE does.
        let widest = if groups.len() > 1 && sep_len > 0 { Form::for_max_char(separator.max_in(0, separator.len())).max_char() } else { 0 };
        // SAFETY: the caller passes a writable maxchar when there is no writer.
        unsafe { *maxchar = widest.max(127) };
        return Ok(count);
    }
    let digits = chars_of(vm, digits)?;
    // SAFETY: the caller guarantees the writer.
    let w = unsafe { &mut *writer };
    let end = w.pos + n_buffer;
    // SAFETY: a writer with a buffer holds a Str-layout proxy.
    let room = if w.buffer.is_null() || w.readonly != 0 { 0 } else { unsafe { Text::of(w.buffer) }.length as Py_ssize_t };
    if end > room || end < count || d_pos + n_digits > digits.len() as Py_ssize_t {
        return Err(vm.new_system_error("_PyUnicode_InsertThousandsGrouping: the digits or the writer's room are too short".to_owned()));
    }
    // SAFETY: checked above: the buffer is writable and [end - count, end) is inside it.
    let text = unsafe { Text::of(w.buffer) };
    let (mut at, mut next_digit) = (end as usize, (d_pos + n_digits) as usize);
    for (i, &(used, zeros)) in groups.iter().enumerate() {
        if i > 0 {
            for k in (0..separator.len()).rev() {
                at -= 1;
                text.set(at, separator.get(k));
            }
        }
        for _ in 0..used {
            at -= 1;
            next_digit -= 1;
            text.set(at, digits.get(next_digit));
        }
        for _ in 0..zeros {
            at -= 1;
            text.set(at, '0' as u32);
        }
    }
    Ok(count)
}
