/* str, second pair: the PEP 393 struct read from C, strings made and
 * changed in place, _PyUnicodeWriter, search/split/compare, interning,
 * wchar_t and UCS4 copies, character classes. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

/* The exception pending as "!Type: message", and cleared. CPython puts
 * its source position into the message of PyErr_BadInternalCall; that
 * part is left out. */
static PyObject *
error_info(void)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *text = value ? PyObject_Str(value) : NULL;
    const char *message = text ? PyUnicode_AsUTF8(text) : "?";
    if (message == NULL) {
        PyErr_Clear();
        message = "?";
    }
    if (strstr(message, "bad argument to internal function") != NULL)
        message = "bad argument to internal function";
    PyObject *r = PyUnicode_FromFormat("!%s: %s", ((PyTypeObject *)type)->tp_name, message);
    Py_XDECREF(text);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return r;
}

/* ---- the struct -------------------------------------------------------- */

static PyObject *
layout(PyObject *self, PyObject *s)
{
    if (!PyUnicode_Check(s)) {
        PyErr_SetString(PyExc_TypeError, "need a str");
        return NULL;
    }
    PyASCIIObject *a = (PyASCIIObject *)s;
    PyCompactUnicodeObject *c = (PyCompactUnicodeObject *)s;
    char *data = (char *)PyUnicode_DATA(s);
    const char *where;
    if (PyUnicode_IS_COMPACT(s))
        where = data == (char *)(a + 1) ? "after PyASCIIObject" : data == (char *)(c + 1) ? "after PyCompactUnicodeObject" : "elsewhere";
    else
        where = data == (char *)((PyUnicodeObject *)s)->data.any ? "data.any" : "elsewhere";
    /* The characters through every access path, and the NUL after them. */
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    PyObject *chars = PyList_New(0);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        Py_UCS4 alt = kind == 1 ? PyUnicode_1BYTE_DATA(s)[i] : kind == 2 ? PyUnicode_2BYTE_DATA(s)[i] : PyUnicode_4BYTE_DATA(s)[i];
        if (ch != alt || ch != PyUnicode_READ_CHAR(s, i)) {
            Py_DECREF(chars);
            PyErr_SetString(PyExc_AssertionError, "access paths disagree");
            return NULL;
        }
        PyObject *v = PyLong_FromUnsignedLong(ch);
        PyList_Append(chars, v);
        Py_DECREF(v);
    }
    Py_UCS4 terminator = PyUnicode_READ(kind, data, n);
    Py_hash_t h = a->hash;
    int hash_ok = h == -1 || h == PyObject_Hash(s);
    return Py_BuildValue("{sn sN si si si si si si sI ss sN sk}",
                         "length", a->length, "hash_ok", PyBool_FromLong(hash_ok),
                         "kind", (int)a->state.kind, "compact", (int)a->state.compact,
                         "ascii", (int)a->state.ascii, "ready", (int)a->state.ready,
                         "IS_ASCII", (int)PyUnicode_IS_ASCII(s), "IS_COMPACT_ASCII", PyUnicode_IS_COMPACT_ASCII(s),
                         "MAX_CHAR_VALUE", PyUnicode_MAX_CHAR_VALUE(s), "data", where, "chars", chars,
                         "terminator", (unsigned long)terminator);
}

static PyObject *
struct_sizes(PyObject *self, PyObject *noargs)
{
    return Py_BuildValue("(nnnnnnn)", (Py_ssize_t)sizeof(PyASCIIObject), (Py_ssize_t)sizeof(PyCompactUnicodeObject),
                         (Py_ssize_t)sizeof(PyUnicodeObject), (Py_ssize_t)offsetof(PyASCIIObject, hash),
                         (Py_ssize_t)offsetof(PyCompactUnicodeObject, utf8), PyUnicode_Type.tp_basicsize,
                         (Py_ssize_t)sizeof(_PyUnicodeWriter));
}

/* A Cython-style fast equality: length, kind, cached hashes, then memcmp. */
static PyObject *
cython_equals(PyObject *self, PyObject *args)
{
    PyObject *s1, *s2;
    if (!PyArg_ParseTuple(args, "UU", &s1, &s2))
        return NULL;
    if (PyUnicode_READY(s1) < 0 || PyUnicode_READY(s2) < 0)
        return NULL;
    if (PyUnicode_GET_LENGTH(s1) != PyUnicode_GET_LENGTH(s2))
        Py_RETURN_FALSE;
    if (PyUnicode_KIND(s1) != PyUnicode_KIND(s2))
        Py_RETURN_FALSE;
    Py_hash_t h1 = ((PyASCIIObject *)s1)->hash, h2 = ((PyASCIIObject *)s2)->hash;
    if (h1 != h2 && h1 != -1 && h2 != -1)
        Py_RETURN_FALSE;
    return PyBool_FromLong(memcmp(PyUnicode_DATA(s1), PyUnicode_DATA(s2),
                                  (size_t)PyUnicode_GET_LENGTH(s1) * PyUnicode_KIND(s1)) == 0);
}

