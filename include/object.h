/* Objects, type objects and reference counting.
 *
 * Every PyObject* that C sees is either a proxy the layer made for a host
 * (RustPython) object or memory C allocated through the API; both start with
 * ob_refcnt and ob_type, laid out as in CPython. */
#ifndef Py_OBJECT_H
#define Py_OBJECT_H
#define Py_CPYTHON_OBJECT_H

typedef struct _object {
    Py_ssize_t ob_refcnt;
    struct _typeobject *ob_type;
} PyObject;

typedef struct {
    PyObject ob_base;
    Py_ssize_t ob_size;
} PyVarObject;

typedef struct _typeobject PyTypeObject;
#define _PyType_CAST(op) ((PyTypeObject *)(op))

#define PyObject_HEAD PyObject ob_base;
#define PyObject_VAR_HEAD PyVarObject ob_base;
#define _PyObject_EXTRA_INIT
/* The extra header fields of CPython's reference-tracing builds; none here. */
#define _PyObject_HEAD_EXTRA
/* Objects the layer owns statically use this count so that they never die. */
#define _Py_IMMORTAL_REFCNT ((Py_ssize_t)1 << 60)
#define PyObject_HEAD_INIT(type) { 1, (type) },
#define PyVarObject_HEAD_INIT(type, size) { { 1, (type) }, (size) },

/* Function pointer types used by type slots. */
typedef PyObject *(*unaryfunc)(PyObject *);
typedef PyObject *(*binaryfunc)(PyObject *, PyObject *);
typedef PyObject *(*ternaryfunc)(PyObject *, PyObject *, PyObject *);
typedef int (*inquiry)(PyObject *);
typedef Py_ssize_t (*lenfunc)(PyObject *);
typedef PyObject *(*ssizeargfunc)(PyObject *, Py_ssize_t);
typedef PyObject *(*ssizessizeargfunc)(PyObject *, Py_ssize_t, Py_ssize_t);
typedef int (*ssizeobjargproc)(PyObject *, Py_ssize_t, PyObject *);
typedef int (*ssizessizeobjargproc)(PyObject *, Py_ssize_t, Py_ssize_t, PyObject *);
typedef int (*objobjargproc)(PyObject *, PyObject *, PyObject *);
typedef int (*objobjproc)(PyObject *, PyObject *);
typedef int (*visitproc)(PyObject *, void *);
typedef int (*traverseproc)(PyObject *, visitproc, void *);
typedef void (*freefunc)(void *);
typedef void (*destructor)(PyObject *);
typedef PyObject *(*getattrfunc)(PyObject *, char *);
typedef PyObject *(*getattrofunc)(PyObject *, PyObject *);
typedef int (*setattrfunc)(PyObject *, char *, PyObject *);
typedef int (*setattrofunc)(PyObject *, PyObject *, PyObject *);
typedef PyObject *(*reprfunc)(PyObject *);
typedef Py_hash_t (*hashfunc)(PyObject *);
typedef PyObject *(*richcmpfunc)(PyObject *, PyObject *, int);
typedef PyObject *(*getiterfunc)(PyObject *);
typedef PyObject *(*iternextfunc)(PyObject *);
typedef PyObject *(*descrgetfunc)(PyObject *, PyObject *, PyObject *);
typedef int (*descrsetfunc)(PyObject *, PyObject *, PyObject *);
typedef int (*initproc)(PyObject *, PyObject *, PyObject *);
typedef PyObject *(*newfunc)(PyTypeObject *, PyObject *, PyObject *);
typedef PyObject *(*allocfunc)(PyTypeObject *, Py_ssize_t);
typedef PyObject *(*vectorcallfunc)(PyObject *callable, PyObject *const *args,
                                    size_t nargsf, PyObject *kwnames);

typedef enum { PYGEN_RETURN = 0, PYGEN_ERROR = -1, PYGEN_NEXT = 1 } PySendResult;
typedef PySendResult (*sendfunc)(PyObject *iter, PyObject *value, PyObject **result);
/* tp_print is gone since 3.8; its slot is tp_vectorcall_offset. printfunc
 * names that slot's type, so old initializers with "(printfunc)0" there
 * still compile, in C++ too (SWIG's -builtin output). */
typedef Py_ssize_t printfunc;

#include "pybuffer.h"

