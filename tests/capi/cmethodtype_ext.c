/* PyCMethod_Type: C functions that take their defining class (METH_METHOD). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
with_class(PyObject *self, PyTypeObject *cls, PyObject *const *args, Py_ssize_t nargsf, PyObject *kwnames)
{
    return Py_BuildValue("(OOn)", self ? self : Py_None, (PyObject *)cls, PyVectorcall_NARGS(nargsf));
}

static PyObject *
plain(PyObject *self, PyObject *args)
{
    return Py_BuildValue("(OO)", self ? self : Py_None, args);
}

static PyMethodDef defs[] = {
    {"with_class", (PyCFunction)(void (*)(void))with_class, METH_METHOD | METH_FASTCALL | METH_KEYWORDS, "with_class doc"},
    {"plain", plain, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject Thing = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "Thing",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_methods = defs,
};

/* (index, self or None, class or None) -> PyCMethod_New(...) */
static PyObject *
new_cmethod(PyObject *module, PyObject *args)
{
    int index;
    PyObject *self, *cls;
    if (!PyArg_ParseTuple(args, "iOO", &index, &self, &cls))
        return NULL;
    return PyCMethod_New(&defs[index], self == Py_None ? NULL : self, NULL,
                         cls == Py_None ? NULL : (PyTypeObject *)cls);
}

static PyObject *
checks(PyObject *module, PyObject *f)
{
    PyObject *cls = Py_None;
    if (PyCMethod_Check(f) && PyCFunction_GET_CLASS(f))
        cls = (PyObject *)PyCFunction_GET_CLASS(f);
    return Py_BuildValue("(iiiiO)", PyCMethod_CheckExact(f), PyCMethod_Check(f),
                         PyCFunction_CheckExact(f), PyCFunction_Check(f), cls);
}

static PyObject *
inspect(PyObject *module, PyObject *f)
{
    PyObject *self = PyCFunction_GetSelf(f);
    return Py_BuildValue("(iOi)", PyCFunction_GetFunction(f) == (PyCFunction)(void (*)(void))with_class,
                         self ? self : Py_None, PyCFunction_GetFlags(f));
}

static PyObject *
cmethod_type(PyObject *module, PyObject *unused)
{
    return Py_NewRef((PyObject *)&PyCMethod_Type);
}

static PyObject *
type_facts(PyObject *module, PyObject *unused)
{
    return Py_BuildValue("(sOi)", PyCMethod_Type.tp_name, (PyObject *)PyCMethod_Type.tp_base,
                         PyType_IsSubtype(&PyCMethod_Type, &PyCFunction_Type));
}

static PyMethodDef methods[] = {
    {"new_cmethod", new_cmethod, METH_VARARGS, NULL},
    {"checks", checks, METH_O, NULL},
    {"inspect", inspect, METH_O, NULL},
    {"cmethod_type", cmethod_type, METH_NOARGS, NULL},
    {"type_facts", type_facts, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cmethodtype_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_cmethodtype_ext(void)
{
    if (PyType_Ready(&Thing) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&Thing);
    if (PyModule_AddObject(m, "Thing", (PyObject *)&Thing) < 0)
        return NULL;
    return m;
}
