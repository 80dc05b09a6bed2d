/* Slots of a Python class's type object follow dunders assigned (or
 * deleted) after the class statement, as CPython's update_slot does.
 * C tests a slot pointer before calling (PyGLM: tp_as_number->nb_float
 * != NULL means "could be a number"). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
slots(PyObject *self, PyObject *o)
{
    PyTypeObject *t = Py_TYPE(o);
    PyNumberMethods *nb = t->tp_as_number;
    PySequenceMethods *sq = t->tp_as_sequence;
    PyMappingMethods *mp = t->tp_as_mapping;
    return Py_BuildValue("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}",
        "nb_float", (nb && nb->nb_float) ? Py_True : Py_False,
        "nb_index", (nb && nb->nb_index) ? Py_True : Py_False,
        "nb_add", (nb && nb->nb_add) ? Py_True : Py_False,
        "sq_length", (sq && sq->sq_length) ? Py_True : Py_False,
        "mp_subscript", (mp && mp->mp_subscript) ? Py_True : Py_False,
        "tp_call", t->tp_call ? Py_True : Py_False,
        "tp_iter", t->tp_iter ? Py_True : Py_False);
}

/* What PyGLM does: call nb_float only if the slot is there. */
static PyObject *
as_float_if_slot(PyObject *self, PyObject *o)
{
    PyNumberMethods *nb = Py_TYPE(o)->tp_as_number;
    if (nb == NULL || nb->nb_float == NULL)
        return PyUnicode_FromString("no nb_float");
    return nb->nb_float(o);
}

static PyMethodDef methods[] = {
    {"slots", slots, METH_O, NULL},
    {"as_float_if_slot", as_float_if_slot, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "lateslot_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_lateslot_ext(void)
{
    return PyModule_Create(&module);
}
