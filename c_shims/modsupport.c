/* The varargs half of modsupport.h: argument parsing (PyArg_Parse*) and
 * building values (Py_BuildValue).
 *
 * Written from the documented API ("Parsing arguments and building values")
 * and from CPython 3.11's observed behaviour, which tests/capi/getargs_*
 * compare unit for unit: the same conversions, the same exception types and
 * the same messages. Everything here goes through the public C API.
 *
 * Parsing: outputs are written through the caller's pointers as each unit converts.
 * When a later unit fails, what earlier units acquired is given back: the
 * memory of es/et, the buffers of s* y* z* w*, and O& converters that
 * returned Py_CLEANUP_SUPPORTED are called again with NULL. */
#include "Python.h"

/* Defined by the layer (borrow.rs): a new reference becomes a borrowed one
 * that lives until the current call from Python returns. */
extern PyObject *cpyext_keep_alive(PyObject *op);

#define PARSE_SIZE_T 1      /* '#' lengths are Py_ssize_t (PY_SSIZE_T_CLEAN) */
#define PARSE_OLD_STYLE 2   /* PyArg_Parse: the object itself is the argument */
#define MAX_NESTING 30

typedef int (*converter)(PyObject *, void *);

/* --- what a failed parse gives back ----------------------------------------- */

enum { UNDO_MEMORY, UNDO_BUFFER, UNDO_CONVERTER };

typedef struct {
    int kind;
    void *target;
    converter conv;
} UndoEntry;

typedef struct {
    UndoEntry *entries;
    int count;
    int capacity;
    UndoEntry local[8];
} UndoList;

/* --- the state of one parse ---------------------------------------------------- */

typedef struct {
    int flags;
    const char *fname;      /* text after ':' (the function name), or NULL */
    const char *custom;     /* text after ';' (replaces messages), or NULL */
    va_list va;             /* the caller's output pointers */
    UndoList undo;
    int path[MAX_NESTING + 2];  /* 1-based item numbers inside nested (...) */
    int path_len;
    char problem[300];      /* why a unit failed, when no exception says it */
} Parser;

static void
parser_init(Parser *p, int flags)
{
    p->flags = flags;
    p->fname = NULL;
    p->custom = NULL;
    p->undo.entries = p->undo.local;
    p->undo.count = 0;
    p->undo.capacity = (int)Py_ARRAY_LENGTH(p->undo.local);
    p->path_len = 0;
    p->problem[0] = '\0';
}

static int
undo_push(Parser *p, int kind, void *target, converter conv)
{
    UndoList *u = &p->undo;
    if (u->count == u->capacity) {
        int capacity = u->capacity * 2;
        UndoEntry *grown = PyMem_Malloc(sizeof(UndoEntry) * (size_t)capacity);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(grown, u->entries, sizeof(UndoEntry) * (size_t)u->count);
        if (u->entries != u->local)
            PyMem_Free(u->entries);
        u->entries = grown;
        u->capacity = capacity;
    }
    u->entries[u->count].kind = kind;
    u->entries[u->count].target = target;
    u->entries[u->count].conv = conv;
    u->count++;
    return 0;
}

/* Ends a parse: on failure, gives back what the converted units acquired,
 * in the order they acquired it. Returns `ok`. */
static int
parser_finish(Parser *p, int ok)
{
    UndoList *u = &p->undo;
    if (!ok) {
        for (int i = 0; i < u->count; i++) {
            UndoEntry *e = &u->entries[i];
            switch (e->kind) {
            case UNDO_MEMORY:
                PyMem_Free(e->target);
                break;
            case UNDO_BUFFER:
                PyBuffer_Release((Py_buffer *)e->target);
                break;
            case UNDO_CONVERTER:
                e->conv(NULL, e->target);
                break;
            }
        }
    }
    if (u->entries != u->local)
        PyMem_Free(u->entries);
    va_end(p->va);
    return ok;
}

/* --- messages ----------------------------------------------------------------- */

static void
set_error(PyObject *type, const char *format, ...)
{
    char text[700];
    va_list va;
    va_start(va, format);
    vsnprintf(text, sizeof(text), format, va);
    va_end(va);
    PyErr_SetString(type, text);
}

static const char *
type_name(PyObject *op)
{
    return op == Py_None ? "None" : Py_TYPE(op)->tp_name;
}

/* The unit failed because the argument is of the wrong kind. */
static int
wrong_kind(Parser *p, const char *expected, PyObject *arg)
{
    snprintf(p->problem, sizeof(p->problem), "must be %.50s, not %.50s", expected, type_name(arg));
    return -1;
}

/* The unit failed for a reason given in so many words; a reason in
 * parentheses is a bug in the caller's format, and raises SystemError. */
static int
problem(Parser *p, const char *text)
{
    snprintf(p->problem, sizeof(p->problem), "%s", text);
    return -1;
}

/* Raises the error for a failed unit, unless the conversion raised one:
 * "f() argument 2, item 0 must be int, not str". For PyArg_Parse the
 * argument is the object itself (argno 0), so the outermost (...) numbers it. */
static void
report(Parser *p, Py_ssize_t argno)
{
    if (PyErr_Occurred())
        return;
    PyObject *type = p->problem[0] == '(' ? PyExc_SystemError : PyExc_TypeError;
    if (p->custom != NULL) {
        PyErr_SetString(type, p->custom);
        return;
    }
    char text[600];
    size_t n = 0;
    if (p->fname != NULL)
        n += snprintf(text + n, sizeof(text) - n, "%.200s() ", p->fname);
    n += snprintf(text + n, sizeof(text) - n, "argument");
    int first = 0;
    if (argno > 0)
        n += snprintf(text + n, sizeof(text) - n, " %zd", argno);
    else if (p->path_len > 0)
        n += snprintf(text + n, sizeof(text) - n, " %d", p->path[first++]);
    for (int d = first; d < p->path_len && n < 220; d++)
        n += snprintf(text + n, sizeof(text) - n, ", item %d", p->path[d] - 1);
    snprintf(text + n, sizeof(text) - n, " %.256s", p->problem);
    PyErr_SetString(type, text);
}

/* --- the format --------------------------------------------------------------- */

static int
is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
format_ends(char c)
{
    return c == '\0' || c == ':' || c == ';';
}

/* The number of arguments a (...) group takes: its letters at its own
 * level (the 'e' of es/et does not count) and its inner groups. */
static int
group_size(const char *f)
{
    int n = 0, level = 0;
    for (; !format_ends(*f); f++) {
        if (*f == '(') {
            if (level == 0)
                n++;
            level++;
        }
        else if (*f == ')') {
            if (level == 0)
                break;
            level--;
        }
        else if (level == 0 && is_letter(*f) && *f != 'e') {
            n++;
        }
    }
    return n;
}

/* The whole format of PyArg_Parse/ParseTuple: how many arguments it takes,
 * the function name or message at its end. CPython stops the process for a
 * format whose parentheses do not balance; this raises SystemError. */
