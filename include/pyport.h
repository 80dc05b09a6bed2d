/* Basic types, limits and linkage macros shared by every header. */
#ifndef Py_PYPORT_H
#define Py_PYPORT_H

/* Names CPython added after 3.11 (PyErr_GetRaisedException, PyType_FromMetaclass,
 * PyCFunctionFast...). These headers present 3.11, whose own headers do not
 * declare them, and code written for several versions defines its own
 * fallbacks under PY_VERSION_HEX < 0x030C0000, which a declaration here
 * would clash with. So they are declared only for code that asks for the
 * 3.12 limited API, or defines CPYEXT_NEWER_API; the layer exports them
 * either way. */
#if (defined(Py_LIMITED_API) && Py_LIMITED_API + 0 >= 0x030C0000) || defined(CPYEXT_NEWER_API)
#  define _CPYEXT_NEWER_API 1
#else
#  define _CPYEXT_NEWER_API 0
#endif

/* The limited API of 3.12 or later cannot be had from headers that present
 * 3.11, and code that asks for it checks PY_VERSION_HEX and stops (nanobind's
 * STABLE_ABI, which CMake turns on because the interpreter it asks is the
 * host's 3.14). The request is dropped: such code gets the full 3.11 API, of
 * which the limited one is a subset at the source level, plus the names
 * above. The module carries our ABI tag as any other (docs/differences.md). */
#if defined(Py_LIMITED_API) && Py_LIMITED_API + 0 >= 0x030C0000
#  undef Py_LIMITED_API
#endif

#include "pyconfig.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <ctype.h>
#include <wctype.h>

/* ---- Integer types ---- */
typedef intptr_t Py_intptr_t;
typedef uintptr_t Py_uintptr_t;
typedef ssize_t Py_ssize_t;
typedef Py_ssize_t Py_hash_t;
typedef size_t Py_uhash_t;
typedef Py_ssize_t Py_ssize_clean_t;
typedef uint32_t Py_UCS4;
typedef uint16_t Py_UCS2;
typedef uint8_t Py_UCS1;

#define SIZEOF_PY_HASH_T SIZEOF_SIZE_T
#define SIZEOF_PY_UHASH_T SIZEOF_SIZE_T

#define PY_SSIZE_T_MAX ((Py_ssize_t)(((size_t)-1) >> 1))
#define PY_SSIZE_T_MIN (-PY_SSIZE_T_MAX - 1)
#define PY_SIZE_MAX SIZE_MAX
#define PY_DWORD_MAX 4294967295U

#define HAVE_LONG_LONG 1
#define PY_LONG_LONG long long
#define PY_LLONG_MIN LLONG_MIN
#define PY_LLONG_MAX LLONG_MAX
#define PY_ULLONG_MAX ULLONG_MAX
#define Py_LL(x) x##LL
#define Py_ULL(x) Py_LL(x##U)

#define PY_UINT32_T uint32_t
#define PY_UINT64_T uint64_t
#define PY_INT32_T int32_t
#define PY_INT64_T int64_t

/* The size of a PyLong digit on 64-bit platforms (see longintrepr.h). */
#ifndef PYLONG_BITS_IN_DIGIT
#  define PYLONG_BITS_IN_DIGIT 30
#endif

#ifndef LONG_BIT
#  define LONG_BIT (8 * SIZEOF_LONG)
#endif

#ifdef WORDS_BIGENDIAN
#  define PY_BIG_ENDIAN 1
#  define PY_LITTLE_ENDIAN 0
#else
#  define PY_BIG_ENDIAN 0
#  define PY_LITTLE_ENDIAN 1
#endif

/* Threads are always available (kept for code that still tests it). */
#define WITH_THREAD

/* ---- Casts and small helpers ---- */
#define _Py_CAST(type, expr) ((type)(expr))
#define _Py_STATIC_CAST(type, expr) ((type)(expr))
#ifdef __cplusplus
#  define _Py_NULL nullptr
#else
#  define _Py_NULL NULL
#endif
#define _PyObject_CAST(op) ((PyObject *)(op))
#define _PyVarObject_CAST(op) ((PyVarObject *)(op))

/* Narrowing conversion; CPython checks it only in debug builds. */
#define Py_SAFE_DOWNCAST(VALUE, WIDE, NARROW) ((NARROW)(VALUE))

/* Right shift that sign-extends: compilers targeting this platform already
 * shift signed values arithmetically. */
#define Py_ARITHMETIC_RIGHT_SHIFT(TYPE, I, J) ((I) >> (J))

#define Py_MEMCPY memcpy
#define Py_VA_COPY va_copy
#define Py_FORCE_EXPANSION(X) X

/* ---- Compiler attributes ---- */
#define Py_LOCAL(type) static type
#define Py_LOCAL_INLINE(type) static inline type
#define Py_ALWAYS_INLINE __attribute__((always_inline))
#define Py_NO_INLINE __attribute__((noinline))
#define Py_GCC_ATTRIBUTE(x) __attribute__(x)
#ifdef __cplusplus
/* In C++ PyAPI_FUNC begins with extern "C", before which no attribute may
 * stand: g++ would warn at every deprecated declaration. */
#  define Py_DEPRECATED(VERSION_UNUSED)
#else
#  define Py_DEPRECATED(VERSION_UNUSED) __attribute__((__deprecated__))
#endif
#define Py_ALIGNED(x) __attribute__((aligned(x)))
#define _Py_NO_RETURN __attribute__((__noreturn__))
#define _Py_HOT_FUNCTION __attribute__((hot))
#ifdef __has_builtin
#  define _Py__has_builtin(x) __has_builtin(x)
#else
#  define _Py__has_builtin(x) 0
#endif

