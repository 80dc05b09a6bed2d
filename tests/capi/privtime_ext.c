/* The private, publicly declared names of cpython/pytime.h, pylifecycle.h,
 * pythonrun.h, sysmodule.h, pymem.h and pythread.h. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

/* --- pytime.h ---------------------------------------------------------- */

static int
get_round(PyObject *arg, _PyTime_round_t *round)
{
    long r = PyLong_AsLong(arg);
    if (r == -1 && PyErr_Occurred()) return -1;
    *round = (_PyTime_round_t)r;
    return 0;
}

static PyObject *
t_object_to_time_t(PyObject *self, PyObject *args)
{
    PyObject *obj, *r;
    _PyTime_round_t round;
    time_t sec = 12345;
    if (!PyArg_ParseTuple(args, "OO", &obj, &r) || get_round(r, &round) < 0) return NULL;
    if (_PyTime_ObjectToTime_t(obj, &sec, round) < 0) return NULL;
    return _PyLong_FromTime_t(sec);
}

static PyObject *
t_object_to_timeval(PyObject *self, PyObject *args)
{
    PyObject *obj, *r;
    _PyTime_round_t round;
    time_t sec = 12345;
    long usec = 12345;
    if (!PyArg_ParseTuple(args, "OO", &obj, &r) || get_round(r, &round) < 0) return NULL;
    if (_PyTime_ObjectToTimeval(obj, &sec, &usec, round) < 0) return NULL;
    return Py_BuildValue("(Ll)", (long long)sec, usec);
}

static PyObject *
t_object_to_timespec(PyObject *self, PyObject *args)
{
    PyObject *obj, *r;
    _PyTime_round_t round;
    time_t sec = 12345;
    long nsec = 12345;
    if (!PyArg_ParseTuple(args, "OO", &obj, &r) || get_round(r, &round) < 0) return NULL;
    if (_PyTime_ObjectToTimespec(obj, &sec, &nsec, round) < 0) return NULL;
    return Py_BuildValue("(Ll)", (long long)sec, nsec);
}

static PyObject *
t_long_as_time_t(PyObject *self, PyObject *obj)
{
    time_t t = _PyLong_AsTime_t(obj);
    if (t == (time_t)-1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLongLong((long long)t);
}

static PyObject *
t_long_from_time_t(PyObject *self, PyObject *obj)
{
    long long v = PyLong_AsLongLong(obj);
    if (v == -1 && PyErr_Occurred()) return NULL;
    return _PyLong_FromTime_t((time_t)v);
}

static PyObject *
t_from_seconds_object(PyObject *self, PyObject *args)
{
    PyObject *obj, *r;
    _PyTime_round_t round;
    _PyTime_t t = 12345;
    if (!PyArg_ParseTuple(args, "OO", &obj, &r) || get_round(r, &round) < 0) return NULL;
    if (_PyTime_FromSecondsObject(&t, obj, round) < 0) return NULL;
    return _PyTime_AsNanosecondsObject(t);
}

static PyObject *
t_from_milliseconds_object(PyObject *self, PyObject *args)
{
    PyObject *obj, *r;
    _PyTime_round_t round;
    _PyTime_t t = 12345;
    if (!PyArg_ParseTuple(args, "OO", &obj, &r) || get_round(r, &round) < 0) return NULL;
    if (_PyTime_FromMillisecondsObject(&t, obj, round) < 0) return NULL;
    return _PyTime_AsNanosecondsObject(t);
}

static PyObject *
t_from_nanoseconds_object(PyObject *self, PyObject *obj)
{
    _PyTime_t t = 12345;
    if (_PyTime_FromNanosecondsObject(&t, obj) < 0) return NULL;
    return _PyTime_AsNanosecondsObject(t);
}

static PyObject *
t_as_nanoseconds_object(PyObject *self, PyObject *obj)
{
    long long v = PyLong_AsLongLong(obj);
    if (v == -1 && PyErr_Occurred()) return NULL;
    return _PyTime_AsNanosecondsObject((_PyTime_t)v);
}

/* (status, t, error or None): the value is stored even on overflow. */
static PyObject *
result_with_error(int status, _PyTime_t t)
{
    if (status < 0) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        PyObject *res = Py_BuildValue("(iLsO)", status, (long long)t, ((PyTypeObject *)type)->tp_name, value);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        return res;
    }
    return Py_BuildValue("(iLOO)", status, (long long)t, Py_None, Py_None);
}

