/* Slices: PySliceObject's fields read directly, PySlice_New, Unpack,
 * AdjustIndices, GetIndicesEx and the old GetIndices. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* (start, stop, step) read straight from the struct. */
static PyObject *
fields(PyObject *self, PyObject *o)
{
    if (!PySlice_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "not a slice");
        return NULL;
    }
    PySliceObject *s = (PySliceObject *)o;
    return Py_BuildValue("(OOO)", s->start, s->stop, s->step);
}

/* The fields of a slice made in C, and whether they are the very objects. */
static PyObject *
new_and_read(PyObject *self, PyObject *args)
{
    PyObject *start = NULL, *stop = NULL, *step = NULL;
    if (!PyArg_ParseTuple(args, "|OOO", &start, &stop, &step))
        return NULL;
    if (start == Py_None)
        start = NULL;
    if (step == Py_None)
        step = NULL;
    PyObject *s = PySlice_New(start, stop, step);
    if (s == NULL)
        return NULL;
    PySliceObject *so = (PySliceObject *)s;
    PyObject *r = Py_BuildValue("(NOOOii)", s, so->start, so->stop, so->step,
                                start == NULL ? so->start == Py_None : so->start == start,
                                step == NULL ? so->step == Py_None : so->step == step);
    return r;
}

static PyObject *
indices_ex(PyObject *self, PyObject *args)
{
    PyObject *s;
    Py_ssize_t length, start, stop, step, slicelen;
    if (!PyArg_ParseTuple(args, "On", &s, &length))
        return NULL;
    if (PySlice_GetIndicesEx(s, length, &start, &stop, &step, &slicelen) < 0)
        return NULL;
    return Py_BuildValue("(nnnn)", start, stop, step, slicelen);
}

static PyObject *
indices_old(PyObject *self, PyObject *args)
{
    PyObject *s;
    Py_ssize_t length, start = -99, stop = -99, step = -99;
    if (!PyArg_ParseTuple(args, "On", &s, &length))
        return NULL;
    int r = PySlice_GetIndices(s, length, &start, &stop, &step);
    PyObject *err = PyErr_Occurred();
    PyObject *out = Py_BuildValue("(innnO)", r, start, stop, step, err ? err : Py_None);
    PyErr_Clear();
    return out;
}

/* Slices made, read and dropped; the caller compares counts across calls. */
static PyObject *
exercise(PyObject *self, PyObject *part)
{
    for (int i = 0; i < 10; i++) {
        PyObject *s = PySlice_New(part, part, NULL);
        if (s == NULL)
            return NULL;
        if (((PySliceObject *)s)->start != part) {
            Py_DECREF(s);
            PyErr_SetString(PyExc_AssertionError, "start is not the part");
            return NULL;
        }
        Py_DECREF(s);
    }
    Py_RETURN_NONE;
}

static PyObject *
refcnt(PyObject *self, PyObject *o)
{
    return PyLong_FromSsize_t(Py_REFCNT(o));
}

static PyMethodDef methods[] = {
    {"fields", fields, METH_O, NULL},
    {"new_and_read", new_and_read, METH_VARARGS, NULL},
    {"indices_ex", indices_ex, METH_VARARGS, NULL},
    {"indices_old", indices_old, METH_VARARGS, NULL},
    {"exercise", exercise, METH_O, NULL},
    {"refcnt", refcnt, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "slice_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_slice_ext(void)
{
    return PyModule_Create(&moduledef);
}
