/* A type that keeps its own free list, as gmpy2 and multidict do: tp_dealloc
 * parks the struct instead of freeing it, and the constructor takes one
 * back with a bare Py_INCREF (or _Py_NewReference, or PyObject_Init). */
#include <Python.h>

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

static PyMethodDef methods[] = {
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
    if (PyType_Ready(&NumType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&NumType);
    if (PyModule_AddObject(m, "Num", (PyObject *)&NumType) < 0)
        return NULL;
    return m;
}
