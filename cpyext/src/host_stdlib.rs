//! What CPython 3.11's standard library has and the host's lacks or does
//! differently, added to the host's built-in modules as they are executed:
//! `posix` (mkfifo, device numbers, CPU affinity, confstr, eventfd, ...),
//! `time` (tzset, and altzone as CPython computes it), `_signal` (the
//! real-time signals, pthread_kill, sigpending, sigwait), `_locale`
//! (nl_langinfo), `_sre` (a replacement function may return None),
//! `_socket` (a host given as bytes), `_thread` (deleting a thread-local
//! attribute that is not there is an AttributeError) and `pyexpat` (the
//! parser's `Error*` position attributes), `_operator` (`length_hint`
//! takes any int as its default, -1 included); and `sys.setswitchinterval`
//! takes an int, as CPython's takes any real number; `float.real` and
//! `float.conjugate()` of a subclass give an exact float. Packages and their
//! test suites use these without checking that they exist, as they always
//! do on Linux. Modules of the host's frozen Python library are completed
//! as they are imported (`FROZEN_COMPLETIONS`): unittest gets back 3.11's
//! deprecated names, which 3.11 test suites still use.
//!
//! Each is checked against CPython 3.11 by tests/host/stdlib_extras_test.py
//! and unittest's by tests/host/unittest_legacy_test.py (tests/test_host.py).

use std::sync::OnceLock;

use rustpython_vm::builtins::{PyBaseExceptionRef, PyModule, PySet, PyStr};
use rustpython_vm::convert::{IntoPyException, ToPyObject};
use rustpython_vm::function::{FuncArgs, OptionalArg, PyMethodFlags};
use rustpython_vm::ospath::OsPath;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};

use crate::loader::{self, ModuleExec};

/// The host's modules, each with our additions run after its own exec.
pub fn install(builder: rustpython::InterpreterBuilder) -> rustpython::InterpreterBuilder {
    // Each module's exec: the host's (kept in a static of its own), then ours.
    macro_rules! extend {
        ($builder:expr, $name:literal, $ours:path) => {{
            static HOST: OnceLock<ModuleExec> = OnceLock::new();
            fn exec(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
                HOST.get().expect("set at install")(vm, m)?;
                $ours(vm, m)
            }
            loader::extend_builtin_module($builder, $name, &HOST, exec)
        }};
    }
    let builder = extend!(builder, "_thread", extend_thread);
    let builder = extend!(builder, "pyexpat", extend_expat);
    let builder = extend!(builder, "posix", extend_posix);
    let builder = extend!(builder, "time", extend_time);
    let builder = extend!(builder, "_signal", extend_signal);
    let builder = extend!(builder, "_locale", extend_locale);
    let builder = extend!(builder, "_sre", extend_sre);
    let builder = extend!(builder, "_operator", extend_operator);
    extend!(builder, "_socket", extend_socket)
}

fn set(vm: &VirtualMachine, module: &Py<PyModule>, name: &'static str, value: impl ToPyObject) -> PyResult<()> {
    module.as_object().set_attr(name, value.to_pyobject(vm), vm)
}

/// The OSError for `errno`, of the subclass CPython picks for it, as the
/// host's own os functions raise it.
fn os_error(vm: &VirtualMachine, errno: i32) -> PyBaseExceptionRef {
    std::io::Error::from_raw_os_error(errno).into_pyexception(vm)
}

/// A C call's result that is negative on error, with errno set.
fn os_status(vm: &VirtualMachine, result: libc::c_int) -> PyResult<libc::c_int> {
    if result < 0 {
        return Err(std::io::Error::last_os_error().into_pyexception(vm));
    }
    Ok(result)
}

/// A C call that returns the error number itself (0 on success).
fn errno_status(vm: &VirtualMachine, errno: libc::c_int) -> PyResult<()> {
    match errno {
        0 => Ok(()),
        errno => Err(os_error(vm, errno)),
    }
}

/// An int file descriptor, or an object's `fileno()`, as os.fsync takes.
fn file_descriptor(vm: &VirtualMachine, fd: &PyObjectRef) -> PyResult<i32> {
    if let Ok(fd) = fd.try_to_value::<i32>(vm) {
        return Ok(fd);
    }
    vm.call_method(fd, "fileno", ())?.try_to_value::<i32>(vm)
}

fn path_cstring(vm: &VirtualMachine, path: &PyObjectRef) -> PyResult<std::ffi::CString> {
    let path: OsPath = path.clone().try_into_value(vm)?;
    path.into_cstring(vm)
}

/// os.mkfifo's arguments.
#[derive(rustpython_vm::FromArgs)]
struct MkfifoArgs {
    #[pyarg(any)]
    path: OsPath,
    #[pyarg(any, default = 0o666)]
    mode: libc::mode_t,
    #[pyarg(named, default)]
    dir_fd: Option<PyObjectRef>,
}