static int
scan_format(Parser *p, const char *format, int *min, int *max)
{
    int level = 0, count = 0, optional_from = -1;
    for (const char *f = format; *f; f++) {
        char c = *f;
        if (c == ':') {
            p->fname = f + 1;
            break;
        }
        if (c == ';') {
            p->custom = f + 1;
            break;
        }
        if (c == '(') {
            if (level == 0)
                count++;
            if (++level >= MAX_NESTING) {
                PyErr_SetString(PyExc_SystemError, "too many tuple nesting levels in argument format string");
                return -1;
            }
        }
        else if (c == ')') {
            if (level == 0) {
                PyErr_SetString(PyExc_SystemError, "excess ')' in getargs format");
                return -1;
            }
            level--;
        }
        else if (c == '|') {
            if (level == 0)
                optional_from = count;
        }
        else if (level == 0 && is_letter(c) && c != 'e') {
            count++;
        }
    }
    if (level != 0) {
        PyErr_SetString(PyExc_SystemError, "missing ')' in getargs format");
        return -1;
    }
    *max = count;
    *min = optional_from < 0 ? count : optional_from;
    return 0;
}

/* --- byte sources ----------------------------------------------------------------- */

/* The bytes of an object whose buffer needs no release (bytes, and any
 * exporter without bf_releasebuffer): s#, y, y#, z#. */
static int
readonly_bytes(Parser *p, PyObject *arg, const char **data, Py_ssize_t *size)
{
    if (PyBytes_Check(arg)) {
        *data = PyBytes_AS_STRING(arg);
        *size = PyBytes_GET_SIZE(arg);
        return 0;
    }
    PyBufferProcs *procs = Py_TYPE(arg)->tp_as_buffer;
    if (procs != NULL && procs->bf_releasebuffer != NULL)
        return wrong_kind(p, "read-only bytes-like object", arg);
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
        return -1;
    if (!PyBuffer_IsContiguous(&view, 'C')) {
        PyBuffer_Release(&view);
        return wrong_kind(p, "contiguous buffer", arg);
    }
    *data = view.buf;
    *size = view.len;
    PyBuffer_Release(&view);
    return 0;
}

/* A contiguous buffer that the caller releases: s*, y*, z*. */
static int
contiguous_buffer(Parser *p, PyObject *arg, Py_buffer *view)
{
    if (PyObject_GetBuffer(arg, view, PyBUF_SIMPLE) < 0)
        return -1;
    if (!PyBuffer_IsContiguous(view, 'C')) {
        PyBuffer_Release(view);
        return wrong_kind(p, "contiguous buffer", arg);
    }
    return 0;
}

static int
keep_buffer(Parser *p, Py_buffer *view)
{
    if (undo_push(p, UNDO_BUFFER, view, NULL) < 0) {
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static int
require_size_t(Parser *p)
{
    if (!(p->flags & PARSE_SIZE_T)) {
        PyErr_SetString(PyExc_SystemError, "PY_SSIZE_T_CLEAN macro must be defined for '#' formats");
        return -1;
    }
    return 0;
}

/* --- one format unit ---------------------------------------------------------------- */

static int
to_long(PyObject *arg, long *v)
{
    *v = PyLong_AsLong(arg);
    return (*v == -1 && PyErr_Occurred()) ? -1 : 0;
}

static int
out_of_range(const char *what)
{
    PyErr_SetString(PyExc_OverflowError, what);
    return -1;
}

/* s, s#, s*, z, z#, z*, y, y#, y*: `*f` is just after the letter. */
static int
convert_text(Parser *p, PyObject *arg, char unit, const char **f)
{
    int none_ok = unit == 'z' && arg == Py_None;
    int str_ok = unit != 'y' && PyUnicode_Check(arg);
    if (**f == '*') {
        (*f)++;
        Py_buffer *view = va_arg(p->va, Py_buffer *);
        if (none_ok) {
            PyBuffer_FillInfo(view, NULL, NULL, 0, 1, 0);
        }
        else if (str_ok) {
            Py_ssize_t size;
            const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &size);
            if (utf8 == NULL || PyBuffer_FillInfo(view, arg, (void *)utf8, size, 1, 0) < 0)
                return -1;
        }
        else if (contiguous_buffer(p, arg, view) < 0) {
            return -1;
        }
        return keep_buffer(p, view);
    }
    if (**f == '#') {
        (*f)++;
        const char **out = va_arg(p->va, const char **);
        Py_ssize_t *size = va_arg(p->va, Py_ssize_t *);
        if (unit == 'y') {
            /* y# looks at the object before it asks for PY_SSIZE_T_CLEAN */
            const char *data;
            Py_ssize_t n;
            if (readonly_bytes(p, arg, &data, &n) < 0 || require_size_t(p) < 0)
                return -1;
            *out = data;
            *size = n;
            return 0;
        }
        if (require_size_t(p) < 0)
            return -1;
        if (none_ok) {
            *out = NULL;
            *size = 0;
            return 0;
        }
        if (str_ok) {
            *out = PyUnicode_AsUTF8AndSize(arg, size);
            return *out == NULL ? -1 : 0;
        }
        return readonly_bytes(p, arg, out, size);
    }
    const char **out = va_arg(p->va, const char **);
    Py_ssize_t size;
    if (none_ok) {
        *out = NULL;
        return 0;
    }
    if (unit == 'y') {
        if (readonly_bytes(p, arg, out, &size) < 0)
            return -1;
        if ((Py_ssize_t)strlen(*out) != size) {
            PyErr_SetString(PyExc_ValueError, "embedded null byte");
            return -1;
        }
        return 0;
    }
    if (!str_ok)
        return wrong_kind(p, unit == 'z' ? "str or None" : "str", arg);
    const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &size);
    if (utf8 == NULL)
        return -1;
    if ((Py_ssize_t)strlen(utf8) != size) {
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        return -1;
    }
    *out = utf8;
    return 0;
}

