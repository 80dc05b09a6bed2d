/* Code objects. They are the host's, compiled for RustPython's virtual
 * machine; the fields of PyCodeObject that describe the code (counts,
 * flags, first line, file and names) are filled in when the object first
 * crosses into C and never change afterwards, as code objects are
 * immutable. The bytecode fields are not CPython bytecode and stay NULL. */
#ifndef Py_CODE_H
#define Py_CODE_H
/* The names of CPython's cpython/code.h live in this file too. */
#define Py_CPYTHON_CODE_H

typedef struct PyCodeObject PyCodeObject;

/* One instruction of CPython's bytecode: opcode in the low byte, argument
 * in the high byte (little-endian hosts only, like the rest of cpyext). */
typedef uint16_t _Py_CODEUNIT;
#define _Py_OPCODE(word) ((word) & 255)
#define _Py_OPARG(word) ((word) >> 8)
#define _Py_MAKECODEUNIT(opcode, oparg) ((opcode) | ((oparg) << 8))

/* CPython 3.11's field order. */
struct PyCodeObject {
    PyObject_VAR_HEAD
    PyObject *co_consts;          /* NULL here */
    PyObject *co_names;           /* NULL here */
    PyObject *co_exceptiontable;  /* NULL here */
    int co_flags;
    short co_warmup;
    short _co_linearray_entry_size;
    int co_argcount;
    int co_posonlyargcount;
    int co_kwonlyargcount;
    int co_stacksize;
    int co_firstlineno;
    int co_nlocalsplus;
    int co_nlocals;
    int co_nplaincellvars;
    int co_ncellvars;
    int co_nfreevars;
    PyObject *co_localsplusnames; /* NULL here */
    PyObject *co_localspluskinds; /* NULL here */
    PyObject *co_filename;        /* str, never freed */
    PyObject *co_name;            /* str, never freed */
    PyObject *co_qualname;        /* str, never freed */
    PyObject *co_linetable;       /* NULL here */
    PyObject *co_weakreflist;
    PyObject *_co_code;
    char *_co_linearray;
    int _co_firsttraceable;
    void *co_extra;
    char co_code_adaptive[1];
};

/* co_flags bits. */
#define CO_OPTIMIZED 0x0001
#define CO_NEWLOCALS 0x0002
#define CO_VARARGS 0x0004
#define CO_VARKEYWORDS 0x0008
#define CO_NESTED 0x0010
#define CO_GENERATOR 0x0020
#define CO_COROUTINE 0x0080
#define CO_ITERABLE_COROUTINE 0x0100
#define CO_ASYNC_GENERATOR 0x0200
/* __future__ flags (shared with the PyCF_ compiler flags' numbering). */
#define CO_FUTURE_DIVISION 0x20000
#define CO_FUTURE_ABSOLUTE_IMPORT 0x40000
#define CO_FUTURE_WITH_STATEMENT 0x80000
#define CO_FUTURE_PRINT_FUNCTION 0x100000
#define CO_FUTURE_UNICODE_LITERALS 0x200000
#define CO_FUTURE_BARRY_AS_BDFL 0x400000
#define CO_FUTURE_GENERATOR_STOP 0x800000
#define CO_FUTURE_ANNOTATIONS 0x1000000
#define PY_PARSER_REQUIRES_FUTURE_KEYWORD
#define CO_MAXBLOCKS 20

PyAPI_DATA(PyTypeObject) PyCode_Type;
#define PyCode_Check(op) Py_IS_TYPE((op), &PyCode_Type)
#define PyCode_GetNumFree(op) ((op)->co_nfreevars)

/* New code objects. The bytecode argument is ignored (CPython bytecode
 * cannot run here): the object runs like `pass`, which is what extensions
 * that make code objects for introspection and tracebacks (Cython) need.
 * Everything else (counts, flags, names, constants, file, lines) is kept. */