typedef struct {
    binaryfunc nb_add;
    binaryfunc nb_subtract;
    binaryfunc nb_multiply;
    binaryfunc nb_remainder;
    binaryfunc nb_divmod;
    ternaryfunc nb_power;
    unaryfunc nb_negative;
    unaryfunc nb_positive;
    unaryfunc nb_absolute;
    inquiry nb_bool;
    unaryfunc nb_invert;
    binaryfunc nb_lshift;
    binaryfunc nb_rshift;
    binaryfunc nb_and;
    binaryfunc nb_xor;
    binaryfunc nb_or;
    unaryfunc nb_int;
    void *nb_reserved;
    unaryfunc nb_float;
    binaryfunc nb_inplace_add;
    binaryfunc nb_inplace_subtract;
    binaryfunc nb_inplace_multiply;
    binaryfunc nb_inplace_remainder;
    ternaryfunc nb_inplace_power;
    binaryfunc nb_inplace_lshift;
    binaryfunc nb_inplace_rshift;
    binaryfunc nb_inplace_and;
    binaryfunc nb_inplace_xor;
    binaryfunc nb_inplace_or;
    binaryfunc nb_floor_divide;
    binaryfunc nb_true_divide;
    binaryfunc nb_inplace_floor_divide;
    binaryfunc nb_inplace_true_divide;
    unaryfunc nb_index;
    binaryfunc nb_matrix_multiply;
    binaryfunc nb_inplace_matrix_multiply;
} PyNumberMethods;

typedef struct {
    lenfunc sq_length;
    binaryfunc sq_concat;
    ssizeargfunc sq_repeat;
    ssizeargfunc sq_item;
    void *was_sq_slice;
    ssizeobjargproc sq_ass_item;
    void *was_sq_ass_slice;
    objobjproc sq_contains;
    binaryfunc sq_inplace_concat;
    ssizeargfunc sq_inplace_repeat;
} PySequenceMethods;

typedef struct {
    lenfunc mp_length;
    binaryfunc mp_subscript;
    objobjargproc mp_ass_subscript;
} PyMappingMethods;

typedef struct {
    unaryfunc am_await;
    unaryfunc am_aiter;
    unaryfunc am_anext;
    sendfunc am_send;
} PyAsyncMethods;

typedef struct {
    getbufferproc bf_getbuffer;
    releasebufferproc bf_releasebuffer;
} PyBufferProcs;

struct PyMethodDef;
struct PyMemberDef;
struct PyGetSetDef;

#ifndef Py_LIMITED_API
/* Opaque under the limited API, as in CPython: code may define its own
 * placeholder struct (pyerfa's numpy workaround). */
struct _typeobject {
    PyVarObject ob_base;
    const char *tp_name;
    Py_ssize_t tp_basicsize, tp_itemsize;
    destructor tp_dealloc;
    Py_ssize_t tp_vectorcall_offset;
    getattrfunc tp_getattr;
    setattrfunc tp_setattr;
    PyAsyncMethods *tp_as_async;
    reprfunc tp_repr;
    PyNumberMethods *tp_as_number;
    PySequenceMethods *tp_as_sequence;
    PyMappingMethods *tp_as_mapping;
    hashfunc tp_hash;
    ternaryfunc tp_call;
    reprfunc tp_str;
    getattrofunc tp_getattro;
    setattrofunc tp_setattro;
    PyBufferProcs *tp_as_buffer;
    unsigned long tp_flags;
    const char *tp_doc;
    traverseproc tp_traverse;
    inquiry tp_clear;
    richcmpfunc tp_richcompare;
    Py_ssize_t tp_weaklistoffset;
    getiterfunc tp_iter;
    iternextfunc tp_iternext;
    struct PyMethodDef *tp_methods;
    struct PyMemberDef *tp_members;
    struct PyGetSetDef *tp_getset;
    PyTypeObject *tp_base;
    PyObject *tp_dict;
    descrgetfunc tp_descr_get;
    descrsetfunc tp_descr_set;
    Py_ssize_t tp_dictoffset;
    initproc tp_init;
    allocfunc tp_alloc;
    newfunc tp_new;
    freefunc tp_free;
    inquiry tp_is_gc;
    PyObject *tp_bases;
    PyObject *tp_mro;
    PyObject *tp_cache;
    PyObject *tp_subclasses;
    PyObject *tp_weaklist;
    destructor tp_del;
    unsigned int tp_version_tag;
    destructor tp_finalize;
    vectorcallfunc tp_vectorcall;
};
#endif


