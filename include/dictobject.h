/* dict. Items stay in the host dict; values handed out as borrowed
 * references live at least until the current call from Python returns. */
#ifndef CPYEXT_DICTOBJECT_H
#define CPYEXT_DICTOBJECT_H

/* For C types that extend dict; the items live in the host dict. */
typedef struct { PyObject_HEAD } PyDictObject;

PyAPI_DATA(PyTypeObject) PyDict_Type;
#define PyDict_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_DICT_SUBCLASS)
#define PyDict_CheckExact(op) Py_IS_TYPE((op), &PyDict_Type)

PyAPI_FUNC(PyObject *) PyDict_New(void);
PyAPI_FUNC(PyObject *) PyDict_GetItem(PyObject *p, PyObject *key);
PyAPI_FUNC(PyObject *) PyDict_GetItemWithError(PyObject *p, PyObject *key);
PyAPI_FUNC(PyObject *) PyDict_GetItemString(PyObject *p, const char *key);
PyAPI_FUNC(int) PyDict_SetItem(PyObject *p, PyObject *key, PyObject *val);
PyAPI_FUNC(int) PyDict_SetItemString(PyObject *p, const char *key, PyObject *val);
PyAPI_FUNC(int) PyDict_DelItem(PyObject *p, PyObject *key);
PyAPI_FUNC(int) PyDict_DelItemString(PyObject *p, const char *key);
PyAPI_FUNC(int) PyDict_Contains(PyObject *p, PyObject *key);
PyAPI_FUNC(Py_ssize_t) PyDict_Size(PyObject *p);
PyAPI_FUNC(PyObject *) PyDict_Keys(PyObject *p);
PyAPI_FUNC(PyObject *) PyDict_Values(PyObject *p);
PyAPI_FUNC(PyObject *) PyDict_Items(PyObject *p);
PyAPI_FUNC(int) PyDict_Next(PyObject *p, Py_ssize_t *ppos, PyObject **pkey, PyObject **pvalue);
PyAPI_FUNC(PyObject *) PyDict_Copy(PyObject *p);
PyAPI_FUNC(int) PyDict_Update(PyObject *a, PyObject *b);
PyAPI_FUNC(int) PyDict_Merge(PyObject *a, PyObject *b, int override);
PyAPI_FUNC(void) PyDict_Clear(PyObject *p);
PyAPI_FUNC(int) PyDict_MergeFromSeq2(PyObject *a, PyObject *seq2, int override);
PyAPI_FUNC(PyObject *) PyDict_SetDefault(PyObject *p, PyObject *key, PyObject *defaultobj);

#endif
