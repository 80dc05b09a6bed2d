/* sysmodule.h: sys attributes from C, the sys stream writers, warn and -X
 * options, argv and path, audit hooks. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <string.h>

/* get_object(name) -> (found, value or None, error pending) */
static PyObject *
get_object(PyObject *self, PyObject *args)
{
    const char *name;
    if (!PyArg_ParseTuple(args, "s", &name))
        return NULL;
    PyObject *value = PySys_GetObject(name);
    int pending = PyErr_Occurred() != NULL;
    return Py_BuildValue("(iOi)", value != NULL, value ? value : Py_None, pending);
}

/* set_object(name, value, delete) -> status */
static PyObject *
set_object(PyObject *self, PyObject *args)
{
    const char *name;
    PyObject *value;
    int delete;
    if (!PyArg_ParseTuple(args, "sOp", &name, &value, &delete))
        return NULL;
    Py_ssize_t before = Py_REFCNT(value);
    int status = PySys_SetObject(name, delete ? NULL : value);
    if (status < 0)
        return NULL;
    /* The sys dict took a reference of its own (or none, for a delete). */
    return Py_BuildValue("(in)", status, Py_REFCNT(value) - before);
}

static PyObject *
write_stdout(PyObject *self, PyObject *args)
{
    const char *text;
    int number;
    if (!PyArg_ParseTuple(args, "si", &text, &number))
        return NULL;
    PySys_WriteStdout("[%s|%d|%5.2f]\n", text, number, 2.5);
    Py_RETURN_NONE;
}

static PyObject *
write_stderr(PyObject *self, PyObject *args)
{
    const char *text;
    if (!PyArg_ParseTuple(args, "s", &text))
        return NULL;
    PySys_WriteStderr("err:%s\n", text);
    Py_RETURN_NONE;
}

/* 1500 'x' through the 1000-byte writer: truncated. */
static PyObject *
write_long(PyObject *self, PyObject *unused)
{
    char buffer[1501];
    memset(buffer, 'x', 1500);
    buffer[1500] = '\0';
    PySys_WriteStdout("%s", buffer);
    PySys_WriteStdout("\n");
    Py_RETURN_NONE;
}

/* Writes while an error is pending: the error survives. */
static PyObject *
write_with_error(PyObject *self, PyObject *unused)
{
    PyErr_SetString(PyExc_KeyError, "kept");
    PySys_WriteStdout("written while an error is pending\n");
    PySys_FormatStdout("formatted while an error is pending: %R\n", Py_None);
    return NULL;
}

static PyObject *
format_both(PyObject *self, PyObject *args)
{
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "O", &obj))
        return NULL;
    PySys_FormatStdout("out: %R %S %d %s\n", obj, obj, 42, "text");
    PySys_FormatStderr("err: %R\n", obj);
    Py_RETURN_NONE;
}

/* A str as a wide string (free with PyMem_RawFree). */
static wchar_t *
wide(PyObject *text)
{
    const char *utf8 = PyUnicode_AsUTF8(text);
    if (utf8 == NULL)
        return NULL;
    wchar_t *w = Py_DecodeLocale(utf8, NULL);
    if (w == NULL)
        PyErr_NoMemory();
    return w;
}

