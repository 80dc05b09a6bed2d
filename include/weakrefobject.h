/* Weak references. */
#ifndef CPYEXT_WEAKREFOBJECT_H
#define CPYEXT_WEAKREFOBJECT_H

PyAPI_FUNC(PyObject *) PyWeakref_NewRef(PyObject *ob, PyObject *callback);
/* Borrowed; Py_None once the referent is gone. */
PyAPI_FUNC(PyObject *) PyWeakref_GetObject(PyObject *ref);
/* Clears the weak references to an object and calls their callbacks (a
 * tp_dealloc calls it; by then the host has already done it). */
PyAPI_FUNC(void) PyObject_ClearWeakRefs(PyObject *object);

#endif
