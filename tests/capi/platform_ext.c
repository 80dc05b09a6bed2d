/* The platform headers: pyconfig.h values, pyport.h types and limits, the
 * pymacro.h helpers, and the numbers of opcode.h, token.h and errcode.h. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <locale.h>
#include <errcode.h>
#include <opcode.h>
#include <token.h>
#include <osdefs.h>
#include <pydtrace.h>
#include <dynamic_annotations.h>
#include <pymacconfig.h>

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>

/* Appends (name, value) to the list; steals value. */
static int
add(PyObject *list, const char *name, PyObject *value)
{
    if (value == NULL)
        return -1;
    PyObject *pair = Py_BuildValue("(sN)", name, value);
    if (pair == NULL)
        return -1;
    int r = PyList_Append(list, pair);
    Py_DECREF(pair);
    return r;
}

#define ADD_LONG(list, expr) \
    do { if (add((list), #expr, PyLong_FromLongLong((long long)(expr))) < 0) goto error; } while (0)
#define ADD_ULONG(list, expr) \
    do { if (add((list), #expr, PyLong_FromUnsignedLongLong((unsigned long long)(expr))) < 0) goto error; } while (0)
#define ADD_STR(list, expr) \
    do { if (add((list), #expr, PyUnicode_FromString(expr)) < 0) goto error; } while (0)

static PyObject *
config(PyObject *self, PyObject *noargs)
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
#ifdef HAVE_UNISTD_H
    if (add(list, "HAVE_UNISTD_H", PyLong_FromLong(HAVE_UNISTD_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_UNISTD_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_STDDEF_H
    if (add(list, "HAVE_STDDEF_H", PyLong_FromLong(HAVE_STDDEF_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_STDDEF_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_FCNTL_H
    if (add(list, "HAVE_FCNTL_H", PyLong_FromLong(HAVE_FCNTL_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_FCNTL_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_DLFCN_H
    if (add(list, "HAVE_DLFCN_H", PyLong_FromLong(HAVE_DLFCN_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_DLFCN_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_PTHREAD_H
    if (add(list, "HAVE_PTHREAD_H", PyLong_FromLong(HAVE_PTHREAD_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_PTHREAD_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_SYS_MMAN_H
    if (add(list, "HAVE_SYS_MMAN_H", PyLong_FromLong(HAVE_SYS_MMAN_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_SYS_MMAN_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_ENDIAN_H
    if (add(list, "HAVE_ENDIAN_H", PyLong_FromLong(HAVE_ENDIAN_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_ENDIAN_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_LANGINFO_H
    if (add(list, "HAVE_LANGINFO_H", PyLong_FromLong(HAVE_LANGINFO_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_LANGINFO_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_CLOCK_GETTIME
    if (add(list, "HAVE_CLOCK_GETTIME", PyLong_FromLong(HAVE_CLOCK_GETTIME + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_CLOCK_GETTIME", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_DLOPEN
    if (add(list, "HAVE_DLOPEN", PyLong_FromLong(HAVE_DLOPEN + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_DLOPEN", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_FORK
    if (add(list, "HAVE_FORK", PyLong_FromLong(HAVE_FORK + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_FORK", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_MMAP
    if (add(list, "HAVE_MMAP", PyLong_FromLong(HAVE_MMAP + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_MMAP", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_SIGACTION
    if (add(list, "HAVE_SIGACTION", PyLong_FromLong(HAVE_SIGACTION + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_SIGACTION", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_STD_ATOMIC
    if (add(list, "HAVE_STD_ATOMIC", PyLong_FromLong(HAVE_STD_ATOMIC + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_STD_ATOMIC", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_GCC_ASM_FOR_X64
    if (add(list, "HAVE_GCC_ASM_FOR_X64", PyLong_FromLong(HAVE_GCC_ASM_FOR_X64 + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_GCC_ASM_FOR_X64", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_BUILTIN_ATOMIC
    if (add(list, "HAVE_BUILTIN_ATOMIC", PyLong_FromLong(HAVE_BUILTIN_ATOMIC + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_BUILTIN_ATOMIC", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_COMPUTED_GOTOS
    if (add(list, "HAVE_COMPUTED_GOTOS", PyLong_FromLong(HAVE_COMPUTED_GOTOS + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_COMPUTED_GOTOS", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_DYNAMIC_LOADING
    if (add(list, "HAVE_DYNAMIC_LOADING", PyLong_FromLong(HAVE_DYNAMIC_LOADING + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_DYNAMIC_LOADING", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_LARGEFILE_SUPPORT
    if (add(list, "HAVE_LARGEFILE_SUPPORT", PyLong_FromLong(HAVE_LARGEFILE_SUPPORT + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_LARGEFILE_SUPPORT", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_WCHAR_H
    if (add(list, "HAVE_WCHAR_H", PyLong_FromLong(HAVE_WCHAR_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_WCHAR_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_UUID_H
    if (add(list, "HAVE_UUID_H", PyLong_FromLong(HAVE_UUID_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_UUID_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_ZLIB_COPY
    if (add(list, "HAVE_ZLIB_COPY", PyLong_FromLong(HAVE_ZLIB_COPY + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_ZLIB_COPY", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_LIBDL
    if (add(list, "HAVE_LIBDL", PyLong_FromLong(HAVE_LIBDL + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_LIBDL", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_SSIZE_T
    if (add(list, "HAVE_SSIZE_T", PyLong_FromLong(HAVE_SSIZE_T + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_SSIZE_T", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_PROTOTYPES
    if (add(list, "HAVE_PROTOTYPES", PyLong_FromLong(HAVE_PROTOTYPES + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_PROTOTYPES", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_STDARG_PROTOTYPES
    if (add(list, "HAVE_STDARG_PROTOTYPES", PyLong_FromLong(HAVE_STDARG_PROTOTYPES + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_STDARG_PROTOTYPES", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_LONG_DOUBLE
    if (add(list, "HAVE_LONG_DOUBLE", PyLong_FromLong(HAVE_LONG_DOUBLE + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_LONG_DOUBLE", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_ALLOCA_H
    if (add(list, "HAVE_ALLOCA_H", PyLong_FromLong(HAVE_ALLOCA_H + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_ALLOCA_H", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_GETRANDOM_SYSCALL
    if (add(list, "HAVE_GETRANDOM_SYSCALL", PyLong_FromLong(HAVE_GETRANDOM_SYSCALL + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_GETRANDOM_SYSCALL", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef HAVE_DECL_RTLD_NOW
    if (add(list, "HAVE_DECL_RTLD_NOW", PyLong_FromLong(HAVE_DECL_RTLD_NOW + 0)) < 0) goto error;
#else
    if (add(list, "HAVE_DECL_RTLD_NOW", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef WITH_THREAD
    if (add(list, "WITH_THREAD", PyLong_FromLong(WITH_THREAD + 0)) < 0) goto error;
#else
    if (add(list, "WITH_THREAD", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef WITH_PYMALLOC
    if (add(list, "WITH_PYMALLOC", PyLong_FromLong(WITH_PYMALLOC + 0)) < 0) goto error;
#else
    if (add(list, "WITH_PYMALLOC", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef WITH_DOC_STRINGS
    if (add(list, "WITH_DOC_STRINGS", PyLong_FromLong(WITH_DOC_STRINGS + 0)) < 0) goto error;
#else
    if (add(list, "WITH_DOC_STRINGS", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef Py_ENABLE_SHARED
    if (add(list, "Py_ENABLE_SHARED", PyLong_FromLong(Py_ENABLE_SHARED + 0)) < 0) goto error;
#else
    if (add(list, "Py_ENABLE_SHARED", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef Py_DEBUG
    if (add(list, "Py_DEBUG", PyLong_FromLong(Py_DEBUG + 0)) < 0) goto error;
#else
    if (add(list, "Py_DEBUG", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef Py_TRACE_REFS
    if (add(list, "Py_TRACE_REFS", PyLong_FromLong(Py_TRACE_REFS + 0)) < 0) goto error;
#else
    if (add(list, "Py_TRACE_REFS", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef WORDS_BIGENDIAN
    if (add(list, "WORDS_BIGENDIAN", PyLong_FromLong(WORDS_BIGENDIAN + 0)) < 0) goto error;
#else
    if (add(list, "WORDS_BIGENDIAN", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef MS_WINDOWS
    if (add(list, "MS_WINDOWS", PyLong_FromLong(MS_WINDOWS + 0)) < 0) goto error;
#else
    if (add(list, "MS_WINDOWS", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef ENABLE_IPV6
    if (add(list, "ENABLE_IPV6", PyLong_FromLong(ENABLE_IPV6 + 0)) < 0) goto error;
#else
    if (add(list, "ENABLE_IPV6", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef DOUBLE_IS_LITTLE_ENDIAN_IEEE754
    if (add(list, "DOUBLE_IS_LITTLE_ENDIAN_IEEE754", PyLong_FromLong(DOUBLE_IS_LITTLE_ENDIAN_IEEE754 + 0)) < 0) goto error;
#else
    if (add(list, "DOUBLE_IS_LITTLE_ENDIAN_IEEE754", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef DOUBLE_IS_BIG_ENDIAN_IEEE754
    if (add(list, "DOUBLE_IS_BIG_ENDIAN_IEEE754", PyLong_FromLong(DOUBLE_IS_BIG_ENDIAN_IEEE754 + 0)) < 0) goto error;
#else
    if (add(list, "DOUBLE_IS_BIG_ENDIAN_IEEE754", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef STDC_HEADERS
    if (add(list, "STDC_HEADERS", PyLong_FromLong(STDC_HEADERS + 0)) < 0) goto error;
#else
    if (add(list, "STDC_HEADERS", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef TIME_WITH_SYS_TIME
    if (add(list, "TIME_WITH_SYS_TIME", PyLong_FromLong(TIME_WITH_SYS_TIME + 0)) < 0) goto error;
#else
    if (add(list, "TIME_WITH_SYS_TIME", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef PY_SUPPORT_TIER
    if (add(list, "PY_SUPPORT_TIER", PyLong_FromLong(PY_SUPPORT_TIER + 0)) < 0) goto error;
#else
    if (add(list, "PY_SUPPORT_TIER", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef _GNU_SOURCE
    if (add(list, "_GNU_SOURCE", PyLong_FromLong(_GNU_SOURCE + 0)) < 0) goto error;
#else
    if (add(list, "_GNU_SOURCE", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef _REENTRANT
    if (add(list, "_REENTRANT", PyLong_FromLong(_REENTRANT + 0)) < 0) goto error;
#else
    if (add(list, "_REENTRANT", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef _LARGEFILE_SOURCE
    if (add(list, "_LARGEFILE_SOURCE", PyLong_FromLong(_LARGEFILE_SOURCE + 0)) < 0) goto error;
#else
    if (add(list, "_LARGEFILE_SOURCE", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef _XOPEN_SOURCE_EXTENDED
    if (add(list, "_XOPEN_SOURCE_EXTENDED", PyLong_FromLong(_XOPEN_SOURCE_EXTENDED + 0)) < 0) goto error;
#else
    if (add(list, "_XOPEN_SOURCE_EXTENDED", Py_NewRef(Py_None)) < 0) goto error;
#endif
#ifdef __BSD_VISIBLE
    if (add(list, "__BSD_VISIBLE", PyLong_FromLong(__BSD_VISIBLE + 0)) < 0) goto error;
#else
    if (add(list, "__BSD_VISIBLE", Py_NewRef(Py_None)) < 0) goto error;
#endif
    ADD_LONG(list, SIZEOF_INT);
    ADD_LONG(list, SIZEOF_LONG);
    ADD_LONG(list, SIZEOF_LONG_LONG);
    ADD_LONG(list, SIZEOF_VOID_P);
    ADD_LONG(list, SIZEOF_SIZE_T);
    ADD_LONG(list, SIZEOF_TIME_T);
    ADD_LONG(list, SIZEOF_WCHAR_T);
    ADD_LONG(list, SIZEOF_SHORT);
    ADD_LONG(list, SIZEOF_FLOAT);
    ADD_LONG(list, SIZEOF_DOUBLE);
    ADD_LONG(list, SIZEOF_LONG_DOUBLE);
    ADD_LONG(list, SIZEOF_OFF_T);
    ADD_LONG(list, SIZEOF_PID_T);
    ADD_LONG(list, SIZEOF_UINTPTR_T);
    ADD_LONG(list, SIZEOF_PTHREAD_T);
    ADD_LONG(list, SIZEOF_FPOS_T);
    ADD_LONG(list, SIZEOF__BOOL);
    ADD_LONG(list, ALIGNOF_LONG);
    ADD_LONG(list, ALIGNOF_SIZE_T);
    ADD_LONG(list, SIZEOF_PY_HASH_T);
    ADD_LONG(list, SIZEOF_PY_UHASH_T);
    ADD_LONG(list, PYLONG_BITS_IN_DIGIT);
    ADD_LONG(list, LONG_BIT);
    ADD_LONG(list, PY_BIG_ENDIAN);
    ADD_LONG(list, PY_LITTLE_ENDIAN);
    ADD_LONG(list, _FILE_OFFSET_BITS);
    ADD_LONG(list, _POSIX_C_SOURCE);
    ADD_LONG(list, _XOPEN_SOURCE);
    ADD_STR(list, PY_FORMAT_SIZE_T);
    ADD_STR(list, Py_STRINGIFY(RETSIGTYPE));
#if defined(WITH_THREAD) && defined(HAVE_LONG_LONG) && defined(Py_ENABLE_SHARED) && defined(WITH_DOC_STRINGS) \
    && defined(HAVE_DLOPEN) && defined(HAVE_CLOCK_GETTIME) && defined(HAVE_PTHREAD_H) && defined(HAVE_FCNTL_H) \
    && defined(HAVE_STDINT_H) && defined(HAVE_ERRNO_H) && defined(HAVE_SYS_TYPES_H) && defined(HAVE_MMAP) \
    && defined(HAVE_GCC_ASM_FOR_X64) && defined(DOUBLE_IS_LITTLE_ENDIAN_IEEE754) && defined(HAVE_STD_ATOMIC) \
    && defined(_GNU_SOURCE) && !defined(WORDS_BIGENDIAN) && !defined(MS_WINDOWS) && !defined(Py_DEBUG)
    ADD_LONG(list, 1);
#else
    ADD_LONG(list, 0);
#endif
    ADD_LONG(list, HAVE_DLOPEN + HAVE_FORK + HAVE_SIGACTION + HAVE_UNAME + HAVE_WAIT4 + HAVE_POLL_H);
    /* The feature-test macros were in force for the system headers. */
    ADD_LONG(list, sizeof(off_t));
    return list;
error:
    Py_DECREF(list);
    return NULL;
}

static PyObject *
limits(PyObject *self, PyObject *noargs)
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
    ADD_LONG(list, PY_SSIZE_T_MAX);
    ADD_LONG(list, PY_SSIZE_T_MIN);
    ADD_ULONG(list, PY_SIZE_MAX);
    ADD_ULONG(list, PY_DWORD_MAX);
    ADD_LONG(list, PY_LLONG_MAX);
    ADD_LONG(list, PY_LLONG_MIN);
    ADD_ULONG(list, PY_ULLONG_MAX);
    ADD_LONG(list, sizeof(Py_intptr_t));
    ADD_LONG(list, sizeof(Py_uintptr_t));
    ADD_LONG(list, sizeof(Py_ssize_t));
    ADD_LONG(list, sizeof(Py_hash_t));
    ADD_LONG(list, sizeof(Py_uhash_t));
    ADD_LONG(list, sizeof(PY_LONG_LONG));
    ADD_LONG(list, sizeof(PY_INT32_T) + sizeof(PY_UINT32_T) + sizeof(PY_INT64_T) + sizeof(PY_UINT64_T));
    ADD_LONG(list, sizeof(Py_UCS1) + sizeof(Py_UCS2) + sizeof(Py_UCS4));
    ADD_LONG(list, (Py_uintptr_t)-1 > 0);
    ADD_LONG(list, (Py_intptr_t)-1 < 0);
    ADD_LONG(list, Py_LL(-9000000000));
    ADD_ULONG(list, Py_ULL(18000000000000000000));
    ADD_LONG(list, Py_ARITHMETIC_RIGHT_SHIFT(long, -17L, 2));
    ADD_LONG(list, Py_ARITHMETIC_RIGHT_SHIFT(int, 17, 2));
    ADD_LONG(list, Py_SAFE_DOWNCAST((Py_ssize_t)300, Py_ssize_t, int));
    ADD_LONG(list, Py_HUGE_VAL > 1e308);
    ADD_LONG(list, Py_IS_INFINITY(Py_HUGE_VAL));
    return list;
error:
    Py_DECREF(list);
    return NULL;
}

struct sample { char c; double d; int arr[7]; };

Py_LOCAL_INLINE(int) local_inline_twice(int x) { return 2 * x; }
Py_LOCAL(int) local_thrice(int x) { return 3 * x; }
static int Py_NO_INLINE not_inlined(int x) { return x + 1; }
static int Py_GCC_ATTRIBUTE((unused)) gcc_attribute_used(int x) { return x; }
static Py_ALIGNED(16) char aligned_buffer[3];

static PyObject *
macros(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(noargs))
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
    static const short shorts[11] = {0};
    _Alignas(16) char buf[64];
    ADD_LONG(list, Py_MIN(3, -4));
    ADD_LONG(list, Py_MAX(3, -4));
    ADD_LONG(list, Py_MIN(2.5, 2) * 10);
    ADD_LONG(list, Py_ABS(-7));
    ADD_LONG(list, Py_ABS(7));
    ADD_STR(list, Py_STRINGIFY(PY_MAJOR_VERSION));
    ADD_STR(list, Py_STRINGIFY(abc + 1));
    ADD_LONG(list, Py_ARRAY_LENGTH(shorts));
    ADD_LONG(list, Py_MEMBER_SIZE(struct sample, arr));
    ADD_LONG(list, Py_MEMBER_SIZE(struct sample, d));
    ADD_LONG(list, Py_CHARMASK(-1));
    ADD_LONG(list, Py_CHARMASK(0x1234));
    ADD_LONG(list, Py_BUILD_ASSERT_EXPR(sizeof(int) == 4));
    Py_BUILD_ASSERT(sizeof(void *) == SIZEOF_VOID_P);
    ADD_LONG(list, _Py_SIZE_ROUND_DOWN(37, 8));
    ADD_LONG(list, _Py_SIZE_ROUND_UP(37, 8));
    ADD_LONG(list, _Py_SIZE_ROUND_UP(40, 8));
    ADD_LONG(list, (char *)_Py_ALIGN_UP(buf + 1, 8) - (char *)_Py_ALIGN_DOWN(buf + 1, 8));
    ADD_LONG(list, _Py_IS_ALIGNED(_Py_ALIGN_UP(buf + 3, 16), 16));
    ADD_LONG(list, _Py_IS_ALIGNED(aligned_buffer, 16));
    ADD_LONG(list, _Py_RVALUE(5) + 1);
    ADD_LONG(list, local_inline_twice(4) + local_thrice(5) + not_inlined(1));
    ADD_LONG(list, offsetof(struct sample, d));
    ADD_LONG(list, sizeof(PyDoc_STR("doc")));
    return list;
error:
    Py_DECREF(list);
    return NULL;
}

static PyObject *
numbers(PyObject *self, PyObject *noargs)
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
    /* errcode.h */
    ADD_LONG(list, E_OK);
    ADD_LONG(list, E_EOF);
    ADD_LONG(list, E_SYNTAX);
    ADD_LONG(list, E_NOMEM);
    ADD_LONG(list, E_DECODE);
    ADD_LONG(list, E_LINECONT);
    ADD_LONG(list, E_BADSINGLE);
    ADD_LONG(list, E_COLUMNOVERFLOW);
    /* opcode.h */
    ADD_LONG(list, CACHE);
    ADD_LONG(list, POP_TOP);
    ADD_LONG(list, HAVE_ARGUMENT);
    ADD_LONG(list, LOAD_CONST);
    ADD_LONG(list, LOAD_FAST);
    ADD_LONG(list, CALL);
    ADD_LONG(list, PRECALL);
    ADD_LONG(list, RESUME);
    ADD_LONG(list, RETURN_VALUE);
    ADD_LONG(list, YIELD_VALUE);
    ADD_LONG(list, EXTENDED_ARG);
    ADD_LONG(list, BINARY_OP);
    ADD_LONG(list, NB_ADD);
    ADD_LONG(list, NB_INPLACE_XOR);
    ADD_LONG(list, BINARY_OP_ADAPTIVE);
    ADD_LONG(list, LOAD_ATTR_ADAPTIVE);
    ADD_LONG(list, UNPACK_SEQUENCE_TWO_TUPLE);
    ADD_LONG(list, DO_TRACING);
    ADD_LONG(list, HAS_ARG(LOAD_CONST));
    ADD_LONG(list, HAS_ARG(POP_TOP));
    ADD_LONG(list, HAS_CONST(LOAD_CONST));
    ADD_LONG(list, HAS_CONST(LOAD_FAST));
    ADD_LONG(list, IS_ARTIFICIAL(241));
    ADD_LONG(list, IS_ARTIFICIAL(240));
    /* token.h */
    ADD_LONG(list, ENDMARKER);
    ADD_LONG(list, NAME);
    ADD_LONG(list, OP);
    ADD_LONG(list, TILDE);
    ADD_LONG(list, ELLIPSIS);
    ADD_LONG(list, COLONEQUAL);
    ADD_LONG(list, SOFT_KEYWORD);
    ADD_LONG(list, ERRORTOKEN);
    ADD_LONG(list, N_TOKENS);
    ADD_LONG(list, NT_OFFSET);
    ADD_LONG(list, ISTERMINAL(NAME));
    ADD_LONG(list, ISNONTERMINAL(NT_OFFSET + 1));
    ADD_LONG(list, ISEOF(ENDMARKER));
    ADD_LONG(list, ISWHITESPACE(DEDENT));
    ADD_LONG(list, ISWHITESPACE(NAME));
    /* osdefs.h */
    ADD_LONG(list, SEP);
    ADD_LONG(list, DELIM);
    ADD_LONG(list, MAXPATHLEN);
    /* pydtrace.h, dynamic_annotations.h: probes off, annotations empty. */
    PyDTrace_LINE("f", "g", 1);
    PyDTrace_GC_DONE(3);
    PyDTrace_AUDIT("event", NULL);
    ADD_LONG(list, PyDTrace_LINE_ENABLED() + PyDTrace_FUNCTION_ENTRY_ENABLED() + PyDTrace_GC_START_ENABLED()
                   + PyDTrace_AUDIT_ENABLED() + PyDTrace_IMPORT_FIND_LOAD_DONE_ENABLED());
    int shared = 5;
    _Py_ANNOTATE_HAPPENS_BEFORE(&shared);
    _Py_ANNOTATE_IGNORE_READS_BEGIN();
    _Py_ANNOTATE_BENIGN_RACE(&shared, "test");
    _Py_ANNOTATE_IGNORE_READS_END();
    ADD_LONG(list, _Py_ANNOTATE_UNPROTECTED_READ(shared));
    ADD_LONG(list, DYNAMIC_ANNOTATIONS_ENABLED);
    return list;
error:
    Py_DECREF(list);
    return NULL;
}

static PyObject *
versions(PyObject *self, PyObject *noargs)
{
    return Py_BuildValue("(iiiii)", PY_MAJOR_VERSION, PY_MINOR_VERSION, PY_RELEASE_LEVEL == PY_RELEASE_LEVEL_FINAL,
                         (int)(PY_VERSION_HEX >> 16), PY_VERSION_HEX >= 0x030B0000);
}

/* The C locale categories as the interpreter leaves them at start-up:
 * LC_CTYPE from the environment, the others "C". */
static PyObject *
start_locale(PyObject *self, PyObject *unused)
{
    const char *ctype = setlocale(LC_CTYPE, NULL);
    const char *numeric = setlocale(LC_NUMERIC, NULL);
    wchar_t wide[4] = {0};
    size_t n = mbstowcs(wide, "\xc3\xa9", 3);
    return Py_BuildValue("ssn", ctype ? ctype : "(null)", numeric ? numeric : "(null)", (Py_ssize_t)n);
}

static PyMethodDef methods[] = {
    {"start_locale", start_locale, METH_NOARGS, NULL},
    {"config", config, METH_NOARGS, NULL},
    {"limits", limits, METH_NOARGS, NULL},
    {"macros", macros, METH_NOARGS, NULL},
    {"numbers", numbers, METH_NOARGS, NULL},
    {"versions", versions, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "platform_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_platform_ext(void)
{
    return PyModule_Create(&module);
}
