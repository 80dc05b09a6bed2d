/* Start-up, shut-down and facts about the running interpreter.
 *
 * Extensions run inside an interpreter that is already initialised:
 * Py_Initialize and Py_InitializeEx do nothing then, as in CPython. */
#ifndef Py_PYLIFECYCLE_H
#define Py_PYLIFECYCLE_H
#define Py_CPYTHON_PYLIFECYCLE_H

PyAPI_FUNC(void) Py_Initialize(void);
PyAPI_FUNC(void) Py_InitializeEx(int initsigs);
PyAPI_FUNC(void) Py_Finalize(void);
PyAPI_FUNC(int) Py_FinalizeEx(void);
PyAPI_FUNC(int) Py_IsInitialized(void);
PyAPI_FUNC(int) _Py_IsFinalizing(void);

PyAPI_FUNC(PyThreadState *) Py_NewInterpreter(void);
PyAPI_FUNC(void) Py_EndInterpreter(PyThreadState *tstate);

/* Registers a C function to run at exit, after Python's atexit handlers
 * (at most 32; -1 when full). */
PyAPI_FUNC(int) Py_AtExit(void (*func)(void));
PyAPI_FUNC(void) Py_Exit(int status) __attribute__((noreturn));

PyAPI_FUNC(int) Py_Main(int argc, wchar_t **argv);
PyAPI_FUNC(int) Py_BytesMain(int argc, char **argv);
PyAPI_FUNC(int) Py_FrozenMain(int argc, char **argv);
PyAPI_FUNC(int) Py_RunMain(void);

/* Path configuration. */
PyAPI_FUNC(void) Py_SetProgramName(const wchar_t *name);
PyAPI_FUNC(wchar_t *) Py_GetProgramName(void);
PyAPI_FUNC(void) Py_SetPythonHome(const wchar_t *home);
PyAPI_FUNC(wchar_t *) Py_GetPythonHome(void);
PyAPI_FUNC(wchar_t *) Py_GetProgramFullPath(void);
PyAPI_FUNC(wchar_t *) Py_GetPrefix(void);
PyAPI_FUNC(wchar_t *) Py_GetExecPrefix(void);
PyAPI_FUNC(wchar_t *) Py_GetPath(void);
PyAPI_FUNC(void) Py_SetPath(const wchar_t *path);

/* The strings sys.version is made of. */
PyAPI_FUNC(const char *) Py_GetVersion(void);
PyAPI_FUNC(const char *) Py_GetPlatform(void);
PyAPI_FUNC(const char *) Py_GetCopyright(void);
PyAPI_FUNC(const char *) Py_GetCompiler(void);
PyAPI_FUNC(const char *) Py_GetBuildInfo(void);
/* PY_VERSION_HEX of the headers the layer was built with. */
PyAPI_DATA(const unsigned long) Py_Version;

/* Signal handlers, set with sigaction. */
typedef void (*PyOS_sighandler_t)(int);
PyAPI_FUNC(PyOS_sighandler_t) PyOS_getsig(int sig);
PyAPI_FUNC(PyOS_sighandler_t) PyOS_setsig(int sig, PyOS_sighandler_t handler);

/* Configured start-up (see cpython/initconfig.h). */
PyAPI_FUNC(int) Py_SetStandardStreamEncoding(const char *encoding, const char *errors);
PyAPI_FUNC(PyStatus) Py_PreInitialize(const PyPreConfig *src_config);
PyAPI_FUNC(PyStatus) Py_PreInitializeFromBytesArgs(const PyPreConfig *src_config, Py_ssize_t argc, char **argv);
PyAPI_FUNC(PyStatus) Py_PreInitializeFromArgs(const PyPreConfig *src_config, Py_ssize_t argc, wchar_t **argv);
PyAPI_FUNC(PyStatus) Py_InitializeFromConfig(const PyConfig *config);
PyAPI_FUNC(void) Py_ExitStatusException(PyStatus err) __attribute__((noreturn));
/* Whether fp is a terminal (or the file name is "<stdin>" or "???"). */
PyAPI_FUNC(int) Py_FdIsInteractive(FILE *fp, const char *filename);

#include "cpython/pylifecycle.h"

#endif
