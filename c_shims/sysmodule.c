/* The varargs half of sysmodule.h: PySys_Write*, PySys_Format*, PySys_Audit. */
#include "Python.h"

/* Writes text to sys.<name>; 0, or -1 (error cleared) when sys.<name> is
 * unset or the write fails. */
static int
write_to_sys_stream(const char *name, PyObject *text)
{
    PyObject *file = PySys_GetObject(name);
    if (file == NULL || PyFile_WriteObject(text, file, Py_PRINT_RAW) != 0) {
        PyErr_Clear();
        return -1;
    }
    return 0;
}

/* A C string to sys.<name>, or as it stands to the C stream. */
static void
write_c_string(const char *name, FILE *fallback, const char *s)
{
    PyObject *text = PyUnicode_FromString(s);
    if (text == NULL || write_to_sys_stream(name, text) != 0) {
        PyErr_Clear();
        fputs(s, fallback);
    }
    Py_XDECREF(text);
}

/* printf formatting into at most 1000 bytes, as CPython does. A pending
 * error is kept across the write. */
static void
write_formatted(const char *name, FILE *fallback, const char *format, va_list va)
{
    char buffer[1001];
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    int n = vsnprintf(buffer, sizeof(buffer), format, va);
    write_c_string(name, fallback, buffer);
    if (n > 1000)
        write_c_string(name, fallback, "... truncated");
    PyErr_Restore(type, value, traceback);
}

void
PySys_WriteStdout(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    write_formatted("stdout", stdout, format, va);
    va_end(va);
}

void
PySys_WriteStderr(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    write_formatted("stderr", stderr, format, va);
    va_end(va);
}

/* PyUnicode_FromFormat rules, no length limit. */
static void
format_to_sys_stream(const char *name, FILE *fallback, const char *format, va_list va)
{
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyObject *text = PyUnicode_FromFormatV(format, va);
    if (text != NULL && write_to_sys_stream(name, text) != 0) {
        const char *utf8 = PyUnicode_AsUTF8(text);
        if (utf8 != NULL)
            fputs(utf8, fallback);
    }
    Py_XDECREF(text);
    PyErr_Clear();
    PyErr_Restore(type, value, traceback);
}

void
PySys_FormatStdout(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    format_to_sys_stream("stdout", stdout, format, va);
    va_end(va);
}

void
PySys_FormatStderr(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    format_to_sys_stream("stderr", stderr, format, va);
    va_end(va);
}

/* Defined by the layer (api/sysmodule.rs): runs the audit hooks for an
 * event with an argument tuple; 0, or -1 with an error set. */
extern int cpyext_sys_audit(const char *event, PyObject *args);

int
PySys_Audit(const char *event, const char *format, ...)
{
    PyObject *args;
    if (format != NULL && *format != '\0') {
        va_list va;
        va_start(va, format);
        args = Py_VaBuildValue(format, va);
        va_end(va);
        if (args == NULL)
            return -1;
        if (!PyTuple_Check(args)) {
            PyObject *single = PyTuple_Pack(1, args);
            Py_DECREF(args);
            if (single == NULL)
                return -1;
            args = single;
        }
    }
    else {
        args = PyTuple_New(0);
        if (args == NULL)
            return -1;
    }
    int status = cpyext_sys_audit(event, args);
    Py_DECREF(args);
    return status;
}
