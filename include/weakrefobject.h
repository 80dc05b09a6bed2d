/* Weak references. */
#ifndef CPYEXT_WEAKREFOBJECT_H
#define CPYEXT_WEAKREFOBJECT_H

PyAPI_DATA(PyTypeObject) _PyWeakref_RefType;
PyAPI_DATA(PyTypeObject) _PyWeakref_ProxyType;
PyAPI_DATA(PyTypeObject) _PyWeakref_CallableProxyType;
#define PyWeakref_CheckRef(op) PyObject_TypeCheck((op), &_PyWeakref_RefType)
#define PyWeakref_CheckRefExact(op) Py_IS_TYPE((op), &_PyWeakref_RefType)
#define PyWeakref_CheckProxy(op) (Py_IS_TYPE((op), &_PyWeakref_ProxyType) || Py_IS_TYPE((op), &_PyWeakref_CallableProxyType))
#define PyWeakref_Check(op) (PyWeakref_CheckRef(op) || PyWeakref_CheckProxy(op))

PyAPI_FUNC(PyObject *) PyWeakref_NewRef(PyObject *ob, PyObject *callback);
/* Borrowed; Py_None once the referent is gone. */
PyAPI_FUNC(PyObject *) PyWeakref_GetObject(PyObject *ref);
/* Clears the weak references to an object and calls their callbacks (a
 * tp_dealloc calls it; by then the host has already done it). */
PyAPI_FUNC(void) PyObject_ClearWeakRefs(PyObject *object);

#endif
