/* Table-driven tests of PyArg_Parse*: one generic entry point parses any
 * format string into a bank of output slots, then reports what each format
 * unit stored. The script feeds it hundreds of (format, arguments) cases.
 *
 * The varargs call passes MAXPTR pointers; a format uses as many as it
 * needs. plan() walks the format the way the parser does, to know what each
 * pointer must be (an output slot, a type for O!, a converter for O&, an
 * encoding for es/et). Also used by the fuzz test (tests/fuzz/). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define MAXPTR 40
#define FILL 0x5A

typedef union {
    char c;
    unsigned char uc;
    short h;
    unsigned short uh;
    int i;
    unsigned int ui;
    long l;
    unsigned long ul;
    long long ll;
    unsigned long long ull;
    Py_ssize_t n;
    float f;
    double d;
    Py_complex D;
    const char *s;
    char *es;
    PyObject *o;
    Py_buffer buf;
    void *p;
    char pad[160];
} Slot;

typedef struct {
    char unit[4];     /* "i", "s#", "s*", "es#", "O!", ... */
    int out;          /* slot index of the main output */
    int len;          /* slot index of the length (# units), or -1 */
    int prealloc;     /* es#: size of a caller-supplied buffer, or 0 */
} Item;

typedef struct {
    void *ptr[MAXPTR];
    Slot slot[MAXPTR];
    char prealloc[MAXPTR][64];
    Item item[MAXPTR];
    int nitems;
    int nptr;
    PyObject *keep;   /* extras kept alive during the call */
} Frame;

static PyObject *cleanup_log = NULL;

static int
log_event(const char *what, PyObject *o)
{
    if (cleanup_log == NULL)
        return 0;
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return -1;
    PyTuple_SET_ITEM(t, 0, PyUnicode_FromString(what));
    PyTuple_SET_ITEM(t, 1, Py_NewRef(o ? o : Py_None));
    int r = PyList_Append(cleanup_log, t);
    Py_DECREF(t);
    return r;
}

/* O& converters ------------------------------------------------------------ */

static int
conv_int(PyObject *o, void *addr)
{
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred())
        return 0;
    *(long *)addr = v * 10;
    return 1;
}

static int
conv_fail(PyObject *o, void *addr)
{
    PyErr_SetString(PyExc_ValueError, "converter refused");
    return 0;
}

static int
conv_zero(PyObject *o, void *addr)
{
    return 0;   /* failure without an exception */
}

static int
conv_cleanup(PyObject *o, void *addr)
{
    PyObject **slot = (PyObject **)addr;
    if (o == NULL) {
        log_event("cleanup", *slot);
        Py_CLEAR(*slot);
        return 0;
    }
    if (PyUnicode_Check(o) && PyUnicode_GetLength(o) == 0) {
        PyErr_SetString(PyExc_ValueError, "empty str refused");
        return 0;
    }
    log_event("convert", o);
    *slot = Py_NewRef(o);
    return Py_CLEANUP_SUPPORTED;
}

static int
conv_none_ok(PyObject *o, void *addr)
{
    /* returns a nonzero value that is not 1 */
    *(long *)addr = o == Py_None ? -7 : 7;
    return 42;
}

typedef int (*converter)(PyObject *, void *);

static converter
find_converter(const char *name)
{
    if (strcmp(name, "int") == 0) return conv_int;
    if (strcmp(name, "fail") == 0) return conv_fail;
    if (strcmp(name, "zero") == 0) return conv_zero;
    if (strcmp(name, "cleanup") == 0) return conv_cleanup;
    if (strcmp(name, "nonone") == 0) return conv_none_ok;
    return NULL;
}

/* Walking the format ----------------------------------------------------------- */

static PyObject *
next_extra(PyObject *extras, Py_ssize_t *ei)
{
    if (extras == NULL || !PyTuple_Check(extras) || *ei >= PyTuple_GET_SIZE(extras)) {
        PyErr_SetString(PyExc_ValueError, "test: not enough extras for the format");
        return NULL;
    }
    return PyTuple_GET_ITEM(extras, (*ei)++);
}

static int
take_ptr(Frame *fr)
{
    if (fr->nptr >= MAXPTR) {
        PyErr_SetString(PyExc_ValueError, "test: format needs too many pointers");
        return -1;
    }
    return fr->nptr++;
}

