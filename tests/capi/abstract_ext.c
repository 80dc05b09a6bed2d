/* abstract.h: PyNumber_Index and the sequence protocol. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
number_index(PyObject *self, PyObject *o)
{
    PyObject *r = PyNumber_Index(o);
    if (r == NULL)
        return NULL;
    PyObject *t = PyTuple_New(2);
    PyTuple_SET_ITEM(t, 0, r);
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(PyLong_CheckExact(r)));
    return t;
}

static PyObject *
sequence_check(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(PySequence_Check(o));
}

static PyObject *
sequence_size(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PySequence_Size(o);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
sequence_get_item(PyObject *self, PyObject *args)
{
    Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    if (i == -1 && PyErr_Occurred())
        return NULL;
    return PySequence_GetItem(PyTuple_GET_ITEM(args, 0), i);
}


/* abstract.h, continued: formatting, the old buffer interface, the
 * vectorcall function of an object. */

static PyObject *
format(PyObject *self, PyObject *args)
{
    PyObject *o, *spec = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &o, &spec))
        return NULL;
    return PyObject_Format(o, spec);
}

static PyObject *
old_buffers(PyObject *self, PyObject *o)
{
    const char *cbuf = NULL;
    const void *rbuf = NULL;
    void *wbuf = NULL;
    Py_ssize_t clen = -1, rlen = -1, wlen = -1;
    int check = PyObject_CheckReadBuffer(o);
    int c = PyObject_AsCharBuffer(o, &cbuf, &clen);
    PyObject *cerr = PyErr_Occurred();
    PyObject *cerr_str = NULL;
    if (cerr) {
        PyObject *t, *v, *tb;
        PyErr_Fetch(&t, &v, &tb);
        cerr_str = PyUnicode_FromFormat("%s: %S", ((PyTypeObject *)t)->tp_name, v ? v : Py_None);
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
    }
    int r = PyObject_AsReadBuffer(o, &rbuf, &rlen);
    PyErr_Clear();
    int w = PyObject_AsWriteBuffer(o, &wbuf, &wlen);
    PyObject *werr_str = NULL;
    if (w < 0) {
        PyObject *t, *v, *tb;
        PyErr_Fetch(&t, &v, &tb);
        werr_str = PyUnicode_FromFormat("%s: %S", ((PyTypeObject *)t)->tp_name, v ? v : Py_None);
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
    }
    else if (wlen > 0) {
        ((char *)wbuf)[0] = 'W'; /* the write reaches the object */
    }
    PyObject *data = c == 0 ? PyBytes_FromStringAndSize(cbuf, clen) : Py_NewRef(Py_None);
    PyObject *out = Py_BuildValue("(iNnOinOOi)", check, data, clen, cerr_str ? cerr_str : Py_None, r, rlen,
                                  werr_str ? werr_str : Py_None, wlen >= 0 ? Py_True : Py_False,
                                  c == 0 && r == 0 ? cbuf == (const char *)rbuf : -1);
    Py_XDECREF(cerr_str);
    Py_XDECREF(werr_str);
    return out;
}

static PyObject *
old_buffer_null_args(PyObject *self, PyObject *o)
{
    const char *buf;
    if (PyObject_AsCharBuffer(o, &buf, NULL) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
vectorcall_function(PyObject *self, PyObject *o)
{
    /* Only whether there is one: host callables carry none here, builtin
     * functions do in CPython, so the test passes objects of Python
     * classes, which have none in both. */
    return PyBool_FromLong(PyVectorcall_Function(o) != NULL);
}

static PyObject *
generic_get_dict(PyObject *self, PyObject *o)
{
    return PyObject_GenericGetDict(o, NULL);
}


_Py_IDENTIFIER(upper);
_Py_IDENTIFIER(count);
_Py_IDENTIFIER(replace);

/* The private call forms: _PyObject_FastCall, the identifier methods,
 * _PyObject_CallMethod, the 3.8 aliases. */
static PyObject *
private_calls(PyObject *self, PyObject *args)
{
    PyObject *s, *fn;
    if (!PyArg_ParseTuple(args, "OO", &s, &fn))
        return NULL;
    PyObject *a = PyUnicode_FromString("l");
    PyObject *b = PyUnicode_FromString("L");
    PyObject *argv[2] = {s, a};
    PyObject *r1 = _PyObject_FastCall(fn, argv, 2);
    PyObject *r2 = _PyObject_CallMethodIdNoArgs(s, &PyId_upper);
    PyObject *r3 = _PyObject_CallMethodIdOneArg(s, &PyId_count, a);
    PyObject *r4 = _PyObject_CallMethodIdObjArgs(s, &PyId_replace, a, b, NULL);
    PyObject *name = PyUnicode_FromString("center");
    PyObject *r5 = _PyObject_CallMethod(s, name, "ns", (Py_ssize_t)9, "*");
    PyObject *r6 = _PyObject_CallOneArg(fn, s) ? NULL : NULL; /* fn needs 2 args: TypeError */
    PyErr_Clear();
    PyObject *r7 = _PyObject_Vectorcall(fn, argv, 2, NULL);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(name);
    (void)r6;
    if (!r1 || !r2 || !r3 || !r4 || !r5 || !r7) {
        Py_XDECREF(r1); Py_XDECREF(r2); Py_XDECREF(r3); Py_XDECREF(r4); Py_XDECREF(r5); Py_XDECREF(r7);
        return NULL;
    }
    return Py_BuildValue("(NNNNNN)", r1, r2, r3, r4, r5, r7);
}

static PyObject *
call_method_not_callable(PyObject *self, PyObject *o)
{
    PyObject *name = PyUnicode_FromString("real");
    PyObject *r = _PyObject_CallMethod(o, name, NULL);
    Py_DECREF(name);
    return r;
}

static PyObject *
has_len(PyObject *self, PyObject *o)
{
    return PyLong_FromLong(_PyObject_HasLen(o));
}

static PyObject *
number_index_private(PyObject *self, PyObject *o)
{
    PyObject *r = _PyNumber_Index(o);
    if (r == NULL)
        return NULL;
    return Py_BuildValue("(NO)", r, PyLong_CheckExact(r) ? Py_True : Py_False);
}

static PyMethodDef methods[] = {
    {"private_calls", private_calls, METH_VARARGS, NULL},
    {"call_method_not_callable", call_method_not_callable, METH_O, NULL},
    {"has_len", has_len, METH_O, NULL},
    {"number_index_private", number_index_private, METH_O, NULL},
    {"format", format, METH_VARARGS, NULL},
    {"old_buffers", old_buffers, METH_O, NULL},
    {"old_buffer_null_args", old_buffer_null_args, METH_O, NULL},
    {"vectorcall_function", vectorcall_function, METH_O, NULL},
    {"generic_get_dict", generic_get_dict, METH_O, NULL},
    {"number_index", number_index, METH_O, NULL},
    {"sequence_check", sequence_check, METH_O, NULL},
    {"sequence_size", sequence_size, METH_O, NULL},
    {"sequence_get_item", sequence_get_item, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "abstract_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_abstract_ext(void)
{
    return PyModule_Create(&moduledef);
}
