/* PyObject_CallFunction, PyObject_CallMethod (and their _SizeT forms),
 * PyObject_CallFunctionObjArgs, PyObject_CallMethodObjArgs,
 * PyObject_VectorcallDict and PyObject_VectorcallMethod: each case is one
 * literal call, the way extensions write them. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
call_function(PyObject *self, PyObject *args)
{
    /* call_function(case, callable) */
    long which = PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
    PyObject *f = PyTuple_GET_ITEM(args, 1);
    PyObject *t = PyTuple_Pack(2, Py_True, Py_None);
    PyObject *r = NULL;
    switch (which) {
    case 0: r = PyObject_CallFunction(f, NULL); break;
    case 1: r = PyObject_CallFunction(f, ""); break;
    case 2: r = PyObject_CallFunction(f, "i", 1); break;
    case 3: r = PyObject_CallFunction(f, "ii", 1, 2); break;
    case 4: r = PyObject_CallFunction(f, "(ii)", 1, 2); break;
    case 5: r = PyObject_CallFunction(f, "O", t); break;
    case 6: r = PyObject_CallFunction(f, "(O)", t); break;
    case 7: r = PyObject_CallFunction(f, "OO", t, t); break;
    case 8: r = PyObject_CallFunction(f, "[i]", 1); break;
    case 9: r = PyObject_CallFunction(f, "s#", "abc", (Py_ssize_t)2); break;
    case 10: r = PyObject_CallFunction(f, "q"); break;
    case 11: r = PyObject_CallFunction(f, "iO", 1, (PyObject *)NULL); break;
    case 12: r = PyObject_CallFunction(f, "{s:i}", "k", 1); break;
    case 13: r = PyObject_CallFunction(f, " "); break;
    case 14: r = PyObject_CallFunction(f, "()"); break;
    case 15: r = PyObject_CallFunction(f, "N", PyLong_FromLong(5)); break;
    case 16: r = PyObject_CallFunction(f, "(i", 1); break;
    case 17: r = PyObject_CallFunction(NULL, "i", 1); break;
    case 18: r = PyObject_CallFunction(f, "si", "x", 2); break;
    case 19: r = PyObject_CallFunction(f, "(s)(i)", "x", 2); break;
    case 20: r = PyObject_CallFunction(f, "i ", 1); break;
    case 21: r = PyObject_CallFunction(f, " i", 1); break;
    case 22: r = PyObject_CallFunction(f, "i, i", 1, 2); break;
    case 23: r = PyObject_CallFunction(f, "i)", 1); break;
    case 24: r = PyObject_CallFunction(f, "ii)", 1, 2); break;
    case 25: r = PyObject_CallFunction(f, ")", 1, 2); break;
    default: PyErr_SetString(PyExc_ValueError, "no such case");
    }
    Py_DECREF(t);
    return r;
}

static PyObject *
call_method(PyObject *self, PyObject *args)
{
    /* call_method(case, object, name) */
    long which = PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
    PyObject *o = PyTuple_GET_ITEM(args, 1);
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 2));
    PyObject *t = PyTuple_Pack(1, Py_False);
    PyObject *r = NULL;
    switch (which) {
    case 0: r = PyObject_CallMethod(o, name, NULL); break;
    case 1: r = PyObject_CallMethod(o, name, ""); break;
    case 2: r = PyObject_CallMethod(o, name, "i", 1); break;
    case 3: r = PyObject_CallMethod(o, name, "si", "a", 2); break;
    case 4: r = PyObject_CallMethod(o, name, "(ii)", 1, 2); break;
    case 5: r = PyObject_CallMethod(o, name, "O", t); break;
    case 6: r = PyObject_CallMethod(o, name, "y#", "xyz", (Py_ssize_t)2); break;
    case 7: r = PyObject_CallMethod(o, name, "q"); break;
    case 8: r = PyObject_CallMethod(o, NULL, "i", 1); break;
    case 9: r = PyObject_CallMethod(NULL, name, "i", 1); break;
    default: PyErr_SetString(PyExc_ValueError, "no such case");
    }
    Py_DECREF(t);
    return r;
}

