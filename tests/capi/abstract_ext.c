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

static PyMethodDef methods[] = {
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
