/* An extension built for the limited API: PyTypeObject is opaque there, so
 * code may declare its own placeholder struct (pyerfa does, working around
 * a numpy header); flags and slots are reached through functions. */
#define Py_LIMITED_API 0x030B0000
#include <Python.h>

struct _typeobject { int placeholder; };

static PyObject *
type_facts(PyObject *self, PyObject *type)
{
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "a type");
        return NULL;
    }
    PyTypeObject *tp = (PyTypeObject *)type;
    return Py_BuildValue("(iiiii)",
                         PyType_HasFeature(tp, Py_TPFLAGS_BASETYPE),
                         (PyType_GetFlags(tp) & Py_TPFLAGS_LONG_SUBCLASS) != 0,
                         PyType_GetSlot(tp, Py_nb_add) != NULL,
                         PyType_GetSlot(tp, Py_tp_iter) != NULL,
                         PyObject_TypeCheck(type, &PyType_Type));
}

static PyObject *
is_instance_of(PyObject *self, PyObject *args)
{
    PyObject *obj, *type;
    if (!PyArg_ParseTuple(args, "OO", &obj, &type))
        return NULL;
    return PyBool_FromLong(PyObject_TypeCheck(obj, (PyTypeObject *)type));
}

static PyMethodDef methods[] = {
    {"type_facts", type_facts, METH_O, NULL},
    {"is_instance_of", is_instance_of, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "limitedapi_ext", NULL, -1, methods
};

PyMODINIT_FUNC
PyInit_limitedapi_ext(void)
{
    return PyModule_Create(&moduledef);
}
