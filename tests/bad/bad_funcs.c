/* Cases f-i: module functions that break the C-API's rules at call time.
 *
 *   null_without_exception()  f: returns NULL with no exception set
 *   result_with_exception()   g: sets ValueError("pending") and returns None
 *   decref_twice()            h: Py_DECREF once too often on a fresh object
 *   decref_arg_twice(o)       h2: two Py_DECREFs too many on an object Python holds
 *   thread_without_gil()      i: a pthread calls PyLong_FromLong without the GIL
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>

static PyObject *
null_without_exception(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    return NULL;
}

static PyObject *
result_with_exception(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    PyErr_SetString(PyExc_ValueError, "pending");
    Py_INCREF(Py_None);
    return Py_None;
}

static PyObject *
decref_twice(PyObject *self, PyObject *noargs)
{
    PyObject *o;
    (void)self;
    (void)noargs;
    o = PyLong_FromLong(123456789);
    if (o == NULL)
        return NULL;
    Py_DECREF(o);
    Py_DECREF(o);   /* one too many */
    Py_INCREF(Py_None);
    return Py_None;
}

/* h2: one Py_DECREF too many on an argument, an object Python still holds. */
static PyObject *
decref_arg_twice(PyObject *self, PyObject *arg)
{
    (void)self;
    Py_INCREF(arg);
    Py_DECREF(arg);
    Py_DECREF(arg);   /* the caller's reference, not ours */
    Py_DECREF(arg);   /* and one more */
    Py_INCREF(Py_None);
    return Py_None;
}

static void *
no_gil_worker(void *arg)
{
    /* This thread never took the GIL: calling into the C-API here is the bug. */
    PyObject *o = PyLong_FromLong(987654321);
    *(PyObject **)arg = o;
    return NULL;
}

static PyObject *
thread_without_gil(PyObject *self, PyObject *noargs)
{
    pthread_t tid;
    PyObject *made = NULL;
    (void)self;
    (void)noargs;
    if (pthread_create(&tid, NULL, no_gil_worker, &made) != 0) {
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
        return NULL;
    }
    /* The caller keeps the GIL while it waits: the worker must be stopped
     * inside PyLong_FromLong, not deadlock or corrupt anything. */
    pthread_join(tid, NULL);
    if (made == NULL) {
        Py_INCREF(Py_None);
        return Py_None;
    }
    return made;
}

/* A list from PyList_New(2) returned with its second item never set. */
static PyObject *
list_with_unset_item(PyObject *self, PyObject *noargs)
{
    PyObject *list = PyList_New(2);
    if (list != NULL)
        PyList_SET_ITEM(list, 0, PyLong_FromLong(1));
    return list;
}

/* The same list stored in a dict, which is returned; the item is never
 * set. */
static PyObject *
dict_with_unset_list_item(PyObject *self, PyObject *noargs)
{
    PyObject *list = PyList_New(2);
    PyObject *dict = PyDict_New();
    if (list == NULL || dict == NULL || PyDict_SetItemString(dict, "list", list) < 0) {
        Py_XDECREF(list);
        Py_XDECREF(dict);
        return NULL;
    }
    PyList_SET_ITEM(list, 0, PyLong_FromLong(1));
    Py_DECREF(list);
    return dict;
}

/* A tuple stored in a dict, which is returned; item 1 is never set. */
static PyObject *
dict_with_unset_tuple_item(PyObject *self, PyObject *noargs)
{
    PyObject *tuple = PyTuple_New(2);
    PyObject *dict = PyDict_New();
    if (tuple == NULL || dict == NULL || PyDict_SetItemString(dict, "tuple", tuple) < 0) {
        Py_XDECREF(tuple);
        Py_XDECREF(dict);
        return NULL;
    }
    PyTuple_SET_ITEM(tuple, 0, PyLong_FromLong(1));
    Py_DECREF(tuple);
    return dict;
}

/* The same tuple stored in a dict, then returned itself, still unfilled. */
static PyObject *
stored_tuple_returned_unset(PyObject *self, PyObject *dict)
{
    PyObject *tuple = PyTuple_New(2);
    if (tuple == NULL || PyDict_SetItemString(dict, "tuple", tuple) < 0) {
        Py_XDECREF(tuple);
        return NULL;
    }
    PyTuple_SET_ITEM(tuple, 0, PyLong_FromLong(1));
    return tuple;
}

/* A failed object assertion, as _PyObject_ASSERT reports it. */
static PyObject *
object_assert_failed(PyObject *self, PyObject *unused)
{
    PyObject *culprit = PyUnicode_FromString("the culprit object");
    _PyObject_AssertFailed(culprit, "ob_refcnt > 0", "a made-up check", "bad_funcs.c", 42, "object_assert_failed");
}

/* _PyObject_CheckConsistency of an object whose count C drove to zero. */
static PyObject *
inconsistent_object(PyObject *self, PyObject *unused)
{
    static PyObject broken;
    broken.ob_refcnt = 0;
    broken.ob_type = &PyList_Type;
    _PyObject_CheckConsistency(&broken, 1);
    Py_RETURN_NONE;
}

/* A callable C type whose tp_call breaks the rules: called with True it
 * returns a result with an exception set, else NULL without one. CPython
 * names the callable by its repr. */
static PyObject *
bad_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) > 0 && PyTuple_GET_ITEM(args, 0) == Py_True) {
        PyErr_SetString(PyExc_ValueError, "pending");
        Py_RETURN_NONE;
    }
    return NULL;
}

static PyObject *
bad_call_repr(PyObject *self)
{
    return PyUnicode_FromString("<BadCall instance>");
}

static PyTypeObject BadCallType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bad_funcs.BadCall",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_call = bad_call,
    .tp_repr = bad_call_repr,
};

static PyMethodDef methods[] = {
    {"object_assert_failed", object_assert_failed, METH_NOARGS, "assert"},
    {"inconsistent_object", inconsistent_object, METH_NOARGS, "consistency"},
    {"dict_with_unset_list_item", dict_with_unset_list_item, METH_NOARGS, "a list with a NULL item, in a dict"},
    {"dict_with_unset_tuple_item", dict_with_unset_tuple_item, METH_NOARGS, "a tuple with a NULL item, in a dict"},
    {"stored_tuple_returned_unset", stored_tuple_returned_unset, METH_O, "a stored tuple with a NULL item, returned"},
    {"list_with_unset_item", list_with_unset_item, METH_NOARGS, "a list with a NULL item"},
    {"null_without_exception", null_without_exception, METH_NOARGS, "f"},
    {"result_with_exception", result_with_exception, METH_NOARGS, "g"},
    {"decref_twice", decref_twice, METH_NOARGS, "h"},
    {"decref_arg_twice", decref_arg_twice, METH_O, "h2"},
    {"thread_without_gil", thread_without_gil, METH_NOARGS, "i"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "bad_funcs", NULL, -1, methods, NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_bad_funcs(void)
{
    if (PyType_Ready(&BadCallType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddObjectRef(m, "BadCall", (PyObject *)&BadCallType) < 0)
        Py_CLEAR(m);
    return m;
}
