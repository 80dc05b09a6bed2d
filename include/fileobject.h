/* File objects from C: the io module's, through their methods. */
#ifndef Py_FILEOBJECT_H
#define Py_FILEOBJECT_H
#define Py_CPYTHON_FILEOBJECT_H

#define PY_STDIOTEXTMODE "b"

/* open(fd, mode, buffering, encoding, errors, newline, closefd); name is unused. */
PyAPI_FUNC(PyObject *) PyFile_FromFd(int fd, const char *name, const char *mode, int buffering,
                                     const char *encoding, const char *errors, const char *newline,
                                     int closefd);
/* f.readline(); with n < 0 the newline is stripped and EOF raises EOFError. */
PyAPI_FUNC(PyObject *) PyFile_GetLine(PyObject *f, int n);
/* f.write(str(obj)) with Py_PRINT_RAW, else f.write(repr(obj)). */
PyAPI_FUNC(int) PyFile_WriteObject(PyObject *obj, PyObject *f, int flags);
PyAPI_FUNC(int) PyFile_WriteString(const char *s, PyObject *f);
/* An int, or the result of o.fileno(). */
PyAPI_FUNC(int) PyObject_AsFileDescriptor(PyObject *o);
/* An "O&" converter into an int file descriptor. */
PyAPI_FUNC(int) _PyLong_FileDescriptor_Converter(PyObject *o, void *ptr);

PyAPI_DATA(const char *) Py_FileSystemDefaultEncoding;
PyAPI_DATA(const char *) Py_FileSystemDefaultEncodeErrors;
PyAPI_DATA(int) Py_HasFileSystemDefaultEncoding;
PyAPI_DATA(int) Py_UTF8Mode;

#define _PyIsSelectable_fd(FD) ((unsigned int)(FD) < (unsigned int)FD_SETSIZE)

/* fgets that turns \r\n and \r into \n. */
PyAPI_FUNC(char *) Py_UniversalNewlineFgets(char *buf, int n, FILE *stream, PyObject *fobj);
PyAPI_FUNC(char *) _Py_UniversalNewlineFgetsWithSize(char *buf, int n, FILE *stream, PyObject *fobj,
                                                     size_t *size);
PyAPI_FUNC(PyObject *) PyFile_NewStdPrinter(int fd);
PyAPI_DATA(PyTypeObject) PyStdPrinter_Type;

/* io.open_code(), and the hook it goes through. */
typedef PyObject *(*Py_OpenCodeHookFunction)(PyObject *path, void *userData);
PyAPI_FUNC(PyObject *) PyFile_OpenCode(const char *utf8path);
PyAPI_FUNC(PyObject *) PyFile_OpenCodeObject(PyObject *path);
PyAPI_FUNC(int) PyFile_SetOpenCodeHook(Py_OpenCodeHookFunction hook, void *userData);

#endif
