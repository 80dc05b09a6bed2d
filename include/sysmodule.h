/* The sys module from C. */
#ifndef Py_SYSMODULE_H
#define Py_SYSMODULE_H
#define Py_CPYTHON_SYSMODULE_H

/* Borrowed: sys.<name>, or NULL without an error when it is missing. */
PyAPI_FUNC(PyObject *) PySys_GetObject(const char *name);
/* Sets sys.<name>; a NULL value deletes it. */
PyAPI_FUNC(int) PySys_SetObject(const char *name, PyObject *value);
PyAPI_FUNC(void) PySys_SetArgv(int argc, wchar_t **argv);
PyAPI_FUNC(void) PySys_SetArgvEx(int argc, wchar_t **argv, int updatepath);
PyAPI_FUNC(void) PySys_SetPath(const wchar_t *path);

/* Writes to sys.stdout / sys.stderr (to the C stream when they are unset);
 * the Write forms format with printf rules and truncate at 1000 bytes. */
PyAPI_FUNC(void) PySys_WriteStdout(const char *format, ...) __attribute__((format(printf, 1, 2)));
PyAPI_FUNC(void) PySys_WriteStderr(const char *format, ...) __attribute__((format(printf, 1, 2)));
PyAPI_FUNC(void) PySys_FormatStdout(const char *format, ...);
PyAPI_FUNC(void) PySys_FormatStderr(const char *format, ...);

/* sys.warnoptions and sys._xoptions. */
PyAPI_FUNC(void) PySys_ResetWarnOptions(void);
PyAPI_FUNC(void) PySys_AddWarnOption(const wchar_t *option);
PyAPI_FUNC(void) PySys_AddWarnOptionUnicode(PyObject *option);
PyAPI_FUNC(int) PySys_HasWarnOptions(void);
PyAPI_FUNC(void) PySys_AddXOption(const wchar_t *option);
/* Borrowed: sys._xoptions. */
PyAPI_FUNC(PyObject *) PySys_GetXOptions(void);

/* Audit events: hooks see every event, from C and from sys.audit(). */
typedef int (*Py_AuditHookFunction)(const char *event, PyObject *args, void *userData);
PyAPI_FUNC(int) PySys_Audit(const char *event, const char *argFormat, ...);
PyAPI_FUNC(int) PySys_AddAuditHook(Py_AuditHookFunction hook, void *userData);

#include "cpython/sysmodule.h"

#endif
