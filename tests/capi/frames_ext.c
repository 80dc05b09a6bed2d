/* Code objects, frames and tracebacks from C: the synthetic traceback entry
 * that Cython and other extensions add (PyCode_NewEmpty + PyFrame_New +
 * f_lineno + PyTraceBack_Here), the frame accessors, PyCode_New*. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>
#include <opcode.h>
/* Cython's way to reach f_lineno on 3.11. */
#define Py_BUILD_CORE 1
#include "internal/pycore_frame.h"
#undef Py_BUILD_CORE

/* --- code objects ------------------------------------------------------- */

static PyObject *
code_new_empty(PyObject *self, PyObject *args)
{
    const char *filename, *funcname;
    int lineno;
    if (!PyArg_ParseTuple(args, "ssi", &filename, &funcname, &lineno))
        return NULL;
    return (PyObject *)PyCode_NewEmpty(filename, funcname, lineno);
}

/* What C reads from the struct: (firstlineno, argcount, posonly, kwonly,
 * nlocals, nfreevars (the macro), filename, name, qualname). */
static PyObject *
code_fields(PyObject *self, PyObject *arg)
{
    if (!PyCode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "not code");
        return NULL;
    }
    PyCodeObject *co = (PyCodeObject *)arg;
    return Py_BuildValue("(iiiiiiOOO)", co->co_firstlineno, co->co_argcount, co->co_posonlyargcount,
                         co->co_kwonlyargcount, co->co_nlocals, PyCode_GetNumFree(co), co->co_filename,
                         co->co_name, co->co_qualname);
}

static PyObject *
code_new(PyObject *self, PyObject *args)
{
    int posonly_variant, argcount, posonly, kwonly, nlocals, stacksize, flags, firstlineno;
    PyObject *code, *consts, *names, *varnames, *freevars, *cellvars, *filename, *name, *qualname, *linetable,
        *exctable;
    if (!PyArg_ParseTuple(args, "iiiiiiiOOOOOOOOOiOO", &posonly_variant, &argcount, &posonly, &kwonly, &nlocals,
                          &stacksize, &flags, &code, &consts, &names, &varnames, &freevars, &cellvars, &filename,
                          &name, &qualname, &firstlineno, &linetable, &exctable))
        return NULL;
#define OPT(o) ((o) == Py_None ? NULL : (o))
    if (posonly_variant)
        return (PyObject *)PyCode_NewWithPosOnlyArgs(argcount, posonly, kwonly, nlocals, stacksize, flags,
                                                     OPT(code), OPT(consts), OPT(names), OPT(varnames),
                                                     OPT(freevars), OPT(cellvars), OPT(filename), OPT(name),
                                                     OPT(qualname), firstlineno, OPT(linetable), OPT(exctable));
    return (PyObject *)PyCode_New(argcount, kwonly, nlocals, stacksize, flags, OPT(code), OPT(consts), OPT(names),
                                  OPT(varnames), OPT(freevars), OPT(cellvars), OPT(filename), OPT(name),
                                  OPT(qualname), firstlineno, OPT(linetable), OPT(exctable));
#undef OPT
}

static PyObject *
addr2line(PyObject *self, PyObject *args)
{
    PyObject *code;
    int addr;
    if (!PyArg_ParseTuple(args, "O!i", &PyCode_Type, &code, &addr))
        return NULL;
    return PyLong_FromLong(PyCode_Addr2Line((PyCodeObject *)code, addr));
}

static PyObject *
addr2location(PyObject *self, PyObject *args)
{
    PyObject *code;
    int addr, l1 = -7, c1 = -7, l2 = -7, c2 = -7;
    if (!PyArg_ParseTuple(args, "O!i", &PyCode_Type, &code, &addr))
        return NULL;
    int r = PyCode_Addr2Location((PyCodeObject *)code, addr, &l1, &c1, &l2, &c2);
    return Py_BuildValue("(iiiii)", r, l1, c1, l2, c2);
}

static PyObject *
code_getters(PyObject *self, PyObject *code)
{
    if (!PyCode_Check(code)) {
        PyErr_SetString(PyExc_TypeError, "not code");
        return NULL;
    }
    PyCodeObject *co = (PyCodeObject *)code;
    PyObject *bytecode = PyCode_GetCode(co);
    PyObject *result = Py_BuildValue("(NNNN)", bytecode ? PyBool_FromLong(PyBytes_Check(bytecode)) : NULL,
                                     PyCode_GetVarnames(co), PyCode_GetCellvars(co), PyCode_GetFreevars(co));
    Py_XDECREF(bytecode);
    return result;
}

