/* CPython's Include/cpython/pymem.h: the private names of "pymem.h".
 * Included by that header; an extension that includes this path directly
 * gets all of <Python.h>, which includes it again. */
#ifndef Py_PYMEM_H
#  include "Python.h"
#elif !defined(Py_CPYTHON_PYMEM_DECLS_H)
#define Py_CPYTHON_PYMEM_DECLS_H

/* "malloc" while the layer's allocators are in use, NULL once C installed its own. */
PyAPI_FUNC(const char *) _PyMem_GetCurrentAllocatorName(void);
#endif
