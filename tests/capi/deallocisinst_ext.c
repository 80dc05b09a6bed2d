/* PyObject_IsInstance(self, its C base) inside the C base's tp_dealloc,
 * for instances of the C type and of Python subclasses (with and without
 * __del__, in a cycle): CPython answers from the object's type (pycurl's
 * util_curl_close asserts it as a subclass's instance is freed). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyTypeObject BaseType;
static long last_result = -2;
static long last_exact = -2;

static void
Base_dealloc(PyObject *self)
{
    PyObject *et, *ev, *tb;
    PyErr_Fetch(&et, &ev, &tb);
    last_result = PyObject_IsInstance(self, (PyObject *)&BaseType);
    last_exact = Py_TYPE(self) == &BaseType;
    if (last_result < 0)
        PyErr_Clear();
    PyErr_Restore(et, ev, tb);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject BaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "deallocisinst_ext.Base",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = Base_dealloc,
};

static PyObject *
last(PyObject *m, PyObject *unused)
{
    return Py_BuildValue("(ll)", last_result, last_exact);
}

static PyMethodDef methods[] = {
    {"last", last, METH_NOARGS, NULL},
    {NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "deallocisinst_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_deallocisinst_ext(void)
{
    if (PyType_Ready(&BaseType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&BaseType);
    PyModule_AddObject(m, "Base", (PyObject *)&BaseType);
    return m;
}
