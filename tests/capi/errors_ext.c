#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>

/* NULL for None, else the object (borrowed) */
static PyObject *
opt(PyObject *o)
{
    return o == Py_None ? NULL : o;
}

/* new reference; None for NULL */
static PyObject *
or_none(PyObject *o)
{
    return Py_NewRef(o ? o : Py_None);
}

static PyObject *
tuple3_steal(PyObject *a, PyObject *b, PyObject *c)
{
    PyObject *t = PyTuple_New(3);
    if (t == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(c);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, a ? a : Py_NewRef(Py_None));
    PyTuple_SET_ITEM(t, 1, b ? b : Py_NewRef(Py_None));
    PyTuple_SET_ITEM(t, 2, c ? c : Py_NewRef(Py_None));
    return t;
}

/* --- raising ------------------------------------------------------------- */

static PyObject *
set_string(PyObject *self, PyObject *args)
{
    const char *msg = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    if (msg == NULL)
        return NULL;
    PyErr_SetString(PyTuple_GET_ITEM(args, 0), msg);
    return NULL;
}

static PyObject *
set_object(PyObject *self, PyObject *args)
{
    PyErr_SetObject(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
    return NULL;
}

static PyObject *
set_object_null(PyObject *self, PyObject *type)
{
    PyErr_SetObject(type, NULL);
    return NULL;
}

static PyObject *
set_none(PyObject *self, PyObject *type)
{
    PyErr_SetNone(type);
    return NULL;
}

static PyObject *
set_twice(PyObject *self, PyObject *noargs)
{
    /* the second error replaces the first */
    PyErr_SetString(PyExc_KeyError, "first");
    PyErr_SetString(PyExc_ValueError, "second");
    return NULL;
}

/* --- Occurred / Clear ------------------------------------------------------- */

static PyObject *
occurred_sequence(PyObject *self, PyObject *noargs)
{
    /* (nothing set -> NULL, after SetString(KeyError) -> KeyError,
        after SetObject(KeyError, instance of subclass) -> the type given,
        after Clear -> NULL) */
    int none_at_start = PyErr_Occurred() == NULL;
    PyErr_SetString(PyExc_KeyError, "k");
    PyObject *t1 = PyErr_Occurred();
    PyObject *r1 = or_none(t1);
    PyErr_Clear();
    int none_after_clear = PyErr_Occurred() == NULL;
    PyErr_Clear();   /* clearing twice is fine */
    return tuple3_steal(PyBool_FromLong(none_at_start), r1, PyBool_FromLong(none_after_clear));
}

static PyObject *
occurred_after_call(PyObject *self, PyObject *cb)
{
    /* call cb; report PyErr_Occurred() (the type) and clear */
    PyObject *r = PyObject_CallNoArgs(cb);
    Py_XDECREF(r);
    PyObject *t = or_none(PyErr_Occurred());
    PyErr_Clear();
    return t;
}

static PyObject *
clear_after_call(PyObject *self, PyObject *cb)
{
    PyObject *r = PyObject_CallNoArgs(cb);
    if (r != NULL)
        return r;
    PyErr_Clear();
    return PyUnicode_FromString("cleared");
}

/* --- Fetch / Restore / Normalize ----------------------------------------------- */

static PyObject *
fetch_after_call(PyObject *self, PyObject *cb)
{
    /* call cb (which raises); Fetch; return (type, value, tb, occurred-after-fetch) */
    PyObject *r = PyObject_CallNoArgs(cb);
    if (r != NULL)
        return r;
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    int clean = PyErr_Occurred() == NULL;
    PyObject *res = PyTuple_New(4);
    if (res == NULL) {
        Py_XDECREF(t); Py_XDECREF(v); Py_XDECREF(tb);
        return NULL;
    }
    PyTuple_SET_ITEM(res, 0, t ? t : Py_NewRef(Py_None));
    PyTuple_SET_ITEM(res, 1, v ? v : Py_NewRef(Py_None));
    PyTuple_SET_ITEM(res, 2, tb ? tb : Py_NewRef(Py_None));
    PyTuple_SET_ITEM(res, 3, PyBool_FromLong(clean));
    return res;
}

static PyObject *
fetch_restore(PyObject *self, PyObject *cb)
{
    /* call cb; Fetch (error cleared); run some code; Restore; return NULL */
    PyObject *r = PyObject_CallNoArgs(cb);
    if (r != NULL)
        return r;
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (PyErr_Occurred()) {
        PyErr_SetString(PyExc_RuntimeError, "error still set after Fetch");
        return NULL;
    }
    /* unrelated work that sets and clears its own error while ours is saved */
    PyObject *d = PyDict_New();
    PyObject *missing = d ? PyDict_GetItemWithError(d, Py_None) : NULL;
    (void)missing;
    Py_XDECREF(d);
    PyErr_SetString(PyExc_KeyError, "temporary");
    PyErr_Clear();
    PyErr_Restore(t, v, tb);   /* steals */
    return NULL;
}

static PyObject *
fetch_restore_null(PyObject *self, PyObject *noargs)
{
    /* Restore(NULL, NULL, NULL) clears the error */
    PyErr_SetString(PyExc_ValueError, "will be cleared");
    PyErr_Restore(NULL, NULL, NULL);
    return PyBool_FromLong(PyErr_Occurred() == NULL);
}

static PyObject *
fetch_nothing(PyObject *self, PyObject *noargs)
{
    PyObject *t = (PyObject *)1, *v = (PyObject *)1, *tb = (PyObject *)1;
    PyErr_Fetch(&t, &v, &tb);
    return PyBool_FromLong(t == NULL && v == NULL && tb == NULL);
}

static PyObject *
restore_made(PyObject *self, PyObject *args)
{
    /* PyErr_Restore(type, value, NULL) with objects from Python, then return NULL */
    PyObject *t = PyTuple_GET_ITEM(args, 0), *v = opt(PyTuple_GET_ITEM(args, 1));
    Py_INCREF(t);
    Py_XINCREF(v);
    PyErr_Restore(t, v, NULL);
    return NULL;
}

/* Fetch after PyErr_SetString / SetNone / SetObject without normalizing;
   return (type, value, tb) */
static PyObject *
fetch_raw(PyObject *self, PyObject *args)
{
    PyObject *type = PyTuple_GET_ITEM(args, 0), *value = PyTuple_GET_ITEM(args, 1);
    if (PyUnicode_Check(value)) {
        PyErr_SetString(type, PyUnicode_AsUTF8(value));
    }
    else if (value == Py_None) {
        PyErr_SetNone(type);
    }
    else {
        PyErr_SetObject(type, value);
    }
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    return tuple3_steal(t, v, tb);
}

static PyObject *
fetch_normalized(PyObject *self, PyObject *args)
{
    PyObject *type = PyTuple_GET_ITEM(args, 0), *value = PyTuple_GET_ITEM(args, 1);
    if (PyUnicode_Check(value)) {
        PyErr_SetString(type, PyUnicode_AsUTF8(value));
    }
    else if (value == Py_None) {
        PyErr_SetNone(type);
    }
    else {
        PyErr_SetObject(type, value);
    }
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    /* normalizing twice is harmless */
    PyErr_NormalizeException(&t, &v, &tb);
    return tuple3_steal(t, v, tb);
}

static PyObject *
normalize_given(PyObject *self, PyObject *args)
{
    /* PyErr_NormalizeException on a (type, value) pair from Python */
    PyObject *t = PyTuple_GET_ITEM(args, 0), *v = opt(PyTuple_GET_ITEM(args, 1)), *tb = NULL;
    Py_INCREF(t);
    Py_XINCREF(v);
    PyErr_NormalizeException(&t, &v, &tb);
    if (PyErr_Occurred()) {
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
        return NULL;
    }
    return tuple3_steal(t, v, tb);
}

/* --- matching ------------------------------------------------------------------- */

static PyObject *
exception_matches(PyObject *self, PyObject *args)
{
    /* raise args[0] (a type or an instance), test PyErr_ExceptionMatches(args[1]) */
    PyObject *raised = PyTuple_GET_ITEM(args, 0), *against = PyTuple_GET_ITEM(args, 1);
    if (PyExceptionInstance_Check(raised))
        PyErr_SetObject((PyObject *)Py_TYPE(raised), raised);
    else
        PyErr_SetNone(raised);
    int r = PyErr_ExceptionMatches(against);
    PyErr_Clear();
    return PyLong_FromLong(r);
}

static PyObject *
exception_matches_nothing_set(PyObject *self, PyObject *against)
{
    return PyLong_FromLong(PyErr_ExceptionMatches(against));
}

static PyObject *
given_matches(PyObject *self, PyObject *args)
{
    return PyLong_FromLong(PyErr_GivenExceptionMatches(opt(PyTuple_GET_ITEM(args, 0)),
                                                       PyTuple_GET_ITEM(args, 1)));
}

/* --- canned errors ------------------------------------------------------------------- */

static PyObject *
no_memory(PyObject *self, PyObject *noargs)
{
    return PyErr_NoMemory();
}

static PyObject *
bad_argument(PyObject *self, PyObject *noargs)
{
    int r = PyErr_BadArgument();
    if (r != 0) {
        PyErr_SetString(PyExc_AssertionError, "PyErr_BadArgument did not return 0");
    }
    return NULL;
}

static PyObject *
bad_internal_call(PyObject *self, PyObject *noargs)
{
    PyErr_BadInternalCall();
    return NULL;
}

static PyObject *
set_from_errno(PyObject *self, PyObject *args)
{
    int err = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 1));
    if (err == -1 && PyErr_Occurred())
        return NULL;
    PyObject *fn = opt(PyTuple_GET_ITEM(args, 2));
    errno = err;
    if (fn == NULL)
        return PyErr_SetFromErrno(PyTuple_GET_ITEM(args, 0));
    return PyErr_SetFromErrnoWithFilenameObject(PyTuple_GET_ITEM(args, 0), fn);
}

