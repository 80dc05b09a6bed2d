/* bytes. A proxy carries a NUL-terminated copy of the data, laid out as in
 * CPython, so PyBytes_AS_STRING reads it inline. Bytes made in C with a NULL
 * buffer may be filled in place until they first cross into Python. */
#ifndef CPYEXT_BYTESOBJECT_H
#define CPYEXT_BYTESOBJECT_H

typedef struct {
    PyObject_VAR_HEAD
    Py_hash_t ob_shash;
    char ob_sval[1];
} PyBytesObject;

PyAPI_DATA(PyTypeObject) PyBytes_Type;
#define PyBytes_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_BYTES_SUBCLASS)
#define PyBytes_CheckExact(op) Py_IS_TYPE((op), &PyBytes_Type)
#define PyBytes_AS_STRING(op) (((PyBytesObject *)(op))->ob_sval)
#define PyBytes_GET_SIZE(op) Py_SIZE(op)

PyAPI_FUNC(PyObject *) PyBytes_FromString(const char *v);
PyAPI_FUNC(PyObject *) PyBytes_FromStringAndSize(const char *v, Py_ssize_t len);
PyAPI_FUNC(char *) PyBytes_AsString(PyObject *o);
PyAPI_FUNC(int) PyBytes_AsStringAndSize(PyObject *obj, char **buffer, Py_ssize_t *length);
PyAPI_FUNC(Py_ssize_t) PyBytes_Size(PyObject *o);
/* Only for bytes that C is still filling (count 1, not yet seen by Python). */
PyAPI_FUNC(int) _PyBytes_Resize(PyObject **bytes, Py_ssize_t newsize);
PyAPI_FUNC(PyObject *) PyByteArray_FromStringAndSize(const char *v, Py_ssize_t len);

PyAPI_DATA(PyTypeObject) PyByteArray_Type;
#define PyByteArray_Check(op) PyObject_TypeCheck((op), &PyByteArray_Type)
#define PyByteArray_CheckExact(op) Py_IS_TYPE((op), &PyByteArray_Type)

#endif
