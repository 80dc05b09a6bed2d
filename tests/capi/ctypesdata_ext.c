/* ctypes instances as C sees them: CPython's CDataObject. Extensions
 * (PyGLM) read b_ptr to reach a ctypes value's memory, and b_size. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The leading fields of CPython 3.11's CDataObject (Modules/_ctypes/ctypes.h). */
typedef struct {
    PyObject_HEAD
    char *b_ptr;
    int b_needsfree;
    PyObject *b_base;
    Py_ssize_t b_size;
} cdata_head;

static PyObject *
read_double(PyObject *self, PyObject *o)
{
    return PyFloat_FromDouble(*(double *)((cdata_head *)o)->b_ptr);
}

static PyObject *
read_int32(PyObject *self, PyObject *o)
{
    return PyLong_FromLong(*(int *)((cdata_head *)o)->b_ptr);
}

/* C writes through b_ptr; Python must see it. */
static PyObject *
write_int32(PyObject *self, PyObject *args)
{
    PyObject *o;
    int v;
    if (!PyArg_ParseTuple(args, "Oi", &o, &v))
        return NULL;
    *(int *)((cdata_head *)o)->b_ptr = v;
    Py_RETURN_NONE;
}

static PyObject *
size(PyObject *self, PyObject *o)
{
    return PyLong_FromSsize_t(((cdata_head *)o)->b_size);
}

static PyObject *
address(PyObject *self, PyObject *o)
{
    return PyLong_FromVoidPtr(((cdata_head *)o)->b_ptr);
}

static PyMethodDef methods[] = {
    {"read_double", read_double, METH_O, NULL},
    {"read_int32", read_int32, METH_O, NULL},
    {"write_int32", write_int32, METH_VARARGS, NULL},
    {"size", size, METH_O, NULL},
    {"address", address, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "ctypesdata_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_ctypesdata_ext(void)
{
    return PyModule_Create(&module);
}