fn extend_posix(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
    const CONSTANTS: &[(&str, i64)] = &[
        ("NGROUPS_MAX", 65536),
        ("O_ACCMODE", libc::O_ACCMODE as i64),
        ("O_FSYNC", libc::O_FSYNC as i64),
        ("O_LARGEFILE", 0),
        ("RTLD_DEEPBIND", libc::RTLD_DEEPBIND as i64),
        ("TMP_MAX", 238328),
        ("XATTR_SIZE_MAX", 65536),
        ("ST_NODEV", libc::ST_NODEV as i64),
        ("ST_NOEXEC", libc::ST_NOEXEC as i64),
        ("ST_SYNCHRONOUS", libc::ST_SYNCHRONOUS as i64),
        ("ST_MANDLOCK", libc::ST_MANDLOCK as i64),
        ("ST_WRITE", 128),
        ("ST_APPEND", libc::ST_APPEND as i64),
        ("ST_NOATIME", libc::ST_NOATIME as i64),
        ("ST_NODIRATIME", libc::ST_NODIRATIME as i64),
        ("ST_RELATIME", libc::ST_RELATIME as i64),
        ("RWF_HIPRI", 1),
        ("RWF_DSYNC", 2),
        ("RWF_SYNC", 4),
        ("RWF_NOWAIT", 8),
        ("RWF_APPEND", 16),
        ("MFD_HUGE_SHIFT", 26),
        ("MFD_HUGE_MASK", 63),
    ];
    for (name, value) in CONSTANTS {
        m.as_object().set_attr(vm.ctx.intern_str(*name), vm.ctx.new_int(*value), vm)?;
    }
    // Huge page sizes: log2 of the size, shifted into the flags.
    for (name, log2) in [("64KB", 16), ("512KB", 19), ("1MB", 20), ("2MB", 21), ("8MB", 23), ("16MB", 24), ("32MB", 25), ("256MB", 28), ("512MB", 29), ("1GB", 30), ("2GB", 31), ("16GB", 34)] {
        let name = vm.ctx.intern_str(format!("MFD_HUGE_{name}"));
        m.as_object().set_attr(name, vm.ctx.new_int((log2 as u64) << 26), vm)?;
    }

    set(vm, m, "major", vm.new_function("major", |device: u64| libc::major(device)))?;
    set(vm, m, "minor", vm.new_function("minor", |device: u64| libc::minor(device)))?;
    set(vm, m, "makedev", vm.new_function("makedev", |major: u32, minor: u32| libc::makedev(major, minor)))?;

    set(vm, m, "mkfifo", vm.new_function("mkfifo", |args: MkfifoArgs, vm: &VirtualMachine| -> PyResult<()> {
        let dir_fd = match args.dir_fd {
            Some(fd) if !vm.is_none(&fd) => Some(file_descriptor(vm, &fd)?),
            _ => None,
        };
        let c_path = args.path.into_cstring(vm)?;
        // SAFETY: a NUL-terminated path. CPython's error names no file here.
        os_status(vm, unsafe {
            match dir_fd {
                Some(dir) => libc::mkfifoat(dir, c_path.as_ptr(), args.mode),
                None => libc::mkfifo(c_path.as_ptr(), args.mode),
            }
        })?;
        Ok(())
    }))?;

    set(vm, m, "fdatasync", vm.new_function("fdatasync", |fd: PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
        let fd = file_descriptor(vm, &fd)?;
        // SAFETY: any int; a bad descriptor is an EBADF.
        os_status(vm, unsafe { libc::fdatasync(fd) })?;
        Ok(())
    }))?;
    // The host's fsync takes an int only; CPython's, like fdatasync, also a
    // file object (durus syncs its open files so).
    set(vm, m, "fsync", vm.new_function("fsync", |fd: PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
        let fd = file_descriptor(vm, &fd)?;
        // SAFETY: any int; a bad descriptor is an EBADF.
        os_status(vm, unsafe { libc::fsync(fd) })?;
        Ok(())
    }))?;
    set(vm, m, "lockf", vm.new_function("lockf", |fd: i32, command: i32, length: i64, vm: &VirtualMachine| -> PyResult<()> {
        // SAFETY: any ints; errors come back as -1 and errno.
        os_status(vm, unsafe { libc::lockf(fd, command, length) })?;
        Ok(())
    }))?;
    // These two return the error number rather than setting errno.
    set(vm, m, "posix_fallocate", vm.new_function("posix_fallocate", |fd: i32, offset: i64, length: i64, vm: &VirtualMachine| -> PyResult<()> {
        // SAFETY: any ints.
        errno_status(vm, unsafe { libc::posix_fallocate(fd, offset, length) })
    }))?;
    set(vm, m, "posix_fadvise", vm.new_function("posix_fadvise", |fd: i32, offset: i64, length: i64, advice: i32, vm: &VirtualMachine| -> PyResult<()> {
        // SAFETY: any ints.
        errno_status(vm, unsafe { libc::posix_fadvise(fd, offset, length, advice) })
    }))?;

    set(vm, m, "sched_getaffinity", vm.new_function("sched_getaffinity", |pid: i32, vm: &VirtualMachine| -> PyResult {
        // SAFETY: a zeroed cpu_set_t is an empty set, filled by the call.
        let mut cpus: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: the size is the set's own.
        os_status(vm, unsafe { libc::sched_getaffinity(pid, std::mem::size_of::<libc::cpu_set_t>(), &mut cpus) })?;
        let set = PySet::default().into_ref(&vm.ctx);
        for cpu in 0..libc::CPU_SETSIZE as usize {
            // SAFETY: cpu is below CPU_SETSIZE.
            if unsafe { libc::CPU_ISSET(cpu, &cpus) } {
                set.add(vm.ctx.new_int(cpu).into(), vm)?;
            }
        }
        Ok(set.into())
    }))?;
    set(vm, m, "sched_setaffinity", vm.new_function("sched_setaffinity", |pid: i32, mask: PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
        // SAFETY: a zeroed cpu_set_t is an empty set.
        let mut cpus: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        for cpu in mask.try_to_value::<Vec<PyObjectRef>>(vm)? {
            let cpu: i64 = cpu.try_to_value(vm)?;
            if cpu < 0 {
                return Err(vm.new_value_error("negative CPU number"));
            }
            if cpu >= libc::CPU_SETSIZE as i64 {
                // No such CPU: the kernel's answer for a set beyond its own.
                return Err(os_error(vm, libc::EINVAL));
            }
            // SAFETY: cpu is below CPU_SETSIZE.
            unsafe { libc::CPU_SET(cpu as usize, &mut cpus) };
        }
        // SAFETY: the size is the set's own.
        os_status(vm, unsafe { libc::sched_setaffinity(pid, std::mem::size_of::<libc::cpu_set_t>(), &cpus) })?;
        Ok(())
    }))?;

    let names = vm.ctx.new_dict();
    for (name, value) in CONFSTR_NAMES {
        names.set_item(*name, vm.ctx.new_int(*value).into(), vm)?;
    }
    set(vm, m, "confstr_names", names)?;
    set(vm, m, "confstr", vm.new_function("confstr", |name: PyObjectRef, vm: &VirtualMachine| -> PyResult {
        let code = if let Some(name) = name.downcast_ref::<PyStr>() {
            CONFSTR_NAMES
                .iter()
                .find(|(n, _)| Some(*n) == name.to_str())
                .map(|(_, code)| *code)
                .ok_or_else(|| vm.new_value_error("unrecognized configuration name"))?
        } else {
            name.try_to_value::<i32>(vm)
                .map_err(|_| vm.new_type_error(format!("configuration names must be strings or integers, not {}", name.class().name())))?
        };
        let mut buffer = vec![0u8; 256];
        loop {
            // SAFETY: writes at most buffer.len() bytes; 0 with errno set is an error.
            unsafe { *libc::__errno_location() = 0 };
            // SAFETY: as above.
            let needed = unsafe { libc::confstr(code, buffer.as_mut_ptr().cast(), buffer.len()) };
            if needed == 0 {
                // SAFETY: reading this thread's errno.
                let errno = unsafe { *libc::__errno_location() };
                return if errno != 0 { Err(os_error(vm, errno)) } else { Ok(vm.ctx.none()) };
            }
            if needed <= buffer.len() {
                let text = String::from_utf8_lossy(&buffer[..needed - 1]).into_owned();
                return Ok(vm.ctx.new_str(text).into());
            }
            buffer.resize(needed, 0);
        }
    }))?;
    set(vm, m, "ctermid", vm.new_function("ctermid", |vm: &VirtualMachine| -> PyResult<String> {
        let mut buffer = [0 as libc::c_char; 64];
        // SAFETY: L_ctermid (9) fits in the buffer; the result is NUL-terminated.
        let name = unsafe { libc::ctermid(buffer.as_mut_ptr()) };
        if name.is_null() {
            return Err(std::io::Error::last_os_error().into_pyexception(vm));
        }
        // SAFETY: as above.
        Ok(unsafe { std::ffi::CStr::from_ptr(name) }.to_string_lossy().into_owned())
    }))?;

    // os.utime(fd, ...): CPython takes a file descriptor (futimens; utime
    // is in os.supports_fd), the host only paths ("path should be string,
    // bytes or os.PathLike, not int"). pyfuse3's and llfuse's passthrough
    // file systems set the times of an open file so. Paths go to the host's.
    let host_utime = m.as_object().get_attr("utime", vm)?;
    let utime: PyObjectRef = {
        let host_utime = host_utime.clone();
        vm.new_function("utime", move |args: FuncArgs, vm: &VirtualMachine| -> PyResult {
            let target = args.args.first().or_else(|| args.kwargs.get("path"));
            if target.is_some_and(|t| t.downcast_ref::<rustpython_vm::builtins::PyInt>().is_some()) {
                utime_fd(args, vm)
            } else {
                host_utime.call(args, vm)
            }
        })
        .into()
    };
    set(vm, m, "utime", utime.clone())?;
    // The new one also takes a descriptor.
    replace_in_capability_sets(vm, m, &host_utime, &utime, true)?;

    // os.truncate(path, length): CPython calls truncate(2); the host opens
    // the file for writing and truncates the descriptor. That open blocks on
    // a FIFO with no reader, and on a FUSE file system it is an open and a
    // release the file system sees (llfuse's passthroughfs then served a
    // read-only open with the write-only descriptor still cached: EBADF).
    let host_truncate = m.as_object().get_attr("truncate", vm)?;
    let truncate: PyObjectRef = {
        let host_truncate = host_truncate.clone();
        vm.new_function("truncate", move |args: FuncArgs, vm: &VirtualMachine| -> PyResult {
            let target = args.args.first().or_else(|| args.kwargs.get("path"));
            match target {
                Some(t) if t.downcast_ref::<rustpython_vm::builtins::PyInt>().is_none() => {
                    let args: TruncateArgs = args.bind(vm)?;
                    let c_path = args.path.clone().into_cstring(vm)?;
                    // SAFETY: a NUL-terminated path; errors come back as -1 and errno.
                    if unsafe { libc::truncate(c_path.as_ptr(), args.length) } < 0 {
                        return Err(os_error_with_filename(vm, std::io::Error::last_os_error(), args.path));
                    }
                    Ok(vm.ctx.none())
                }
                // A descriptor (ftruncate) and argument errors: the host's.
                _ => host_truncate.call(args, vm),
            }
        })
        .into()
    };
    set(vm, m, "truncate", truncate.clone())?;
    replace_in_capability_sets(vm, m, &host_truncate, &truncate, false)?;

    set(vm, m, "eventfd", vm.new_function("eventfd", |initval: u32, flags: OptionalArg<i32>, vm: &VirtualMachine| -> PyResult<i32> {
        let flags = flags.unwrap_or(libc::EFD_CLOEXEC);
        // SAFETY: any values; errors come back as -1 and errno.
        os_status(vm, unsafe { libc::eventfd(initval, flags) })
    }))?;
    set(vm, m, "eventfd_read", vm.new_function("eventfd_read", |fd: PyObjectRef, vm: &VirtualMachine| -> PyResult<u64> {
        let fd = file_descriptor(vm, &fd)?;
        let mut value = 0u64;
        // SAFETY: reads 8 bytes into value.
        os_status(vm, unsafe { libc::eventfd_read(fd, &mut value) })?;
        Ok(value)
    }))?;
    set(vm, m, "eventfd_write", vm.new_function("eventfd_write", |fd: PyObjectRef, value: u64, vm: &VirtualMachine| -> PyResult<()> {
        let fd = file_descriptor(vm, &fd)?;
        // SAFETY: any values.
        os_status(vm, unsafe { libc::eventfd_write(fd, value) })?;
        Ok(())
    }))?;
    set(vm, m, "memfd_create", vm.new_function("memfd_create", |name: PyObjectRef, flags: OptionalArg<u32>, vm: &VirtualMachine| -> PyResult<i32> {
        let c_name = path_cstring(vm, &name)?;
        // SAFETY: a NUL-terminated name.
        os_status(vm, unsafe { libc::memfd_create(c_name.as_ptr(), flags.unwrap_or(libc::MFD_CLOEXEC)) })
    }))?;
    Ok(())
}

