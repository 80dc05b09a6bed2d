/* Object protocol conformance tests: attributes, repr/str, comparison,
 * hashing, truth, calling, length, items, isinstance/issubclass, iteration,
 * identity helpers and the ob_type / ob_refcnt facts C code sees. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Turn a C int result (-1 meaning error) into a Python int or the pending
 * exception. */
static PyObject *
int_result(int r)
{
    if (r == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    return PyLong_FromLong(r);
}

/* Fetch a C string from a str argument (or fail with the pending error). */
static const char *
cstr(PyObject *o)
{
    return PyUnicode_AsUTF8(o);
}

#define ARG(i) PyTuple_GET_ITEM(args, (i))

static int
need_args(PyObject *args, Py_ssize_t n)
{
    if (PyTuple_GET_SIZE(args) != n) {
        PyErr_SetString(PyExc_TypeError, "wrong number of arguments");
        return 0;
    }
    return 1;
}

/* ---- attributes ---- */

static PyObject *
o_getattr(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    return PyObject_GetAttr(ARG(0), ARG(1));
}

static PyObject *
o_getattrstring(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    const char *name = cstr(ARG(1));
    if (name == NULL) return NULL;
    return PyObject_GetAttrString(ARG(0), name);
}

static PyObject *
o_setattr(PyObject *self, PyObject *args)
{
    if (!need_args(args, 3)) return NULL;
    int r = PyObject_SetAttr(ARG(0), ARG(1), ARG(2));
    return int_result(r);
}

static PyObject *
o_setattr_null(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    int r = PyObject_SetAttr(ARG(0), ARG(1), NULL);
    return int_result(r);
}

static PyObject *
o_setattrstring(PyObject *self, PyObject *args)
{
    if (!need_args(args, 3)) return NULL;
    const char *name = cstr(ARG(1));
    if (name == NULL) return NULL;
    int r = PyObject_SetAttrString(ARG(0), name, ARG(2));
    return int_result(r);
}

static PyObject *
o_hasattr(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    int r = PyObject_HasAttr(ARG(0), ARG(1));
    return int_result(r);
}

static PyObject *
o_hasattrstring(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    const char *name = cstr(ARG(1));
    if (name == NULL) return NULL;
    int r = PyObject_HasAttrString(ARG(0), name);
    return int_result(r);
}

static PyObject *
o_delattr(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    int r = PyObject_DelAttr(ARG(0), ARG(1));
    return int_result(r);
}

static PyObject *
o_delattrstring(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    const char *name = cstr(ARG(1));
    if (name == NULL) return NULL;
    int r = PyObject_DelAttrString(ARG(0), name);
    return int_result(r);
}

/* ---- repr / str ---- */

static PyObject *
o_repr(PyObject *self, PyObject *o)
{
    return PyObject_Repr(o);
}

static PyObject *
o_str(PyObject *self, PyObject *o)
{
    return PyObject_Str(o);
}

static PyObject *
o_ascii(PyObject *self, PyObject *o)
{
    return PyObject_ASCII(o == Py_Ellipsis ? NULL : o);
}

/* repr() result must be an exact str: report whether it is. */
static PyObject *
o_repr_is_str(PyObject *self, PyObject *o)
{
    PyObject *r = PyObject_Repr(o);
    if (r == NULL) return NULL;
    int ok = PyUnicode_Check(r);
    Py_DECREF(r);
    return PyBool_FromLong(ok);
}

/* ---- comparison ---- */

static int
get_op(PyObject *o, int *op)
{
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) return 0;
    *op = (int)v;
    return 1;
}

static PyObject *
o_richcompare(PyObject *self, PyObject *args)
{
    int op;
    if (!need_args(args, 3)) return NULL;
    if (!get_op(ARG(2), &op)) return NULL;
    return PyObject_RichCompare(ARG(0), ARG(1), op);
}

