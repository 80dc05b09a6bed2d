/* The marshal format (as the marshal module writes it). Not included by
 * Python.h. */
#ifndef Py_MARSHAL_H
#define Py_MARSHAL_H

#include <stdio.h>
#ifdef __cplusplus
extern "C" {
#endif

#define Py_MARSHAL_VERSION 4

PyAPI_FUNC(PyObject *) PyMarshal_ReadObjectFromString(const char *data, Py_ssize_t len);
PyAPI_FUNC(PyObject *) PyMarshal_WriteObjectToString(PyObject *value, int version);

/* 4 or 2 bytes, little-endian; -1 with an exception set at end of file. */
PyAPI_FUNC(long) PyMarshal_ReadLongFromFile(FILE *file);
PyAPI_FUNC(int) PyMarshal_ReadShortFromFile(FILE *file);
PyAPI_FUNC(PyObject *) PyMarshal_ReadObjectFromFile(FILE *file);
/* Reads the rest of the file as one object. */
PyAPI_FUNC(PyObject *) PyMarshal_ReadLastObjectFromFile(FILE *file);
PyAPI_FUNC(void) PyMarshal_WriteLongToFile(long value, FILE *file, int version);
PyAPI_FUNC(void) PyMarshal_WriteObjectToFile(PyObject *value, FILE *file, int version);

#ifdef __cplusplus
}
#endif
#endif
