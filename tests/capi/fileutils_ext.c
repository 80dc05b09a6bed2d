/* The descriptor helpers of internal/pycore_fileutils.h, which packages
 * carrying copies of CPython's tokenizer call (typed_ast: _Py_dup). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <fcntl.h>
#include <unistd.h>
#define Py_BUILD_CORE 1
#include "internal/pycore_fileutils.h"
#undef Py_BUILD_CORE

static int cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    return flags < 0 ? -1 : (flags & FD_CLOEXEC) != 0;
}

/* _Py_dup: a new descriptor on the same file, not inherited. */
static PyObject *dup_(PyObject *self, PyObject *arg)
{
    int fd = (int)PyLong_AsLong(arg);
    if (fd == -1 && PyErr_Occurred())
        return NULL;
    int copy = _Py_dup(fd);
    if (copy < 0)
        return NULL;
    PyObject *r = Py_BuildValue("(iii)", copy != fd, cloexec(copy), _Py_get_inheritable(copy));
    close(copy);
    return r;
}

/* _Py_set_inheritable / _Py_get_inheritable, _async_safe, and the atomic
 * flag's in-out value. */
static PyObject *inherit(PyObject *self, PyObject *arg)
{
    int fd = (int)PyLong_AsLong(arg);
    if (fd == -1 && PyErr_Occurred())
        return NULL;
    if (_Py_set_inheritable(fd, 1, NULL) < 0)
        return NULL;
    int a = _Py_get_inheritable(fd);
    int atomic = -1;
    if (_Py_set_inheritable(fd, 0, &atomic) < 0)
        return NULL;
    int b = _Py_get_inheritable(fd);
    if (_Py_set_inheritable_async_safe(fd, 1, NULL) < 0)
        return PyErr_SetFromErrno(PyExc_OSError);
    int c = _Py_get_inheritable(fd);
    atomic = -1;
    if (_Py_set_inheritable(fd, 0, &atomic) < 0)
        return NULL;
    /* FD_CLOEXEC was clear, so O_CLOEXEC is not known to have worked. */
    return Py_BuildValue("(iiiii)", a, b, c, atomic, _Py_get_inheritable(fd));
}

/* _Py_get_blocking / _Py_set_blocking. */
static PyObject *blocking(PyObject *self, PyObject *arg)
{
    int fd = (int)PyLong_AsLong(arg);
    if (fd == -1 && PyErr_Occurred())
        return NULL;
    int a = _Py_get_blocking(fd);
    if (a < 0 || _Py_set_blocking(fd, 0) < 0)
        return NULL;
    int b = _Py_get_blocking(fd);
    if (_Py_set_blocking(fd, 1) < 0)
        return NULL;
    return Py_BuildValue("(iii)", a, b, _Py_get_blocking(fd));
}

/* _Py_open, _Py_write, _Py_read, _Py_fstat on a path given as bytes. */
static PyObject *roundtrip(PyObject *self, PyObject *args)
{
    const char *path;
    const char *data;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "yy#", &path, &data, &len))
        return NULL;
    int fd = _Py_open(path, O_RDWR | O_CREAT | O_TRUNC);
    if (fd < 0)
        return NULL;
    int inheritable = _Py_get_inheritable(fd);
    Py_ssize_t written = _Py_write(fd, data, (size_t)len);
    if (written < 0) {
        close(fd);
        return NULL;
    }
    struct _Py_stat_struct st;
    if (_Py_fstat(fd, &st) < 0) {
        close(fd);
        return NULL;
    }
    lseek(fd, 0, SEEK_SET);
    char buf[64];
    Py_ssize_t n = _Py_read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0)
        return NULL;
    int fd2 = _Py_open_noraise(path, O_RDONLY);
    struct _Py_stat_struct st2;
    int fs = fd2 < 0 ? -1 : _Py_fstat_noraise(fd2, &st2);
    if (fd2 >= 0)
        close(fd2);
    Py_ssize_t w = _Py_write_noraise(-1, "x", 1);
    return Py_BuildValue("(inny#iinn)", inheritable, written, (Py_ssize_t)st.st_size, buf, n,
                         fd2 >= 0, fs, (Py_ssize_t)st2.st_size, w);
}

/* The failures: OSError of the right kind, naming the path for _Py_open. */
static PyObject *fail(PyObject *self, PyObject *args)
{
    const char *what;
    const char *path;
    if (!PyArg_ParseTuple(args, "sy", &what, &path))
        return NULL;
    char buf[4];
    struct _Py_stat_struct st;
    long r;
    if (strcmp(what, "open") == 0)
        r = _Py_open(path, O_RDONLY);
    else if (strcmp(what, "dup") == 0)
        r = _Py_dup(-1);
    else if (strcmp(what, "read") == 0)
        r = (long)_Py_read(-1, buf, sizeof buf);
    else if (strcmp(what, "write") == 0)
        r = (long)_Py_write(-1, "x", 1);
    else if (strcmp(what, "fstat") == 0)
        r = _Py_fstat(-1, &st);
    else if (strcmp(what, "get_inheritable") == 0)
        r = _Py_get_inheritable(-1);
    else if (strcmp(what, "set_inheritable") == 0)
        r = _Py_set_inheritable(-1, 1, NULL);
    else if (strcmp(what, "get_blocking") == 0)
        r = _Py_get_blocking(-1);
    else
        r = _Py_set_blocking(-1, 1);
    if (r != -1 || !PyErr_Occurred())
        return PyErr_Format(PyExc_AssertionError, "%s: %ld without an error", what, r);
    return NULL;
}

/* The no-raise forms set errno only. */
static PyObject *noraise(PyObject *self, PyObject *arg)
{
    const char *path = PyBytes_AsString(arg);
    if (path == NULL)
        return NULL;
    errno = 0;
    int a = _Py_open_noraise(path, O_RDONLY);
    int ea = errno;
    errno = 0;
    int b = _Py_set_inheritable_async_safe(-1, 1, NULL);
    int eb = errno;
    struct _Py_stat_struct st;
    errno = 0;
    int c = _Py_fstat_noraise(-1, &st);
    int ec = errno;
    return Py_BuildValue("(iiiiiii)", a, ea == ENOENT, b, eb == EBADF, c, ec == EBADF, PyErr_Occurred() != NULL);
}

static PyMethodDef methods[] = {
    {"dup", dup_, METH_O, NULL},
    {"inherit", inherit, METH_O, NULL},
    {"blocking", blocking, METH_O, NULL},
    {"roundtrip", roundtrip, METH_VARARGS, NULL},
    {"fail", fail, METH_VARARGS, NULL},
    {"noraise", noraise, METH_O, NULL},
    {NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "fileutils_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_fileutils_ext(void) { return PyModule_Create(&mod); }
