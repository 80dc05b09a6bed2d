/* The member types and flags under their 3.11 names. The Py_T_* and
 * Py_READONLY spellings are 3.12's: packages that support both define
 * them from these (pythoncapi_compat.h does), so 3.11 headers must not. */
#ifndef Py_STRUCTMEMBER_H
#define Py_STRUCTMEMBER_H
#include "Python.h"
#ifdef __cplusplus
extern "C" {
#endif

/* Reads or writes the member `m` of the struct at `obj_addr`, as a member
 * descriptor does. */
PyAPI_FUNC(PyObject *) PyMember_GetOne(const char *obj_addr, PyMemberDef *m);
PyAPI_FUNC(int) PyMember_SetOne(char *obj_addr, PyMemberDef *m, PyObject *value);
#define T_SHORT 0
#define T_INT 1
#define T_LONG 2
#define T_FLOAT 3
#define T_DOUBLE 4
#define T_STRING 5
#define T_OBJECT 6
#define T_CHAR 7
#define T_BYTE 8
#define T_UBYTE 9
#define T_USHORT 10
#define T_UINT 11
#define T_ULONG 12
#define T_STRING_INPLACE 13
#define T_BOOL 14
#define T_OBJECT_EX 16
#define T_LONGLONG 17
#define T_ULONGLONG 18
#define T_PYSSIZET 19
#define T_NONE 20
#define READONLY 1
#define PY_AUDIT_READ 2
#define READ_RESTRICTED PY_AUDIT_READ
#define PY_WRITE_RESTRICTED 4
#define RESTRICTED (READ_RESTRICTED | PY_WRITE_RESTRICTED)
#ifdef __cplusplus
}
#endif
#endif