static PyObject *
code_optimize(PyObject *self, PyObject *code)
{
    return PyCode_Optimize(code, Py_None, Py_None, Py_None);
}

/* --- the synthetic traceback entry ----------------------------------------- */

/* Raises `exc` with a traceback entry "File filename, line lineno, in
 * funcname" the way Cython's __Pyx_AddTraceback makes it; set_lineno < 0
 * leaves f_lineno alone (the code's first line counts). */
static int
add_traceback(const char *funcname, const char *filename, int firstlineno, int set_lineno, PyObject *globals)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyCodeObject *code = PyCode_NewEmpty(filename, funcname, firstlineno);
    PyErr_Restore(type, value, tb);
    if (code == NULL)
        return -1;
    PyFrameObject *frame = PyFrame_New(PyThreadState_Get(), code, globals, NULL);
    Py_DECREF(code);
    if (frame == NULL)
        return -1;
    if (set_lineno >= 0)
        frame->f_lineno = set_lineno;
    int r = PyTraceBack_Here(frame);
    Py_DECREF(frame);
    return r;
}

/* raise_with_entries(exc_type, message, [(funcname, filename, firstlineno,
 * set_lineno), ...]): entries are added innermost first. */
static PyObject *
raise_with_entries(PyObject *self, PyObject *args)
{
    PyObject *type, *entries;
    const char *message;
    if (!PyArg_ParseTuple(args, "OsO!", &type, &message, &PyList_Type, &entries))
        return NULL;
    PyObject *globals = PyEval_GetGlobals();
    PyErr_SetString(type, message);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(entries); i++) {
        const char *funcname, *filename;
        int first, set_lineno;
        PyObject *type2, *value2, *tb2;
        PyErr_Fetch(&type2, &value2, &tb2);
        int ok = PyArg_ParseTuple(PyList_GET_ITEM(entries, i), "ssii", &funcname, &filename, &first, &set_lineno);
        PyErr_Restore(type2, value2, tb2);
        if (!ok)
            return NULL;
        if (add_traceback(funcname, filename, first, set_lineno, globals) < 0)
            return NULL;
    }
    return NULL;
}

static PyObject *
traceback_add(PyObject *self, PyObject *args)
{
    const char *funcname, *filename;
    int lineno;
    if (!PyArg_ParseTuple(args, "ssi", &funcname, &filename, &lineno))
        return NULL;
    PyErr_SetString(PyExc_RuntimeError, "from _PyTraceback_Add");
    _PyTraceback_Add(funcname, filename, lineno);
    return NULL;
}

/* PyTraceBack_Here with no error pending: nothing happens. */
static PyObject *
here_without_error(PyObject *self, PyObject *frame)
{
    if (!PyFrame_Check(frame)) {
        PyErr_SetString(PyExc_TypeError, "not a frame");
        return NULL;
    }
    int r = PyTraceBack_Here((PyFrameObject *)frame);
    return Py_BuildValue("(iO)", r, PyErr_Occurred() ? Py_True : Py_False);
}

/* Adds an entry for a Python frame (the caller's) to a pending error. */
static PyObject *
raise_here(PyObject *self, PyObject *frame)
{
    if (!PyFrame_Check(frame)) {
        PyErr_SetString(PyExc_TypeError, "not a frame");
        return NULL;
    }
    PyErr_SetString(PyExc_KeyError, "here");
    if (PyTraceBack_Here((PyFrameObject *)frame) < 0)
        return NULL;
    return NULL;
}

