/* CPython 3.11's underscore names of pystate.h, ceval.h, pyerrors.h,
 * code.h, genobject.h, weakrefobject.h, traceback.h and fileobject.h. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>

/* --- pystate.h ---------------------------------------------------------- */

static PyObject *
p_interp(PyObject *self, PyObject *unused)
{
    PyInterpreterState *unsafe_interp = _PyGILState_GetInterpreterStateUnsafe();
    return Py_BuildValue("(ii)", unsafe_interp == PyInterpreterState_Get(),
                         unsafe_interp == PyInterpreterState_Main());
}

static PyObject *
p_main_module(PyObject *self, PyObject *unused)
{
    return _PyInterpreterState_GetMainModule(PyInterpreterState_Get());
}

/* Sets the id-ref flag, reads it back, then restores it: (before, after set 1, after set 0). */
static PyObject *
p_idref(PyObject *self, PyObject *unused)
{
    PyInterpreterState *interp = PyInterpreterState_Get();
    int before = _PyInterpreterState_RequiresIDRef(interp);
    _PyInterpreterState_RequireIDRef(interp, 1);
    int on = _PyInterpreterState_RequiresIDRef(interp);
    _PyInterpreterState_RequireIDRef(interp, 0);
    int off = _PyInterpreterState_RequiresIDRef(interp);
    _PyInterpreterState_RequireIDRef(interp, before);
    return Py_BuildValue("(iii)", before, on, off);
}

/* Borrowed: the thread dict through the tstate, and whether it is PyThreadState_GetDict's. */
static PyObject *
p_tstate_dict(PyObject *self, PyObject *unused)
{
    PyObject *d = _PyThreadState_GetDict(PyThreadState_Get());
    if (d == NULL) Py_RETURN_NONE;
    if (PyDict_SetItemString(d, "privstate_mark", Py_True) < 0) return NULL;
    PyObject *public_dict = PyThreadState_GetDict();
    return Py_BuildValue("(iO)", d == public_dict, PyDict_GetItemString(public_dict, "privstate_mark"));
}

/* A preallocated thread state: its interpreter, a new id, listed, then gone. */
static PyObject *
p_prealloc(PyObject *self, PyObject *unused)
{
    PyThreadState *current = PyThreadState_Get();
    PyThreadState *t = _PyThreadState_Prealloc(PyInterpreterState_Get());
    if (t == NULL) return NULL;
    int same_interp = PyThreadState_GetInterpreter(t) == PyInterpreterState_Get();
    int newer = PyThreadState_GetID(t) > PyThreadState_GetID(current);
    int listed = 0;
    for (PyThreadState *p = PyInterpreterState_ThreadHead(PyInterpreterState_Get()); p; p = PyThreadState_Next(p))
        if (p == t) listed = 1;
    int not_current = PyThreadState_Get() == current && t != current;
    PyObject *d = _PyThreadState_GetDict(t);
    int own_dict = d != NULL && d != PyThreadState_GetDict();
    PyThreadState_Clear(t);
    PyThreadState_Delete(t);
    int unlisted = 1;
    for (PyThreadState *p = PyInterpreterState_ThreadHead(PyInterpreterState_Get()); p; p = PyThreadState_Next(p))
        if (p == t) unlisted = 0;
    return Py_BuildValue("(iiiiii)", same_interp, newer, listed, not_current, own_dict, unlisted);
}

static PyObject *
p_current_frames(PyObject *self, PyObject *unused)
{
    return _PyThread_CurrentFrames();
}

static PyObject *
p_current_exceptions(PyObject *self, PyObject *unused)
{
    return _PyThread_CurrentExceptions();
}

/* --- ceval.h ------------------------------------------------------------- */

static PyObject *
p_get_builtin(PyObject *self, PyObject *name)
{
    return _PyEval_GetBuiltin(name);
}

