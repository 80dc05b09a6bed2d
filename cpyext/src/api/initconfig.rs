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
    status_exit(exitcode)
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

// --- reading a configuration: the command line, the environment, the paths ----

/// The text of a wide string (NULL is None); a unit that is no character
/// becomes U+FFFD.
/// # Safety
/// `text` must be NULL or a NUL-terminated wide string.
unsafe fn wide_text(text: *const libc::wchar_t) -> Option<String> {
    if text.is_null() {
        return None;
    }
    // SAFETY: the caller passes a NUL-terminated wide string.
    let units = unsafe { std::slice::from_raw_parts(text, libc::wcslen(text)) };
    Some(units.iter().map(|&u| char::from_u32(u as u32).unwrap_or('\u{FFFD}')).collect())
}

/// The texts of a list's items.
/// # Safety
/// `list` must be a valid list.
unsafe fn list_texts(list: &PyWideStringList) -> Vec<String> {
    (0..list.length.max(0) as usize)
        // SAFETY: the list holds `length` valid strings.
        .map(|i| unsafe { wide_text(*list.items.add(i)) }.unwrap_or_default())
        .collect()
}

fn wide_units(text: &str) -> Vec<libc::wchar_t> {
    text.chars().map(|c| c as libc::wchar_t).chain(std::iter::once(0)).collect()
}

/// Replaces a string field with a PyMem_RawMalloc copy of `text`; false
/// (field untouched) when memory runs out.
/// # Safety
/// `field` must hold NULL or a string of this module's allocation.
unsafe fn store_text(field: &mut *mut libc::wchar_t, text: Option<&str>) -> bool {
    let copy = match text {
        None => std::ptr::null_mut(),
        Some(text) => {
            // SAFETY: a NUL-terminated local copy.
            let copy = unsafe { wcsdup(wide_units(text).as_ptr()) };
            if copy.is_null() {
                return false;
            }
            copy
        }
    };
    domain_free(DOMAIN_RAW, *field as *mut c_void);
    *field = copy;
    true
}

/// Replaces a list with copies of `texts`; false when memory runs out.
/// # Safety
/// `list` must be a valid list of this module's allocation.
unsafe fn store_list(list: &mut PyWideStringList, texts: &[String]) -> bool {
    let wides: Vec<Vec<libc::wchar_t>> = texts.iter().map(|t| wide_units(t)).collect();
    let pointers: Vec<*mut libc::wchar_t> = wides.iter().map(|w| w.as_ptr() as *mut libc::wchar_t).collect();
    // SAFETY: `pointers` holds texts.len() NUL-terminated strings.
    unsafe { copy_into_list(list, pointers.len() as Py_ssize_t, pointers.as_ptr()) }
}

/// A configuration's strings and lists as Rust values, beside a copy of its
/// numeric fields (`numbers`, whose pointer fields are NULL): what reading
/// a configuration works on, and what `Py_InitializeFromConfig` starts from.
macro_rules! config_texts {
    (strings: [$($s:ident),* $(,)?], lists: [$($l:ident),* $(,)?] $(,)?) => {
        #[derive(Default, Clone)]
        pub(crate) struct ConfigTexts {
            $(pub $s: Option<String>,)*
            $(pub $l: Vec<String>,)*
        }

        pub(crate) struct Config {
            pub numbers: ffi::PyConfig,
            pub texts: ConfigTexts,
        }

        impl Config {
            /// # Safety
            /// `c` must be a valid configuration.
            pub(crate) unsafe fn from_c(c: &ffi::PyConfig) -> Config {
                let mut numbers = *c;
                $(numbers.$s = std::ptr::null_mut();)*
                $(numbers.$l = PyWideStringList { length: 0, items: std::ptr::null_mut() };)*
                // SAFETY: the caller passes a valid configuration.
                let texts = unsafe { ConfigTexts { $($s: wide_text(c.$s),)* $($l: list_texts(&c.$l),)* } };
                Config { numbers, texts }
            }

            /// Writes every field back into `c`; false when memory runs out.
            /// # Safety
            /// `c` must be a valid configuration of this module's allocation.
            unsafe fn store(&self, c: &mut ffi::PyConfig) -> bool {
                let mut numbers = self.numbers;
                $(numbers.$s = c.$s;)*
                $(numbers.$l = c.$l;)*
                *c = numbers;
                // SAFETY: the fields belong to the configuration.
                unsafe { true $(&& store_text(&mut c.$s, self.texts.$s.as_deref()))* $(&& store_list(&mut c.$l, &self.texts.$l))* }
            }
        }
    };
}

