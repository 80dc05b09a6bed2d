/* The varargs half of unicodeobject.h: PyUnicode_FromFormat(V).
 *
 * Written from the documented format ("Unicode Objects and Codecs") and
 * CPython 3.11's observed behaviour, compared by tests/capi/format_*:
 * - conversions %c %d %i %u %x %p %s %U %V %S %R %A %%, with the length
 *   modifiers l and ll (d i u) and z (d i u);
 * - a '0' flag, a width (in characters) and a precision: bytes of a %s or
 *   of %V's fallback, characters of a str, digits of a number (which are
 *   zero-padded in front of any sign, as CPython does);
 * - anything else (another flag, conversion or length) copies the rest of
 *   the format as it stands, since the arguments it would take are unknown.
 * Text is gathered as UTF-8 and str pieces, so that lone surrogates in an
 * object's text come through. */
#include "Python.h"

typedef struct {
    PyObject *pieces;   /* str pieces so far, or NULL */
    char *text;         /* UTF-8 not yet made into a piece */
    size_t len, cap;
    char local[256];
} Writer;

static void
writer_init(Writer *w)
{
    w->pieces = NULL;
    w->text = w->local;
    w->len = 0;
    w->cap = sizeof(w->local);
}

static void
writer_drop(Writer *w)
{
    Py_XDECREF(w->pieces);
    if (w->text != w->local)
        PyMem_Free(w->text);
}

static int
write_bytes(Writer *w, const char *s, size_t n)
{
    if (w->len + n > w->cap) {
        size_t cap = w->cap;
        while (w->len + n > cap)
            cap *= 2;
        char *grown = PyMem_Malloc(cap);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(grown, w->text, w->len);
        if (w->text != w->local)
            PyMem_Free(w->text);
        w->text = grown;
        w->cap = cap;
    }
    memcpy(w->text + w->len, s, n);
    w->len += n;
    return 0;
}

static int
write_fill(Writer *w, char c, Py_ssize_t n)
{
    char block[64];
    memset(block, c, sizeof(block));
    while (n > 0) {
        size_t chunk = n > (Py_ssize_t)sizeof(block) ? sizeof(block) : (size_t)n;
        if (write_bytes(w, block, chunk) < 0)
            return -1;
        n -= (Py_ssize_t)chunk;
    }
    return 0;
}

static int
flush(Writer *w)
{
    if (w->len == 0)
        return 0;
    if (w->pieces == NULL && (w->pieces = PyList_New(0)) == NULL)
        return -1;
    PyObject *piece = PyUnicode_FromStringAndSize(w->text, (Py_ssize_t)w->len);
    if (piece == NULL)
        return -1;
    int status = PyList_Append(w->pieces, piece);
    Py_DECREF(piece);
    w->len = 0;
    return status;
}

/* Appends a str (borrowed). */
static int
write_piece(Writer *w, PyObject *str)
{
    if (flush(w) < 0)
        return -1;
    if (w->pieces == NULL && (w->pieces = PyList_New(0)) == NULL)
        return -1;
    return PyList_Append(w->pieces, str);
}

static PyObject *
writer_finish(Writer *w)
{
    PyObject *result;
    if (w->pieces == NULL) {
        result = PyUnicode_FromStringAndSize(w->text, (Py_ssize_t)w->len);
    }
    else if (flush(w) < 0) {
        result = NULL;
    }
    else {
        PyObject *empty = PyUnicode_FromStringAndSize("", 0);
        result = empty ? PyUnicode_Join(empty, w->pieces) : NULL;
        Py_XDECREF(empty);
    }
    writer_drop(w);
    return result;
}

/* The rest of the format from `p` on, as it stands (bytes as Latin-1);
 * returns the end of the format. */
static const char *
write_rest(Writer *w, const char *p)
{
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x80) {
            if (write_bytes(w, (const char *)&c, 1) < 0)
                return NULL;
        }
        else {
            char two[2] = {(char)(0xC0 | (c >> 6)), (char)(0x80 | (c & 0x3F))};
            if (write_bytes(w, two, 2) < 0)
                return NULL;
        }
    }
    return p;
}

/* A str with a width (padded in front with spaces) and a precision (cut to
 * so many characters), both counted in characters; -1 for none. */
