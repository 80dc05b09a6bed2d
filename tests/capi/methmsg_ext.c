/* The argument errors of C functions and methods of every METH_* flavour,
 * called as module functions, through the type (unbound), through an
 * instance, and as bound methods kept and called later. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
f_noargs(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString("noargs");
}

static PyObject *
f_o(PyObject *self, PyObject *arg)
{
    return Py_BuildValue("(sO)", "o", arg);
}

static PyObject *
f_varargs(PyObject *self, PyObject *args)
{
    return Py_BuildValue("(sO)", "varargs", args);
}

static PyObject *
f_varkw(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return Py_BuildValue("(sOO)", "varkw", args, kwargs ? kwargs : Py_None);
}

static PyObject *
f_fast(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return Py_BuildValue("(sn)", "fast", nargs);
}

static PyObject *
f_fastkw(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    return Py_BuildValue("(snO)", "fastkw", nargs, kwnames ? kwnames : Py_None);
}

static PyObject *
f_method(PyObject *self, PyTypeObject *cls, PyObject *const *args, size_t nargsf,
         PyObject *kwnames)
{
    return Py_BuildValue("(snO)", "method", PyVectorcall_NARGS(nargsf),
                         kwnames ? kwnames : Py_None);
}

#define FLAVOURS(extra)                                                        \
    {"noargs", f_noargs, METH_NOARGS | (extra), NULL},                         \
    {"o", f_o, METH_O | (extra), NULL},                                        \
    {"varargs", f_varargs, METH_VARARGS | (extra), NULL},                      \
    {"varkw", (PyCFunction)(void (*)(void))f_varkw,                            \
     METH_VARARGS | METH_KEYWORDS | (extra), NULL},                            \
    {"fast", (PyCFunction)(void (*)(void))f_fast, METH_FASTCALL | (extra), NULL}, \
    {"fastkw", (PyCFunction)(void (*)(void))f_fastkw,                          \
     METH_FASTCALL | METH_KEYWORDS | (extra), NULL}

static PyMethodDef M_methods[] = {
    FLAVOURS(0),
    {"method", (PyCFunction)(void (*)(void))f_method,
     METH_METHOD | METH_FASTCALL | METH_KEYWORDS, NULL},
    {"c_noargs", f_noargs, METH_NOARGS | METH_CLASS, NULL},
    {"c_o", f_o, METH_O | METH_CLASS, NULL},
    {"c_varargs", f_varargs, METH_VARARGS | METH_CLASS, NULL},
    {"c_fast", (PyCFunction)(void (*)(void))f_fast, METH_FASTCALL | METH_CLASS, NULL},
    {"s_noargs", f_noargs, METH_NOARGS | METH_STATIC, NULL},
    {"s_o", f_o, METH_O | METH_STATIC, NULL},
    {"s_varargs", f_varargs, METH_VARARGS | METH_STATIC, NULL},
    {"s_fast", (PyCFunction)(void (*)(void))f_fast, METH_FASTCALL | METH_STATIC, NULL},
    {NULL}
};

static PyTypeObject M_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "methmsg_ext.M",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_methods = M_methods,
};

static PyMethodDef module_methods[] = {
    FLAVOURS(0),
    {NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "methmsg_ext", NULL, -1, module_methods,
};

PyMODINIT_FUNC
PyInit_methmsg_ext(void)
{
    if (PyType_Ready(&M_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "M", (PyObject *)&M_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
