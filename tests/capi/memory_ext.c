/* pymem.h, objimpl.h and tracemalloc.h: the domains' allocators and hooks
 * installed over them, strdup helpers, tracemalloc, the collector switches. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stddef.h>
#include <string.h>

/* --- a counting hook over a domain's allocator ---------------------------------- */

typedef struct {
    PyMemAllocatorEx previous;
    long mallocs, callocs, reallocs, frees;
} Hook;

static Hook hooks[3];

static void *
hook_malloc(void *ctx, size_t size)
{
    Hook *h = ctx;
    h->mallocs++;
    return h->previous.malloc(h->previous.ctx, size);
}

static void *
hook_calloc(void *ctx, size_t nelem, size_t elsize)
{
    Hook *h = ctx;
    h->callocs++;
    return h->previous.calloc(h->previous.ctx, nelem, elsize);
}

static void *
hook_realloc(void *ctx, void *ptr, size_t size)
{
    Hook *h = ctx;
    h->reallocs++;
    return h->previous.realloc(h->previous.ctx, ptr, size);
}

static void
hook_free(void *ctx, void *ptr)
{
    Hook *h = ctx;
    h->frees++;
    h->previous.free(h->previous.ctx, ptr);
}

static void *
call_domain(int domain, int op, void *ptr, size_t size)
{
    switch (domain) {
    case PYMEM_DOMAIN_RAW:
        return op == 0 ? PyMem_RawMalloc(size) : op == 1 ? PyMem_RawCalloc(size, 2) : op == 2 ? PyMem_RawRealloc(ptr, size) : (PyMem_RawFree(ptr), NULL);
    case PYMEM_DOMAIN_MEM:
        return op == 0 ? PyMem_Malloc(size) : op == 1 ? PyMem_Calloc(size, 2) : op == 2 ? PyMem_Realloc(ptr, size) : (PyMem_Free(ptr), NULL);
    default:
        return op == 0 ? PyObject_Malloc(size) : op == 1 ? PyObject_Calloc(size, 2) : op == 2 ? PyObject_Realloc(ptr, size) : (PyObject_Free(ptr), NULL);
    }
}

/* hooked(domain): installs the hook, allocates through the domain's
 * functions, uninstalls; -> (counts, restored, zeroed calloc) */
static PyObject *
hooked(PyObject *self, PyObject *arg)
{
    int domain = (int)PyLong_AsLong(arg);
    Hook *h = &hooks[domain];
    memset(h, 0, sizeof(*h));
    PyMem_GetAllocator(domain, &h->previous);
    PyMemAllocatorEx mine = {h, hook_malloc, hook_calloc, hook_realloc, hook_free};
    PyMem_SetAllocator(domain, &mine);

    PyMemAllocatorEx seen;
    PyMem_GetAllocator(domain, &seen);
    int installed = seen.ctx == h && seen.malloc == hook_malloc;

    char *a = call_domain(domain, 0, NULL, 16);
    strcpy(a, "hello");
    a = call_domain(domain, 2, a, 64);
    int kept = strcmp(a, "hello") == 0;
    char *b = call_domain(domain, 1, NULL, 8);
    int zeroed = 1;
    for (int i = 0; i < 16; i++)
        zeroed &= b[i] == 0;
    char *zero = call_domain(domain, 0, NULL, 0);
    int zero_ok = zero != NULL;
    call_domain(domain, 3, a, 0);
    call_domain(domain, 3, b, 0);
    call_domain(domain, 3, zero, 0);
    call_domain(domain, 3, NULL, 0);

    PyMem_SetAllocator(domain, &h->previous);
    PyMemAllocatorEx after;
    PyMem_GetAllocator(domain, &after);
    int restored = after.malloc == h->previous.malloc && after.ctx == h->previous.ctx;
    /* after restoring, the hook sees nothing more */
    void *c = call_domain(domain, 0, NULL, 4);
    call_domain(domain, 3, c, 0);
    return Py_BuildValue("(i[llll]iiii)", installed, h->mallocs, h->callocs, h->reallocs, h->frees, kept, zeroed,
                         zero_ok, restored);
}

static PyObject *
allocators(PyObject *self, PyObject *unused)
{
    PyObject *out = PyList_New(0);
    for (int domain = 0; domain < 3; domain++) {
        PyMemAllocatorEx a;
        PyMem_GetAllocator(domain, &a);
        int complete = a.malloc && a.calloc && a.realloc && a.free;
        void *p = a.malloc(a.ctx, 10);
        a.free(a.ctx, p);
        PyObject *item = Py_BuildValue("(ii)", complete, p != NULL);
        PyList_Append(out, item);
        Py_DECREF(item);
    }
    PyMemAllocatorEx unknown;
    memset(&unknown, 0xff, sizeof(unknown));
    PyMem_GetAllocator((PyMemAllocatorDomain)7, &unknown);
    PyObject *item = Py_BuildValue("i", unknown.malloc == NULL && unknown.free == NULL && unknown.ctx == NULL);
    PyList_Append(out, item);
    Py_DECREF(item);
    return out;
}

static PyObject *
strdups(PyObject *self, PyObject *unused)
{
    char *a = _PyMem_RawStrdup("raw copy");
    char *b = _PyMem_Strdup("mem copy");
    wchar_t *w = _PyMem_RawWcsdup(L"wide copy");
    PyObject *r = Py_BuildValue("(ssi)", a, b, wcscmp(w, L"wide copy") == 0);
    PyMem_RawFree(a);
    PyMem_Free(b);
    PyMem_RawFree(w);
    return r;
}