/* Type flags. */
#define Py_TPFLAGS_MANAGED_DICT (1UL << 4)
#define Py_TPFLAGS_SEQUENCE (1UL << 5)
#define Py_TPFLAGS_MAPPING (1UL << 6)
#define Py_TPFLAGS_DISALLOW_INSTANTIATION (1UL << 7)
#define Py_TPFLAGS_IMMUTABLETYPE (1UL << 8)
#define Py_TPFLAGS_HEAPTYPE (1UL << 9)
#define Py_TPFLAGS_BASETYPE (1UL << 10)
#define Py_TPFLAGS_HAVE_VECTORCALL (1UL << 11)
#define _Py_TPFLAGS_HAVE_VECTORCALL Py_TPFLAGS_HAVE_VECTORCALL
#define Py_TPFLAGS_READY (1UL << 12)
#define Py_TPFLAGS_READYING (1UL << 13)
#define Py_TPFLAGS_HAVE_GC (1UL << 14)
#define Py_TPFLAGS_HAVE_STACKLESS_EXTENSION 0
#define Py_TPFLAGS_METHOD_DESCRIPTOR (1UL << 17)
#define Py_TPFLAGS_HAVE_VERSION_TAG (1UL << 18)
#define Py_TPFLAGS_VALID_VERSION_TAG (1UL << 19)
#define Py_TPFLAGS_IS_ABSTRACT (1UL << 20)
#define _Py_TPFLAGS_MATCH_SELF (1UL << 22)
#define Py_TPFLAGS_LONG_SUBCLASS (1UL << 24)
#define Py_TPFLAGS_LIST_SUBCLASS (1UL << 25)
#define Py_TPFLAGS_TUPLE_SUBCLASS (1UL << 26)
#define Py_TPFLAGS_BYTES_SUBCLASS (1UL << 27)
#define Py_TPFLAGS_UNICODE_SUBCLASS (1UL << 28)
#define Py_TPFLAGS_DICT_SUBCLASS (1UL << 29)
#define Py_TPFLAGS_BASE_EXC_SUBCLASS (1UL << 30)
#define Py_TPFLAGS_TYPE_SUBCLASS (1UL << 31)
#define Py_TPFLAGS_HAVE_FINALIZE (1UL << 0)
#define Py_TPFLAGS_DEFAULT (Py_TPFLAGS_HAVE_STACKLESS_EXTENSION | 0)

/* Rich comparison operators. */
#define Py_LT 0
#define Py_LE 1
#define Py_EQ 2
#define Py_NE 3
#define Py_GT 4
#define Py_GE 5

/* The static objects behind Py_None and friends live in the layer. */
PyAPI_DATA(PyObject) _Py_NoneStruct;
PyAPI_DATA(PyObject) _Py_NotImplementedStruct;
#define Py_None (&_Py_NoneStruct)
#define Py_NotImplemented (&_Py_NotImplementedStruct)
#define Py_RETURN_NONE return Py_NewRef(Py_None)
#define Py_RETURN_NOTIMPLEMENTED return Py_NewRef(Py_NotImplemented)
/* A size no object has: the error value of the size functions' callers. */
#define Py_INVALID_SIZE ((Py_ssize_t)-1)

PyAPI_DATA(PyTypeObject) PyType_Type;
PyAPI_DATA(PyTypeObject) PyBaseObject_Type;
PyAPI_DATA(PyTypeObject) PySuper_Type;
PyAPI_DATA(PyTypeObject) _PyNone_Type;
PyAPI_DATA(PyTypeObject) _PyNotImplemented_Type;

/* Called when a reference count reaches zero (or, for a faulty extension,
 * goes below it: the layer then stops with a message naming the culprit). */
PyAPI_FUNC(void) _Py_Dealloc(PyObject *op);

static inline PyTypeObject *Py_TYPE(PyObject *ob) { return ob->ob_type; }
/* C's references, plus one while Python holds the object (ob_refcnt alone
 * counts C's): code that reuses an object in place when it sees a count of
 * 1 then leaves alone one that Python still holds. */
