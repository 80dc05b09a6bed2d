/* tracemalloc.h and the allocators under tracemalloc: blocks C reports in
 * a domain of its own, and the PyMem, PyMem_Raw and PyObject blocks traced
 * in domain 0 with the Python line that called C. */
#include <Python.h>
#include <pthread.h>

static int
parse_address(PyObject *obj, void **address)
{
    *address = PyLong_AsVoidPtr(obj);
    return !(*address == NULL && PyErr_Occurred());
}

static PyObject *
track(PyObject *self, PyObject *args)
{
    unsigned int domain;
    unsigned long long ptr;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "IKn", &domain, &ptr, &size))
        return NULL;
    return PyLong_FromLong(PyTraceMalloc_Track(domain, (uintptr_t)ptr, (size_t)size));
}

static PyObject *
untrack(PyObject *self, PyObject *args)
{
    unsigned int domain;
    unsigned long long ptr;
    if (!PyArg_ParseTuple(args, "IK", &domain, &ptr))
        return NULL;
    return PyLong_FromLong(PyTraceMalloc_Untrack(domain, (uintptr_t)ptr));
}

static PyObject *
get_traceback(PyObject *self, PyObject *args)
{
    unsigned int domain;
    unsigned long long ptr;
    if (!PyArg_ParseTuple(args, "IK", &domain, &ptr))
        return NULL;
    return _PyTraceMalloc_GetTraceback(domain, (uintptr_t)ptr);
}

/* kind: 0 PyMem_Malloc, 1 PyMem_Calloc(size, 1), 2 PyMem_RawMalloc,
 * 3 PyMem_RawCalloc(1, size), 4 PyObject_Malloc, 5 PyObject_Calloc(size, 1). */
static PyObject *
alloc(PyObject *self, PyObject *args)
{
    int kind;
    Py_ssize_t size;
    void *p = NULL;
    if (!PyArg_ParseTuple(args, "in", &kind, &size))
        return NULL;
    switch (kind) {
    case 0: p = PyMem_Malloc(size); break;
    case 1: p = PyMem_Calloc(size, 1); break;
    case 2: p = PyMem_RawMalloc(size); break;
    case 3: p = PyMem_RawCalloc(1, size); break;
    case 4: p = PyObject_Malloc(size); break;
    case 5: p = PyObject_Calloc(size, 1); break;
    default: PyErr_SetString(PyExc_ValueError, "kind"); return NULL;
    }
    if (p == NULL)
        return PyErr_NoMemory();
    return PyLong_FromVoidPtr(p);
}

/* family: 0 PyMem, 1 PyMem_Raw, 2 PyObject. */
static PyObject *
resize(PyObject *self, PyObject *args)
{
    int family;
    PyObject *addr;
    Py_ssize_t size;
    void *p;
    if (!PyArg_ParseTuple(args, "iOn", &family, &addr, &size) || !parse_address(addr, &p))
        return NULL;
    if (family == 0)
        p = PyMem_Realloc(p, size);
    else if (family == 1)
        p = PyMem_RawRealloc(p, size);
    else
        p = PyObject_Realloc(p, size);
    if (p == NULL)
        return PyErr_NoMemory();
    return PyLong_FromVoidPtr(p);
}

static PyObject *
release(PyObject *self, PyObject *args)
{
    int family;
    PyObject *addr;
    void *p;
    if (!PyArg_ParseTuple(args, "iO", &family, &addr) || !parse_address(addr, &p))
        return NULL;
    if (family == 0)
        PyMem_Free(p);
    else if (family == 1)
        PyMem_RawFree(p);
    else
        PyObject_Free(p);
    Py_RETURN_NONE;
}

static void *
raw_thread(void *arg)
{
    size_t *size = arg;
    return PyMem_RawMalloc(*size);
}

/* A block PyMem_RawMalloc'd by a C thread that never ran Python code. */
static PyObject *
raw_in_thread(PyObject *self, PyObject *arg)
{
    size_t size = PyLong_AsSize_t(arg);
    pthread_t thread;
    void *p = NULL;
    if (size == (size_t)-1 && PyErr_Occurred())
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    if (pthread_create(&thread, NULL, raw_thread, &size) == 0)
        pthread_join(thread, &p);
    Py_END_ALLOW_THREADS
    if (p == NULL)
        return PyErr_NoMemory();
    return PyLong_FromVoidPtr(p);
}

/* An object whose memory is a PyObject_Malloc block made an object with
 * PyObject_Init, large enough that its size is its own. */
typedef struct {
    PyObject_HEAD
    char payload[50000];
} Big;

static void
big_dealloc(PyObject *self)
{
    PyObject_Free(self);
}

static PyTypeObject BigType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tracemalloc_ext.Big",
    .tp_basicsize = sizeof(Big),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = big_dealloc,
};

static PyObject *
new_big(PyObject *self, PyObject *unused)
{
    Big *b = PyObject_Malloc(sizeof(Big));
    if (b == NULL)
        return PyErr_NoMemory();
    return PyObject_Init((PyObject *)b, &BigType);
}

static PyObject *
big_size(PyObject *self, PyObject *unused)
{
    return PyLong_FromSize_t(sizeof(Big));
}

static PyObject *
address_of(PyObject *self, PyObject *obj)
{
    return PyLong_FromVoidPtr(obj);
}

static PyMethodDef methods[] = {
    {"track", track, METH_VARARGS},
    {"untrack", untrack, METH_VARARGS},
    {"get_traceback", get_traceback, METH_VARARGS},
    {"alloc", alloc, METH_VARARGS},
    {"resize", resize, METH_VARARGS},
    {"release", release, METH_VARARGS},
    {"raw_in_thread", raw_in_thread, METH_O},
    {"new_big", new_big, METH_NOARGS},
    {"big_size", big_size, METH_NOARGS},
    {"address_of", address_of, METH_O},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "tracemalloc_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_tracemalloc_ext(void)
{
    if (PyType_Ready(&BigType) < 0)
        return NULL;
    return PyModule_Create(&module);
}