config_texts! {
    strings: [dump_refs_file, filesystem_encoding, filesystem_errors, pycache_prefix, stdio_encoding,
              stdio_errors, check_hash_pycs_mode, program_name, pythonpath_env, home, platlibdir,
              stdlib_dir, executable, base_executable, prefix, base_prefix, exec_prefix,
              base_exec_prefix, run_command, run_module, run_filename],
    lists: [orig_argv, argv, xoptions, warnoptions, module_search_paths],
}

/// How a command line ends the start-up early: `-h` and `-V` print and
/// exit 0, a bad option prints why and exits 2.
pub(crate) enum Stop {
    Exit(c_int),
}

const USAGE: &str = "usage: {prog} [option] ... [-c cmd | -m mod | file | -] [arg] ...";

/// The options `Py_Main` understands, printed by `-h`.
const HELP: &str = "\
Options (the command-line options of CPython 3.11):
-b     : warn about str(bytes) and comparing bytes with str (-bb: error)
-B     : do not write .pyc files
-c cmd : program passed in as string (ends the option list)
-d     : parser debugging output
-E     : ignore PYTHON* environment variables
-h     : print this help and exit (also -? or --help)
-i     : inspect interactively after running the script
-I     : isolate from the user's environment (implies -E, -P and -s)
-m mod : run library module as a script (ends the option list)
-O     : remove assert and __debug__-dependent statements (-OO: docstrings too)
-P     : do not prepend a potentially unsafe path to sys.path
-q     : no version and copyright messages on interactive start-up
-s     : do not add the user site directory to sys.path
-S     : do not import the site module
-u     : unbuffered binary stdout and stderr
-v     : verbose imports (-vv: more)
-V     : print the Python version and exit (also --version)
-W arg : warning control
-x     : skip the first line of the source
-X opt : implementation-specific option
--check-hash-based-pycs always|default|never
file   : program read from script file
-      : program read from stdin
arg ...: arguments passed to the program in sys.argv[1:]
";

