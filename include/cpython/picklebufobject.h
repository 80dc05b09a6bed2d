/* pickle.PickleBuffer: a wrapper around a buffer for pickle protocol 5. */
#ifndef Py_PICKLEBUFOBJECT_H
#define Py_PICKLEBUFOBJECT_H

PyAPI_DATA(PyTypeObject) PyPickleBuffer_Type;
#define PyPickleBuffer_Check(op) Py_IS_TYPE((op), &PyPickleBuffer_Type)

/* A PickleBuffer over `obj`'s buffer (a new reference). */
PyAPI_FUNC(PyObject *) PyPickleBuffer_FromObject(PyObject *obj);
/* The wrapped buffer, or NULL with an exception once released. */
PyAPI_FUNC(const Py_buffer *) PyPickleBuffer_GetBuffer(PyObject *picklebuf);
/* Releases the wrapped buffer. */
PyAPI_FUNC(int) PyPickleBuffer_Release(PyObject *picklebuf);

#endif
