/* A METH_STATIC method of a C type seen from C: fetched from the class or
   an instance, it is a PyCFunctionObject whose m_ml is the type's own
   PyMethodDef (SWIG's -builtin callbacks find the C function pointer in
   that definition's ml_doc, which it rewrites at import). */
#include <Python.h>
#include <string.h>

static PyObject *twice(PyObject *self, PyObject *arg) {
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(self == NULL ? 2 * v : -1);
}

static PyObject *klass(PyObject *cls, PyObject *unused) {
    return Py_NewRef(cls);
}

static PyMethodDef holder_methods[] = {
    {"twice", twice, METH_STATIC | METH_O, "placeholder"},
    {"klass", klass, METH_CLASS | METH_NOARGS, "a classmethod"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Holder_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "staticmeth_def_ext.Holder",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = holder_methods,
    .tp_new = PyType_GenericNew,
};

/* What C reads through the function object's definition. */
static PyObject *inspect(PyObject *self, PyObject *obj) {
    if (!PyCFunction_Check(obj))
        return Py_BuildValue("(s)", "not a PyCFunction");
    PyMethodDef *ml = ((PyCFunctionObject *)obj)->m_ml;
    return Py_BuildValue("(sOOisO)", ml->ml_name ? ml->ml_name : "(null)",
                         ml == &holder_methods[0] ? Py_True : Py_False,
                         PyCFunction_GET_FUNCTION(obj) == (PyCFunction)twice ? Py_True : Py_False,
                         PyCFunction_GET_FLAGS(obj), ml->ml_doc ? ml->ml_doc : "(null)",
                         PyCFunction_GET_SELF(obj) == NULL ? Py_None : PyCFunction_GET_SELF(obj));
}

/* Calls the C function behind obj directly, as a callback would. */
static PyObject *call_through(PyObject *self, PyObject *args) {
    PyObject *f, *arg;
    if (!PyArg_ParseTuple(args, "OO", &f, &arg))
        return NULL;
    if (!PyCFunction_Check(f)) {
        PyErr_SetString(PyExc_TypeError, "not a C function");
        return NULL;
    }
    return PyCFunction_GET_FUNCTION(f)(NULL, arg);
}

static PyMethodDef methods[] = {
    {"inspect", inspect, METH_O, NULL},
    {"call_through", call_through, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "staticmeth_def_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_staticmeth_def_ext(void) {
    /* Rewritten before PyType_Ready, as SWIG does. */
    holder_methods[0].ml_doc = "static doc: ptr 0x1234";
    if (PyType_Ready(&Holder_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Holder", (PyObject *)&Holder_Type) < 0)
        return NULL;
    return m;
}
