/* A static type whose tp_doc C replaces after PyType_Ready (confluent-kafka's
   KafkaError appends its error-code table). CPython's type.__doc__ reads
   tp_doc of a static type each time (type_get_doc). */
#include <Python.h>
static PyTypeObject T = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tpdoc_ext.T",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "original doc",
    .tp_new = PyType_GenericNew,
};
static PyTypeObject S = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tpdoc_ext.S",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "S(a, b)\n--\n\noriginal doc of S",
    .tp_new = PyType_GenericNew,
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "tpdoc_ext", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_tpdoc_ext(void) {
    if (PyType_Ready(&T) < 0 || PyType_Ready(&S) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    T.tp_doc = "changed doc: ERR_A ERR_B";       /* after PyType_Ready */
    S.tp_doc = "S(a, b, c)\n--\n\nchanged doc of S";
    Py_INCREF(&T); PyModule_AddObject(m, "T", (PyObject *)&T);
    Py_INCREF(&S); PyModule_AddObject(m, "S", (PyObject *)&S);
    return m;
}
