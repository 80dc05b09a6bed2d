#include <Python.h>
/* Calls from C while C itself has an error set: CPython checks what each
   call returns, so a result that comes back with the error still set is a
   SystemError naming the callee, with the pending error as its cause. */

/* The outcome of a call: ("result", r) or ("error", type, message, cause
   type, cause message); the error is cleared. */
static PyObject *outcome(PyObject *r) {
    if (r != NULL && !PyErr_Occurred())
        return Py_BuildValue("(sN)", "result", r);
    if (r != NULL) {
        /* What CPython's checks never let through. */
        Py_DECREF(r);
        PyObject *still = PyErr_Occurred();
        PyObject *res = Py_BuildValue("(sO)", "result with an error still set", still);
        PyErr_Clear();
        return res;
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *cause = value ? PyException_GetCause(value) : NULL;
    PyObject *res = Py_BuildValue("(sOOOO)", "error", type, value ? value : Py_None,
                                  cause ? (PyObject *)Py_TYPE(cause) : Py_None, cause ? cause : Py_None);
    Py_XDECREF(cause);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return res;
}

static void set_pending(void) { PyErr_SetString(PyExc_ValueError, "pending"); }

static PyObject *call_object(PyObject *self, PyObject *args) {
    PyObject *callable, *cargs = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &callable, &cargs))
        return NULL;
    set_pending();
    return outcome(PyObject_CallObject(callable, cargs));
}

static PyObject *call_one_arg(PyObject *self, PyObject *args) {
    PyObject *callable, *arg;
    if (!PyArg_ParseTuple(args, "OO", &callable, &arg))
        return NULL;
    set_pending();
    return outcome(PyObject_CallOneArg(callable, arg));
}

static PyObject *vectorcall(PyObject *self, PyObject *args) {
    PyObject *callable, *arg;
    if (!PyArg_ParseTuple(args, "OO", &callable, &arg))
        return NULL;
    PyObject *stack[1] = {arg};
    set_pending();
    return outcome(PyObject_Vectorcall(callable, stack, 1, NULL));
}

static PyObject *call_method(PyObject *self, PyObject *args) {
    PyObject *obj;
    const char *name;
    if (!PyArg_ParseTuple(args, "Os", &obj, &name))
        return NULL;
    set_pending();
    return outcome(PyObject_CallMethod(obj, name, NULL));
}

static PyObject *call_no_pending(PyObject *self, PyObject *callable) {
    return outcome(PyObject_CallNoArgs(callable));
}

static PyObject *returns_arg(PyObject *self, PyObject *arg) {
    Py_INCREF(arg);
    return arg;
}

static PyMethodDef methods[] = {
    {"call_object", call_object, METH_VARARGS, NULL},
    {"call_one_arg", call_one_arg, METH_VARARGS, NULL},
    {"vectorcall", vectorcall, METH_VARARGS, NULL},
    {"call_method", call_method, METH_VARARGS, NULL},
    {"call_no_pending", call_no_pending, METH_O, NULL},
    {"returns_arg", returns_arg, METH_O, NULL},
    {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "callpending_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_callpending_ext(void) { return PyModule_Create(&mod); }
