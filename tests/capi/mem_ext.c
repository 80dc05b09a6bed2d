#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

/* One family of allocators, selected by index:
   0 = PyMem_*, 1 = PyMem_Raw*, 2 = PyObject_* */
typedef struct {
    const char *name;
    void *(*malloc_)(size_t);
    void *(*calloc_)(size_t, size_t);
    void *(*realloc_)(void *, size_t);
    void (*free_)(void *);
} family;

static family families[3] = {
    {"PyMem", PyMem_Malloc, PyMem_Calloc, PyMem_Realloc, PyMem_Free},
    {"PyMem_Raw", PyMem_RawMalloc, PyMem_RawCalloc, PyMem_RawRealloc, PyMem_RawFree},
    {"PyObject", PyObject_Malloc, PyObject_Calloc, PyObject_Realloc, PyObject_Free},
};

static int
get_family(PyObject *arg, family **out)
{
    long i = PyLong_AsLong(arg);
    if (i == -1 && PyErr_Occurred())
        return -1;
    if (i < 0 || i > 2) {
        PyErr_SetString(PyExc_ValueError, "family must be 0, 1 or 2");
        return -1;
    }
    *out = &families[i];
    return 0;
}

static void
fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)((i * 31u + seed) & 0xff);
}

static int
check(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)((i * 31u + seed) & 0xff))
            return 0;
    return 1;
}

static int
aligned(void *p)
{
    return ((uintptr_t)p % 16) == 0;
}

/* Returns a dict of named boolean facts about one allocator family. */
static PyObject *
exercise(PyObject *self, PyObject *arg)
{
    family *f;
    if (get_family(arg, &f) < 0)
        return NULL;
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
#define FACT(name, cond) do { \
        PyObject *b_ = PyBool_FromLong(cond); \
        int r_ = PyDict_SetItemString(d, name, b_); \
        Py_DECREF(b_); \
        if (r_ < 0) { Py_DECREF(d); return NULL; } \
    } while (0)

    /* malloc: write and read a pattern, several sizes */
    int ok = 1, all_aligned = 1;
    static const size_t sizes[] = {1, 7, 8, 16, 24, 100, 512, 513, 4096, 100000, 1 << 20};
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        unsigned char *p = f->malloc_(sizes[k]);
        if (p == NULL) { ok = 0; continue; }
        all_aligned &= aligned(p);
        fill(p, sizes[k], (unsigned)k);
        ok &= check(p, sizes[k], (unsigned)k);
        f->free_(p);
    }
    FACT("malloc pattern", ok);
    FACT("malloc 16-byte aligned", all_aligned);

    /* many live blocks at once, distinct and intact */
    unsigned char *blocks[64];
    ok = 1;
    for (int i = 0; i < 64; i++) {
        blocks[i] = f->malloc_(32 + i);
        if (blocks[i] == NULL) { ok = 0; break; }
        fill(blocks[i], 32 + i, (unsigned)i);
    }
    if (ok) {
        for (int i = 0; i < 64; i++)
            ok &= check(blocks[i], 32 + i, (unsigned)i);
        for (int i = 0; i < 64; i++)
            f->free_(blocks[i]);
    }
    FACT("64 live blocks intact", ok);

    /* malloc(0): non-NULL, distinct, freeable */
    void *z1 = f->malloc_(0), *z2 = f->malloc_(0);
    FACT("malloc(0) non-NULL", z1 != NULL && z2 != NULL);
    FACT("malloc(0) distinct", z1 != z2);
    f->free_(z1);
    f->free_(z2);

    /* calloc zeroes (also after the memory was dirtied by an earlier block) */
    unsigned char *dirty = f->malloc_(4000);
    if (dirty) {
        memset(dirty, 0xAB, 4000);
        f->free_(dirty);
    }
    ok = 1;
    static const size_t csizes[] = {1, 10, 64, 1000, 4000, 1 << 20};
    for (size_t k = 0; k < sizeof(csizes) / sizeof(csizes[0]); k++) {
        unsigned char *p = f->calloc_(csizes[k], 1);
        if (p == NULL) { ok = 0; continue; }
        for (size_t i = 0; i < csizes[k]; i++)
            if (p[i] != 0) { ok = 0; break; }
        f->free_(p);
    }
    int *ints = f->calloc_(250, sizeof(int));
    if (ints == NULL)
        ok = 0;
    else {
        for (int i = 0; i < 250; i++)
            if (ints[i] != 0) { ok = 0; break; }
        ints[249] = 5;
        f->free_(ints);
    }
    FACT("calloc zeroes", ok);
    void *c0 = f->calloc_(0, 0), *c1 = f->calloc_(0, 8), *c2 = f->calloc_(8, 0);
    FACT("calloc(0, *) non-NULL", c0 != NULL && c1 != NULL && c2 != NULL);
    f->free_(c0);
    f->free_(c1);
    f->free_(c2);

    /* realloc preserves the prefix, growing and shrinking */
    ok = 1;
    unsigned char *p = f->malloc_(10);
    if (p == NULL)
        ok = 0;
    else {
        fill(p, 10, 3);
        static const size_t rsizes[] = {20, 100, 1000, 100000, 50, 5};
        size_t kept = 10;
        for (size_t k = 0; k < sizeof(rsizes) / sizeof(rsizes[0]); k++) {
            unsigned char *q = f->realloc_(p, rsizes[k]);
            if (q == NULL) { ok = 0; break; }
            p = q;
            if (rsizes[k] < kept)
                kept = rsizes[k];
            ok &= check(p, kept, 3);
            /* extend the pattern over the new area */
            fill(p, rsizes[k], 3);
            kept = rsizes[k];
        }
        f->free_(p);
    }
    FACT("realloc preserves", ok);

    /* realloc(NULL, n) behaves like malloc(n) */
    unsigned char *r = f->realloc_(NULL, 64);
    FACT("realloc(NULL, n) allocates", r != NULL);
    if (r) {
        fill(r, 64, 9);
        FACT("realloc(NULL, n) usable", check(r, 64, 9));
        /* realloc(p, 0): non-NULL */
        unsigned char *r0 = f->realloc_(r, 0);
        FACT("realloc(p, 0) non-NULL", r0 != NULL);
        f->free_(r0 ? r0 : r);
    }

    /* free(NULL) is a no-op */
    f->free_(NULL);
    FACT("free(NULL) ok", 1);

    /* impossible sizes fail with NULL and do not set an exception */
    void *huge = f->malloc_((size_t)PY_SSIZE_T_MAX + 1);
    FACT("malloc(>PY_SSIZE_T_MAX) is NULL", huge == NULL);
    FACT("  no exception set", PyErr_Occurred() == NULL);
    if (huge)
        f->free_(huge);
    void *hc = f->calloc_((size_t)PY_SSIZE_T_MAX, 16);
    FACT("calloc overflow is NULL", hc == NULL);
    if (hc)
        f->free_(hc);
    unsigned char *keep = f->malloc_(32);
    if (keep) {
        fill(keep, 32, 7);
        void *hr = f->realloc_(keep, (size_t)PY_SSIZE_T_MAX + 1);
        FACT("realloc(>PY_SSIZE_T_MAX) is NULL", hr == NULL);
        FACT("  original block intact", hr == NULL && check(keep, 32, 7));
        f->free_(hr ? hr : keep);
    }
    FACT("no exception at the end", PyErr_Occurred() == NULL);
