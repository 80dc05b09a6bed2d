/* PyType_IsSubtype(a, b) where b is a static type that was never readied
 * (no PyType_Ready, ob_type still NULL): no type's MRO can hold b, so the
 * answer is 0, with no exception. Boost.Python asks exactly this in
 * find_instance_impl -- PyType_IsSubtype(Py_TYPE(Py_TYPE(x)),
 * &class_metatype_object) -- in a module that has exposed no class, so its
 * metatype was never readied; a nonzero answer makes it read x as a
 * Boost.Python instance. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyTypeObject Unready = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "issubunready_ext.Unready",
    sizeof(PyObject),
};

/* is_subtype(t) -> (PyType_IsSubtype(t, &Unready), PyErr_Occurred() != NULL) */
static PyObject *
is_subtype(PyObject *self, PyObject *t)
{
    if (!PyType_Check(t)) {
        PyErr_SetString(PyExc_TypeError, "a type is required");
        return NULL;
    }
    int r = PyType_IsSubtype((PyTypeObject *)t, &Unready);
    int err = PyErr_Occurred() != NULL;
    PyErr_Clear();
    return Py_BuildValue("(ii)", r, err);
}

/* self_subtype() -> PyType_IsSubtype(&Unready, &Unready) */
static PyObject *
self_subtype(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(PyType_IsSubtype(&Unready, &Unready));
}

static PyMethodDef methods[] = {
    {"is_subtype", is_subtype, METH_O, NULL},
    {"self_subtype", self_subtype, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "issubunready_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_issubunready_ext(void)
{
    return PyModule_Create(&module);
}
