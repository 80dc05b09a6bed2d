/* Locks and thread identity. */
#ifndef CPYEXT_PYTHREAD_H
#define CPYEXT_PYTHREAD_H

typedef void *PyThread_type_lock;
#define WAIT_LOCK 1
#define NOWAIT_LOCK 0

PyAPI_FUNC(PyThread_type_lock) PyThread_allocate_lock(void);
PyAPI_FUNC(void) PyThread_free_lock(PyThread_type_lock lock);
PyAPI_FUNC(int) PyThread_acquire_lock(PyThread_type_lock lock, int waitflag);
PyAPI_FUNC(void) PyThread_release_lock(PyThread_type_lock lock);
PyAPI_FUNC(unsigned long) PyThread_get_thread_ident(void);

#endif
