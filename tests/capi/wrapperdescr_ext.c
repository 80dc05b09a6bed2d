/* PyDescr_NewWrapper: slot wrapper descriptors made from a struct wrapperbase. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

/* The wrapped functions. */
static PyObject *
twice(PyObject *self, PyObject *n)
{
    return PyNumber_Multiply(self, n);
}

static PyObject *
fails(PyObject *self, PyObject *n)
{
    PyErr_SetString(PyExc_ValueError, "the wrapped function failed");
    return NULL;
}

/* The wrappers: unpack the arguments and call the wrapped function. */
static PyObject *
wrap_binary(PyObject *self, PyObject *args, void *wrapped)
{
    PyObject *other;
    if (!PyArg_UnpackTuple(args, "", 1, 1, &other))
        return NULL;
    return ((binaryfunc)wrapped)(self, other);
}

static PyObject *
wrap_kwds(PyObject *self, PyObject *args, void *wrapped, PyObject *kwds)
{
    return Py_BuildValue("(OOO)", self, args, kwds ? kwds : Py_None);
}

static struct wrapperbase bases[] = {
    {"__twice__", 0, NULL, wrap_binary, "__twice__($self, n, /)\n--\n\nReturn self*n.", 0, NULL},
    {"__kw__", 0, NULL, (wrapperfunc)(void (*)(void))wrap_kwds, "Echo the arguments.", PyWrapperFlag_KEYWORDS, NULL},
    {"__fails__", 0, NULL, wrap_binary, NULL, 0, NULL},
};

/* (index, type) -> a new wrapper descriptor */
static PyObject *
new_wrapper(PyObject *module, PyObject *args)
{
    int index;
    PyObject *type;
    if (!PyArg_ParseTuple(args, "iO!", &index, &PyType_Type, &type))
        return NULL;
    void *wrapped = index == 0 ? (void *)twice : index == 2 ? (void *)fails : NULL;
    return PyDescr_NewWrapper((PyTypeObject *)type, &bases[index], wrapped);
}

/* What C sees of a wrapper descriptor. */
static PyObject *
inspect(PyObject *module, PyObject *d)
{
    PyWrapperDescrObject *w = (PyWrapperDescrObject *)d;
    int index = (int)(w->d_base - bases);
    return Py_BuildValue("(iOOiii)", Py_IS_TYPE(d, &PyWrapperDescr_Type), (PyObject *)PyDescr_TYPE(d),
                         PyDescr_NAME(d), index, w->d_wrapped == (void *)twice, PyDescr_IsData(d));
}

static PyMethodDef methods[] = {
    {"new_wrapper", new_wrapper, METH_VARARGS, NULL},
    {"inspect", inspect, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "wrapperdescr_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_wrapperdescr_ext(void)
{
    return PyModule_Create(&module);
}