/* The UTF-8 cache: NULL until PyUnicode_AsUTF8, then that buffer. */
static PyObject *
utf8_cache(PyObject *self, PyObject *arg)
{
    const char *u = PyUnicode_AsUTF8(arg);
    if (u == NULL)
        return NULL;
    PyObject *fresh = PyUnicode_FromString(u);   /* a new str, no cache yet */
    if (fresh == NULL)
        return NULL;
    int ascii = PyUnicode_IS_COMPACT_ASCII(fresh);
    PyCompactUnicodeObject *c = (PyCompactUnicodeObject *)fresh;
    int before = ascii ? -1 : c->utf8 == NULL;
    Py_ssize_t size;
    const char *made = PyUnicode_AsUTF8AndSize(fresh, &size);
    int after = ascii ? made == (const char *)PyUnicode_DATA(fresh) : (c->utf8 == made && c->utf8_length == size);
    int again = PyUnicode_AsUTF8(fresh) == made;
    Py_DECREF(fresh);
    return Py_BuildValue("(iiin)", before, after, again, size);
}

/* ---- strings made in C ---------------------------------------------------- */

/* PyUnicode_New(len(codes), maxchar) filled through PyUnicode_WRITE. */
static PyObject *
new_filled(PyObject *self, PyObject *args)
{
    PyObject *codes;
    unsigned long maxchar;
    if (!PyArg_ParseTuple(args, "Ok", &codes, &maxchar))
        return NULL;
    Py_ssize_t n = PyList_Size(codes);
    PyObject *s = PyUnicode_New(n, (Py_UCS4)maxchar);
    if (s == NULL)
        return NULL;
    int kind = PyUnicode_KIND(s);
    void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++)
        PyUnicode_WRITE(kind, data, i, PyLong_AsUnsignedLong(PyList_GetItem(codes, i)));
    PyObject *info = layout(NULL, s);
    return Py_BuildValue("(NN)", s, info);
}

static PyObject *
new_empty_is_singleton(PyObject *self, PyObject *arg)
{
    PyObject *s = PyUnicode_New(0, (Py_UCS4)PyLong_AsUnsignedLong(arg));
    if (s == NULL)
        return NULL;
    return Py_BuildValue("(NN)", s, PyLong_FromSsize_t(PyUnicode_GET_LENGTH(s)));
}

static PyObject *
new_raw(PyObject *self, PyObject *args)
{
    Py_ssize_t n;
    unsigned long maxchar;
    if (!PyArg_ParseTuple(args, "nk", &n, &maxchar))
        return NULL;
    PyObject *s = PyUnicode_New(n, (Py_UCS4)maxchar);
    if (s == NULL)
        return error_info();
    Py_DECREF(s);
    Py_RETURN_NONE;
}

/* Builds "a<ch>c" with WriteChar on a fresh string, then tries the write
 * errors: a bad index, a character too wide, a shared str. */
static PyObject *
write_char(PyObject *self, PyObject *args)
{
    unsigned long ch, maxchar;
    PyObject *shared;
    if (!PyArg_ParseTuple(args, "kkU", &ch, &maxchar, &shared))
        return NULL;
    PyObject *s = PyUnicode_New(3, (Py_UCS4)maxchar);
    if (s == NULL)
        return NULL;
    PyObject *results = PyList_New(0);
    PyUnicode_Fill(s, 0, 3, '-');
    int r1 = PyUnicode_WriteChar(s, 0, 'a');
    int r2 = PyUnicode_WriteChar(s, 1, (Py_UCS4)ch);
    PyObject *e2 = r2 < 0 ? error_info() : Py_NewRef(Py_None);
    int r3 = PyUnicode_WriteChar(s, 2, 'c');
    int r4 = PyUnicode_WriteChar(s, 3, 'x');
    PyObject *e4 = r4 < 0 ? error_info() : Py_NewRef(Py_None);
    int r5 = PyUnicode_WriteChar(shared, 0, 'x');
    PyObject *e5 = r5 < 0 ? error_info() : Py_NewRef(Py_None);
    int r6 = PyUnicode_WriteChar(Py_None, 0, 'x');
    PyObject *e6 = r6 < 0 ? error_info() : Py_NewRef(Py_None);
    PyObject *r = Py_BuildValue("(N[iiiiii]NNNN)", s, r1, r2, r3, r4, r5, r6, e2, e4, e5, e6);
    Py_DECREF(results);
    return r;
}

/* Fill and CopyCharacters on a fresh string of `n` characters. */
static PyObject *
fill_copy(PyObject *self, PyObject *args)
{
    Py_ssize_t n, start, length, to_start, from_start, how_many;
    unsigned long maxchar, fill;
    PyObject *from;
    if (!PyArg_ParseTuple(args, "nknnkOnnn", &n, &maxchar, &start, &length, &fill, &from, &to_start, &from_start, &how_many))
        return NULL;
    PyObject *s = PyUnicode_New(n, (Py_UCS4)maxchar);
    if (s == NULL)
        return NULL;
    Py_ssize_t filled = PyUnicode_Fill(s, 0, n, '.');
    Py_ssize_t r1 = PyUnicode_Fill(s, start, length, (Py_UCS4)fill);
    PyObject *e1 = r1 < 0 ? error_info() : Py_NewRef(Py_None);
    Py_ssize_t r2 = PyUnicode_CopyCharacters(s, to_start, from, from_start, how_many);
    PyObject *e2 = r2 < 0 ? error_info() : Py_NewRef(Py_None);
    return Py_BuildValue("(NnnnNN)", s, filled, r1, r2, e1, e2);
}

