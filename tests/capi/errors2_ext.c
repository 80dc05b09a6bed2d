/* The rest of pyerrors.h and warnings.h: every PyExc_* object, errno and
 * import errors, syntax locations and program text, the Unicode error
 * accessors, signals, the handled exception, and the warning variants. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>

static PyObject *MyError;

#define OPT(o) ((o) == Py_None ? NULL : (o))

/* --- every exception object ------------------------------------------------- */

#define EXC(name) {#name, &PyExc_##name}
static struct {
    const char *name;
    PyObject **object;
} exceptions[] = {
    EXC(BaseException), EXC(Exception), EXC(BaseExceptionGroup),
    EXC(StopAsyncIteration), EXC(StopIteration), EXC(GeneratorExit), EXC(ArithmeticError),
    EXC(LookupError), EXC(AssertionError), EXC(AttributeError), EXC(BufferError), EXC(EOFError),
    EXC(FloatingPointError), EXC(OSError), EXC(ImportError), EXC(ModuleNotFoundError), EXC(IndexError),
    EXC(KeyError), EXC(KeyboardInterrupt), EXC(MemoryError), EXC(NameError), EXC(OverflowError),
    EXC(RuntimeError), EXC(RecursionError), EXC(NotImplementedError), EXC(SyntaxError),
    EXC(IndentationError), EXC(TabError), EXC(ReferenceError), EXC(SystemError), EXC(SystemExit),
    EXC(TypeError), EXC(UnboundLocalError), EXC(UnicodeError), EXC(UnicodeEncodeError),
    EXC(UnicodeDecodeError), EXC(UnicodeTranslateError), EXC(ValueError), EXC(ZeroDivisionError),
    EXC(BlockingIOError), EXC(BrokenPipeError), EXC(ChildProcessError), EXC(ConnectionError),
    EXC(ConnectionAbortedError), EXC(ConnectionRefusedError), EXC(ConnectionResetError),
    EXC(FileExistsError), EXC(FileNotFoundError), EXC(InterruptedError), EXC(IsADirectoryError),
    EXC(NotADirectoryError), EXC(PermissionError), EXC(ProcessLookupError), EXC(TimeoutError),
    EXC(EnvironmentError), EXC(IOError), EXC(Warning), EXC(UserWarning), EXC(DeprecationWarning),
    EXC(PendingDeprecationWarning), EXC(SyntaxWarning), EXC(RuntimeWarning), EXC(FutureWarning),
    EXC(ImportWarning), EXC(UnicodeWarning), EXC(BytesWarning), EXC(EncodingWarning), EXC(ResourceWarning),
};
#define N_EXCEPTIONS ((int)(sizeof(exceptions) / sizeof(exceptions[0])))

/* [(name, object, [names of the exceptions it matches])] */
static PyObject *
exception_table(PyObject *self, PyObject *unused)
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
    for (int i = 0; i < N_EXCEPTIONS; i++) {
        PyObject *matched = PyList_New(0);
        if (matched == NULL)
            goto fail;
        for (int j = 0; j < N_EXCEPTIONS; j++) {
            if (i != j && PyErr_GivenExceptionMatches(*exceptions[i].object, *exceptions[j].object)) {
                PyObject *name = PyUnicode_FromString(exceptions[j].name);
                if (name == NULL || PyList_Append(matched, name) < 0) {
                    Py_XDECREF(name);
                    Py_DECREF(matched);
                    goto fail;
                }
                Py_DECREF(name);
            }
        }
        PyObject *row = Py_BuildValue("(sON)", exceptions[i].name, *exceptions[i].object, matched);
        if (row == NULL || PyList_Append(list, row) < 0) {
            Py_XDECREF(row);
            goto fail;
        }
        Py_DECREF(row);
    }
    return list;
fail:
    Py_DECREF(list);
    return NULL;
}

/* The macros on every exception type: class check, and on an instance. */
static PyObject *
check_macros(PyObject *self, PyObject *arg)
{
    return Py_BuildValue("(ii)", PyExceptionClass_Check(arg), PyExceptionInstance_Check(arg));
}

static PyObject *
class_name(PyObject *self, PyObject *arg)
{
    return PyUnicode_FromString(PyExceptionClass_Name(arg));
}

/* --- errno ---------------------------------------------------------------- */

