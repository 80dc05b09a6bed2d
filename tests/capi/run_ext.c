/* pythonrun.h and compile.h: compiling with each start symbol, running
 * strings and files, syntax errors, PyErr_Display, and import.h. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include <stdio.h>

/* compile(source, filename, start, flags or -1 for NULL, optimize) */
static PyObject *
compile_string(PyObject *self, PyObject *args)
{
    const char *source, *filename;
    int start, flags, optimize;
    if (!PyArg_ParseTuple(args, "ssiii", &source, &filename, &start, &flags, &optimize))
        return NULL;
    PyCompilerFlags cf = {flags < 0 ? 0 : flags, PY_MINOR_VERSION};
    return Py_CompileStringExFlags(source, filename, start, flags < 0 ? NULL : &cf, optimize);
}

static PyObject *
compile_plain(PyObject *self, PyObject *args)
{
    const char *source, *filename;
    int start;
    if (!PyArg_ParseTuple(args, "ssi", &source, &filename, &start))
        return NULL;
    PyObject *a = Py_CompileString(source, filename, start);
    if (a == NULL)
        return NULL;
    PyObject *b = Py_CompileStringFlags(source, filename, start, NULL);
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    PyObject *name = PyUnicode_FromString(filename);
    PyObject *c = Py_CompileStringObject(source, name, start, NULL, 2);
    Py_DECREF(name);
    if (c == NULL) {
        Py_DECREF(a);
        Py_DECREF(b);
        return NULL;
    }
    return Py_BuildValue("(NNN)", a, b, c);
}

/* run_string(source, start, globals, locals or None) */
static PyObject *
run_string(PyObject *self, PyObject *args)
{
    const char *source;
    int start;
    PyObject *globals, *locals;
    if (!PyArg_ParseTuple(args, "siOO", &source, &start, &globals, &locals))
        return NULL;
    if (locals == Py_None)
        return PyRun_String(source, start, globals, globals);
    PyCompilerFlags cf = {0, PY_MINOR_VERSION};
    return PyRun_StringFlags(source, start, globals, locals, &cf);
}

static PyObject *
run_simple(PyObject *self, PyObject *arg)
{
    const char *source = PyUnicode_AsUTF8(arg);
    if (source == NULL)
        return NULL;
    int rc = PyRun_SimpleString(source);
    return Py_BuildValue("(iO)", rc, PyErr_Occurred() ? Py_True : Py_False);
}

/* run_file(path, start, globals): PyRun_File / FileEx with closeit */
static PyObject *
run_file(PyObject *self, PyObject *args)
{
    const char *path;
    int start, closeit;
    PyObject *globals;
    if (!PyArg_ParseTuple(args, "siOp", &path, &start, &globals, &closeit))
        return NULL;
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
    PyObject *result;
    if (closeit)
        result = PyRun_FileEx(fp, path, start, globals, globals, 1);
    else {
        result = PyRun_FileFlags(fp, path, start, globals, globals, NULL);
        fclose(fp);
    }
    return result;
}

static PyObject *
run_simple_file(PyObject *self, PyObject *arg)
{
    const char *path = PyUnicode_AsUTF8(arg);
    if (path == NULL)
        return NULL;
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
    int rc = PyRun_SimpleFileEx(fp, path, 1);
    return PyLong_FromLong(rc);
}

/* interactive_loop(path, how): the file's statements through
   PyRun_InteractiveLoop ("loop"), PyRun_InteractiveOne until E_EOF
   ("one", returning the statuses), or PyRun_AnyFileEx ("any"). */
static PyObject *
interactive_loop(PyObject *self, PyObject *args)
{
    const char *path, *how;
    if (!PyArg_ParseTuple(args, "ss", &path, &how))
        return NULL;
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
    if (strcmp(how, "any") == 0)
        return PyLong_FromLong(PyRun_AnyFileEx(fp, path, 1));
    if (strcmp(how, "loop") == 0) {
        int rc = PyRun_InteractiveLoop(fp, path);
        fclose(fp);
        return PyLong_FromLong(rc);
    }
    PyObject *statuses = PyList_New(0);
    for (int i = 0; i < 20; i++) {
        int rc = PyRun_InteractiveOne(fp, path);
        PyObject *item = PyLong_FromLong(rc);
        PyList_Append(statuses, item);
        Py_DECREF(item);
        if (rc == 11)  /* E_EOF */
            break;
    }
    fclose(fp);
    return statuses;
}

static PyObject *
display(PyObject *self, PyObject *exc)
{
    PyErr_Display(NULL, exc, NULL);
    Py_RETURN_NONE;
}

static PyObject *
interactive(PyObject *self, PyObject *arg)
{
    const char *path = PyUnicode_AsUTF8(arg);
    FILE *fp = fopen(path, "r");
    int r = Py_FdIsInteractive(fp, path);
    fclose(fp);
    return PyLong_FromLong(r);
}

static PyObject *
constants(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(iiiiiiiiiii)", Py_single_input, Py_file_input, Py_eval_input, Py_func_type_input,
                         Py_fstring_input, PyCF_ONLY_AST, PyCF_TYPE_COMMENTS, PyCF_ALLOW_TOP_LEVEL_AWAIT,
                         PyCF_MASK, PyCF_COMPILE_MASK, FVC_MASK | FVS_HAVE_SPEC);
}

/* --- import.h -------------------------------------------------------------- */

static PyObject *
import_level(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *globals, *fromlist;
    int level;
    if (!PyArg_ParseTuple(args, "sOOi", &name, &globals, &fromlist, &level))
        return NULL;
    return PyImport_ImportModuleLevel(name, globals == Py_None ? NULL : globals, NULL,
                                      fromlist == Py_None ? NULL : fromlist, level);
}

