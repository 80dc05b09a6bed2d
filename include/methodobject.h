/* C functions exposed to Python: PyMethodDef and the calling conventions. */
#ifndef Py_METHODOBJECT_H
#define Py_METHODOBJECT_H
#define Py_CPYTHON_METHODOBJECT_H

typedef PyObject *(*PyCFunction)(PyObject *, PyObject *);
typedef PyObject *(*_PyCFunctionFast)(PyObject *, PyObject *const *, Py_ssize_t);
typedef PyObject *(*PyCFunctionWithKeywords)(PyObject *, PyObject *, PyObject *);
typedef PyObject *(*_PyCFunctionFastWithKeywords)(PyObject *, PyObject *const *, Py_ssize_t, PyObject *);
typedef PyObject *(*PyCMethod)(PyObject *, PyTypeObject *, PyObject *const *, size_t, PyObject *);
#if _CPYEXT_NEWER_API /* 3.13's names (pyport.h) */
typedef _PyCFunctionFast PyCFunctionFast;
typedef _PyCFunctionFastWithKeywords PyCFunctionFastWithKeywords;
#endif

struct PyMethodDef {
    const char *ml_name;
    PyCFunction ml_meth;
    int ml_flags;
    const char *ml_doc;
};
typedef struct PyMethodDef PyMethodDef;

#define METH_VARARGS 0x0001
#define METH_KEYWORDS 0x0002
#define METH_NOARGS 0x0004
#define METH_O 0x0008
#define METH_CLASS 0x0010
#define METH_STATIC 0x0020
#define METH_COEXIST 0x0040
#define METH_FASTCALL 0x0080
#define METH_STACKLESS 0x0000
#define METH_METHOD 0x0200

/* Casting a function of another signature to PyCFunction, for a PyMethodDef. */
#define _PyCFunction_CAST(func) ((PyCFunction)(void (*)(void))(func))

PyAPI_DATA(PyTypeObject) PyCFunction_Type;
PyAPI_DATA(PyTypeObject) PyCMethod_Type;
#define PyCFunction_CheckExact(op) Py_IS_TYPE((op), &PyCFunction_Type)
#define PyCFunction_Check(op) PyObject_TypeCheck((op), &PyCFunction_Type)
#define PyCMethod_CheckExact(op) Py_IS_TYPE((op), &PyCMethod_Type)
#define PyCMethod_Check(op) PyObject_TypeCheck((op), &PyCMethod_Type)

PyAPI_FUNC(PyCFunction) PyCFunction_GetFunction(PyObject *func);
PyAPI_FUNC(PyObject *) PyCFunction_GetSelf(PyObject *func);
PyAPI_FUNC(int) PyCFunction_GetFlags(PyObject *func);
PyAPI_FUNC(PyObject *) PyCFunction_Call(PyObject *func, PyObject *args, PyObject *kwargs);

/* Both are also exported as functions (stable ABI); the macros route them
 * through PyCMethod_New, as CPython 3.9+ does. */
PyAPI_FUNC(PyObject *) PyCFunction_New(PyMethodDef *ml, PyObject *self);
PyAPI_FUNC(PyObject *) PyCFunction_NewEx(PyMethodDef *ml, PyObject *self, PyObject *module);
PyAPI_FUNC(PyObject *) PyCMethod_New(PyMethodDef *ml, PyObject *self, PyObject *module, PyTypeObject *cls);
#define PyCFunction_New(ml, self) PyCFunction_NewEx((ml), (self), NULL)
#define PyCFunction_NewEx(ml, self, module) PyCMethod_New((ml), (self), (module), NULL)

/* The memory C sees behind a builtin function (and, with the defining
 * class, behind one made with METH_METHOD). For functions the layer made
 * itself rather than from a PyMethodDef, m_ml describes the function by name
 * and flags only, with a NULL ml_meth: such a function is called through
 * PyObject_Call. */
typedef struct {
    PyObject_HEAD
    PyMethodDef *m_ml;
    PyObject *m_self;
    PyObject *m_module;
    PyObject *m_weakreflist;
    vectorcallfunc vectorcall;
} PyCFunctionObject;

typedef struct {
    PyCFunctionObject func;
    PyTypeObject *mm_class;
} PyCMethodObject;

#define _PyCFunctionObject_CAST(func) ((PyCFunctionObject *)(func))
#define _PyCMethodObject_CAST(func) ((PyCMethodObject *)(func))

static inline PyCFunction PyCFunction_GET_FUNCTION(PyObject *func) {
    return _PyCFunctionObject_CAST(func)->m_ml->ml_meth;
}
static inline PyObject *PyCFunction_GET_SELF(PyObject *func) {
    PyCFunctionObject *f = _PyCFunctionObject_CAST(func);
    return (f->m_ml->ml_flags & METH_STATIC) ? NULL : f->m_self;
}
static inline int PyCFunction_GET_FLAGS(PyObject *func) {
    return _PyCFunctionObject_CAST(func)->m_ml->ml_flags;
}
static inline PyTypeObject *PyCFunction_GET_CLASS(PyObject *func) {
    PyCFunctionObject *f = _PyCFunctionObject_CAST(func);
    return (f->m_ml->ml_flags & METH_METHOD) ? _PyCMethodObject_CAST(f)->mm_class : NULL;
}
#define PyCFunction_GET_FUNCTION(func) PyCFunction_GET_FUNCTION(_PyObject_CAST(func))
#define PyCFunction_GET_SELF(func) PyCFunction_GET_SELF(_PyObject_CAST(func))
#define PyCFunction_GET_FLAGS(func) PyCFunction_GET_FLAGS(_PyObject_CAST(func))
#define PyCFunction_GET_CLASS(func) PyCFunction_GET_CLASS(_PyObject_CAST(func))

#endif