static int
add_item(Frame *fr, const char *unit, int out, int len)
{
    if (fr->nitems >= MAXPTR) {
        PyErr_SetString(PyExc_ValueError, "test: too many items");
        return -1;
    }
    Item *it = &fr->item[fr->nitems++];
    strncpy(it->unit, unit, 3);
    it->unit[3] = 0;
    it->out = out;
    it->len = len;
    it->prealloc = 0;
    return 0;
}

static int
plan(Frame *fr, const char *f, PyObject *extras)
{
    Py_ssize_t ei = 0;
    memset(fr->slot, FILL, sizeof(fr->slot));
    memset(fr->prealloc, 0, sizeof(fr->prealloc));
    fr->nitems = 0;
    fr->nptr = 0;
    for (int i = 0; i < MAXPTR; i++)
        fr->ptr[i] = &fr->slot[i];
    for (; *f && *f != ':' && *f != ';'; f++) {
        char c = *f;
        int p, q, r;
        char unit[4] = {c, 0, 0, 0};
        switch (c) {
        case '(': case ')': case '|': case '$':
            continue;
        case 's': case 'z': case 'y':
            if ((p = take_ptr(fr)) < 0) return -1;
            q = -1;
            if (f[1] == '#') {
                unit[1] = *++f;
                if ((q = take_ptr(fr)) < 0) return -1;
            }
            else if (f[1] == '*') {
                unit[1] = *++f;
            }
            if (add_item(fr, unit, p, q) < 0) return -1;
            continue;
        case 'w':
            if ((p = take_ptr(fr)) < 0) return -1;
            if (f[1] == '*')
                unit[1] = *++f;
            if (add_item(fr, unit, p, -1) < 0) return -1;
            continue;
        case 'e': {
            if (f[1] != 's' && f[1] != 't')
                break;
            unit[1] = *++f;
            PyObject *enc = next_extra(extras, &ei);
            if (enc == NULL) return -1;
            int size = 0;
            if (PyTuple_Check(enc)) {   /* (encoding, preallocated buffer size) */
                size = (int)PyLong_AsLong(PyTuple_GET_ITEM(enc, 1));
                enc = PyTuple_GET_ITEM(enc, 0);
            }
            if ((p = take_ptr(fr)) < 0 || (q = take_ptr(fr)) < 0) return -1;
            fr->ptr[p] = enc == Py_None ? NULL : (void *)PyUnicode_AsUTF8(enc);
            r = -1;
            if (f[1] == '#') {
                unit[2] = *++f;
                if ((r = take_ptr(fr)) < 0) return -1;
                fr->slot[q].es = NULL;   /* NULL: the parser allocates */
                if (size > 0) {
                    if (size > 64) size = 64;
                    fr->slot[q].es = fr->prealloc[q];
                    fr->slot[r].n = size;
                }
            }
            if (add_item(fr, unit, q, r) < 0) return -1;
            fr->item[fr->nitems - 1].prealloc = size;
            continue;
        }
        case 'O':
            if (f[1] == '!') {
                unit[1] = *++f;
                PyObject *type = next_extra(extras, &ei);
                if (type == NULL) return -1;
                if ((p = take_ptr(fr)) < 0 || (q = take_ptr(fr)) < 0) return -1;
                fr->ptr[p] = type;
                if (add_item(fr, unit, q, -1) < 0) return -1;
                continue;
            }
            if (f[1] == '&') {
                unit[1] = *++f;
                PyObject *name = next_extra(extras, &ei);
                if (name == NULL) return -1;
                const char *cname = PyUnicode_AsUTF8(name);
                converter conv = cname ? find_converter(cname) : NULL;
                if (conv == NULL) {
                    PyErr_SetString(PyExc_ValueError, "test: unknown converter");
                    return -1;
                }
                if ((p = take_ptr(fr)) < 0 || (q = take_ptr(fr)) < 0) return -1;
                fr->ptr[p] = (void *)conv;
                unit[2] = cname[0];   /* remember which converter */
                if (add_item(fr, unit, q, -1) < 0) return -1;
                if (conv == conv_cleanup)
                    fr->slot[q].o = NULL;
                continue;
            }
            break;
        default:
            break;
        }
        /* one output pointer */
        if ((p = take_ptr(fr)) < 0) return -1;
        if (add_item(fr, unit, p, -1) < 0) return -1;
    }
    return 0;
}