/* set_errno(variant, type, errno, filename, filename2) */
static PyObject *
set_errno(PyObject *self, PyObject *args)
{
    int variant, err;
    PyObject *type, *filename, *filename2;
    if (!PyArg_ParseTuple(args, "iOiOO", &variant, &type, &err, &filename, &filename2))
        return NULL;
    const char *cname = filename == Py_None ? NULL : PyUnicode_AsUTF8(filename);
    if (filename != Py_None && cname == NULL)
        return NULL;
    errno = err;
    switch (variant) {
    case 0:
        return PyErr_SetFromErrno(type);
    case 1:
        return PyErr_SetFromErrnoWithFilename(type, cname);
    case 2:
        return PyErr_SetFromErrnoWithFilenameObject(type, OPT(filename));
    default:
        return PyErr_SetFromErrnoWithFilenameObjects(type, OPT(filename), OPT(filename2));
    }
}

/* --- import errors ------------------------------------------------------- */

static PyObject *
set_import_error(PyObject *self, PyObject *args)
{
    PyObject *type, *msg, *name, *path;
    if (!PyArg_ParseTuple(args, "OOOO", &type, &msg, &name, &path))
        return NULL;
    if (type == Py_None)
        return PyErr_SetImportError(OPT(msg), OPT(name), OPT(path));
    return PyErr_SetImportErrorSubclass(type, OPT(msg), OPT(name), OPT(path));
}

/* --- syntax locations ----------------------------------------------------- */

/* syntax_location(variant, exc_type, filename, lineno, col, end_lineno,
 * end_col): raises exc_type("bad thing") with the location added. */
static PyObject *
syntax_location(PyObject *self, PyObject *args)
{
    int variant, lineno, col, end_lineno, end_col;
    PyObject *type, *filename;
    if (!PyArg_ParseTuple(args, "iOOiiii", &variant, &type, &filename, &lineno, &col, &end_lineno, &end_col))
        return NULL;
    const char *cname = filename == Py_None ? NULL : PyUnicode_AsUTF8(filename);
    PyErr_SetString(type, "bad thing");
    switch (variant) {
    case 0:
        PyErr_SyntaxLocation(cname, lineno);
        break;
    case 1:
        PyErr_SyntaxLocationEx(cname, lineno, col);
        break;
    case 2:
        PyErr_SyntaxLocationObject(OPT(filename), lineno, col);
        break;
    default:
        PyErr_RangedSyntaxLocationObject(OPT(filename), lineno, col, end_lineno, end_col);
    }
    return NULL;
}

/* program_text(variant, filename, lineno): the line or None (and whether an
 * error was left set). */
static PyObject *
program_text(PyObject *self, PyObject *args)
{
    int variant, lineno;
    PyObject *filename;
    if (!PyArg_ParseTuple(args, "iOi", &variant, &filename, &lineno))
        return NULL;
    PyObject *text;
    if (variant == 0)
        text = PyErr_ProgramText(filename == Py_None ? NULL : PyUnicode_AsUTF8(filename), lineno);
    else
        text = PyErr_ProgramTextObject(OPT(filename), lineno);
    int error = PyErr_Occurred() != NULL;
    PyErr_Clear();
    return Py_BuildValue("(Ni)", text ? text : Py_NewRef(Py_None), error);
}

/* --- Unicode errors ------------------------------------------------------- */

static PyObject *
decode_error_create(PyObject *self, PyObject *args)
{
    const char *encoding, *reason;
    const char *data;
    Py_ssize_t len, start, end;
    if (!PyArg_ParseTuple(args, "sy#nns", &encoding, &data, &len, &start, &end, &reason))
        return NULL;
    return PyUnicodeDecodeError_Create(encoding, data, len, start, end, reason);
}

/* (encoding, object, start, end, reason) through the getters of `kind`
 * ('e', 'd' or 't'); a getter's error is given back as its type name. */
static PyObject *
err_name(void)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *name = PyObject_GetAttrString(type, "__name__");
    PyObject *message = value ? PyObject_Str(value) : PyUnicode_FromString("");
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    if (name == NULL || message == NULL) {
        Py_XDECREF(name);
        Py_XDECREF(message);
        return NULL;
    }
    return Py_BuildValue("(NN)", name, message);
}

static PyObject *
or_error(PyObject *o)
{
    return o ? o : err_name();
}

static PyObject *
index_or_error(int r, Py_ssize_t v)
{
    return r == 0 ? PyLong_FromSsize_t(v) : err_name();
}

