/* os.fspath() from C. */
#ifndef Py_OSMODULE_H
#define Py_OSMODULE_H

PyAPI_FUNC(PyObject *) PyOS_FSPath(PyObject *path);

#endif
