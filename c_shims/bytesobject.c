/* The varargs half of bytesobject.h: PyBytes_FromFormat(V).
 *
 * CPython 3.11's conversions for bytes: %c (an int in 0..255), %d %i %u %x,
 * %ld %lu, %zd %zu, %s (with a precision in bytes), %p (always with 0x) and
 * %%. A width is read and ignored. Any other conversion, or a format that
 * ends after '%', copies the rest of the format as it stands and stops, as
 * CPython does. */
#include "Python.h"

typedef struct {
    char *data;
    size_t len, cap;
    char local[256];
} ByteBuffer;

static int
buffer_append(ByteBuffer *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = (b->len + n) * 2;
        char *grown = PyMem_Malloc(cap);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(grown, b->data, b->len);
        if (b->data != b->local)
            PyMem_Free(b->data);
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

static PyObject *
buffer_finish(ByteBuffer *b)
{
    PyObject *result = PyBytes_FromStringAndSize(b->data, (Py_ssize_t)b->len);
    if (b->data != b->local)
        PyMem_Free(b->data);
    return result;
}

static void
buffer_discard(ByteBuffer *b)
{
    if (b->data != b->local)
        PyMem_Free(b->data);
}

PyObject *
PyBytes_FromFormatV(const char *format, va_list vargs)
{
    ByteBuffer b;
    b.data = b.local;
    b.len = 0;
    b.cap = sizeof(b.local);
    const char *f = format;
    while (*f) {
        if (*f != '%') {
            const char *run = f;
            while (*f && *f != '%')
                f++;
            if (buffer_append(&b, run, (size_t)(f - run)) < 0)
                return NULL;
            continue;
        }
        const char *start = f++;
        while (Py_ISDIGIT(*f))
            f++;
        Py_ssize_t precision = 0;
        if (*f == '.') {
            for (f++; Py_ISDIGIT(*f); f++)
                precision = precision * 10 + (*f - '0');
        }
        while (*f && *f != '%' && !Py_ISALPHA(*f))
            f++;
        char size = 0;
        if ((*f == 'l' || *f == 'z') && (f[1] == 'd' || f[1] == 'u'))
            size = *f++;
        char number[64];
        int written = -1;
        switch (*f) {
        case 'c': {
            int c = va_arg(vargs, int);
            if (c < 0 || c > 255) {
                buffer_discard(&b);
                PyErr_SetString(PyExc_OverflowError,
                                "PyBytes_FromFormatV(): %c format expects an integer in range [0; 255]");
                return NULL;
            }
            char byte = (char)c;
            if (buffer_append(&b, &byte, 1) < 0)
                return NULL;
            break;
        }
        case 'd':
            if (size == 'l')
                written = snprintf(number, sizeof(number), "%ld", va_arg(vargs, long));
            else if (size == 'z')
                written = snprintf(number, sizeof(number), "%zd", va_arg(vargs, Py_ssize_t));
            else
                written = snprintf(number, sizeof(number), "%d", va_arg(vargs, int));
            break;
        case 'u':
            if (size == 'l')
                written = snprintf(number, sizeof(number), "%lu", va_arg(vargs, unsigned long));
            else if (size == 'z')
                written = snprintf(number, sizeof(number), "%zu", va_arg(vargs, size_t));
            else
                written = snprintf(number, sizeof(number), "%u", va_arg(vargs, unsigned int));
            break;
        case 'i':
            written = snprintf(number, sizeof(number), "%i", va_arg(vargs, int));
            break;
        case 'x':
            written = snprintf(number, sizeof(number), "%x", va_arg(vargs, int));
            break;
        case 'p': {
            void *pointer = va_arg(vargs, void *);
            written = snprintf(number, sizeof(number), "0x%lx", (unsigned long)(uintptr_t)pointer);
            break;
        }
        case 's': {
            const char *s = va_arg(vargs, const char *);
            size_t n = 0;
            if (precision <= 0)
                n = strlen(s);
            else
                while ((Py_ssize_t)n < precision && s[n])
                    n++;
            if (buffer_append(&b, s, n) < 0)
                return NULL;
            break;
        }
        case '%':
            if (buffer_append(&b, "%", 1) < 0)
                return NULL;
            break;
        default:
            /* Unknown: the rest of the format, from this '%', as it is. */
            if (buffer_append(&b, start, strlen(start)) < 0)
                return NULL;
            return buffer_finish(&b);
        }
        if (written >= 0 && buffer_append(&b, number, (size_t)written) < 0)
            return NULL;
        f++;
    }
    return buffer_finish(&b);
}

PyObject *
PyBytes_FromFormat(const char *format, ...)
{
    va_list vargs;
    va_start(vargs, format);
    PyObject *result = PyBytes_FromFormatV(format, vargs);
    va_end(vargs);
    return result;
}
