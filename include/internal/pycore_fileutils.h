/* CPython's file-descriptor helpers, exported for its own modules and used
 * by packages that carry copies of them (typed_ast's tokenizer calls
 * _Py_dup). All of them retry on EINTR; the ones that raise set OSError. */
#ifndef Py_INTERNAL_FILEUTILS_H
#define Py_INTERNAL_FILEUTILS_H
#ifdef __cplusplus
extern "C" {
#endif

#ifndef Py_BUILD_CORE
#  error "Py_BUILD_CORE must be defined to include this header"
#endif

#include <sys/stat.h>

/* On Linux CPython's stat struct is the system's. */
#define _Py_stat_struct stat

/* fstat(); -1 with errno set (no exception). Callable without the GIL. */
PyAPI_FUNC(int) _Py_fstat_noraise(int fd, struct _Py_stat_struct *status);
/* fstat() with the GIL released meanwhile; -1 with OSError set. */
PyAPI_FUNC(int) _Py_fstat(int fd, struct _Py_stat_struct *status);

/* open() of a file that is not inherited by child processes; -1 with
 * OSError (naming the path) set, or with errno set for _noraise. */
PyAPI_FUNC(int) _Py_open(const char *pathname, int flags);
PyAPI_FUNC(int) _Py_open_noraise(const char *pathname, int flags);

/* read()/write(); -1 with OSError set (errno set for _noraise, which needs
 * no GIL). The GIL is released during the call. */
PyAPI_FUNC(Py_ssize_t) _Py_read(int fd, void *buf, size_t count);
PyAPI_FUNC(Py_ssize_t) _Py_write(int fd, const void *buf, size_t count);
PyAPI_FUNC(Py_ssize_t) _Py_write_noraise(int fd, const void *buf, size_t count);

/* Whether a child process inherits `fd` (FD_CLOEXEC clear); -1 with
 * OSError set. */
PyAPI_FUNC(int) _Py_get_inheritable(int fd);
/* Sets or clears inheritance; *atomic_flag_works (if not NULL) is set to 1
 * when O_CLOEXEC is known to work. 0, or -1 with OSError set (the
 * async-safe one sets only errno, and needs no GIL). */
PyAPI_FUNC(int) _Py_set_inheritable(int fd, int inheritable, int *atomic_flag_works);
PyAPI_FUNC(int) _Py_set_inheritable_async_safe(int fd, int inheritable, int *atomic_flag_works);

/* A non-inheritable duplicate of `fd`; -1 with OSError set. */
PyAPI_FUNC(int) _Py_dup(int fd);

/* Whether `fd` is in blocking mode (O_NONBLOCK clear), and setting it;
 * -1 with OSError set. */
PyAPI_FUNC(int) _Py_get_blocking(int fd);
PyAPI_FUNC(int) _Py_set_blocking(int fd, int blocking);

#ifdef __cplusplus
}
#endif
#endif /* !Py_INTERNAL_FILEUTILS_H */
