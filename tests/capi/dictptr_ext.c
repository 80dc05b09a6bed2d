/* persistent's ghostify drops an instance's __dict__ through
 * _PyObject_GetDictPtr: Py_DECREF(*dictptr); *dictptr = NULL; */
#include <Python.h>
static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dictptr_ext.Base", .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_new = PyType_GenericNew,
};
static PyObject *drop_dict(PyObject *m, PyObject *o) {
    PyObject **dictptr = _PyObject_GetDictPtr(o);
    if (!dictptr) Py_RETURN_FALSE;
    if (*dictptr) { Py_DECREF(*dictptr); *dictptr = NULL; }
    Py_RETURN_TRUE;
}
static PyMethodDef methods[] = {{"drop_dict", drop_dict, METH_O, NULL}, {NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "dictptr_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_dictptr_ext(void) {
    if (PyType_Ready(&Base_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    Py_INCREF(&Base_Type); PyModule_AddObject(m, "Base", (PyObject *)&Base_Type);
    return m;
}