impl Config {
    /// Parses `argv` as CPython's command line into this configuration:
    /// the options set their fields, the program becomes `run_command`,
    /// `run_module` or `run_filename`, and `argv` keeps what the program
    /// sees as sys.argv.
    fn parse_command_line(&mut self) -> Result<(), Stop> {
        let args = self.texts.argv.clone();
        let prog = args.first().cloned().unwrap_or_else(|| "python3".to_owned());
        let usage = || {
            eprintln!("{}", USAGE.replace("{prog}", &prog));
            eprintln!("Try `python -h' for more information.");
            Stop::Exit(2)
        };
        let c = &mut self.numbers;
        let mut i = 1;
        let mut program_argv: Option<Vec<String>> = None;
        'args: while i < args.len() {
            let arg = &args[i];
            if arg == "-" || !arg.starts_with('-') {
                break;
            }
            i += 1;
            if arg == "--" {
                break;
            }
            if let Some(long) = arg.strip_prefix("--") {
                match long {
                    "help" | "help-env" | "help-xoptions" | "help-all" => {
                        println!("{}", USAGE.replace("{prog}", &prog));
                        print!("{HELP}");
                        return Err(Stop::Exit(0));
                    }
                    "version" => {
                        println!("Python 3.11.0");
                        return Err(Stop::Exit(0));
                    }
                    "check-hash-based-pycs" => {
                        let Some(mode) = args.get(i).filter(|m| ["always", "default", "never"].contains(&m.as_str())) else {
                            eprintln!("--check-hash-based-pycs must be one of 'default', 'always', or 'never'");
                            return Err(usage());
                        };
                        self.texts.check_hash_pycs_mode = Some(mode.clone());
                        i += 1;
                        continue;
                    }
                    _ => {
                        eprintln!("unknown option --{long}");
                        return Err(usage());
                    }
                }
            }
            // A cluster of one-letter options; one that takes a value takes
            // the rest of the cluster, or else the next argument.
            let letters: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < letters.len() {
                let letter = letters[j];
                j += 1;
                if "cmWX".contains(letter) {
                    let value = if j < letters.len() {
                        letters[j..].iter().collect::<String>()
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        eprintln!("Argument expected for the -{letter} option");
                        return Err(usage());
                    };
                    match letter {
                        'c' => {
                            self.texts.run_command = Some(format!("{value}\n"));
                            program_argv = Some(std::iter::once("-c".to_owned()).chain(args[i..].iter().cloned()).collect());
                            break 'args;
                        }
                        'm' => {
                            self.texts.run_module = Some(value);
                            program_argv = Some(std::iter::once("-m".to_owned()).chain(args[i..].iter().cloned()).collect());
                            break 'args;
                        }
                        'W' => self.texts.warnoptions.push(value),
                        _ => self.texts.xoptions.push(value),
                    }
                    break;
                }
                match letter {
                    'b' => c.bytes_warning += 1,
                    'B' => c.write_bytecode = 0,
                    'd' => c.parser_debug += 1,
                    'E' => c.use_environment = 0,
                    'h' | '?' => {
                        println!("{}", USAGE.replace("{prog}", &prog));
                        print!("{HELP}");
                        return Err(Stop::Exit(0));
                    }
                    'i' => {
                        c.inspect += 1;
                        c.interactive += 1;
                    }
                    'I' => c.isolated += 1,
                    'O' => c.optimization_level += 1,
                    'P' => c.safe_path = 1,
                    'q' => c.quiet += 1,
                    's' => c.user_site_directory = 0,
                    'S' => c.site_import = 0,
                    'u' => c.buffered_stdio = 0,
                    'v' => c.verbose += 1,
                    'V' => {
                        println!("Python 3.11.0");
                        return Err(Stop::Exit(0));
                    }
                    'x' => c.skip_source_first_line = 1,
                    _ => {
                        eprintln!("Unknown option: -{letter}");
                        return Err(usage());
                    }
                }
            }
        }
        self.texts.argv = match program_argv {
            Some(argv) => argv,
            None if i < args.len() => {
                if args[i] != "-" {
                    self.texts.run_filename = Some(args[i].clone());
                }
                args[i..].to_vec()
            }
            None => vec![String::new()],
        };
        if self.numbers.isolated > 0 {
            self.numbers.use_environment = 0;
            self.numbers.safe_path = 1;
            self.numbers.user_site_directory = 0;
        }
        Ok(())
    }

    /// The PYTHON* variables CPython's start-up reads, unless the
    /// configuration ignores the environment.
    fn read_environment(&mut self) {
        if self.numbers.use_environment == 0 {
            return;
        }
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let level = |name: &str| var(name).map(|v| v.parse::<c_int>().unwrap_or(1).max(1));
        let c = &mut self.numbers;
        if var("PYTHONUNBUFFERED").is_some() {
            c.buffered_stdio = 0;
        }
        if var("PYTHONDONTWRITEBYTECODE").is_some() {
            c.write_bytecode = 0;
        }
        if var("PYTHONNOUSERSITE").is_some() {
            c.user_site_directory = 0;
        }
        if var("PYTHONINSPECT").is_some() {
            c.inspect = c.inspect.max(1);
        }
        if var("PYTHONSAFEPATH").is_some() {
            c.safe_path = 1;
        }
        if let Some(n) = level("PYTHONOPTIMIZE") {
            c.optimization_level = c.optimization_level.max(n);
        }
        if let Some(n) = level("PYTHONVERBOSE") {
            c.verbose = c.verbose.max(n);
        }
        if let Some(n) = level("PYTHONDEBUG") {
            c.parser_debug = c.parser_debug.max(n);
        }
        if c.dev_mode < 0 && var("PYTHONDEVMODE").is_some() {
            c.dev_mode = 1;
        }
        if c.faulthandler < 0 && var("PYTHONFAULTHANDLER").is_some() {
            c.faulthandler = 1;
        }
        if c.use_hash_seed < 0 {
            match var("PYTHONHASHSEED").as_deref() {
                None | Some("random") => c.use_hash_seed = 0,
                Some(seed) => {
                    c.use_hash_seed = 1;
                    c.hash_seed = seed.parse().unwrap_or(0);
                }
            }
        }
        let texts = &mut self.texts;
        if texts.pythonpath_env.is_none() {
            texts.pythonpath_env = var("PYTHONPATH");
        }
        if texts.home.is_none() {
            texts.home = var("PYTHONHOME");
        }
        if let Some(warnings) = var("PYTHONWARNINGS") {
            let from_env: Vec<String> = warnings.split(',').filter(|w| !w.is_empty()).map(str::to_owned).collect();
            texts.warnoptions.splice(0..0, from_env);
        }
    }

    /// What CPython 3.11's `PyConfig_Read` computes: the command line
    /// parsed (once: `orig_argv` keeps it), the environment read, every
    /// "unset" resolved. The paths are left to start-up, as in 3.11.
    pub(crate) fn read(&mut self) -> Result<(), Stop> {
        if self.texts.orig_argv.is_empty() {
            self.texts.orig_argv = self.texts.argv.clone();
            if self.numbers.parse_argv == 1 {
                self.parse_command_line()?;
                // 2: parsed, never again (CPython 3.11's marker).
                self.numbers.parse_argv = 2;
            }
        }
        if self.numbers.isolated > 0 {
            self.numbers.use_environment = 0;
            self.numbers.safe_path = 1;
            self.numbers.user_site_directory = 0;
        }
        self.read_environment();
        let c = &mut self.numbers;
        for unset in [&mut c.dev_mode, &mut c.faulthandler, &mut c.tracemalloc, &mut c.use_hash_seed] {
            if *unset < 0 {
                *unset = 0;
            }
        }
        if self.texts.argv.is_empty() {
            self.texts.argv = vec![String::new()];
        }
        let texts = &mut self.texts;
        if texts.program_name.is_none() {
            texts.program_name = Some(texts.orig_argv.first().filter(|a| !a.is_empty()).cloned().unwrap_or_else(|| "python3".to_owned()));
        }
        texts.check_hash_pycs_mode.get_or_insert_with(|| "default".to_owned());
        texts.filesystem_encoding.get_or_insert_with(|| "utf-8".to_owned());
        texts.filesystem_errors.get_or_insert_with(|| "surrogateescape".to_owned());
        texts.platlibdir.get_or_insert_with(|| "lib".to_owned());
        Ok(())
    }

    /// The host's settings for this configuration.
    pub(crate) fn settings(&self) -> rustpython_vm::Settings {
        let (c, t) = (&self.numbers, &self.texts);
        let mut s = rustpython_vm::Settings::default();
        s.argv = if t.argv.is_empty() { vec![String::new()] } else { t.argv.clone() };
        s.isolated = c.isolated > 0;
        s.ignore_environment = c.use_environment == 0;
        s.dev_mode = c.dev_mode > 0;
        s.install_signal_handlers = c.install_signal_handlers != 0;
        s.faulthandler = c.faulthandler > 0;
        s.hash_seed = (c.use_hash_seed > 0).then_some(c.hash_seed as u32);
        s.import_site = c.site_import != 0;
        s.bytes_warning = c.bytes_warning.max(0) as u64;
        s.warn_default_encoding = c.warn_default_encoding != 0;
        s.inspect = c.inspect > 0;
        s.interactive = c.interactive > 0;
        s.optimize = c.optimization_level.clamp(0, 2) as u8;
        s.debug = c.parser_debug.clamp(0, 255) as u8;
        s.write_bytecode = c.write_bytecode != 0;
        s.verbose = c.verbose.clamp(0, 255) as u8;
        s.quiet = c.quiet > 0;
        s.user_site_directory = c.user_site_directory != 0;
        s.buffered_stdio = c.buffered_stdio != 0;
        s.safe_path = c.safe_path != 0;
        s.stdio_encoding = t.stdio_encoding.clone();
        s.stdio_errors = t.stdio_errors.clone();
        s.warnoptions = t.warnoptions.clone();
        s.xoptions = t
            .xoptions
            .iter()
            .map(|x| match x.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None => (x.clone(), None),
            })
            .collect();
        if let Some(path) = &t.pythonpath_env {
            s.path_list.extend(path.split(':').filter(|p| !p.is_empty()).map(str::to_owned));
        }
        s
    }
}