static PyObject *
add_warn_option(PyObject *self, PyObject *arg)
{
    wchar_t *w = wide(arg);
    if (w == NULL)
        return NULL;
    PySys_AddWarnOption(w);
    PyMem_RawFree(w);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
add_warn_option_unicode(PyObject *self, PyObject *arg)
{
    PySys_AddWarnOptionUnicode(arg);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
reset_warn_options(PyObject *self, PyObject *unused)
{
    PySys_ResetWarnOptions();
    Py_RETURN_NONE;
}

static PyObject *
has_warn_options(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(PySys_HasWarnOptions());
}

static PyObject *
add_xoption(PyObject *self, PyObject *arg)
{
    wchar_t *w = wide(arg);
    if (w == NULL)
        return NULL;
    PySys_AddXOption(w);
    PyMem_RawFree(w);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
}

/* get_xoptions() -> (the dict, is it sys._xoptions) */
static PyObject *
get_xoptions(PyObject *self, PyObject *unused)
{
    PyObject *options = PySys_GetXOptions();
    if (options == NULL)
        return NULL;
    return Py_BuildValue("(Oi)", options, options == PySys_GetObject("_xoptions"));
}

/* set_argv(list of str, updatepath) */
static PyObject *
set_argv(PyObject *self, PyObject *args)
{
    PyObject *list;
    int updatepath;
    if (!PyArg_ParseTuple(args, "O!i", &PyList_Type, &list, &updatepath))
        return NULL;
    Py_ssize_t n = PyList_Size(list);
    wchar_t **argv = PyMem_Calloc(n + 1, sizeof(wchar_t *));
    for (Py_ssize_t i = 0; i < n; i++)
        argv[i] = wide(PyList_GetItem(list, i));
    if (updatepath < 0)
        PySys_SetArgv((int)n, argv);
    else
        PySys_SetArgvEx((int)n, argv, updatepath);
    for (Py_ssize_t i = 0; i < n; i++)
        PyMem_RawFree(argv[i]);
    PyMem_Free(argv);
    Py_RETURN_NONE;
}

static PyObject *
set_path(PyObject *self, PyObject *arg)
{
    wchar_t *w = wide(arg);
    if (w == NULL)
        return NULL;
    PySys_SetPath(w);
    PyMem_RawFree(w);
    Py_RETURN_NONE;
}

/* --- audit hooks -------------------------------------------------------- */

static PyObject *seen_events = NULL;

static int
record_hook(const char *event, PyObject *args, void *data)
{
    if (strncmp(event, "cpyext.test.", 12) != 0)
        return 0;
    PyObject *entry = Py_BuildValue("(sOs)", event, args, (const char *)data);
    if (entry == NULL)
        return -1;
    int rc = PyList_Append(seen_events, entry);
    Py_DECREF(entry);
    if (strcmp(event, "cpyext.test.refuse") == 0) {
        PyErr_SetString(PyExc_PermissionError, "refused by the C hook");
        return -1;
    }
    return rc;
}

static PyObject *
add_audit_hook(PyObject *self, PyObject *unused)
{
    if (seen_events == NULL) {
        seen_events = PyList_New(0);
        if (seen_events == NULL)
            return NULL;
    }
    if (PySys_AddAuditHook(record_hook, "user-data") < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
audit_events(PyObject *self, PyObject *unused)
{
    return Py_NewRef(seen_events ? seen_events : Py_None);
}

/* audit(event, a, b) with format "(is)" -> status */
static PyObject *
audit(PyObject *self, PyObject *args)
{
    const char *event;
    int number;
    const char *text;
    if (!PyArg_ParseTuple(args, "sis", &event, &number, &text))
        return NULL;
    if (PySys_Audit(event, "is", number, text) < 0)
        return NULL;
    if (PySys_Audit(event, NULL) < 0)
        return NULL;
    if (PySys_Audit(event, "O", Py_None) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get_object", get_object, METH_VARARGS},
    {"set_object", set_object, METH_VARARGS},
    {"write_stdout", write_stdout, METH_VARARGS},
    {"write_stderr", write_stderr, METH_VARARGS},
    {"write_long", write_long, METH_NOARGS},
    {"write_with_error", write_with_error, METH_NOARGS},
    {"format_both", format_both, METH_VARARGS},
    {"add_warn_option", add_warn_option, METH_O},
    {"add_warn_option_unicode", add_warn_option_unicode, METH_O},
    {"reset_warn_options", reset_warn_options, METH_NOARGS},
    {"has_warn_options", has_warn_options, METH_NOARGS},
    {"add_xoption", add_xoption, METH_O},
    {"get_xoptions", get_xoptions, METH_NOARGS},
    {"set_argv", set_argv, METH_VARARGS},
    {"set_path", set_path, METH_O},
    {"add_audit_hook", add_audit_hook, METH_NOARGS},
    {"audit_events", audit_events, METH_NOARGS},
    {"audit", audit, METH_VARARGS},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "sys_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_sys_ext(void)
{
    return PyModule_Create(&module);
}
