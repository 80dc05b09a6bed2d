/* fileobject.h, fileutils.h and osmodule.h: file objects from C, the
 * locale codec, os.fspath(). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <string.h>

/* from_fd(fd, mode, buffering, encoding or None, newline or None, closefd) */
static PyObject *
from_fd(PyObject *self, PyObject *args)
{
    int fd, buffering, closefd;
    const char *mode, *encoding, *newline;
    if (!PyArg_ParseTuple(args, "izizzp", &fd, &mode, &buffering, &encoding, &newline, &closefd))
        return NULL;
    return PyFile_FromFd(fd, "ignored name", mode, buffering, encoding, NULL, newline, closefd);
}

static PyObject *
get_line(PyObject *self, PyObject *args)
{
    PyObject *f;
    int n;
    if (!PyArg_ParseTuple(args, "Oi", &f, &n))
        return NULL;
    return PyFile_GetLine(f, n);
}

static PyObject *
write_object(PyObject *self, PyObject *args)
{
    PyObject *obj, *f;
    int flags;
    if (!PyArg_ParseTuple(args, "OOi", &obj, &f, &flags))
        return NULL;
    if (PyFile_WriteObject(obj, f == Py_None ? NULL : f, flags) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
write_string(PyObject *self, PyObject *args)
{
    const char *s;
    PyObject *f;
    int with_error;
    if (!PyArg_ParseTuple(args, "sOp", &s, &f, &with_error))
        return NULL;
    if (with_error)
        PyErr_SetString(PyExc_KeyError, "already pending");
    int rc = PyFile_WriteString(s, f == Py_None ? NULL : f);
    if (rc < 0)
        return NULL;
    return PyLong_FromLong(rc);
}

static PyObject *
as_fd(PyObject *self, PyObject *arg)
{
    int fd = PyObject_AsFileDescriptor(arg);
    if (fd < 0)
        return NULL;
    return PyLong_FromLong(fd);
}

/* universal_fgets(path, size): the lines Py_UniversalNewlineFgets reads */
static PyObject *
universal_fgets(PyObject *self, PyObject *args)
{
    const char *path;
    int size;
    if (!PyArg_ParseTuple(args, "si", &path, &size))
        return NULL;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return PyErr_SetFromErrno(PyExc_OSError);
    PyObject *out = PyList_New(0);
    char buffer[64];
    while (Py_UniversalNewlineFgets(buffer, size, fp, NULL) != NULL) {
        PyObject *line = PyBytes_FromString(buffer);
        PyList_Append(out, line);
        Py_DECREF(line);
    }
    fclose(fp);
    return out;
}

/* sized_fgets(path) -> [(line, size)] */
static PyObject *
sized_fgets(PyObject *self, PyObject *arg)
{
    FILE *fp = _Py_fopen_obj(arg, "rb");
    if (fp == NULL)
        return NULL;
    PyObject *out = PyList_New(0);
    char buffer[64];
    size_t size;
    while (_Py_UniversalNewlineFgetsWithSize(buffer, sizeof(buffer), fp, NULL, &size) != NULL) {
        PyObject *item = Py_BuildValue("(yn)", buffer, (Py_ssize_t)size);
        PyList_Append(out, item);
        Py_DECREF(item);
    }
    fclose(fp);
    return out;
}

static PyObject *
open_code(PyObject *self, PyObject *arg)
{
    if (PyUnicode_Check(arg))
        return PyFile_OpenCode(PyUnicode_AsUTF8(arg));
    return PyFile_OpenCodeObject(arg);
}

/* An open_code hook that records each path in the list it was given, and
 * refuses files named "refused.py". */
static PyObject *
recording_hook(PyObject *path, void *seen)
{
    if (PyList_Append((PyObject *)seen, path) < 0)
        return NULL;
    PyObject *tail = PyUnicode_FromString("refused.py");
    int refused = PyUnicode_Tailmatch(path, tail, 0, PY_SSIZE_T_MAX, 1);
    Py_DECREF(tail);
    if (refused) {
        PyErr_SetString(PyExc_PermissionError, "refused by the open_code hook");
        return NULL;
    }
    PyObject *io = PyImport_ImportModule("io");
    if (io == NULL)
        return NULL;
    PyObject *file = PyObject_CallMethod(io, "open", "Os", path, "rb");
    Py_DECREF(io);
    return file;
}

/* None sets a NULL hook; a list sets the recording hook, kept for the process. */
static PyObject *
set_open_code_hook(PyObject *self, PyObject *seen)
{
    if (seen == Py_None) {
        int status = PyFile_SetOpenCodeHook(NULL, NULL);
        if (status < 0 && PyErr_Occurred())
            return NULL;
        return PyLong_FromLong(status);
    }
    Py_INCREF(seen);
    int status = PyFile_SetOpenCodeHook(recording_hook, seen);
    if (status < 0) {
        Py_DECREF(seen);
        if (PyErr_Occurred())
            return NULL;
    }
    return PyLong_FromLong(status);
}

static PyObject *
encoding_globals(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(ssi)", Py_FileSystemDefaultEncoding, Py_FileSystemDefaultEncodeErrors,
                         Py_HasFileSystemDefaultEncoding);
}

static PyObject *
utf8_mode(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(Py_UTF8Mode);
}

/* --- the locale codec --------------------------------------------------------- */

/* decode(bytes) -> (list of code points, size) */
static PyObject *
decode(PyObject *self, PyObject *arg)
{
    size_t size = 12345;
    wchar_t *w = Py_DecodeLocale(PyBytes_AsString(arg), &size);
    if (w == NULL)
        return Py_BuildValue("(On)", Py_None, (Py_ssize_t)size);
    PyObject *points = PyList_New(0);
    for (size_t i = 0; w[i] != 0; i++) {
        PyObject *p = PyLong_FromLong((long)w[i]);
        PyList_Append(points, p);
        Py_DECREF(p);
    }
    PyMem_RawFree(w);
    PyObject *with_null_size = Py_BuildValue("(Nn)", points, (Py_ssize_t)size);
    return with_null_size;
}

/* encode(list of code points) -> (bytes or None, error_pos) */
static PyObject *
encode(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyList_Size(arg);
    wchar_t *w = PyMem_Calloc(n + 1, sizeof(wchar_t));
    for (Py_ssize_t i = 0; i < n; i++)
        w[i] = (wchar_t)PyLong_AsLong(PyList_GetItem(arg, i));
    size_t error_pos = 999;
    char *s = Py_EncodeLocale(w, &error_pos);
    PyObject *r;
    if (s == NULL)
        r = Py_BuildValue("(On)", Py_None, (Py_ssize_t)error_pos);
    else {
        r = Py_BuildValue("(yn)", s, (Py_ssize_t)error_pos);
        PyMem_Free(s);
    }
    char *no_pos = Py_EncodeLocale(w, NULL);
    PyMem_Free(no_pos);
    PyMem_Free(w);
    return r;
}

static PyObject *
fspath(PyObject *self, PyObject *arg)
{
    return PyOS_FSPath(arg);
}

static PyMethodDef methods[] = {
    {"from_fd", from_fd, METH_VARARGS},
    {"get_line", get_line, METH_VARARGS},
    {"write_object", write_object, METH_VARARGS},
    {"write_string", write_string, METH_VARARGS},
    {"as_fd", as_fd, METH_O},
    {"universal_fgets", universal_fgets, METH_VARARGS},
    {"open_code", open_code, METH_O},
    {"set_open_code_hook", set_open_code_hook, METH_O},
    {"sized_fgets", sized_fgets, METH_O},
    {"encoding_globals", encoding_globals, METH_NOARGS},
    {"utf8_mode", utf8_mode, METH_NOARGS},
    {"decode", decode, METH_O},
    {"encode", encode, METH_O},
    {"fspath", fspath, METH_O},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "fileobj_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_fileobj_ext(void)
{
    return PyModule_Create(&module);
}