static PyObject *
o_richcomparebool(PyObject *self, PyObject *args)
{
    int op;
    if (!need_args(args, 3)) return NULL;
    if (!get_op(ARG(2), &op)) return NULL;
    int r = PyObject_RichCompareBool(ARG(0), ARG(1), op);
    return int_result(r);
}

static PyObject *
o_op_constants(PyObject *self, PyObject *unused)
{
    PyObject *t = PyTuple_New(6);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(Py_LT));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(Py_LE));
    PyTuple_SET_ITEM(t, 2, PyLong_FromLong(Py_EQ));
    PyTuple_SET_ITEM(t, 3, PyLong_FromLong(Py_NE));
    PyTuple_SET_ITEM(t, 4, PyLong_FromLong(Py_GT));
    PyTuple_SET_ITEM(t, 5, PyLong_FromLong(Py_GE));
    return t;
}

/* ---- hashing ---- */

static PyObject *
o_hash(PyObject *self, PyObject *o)
{
    Py_hash_t h = PyObject_Hash(o);
    if (h == -1 && PyErr_Occurred()) return NULL;
    if (h == -1) {
        PyErr_SetString(PyExc_ValueError, "hash -1 without error");
        return NULL;
    }
    return PyLong_FromSsize_t(h);
}

/* ---- truth ---- */

static PyObject *
o_istrue(PyObject *self, PyObject *o)
{
    return int_result(PyObject_IsTrue(o));
}

static PyObject *
o_not(PyObject *self, PyObject *o)
{
    return int_result(PyObject_Not(o));
}

/* ---- type ---- */

static PyObject *
o_type(PyObject *self, PyObject *o)
{
    return PyObject_Type(o);
}

/* Does PyObject_Type agree with Py_TYPE? */
static PyObject *
o_type_matches(PyObject *self, PyObject *o)
{
    PyObject *t = PyObject_Type(o);
    if (t == NULL) return NULL;
    int same = (t == (PyObject *)Py_TYPE(o));
    Py_DECREF(t);
    return PyBool_FromLong(same);
}

/* Which builtin type object does ob_type point to? */
static PyObject *
o_type_name_c(PyObject *self, PyObject *o)
{
    PyTypeObject *t = Py_TYPE(o);
    const char *name;
    if (t == &PyLong_Type) name = "PyLong_Type";
    else if (t == &PyBool_Type) name = "PyBool_Type";
    else if (t == &PyFloat_Type) name = "PyFloat_Type";
    else if (t == &PyUnicode_Type) name = "PyUnicode_Type";
    else if (t == &PyBytes_Type) name = "PyBytes_Type";
    else if (t == &PyTuple_Type) name = "PyTuple_Type";
    else name = "other";
    return PyUnicode_FromString(name);
}

static PyObject *
o_refcnt_positive(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(Py_REFCNT(o) >= 1);
}

/* INCREF/DECREF pair must leave the refcount as it was. */
static PyObject *
o_incref_decref_balanced(PyObject *self, PyObject *o)
{
    Py_ssize_t before = Py_REFCNT(o);
    Py_INCREF(o);
    Py_ssize_t during = Py_REFCNT(o);
    Py_DECREF(o);
    Py_ssize_t after = Py_REFCNT(o);
    PyObject *t = PyTuple_New(2);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(during == before + 1));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(after == before));
    return t;
}

/* ---- calling ---- */

static PyObject *
o_call(PyObject *self, PyObject *args)
{
    if (!need_args(args, 3)) return NULL;
    PyObject *kw = ARG(2);
    if (kw == Py_None) kw = NULL;
    return PyObject_Call(ARG(0), ARG(1), kw);
}

static PyObject *
o_callobject(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    PyObject *a = ARG(1);
    if (a == Py_None) a = NULL;
    return PyObject_CallObject(ARG(0), a);
}

static PyObject *
o_callnoargs(PyObject *self, PyObject *o)
{
    return PyObject_CallNoArgs(o);
}

