/* C stdio from an extension under -u / PYTHONUNBUFFERED: CPython makes
   stdin, stdout and stderr unbuffered at start-up, so a printf from C lands
   between the lines Python prints instead of at exit. */
#include <Python.h>
#include <stdio.h>

static PyObject *c_print(PyObject *self, PyObject *arg) {
    const char *text = PyUnicode_AsUTF8(arg);
    if (text == NULL)
        return NULL;
    printf("%s\n", text);
    fprintf(stderr, "%s (stderr)\n", text);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"c_print", c_print, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "unbuffered_stdio_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_unbuffered_stdio_ext(void) {
    return PyModule_Create(&module);
}
