/* A property subclass made with PyType_FromSpec that reuses property's own
   tp_members (as nanobind's nb_static_property does): property.__init__ of
   the subclass writes __doc__ through the inherited "__doc__" member. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

static PyObject *make_type(PyObject *self, PyObject *unused) {
    PyMemberDef *members = (PyMemberDef *) PyType_GetSlot(&PyProperty_Type, Py_tp_members);
    PyType_Slot slots[] = {
        {Py_tp_base, &PyProperty_Type},
        {Py_tp_members, members},
        {0, NULL}
    };
    PyType_Spec spec = {"propsub_ext.StaticProp", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE, slots};
    return PyType_FromSpec(&spec);
}

static PyObject *members(PyObject *self, PyObject *unused) {
    PyMemberDef *m = (PyMemberDef *) PyType_GetSlot(&PyProperty_Type, Py_tp_members);
    PyObject *out = PyList_New(0);
    for (; m && m->name; m++) {
        PyObject *t = Py_BuildValue("(si)", m->name, m->flags);
        PyList_Append(out, t);
        Py_DECREF(t);
    }
    return out;
}

static PyMethodDef methods[] = {
    {"make_type", make_type, METH_NOARGS, NULL},
    {"members", members, METH_NOARGS, NULL},
    {NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "propsub_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_propsub_ext(void) { return PyModule_Create(&mod); }