static PyObject *
t_from_timeval(PyObject *self, PyObject *args)
{
    long long sec, usec;
    if (!PyArg_ParseTuple(args, "LL", &sec, &usec)) return NULL;
    struct timeval tv;
    tv.tv_sec = (time_t)sec;
    tv.tv_usec = (suseconds_t)usec;
    _PyTime_t t = 12345;
    int status = _PyTime_FromTimeval(&t, &tv);
    return result_with_error(status, t);
}

static PyObject *
t_from_timespec(PyObject *self, PyObject *args)
{
    long long sec, nsec;
    if (!PyArg_ParseTuple(args, "LL", &sec, &nsec)) return NULL;
    struct timespec ts;
    ts.tv_sec = (time_t)sec;
    ts.tv_nsec = (long)nsec;
    _PyTime_t t = 12345;
    int status = _PyTime_FromTimespec(&t, &ts);
    return result_with_error(status, t);
}

/* All the struct forms of one value: (timeval, timeval_clamp,
 * timeval_time_t, timespec, timespec_clamp). */
static PyObject *
t_as_structs(PyObject *self, PyObject *args)
{
    long long v;
    PyObject *r;
    _PyTime_round_t round;
    if (!PyArg_ParseTuple(args, "LO", &v, &r) || get_round(r, &round) < 0) return NULL;
    _PyTime_t t = (_PyTime_t)v;
    struct timeval tv = {1, 1}, tv2 = {1, 1};
    struct timespec ts = {1, 1}, ts2 = {1, 1};
    time_t secs = 1;
    int us = 1;
    if (_PyTime_AsTimeval(t, &tv, round) < 0) return NULL;
    _PyTime_AsTimeval_clamp(t, &tv2, round);
    if (_PyTime_AsTimevalTime_t(t, &secs, &us, round) < 0) return NULL;
    if (_PyTime_AsTimespec(t, &ts) < 0) return NULL;
    _PyTime_AsTimespec_clamp(t, &ts2);
    return Py_BuildValue("((Ll)(Ll)(Li)(Ll)(Ll))",
                         (long long)tv.tv_sec, (long)tv.tv_usec, (long long)tv2.tv_sec, (long)tv2.tv_usec,
                         (long long)secs, us, (long long)ts.tv_sec, ts.tv_nsec, (long long)ts2.tv_sec, ts2.tv_nsec);
}

static PyObject *
tm_tuple(const struct tm *tm)
{
    return Py_BuildValue("(iiiiiiiii)", tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday, tm->tm_hour,
                         tm->tm_min, tm->tm_sec, (tm->tm_wday + 6) % 7, tm->tm_yday + 1, tm->tm_isdst);
}

static PyObject *
t_gmtime(PyObject *self, PyObject *obj)
{
    long long v = PyLong_AsLongLong(obj);
    if (v == -1 && PyErr_Occurred()) return NULL;
    struct tm tm;
    if (_PyTime_gmtime((time_t)v, &tm) < 0) return NULL;
    return tm_tuple(&tm);
}

static PyObject *
t_localtime(PyObject *self, PyObject *obj)
{
    long long v = PyLong_AsLongLong(obj);
    if (v == -1 && PyErr_Occurred()) return NULL;
    struct tm tm;
    if (_PyTime_localtime((time_t)v, &tm) < 0) return NULL;
    return tm_tuple(&tm);
}