static int
untouched_ptr(const void *p)
{
    const unsigned char *b = (const unsigned char *)&p;
    for (size_t i = 0; i < sizeof(p); i++)
        if (b[i] != FILL)
            return 0;
    return 1;
}

static PyObject *
untouched(void)
{
    return PyUnicode_FromString("<untouched>");
}

static PyObject *
bytes_or_none(const char *s, Py_ssize_t n)
{
    if (untouched_ptr(s))
        return untouched();
    if (s == NULL)
        return Py_NewRef(Py_None);
    if (n < 0)
        return PyBytes_FromString(s);
    return PyBytes_FromStringAndSize(s, n);
}

/* What one item stored, as a Python value; releases what it owns. */
static PyObject *
report_item(Frame *fr, Item *it)
{
    Slot *s = &fr->slot[it->out];
    Slot *len = it->len >= 0 ? &fr->slot[it->len] : NULL;
    const char *u = it->unit;
    switch (u[0]) {
    case 'b': return PyLong_FromLong(s->uc);
    case 'B': return PyLong_FromLong(s->uc);
    case 'h': return PyLong_FromLong(s->h);
    case 'H': return PyLong_FromLong(s->uh);
    case 'i': return PyLong_FromLong(s->i);
    case 'I': return PyLong_FromUnsignedLong(s->ui);
    case 'l': return PyLong_FromLong(s->l);
    case 'k': return PyLong_FromUnsignedLong(s->ul);
    case 'L': return PyLong_FromLongLong(s->ll);
    case 'K': return PyLong_FromUnsignedLongLong(s->ull);
    case 'n': return PyLong_FromSsize_t(s->n);
    case 'c': return PyBytes_FromStringAndSize(&s->c, 1);
    case 'C': return PyLong_FromLong(s->i);
    case 'p': return PyLong_FromLong(s->i);
    case 'f': return PyFloat_FromDouble(s->f);
    case 'd': return PyFloat_FromDouble(s->d);
    case 'D': {
        PyObject *t = PyTuple_New(2);
        if (t == NULL) return NULL;
        PyTuple_SET_ITEM(t, 0, PyFloat_FromDouble(s->D.real));
        PyTuple_SET_ITEM(t, 1, PyFloat_FromDouble(s->D.imag));
        return t;
    }
    case 's': case 'z': case 'y': case 'w':
        if (u[1] == '*') {
            Py_buffer *b = &s->buf;
            if (untouched_ptr(b->buf))
                return untouched();
            PyObject *data = b->buf ? PyBytes_FromStringAndSize(b->buf, b->len) : Py_NewRef(Py_None);
            PyObject *t = PyTuple_New(4);
            if (t == NULL || data == NULL) {
                Py_XDECREF(t);
                Py_XDECREF(data);
                PyBuffer_Release(b);
                return NULL;
            }
            PyTuple_SET_ITEM(t, 0, data);
            PyTuple_SET_ITEM(t, 1, PyLong_FromSsize_t(b->len));
            PyTuple_SET_ITEM(t, 2, PyBool_FromLong(b->readonly));
            PyTuple_SET_ITEM(t, 3, Py_NewRef(b->obj ? b->obj : Py_None));
            PyBuffer_Release(b);
            return t;
        }
        if (u[1] == '#') {
            if (untouched_ptr(s->s))
                return untouched();
            return bytes_or_none(s->s, len->n);
        }
        return bytes_or_none(s->s, -1);
    case 'S': case 'Y': case 'U': case 'O':
        if (u[1] == '&') {
            if (u[2] == 'c') {   /* cleanup converter: a new reference */
                PyObject *o = s->o;
                if (untouched_ptr(o))
                    return untouched();
                s->o = NULL;
                return o ? o : Py_NewRef(Py_None);
            }
            return PyLong_FromLong(s->l);
        }
        if (untouched_ptr(s->o))
            return untouched();
        return Py_NewRef(s->o ? s->o : Py_None);
    case 'e': {
        if (untouched_ptr(s->es))
            return untouched();
        PyObject *r = bytes_or_none(s->es, len ? len->n : -1);
        if (s->es != NULL && s->es != fr->prealloc[it->out])
            PyMem_Free(s->es);
        else if (r != NULL && it->prealloc) {
            PyObject *tag = PyUnicode_FromString("prealloc");
            PyObject *t = tag ? PyTuple_Pack(2, r, tag) : NULL;
            Py_DECREF(r);
            Py_XDECREF(tag);
            return t;
        }
        return r;
    }
    default:
        return PyUnicode_FromString(u);
    }
}