/// The capability sets (`os.supports_fd`, `supports_dir_fd`,
/// `supports_follow_symlinks`) name function objects: `new` takes the place
/// of `host` in each that had it, and joins `supports_fd` when `takes_fd`.
fn replace_in_capability_sets(
    vm: &VirtualMachine,
    m: &Py<PyModule>,
    host: &PyObjectRef,
    new: &PyObjectRef,
    takes_fd: bool,
) -> PyResult<()> {
    for name in ["supports_fd", "supports_dir_fd", "supports_follow_symlinks"] {
        let Ok(functions) = m.as_object().get_attr(name, vm) else { continue };
        let Some(functions) = functions.downcast_ref::<PySet>() else { continue };
        let had = vm.call_method(functions.as_object(), "__contains__", (host.clone(),))?.try_to_bool(vm)?;
        if had || (takes_fd && name == "supports_fd") {
            vm.call_method(functions.as_object(), "discard", (host.clone(),))?;
            functions.add(new.clone(), vm)?;
        }
    }
    Ok(())
}

/// os.truncate's arguments, for a path.
#[derive(rustpython_vm::FromArgs)]
struct TruncateArgs {
    #[pyarg(any)]
    path: OsPath,
    #[pyarg(any)]
    length: libc::off_t,
}

/// An OSError for `error` naming `path`, of the subclass its errno maps to
/// (OSError's constructor picks it), as CPython's path functions raise.
fn os_error_with_filename(vm: &VirtualMachine, error: std::io::Error, path: OsPath) -> PyBaseExceptionRef {
    let errno = error.raw_os_error().unwrap_or(0);
    // SAFETY: strerror's text is valid until the next strerror call on this thread.
    let message = unsafe { std::ffi::CStr::from_ptr(libc::strerror(errno)) }.to_string_lossy().into_owned();
    let filename = path.filename(vm);
    let made = vm.ctx.exceptions.os_error.as_object().call((errno, message, filename), vm);
    match made.map(|e| e.downcast::<rustpython_vm::builtins::PyBaseException>()) {
        Ok(Ok(exception)) => exception,
        Ok(Err(_)) => error.into_pyexception(vm),
        Err(exception) => exception,
    }
}

