/* Compiles against CPython 3.11's headers; against cpyext's include/ it fails:
 * PyLockStatus / PY_LOCK_ACQUIRED (pythread.h) and PyLong_AS_LONG (longobject.h)
 * are missing. mysqlclient's _mysql.c uses all three. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
int try_lock(PyThread_type_lock lock) {
    PyLockStatus status = PyThread_acquire_lock(lock, NOWAIT_LOCK);
    return status == PY_LOCK_ACQUIRED;
}
long as_long(PyObject *o) { return PyLong_AS_LONG(o); }
