/* Creating modules and filling them. */
#ifndef Py_MODSUPPORT_H
#define Py_MODSUPPORT_H
#define Py_CPYTHON_MODSUPPORT_H

#define PYTHON_API_VERSION 1013
#define PYTHON_API_STRING "1013"
#define PYTHON_ABI_VERSION 3
#define PYTHON_ABI_STRING "3"

PyAPI_FUNC(PyObject *) PyModule_Create2(PyModuleDef *def, int apiver);
PyAPI_FUNC(int) PyModule_SetDocString(PyObject *module, const char *doc);
PyAPI_FUNC(int) PyModule_AddFunctions(PyObject *module, PyMethodDef *functions);
#define PyModule_Create(def) PyModule_Create2((def), PYTHON_API_VERSION)
PyAPI_FUNC(PyObject *) PyModule_FromDefAndSpec2(PyModuleDef *def, PyObject *spec, int module_api_version);
#define PyModule_FromDefAndSpec(def, spec) PyModule_FromDefAndSpec2((def), (spec), PYTHON_API_VERSION)
PyAPI_FUNC(int) PyModule_ExecDef(PyObject *module, PyModuleDef *def);
PyAPI_FUNC(int) PyModule_AddType(PyObject *module, PyTypeObject *type);

PyAPI_FUNC(int) PyModule_AddObjectRef(PyObject *module, const char *name, PyObject *value);
PyAPI_FUNC(int) PyModule_AddObject(PyObject *module, const char *name, PyObject *value);
PyAPI_FUNC(int) PyModule_AddIntConstant(PyObject *module, const char *name, long value);
PyAPI_FUNC(int) PyModule_AddStringConstant(PyObject *module, const char *name, const char *value);
#define PyModule_AddIntMacro(m, c) PyModule_AddIntConstant((m), #c, (c))
#define PyModule_AddStringMacro(m, c) PyModule_AddStringConstant((m), #c, (c))

/* Parsing arguments and building values. With PY_SSIZE_T_CLEAN (required
 * for '#' units, as in CPython 3.11) the names below select the _SizeT
 * functions, so an extension imports the same symbols it would under
 * CPython. */
#define Py_CLEANUP_SUPPORTED 0x20000
/* A maximum of PY_SSIZE_T_MAX stands for "any number of arguments". */
#define ANY_VARARGS(n) ((n) == PY_SSIZE_T_MAX)

PyAPI_FUNC(int) PyArg_Parse(PyObject *args, const char *format, ...);
PyAPI_FUNC(int) PyArg_ParseTuple(PyObject *args, const char *format, ...);
PyAPI_FUNC(int) PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *kwargs, const char *format,
                                            char **kwlist, ...);
PyAPI_FUNC(int) PyArg_VaParse(PyObject *args, const char *format, va_list va);
PyAPI_FUNC(int) PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *kwargs, const char *format,
                                              char **kwlist, va_list va);
PyAPI_FUNC(int) _PyArg_Parse_SizeT(PyObject *args, const char *format, ...);
PyAPI_FUNC(int) _PyArg_ParseTuple_SizeT(PyObject *args, const char *format, ...);
PyAPI_FUNC(int) _PyArg_ParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kwargs, const char *format,
                                                   char **kwlist, ...);
PyAPI_FUNC(int) _PyArg_VaParse_SizeT(PyObject *args, const char *format, va_list va);
PyAPI_FUNC(int) _PyArg_VaParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kwargs, const char *format,
                                                     char **kwlist, va_list va);
PyAPI_FUNC(int) PyArg_ValidateKeywordArguments(PyObject *kwargs);
PyAPI_FUNC(int) PyArg_UnpackTuple(PyObject *args, const char *name, Py_ssize_t min, Py_ssize_t max, ...);

/* The argument checks Argument Clinic's generated code calls. Each macro
   tests the common case inline; the function reports the error (return 0)
   or accepts (return 1). A max of PY_SSIZE_T_MAX means no upper bound. */
PyAPI_FUNC(int) _PyArg_CheckPositional(const char *name, Py_ssize_t nargs, Py_ssize_t min, Py_ssize_t max);
#define _PyArg_CheckPositional(funcname, nargs, min, max) \
    (((min) <= (nargs) && (nargs) <= (max)) || _PyArg_CheckPositional((funcname), (nargs), (min), (max)))
PyAPI_FUNC(int) _PyArg_NoKeywords(const char *funcname, PyObject *kwargs);
#define _PyArg_NoKeywords(funcname, kwargs) ((kwargs) == NULL || _PyArg_NoKeywords((funcname), (kwargs)))
PyAPI_FUNC(int) _PyArg_NoKwnames(const char *funcname, PyObject *kwnames);
#define _PyArg_NoKwnames(funcname, kwnames) ((kwnames) == NULL || _PyArg_NoKwnames((funcname), (kwnames)))
PyAPI_FUNC(int) _PyArg_NoPositional(const char *funcname, PyObject *args);
#define _PyArg_NoPositional(funcname, args) ((args) == NULL || _PyArg_NoPositional((funcname), (args)))
PyAPI_FUNC(void) _PyArg_BadArgument(const char *fname, const char *displayname, const char *expected, PyObject *arg);

/* Building values: N steals a reference, O and S take a new one. */
PyAPI_FUNC(PyObject *) Py_BuildValue(const char *format, ...);
PyAPI_FUNC(PyObject *) Py_VaBuildValue(const char *format, va_list va);
PyAPI_FUNC(PyObject *) _Py_BuildValue_SizeT(const char *format, ...);
PyAPI_FUNC(PyObject *) _Py_VaBuildValue_SizeT(const char *format, va_list va);

#ifdef PY_SSIZE_T_CLEAN
#define Py_BuildValue _Py_BuildValue_SizeT
#define Py_VaBuildValue _Py_VaBuildValue_SizeT
#define PyArg_Parse _PyArg_Parse_SizeT
#define PyArg_ParseTuple _PyArg_ParseTuple_SizeT
#define PyArg_ParseTupleAndKeywords _PyArg_ParseTupleAndKeywords_SizeT
#define PyArg_VaParse _PyArg_VaParse_SizeT
#define PyArg_VaParseTupleAndKeywords _PyArg_VaParseTupleAndKeywords_SizeT
#endif

#endif