static int
write_str(Writer *w, PyObject *str, Py_ssize_t width, Py_ssize_t precision)
{
    Py_ssize_t len = PyUnicode_GetLength(str);
    if (len < 0)
        return -1;
    PyObject *part = Py_NewRef(str);
    if (precision >= 0 && len > precision) {
        Py_SETREF(part, PyUnicode_Substring(str, 0, precision));
        if (part == NULL)
            return -1;
        len = precision;
    }
    int status = 0;
    if (width > len)
        status = write_fill(w, ' ', width - len);
    if (status == 0)
        status = write_piece(w, part);
    Py_DECREF(part);
    return status;
}

/* A C string, decoded from UTF-8 with replacement; the precision counts
 * bytes. */
static int
write_c_string(Writer *w, const char *s, Py_ssize_t width, Py_ssize_t precision)
{
    if (s == NULL)
        s = "(null)";
    size_t n = precision >= 0 ? strnlen(s, (size_t)precision) : strlen(s);
    PyObject *str = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "replace");
    if (str == NULL)
        return -1;
    int status = write_str(w, str, width, -1);
    Py_DECREF(str);
    return status;
}

static int
write_object(Writer *w, PyObject *obj, char how, Py_ssize_t width, Py_ssize_t precision)
{
    if (obj == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    PyObject *str;
    switch (how) {
    case 'S': str = PyObject_Str(obj); break;
    case 'R': str = PyObject_Repr(obj); break;
    case 'A': str = PyObject_ASCII(obj); break;
    default: str = Py_NewRef(obj); break;
    }
    if (str == NULL)
        return -1;
    int status = write_str(w, str, width, precision);
    Py_DECREF(str);
    return status;
}

/* Digits (with their sign), zero-padded to the precision, then padded to
 * the width with zeros (the '0' flag) or spaces. */
static int
write_number(Writer *w, const char *digits, int zeropad, Py_ssize_t width, Py_ssize_t precision)
{
    Py_ssize_t len = (Py_ssize_t)strlen(digits);
    Py_ssize_t shown = precision > len ? precision : len;
    if (width > shown && write_fill(w, zeropad ? '0' : ' ', width - shown) < 0)
        return -1;
    if (precision > len && write_fill(w, '0', precision - len) < 0)
        return -1;
    return write_bytes(w, digits, (size_t)len);
}

static int
read_count(const char **f, Py_ssize_t *out, const char *too_big)
{
    Py_ssize_t n = 0;
    while (**f >= '0' && **f <= '9') {
        int digit = **f - '0';
        if (n > (PY_SSIZE_T_MAX - digit) / 10) {
            PyErr_SetString(PyExc_ValueError, too_big);
            return -1;
        }
        n = n * 10 + digit;
        (*f)++;
    }
    *out = n;
    return 0;
}

static int
is_integer_conversion(char c)
{
    return c == 'd' || c == 'u' || c == 'i';
}

/* One conversion; `p` is at its '%'. Returns where the format goes on. */
static const char *
convert(Writer *w, const char *p, va_list *va)
{
    const char *f = p + 1;
    int zeropad = 0;
    Py_ssize_t width = -1, precision = -1;
    if (*f == '0') {
        zeropad = 1;
        f++;
    }
    if (*f >= '0' && *f <= '9' && read_count(&f, &width, "width too big") < 0)
        return NULL;
    if (*f == '.') {
        f++;
        if (*f >= '0' && *f <= '9' && read_count(&f, &precision, "precision too big") < 0)
            return NULL;
        if (*f == '%')
            return write_rest(w, p);
    }
    if (*f == '\0') {
        /* a lone '%' at the end is itself; a cut-off conversion is text */
        if (f == p + 1)
            return write_bytes(w, "%", 1) < 0 ? NULL : f;
        return write_rest(w, p);
    }
    int length = 0;   /* 1: l, 2: ll, 3: z */
    if (f[0] == 'l' && is_integer_conversion(f[1])) {
        length = 1;
        f += 1;
    }
    else if (f[0] == 'l' && f[1] == 'l' && is_integer_conversion(f[2])) {
        length = 2;
        f += 2;
    }
    else if (f[0] == 'z' && is_integer_conversion(f[1])) {
        length = 3;
        f += 1;
    }
    char digits[64];
    int status;
    switch (*f) {
    case 'c': {
        int ch = va_arg(*va, int);
        if (ch < 0 || ch > 0x10FFFF) {
            PyErr_SetString(PyExc_OverflowError, "character argument not in range(0x110000)");
            return NULL;
        }
        if (ch < 0x80) {
            char c = (char)ch;
            status = write_bytes(w, &c, 1);
        }
        else {
            PyObject *str = PyUnicode_FromOrdinal(ch);
            if (str == NULL)
                return NULL;
            status = write_piece(w, str);
            Py_DECREF(str);
        }
        break;
    }
    case 'd': case 'i':
        if (length == 1)
            snprintf(digits, sizeof(digits), "%ld", va_arg(*va, long));
        else if (length == 2)
            snprintf(digits, sizeof(digits), "%lld", va_arg(*va, long long));
        else if (length == 3)
            snprintf(digits, sizeof(digits), "%zd", va_arg(*va, Py_ssize_t));
        else
            snprintf(digits, sizeof(digits), "%d", va_arg(*va, int));
        status = write_number(w, digits, zeropad, width, precision);
        break;
    case 'u':
        if (length == 1)
            snprintf(digits, sizeof(digits), "%lu", va_arg(*va, unsigned long));
        else if (length == 2)
            snprintf(digits, sizeof(digits), "%llu", va_arg(*va, unsigned long long));
        else if (length == 3)
            snprintf(digits, sizeof(digits), "%zu", va_arg(*va, size_t));
        else
            snprintf(digits, sizeof(digits), "%u", va_arg(*va, unsigned int));
        status = write_number(w, digits, zeropad, width, precision);
        break;
    case 'x':
        snprintf(digits, sizeof(digits), "%x", va_arg(*va, unsigned int));
        status = write_number(w, digits, zeropad, width, precision);
        break;
    case 'p': {
        /* always with a 0x in front, whatever the C library writes */
        char raw[48];
        snprintf(raw, sizeof(raw), "%p", va_arg(*va, void *));
        if (raw[1] == 'X')
            raw[1] = 'x';
        if (raw[1] == 'x')
            snprintf(digits, sizeof(digits), "%s", raw);
        else
            snprintf(digits, sizeof(digits), "0x%s", raw);
        status = write_bytes(w, digits, strlen(digits));
        break;
    }
    case 's':
        status = write_c_string(w, va_arg(*va, const char *), width, precision);
        break;
    case 'U':
        status = write_object(w, va_arg(*va, PyObject *), 'U', width, precision);
        break;
    case 'V': {
        PyObject *obj = va_arg(*va, PyObject *);
        const char *fallback = va_arg(*va, const char *);
        if (obj != NULL)
            status = write_object(w, obj, 'U', width, precision);
        else
            status = write_c_string(w, fallback, width, precision);
        break;
    }
    case 'S': case 'R': case 'A':
        status = write_object(w, va_arg(*va, PyObject *), *f, width, precision);
        break;
    case '%':
        status = write_bytes(w, "%", 1);
        break;
    default:
        return write_rest(w, p);
    }
    return status < 0 ? NULL : f + 1;
}

PyObject *
PyUnicode_FromFormatV(const char *format, va_list va)
{
    if (format == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    Writer w;
    writer_init(&w);
    va_list args;
    va_copy(args, va);
    const char *f = format;
    while (*f) {
        if (*f != '%') {
            const char *start = f;
            for (; *f && *f != '%'; f++) {
                if ((unsigned char)*f >= 0x80) {
                    char text[120];
                    snprintf(text, sizeof(text),
                             "PyUnicode_FromFormatV() expects an ASCII-encoded format string, "
                             "got a non-ASCII byte: 0x%02x", (unsigned char)*f);
                    PyErr_SetString(PyExc_ValueError, text);
                    goto fail;
                }
            }
            if (write_bytes(&w, start, (size_t)(f - start)) < 0)
                goto fail;
            continue;
        }
        f = convert(&w, f, &args);
        if (f == NULL)
            goto fail;
    }
    va_end(args);
    return writer_finish(&w);
fail:
    va_end(args);
    writer_drop(&w);
    return NULL;
}

PyObject *
PyUnicode_FromFormat(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = PyUnicode_FromFormatV(format, va);
    va_end(va);
    return result;
}
