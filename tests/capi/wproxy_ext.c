/* PyWeakref_CheckProxy / PyWeakref_GetObject on weakref.proxy objects, and on
   the result of PyWeakref_NewProxy (SWIG -builtin's __disown__ and
   SWIG_Python_GetSwigThis rely on both). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject *info(PyObject *mod, PyObject *o) {
    PyObject *target = PyWeakref_Check(o) ? PyWeakref_GetObject(o) : Py_None;
    return Py_BuildValue("{s:i,s:i,s:i,s:O}",
        "CheckProxy", PyWeakref_CheckProxy(o),
        "CheckRef", PyWeakref_CheckRef(o),
        "Check", PyWeakref_Check(o),
        "target", target);
}
static PyObject *new_proxy(PyObject *mod, PyObject *o) { return PyWeakref_NewProxy(o, NULL); }
static PyMethodDef methods[] = {
    {"info", info, METH_O, NULL}, {"new_proxy", new_proxy, METH_O, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "wproxy_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_wproxy_ext(void) { return PyModule_Create(&mod); }
