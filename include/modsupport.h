/* Creating modules and filling them. */
#ifndef Py_MODSUPPORT_H
#define Py_MODSUPPORT_H
#define Py_CPYTHON_MODSUPPORT_H

#define PYTHON_API_VERSION 1013
#define PYTHON_API_STRING "1013"
#define PYTHON_ABI_VERSION 3
#define PYTHON_ABI_STRING "3"

PyAPI_FUNC(PyObject *) PyModule_Create2(PyModuleDef *def, int apiver);
PyAPI_FUNC(PyObject *) _PyModule_CreateInitialized(PyModuleDef *def, int apiver);
/* The full dotted name of the extension module being initialised, while
 * its PyInit_* function runs; NULL otherwise. */
PyAPI_DATA(const char *) _Py_PackageContext;
PyAPI_FUNC(int) PyModule_SetDocString(PyObject *module, const char *doc);
PyAPI_FUNC(int) PyModule_AddFunctions(PyObject *module, PyMethodDef *functions);
#define PyModule_Create(def) PyModule_Create2((def), PYTHON_API_VERSION)
PyAPI_FUNC(PyObject *) PyModule_FromDefAndSpec2(PyModuleDef *def, PyObject *spec, int module_api_version);
#define PyModule_FromDefAndSpec(def, spec) PyModule_FromDefAndSpec2((def), (spec), PYTHON_API_VERSION)
PyAPI_FUNC(int) PyModule_ExecDef(PyObject *module, PyModuleDef *def);
PyAPI_FUNC(int) PyModule_AddType(PyObject *module, PyTypeObject *type);

PyAPI_FUNC(int) PyModule_AddObjectRef(PyObject *module, const char *name, PyObject *value);
/* PyModule_AddObjectRef that steals value, on failure too (NULL value: -1). */
PyAPI_FUNC(int) _PyModule_Add(PyObject *module, const char *name, PyObject *value);
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

/* What Argument Clinic's generated code hands the parsers: the format
   ("O|i:name", or NULL when the code unpacks the arguments itself), the
   parameter names (a leading "" for each positional-only one, NULL at the
   end) and the function's name. The rest is the parser's own cache, which
   C leaves zeroed. */
typedef struct _PyArg_Parser {
    const char *format;
    const char * const *keywords;
    const char *fname;
    const char *custom_msg;
    int pos;
    int min;
    int max;
    PyObject *kwtuple;
    struct _PyArg_Parser *next;
} _PyArg_Parser;

PyAPI_FUNC(int) _PyArg_ParseTupleAndKeywordsFast(PyObject *args, PyObject *kwargs, struct _PyArg_Parser *parser, ...);
PyAPI_FUNC(int) _PyArg_VaParseTupleAndKeywordsFast(PyObject *args, PyObject *kwargs, struct _PyArg_Parser *parser,
                                                   va_list va);
PyAPI_FUNC(int) _PyArg_ParseStack(PyObject *const *args, Py_ssize_t nargs, const char *format, ...);
PyAPI_FUNC(int) _PyArg_ParseStackAndKeywords(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                                             struct _PyArg_Parser *parser, ...);
PyAPI_FUNC(int) _PyArg_ParseTupleAndKeywordsFast_SizeT(PyObject *args, PyObject *kwargs,
                                                       struct _PyArg_Parser *parser, ...);
PyAPI_FUNC(int) _PyArg_VaParseTupleAndKeywordsFast_SizeT(PyObject *args, PyObject *kwargs,
                                                         struct _PyArg_Parser *parser, va_list va);
PyAPI_FUNC(int) _PyArg_ParseStack_SizeT(PyObject *const *args, Py_ssize_t nargs, const char *format, ...);
PyAPI_FUNC(int) _PyArg_ParseStackAndKeywords_SizeT(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                                                   struct _PyArg_Parser *parser, ...);
/* Stores each argument to its parameter's slot in `buf` (NULL for one not
   given) and returns `buf`, or `args` itself when there is nothing to move;
   NULL with TypeError for a bad call. The values are borrowed. */