/* Relations only: the clock's value differs from run to run. */
static PyObject *
t_deadline(PyObject *self, PyObject *unused)
{
    _PyTime_t timeout = _PyTime_FromSeconds(5);
    _PyTime_t before = _PyTime_GetMonotonicClock();
    _PyTime_t deadline = _PyDeadline_Init(timeout);
    _PyTime_t after = _PyTime_GetMonotonicClock();
    _PyTime_t left = _PyDeadline_Get(deadline);
    _PyTime_t past = _PyDeadline_Get(before - _PyTime_FromSeconds(1));
    return Py_BuildValue("(iiiiiii)",
                         before + timeout <= deadline, deadline <= after + timeout,
                         left > 0, left <= timeout,
                         past <= -_PyTime_FromSeconds(1),
                         _PyDeadline_Init(_PyTime_MAX) == _PyTime_MAX,
                         _PyDeadline_Get(deadline + _PyTime_FromSeconds(60)) > _PyTime_FromSeconds(60));
}

/* --- pylifecycle.h ------------------------------------------------------- */

static PyObject *
l_urandom(PyObject *self, PyObject *args)
{
    Py_ssize_t size;
    int nonblock;
    if (!PyArg_ParseTuple(args, "ni", &size, &nonblock)) return NULL;
    char buffer[256];
    if (size > (Py_ssize_t)sizeof(buffer)) size = sizeof(buffer);
    memset(buffer, 0, sizeof(buffer));
    int status = nonblock ? _PyOS_URandomNonblock(buffer, size) : _PyOS_URandom(buffer, size);
    if (status < 0) return NULL;
    return PyBytes_FromStringAndSize(buffer, size < 0 ? 0 : size);
}

static PyObject *
l_state(PyObject *self, PyObject *unused)
{
    PyStatus status = _Py_InitializeMain();
    return Py_BuildValue("(iiii)", _Py_IsCoreInitialized(), PyStatus_Exception(status), PyStatus_IsError(status),
                         Py_IsInitialized());
}

static PyObject *
l_git(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(ss)", _Py_gitidentifier(), _Py_gitversion());
}

/* The SIGPIPE and SIGXFSZ handlers set to SIG_IGN, restored, read back and
 * set back as they were. */
static PyObject *
l_restore_signals(PyObject *self, PyObject *unused)
{
    PyOS_sighandler_t old_pipe = PyOS_setsig(SIGPIPE, SIG_IGN);
    PyOS_sighandler_t old_xfsz = PyOS_setsig(SIGXFSZ, SIG_IGN);
    int ignored = PyOS_getsig(SIGPIPE) == SIG_IGN && PyOS_getsig(SIGXFSZ) == SIG_IGN;
    _Py_RestoreSignals();
    int pipe_default = PyOS_getsig(SIGPIPE) == SIG_DFL;
    int xfsz_default = PyOS_getsig(SIGXFSZ) == SIG_DFL;
    PyOS_setsig(SIGPIPE, old_pipe);
    PyOS_setsig(SIGXFSZ, old_xfsz);
    return Py_BuildValue("(iii)", ignored, pipe_default, xfsz_default);
}

static PyObject *
l_program_full_path(PyObject *self, PyObject *arg)
{
    wchar_t *path = NULL;
    if (arg != Py_None) {
        path = PyUnicode_AsWideCharString(arg, NULL);
        if (path == NULL) return NULL;
    }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    _Py_SetProgramFullPath(path);
#pragma GCC diagnostic pop
    PyMem_Free(path);
    wchar_t *now = Py_GetProgramFullPath();
    if (now == NULL) Py_RETURN_NONE;
    return PyUnicode_FromWideChar(now, -1);
}

/* _Py_FdIsInteractive on a file descriptor, with a name object or NULL. */
static PyObject *
l_fd_is_interactive(PyObject *self, PyObject *args)
{
    int fd;
    PyObject *name;
    if (!PyArg_ParseTuple(args, "iO", &fd, &name)) return NULL;
    FILE *fp = fdopen(dup(fd), "r");
    if (fp == NULL) return PyErr_SetFromErrno(PyExc_OSError);
    int result = _Py_FdIsInteractive(fp, name == Py_None ? NULL : name);
    fclose(fp);
    return PyLong_FromLong(result);
}

