//! cpython/initconfig.h: the configuration structures of start-up. These
//! functions fill, copy and free C data, exactly as CPython's do; the
//! strings they own live in PyMem_RawMalloc memory.
use super::fileutils::decode_locale;
use super::pymem::{DOMAIN_RAW, domain_free, domain_malloc, domain_realloc};
use crate::boundary::CReturn;
use crate::ffi::{self, PyStatus, PyWideStringList, Py_ssize_t};
use cpyext_macros::cpython_api;
use std::ffi::{c_char, c_int, c_void};

impl CReturn for PyStatus {
    fn error_value() -> Self {
        status_error(c"internal error in the C API layer")
    }
}

pub(crate) fn status_ok() -> PyStatus {
    PyStatus { _type: ffi::PyStatus__PyStatus_TYPE_OK, func: std::ptr::null(), err_msg: std::ptr::null(), exitcode: 0 }
}

fn status_error(message: &'static std::ffi::CStr) -> PyStatus {
    PyStatus { _type: ffi::PyStatus__PyStatus_TYPE_ERROR, func: std::ptr::null(), err_msg: message.as_ptr(), exitcode: 0 }
}

/// An error status naming the function it comes from, as CPython's
/// internal ones do.
fn status_error_in(func: &'static std::ffi::CStr, message: &'static std::ffi::CStr) -> PyStatus {
    PyStatus { func: func.as_ptr(), ..status_error(message) }
}

fn no_memory() -> PyStatus {
    status_error(c"memory allocation failed")
}

#[cpython_api(no_gil)]
fn PyStatus_Ok() -> PyStatus {
    status_ok()
}

/// # Safety
/// `err_msg` must be a string that outlives the status.
#[cpython_api(no_gil)]
unsafe fn PyStatus_Error(err_msg: *const c_char) -> PyStatus {
    PyStatus { _type: ffi::PyStatus__PyStatus_TYPE_ERROR, func: std::ptr::null(), err_msg, exitcode: 0 }
}

#[cpython_api(no_gil)]
fn PyStatus_NoMemory() -> PyStatus {
    no_memory()
}

#[cpython_api(no_gil)]
fn PyStatus_Exit(exitcode: c_int) -> PyStatus {
    PyStatus { _type: ffi::PyStatus__PyStatus_TYPE_EXIT, exitcode, ..status_ok() }
}

#[cpython_api(no_gil)]
fn PyStatus_IsError(err: PyStatus) -> c_int {
    (err._type == ffi::PyStatus__PyStatus_TYPE_ERROR) as c_int
}

#[cpython_api(no_gil)]
fn PyStatus_IsExit(err: PyStatus) -> c_int {
    (err._type == ffi::PyStatus__PyStatus_TYPE_EXIT) as c_int
}

#[cpython_api(no_gil)]
fn PyStatus_Exception(err: PyStatus) -> c_int {
    (err._type != ffi::PyStatus__PyStatus_TYPE_OK) as c_int
}

// --- wide strings and their lists ------------------------------------------

/// A PyMem_RawMalloc copy of a NUL-terminated wide string, or NULL.
/// # Safety
/// `text` must be a NUL-terminated wide string.
unsafe fn wcsdup(text: *const libc::wchar_t) -> *mut libc::wchar_t {
    // SAFETY: the caller passes a NUL-terminated wide string.
    let len = unsafe { libc::wcslen(text) } + 1;
    let copy = domain_malloc(DOMAIN_RAW, len * std::mem::size_of::<libc::wchar_t>()) as *mut libc::wchar_t;
    if !copy.is_null() {
        // SAFETY: `copy` holds `len` wide characters.
        unsafe { std::ptr::copy_nonoverlapping(text, copy, len) };
    }
    copy
}

/// Frees the items and the array of a list and empties it.
/// # Safety
/// `list` must be a valid list whose memory came from PyMem_RawMalloc.
unsafe fn clear_list(list: *mut PyWideStringList) {
    // SAFETY: the caller passes a valid list.
    unsafe {
        for i in 0..(*list).length.max(0) as usize {
            domain_free(DOMAIN_RAW, *(*list).items.add(i) as *mut c_void);
        }
        domain_free(DOMAIN_RAW, (*list).items as *mut c_void);
        (*list).length = 0;
        (*list).items = std::ptr::null_mut();
    }
}