static PyObject *
obj_args(PyObject *self, PyObject *args)
{
    /* obj_args(case, callable, a, b) */
    long which = PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
    PyObject *f = PyTuple_GET_ITEM(args, 1);
    PyObject *a = PyTuple_GET_ITEM(args, 2), *b = PyTuple_GET_ITEM(args, 3);
    switch (which) {
    case 0: return PyObject_CallFunctionObjArgs(f, NULL);
    case 1: return PyObject_CallFunctionObjArgs(f, a, NULL);
    case 2: return PyObject_CallFunctionObjArgs(f, a, b, NULL);
    case 3: return PyObject_CallFunctionObjArgs(f, a, b, a, b, a, b, a, b, a, b, a, b, NULL);
    case 4: return PyObject_CallFunctionObjArgs(NULL, a, NULL);
    case 5: return PyObject_CallMethodObjArgs(f, a, NULL);
    case 6: return PyObject_CallMethodObjArgs(f, a, b, NULL);
    case 7: return PyObject_CallMethodObjArgs(f, a, b, b, b, b, b, b, b, b, b, NULL);
    case 8: return PyObject_CallMethodObjArgs(NULL, a, NULL);
    case 9: return PyObject_CallMethodObjArgs(f, NULL, NULL);
    }
    PyErr_SetString(PyExc_ValueError, "no such case");
    return NULL;
}

static PyObject *
vectorcall_dict(PyObject *self, PyObject *args)
{
    /* vectorcall_dict(callable, positional tuple, dict or None, offset flag) */
    PyObject *f = PyTuple_GET_ITEM(args, 0), *pos = PyTuple_GET_ITEM(args, 1);
    PyObject *kw = PyTuple_GET_ITEM(args, 2);
    int offset = PyObject_IsTrue(PyTuple_GET_ITEM(args, 3));
    PyObject *stack[9];
    Py_ssize_t n = PyTuple_GET_SIZE(pos);
    if (n > 8) {
        PyErr_SetString(PyExc_ValueError, "too many");
        return NULL;
    }
    stack[0] = NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        stack[1 + i] = PyTuple_GET_ITEM(pos, i);
    size_t nargsf = (size_t)n | (offset ? PY_VECTORCALL_ARGUMENTS_OFFSET : 0);
    return PyObject_VectorcallDict(f, stack + 1, nargsf, kw == Py_None ? NULL : kw);
}

static PyObject *
vectorcall_method(PyObject *self, PyObject *args)
{
    /* vectorcall_method(name, positional tuple (self first), kwnames or None, kw values) */
    PyObject *name = PyTuple_GET_ITEM(args, 0), *pos = PyTuple_GET_ITEM(args, 1);
    PyObject *kwnames = PyTuple_GET_ITEM(args, 2), *kwvalues = PyTuple_GET_ITEM(args, 3);
    PyObject *stack[16];
    Py_ssize_t n = PyTuple_GET_SIZE(pos), nk = PyTuple_GET_SIZE(kwvalues);
    if (n + nk > 15) {
        PyErr_SetString(PyExc_ValueError, "too many");
        return NULL;
    }
    stack[0] = NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        stack[1 + i] = PyTuple_GET_ITEM(pos, i);
    for (Py_ssize_t i = 0; i < nk; i++)
        stack[1 + n + i] = PyTuple_GET_ITEM(kwvalues, i);
    return PyObject_VectorcallMethod(name, stack + 1, (size_t)n | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                     kwnames == Py_None ? NULL : kwnames);
}

static PyObject *compat(long which, PyObject *f);

static PyObject *
call_compat(PyObject *self, PyObject *args)
{
    return compat(PyLong_AsLong(PyTuple_GET_ITEM(args, 0)), PyTuple_GET_ITEM(args, 1));
}

static PyMethodDef methods[] = {
    {"call_function", call_function, METH_VARARGS, NULL},
    {"call_method", call_method, METH_VARARGS, NULL},
    {"obj_args", obj_args, METH_VARARGS, NULL},
    {"vectorcall_dict", vectorcall_dict, METH_VARARGS, NULL},
    {"vectorcall_method", vectorcall_method, METH_VARARGS, NULL},
    {"call_compat", call_compat, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "callfunc_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_callfunc_ext(void)
{
    return PyModule_Create(&moduledef);
}

/* Without PY_SSIZE_T_CLEAN: the plain symbols, which refuse '#'. */
#undef PyObject_CallFunction
#undef PyObject_CallMethod
PyAPI_FUNC(PyObject *) PyObject_CallFunction(PyObject *callable, const char *format, ...);
PyAPI_FUNC(PyObject *) PyObject_CallMethod(PyObject *obj, const char *name, const char *format, ...);

static PyObject *
compat(long which, PyObject *f)
{
    switch (which) {
    case 0: return PyObject_CallFunction(f, "is", 1, "a");
    case 1: return PyObject_CallFunction(f, "s#", "abc", 2);
    case 2: return PyObject_CallMethod(f, "__call__", "i", 3);
    case 3: return PyObject_CallMethod(f, "__call__", "y#", "abc", 2);
    }
    PyErr_SetString(PyExc_ValueError, "no such case");
    return NULL;
}
