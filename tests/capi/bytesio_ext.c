/* Reads io.BytesIO's struct the way thrift's fastbinary (protocol.tcc) does. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
typedef struct { PyObject_HEAD PyObject *buf; Py_ssize_t pos; Py_ssize_t string_size; } bytesio;

static PyObject *peek(PyObject *self, PyObject *bio) {
    bytesio *b = (bytesio *)bio;
    if (!b->buf || !PyBytes_Check(b->buf))
        return Py_BuildValue("(snn)", "buf is not bytes", b->pos, b->string_size);
    /* What is left to read: nothing at or past the end. */
    Py_ssize_t left = b->pos < b->string_size ? b->string_size - b->pos : 0;
    return Py_BuildValue("(y#nn)", PyBytes_AS_STRING(b->buf) + (left ? b->pos : 0), left, b->pos, b->string_size);
}
static PyObject *advance(PyObject *self, PyObject *args) {
    PyObject *bio; Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "On", &bio, &n)) return NULL;
    bytesio *b = (bytesio *)bio;
    b->pos = b->pos + n < b->string_size ? b->pos + n : b->string_size;
    Py_RETURN_NONE;
}
static PyMethodDef methods[] = {
    {"peek", peek, METH_O, NULL}, {"advance", advance, METH_VARARGS, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "bytesio_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_bytesio_ext(void) { return PyModule_Create(&mod); }