/// One time of os.utime's `times` as a timespec: an int, or a float
/// rounded down to the nanosecond, as CPython's _PyTime_ObjectToTimespec
/// with _PyTime_ROUND_FLOOR.
fn timespec_from_seconds(vm: &VirtualMachine, value: &PyObjectRef) -> PyResult<libc::timespec> {
    if let Some(f) = value.downcast_ref::<rustpython_vm::builtins::PyFloat>() {
        let d = f.to_f64();
        if !d.is_finite() {
            return Err(vm.new_value_error("Invalid value NaN (not a number)"));
        }
        let (mut sec, mut nsec) = (d.trunc(), (d.fract() * 1e9).floor());
        if nsec >= 1e9 {
            nsec -= 1e9;
            sec += 1.0;
        } else if nsec < 0.0 {
            nsec += 1e9;
            sec -= 1.0;
        }
        return Ok(libc::timespec { tv_sec: sec as libc::time_t, tv_nsec: nsec as libc::c_long });
    }
    let sec: i64 = value.try_to_value(vm)?;
    Ok(libc::timespec { tv_sec: sec as libc::time_t, tv_nsec: 0 })
}

/// A pair from os.utime's `times` or `ns`, which must be a tuple of two.
fn time_pair(vm: &VirtualMachine, value: &PyObjectRef, message: &str) -> PyResult<(PyObjectRef, PyObjectRef)> {
    match value.downcast_ref::<rustpython_vm::builtins::PyTuple>() {
        Some(pair) if pair.len() == 2 => Ok((pair[0].clone(), pair[1].clone())),
        _ => Err(vm.new_type_error(message.to_owned())),
    }
}

/// os.utime of a file descriptor: futimens, with CPython 3.11's checks.
fn utime_fd(args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    let FuncArgs { args: positional, kwargs } = args;
    if positional.len() > 2 {
        return Err(vm.new_type_error(format!("utime() takes at most 2 arguments ({} given)", positional.len())));
    }
    let mut positional = positional.into_iter();
    let fd_object = positional.next().or_else(|| kwargs.get("path").cloned()).expect("checked by the caller");
    let given = |v: Option<PyObjectRef>| v.filter(|v| !vm.is_none(v));
    let times = given(positional.next().or_else(|| kwargs.get("times").cloned()));
    let ns = given(kwargs.get("ns").cloned());
    if times.is_some() && ns.is_some() {
        return Err(vm.new_value_error("utime: you may specify either 'times' or 'ns' but not both"));
    }
    if given(kwargs.get("dir_fd").cloned()).is_some() {
        return Err(vm.new_value_error("utime: can't specify dir_fd without matching path"));
    }
    if let Some(follow) = kwargs.get("follow_symlinks") {
        if !follow.clone().try_to_bool(vm)? {
            return Err(vm.new_value_error("utime: cannot use fd and follow_symlinks together"));
        }
    }
    let fd: i32 = fd_object.try_to_value(vm)?;
    let stamps = if let Some(times) = times {
        let (a, m) = time_pair(vm, &times, "utime: 'times' must be either a tuple of two ints or None")?;
        Some([timespec_from_seconds(vm, &a)?, timespec_from_seconds(vm, &m)?])
    } else if let Some(ns) = ns {
        let (a, m) = time_pair(vm, &ns, "utime: 'ns' must be a tuple of two ints")?;
        let split = |v: &PyObjectRef| -> PyResult<libc::timespec> {
            let n: i64 = v.try_to_value(vm)?;
            Ok(libc::timespec { tv_sec: n.div_euclid(1_000_000_000) as libc::time_t, tv_nsec: n.rem_euclid(1_000_000_000) as libc::c_long })
        };
        Some([split(&a)?, split(&m)?])
    } else {
        None
    };
    let pointer = stamps.as_ref().map_or(std::ptr::null(), |s| s.as_ptr());
    // SAFETY: NULL (now) or two timespecs that live across the call.
    os_status(vm, unsafe { libc::futimens(fd, pointer) })?;
    Ok(vm.ctx.none())
}

/// Linux's confstr names (glibc's numbering).
const CONFSTR_NAMES: &[(&str, i32)] = &[
    ("CS_PATH", 0),
    ("CS_GNU_LIBC_VERSION", 2),
    ("CS_GNU_LIBPTHREAD_VERSION", 3),
    ("CS_LFS_CFLAGS", 1000),
    ("CS_LFS_LDFLAGS", 1001),
    ("CS_LFS_LIBS", 1002),
    ("CS_LFS_LINTFLAGS", 1003),
    ("CS_LFS64_CFLAGS", 1004),
    ("CS_LFS64_LDFLAGS", 1005),
    ("CS_LFS64_LIBS", 1006),
    ("CS_LFS64_LINTFLAGS", 1007),
    ("CS_XBS5_ILP32_OFF32_CFLAGS", 1100),
    ("CS_XBS5_ILP32_OFF32_LDFLAGS", 1101),
    ("CS_XBS5_ILP32_OFF32_LIBS", 1102),
    ("CS_XBS5_ILP32_OFF32_LINTFLAGS", 1103),
    ("CS_XBS5_ILP32_OFFBIG_CFLAGS", 1104),
    ("CS_XBS5_ILP32_OFFBIG_LDFLAGS", 1105),
    ("CS_XBS5_ILP32_OFFBIG_LIBS", 1106),
    ("CS_XBS5_ILP32_OFFBIG_LINTFLAGS", 1107),
    ("CS_XBS5_LP64_OFF64_CFLAGS", 1108),
    ("CS_XBS5_LP64_OFF64_LDFLAGS", 1109),
    ("CS_XBS5_LP64_OFF64_LIBS", 1110),
    ("CS_XBS5_LP64_OFF64_LINTFLAGS", 1111),
    ("CS_XBS5_LPBIG_OFFBIG_CFLAGS", 1112),
    ("CS_XBS5_LPBIG_OFFBIG_LDFLAGS", 1113),
    ("CS_XBS5_LPBIG_OFFBIG_LIBS", 1114),
    ("CS_XBS5_LPBIG_OFFBIG_LINTFLAGS", 1115),
];

