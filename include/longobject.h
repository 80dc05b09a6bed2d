/* int. Proxies of ints carry CPython's digit representation (see
 * cpython/longintrepr.h), so code that reads ob_digit and Py_SIZE works; all
 * arithmetic goes through the functions below. */
#ifndef Py_LONGOBJECT_H
#define Py_LONGOBJECT_H
#define Py_CPYTHON_LONGOBJECT_H

typedef struct _longobject PyLongObject;

PyAPI_DATA(PyTypeObject) PyLong_Type;
#define PyLong_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_LONG_SUBCLASS)
#define PyLong_CheckExact(op) Py_IS_TYPE((op), &PyLong_Type)

PyAPI_FUNC(PyObject *) PyLong_FromLong(long v);
PyAPI_FUNC(PyObject *) PyLong_FromUnsignedLong(unsigned long v);
PyAPI_FUNC(PyObject *) PyLong_FromLongLong(long long v);
PyAPI_FUNC(PyObject *) PyLong_FromUnsignedLongLong(unsigned long long v);
PyAPI_FUNC(PyObject *) PyLong_FromSsize_t(Py_ssize_t v);
PyAPI_FUNC(PyObject *) PyLong_FromSize_t(size_t v);
PyAPI_FUNC(PyObject *) PyLong_FromDouble(double v);
PyAPI_FUNC(PyObject *) PyLong_FromString(const char *str, char **pend, int base);
PyAPI_FUNC(PyObject *) PyLong_FromUnicodeObject(PyObject *u, int base);
PyAPI_FUNC(PyObject *) PyLong_FromVoidPtr(void *p);
PyAPI_FUNC(void *) PyLong_AsVoidPtr(PyObject *obj);
PyAPI_FUNC(long) PyLong_AsLong(PyObject *obj);
/* The unchecked spelling; here (as in CPython) it is the checked function. */
#define PyLong_AS_LONG(op) PyLong_AsLong(op)
PyAPI_FUNC(long) PyLong_AsLongAndOverflow(PyObject *obj, int *overflow);
PyAPI_FUNC(long long) PyLong_AsLongLong(PyObject *obj);
PyAPI_FUNC(long long) PyLong_AsLongLongAndOverflow(PyObject *obj, int *overflow);
PyAPI_FUNC(Py_ssize_t) PyLong_AsSsize_t(PyObject *obj);
PyAPI_FUNC(size_t) PyLong_AsSize_t(PyObject *obj);
PyAPI_FUNC(unsigned long) PyLong_AsUnsignedLong(PyObject *obj);
PyAPI_FUNC(unsigned long) PyLong_AsUnsignedLongMask(PyObject *obj);
PyAPI_FUNC(unsigned long long) PyLong_AsUnsignedLongLong(PyObject *obj);
PyAPI_FUNC(unsigned long long) PyLong_AsUnsignedLongLongMask(PyObject *obj);
PyAPI_FUNC(double) PyLong_AsDouble(PyObject *obj);
/* sys.int_info. */
PyAPI_FUNC(PyObject *) PyLong_GetInfo(void);

/* pid_t is an int on the platforms the layer supports. */
#define _Py_PARSE_PID "i"
#define PyLong_FromPid PyLong_FromLong
#define PyLong_AsPid PyLong_AsLong
/* Pointers are as wide as long. */
#define _Py_PARSE_INTPTR "l"
#define _Py_PARSE_UINTPTR "k"

/* strtoul/strtol with Python's base rules (0x, 0o, 0b prefixes for base 0). */
PyAPI_FUNC(unsigned long) PyOS_strtoul(const char *str, char **ptr, int base);
PyAPI_FUNC(long) PyOS_strtol(const char *str, char **ptr, int base);

/* What CPython declares in Include/cpython/longobject.h. */
PyAPI_FUNC(int) _PyLong_AsInt(PyObject *obj);
/* O& converters: 1 on success, 0 with an exception set. */
PyAPI_FUNC(int) _PyLong_UnsignedShort_Converter(PyObject *obj, void *ptr);
PyAPI_FUNC(int) _PyLong_UnsignedInt_Converter(PyObject *obj, void *ptr);
PyAPI_FUNC(int) _PyLong_UnsignedLong_Converter(PyObject *obj, void *ptr);
PyAPI_FUNC(int) _PyLong_UnsignedLongLong_Converter(PyObject *obj, void *ptr);
PyAPI_FUNC(int) _PyLong_Size_t_Converter(PyObject *obj, void *ptr);
/* x with 0.5 <= |x| < 1 (or 0) and *e such that the int is about x * 2**e. */
PyAPI_FUNC(double) _PyLong_Frexp(PyLongObject *a, Py_ssize_t *e);
PyAPI_FUNC(PyObject *) _PyLong_FromBytes(const char *s, Py_ssize_t len, int base);
/* -1, 0 or 1. */
PyAPI_FUNC(int) _PyLong_Sign(PyObject *v);
/* Bits in |v| (0 for 0); (size_t)-1 with OverflowError if that does not fit. */
PyAPI_FUNC(size_t) _PyLong_NumBits(PyObject *v);
/* (q, r) with q the quotient a / b rounded half to even. */
PyAPI_FUNC(PyObject *) _PyLong_DivmodNear(PyObject *a, PyObject *b);
/* int.from_bytes / int.to_bytes on a C array of n bytes. */
PyAPI_FUNC(PyObject *) _PyLong_FromByteArray(const unsigned char *bytes, size_t n, int little_endian, int is_signed);
PyAPI_FUNC(int) _PyLong_AsByteArray(PyLongObject *v, unsigned char *bytes, size_t n, int little_endian, int is_signed);
/* bin(), oct(), str() or hex() of an int, by base. */
PyAPI_FUNC(PyObject *) _PyLong_Format(PyObject *obj, int base);
PyAPI_FUNC(PyObject *) _PyLong_GCD(PyObject *a, PyObject *b);
PyAPI_FUNC(PyObject *) _PyLong_Rshift(PyObject *a, size_t shiftby);
PyAPI_FUNC(PyObject *) _PyLong_Lshift(PyObject *a, size_t shiftby);

#endif
