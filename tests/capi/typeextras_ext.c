/* tp_finalize with resurrection, the async protocol, METH_COEXIST, and
 * calls through tp_vectorcall_offset. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <string.h>

static long finalized = 0, deallocated = 0;
static PyObject *resurrected = NULL; /* a list C keeps finalized objects in */
static int resurrect = 0;

typedef struct {
    PyObject_HEAD
    long id;
} Fin;

static void
Fin_finalize(PyObject *self)
{
    finalized++;
    if (resurrect && resurrected != NULL)
        PyList_Append(resurrected, self);
}

static void
Fin_dealloc(PyObject *self)
{
    /* The documented protocol: a static type runs its finalizer from its
     * dealloc, and stops if the finalizer resurrected the object. */
    if (PyObject_CallFinalizerFromDealloc(self) < 0)
        return;
    deallocated++;
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject FinType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeextras_ext.Fin",
    .tp_basicsize = sizeof(Fin),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_finalize = Fin_finalize,
    .tp_dealloc = Fin_dealloc,
};

/* Zombies: a finalizer that hands the object to a Python hook, which may
 * store it (as Cython's `__del__` that assigns `self` to a global does),
 * and a dealloc written as Cython writes it. A non-GC type has no
 * "finalized" bit, so its finalizer runs at every death; a GC type's runs
 * once (PEP 442), and its second death frees it. */
static PyObject *zombie_hook = NULL;
static long zfinalized[2], zdeallocated[2];

static void
zombie_finalize(PyObject *self)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    zfinalized[PyType_IS_GC(Py_TYPE(self))]++;
    if (zombie_hook != NULL) {
        PyObject *r = PyObject_CallOneArg(zombie_hook, self);
        if (r == NULL)
            PyErr_WriteUnraisable(self);
        Py_XDECREF(r);
    }
    PyErr_Restore(type, value, tb);
}

static void
zombie_dealloc(PyObject *self)
{
    int gc = PyType_IS_GC(Py_TYPE(self));
    if (!gc || !PyObject_GC_IsFinalized(self)) {
        if (PyObject_CallFinalizerFromDealloc(self))
            return;
    }
    if (gc)
        PyObject_GC_UnTrack(self);
    zdeallocated[gc]++;
    Py_TYPE(self)->tp_free(self);
}

static int
zombie_traverse(PyObject *self, visitproc visit, void *arg)
{
    return 0;
}

static PyTypeObject ZombieType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeextras_ext.Zombie",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_finalize = zombie_finalize,
    .tp_dealloc = zombie_dealloc,
};

static PyTypeObject GcZombieType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeextras_ext.GcZombie",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_traverse = zombie_traverse,
    .tp_finalize = zombie_finalize,
    .tp_dealloc = zombie_dealloc,
};

static PyObject *
set_zombie_hook(PyObject *self, PyObject *hook)
{
    Py_XSETREF(zombie_hook, hook == Py_None ? NULL : Py_NewRef(hook));
    Py_RETURN_NONE;
}

/* (finalized, deallocated) of the non-GC zombies, then of the GC ones. */
static PyObject *
zombie_counts(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("((ll)(ll))", zfinalized[0], zdeallocated[0], zfinalized[1], zdeallocated[1]);
}

static PyObject *
gc_is_finalized(PyObject *self, PyObject *obj)
{
    return PyBool_FromLong(PyObject_GC_IsFinalized(obj));
}

/* Async protocol: awaiting yields 1, 2 then returns. */
static PyObject *
Aw_await(PyObject *self)
{
    PyObject *items = PyList_New(0);
    PyObject *one = PyLong_FromLong(1), *two = PyLong_FromLong(2);
    PyList_Append(items, one);
    PyList_Append(items, two);
    Py_DECREF(one);
    Py_DECREF(two);
    PyObject *it = PyObject_GetIter(items);
    Py_DECREF(items);
    return it;
}

static PyObject *
Aw_aiter(PyObject *self)
{
    return Py_NewRef(self);
}

static PyObject *
Aw_anext(PyObject *self)
{
    return PyUnicode_FromString("next awaitable");
}

