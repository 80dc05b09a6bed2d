/* Names that are macros or inline functions in source but exported
 * functions in the stable ABI: calling them with the name in parentheses
 * skips the macro and reaches the exported function. */
#include <Python.h>

static PyObject *
new_refs(PyObject *self, PyObject *o)
{
    Py_ssize_t before = Py_REFCNT(o);
    PyObject *a = (Py_NewRef)(o);
    PyObject *b = (Py_XNewRef)(o);
    PyObject *n = (Py_XNewRef)(NULL);
    Py_ssize_t added = Py_REFCNT(o) - before;
    Py_DECREF(a);
    Py_DECREF(b);
    return Py_BuildValue("(iini)", a == o, b == o, added, n == NULL);
}

static PyObject *
sequences(PyObject *self, PyObject *args)
{
    PyObject *seq, *item;
    if (!PyArg_ParseTuple(args, "OO", &seq, &item))
        return NULL;
    Py_ssize_t n = (PySequence_Length)(seq);
    if (n < 0)
        return NULL;
    int in = (PySequence_In)(seq, item);
    if (in < 0)
        return NULL;
    return Py_BuildValue("(ni)", n, in);
}

static PyObject *
indices(PyObject *self, PyObject *args)
{
    PyObject *slice;
    Py_ssize_t length, start, stop, step, slicelength;
    if (!PyArg_ParseTuple(args, "On", &slice, &length))
        return NULL;
    if ((PySlice_GetIndicesEx)(slice, length, &start, &stop, &step, &slicelength) < 0)
        return NULL;
    return Py_BuildValue("(nnnn)", start, stop, step, slicelength);
}

static PyObject *
nargs(PyObject *self, PyObject *arg)
{
    size_t n = (size_t)PyLong_AsSize_t(arg);
    Py_ssize_t plain = (PyVectorcall_NARGS)(n);
    Py_ssize_t offset = (PyVectorcall_NARGS)(n | PY_VECTORCALL_ARGUMENTS_OFFSET);
    return Py_BuildValue("(nn)", plain, offset);
}

static PyObject *
next_not_implemented(PyObject *self, PyObject *o)
{
    return _PyObject_NextNotImplemented(o);
}

static PyObject *
lookup_attr(PyObject *self, PyObject *args)
{
    PyObject *obj, *name, *result = (PyObject *)1;
    if (!PyArg_ParseTuple(args, "OO", &obj, &name))
        return NULL;
    int found = _PyObject_LookupAttr(obj, name, &result);
    if (found < 0)
        return result == NULL ? NULL : PyUnicode_FromString("result not cleared on error");
    PyObject *r = Py_BuildValue("(iO)", found, result == NULL ? Py_None : result);
    Py_XDECREF(result);
    return r;
}

static PyMethodDef methods[] = {
    {"lookup_attr", lookup_attr, METH_VARARGS, NULL},
    {"next_not_implemented", next_not_implemented, METH_O, NULL},
    {"new_refs", new_refs, METH_O, NULL},
    {"sequences", sequences, METH_VARARGS, NULL},
    {"indices", indices, METH_VARARGS, NULL},
    {"nargs", nargs, METH_O, NULL},
    {NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "exported_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_exported_ext(void)
{
    return PyModule_Create(&module);
}