static PyObject *
modify_shared(PyObject *self, PyObject *s)
{
    Py_ssize_t r1 = PyUnicode_Fill(s, 0, 1, 'x');
    PyObject *e1 = error_info();
    Py_ssize_t r2 = PyUnicode_CopyCharacters(s, 0, s, 0, 1);
    PyObject *e2 = error_info();
    return Py_BuildValue("(nNnN)", r1, e1, r2, e2);
}

static PyObject *
resize(PyObject *self, PyObject *args)
{
    PyObject *s;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "Un", &s, &n))
        return NULL;
    PyObject *copy = PyUnicode_Substring(s, 0, PyUnicode_GET_LENGTH(s));  /* our own reference */
    if (copy == NULL)
        return NULL;
    if (PyUnicode_Resize(&copy, n) < 0) {
        Py_XDECREF(copy);
        return error_info();
    }
    /* Fill what the resize added, so the result is deterministic. */
    Py_ssize_t old = PyUnicode_GET_LENGTH(s);
    for (Py_ssize_t i = old; i < n; i++)
        PyUnicode_WRITE(PyUnicode_KIND(copy), PyUnicode_DATA(copy), i, '+');
    return Py_BuildValue("(NN)", copy, layout(NULL, copy));
}

static PyObject *
fresh_from_utf8(PyObject *self, PyObject *arg)
{
    /* A str made by the API and never shared: CPython lets C modify it. */
    PyObject *s = PyUnicode_FromString(PyBytes_AsString(arg));
    if (s == NULL)
        return NULL;
    return s;
}

static PyObject *
copy_and_kind(PyObject *self, PyObject *s)
{
    PyObject *c = _PyUnicode_Copy(s);
    if (c == NULL)
        return error_info();
    return Py_BuildValue("(NOi)", c, c == s ? Py_True : Py_False, PyUnicode_KIND(c));
}

static PyObject *
find_max_char(PyObject *self, PyObject *args)
{
    PyObject *s;
    Py_ssize_t a, b;
    if (!PyArg_ParseTuple(args, "Unn", &s, &a, &b))
        return NULL;
    return PyLong_FromUnsignedLong(_PyUnicode_FindMaxChar(s, a, b));
}

/* ---- _PyUnicodeWriter ----------------------------------------------------- */

static PyObject *
writer_fields(_PyUnicodeWriter *w)
{
    /* A str, not a dict of ints: see the note in the test script. */
    return PyUnicode_FromFormat("kind=%d maxchar=%lu pos=%zd size_ok=%d readonly=%d", (int)w->kind,
                                (unsigned long)w->maxchar, w->pos, (int)(w->size >= w->pos), (int)w->readonly);
}

/* Runs a little program over a writer: a list of (op, arg) pairs. */
static PyObject *
writer_run(PyObject *self, PyObject *args)
{
    PyObject *ops;
    int overallocate;
    Py_ssize_t min_length;
    if (!PyArg_ParseTuple(args, "Oin", &ops, &overallocate, &min_length))
        return NULL;
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    PyObject *trace = PyList_New(0);
    PyObject *init = writer_fields(&w);
    PyList_Append(trace, init);
    Py_DECREF(init);
    w.overallocate = (unsigned char)overallocate;
    w.min_length = min_length;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(ops); i++) {
        const char *op;
        PyObject *arg;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(ops, i), "sO", &op, &arg))
            goto fail;
        int r = 0;
        if (strcmp(op, "char") == 0)
            r = _PyUnicodeWriter_WriteChar(&w, (Py_UCS4)PyLong_AsUnsignedLong(arg));
        else if (strcmp(op, "str") == 0)
            r = _PyUnicodeWriter_WriteStr(&w, arg);
        else if (strcmp(op, "sub") == 0)
            /* A list (str, start, end): see the note in the test script. */
            r = _PyUnicodeWriter_WriteSubstring(&w, PyList_GetItem(arg, 0), PyLong_AsSsize_t(PyList_GetItem(arg, 1)),
                                                PyLong_AsSsize_t(PyList_GetItem(arg, 2)));
        else if (strcmp(op, "ascii") == 0)
            r = _PyUnicodeWriter_WriteASCIIString(&w, PyBytes_AS_STRING(arg), PyBytes_GET_SIZE(arg));
        else if (strcmp(op, "asciiz") == 0)
            r = _PyUnicodeWriter_WriteASCIIString(&w, PyBytes_AS_STRING(arg), -1);
        else if (strcmp(op, "latin1") == 0)
            r = _PyUnicodeWriter_WriteLatin1String(&w, PyBytes_AS_STRING(arg), PyBytes_GET_SIZE(arg));
        else if (strcmp(op, "format") == 0)
            /* [obj, spec, start, end]: the spec's slice formats obj. */
            r = _PyUnicode_FormatAdvancedWriter(&w, PyList_GetItem(arg, 0), PyList_GetItem(arg, 1),
                                                PyLong_AsSsize_t(PyList_GetItem(arg, 2)),
                                                PyLong_AsSsize_t(PyList_GetItem(arg, 3)));
        else if (strcmp(op, "kind") == 0)
            r = _PyUnicodeWriter_PrepareKind(&w, (enum PyUnicode_Kind)PyLong_AsLong(arg));
        else if (strcmp(op, "direct") == 0) {
            /* What multidict does: Prepare, then write through data at pos. */
            Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
            r = _PyUnicodeWriter_Prepare(&w, n, PyUnicode_MAX_CHAR_VALUE(arg));
            if (r == 0) {
                for (Py_ssize_t j = 0; j < n; j++)
                    PyUnicode_WRITE(w.kind, w.data, w.pos + j, PyUnicode_READ_CHAR(arg, j));
                w.pos += n;
            }
        }
        else if (strcmp(op, "dealloc") == 0) {
            _PyUnicodeWriter_Dealloc(&w);
            PyObject *f = writer_fields(&w);
            PyList_Append(trace, f);
            Py_DECREF(f);
            return trace;
        }
        if (r < 0) {
            PyObject *e = error_info();
            PyList_Append(trace, e);
            Py_DECREF(e);
            _PyUnicodeWriter_Dealloc(&w);
            return trace;
        }
        PyObject *f = writer_fields(&w);
        PyList_Append(trace, f);
        Py_DECREF(f);
    }
    PyObject *result = _PyUnicodeWriter_Finish(&w);
    if (result == NULL) {
        Py_DECREF(trace);
        return NULL;
    }
    return Py_BuildValue("(NNN)", result, trace, PyBool_FromLong(w.buffer == NULL));