static PyObject *
unicode_error_get(PyObject *self, PyObject *args)
{
    int kind;
    PyObject *exc;
    if (!PyArg_ParseTuple(args, "CO", &kind, &exc))
        return NULL;
    Py_ssize_t start = -99, end = -99;
    int r;
    PyObject *encoding, *object, *reason, *s, *e;
    switch (kind) {
    case 'e':
        encoding = or_error(PyUnicodeEncodeError_GetEncoding(exc));
        object = or_error(PyUnicodeEncodeError_GetObject(exc));
        r = PyUnicodeEncodeError_GetStart(exc, &start);
        s = index_or_error(r, start);
        r = PyUnicodeEncodeError_GetEnd(exc, &end);
        e = index_or_error(r, end);
        reason = or_error(PyUnicodeEncodeError_GetReason(exc));
        break;
    case 'd':
        encoding = or_error(PyUnicodeDecodeError_GetEncoding(exc));
        object = or_error(PyUnicodeDecodeError_GetObject(exc));
        r = PyUnicodeDecodeError_GetStart(exc, &start);
        s = index_or_error(r, start);
        r = PyUnicodeDecodeError_GetEnd(exc, &end);
        e = index_or_error(r, end);
        reason = or_error(PyUnicodeDecodeError_GetReason(exc));
        break;
    default:
        encoding = Py_NewRef(Py_None);
        object = or_error(PyUnicodeTranslateError_GetObject(exc));
        r = PyUnicodeTranslateError_GetStart(exc, &start);
        s = index_or_error(r, start);
        r = PyUnicodeTranslateError_GetEnd(exc, &end);
        e = index_or_error(r, end);
        reason = or_error(PyUnicodeTranslateError_GetReason(exc));
    }
    return Py_BuildValue("(NNNNN)", encoding, object, s, e, reason);
}

static PyObject *
unicode_error_set(PyObject *self, PyObject *args)
{
    int kind;
    PyObject *exc;
    Py_ssize_t start, end;
    const char *reason;
    if (!PyArg_ParseTuple(args, "COnns", &kind, &exc, &start, &end, &reason))
        return NULL;
    int r1, r2, r3;
    switch (kind) {
    case 'e':
        r1 = PyUnicodeEncodeError_SetStart(exc, start);
        r2 = PyUnicodeEncodeError_SetEnd(exc, end);
        r3 = PyUnicodeEncodeError_SetReason(exc, reason);
        break;
    case 'd':
        r1 = PyUnicodeDecodeError_SetStart(exc, start);
        r2 = PyUnicodeDecodeError_SetEnd(exc, end);
        r3 = PyUnicodeDecodeError_SetReason(exc, reason);
        break;
    default:
        r1 = PyUnicodeTranslateError_SetStart(exc, start);
        r2 = PyUnicodeTranslateError_SetEnd(exc, end);
        r3 = PyUnicodeTranslateError_SetReason(exc, reason);
    }
    return Py_BuildValue("(iii)", r1, r2, r3);
}

/* --- signals ------------------------------------------------------------ */

/* (SetInterruptEx's result, CheckSignals' result); CheckSignals' error is
 * left set when it failed. */
static PyObject *
interrupt(PyObject *self, PyObject *arg)
{
    int signum = (int)PyLong_AsLong(arg);
    if (signum == -1 && PyErr_Occurred())
        return NULL;
    int r1;
    if (signum == 0) {
        PyErr_SetInterrupt();
        r1 = 0;
    }
    else {
        r1 = PyErr_SetInterruptEx(signum);
    }
    int r2 = PyErr_CheckSignals();
    if (r2 < 0)
        return NULL;
    return Py_BuildValue("(ii)", r1, r2);
}

/* PyErr_SetInterrupt from where CPython allows it: a C signal handler (as
 * cysignals' SIGINT handler) and a thread that never held the GIL. */
static void
interrupting_handler(int sig)
{
    PyErr_SetInterrupt();
}

static PyObject *
interrupt_from_c_handler(PyObject *self, PyObject *unused)
{
    struct sigaction action, previous;
    memset(&action, 0, sizeof action);
    action.sa_handler = interrupting_handler;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGUSR2, &action, &previous) < 0)
        return PyErr_SetFromErrno(PyExc_OSError);
    raise(SIGUSR2);
    sigaction(SIGUSR2, &previous, NULL);
    if (PyErr_CheckSignals() < 0)
        return NULL;
    Py_RETURN_NONE;
}

