/* A str proxy parked at count zero, then held by C alone, whose host the
 * layer drops in PyUnicode_AsUTF8 (make_modifiable) while it is still on the
 * parked list. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *kept = NULL;

static PyObject *make(PyObject *self, PyObject *arg) {
    return PyUnicode_FromFormat("str-%S", arg);   /* a new str, never hashed */
}

static PyObject *touch(PyObject *self, PyObject *arg) { Py_RETURN_NONE; }

static PyObject *keep(PyObject *self, PyObject *arg) {
    Py_XDECREF(kept);
    Py_INCREF(arg);
    kept = arg;
    Py_RETURN_NONE;
}

static PyObject *utf8(PyObject *self, PyObject *noargs) {
    const char *s = PyUnicode_AsUTF8(kept);
    if (s == NULL) return NULL;
    return PyBytes_FromString(s);
}

static PyObject *drop(PyObject *self, PyObject *noargs) {
    Py_CLEAR(kept);
    Py_RETURN_NONE;
}

/* pybind11's py::repr(x) then std::string: call back into Python, get a str
 * made in C (by `make`), read its UTF-8, let go. */
static PyObject *outer(PyObject *self, PyObject *f) {
    PyObject *r = PyObject_CallNoArgs(f);
    if (r == NULL) return NULL;
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(r, &n);
    PyObject *out = s ? PyLong_FromSsize_t(n) : NULL;
    Py_DECREF(r);
    return out;
}

static PyMethodDef methods[] = {
    {"outer", outer, METH_O, NULL},
    {"make", make, METH_O, NULL},
    {"touch", touch, METH_O, NULL},
    {"keep", keep, METH_O, NULL},
    {"utf8", utf8, METH_NOARGS, NULL},
    {"drop", drop, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "parkedutf8_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_parkedutf8_ext(void) { return PyModule_Create(&def); }