PyAPI_FUNC(Py_ssize_t) _PyCpyext_RefCnt(PyObject *ob);
static inline Py_ssize_t Py_REFCNT(PyObject *ob) { return _PyCpyext_RefCnt(ob); }
/* A list's or bytearray's ob_size follows the host object when it is handed
 * to C; Python code that runs meanwhile (a callback, a method C calls) may
 * resize it, so for these two Py_SIZE asks the layer. */
PyAPI_DATA(PyTypeObject) PyList_Type;
PyAPI_DATA(PyTypeObject) PyByteArray_Type;
PyAPI_FUNC(Py_ssize_t) _PyList_GET_SIZE(PyObject *list);
PyAPI_FUNC(Py_ssize_t) PyByteArray_Size(PyObject *bytearray);
static inline Py_ssize_t Py_SIZE(PyObject *ob)
{
    if (ob->ob_type == &PyList_Type)
        return _PyList_GET_SIZE(ob);
    if (ob->ob_type == &PyByteArray_Type)
        return PyByteArray_Size(ob);
    return ((PyVarObject *)ob)->ob_size;
}
static inline int Py_IS_TYPE(PyObject *ob, PyTypeObject *type) { return Py_TYPE(ob) == type; }
/* An instance Python already sees takes its new class too (the layer's
   host object has its own record of it). */
extern void cpyext_type_changed(PyObject *ob);
static inline void Py_SET_TYPE(PyObject *ob, PyTypeObject *type) {
    if (ob->ob_type != type) {
        ob->ob_type = type;
        cpyext_type_changed(ob);
    }
}
static inline void Py_SET_REFCNT(PyObject *ob, Py_ssize_t refcnt) { ob->ob_refcnt = refcnt; }
static inline void Py_SET_SIZE(PyVarObject *ob, Py_ssize_t size) { ob->ob_size = size; }
#define Py_TYPE(ob) Py_TYPE(_PyObject_CAST(ob))
#define Py_REFCNT(ob) Py_REFCNT(_PyObject_CAST(ob))
#define Py_SIZE(ob) Py_SIZE(_PyObject_CAST(ob))
#define Py_IS_TYPE(ob, type) Py_IS_TYPE(_PyObject_CAST(ob), (type))
#define Py_SET_TYPE(ob, type) Py_SET_TYPE(_PyObject_CAST(ob), (type))
#define Py_SET_REFCNT(ob, refcnt) Py_SET_REFCNT(_PyObject_CAST(ob), (refcnt))
#define Py_SET_SIZE(ob, size) Py_SET_SIZE(_PyVarObject_CAST(ob), (size))

static inline void Py_INCREF(PyObject *op) { op->ob_refcnt++; }
/* "<= 0" rather than "== 0" so that a count driven below zero reaches the
 * layer, which reports it instead of corrupting memory. */
static inline void Py_DECREF(PyObject *op) {
    if (--op->ob_refcnt <= 0) {
        _Py_Dealloc(op);
    }
}
static inline void Py_XINCREF(PyObject *op) { if (op != NULL) Py_INCREF(op); }
static inline void Py_XDECREF(PyObject *op) { if (op != NULL) Py_DECREF(op); }
/* Exported too (the stable ABI has them); the macros below use the inline forms. */
PyAPI_FUNC(PyObject *) Py_NewRef(PyObject *obj);
PyAPI_FUNC(PyObject *) Py_XNewRef(PyObject *obj);
static inline PyObject *_Py_NewRef(PyObject *op) { Py_INCREF(op); return op; }
static inline PyObject *_Py_XNewRef(PyObject *op) { Py_XINCREF(op); return op; }
#define Py_INCREF(op) Py_INCREF(_PyObject_CAST(op))
#define Py_DECREF(op) Py_DECREF(_PyObject_CAST(op))
#define Py_XINCREF(op) Py_XINCREF(_PyObject_CAST(op))
#define Py_XDECREF(op) Py_XDECREF(_PyObject_CAST(op))
#define Py_NewRef(op) _Py_NewRef(_PyObject_CAST(op))
#define Py_XNewRef(op) _Py_XNewRef(_PyObject_CAST(op))
#define Py_CLEAR(op) \
    do { \
        PyObject *_py_tmp = _PyObject_CAST(op); \
        if (_py_tmp != NULL) { \
            (op) = NULL; \
            Py_DECREF(_py_tmp); \
        } \
    } while (0)