static PyObject *
import_level_object(PyObject *self, PyObject *args)
{
    PyObject *name, *globals, *fromlist;
    int level;
    if (!PyArg_ParseTuple(args, "OOOi", &name, &globals, &fromlist, &level))
        return NULL;
    return PyImport_ImportModuleLevelObject(name, globals == Py_None ? NULL : globals, NULL,
                                            fromlist == Py_None ? NULL : fromlist, level);
}

static PyObject *
import_ex(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *fromlist;
    if (!PyArg_ParseTuple(args, "sO", &name, &fromlist))
        return NULL;
    return PyImport_ImportModuleEx(name, NULL, NULL, fromlist);
}

static PyObject *
import_noblock(PyObject *self, PyObject *arg)
{
    return PyImport_ImportModuleNoBlock(PyUnicode_AsUTF8(arg));
}

static PyObject *
reload(PyObject *self, PyObject *arg)
{
    return PyImport_ReloadModule(arg);
}

static PyObject *
exec_code_module(PyObject *self, PyObject *args)
{
    const char *name, *path = NULL, *cpath = NULL;
    PyObject *code;
    int variant;
    if (!PyArg_ParseTuple(args, "sOi|zz", &name, &code, &variant, &path, &cpath))
        return NULL;
    switch (variant) {
    case 0:
        return PyImport_ExecCodeModule(name, code);
    case 1:
        return PyImport_ExecCodeModuleEx(name, code, path);
    case 2:
        return PyImport_ExecCodeModuleWithPathnames(name, code, path, cpath);
    default: {
        PyObject *n = PyUnicode_FromString(name);
        PyObject *p = path ? PyUnicode_FromString(path) : NULL;
        PyObject *r = PyImport_ExecCodeModuleObject(n, code, p, NULL);
        Py_DECREF(n);
        Py_XDECREF(p);
        return r;
    }
    }
}

static PyObject *
get_importer(PyObject *self, PyObject *arg)
{
    return PyImport_GetImporter(arg);
}

static PyObject *
magic(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(ls)", PyImport_GetMagicNumber(), PyImport_GetMagicTag());
}

static struct PyModuleDef late_def = {PyModuleDef_HEAD_INIT, "cpyext_late_builtin", NULL, -1, NULL};

static PyObject *
late_init(void)
{
    return PyModule_Create(&late_def);
}

static PyObject *
append_inittab(PyObject *self, PyObject *unused)
{
    int a = PyImport_AppendInittab("cpyext_late_builtin", late_init);
    struct _inittab more[] = {{"cpyext_late_two", late_init}, {NULL, NULL}};
    int b = PyImport_ExtendInittab(more);
    return Py_BuildValue("(ii)", a, b);
}

static PyObject *
import_frozen(PyObject *self, PyObject *arg)
{
    int a = PyImport_ImportFrozenModule(PyUnicode_AsUTF8(arg));
    if (a < 0)
        return NULL;
    int b = PyImport_ImportFrozenModuleObject(arg);
    if (b < 0)
        return NULL;
    return Py_BuildValue("(ii)", a, b);
}

static int hook_calls;

static int
count_hook(void)
{
    hook_calls++;
    return 0;
}

/* readline(path): the lines PyOS_Readline gives for a file, until "" */
static PyObject *
readline(PyObject *self, PyObject *arg)
{
    FILE *fp = fopen(PyUnicode_AsUTF8(arg), "r");
    if (fp == NULL)
        return PyErr_SetFromErrno(PyExc_OSError);
    PyObject *out = PyList_New(0);
    hook_calls = 0;
    PyOS_InputHook = count_hook;
    for (int i = 0; i < 5; i++) {
        char *line = PyOS_Readline(fp, stdout, "prompt> ");
        if (line == NULL) {
            Py_DECREF(out);
            out = NULL;
            break;
        }
        PyObject *item = PyUnicode_FromString(line);
        PyMem_Free(line);
        PyList_Append(out, item);
        Py_DECREF(item);
        if (PyUnicode_GetLength(item) == 0)
            break;
    }
    PyOS_InputHook = NULL;
    fclose(fp);
    return out == NULL ? NULL : Py_BuildValue("(Ni)", out, hook_calls > 0);
}

static PyMethodDef methods[] = {
    {"readline", readline, METH_O},
    {"import_frozen", import_frozen, METH_O},
    {"append_inittab", append_inittab, METH_NOARGS},
    {"compile_string", compile_string, METH_VARARGS},
    {"compile_plain", compile_plain, METH_VARARGS},
    {"run_string", run_string, METH_VARARGS},
    {"run_simple", run_simple, METH_O},
    {"run_file", run_file, METH_VARARGS},
    {"run_simple_file", run_simple_file, METH_O},
    {"display", display, METH_O},
    {"interactive_loop", interactive_loop, METH_VARARGS},
    {"interactive", interactive, METH_O},
    {"constants", constants, METH_NOARGS},
    {"import_level", import_level, METH_VARARGS},
    {"import_level_object", import_level_object, METH_VARARGS},
    {"import_ex", import_ex, METH_VARARGS},
    {"import_noblock", import_noblock, METH_O},
    {"reload", reload, METH_O},
    {"exec_code_module", exec_code_module, METH_VARARGS},
    {"get_importer", get_importer, METH_O},
    {"magic", magic, METH_NOARGS},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "run_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_run_ext(void)
{
    return PyModule_Create(&module);
}