/* es, et, es#, et#: `*f` is just after the 'e'. */
static int
convert_encoded(Parser *p, PyObject *arg, const char **f)
{
    const char *encoding = va_arg(p->va, const char *);
    char kind = **f;
    if (kind != 's' && kind != 't')
        return problem(p, "(unknown parser marker combination)");
    (*f)++;
    PyObject *encoded;
    if (kind == 't' && PyBytes_Check(arg)) {
        encoded = Py_NewRef(arg);
    }
    else if (kind == 't' && PyByteArray_Check(arg)) {
        Py_buffer view;
        if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
            return -1;
        encoded = PyBytes_FromStringAndSize(view.buf, view.len);
        PyBuffer_Release(&view);
        if (encoded == NULL)
            return -1;
    }
    else if (PyUnicode_Check(arg)) {
        encoded = PyUnicode_AsEncodedString(arg, encoding, NULL);
        if (encoded == NULL)
            return problem(p, "(encoding failed)");
        if (!PyBytes_Check(encoded)) {
            Py_DECREF(encoded);
            return problem(p, "(encoder failed to return bytes)");
        }
    }
    else {
        return wrong_kind(p, kind == 't' ? "str, bytes or bytearray" : "str", arg);
    }
    Py_ssize_t size = PyBytes_GET_SIZE(encoded);
    const char *data = PyBytes_AS_STRING(encoded);
    int status = -1;
    if (**f == '#') {
        (*f)++;
        if (require_size_t(p) < 0)
            goto done;
        char **buffer = va_arg(p->va, char **);
        Py_ssize_t *length = va_arg(p->va, Py_ssize_t *);
        if (buffer == NULL) {
            problem(p, "(buffer is NULL)");
            goto done;
        }
        if (length == NULL) {
            problem(p, "(buffer_len is NULL)");
            goto done;
        }
        if (*buffer == NULL) {
            char *copy = PyMem_Malloc((size_t)size + 1);
            if (copy == NULL) {
                PyErr_NoMemory();
                goto done;
            }
            if (undo_push(p, UNDO_MEMORY, copy, NULL) < 0) {
                PyMem_Free(copy);
                goto done;
            }
            memcpy(copy, data, (size_t)size + 1);
            *buffer = copy;
        }
        else {
            /* the caller's buffer: room for the bytes and a NUL */
            if (size + 1 > *length) {
                set_error(PyExc_ValueError, "encoded string too long (%zd, maximum length %zd)",
                          size, *length - 1);
                goto done;
            }
            memcpy(*buffer, data, (size_t)size + 1);
        }
        *length = size;
        status = 0;
    }
    else {
        char **buffer = va_arg(p->va, char **);
        if ((Py_ssize_t)strlen(data) != size) {
            wrong_kind(p, "encoded string without null bytes", arg);
            goto done;
        }
        char *copy = PyMem_Malloc((size_t)size + 1);
        if (copy == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        if (undo_push(p, UNDO_MEMORY, copy, NULL) < 0) {
            PyMem_Free(copy);
            goto done;
        }
        memcpy(copy, data, (size_t)size + 1);
        *buffer = copy;
        status = 0;
    }
done:
    Py_DECREF(encoded);
    return status;
}

/* One unit that is not a (...) group. Returns 0, or -1 with an exception
 * set or p->problem filled in. */
static int
convert_unit(Parser *p, PyObject *arg, const char **fmt)
{
    const char *f = *fmt;
    char unit = *f++;
    long v;
    switch (unit) {
    case 'b': {
        char *out = va_arg(p->va, char *);
        if (to_long(arg, &v) < 0)
            return -1;
        if (v < 0)
            return out_of_range("unsigned byte integer is less than minimum");
        if (v > UCHAR_MAX)
            return out_of_range("unsigned byte integer is greater than maximum");
        *out = (char)v;
        break;
    }
    case 'B': {
        unsigned char *out = va_arg(p->va, unsigned char *);
        unsigned long u = PyLong_AsUnsignedLongMask(arg);
        if (u == (unsigned long)-1 && PyErr_Occurred())
            return -1;
        *out = (unsigned char)u;
        break;
    }
    case 'h': {
        short *out = va_arg(p->va, short *);
        if (to_long(arg, &v) < 0)
            return -1;
        if (v < SHRT_MIN)
            return out_of_range("signed short integer is less than minimum");
        if (v > SHRT_MAX)
            return out_of_range("signed short integer is greater than maximum");
        *out = (short)v;
        break;
    }
    case 'H': {
        unsigned short *out = va_arg(p->va, unsigned short *);
        unsigned long u = PyLong_AsUnsignedLongMask(arg);
        if (u == (unsigned long)-1 && PyErr_Occurred())
            return -1;
        *out = (unsigned short)u;
        break;
    }
    case 'i': {
        int *out = va_arg(p->va, int *);
        if (to_long(arg, &v) < 0)
            return -1;
        if (v > INT_MAX)
            return out_of_range("signed integer is greater than maximum");
        if (v < INT_MIN)
            return out_of_range("signed integer is less than minimum");
        *out = (int)v;
        break;
    }
    case 'I': {
        unsigned int *out = va_arg(p->va, unsigned int *);
        unsigned long u = PyLong_AsUnsignedLongMask(arg);
        if (u == (unsigned long)-1 && PyErr_Occurred())
            return -1;
        *out = (unsigned int)u;
        break;
    }
    case 'l': {
        long *out = va_arg(p->va, long *);
        if (to_long(arg, &v) < 0)
            return -1;
        *out = v;
        break;
    }
    case 'k': {
        unsigned long *out = va_arg(p->va, unsigned long *);
        if (!PyLong_Check(arg))
            return wrong_kind(p, "int", arg);
        *out = PyLong_AsUnsignedLongMask(arg);
        if (*out == (unsigned long)-1 && PyErr_Occurred())
            return -1;
        break;
    }
    case 'L': {
        long long *out = va_arg(p->va, long long *);
        long long ll = PyLong_AsLongLong(arg);
        if (ll == -1 && PyErr_Occurred())
            return -1;
        *out = ll;
        break;
    }
    case 'K': {
        unsigned long long *out = va_arg(p->va, unsigned long long *);
        if (!PyLong_Check(arg))
            return wrong_kind(p, "int", arg);
        *out = PyLong_AsUnsignedLongLongMask(arg);
        if (*out == (unsigned long long)-1 && PyErr_Occurred())
            return -1;
        break;
    }
    case 'n': {
        Py_ssize_t *out = va_arg(p->va, Py_ssize_t *);
        PyObject *index = PyNumber_Index(arg);
        if (index == NULL)
            return -1;
        Py_ssize_t n = PyLong_AsSsize_t(index);
        Py_DECREF(index);
        if (n == -1 && PyErr_Occurred())
            return -1;
        *out = n;
        break;
    }
    case 'c': {
        char *out = va_arg(p->va, char *);
        if (PyBytes_Check(arg) && PyBytes_GET_SIZE(arg) == 1) {
            *out = PyBytes_AS_STRING(arg)[0];
        }
        else if (PyByteArray_Check(arg)) {
            Py_buffer view;
            if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0)
                return -1;
            int one = view.len == 1;
            if (one)
                *out = ((char *)view.buf)[0];
            PyBuffer_Release(&view);
            if (!one)
                return wrong_kind(p, "a byte string of length 1", arg);
        }
        else {
            return wrong_kind(p, "a byte string of length 1", arg);
        }
        break;
    }
    case 'C': {
        int *out = va_arg(p->va, int *);
        if (!PyUnicode_Check(arg) || PyUnicode_GetLength(arg) != 1)
            return wrong_kind(p, "a unicode character", arg);
        Py_UCS4 ch = PyUnicode_ReadChar(arg, 0);
        if (ch == (Py_UCS4)-1 && PyErr_Occurred())
            return -1;
        *out = (int)ch;
        break;
    }
    case 'p': {
        int *out = va_arg(p->va, int *);
        int truth = PyObject_IsTrue(arg);
        if (truth < 0)
            return -1;
        *out = truth;
        break;
    }
    case 'f': {
        float *out = va_arg(p->va, float *);
        double d = PyFloat_AsDouble(arg);
        if (d == -1.0 && PyErr_Occurred())
            return -1;
        *out = (float)d;
        break;
    }
    case 'd': {
        double *out = va_arg(p->va, double *);
        double d = PyFloat_AsDouble(arg);
        if (d == -1.0 && PyErr_Occurred())
            return -1;
        *out = d;
        break;
    }
    case 'D': {
        Py_complex *out = va_arg(p->va, Py_complex *);
        Py_complex c = PyComplex_AsCComplex(arg);
        if (c.real == -1.0 && PyErr_Occurred())
            return -1;
        *out = c;
        break;
    }
    case 's':
    case 'z':
    case 'y':
        if (convert_text(p, arg, unit, &f) < 0)
            return -1;
        break;
    case 'e':
        if (convert_encoded(p, arg, &f) < 0)
            return -1;
        break;
    case 'S':
    case 'Y':
    case 'U': {
        PyObject **out = va_arg(p->va, PyObject **);
        if (unit == 'S' && !PyBytes_Check(arg))
            return wrong_kind(p, "bytes", arg);
        if (unit == 'Y' && !PyByteArray_Check(arg))
            return wrong_kind(p, "bytearray", arg);
        if (unit == 'U' && !PyUnicode_Check(arg))
            return wrong_kind(p, "str", arg);
        *out = arg;
        break;
    }
    case 'O':
        if (*f == '!') {
            f++;
            PyTypeObject *type = va_arg(p->va, PyTypeObject *);
            PyObject **out = va_arg(p->va, PyObject **);
            if (!PyObject_TypeCheck(arg, type))
                return wrong_kind(p, type->tp_name, arg);
            *out = arg;
        }
        else if (*f == '&') {
            f++;
            converter conv = va_arg(p->va, converter);
            void *target = va_arg(p->va, void *);
            int result = conv(arg, target);
            if (result == 0)
                return problem(p, "(unspecified)");
            if (result == Py_CLEANUP_SUPPORTED && undo_push(p, UNDO_CONVERTER, target, conv) < 0) {
                conv(NULL, target);
                return -1;
            }
        }
        else {
            PyObject **out = va_arg(p->va, PyObject **);
            *out = arg;
        }
        break;
    case 'w': {
        if (*f != '*')
            return problem(p, "(invalid use of 'w' format character)");
        f++;
        Py_buffer *view = va_arg(p->va, Py_buffer *);
        if (PyObject_GetBuffer(arg, view, PyBUF_WRITABLE) < 0) {
            PyErr_Clear();
            return wrong_kind(p, "read-write bytes-like object", arg);
        }
        if (!PyBuffer_IsContiguous(view, 'C')) {
            PyBuffer_Release(view);
            return wrong_kind(p, "contiguous buffer", arg);
        }
        if (keep_buffer(p, view) < 0)
            return -1;
        break;
    }
    default:
        return problem(p, "(impossible<bad format char>)");
    }
    *fmt = f;
    return 0;
}

