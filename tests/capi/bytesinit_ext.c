/* A bytes object made from initial data (PyBytes_FromStringAndSize(data, n)
 * or PyBytes_FromString) and then changed in place through
 * PyBytes_AS_STRING / PyBytes_AsString before it is returned: CPython
 * returns the changed contents (pylzma's delta_encode does this). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* copy the argument, add 1 to every byte in place */
static PyObject *
bump_copy(PyObject *self, PyObject *arg)
{
    char *data; Py_ssize_t n;
    if (PyBytes_AsStringAndSize(arg, &data, &n) < 0) return NULL;
    PyObject *r = PyBytes_FromStringAndSize(data, n);
    if (r == NULL) return NULL;
    char *p = PyBytes_AS_STRING(r);
    for (Py_ssize_t i = 0; i < n; i++) p[i] = (char)(p[i] + 1);
    return r;
}

/* same, writing through PyBytes_AsString, with the GIL released */
static PyObject *
bump_copy_nogil(PyObject *self, PyObject *arg)
{
    char *data; Py_ssize_t n;
    if (PyBytes_AsStringAndSize(arg, &data, &n) < 0) return NULL;
    PyObject *r = PyBytes_FromStringAndSize(data, n);
    if (r == NULL) return NULL;
    char *p = PyBytes_AsString(r);
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) p[i] = (char)(p[i] + 1);
    Py_END_ALLOW_THREADS
    return r;
}

/* PyBytes_FromString("abcd"), then upper-case it in place */
static PyObject *
upper_fromstring(PyObject *self, PyObject *unused)
{
    PyObject *r = PyBytes_FromString("abcd");
    if (r == NULL) return NULL;
    char *p = PyBytes_AS_STRING(r);
    for (int i = 0; i < 4; i++) p[i] = (char)(p[i] - 32);
    return r;
}

/* the changed bytes also as seen from C afterwards: length, hash-free compare */
static PyObject *
bump_then_compare(PyObject *self, PyObject *arg)
{
    PyObject *r = bump_copy(self, arg);
    if (r == NULL) return NULL;
    int same = PyObject_RichCompareBool(r, arg, Py_EQ);
    Py_DECREF(r);
    if (same < 0) return NULL;
    return PyBool_FromLong(same);
}

static PyMethodDef methods[] = {
    {"bump_copy", bump_copy, METH_O, NULL},
    {"bump_copy_nogil", bump_copy_nogil, METH_O, NULL},
    {"upper_fromstring", upper_fromstring, METH_NOARGS, NULL},
    {"bump_then_compare", bump_then_compare, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "bytesinit_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_bytesinit_ext(void)
{
    return PyModule_Create(&moddef);
}
