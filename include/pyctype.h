/* Locale-independent character classes (ASCII only). */
#ifndef CPYEXT_PYCTYPE_H
#define CPYEXT_PYCTYPE_H

#define Py_ISLOWER(c) ((unsigned char)(c) >= 'a' && (unsigned char)(c) <= 'z')
#define Py_ISUPPER(c) ((unsigned char)(c) >= 'A' && (unsigned char)(c) <= 'Z')
#define Py_ISALPHA(c) (Py_ISLOWER(c) || Py_ISUPPER(c))
#define Py_ISDIGIT(c) ((unsigned char)(c) >= '0' && (unsigned char)(c) <= '9')
#define Py_ISXDIGIT(c) (Py_ISDIGIT(c) || ((unsigned char)(c) >= 'a' && (unsigned char)(c) <= 'f') || \
                        ((unsigned char)(c) >= 'A' && (unsigned char)(c) <= 'F'))
#define Py_ISALNUM(c) (Py_ISALPHA(c) || Py_ISDIGIT(c))
#define Py_ISSPACE(c) ((unsigned char)(c) == ' ' || ((unsigned char)(c) >= '\t' && (unsigned char)(c) <= '\r'))
#define Py_TOLOWER(c) (Py_ISUPPER(c) ? (unsigned char)(c) + ('a' - 'A') : (unsigned char)(c))
#define Py_TOUPPER(c) (Py_ISLOWER(c) ? (unsigned char)(c) - ('a' - 'A') : (unsigned char)(c))

#endif
