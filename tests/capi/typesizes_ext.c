/* tp_basicsize and tp_itemsize of the builtin types whose struct Cython
 * checks at import (__Pyx_ImportType: `from cpython cimport bool`, `complex`,
 * `type`, `array`), against the sizes of the structs the headers declare. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>

static PyObject *sizes(PyObject *m, PyObject *unused) {
    struct { const char *name; PyTypeObject *type; size_t struct_size; } rows[] = {
        {"int", &PyLong_Type, offsetof(PyLongObject, ob_digit)},
        {"bool", &PyBool_Type, sizeof(PyLongObject)},
        {"float", &PyFloat_Type, sizeof(PyFloatObject)},
        {"complex", &PyComplex_Type, sizeof(PyComplexObject)},
        {"type", &PyType_Type, sizeof(PyHeapTypeObject)},
        {"tuple", &PyTuple_Type, offsetof(PyTupleObject, ob_item)},
        {"list", &PyList_Type, sizeof(PyListObject)},
        {"dict", &PyDict_Type, sizeof(PyDictObject)},
        {"set", &PySet_Type, sizeof(PySetObject)},
        {"bytearray", &PyByteArray_Type, sizeof(PyByteArrayObject)},
    };
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        PyTypeObject *t = rows[i].type;
        PyObject *row = Py_BuildValue("(snnn)", rows[i].name, t->tp_basicsize, t->tp_itemsize,
                                      (Py_ssize_t)rows[i].struct_size);
        if (!row || PyList_Append(out, row) < 0) { Py_XDECREF(row); Py_DECREF(out); return NULL; }
        Py_DECREF(row);
    }
    return out;
}
/* Types whose objects end in a variable part (code, generators) or a fixed
 * struct C reads (traceback): Cython declares them with `ctypedef class
 * types.CodeType [object PyCodeObject]` and checks basicsize plus one item
 * (at least the struct's alignment) against sizeof. */
static PyObject *varsizes(PyObject *m, PyObject *unused) {
    struct { const char *name; PyTypeObject *type; size_t struct_size, align; } rows[] = {
        {"code", &PyCode_Type, sizeof(PyCodeObject), _Alignof(PyCodeObject)},
        {"traceback", &PyTraceBack_Type, sizeof(PyTracebackObject), _Alignof(PyTracebackObject)},
        {"generator", &PyGen_Type, sizeof(PyGenObject), _Alignof(PyGenObject)},
        {"coroutine", &PyCoro_Type, sizeof(PyCoroObject), _Alignof(PyCoroObject)},
        {"async_generator", &PyAsyncGen_Type, sizeof(PyAsyncGenObject), _Alignof(PyAsyncGenObject)},
    };
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        PyTypeObject *t = rows[i].type;
        PyObject *row = Py_BuildValue("(snnnn)", rows[i].name, t->tp_basicsize, t->tp_itemsize,
                                      (Py_ssize_t)rows[i].struct_size, (Py_ssize_t)rows[i].align);
        if (!row || PyList_Append(out, row) < 0) { Py_XDECREF(row); Py_DECREF(out); return NULL; }
        Py_DECREF(row);
    }
    return out;
}
static PyMethodDef methods[] = {{"sizes", sizes, METH_NOARGS, NULL}, {"varsizes", varsizes, METH_NOARGS, NULL}, {NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "typesizes_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_typesizes_ext(void) { return PyModule_Create(&def); }