static PyObject *
p_get_builtin_id(PyObject *self, PyObject *unused)
{
    _Py_IDENTIFIER(len);
    _Py_static_string(PyId_missing, "no_such_builtin_here");
    PyObject *len = _PyEval_GetBuiltinId(&PyId_len);
    if (len == NULL) return NULL;
    PyObject *again = _PyEval_GetBuiltinId(&PyId_len);
    if (again == NULL) return NULL;
    int same = len == again;
    Py_DECREF(again);
    PyObject *missing = _PyEval_GetBuiltinId(&PyId_missing);
    if (missing != NULL) return NULL;
    int missing_is_attribute_error = PyErr_ExceptionMatches(PyExc_AttributeError);
    PyErr_Clear();
    return Py_BuildValue("(Nii)", len, same, missing_is_attribute_error);
}

static PyObject *
p_get_switch(PyObject *self, PyObject *unused)
{
    return PyLong_FromUnsignedLong(_PyEval_GetSwitchInterval());
}

static PyObject *
p_set_switch(PyObject *self, PyObject *arg)
{
    unsigned long us = PyLong_AsUnsignedLong(arg);
    if (us == (unsigned long)-1 && PyErr_Occurred()) return NULL;
    _PyEval_SetSwitchInterval(us);
    Py_RETURN_NONE;
}

static int
count_event(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    /* obj is a list: append (what, co_name). */
    PyCodeObject *code = PyFrame_GetCode(frame);
    PyObject *item = Py_BuildValue("(iO)", what, code->co_name);
    Py_DECREF(code);
    if (item == NULL) return -1;
    int r = PyList_Append(obj, item);
    Py_DECREF(item);
    return r;
}