/// Replaces `list` with copies of `length` items; false (list untouched)
/// when memory runs out.
/// # Safety
/// `list` must be valid; `items` must hold `length` wide strings.
unsafe fn copy_into_list(list: *mut PyWideStringList, length: Py_ssize_t, items: *const *mut libc::wchar_t) -> bool {
    if length <= 0 {
        // SAFETY: the caller passes a valid list.
        unsafe { clear_list(list) };
        return true;
    }
    let n = length as usize;
    let array = domain_malloc(DOMAIN_RAW, n * std::mem::size_of::<*mut libc::wchar_t>()) as *mut *mut libc::wchar_t;
    if array.is_null() {
        return false;
    }
    for i in 0..n {
        // SAFETY: the caller passes `length` valid strings; `array` holds n slots.
        let copy = unsafe { wcsdup(*items.add(i)) };
        if copy.is_null() {
            for j in 0..i {
                // SAFETY: the slots before i were filled above.
                domain_free(DOMAIN_RAW, unsafe { *array.add(j) } as *mut c_void);
            }
            domain_free(DOMAIN_RAW, array as *mut c_void);
            return false;
        }
        // SAFETY: i < n.
        unsafe { *array.add(i) = copy };
    }
    // SAFETY: the caller passes a valid list.
    unsafe {
        clear_list(list);
        (*list).length = length;
        (*list).items = array;
    }
    true
}

/// Inserts a copy of `item` at `index` (clamped to the length).
/// # Safety
/// `list` must be valid and `item` a NUL-terminated wide string.
#[cpython_api(no_gil)]
unsafe fn PyWideStringList_Insert(list: *mut PyWideStringList, index: Py_ssize_t, item: *const libc::wchar_t) -> PyStatus {
    // SAFETY: the caller passes a valid list and string.
    unsafe {
        let len = (*list).length;
        if len == Py_ssize_t::MAX {
            return no_memory();
        }
        if index < 0 {
            return status_error_in(c"PyWideStringList_Insert", c"PyWideStringList_Insert index must be >= 0");
        }
        let index = index.min(len) as usize;
        let copy = wcsdup(item);
        if copy.is_null() {
            return no_memory();
        }
        let size = (len as usize + 1) * std::mem::size_of::<*mut libc::wchar_t>();
        let items = domain_realloc(DOMAIN_RAW, (*list).items as *mut c_void, size) as *mut *mut libc::wchar_t;
        if items.is_null() {
            domain_free(DOMAIN_RAW, copy as *mut c_void);
            return no_memory();
        }
        let len = len as usize;
        if index < len {
            std::ptr::copy(items.add(index), items.add(index + 1), len - index);
        }
        *items.add(index) = copy;
        (*list).items = items;
        (*list).length += 1;
    }
    status_ok()
}

/// # Safety
/// As for `PyWideStringList_Insert`.
#[cpython_api(no_gil)]
unsafe fn PyWideStringList_Append(list: *mut PyWideStringList, item: *const libc::wchar_t) -> PyStatus {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyWideStringList_Insert(list, (*list).length, item) }
}

// --- PyPreConfig --------------------------------------------------------------

/// CPython's _PyConfigInitEnum.
const CONFIG_INIT_COMPAT: c_int = 1;
const CONFIG_INIT_PYTHON: c_int = 2;
const CONFIG_INIT_ISOLATED: c_int = 3;

fn preconfig_compat() -> ffi::PyPreConfig {
    ffi::PyPreConfig {
        _config_init: CONFIG_INIT_COMPAT,
        parse_argv: 0,
        isolated: -1,
        use_environment: -1,
        configure_locale: 1,
        coerce_c_locale: 0,
        coerce_c_locale_warn: 0,
        utf8_mode: 0,
        dev_mode: -1,
        allocator: ffi::PyMemAllocatorName_PYMEM_ALLOCATOR_NOT_SET as c_int,
    }
}

/// # Safety
/// `config` must point to a writable PyPreConfig.
#[cpython_api(no_gil)]
unsafe fn PyPreConfig_InitPythonConfig(config: *mut ffi::PyPreConfig) {
    let value = ffi::PyPreConfig {
        _config_init: CONFIG_INIT_PYTHON,
        isolated: 0,
        parse_argv: 1,
        use_environment: 1,
        coerce_c_locale: -1,
        coerce_c_locale_warn: -1,
        utf8_mode: -1,
        ..preconfig_compat()
    };
    // SAFETY: the caller passes a writable structure.
    unsafe { *config = value };
}

/// # Safety
/// `config` must point to a writable PyPreConfig.
#[cpython_api(no_gil)]
unsafe fn PyPreConfig_InitIsolatedConfig(config: *mut ffi::PyPreConfig) {
    let value = ffi::PyPreConfig {
        _config_init: CONFIG_INIT_ISOLATED,
        configure_locale: 0,
        isolated: 1,
        use_environment: 0,
        utf8_mode: 0,
        dev_mode: 0,
        ..preconfig_compat()
    };
    // SAFETY: the caller passes a writable structure.
    unsafe { *config = value };
}

