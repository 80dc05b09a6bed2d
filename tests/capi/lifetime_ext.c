/* Object lifetimes the database modules rely on: a bare pointer to an
 * object C stored in a container, a stolen reference taken back with
 * Py_INCREF, an error pending while a destructor runs (and releases the
 * GIL), PyGILState_Ensure inside Py_BEGIN_ALLOW_THREADS, and T.__new__ of a
 * static type. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <structmember.h>
#include <stdlib.h>
#include <string.h>

/* Kept without a reference: the dict passed to keep_in_dict holds it. */
static PyObject *kept_pointer = NULL;

static PyObject *
keep_in_dict(PyObject *self, PyObject *args)
{
    PyObject *dict, *value;
    if (!PyArg_ParseTuple(args, "O!O", &PyDict_Type, &dict, &value))
        return NULL;
    if (PyDict_SetItemString(dict, "kept", value) < 0)
        return NULL;
    kept_pointer = value;
    Py_RETURN_NONE;
}

static PyObject *
call_kept(PyObject *self, PyObject *arg)
{
    if (kept_pointer == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "nothing kept");
        return NULL;
    }
    return PyObject_CallOneArg(kept_pointer, arg);
}

static PyObject *
kept_is(PyObject *self, PyObject *arg)
{
    return PyBool_FromLong(kept_pointer == arg);
}

/* pyrsistent's pattern: PyList_SetItem steals an argument the caller does
 * not own, and a Py_INCREF pays it back. */
static PyObject *
steal_then_incref(PyObject *self, PyObject *args)
{
    PyObject *list, *value;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &list, &value))
        return NULL;
    if (PyList_SetItem(list, 0, value) < 0)
        return NULL;
    Py_INCREF(value);
    /* The object must still be usable here and after the call. */
    PyObject *r = PyObject_Repr(value);
    if (r == NULL)
        return NULL;
    return Py_BuildValue("(NO)", r, PyList_GET_ITEM(list, 0) == value ? Py_True : Py_False);
}

/* A type whose destructor releases the GIL, as pysqlite3's statements do. */
typedef struct {
    PyObject_HEAD
    int finalized;
} Handle;

static int handles_freed = 0;

static void
Handle_dealloc(PyObject *op)
{
    Py_BEGIN_ALLOW_THREADS
    ((Handle *)op)->finalized = 1;
    Py_END_ALLOW_THREADS
    handles_freed++;
    Py_TYPE(op)->tp_free(op);
}

static PyTypeObject HandleType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lifetime_ext.Handle",
    .tp_basicsize = sizeof(Handle),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = Handle_dealloc,
};

static PyObject *
fail_while_freeing(PyObject *self, PyObject *unused)
{
    PyObject *handle = PyObject_CallNoArgs((PyObject *)&HandleType);
    if (handle == NULL)
        return NULL;
    PyErr_SetString(PyExc_ValueError, "set before the destructor ran");
    Py_DECREF(handle);
    return NULL;
}

/* The same with a Python object whose __del__ calls into C. */
static PyObject *
fail_while_dropping(PyObject *self, PyObject *cls)
{
    PyObject *obj = PyObject_CallNoArgs(cls);
    if (obj == NULL)
        return NULL;
    PyErr_SetString(PyExc_KeyError, "set before __del__ ran");
    Py_DECREF(obj);
    return NULL;
}

static PyObject *
freed_count(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(handles_freed);
}

/* SQLite calls pysqlite3's callbacks from inside Py_BEGIN_ALLOW_THREADS on
 * the same thread; they take the GIL back with PyGILState_Ensure. */
static PyObject *
callback_without_gil(PyObject *self, PyObject *callback)
{
    PyObject *result;
    int held_before, held_inside;
    held_before = PyGILState_Check();
    Py_BEGIN_ALLOW_THREADS
    PyGILState_STATE state = PyGILState_Ensure();
    held_inside = PyGILState_Check();
    result = PyObject_CallNoArgs(callback);
    PyGILState_Release(state);
    Py_END_ALLOW_THREADS
    if (result == NULL)
        return NULL;
    return Py_BuildValue("(iiN)", held_before, held_inside, result);
}

/* An object in memory of its own: malloc, PyObject_Init, and libc's free as
   tp_free (cffi's owning cdata). The memory the allocator hands out next at
   that address is plain memory, and PyObject_Free must free it as such. */
typedef struct { PyObject_HEAD double payload[6]; } OwnedObject;