/* PyErr_SetFromErrno called with an error already set, as after a failed
   conversion whose -1 went on to a syscall (evdev's device_read). */
static PyObject *
set_from_errno_pending(PyObject *self, PyObject *args)
{
    PyObject *type;
    int err;
    if (!PyArg_ParseTuple(args, "Oi", &type, &err))
        return NULL;
    PyErr_SetString(PyExc_TypeError, "the first error");
    errno = err;
    return PyErr_SetFromErrno(type);
}

static PyObject *
set_from_errno_filename(PyObject *self, PyObject *args)
{
    int err = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
    const char *fn = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    if (fn == NULL)
        return NULL;
    errno = err;
    return PyErr_SetFromErrnoWithFilename(PyExc_OSError, fn);
}

/* --- new exception types --------------------------------------------------------- */

static PyObject *
new_exception(PyObject *self, PyObject *args)
{
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 0));
    if (name == NULL)
        return NULL;
    return PyErr_NewException(name, opt(PyTuple_GET_ITEM(args, 1)), opt(PyTuple_GET_ITEM(args, 2)));
}

static PyObject *
new_exception_with_doc(PyObject *self, PyObject *args)
{
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 0));
    if (name == NULL)
        return NULL;
    PyObject *docobj = PyTuple_GET_ITEM(args, 1);
    const char *doc = NULL;
    if (docobj != Py_None) {
        doc = PyUnicode_AsUTF8(docobj);
        if (doc == NULL)
            return NULL;
    }
    return PyErr_NewExceptionWithDoc(name, doc, opt(PyTuple_GET_ITEM(args, 2)),
                                     opt(PyTuple_GET_ITEM(args, 3)));
}

