/* Threads, locks and thread-specific storage. */
#ifndef Py_PYTHREAD_H
#define Py_PYTHREAD_H
#define Py_CPYTHON_PYTHREAD_H

#include <pthread.h>

typedef void *PyThread_type_lock;

/* What an acquire reports; PyThread_acquire_lock's int is one of these. */
typedef enum PyLockStatus {
    PY_LOCK_FAILURE = 0,
    PY_LOCK_ACQUIRED = 1,
    PY_LOCK_INTR
} PyLockStatus;

#define PYTHREAD_INVALID_THREAD_ID ((unsigned long)-1)

PyAPI_FUNC(void) PyThread_init_thread(void);
/* Starts a thread running func(arg); its ident, or PYTHREAD_INVALID_THREAD_ID. */
PyAPI_FUNC(unsigned long) PyThread_start_new_thread(void (*func)(void *), void *arg);
PyAPI_FUNC(void) PyThread_exit_thread(void) __attribute__((noreturn));
PyAPI_FUNC(unsigned long) PyThread_get_thread_ident(void);
#define PY_HAVE_THREAD_NATIVE_ID
PyAPI_FUNC(unsigned long) PyThread_get_thread_native_id(void);

PyAPI_FUNC(PyThread_type_lock) PyThread_allocate_lock(void);
PyAPI_FUNC(void) PyThread_free_lock(PyThread_type_lock lock);
PyAPI_FUNC(int) PyThread_acquire_lock(PyThread_type_lock lock, int waitflag);
#define WAIT_LOCK 1
#define NOWAIT_LOCK 0

/* Timeouts in microseconds; negative waits for ever. */
#define PY_TIMEOUT_T long long
#define PY_TIMEOUT_MAX (LLONG_MAX / 1000)
PyAPI_FUNC(PyLockStatus) PyThread_acquire_lock_timed(PyThread_type_lock lock, PY_TIMEOUT_T microseconds,
                                                     int intr_flag);
PyAPI_FUNC(void) PyThread_release_lock(PyThread_type_lock lock);

/* The stack size of threads PyThread_start_new_thread starts (0: default). */
PyAPI_FUNC(size_t) PyThread_get_stacksize(void);
PyAPI_FUNC(int) PyThread_set_stacksize(size_t size);
/* New reference: sys.thread_info. */
PyAPI_FUNC(PyObject *) PyThread_GetInfo(void);

/* The old thread-local storage API: int keys. */
PyAPI_FUNC(int) PyThread_create_key(void);
PyAPI_FUNC(void) PyThread_delete_key(int key);
PyAPI_FUNC(int) PyThread_set_key_value(int key, void *value);
PyAPI_FUNC(void *) PyThread_get_key_value(int key);
PyAPI_FUNC(void) PyThread_delete_key_value(int key);
PyAPI_FUNC(void) PyThread_ReInitTLS(void);

/* Thread-specific storage: a Py_tss_t starts as Py_tss_NEEDS_INIT. */
#define NATIVE_TSS_KEY_T pthread_key_t
struct _Py_tss_t {
    int _is_initialized;
    NATIVE_TSS_KEY_T _key;
};
typedef struct _Py_tss_t Py_tss_t;
#define Py_tss_NEEDS_INIT {0}
PyAPI_FUNC(Py_tss_t *) PyThread_tss_alloc(void);
PyAPI_FUNC(void) PyThread_tss_free(Py_tss_t *key);
PyAPI_FUNC(int) PyThread_tss_is_created(Py_tss_t *key);
PyAPI_FUNC(int) PyThread_tss_create(Py_tss_t *key);
PyAPI_FUNC(void) PyThread_tss_delete(Py_tss_t *key);
PyAPI_FUNC(int) PyThread_tss_set(Py_tss_t *key, void *value);
PyAPI_FUNC(void *) PyThread_tss_get(Py_tss_t *key);

#include "cpython/pythread.h"

#endif