#undef FACT
    return d;
}

/* A block kept across calls: allocated in one call, checked and freed in another. */
static unsigned char *kept_block = NULL;
static size_t kept_size = 0;
static int kept_family = -1;

static PyObject *
keep_alloc(PyObject *self, PyObject *args)
{
    family *f;
    if (get_family(PyTuple_GET_ITEM(args, 0), &f) < 0)
        return NULL;
    Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    if (n < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "negative size");
        return NULL;
    }
    if (kept_block != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "already holding a block");
        return NULL;
    }
    kept_block = f->malloc_((size_t)n);
    if (kept_block == NULL)
        return PyErr_NoMemory();
    kept_size = (size_t)n;
    kept_family = (int)(f - families);
    fill(kept_block, kept_size, 11);
    Py_RETURN_NONE;
}

static PyObject *
keep_grow(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "negative size");
        return NULL;
    }
    if (kept_block == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "no block");
        return NULL;
    }
    unsigned char *q = families[kept_family].realloc_(kept_block, (size_t)n);
    if (q == NULL)
        return PyErr_NoMemory();
    kept_block = q;
    size_t common = kept_size < (size_t)n ? kept_size : (size_t)n;
    int ok = check(kept_block, common, 11);
    fill(kept_block, (size_t)n, 11);
    kept_size = (size_t)n;
    return PyBool_FromLong(ok);
}

static PyObject *
keep_check_free(PyObject *self, PyObject *noargs)
{
    if (kept_block == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "no block");
        return NULL;
    }
    int ok = check(kept_block, kept_size, 11);
    families[kept_family].free_(kept_block);
    kept_block = NULL;
    kept_size = 0;
    kept_family = -1;
    return PyBool_FromLong(ok);
}