fail:
    _PyUnicodeWriter_Dealloc(&w);
    Py_DECREF(trace);
    return NULL;
}

/* _PyUnicode_InsertThousandsGrouping as a number formatter uses it: once
 * without a writer for the length and widest character, then into room
 * prepared between a "<" and a ">" (so a write outside the room shows).
 * Returns (length, maxchar, text). */
static PyObject *
thousands_grouping(PyObject *self, PyObject *args)
{
    PyObject *digits, *sep;
    Py_ssize_t d_pos, n_digits, min_width;
    const char *grouping;
    if (!PyArg_ParseTuple(args, "UnnnyU", &digits, &d_pos, &n_digits, &min_width, &grouping, &sep))
        return NULL;
    Py_UCS4 maxchar = 0;
    Py_ssize_t count = _PyUnicode_InsertThousandsGrouping(NULL, 0, NULL, d_pos, n_digits, min_width, grouping, sep,
                                                          &maxchar);
    if (count < 0)
        return NULL;
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    if (_PyUnicodeWriter_WriteChar(&w, '<') < 0 || _PyUnicodeWriter_Prepare(&w, count + 1, maxchar) < 0)
        goto fail;
    Py_ssize_t written = _PyUnicode_InsertThousandsGrouping(&w, count, digits, d_pos, n_digits, min_width, grouping,
                                                            sep, NULL);
    if (written < 0)
        goto fail;
    w.pos += written;
    if (_PyUnicodeWriter_WriteChar(&w, '>') < 0)
        goto fail;
    return Py_BuildValue("(nkN)", count, (unsigned long)maxchar, _PyUnicodeWriter_Finish(&w));
fail:
    _PyUnicodeWriter_Dealloc(&w);
    return NULL;
}

/* Writing a single str without overallocation returns that very str. */
static PyObject *
writer_same_object(PyObject *self, PyObject *s)
{
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    if (_PyUnicodeWriter_WriteStr(&w, s) < 0) {
        _PyUnicodeWriter_Dealloc(&w);
        return NULL;
    }
    PyObject *r = _PyUnicodeWriter_Finish(&w);
    if (r == NULL)
        return NULL;
    return Py_BuildValue("(NO)", r, r == s ? Py_True : Py_False);
}

/* ---- search, split, compare ------------------------------------------------- */

#define CALL_OR_ERROR(expr) do { PyObject *_r = (expr); return _r ? _r : error_info(); } while (0)

static PyObject *
u_find(PyObject *self, PyObject *args)
{
    PyObject *s, *sub;
    Py_ssize_t a, b;
    int dir;
    if (!PyArg_ParseTuple(args, "OOnni", &s, &sub, &a, &b, &dir))
        return NULL;
    Py_ssize_t r = PyUnicode_Find(s, sub, a, b, dir);
    if (r == -2)
        return error_info();
    return PyLong_FromSsize_t(r);
}

static PyObject *
u_find_char(PyObject *self, PyObject *args)
{
    PyObject *s;
    unsigned long ch;
    Py_ssize_t a, b;
    int dir;
    if (!PyArg_ParseTuple(args, "Oknni", &s, &ch, &a, &b, &dir))
        return NULL;
    Py_ssize_t r = PyUnicode_FindChar(s, (Py_UCS4)ch, a, b, dir);
    if (r == -2)
        return error_info();
    return PyLong_FromSsize_t(r);
}

static PyObject *
u_count(PyObject *self, PyObject *args)
{
    PyObject *s, *sub;
    Py_ssize_t a, b;
    if (!PyArg_ParseTuple(args, "OOnn", &s, &sub, &a, &b))
        return NULL;
    Py_ssize_t r = PyUnicode_Count(s, sub, a, b);
    if (r == -1 && PyErr_Occurred())
        return error_info();
    return PyLong_FromSsize_t(r);
}

static PyObject *
u_tailmatch(PyObject *self, PyObject *args)
{
    PyObject *s, *sub;
    Py_ssize_t a, b;
    int dir;
    if (!PyArg_ParseTuple(args, "OOnni", &s, &sub, &a, &b, &dir))
        return NULL;
    Py_ssize_t r = PyUnicode_Tailmatch(s, sub, a, b, dir);
    if (r == -1)
        return error_info();
    return PyLong_FromSsize_t(r);
}

