/* token.h: PyToken_OneChar/TwoChars/ThreeChars and _PyParser_TokenNames. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <token.h>

static PyObject *
one_char(PyObject *self, PyObject *arg)
{
    int c = (int)PyLong_AsLong(arg);
    if (c == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(PyToken_OneChar(c));
}

static PyObject *
two_chars(PyObject *self, PyObject *args)
{
    int a, b;
    if (!PyArg_ParseTuple(args, "ii", &a, &b))
        return NULL;
    return PyLong_FromLong(PyToken_TwoChars(a, b));
}

static PyObject *
three_chars(PyObject *self, PyObject *args)
{
    int a, b, c;
    if (!PyArg_ParseTuple(args, "iii", &a, &b, &c))
        return NULL;
    return PyLong_FromLong(PyToken_ThreeChars(a, b, c));
}

/* The name table up to and including N_TOKENS. */
static PyObject *
token_names(PyObject *self, PyObject *noargs)
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
    for (int i = 0; i <= N_TOKENS; i++) {
        PyObject *name = PyUnicode_FromString(_PyParser_TokenNames[i]);
        if (name == NULL || PyList_Append(list, name) < 0) {
            Py_XDECREF(name);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(name);
    }
    return list;
}

static PyMethodDef methods[] = {
    {"one_char", one_char, METH_O, NULL},
    {"two_chars", two_chars, METH_VARARGS, NULL},
    {"three_chars", three_chars, METH_VARARGS, NULL},
    {"token_names", token_names, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "token_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_token_ext(void)
{
    return PyModule_Create(&module);
}