static PyObject *
l_set_interactive_flag(PyObject *self, PyObject *arg)
{
    long old = Py_InteractiveFlag;
    Py_InteractiveFlag = (int)PyLong_AsLong(arg);
    return PyLong_FromLong(old);
}

/* (legacy(0), legacy(1), LC_CTYPE locale name) */
static PyObject *
l_legacy(PyObject *self, PyObject *unused)
{
    const char *name = setlocale(LC_CTYPE, NULL);
    return Py_BuildValue("(iis)", _Py_LegacyLocaleDetected(0), _Py_LegacyLocaleDetected(1), name ? name : "(null)");
}

/* (coerced, LC_CTYPE variable, LC_CTYPE locale name) */
static PyObject *
l_coerce(PyObject *self, PyObject *arg)
{
    int coerced = _Py_CoerceLegacyLocale((int)PyLong_AsLong(arg));
    const char *var = getenv("LC_CTYPE");
    const char *name = setlocale(LC_CTYPE, NULL);
    return Py_BuildValue("(iss)", coerced, var ? var : "(unset)", name ? name : "(null)");
}

static PyObject *
l_set_locale_from_env(PyObject *self, PyObject *arg)
{
    const char *name = _Py_SetLocaleFromEnv((int)PyLong_AsLong(arg));
    return Py_BuildValue("s", name ? name : "(null)");
}

static PyObject *
l_locale_constants(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(ii)", LC_CTYPE, LC_ALL);
}

/* --- pythonrun.h ---------------------------------------------------------- */

/* Runs the file at `path` with one of the object forms. */
static PyObject *
r_run_file(PyObject *self, PyObject *args)
{
    const char *path, *which;
    PyObject *name;
    int closeit;
    if (!PyArg_ParseTuple(args, "ssOi", &which, &path, &name, &closeit)) return NULL;
    FILE *fp = fopen(path, "r");
    if (fp == NULL) return PyErr_SetFromErrno(PyExc_OSError);
    PyCompilerFlags flags = _PyCompilerFlags_INIT;
    int status;
    if (strcmp(which, "simple") == 0) {
        status = _PyRun_SimpleFileObject(fp, name, closeit, &flags);
    }
    else if (strcmp(which, "any") == 0) {
        status = _PyRun_AnyFileObject(fp, name == Py_None ? NULL : name, closeit, &flags);
    }
    else {
        status = _PyRun_InteractiveLoopObject(fp, name, &flags);
    }
    if (!closeit || strcmp(which, "loop") == 0) fclose(fp);
    fflush(stdout);
    fflush(stderr);
    return PyLong_FromLong(status);
}

/* (text, PyCF_IGNORE_COOKIE set, copy made) */
static PyObject *
r_source_as_string(PyObject *self, PyObject *cmd)
{
    PyCompilerFlags cf = _PyCompilerFlags_INIT;
    PyObject *copy = (PyObject *)1;
    const char *text = _Py_SourceAsString(cmd, "exec", "string, bytes or code", &cf, &copy);
    if (text == NULL) {
        if (copy != NULL) {
            PyErr_SetString(PyExc_AssertionError, "copy not cleared on error");
        }
        return NULL;
    }
    PyObject *res = Py_BuildValue("(yii)", text, (cf.cf_flags & PyCF_IGNORE_COOKIE) != 0, copy != NULL);
    Py_XDECREF(copy);
    return res;
}

static PyThreadState *expected_tstate;
static int reader_saw_tstate;
static PyObject *reader_reentry;

static char *
tstate_reader(FILE *in, FILE *out, const char *prompt)
{
    reader_saw_tstate = _PyOS_ReadlineTState != NULL && _PyOS_ReadlineTState == expected_tstate;
    /* Take the GIL back with the published state, run Python, release it. */
    PyEval_RestoreThread(_PyOS_ReadlineTState);
    char *again = PyOS_Readline(in, out, "again");
    if (again == NULL) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        reader_reentry = Py_BuildValue("(sO)", ((PyTypeObject *)type)->tp_name, value);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
    }
    else {
        reader_reentry = PyUnicode_FromString(again);
        PyMem_Free(again);
    }
    PyEval_SaveThread();
    char *line = PyMem_RawMalloc(16);
    if (line != NULL) strcpy(line, "typed line\n");
    return line;
}