static PyObject *
macros(PyObject *self, PyObject *unused)
{
    int *ints = PyMem_New(int, 4);
    ints[3] = 7;
    PyMem_Resize(ints, int, 8);
    ints[7] = ints[3];
    int ok = ints != NULL && ints[7] == 7;
    PyMem_Del(ints);
    int *too_many = PyMem_New(int, PY_SSIZE_T_MAX);
    return Py_BuildValue("(ii)", ok, too_many == NULL);
}

static PyObject *
trace(PyObject *self, PyObject *unused)
{
    static char block[32];
    int track = PyTraceMalloc_Track(12345, (uintptr_t)block, sizeof(block));
    int untrack = PyTraceMalloc_Untrack(12345, (uintptr_t)block);
    return Py_BuildValue("(iiN)", track, untrack, _PyTraceMalloc_GetTraceback(12345, (uintptr_t)block));
}

static PyObject *
gc_switches(PyObject *self, PyObject *unused)
{
    int was = PyGC_IsEnabled();
    int d1 = PyGC_Disable();
    int now_off = PyGC_IsEnabled();
    int d2 = PyGC_Disable();
    int e1 = PyGC_Enable();
    int e2 = PyGC_Enable();
    int now_on = PyGC_IsEnabled();
    Py_ssize_t found = PyGC_Collect();
    return Py_BuildValue("(iiiiiiii)", was, d1, now_off, d2, e1, e2, now_on, found >= 0);
}

/* --- a C type with a weak-reference list ----------------------------------------- */

typedef struct {
    PyObject_HEAD
    PyObject *weakrefs;
} Weak;

static void
weak_dealloc(PyObject *self)
{
    if (((Weak *)self)->weakrefs != NULL)
        PyObject_ClearWeakRefs(self);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject WeakType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "memory_ext.Weak",
    .tp_basicsize = sizeof(Weak),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_weaklistoffset = offsetof(Weak, weakrefs),
    .tp_new = PyType_GenericNew,
    .tp_dealloc = weak_dealloc,
};

static int
tracked_traverse(PyObject *self, visitproc visit, void *arg)
{
    return 0;
}

static void
tracked_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    PyObject_GC_Del(self);
}

static PyTypeObject TrackedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "memory_ext.Tracked",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_traverse = tracked_traverse,
    .tp_dealloc = tracked_dealloc,
};

/* A GC type whose finalizer keeps the object alive in `resurrected`. */
static PyObject *resurrected;

static void
finalizable_finalize(PyObject *self)
{
    if (resurrected == NULL)
        resurrected = Py_NewRef(self);
}

static void
finalizable_dealloc(PyObject *self)
{
    if (PyObject_CallFinalizerFromDealloc(self) < 0)
        return;
    PyObject_GC_UnTrack(self);
    PyObject_GC_Del(self);
}

static PyTypeObject FinalizableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "memory_ext.Finalizable",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_traverse = tracked_traverse,
    .tp_dealloc = finalizable_dealloc,
    .tp_finalize = finalizable_finalize,
};

static PyObject *
is_finalized(PyObject *self, PyObject *obj)
{
    return PyLong_FromLong(PyObject_GC_IsFinalized(obj));
}

static PyObject *
take_resurrected(PyObject *self, PyObject *unused)
{
    PyObject *r = resurrected ? resurrected : Py_NewRef(Py_None);
    resurrected = NULL;
    return r;
}

static PyObject *
weak_facts(PyObject *self, PyObject *obj)
{
    return Py_BuildValue("(iii)", PyType_SUPPORTS_WEAKREFS(Py_TYPE(obj)),
                         (char *)PyObject_GET_WEAKREFS_LISTPTR(obj) == (char *)obj + offsetof(Weak, weakrefs),
                         PyType_SUPPORTS_WEAKREFS(&PyLong_Type));
}

static PyObject *
is_gc(PyObject *self, PyObject *obj)
{
    return Py_BuildValue("(ii)", PyObject_IS_GC(obj), PyType_IS_GC(Py_TYPE(obj)));
}

static PyMethodDef methods[] = {
    {"hooked", hooked, METH_O},
    {"allocators", allocators, METH_NOARGS},
    {"strdups", strdups, METH_NOARGS},
    {"macros", macros, METH_NOARGS},
    {"trace", trace, METH_NOARGS},
    {"gc_switches", gc_switches, METH_NOARGS},
    {"weak_facts", weak_facts, METH_O},
    {"is_gc", is_gc, METH_O},
    {"is_finalized", is_finalized, METH_O},
    {"take_resurrected", take_resurrected, METH_NOARGS},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "memory_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_memory_ext(void)
{
    if (PyType_Ready(&WeakType) < 0 || PyType_Ready(&TrackedType) < 0 || PyType_Ready(&FinalizableType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&WeakType);
    PyModule_AddObject(m, "Weak", (PyObject *)&WeakType);
    Py_INCREF(&FinalizableType);
    PyModule_AddObject(m, "Finalizable", (PyObject *)&FinalizableType);
    Py_INCREF(&TrackedType);
    PyModule_AddObject(m, "Tracked", (PyObject *)&TrackedType);
    return m;
}
