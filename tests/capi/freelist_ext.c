/* A type that keeps its own free list, as gmpy2 and multidict do: tp_dealloc
 * parks the struct instead of freeing it, and the constructor takes one
 * back with a bare Py_INCREF (or _Py_NewReference, or PyObject_Init). */
#include <Python.h>
#include <string.h>

typedef struct {
    PyObject_HEAD
    long value;
} NumObject;

#define PARK_SIZE 4
static NumObject *parked[PARK_SIZE];
static int n_parked = 0;
static long revived = 0;
static PyTypeObject NumType;

static void
num_dealloc(NumObject *self)
{
    if (n_parked < PARK_SIZE) {
        parked[n_parked++] = self;
        return;
    }
    PyObject_Free(self);
}

static PyObject *
num_repr(NumObject *self)
{
    return PyUnicode_FromFormat("Num(%ld)", self->value);
}

static PyObject *
num_value(NumObject *self, void *closure)
{
    return PyLong_FromLong(self->value);
}

static PyGetSetDef num_getset[] = {
    {"value", (getter)num_value, NULL, NULL, NULL},
    {NULL}
};

/* how: 0 a bare Py_INCREF (gmpy2), 1 _Py_NewReference, 2 PyObject_Init */
static PyObject *
make(PyObject *module, PyObject *args)
{
    long value;
    int how = 0;
    if (!PyArg_ParseTuple(args, "l|i", &value, &how))
        return NULL;
    NumObject *self;
    if (n_parked > 0) {
        self = parked[--n_parked];
        revived++;
        if (how == 0)
            Py_INCREF(self);
        else if (how == 1)
            _Py_NewReference((PyObject *)self);
        else
            PyObject_Init((PyObject *)self, &NumType);
    }
    else {
        self = PyObject_New(NumObject, &NumType);
        if (self == NULL)
            return NULL;
    }
    self->value = value;
    return (PyObject *)self;
}

static PyObject *
add(PyObject *module, PyObject *args)
{
    NumObject *a, *b;
    if (!PyArg_ParseTuple(args, "O!O!", &NumType, &a, &NumType, &b))
        return NULL;
    PyObject *margs = Py_BuildValue("(l)", a->value + b->value);
    if (margs == NULL)
        return NULL;
    PyObject *sum = make(module, margs);
    Py_DECREF(margs);
    return sum;
}

static PyObject *
stats(PyObject *module, PyObject *unused)
{
    return Py_BuildValue("(il)", n_parked, revived);
}

static PyTypeObject NumType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "freelist_ext.Num",
    .tp_basicsize = sizeof(NumObject),
    .tp_dealloc = (destructor)num_dealloc,
    .tp_repr = (reprfunc)num_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_getset = num_getset,
};

/* Closing: a GC type with a free list whose tp_dealloc calls a method of
 * the dying object first, bracketed by Py_SET_REFCNT as Cython brackets a
 * __dealloc__ (a cdef class with @cython.freelist and a __dealloc__ that
 * calls self.close()). */
typedef struct {
    PyObject_HEAD
    PyObject *data;
} ClosingObject;

static ClosingObject *closing_parked[PARK_SIZE];
static int n_closing_parked = 0;
static long closing_deallocs = 0;
static long closing_closes = 0;
static PyTypeObject ClosingType;

static PyObject *
closing_close(ClosingObject *self, PyObject *unused)
{
    closing_closes++;
    Py_CLEAR(self->data);
    Py_RETURN_NONE;
}

static void
closing_dealloc(ClosingObject *self)
{
    PyObject_GC_UnTrack(self);
    closing_deallocs++;
    Py_SET_REFCNT(self, Py_REFCNT(self) + 1);
    PyObject *r = PyObject_CallMethod((PyObject *)self, "close", NULL);
    if (r == NULL)
        PyErr_WriteUnraisable((PyObject *)self);
    else
        Py_DECREF(r);
    Py_SET_REFCNT(self, Py_REFCNT(self) - 1);
    Py_CLEAR(self->data);
    if (n_closing_parked < PARK_SIZE) {
        closing_parked[n_closing_parked++] = self;
        return;
    }
    PyObject_GC_Del(self);
}

static int
closing_traverse(ClosingObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->data);
    return 0;
}

static PyObject *
make_closing(PyObject *module, PyObject *data)
{
    ClosingObject *self;
    if (n_closing_parked > 0) {
        self = closing_parked[--n_closing_parked];
        memset(self, 0, sizeof(ClosingObject));
        PyObject_Init((PyObject *)self, &ClosingType);
    }
    else {
        self = PyObject_GC_New(ClosingObject, &ClosingType);
        if (self == NULL)
            return NULL;
        self->data = NULL;
    }
    Py_INCREF(data);
    self->data = data;
    PyObject_GC_Track(self);
    return (PyObject *)self;
}

static PyObject *
closing_stats(PyObject *module, PyObject *unused)
{
    return Py_BuildValue("(lli)", closing_deallocs, closing_closes, n_closing_parked);
}

static PyMethodDef closing_methods[] = {
    {"close", (PyCFunction)closing_close, METH_NOARGS, NULL},
    {NULL}
};

static PyTypeObject ClosingType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "freelist_ext.Closing",
    .tp_basicsize = sizeof(ClosingObject),
    .tp_dealloc = (destructor)closing_dealloc,
    .tp_traverse = (traverseproc)closing_traverse,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_methods = closing_methods,
};

static PyMethodDef methods[] = {
    {"make_closing", make_closing, METH_O, NULL},
    {"closing_stats", closing_stats, METH_NOARGS, NULL},
    {"make", make, METH_VARARGS, NULL},
    {"add", add, METH_VARARGS, NULL},
    {"stats", stats, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "freelist_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_freelist_ext(void)
{
    if (PyType_Ready(&NumType) < 0 || PyType_Ready(&ClosingType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&NumType);
    if (PyModule_AddObject(m, "Num", (PyObject *)&NumType) < 0)
        return NULL;
    Py_INCREF(&ClosingType);
    if (PyModule_AddObject(m, "Closing", (PyObject *)&ClosingType) < 0)
        return NULL;
    return m;
}
