/* Walking a tuple item by item from C must take time linear in its length
 * (msgpack's packb of a 65536-tuple of None took 25 s under cpyext). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* walk(t, how): visit every item of tuple t with one access function; returns the count of items that are None. */
static PyObject *
walk(PyObject *self, PyObject *args)
{
    PyObject *t;
    int how;
    if (!PyArg_ParseTuple(args, "Oi", &t, &how))
        return NULL;
    Py_ssize_t n = PyTuple_Size(t), nones = 0;
    if (n < 0)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v;
        switch (how) {
        case 0: v = PyTuple_GET_ITEM(t, i); Py_INCREF(v); break;
        case 1: v = PyTuple_GetItem(t, i); Py_XINCREF(v); break;
        case 2: v = PySequence_GetItem(t, i); break;
        case 3: v = PySequence_ITEM(t, i); break;
        default: /* any call that hands the tuple to the host */
            if (PyObject_Length(t) < 0) return NULL;
            v = Py_None; Py_INCREF(v); break;
        }
        if (v == NULL)
            return NULL;
        if (v == Py_None)
            nones++;
        Py_DECREF(v);
    }
    return PyLong_FromSsize_t(nones);
}

/* item(seq, i): PySequence_GetItem(seq, i) */
static PyObject *
item(PyObject *self, PyObject *args)
{
    PyObject *seq;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "On", &seq, &i))
        return NULL;
    return PySequence_GetItem(seq, i);
}

static PyMethodDef methods[] = {
    {"walk", walk, METH_VARARGS, NULL},
    {"item", item, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "tuplewalk_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_tuplewalk_ext(void)
{
    return PyModule_Create(&moddef);
}