static PyObject *
traceback_print(PyObject *self, PyObject *args)
{
    PyObject *tb, *file;
    if (!PyArg_ParseTuple(args, "OO", &tb, &file))
        return NULL;
    if (PyTraceBack_Print(tb == Py_None ? NULL : tb, file) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* --- frames ------------------------------------------------------------------ */

static PyObject *
or_none(PyObject *o)
{
    return o != NULL ? o : Py_NewRef(Py_None);
}

/* (line, lasti, code, back, locals, globals, builtins, generator). */
static PyObject *
frame_info(PyObject *self, PyObject *arg)
{
    if (!PyFrame_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "not a frame");
        return NULL;
    }
    PyFrameObject *f = (PyFrameObject *)arg;
    int line = PyFrame_GetLineNumber(f);
    int lasti = PyFrame_GetLasti(f);
    PyObject *code = (PyObject *)PyFrame_GetCode(f);
    PyObject *back = (PyObject *)PyFrame_GetBack(f);
    PyObject *locals = PyFrame_GetLocals(f);
    PyObject *globals = PyFrame_GetGlobals(f);
    PyObject *builtins = PyFrame_GetBuiltins(f);
    PyObject *gen = PyFrame_GetGenerator(f);
    if (code == NULL || locals == NULL || globals == NULL || builtins == NULL || PyErr_Occurred()) {
        Py_XDECREF(code);
        Py_XDECREF(back);
        Py_XDECREF(locals);
        Py_XDECREF(globals);
        Py_XDECREF(builtins);
        Py_XDECREF(gen);
        return NULL;
    }
    return Py_BuildValue("(iiNNNNNN)", line, lasti, code, or_none(back), locals, globals, builtins, or_none(gen));
}

/* Whether the frame of the Python code calling this began an evaluator
 * call of its own (the module's frame, run by PyEval_EvalCode, does). */
static PyObject *
caller_is_entry_frame(PyObject *self, PyObject *unused)
{
    PyFrameObject *f = PyEval_GetFrame();
    if (f == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "no frame");
        return NULL;
    }
    return PyBool_FromLong(_PyFrame_IsEntryFrame(f));
}

/* (frame, its line) for a frame made by PyFrame_New (locals: None for
 * NULL), with f_lineno set unless set_lineno < 0. */
static PyObject *
frame_new(PyObject *self, PyObject *args)
{
    PyObject *code, *globals, *locals;
    int set_lineno;
    if (!PyArg_ParseTuple(args, "OOOi", &code, &globals, &locals, &set_lineno))
        return NULL;
    PyFrameObject *f = PyFrame_New(PyThreadState_Get(), (PyCodeObject *)code, globals,
                                   locals == Py_None ? NULL : locals);
    if (f == NULL)
        return NULL;
    if (set_lineno >= 0)
        f->f_lineno = set_lineno;
    /* The line while C still holds the frame (see docs/differences.md). */
    return Py_BuildValue("(Ni)", (PyObject *)f, PyFrame_GetLineNumber(f));
}

static PyObject *
fast_to_locals(PyObject *self, PyObject *arg)
{
    if (!PyFrame_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "not a frame");
        return NULL;
    }
    int r = PyFrame_FastToLocalsWithError((PyFrameObject *)arg);
    PyFrame_FastToLocals((PyFrameObject *)arg);
    return PyLong_FromLong(r);
}

/* A profiler's walk: from a frame outwards with PyFrame_GetBack, reading
 * each code object's name and first line from its struct. */
static PyObject *
walk(PyObject *self, PyObject *arg)
{
    if (!PyFrame_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "not a frame");
        return NULL;
    }
    PyObject *names = PyList_New(0);
    if (names == NULL)
        return NULL;
    PyFrameObject *frame = (PyFrameObject *)Py_NewRef(arg);
    for (int depth = 0; frame != NULL && depth < 4; depth++) {
        PyCodeObject *code = PyFrame_GetCode(frame);
        PyObject *item = Py_BuildValue("(Oii)", code->co_name, PyFrame_GetLineNumber(frame) - code->co_firstlineno,
                                       PyCode_GetNumFree(code));
        Py_DECREF(code);
        if (item == NULL || PyList_Append(names, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(frame);
            Py_DECREF(names);
            return NULL;
        }
        Py_DECREF(item);
        PyFrameObject *back = PyFrame_GetBack(frame);
        Py_DECREF(frame);
        frame = back;
    }
    Py_XDECREF(frame);
    return names;
}

/* C walking a traceback through the struct: [(code name, tb_lineno,
 * tb_lasti >= 0)] along tb_next; then what Cython's coroutines do to the
 * last frame (Py_CLEAR of its f_back). */