/// time's zone attributes from the C library's current zone (after
/// `tzset`): the offsets and names in force in January and in July of
/// this year, the standard one being the smaller offset east of UTC.
fn set_zone_attributes(vm: &VirtualMachine, time: &PyObjectRef) -> PyResult<()> {
    fn zone_at(when: libc::time_t) -> (i64, String) {
        // SAFETY: a zeroed tm is valid for localtime_r to fill.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        // SAFETY: both pointers are to live locals.
        unsafe { libc::localtime_r(&when, &mut tm) };
        let name = if tm.tm_zone.is_null() {
            String::new()
        } else {
            // SAFETY: tm_zone points to the C library's NUL-terminated zone name.
            unsafe { std::ffi::CStr::from_ptr(tm.tm_zone) }.to_string_lossy().into_owned()
        };
        (-tm.tm_gmtoff, name)
    }
    unsafe extern "C" {
        fn tzset();
    }
    // SAFETY: re-reads TZ; the GIL holder is the only caller in the layer.
    unsafe { tzset() };
    // An average year, so that the instant stays in January of this year.
    const YEAR: libc::time_t = (365 * 24 + 6) * 3600;
    // SAFETY: a null pointer asks only for the return value.
    let january = unsafe { libc::time(std::ptr::null_mut()) } / YEAR * YEAR;
    let (january_west, january_name) = zone_at(january);
    let (july_west, july_name) = zone_at(january + YEAR / 2);
    // South of the equator summer time is in January.
    let (standard, summer) = if january_west < july_west {
        ((july_west, july_name), (january_west, january_name))
    } else {
        ((january_west, january_name), (july_west, july_name))
    };
    time.set_attr("timezone", vm.ctx.new_int(standard.0), vm)?;
    time.set_attr("altzone", vm.ctx.new_int(summer.0), vm)?;
    time.set_attr("daylight", vm.ctx.new_int((standard.0 != summer.0) as i32), vm)?;
    let names = vm.ctx.new_tuple(vec![vm.ctx.new_str(standard.1).into(), vm.ctx.new_str(summer.1).into()]);
    time.set_attr("tzname", names, vm)
}

fn extend_time(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
    let module: PyObjectRef = m.to_owned().into();
    set_zone_attributes(vm, &module)?;
    let weak = module.downgrade(None, vm)?;
    set(vm, m, "tzset", vm.new_function("tzset", move |vm: &VirtualMachine| -> PyResult<()> {
        match weak.upgrade() {
            Some(module) => set_zone_attributes(vm, &module),
            None => Ok(()),
        }
    }))
}

fn extend_signal(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
    set(vm, m, "SIGRTMIN", libc::SIGRTMIN())?;
    set(vm, m, "SIGRTMAX", libc::SIGRTMAX())?;
    set(vm, m, "SIGCLD", libc::SIGCHLD)?;
    set(vm, m, "SIGIOT", libc::SIGIOT)?;
    set(vm, m, "SIGPOLL", libc::SIGPOLL)?;
    set(vm, m, "pthread_kill", vm.new_function("pthread_kill", |thread_id: u64, signal: i32, vm: &VirtualMachine| -> PyResult<()> {
        // SAFETY: pthread_kill checks the signal; an unknown thread is ESRCH.
        errno_status(vm, unsafe { libc::pthread_kill(thread_id as libc::pthread_t, signal) })?;
        vm.check_signals()
    }))?;
    set(vm, m, "sigpending", vm.new_function("sigpending", |vm: &VirtualMachine| -> PyResult {
        // SAFETY: a zeroed sigset_t is filled by the call.
        let mut pending: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: a live local.
        os_status(vm, unsafe { libc::sigpending(&mut pending) })?;
        signal_set(vm, &pending)
    }))?;
    set(vm, m, "sigwait", vm.new_function("sigwait", |signals: PyObjectRef, vm: &VirtualMachine| -> PyResult<i32> {
        // SAFETY: sigemptyset initialises the set.
        let mut wanted: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: a live local.
        unsafe { libc::sigemptyset(&mut wanted) };
        for signal in signals.try_to_value::<Vec<i32>>(vm)? {
            // SAFETY: sigaddset checks the number.
            if unsafe { libc::sigaddset(&mut wanted, signal) } != 0 {
                return Err(vm.new_value_error(format!("signal number {signal} out of range [1; {}]", libc::SIGRTMAX())));
            }
        }
        let mut received = 0;
        // SAFETY: live locals; the wait blocks this thread only.
        errno_status(vm, vm.allow_threads(|| unsafe { libc::sigwait(&wanted, &mut received) }))?;
        Ok(received)
    }))
}

/// A sigset as the set of its signal numbers.
fn signal_set(vm: &VirtualMachine, signals: &libc::sigset_t) -> PyResult {
    let set = PySet::default().into_ref(&vm.ctx);
    for signal in 1..=libc::SIGRTMAX() {
        // SAFETY: a valid set and signal number.
        if unsafe { libc::sigismember(signals, signal) } == 1 {
            set.add(vm.ctx.new_int(signal).into(), vm)?;
        }
    }
    Ok(set.into())
}

