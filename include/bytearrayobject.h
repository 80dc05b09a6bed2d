/* bytearray. The bytes live in the host bytearray; PyByteArray_AS_STRING
 * points into that storage (writable, NUL-terminated when the exporter can
 * grow), so C's writes are what Python reads. It stays valid until the
 * bytearray is resized, as in CPython. The struct's ob_size, ob_bytes and
 * ob_start follow the host each time the bytearray is handed to C and
 * after PyByteArray_Resize; the macros are calls, which are always current. */
#ifndef Py_BYTEARRAYOBJECT_H
#define Py_BYTEARRAYOBJECT_H
#define Py_CPYTHON_BYTEARRAYOBJECT_H

typedef struct {
    PyObject_VAR_HEAD
    Py_ssize_t ob_alloc;
    char *ob_bytes;
    char *ob_start;
    Py_ssize_t ob_exports;
} PyByteArrayObject;
#define _PyByteArray_CAST(op) ((PyByteArrayObject *)(op))

PyAPI_DATA(PyTypeObject) PyByteArray_Type;
PyAPI_DATA(PyTypeObject) PyByteArrayIter_Type;
/* An empty C string, the storage CPython reports for an empty bytearray. */
PyAPI_DATA(char) _PyByteArray_empty_string[];

#define PyByteArray_Check(op) PyObject_TypeCheck((op), &PyByteArray_Type)
#define PyByteArray_CheckExact(op) Py_IS_TYPE((op), &PyByteArray_Type)

PyAPI_FUNC(PyObject *) PyByteArray_FromObject(PyObject *o);
PyAPI_FUNC(PyObject *) PyByteArray_Concat(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) PyByteArray_FromStringAndSize(const char *v, Py_ssize_t len);
PyAPI_FUNC(Py_ssize_t) PyByteArray_Size(PyObject *bytearray);
PyAPI_FUNC(char *) PyByteArray_AsString(PyObject *bytearray);
PyAPI_FUNC(int) PyByteArray_Resize(PyObject *bytearray, Py_ssize_t len);

#define PyByteArray_AS_STRING(op) PyByteArray_AsString(_PyObject_CAST(op))
#define PyByteArray_GET_SIZE(op) PyByteArray_Size(_PyObject_CAST(op))

#endif