/* Releases what a failed or abandoned parse left (nothing, if the parser
 * cleaned up as it must). */
static PyObject *
report(Frame *fr)
{
    PyObject *out = PyTuple_New(fr->nitems);
    if (out == NULL)
        return NULL;
    for (int i = 0; i < fr->nitems; i++) {
        PyObject *v = report_item(fr, &fr->item[i]);
        if (v == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, i, v);
    }
    return out;
}

#define P(i) fr->ptr[i]
#define PTRS P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), \
    P(10), P(11), P(12), P(13), P(14), P(15), P(16), P(17), P(18), P(19), \
    P(20), P(21), P(22), P(23), P(24), P(25), P(26), P(27), P(28), P(29), \
    P(30), P(31), P(32), P(33), P(34), P(35), P(36), P(37), P(38), P(39)

static int
va_tuple(PyObject *args, const char *fmt, ...)
{
    va_list va;
    va_start(va, fmt);
    int r = PyArg_VaParse(args, fmt, va);
    va_end(va);
    return r;
}

static int
va_kw(PyObject *args, PyObject *kw, const char *fmt, char **kwlist, ...)
{
    va_list va;
    va_start(va, kwlist);
    int r = PyArg_VaParseTupleAndKeywords(args, kw, fmt, kwlist, va);
    va_end(va);
    return r;
}

static int compat_parse(const char *mode, PyObject *args, PyObject *kw, const char *fmt,
                        char **kwlist, Frame *fr);

static char **
make_kwlist(PyObject *names, char **storage, int n)
{
    if (names == Py_None)
        return NULL;
    Py_ssize_t len = PyList_Size(names);
    if (len < 0 || len >= n) {
        PyErr_SetString(PyExc_ValueError, "test: bad kwlist");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *name = PyList_GetItem(names, i);
        storage[i] = (char *)PyUnicode_AsUTF8(name);
        if (storage[i] == NULL)
            return NULL;
    }
    storage[len] = NULL;
    return storage;
}

static Frame frame_storage;

/* parse(mode, format, args, kwargs, kwlist, extras) -> tuple of outputs
 * mode: "tuple", "kw", "va", "vakw", "parse" (PyArg_Parse on `args` itself),
 * and "compat_tuple", "compat_kw", "compat_parse" (the functions without
 * PY_SSIZE_T_CLEAN). */
static PyObject *
parse(PyObject *self, PyObject *a)
{
    const char *mode, *fmt;
    PyObject *args, *kw, *names, *extras;
    if (!PyTuple_Check(a) || PyTuple_GET_SIZE(a) != 6) {
        PyErr_SetString(PyExc_TypeError, "test: parse takes 6 arguments");
        return NULL;
    }
    mode = PyUnicode_AsUTF8(PyTuple_GET_ITEM(a, 0));
    fmt = PyUnicode_AsUTF8(PyTuple_GET_ITEM(a, 1));
    if (mode == NULL || fmt == NULL)
        return NULL;
    args = PyTuple_GET_ITEM(a, 2);
    kw = PyTuple_GET_ITEM(a, 3);
    names = PyTuple_GET_ITEM(a, 4);
    extras = PyTuple_GET_ITEM(a, 5);
    if (kw == Py_None)
        kw = NULL;
    Frame *fr = &frame_storage;
    if (plan(fr, fmt, extras) < 0)
        return NULL;
    char *kwstorage[64];
    char **kwlist = NULL;
    if (strstr(mode, "kw")) {
        kwlist = make_kwlist(names, kwstorage, 64);
        if (kwlist == NULL && PyErr_Occurred())
            return NULL;
    }
    int ok;
    if (strcmp(mode, "tuple") == 0)
        ok = PyArg_ParseTuple(args, fmt, PTRS);
    else if (strcmp(mode, "kw") == 0)
        ok = PyArg_ParseTupleAndKeywords(args, kw, fmt, kwlist, PTRS);
    else if (strcmp(mode, "va") == 0)
        ok = va_tuple(args, fmt, PTRS);
    else if (strcmp(mode, "vakw") == 0)
        ok = va_kw(args, kw, fmt, kwlist, PTRS);
    else if (strcmp(mode, "parse") == 0)
        ok = PyArg_Parse(args, fmt, PTRS);
    else if (strncmp(mode, "compat_", 7) == 0)
        ok = compat_parse(mode + 7, args, kw, fmt, kwlist, fr);
    else {
        PyErr_SetString(PyExc_ValueError, "test: unknown mode");
        return NULL;
    }
    if (!ok) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_AssertionError, "parse failed without an exception");
        return NULL;
    }
    if (PyErr_Occurred()) {
        PyErr_SetString(PyExc_AssertionError, "parse succeeded with an exception set");
        return NULL;
    }
    return report(fr);
}