static PyObject *MyError;   /* created at init */

static PyObject *
raise_my_error(PyObject *self, PyObject *arg)
{
    PyErr_SetObject(MyError, arg);
    return NULL;
}

/* --- unraisable / print ---------------------------------------------------------- */

static PyObject *
write_unraisable(PyObject *self, PyObject *args)
{
    /* (type, msg, obj or None): set the error, report it as unraisable */
    const char *msg = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    if (msg == NULL)
        return NULL;
    PyErr_SetString(PyTuple_GET_ITEM(args, 0), msg);
    PyErr_WriteUnraisable(opt(PyTuple_GET_ITEM(args, 2)));
    return PyBool_FromLong(PyErr_Occurred() == NULL);
}

static PyObject *
write_unraisable_from_call(PyObject *self, PyObject *args)
{
    /* call args[0]; the exception it raises is reported with obj args[1] */
    PyObject *r = PyObject_CallNoArgs(PyTuple_GET_ITEM(args, 0));
    if (r != NULL)
        return r;
    PyErr_WriteUnraisable(PyTuple_GET_ITEM(args, 1));
    return PyBool_FromLong(PyErr_Occurred() == NULL);
}

static PyObject *
err_print(PyObject *self, PyObject *args)
{
    /* (type, msg, set_sys_last_vars or None for PyErr_Print) */
    const char *msg = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    if (msg == NULL)
        return NULL;
    PyObject *flag = PyTuple_GET_ITEM(args, 2);
    PyErr_SetString(PyTuple_GET_ITEM(args, 0), msg);
    if (flag == Py_None)
        PyErr_Print();
    else
        PyErr_PrintEx(PyObject_IsTrue(flag));
    return PyBool_FromLong(PyErr_Occurred() == NULL);
}