/// Reads the configuration as `Py_InitializeFromConfig` would, writing
/// every value it computes back: the documented way to see, then amend,
/// the module search path before start-up.
/// # Safety
/// `config` must be a valid configuration of these functions' making.
#[cpython_api(no_gil)]
unsafe fn PyConfig_Read(config: *mut ffi::PyConfig) -> PyStatus {
    // SAFETY: the caller passes a valid configuration.
    let mut read = unsafe { Config::from_c(&*config) };
    if let Err(Stop::Exit(code)) = read.read() {
        return status_exit(code);
    }
    // SAFETY: as above.
    if unsafe { read.store(&mut *config) } { status_ok() } else { no_memory() }
}

pub(crate) fn status_exit(code: c_int) -> PyStatus {
    PyStatus { _type: ffi::PyStatus__PyStatus_TYPE_EXIT, exitcode: code, ..status_ok() }
}

// --- The running interpreter's configuration (cpython/pystate.h) ---------------

/// `value` as text (lossy for lone surrogates, as the C strings must be).
fn text_of(vm: &rustpython_vm::VirtualMachine, value: &rustpython_vm::PyObjectRef) -> Option<String> {
    value.str(vm).ok().map(|s| s.to_string_lossy().into_owned())
}

/// Text of `sys.NAME`, None when it is missing or None.
fn sys_text(vm: &rustpython_vm::VirtualMachine, name: &'static str) -> Option<String> {
    let value = vm.sys_module.get_attr(name, vm).ok().filter(|v| !vm.is_none(v))?;
    text_of(vm, &value)
}