static PyObject *
tb_fields(PyObject *self, PyObject *arg)
{
    if (!PyTraceBack_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "not a traceback");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    PyTracebackObject *tb = (PyTracebackObject *)arg;
    PyFrameObject *last = NULL;
    for (; tb != NULL; tb = tb->tb_next) {
        PyCodeObject *code = PyFrame_GetCode(tb->tb_frame);
        PyObject *item = Py_BuildValue("(OiO)", code->co_name, tb->tb_lineno, tb->tb_lasti >= 0 ? Py_True : Py_False);
        Py_DECREF(code);
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(item);
        last = tb->tb_frame;
    }
    if (last != NULL)
        Py_CLEAR(last->f_back);
    return out;
}

/* What tracers do with the bytecode: each YIELD_VALUE is followed by a
 * RESUME, by the numbers of <opcode.h>. */
static PyObject *
yields_resume(PyObject *self, PyObject *code)
{
    if (!PyCode_Check(code))
        return PyErr_Format(PyExc_TypeError, "not code");
    PyObject *bytecode = PyCode_GetCode((PyCodeObject *)code);
    if (bytecode == NULL)
        return NULL;
    const unsigned char *b = (const unsigned char *)PyBytes_AS_STRING(bytecode);
    Py_ssize_t n = PyBytes_GET_SIZE(bytecode), yields = 0, resumed = 0;
    for (Py_ssize_t i = 0; i + 2 < n; i += 2) {
        if (b[i] == YIELD_VALUE) {
            yields++;
            resumed += b[i + 2] == RESUME;
        }
    }
    Py_DECREF(bytecode);
    return Py_BuildValue("(nn)", yields, resumed);
}

/* --- a frame's pointer while the frame lives -------------------------------- */

/* Profilers key their per-frame data on the PyFrameObject * they are handed
 * (yappi keys a coroutine's wall time so): the pointer at a call is the one
 * at its return, at its lines under a trace function, and at each resume
 * and yield of a generator while the generator lives. */
#define KEYED_MAX 64
static PyFrameObject *keyed_stack[KEYED_MAX];
static int keyed_depth, keyed_returns, keyed_returns_same, keyed_lines, keyed_lines_same;
static PyObject *keyed_code;        /* the code whose frame is followed */
static PyFrameObject *keyed_frame;  /* its frame at its first call */
static int keyed_events, keyed_same;

static int
keyed_profile(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    if (what == PyTrace_CALL) {
        if (keyed_depth < KEYED_MAX)
            keyed_stack[keyed_depth] = frame;
        keyed_depth++;
    }
    else if (what == PyTrace_RETURN) {
        if (keyed_depth == 0)
            return 0; /* the frame that turned profiling on */
        keyed_depth--;
        if (keyed_depth < KEYED_MAX) {
            keyed_returns++;
            keyed_returns_same += keyed_stack[keyed_depth] == frame;
        }
    }
    else if (what == PyTrace_LINE) {
        if (keyed_depth > 0 && keyed_depth <= KEYED_MAX) {
            keyed_lines++;
            keyed_lines_same += keyed_stack[keyed_depth - 1] == frame;
        }
    }
    else {
        return 0;
    }
    if (keyed_code != NULL && (what == PyTrace_CALL || what == PyTrace_RETURN)) {
        PyCodeObject *code = PyFrame_GetCode(frame);
        if ((PyObject *)code == keyed_code) {
            if (keyed_frame == NULL)
                keyed_frame = frame;
            keyed_events++;
            keyed_same += keyed_frame == frame;
        }
        Py_DECREF(code);
    }
    return 0;
}

/* keyed_start(trace, code): a profile function (trace false) or a trace
 * function (trace true) that follows frames, and the code whose frame to
 * follow across its calls (or None). */
static PyObject *
keyed_start(PyObject *self, PyObject *args)
{
    int trace;
    PyObject *code;
    if (!PyArg_ParseTuple(args, "pO", &trace, &code))
        return NULL;
    keyed_depth = keyed_returns = keyed_returns_same = keyed_lines = keyed_lines_same = 0;
    keyed_events = keyed_same = 0;
    keyed_frame = NULL;
    Py_XSETREF(keyed_code, code == Py_None ? NULL : Py_NewRef(code));
    if (trace)
        PyEval_SetTrace(keyed_profile, NULL);
    else
        PyEval_SetProfile(keyed_profile, NULL);
    Py_RETURN_NONE;
}

