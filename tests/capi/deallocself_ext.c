#include <Python.h>
/* A type whose tp_dealloc calls a method of the dying object, as Cython's
   tp_dealloc does for a __dealloc__ that calls self.close(): it raises the
   count back to 1 around the call (Py_SET_REFCNT), then frees. */
typedef struct { PyObject_HEAD int open; } Obj;
static PyObject *log_list;
static PyObject *close_(PyObject *self, PyObject *unused) {
    ((Obj *)self)->open = 0;
    PyList_Append(log_list, PyUnicode_FromString("closed"));
    Py_RETURN_NONE;
}
static void dealloc(PyObject *o) {
    PyObject *et, *ev, *tb;
    PyErr_Fetch(&et, &ev, &tb);
    Py_SET_REFCNT(o, Py_REFCNT(o) + 1);
    PyObject *r = PyObject_CallMethod(o, "close", NULL);
    if (r == NULL) {   /* record the error's text */
        PyObject *t, *v, *b; PyErr_Fetch(&t, &v, &b);
        PyObject *s = v ? PyObject_Str(v) : NULL;
        PyList_Append(log_list, s ? s : PyUnicode_FromString("dealloc: error"));
        Py_XDECREF(s); Py_XDECREF(t); Py_XDECREF(v); Py_XDECREF(b);
    } else Py_DECREF(r);
    PyList_Append(log_list, PyUnicode_FromString("dealloc"));
    Py_SET_REFCNT(o, Py_REFCNT(o) - 1);
    PyErr_Restore(et, ev, tb);
    PyTypeObject *tp = Py_TYPE(o);
    tp->tp_free(o);
    if (tp->tp_flags & Py_TPFLAGS_HEAPTYPE) Py_DECREF(tp);
}
static PyMethodDef obj_methods[] = {{"close", close_, METH_NOARGS, NULL}, {NULL}};
static PyTypeObject ObjType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "deallocself_ext.Obj", .tp_basicsize = sizeof(Obj), .tp_dealloc = dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_new = PyType_GenericNew,
    .tp_methods = obj_methods,
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "deallocself_ext", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_deallocself_ext(void) {
    if (PyType_Ready(&ObjType) < 0) return NULL;
    PyObject *m = PyModule_Create(&def);
    log_list = PyList_New(0);
    PyModule_AddObject(m, "log", log_list); Py_INCREF(log_list);
    Py_INCREF(&ObjType); PyModule_AddObject(m, "Obj", (PyObject *)&ObjType);
    return m;
}
