/* Converting between the locale encoding and wide strings. */
#ifndef Py_FILEUTILS_H
#define Py_FILEUTILS_H
#define Py_CPYTHON_FILEUTILS_H

/* Decodes with surrogateescape; free the result with PyMem_RawFree. On
 * failure NULL, and *size is (size_t)-1 (memory) or (size_t)-2 (decoding). */
PyAPI_FUNC(wchar_t *) Py_DecodeLocale(const char *arg, size_t *size);
/* Encodes with surrogateescape; free the result with PyMem_Free. On an
 * unencodable character NULL, and *error_pos is its index. */
PyAPI_FUNC(char *) Py_EncodeLocale(const wchar_t *text, size_t *error_pos);
PyAPI_FUNC(FILE *) _Py_fopen_obj(PyObject *path, const char *mode);

#endif