static PyObject *
p_set_trace(PyObject *self, PyObject *args)
{
    PyObject *events;
    int profile;
    if (!PyArg_ParseTuple(args, "Oi", &events, &profile)) return NULL;
    PyThreadState *t = PyThreadState_Get();
    int r;
    if (events == Py_None)
        r = profile ? _PyEval_SetProfile(t, NULL, NULL) : _PyEval_SetTrace(t, NULL, NULL);
    else
        r = profile ? _PyEval_SetProfile(t, count_event, events) : _PyEval_SetTrace(t, count_event, events);
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
p_slice_index(PyObject *self, PyObject *arg)
{
    Py_ssize_t i = -12345;
    int r = _PyEval_SliceIndexNotNone(arg, &i);
    if (r == 0) return NULL;
    return Py_BuildValue("(in)", r, i);
}

/* --- code.h: extra slots ------------------------------------------------- */

static int freed_count = 0;
static PyObject *freed_log = NULL;

static void
free_extra(void *p)
{
    freed_count++;
    if (freed_log != NULL) {
        PyObject *v = PyLong_FromLong((long)(intptr_t)p);
        if (v != NULL) {
            PyList_Append(freed_log, v);
            Py_DECREF(v);
        }
    }
}

static Py_ssize_t extra_index = -1;
static Py_ssize_t extra_index_nofree = -1;

static PyObject *
p_request_indexes(PyObject *self, PyObject *unused)
{
    if (freed_log == NULL && (freed_log = PyList_New(0)) == NULL) return NULL;
    extra_index = _PyEval_RequestCodeExtraIndex(free_extra);
    extra_index_nofree = _PyEval_RequestCodeExtraIndex(NULL);
    return Py_BuildValue("(ii)", extra_index >= 0, extra_index_nofree == extra_index + 1);
}

/* Asks for indexes until there are none: how many more there were, and that
 * a refusal sets no exception. */
static PyObject *
p_exhaust_indexes(PyObject *self, PyObject *unused)
{
    int more = 0;
    while (_PyEval_RequestCodeExtraIndex(NULL) >= 0) more++;
    int again = _PyEval_RequestCodeExtraIndex(NULL);
    return Py_BuildValue("(iii)", more + (int)extra_index_nofree + 1, again, PyErr_Occurred() != NULL);
}

static PyObject *
p_set_extra(PyObject *self, PyObject *args)
{
    PyObject *code;
    long value;
    int which;
    if (!PyArg_ParseTuple(args, "Oli", &code, &value, &which)) return NULL;
    Py_ssize_t index = which == 0 ? extra_index : which == 1 ? extra_index_nofree : which;
    if (_PyCode_SetExtra(code, index, (void *)(intptr_t)value) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *
p_get_extra(PyObject *self, PyObject *args)
{
    PyObject *code;
    int which;
    if (!PyArg_ParseTuple(args, "Oi", &code, &which)) return NULL;
    Py_ssize_t index = which == 0 ? extra_index : which == 1 ? extra_index_nofree : which;
    void *extra = (void *)1;
    if (_PyCode_GetExtra(code, index, &extra) < 0) return NULL;
    return PyLong_FromLong((long)(intptr_t)extra);
}

static PyObject *
p_freed(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(iO)", freed_count, freed_log ? freed_log : Py_None);
}

static PyObject *
p_constant_key(PyObject *self, PyObject *arg)
{
    return _PyCode_ConstantKey(arg);
}

/* --- pyerrors.h ---------------------------------------------------------- */

static PyObject *
p_check_signals(PyObject *self, PyObject *unused)
{
    if (_PyErr_CheckSignals() < 0) return NULL;
    Py_RETURN_NONE;
}

/* (type, value, tb) of the exception being handled, through the tstate. */
static PyObject *
p_exc_info(PyObject *self, PyObject *unused)
{
    PyObject *t, *v, *tb;
    _PyErr_GetExcInfo(PyThreadState_Get(), &t, &v, &tb);
    PyObject *result = Py_BuildValue("(OOO)", t ? t : Py_None, v ? v : Py_None, tb ? tb : Py_None);
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
    return result;
}

static PyObject *
p_get_handled(PyObject *self, PyObject *unused)
{
    PyObject *e = _PyErr_GetHandledException(PyThreadState_Get());
    if (e == NULL) {
        if (PyErr_Occurred()) return NULL;
        return PyUnicode_FromString("NULL");
    }
    return e;
}

/* Sets the handled exception, calls `fn`, restores the previous one;
 * returns fn's result. */
static PyObject *
p_with_handled(PyObject *self, PyObject *args)
{
    PyObject *exc, *fn;
    if (!PyArg_ParseTuple(args, "OO", &exc, &fn)) return NULL;
    PyThreadState *t = PyThreadState_Get();
    PyObject *old = _PyErr_GetHandledException(t);
    _PyErr_SetHandledException(t, exc == Py_None ? NULL : exc);
    PyObject *r = PyObject_CallNoArgs(fn);
    _PyErr_SetHandledException(t, old);
    Py_XDECREF(old);
    return r;
}

/* Raises `exc`, then tries to replace it: (borrowed result is the new
 * pending exception, the pending exception). */
static PyObject *
p_try_set_from_cause(PyObject *self, PyObject *exc)
{
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    PyObject *r = _PyErr_TrySetFromCause("while doing %s #%d", "work", 7);
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyErr_NormalizeException(&t, &v, &tb);
    int returned_pending = r != NULL && r == v;
    int returned_null = r == NULL;
    PyObject *result = Py_BuildValue("(iiO)", returned_pending, returned_null, v ? v : Py_None);
    Py_XDECREF(t);
    Py_XDECREF(v);
    Py_XDECREF(tb);
    return result;
}

static PyObject *
p_decoded_text(PyObject *self, PyObject *args)
{
    PyObject *filename;
    int lineno;
    const char *encoding;
    if (!PyArg_ParseTuple(args, "Oiz", &filename, &lineno, &encoding)) return NULL;
    PyObject *r = _PyErr_ProgramDecodedTextObject(filename, lineno, encoding);
    if (r == NULL) {
        if (PyErr_Occurred()) return NULL;
        return PyUnicode_FromString("NULL");
    }
    return r;
}

static PyObject *
p_translate_error(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Py_ssize_t start, end;
    const char *reason;
    if (!PyArg_ParseTuple(args, "Onns", &obj, &start, &end, &reason)) return NULL;
    return _PyUnicodeTranslateError_Create(obj, start, end, reason);
}

static PyObject *
p_fatal_format(PyObject *self, PyObject *args)
{
    int with_func;
    if (!PyArg_ParseTuple(args, "i", &with_func)) return NULL;
    _Py_FatalErrorFormat(with_func ? "my_func" : NULL, "bad %s number %d (%.1f)", "thing", 42, 2.5);
}

/* --- genobject.h, weakrefobject.h, traceback.h, fileobject.h ------------- */

static PyObject *
p_gen_finalize(PyObject *self, PyObject *gen)
{
    _PyGen_Finalize(gen);
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}

/* _PyGen_Finalize keeps a pending error. */
static PyObject *
p_gen_finalize_keeps_error(PyObject *self, PyObject *gen)
{
    PyErr_SetString(PyExc_KeyError, "kept");
    _PyGen_Finalize(gen);
    return NULL;
}

static PyObject *
p_weakref_count(PyObject *self, PyObject *ref)
{
    return PyLong_FromSsize_t(_PyWeakref_GetWeakrefCount(ref == Py_None ? NULL : (PyWeakReference *)ref));
}

static PyObject *
p_display_line(PyObject *self, PyObject *args)
{
    PyObject *file, *filename;
    int lineno, indent, want_out;
    if (!PyArg_ParseTuple(args, "OOiii", &file, &filename, &lineno, &indent, &want_out)) return NULL;
    int truncation = -99;
    PyObject *line = NULL;
    int r = _Py_DisplaySourceLine(file, filename, lineno, indent, want_out ? &truncation : NULL,
                                  want_out ? &line : NULL);
    if (r < 0 && PyErr_Occurred()) return NULL;
    PyObject *result = Py_BuildValue("(iiO)", r, truncation, line ? line : Py_None);
    Py_XDECREF(line);
    return result;
}

static PyObject *
p_fd_converter(PyObject *self, PyObject *arg)
{
    int fd = -77;
    if (!_PyLong_FileDescriptor_Converter(arg, &fd)) return NULL;
    return PyLong_FromLong(fd);
}

static PyObject *
p_fd_parse(PyObject *self, PyObject *args)
{
    int fd = -77;
    if (!PyArg_ParseTuple(args, "O&", _PyLong_FileDescriptor_Converter, &fd)) return NULL;
    return PyLong_FromLong(fd);
}

static PyMethodDef methods[] = {
    {"interp", p_interp, METH_NOARGS, NULL},
    {"main_module", p_main_module, METH_NOARGS, NULL},
    {"idref", p_idref, METH_NOARGS, NULL},
    {"tstate_dict", p_tstate_dict, METH_NOARGS, NULL},
    {"prealloc", p_prealloc, METH_NOARGS, NULL},
    {"current_frames", p_current_frames, METH_NOARGS, NULL},
    {"current_exceptions", p_current_exceptions, METH_NOARGS, NULL},
    {"get_builtin", p_get_builtin, METH_O, NULL},
    {"get_builtin_id", p_get_builtin_id, METH_NOARGS, NULL},
    {"get_switch", p_get_switch, METH_NOARGS, NULL},
    {"set_switch", p_set_switch, METH_O, NULL},
    {"set_trace", p_set_trace, METH_VARARGS, NULL},
    {"slice_index", p_slice_index, METH_O, NULL},
    {"request_indexes", p_request_indexes, METH_NOARGS, NULL},
    {"exhaust_indexes", p_exhaust_indexes, METH_NOARGS, NULL},
    {"set_extra", p_set_extra, METH_VARARGS, NULL},
    {"get_extra", p_get_extra, METH_VARARGS, NULL},
    {"freed", p_freed, METH_NOARGS, NULL},
    {"constant_key", p_constant_key, METH_O, NULL},
    {"check_signals", p_check_signals, METH_NOARGS, NULL},
    {"exc_info", p_exc_info, METH_NOARGS, NULL},
    {"get_handled", p_get_handled, METH_NOARGS, NULL},
    {"with_handled", p_with_handled, METH_VARARGS, NULL},
    {"try_set_from_cause", p_try_set_from_cause, METH_O, NULL},
    {"decoded_text", p_decoded_text, METH_VARARGS, NULL},
    {"translate_error", p_translate_error, METH_VARARGS, NULL},
    {"fatal_format", p_fatal_format, METH_VARARGS, NULL},
    {"gen_finalize", p_gen_finalize, METH_O, NULL},
    {"gen_finalize_keeps_error", p_gen_finalize_keeps_error, METH_O, NULL},
    {"weakref_count", p_weakref_count, METH_O, NULL},
    {"display_line", p_display_line, METH_VARARGS, NULL},
    {"fd_converter", p_fd_converter, METH_O, NULL},
    {"fd_parse", p_fd_parse, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "privstate_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_privstate_ext(void)
{
    return PyModule_Create(&moduledef);
}
