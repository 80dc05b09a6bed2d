/* C types whose base is a builtin: list, dict, and an exception, each
 * with C fields of its own. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include <structmember.h>

static long deallocs = 0;

/* --- Stack: a list with a C counter of pushes ------------------------------- */
typedef struct {
    PyListObject list;
    long pushes;
} Stack;

static PyObject *
Stack_push(Stack *self, PyObject *item)
{
    if (PyList_Append((PyObject *)self, item) < 0)
        return NULL;
    self->pushes++;
    return PyLong_FromSsize_t(PyList_GET_SIZE(self));
}

static PyObject *
Stack_top(Stack *self, PyObject *unused)
{
    Py_ssize_t n = PyList_GET_SIZE(self);
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "empty stack");
        return NULL;
    }
    return Py_NewRef(PyList_GET_ITEM(self, n - 1));
}

static void
Stack_dealloc(Stack *self)
{
    deallocs++;
    PyList_Type.tp_dealloc((PyObject *)self);
}

static PyMethodDef Stack_methods[] = {
    {"push", (PyCFunction)Stack_push, METH_O, NULL},
    {"top", (PyCFunction)Stack_top, METH_NOARGS, NULL},
    {NULL},
};

static PyMemberDef Stack_members[] = {
    {"pushes", T_LONG, offsetof(Stack, pushes), READONLY, NULL},
    {NULL},
};

static PyTypeObject StackType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinbase_ext.Stack",
    .tp_basicsize = sizeof(Stack),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_methods = Stack_methods,
    .tp_members = Stack_members,
    .tp_dealloc = (destructor)Stack_dealloc,
};

/* --- Counter: a dict whose missing keys count as 0 -------------------------- */
typedef struct {
    PyDictObject dict;
    long misses;
} Counter;

static PyObject *
Counter_missing(Counter *self, PyObject *key)
{
    self->misses++;
    return PyLong_FromLong(0);
}

static PyMethodDef Counter_methods[] = {
    {"__missing__", (PyCFunction)Counter_missing, METH_O, NULL},
    {NULL},
};

static PyMemberDef Counter_members[] = {
    {"misses", T_LONG, offsetof(Counter, misses), READONLY, NULL},
    {NULL},
};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinbase_ext.Counter",
    .tp_basicsize = sizeof(Counter),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = Counter_methods,
    .tp_members = Counter_members,
};

/* --- Label: a str with a method, keeping str's tp_new ------------------------ */
static PyObject *
Label_shout(PyObject *self, PyObject *unused)
{
    return PyObject_CallMethod(self, "upper", NULL);
}

static PyMethodDef Label_methods[] = {
    {"shout", Label_shout, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject LabelType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinbase_ext.Label",
    .tp_basicsize = sizeof(PyUnicodeObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_methods = Label_methods,
};

/* --- Number and Real: float as a later base, through tp_bases ------------- */
/* As numpy's scalar types: Real's tp_base is Number (a plain C type), and
 * float comes in through tp_bases; Real's struct is float's, filled by its
 * own tp_new. */
static PyTypeObject NumberType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinbase_ext.Number",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};

static long real_deallocs = 0;

static PyObject *
Real_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    double value;
    if (!PyArg_ParseTuple(args, "d", &value))
        return NULL;
    PyObject *self = type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    ((PyFloatObject *)self)->ob_fval = value;
    return self;
}

static void
Real_dealloc(PyObject *self)
{
    real_deallocs++;
    Py_TYPE(self)->tp_free(self);
}

static PyObject *
Real_twice(PyObject *self, PyObject *unused)
{
    return PyFloat_FromDouble(2 * ((PyFloatObject *)self)->ob_fval);
}

static PyMethodDef Real_methods[] = {
    {"twice", Real_twice, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject RealType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinbase_ext.Real",
    .tp_basicsize = sizeof(PyFloatObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = Real_new,
    .tp_dealloc = Real_dealloc,
    .tp_methods = Real_methods,
};

static PyObject *
real_deallocs_count(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(real_deallocs);
}

/* --- Blob: a bytes whose struct C fills after tp_alloc --------------------- */
/* As numpy's bytes_ scalars: tp_alloc with the length, then the bytes
 * copied into ob_sval; bytes' comparison and hash taken from its type. */
static PyObject *
Blob_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    const char *text;
    if (!PyArg_ParseTuple(args, "s", &text))
        return NULL;
    Py_ssize_t n = (Py_ssize_t)strlen(text);
    PyObject *self = type->tp_alloc(type, n);
    if (self == NULL)
        return NULL;
    memcpy(((PyBytesObject *)self)->ob_sval, text, n);
    ((PyBytesObject *)self)->ob_shash = -1;
    return self;
}

static PyTypeObject BlobType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinbase_ext.Blob",
    .tp_basicsize = offsetof(PyBytesObject, ob_sval) + 1,
    .tp_itemsize = 1,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = Blob_new,
};

/* --- AppError: an exception with a C error code ----------------------------- */
typedef struct {
    PyException_HEAD
    long code;
} AppError;

static int
AppError_init(AppError *self, PyObject *args, PyObject *kwds)
{
    if (((PyTypeObject *)PyExc_Exception)->tp_init((PyObject *)self, args, kwds) < 0)
        return -1;
    if (PyTuple_GET_SIZE(args) >= 2) {
        self->code = PyLong_AsLong(PyTuple_GET_ITEM(args, 1));
        if (self->code == -1 && PyErr_Occurred())
            return -1;
    }
    return 0;
}

static PyMemberDef AppError_members[] = {
    {"code", T_LONG, offsetof(AppError, code), 0, "the error code"},
    {NULL},
};

static PyTypeObject AppErrorType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinbase_ext.AppError",
    .tp_basicsize = sizeof(AppError),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_init = (initproc)AppError_init,
    .tp_members = AppError_members,
};

