/* The type objects of tracebacks. */
#ifndef CPYEXT_TRACEBACK_H
#define CPYEXT_TRACEBACK_H

PyAPI_DATA(PyTypeObject) PyTraceBack_Type;
#define PyTraceBack_Check(op) Py_IS_TYPE((op), &PyTraceBack_Type)

#endif
