/* pyhash.h: the hash helpers and constants. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
h_bytes(PyObject *self, PyObject *arg)
{
    char *data;
    Py_ssize_t n;
    if (PyBytes_AsStringAndSize(arg, &data, &n) < 0) return NULL;
    Py_hash_t h = _Py_HashBytes(data, n);
    if (h == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromSsize_t(h);
}

static PyObject *
h_double(PyObject *self, PyObject *arg)
{
    double v = PyFloat_AsDouble(arg);
    if (v == -1.0 && PyErr_Occurred()) return NULL;
    return PyLong_FromSsize_t(_Py_HashDouble(arg, v));
}

/* _Py_HashPointer of an address given as an int: (hash, raw hash). */
static PyObject *
h_pointer(PyObject *self, PyObject *arg)
{
    void *p = PyLong_AsVoidPtr(arg);
    if (p == NULL && PyErr_Occurred()) return NULL;
    return Py_BuildValue("(nn)", _Py_HashPointer(p), _Py_HashPointerRaw(p));
}

/* A NaN hashes like the object that holds it. */
static PyObject *
h_nan_identity(PyObject *self, PyObject *arg)
{
    return PyBool_FromLong(_Py_HashDouble(arg, Py_NAN) == _Py_HashPointer(arg));
}

static PyObject *
h_funcdef(PyObject *self, PyObject *unused)
{
    PyHash_FuncDef *def = PyHash_GetFuncDef();
    const char sample[] = "hash me";
    Py_hash_t via_def = def->hash(sample, (Py_ssize_t)(sizeof(sample) - 1));
    return Py_BuildValue("(siin)", def->name, def->hash_bits, def->seed_bits, via_def);
}

static PyObject *
h_constants(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(kinikiiiiii)", (unsigned long)_PyHASH_MULTIPLIER, _PyHASH_BITS, (Py_ssize_t)_PyHASH_MODULUS,
                         _PyHASH_INF, (unsigned long)_PyHASH_IMAG, Py_HASH_CUTOFF, Py_HASH_EXTERNAL,
                         Py_HASH_SIPHASH24, Py_HASH_FNV, Py_HASH_SIPHASH13, (int)sizeof(_Py_HashSecret_t));
}

/* secret(): the bytes of _Py_HashSecret */
static PyObject *
h_secret(PyObject *self, PyObject *unused)
{
    return PyBytes_FromStringAndSize((const char *)&_Py_HashSecret, sizeof(_Py_HashSecret));
}

static PyMethodDef methods[] = {
    {"secret", h_secret, METH_NOARGS, NULL},
    {"hash_bytes", h_bytes, METH_O, NULL},
    {"hash_double", h_double, METH_O, NULL},
    {"hash_pointer", h_pointer, METH_O, NULL},
    {"nan_identity", h_nan_identity, METH_O, NULL},
    {"funcdef", h_funcdef, METH_NOARGS, NULL},
    {"constants", h_constants, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "hash_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_hash_ext(void)
{
    return PyModule_Create(&moduledef);
}
