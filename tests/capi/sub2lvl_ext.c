/* An instance of a Python subclass of a Python subclass of a C type, made
   by the type's tp_alloc in C, filled, then handed to a Python method of
   the subclass before C returns it (numpy's __array_finalize__ in
   PyArray_NewFromDescr): the method must see the struct C filled. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { PyObject_HEAD long value; PyObject *extra; } Obj;

static PyObject *get_value(PyObject *self, void *closure) {
    return PyLong_FromLong(((Obj *) self)->value);
}
static PyGetSetDef getset[] = {{"value", get_value, NULL, NULL, NULL}, {NULL}};

static void obj_dealloc(PyObject *self) {
    Py_XDECREF(((Obj *) self)->extra);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject ObjType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sub2lvl_ext.Obj",
    .tp_basicsize = sizeof(Obj),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_dealloc = obj_dealloc,
    .tp_getset = getset,
    .tp_new = PyType_GenericNew,
};

/* make(cls, value): cls->tp_alloc, fill, then cls.__finalize__(obj) */
static PyObject *make(PyObject *mod, PyObject *args) {
    PyTypeObject *cls; long value;
    if (!PyArg_ParseTuple(args, "O!l", &PyType_Type, &cls, &value)) return NULL;
    Obj *o = (Obj *) cls->tp_alloc(cls, 0);
    if (!o) return NULL;
    o->value = value;
    PyObject *func = PyObject_GetAttrString((PyObject *) cls, "__finalize__");
    if (!func) { Py_DECREF(o); return NULL; }
    PyObject *res = PyObject_CallFunctionObjArgs(func, (PyObject *) o, Py_None, NULL);
    Py_DECREF(func);
    if (!res) { Py_DECREF(o); return NULL; }
    Py_DECREF(res);
    return (PyObject *) o;
}

static PyMethodDef methods[] = {{"make", make, METH_VARARGS, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "sub2lvl_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_sub2lvl_ext(void) {
    if (PyType_Ready(&ObjType) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    Py_INCREF(&ObjType);
    PyModule_AddObject(m, "Obj", (PyObject *) &ObjType);
    return m;
}
