//! pyhash.h: the hashes C code computes by hand. Numeric hashes follow
//! Python's definition (reduction modulo the prime 2**61 - 1); byte hashes
//! are the host's, so they agree with hash() of the same bytes.
use crate::ffi::{PyObject, Py_hash_t, Py_ssize_t};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyResult, VirtualMachine};
use std::ffi::{CString, c_char, c_double, c_int, c_void};
use std::sync::OnceLock;

const HASH_BITS: u32 = 61;
const HASH_MODULUS: u64 = (1 << HASH_BITS) - 1;
const HASH_INF: Py_hash_t = 314159;

/// The address rotated right by 4 bits (its low bits are alignment zeros).
#[cpython_api]
fn _Py_HashPointerRaw(p: *const c_void) -> Py_hash_t {
    (p as usize).rotate_right(4) as Py_hash_t
}

#[cpython_api]
fn _Py_HashPointer(p: *const c_void) -> Py_hash_t {
    match (p as usize).rotate_right(4) as Py_hash_t {
        -1 => -2,
        h => h,
    }
}

/// hash(v) of a float: v = m * 2**e exactly (m an integer below 2**53), and
/// 2**61 = 1 modulo the prime, so 2**e reduces to 2**(e mod 61).
#[cpython_api]
unsafe fn _Py_HashDouble(inst: *mut PyObject, v: c_double) -> Py_hash_t {
    if v.is_nan() {
        return _Py_HashPointer(inst as *const c_void);
    }
    if v.is_infinite() {
        return if v > 0.0 { HASH_INF } else { -HASH_INF };
    }
    if v == 0.0 {
        return 0;
    }
    let bits = v.abs().to_bits();
    let biased = (bits >> 52) as i64;
    let fraction = bits & ((1 << 52) - 1);
    // Subnormals have no implicit leading one and the exponent of the smallest normal.
    let (mantissa, exponent) = if biased == 0 { (fraction, -1074) } else { (fraction | (1 << 52), biased - 1075) };
    let rotation = exponent.rem_euclid(HASH_BITS as i64) as u32;
    let reduced = ((mantissa as u128) << rotation) % (HASH_MODULUS as u128);
    let hash = if v < 0.0 { -(reduced as i64) } else { reduced as i64 };
    if hash == -1 { -2 } else { hash as Py_hash_t }
}

/// # Safety
/// `src` must point at `len` readable bytes.
#[cpython_api]
unsafe fn _Py_HashBytes(vm: &VirtualMachine, src: *const c_void, len: Py_ssize_t) -> PyResult<Py_hash_t> {
    if len <= 0 {
        return Ok(0);
    }
    // SAFETY: the caller passes len readable bytes.
    let data = unsafe { std::slice::from_raw_parts(src as *const u8, len as usize) };
    let bytes = vm.ctx.new_bytes(data.to_vec());
    Ok(bytes.as_object().hash(vm)? as Py_hash_t)
}

/// The hash used for bytes and str, named as sys.hash_info names it.
#[cpython_api]
fn PyHash_GetFuncDef(vm: &VirtualMachine) -> *mut crate::ffi::PyHash_FuncDef {
    static DEFINITION: OnceLock<usize> = OnceLock::new();
    let address = *DEFINITION.get_or_init(|| {
        let info = vm.sys_module.get_attr("hash_info", vm).ok();
        let field = |name: &'static str| info.as_ref().and_then(|i| i.get_attr(name, vm).ok());
        let name = field("algorithm").and_then(|a| a.str(vm).ok()).map_or_else(|| "siphash13".to_owned(), |s| s.to_string());
        let int_field = |name: &'static str, default: c_int| field(name).and_then(|v| v.try_into_value::<c_int>(vm).ok()).unwrap_or(default);
        let definition = crate::ffi::PyHash_FuncDef {
            hash: Some(_Py_HashBytes),
            name: CString::new(name).unwrap_or_default().into_raw() as *const c_char,
            hash_bits: int_field("hash_bits", 64),
            seed_bits: int_field("seed_bits", 128),
        };
        Box::into_raw(Box::new(definition)) as usize
    });
    address as *mut crate::ffi::PyHash_FuncDef
}