/* PyOS_Readline with a reader that checks _PyOS_ReadlineTState, on a
 * terminal (a pty's slave side, `fd`). */
static PyObject *
r_readline_tstate(PyObject *self, PyObject *arg)
{
    int fd = (int)PyLong_AsLong(arg);
    if (fd == -1 && PyErr_Occurred()) return NULL;
    FILE *in = fdopen(dup(fd), "r");
    FILE *out = fdopen(dup(fd), "w");
    if (in == NULL || out == NULL) return PyErr_SetFromErrno(PyExc_OSError);
    int null_before = _PyOS_ReadlineTState == NULL;
    expected_tstate = PyThreadState_Get();
    char *(*old)(FILE *, FILE *, const char *) = PyOS_ReadlineFunctionPointer;
    PyOS_ReadlineFunctionPointer = tstate_reader;
    char *line = PyOS_Readline(in, out, "");
    PyOS_ReadlineFunctionPointer = old;
    int null_after = _PyOS_ReadlineTState == NULL;
    fclose(in);
    fclose(out);
    if (line == NULL) return NULL;
    PyObject *res = Py_BuildValue("(iisN)", null_before, reader_saw_tstate, line,
                                  reader_reentry ? reader_reentry : Py_NewRef(Py_None));
    reader_reentry = NULL;
    PyMem_Free(line);
    return res ? Py_BuildValue("(Ni)", res, null_after) : NULL;
}

/* --- sysmodule.h, pymem.h, pythread.h -------------------------------------- */

/* (value or "<NULL>", error pending afterwards) */
static PyObject *
s_get_attr(PyObject *self, PyObject *args)
{
    PyObject *name;
    int with_pending;
    if (!PyArg_ParseTuple(args, "Oi", &name, &with_pending)) return NULL;
    if (with_pending) PyErr_SetString(PyExc_KeyError, "pending");
    PyObject *value = _PySys_GetAttr(PyThreadState_Get(), name);
    PyObject *pending = PyErr_Occurred();
    const char *pending_name = pending ? ((PyTypeObject *)pending)->tp_name : "none";
    PyObject *shown = value ? Py_NewRef(value) : PyUnicode_FromString("<NULL>");
    PyObject *res = Py_BuildValue("(Ns)", shown, pending_name);
    PyErr_Clear();
    return res;
}

static PyObject *
s_get_size_of(PyObject *self, PyObject *obj)
{
    size_t size = _PySys_GetSizeOf(obj);
    if (size == (size_t)-1) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_AssertionError, "-1 without an exception");
        }
        return NULL;
    }
    return PyLong_FromSize_t(size);
}

static void *
counting_malloc(void *ctx, size_t size)
{
    PyMemAllocatorEx *base = ctx;
    return base->malloc(base->ctx, size);
}

static void *
counting_calloc(void *ctx, size_t nelem, size_t elsize)
{
    PyMemAllocatorEx *base = ctx;
    return base->calloc(base->ctx, nelem, elsize);
}

static void *
counting_realloc(void *ctx, void *ptr, size_t size)
{
    PyMemAllocatorEx *base = ctx;
    return base->realloc(base->ctx, ptr, size);
}

static void
counting_free(void *ctx, void *ptr)
{
    PyMemAllocatorEx *base = ctx;
    base->free(base->ctx, ptr);
}

static PyObject *
name_or_none(const char *name)
{
    return name ? PyUnicode_FromString(name) : Py_NewRef(Py_None);
}