static PyObject *
typed_macros(PyObject *self, PyObject *noargs)
{
    /* PyMem_New / PyMem_Resize / PyMem_Del and a struct round trip */
    typedef struct { double x; long y; char tag[5]; } item;
    item *items = PyMem_New(item, 10);
    if (items == NULL)
        return PyErr_NoMemory();
    for (int i = 0; i < 10; i++) {
        items[i].x = i * 0.5;
        items[i].y = -i;
        memcpy(items[i].tag, "abcd", 5);
    }
    PyMem_Resize(items, item, 1000);
    if (items == NULL)
        return PyErr_NoMemory();
    int ok = 1;
    for (int i = 0; i < 10; i++)
        ok &= items[i].x == i * 0.5 && items[i].y == -i && strcmp(items[i].tag, "abcd") == 0;
    items[999].y = 999;
    ok &= items[999].y == 999;
    PyMem_Del(items);

    /* PyMem_New overflow check: too many elements gives NULL */
    item *none = PyMem_New(item, PY_SSIZE_T_MAX / 2);
    ok &= none == NULL;
    if (none)
        PyMem_Del(none);
    return PyBool_FromLong(ok);
}

static PyObject *
string_roundtrip(PyObject *self, PyObject *arg)
{
    /* copy a str's UTF-8 into PyMem memory, build a new str from it */
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(arg, &n);
    if (s == NULL)
        return NULL;
    char *buf = PyMem_Malloc((size_t)n + 1);
    if (buf == NULL)
        return PyErr_NoMemory();
    memcpy(buf, s, (size_t)n + 1);
    char *buf2 = PyMem_Realloc(buf, (size_t)n * 2 + 1);
    if (buf2 == NULL) {
        PyMem_Free(buf);
        return PyErr_NoMemory();
    }
    memcpy(buf2 + n, buf2, (size_t)n);
    buf2[2 * n] = '\0';
    PyObject *r = PyUnicode_FromStringAndSize(buf2, 2 * n);
    PyMem_Free(buf2);
    return r;
}

/* The arena allocator: the default one maps memory that can be used and
   given back; one set is handed back by the getter, and the old one can be
   put back. */
static int arena_calls;
static void *
counting_arena_alloc(void *ctx, size_t size)
{
    arena_calls++;
    return ctx;
}
static void
counting_arena_free(void *ctx, void *ptr, size_t size)
{
    arena_calls++;
}

static PyObject *
arena_allocator(PyObject *self, PyObject *unused)
{
    PyObjectArenaAllocator old, mine, seen;
    PyObject_GetArenaAllocator(&old);
    int have_default = old.alloc != NULL && old.free != NULL;
    char *block = old.alloc(old.ctx, 1 << 18);
    int usable = block != NULL;
    if (usable) {
        block[0] = 'a';
        block[(1 << 18) - 1] = 'z';
        usable = block[0] == 'a' && block[(1 << 18) - 1] == 'z';
        old.free(old.ctx, block, 1 << 18);
    }
    static char marker;
    mine.ctx = &marker;
    mine.alloc = counting_arena_alloc;
    mine.free = counting_arena_free;
    PyObject_SetArenaAllocator(&mine);
    PyObject_GetArenaAllocator(&seen);
    int same = seen.ctx == &marker && seen.alloc == counting_arena_alloc && seen.free == counting_arena_free;
    int through = seen.alloc(seen.ctx, 16) == &marker;
    seen.free(seen.ctx, &marker, 16);
    PyObject_SetArenaAllocator(&old);
    PyObject_GetArenaAllocator(&seen);
    int restored = seen.alloc == old.alloc && seen.free == old.free && seen.ctx == old.ctx;
    return Py_BuildValue("(iiiiii)", have_default, usable, same, through, arena_calls, restored);
}

static PyMethodDef methods[] = {
    {"arena_allocator", arena_allocator, METH_NOARGS, NULL},
    {"exercise", exercise, METH_O, NULL},
    {"keep_alloc", keep_alloc, METH_VARARGS, NULL},
    {"keep_grow", keep_grow, METH_O, NULL},
    {"keep_check_free", keep_check_free, METH_NOARGS, NULL},
    {"typed_macros", typed_macros, METH_NOARGS, NULL},
    {"string_roundtrip", string_roundtrip, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "mem_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_mem_ext(void)
{
    return PyModule_Create(&moduledef);
}