static PyAsyncMethods Aw_as_async = {
    .am_await = Aw_await,
    .am_aiter = Aw_aiter,
    .am_anext = Aw_anext,
};

static PyTypeObject AwType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeextras_ext.Aw",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_as_async = &Aw_as_async,
};

/* METH_COEXIST: a method named like a slot wrapper. */
static int
contains_slot(PyObject *self, PyObject *v)
{
    return 1;
}

static PyObject *
contains_method(PyObject *self, PyObject *v)
{
    return PyUnicode_FromString("method");
}

static PySequenceMethods contains_seq = {.sq_contains = contains_slot};

static PyMethodDef coexist_methods[] = {
    {"__contains__", contains_method, METH_O | METH_COEXIST, NULL},
    {NULL},
};

static PyMethodDef plain_methods[] = {
    {"__contains__", contains_method, METH_O, NULL},
    {NULL},
};

static PyTypeObject CoexistType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeextras_ext.Coexist",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_as_sequence = &contains_seq,
    .tp_methods = coexist_methods,
};

static PyTypeObject NoCoexistType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeextras_ext.NoCoexist",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_as_sequence = &contains_seq,
    .tp_methods = plain_methods,
};

/* Vectorcall through tp_vectorcall_offset. */
typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
} VC;

static PyObject *
VC_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    PyObject *first = nargs ? args[0] : Py_None;
    return PyTuple_Pack(3, PyLong_FromSsize_t(nargs), kwnames ? kwnames : Py_None, first);
}

static PyObject *
VC_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    VC *self = (VC *)type->tp_alloc(type, 0);
    if (self != NULL)
        self->vectorcall = VC_vectorcall;
    return (PyObject *)self;
}

static PyTypeObject VCType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeextras_ext.VC",
    .tp_basicsize = sizeof(VC),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_new = VC_new,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(VC, vectorcall),
};

/* Old-style attribute access with C-string names. */
static PyObject *
Old_getattr(PyObject *self, char *name)
{
    if (strcmp(name, "magic") == 0)
        return PyLong_FromLong(7);
    PyErr_SetString(PyExc_AttributeError, name);
    return NULL;
}

static int
Old_setattr(PyObject *self, char *name, PyObject *v)
{
    PyErr_SetString(PyExc_AttributeError, v ? "set refused" : "delete refused");
    return -1;
}

static PyTypeObject OldType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "typeextras_ext.Old",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_getattr = Old_getattr,
    .tp_setattr = Old_setattr,
};

static PyObject *
counts(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(2, PyLong_FromLong(finalized), PyLong_FromLong(deallocated));
}

static PyObject *
set_resurrect(PyObject *self, PyObject *flag)
{
    resurrect = PyObject_IsTrue(flag);
    if (resurrected == NULL)
        resurrected = PyList_New(0);
    Py_RETURN_NONE;
}

static PyObject *
take_resurrected(PyObject *self, PyObject *unused)
{
    PyObject *r = resurrected ? resurrected : PyList_New(0);
    resurrected = PyList_New(0);
    return r;
}

static PyMethodDef methods[] = {
    {"counts", counts, METH_NOARGS, NULL},
    {"set_resurrect", set_resurrect, METH_O, NULL},
    {"take_resurrected", take_resurrected, METH_NOARGS, NULL},
    {"set_zombie_hook", set_zombie_hook, METH_O, NULL},
    {"zombie_counts", zombie_counts, METH_NOARGS, NULL},
    {"gc_is_finalized", gc_is_finalized, METH_O, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "typeextras_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_typeextras_ext(void)
{
    PyTypeObject *types[] = {&FinType, &AwType, &CoexistType, &NoCoexistType, &VCType, &OldType,
                             &ZombieType, &GcZombieType};
    const char *names[] = {"Fin", "Aw", "Coexist", "NoCoexist", "VC", "Old", "Zombie", "GcZombie"};
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    for (int i = 0; i < 8; i++) {
        if (PyType_Ready(types[i]) < 0 || PyModule_AddObjectRef(m, names[i], (PyObject *)types[i]) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    }
    return m;
}
