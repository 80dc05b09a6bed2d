/* An object that only C holds dies when C lets go of it, in the middle of
 * the C call: its finalizer runs then, and a memoryview gives its export
 * back (BytesIO.getbuffer(), then a write that resizes the BytesIO). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* A temporary view of a BytesIO, released before writing to it. */
static PyObject *
view_then_write(PyObject *self, PyObject *bio)
{
    PyObject *view = PyObject_CallMethod(bio, "getbuffer", NULL);
    if (view == NULL)
        return NULL;
    Py_ssize_t n = PyObject_Length(view);
    Py_DECREF(view);
    if (n < 0)
        return NULL;
    PyObject *written = PyObject_CallMethod(bio, "write", "y", "abc");
    if (written == NULL)
        return NULL;
    return Py_BuildValue("nN", n, written);
}

/* Makes an object with factory(), releases it, then calls log("released"):
 * in CPython the object's __del__ has run before the log call. */
static PyObject *
make_and_drop(PyObject *self, PyObject *args)
{
    PyObject *factory, *log;
    if (!PyArg_ParseTuple(args, "OO", &factory, &log))
        return NULL;
    PyObject *obj = PyObject_CallNoArgs(factory);
    if (obj == NULL)
        return NULL;
    Py_DECREF(obj);
    return PyObject_CallFunction(log, "s", "released");
}

/* The steal-then-take-back pattern: the list keeps the object alive, so it
 * must survive the count reaching zero for a moment. */
static PyObject *
steal_then_keep(PyObject *self, PyObject *args)
{
    PyObject *factory, *log;
    if (!PyArg_ParseTuple(args, "OO", &factory, &log))
        return NULL;
    PyObject *list = PyList_New(1);
    if (list == NULL)
        return NULL;
    PyObject *obj = PyObject_CallNoArgs(factory);
    if (obj == NULL) {
        Py_DECREF(list);
        return NULL;
    }
    PyList_SetItem(list, 0, obj); /* steals */
    Py_INCREF(obj);               /* and takes it back */
    PyObject *r = PyObject_CallFunction(log, "s", "stored");
    if (r == NULL) {
        Py_DECREF(obj);
        Py_DECREF(list);
        return NULL;
    }
    Py_DECREF(r);
    Py_DECREF(list);
    return obj;
}

/* An object the caller holds too: C's release does not end it. */
static PyObject *
release_shared(PyObject *self, PyObject *args)
{
    PyObject *obj, *log;
    if (!PyArg_ParseTuple(args, "OO", &obj, &log))
        return NULL;
    Py_INCREF(obj);
    Py_DECREF(obj);
    return PyObject_CallFunction(log, "s", "released shared");
}

/* A list C made (PyList_New, then PyList_SET_ITEM) holds the only
 * reference to an object: when C releases the list, the object dies with
 * it, before the log call. */
static PyObject *
list_then_drop(PyObject *self, PyObject *args)
{
    PyObject *factory, *log;
    if (!PyArg_ParseTuple(args, "OO", &factory, &log))
        return NULL;
    PyObject *list = PyList_New(1);
    if (list == NULL)
        return NULL;
    PyObject *obj = PyObject_CallNoArgs(factory);
    if (obj == NULL) {
        Py_DECREF(list);
        return NULL;
    }
    PyList_SET_ITEM(list, 0, obj);
    Py_DECREF(list);
    return PyObject_CallFunction(log, "s", "list released");
}

static PyMethodDef methods[] = {
    {"list_then_drop", list_then_drop, METH_VARARGS, NULL},
    {"view_then_write", view_then_write, METH_O, NULL},
    {"make_and_drop", make_and_drop, METH_VARARGS, NULL},
    {"steal_then_keep", steal_then_keep, METH_VARARGS, NULL},
    {"release_shared", release_shared, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "tempdeath_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_tempdeath_ext(void)
{
    return PyModule_Create(&module);
}
