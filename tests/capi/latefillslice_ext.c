/* C fills a new bytes object through a buffer after Python has seen it,
 * and slices it before its call returns (imagecodecs' encoders: a Cython
 * memoryview of the output, then out[:used]). */
#include <Python.h>

static PyObject *fill_then_slice(PyObject *m, PyObject *how)
{
    long mode = PyLong_AsLong(how);
    if (mode == -1 && PyErr_Occurred())
        return NULL;
    PyObject *out = PyBytes_FromStringAndSize(NULL, 6);
    if (out == NULL)
        return NULL;
    if (mode == 1) { /* Python sees it first: a memoryview of it */
        PyObject *view = PyMemoryView_FromObject(out);
        if (view == NULL)
            goto fail;
        Py_DECREF(view);
    } else if (mode == 2) { /* or its repr */
        PyObject *r = PyObject_Repr(out);
        if (r == NULL)
            goto fail;
        Py_DECREF(r);
    }
    Py_buffer buf;
    if (PyObject_GetBuffer(out, &buf, PyBUF_SIMPLE) < 0)
        goto fail;
    memcpy(buf.buf, "abc", 3);
    PyObject *first = PySequence_GetSlice(out, 0, 3);
    memcpy((char *)buf.buf + 3, "def", 3);
    PyObject *second = PySequence_GetSlice(out, 2, 5);
    PyBuffer_Release(&buf);
    if (first == NULL || second == NULL) {
        Py_XDECREF(first);
        Py_XDECREF(second);
        goto fail;
    }
    return Py_BuildValue("(NNN)", out, first, second);
fail:
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"fill_then_slice", fill_then_slice, METH_O},
    {NULL}
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "latefillslice_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_latefillslice_ext(void) { return PyModule_Create(&mod); }