// --- PyConfig -------------------------------------------------------------------

/// CPython's defaults shared by both public starting points.
fn config_defaults() -> ffi::PyConfig {
    // SAFETY: all-zero is a valid PyConfig (NULL strings, empty lists).
    let mut c: ffi::PyConfig = unsafe { std::mem::zeroed() };
    c._config_init = CONFIG_INIT_COMPAT;
    c.isolated = 0;
    c.use_environment = 1;
    c.dev_mode = -1;
    c.install_signal_handlers = 1;
    c.use_hash_seed = -1;
    c.faulthandler = -1;
    c.tracemalloc = -1;
    c.code_debug_ranges = 1;
    c.parse_argv = 0;
    c.site_import = 1;
    c.bytes_warning = 0;
    c.warn_default_encoding = 0;
    c.inspect = 0;
    c.interactive = 0;
    c.optimization_level = 0;
    c.parser_debug = 0;
    c.write_bytecode = 1;
    c.verbose = 0;
    c.quiet = 0;
    c.user_site_directory = 1;
    c.configure_c_stdio = 0;
    c.buffered_stdio = 1;
    c.pathconfig_warnings = 1;
    c.use_frozen_modules = 1;
    c.safe_path = 0;
    c._install_importlib = 1;
    c._init_main = 1;
    c._isolated_interpreter = 0;
    c._is_python_build = 0;
    c
}

/// # Safety
/// `config` must point to a writable PyConfig (its old contents are not freed).
#[cpython_api(no_gil)]
unsafe fn PyConfig_InitPythonConfig(config: *mut ffi::PyConfig) {
    let mut c = config_defaults();
    c._config_init = CONFIG_INIT_PYTHON;
    c.configure_c_stdio = 1;
    c.parse_argv = 1;
    // SAFETY: the caller passes a writable structure.
    unsafe { *config = c };
}

/// # Safety
/// `config` must point to a writable PyConfig (its old contents are not freed).
#[cpython_api(no_gil)]
unsafe fn PyConfig_InitIsolatedConfig(config: *mut ffi::PyConfig) {
    let mut c = config_defaults();
    c._config_init = CONFIG_INIT_ISOLATED;
    c.isolated = 1;
    c.use_environment = 0;
    c.user_site_directory = 0;
    c.dev_mode = 0;
    c.install_signal_handlers = 0;
    c.use_hash_seed = 0;
    c.faulthandler = 0;
    c.tracemalloc = 0;
    c.safe_path = 1;
    c.pathconfig_warnings = 0;
    // SAFETY: the caller passes a writable structure.
    unsafe { *config = c };
}

/// Frees every string and list the configuration owns.
/// # Safety
/// `config` must be a PyConfig whose strings and lists came from these
/// functions (or are NULL/empty).
#[cpython_api(no_gil)]
unsafe fn PyConfig_Clear(config: *mut ffi::PyConfig) {
    // SAFETY: the caller passes a valid configuration.
    let c = unsafe { &mut *config };
    let strings: [&mut *mut libc::wchar_t; 21] = [
        &mut c.dump_refs_file,
        &mut c.filesystem_encoding,
        &mut c.filesystem_errors,
        &mut c.pycache_prefix,
        &mut c.stdio_encoding,
        &mut c.stdio_errors,
        &mut c.check_hash_pycs_mode,
        &mut c.program_name,
        &mut c.pythonpath_env,
        &mut c.home,
        &mut c.platlibdir,
        &mut c.stdlib_dir,
        &mut c.executable,
        &mut c.base_executable,
        &mut c.prefix,
        &mut c.base_prefix,
        &mut c.exec_prefix,
        &mut c.base_exec_prefix,
        &mut c.run_command,
        &mut c.run_module,
        &mut c.run_filename,
    ];
    for field in strings {
        domain_free(DOMAIN_RAW, *field as *mut c_void);
        *field = std::ptr::null_mut();
    }
    // SAFETY: the lists belong to the configuration.
    unsafe {
        clear_list(&mut c.orig_argv);
        clear_list(&mut c.argv);
        clear_list(&mut c.xoptions);
        clear_list(&mut c.warnoptions);
        clear_list(&mut c.module_search_paths);
    }
}

/// Replaces *config_str with a copy of `text` (NULL clears it).
/// # Safety
/// `config_str` must point to a string field of a configuration; `text`
/// must be NULL or a NUL-terminated wide string.
#[cpython_api(no_gil)]
unsafe fn PyConfig_SetString(_config: *mut ffi::PyConfig, config_str: *mut *mut libc::wchar_t, text: *const libc::wchar_t) -> PyStatus {
    let copy = if text.is_null() {
        std::ptr::null_mut()
    } else {
        // SAFETY: the caller passes a NUL-terminated string.
        let copy = unsafe { wcsdup(text) };
        if copy.is_null() {
            return no_memory();
        }
        copy
    };
    // SAFETY: the caller passes a string field owned by the configuration.
    unsafe {
        domain_free(DOMAIN_RAW, *config_str as *mut c_void);
        *config_str = copy;
    }
    status_ok()
}

