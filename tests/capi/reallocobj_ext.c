/* A variable-size object that C grows in place while it alone holds it,
 * the way guppy3's bitsets do (and CPython's own _PyBytes_Resize):
 * _Py_ForgetReference, PyObject_Realloc, PyObject_InitVar. */
#include <Python.h>

typedef struct {
    PyObject_VAR_HEAD
    long items[1];
} Vec;

static PyTypeObject Vec_Type;

static PyObject *
vec_make(PyObject *mod, PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n < 0 && PyErr_Occurred()) return NULL;
    Vec *v = PyObject_NewVar(Vec, &Vec_Type, 1);
    if (!v) return NULL;
    v->items[0] = 0;
    for (Py_ssize_t i = 1; i < n; i++) {
        if (i >= Py_SIZE(v)) {          /* grow: double the room */
            Py_ssize_t size = Py_SIZE(v) * 2;
#ifdef Py_TRACE_REFS
            _Py_ForgetReference((PyObject *)v);
#endif
            Vec *w = PyObject_Realloc(v, Vec_Type.tp_basicsize + Vec_Type.tp_itemsize * size);
            if (!w) { Py_DECREF(v); return PyErr_NoMemory(); }
            v = (Vec *)PyObject_InitVar((PyVarObject *)w, &Vec_Type, size);
        }
        v->items[i] = i * i;
    }
    Py_SET_SIZE(v, n);
    return (PyObject *)v;
}

static PyObject *
vec_sum(Vec *self, PyObject *unused)
{
    long s = 0;
    for (Py_ssize_t i = 0; i < Py_SIZE(self); i++) s += self->items[i];
    return PyLong_FromLong(s);
}

static PyMethodDef vec_methods[] = {
    {"sum", (PyCFunction)vec_sum, METH_NOARGS, NULL},
    {NULL}
};

static PyTypeObject Vec_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "reallocobj_ext.Vec",
    .tp_basicsize = sizeof(Vec) - sizeof(long),
    .tp_itemsize = sizeof(long),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = vec_methods,
    .tp_free = PyObject_Free,
};

static PyMethodDef mod_methods[] = {
    {"make", vec_make, METH_O, NULL},
    {NULL}
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "reallocobj_ext", NULL, -1, mod_methods};

PyMODINIT_FUNC PyInit_reallocobj_ext(void)
{
    if (PyType_Ready(&Vec_Type) < 0) return NULL;
    return PyModule_Create(&mod);
}