static int convert_item(Parser *p, PyObject *arg, const char **fmt, int depth);

/* A (...) group: `arg` must be a sequence (not bytes) of as many items.
 * Its items are borrowed for as long as the call lasts, as they would be
 * from the container under CPython. */
static int
convert_group(Parser *p, PyObject *arg, const char **fmt, int depth)
{
    const char *f = *fmt + 1;
    if (depth >= MAX_NESTING) {
        PyErr_SetString(PyExc_SystemError, "too many tuple nesting levels in argument format string");
        return -1;
    }
    int n = group_size(f);
    if (!PySequence_Check(arg) || PyBytes_Check(arg)) {
        p->path_len = depth;
        snprintf(p->problem, sizeof(p->problem), "must be %d-item sequence, not %.50s", n, type_name(arg));
        return -1;
    }
    Py_ssize_t size = PySequence_Size(arg);
    if (size < 0)
        return -1;
    if (size != n) {
        p->path_len = depth;
        snprintf(p->problem, sizeof(p->problem), "must be sequence of length %d, not %zd", n, size);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        PyObject *item;
        if (PyTuple_Check(arg))
            item = PyTuple_GET_ITEM(arg, i);
        else
            item = cpyext_keep_alive(PySequence_GetItem(arg, i));
        if (item == NULL) {
            PyErr_Clear();
            p->path[depth] = i + 1;
            p->path_len = depth + 1;
            return problem(p, "is not retrievable");
        }
        if (convert_item(p, item, &f, depth + 1) < 0) {
            p->path[depth] = i + 1;
            return -1;
        }
    }
    /* One character closes the group (CPython skips it, whatever it is). */
    if (*f != '\0')
        f++;
    *fmt = f;
    return 0;
}

static int
convert_item(Parser *p, PyObject *arg, const char **fmt, int depth)
{
    if (**fmt == '(')
        return convert_group(p, arg, fmt, depth);
    if (convert_unit(p, arg, fmt) < 0) {
        p->path_len = depth;
        return -1;
    }
    return 0;
}

/* --- PyArg_Parse and PyArg_ParseTuple -------------------------------------------------- */

static int
parse_positional(PyObject *args, const char *format, va_list va, int flags)
{
    Parser p;
    int min, max;
    parser_init(&p, flags);
    va_copy(p.va, va);
    if (format == NULL) {
        PyErr_BadInternalCall();
        return parser_finish(&p, 0);
    }
    if (scan_format(&p, format, &min, &max) < 0)
        return parser_finish(&p, 0);
    const char *name = p.fname ? p.fname : "function";
    const char *parens = p.fname ? "()" : "";
    const char *f = format;

    if (flags & PARSE_OLD_STYLE) {
        if (max == 0) {
            if (args == NULL)
                return parser_finish(&p, 1);
            set_error(PyExc_TypeError, "%.200s%s takes no arguments", name, parens);
            return parser_finish(&p, 0);
        }
        if (min != 1 || max != 1) {
            PyErr_SetString(PyExc_SystemError, "old style getargs format uses new features");
            return parser_finish(&p, 0);
        }
        if (args == NULL) {
            set_error(PyExc_TypeError, "%.200s%s takes at least one argument", name, parens);
            return parser_finish(&p, 0);
        }
        if (convert_item(&p, args, &f, 0) < 0) {
            report(&p, 0);
            return parser_finish(&p, 0);
        }
        return parser_finish(&p, 1);
    }

    if (args == NULL || !PyTuple_Check(args)) {
        PyErr_SetString(PyExc_SystemError, "new style getargs format but argument is not a tuple");
        return parser_finish(&p, 0);
    }
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (nargs < min || nargs > max) {
        if (p.custom != NULL) {
            PyErr_SetString(PyExc_TypeError, p.custom);
        }
        else {
            int bound = nargs < min ? min : max;
            set_error(PyExc_TypeError, "%.150s%s takes %s %d argument%s (%zd given)", name, parens,
                      min == max ? "exactly" : nargs < min ? "at least" : "at most",
                      bound, bound == 1 ? "" : "s", nargs);
        }
        return parser_finish(&p, 0);
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        if (*f == '|')
            f++;
        if (convert_item(&p, PyTuple_GET_ITEM(args, i), &f, 0) < 0) {
            report(&p, i + 1);
            return parser_finish(&p, 0);
        }
    }
    if (*f != '\0' && !is_letter(*f) && *f != '(' && *f != '|' && *f != ':' && *f != ';') {
        set_error(PyExc_SystemError, "bad format string: %.200s", format);
        return parser_finish(&p, 0);
    }
    return parser_finish(&p, 1);
}