/// Texts of the list `sys.NAME`, empty when it is missing.
fn sys_texts(vm: &rustpython_vm::VirtualMachine, name: &'static str) -> Vec<String> {
    let Ok(value) = vm.sys_module.get_attr(name, vm) else { return Vec::new() };
    let items: Vec<rustpython_vm::PyObjectRef> = value.try_to_value(vm).unwrap_or_default();
    items.iter().filter_map(|item| text_of(vm, item)).collect()
}

/// Result of calling `sys.NAME()` as text.
fn sys_call_text(vm: &rustpython_vm::VirtualMachine, name: &'static str) -> Option<String> {
    text_of(vm, &vm.sys_module.get_attr(name, vm).ok()?.call((), vm).ok()?)
}

/// Attribute `attr` of `sys.__stdout__`, the stream start-up made.
fn stdout_text(vm: &rustpython_vm::VirtualMachine, attr: &'static str) -> Option<String> {
    let stream = vm.sys_module.get_attr("__stdout__", vm).ok().filter(|v| !vm.is_none(v))?;
    text_of(vm, &stream.get_attr(attr, vm).ok()?)
}

/// The configuration the running interpreter started with: its command
/// line read as `PyConfig_Read` reads one, then overlaid with what the host
/// actually runs under (its settings and computed paths, and sys's encodings).
fn running(vm: &rustpython_vm::VirtualMachine) -> Config {
    let mut numbers = config_defaults();
    numbers._config_init = CONFIG_INIT_PYTHON;
    numbers.configure_c_stdio = 1;
    numbers.parse_argv = 1;
    let mut config = Config { numbers, texts: ConfigTexts { argv: sys_texts(vm, "orig_argv"), ..Default::default() } };
    // The process is past its command line: a -h or a bad option in it is moot.
    let _ = config.read();
    let (settings, paths) = (&vm.state.config.settings, &vm.state.config.paths);
    let c = &mut config.numbers;
    let flag = |b: bool| c_int::from(b);
    c.isolated = flag(settings.isolated);
    c.use_environment = flag(!settings.ignore_environment);
    c.dev_mode = flag(settings.dev_mode);
    c.install_signal_handlers = flag(settings.install_signal_handlers);
    c.use_hash_seed = flag(settings.hash_seed.is_some());
    c.hash_seed = settings.hash_seed.unwrap_or(0).into();
    c.faulthandler = flag(settings.faulthandler);
    c.code_debug_ranges = flag(settings.code_debug_ranges);
    c.site_import = flag(settings.import_site);
    c.bytes_warning = settings.bytes_warning.min(2) as c_int;
    c.warn_default_encoding = flag(settings.warn_default_encoding);
    c.inspect = flag(settings.inspect);
    c.interactive = flag(settings.interactive);
    c.optimization_level = settings.optimize.into();
    c.parser_debug = settings.debug.into();
    c.write_bytecode = flag(settings.write_bytecode);
    c.verbose = settings.verbose.into();
    c.quiet = flag(settings.quiet);
    c.user_site_directory = flag(settings.user_site_directory);
    c.buffered_stdio = flag(settings.buffered_stdio);
    c.safe_path = flag(settings.safe_path);
    c.module_search_paths_set = 1;
    let t = &mut config.texts;
    t.argv = if settings.argv.is_empty() { vec![String::new()] } else { settings.argv.clone() };
    t.xoptions = settings.xoptions.iter().map(|(k, v)| v.as_ref().map_or_else(|| k.clone(), |v| format!("{k}={v}"))).collect();
    t.warnoptions = settings.warnoptions.clone();
    t.check_hash_pycs_mode = Some(format!("{:?}", settings.check_hash_pycs_mode).to_lowercase());
    t.filesystem_encoding = sys_call_text(vm, "getfilesystemencoding").or(t.filesystem_encoding.take());
    t.filesystem_errors = sys_call_text(vm, "getfilesystemencodeerrors").or(t.filesystem_errors.take());
    t.stdio_encoding = stdout_text(vm, "encoding").or_else(|| settings.stdio_encoding.clone());
    t.stdio_errors = stdout_text(vm, "errors").or_else(|| settings.stdio_errors.clone());
    t.pycache_prefix = sys_text(vm, "pycache_prefix");
    t.platlibdir = sys_text(vm, "platlibdir").or(t.platlibdir.take());
    t.executable = Some(paths.executable.clone());
    t.base_executable = Some(paths.base_executable.clone());
    t.prefix = Some(paths.prefix.clone());
    t.base_prefix = Some(paths.base_prefix.clone());
    t.exec_prefix = Some(paths.exec_prefix.clone());
    t.base_exec_prefix = Some(paths.base_exec_prefix.clone());
    t.stdlib_dir = paths.stdlib_dir.clone();
    t.module_search_paths = paths.module_search_paths.clone();
    config
}

