/* Values handed to C and let go at once are parked among the recent ones
 * and freed by a later call's end once Python lets go too (proxy.rs,
 * free_recently_parked). One Python still holds must keep its proxy:
 * C may keep the pointer without a reference (valid in CPython while the
 * object lives), and sees the same address when it gets the value again. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *kept[4];

/* Keeps the argument's address in slot `i`, without a reference. */
static PyObject *borrow(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    long i = PyLong_AsLong(args[0]);
    if (i < 0 || i >= 4) {
        PyErr_SetString(PyExc_IndexError, "slot");
        return NULL;
    }
    kept[i] = args[1];
    Py_RETURN_NONE;
}

/* Whether the argument is the very object kept in slot `i`. */
static PyObject *same(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    long i = PyLong_AsLong(args[0]);
    return PyBool_FromLong(kept[i] == args[1]);
}

/* The repr of the object kept in slot `i` (Python still holds it). */
static PyObject *show(PyObject *self, PyObject *arg) {
    return PyObject_Repr(kept[PyLong_AsLong(arg)]);
}

/* f(a, b): whether C got one address for both. */
static PyObject *is_(PyObject *self, PyObject *const *args, Py_ssize_t n) {
    return PyBool_FromLong(args[0] == args[1]);
}

static PyObject *touch(PyObject *self, PyObject *arg) { Py_RETURN_NONE; }

static PyMethodDef methods[] = {
    {"borrow", (PyCFunction)(void (*)(void))borrow, METH_FASTCALL, NULL},
    {"same", (PyCFunction)(void (*)(void))same, METH_FASTCALL, NULL},
    {"show", show, METH_O, NULL},
    {"is_", (PyCFunction)(void (*)(void))is_, METH_FASTCALL, NULL},
    {"touch", touch, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "recentpark_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_recentpark_ext(void) { return PyModule_Create(&def); }