static PyObject *
fail(PyObject *self, PyObject *code)
{
    PyObject *args = PyTuple_Pack(2, PyUnicode_FromString("failed in C"), code);
    PyObject *exc = PyObject_Call((PyObject *)&AppErrorType, args, NULL);
    Py_DECREF(args);
    if (exc == NULL)
        return NULL;
    PyErr_SetObject((PyObject *)&AppErrorType, exc);
    Py_DECREF(exc);
    return NULL;
}

static PyObject *
code_of(PyObject *self, PyObject *exc)
{
    if (!PyObject_TypeCheck(exc, &AppErrorType)) {
        PyErr_SetString(PyExc_TypeError, "not an AppError");
        return NULL;
    }
    return PyLong_FromLong(((AppError *)exc)->code);
}

static PyObject *
counts(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(deallocs);
}

static PyObject *
checks(PyObject *self, PyObject *o)
{
    return PyTuple_Pack(3, PyBool_FromLong(PyList_Check(o)), PyBool_FromLong(PyDict_Check(o)),
                        PyBool_FromLong(PyExceptionInstance_Check(o)));
}

/* A C subtype of tuple that declares tp_itemsize 0 and sizeof(PyTupleObject)
 * as tp_basicsize, as pycairo's Glyph does: PyType_Ready inherits the
 * tuple's item size, so its instances have room for all their items. */
typedef struct {
    PyTupleObject base;
} TripleObject;

static PyTypeObject TripleType;

static PyObject *
triple_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    long a;
    double b, c;
    if (!PyArg_ParseTuple(args, "ldd", &a, &b, &c))
        return NULL;
    PyObject *items = Py_BuildValue("((ldd))", a, b, c);
    if (items == NULL)
        return NULL;
    PyObject *result = PyTuple_Type.tp_new(type, items, NULL);
    Py_DECREF(items);
    return result;
}

static PyObject *
triple_get(PyObject *self, void *closure)
{
    PyObject *item = PyTuple_GetItem(self, (Py_ssize_t)closure);
    Py_XINCREF(item);
    return item;
}

static PyGetSetDef triple_getset[] = {
    {"a", triple_get, NULL, NULL, (void *)0},
    {"b", triple_get, NULL, NULL, (void *)1},
    {"c", triple_get, NULL, NULL, (void *)2},
    {NULL},
};

static PyTypeObject TripleType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinbase_ext.Triple",
    .tp_basicsize = sizeof(TripleObject),
    .tp_itemsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_getset = triple_getset,
    .tp_new = triple_new,
};

static PyObject *
item_sizes(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(nn)", TripleType.tp_itemsize, TripleType.tp_basicsize);
}

static PyMethodDef methods[] = {
    {"item_sizes", item_sizes, METH_NOARGS, NULL},
    {"fail", fail, METH_O, NULL},
    {"code_of", code_of, METH_O, NULL},
    {"deallocs", counts, METH_NOARGS, NULL},
    {"real_deallocs", real_deallocs_count, METH_NOARGS, NULL},
    {"checks", checks, METH_O, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "builtinbase_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_builtinbase_ext(void)
{
    StackType.tp_base = &PyList_Type;
    CounterType.tp_base = &PyDict_Type;
    AppErrorType.tp_base = (PyTypeObject *)PyExc_Exception;
    TripleType.tp_base = &PyTuple_Type;
    LabelType.tp_base = &PyUnicode_Type;
    BlobType.tp_base = &PyBytes_Type;
    BlobType.tp_richcompare = PyBytes_Type.tp_richcompare;
    BlobType.tp_hash = PyBytes_Type.tp_hash;
    if (PyType_Ready(&BlobType) < 0)
        return NULL;
    RealType.tp_base = &NumberType;
    if (PyType_Ready(&NumberType) < 0)
        return NULL;
    RealType.tp_bases = Py_BuildValue("(OO)", (PyObject *)&NumberType, (PyObject *)&PyFloat_Type);
    /* float's hash, taken from its type object (as numpy's scalars do). */
    RealType.tp_hash = PyFloat_Type.tp_hash;
    if (RealType.tp_bases == NULL || PyType_Ready(&RealType) < 0)
        return NULL;
    if (PyType_Ready(&StackType) < 0 || PyType_Ready(&CounterType) < 0 || PyType_Ready(&AppErrorType) < 0
        || PyType_Ready(&TripleType) < 0 || PyType_Ready(&LabelType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    PyModule_AddObjectRef(m, "Stack", (PyObject *)&StackType);
    PyModule_AddObjectRef(m, "Counter", (PyObject *)&CounterType);
    PyModule_AddObjectRef(m, "AppError", (PyObject *)&AppErrorType);
    PyModule_AddObjectRef(m, "Triple", (PyObject *)&TripleType);
    PyModule_AddObjectRef(m, "Label", (PyObject *)&LabelType);
    PyModule_AddObjectRef(m, "Number", (PyObject *)&NumberType);
    PyModule_AddObjectRef(m, "Real", (PyObject *)&RealType);
    PyModule_AddObjectRef(m, "Blob", (PyObject *)&BlobType);
    return m;
}
