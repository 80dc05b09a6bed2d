/* Bare pointers C keeps to plain object() instances that Python holds: in
 * CPython they stay valid while the object lives. Cython's object buffers
 * (a memoryview of dtype object over storage that counts nothing) store
 * them this way, and C caches sentinels the same way. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *slots[4];

/* Stores the list's items without taking references. */
static PyObject *
store(PyObject *self, PyObject *list)
{
    if (!PyList_Check(list) || PyList_GET_SIZE(list) > 4)
        return PyErr_Format(PyExc_TypeError, "a list of at most 4 items");
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++)
        slots[i] = PyList_GET_ITEM(list, i);
    Py_RETURN_NONE;
}

static PyObject *
read_slot(PyObject *self, PyObject *arg)
{
    Py_ssize_t i = PyLong_AsSsize_t(arg);
    if (i == -1 && PyErr_Occurred())
        return NULL;
    return Py_NewRef(slots[i]);
}

/* Replaces a slot as an object buffer's item assignment does: the old item
 * is released, the new one taken (the same object here, so the count the
 * release borrowed comes back). */
static PyObject *
replace(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "nO", &i, &obj))
        return NULL;
    Py_CLEAR(slots[i]);
    slots[i] = Py_NewRef(obj);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"store", store, METH_O, NULL},
    {"read", read_slot, METH_O, NULL},
    {"replace", replace, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "objsentinel_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_objsentinel_ext(void)
{
    return PyModule_Create(&module);
}
