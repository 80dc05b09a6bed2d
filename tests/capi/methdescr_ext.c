/* A callable C type with Py_TPFLAGS_METHOD_DESCRIPTOR (as Cython's
 * cyfunction): stored in a Python class, `obj.f()` and special methods call
 * it with the instance first instead of binding it; tp_descr_get counts
 * the bindings that still happen. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { PyObject_HEAD PyObject *func; } Desc;
static long bindings;

static PyObject *desc_call(PyObject *self, PyObject *args, PyObject *kw) {
    return PyObject_Call(((Desc *)self)->func, args, kw);
}
static PyObject *desc_get(PyObject *self, PyObject *obj, PyObject *type) {
    if (obj == NULL || obj == Py_None) { Py_INCREF(self); return self; }
    bindings++;
    return PyMethod_New(self, obj);
}
static void desc_dealloc(PyObject *self) { Py_XDECREF(((Desc *)self)->func); Py_TYPE(self)->tp_free(self); }
static PyObject *desc_new(PyTypeObject *tp, PyObject *args, PyObject *kw) {
    PyObject *f;
    if (!PyArg_ParseTuple(args, "O", &f)) return NULL;
    Desc *d = (Desc *)tp->tp_alloc(tp, 0);
    if (!d) return NULL;
    Py_INCREF(f);
    d->func = f;
    return (PyObject *)d;
}
static PyTypeObject DescType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "methdescr_ext.Desc", .tp_basicsize = sizeof(Desc),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_new = desc_new, .tp_dealloc = desc_dealloc, .tp_call = desc_call, .tp_descr_get = desc_get,
};
static PyObject *count(PyObject *self, PyObject *unused) {
    long n = bindings;
    bindings = 0;
    return PyLong_FromLong(n);
}
/* _PyObject_GetMethod, as Cython's __Pyx_PyObject_GetMethod calls it. */
static PyObject *get_method(PyObject *self, PyObject *args) {
    PyObject *obj, *name, *meth = NULL;
    if (!PyArg_ParseTuple(args, "OU", &obj, &name)) return NULL;
    int unbound = _PyObject_GetMethod(obj, name, &meth);
    if (meth == NULL) return NULL;
    PyObject *r = Py_BuildValue("(iO)", unbound, meth);
    Py_DECREF(meth);
    return r;
}
static PyMethodDef methods[] = {
    {"count", count, METH_NOARGS, NULL}, {"get_method", get_method, METH_VARARGS, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "methdescr_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_methdescr_ext(void) {
    if (PyType_Ready(&DescType) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (m == NULL) return NULL;
    Py_INCREF(&DescType);
    if (PyModule_AddObject(m, "Desc", (PyObject *)&DescType) < 0) return NULL;
    return m;
}