PyAPI_FUNC(PyCodeObject *) PyCode_New(int argcount, int kwonlyargcount, int nlocals, int stacksize, int flags,
                                      PyObject *code, PyObject *consts, PyObject *names, PyObject *varnames,
                                      PyObject *freevars, PyObject *cellvars, PyObject *filename, PyObject *name,
                                      PyObject *qualname, int firstlineno, PyObject *linetable,
                                      PyObject *exceptiontable);
PyAPI_FUNC(PyCodeObject *) PyCode_NewWithPosOnlyArgs(int argcount, int posonlyargcount, int kwonlyargcount,
                                                     int nlocals, int stacksize, int flags, PyObject *code,
                                                     PyObject *consts, PyObject *names, PyObject *varnames,
                                                     PyObject *freevars, PyObject *cellvars, PyObject *filename,
                                                     PyObject *name, PyObject *qualname, int firstlineno,
                                                     PyObject *linetable, PyObject *exceptiontable);
/* A code object that does nothing, for a traceback entry at
 * filename:firstlineno in funcname. */
PyAPI_FUNC(PyCodeObject *) PyCode_NewEmpty(const char *filename, const char *funcname, int firstlineno);

/* The line of the instruction at byte offset addrq (-1 if none). */
PyAPI_FUNC(int) PyCode_Addr2Line(PyCodeObject *code, int addrq);
PyAPI_FUNC(int) PyCode_Addr2Location(PyCodeObject *code, int addrq, int *start_line, int *start_column,
                                     int *end_line, int *end_column);

/* Walking the line table (CPython's own bookkeeping, declared for the
 * layout of the struct). */
struct _opaque {
    int computed_line;
    const uint8_t *lo_next;
    const uint8_t *limit;
};
typedef struct _line_offsets {
    int ar_start;
    int ar_end;
    int ar_line;
    struct _opaque opaque;
} PyCodeAddressRange;

/* Returns `code` itself: RustPython's compiler has already optimised it. */
PyAPI_FUNC(PyObject *) PyCode_Optimize(PyObject *code, PyObject *consts, PyObject *names, PyObject *lnotab);

/* New references, as the attributes co_code, co_varnames, co_cellvars and
 * co_freevars. co_code is the host's bytecode, not CPython's. */
PyAPI_FUNC(PyObject *) PyCode_GetCode(PyCodeObject *code);
PyAPI_FUNC(PyObject *) PyCode_GetVarnames(PyCodeObject *code);
PyAPI_FUNC(PyObject *) PyCode_GetCellvars(PyCodeObject *code);
PyAPI_FUNC(PyObject *) PyCode_GetFreevars(PyCodeObject *code);

/* C data kept with a code object under an index from
 * _PyEval_RequestCodeExtraIndex; the index's free function gets a value
 * that is replaced, and every value left when the code object dies. */
PyAPI_FUNC(int) _PyCode_GetExtra(PyObject *code, Py_ssize_t index, void **extra);
PyAPI_FUNC(int) _PyCode_SetExtra(PyObject *code, Py_ssize_t index, void *extra);
/* New reference: the key under which the compiler files a constant
 * (telling apart types and negative zeros). */
PyAPI_FUNC(PyObject *) _PyCode_ConstantKey(PyObject *obj);

/* The kinds of entry in CPython's location table. */
typedef enum _PyCodeLocationInfoKind {
    PY_CODE_LOCATION_INFO_SHORT0 = 0,
    PY_CODE_LOCATION_INFO_ONE_LINE0 = 10,
    PY_CODE_LOCATION_INFO_ONE_LINE1 = 11,
    PY_CODE_LOCATION_INFO_ONE_LINE2 = 12,
    PY_CODE_LOCATION_INFO_NO_COLUMNS = 13,
    PY_CODE_LOCATION_INFO_LONG = 14,
    PY_CODE_LOCATION_INFO_NONE = 15
} _PyCodeLocationInfoKind;

#endif
