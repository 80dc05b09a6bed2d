/* nanobind's inst_new_ext(): an instance made with PyObject_Malloc +
   PyObject_Init, then grown with PyObject_Realloc (the block may move)
   before it is returned. Its count and its tp_dealloc when Python drops it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { PyObject_HEAD void *value; } Obj;

static int freed;
static PyTypeObject *ObjType;

static void obj_dealloc(PyObject *self) {
    PyTypeObject *tp = Py_TYPE(self);
    freed++;
    PyObject_Free(self);
    Py_DECREF(tp);
}

static PyObject *make(PyObject *mod, PyObject *grow) {
    Obj *self = (Obj *) PyObject_Malloc(sizeof(Obj));
    if (!self) return PyErr_NoMemory();
    PyObject_Init((PyObject *) self, ObjType);
    if (PyObject_IsTrue(grow)) {
        /* a large step, so that the block is likely to move */
        Obj *moved = (Obj *) PyObject_Realloc(self, sizeof(Obj) + 4096);
        if (!moved) { PyObject_Free(self); return PyErr_NoMemory(); }
        self = moved;
    }
    self->value = NULL;
    return (PyObject *) self;
}

static PyObject *nfreed(PyObject *mod, PyObject *unused) { return PyLong_FromLong(freed); }

static PyMethodDef methods[] = {{"make", make, METH_O, NULL}, {"freed", nfreed, METH_NOARGS, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "initrealloc_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_initrealloc_ext(void) {
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    PyType_Slot slots[] = {{Py_tp_dealloc, obj_dealloc}, {0, NULL}};
    PyType_Spec spec = {"initrealloc_ext.Obj", sizeof(Obj), 0, Py_TPFLAGS_DEFAULT, slots};
    ObjType = (PyTypeObject *) PyType_FromSpec(&spec);
    if (!ObjType) return NULL;
    return m;
}