fn extend_locale(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
    set(vm, m, "nl_langinfo", vm.new_function("nl_langinfo", |key: i32, vm: &VirtualMachine| -> PyResult<String> {
        // The keys the module exports (CODESET, D_T_FMT, ...) are glibc's
        // item numbers; any other is refused as CPython refuses it.
        let known = KNOWN_LANGINFO.get_or_init(|| known_langinfo_keys(vm));
        if !known.contains(&key) {
            return Err(vm.new_value_error("unsupported langinfo constant"));
        }
        // SAFETY: a known item; the result is a NUL-terminated string the
        // C library owns until the next call, copied at once.
        let text = unsafe { std::ffi::CStr::from_ptr(libc::nl_langinfo(key)) };
        Ok(text.to_string_lossy().into_owned())
    }))
}

static KNOWN_LANGINFO: OnceLock<Vec<i32>> = OnceLock::new();

fn known_langinfo_keys(vm: &VirtualMachine) -> Vec<i32> {
    const NAMES: &[&str] = &[
        "CODESET", "D_T_FMT", "D_FMT", "T_FMT", "T_FMT_AMPM", "AM_STR", "PM_STR", "DAY_1", "DAY_2", "DAY_3", "DAY_4", "DAY_5", "DAY_6", "DAY_7", "ABDAY_1",
        "ABDAY_2", "ABDAY_3", "ABDAY_4", "ABDAY_5", "ABDAY_6", "ABDAY_7", "MON_1", "MON_2", "MON_3", "MON_4", "MON_5", "MON_6", "MON_7", "MON_8", "MON_9",
        "MON_10", "MON_11", "MON_12", "ABMON_1", "ABMON_2", "ABMON_3", "ABMON_4", "ABMON_5", "ABMON_6", "ABMON_7", "ABMON_8", "ABMON_9", "ABMON_10",
        "ABMON_11", "ABMON_12", "RADIXCHAR", "THOUSEP", "YESEXPR", "NOEXPR", "CRNCYSTR", "ERA", "ERA_D_FMT", "ERA_D_T_FMT", "ERA_T_FMT", "ALT_DIGITS",
    ];
    let Ok(module) = vm.import("_locale", 0) else { return Vec::new() };
    NAMES
        .iter()
        .filter_map(|name| module.get_attr(*name, vm).ok()?.try_to_value::<i32>(vm).ok())
        .collect()
}

/// A replacement function that returns None puts nothing in the result,
/// as in CPython; the host's join refused the None.
fn extend_sre(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
    static HOST_SUB: OnceLock<[PyObjectRef; 2]> = OnceLock::new();
    let pattern = m.as_object().get_attr("Pattern", vm)?;
    let Ok(class) = pattern.downcast::<rustpython_vm::builtins::PyType>() else { return Ok(()) };
    // A built-in type lives as long as the process.
    let class = PyRef::leak(class);
    let host = [class.as_object().get_attr("sub", vm)?, class.as_object().get_attr("subn", vm)?];
    if HOST_SUB.set(host).is_err() {
        // The type is shared: a second interpreter finds ours in place.
        return Ok(());
    }
    fn sub<const WHICH: usize>(mut args: FuncArgs, vm: &VirtualMachine) -> PyResult {
        // (self, repl, string, count): repl is the second positional or `repl=`.
        let keyword = |name: &str| args.kwargs.iter().find(|(k, _)| k.as_str().ok() == Some(name)).map(|(_, v)| v);
        let string_is_str = args.args.get(2).or_else(|| keyword("string")).is_some_and(|s| s.downcast_ref::<PyStr>().is_some());
        let repl = match args.args.get_mut(1) {
            Some(repl) => Some(repl),
            None => args.kwargs.iter_mut().find(|(k, _)| k.as_str().ok() == Some("repl")).map(|(_, v)| v),
        };
        if let Some(repl) = repl.filter(|r| r.is_callable() && r.downcast_ref::<PyStr>().is_none()) {
            let function = repl.clone();
            let empty: PyObjectRef = if string_is_str { vm.ctx.new_str("").into() } else { vm.ctx.new_bytes(Vec::new()).into() };
            *repl = vm
                .new_function("repl", move |found: PyObjectRef, vm: &VirtualMachine| -> PyResult {
                    let replacement = function.call((found,), vm)?;
                    Ok(if vm.is_none(&replacement) { empty.clone() } else { replacement })
                })
                .into();
        }
        HOST_SUB.get().expect("installed before use")[WHICH].call(args, vm)
    }
    for (name, function) in [("sub", sub::<0> as fn(FuncArgs, &VirtualMachine) -> PyResult), ("subn", sub::<1>)] {
        let def = vm.ctx.new_method_def(name, function, PyMethodFlags::METHOD, rustpython_vm::function::ItemDoc::NONE);
        class.set_attr(vm.ctx.intern_str(name), def.build_method(class, vm).into());
    }
    Ok(())
}

