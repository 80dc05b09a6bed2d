/* PyPy's embedding interface, for programs written against it: the
 * interpreter is started once, and Python source is run from C, with the
 * GIL taken and released around each run. These functions are declared with
 * PyPy's names and signatures, and behave as PyPy documents them. */
#ifndef CPYEXT_PYPY_H
#define CPYEXT_PYPY_H

/* For PyAPI_FUNC; a program written for PyPy's interface needs no more. */
#include "Python.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Call once, before any other function here: starts the interpreter. */
PyAPI_FUNC(void) rpython_startup_code(void);

/* `home` names a file inside the installation (it becomes sys.executable);
 * the standard library is built into the layer, so it is always found.
 * 0 on success; 1 if `home` is NULL (with a message if `verbose`). */
PyAPI_FUNC(int) pypy_setup_home(char *home, int verbose);

/* Threads are always enabled; a thread made in C calls pypy_thread_attach
 * once before it runs Python source. */
PyAPI_FUNC(void) pypy_init_threads(void);
PyAPI_FUNC(void) pypy_thread_attach(void);

/* Runs `source` as a module body in a namespace of its own, kept alive
 * afterwards (functions it defines stay callable). 0 on success; -1 if an
 * exception escaped, after printing its traceback to stderr. */
PyAPI_FUNC(int) pypy_execute_source(char *source);

/* The same, with `ptr` given to the source as the int `c_argument`. */
PyAPI_FUNC(int) pypy_execute_source_ptr(char *source, void *ptr);

#ifdef __cplusplus
}
#endif
#endif
