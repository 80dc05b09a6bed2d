/* marshal.h: strings and stdio files. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <marshal.h>

static PyObject *
m_dumps(PyObject *self, PyObject *args)
{
    PyObject *value;
    int version = Py_MARSHAL_VERSION;
    if (!PyArg_ParseTuple(args, "O|i", &value, &version)) return NULL;
    return PyMarshal_WriteObjectToString(value, version);
}

static PyObject *
m_loads(PyObject *self, PyObject *arg)
{
    char *data;
    Py_ssize_t n;
    if (PyBytes_AsStringAndSize(arg, &data, &n) < 0) return NULL;
    return PyMarshal_ReadObjectFromString(data, n);
}

/* Writes the objects, then a long and a short, to a temporary file, and
 * reads everything back: (objects..., long, short, bytes left). */
static PyObject *
m_file_round_trip(PyObject *self, PyObject *args)
{
    PyObject *objects;
    long number;
    int version;
    if (!PyArg_ParseTuple(args, "O!li", &PyTuple_Type, &objects, &number, &version)) return NULL;
    FILE *f = tmpfile();
    if (f == NULL) return PyErr_SetFromErrno(PyExc_OSError);
    Py_ssize_t n = PyTuple_GET_SIZE(objects);
    for (Py_ssize_t i = 0; i < n; i++)
        PyMarshal_WriteObjectToFile(PyTuple_GET_ITEM(objects, i), f, version);
    PyMarshal_WriteLongToFile(number, f, version);
    PyMarshal_WriteLongToFile(number, f, version); /* read back as two shorts */
    rewind(f);
    PyObject *result = PyTuple_New(n + 4);
    if (result == NULL) { fclose(f); return NULL; }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyMarshal_ReadObjectFromFile(f);
        if (o == NULL) { fclose(f); Py_DECREF(result); return NULL; }
        PyTuple_SET_ITEM(result, i, o);
    }
    long l = PyMarshal_ReadLongFromFile(f);
    int s1 = PyMarshal_ReadShortFromFile(f);
    int s2 = PyMarshal_ReadShortFromFile(f);
    if (PyErr_Occurred()) { fclose(f); Py_DECREF(result); return NULL; }
    PyTuple_SET_ITEM(result, n, PyLong_FromLong(l));
    PyTuple_SET_ITEM(result, n + 1, PyLong_FromLong(s1));
    PyTuple_SET_ITEM(result, n + 2, PyLong_FromLong(s2));
    long left = 0;
    while (fgetc(f) != EOF) left++;
    PyTuple_SET_ITEM(result, n + 3, PyLong_FromLong(left));
    fclose(f);
    return result;
}

/* The raw bytes PyMarshal_WriteLongToFile writes. */
static PyObject *
m_long_bytes(PyObject *self, PyObject *arg)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred()) return NULL;
    FILE *f = tmpfile();
    if (f == NULL) return PyErr_SetFromErrno(PyExc_OSError);
    PyMarshal_WriteLongToFile(v, f, Py_MARSHAL_VERSION);
    rewind(f);
    char buffer[16];
    size_t n = fread(buffer, 1, sizeof(buffer), f);
    fclose(f);
    return PyBytes_FromStringAndSize(buffer, (Py_ssize_t)n);
}

/* Reads from a file holding `data`: kind 'l' long, 's' short, 'o' object, 'L' last object. */
static PyObject *
m_read_from(PyObject *self, PyObject *args)
{
    const char *data;
    Py_ssize_t n;
    int kind;
    if (!PyArg_ParseTuple(args, "y#C", &data, &n, &kind)) return NULL;
    FILE *f = tmpfile();
    if (f == NULL) return PyErr_SetFromErrno(PyExc_OSError);
    fwrite(data, 1, (size_t)n, f);
    rewind(f);
    PyObject *result = NULL;
    if (kind == 'l') {
        long v = PyMarshal_ReadLongFromFile(f);
        if (!(v == -1 && PyErr_Occurred())) result = PyLong_FromLong(v);
    } else if (kind == 's') {
        int v = PyMarshal_ReadShortFromFile(f);
        if (!(v == -1 && PyErr_Occurred())) result = PyLong_FromLong(v);
    } else if (kind == 'o') {
        result = PyMarshal_ReadObjectFromFile(f);
    } else {
        result = PyMarshal_ReadLastObjectFromFile(f);
    }
    fclose(f);
    return result;
}

static PyObject *
m_version(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(Py_MARSHAL_VERSION);
}

static PyMethodDef methods[] = {
    {"dumps", m_dumps, METH_VARARGS, NULL},
    {"loads", m_loads, METH_O, NULL},
    {"file_round_trip", m_file_round_trip, METH_VARARGS, NULL},
    {"long_bytes", m_long_bytes, METH_O, NULL},
    {"read_from", m_read_from, METH_VARARGS, NULL},
    {"version", m_version, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "marshal_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_marshal_ext(void)
{
    return PyModule_Create(&moduledef);
}