/* --- PyArg_ParseTupleAndKeywords --------------------------------------------------- */

/* Passes over the unit at *fmt for an argument not given, taking its
 * output pointers off the list. Returns NULL, or what is wrong. */
static const char *
skip_item(Parser *p, const char **fmt)
{
    const char *f = *fmt;
    char unit = *f++;
    switch (unit) {
    case 'b': case 'B': case 'h': case 'H': case 'i': case 'I': case 'l': case 'k':
    case 'L': case 'K': case 'n': case 'f': case 'd': case 'D': case 'c': case 'C':
    case 'p': case 'S': case 'Y': case 'U':
        (void)va_arg(p->va, void *);
        break;
    case 'e':
        (void)va_arg(p->va, const char *);
        if (*f != 's' && *f != 't')
            return "impossible<bad format char>";
        f++;
        (void)va_arg(p->va, char **);
        if (*f == '#') {
            if (!(p->flags & PARSE_SIZE_T))
                return "PY_SSIZE_T_CLEAN macro must be defined for '#' formats";
            (void)va_arg(p->va, Py_ssize_t *);
            f++;
        }
        break;
    case 's': case 'z': case 'y': case 'w':
        (void)va_arg(p->va, void *);
        if (*f == '#') {
            if (!(p->flags & PARSE_SIZE_T))
                return "PY_SSIZE_T_CLEAN macro must be defined for '#' formats";
            (void)va_arg(p->va, Py_ssize_t *);
            f++;
        }
        else if (*f == '*') {
            f++;
        }
        break;
    case 'O':
        if (*f == '!' || *f == '&') {
            (void)va_arg(p->va, void *);
            f++;
        }
        (void)va_arg(p->va, void *);
        break;
    case '(':
        while (*f != ')') {
            if (format_ends(*f))
                return "Unmatched left paren in format string";
            const char *wrong = skip_item(p, &f);
            if (wrong != NULL)
                return wrong;
        }
        f++;
        break;
    case ')':
        return "Unmatched right paren in format string";
    default:
        return "impossible<bad format char>";
    }
    *fmt = f;
    return NULL;
}

static int
kwlist_has(char **kwlist, int from, int to, PyObject *key)
{
    const char *name = PyUnicode_AsUTF8(key);
    if (name == NULL) {
        PyErr_Clear();
        return 0;
    }
    for (int j = from; j < to; j++)
        if (strcmp(name, kwlist[j]) == 0)
            return 1;
    return 0;
}

/* `fname` names the function when the format has no ":name" (a clinic parser's fname). */
static int
parse_keywords(PyObject *args, PyObject *kwargs, const char *format, char **kwlist, const char *fname,
               va_list va, int flags)
{
    Parser p;
    parser_init(&p, flags);
    va_copy(p.va, va);
    if (args == NULL || !PyTuple_Check(args) || (kwargs != NULL && !PyDict_Check(kwargs)) ||
        format == NULL || kwlist == NULL) {
        PyErr_BadInternalCall();
        return parser_finish(&p, 0);
    }
    const char *colon = strchr(format, ':');
    if (colon != NULL) {
        p.fname = colon + 1;
    }
    else {
        const char *semicolon = strchr(format, ';');
        p.custom = semicolon ? semicolon + 1 : NULL;
        p.fname = fname;
    }
    const char *name = p.fname ? p.fname : "function";
    const char *parens = p.fname ? "()" : "";

    /* Leading "" entries are positional-only parameters. */
    int positional_only = 0;
    while (kwlist[positional_only] != NULL && kwlist[positional_only][0] == '\0')
        positional_only++;
    int nparams = positional_only;
    for (; kwlist[nparams] != NULL; nparams++) {
        if (kwlist[nparams][0] == '\0') {
            PyErr_SetString(PyExc_SystemError, "Empty keyword parameter name");
            return parser_finish(&p, 0);
        }
    }
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    Py_ssize_t nkwargs = kwargs == NULL ? 0 : PyDict_Size(kwargs);
    if (nargs + nkwargs > nparams) {
        set_error(PyExc_TypeError, "%.200s%s takes at most %d %sargument%s (%zd given)", name, parens,
                  nparams, nargs == 0 ? "keyword " : "", nparams == 1 ? "" : "s", nargs + nkwargs);
        return parser_finish(&p, 0);
    }

    const char *f = format;
    int required = INT_MAX;       /* parameters before '|' */
    int positional = INT_MAX;     /* parameters before '$' */
    int missing_positional = 0;   /* a positional-only argument is missing */
    int i;
    for (i = 0; i < nparams; i++) {
        if (*f == '|') {
            if (required != INT_MAX) {
                PyErr_SetString(PyExc_SystemError, "Invalid format string (| specified twice)");
                return parser_finish(&p, 0);
            }
            required = i;
            f++;
            if (positional != INT_MAX) {
                PyErr_SetString(PyExc_SystemError, "Invalid format string ($ before |)");
                return parser_finish(&p, 0);
            }
        }
        if (*f == '$') {
            if (positional != INT_MAX) {
                PyErr_SetString(PyExc_SystemError, "Invalid format string ($ specified twice)");
                return parser_finish(&p, 0);
            }
            positional = i;
            f++;
            if (positional < positional_only) {
                PyErr_SetString(PyExc_SystemError, "Empty parameter name after $");
                return parser_finish(&p, 0);
            }
            if (missing_positional)
                break;
            if (nargs > positional) {
                if (positional == 0)
                    set_error(PyExc_TypeError, "%.200s%s takes no positional arguments", name, parens);
                else
                    set_error(PyExc_TypeError, "%.200s%s takes %s %d positional argument%s (%zd given)",
                              name, parens, required != INT_MAX ? "at most" : "exactly", positional,
                              positional == 1 ? "" : "s", nargs);
                return parser_finish(&p, 0);
            }
        }
        if (format_ends(*f)) {
            set_error(PyExc_SystemError, "More keyword list entries (%d) than format specifiers (%d)",
                      nparams, i);
            return parser_finish(&p, 0);
        }
        if (!missing_positional) {
            PyObject *value = NULL;
            if (i < nargs) {
                value = PyTuple_GET_ITEM(args, i);
            }
            else if (nkwargs > 0 && i >= positional_only) {
                value = PyDict_GetItemString(kwargs, kwlist[i]);
                if (value != NULL)
                    nkwargs--;
                else if (PyErr_Occurred())
                    return parser_finish(&p, 0);
            }
            if (value != NULL) {
                if (convert_item(&p, value, &f, 0) < 0) {
                    report(&p, i + 1);
                    return parser_finish(&p, 0);
                }
                continue;
            }
            if (i < required) {
                if (i < positional_only) {
                    /* reported below, once the bounds are known */
                    missing_positional = 1;
                }
                else {
                    set_error(PyExc_TypeError, "%.200s%s missing required argument '%s' (pos %d)",
                              name, parens, kwlist[i], i + 1);
                    return parser_finish(&p, 0);
                }
            }
            /* Nothing left to convert: the rest of the format is not checked. */
            if (!missing_positional && nkwargs == 0)
                return parser_finish(&p, 1);
        }
        const char *start = f;
        const char *wrong = skip_item(&p, &f);
        if (wrong != NULL) {
            set_error(PyExc_SystemError, "%s: '%s'", wrong, start);
            return parser_finish(&p, 0);
        }
    }

    if (missing_positional) {
        int need = positional_only < required ? positional_only : required;
        set_error(PyExc_TypeError, "%.200s%s takes %s %d positional argument%s (%zd given)", name, parens,
                  need < i ? "at least" : "exactly", need, need == 1 ? "" : "s", nargs);
        return parser_finish(&p, 0);
    }
    if (!format_ends(*f) && *f != '|' && *f != '$') {
        set_error(PyExc_SystemError,
                  "more argument specifiers than keyword list entries (remaining format:'%s')", f);
        return parser_finish(&p, 0);
    }
    if (nkwargs > 0) {
        /* Something among the keywords does not belong: say what. */
        for (i = positional_only; i < nargs; i++) {
            if (PyDict_GetItemString(kwargs, kwlist[i]) != NULL) {
                set_error(PyExc_TypeError, "argument for %.200s%s given by name ('%s') and position (%d)",
                          name, parens, kwlist[i], i + 1);
                return parser_finish(&p, 0);
            }
        }
        Py_ssize_t pos = 0;
        PyObject *key;
        while (PyDict_Next(kwargs, &pos, &key, NULL)) {
            if (!PyUnicode_Check(key)) {
                PyErr_SetString(PyExc_TypeError, "keywords must be strings");
                return parser_finish(&p, 0);
            }
            if (!kwlist_has(kwlist, positional_only, nparams, key)) {
                PyErr_Format(PyExc_TypeError, "'%U' is an invalid keyword argument for %.200s%s", key,
                             p.fname ? p.fname : "this function", parens);
                return parser_finish(&p, 0);
            }
        }
        set_error(PyExc_TypeError, "invalid keyword argument for %.200s%s",
                  p.fname ? p.fname : "this function", parens);
        return parser_finish(&p, 0);
    }
    return parser_finish(&p, 1);
}

