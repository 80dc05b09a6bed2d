/* Weak references. */
#ifndef CPYEXT_WEAKREFOBJECT_H
#define CPYEXT_WEAKREFOBJECT_H

PyAPI_FUNC(PyObject *) PyWeakref_NewRef(PyObject *ob, PyObject *callback);
/* Borrowed; Py_None once the referent is gone. */
PyAPI_FUNC(PyObject *) PyWeakref_GetObject(PyObject *ref);

#endif