static void
owned_dealloc(PyObject *self)
{
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject OwnedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lifetime_ext.Owned",
    .tp_basicsize = sizeof(OwnedObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = owned_dealloc,
    .tp_free = free,
};

static PyObject *
owned_then_plain(PyObject *self, PyObject *rounds_obj)
{
    long rounds = PyLong_AsLong(rounds_obj);
    long reused = 0;
    for (long i = 0; i < rounds; i++) {
        OwnedObject *o = malloc(sizeof(OwnedObject));
        if (o == NULL || PyObject_Init((PyObject *)o, &OwnedType) == NULL)
            return PyErr_NoMemory();
        void *where = o;
        PyObject *repr = PyObject_Repr((PyObject *)o);  /* it reaches Python */
        if (repr == NULL)
            return NULL;
        Py_DECREF(repr);
        Py_DECREF(o);                                      /* freed with free() */
        void *block = PyObject_Malloc(sizeof(OwnedObject));
        if (block == NULL)
            return PyErr_NoMemory();
        reused += block == where;
        memset(block, 0xAB, sizeof(OwnedObject));
        PyObject_Free(block);
    }
    return PyBool_FromLong(reused >= 0);
}

/* numpy's dispatch cache: containers C makes, stores in a dict of its own
 * and releases, then reads in later calls through bare pointers (numpy
 * also finds one through a PyDict_Values snapshot it releases). In CPython
 * these stay valid while the dict holds them. */
static PyObject *registry = NULL;                   /* owned */
static PyObject *bare_tuple, *bare_list, *bare_dict, *bare_from_values;

static PyObject *
store_containers(PyObject *self, PyObject *item)
{
    Py_XDECREF(registry);
    registry = PyDict_New();
    if (registry == NULL)
        return NULL;
    PyObject *t = PyTuple_Pack(2, item, Py_None);
    PyObject *l = PyList_New(0);
    PyObject *d = PyDict_New();
    PyObject *v = PyTuple_Pack(1, item);
    if (t == NULL || l == NULL || d == NULL || v == NULL || PyList_Append(l, item) < 0
            || PyDict_SetItemString(d, "k", item) < 0
            || PyDict_SetItemString(registry, "t", t) < 0
            || PyDict_SetItemString(registry, "l", l) < 0
            || PyDict_SetItemString(registry, "d", d) < 0
            || PyDict_SetItemString(registry, "v", v) < 0) {
        Py_XDECREF(t); Py_XDECREF(l); Py_XDECREF(d); Py_XDECREF(v);
        return NULL;
    }
    bare_tuple = t;
    bare_list = l;
    bare_dict = d;
    Py_DECREF(t); Py_DECREF(l); Py_DECREF(d); Py_DECREF(v);
    /* The last value, borrowed from a snapshot list released at once. */
    PyObject *values = PyDict_Values(registry);
    if (values == NULL)
        return NULL;
    bare_from_values = PyList_GET_ITEM(values, PyList_GET_SIZE(values) - 1);
    Py_DECREF(values);
    Py_RETURN_NONE;
}

static PyObject *
read_containers(PyObject *self, PyObject *unused)
{
    if (registry == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "nothing stored");
        return NULL;
    }
    PyObject *in_dict = PyDict_GetItemString(bare_dict, "k");
    return Py_BuildValue("(OOnOOn)", PyTuple_GET_ITEM(bare_tuple, 0),
                         PyList_GET_ITEM(bare_list, 0), PyList_GET_SIZE(bare_list),
                         in_dict ? in_dict : Py_None,
                         PyTuple_GET_ITEM(bare_from_values, 0),
                         PyTuple_GET_SIZE(bare_from_values));
}

static PyObject *
append_to_bare_list(PyObject *self, PyObject *item)
{
    if (PyList_Append(bare_list, item) < 0)
        return NULL;
    return PyLong_FromSsize_t(PyList_GET_SIZE(bare_list));
}

static PyObject *
get_registry(PyObject *self, PyObject *unused)
{
    return Py_NewRef(registry ? registry : Py_None);
}

static PyObject *
drop_registry(PyObject *self, PyObject *unused)
{
    Py_CLEAR(registry);
    Py_RETURN_NONE;
}

/* gc.collect() called from C, as cysignals' verify_exc_value calls it,
 * also from a finalizer that runs during a collection. */