/// A host given as bytes, in an address tuple or to the resolver, is taken
/// as its ASCII text, as CPython takes it.
fn extend_socket(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
    static HOST_METHODS: OnceLock<Vec<PyObjectRef>> = OnceLock::new();
    static HOST_FUNCTIONS: OnceLock<Vec<PyObjectRef>> = OnceLock::new();
    const METHODS: [&str; 4] = ["bind", "connect", "connect_ex", "sendto"];
    const FUNCTIONS: [&str; 3] = ["gethostbyname", "gethostbyname_ex", "gethostbyaddr"];

    fn host_as_text(host: &PyObjectRef, vm: &VirtualMachine) -> PyResult<Option<PyObjectRef>> {
        let Some(bytes) = host.downcast_ref::<rustpython_vm::builtins::PyBytes>() else { return Ok(None) };
        Ok(Some(vm.ctx.new_str(String::from_utf8_lossy(bytes.as_bytes()).into_owned()).into()))
    }
    fn address_as_text(address: &PyObjectRef, vm: &VirtualMachine) -> PyResult<Option<PyObjectRef>> {
        let Some(tuple) = address.downcast_ref::<rustpython_vm::builtins::PyTuple>() else { return Ok(None) };
        let Some(text) = tuple.first().map(|h| host_as_text(h, vm)).transpose()?.flatten() else { return Ok(None) };
        let mut items = tuple.as_slice().to_vec();
        items[0] = text;
        Ok(Some(vm.ctx.new_tuple(items).into()))
    }
    fn method<const WHICH: usize>(mut args: FuncArgs, vm: &VirtualMachine) -> PyResult {
        // The address is the last positional argument (sendto's third or second).
        let has_address = args.args.len() >= 2;
        if let Some(address) = args.args.last_mut().filter(|_| has_address) {
            if let Some(text) = address_as_text(address, vm)? {
                *address = text;
            }
        }
        HOST_METHODS.get().expect("installed before use")[WHICH].call(args, vm)
    }
    fn function<const WHICH: usize>(mut args: FuncArgs, vm: &VirtualMachine) -> PyResult {
        if let Some(host) = args.args.first_mut() {
            if let Some(text) = host_as_text(host, vm)? {
                *host = text;
            }
        }
        HOST_FUNCTIONS.get().expect("installed before use")[WHICH].call(args, vm)
    }

    let socket = m.as_object().get_attr("socket", vm)?;
    let Ok(class) = socket.downcast::<rustpython_vm::builtins::PyType>() else { return Ok(()) };
    // A built-in type lives as long as the process.
    let class = PyRef::leak(class);
    let host_methods = METHODS.iter().map(|name| class.as_object().get_attr(*name, vm)).collect::<PyResult<Vec<_>>>()?;
    let host_functions = FUNCTIONS.iter().map(|name| m.as_object().get_attr(*name, vm)).collect::<PyResult<Vec<_>>>()?;
    if HOST_METHODS.set(host_methods).is_err() || HOST_FUNCTIONS.set(host_functions).is_err() {
        // The type is shared: a second interpreter finds ours in place.
        return Ok(());
    }
    let methods: [fn(FuncArgs, &VirtualMachine) -> PyResult; 4] = [method::<0>, method::<1>, method::<2>, method::<3>];
    for (name, f) in METHODS.into_iter().zip(methods) {
        let def = vm.ctx.new_method_def(name, f, PyMethodFlags::METHOD, rustpython_vm::function::ItemDoc::NONE);
        class.set_attr(vm.ctx.intern_str(name), def.build_method(class, vm).into());
    }
    if class.get_attr(vm.ctx.intern_str("recvmsg_into")).is_none() && class.get_attr(vm.ctx.intern_str("recvmsg")).is_some() {
        let def = vm.ctx.new_method_def("recvmsg_into", recvmsg_into, PyMethodFlags::METHOD, rustpython_vm::function::ItemDoc::NONE);
        class.set_attr(vm.ctx.intern_str("recvmsg_into"), def.build_method(class, vm).into());
    }
    let functions: [fn(FuncArgs, &VirtualMachine) -> PyResult; 3] = [function::<0>, function::<1>, function::<2>];
    for (name, f) in FUNCTIONS.into_iter().zip(functions) {
        set(vm, m, name, vm.new_function(name, f))?;
    }
    Ok(())
}

/// `socket.recvmsg_into(buffers[, ancbufsize[, flags]])`, which the host
/// lacks (trio refers to it as its socket class is defined, so `import
/// trio` failed, and with it pyfuse3): the host's `recvmsg` of the buffers'
/// total size, its data then scattered over the buffers in order. Returns
/// CPython's `(nbytes, ancdata, msg_flags, address)`.
fn recvmsg_into(args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    let (sock, buffers, ancbufsize, flags): (PyObjectRef, PyObjectRef, OptionalArg<isize>, OptionalArg<i32>) = args.bind(vm)?;
    let memoryview = vm.ctx.types.memoryview_type.as_object();
    let buffers = vm
        .ctx
        .types
        .list_type
        .as_object()
        .call((buffers,), vm)
        .map_err(|_| vm.new_type_error("recvmsg_into() argument 1 must be an iterable"))?;
    let mut views = Vec::new();
    let mut total = 0usize;
    for buffer in buffers.try_to_value::<Vec<PyObjectRef>>(vm)? {
        let view = vm.call_method(&*memoryview.call((buffer,), vm)?, "cast", ("B",))?;
        if view.get_attr("readonly", vm)?.try_to_bool(vm)? {
            return Err(vm.new_type_error("recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers"));
        }
        total += view.length(vm)?;
        views.push(view);
    }
    let result = vm.call_method(&sock, "recvmsg", (total, ancbufsize.unwrap_or(0), flags.unwrap_or(0)))?;
    let result: Vec<PyObjectRef> = result.try_to_value(vm)?;
    let [data, ancdata, msg_flags, address]: [PyObjectRef; 4] =
        result.try_into().map_err(|_| vm.new_system_error("recvmsg() returned an unexpected result"))?;
    let data = data.downcast::<rustpython_vm::builtins::PyBytes>().map_err(|_| vm.new_system_error("recvmsg() returned no bytes"))?;
    let bytes = data.as_bytes();
    let mut offset = 0usize;
    for view in views {
        if offset >= bytes.len() {
            break;
        }
        let n = view.length(vm)?.min(bytes.len() - offset);
        let part = vm.ctx.new_bytes(bytes[offset..offset + n].to_vec());
        let target = vm.builtins.get_attr("slice", vm)?.call((0, n), vm)?;
        vm.call_method(&view, "__setitem__", (target, part))?;
        offset += n;
    }
    Ok(vm.ctx.new_tuple(vec![vm.ctx.new_int(bytes.len()).into(), ancdata, msg_flags, address]).into())
}

/// `del local.name` for a name the thread's dict lacks: the host's dict
/// raised KeyError, CPython's generic delete an AttributeError.
fn extend_thread(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
    type Setattro = fn(&rustpython_vm::PyObject, &Py<PyStr>, rustpython_vm::function::PySetterValue, &VirtualMachine) -> PyResult<()>;
    static HOST_SETATTRO: OnceLock<Setattro> = OnceLock::new();
    let local = m.as_object().get_attr("_local", vm)?;
    let Ok(class) = local.downcast::<rustpython_vm::builtins::PyType>() else { return Ok(()) };
    let Some(host) = class.slots.setattro.load() else { return Ok(()) };
    if HOST_SETATTRO.set(host).is_err() {
        // The type is shared: a second interpreter finds ours in place.
        return Ok(());
    }
    fn setattro(obj: &rustpython_vm::PyObject, name: &Py<PyStr>, value: rustpython_vm::function::PySetterValue, vm: &VirtualMachine) -> PyResult<()> {
        let deleting = matches!(value, rustpython_vm::function::PySetterValue::Delete);
        HOST_SETATTRO.get().expect("installed before use")(obj, name, value, vm).map_err(|error| {
            if deleting && error.fast_isinstance(vm.ctx.exceptions.key_error) {
                vm.new_attribute_error(format!("'{}' object has no attribute '{}'", obj.class().slot_name(), name.as_wtf8()))
            } else {
                error
            }
        })
    }
    class.slots.setattro.store(Some(setattro));
    Ok(())
}