#define Py_SETREF(op, op2) \
    do { PyObject *_py_tmp = _PyObject_CAST(op); (op) = (op2); Py_DECREF(_py_tmp); } while (0)
#define Py_XSETREF(op, op2) \
    do { PyObject *_py_tmp = _PyObject_CAST(op); (op) = (op2); Py_XDECREF(_py_tmp); } while (0)

/* The trashcan: a tp_dealloc between these runs at once, unless this
 * thread is already that many deallocations deep, when _PyTrash_begin
 * keeps the object for later (its tp_dealloc runs again once the
 * outermost one ends) and the block is skipped. */
#define Py_TRASHCAN_BEGIN_CONDITION(op, cond) \
    do { \
        int _trash_counted = 0; \
        if (cond) { \
            if (_PyTrash_begin(NULL, _PyObject_CAST(op))) \
                break; \
            _trash_counted = 1; \
        }
#define Py_TRASHCAN_END \
        if (_trash_counted) \
            _PyTrash_end(NULL); \
    } while (0);
#define Py_TRASHCAN_BEGIN(op, dealloc) \
    Py_TRASHCAN_BEGIN_CONDITION(op, _PyTrash_cond(_PyObject_CAST(op), (destructor)(dealloc)))
typedef int UsingDeprecatedTrashcanMacro;
#define Py_TRASHCAN_SAFE_BEGIN(op) Py_TRASHCAN_BEGIN_CONDITION(op, 1)
#define Py_TRASHCAN_SAFE_END(op) Py_TRASHCAN_END

PyAPI_FUNC(int) Py_Is(PyObject *x, PyObject *y);
PyAPI_FUNC(int) Py_IsNone(PyObject *x);
PyAPI_FUNC(int) Py_IsTrue(PyObject *x);
PyAPI_FUNC(int) Py_IsFalse(PyObject *x);
#define Py_Is(x, y) ((x) == (y))
#define Py_IsNone(x) Py_Is((x), Py_None)
#define Py_IsTrue(x) Py_Is((x), Py_True)
#define Py_IsFalse(x) Py_Is((x), Py_False)

/* Types made at run time from a specification (heap types). */
typedef struct {
    int slot;    /* one of the ids in typeslots.h */
    void *pfunc;
} PyType_Slot;

typedef struct {
    const char *name;
    int basicsize;
    int itemsize;
    unsigned int flags;
    PyType_Slot *slots; /* terminated by a {0, NULL} slot */
} PyType_Spec;

struct PyModuleDef;
PyAPI_FUNC(PyObject *) PyType_FromSpec(PyType_Spec *spec);
PyAPI_FUNC(PyObject *) PyType_FromSpecWithBases(PyType_Spec *spec, PyObject *bases);
PyAPI_FUNC(PyObject *) PyType_FromModuleAndSpec(PyObject *module, PyType_Spec *spec, PyObject *bases);
#if _CPYEXT_NEWER_API /* 3.12 (pyport.h) */
PyAPI_FUNC(PyObject *) PyType_FromMetaclass(PyTypeObject *metaclass, PyObject *module, PyType_Spec *spec, PyObject *bases);
#endif
PyAPI_FUNC(void *) PyType_GetSlot(PyTypeObject *type, int slot);
PyAPI_FUNC(PyObject *) PyType_GetModule(PyTypeObject *type);
PyAPI_FUNC(void *) PyType_GetModuleState(PyTypeObject *type);
PyAPI_FUNC(PyObject *) PyType_GetModuleByDef(PyTypeObject *type, struct PyModuleDef *def);