/// The same from a locale-encoded byte string.
/// # Safety
/// As for `PyConfig_SetString`, with `text` a NUL-terminated byte string.
#[cpython_api(no_gil)]
unsafe fn PyConfig_SetBytesString(_config: *mut ffi::PyConfig, config_str: *mut *mut libc::wchar_t, text: *const c_char) -> PyStatus {
    let decoded = if text.is_null() {
        std::ptr::null_mut()
    } else {
        // SAFETY: the caller passes a NUL-terminated string.
        match unsafe { decode_locale(text) } {
            Some(d) => d,
            None => return no_memory(),
        }
    };
    // SAFETY: the caller passes a string field owned by the configuration.
    unsafe {
        domain_free(DOMAIN_RAW, *config_str as *mut c_void);
        *config_str = decoded;
    }
    status_ok()
}

/// Replaces `list` with copies of `items`.
/// # Safety
/// `list` must be a list of the configuration; `items` must hold `length`
/// NUL-terminated wide strings.
#[cpython_api(no_gil)]
unsafe fn PyConfig_SetWideStringList(_config: *mut ffi::PyConfig, list: *mut PyWideStringList, length: Py_ssize_t, items: *mut *mut libc::wchar_t) -> PyStatus {
    // SAFETY: forwarded under the caller's contract.
    if unsafe { copy_into_list(list, length, items) } { status_ok() } else { no_memory() }
}

/// config->argv becomes a copy of argv.
/// # Safety
/// `config` must be valid; `argv` must hold `argc` wide strings.
#[cpython_api(no_gil)]
unsafe fn PyConfig_SetArgv(config: *mut ffi::PyConfig, argc: Py_ssize_t, argv: *const *mut libc::wchar_t) -> PyStatus {
    // SAFETY: forwarded under the caller's contract.
    if unsafe { copy_into_list(&mut (*config).argv, argc, argv) } { status_ok() } else { no_memory() }
}

/// config->argv becomes argv decoded from the locale encoding.
/// # Safety
/// `config` must be valid; `argv` must hold `argc` NUL-terminated strings.
#[cpython_api(no_gil)]
unsafe fn PyConfig_SetBytesArgv(config: *mut ffi::PyConfig, argc: Py_ssize_t, argv: *const *const c_char) -> PyStatus {
    let mut decoded: Vec<*mut libc::wchar_t> = Vec::new();
    for i in 0..argc.max(0) as usize {
        // SAFETY: the caller passes argc strings.
        match unsafe { decode_locale(*argv.add(i)) } {
            Some(d) => decoded.push(d),
            None => {
                for d in decoded {
                    domain_free(DOMAIN_RAW, d as *mut c_void);
                }
                return no_memory();
            }
        }
    }
    // SAFETY: the decoded strings are ours; the list belongs to the configuration.
    unsafe {
        let list = &mut (*config).argv;
        let ok = copy_into_list(list, decoded.len() as Py_ssize_t, decoded.as_ptr());
        for d in decoded {
            domain_free(DOMAIN_RAW, d as *mut c_void);
        }
        if ok { status_ok() } else { no_memory() }
    }
}

/// The process's command line, as wide strings that live for ever.
/// # Safety
/// `argc` and `argv` must be writable.
#[cpython_api(no_gil)]
unsafe fn Py_GetArgcArgv(argc: *mut c_int, argv: *mut *mut *mut libc::wchar_t) {
    static ARGV: std::sync::OnceLock<(c_int, usize)> = std::sync::OnceLock::new();
    let (count, array) = *ARGV.get_or_init(|| {
        let mut items: Vec<*mut libc::wchar_t> = std::env::args_os()
            .map(|a| {
                use std::os::unix::ffi::OsStrExt;
                // SAFETY: a NUL-terminated copy of the argument.
                let bytes = std::ffi::CString::new(a.as_bytes()).unwrap_or_default();
                unsafe { decode_locale(bytes.as_ptr()) }.unwrap_or(std::ptr::null_mut())
            })
            .collect();
        let count = items.len() as c_int;
        items.push(std::ptr::null_mut());
        (count, Box::leak(items.into_boxed_slice()).as_mut_ptr() as usize)
    });
    // SAFETY: the caller passes writable locations.
    unsafe {
        *argc = count;
        *argv = array as *mut *mut libc::wchar_t;
    }
}