/* Silencing deprecation warnings around code that must use deprecated API. */
#if defined(__clang__)
#  define _Py_COMP_DIAG_PUSH _Pragma("clang diagnostic push")
#  define _Py_COMP_DIAG_IGNORE_DEPR_DECLS _Pragma("clang diagnostic ignored \"-Wdeprecated-declarations\"")
#  define _Py_COMP_DIAG_POP _Pragma("clang diagnostic pop")
#elif defined(__GNUC__)
#  define _Py_COMP_DIAG_PUSH _Pragma("GCC diagnostic push")
#  define _Py_COMP_DIAG_IGNORE_DEPR_DECLS _Pragma("GCC diagnostic ignored \"-Wdeprecated-declarations\"")
#  define _Py_COMP_DIAG_POP _Pragma("GCC diagnostic pop")
#else
#  define _Py_COMP_DIAG_PUSH
#  define _Py_COMP_DIAG_IGNORE_DEPR_DECLS
#  define _Py_COMP_DIAG_POP
#endif

/* Py_HUGE_VAL is deprecated in CPython in favour of HUGE_VAL; both work. */
#ifndef Py_HUGE_VAL
#  define Py_HUGE_VAL HUGE_VAL
#endif

/* A stdlib-style module built on its own (backports.zstd) defines
 * Py_BUILD_CORE_MODULE and checks for Py_BUILD_CORE, as in CPython. */
#if (defined(Py_BUILD_CORE_BUILTIN) || defined(Py_BUILD_CORE_MODULE)) && !defined(Py_BUILD_CORE)
#  define Py_BUILD_CORE
#endif

/* ---- Linkage ---- */
#include "exports.h"

/* C linkage for C++ comes from an extern "C" block around the declarations
 * (Python.h opens one after the system headers; headers it does not include
 * open their own), not from PyAPI_FUNC: C++ code may write PyAPI_FUNC inside
 * a function body (pythoncapi_compat.h does), where a linkage string is not
 * allowed. */
#ifdef __cplusplus
#  define _CPYEXT_BEGIN_C_DECLS extern "C" {
#  define _CPYEXT_END_C_DECLS }
#  define PyMODINIT_FUNC extern "C" Py_EXPORTED_SYMBOL PyObject *
#else
#  define _CPYEXT_BEGIN_C_DECLS
#  define _CPYEXT_END_C_DECLS
#  define PyMODINIT_FUNC Py_EXPORTED_SYMBOL PyObject *
#endif
#define PyAPI_FUNC(RTYPE) Py_IMPORTED_SYMBOL RTYPE
#define PyAPI_DATA(RTYPE) extern Py_IMPORTED_SYMBOL RTYPE

/* ---- Cython configuration presets ----
 * Cython's generated C reaches into CPython internals unless told otherwise
 * by its CYTHON_* macros. Where this layer's objects do not have the layout
 * an internal path needs, the macro is preset to 0 so Cython takes its
 * portable path through the public API. Each preset is listed in
 * docs/differences.md; an extension may still override any of them. */
#ifndef CPYEXT_NO_CYTHON_PRESETS
/* List proxies have no ob_item array or allocated field. */
#  ifndef CYTHON_USE_PYLIST_INTERNALS
#    define CYTHON_USE_PYLIST_INTERNALS 0
#  endif
/* Int proxies carry no digits (ob_digit, Py_SIZE as digit count). */
#  ifndef CYTHON_USE_PYLONG_INTERNALS
#    define CYTHON_USE_PYLONG_INTERNALS 0
#  endif
/* A str proxy's cached hash is not maintained, and Cython compares it. */
#  ifndef CYTHON_USE_UNICODE_INTERNALS
#    define CYTHON_USE_UNICODE_INTERNALS 0
#  endif
/* A dict's ma_version_tag does not follow changes made from Python. */
#  ifndef CYTHON_USE_DICT_VERSIONS
#    define CYTHON_USE_DICT_VERSIONS 0
#  endif
/* PyThreadState is opaque: no curexc_* or exc_info fields to read. */
#  ifndef CYTHON_FAST_THREAD_STATE
#    define CYTHON_FAST_THREAD_STATE 0
#  endif
#  ifndef CYTHON_USE_EXC_INFO_STACK
#    define CYTHON_USE_EXC_INFO_STACK 0
#  endif
/* The fast `with gil` path reads the thread state's gilstate_counter. */
#  ifndef CYTHON_FAST_GIL
#    define CYTHON_FAST_GIL 0
#  endif
/* Under the safe macros Cython takes Py_SIZE() of a list when unpacking,
 * and list proxies have no ob_size. */
#  ifndef CYTHON_ASSUME_SAFE_MACROS
#    define CYTHON_ASSUME_SAFE_MACROS 0
#  endif
/* Profiling and line tracing write CPython's frame and tracing state. */
#  ifndef CYTHON_PROFILE
#    define CYTHON_PROFILE 0
#  endif
#  ifndef CYTHON_TRACE
#    define CYTHON_TRACE 0
#  endif
#endif

/* Defined when the compiler instruments the build for AddressSanitizer or
 * MemorySanitizer; extensions test them to annotate their own code. */
#if defined(__has_feature)
#  if __has_feature(address_sanitizer) && !defined(_Py_ADDRESS_SANITIZER)
#    define _Py_ADDRESS_SANITIZER
#  endif
#  if __has_feature(memory_sanitizer) && !defined(_Py_MEMORY_SANITIZER)
#    define _Py_MEMORY_SANITIZER
#  endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(_Py_ADDRESS_SANITIZER)
#  define _Py_ADDRESS_SANITIZER
#endif

#endif
