/* Locks and thread identity. */
#ifndef CPYEXT_PYTHREAD_H
#define CPYEXT_PYTHREAD_H

typedef void *PyThread_type_lock;
#define WAIT_LOCK 1
#define NOWAIT_LOCK 0

/* What an acquire reports; PyThread_acquire_lock's int is one of these. */
typedef enum PyLockStatus {
    PY_LOCK_FAILURE = 0,
    PY_LOCK_ACQUIRED = 1,
    PY_LOCK_INTR
} PyLockStatus;

PyAPI_FUNC(PyThread_type_lock) PyThread_allocate_lock(void);
PyAPI_FUNC(void) PyThread_free_lock(PyThread_type_lock lock);
PyAPI_FUNC(int) PyThread_acquire_lock(PyThread_type_lock lock, int waitflag);
PyAPI_FUNC(void) PyThread_release_lock(PyThread_type_lock lock);
PyAPI_FUNC(unsigned long) PyThread_get_thread_ident(void);

#endif
