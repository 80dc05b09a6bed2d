/* Python function objects, and the staticmethod and classmethod types. */
#ifndef Py_FUNCOBJECT_H
#define Py_FUNCOBJECT_H

/* The fields a function shares with the frame constructor, in CPython's
 * order. */
#define COMMON_FIELDS(PREFIX) \
    PyObject *PREFIX##globals; \
    PyObject *PREFIX##builtins; \
    PyObject *PREFIX##name; \
    PyObject *PREFIX##qualname; \
    PyObject *PREFIX##code; \
    PyObject *PREFIX##defaults; \
    PyObject *PREFIX##kwdefaults; \
    PyObject *PREFIX##closure;

typedef struct {
    COMMON_FIELDS(fc_)
} PyFrameConstructor;

/* CPython's layout of a function. The layer's functions are host objects:
 * the PyFunction_GET_* macros below call the accessor functions rather than
 * read these fields. */
typedef struct {
    PyObject_HEAD
    COMMON_FIELDS(func_)
    PyObject *func_doc;
    PyObject *func_dict;
    PyObject *func_weakreflist;
    PyObject *func_module;
    PyObject *func_annotations;
    vectorcallfunc vectorcall;
    uint32_t func_version;
} PyFunctionObject;

PyAPI_DATA(PyTypeObject) PyFunction_Type;
#define PyFunction_Check(op) Py_IS_TYPE((op), &PyFunction_Type)

PyAPI_FUNC(PyObject *) PyFunction_New(PyObject *code, PyObject *globals);
PyAPI_FUNC(PyObject *) PyFunction_NewWithQualName(PyObject *code, PyObject *globals, PyObject *qualname);
PyAPI_FUNC(PyObject *) PyFunction_GetCode(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetGlobals(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetModule(PyObject *op);
PyAPI_FUNC(PyObject *) PyFunction_GetDefaults(PyObject *op);
PyAPI_FUNC(int) PyFunction_SetDefaults(PyObject *op, PyObject *defaults);
PyAPI_FUNC(PyObject *) PyFunction_GetKwDefaults(PyObject *op);
PyAPI_FUNC(int) PyFunction_SetKwDefaults(PyObject *op, PyObject *defaults);
PyAPI_FUNC(PyObject *) PyFunction_GetClosure(PyObject *op);
PyAPI_FUNC(int) PyFunction_SetClosure(PyObject *op, PyObject *closure);
PyAPI_FUNC(PyObject *) PyFunction_GetAnnotations(PyObject *op);
PyAPI_FUNC(int) PyFunction_SetAnnotations(PyObject *op, PyObject *annotations);
PyAPI_FUNC(PyObject *) _PyFunction_Vectorcall(PyObject *func, PyObject *const *stack, size_t nargsf, PyObject *kwnames);

/* Borrowed references, as the fields would be (NULL where a field is). */
#define PyFunction_GET_CODE(func) PyFunction_GetCode(_PyObject_CAST(func))
#define PyFunction_GET_GLOBALS(func) PyFunction_GetGlobals(_PyObject_CAST(func))
#define PyFunction_GET_MODULE(func) PyFunction_GetModule(_PyObject_CAST(func))
#define PyFunction_GET_DEFAULTS(func) PyFunction_GetDefaults(_PyObject_CAST(func))
#define PyFunction_GET_KW_DEFAULTS(func) PyFunction_GetKwDefaults(_PyObject_CAST(func))
#define PyFunction_GET_CLOSURE(func) PyFunction_GetClosure(_PyObject_CAST(func))
#define PyFunction_GET_ANNOTATIONS(func) PyFunction_GetAnnotations(_PyObject_CAST(func))

PyAPI_DATA(PyTypeObject) PyStaticMethod_Type;
PyAPI_DATA(PyTypeObject) PyClassMethod_Type;
PyAPI_FUNC(PyObject *) PyClassMethod_New(PyObject *callable);
PyAPI_FUNC(PyObject *) PyStaticMethod_New(PyObject *callable);

#endif