static PyObject *
u_replace(PyObject *self, PyObject *args)
{
    PyObject *s, *a, *b;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "OOOn", &s, &a, &b, &n))
        return NULL;
    CALL_OR_ERROR(PyUnicode_Replace(s, a, b, n));
}

static PyObject *
u_split(PyObject *self, PyObject *args)
{
    PyObject *s, *sep;
    Py_ssize_t n;
    int right;
    if (!PyArg_ParseTuple(args, "OOni", &s, &sep, &n, &right))
        return NULL;
    if (sep == Py_None)
        sep = NULL;
    CALL_OR_ERROR(right ? PyUnicode_RSplit(s, sep, n) : PyUnicode_Split(s, sep, n));
}

static PyObject *
u_splitlines(PyObject *self, PyObject *args)
{
    PyObject *s;
    int keep;
    if (!PyArg_ParseTuple(args, "Oi", &s, &keep))
        return NULL;
    CALL_OR_ERROR(PyUnicode_Splitlines(s, keep));
}

static PyObject *
u_partition(PyObject *self, PyObject *args)
{
    PyObject *s, *sep;
    int right;
    if (!PyArg_ParseTuple(args, "OOi", &s, &sep, &right))
        return NULL;
    CALL_OR_ERROR(right ? PyUnicode_RPartition(s, sep) : PyUnicode_Partition(s, sep));
}

static PyObject *
u_format(PyObject *self, PyObject *args)
{
    PyObject *f, *a;
    if (!PyArg_ParseTuple(args, "OO", &f, &a))
        return NULL;
    CALL_OR_ERROR(PyUnicode_Format(f, a));
}

static PyObject *
u_contains(PyObject *self, PyObject *args)
{
    PyObject *c, *e;
    if (!PyArg_ParseTuple(args, "OO", &c, &e))
        return NULL;
    int r = PyUnicode_Contains(c, e);
    if (r < 0)
        return error_info();
    return PyLong_FromLong(r);
}

static PyObject *
u_richcompare(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    int op;
    if (!PyArg_ParseTuple(args, "OOi", &a, &b, &op))
        return NULL;
    CALL_OR_ERROR(PyUnicode_RichCompare(a, b, op));
}

static PyObject *
u_equal_helpers(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    const char *ascii;
    if (!PyArg_ParseTuple(args, "UUs", &a, &b, &ascii))
        return NULL;
    _Py_IDENTIFIER(spam);
    return Py_BuildValue("(iiii)", _PyUnicode_EQ(a, b), _PyUnicode_Equal(a, b), _PyUnicode_EqualToASCIIString(a, ascii),
                         _PyUnicode_EqualToASCIIId(a, &PyId_spam));
}

static PyObject *
u_is_identifier(PyObject *self, PyObject *s)
{
    return Py_BuildValue("(in)", PyUnicode_IsIdentifier(s), _PyUnicode_ScanIdentifier(s));
}

static PyObject *
u_translate(PyObject *self, PyObject *args)
{
    PyObject *s, *table;
    if (!PyArg_ParseTuple(args, "OO", &s, &table))
        return NULL;
    CALL_OR_ERROR(PyUnicode_Translate(s, table, NULL));
}

static PyObject *
u_xstrip(PyObject *self, PyObject *args)
{
    PyObject *s, *sep;
    int how;
    if (!PyArg_ParseTuple(args, "UiO", &s, &how, &sep))
        return NULL;
    CALL_OR_ERROR(_PyUnicode_XStrip(s, how, sep));
}

static PyObject *
u_join_array(PyObject *self, PyObject *args)
{
    PyObject *sep, *items;
    if (!PyArg_ParseTuple(args, "OO!", &sep, &PyTuple_Type, &items))
        return NULL;
    CALL_OR_ERROR(_PyUnicode_JoinArray(sep, &PyTuple_GET_ITEM(items, 0), PyTuple_GET_SIZE(items)));
}

/* Append and AppendAndDel, with the reference counts they leave. */
static PyObject *
u_append(PyObject *self, PyObject *args)
{
    PyObject *left, *right;
    int and_del;
    if (!PyArg_ParseTuple(args, "OOi", &left, &right, &and_del))
        return NULL;
    if (right == Py_Ellipsis)
        right = NULL;
    Py_INCREF(left);
    PyObject *acc = left;
    Py_ssize_t right_before = right ? Py_REFCNT(right) : 0;
    if (and_del) {
        Py_XINCREF(right);
        PyUnicode_AppendAndDel(&acc, right);
    }
    else
        PyUnicode_Append(&acc, right);
    Py_ssize_t right_delta = right ? Py_REFCNT(right) - right_before : 0;
    if (acc == NULL)
        return Py_BuildValue("(ON)", Py_None, error_info());
    PyObject *same_left = acc == left ? Py_True : Py_False;
    PyObject *same_right = acc == right ? Py_True : Py_False;
    /* acc is ours: hand it over. */
    return Py_BuildValue("(NOOn)", acc, same_left, same_right, right_delta - (acc == right));
}

