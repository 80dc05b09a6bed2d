/* What C reads and writes in the type objects of Python classes, and the
 * collector's tracking as C and gc.is_tracked see it:
 * - a slot C writes into a Python subclass's type object after the class
 *   was made serves its instances (a metaclass fixing tp_setattro);
 * - a negative hash from tp_hash reaches Python through a subclass;
 * - tp_dictoffset, tp_weaklistoffset and Py_TPFLAGS_HAVE_GC of Python
 *   classes, builtins and Python subclasses of a C type;
 * - PyObject_GC_Track/UnTrack/IsTracked against gc.is_tracked;
 * - a member of a C metaclass read from a class inside its own
 *   __init_subclass__, before C has seen the class;
 * - a type without a tp_init of its own has no __init__ in its dict, and
 *   inspect.signature reads its text signature;
 * - PyObject_GenericGetAttr/SetAttr on a class: its own namespace only. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    PyObject *value;
} BaseObject;

static int
base_traverse(BaseObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->value);
    return 0;
}

static int
base_clear(BaseObject *self)
{
    Py_CLEAR(self->value);
    return 0;
}

static void
base_dealloc(BaseObject *self)
{
    /* A static type: a Python subclass's dealloc releases the class. */
    PyObject_GC_UnTrack(self);
    base_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* -5 when `value` is set to an int that says so, else the int itself. */
static Py_hash_t
base_hash(BaseObject *self)
{
    if (self->value == NULL)
        return 11;
    Py_hash_t h = PyLong_AsSsize_t(self->value);
    if (h == -1 && PyErr_Occurred())
        return -1;
    return h;
}

static int
frozen_setattro(PyObject *self, PyObject *name, PyObject *value)
{
    PyErr_Format(PyExc_AttributeError, "frozen instance of '%s'", Py_TYPE(self)->tp_name);
    return -1;
}

static PyMemberDef base_members[] = {
    {"value", T_OBJECT, offsetof(BaseObject, value), 0, NULL},
    {NULL},
};

static PyTypeObject BaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typelayout_ext.Base",
    .tp_doc = "Base(value=None)\n--\n\nA base with one object field.",
    .tp_basicsize = sizeof(BaseObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)base_traverse,
    .tp_clear = (inquiry)base_clear,
    .tp_dealloc = (destructor)base_dealloc,
    .tp_hash = (hashfunc)base_hash,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_members = base_members,
    .tp_new = PyType_GenericNew,
};

/* A metaclass whose struct has one object member, `tag`. */
typedef struct {
    PyHeapTypeObject ht;
    PyObject *tag;
} MetaObject;

static PyMemberDef meta_members[] = {
    {"tag", T_OBJECT_EX, offsetof(MetaObject, tag), 0, NULL},
    {NULL},
};

static PyTypeObject MetaType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typelayout_ext.Meta",
    .tp_basicsize = sizeof(MetaObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_members = meta_members,
};

/* Exceptions in C, as lxml has them: a base with no tp_init, and a subtype
 * whose tp_init records something that a Python subclass's
 * super().__init__() must reach. */
typedef struct {
    PyBaseExceptionObject base;
} ErrorObject;

static PyTypeObject ErrorType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typelayout_ext.Error",
    .tp_basicsize = sizeof(ErrorObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};

static int
logged_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    if (PyObject_SetAttrString(self, "error_log", args) < 0)
        return -1;
    return 0;
}

static PyTypeObject LoggedErrorType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typelayout_ext.LoggedError",
    .tp_basicsize = sizeof(ErrorObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_init = logged_init,
};

static PyObject *
freeze(PyObject *self, PyObject *cls)
{
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "a class");
        return NULL;
    }
    ((PyTypeObject *)cls)->tp_setattro = frozen_setattro;
    Py_RETURN_NONE;
}

static PyObject *
layout(PyObject *self, PyObject *cls)
{
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "a class");
        return NULL;
    }
    PyTypeObject *tp = (PyTypeObject *)cls;
    return Py_BuildValue("{s:O,s:O,s:O}",
                         "dict", tp->tp_dictoffset != 0 ? Py_True : Py_False,
                         "weakref", tp->tp_weaklistoffset != 0 ? Py_True : Py_False,
                         "gc", PyType_IS_GC(tp) ? Py_True : Py_False);
}

static PyObject *
is_tracked(PyObject *self, PyObject *obj)
{
    return PyBool_FromLong(PyObject_GC_IsTracked(obj));
}

static PyObject *
untrack(PyObject *self, PyObject *obj)
{
    PyObject_GC_UnTrack(obj);
    Py_RETURN_NONE;
}

static PyObject *
track(PyObject *self, PyObject *obj)
{
    PyObject_GC_Track(obj);
    Py_RETURN_NONE;
}

static PyObject *
set_tag(PyObject *self, PyObject *args)
{
    PyObject *cls, *tag;
    if (!PyArg_ParseTuple(args, "O!O", &MetaType, &cls, &tag))
        return NULL;
    Py_INCREF(tag);
    Py_XSETREF(((MetaObject *)cls)->tag, tag);
    Py_RETURN_NONE;
}

static PyObject *
generic_get(PyObject *self, PyObject *args)
{
    PyObject *obj, *name;
    if (!PyArg_ParseTuple(args, "OU", &obj, &name))
        return NULL;
    return PyObject_GenericGetAttr(obj, name);
}

static PyObject *
generic_set(PyObject *self, PyObject *args)
{
    PyObject *obj, *name, *value = NULL;
    if (!PyArg_ParseTuple(args, "OU|O", &obj, &name, &value))
        return NULL;
    if (PyObject_GenericSetAttr(obj, name, value) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"generic_get", generic_get, METH_VARARGS},
    {"generic_set", generic_set, METH_VARARGS},
    {"freeze", freeze, METH_O},
    {"layout", layout, METH_O},
    {"is_tracked", is_tracked, METH_O},
    {"untrack", untrack, METH_O},
    {"track", track, METH_O},
    {"set_tag", set_tag, METH_VARARGS},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "typelayout_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_typelayout_ext(void)
{
    MetaType.tp_base = &PyType_Type;
    ErrorType.tp_base = (PyTypeObject *)PyExc_Exception;
    LoggedErrorType.tp_base = &ErrorType;
    if (PyType_Ready(&BaseType) < 0 || PyType_Ready(&MetaType) < 0 || PyType_Ready(&ErrorType) < 0
        || PyType_Ready(&LoggedErrorType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddType(m, &BaseType) < 0 || PyModule_AddType(m, &MetaType) < 0
        || PyModule_AddType(m, &ErrorType) < 0 || PyModule_AddType(m, &LoggedErrorType) < 0)
        return NULL;
    return m;
}