static PyObject *
get_cleanup_log(PyObject *self, PyObject *unused)
{
    PyObject *old = cleanup_log;
    cleanup_log = PyList_New(0);
    if (cleanup_log == NULL)
        return NULL;
    return old;
}

static PyObject *
pack(Py_ssize_t n, PyObject **items)   /* steals items; NULL-safe */
{
    PyObject *t = PyTuple_New(n);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (items[i] == NULL || t == NULL) {
            for (Py_ssize_t j = 0; j < n; j++)
                Py_XDECREF(items[j]);
            Py_XDECREF(t);
            return NULL;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
}

/* --- hand-written callers: how extensions really use the API ------------------ */

static PyObject *
point(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"x", "y", "label", "scale", NULL};
    int x, y = 0;
    const char *label = "p";
    double scale = 1.0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "i|is$d:point", kwlist, &x, &y, &label, &scale))
        return NULL;
    PyObject *items[4] = {PyLong_FromLong(x), PyLong_FromLong(y), PyUnicode_FromString(label),
                          PyFloat_FromDouble(scale)};
    return pack(4, items);
}

static PyObject *
posonly(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"", "", "c", NULL};
    PyObject *a, *b = Py_None, *c = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|OO", kwlist, &a, &b, &c))
        return NULL;
    return PyTuple_Pack(3, a, b, c);
}

static PyObject *
pair(PyObject *self, PyObject *args)
{
    long a, b;
    if (!PyArg_ParseTuple(args, "(ll);pair() needs a tuple of two ints", &a, &b))
        return NULL;
    return PyLong_FromLong(a + b);
}

static PyObject *
unpack(PyObject *self, PyObject *args)
{
    /* unpack(name or None, min, max, tuple) */
    PyObject *name, *t, *o[4] = {NULL, NULL, NULL, NULL};
    Py_ssize_t min, max;
    if (!PyArg_ParseTuple(args, "OnnO!", &name, &min, &max, &PyTuple_Type, &t))
        return NULL;
    const char *cname = name == Py_None ? NULL : PyUnicode_AsUTF8(name);
    if (name != Py_None && cname == NULL)
        return NULL;
    if (!PyArg_UnpackTuple(t, cname, min, max, &o[0], &o[1], &o[2], &o[3]))
        return NULL;
    PyObject *r = PyList_New(0);
    for (int i = 0; i < 4 && r; i++) {
        if (PyList_Append(r, o[i] ? o[i] : Py_Ellipsis) < 0)
            Py_CLEAR(r);
    }
    return r;
}

static PyObject *
unpack_obj(PyObject *self, PyObject *args)
{
    /* PyArg_UnpackTuple on any object (not a tuple is an error) */
    PyObject *a = NULL, *b = NULL;
    if (!PyArg_UnpackTuple(PyTuple_GET_ITEM(args, 0), "f", 0, 2, &a, &b))
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
validate(PyObject *self, PyObject *arg)
{
    int r = PyArg_ValidateKeywordArguments(arg);
    if (r == 0)
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
identity_check(PyObject *self, PyObject *args)
{
    /* O, S, U, Y hand back borrowed references to the very objects passed */
    PyObject *o, *s, *u, *y;
    if (!PyArg_ParseTuple(args, "OSUY", &o, &s, &u, &y))
        return NULL;
    PyObject *items[4] = {PyBool_FromLong(o == PyTuple_GET_ITEM(args, 0)),
                          PyBool_FromLong(s == PyTuple_GET_ITEM(args, 1)),
                          PyBool_FromLong(u == PyTuple_GET_ITEM(args, 2)),
                          PyBool_FromLong(y == PyTuple_GET_ITEM(args, 3))};
    return pack(4, items);
}

static PyObject *
bytes_pointer(PyObject *self, PyObject *args)
{
    /* y# and y* on bytes point into the object's own storage */
    PyObject *b;
    const char *p;
    Py_ssize_t n;
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "Sy#y*", &b, &p, &n, &view))
        return NULL;
    int same = p == PyBytes_AS_STRING(b) && view.buf == (void *)PyBytes_AS_STRING(b);
    int obj = view.obj == b;
    PyBuffer_Release(&view);
    PyObject *items[3] = {PyBool_FromLong(same), PyBool_FromLong(obj), PyLong_FromSsize_t(n)};
    return pack(3, items);
}