/* Types. */
PyAPI_FUNC(int) PyType_Ready(PyTypeObject *type);
PyAPI_FUNC(PyObject *) PyType_GenericAlloc(PyTypeObject *type, Py_ssize_t nitems);
PyAPI_FUNC(PyObject *) PyType_GenericNew(PyTypeObject *type, PyObject *args, PyObject *kwds);
PyAPI_FUNC(void) PyType_Modified(PyTypeObject *type);
PyAPI_FUNC(int) PyType_IsSubtype(PyTypeObject *a, PyTypeObject *b);
PyAPI_FUNC(unsigned long) PyType_GetFlags(PyTypeObject *type);
static inline int PyType_HasFeature(PyTypeObject *type, unsigned long feature) {
#ifdef Py_LIMITED_API
    return (PyType_GetFlags(type) & feature) != 0;
#else
    return (type->tp_flags & feature) != 0;
#endif
}
#define PyType_FastSubclass(type, flag) PyType_HasFeature((type), (flag))
#define PyType_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_TYPE_SUBCLASS)
#define PyType_CheckExact(op) Py_IS_TYPE((op), &PyType_Type)
static inline int PyObject_TypeCheck(PyObject *ob, PyTypeObject *type) {
    return Py_IS_TYPE(ob, type) || PyType_IsSubtype(Py_TYPE(ob), type);
}
#define PyObject_TypeCheck(ob, type) PyObject_TypeCheck(_PyObject_CAST(ob), (type))

/* The names of a type: __name__ and __qualname__ (new references), and
 * tp_name without its module part. */
PyAPI_FUNC(PyObject *) PyType_GetName(PyTypeObject *type);
PyAPI_FUNC(PyObject *) PyType_GetQualName(PyTypeObject *type);
PyAPI_FUNC(const char *) _PyType_Name(PyTypeObject *type);
/* Borrowed: the attribute `name` found along the MRO, without calling
 * descriptors; NULL, with no exception, when there is none. */
PyAPI_FUNC(PyObject *) _PyType_Lookup(PyTypeObject *type, PyObject *name);
PyAPI_FUNC(unsigned int) PyType_ClearCache(void);

/* What a heap type (PyType_FromSpec and friends) is in memory: the type
 * object, its own protocol tables, then its names and module. */
#ifndef Py_LIMITED_API
struct _dictkeysobject;
struct _specialization_cache {
    PyObject *getitem;
};
typedef struct _heaptypeobject {
    PyTypeObject ht_type;
    PyAsyncMethods as_async;
    PyNumberMethods as_number;
    PyMappingMethods as_mapping;
    PySequenceMethods as_sequence;
    PyBufferProcs as_buffer;
    PyObject *ht_name;
    PyObject *ht_slots;
    PyObject *ht_qualname;
    struct _dictkeysobject *ht_cached_keys;
    PyObject *ht_module;
    char *_ht_tpname;
    struct _specialization_cache _spec_cache;
} PyHeapTypeObject;
#endif


