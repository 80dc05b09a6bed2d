/* pyfastx's reverse_complement: make a str with PyUnicode_FromString, then
 * write into the buffer PyUnicode_AsUTF8 returns for it (for an ASCII str
 * CPython returns the str's own data, so the str changes). */
#include <Python.h>
#include <string.h>

static PyObject *
upper_copy(PyObject *mod, PyObject *arg)
{
    const char *s = PyUnicode_AsUTF8(arg);
    if (!s) return NULL;
    PyObject *r = PyUnicode_FromString(s);
    if (!r) return NULL;
    char *p = (char *)PyUnicode_AsUTF8(r);
    for (; *p; p++) if (*p >= 'a' && *p <= 'z') *p -= 32;
    return r;
}

static PyMethodDef mod_methods[] = {
    {"upper_copy", upper_copy, METH_O, NULL},
    {NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "utf8write_ext", NULL, -1, mod_methods};
PyMODINIT_FUNC PyInit_utf8write_ext(void) { return PyModule_Create(&mod); }