static PyObject *
u_concat_null_right(PyObject *self, PyObject *noargs)
{
    /* Append keeps an error that is already set (here one that made the right operand NULL). */
    PyObject *acc = PyUnicode_FromString("x");
    PyErr_SetString(PyExc_KeyError, "earlier");
    PyUnicode_Append(&acc, NULL);
    PyObject *r = error_info();
    return Py_BuildValue("(ON)", acc ? acc : Py_None, r);
}

/* ---- interning ------------------------------------------------------------- */

static PyObject *
intern_in_place(PyObject *self, PyObject *arg)
{
    /* A fresh copy, so it is not interned yet. */
    PyObject *s = PyUnicode_FromString(PyUnicode_AsUTF8(arg));
    if (s == NULL)
        return NULL;
    int before = PyUnicode_CHECK_INTERNED(s);
    PyObject *orig = s;
    Py_INCREF(orig);
    PyUnicode_InternInPlace(&s);
    int after = PyUnicode_CHECK_INTERNED(s);
    int replaced = s != orig;
    Py_DECREF(orig);
    Py_hash_t h = ((PyASCIIObject *)s)->hash;
    return Py_BuildValue("(NiiiO)", s, before, after, replaced, h == PyObject_Hash(s) ? Py_True : Py_False);
}

static PyObject *
intern_from_string(PyObject *self, PyObject *arg)
{
    PyObject *s = PyUnicode_InternFromString(PyBytes_AsString(arg));
    if (s == NULL)
        return error_info();
    return Py_BuildValue("(Ni)", s, PyUnicode_CHECK_INTERNED(s));
}

static PyObject *
intern_non_str(PyObject *self, PyObject *arg)
{
    PyObject *o = arg;
    Py_INCREF(o);
    PyUnicode_InternInPlace(&o);
    PyObject *r = Py_BuildValue("(OO)", o == arg ? Py_True : Py_False, PyErr_Occurred() ? Py_True : Py_False);
    Py_DECREF(o);
    return r;
}

static PyObject *
from_id(PyObject *self, PyObject *noargs)
{
    _Py_IDENTIFIER(cpyext_identifier);
    PyObject *a = _PyUnicode_FromId(&PyId_cpyext_identifier);   /* borrowed */
    PyObject *b = _PyUnicode_FromId(&PyId_cpyext_identifier);
    if (a == NULL || b == NULL)
        return NULL;
    return Py_BuildValue("(OOi)", a, a == b ? Py_True : Py_False, PyUnicode_CHECK_INTERNED(a));
}

/* ---- UCS4 and wchar_t --------------------------------------------------------- */

static PyObject *
as_ucs4(PyObject *self, PyObject *args)
{
    PyObject *s;
    Py_ssize_t buflen;
    int copy_null;
    if (!PyArg_ParseTuple(args, "Uni", &s, &buflen, &copy_null))
        return NULL;
    Py_UCS4 buffer[16];
    for (int i = 0; i < 16; i++)
        buffer[i] = 0x7777;
    Py_UCS4 *r = PyUnicode_AsUCS4(s, buffer, buflen, copy_null);
    PyObject *err = r == NULL ? error_info() : Py_NewRef(Py_None);
    PyObject *list = PyList_New(0);
    for (int i = 0; i < 8; i++) {
        PyObject *v = PyLong_FromUnsignedLong(buffer[i]);
        PyList_Append(list, v);
        Py_DECREF(v);
    }
    return Py_BuildValue("(ONN)", r == buffer ? Py_True : Py_False, list, err);
}

static PyObject *
as_ucs4_copy(PyObject *self, PyObject *s)
{
    Py_UCS4 *r = PyUnicode_AsUCS4Copy(s);
    if (r == NULL)
        return error_info();
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    PyObject *list = PyList_New(0);
    for (Py_ssize_t i = 0; i <= n; i++) {
        PyObject *v = PyLong_FromUnsignedLong(r[i]);
        PyList_Append(list, v);
        Py_DECREF(v);
    }
    PyMem_Free(r);
    return list;
}

static PyObject *
as_wide_char(PyObject *self, PyObject *args)
{
    PyObject *s;
    Py_ssize_t size;
    if (!PyArg_ParseTuple(args, "On", &s, &size))
        return NULL;
    wchar_t buffer[16];
    for (int i = 0; i < 16; i++)
        buffer[i] = L'#';
    Py_ssize_t needed = PyUnicode_AsWideChar(s, NULL, 0);
    if (needed < 0)
        return error_info();
    Py_ssize_t r = PyUnicode_AsWideChar(s, buffer, size);
    PyObject *list = PyList_New(0);
    for (int i = 0; i < 8; i++) {
        PyObject *v = PyLong_FromLong((long)buffer[i]);
        PyList_Append(list, v);
        Py_DECREF(v);
    }
    return Py_BuildValue("(nnN)", needed, r, list);
}

static PyObject *
as_wide_char_string(PyObject *self, PyObject *args)
{
    PyObject *s;
    int with_size;
    if (!PyArg_ParseTuple(args, "Oi", &s, &with_size))
        return NULL;
    Py_ssize_t size = -5;
    wchar_t *w = PyUnicode_AsWideCharString(s, with_size ? &size : NULL);
    if (w == NULL)
        return error_info();
    PyObject *back = PyUnicode_FromWideChar(w, with_size ? size : -1);
    PyObject *r = Py_BuildValue("(Nnl)", back, size, (long)w[with_size ? size : wcslen(w)]);
    PyMem_Free(w);
    return r;
}

