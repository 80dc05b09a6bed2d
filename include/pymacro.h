/* Small helper macros: min/max, stringizing, compile-time checks, alignment. */
#ifndef Py_PYMACRO_H
#define Py_PYMACRO_H

/* C11 spells it _Static_assert; give the C++-style name to C code too, as
 * CPython's headers do, for compilers that have not defined it. */
#if !defined(static_assert) && !defined(__cplusplus) && defined(__STDC_VERSION__) \
    && __STDC_VERSION__ >= 201112L && __STDC_VERSION__ <= 201710L
#  define static_assert _Static_assert
#endif

#define Py_MIN(x, y) (((x) > (y)) ? (y) : (x))
#define Py_MAX(x, y) (((x) > (y)) ? (x) : (y))
#define Py_ABS(x) ((x) < 0 ? -(x) : (x))

/* Two levels, so a macro argument is expanded before it is quoted. */
#define _Py_XSTRINGIFY(x) #x
#define Py_STRINGIFY(x) _Py_XSTRINGIFY(x)

#define Py_MEMBER_SIZE(type, member) sizeof(((type *)0)->member)
#define Py_CHARMASK(c) ((unsigned char)((c) & 0xff))

/* An expression of value 0 that fails to compile when cond is false: an
 * array of negative size. */
#define Py_BUILD_ASSERT_EXPR(cond) (sizeof(char[(cond) ? 1 : -1]) - 1)
#define Py_BUILD_ASSERT(cond) do { (void)Py_BUILD_ASSERT_EXPR(cond); } while (0)

/* With GCC-compatible compilers, passing a pointer instead of an array is a
 * compile error (a pointer and &array[0] have the same type). */
#if defined(__GNUC__) && !defined(__STRICT_ANSI__) && !defined(__cplusplus)
#  define Py_ARRAY_LENGTH(array) \
     (sizeof(array) / sizeof((array)[0]) \
      + Py_BUILD_ASSERT_EXPR(!__builtin_types_compatible_p(__typeof__(array), __typeof__(&(array)[0]))))
#else
#  define Py_ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))
#endif

#define PyDoc_VAR(name) static const char name[]
#define PyDoc_STRVAR(name, str) PyDoc_VAR(name) = PyDoc_STR(str)
#ifdef WITH_DOC_STRINGS
#  define PyDoc_STR(str) str
#else
#  define PyDoc_STR(str) ""
#endif

/* Rounding of sizes and pointers to a power-of-two boundary a. */
#define _Py_SIZE_ROUND_DOWN(n, a) ((size_t)(n) & ~(size_t)((a) - 1))
#define _Py_SIZE_ROUND_UP(n, a) _Py_SIZE_ROUND_DOWN((size_t)(n) + (size_t)((a) - 1), a)
#define _Py_ALIGN_DOWN(p, a) ((void *)((uintptr_t)(p) & ~(uintptr_t)((a) - 1)))
#define _Py_ALIGN_UP(p, a) _Py_ALIGN_DOWN((uintptr_t)(p) + (uintptr_t)((a) - 1), a)
#define _Py_IS_ALIGNED(p, a) (((uintptr_t)(p) & (uintptr_t)((a) - 1)) == 0)

#if defined(__GNUC__) || defined(__clang__)
#  define Py_UNUSED(name) _unused_ ## name __attribute__((unused))
#  define Py_UNREACHABLE() __builtin_unreachable()
#else
#  define Py_UNUSED(name) _unused_ ## name
#  define Py_UNREACHABLE() Py_FatalError("Unreachable C code path reached")
#endif

/* The value of EXPR, usable only as an rvalue. */
#define _Py_RVALUE(EXPR) ((void)0, (EXPR))

#endif