/* --- the entry points ------------------------------------------------------------------ */

int
PyArg_Parse(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_positional(args, format, va, PARSE_OLD_STYLE);
    va_end(va);
    return ok;
}

int
_PyArg_Parse_SizeT(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_positional(args, format, va, PARSE_OLD_STYLE | PARSE_SIZE_T);
    va_end(va);
    return ok;
}

int
PyArg_ParseTuple(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_positional(args, format, va, 0);
    va_end(va);
    return ok;
}

int
_PyArg_ParseTuple_SizeT(PyObject *args, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_positional(args, format, va, PARSE_SIZE_T);
    va_end(va);
    return ok;
}

int
PyArg_VaParse(PyObject *args, const char *format, va_list va)
{
    return parse_positional(args, format, va, 0);
}

int
_PyArg_VaParse_SizeT(PyObject *args, const char *format, va_list va)
{
    return parse_positional(args, format, va, PARSE_SIZE_T);
}

int
PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *kwargs, const char *format, char **kwlist, ...)
{
    va_list va;
    va_start(va, kwlist);
    int ok = parse_keywords(args, kwargs, format, kwlist, NULL, va, 0);
    va_end(va);
    return ok;
}

int
_PyArg_ParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kwargs, const char *format, char **kwlist, ...)
{
    va_list va;
    va_start(va, kwlist);
    int ok = parse_keywords(args, kwargs, format, kwlist, NULL, va, PARSE_SIZE_T);
    va_end(va);
    return ok;
}

int
PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *kwargs, const char *format, char **kwlist, va_list va)
{
    return parse_keywords(args, kwargs, format, kwlist, NULL, va, 0);
}

int
_PyArg_VaParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kwargs, const char *format, char **kwlist, va_list va)
{
    return parse_keywords(args, kwargs, format, kwlist, NULL, va, PARSE_SIZE_T);
}

int
PyArg_ValidateKeywordArguments(PyObject *kwargs)
{
    if (kwargs == NULL || !PyDict_Check(kwargs)) {
        PyErr_BadInternalCall();
        return 0;
    }
    Py_ssize_t pos = 0;
    PyObject *key;
    while (PyDict_Next(kwargs, &pos, &key, NULL)) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return 0;
        }
    }
    return 1;
}

/* The count check of PyArg_UnpackTuple and _PyArg_UnpackStack: 1, or 0 with TypeError. */
static int
unpack_count_ok(const char *name, Py_ssize_t n, Py_ssize_t min, Py_ssize_t max)
{
    if (n >= min && n <= max)
        return 1;
    const char *bound = min == max ? "" : n < min ? "at least " : "at most ";
    Py_ssize_t limit = n < min ? min : max;
    if (name != NULL)
        set_error(PyExc_TypeError, "%.200s expected %s%zd argument%s, got %zd", name, bound, limit,
                  limit == 1 ? "" : "s", n);
    else
        set_error(PyExc_TypeError, "unpacked tuple should have %s%zd element%s, but has %zd", bound,
                  limit, limit == 1 ? "" : "s", n);
    return 0;
}

int
PyArg_UnpackTuple(PyObject *args, const char *name, Py_ssize_t min, Py_ssize_t max, ...)
{
    if (args == NULL || !PyTuple_Check(args)) {
        PyErr_SetString(PyExc_SystemError, "PyArg_UnpackTuple() argument list is not a tuple");
        return 0;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (!unpack_count_ok(name, n, min, max))
        return 0;
    va_list va;
    va_start(va, max);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject **out = va_arg(va, PyObject **);
        *out = PyTuple_GET_ITEM(args, i);
    }
    va_end(va);
    return 1;
}

int
_PyArg_UnpackStack(PyObject *const *args, Py_ssize_t nargs, const char *name, Py_ssize_t min, Py_ssize_t max, ...)
{
    if (!unpack_count_ok(name, nargs, min, max))
        return 0;
    va_list va;
    va_start(va, max);
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject **out = va_arg(va, PyObject **);
        *out = args[i];
    }
    va_end(va);
    return 1;
}

/* --- the _PyArg_Parser forms of Argument Clinic's generated code ----------------------------- */
/* A parser holds a format ("O|i:name") and the keyword names ("" for positional-only
 * ones); these take a tuple and dict, or the vectorcall stack and its kwnames. */

static int
parse_with_parser(PyObject *args, PyObject *kwargs, struct _PyArg_Parser *parser, va_list va, int flags)
{
    if (parser == NULL || parser->format == NULL || parser->keywords == NULL) {
        PyErr_BadInternalCall();
        return 0;
    }
    return parse_keywords(args, kwargs, parser->format, (char **)parser->keywords, parser->fname, va, flags);
}

/* The vectorcall stack as the tuple and dict the parser reads; both new references. */
static int
stack_as_tuple_and_dict(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject **tuple,
                        PyObject **dict)
{
    *dict = NULL;
    *tuple = PyTuple_New(nargs);
    if (*tuple == NULL)
        return -1;
    for (Py_ssize_t i = 0; i < nargs; i++)
        PyTuple_SET_ITEM(*tuple, i, Py_NewRef(args[i]));
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    if (nkw == 0)
        return 0;
    *dict = PyDict_New();
    if (*dict == NULL)
        return -1;
    for (Py_ssize_t j = 0; j < nkw; j++) {
        if (PyDict_SetItem(*dict, PyTuple_GET_ITEM(kwnames, j), args[nargs + j]) < 0)
            return -1;
    }
    return 0;
}

