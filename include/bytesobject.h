/* bytes. A proxy carries a NUL-terminated copy of the data, laid out as in
 * CPython, so PyBytes_AS_STRING reads it inline. Bytes made in C with a NULL
 * buffer may be filled in place until they first cross into Python. */
#ifndef Py_BYTESOBJECT_H
#define Py_BYTESOBJECT_H
#define Py_CPYTHON_BYTESOBJECT_H

#include <stdarg.h>

typedef struct {
    PyObject_VAR_HEAD
    Py_hash_t ob_shash;
    char ob_sval[1];
} PyBytesObject;
#define _PyBytes_CAST(op) ((PyBytesObject *)(op))

PyAPI_DATA(PyTypeObject) PyBytes_Type;
PyAPI_DATA(PyTypeObject) PyBytesIter_Type;
#define PyBytes_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_BYTES_SUBCLASS)
#define PyBytes_CheckExact(op) Py_IS_TYPE((op), &PyBytes_Type)
#define PyBytes_AS_STRING(op) (((PyBytesObject *)(op))->ob_sval)
#define PyBytes_GET_SIZE(op) Py_SIZE(op)

PyAPI_FUNC(PyObject *) PyBytes_FromString(const char *v);
PyAPI_FUNC(PyObject *) PyBytes_FromStringAndSize(const char *v, Py_ssize_t len);
/* bytes(o) for a buffer, list, tuple or other iterable of ints (not an int). */
PyAPI_FUNC(PyObject *) PyBytes_FromObject(PyObject *o);
/* printf-like, with the conversions of PyUnicode_FromFormat that make sense
 * for bytes: %c %d %u %ld %lu %zd %zu %i %x %s %p %%. */
PyAPI_FUNC(PyObject *) PyBytes_FromFormatV(const char *format, va_list vargs)
    Py_GCC_ATTRIBUTE((format(printf, 1, 0)));
PyAPI_FUNC(PyObject *) PyBytes_FromFormat(const char *format, ...)
    Py_GCC_ATTRIBUTE((format(printf, 1, 2)));
PyAPI_FUNC(char *) PyBytes_AsString(PyObject *o);
PyAPI_FUNC(int) PyBytes_AsStringAndSize(PyObject *obj, char **buffer, Py_ssize_t *length);
PyAPI_FUNC(Py_ssize_t) PyBytes_Size(PyObject *o);
/* repr(o), with '"' quoting allowed when smartquotes is non-zero. */
PyAPI_FUNC(PyObject *) PyBytes_Repr(PyObject *o, int smartquotes);
/* *bytes + newpart in *bytes; on error *bytes is released and set to NULL. */
PyAPI_FUNC(void) PyBytes_Concat(PyObject **bytes, PyObject *newpart);
/* PyBytes_Concat, then releases newpart. */
PyAPI_FUNC(void) PyBytes_ConcatAndDel(PyObject **bytes, PyObject *newpart);
/* Decodes backslash escapes as in a bytes literal. */
PyAPI_FUNC(PyObject *) PyBytes_DecodeEscape(const char *s, Py_ssize_t len, const char *errors,
                                            Py_ssize_t unicode, const char *recode_encoding);

/* Only for bytes that C is still filling (count 1, not yet seen by Python). */
PyAPI_FUNC(int) _PyBytes_Resize(PyObject **bytes, Py_ssize_t newsize);
/* The bytes % args operator on a C format. */
PyAPI_FUNC(PyObject *) _PyBytes_FormatEx(const char *format, Py_ssize_t format_len, PyObject *args,
                                         int use_bytearray);
/* bytes.fromhex(string), or bytearray.fromhex. */
PyAPI_FUNC(PyObject *) _PyBytes_FromHex(PyObject *string, int use_bytearray);
/* Like PyBytes_DecodeEscape; *first_invalid_escape is left at the first
 * unknown escape (or NULL) instead of a warning. */
PyAPI_FUNC(PyObject *) _PyBytes_DecodeEscape(const char *s, Py_ssize_t len, const char *errors,
                                             const char **first_invalid_escape);
/* sep.join(x). */
PyAPI_FUNC(PyObject *) _PyBytes_Join(PyObject *sep, PyObject *x);

/* A growing output buffer, on the stack while small. */
typedef struct {
    PyObject *buffer;
    Py_ssize_t allocated;
    Py_ssize_t min_size;
    int use_bytearray;
    int overallocate;
    int use_small_buffer;
    char small_buffer[512];
} _PyBytesWriter;

PyAPI_FUNC(void) _PyBytesWriter_Init(_PyBytesWriter *writer);
PyAPI_FUNC(PyObject *) _PyBytesWriter_Finish(_PyBytesWriter *writer, void *str);
PyAPI_FUNC(void) _PyBytesWriter_Dealloc(_PyBytesWriter *writer);
PyAPI_FUNC(void *) _PyBytesWriter_Alloc(_PyBytesWriter *writer, Py_ssize_t size);
PyAPI_FUNC(void *) _PyBytesWriter_Prepare(_PyBytesWriter *writer, void *str, Py_ssize_t size);
PyAPI_FUNC(void *) _PyBytesWriter_Resize(_PyBytesWriter *writer, void *str, Py_ssize_t size);
PyAPI_FUNC(void *) _PyBytesWriter_WriteBytes(_PyBytesWriter *writer, void *str, const void *bytes,
                                             Py_ssize_t size);

PyAPI_FUNC(PyObject *) PyByteArray_FromStringAndSize(const char *v, Py_ssize_t len);
PyAPI_DATA(PyTypeObject) PyByteArray_Type;
#define PyByteArray_Check(op) PyObject_TypeCheck((op), &PyByteArray_Type)
#define PyByteArray_CheckExact(op) Py_IS_TYPE((op), &PyByteArray_Type)

#endif
