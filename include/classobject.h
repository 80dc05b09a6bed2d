/* Bound methods and instance methods. */
#ifndef Py_CLASSOBJECT_H
#define Py_CLASSOBJECT_H

/* CPython's layouts. Bound methods are host objects, so the PyMethod_GET
 * macros call the accessor functions; instance methods are laid out so. */
typedef struct {
    PyObject_HEAD
    PyObject *im_func;
    PyObject *im_self;
    PyObject *im_weakreflist;
    vectorcallfunc vectorcall;
} PyMethodObject;

typedef struct {
    PyObject_HEAD
    PyObject *func;
} PyInstanceMethodObject;

PyAPI_DATA(PyTypeObject) PyMethod_Type;
#define PyMethod_Check(op) Py_IS_TYPE((op), &PyMethod_Type)
PyAPI_FUNC(PyObject *) PyMethod_New(PyObject *func, PyObject *self);
PyAPI_FUNC(PyObject *) PyMethod_Function(PyObject *meth);
PyAPI_FUNC(PyObject *) PyMethod_Self(PyObject *meth);
/* Borrowed, valid while the method lives. */
#define PyMethod_GET_FUNCTION(meth) PyMethod_Function(_PyObject_CAST(meth))
#define PyMethod_GET_SELF(meth) PyMethod_Self(_PyObject_CAST(meth))

PyAPI_DATA(PyTypeObject) PyInstanceMethod_Type;
#define PyInstanceMethod_Check(op) Py_IS_TYPE((op), &PyInstanceMethod_Type)
PyAPI_FUNC(PyObject *) PyInstanceMethod_New(PyObject *func);
PyAPI_FUNC(PyObject *) PyInstanceMethod_Function(PyObject *im);
#define PyInstanceMethod_GET_FUNCTION(meth) (((PyInstanceMethodObject *)(meth))->func)

#endif
