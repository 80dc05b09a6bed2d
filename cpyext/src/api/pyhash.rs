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

/// The pointer of an object with a host hashes as `object.__hash__` of it,
/// the host's identity: in CPython the two are one, and C types that hash
/// a NaN by `_Py_HashDouble(self, v)` are tested against
/// `object.__hash__(self)` (ml_dtypes).
#[cpython_api]
fn _Py_HashPointer(p: *const c_void) -> Py_hash_t {
    // `p` may be any pointer and is not read: the lookup is address
    // arithmetic and a map.
    // SAFETY: the header of a registered proxy, read under the GIL (I1).
    let host = crate::proxy::header(p as *mut PyObject).map_or(0, |h| unsafe { h.as_ref().host } as usize);
    let hash = if host != 0 { host as Py_hash_t } else { (p as usize).rotate_right(4) as Py_hash_t };
    match hash {
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

/// `_Py_HashSecret`'s 24 bytes (a union in C: siphash keys, expat's salt).
#[repr(C, align(8))]
pub struct HashSecret([u8; 24]);

/// The secret C reads to key or salt hashes of its own (expat's hash salt,
/// a siphash with the interpreter's keys). The host keeps its string-hash
/// key private, so this one is made as CPython makes its own: zeros with
/// PYTHONHASHSEED=0, the seed's fixed sequence with another seed, random
/// bytes otherwise. Filled once as the layer starts.
#[unsafe(no_mangle)]
pub static mut _Py_HashSecret: HashSecret = HashSecret([0; 24]);
inventory::submit! { crate::boundary::ApiData { name: "_Py_HashSecret" } }

/// Fills `_Py_HashSecret` for the interpreter's hash seed.
pub(crate) fn init_hash_secret(vm: &VirtualMachine) {
    let mut bytes = [0u8; 24];
    match vm.state.config.settings.hash_seed {
        Some(0) => {}
        // CPython's linear congruential generator for a fixed seed.
        Some(seed) => {
            let mut x = seed;
            for byte in bytes.iter_mut() {
                x = x.wrapping_mul(214013).wrapping_add(2531011);
                *byte = ((x >> 16) & 0xff) as u8;
            }
        }
        None => {
            // SAFETY: getrandom writes at most the buffer's length.
            let n = unsafe { libc::getrandom(bytes.as_mut_ptr().cast(), bytes.len(), 0) };
            if n != bytes.len() as isize {
                let fallback = std::collections::hash_map::RandomState::new();
                for (i, chunk) in bytes.chunks_mut(8).enumerate() {
                    use std::hash::BuildHasher;
                    chunk.copy_from_slice(&fallback.hash_one(i).to_ne_bytes());
                }
            }
        }
    }
    // SAFETY: written once, as the layer starts, before C can read it.
    unsafe { (*std::ptr::addr_of_mut!(_Py_HashSecret)).0 = bytes };
}