static PyObject *
str_pointer(PyObject *self, PyObject *args)
{
    /* s and s# on str give its UTF-8, the same buffer as PyUnicode_AsUTF8 */
    PyObject *u;
    const char *p, *q;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "Uss#", &u, &p, &q, &n))
        return NULL;
    PyObject *items[3] = {PyBool_FromLong(p == PyUnicode_AsUTF8(u)), PyBool_FromLong(q == p),
                          PyLong_FromSsize_t(n)};
    return pack(3, items);
}

static PyObject *
write_buffer(PyObject *self, PyObject *args)
{
    /* w*: write through the buffer into a bytearray (or memoryview of one) */
    Py_buffer view;
    if (!PyArg_ParseTuple(args, "w*", &view))
        return NULL;
    char *p = view.buf;
    for (Py_ssize_t i = 0; i < view.len; i++)
        p[i] = (char)(p[i] + 1);
    Py_ssize_t n = view.len;
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(n);
}

static PyObject *
hold_buffer(PyObject *self, PyObject *args)
{
    /* while a buffer is held the bytearray cannot resize; call back to try */
    Py_buffer view;
    PyObject *cb;
    if (!PyArg_ParseTuple(args, "y*O", &view, &cb))
        return NULL;
    PyObject *r = PyObject_CallNoArgs(cb);
    PyBuffer_Release(&view);
    return r;
}

static PyMethodDef methods[] = {
    {"parse", parse, METH_VARARGS, NULL},
    {"cleanup_log", get_cleanup_log, METH_NOARGS, NULL},
    {"point", (PyCFunction)(void (*)(void))point, METH_VARARGS | METH_KEYWORDS, NULL},
    {"posonly", (PyCFunction)(void (*)(void))posonly, METH_VARARGS | METH_KEYWORDS, NULL},
    {"pair", pair, METH_VARARGS, NULL},
    {"unpack", unpack, METH_VARARGS, NULL},
    {"unpack_obj", unpack_obj, METH_VARARGS, NULL},
    {"validate", validate, METH_O, NULL},
    {"identity_check", identity_check, METH_VARARGS, NULL},
    {"bytes_pointer", bytes_pointer, METH_VARARGS, NULL},
    {"str_pointer", str_pointer, METH_VARARGS, NULL},
    {"write_buffer", write_buffer, METH_VARARGS, NULL},
    {"hold_buffer", hold_buffer, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "getargs_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_getargs_ext(void)
{
    cleanup_log = PyList_New(0);
    if (cleanup_log == NULL)
        return NULL;
    return PyModule_Create(&moduledef);
}

/* The functions an extension without PY_SSIZE_T_CLEAN calls: '#' units are
 * refused there in 3.11. */
#undef PyArg_ParseTuple
#undef PyArg_ParseTupleAndKeywords
#undef PyArg_Parse
PyAPI_FUNC(int) PyArg_Parse(PyObject *, const char *, ...);
PyAPI_FUNC(int) PyArg_ParseTuple(PyObject *, const char *, ...);
PyAPI_FUNC(int) PyArg_ParseTupleAndKeywords(PyObject *, PyObject *, const char *, char **, ...);

static int
compat_parse(const char *mode, PyObject *args, PyObject *kw, const char *fmt, char **kwlist, Frame *fr)
{
    if (strcmp(mode, "tuple") == 0)
        return PyArg_ParseTuple(args, fmt, PTRS);
    if (strcmp(mode, "kw") == 0)
        return PyArg_ParseTupleAndKeywords(args, kw, fmt, kwlist, PTRS);
    if (strcmp(mode, "parse") == 0)
        return PyArg_Parse(args, fmt, PTRS);
    PyErr_SetString(PyExc_ValueError, "test: unknown compat mode");
    return 0;
}