static PyObject *
collect_from_c(PyObject *self, PyObject *unused)
{
    PyObject *gc = PyImport_ImportModule("gc");
    if (gc == NULL)
        return NULL;
    PyObject *r = PyObject_CallMethod(gc, "collect", NULL);
    Py_DECREF(gc);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    Py_RETURN_NONE;
}

/* A GC type whose tp_dealloc calls gc.collect() (cysignals' DeallocDebug
 * reaches verify_exc_value so): freed by a collection, it starts a nested
 * one from C. */
typedef struct {
    PyObject_HEAD
    PyObject *ref;
} CollectorObject;

static int
collector_traverse(CollectorObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->ref);
    return 0;
}

static int
collector_clear(CollectorObject *self)
{
    Py_CLEAR(self->ref);
    return 0;
}

static int collector_deallocs = 0;

static void
collector_dealloc(CollectorObject *self)
{
    PyObject_GC_UnTrack(self);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *r = collect_from_c(NULL, NULL);
    Py_XDECREF(r);
    PyErr_Restore(type, value, tb);
    collector_deallocs++;
    Py_CLEAR(self->ref);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
collector_deallocs_get(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(collector_deallocs);
}

static PyMemberDef collector_members[] = {
    {"ref", T_OBJECT, offsetof(CollectorObject, ref), 0, NULL},
    {NULL}
};

static PyTypeObject CollectorType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lifetime_ext.Collector",
    .tp_basicsize = sizeof(CollectorObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)collector_dealloc,
    .tp_traverse = (traverseproc)collector_traverse,
    .tp_clear = (inquiry)collector_clear,
    .tp_members = collector_members,
};

static PyMethodDef methods[] = {
    {"collector_deallocs", collector_deallocs_get, METH_NOARGS, NULL},
    {"collect_from_c", collect_from_c, METH_NOARGS, NULL},
    {"store_containers", store_containers, METH_O, NULL},
    {"read_containers", read_containers, METH_NOARGS, NULL},
    {"append_to_bare_list", append_to_bare_list, METH_O, NULL},
    {"get_registry", get_registry, METH_NOARGS, NULL},
    {"drop_registry", drop_registry, METH_NOARGS, NULL},
    {"owned_then_plain", owned_then_plain, METH_O, NULL},
    {"keep_in_dict", keep_in_dict, METH_VARARGS, NULL},
    {"call_kept", call_kept, METH_O, NULL},
    {"kept_is", kept_is, METH_O, NULL},
    {"steal_then_incref", steal_then_incref, METH_VARARGS, NULL},
    {"fail_while_freeing", fail_while_freeing, METH_NOARGS, NULL},
    {"freed_count", freed_count, METH_NOARGS, NULL},
    {"fail_while_dropping", fail_while_dropping, METH_O, NULL},
    {"callback_without_gil", callback_without_gil, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "lifetime_ext", NULL, -1, methods
};

/* A type with its own tp_getattro that defers to PyObject_GenericGetAttr
 * (pycurl's Curl): a method fetched through it is a bound method C made,
 * which holds the object; once Python drops both, the object goes. */
typedef struct {
    PyObject_HEAD
    PyObject *weakreflist;
} LookupObject;

static void
lookup_dealloc(LookupObject *self)
{
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
lookup_getattro(PyObject *self, PyObject *name)
{
    return PyObject_GenericGetAttr(self, name);
}

static PyObject *
lookup_ping(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyMethodDef lookup_methods[] = {{"ping", lookup_ping, METH_NOARGS, NULL}, {NULL}};

static PyTypeObject LookupType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lifetime_ext.Lookup",
    .tp_basicsize = sizeof(LookupObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)lookup_dealloc,
    .tp_getattro = lookup_getattro,
    .tp_methods = lookup_methods,
    .tp_weaklistoffset = offsetof(LookupObject, weakreflist),
};

PyMODINIT_FUNC
PyInit_lifetime_ext(void)
{
    if (PyType_Ready(&HandleType) < 0 || PyType_Ready(&OwnedType) < 0 || PyType_Ready(&CollectorType) < 0 ||
        PyType_Ready(&LookupType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&HandleType);
    if (PyModule_AddObject(m, "Handle", (PyObject *)&HandleType) < 0) {
        Py_DECREF(&HandleType);
        Py_DECREF(m);
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "Collector", (PyObject *)&CollectorType) < 0 ||
        PyModule_AddObjectRef(m, "Lookup", (PyObject *)&LookupType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
