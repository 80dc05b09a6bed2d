/* Thread stress: many threads call into C at once. Each call reads and
 * writes objects that every thread shares (a list, a dict, a sentinel
 * object) through the API, and lets the GIL go in the middle, as real
 * extensions do around blocking work. */
#include <Python.h>

static PyObject *shared_list;
static PyObject *shared_dict;
static PyObject *sentinel;

static PyObject *
setup(PyObject *self, PyObject *args)
{
    PyObject *list, *dict, *obj;
    if (!PyArg_ParseTuple(args, "O!O!O", &PyList_Type, &list, &PyDict_Type, &dict, &obj))
        return NULL;
    Py_XSETREF(shared_list, Py_NewRef(list));
    Py_XSETREF(shared_dict, Py_NewRef(dict));
    Py_XSETREF(sentinel, Py_NewRef(obj));
    Py_RETURN_NONE;
}

static PyObject *
teardown(PyObject *self, PyObject *unused)
{
    Py_CLEAR(shared_list);
    Py_CLEAR(shared_dict);
    Py_CLEAR(sentinel);
    Py_RETURN_NONE;
}

/* The C references to an object (what Py_REFCNT says). */
static PyObject *
refcnt(PyObject *self, PyObject *obj)
{
    return PyLong_FromSsize_t(Py_REFCNT(obj));
}

/* One call: store into the shared dict and list, read back, release the
 * GIL for a while, then trim the list and return a fresh tuple. */
static PyObject *
work(PyObject *self, PyObject *arg)
{
    long i = PyLong_AsLong(arg);
    if (i == -1 && PyErr_Occurred())
        return NULL;
    PyObject *key = PyLong_FromLong(i % 61);
    PyObject *value = PyLong_FromLong(i);
    PyObject *result = NULL;
    if (key == NULL || value == NULL)
        goto done;
    if (PyDict_SetItem(shared_dict, key, value) < 0)
        goto done;
    if (PyDict_SetItemString(shared_dict, "sentinel", sentinel) < 0)
        goto done;
    PyObject *got = PyDict_GetItemWithError(shared_dict, key); /* borrowed */
    if (got == NULL && PyErr_Occurred())
        goto done;
    /* Another thread may replace it: read it before the GIL goes. */
    long seen = got ? PyLong_AsLong(got) : -1;
    if (seen == -1 && PyErr_Occurred())
        goto done;

    unsigned long spin = (unsigned long)seen;
    Py_BEGIN_ALLOW_THREADS
    for (int k = 0; k < 64; k++)
        spin = spin * 6364136223846793005UL + 1442695040888963407UL;
    Py_END_ALLOW_THREADS

    if (PyList_Append(shared_list, (i & 1) ? value : sentinel) < 0)
        goto done;
    Py_ssize_t n = PyList_Size(shared_list);
    if (n < 0)
        goto done;
    if (n > 200 && PyList_SetSlice(shared_list, 0, n - 100, NULL) < 0)
        goto done;
    PyObject *first = PyList_GetItem(shared_list, 0); /* borrowed */
    if (first == NULL)
        goto done;
    result = PyTuple_Pack(3, key, first, value);
    (void)spin;
done:
    Py_XDECREF(key);
    Py_XDECREF(value);
    return result;
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS, NULL},
    {"teardown", teardown, METH_NOARGS, NULL},
    {"refcnt", refcnt, METH_O, NULL},
    {"work", work, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "stress_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_stress_ext(void)
{
    return PyModule_Create(&module);
}
