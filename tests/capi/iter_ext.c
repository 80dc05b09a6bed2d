/* Iteration: PyIter_Send, async iterators, sequence and callable iterators,
 * PyObject_LengthHint, and the type objects of the builtin iterators and
 * views (Py_TYPE(x) == &Py..._Type). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* (kind, value) where kind is "next", "return" or "error" */
static PyObject *
send(PyObject *self, PyObject *args)
{
    PyObject *iter, *arg;
    if (!PyArg_ParseTuple(args, "OO", &iter, &arg))
        return NULL;
    PyObject *result = (PyObject *)0x1;
    PySendResult r = PyIter_Send(iter, arg, &result);
    if (r == PYGEN_ERROR) {
        if (result != NULL) {
            PyErr_SetString(PyExc_AssertionError, "result not NULL on error");
        }
        return NULL;
    }
    const char *kind = r == PYGEN_NEXT ? "next" : "return";
    PyObject *out = Py_BuildValue("(sO)", kind, result);
    Py_DECREF(result);
    return out;
}

static PyObject *
get_aiter(PyObject *self, PyObject *o)
{
    return PyObject_GetAIter(o);
}

static PyObject *
aiter_check(PyObject *self, PyObject *o)
{
    return PyLong_FromLong(PyAIter_Check(o));
}

static PyObject *
iter_check(PyObject *self, PyObject *o)
{
    return PyLong_FromLong(PyIter_Check(o));
}

static PyObject *
seq_iter(PyObject *self, PyObject *o)
{
    PyObject *it = PySeqIter_New(o);
    if (it == NULL)
        return NULL;
    return Py_BuildValue("(Ni)", it, PySeqIter_Check(it));
}

static PyObject *
call_iter(PyObject *self, PyObject *args)
{
    PyObject *callable, *sentinel;
    if (!PyArg_ParseTuple(args, "OO", &callable, &sentinel))
        return NULL;
    PyObject *it = PyCallIter_New(callable, sentinel);
    if (it == NULL)
        return NULL;
    return Py_BuildValue("(Ni)", it, PyCallIter_Check(it));
}

static PyObject *
length_hint(PyObject *self, PyObject *args)
{
    PyObject *o;
    Py_ssize_t dflt;
    if (!PyArg_ParseTuple(args, "On", &o, &dflt))
        return NULL;
    Py_ssize_t n = PyObject_LengthHint(o, dflt);
    if (n < 0)
        return NULL;
    return PyLong_FromSsize_t(n);
}

/* The name of the static type object that is `o`'s type, or None. */
static PyObject *
type_object_of(PyObject *self, PyObject *o)
{
    static struct { PyTypeObject *type; const char *name; } table[] = {
        {&PyEnum_Type, "PyEnum_Type"},
        {&PyReversed_Type, "PyReversed_Type"},
        {&PyRange_Type, "PyRange_Type"},
        {&PyRangeIter_Type, "PyRangeIter_Type"},
        {&PyLongRangeIter_Type, "PyLongRangeIter_Type"},
        {&PySeqIter_Type, "PySeqIter_Type"},
        {&PyCallIter_Type, "PyCallIter_Type"},
        {&PyListIter_Type, "PyListIter_Type"},
        {&PyListRevIter_Type, "PyListRevIter_Type"},
        {&PyTupleIter_Type, "PyTupleIter_Type"},
        {&PySetIter_Type, "PySetIter_Type"},
        {&PyByteArrayIter_Type, "PyByteArrayIter_Type"},
        {&PyDictKeys_Type, "PyDictKeys_Type"},
        {&PyDictValues_Type, "PyDictValues_Type"},
        {&PyDictItems_Type, "PyDictItems_Type"},
        {&PyDictIterKey_Type, "PyDictIterKey_Type"},
        {&PyDictIterValue_Type, "PyDictIterValue_Type"},
        {&PyDictIterItem_Type, "PyDictIterItem_Type"},
        {&PyDictRevIterKey_Type, "PyDictRevIterKey_Type"},
        {&PyDictRevIterValue_Type, "PyDictRevIterValue_Type"},
        {&PyDictRevIterItem_Type, "PyDictRevIterItem_Type"},
        {&PyODict_Type, "PyODict_Type"},
        {&PyODictIter_Type, "PyODictIter_Type"},
        {&PyODictKeys_Type, "PyODictKeys_Type"},
        {&PyODictValues_Type, "PyODictValues_Type"},
        {&PyODictItems_Type, "PyODictItems_Type"},
        {&PyPickleBuffer_Type, "PyPickleBuffer_Type"},
        {&PyMemoryView_Type, "PyMemoryView_Type"},
        {&PyByteArray_Type, "PyByteArray_Type"},
        {&PySlice_Type, "PySlice_Type"},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (Py_IS_TYPE(o, table[i].type))
            return PyUnicode_FromString(table[i].name);
    }
    Py_RETURN_NONE;
}

static PyObject *
dict_view_checks(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(iiii)", PyDictKeys_Check(o), PyDictValues_Check(o), PyDictItems_Check(o),
                         PyDictViewSet_Check(o));
}

/* Calling the type objects, as C makes enumerate and reversed objects. */
static PyObject *
call_types(PyObject *self, PyObject *seq)
{
    PyObject *rev = PyObject_CallFunctionObjArgs((PyObject *)&PyReversed_Type, seq, NULL);
    if (rev == NULL)
        return NULL;
    PyObject *en = PyObject_CallFunction((PyObject *)&PyEnum_Type, "Oi", seq, 10);
    if (en == NULL) {
        Py_DECREF(rev);
        return NULL;
    }
    PyObject *result = Py_BuildValue("(NN)", PySequence_List(rev), PySequence_List(en));
    Py_DECREF(rev);
    Py_DECREF(en);
    return result;
}

static PyMethodDef methods[] = {
    {"call_types", call_types, METH_O, NULL},
    {"send", send, METH_VARARGS, NULL},
    {"get_aiter", get_aiter, METH_O, NULL},
    {"aiter_check", aiter_check, METH_O, NULL},
    {"iter_check", iter_check, METH_O, NULL},
    {"seq_iter", seq_iter, METH_O, NULL},
    {"call_iter", call_iter, METH_VARARGS, NULL},
    {"length_hint", length_hint, METH_VARARGS, NULL},
    {"type_object_of", type_object_of, METH_O, NULL},
    {"dict_view_checks", dict_view_checks, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "iter_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_iter_ext(void)
{
    return PyModule_Create(&moduledef);
}