/* (name now, name with a wrapping MEM allocator, name after putting it back) */
static PyObject *
m_allocator_name(PyObject *self, PyObject *unused)
{
    static PyMemAllocatorEx base;
    PyObject *before = name_or_none(_PyMem_GetCurrentAllocatorName());
    PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &base);
    PyMemAllocatorEx wrapper = {&base, counting_malloc, counting_calloc, counting_realloc, counting_free};
    PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &wrapper);
    PyObject *during = name_or_none(_PyMem_GetCurrentAllocatorName());
    PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &base);
    PyObject *after = name_or_none(_PyMem_GetCurrentAllocatorName());
    return Py_BuildValue("(NNN)", before, during, after);
}

/* A held lock replaced by a fresh, free one. */
static PyObject *
th_fork_reinit(PyObject *self, PyObject *unused)
{
    PyThread_type_lock lock = PyThread_allocate_lock();
    if (lock == NULL) return PyErr_NoMemory();
    int first = PyThread_acquire_lock(lock, NOWAIT_LOCK);
    int held = PyThread_acquire_lock(lock, NOWAIT_LOCK);
    PyThread_type_lock old = lock;
    int status = _PyThread_at_fork_reinit(&lock);
    int replaced = lock != NULL && lock != old;
    int free_now = PyThread_acquire_lock(lock, NOWAIT_LOCK);
    PyThread_release_lock(lock);
    PyThread_free_lock(lock);
    /* The old lock is still held: it is released and freed here, as no
     * other thread waits on it. */
    PyThread_release_lock(old);
    PyThread_free_lock(old);
    return Py_BuildValue("(iiiii)", first, held, status, replaced, free_now);
}

static PyMethodDef methods[] = {
    {"object_to_time_t", t_object_to_time_t, METH_VARARGS, NULL},
    {"object_to_timeval", t_object_to_timeval, METH_VARARGS, NULL},
    {"object_to_timespec", t_object_to_timespec, METH_VARARGS, NULL},
    {"long_as_time_t", t_long_as_time_t, METH_O, NULL},
    {"long_from_time_t", t_long_from_time_t, METH_O, NULL},
    {"from_seconds_object", t_from_seconds_object, METH_VARARGS, NULL},
    {"from_milliseconds_object", t_from_milliseconds_object, METH_VARARGS, NULL},
    {"from_nanoseconds_object", t_from_nanoseconds_object, METH_O, NULL},
    {"as_nanoseconds_object", t_as_nanoseconds_object, METH_O, NULL},
    {"from_timeval", t_from_timeval, METH_VARARGS, NULL},
    {"from_timespec", t_from_timespec, METH_VARARGS, NULL},
    {"as_structs", t_as_structs, METH_VARARGS, NULL},
    {"gmtime", t_gmtime, METH_O, NULL},
    {"localtime", t_localtime, METH_O, NULL},
    {"deadline", t_deadline, METH_NOARGS, NULL},
    {"urandom", l_urandom, METH_VARARGS, NULL},
    {"state", l_state, METH_NOARGS, NULL},
    {"git", l_git, METH_NOARGS, NULL},
    {"restore_signals", l_restore_signals, METH_NOARGS, NULL},
    {"program_full_path", l_program_full_path, METH_O, NULL},
    {"fd_is_interactive", l_fd_is_interactive, METH_VARARGS, NULL},
    {"set_interactive_flag", l_set_interactive_flag, METH_O, NULL},
    {"legacy", l_legacy, METH_NOARGS, NULL},
    {"coerce", l_coerce, METH_O, NULL},
    {"set_locale_from_env", l_set_locale_from_env, METH_O, NULL},
    {"locale_constants", l_locale_constants, METH_NOARGS, NULL},
    {"run_file", r_run_file, METH_VARARGS, NULL},
    {"source_as_string", r_source_as_string, METH_O, NULL},
    {"readline_tstate", r_readline_tstate, METH_O, NULL},
    {"sys_get_attr", s_get_attr, METH_VARARGS, NULL},
    {"sys_get_size_of", s_get_size_of, METH_O, NULL},
    {"allocator_name", m_allocator_name, METH_NOARGS, NULL},
    {"fork_reinit", th_fork_reinit, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "privtime_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_privtime_ext(void)
{
    return PyModule_Create(&moduledef);
}
