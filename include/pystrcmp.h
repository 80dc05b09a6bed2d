/* Case-insensitive ASCII comparison. */
#ifndef CPYEXT_PYSTRCMP_H
#define CPYEXT_PYSTRCMP_H

PyAPI_FUNC(int) PyOS_mystrnicmp(const char *a, const char *b, Py_ssize_t size);
PyAPI_FUNC(int) PyOS_mystricmp(const char *a, const char *b);
#define PyOS_strnicmp PyOS_mystrnicmp
#define PyOS_stricmp PyOS_mystricmp

#endif
