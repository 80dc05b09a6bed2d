/* A writable memoryview over a new bytes object's own memory
 * (PyMemoryView_FromMemory of PyBytes_AsString), filled after the pair is
 * returned: moderngl's Framebuffer.read hands out the bytes and fills them
 * through the view, so the bytes Python holds must show what was written. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* writable_bytes(n): (bytes of n bytes, writable view of their memory) */
static PyObject *
writable_bytes(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n < 0 && PyErr_Occurred())
        return NULL;
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, n);
    if (bytes == NULL)
        return NULL;
    memset(PyBytes_AS_STRING(bytes), 0, n);
    PyObject *mem = PyMemoryView_FromMemory(PyBytes_AsString(bytes), PyBytes_Size(bytes), PyBUF_WRITE);
    if (mem == NULL) {
        Py_DECREF(bytes);
        return NULL;
    }
    return Py_BuildValue("(NN)", bytes, mem);
}

/* fill(view, byte): writes byte into every byte of a writable buffer, as a
 * C reader (glReadPixels) does. */
static PyObject *
fill(PyObject *self, PyObject *args)
{
    PyObject *view;
    int byte;
    if (!PyArg_ParseTuple(args, "Oi", &view, &byte))
        return NULL;
    Py_buffer b;
    if (PyObject_GetBuffer(view, &b, PyBUF_WRITABLE) < 0)
        return NULL;
    memset(b.buf, byte, b.len);
    PyBuffer_Release(&b);
    Py_RETURN_NONE;
}

/* same_call(n, byte): the bytes filled through their view in the call
 * that made them. */
static PyObject *
same_call(PyObject *self, PyObject *args)
{
    Py_ssize_t n;
    int byte;
    if (!PyArg_ParseTuple(args, "ni", &n, &byte))
        return NULL;
    PyObject *bytes = PyBytes_FromStringAndSize(NULL, n);
    if (bytes == NULL)
        return NULL;
    PyObject *mem = PyMemoryView_FromMemory(PyBytes_AsString(bytes), n, PyBUF_WRITE);
    if (mem == NULL) {
        Py_DECREF(bytes);
        return NULL;
    }
    Py_buffer b;
    if (PyObject_GetBuffer(mem, &b, PyBUF_WRITABLE) < 0) {
        Py_DECREF(mem);
        Py_DECREF(bytes);
        return NULL;
    }
    memset(b.buf, byte, b.len);
    PyBuffer_Release(&b);
    Py_DECREF(mem);
    return bytes;
}

static PyMethodDef methods[] = {
    {"writable_bytes", writable_bytes, METH_O, NULL},
    {"fill", fill, METH_VARARGS, NULL},
    {"same_call", same_call, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "bytesview_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_bytesview_ext(void)
{
    return PyModule_Create(&moddef);
}
