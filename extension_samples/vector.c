/* vector: a static type in the classic style. A 2-D vector with members,
 * computed attributes (getset), methods, and the number and sequence
 * protocols. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    double x, y;
    PyObject *label;
} Vector;

static PyTypeObject VectorType;

static PyObject *
vector_make(PyTypeObject *type, double x, double y)
{
    Vector *v = (Vector *)type->tp_alloc(type, 0);
    if (v != NULL) {
        v->x = x;
        v->y = y;
        v->label = Py_NewRef(Py_None);
    }
    return (PyObject *)v;
}

static PyObject *
Vector_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    double c[2] = {0, 0};
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n > 2) {
        PyErr_SetString(PyExc_TypeError, "Vector(x=0, y=0)");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        c[i] = PyFloat_AsDouble(PyTuple_GET_ITEM(args, i));
        if (c[i] == -1.0 && PyErr_Occurred())
            return NULL;
    }
    return vector_make(type, c[0], c[1]);
}

static void
Vector_dealloc(Vector *self)
{
    Py_XDECREF(self->label);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Vector_repr(Vector *self)
{
    PyObject *x = PyFloat_FromDouble(self->x), *y = PyFloat_FromDouble(self->y);
    PyObject *xs = PyObject_Repr(x), *ys = PyObject_Repr(y);
    PyObject *parts[5] = {PyUnicode_FromString("Vector("), xs, PyUnicode_FromString(", "), ys,
                          PyUnicode_FromString(")")};
    PyObject *r = PyUnicode_FromString("");
    for (int i = 0; i < 5; i++) {
        PyObject *next = PyUnicode_Concat(r, parts[i]);
        Py_DECREF(r);
        r = next;
    }
    for (int i = 0; i < 5; i++)
        Py_DECREF(parts[i]);
    Py_DECREF(x);
    Py_DECREF(y);
    return r;
}

static PyObject *
Vector_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &VectorType) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    Vector *u = (Vector *)a, *v = (Vector *)b;
    int equal = u->x == v->x && u->y == v->y;
    return PyBool_FromLong(op == Py_EQ ? equal : !equal);
}

/* Number protocol: +, -, scalar *, unary -, abs(), bool(). */
static PyObject *
Vector_add(PyObject *a, PyObject *b)
{
    if (!PyObject_TypeCheck(a, &VectorType) || !PyObject_TypeCheck(b, &VectorType))
        Py_RETURN_NOTIMPLEMENTED;
    Vector *u = (Vector *)a, *v = (Vector *)b;
    return vector_make(Py_TYPE(a), u->x + v->x, u->y + v->y);
}

static PyObject *
Vector_sub(PyObject *a, PyObject *b)
{
    if (!PyObject_TypeCheck(a, &VectorType) || !PyObject_TypeCheck(b, &VectorType))
        Py_RETURN_NOTIMPLEMENTED;
    Vector *u = (Vector *)a, *v = (Vector *)b;
    return vector_make(Py_TYPE(a), u->x - v->x, u->y - v->y);
}

static PyObject *
Vector_mul(PyObject *a, PyObject *b)
{
    PyObject *vec = PyObject_TypeCheck(a, &VectorType) ? a : b;
    PyObject *scalar = vec == a ? b : a;
    if (!PyFloat_Check(scalar) && !PyLong_Check(scalar))
        Py_RETURN_NOTIMPLEMENTED;
    double k = PyFloat_AsDouble(scalar);
    return vector_make(Py_TYPE(vec), ((Vector *)vec)->x * k, ((Vector *)vec)->y * k);
}

static PyObject *Vector_neg(Vector *v) { return vector_make(Py_TYPE(v), -v->x, -v->y); }
static PyObject *Vector_abs(Vector *v) { return PyFloat_FromDouble(hypot(v->x, v->y)); }
static int Vector_bool(Vector *v) { return v->x != 0 || v->y != 0; }

static PyNumberMethods Vector_as_number = {
    .nb_add = Vector_add,
    .nb_subtract = Vector_sub,
    .nb_multiply = Vector_mul,
    .nb_negative = (unaryfunc)Vector_neg,
    .nb_absolute = (unaryfunc)Vector_abs,
    .nb_bool = (inquiry)Vector_bool,
};

/* Sequence protocol: len(v) == 2, v[0], v[1]. */
static Py_ssize_t Vector_len(Vector *v) { return 2; }

static PyObject *
Vector_item(Vector *v, Py_ssize_t i)
{
    if (i < 0 || i > 1) {
        PyErr_SetString(PyExc_IndexError, "Vector index out of range");
        return NULL;
    }
    return PyFloat_FromDouble(i == 0 ? v->x : v->y);
}

static PySequenceMethods Vector_as_sequence = {
    .sq_length = (lenfunc)Vector_len,
    .sq_item = (ssizeargfunc)Vector_item,
};

static PyObject *
Vector_dot(Vector *self, PyObject *other)
{
    if (!PyObject_TypeCheck(other, &VectorType)) {
        PyErr_SetString(PyExc_TypeError, "dot() needs a Vector");
        return NULL;
    }
    Vector *o = (Vector *)other;
    return PyFloat_FromDouble(self->x * o->x + self->y * o->y);
}

static PyObject *
Vector_unit(PyTypeObject *cls, PyObject *arg)
{
    double angle = PyFloat_AsDouble(arg);
    if (angle == -1.0 && PyErr_Occurred())
        return NULL;
    return vector_make(cls, cos(angle), sin(angle));
}

static PyMethodDef Vector_methods[] = {
    {"dot", (PyCFunction)Vector_dot, METH_O, "dot(other) -> float"},
    {"unit", (PyCFunction)Vector_unit, METH_O | METH_CLASS, "unit(angle) -> the unit vector at angle"},
    {NULL},
};

static PyMemberDef Vector_members[] = {
    {"x", T_DOUBLE, offsetof(Vector, x), 0, "x coordinate"},
    {"y", T_DOUBLE, offsetof(Vector, y), 0, "y coordinate"},
    {"label", T_OBJECT, offsetof(Vector, label), 0, "a free-form label"},
    {NULL},
};

static PyObject *
Vector_get_angle(Vector *v, void *closure)
{
    return PyFloat_FromDouble(atan2(v->y, v->x));
}

static PyGetSetDef Vector_getset[] = {
    {"angle", (getter)Vector_get_angle, NULL, "the angle to the x axis", NULL},
    {NULL},
};

static PyTypeObject VectorType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "vector.Vector",
    .tp_doc = "A 2-D vector.",
    .tp_basicsize = sizeof(Vector),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = Vector_new,
    .tp_dealloc = (destructor)Vector_dealloc,
    .tp_repr = (reprfunc)Vector_repr,
    .tp_richcompare = Vector_richcompare,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_as_number = &Vector_as_number,
    .tp_as_sequence = &Vector_as_sequence,
    .tp_methods = Vector_methods,
    .tp_members = Vector_members,
    .tp_getset = Vector_getset,
};

static struct PyModuleDef vector_module = {PyModuleDef_HEAD_INIT, "vector", "A 2-D vector type.", -1, NULL};

PyMODINIT_FUNC
PyInit_vector(void)
{
    if (PyType_Ready(&VectorType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&vector_module);
    if (m != NULL && PyModule_AddObjectRef(m, "Vector", (PyObject *)&VectorType) < 0)
        Py_CLEAR(m);
    return m;
}