static int
parse_stack_with_parser(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, struct _PyArg_Parser *parser,
                        va_list va, int flags)
{
    PyObject *tuple, *dict;
    int ok = 0;
    if (stack_as_tuple_and_dict(args, nargs, kwnames, &tuple, &dict) == 0)
        ok = parse_with_parser(tuple, dict, parser, va, flags);
    Py_XDECREF(tuple);
    Py_XDECREF(dict);
    return ok;
}

static int
parse_stack(PyObject *const *args, Py_ssize_t nargs, const char *format, va_list va, int flags)
{
    PyObject *tuple, *dict;
    int ok = 0;
    if (stack_as_tuple_and_dict(args, nargs, NULL, &tuple, &dict) == 0)
        ok = parse_positional(tuple, format, va, flags);
    Py_XDECREF(tuple);
    return ok;
}

int
_PyArg_ParseTupleAndKeywordsFast(PyObject *args, PyObject *kwargs, struct _PyArg_Parser *parser, ...)
{
    va_list va;
    va_start(va, parser);
    int ok = parse_with_parser(args, kwargs, parser, va, 0);
    va_end(va);
    return ok;
}

int
_PyArg_ParseTupleAndKeywordsFast_SizeT(PyObject *args, PyObject *kwargs, struct _PyArg_Parser *parser, ...)
{
    va_list va;
    va_start(va, parser);
    int ok = parse_with_parser(args, kwargs, parser, va, PARSE_SIZE_T);
    va_end(va);
    return ok;
}

int
_PyArg_VaParseTupleAndKeywordsFast(PyObject *args, PyObject *kwargs, struct _PyArg_Parser *parser, va_list va)
{
    return parse_with_parser(args, kwargs, parser, va, 0);
}

int
_PyArg_VaParseTupleAndKeywordsFast_SizeT(PyObject *args, PyObject *kwargs, struct _PyArg_Parser *parser, va_list va)
{
    return parse_with_parser(args, kwargs, parser, va, PARSE_SIZE_T);
}

int
_PyArg_ParseStackAndKeywords(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, struct _PyArg_Parser *parser, ...)
{
    va_list va;
    va_start(va, parser);
    int ok = parse_stack_with_parser(args, nargs, kwnames, parser, va, 0);
    va_end(va);
    return ok;
}

int
_PyArg_ParseStackAndKeywords_SizeT(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, struct _PyArg_Parser *parser, ...)
{
    va_list va;
    va_start(va, parser);
    int ok = parse_stack_with_parser(args, nargs, kwnames, parser, va, PARSE_SIZE_T);
    va_end(va);
    return ok;
}

int
_PyArg_ParseStack(PyObject *const *args, Py_ssize_t nargs, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_stack(args, nargs, format, va, 0);
    va_end(va);
    return ok;
}

int
_PyArg_ParseStack_SizeT(PyObject *const *args, Py_ssize_t nargs, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int ok = parse_stack(args, nargs, format, va, PARSE_SIZE_T);
    va_end(va);
    return ok;
}

/* --- Py_BuildValue ----------------------------------------------------------------------- */

#define BUILD_SIZE_T 1

typedef struct {
    int flags;
    va_list va;
} Builder;

typedef PyObject *(*build_converter)(void *);

/* How many items the format holds at this level, up to `close` (or the
 * end of the format for the top level). Separators (space, tab, ',' and
 * ':') and the '#' and '&' that complete a unit are not items; a closing
 * bracket without its opening one ends the count. */
static int
count_items(const char *f, char close)
{
    int level = 0, n = 0;
    for (; level > 0 || *f != close; f++) {
        switch (*f) {
        case '\0':
            PyErr_SetString(PyExc_SystemError, "unmatched paren in format");
            return -1;
        case '(': case '[': case '{':
            if (level == 0)
                n++;
            level++;
            break;
        case ')': case ']': case '}':
            level--;
            break;
        case '#': case '&': case ',': case ':': case ' ': case '\t':
            break;
        default:
            if (level == 0)
                n++;
        }
    }
    return n;
}

static PyObject *build_item(Builder *b, const char **f);

/* After a failure inside a container: the remaining items are still built
 * and dropped, so that every argument is consumed (an N unit's reference is
 * released, an O& converter still runs), and the first error stands. */
static void
drop_rest(Builder *b, const char **f, int n, char close)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    for (int i = 0; i < n; i++) {
        PyObject *item = build_item(b, f);
        if (item != NULL)
            Py_DECREF(item);
        else
            PyErr_Clear();
    }
    if (**f != close) {
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return;
    }
    if (close != '\0')
        (*f)++;
    PyErr_Restore(type, value, tb);
}

/* A tuple, list or dict of the items up to `close`; *f is just past the
 * opening bracket (or at the start, for the top-level tuple). */
static PyObject *
build_container(Builder *b, const char **f, char close, int n)
{
    PyObject *c;
    if (n < 0)
        return NULL;
    if (close == '}') {
        c = PyDict_New();
        if (c == NULL) {
            drop_rest(b, f, n, close);
            return NULL;
        }
        if (n % 2 != 0) {
            PyErr_SetString(PyExc_SystemError, "Bad dict format");
            drop_rest(b, f, n, close);
            Py_DECREF(c);
            return NULL;
        }
        for (int i = 0; i < n; i += 2) {
            PyObject *key = build_item(b, f);
            if (key == NULL) {
                drop_rest(b, f, n - i - 1, close);
                Py_DECREF(c);
                return NULL;
            }
            PyObject *value = build_item(b, f);
            if (value == NULL) {
                Py_DECREF(key);
                drop_rest(b, f, n - i - 2, close);
                Py_DECREF(c);
                return NULL;
            }
            int status = PyDict_SetItem(c, key, value);
            Py_DECREF(key);
            Py_DECREF(value);
            if (status < 0) {
                drop_rest(b, f, n - i - 2, close);
                Py_DECREF(c);
                return NULL;
            }
        }
    }
    else {
        c = close == ']' ? PyList_New(n) : PyTuple_New(n);
        if (c == NULL) {
            drop_rest(b, f, n, close);
            return NULL;
        }
        for (int i = 0; i < n; i++) {
            PyObject *item = build_item(b, f);
            if (item == NULL) {
                drop_rest(b, f, n - i - 1, close);
                Py_DECREF(c);
                return NULL;
            }
            if (close == ']')
                PyList_SET_ITEM(c, i, item);
            else
                PyTuple_SET_ITEM(c, i, item);
        }
    }
    if (**f != close) {
        Py_DECREF(c);
        PyErr_SetString(PyExc_SystemError, "Unmatched paren in format");
        return NULL;
    }
    if (close != '\0')
        (*f)++;
    return c;
}