static PyObject *
as_unicode(PyObject *self, PyObject *s)
{
    Py_ssize_t size = -1;
    Py_UNICODE *u = PyUnicode_AsUnicodeAndSize(s, &size);
    if (u == NULL)
        return error_info();
    Py_UNICODE *again = PyUnicode_AsUnicode(s);
    int same = again == u && PyUnicode_AS_UNICODE(s) == u && ((PyASCIIObject *)s)->wstr == u;
    PyObject *back = PyUnicode_FromWideChar(u, size);
    return Py_BuildValue("(NniOnn)", back, size, same, u[size] == 0 ? Py_True : Py_False, PyUnicode_GET_SIZE(s),
                         PyUnicode_WSTR_LENGTH(s));
}

static PyObject *
from_unicode_null(PyObject *self, PyObject *arg)
{
    /* The old way: FromUnicode(NULL, n), then write the wchar_t buffer. */
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    PyObject *s = PyUnicode_FromUnicode(NULL, n);
    if (s == NULL)
        return NULL;
    Py_UNICODE *u = PyUnicode_AS_UNICODE(s);
    for (Py_ssize_t i = 0; i < n; i++)
        u[i] = (Py_UNICODE)PyUnicode_READ_CHAR(arg, i);
    if (PyUnicode_READY(s) < 0) {
        Py_DECREF(s);
        return NULL;
    }
    return s;
}

/* ---- characters -------------------------------------------------------------- */

static PyObject *
char_classes(PyObject *self, PyObject *arg)
{
    Py_UCS4 ch = (Py_UCS4)PyLong_AsUnsignedLong(arg);
    Py_UCS4 full[3] = {0, 0, 0};
    int nlow = _PyUnicode_ToLowerFull(ch, full);
    PyObject *low = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, full, nlow);
    int nup = _PyUnicode_ToUpperFull(ch, full);
    PyObject *up = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, full, nup);
    int ntitle = _PyUnicode_ToTitleFull(ch, full);
    PyObject *title = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, full, ntitle);
    int nfold = _PyUnicode_ToFoldedFull(ch, full);
    PyObject *fold = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, full, nfold);
    char flags[16];
    snprintf(flags, sizeof flags, "%d%d%d%d%d%d%d%d%d%d%d%d%d%d",
             !!Py_UNICODE_ISSPACE(ch), !!Py_UNICODE_ISLOWER(ch), !!Py_UNICODE_ISUPPER(ch), !!Py_UNICODE_ISTITLE(ch),
             !!Py_UNICODE_ISLINEBREAK(ch), !!Py_UNICODE_ISDECIMAL(ch), !!Py_UNICODE_ISDIGIT(ch),
             !!Py_UNICODE_ISNUMERIC(ch), !!Py_UNICODE_ISPRINTABLE(ch), !!Py_UNICODE_ISALPHA(ch),
             !!Py_UNICODE_ISALNUM(ch), !!_PyUnicode_IsXidStart(ch), !!_PyUnicode_IsXidContinue(ch),
             !!_PyUnicode_IsCased(ch));
    return Py_BuildValue("(sIIIiidNNNNi)", flags, Py_UNICODE_TOLOWER(ch), Py_UNICODE_TOUPPER(ch), Py_UNICODE_TOTITLE(ch),
                         Py_UNICODE_TODECIMAL(ch), Py_UNICODE_TODIGIT(ch), Py_UNICODE_TONUMERIC(ch), low, up, title, fold,
                         _PyUnicode_IsCaseIgnorable(ch));
}

static PyObject *
surrogates(PyObject *self, PyObject *arg)
{
    Py_UCS4 ch = (Py_UCS4)PyLong_AsUnsignedLong(arg);
    Py_UCS4 hi = Py_UNICODE_HIGH_SURROGATE(ch), lo = Py_UNICODE_LOW_SURROGATE(ch);
    return Py_BuildValue("(iiikkk)", Py_UNICODE_IS_SURROGATE(ch), Py_UNICODE_IS_HIGH_SURROGATE(ch),
                         Py_UNICODE_IS_LOW_SURROGATE(ch), (unsigned long)hi, (unsigned long)lo,
                         (unsigned long)Py_UNICODE_JOIN_SURROGATES(hi, lo));
}

