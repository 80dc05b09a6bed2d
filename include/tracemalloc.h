/* Telling tracemalloc about memory allocated outside Python's allocators. */
#ifndef Py_TRACEMALLOC_H
#define Py_TRACEMALLOC_H

/* 0 on success, -1 on error, -2 when tracemalloc is not tracing. */
PyAPI_FUNC(int) PyTraceMalloc_Track(unsigned int domain, uintptr_t ptr, size_t size);
PyAPI_FUNC(int) PyTraceMalloc_Untrack(unsigned int domain, uintptr_t ptr);
PyAPI_FUNC(PyObject *) _PyTraceMalloc_GetTraceback(unsigned int domain, uintptr_t ptr);

#endif