/* The object protocol: attributes, conversion, comparison, hashing. */
PyAPI_FUNC(PyObject *) PyObject_Repr(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_Str(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_ASCII(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_RichCompare(PyObject *a, PyObject *b, int op);
PyAPI_FUNC(int) PyObject_RichCompareBool(PyObject *a, PyObject *b, int op);
PyAPI_FUNC(PyObject *) PyObject_GetAttrString(PyObject *o, const char *name);
PyAPI_FUNC(int) PyObject_SetAttrString(PyObject *o, const char *name, PyObject *v);
PyAPI_FUNC(int) PyObject_HasAttrString(PyObject *o, const char *name);
PyAPI_FUNC(PyObject *) PyObject_GetAttr(PyObject *o, PyObject *name);
PyAPI_FUNC(int) PyObject_SetAttr(PyObject *o, PyObject *name, PyObject *v);
PyAPI_FUNC(int) PyObject_HasAttr(PyObject *o, PyObject *name);
PyAPI_FUNC(Py_hash_t) PyObject_Hash(PyObject *o);
PyAPI_FUNC(int) PyObject_IsTrue(PyObject *o);
PyAPI_FUNC(int) PyObject_Not(PyObject *o);
PyAPI_FUNC(int) PyCallable_Check(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_GenericGetAttr(PyObject *o, PyObject *name);
PyAPI_FUNC(int) PyObject_GenericSetAttr(PyObject *o, PyObject *name, PyObject *value);
PyAPI_FUNC(Py_hash_t) PyObject_HashNotImplemented(PyObject *o);
PyAPI_FUNC(PyObject *) PyObject_SelfIter(PyObject *o);
/* The tp_iternext of types that are not iterators. */
PyAPI_FUNC(PyObject *) _PyObject_NextNotImplemented(PyObject *o);
/* getattr that reports a missing attribute as 0 instead of AttributeError:
 * 1 and a new reference in *result, 0 and NULL, or -1 with an error set. */
PyAPI_FUNC(int) _PyObject_LookupAttr(PyObject *obj, PyObject *name, PyObject **result);
/* CPython's private object API, which extensions call all the same.
 * The *Id forms take a static identifier (_Py_IDENTIFIER, abstract.h). */
struct _Py_Identifier;
PyAPI_FUNC(PyObject *) _PyObject_GetAttrId(PyObject *o, struct _Py_Identifier *name);
PyAPI_FUNC(int) _PyObject_SetAttrId(PyObject *o, struct _Py_Identifier *name, PyObject *v);
PyAPI_FUNC(int) _PyObject_LookupAttrId(PyObject *o, struct _Py_Identifier *name, PyObject **result);
/* A new reference to the special method `name` looked up on the type
 * (bound to o), or NULL with no exception when the type has none. */
PyAPI_FUNC(PyObject *) _PyObject_LookupSpecialId(PyObject *o, struct _Py_Identifier *name);
#define _PyObject_LookupSpecial _PyObject_LookupSpecialId
/* Borrowed, as _PyType_Lookup. */
PyAPI_FUNC(PyObject *) _PyType_LookupId(PyTypeObject *type, struct _Py_Identifier *name);
/* 1 and an unbound function in *method when calling it with o first is the
 * same as calling the attribute; else 0 and the attribute itself; -1 and
 * NULL on error. */
PyAPI_FUNC(int) _PyObject_GetMethod(PyObject *obj, PyObject *name, PyObject **method);
PyAPI_FUNC(int) _PyObject_GenericSetAttrWithDict(PyObject *o, PyObject *name, PyObject *value, PyObject *dict);
/* "name()" of a callable, for error messages: qualified, with its module
 * unless builtins. */
PyAPI_FUNC(PyObject *) _PyObject_FunctionStr(PyObject *x);
PyAPI_FUNC(int) _PyObject_IsAbstract(PyObject *o);
/* What pickle's default reduce saves: o.__getstate__(). */
PyAPI_FUNC(PyObject *) _PyObject_GetState(PyObject *o);
PyAPI_FUNC(PyTypeObject *) _PyType_CalculateMetaclass(PyTypeObject *metatype, PyObject *bases);
/* A docstring of the form "name(sig)\n--\n\nbody" split in two: the body,
 * and the "(sig)" part (None when there is none). */
PyAPI_FUNC(PyObject *) _PyType_GetDocFromInternalDoc(const char *name, const char *internal_doc);
PyAPI_FUNC(PyObject *) _PyType_GetTextSignatureFromInternalDoc(const char *name, const char *internal_doc);
/* The comparison op with its operands swapped, indexed by Py_LT..Py_GE. */
PyAPI_DATA(int) _Py_SwappedOp[];
/* Debugging aids: a description of o on stderr, and checks that o looks
 * like a live object (1) or like freed memory (1). */
PyAPI_FUNC(void) _PyObject_Dump(PyObject *o);
PyAPI_FUNC(int) _PyObject_IsFreed(PyObject *o);
PyAPI_FUNC(int) _PyObject_CheckConsistency(PyObject *o, int check_content);
PyAPI_FUNC(_Py_NO_RETURN void) _PyObject_AssertFailed(PyObject *obj, const char *expr, const char *msg,
                                                     const char *file, int line, const char *function);
/* assert() for objects: on failure, describes obj on stderr and aborts.
 * Like assert(), compiled out under NDEBUG (the _MSG form always fails). */
#ifdef NDEBUG
#  define _PyObject_ASSERT_FROM(obj, expr, msg, filename, lineno, func) ((void)0)
#else
#  define _PyObject_ASSERT_FROM(obj, expr, msg, filename, lineno, func) \
      ((expr) ? (void)0 : _PyObject_AssertFailed((obj), Py_STRINGIFY(expr), (msg), (filename), (lineno), (func)))
#endif
#define _PyObject_ASSERT_WITH_MSG(obj, expr, msg) \
    _PyObject_ASSERT_FROM((obj), expr, (msg), __FILE__, __LINE__, __func__)
#define _PyObject_ASSERT(obj, expr) _PyObject_ASSERT_WITH_MSG((obj), expr, NULL)
#define _PyObject_ASSERT_FAILED_MSG(obj, msg) \
    _PyObject_AssertFailed((obj), NULL, (msg), __FILE__, __LINE__, __func__)
PyAPI_FUNC(void) _PyDebugAllocatorStats(FILE *out, const char *block_name, int num_blocks, size_t sizeof_block);
PyAPI_FUNC(void) _PyObject_DebugTypeStats(FILE *out);
/* A place for a debugger breakpoint; does nothing. */
PyAPI_FUNC(void) _Py_BreakPoint(void);
/* Makes memory C allocated itself, with ob_type already set, a new object
 * with one reference (as PyObject_Init, without touching the type's count). */
PyAPI_FUNC(void) _Py_NewReference(PyObject *op);
PyAPI_FUNC(void) _Py_IncRef(PyObject *o);
PyAPI_FUNC(void) _Py_DecRef(PyObject *o);
/* The trashcan's functions (Py_TRASHCAN_BEGIN): begin says 1 when it kept
 * the object for later, 0 to go on (the thread state is not used). */
PyAPI_FUNC(int) _PyTrash_begin(PyThreadState *tstate, PyObject *op);
PyAPI_FUNC(void) _PyTrash_end(PyThreadState *tstate);
PyAPI_FUNC(int) _PyTrash_cond(PyObject *op, destructor dealloc);
#define Py_PRINT_RAW 1
PyAPI_FUNC(int) PyObject_Print(PyObject *o, FILE *fp, int flags);
PyAPI_FUNC(PyObject *) PyObject_Bytes(PyObject *o);
/* dir(o); dir() of the current frame for NULL. */
PyAPI_FUNC(PyObject *) PyObject_Dir(PyObject *o);
/* The __dict__ getset of types with a dict. */
PyAPI_FUNC(PyObject *) PyObject_GenericGetDict(PyObject *o, void *context);
PyAPI_FUNC(int) PyObject_GenericSetDict(PyObject *o, PyObject *value, void *context);
/* Where the object's dict is, or NULL for an object without one. The
 * dict is the host's: the slot is the layer's and holds a borrowed
 * reference, valid until the current call returns. */
PyAPI_FUNC(PyObject **) _PyObject_GetDictPtr(PyObject *o);
/* PyObject_GenericGetAttr looking in `dict` (when not NULL) instead of
 * the instance dict; with `suppress`, a missing attribute gives NULL
 * without an exception. */
PyAPI_FUNC(PyObject *) _PyObject_GenericGetAttrWithDict(PyObject *o, PyObject *name, PyObject *dict, int suppress);
/* Recursion guard of container reprs: 1 if o is already being printed in
 * this thread, 0 if not (and it now is, until Py_ReprLeave), -1 on error. */
PyAPI_FUNC(int) Py_ReprEnter(PyObject *o);
PyAPI_FUNC(void) Py_ReprLeave(PyObject *o);
/* Runs tp_finalize once (for tp_dealloc of types with a finalizer). */
PyAPI_FUNC(void) PyObject_CallFinalizer(PyObject *o);
/* The reference counting macros as functions (NULL is allowed). */
PyAPI_FUNC(void) Py_IncRef(PyObject *o);
PyAPI_FUNC(void) Py_DecRef(PyObject *o);

/* Returns the result of comparing two C values with a Py_LT...Py_GE. */
#define Py_RETURN_RICHCOMPARE(val1, val2, op) \
    do { \
        int _cpyext_cmp; \
        switch (op) { \
        case Py_EQ: _cpyext_cmp = (val1) == (val2); break; \
        case Py_NE: _cpyext_cmp = (val1) != (val2); break; \
        case Py_LT: _cpyext_cmp = (val1) < (val2); break; \
        case Py_GT: _cpyext_cmp = (val1) > (val2); break; \
        case Py_LE: _cpyext_cmp = (val1) <= (val2); break; \
        case Py_GE: _cpyext_cmp = (val1) >= (val2); break; \
        default: abort(); \
        } \
        if (_cpyext_cmp) { \
            Py_RETURN_TRUE; \
        } \
        Py_RETURN_FALSE; \
    } while (0)

#define PyObject_DelAttrString(o, name) PyObject_SetAttrString((o), (name), NULL)
#define PyObject_DelAttr(o, name) PyObject_SetAttr((o), (name), NULL)

#endif