static PyObject *
o_callonearg(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    return PyObject_CallOneArg(ARG(0), ARG(1));
}

/* Call a callable with a tuple built in C: (1, "two", None). */
static PyObject *
o_call_built_tuple(PyObject *self, PyObject *callable)
{
    PyObject *t = PyTuple_New(3);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(1));
    PyTuple_SET_ITEM(t, 1, PyUnicode_FromString("two"));
    Py_INCREF(Py_None);
    PyTuple_SET_ITEM(t, 2, Py_None);
    PyObject *r = PyObject_Call(callable, t, NULL);
    Py_DECREF(t);
    return r;
}

/* ---- length / items ---- */

static PyObject *
o_length(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PyObject_Length(o);
    if (n == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
o_size(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PyObject_Size(o);
    if (n == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
o_getitem(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    return PyObject_GetItem(ARG(0), ARG(1));
}

static PyObject *
o_setitem(PyObject *self, PyObject *args)
{
    if (!need_args(args, 3)) return NULL;
    return int_result(PyObject_SetItem(ARG(0), ARG(1), ARG(2)));
}

static PyObject *
o_delitem(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    return int_result(PyObject_DelItem(ARG(0), ARG(1)));
}

/* ---- isinstance / issubclass ---- */

static PyObject *
o_isinstance(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    return int_result(PyObject_IsInstance(ARG(0), ARG(1)));
}

static PyObject *
o_issubclass(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    return int_result(PyObject_IsSubclass(ARG(0), ARG(1)));
}

/* ---- iteration ---- */

static PyObject *
o_getiter(PyObject *self, PyObject *o)
{
    return PyObject_GetIter(o);
}

/* One PyIter_Next step: (item,) or () when exhausted, error propagated. */
static PyObject *
o_iternext(PyObject *self, PyObject *it)
{
    PyObject *item = PyIter_Next(it);
    if (item == NULL) {
        if (PyErr_Occurred()) return NULL;
        return PyTuple_New(0);
    }
    PyObject *t = PyTuple_New(1);
    if (t == NULL) {
        Py_DECREF(item);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, item);
    return t;
}

/* Drain an iterable entirely in C, summing integer items; returns
 * (count, sum). */
static PyObject *
o_count_and_sum(PyObject *self, PyObject *o)
{
    PyObject *it = PyObject_GetIter(o);
    if (it == NULL) return NULL;
    long count = 0, sum = 0;
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        long v = PyLong_AsLong(item);
        Py_DECREF(item);
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(it);
            return NULL;
        }
        count++;
        sum += v;
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) return NULL;
    PyObject *t = PyTuple_New(2);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(count));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(sum));
    return t;
}

/* ---- identity helpers ---- */

static PyObject *
o_is(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    return PyBool_FromLong(Py_Is(ARG(0), ARG(1)));
}

static PyObject *
o_is_none(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(Py_IsNone(o));
}

static PyObject *
o_is_true(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(Py_IsTrue(o));
}

static PyObject *
o_is_false(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(Py_IsFalse(o));
}

/* Raise an error from C with a fixed message. */
static PyObject *
o_raise_value_error(PyObject *self, PyObject *unused)
{
    PyErr_SetString(PyExc_ValueError, "raised from C");
    return NULL;
}

/* Store a C-created attribute on an object, read it back through a
 * differently spelled API, and delete it again. */