static PyObject *
err_print_from_call(PyObject *self, PyObject *cb)
{
    PyObject *r = PyObject_CallNoArgs(cb);
    if (r != NULL)
        return r;
    PyErr_Print();
    return PyBool_FromLong(PyErr_Occurred() == NULL);
}

/* --- exception object accessors --------------------------------------------------------- */

static PyObject *
get_traceback(PyObject *self, PyObject *exc)
{
    PyObject *tb = PyException_GetTraceback(exc);   /* new reference */
    return tb ? tb : PyUnicode_FromString("<NULL>");
}

static PyObject *
set_traceback(PyObject *self, PyObject *args)
{
    int r = PyException_SetTraceback(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
    if (r < 0)
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
get_cause(PyObject *self, PyObject *exc)
{
    PyObject *c = PyException_GetCause(exc);   /* new reference */
    return c ? c : PyUnicode_FromString("<NULL>");
}

static PyObject *
set_cause(PyObject *self, PyObject *args)
{
    PyObject *cause = opt(PyTuple_GET_ITEM(args, 1));
    Py_XINCREF(cause);   /* stolen */
    PyException_SetCause(PyTuple_GET_ITEM(args, 0), cause);
    Py_RETURN_NONE;
}

static PyObject *
get_context(PyObject *self, PyObject *exc)
{
    PyObject *c = PyException_GetContext(exc);   /* new reference */
    return c ? c : PyUnicode_FromString("<NULL>");
}

static PyObject *
set_context(PyObject *self, PyObject *args)
{
    PyObject *ctx = opt(PyTuple_GET_ITEM(args, 1));
    Py_XINCREF(ctx);   /* stolen */
    PyException_SetContext(PyTuple_GET_ITEM(args, 0), ctx);
    Py_RETURN_NONE;
}

static PyObject *
get_exc_info(PyObject *self, PyObject *noargs)
{
    PyObject *t, *v, *tb;
    PyErr_GetExcInfo(&t, &v, &tb);   /* new references */
    return tuple3_steal(t, v, tb);
}

static PyObject *
get_handled(PyObject *self, PyObject *noargs)
{
    PyObject *e = PyErr_GetHandledException();   /* new reference or NULL */
    return e ? e : Py_NewRef(Py_None);
}

static PyObject *
warn(PyObject *self, PyObject *args)
{
    const char *msg = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    Py_ssize_t level = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 2));
    if (msg == NULL || (level == -1 && PyErr_Occurred()))
        return NULL;
    if (PyErr_WarnEx(PyTuple_GET_ITEM(args, 0), msg, level) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* --- the PyExc_* objects ------------------------------------------------------------ */

static PyObject *
exc_types(PyObject *self, PyObject *noargs)
{
    PyObject *all[] = {
        PyExc_BaseException, PyExc_Exception, PyExc_BaseExceptionGroup,
        PyExc_ArithmeticError, PyExc_AssertionError, PyExc_AttributeError,
        PyExc_BlockingIOError, PyExc_BrokenPipeError, PyExc_BufferError,
        PyExc_ChildProcessError, PyExc_ConnectionAbortedError, PyExc_ConnectionError,
        PyExc_ConnectionRefusedError, PyExc_ConnectionResetError, PyExc_EOFError,
        PyExc_EnvironmentError, PyExc_FileExistsError, PyExc_FileNotFoundError,
        PyExc_FloatingPointError, PyExc_GeneratorExit, PyExc_IOError, PyExc_ImportError,
        PyExc_IndentationError, PyExc_IndexError, PyExc_InterruptedError,
        PyExc_IsADirectoryError, PyExc_KeyError, PyExc_KeyboardInterrupt,
        PyExc_LookupError, PyExc_MemoryError, PyExc_ModuleNotFoundError, PyExc_NameError,
        PyExc_NotADirectoryError, PyExc_NotImplementedError, PyExc_OSError,
        PyExc_OverflowError, PyExc_PermissionError, PyExc_ProcessLookupError,
        PyExc_RecursionError, PyExc_ReferenceError, PyExc_RuntimeError,
        PyExc_StopAsyncIteration, PyExc_StopIteration, PyExc_SyntaxError,
        PyExc_SystemError, PyExc_SystemExit, PyExc_TabError, PyExc_TimeoutError,
        PyExc_TypeError, PyExc_UnboundLocalError, PyExc_UnicodeDecodeError,
        PyExc_UnicodeEncodeError, PyExc_UnicodeError, PyExc_UnicodeTranslateError,
        PyExc_ValueError, PyExc_ZeroDivisionError,
        PyExc_Warning, PyExc_BytesWarning, PyExc_DeprecationWarning, PyExc_EncodingWarning,
        PyExc_FutureWarning, PyExc_ImportWarning, PyExc_PendingDeprecationWarning,
        PyExc_ResourceWarning, PyExc_RuntimeWarning, PyExc_SyntaxWarning,
        PyExc_UnicodeWarning, PyExc_UserWarning,
    };
    Py_ssize_t n = (Py_ssize_t)(sizeof(all) / sizeof(all[0]));
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, or_none(all[i]));
    return t;
}

static PyObject *
raise_each(PyObject *self, PyObject *type)
{
    /* PyErr_SetString with a type object given from Python */
    PyErr_SetString(type, "raised from C");
    return NULL;
}

static PyMethodDef methods[] = {
    {"set_string", set_string, METH_VARARGS, NULL},
    {"set_object", set_object, METH_VARARGS, NULL},
    {"set_object_null", set_object_null, METH_O, NULL},
    {"set_none", set_none, METH_O, NULL},
    {"set_twice", set_twice, METH_NOARGS, NULL},
    {"occurred_sequence", occurred_sequence, METH_NOARGS, NULL},
    {"occurred_after_call", occurred_after_call, METH_O, NULL},
    {"clear_after_call", clear_after_call, METH_O, NULL},
    {"fetch_after_call", fetch_after_call, METH_O, NULL},
    {"fetch_restore", fetch_restore, METH_O, NULL},
    {"fetch_restore_null", fetch_restore_null, METH_NOARGS, NULL},
    {"fetch_nothing", fetch_nothing, METH_NOARGS, NULL},
    {"restore_made", restore_made, METH_VARARGS, NULL},
    {"fetch_raw", fetch_raw, METH_VARARGS, NULL},
    {"fetch_normalized", fetch_normalized, METH_VARARGS, NULL},
    {"normalize_given", normalize_given, METH_VARARGS, NULL},
    {"exception_matches", exception_matches, METH_VARARGS, NULL},
    {"exception_matches_nothing_set", exception_matches_nothing_set, METH_O, NULL},
    {"given_matches", given_matches, METH_VARARGS, NULL},
    {"no_memory", no_memory, METH_NOARGS, NULL},
    {"bad_argument", bad_argument, METH_NOARGS, NULL},
    {"bad_internal_call", bad_internal_call, METH_NOARGS, NULL},
    {"set_from_errno", set_from_errno, METH_VARARGS, NULL},
    {"set_from_errno_pending", set_from_errno_pending, METH_VARARGS, NULL},
    {"set_from_errno_filename", set_from_errno_filename, METH_VARARGS, NULL},
    {"new_exception", new_exception, METH_VARARGS, NULL},
    {"new_exception_with_doc", new_exception_with_doc, METH_VARARGS, NULL},
    {"raise_my_error", raise_my_error, METH_O, NULL},
    {"write_unraisable", write_unraisable, METH_VARARGS, NULL},
    {"write_unraisable_from_call", write_unraisable_from_call, METH_VARARGS, NULL},
    {"err_print", err_print, METH_VARARGS, NULL},
    {"err_print_from_call", err_print_from_call, METH_O, NULL},
    {"get_traceback", get_traceback, METH_O, NULL},
    {"set_traceback", set_traceback, METH_VARARGS, NULL},
    {"get_cause", get_cause, METH_O, NULL},
    {"set_cause", set_cause, METH_VARARGS, NULL},
    {"get_context", get_context, METH_O, NULL},
    {"set_context", set_context, METH_VARARGS, NULL},
    {"get_exc_info", get_exc_info, METH_NOARGS, NULL},
    {"get_handled", get_handled, METH_NOARGS, NULL},
    {"warn", warn, METH_VARARGS, NULL},
    {"exc_types", exc_types, METH_NOARGS, NULL},
    {"raise_each", raise_each, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "errors_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_errors_ext(void)
{
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    MyError = PyErr_NewException("errors_ext.MyError", NULL, NULL);
    if (MyError == NULL || PyModule_AddObjectRef(m, "MyError", MyError) < 0)
        goto fail;
    PyObject *sub = PyErr_NewExceptionWithDoc("errors_ext.MySubError", "Sub error doc.",
                                              MyError, NULL);
    if (sub == NULL)
        goto fail;
    if (PyModule_AddObject(m, "MySubError", sub) < 0) {
        Py_DECREF(sub);
        goto fail;
    }
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
