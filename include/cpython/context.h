/* Context variables (PEP 567): contextvars.Context, ContextVar, Token. */
#ifndef Py_CONTEXT_H
#define Py_CONTEXT_H

PyAPI_DATA(PyTypeObject) PyContext_Type;
PyAPI_DATA(PyTypeObject) PyContextVar_Type;
PyAPI_DATA(PyTypeObject) PyContextToken_Type;
typedef struct _pycontextobject PyContext;
typedef struct _pycontextvarobject PyContextVar;
typedef struct _pycontexttokenobject PyContextToken;

#define PyContext_CheckExact(o) Py_IS_TYPE((o), &PyContext_Type)
#define PyContextVar_CheckExact(o) Py_IS_TYPE((o), &PyContextVar_Type)
#define PyContextToken_CheckExact(o) Py_IS_TYPE((o), &PyContextToken_Type)

PyAPI_FUNC(PyObject *) PyContext_New(void);
PyAPI_FUNC(PyObject *) PyContext_Copy(PyObject *ctx);
PyAPI_FUNC(PyObject *) PyContext_CopyCurrent(void);
PyAPI_FUNC(int) PyContext_Enter(PyObject *ctx);
PyAPI_FUNC(int) PyContext_Exit(PyObject *ctx);

/* default_value may be NULL (the variable then has no default). */
PyAPI_FUNC(PyObject *) PyContextVar_New(const char *name, PyObject *default_value);
/* 0 with *value a new reference (or NULL if neither the context, the
 * argument nor the variable has a value); -1 on error. */
PyAPI_FUNC(int) PyContextVar_Get(PyObject *var, PyObject *default_value, PyObject **value);
/* A new Token, or NULL on error. */
PyAPI_FUNC(PyObject *) PyContextVar_Set(PyObject *var, PyObject *value);
PyAPI_FUNC(int) PyContextVar_Reset(PyObject *var, PyObject *token);

#endif