/// `operator.length_hint(obj, default=0)` as CPython's: the default is any
/// int (the host's takes only a non-negative one, so `length_hint(it, -1)`,
/// a common "unknown" marker, raised ValueError).
fn extend_operator(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
    fn length_hint(args: FuncArgs, vm: &VirtualMachine) -> PyResult {
        let (obj, default): (PyObjectRef, OptionalArg<PyObjectRef>) = args.bind(vm)?;
        let default = match default {
            OptionalArg::Present(d) => {
                if !d.class().fast_issubclass(vm.ctx.types.int_type) {
                    return Err(vm.new_type_error(format!("'{}' object cannot be interpreted as an integer", d.class().name())));
                }
                d.try_into_value::<isize>(vm)?
            }
            OptionalArg::Missing => 0,
        };
        Ok(match vm.length_hint_opt(obj)? {
            Some(n) => vm.ctx.new_int(n).into(),
            None => vm.ctx.new_int(default).into(),
        })
    }
    set(vm, m, "length_hint", vm.new_function("length_hint", length_hint))
}

/// `ErrorLineNumber`, `ErrorColumnNumber` and `ErrorByteIndex` read the
/// same position as the `Current*` attributes, as in CPython (expat keeps
/// one position; xml.sax's locator reads the `Error*` names).
fn extend_expat(vm: &VirtualMachine, m: &Py<PyModule>) -> PyResult<()> {
    let parser = m.as_object().get_attr("XMLParserType", vm)?;
    let Ok(class) = parser.downcast::<rustpython_vm::builtins::PyType>() else { return Ok(()) };
    for (error, current) in [("ErrorLineNumber", "CurrentLineNumber"), ("ErrorColumnNumber", "CurrentColumnNumber"), ("ErrorByteIndex", "CurrentByteIndex")] {
        let (error, current) = (vm.ctx.intern_str(error), vm.ctx.intern_str(current));
        if class.get_direct_attr(error).is_none() {
            if let Some(descriptor) = class.get_direct_attr(current) {
                class.set_attr(error, descriptor);
            }
        }
    }
    Ok(())
}

/// `sys.setswitchinterval(1)`: the host's takes a float only. Also
/// `sys.gettrace`/`sys.getprofile` (`ceval::install_tracer_getters`).
pub fn extend_sys(vm: &VirtualMachine) {
    extend_float(vm);
    static HOST: OnceLock<PyObjectRef> = OnceLock::new();
    let sys = vm.sys_module.as_object();
    let Ok(host) = sys.get_attr("setswitchinterval", vm) else { return };
    if HOST.set(host).is_err() {
        return;
    }
    crate::api::ceval::install_tracer_getters(vm);
    let ours = vm.new_function("setswitchinterval", |interval: PyObjectRef, vm: &VirtualMachine| -> PyResult {
        let interval = vm.ctx.new_float(interval.try_float(vm)?.to_f64());
        HOST.get().expect("set above").call((interval,), vm)
    });
    let _ = sys.set_attr("setswitchinterval", ours, vm);
}

/// `x.real` and `x.conjugate()` of a float subclass are an exact float, as
/// CPython's `float_float` makes them (ephem's `Angle.real` is a plain
/// float there); the host's return the instance itself, subclass and all.
fn extend_float(vm: &VirtualMachine) {
    use rustpython_vm::builtins::PyFloat;
    static DONE: OnceLock<()> = OnceLock::new();
    if DONE.set(()).is_err() {
        // The type is shared: a second interpreter finds ours in place.
        return;
    }
    let float = vm.ctx.types.float_type;
    // An f64 result becomes a new exact float.
    let real = vm.ctx.new_readonly_getset("real", float, |zelf: PyRef<PyFloat>| zelf.to_f64());
    float.set_attr(vm.ctx.intern_str("real"), real.into());
    let conjugate = vm.new_method("conjugate", float, |zelf: PyRef<PyFloat>| zelf.to_f64());
    float.set_attr(vm.ctx.intern_str("conjugate"), conjugate.into());
}

/// Modules of the host's frozen standard library that the layer completes
/// once they have run, each with the layer's frozen module whose
/// `complete(module)` adds what CPython 3.11 has there and the host's
/// version dropped (`cpyext/pylib/cpyext/`).
const FROZEN_COMPLETIONS: &[(&str, &str)] = &[
    // 3.11's deprecated TestCase aliases, makeSuite, findTestCases, ...
    ("unittest", "cpyext._unittest311"),
    // 'fork' as the default start method on Linux, as 3.11 (not forkserver)
    ("multiprocessing.context", "cpyext._multiprocessing311"),
];

/// Wraps the frozen importer's `exec_module` so that each module of
/// `FROZEN_COMPLETIONS` is completed as it is imported, and only then: the
/// host's Python sources are frozen into the binary, and importing the
/// completion up front would import its module into every program.
/// Called from `_imp`'s exec (`loader.rs`), after `_frozen_importlib` has
/// run and before it imports anything.
pub fn complete_frozen_modules(vm: &VirtualMachine) -> PyResult<()> {
    // (An interpreter started without the frozen importer has nothing to complete.)
    let Ok(bootstrap) = vm.sys_module.get_attr("modules", vm)?.get_item("_frozen_importlib", vm) else {
        return Ok(());
    };
    let importer = bootstrap.get_attr("FrozenImporter", vm)?;
    let host_exec = importer.get_attr("exec_module", vm)?;
    let exec = vm.new_function("exec_module", move |module: PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
        host_exec.call((module.clone(),), vm)?;
        let name = module.get_attr("__spec__", vm)?.get_attr("name", vm)?;
        let Some(name) = name.downcast_ref::<PyStr>() else { return Ok(()) };
        if let Some((_, completion)) = FROZEN_COMPLETIONS.iter().find(|(n, _)| name.as_wtf8() == *n) {
            // `import a.b` gives `a`: the module itself is in sys.modules.
            vm.import(*completion, 0)?;
            let completion = vm.sys_module.get_attr("modules", vm)?.get_item(*completion, vm)?;
            completion.get_attr("complete", vm)?.call((module,), vm)?;
        }
        Ok(())
    });
    // A builtin function does not bind: the class attribute stays a plain
    // function, as the staticmethod it replaces.
    importer.set_attr("exec_module", exec, vm)
}