/// The running interpreter's configuration, made on first request and kept
/// for the process (C holds the pointer; its values are start-up's, as in
/// CPython). Only the GIL holder reaches here, so the check-then-store
/// cannot race.
pub(crate) fn running_config(vm: &rustpython_vm::VirtualMachine) -> *const ffi::PyConfig {
    static RUNNING: std::sync::atomic::AtomicPtr<ffi::PyConfig> = std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());
    let made = RUNNING.load(std::sync::atomic::Ordering::Acquire);
    if !made.is_null() {
        return made;
    }
    let fresh = Box::into_raw(Box::new(config_defaults()));
    // SAFETY: `fresh` is a new configuration of this module's allocation.
    if !unsafe { running(vm).store(&mut *fresh) } {
        return std::ptr::null();
    }
    RUNNING.store(fresh, std::sync::atomic::Ordering::Release);
    fresh
}

/// Copies the running interpreter's configuration into `config`, replacing
/// (and freeing) what it held, as CPython does; false when memory runs out.
/// # Safety
/// `config` must be an initialised PyConfig (`PyConfig_InitPythonConfig` or
/// the like) whose strings and lists are of this module's allocation.
pub(crate) unsafe fn copy_running_config(vm: &rustpython_vm::VirtualMachine, config: *mut ffi::PyConfig) -> bool {
    // SAFETY: the caller passes an initialised configuration.
    unsafe { running(vm).store(&mut *config) }
}
