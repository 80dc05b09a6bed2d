/* Error messages of C-API functions name an object's type by its tp_name:
 * "module.Name" for a C type or a builtin type outside builtins. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* A static type with a dotted tp_name and no protocols at all. */
static PyTypeObject Thing_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tpnamecapi_ext.Thing",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};

static PyObject *
run(PyObject *self, PyObject *args)
{
    const char *what;
    PyObject *o, *r = NULL;
    if (!PyArg_ParseTuple(args, "sO", &what, &o))
        return NULL;
    if (strcmp(what, "setattr") == 0) {
        if (PyObject_SetAttr(Py_None, o, Py_None) < 0)
            return NULL;
        Py_RETURN_NONE;
    }
    if (strcmp(what, "contains") == 0) {
        int c = PySequence_Contains(o, Py_None);
        return c < 0 ? NULL : PyBool_FromLong(c);
    }
    if (strcmp(what, "bytes_asstring") == 0) {
        char *s = PyBytes_AsString(o);
        return s == NULL ? NULL : PyBytes_FromString(s);
    }
    if (strcmp(what, "memoryview") == 0)
        return PyMemoryView_FromObject(o);
    if (strcmp(what, "aiter") == 0)
        return PyObject_GetAIter(o);
    if (strcmp(what, "unicode_fromobject") == 0)
        return PyUnicode_FromObject(o);
    if (strcmp(what, "concat_left") == 0)
        return PyUnicode_Concat(o, o);
    if (strcmp(what, "concat_right") == 0) {
        PyObject *s = PyUnicode_FromString("x");
        r = PyUnicode_Concat(s, o);
        Py_DECREF(s);
        return r;
    }
    if (strcmp(what, "split_sep") == 0) {
        PyObject *s = PyUnicode_FromString("a b");
        r = PyUnicode_Split(s, o, -1);
        Py_DECREF(s);
        return r;
    }
    if (strcmp(what, "unicode_contains") == 0) {
        PyObject *s = PyUnicode_FromString("abc");
        int c = PyUnicode_Contains(s, o);
        Py_DECREF(s);
        return c < 0 ? NULL : PyBool_FromLong(c);
    }
    if (strcmp(what, "format_spec") == 0) {
        PyObject *s = PyUnicode_FromString("abc");
        r = PyObject_Format(s, o);
        Py_DECREF(s);
        return r;
    }
    if (strcmp(what, "hash") == 0) {
        Py_hash_t h = PyObject_Hash(o);
        return h == -1 ? NULL : PyLong_FromSsize_t(h);
    }
    if (strcmp(what, "iter") == 0)
        return PyObject_GetIter(o);
    if (strcmp(what, "call") == 0)
        return PyObject_CallNoArgs(o);
    if (strcmp(what, "import") == 0)
        return PyImport_Import(o);
    PyErr_SetString(PyExc_ValueError, what);
    return NULL;
}

static PyMethodDef methods[] = {
    {"run", run, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "tpnamecapi_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_tpnamecapi_ext(void)
{
    if (PyType_Ready(&Thing_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&Thing_Type);
    if (PyModule_AddObject(m, "Thing", (PyObject *)&Thing_Type) < 0)
        return NULL;
    return m;
}
