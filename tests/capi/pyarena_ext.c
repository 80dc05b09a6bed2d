/* Arenas (internal/pycore_pyarena.h), as a parser copied from CPython uses
 * them (typed_ast): blocks that live until the arena is freed, and objects
 * whose references the arena takes over and releases when it is freed. */
#include <Python.h>
#include <string.h>
#define Py_BUILD_CORE 1
#include "internal/pycore_pyarena.h"
#undef Py_BUILD_CORE

/* Fills many blocks, checks none was overwritten, hands the arena objects
 * and frees it: returns (blocks intact, alignment ok, refcount of `obj`
 * while the arena holds it minus before). */
static PyObject *fill(PyObject *self, PyObject *obj)
{
    PyArena *arena = _PyArena_New();
    if (arena == NULL)
        return NULL;
    unsigned char *blocks[500];
    int aligned = 1;
    for (int i = 0; i < 500; i++) {
        size_t size = (size_t)(i % 37) * 3 + 1;
        blocks[i] = _PyArena_Malloc(arena, size);
        if (blocks[i] == NULL) {
            _PyArena_Free(arena);
            return NULL;
        }
        if (((uintptr_t)blocks[i]) % sizeof(void *) != 0)
            aligned = 0;
        memset(blocks[i], i & 0xff, size);
    }
    int intact = 1;
    for (int i = 0; i < 500; i++) {
        size_t size = (size_t)(i % 37) * 3 + 1;
        for (size_t j = 0; j < size; j++)
            if (blocks[i][j] != (i & 0xff))
                intact = 0;
    }
    Py_ssize_t before = Py_REFCNT(obj);
    Py_INCREF(obj);
    if (_PyArena_AddPyObject(arena, obj) < 0) {
        Py_DECREF(obj);
        _PyArena_Free(arena);
        return NULL;
    }
    Py_ssize_t held = Py_REFCNT(obj) - before;
    _PyArena_Free(arena);
    return Py_BuildValue("iin", intact, aligned, held);
}

/* An arena that owns the only reference to a new list holding `item`, and
 * to a str made in C; freeing it releases them (the caller sees the
 * list's weakref-able item die through a callback). */
static PyObject *own(PyObject *self, PyObject *item)
{
    PyArena *arena = _PyArena_New();
    if (arena == NULL)
        return NULL;
    PyObject *list = PyList_New(0);
    if (list == NULL || PyList_Append(list, item) < 0) {
        Py_XDECREF(list);
        _PyArena_Free(arena);
        return NULL;
    }
    PyObject *text = PyUnicode_FromString("identifier");
    if (text == NULL || _PyArena_AddPyObject(arena, list) < 0) {
        Py_XDECREF(text);
        Py_DECREF(list);
        _PyArena_Free(arena);
        return NULL;
    }
    if (_PyArena_AddPyObject(arena, text) < 0) {
        Py_DECREF(text);
        _PyArena_Free(arena);
        return NULL;
    }
    Py_ssize_t item_refs = Py_REFCNT(item);
    _PyArena_Free(arena);
    return Py_BuildValue("nn", item_refs, Py_REFCNT(item));
}

/* An empty arena is freed without a trace. */
static PyObject *empty(PyObject *self, PyObject *unused)
{
    PyArena *arena = _PyArena_New();
    if (arena == NULL)
        return NULL;
    _PyArena_Free(arena);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"fill", fill, METH_O, NULL},
    {"own", own, METH_O, NULL},
    {"empty", empty, METH_NOARGS, NULL},
    {NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "pyarena_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_pyarena_ext(void) { return PyModule_Create(&mod); }