/* The length after a text unit: "#" takes one (a Py_ssize_t, with
 * PY_SSIZE_T_CLEAN); a negative length means up to the NUL. Returns -1
 * for "up to the NUL", -2 on error. */
static Py_ssize_t
text_length(Builder *b, const char **f)
{
    if (**f != '#')
        return -1;
    (*f)++;
    if (!(b->flags & BUILD_SIZE_T)) {
        /* the int length is taken off the list all the same, so that the
           arguments after it stay in step */
        (void)va_arg(b->va, int);
        PyErr_SetString(PyExc_SystemError, "PY_SSIZE_T_CLEAN macro must be defined for '#' formats");
        return -2;
    }
    Py_ssize_t n = va_arg(b->va, Py_ssize_t);
    return n < 0 ? -1 : n;
}

static PyObject *
build_item(Builder *b, const char **f)
{
    for (;;) {
        if (**f == '\0') {
            /* Only a format whose closing brackets do not match its opening
               ones gets here (CPython reads on past its end). */
            PyErr_SetString(PyExc_SystemError, "unmatched paren in format");
            return NULL;
        }
        char unit = *(*f)++;
        switch (unit) {
        case '(':
            return build_container(b, f, ')', count_items(*f, ')'));
        case '[':
            return build_container(b, f, ']', count_items(*f, ']'));
        case '{':
            return build_container(b, f, '}', count_items(*f, '}'));
        case 'b': case 'B': case 'h': case 'i':
            return PyLong_FromLong((long)va_arg(b->va, int));
        case 'H':
            return PyLong_FromLong((long)va_arg(b->va, unsigned int));
        case 'I':
            return PyLong_FromUnsignedLong((unsigned long)va_arg(b->va, unsigned int));
        case 'n':
            return PyLong_FromSsize_t(va_arg(b->va, Py_ssize_t));
        case 'l':
            return PyLong_FromLong(va_arg(b->va, long));
        case 'k':
            return PyLong_FromUnsignedLong(va_arg(b->va, unsigned long));
        case 'L':
            return PyLong_FromLongLong(va_arg(b->va, long long));
        case 'K':
            return PyLong_FromUnsignedLongLong(va_arg(b->va, unsigned long long));
        case 'f': case 'd':
            return PyFloat_FromDouble(va_arg(b->va, double));
        case 'D':
            return PyComplex_FromCComplex(*va_arg(b->va, Py_complex *));
        case 'c': {
            char ch = (char)va_arg(b->va, int);
            return PyBytes_FromStringAndSize(&ch, 1);
        }
        case 'C':
            return PyUnicode_FromOrdinal(va_arg(b->va, int));
        case 'u': {
            const wchar_t *w = va_arg(b->va, const wchar_t *);
            Py_ssize_t n = text_length(b, f);
            if (n == -2)
                return NULL;
            if (w == NULL)
                return Py_NewRef(Py_None);
            return PyUnicode_FromWideChar(w, n < 0 ? (Py_ssize_t)wcslen(w) : n);
        }
        case 's': case 'z': case 'U': case 'y': {
            const char *s = va_arg(b->va, const char *);
            Py_ssize_t n = text_length(b, f);
            if (n == -2)
                return NULL;
            if (s == NULL)
                return Py_NewRef(Py_None);
            if (n < 0)
                n = (Py_ssize_t)strlen(s);
            if (unit == 'y')
                return PyBytes_FromStringAndSize(s, n);
            return PyUnicode_FromStringAndSize(s, n);
        }
        case 'N': case 'S': case 'O': {
            /* "N&" and "S&" are converters too, as in CPython */
            if (**f == '&') {
                (*f)++;
                build_converter conv = va_arg(b->va, build_converter);
                void *arg = va_arg(b->va, void *);
                return conv(arg);
            }
            PyObject *obj = va_arg(b->va, PyObject *);
            if (obj == NULL) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_SystemError, "NULL object passed to Py_BuildValue");
                return NULL;
            }
            return unit == 'N' ? obj : Py_NewRef(obj);
        }
        case ':': case ',': case ' ': case '\t':
            continue;
        default:
            PyErr_SetString(PyExc_SystemError, "bad format char passed to Py_BuildValue");
            return NULL;
        }
    }
}

static PyObject *
build_value(const char *format, va_list va, int flags)
{
    if (format == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    Builder b;
    b.flags = flags;
    va_copy(b.va, va);
    const char *f = format;
    PyObject *result;
    int n = count_items(f, '\0');
    if (n < 0)
        result = NULL;
    else if (n == 0)
        result = Py_NewRef(Py_None);
    else if (n == 1)
        result = build_item(&b, &f);
    else
        result = build_container(&b, &f, '\0', n);
    va_end(b.va);
    return result;
}

/* For PyObject_CallFunction and friends (abstract.c): the top-level items
 * as a tuple, whatever their number. Not part of the C API. */
PyObject *
cpyext_build_args(const char *format, va_list va, int size_t_lengths)
{
    Builder b;
    b.flags = size_t_lengths ? BUILD_SIZE_T : 0;
    va_copy(b.va, va);
    const char *f = format;
    int n = count_items(f, '\0');
    PyObject *result = n == 0 ? PyTuple_New(0) : build_container(&b, &f, '\0', n);
    va_end(b.va);
    return result;
}

PyObject *
Py_BuildValue(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = build_value(format, va, 0);
    va_end(va);
    return result;
}

PyObject *
_Py_BuildValue_SizeT(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = build_value(format, va, BUILD_SIZE_T);
    va_end(va);
    return result;
}

PyObject *
Py_VaBuildValue(const char *format, va_list va)
{
    return build_value(format, va, 0);
}

PyObject *
_Py_VaBuildValue_SizeT(const char *format, va_list va)
{
    return build_value(format, va, BUILD_SIZE_T);
}

/* The top-level items as a vectorcall stack: `small_stack` when they fit,
 * else an array from PyMem_Malloc that the caller frees. */
static PyObject **
build_stack(PyObject **small_stack, Py_ssize_t small_stack_len, const char *format, va_list va,
            Py_ssize_t *p_nargs, int size_t_lengths)
{
    if (format == NULL || p_nargs == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    PyObject *items = cpyext_build_args(format, va, size_t_lengths);
    if (items == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    PyObject **stack = small_stack;
    if (n > small_stack_len) {
        stack = PyMem_Malloc(n * sizeof(PyObject *));
        if (stack == NULL) {
            Py_DECREF(items);
            PyErr_NoMemory();
            return NULL;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++)
        stack[i] = Py_NewRef(PyTuple_GET_ITEM(items, i));
    Py_DECREF(items);
    *p_nargs = n;
    return stack;
}

PyObject **
_Py_VaBuildStack(PyObject **small_stack, Py_ssize_t small_stack_len, const char *format, va_list va, Py_ssize_t *p_nargs)
{
    return build_stack(small_stack, small_stack_len, format, va, p_nargs, 0);
}

PyObject **
_Py_VaBuildStack_SizeT(PyObject **small_stack, Py_ssize_t small_stack_len, const char *format, va_list va, Py_ssize_t *p_nargs)
{
    return build_stack(small_stack, small_stack_len, format, va, p_nargs, 1);
}