/* Which byte values each Py_IS* macro accepts, and the case maps. */
static PyObject *
byte_classes(PyObject *self, PyObject *noargs)
{
    PyObject *d = PyDict_New();
    const char *names[] = {"lower", "upper", "alpha", "digit", "xdigit", "alnum", "space"};
    for (int k = 0; k < 7; k++) {
        char set[257];
        int n = 0;
        for (int c = 0; c < 256; c++) {
            int yes = k == 0 ? Py_ISLOWER(c) : k == 1 ? Py_ISUPPER(c) : k == 2 ? Py_ISALPHA(c) : k == 3 ? Py_ISDIGIT(c)
                      : k == 4 ? Py_ISXDIGIT(c) : k == 5 ? Py_ISALNUM(c) : Py_ISSPACE(c);
            if (yes)
                set[n++] = (char)c;
        }
        PyObject *v = PyBytes_FromStringAndSize(set, n);
        PyDict_SetItemString(d, names[k], v);
        Py_DECREF(v);
    }
    unsigned char low[256], up[256];
    for (int c = 0; c < 256; c++) {
        low[c] = (unsigned char)Py_TOLOWER(c);
        up[c] = (unsigned char)Py_TOUPPER(c);
    }
    PyObject *v = PyBytes_FromStringAndSize((char *)low, 256);
    PyDict_SetItemString(d, "tolower", v);
    Py_DECREF(v);
    v = PyBytes_FromStringAndSize((char *)up, 256);
    PyDict_SetItemString(d, "toupper", v);
    Py_DECREF(v);
    char signed_char = (char)0xE9;
    v = Py_BuildValue("(iii)", !!Py_ISALPHA(signed_char), Py_TOLOWER('Q'), !!Py_ISSPACE('\v'));
    PyDict_SetItemString(d, "misc", v);
    Py_DECREF(v);
    int ws = 0;
    for (int c = 0; c < 128; c++)
        ws += _Py_ascii_whitespace[c] ? c : 0;
    v = Py_BuildValue("(sii)", Py_hexdigits, ws, PyOS_stricmp("HeLLo", "hello") == 0 && PyOS_strnicmp("abX", "ABy", 2) == 0);
    PyDict_SetItemString(d, "tables", v);
    Py_DECREF(v);
    return d;
}

static PyObject *
iter_type(PyObject *self, PyObject *s)
{
    PyObject *it = PyObject_GetIter(s);
    if (it == NULL)
        return NULL;
    int same = Py_IS_TYPE(it, &PyUnicodeIter_Type);
    Py_DECREF(it);
    return PyBool_FromLong(same);
}

static PyObject *
encode_utf7(PyObject *self, PyObject *args)
{
    PyObject *text;
    int set_o, white_space;
    if (!PyArg_ParseTuple(args, "Oii", &text, &set_o, &white_space))
        return NULL;
    return _PyUnicode_EncodeUTF7(text, set_o, white_space, "strict");
}

static PyMethodDef methods[] = {
    {"encode_utf7", encode_utf7, METH_VARARGS, NULL},
    {"layout", layout, METH_O, NULL},
    {"struct_sizes", struct_sizes, METH_NOARGS, NULL},
    {"cython_equals", cython_equals, METH_VARARGS, NULL},
    {"utf8_cache", utf8_cache, METH_O, NULL},
    {"new_filled", new_filled, METH_VARARGS, NULL},
    {"new_empty_is_singleton", new_empty_is_singleton, METH_O, NULL},
    {"new_raw", new_raw, METH_VARARGS, NULL},
    {"write_char", write_char, METH_VARARGS, NULL},
    {"fill_copy", fill_copy, METH_VARARGS, NULL},
    {"modify_shared", modify_shared, METH_O, NULL},
    {"resize", resize, METH_VARARGS, NULL},
    {"fresh_from_utf8", fresh_from_utf8, METH_O, NULL},
    {"copy_and_kind", copy_and_kind, METH_O, NULL},
    {"find_max_char", find_max_char, METH_VARARGS, NULL},
    {"writer_run", writer_run, METH_VARARGS, NULL},
    {"writer_same_object", writer_same_object, METH_O, NULL},
    {"find", u_find, METH_VARARGS, NULL},
    {"find_char", u_find_char, METH_VARARGS, NULL},
    {"count", u_count, METH_VARARGS, NULL},
    {"tailmatch", u_tailmatch, METH_VARARGS, NULL},
    {"replace", u_replace, METH_VARARGS, NULL},
    {"split", u_split, METH_VARARGS, NULL},
    {"splitlines", u_splitlines, METH_VARARGS, NULL},
    {"partition", u_partition, METH_VARARGS, NULL},
    {"format", u_format, METH_VARARGS, NULL},
    {"contains", u_contains, METH_VARARGS, NULL},
    {"richcompare", u_richcompare, METH_VARARGS, NULL},
    {"equal_helpers", u_equal_helpers, METH_VARARGS, NULL},
    {"is_identifier", u_is_identifier, METH_O, NULL},
    {"translate", u_translate, METH_VARARGS, NULL},
    {"xstrip", u_xstrip, METH_VARARGS, NULL},
    {"join_array", u_join_array, METH_VARARGS, NULL},
    {"append", u_append, METH_VARARGS, NULL},
    {"append_keeps_error", u_concat_null_right, METH_NOARGS, NULL},
    {"intern_in_place", intern_in_place, METH_O, NULL},
    {"intern_from_string", intern_from_string, METH_O, NULL},
    {"intern_non_str", intern_non_str, METH_O, NULL},
    {"from_id", from_id, METH_NOARGS, NULL},
    {"as_ucs4", as_ucs4, METH_VARARGS, NULL},
    {"as_ucs4_copy", as_ucs4_copy, METH_O, NULL},
    {"as_wide_char", as_wide_char, METH_VARARGS, NULL},
    {"as_wide_char_string", as_wide_char_string, METH_VARARGS, NULL},
    {"as_unicode", as_unicode, METH_O, NULL},
    {"from_unicode_null", from_unicode_null, METH_O, NULL},
    {"char_classes", char_classes, METH_O, NULL},
    {"surrogates", surrogates, METH_O, NULL},
    {"byte_classes", byte_classes, METH_NOARGS, NULL},
    {"iter_type", iter_type, METH_O, NULL},
    {"thousands_grouping", thousands_grouping, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "unicode2_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_unicode2_ext(void)
{
    return PyModule_Create(&module);
}
