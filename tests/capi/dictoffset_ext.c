/* A C type whose instance dict lives at tp_dictoffset and is put there by C
   itself, after tp_new (in tp_init) or in a factory (PyObject_New), as
   pygame.event.Event does. Attribute lookup is the generic one. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>

typedef struct { PyObject_HEAD PyObject *dict; } Obj;

static void obj_dealloc(Obj *self) { Py_XDECREF(self->dict); PyObject_Free(self); }

static int obj_init(Obj *self, PyObject *args, PyObject *kw) {
    PyObject *d = PyDict_New();                 /* C's own dict, replaces the field */
    PyObject *v = PyLong_FromLong(1);
    PyDict_SetItemString(d, "a", v); Py_DECREF(v);
    if (kw) PyDict_Update(d, kw);
    self->dict = d;                              /* pygame: event->dict = dict */
    return 0;
}

#include <structmember.h>
static PyMemberDef members[] = {{"__dict__", T_OBJECT, offsetof(Obj, dict), READONLY}, {NULL}};

static PyTypeObject Obj_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dictoffset_ext.Obj",
    .tp_basicsize = sizeof(Obj),
    .tp_dealloc = (destructor)obj_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_dictoffset = offsetof(Obj, dict),
    .tp_members = members,
    .tp_init = (initproc)obj_init,
    .tp_new = PyType_GenericNew,
};

static PyObject *make(PyObject *m, PyObject *arg) {   /* pygame: pgEvent_New2 */
    Obj *o = PyObject_New(Obj, &Obj_Type);
    if (!o) return NULL;
    o->dict = PyDict_New();
    PyDict_SetItemString(o->dict, "b", arg);
    return (PyObject *)o;
}

static PyMethodDef methods[] = {{"make", make, METH_O, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "dictoffset_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_dictoffset_ext(void) {
    if (PyType_Ready(&Obj_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    Py_INCREF(&Obj_Type);
    PyModule_AddObject(m, "Obj", (PyObject *)&Obj_Type);
    return m;
}
