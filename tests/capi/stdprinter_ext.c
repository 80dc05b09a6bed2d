/* PyFile_NewStdPrinter and PyStdPrinter_Type: the minimal file objects
 * CPython writes to fd 1 or 2 with before sys.stdout exists. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
new_printer(PyObject *module, PyObject *arg)
{
    int fd = _PyLong_AsInt(arg);
    if (fd == -1 && PyErr_Occurred())
        return NULL;
    PyObject *printer = PyFile_NewStdPrinter(fd);
    if (printer == NULL && !PyErr_Occurred())
        return PyUnicode_FromString("NULL, no exception");
    return printer;
}

static PyObject *
checks(PyObject *module, PyObject *o)
{
    return Py_BuildValue("(ii)", Py_IS_TYPE(o, &PyStdPrinter_Type),
                         PyObject_TypeCheck(o, &PyStdPrinter_Type));
}

static PyObject *
printer_type(PyObject *module, PyObject *unused)
{
    Py_INCREF(&PyStdPrinter_Type);
    return (PyObject *)&PyStdPrinter_Type;
}

/* PyFile_WriteString to a printer, as CPython's early start-up does. */
static PyObject *
write_string(PyObject *module, PyObject *args)
{
    PyObject *f;
    const char *s;
    if (!PyArg_ParseTuple(args, "Os", &f, &s))
        return NULL;
    if (PyFile_WriteString(s, f) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"new_printer", new_printer, METH_O, NULL},
    {"checks", checks, METH_O, NULL},
    {"printer_type", printer_type, METH_NOARGS, NULL},
    {"write_string", write_string, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "stdprinter_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_stdprinter_ext(void)
{
    return PyModule_Create(&module);
}