static PyObject *
o_attr_roundtrip(PyObject *self, PyObject *o)
{
    PyObject *value = PyLong_FromLong(12345);
    if (value == NULL) return NULL;
    if (PyObject_SetAttrString(o, "c_attr", value) < 0) {
        Py_DECREF(value);
        return NULL;
    }
    Py_DECREF(value);
    PyObject *name = PyUnicode_FromString("c_attr");
    if (name == NULL) return NULL;
    int has_before = PyObject_HasAttr(o, name);
    PyObject *back = PyObject_GetAttr(o, name);
    if (back == NULL) {
        Py_DECREF(name);
        return NULL;
    }
    long v = PyLong_AsLong(back);
    Py_DECREF(back);
    if (PyObject_DelAttr(o, name) < 0) {
        Py_DECREF(name);
        return NULL;
    }
    int has_after = PyObject_HasAttrString(o, "c_attr");
    Py_DECREF(name);
    PyObject *t = PyTuple_New(3);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(has_before));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(v));
    PyTuple_SET_ITEM(t, 2, PyLong_FromLong(has_after));
    return t;
}

static PyMethodDef methods[] = {
    {"ascii", o_ascii, METH_O, NULL},
    {"getattr", o_getattr, METH_VARARGS, NULL},
    {"getattrstring", o_getattrstring, METH_VARARGS, NULL},
    {"setattr", o_setattr, METH_VARARGS, NULL},
    {"setattr_null", o_setattr_null, METH_VARARGS, NULL},
    {"setattrstring", o_setattrstring, METH_VARARGS, NULL},
    {"hasattr", o_hasattr, METH_VARARGS, NULL},
    {"hasattrstring", o_hasattrstring, METH_VARARGS, NULL},
    {"delattr", o_delattr, METH_VARARGS, NULL},
    {"delattrstring", o_delattrstring, METH_VARARGS, NULL},
    {"attr_roundtrip", o_attr_roundtrip, METH_O, NULL},
    {"repr", o_repr, METH_O, NULL},
    {"str", o_str, METH_O, NULL},
    {"repr_is_str", o_repr_is_str, METH_O, NULL},
    {"richcompare", o_richcompare, METH_VARARGS, NULL},
    {"richcomparebool", o_richcomparebool, METH_VARARGS, NULL},
    {"op_constants", o_op_constants, METH_NOARGS, NULL},
    {"hash", o_hash, METH_O, NULL},
    {"istrue", o_istrue, METH_O, NULL},
    {"not_", o_not, METH_O, NULL},
    {"type", o_type, METH_O, NULL},
    {"type_matches", o_type_matches, METH_O, NULL},
    {"type_name_c", o_type_name_c, METH_O, NULL},
    {"refcnt_positive", o_refcnt_positive, METH_O, NULL},
    {"incref_decref_balanced", o_incref_decref_balanced, METH_O, NULL},
    {"call", o_call, METH_VARARGS, NULL},
    {"callobject", o_callobject, METH_VARARGS, NULL},
    {"callnoargs", o_callnoargs, METH_O, NULL},
    {"callonearg", o_callonearg, METH_VARARGS, NULL},
    {"call_built_tuple", o_call_built_tuple, METH_O, NULL},
    {"length", o_length, METH_O, NULL},
    {"size", o_size, METH_O, NULL},
    {"getitem", o_getitem, METH_VARARGS, NULL},
    {"setitem", o_setitem, METH_VARARGS, NULL},
    {"delitem", o_delitem, METH_VARARGS, NULL},
    {"isinstance", o_isinstance, METH_VARARGS, NULL},
    {"issubclass", o_issubclass, METH_VARARGS, NULL},
    {"getiter", o_getiter, METH_O, NULL},
    {"iternext", o_iternext, METH_O, NULL},
    {"count_and_sum", o_count_and_sum, METH_O, NULL},
    {"is_", o_is, METH_VARARGS, NULL},
    {"is_none", o_is_none, METH_O, NULL},
    {"is_true", o_is_true, METH_O, NULL},
    {"is_false", o_is_false, METH_O, NULL},
    {"raise_value_error", o_raise_value_error, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    "object_ext",
    "Object protocol conformance tests",
    -1,
    methods
};

PyMODINIT_FUNC
PyInit_object_ext(void)
{
    return PyModule_Create(&moduledef);
}