static void *
interrupting_thread(void *unused)
{
    PyErr_SetInterrupt();
    return NULL;
}

static PyObject *
interrupt_from_thread(PyObject *self, PyObject *unused)
{
    pthread_t thread;
    Py_BEGIN_ALLOW_THREADS
    pthread_create(&thread, NULL, interrupting_thread, NULL);
    pthread_join(thread, NULL);
    Py_END_ALLOW_THREADS
    if (PyErr_CheckSignals() < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
check_signals(PyObject *self, PyObject *unused)
{
    if (PyErr_CheckSignals() < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* --- the handled exception ---------------------------------------------- */

static PyObject *
set_handled(PyObject *self, PyObject *arg)
{
    PyErr_SetHandledException(OPT(arg));
    Py_RETURN_NONE;
}

/* set_exc_info(type, value, tb): the references are stolen. */
static PyObject *
set_exc_info(PyObject *self, PyObject *args)
{
    PyObject *type, *value, *tb;
    if (!PyArg_ParseTuple(args, "OOO", &type, &value, &tb))
        return NULL;
    type = OPT(type);
    value = OPT(value);
    tb = OPT(tb);
    Py_XINCREF(type);
    Py_XINCREF(value);
    Py_XINCREF(tb);
    PyErr_SetExcInfo(type, value, tb);
    Py_RETURN_NONE;
}

static PyObject *
get_handled(PyObject *self, PyObject *unused)
{
    PyObject *exc = PyErr_GetHandledException();
    return exc ? exc : Py_NewRef(Py_None);
}

/* --- private helpers extensions use ---------------------------------------- */

/* chain(first_type, first_message, second_type or None): raises the second
 * with the first as its context (or the first alone). */
static PyObject *
chain(PyObject *self, PyObject *args)
{
    PyObject *t1, *t2;
    const char *m1;
    if (!PyArg_ParseTuple(args, "OsO", &t1, &m1, &t2))
        return NULL;
    PyErr_SetString(t1, m1);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (t2 != Py_None)
        PyErr_SetString(t2, "second");
    _PyErr_ChainExceptions(type, value, tb);
    return NULL;
}

static PyObject *
format_from_cause(PyObject *self, PyObject *args)
{
    PyObject *first;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &first, &n))
        return NULL;
    PyErr_SetString(first, "the cause");
    return _PyErr_FormatFromCause(PyExc_RuntimeError, "wrapped %d", n);
}

static PyObject *
set_key_error(PyObject *self, PyObject *key)
{
    _PyErr_SetKeyError(key);
    return NULL;
}

static PyObject *
write_unraisable_msg(PyObject *self, PyObject *args)
{
    PyObject *obj;
    const char *msg;
    if (!PyArg_ParseTuple(args, "zO", &msg, &obj))
        return NULL;
    PyErr_SetString(PyExc_ValueError, "unraisable");
    _PyErr_WriteUnraisableMsg(msg, obj);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

/* --- warnings --------------------------------------------------------------- */

static PyObject *
resource_warning(PyObject *self, PyObject *args)
{
    PyObject *source;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &source, &n))
        return NULL;
    if (PyErr_ResourceWarning(OPT(source), 1, "unclosed thing %d", n) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
warn_explicit_object(PyObject *self, PyObject *args)
{
    PyObject *category, *message, *filename, *module, *registry;
    int lineno;
    if (!PyArg_ParseTuple(args, "OOOiOO", &category, &message, &filename, &lineno, &module, &registry))
        return NULL;
    if (PyErr_WarnExplicitObject(OPT(category), message, filename, lineno, OPT(module), OPT(registry)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
warn_explicit_format(PyObject *self, PyObject *args)
{
    PyObject *category;
    const char *filename, *module;
    int lineno, n;
    if (!PyArg_ParseTuple(args, "Osizi", &category, &filename, &lineno, &module, &n))
        return NULL;
    if (PyErr_WarnExplicitFormat(OPT(category), filename, lineno, module, NULL, "formatted %d-%s", n, "x") < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
warn_macro(PyObject *self, PyObject *arg)
{
    if (PyErr_Warn(PyExc_UserWarning, PyUnicode_AsUTF8(arg)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* What Cython does to get a generator's return value: send, fetch the
 * StopIteration, read its `value` field. */
static PyObject *
stop_iteration_value(PyObject *self, PyObject *gen)
{
    PyObject *r = PyObject_CallMethod(gen, "send", "O", Py_None);
    if (r != NULL)
        return Py_BuildValue("(sN)", "yielded", r);
    if (!PyErr_ExceptionMatches(PyExc_StopIteration))
        return NULL;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *result = Py_BuildValue("(sO)", "returned", ((PyStopIterationObject *)value)->value);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return result;
}

static PyObject *
fatal(PyObject *self, PyObject *unused)
{
    Py_FatalError("the message");
}

/* exc_info_value(): the handled exception C sets with PyErr_SetExcInfo, read
 * straight from the thread state as mypyc's except clauses read it, then
 * the saved one put back. */
static PyObject *
exc_info_value(PyObject *self, PyObject *unused)
{
    PyObject *t, *v, *tb, *saved_t, *saved_v, *saved_tb;
    PyErr_GetExcInfo(&saved_t, &saved_v, &saved_tb);
    PyErr_SetString(PyExc_ValueError, "boom");
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    PyErr_SetExcInfo(t, v, tb);
    PyObject *direct = PyThreadState_GET()->exc_info->exc_value;
    PyObject *seen;
    if (direct == NULL)
        seen = PyUnicode_FromString("NULL");
    else
        seen = PyUnicode_FromFormat("%s: %S, matches ValueError: %d", Py_TYPE(direct)->tp_name, direct,
                                    PyErr_GivenExceptionMatches((PyObject *)Py_TYPE(direct), PyExc_ValueError));
    PyErr_SetExcInfo(saved_t, saved_v, saved_tb);
    PyObject *after = PyThreadState_GET()->exc_info->exc_value;
    /* CPython leaves NULL or None there when no exception is handled. */
    return Py_BuildValue("(Ns)", seen, after == NULL || after == Py_None ? "no exception" : Py_TYPE(after)->tp_name);
}

static PyMethodDef methods[] = {
    {"exc_info_value", exc_info_value, METH_NOARGS, NULL},
    {"fatal", fatal, METH_NOARGS, NULL},
    {"stop_iteration_value", stop_iteration_value, METH_O, NULL},
    {"exception_table", exception_table, METH_NOARGS, NULL},
    {"check_macros", check_macros, METH_O, NULL},
    {"class_name", class_name, METH_O, NULL},
    {"set_errno", set_errno, METH_VARARGS, NULL},
    {"set_import_error", set_import_error, METH_VARARGS, NULL},
    {"syntax_location", syntax_location, METH_VARARGS, NULL},
    {"program_text", program_text, METH_VARARGS, NULL},
    {"decode_error_create", decode_error_create, METH_VARARGS, NULL},
    {"unicode_error_get", unicode_error_get, METH_VARARGS, NULL},
    {"unicode_error_set", unicode_error_set, METH_VARARGS, NULL},
    {"interrupt", interrupt, METH_O, NULL},
    {"interrupt_from_c_handler", interrupt_from_c_handler, METH_NOARGS, NULL},
    {"interrupt_from_thread", interrupt_from_thread, METH_NOARGS, NULL},
    {"check_signals", check_signals, METH_NOARGS, NULL},
    {"set_handled", set_handled, METH_O, NULL},
    {"set_exc_info", set_exc_info, METH_VARARGS, NULL},
    {"get_handled", get_handled, METH_NOARGS, NULL},
    {"chain", chain, METH_VARARGS, NULL},
    {"set_key_error", set_key_error, METH_O, NULL},
    {"format_from_cause", format_from_cause, METH_VARARGS, NULL},
    {"write_unraisable_msg", write_unraisable_msg, METH_VARARGS, NULL},
    {"resource_warning", resource_warning, METH_VARARGS, NULL},
    {"warn_explicit_object", warn_explicit_object, METH_VARARGS, NULL},
    {"warn_explicit_format", warn_explicit_format, METH_VARARGS, NULL},
    {"warn_macro", warn_macro, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "errors2_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_errors2_ext(void)
{
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    MyError = PyErr_NewException("errors2_ext.MyError", PyExc_ImportError, NULL);
    if (MyError == NULL || PyModule_AddObjectRef(m, "MyImportError", MyError) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
