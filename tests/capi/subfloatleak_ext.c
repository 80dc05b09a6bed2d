/* Instances of a C subtype of float made from C with tp_alloc (as numpy's
 * float64 scalars are) and dropped: memory stays flat on CPython. A plain C
 * type is the control. make(kind, n) makes and drops n instances. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { PyFloatObject base; double extra; } SubFloat;
typedef struct { PyObject_HEAD double v; } Plain;

static PyTypeObject SubFloatType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "subfloatleak_ext.SubFloat",
    .tp_basicsize = sizeof(SubFloat),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};
static PyTypeObject PlainType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "subfloatleak_ext.Plain",
    .tp_basicsize = sizeof(Plain),
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

static PyObject *make_one(int kind, double v) {
    if (kind == 0) {
        PyObject *o = SubFloatType.tp_alloc(&SubFloatType, 0);
        if (o) { ((PyFloatObject *)o)->ob_fval = v; ((SubFloat *)o)->extra = v; }
        return o;
    }
    PyObject *o = PlainType.tp_alloc(&PlainType, 0);
    if (o) ((Plain *)o)->v = v;
    return o;
}

/* one(kind): a new instance, for Python code to drop */
static PyObject *one(PyObject *self, PyObject *args) {
    int kind;
    if (!PyArg_ParseTuple(args, "i", &kind)) return NULL;
    return make_one(kind, 1.5);
}

static PyMethodDef methods[] = {{"one", one, METH_VARARGS}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "subfloatleak_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_subfloatleak_ext(void) {
    SubFloatType.tp_base = &PyFloat_Type;
    if (PyType_Ready(&SubFloatType) < 0 || PyType_Ready(&PlainType) < 0) return NULL;
    return PyModule_Create(&mod);
}