PyAPI_FUNC(PyObject * const *) _PyArg_UnpackKeywords(PyObject *const *args, Py_ssize_t nargs, PyObject *kwargs,
                                                     PyObject *kwnames, struct _PyArg_Parser *parser,
                                                     int minpos, int maxpos, int minkw, PyObject **buf);
#define _PyArg_UnpackKeywords(args, nargs, kwargs, kwnames, parser, minpos, maxpos, minkw, buf) \
    (((minkw) == 0 && (kwargs) == NULL && (kwnames) == NULL && (minpos) <= (nargs) && (nargs) <= (maxpos) && \
      (args) != NULL) ? (args) : \
     _PyArg_UnpackKeywords((args), (nargs), (kwargs), (kwnames), (parser), (minpos), (maxpos), (minkw), (buf)))
/* As above for a function with *args: buf[vararg] is a new tuple of the
   positional arguments past maxpos, which the caller releases. */
PyAPI_FUNC(PyObject * const *) _PyArg_UnpackKeywordsWithVararg(PyObject *const *args, Py_ssize_t nargs,
                                                               PyObject *kwargs, PyObject *kwnames,
                                                               struct _PyArg_Parser *parser, int minpos,
                                                               int maxpos, int minkw, int vararg, PyObject **buf);
PyAPI_FUNC(int) _PyArg_UnpackStack(PyObject *const *args, Py_ssize_t nargs, const char *name, Py_ssize_t min,
                                   Py_ssize_t max, ...);
/* An O& converter for Py_ssize_t arguments that may be None (left unchanged). */
PyAPI_FUNC(int) _Py_convert_optional_to_ssize_t(PyObject *obj, void *result);

/* Building values: N steals a reference, O and S take a new one. */
PyAPI_FUNC(PyObject *) Py_BuildValue(const char *format, ...);
PyAPI_FUNC(PyObject *) Py_VaBuildValue(const char *format, va_list va);
PyAPI_FUNC(PyObject *) _Py_BuildValue_SizeT(const char *format, ...);
PyAPI_FUNC(PyObject *) _Py_VaBuildValue_SizeT(const char *format, va_list va);
/* The items of `format` as a vectorcall stack: `small_stack` when they fit,
   else memory the caller frees with PyMem_Free; *p_nargs is their number. */
PyAPI_FUNC(PyObject **) _Py_VaBuildStack(PyObject **small_stack, Py_ssize_t small_stack_len, const char *format,
                                         va_list va, Py_ssize_t *p_nargs);
PyAPI_FUNC(PyObject **) _Py_VaBuildStack_SizeT(PyObject **small_stack, Py_ssize_t small_stack_len,
                                               const char *format, va_list va, Py_ssize_t *p_nargs);

#ifdef PY_SSIZE_T_CLEAN
#define Py_BuildValue _Py_BuildValue_SizeT
#define Py_VaBuildValue _Py_VaBuildValue_SizeT
#define PyArg_Parse _PyArg_Parse_SizeT
#define PyArg_ParseTuple _PyArg_ParseTuple_SizeT
#define PyArg_ParseTupleAndKeywords _PyArg_ParseTupleAndKeywords_SizeT
#define PyArg_VaParse _PyArg_VaParse_SizeT
#define PyArg_VaParseTupleAndKeywords _PyArg_VaParseTupleAndKeywords_SizeT
#define _PyArg_ParseTupleAndKeywordsFast _PyArg_ParseTupleAndKeywordsFast_SizeT
#define _PyArg_VaParseTupleAndKeywordsFast _PyArg_VaParseTupleAndKeywordsFast_SizeT
#define _PyArg_ParseStack _PyArg_ParseStack_SizeT
#define _PyArg_ParseStackAndKeywords _PyArg_ParseStackAndKeywords_SizeT
#define _Py_VaBuildStack _Py_VaBuildStack_SizeT
#endif

#endif
