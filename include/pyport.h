/* Basic types and linkage macros shared by every header. */
#ifndef CPYEXT_PYPORT_H
#define CPYEXT_PYPORT_H

#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sys/types.h>

typedef ssize_t Py_ssize_t;
typedef Py_ssize_t Py_hash_t;
typedef size_t Py_uhash_t;
typedef int Py_ssize_clean_t;
typedef uint32_t Py_UCS4;
typedef uint16_t Py_UCS2;
typedef uint8_t Py_UCS1;

#define PY_SSIZE_T_MAX ((Py_ssize_t)(((size_t)-1) >> 1))
#define PY_SSIZE_T_MIN (-PY_SSIZE_T_MAX - 1)
#define SIZEOF_VOID_P 8
#define SIZEOF_SIZE_T 8
#define SIZEOF_LONG 8
#define SIZEOF_LONG_LONG 8
#define SIZEOF_INT 4
#define SIZEOF_WCHAR_T 4

#ifdef __cplusplus
#  define PyMODINIT_FUNC extern "C" __attribute__((visibility("default"))) PyObject *
#  define CPYEXT_EXTERN_C extern "C"
#else
#  define PyMODINIT_FUNC __attribute__((visibility("default"))) PyObject *
#  define CPYEXT_EXTERN_C extern
#endif
#define PyAPI_FUNC(RTYPE) CPYEXT_EXTERN_C RTYPE
#define PyAPI_DATA(RTYPE) CPYEXT_EXTERN_C RTYPE

#define Py_LOCAL(type) static type
#define Py_LOCAL_INLINE(type) static inline type
#define Py_ALWAYS_INLINE __attribute__((always_inline))
#define Py_UNUSED(name) _unused_ ## name __attribute__((unused))
#define Py_GCC_ATTRIBUTE(x) __attribute__(x)
#define Py_DEPRECATED(VERSION) __attribute__((__deprecated__))
#define _Py_NO_RETURN __attribute__((__noreturn__))
#define Py_ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))
#define Py_MIN(x, y) (((x) > (y)) ? (y) : (x))
#define Py_MAX(x, y) (((x) > (y)) ? (x) : (y))
#define Py_ABS(x) ((x) < 0 ? -(x) : (x))
#define Py_CHARMASK(c) ((unsigned char)((c) & 0xff))
#define Py_STRINGIFY(x) _Py_XSTRINGIFY(x)
#define _Py_XSTRINGIFY(x) #x
#define _Py_CAST(type, expr) ((type)(expr))
#define _PyObject_CAST(op) ((PyObject *)(op))
#define _PyVarObject_CAST(op) ((PyVarObject *)(op))
#define Py_SAFE_DOWNCAST(VALUE, WIDE, NARROW) ((NARROW)(VALUE))
#define Py_MEMCPY memcpy
#define Py_FORCE_EXPANSION(X) X
#define PyDoc_VAR(name) static const char name[]
#define PyDoc_STRVAR(name, str) PyDoc_VAR(name) = PyDoc_STR(str)
#define PyDoc_STR(str) str
#define Py_BUILD_ASSERT(cond) ((void)sizeof(char[1 - 2 * !(cond)]))
#define Py_UNREACHABLE() __builtin_unreachable()
#define _Py_HOT_FUNCTION __attribute__((hot))
#define Py_LL(x) x##LL
#define Py_ULL(x) Py_LL(x##U)

#define PY_LONG_LONG long long
#define PY_LLONG_MIN LLONG_MIN
#define PY_LLONG_MAX LLONG_MAX
#define PY_ULLONG_MAX ULLONG_MAX
#define HAVE_LONG_LONG 1
#define PY_UINT32_T uint32_t
#define PY_UINT64_T uint64_t
#define PY_INT32_T int32_t
#define PY_INT64_T int64_t

#endif
