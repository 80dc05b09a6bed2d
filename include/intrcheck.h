/* Interrupts and fork. */
#ifndef Py_INTRCHECK_H
#define Py_INTRCHECK_H

/* 1 (and the interrupt is consumed) if SIGINT arrived since the last call. */
PyAPI_FUNC(int) PyOS_InterruptOccurred(void);
/* Around a fork() made in C: run the os.register_at_fork() callbacks. */
PyAPI_FUNC(void) PyOS_BeforeFork(void);
PyAPI_FUNC(void) PyOS_AfterFork_Parent(void);
PyAPI_FUNC(void) PyOS_AfterFork_Child(void);
PyAPI_FUNC(void) PyOS_AfterFork(void);
PyAPI_FUNC(int) _PyOS_IsMainThread(void);

#endif
