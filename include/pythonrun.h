/* Running Python source from C. */
#ifndef CPYEXT_PYTHONRUN_H
#define CPYEXT_PYTHONRUN_H

#define Py_single_input 256
#define Py_file_input 257
#define Py_eval_input 258

typedef struct {
    int cf_flags;
    int cf_feature_version;
} PyCompilerFlags;

PyAPI_FUNC(PyObject *) PyRun_StringFlags(const char *str, int start, PyObject *globals, PyObject *locals, PyCompilerFlags *flags);
#define PyRun_String(str, start, globals, locals) PyRun_StringFlags((str), (start), (globals), (locals), NULL)

#endif
