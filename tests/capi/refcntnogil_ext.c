/* Py_REFCNT() is a plain read of ob_refcnt in CPython: an extension may call
 * it where it does not hold the GIL -- between Py_BEGIN_ALLOW_THREADS and
 * Py_END_ALLOW_THREADS, or from a C++ static destructor / atexit handler that
 * runs after the interpreter has finished (Boost.Python's `object` destructor
 * does `assert(Py_REFCNT(m_ptr) > 0)`, and it has static `object`s). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static PyObject *kept = NULL;

/* refcnt_nogil(o) -> bool: Py_REFCNT(o) > 0, read with the GIL released. */
static PyObject *
refcnt_nogil(PyObject *self, PyObject *o)
{
    Py_ssize_t n;
    Py_BEGIN_ALLOW_THREADS
    n = Py_REFCNT(o);
    Py_END_ALLOW_THREADS
    return PyBool_FromLong(n > 0);
}

static void
at_exit(void)
{
    /* Runs from exit(), after the interpreter has finalized. */
    const char *msg = Py_REFCNT(kept) > 0 ? "atexit: refcnt > 0\nDONE\n" : "atexit: refcnt <= 0\nDONE\n";
    ssize_t r = write(1, msg, strlen(msg));
    (void)r;
}

/* keep_until_exit(o): hold a reference to o; at process exit read its
 * reference count (as a static destructor would). */
static PyObject *
keep_until_exit(PyObject *self, PyObject *o)
{
    Py_INCREF(o);
    Py_XSETREF(kept, o);
    if (atexit(at_exit) != 0)
        return PyErr_Format(PyExc_RuntimeError, "atexit failed");
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"refcnt_nogil", refcnt_nogil, METH_O, NULL},
    {"keep_until_exit", keep_until_exit, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "refcntnogil_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_refcntnogil_ext(void)
{
    return PyModule_Create(&module);
}
