/* Attribute loads of a C type's members and getsets at a hot load site:
 * the interpreter may specialise the site once it has run a few times, and
 * what a load returns must not change for that (a struct C writes, a class
 * namespace C writes through tp_dict, subclasses, __getattr__ fallbacks,
 * getters that fail). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    int n;
    PyObject *obj;
    int ro;
} Box;

static PyMemberDef box_members[] = {
    {"n", T_INT, offsetof(Box, n), 0, NULL},
    {"obj", T_OBJECT_EX, offsetof(Box, obj), 0, NULL},
    {"ro", T_INT, offsetof(Box, ro), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyObject *
box_twice(PyObject *self, void *closure)
{
    return PyLong_FromLong(2L * ((Box *)self)->n);
}

static PyObject *
box_checked(PyObject *self, void *closure)
{
    if (((Box *)self)->n < 0) {
        PyErr_Format(PyExc_ValueError, "negative n %d", ((Box *)self)->n);
        return NULL;
    }
    return PyLong_FromLong(((Box *)self)->n);
}

static PyObject *
box_missing(PyObject *self, void *closure)
{
    PyErr_SetString(PyExc_AttributeError, "missing is never there");
    return NULL;
}

static PyGetSetDef box_getset[] = {
    {"twice", box_twice, NULL, NULL, NULL},
    {"checked", box_checked, NULL, NULL, NULL},
    {"missing", box_missing, NULL, NULL, NULL},
    {NULL}
};

static PyObject *
box_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Box *self = (Box *)type->tp_alloc(type, 0);
    if (self != NULL) {
        self->n = 1;
        self->ro = 5;
    }
    return (PyObject *)self;
}

static void
box_dealloc(PyObject *self)
{
    Py_CLEAR(((Box *)self)->obj);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject Box_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "hotattr_ext.Box",
    .tp_basicsize = sizeof(Box),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_members = box_members,
    .tp_getset = box_getset,
    .tp_new = box_new,
    .tp_dealloc = box_dealloc,
};

/* The same struct under a type without a module part in its name, with
 * the generic lookup named explicitly. */
static PyTypeObject Bare_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "Bare",
    .tp_basicsize = sizeof(Box),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_members = box_members,
    .tp_getset = box_getset,
    .tp_new = box_new,
    .tp_dealloc = box_dealloc,
};

/* set_n(box, n): C writes the struct, no API call. */
static PyObject *
set_n(PyObject *module, PyObject *args)
{
    PyObject *box;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &box, &n))
        return NULL;
    ((Box *)box)->n = n;
    Py_RETURN_NONE;
}

/* set_obj(box, obj or None for NULL) */
static PyObject *
set_obj(PyObject *module, PyObject *args)
{
    PyObject *box, *obj;
    if (!PyArg_ParseTuple(args, "OO", &box, &obj))
        return NULL;
    Py_CLEAR(((Box *)box)->obj);
    if (obj != Py_None) {
        Py_INCREF(obj);
        ((Box *)box)->obj = obj;
    }
    Py_RETURN_NONE;
}

/* set_class_attr(type, name, value or NULL to delete): a write to the
 * type's namespace through tp_dict, then PyType_Modified, as C does. */
static PyObject *
set_class_attr(PyObject *module, PyObject *args)
{
    PyObject *type, *value = NULL;
    const char *name;
    int r;
    if (!PyArg_ParseTuple(args, "Os|O", &type, &name, &value))
        return NULL;
    if (value != NULL)
        r = PyDict_SetItemString(((PyTypeObject *)type)->tp_dict, name, value);
    else
        r = PyDict_DelItemString(((PyTypeObject *)type)->tp_dict, name);
    if (r < 0)
        return NULL;
    PyType_Modified((PyTypeObject *)type);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"set_n", set_n, METH_VARARGS, NULL},
    {"set_obj", set_obj, METH_VARARGS, NULL},
    {"set_class_attr", set_class_attr, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "hotattr_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_hotattr_ext(void)
{
    if (PyType_Ready(&Box_Type) < 0 || PyType_Ready(&Bare_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&Box_Type);
    Py_INCREF(&Bare_Type);
    if (PyModule_AddObject(m, "Box", (PyObject *)&Box_Type) < 0 ||
        PyModule_AddObject(m, "Bare", (PyObject *)&Bare_Type) < 0)
        return NULL;
    return m;
}