/* keyed_stop() -> (returns, returns at the call's pointer, lines, lines at
 * their call's pointer, events of the followed code, events at its first
 * pointer, whether the followed frame's pointer is `frame`'s). */
static PyObject *
keyed_stop(PyObject *self, PyObject *frame)
{
    PyEval_SetProfile(NULL, NULL);
    PyEval_SetTrace(NULL, NULL);
    Py_CLEAR(keyed_code);
    return Py_BuildValue("(iiiiiiO)", keyed_returns, keyed_returns_same, keyed_lines, keyed_lines_same,
                         keyed_events, keyed_same,
                         (frame == Py_None ? keyed_frame == NULL : (PyObject *)keyed_frame == frame) ? Py_True
                                                                                                       : Py_False);
}

/* The address of the calling Python frame, as an int (C keeps it). */
static PyObject *
caller_frame_address(PyObject *self, PyObject *unused)
{
    return PyLong_FromVoidPtr(PyEval_GetFrame());
}

/* The address of an object, as an int. */
static PyObject *
address_of(PyObject *self, PyObject *obj)
{
    return PyLong_FromVoidPtr(obj);
}

/* --- a signal handler in C while C has an error pending ---------------------- */

/* What record_signal saw: whether an error was pending as it ran. */
static PyObject *signal_log = NULL;

static PyObject *
record_signal(PyObject *self, PyObject *args)
{
    if (signal_log == NULL && (signal_log = PyList_New(0)) == NULL)
        return NULL;
    if (PyList_Append(signal_log, PyErr_Occurred() ? Py_True : Py_False) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
signal_log_get(PyObject *self, PyObject *unused)
{
    return signal_log ? PyList_GetSlice(signal_log, 0, PY_SSIZE_T_MAX) : PyList_New(0);
}

/* cysignals' order: the signal arrives and C raises, then Cython adds its
 * traceback entry (PyFrame_New) with the error pending. The handler runs
 * once the interpreter next checks, never with C's error in sight. */
static PyObject *
raise_with_signal_pending(PyObject *self, PyObject *args)
{
    int signum;
    const char *message;
    if (!PyArg_ParseTuple(args, "is", &signum, &message))
        return NULL;
    PyErr_SetString(PyExc_ValueError, message);
    PyErr_SetInterruptEx(signum);
    add_traceback("raise_with_signal_pending", "signals.pyx", 7, 9, PyEval_GetGlobals());
    return NULL;
}

static PyMethodDef methods[] = {
    {"record_signal", record_signal, METH_VARARGS, NULL},
    {"signal_log", signal_log_get, METH_NOARGS, NULL},
    {"raise_with_signal_pending", raise_with_signal_pending, METH_VARARGS, NULL},
    {"yields_resume", yields_resume, METH_O, NULL},
    {"tb_fields", tb_fields, METH_O, NULL},
    {"walk", walk, METH_O, NULL},
    {"code_new_empty", code_new_empty, METH_VARARGS, NULL},
    {"code_fields", code_fields, METH_O, NULL},
    {"code_new", code_new, METH_VARARGS, NULL},
    {"addr2line", addr2line, METH_VARARGS, NULL},
    {"addr2location", addr2location, METH_VARARGS, NULL},
    {"code_getters", code_getters, METH_O, NULL},
    {"code_optimize", code_optimize, METH_O, NULL},
    {"raise_with_entries", raise_with_entries, METH_VARARGS, NULL},
    {"traceback_add", traceback_add, METH_VARARGS, NULL},
    {"here_without_error", here_without_error, METH_O, NULL},
    {"raise_here", raise_here, METH_O, NULL},
    {"traceback_print", traceback_print, METH_VARARGS, NULL},
    {"frame_info", frame_info, METH_O, NULL},
    {"caller_is_entry_frame", caller_is_entry_frame, METH_NOARGS, NULL},
    {"frame_new", frame_new, METH_VARARGS, NULL},
    {"fast_to_locals", fast_to_locals, METH_O, NULL},
    {"keyed_start", keyed_start, METH_VARARGS, NULL},
    {"keyed_stop", keyed_stop, METH_O, NULL},
    {"caller_frame_address", caller_frame_address, METH_NOARGS, NULL},
    {"address_of", address_of, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "frames_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_frames_ext(void)
{
    return PyModule_Create(&moduledef);
}
