/* Arenas: memory and object references released together. CPython's own
 * parser and compiler use them; packages that carry their own copy of an
 * old CPython parser (typed_ast) call these exported functions. */
#ifndef Py_INTERNAL_PYARENA_H
#define Py_INTERNAL_PYARENA_H
#ifdef __cplusplus
extern "C" {
#endif

#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

typedef struct _arena PyArena;

/* A new arena; NULL with MemoryError set when there is no memory. */
PyAPI_FUNC(PyArena*) _PyArena_New(void);
/* Frees every block the arena handed out and releases the references it
 * was given, the last given first. */
PyAPI_FUNC(void) _PyArena_Free(PyArena *);
/* `size` bytes that live until the arena is freed (aligned for any type);
 * NULL with MemoryError set on failure. */
PyAPI_FUNC(void*) _PyArena_Malloc(PyArena *, size_t size);
/* The arena takes over the reference to `obj` (0); -1 on failure, when the
 * caller keeps its reference. */
PyAPI_FUNC(int) _PyArena_AddPyObject(PyArena *, PyObject *);

#ifdef __cplusplus
}
#endif
#endif /* !Py_INTERNAL_PYARENA_H */
