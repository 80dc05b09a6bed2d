/* dict. Items stay in the host dict; values handed out as borrowed
 * references live at least until the current call from Python returns. */
#ifndef Py_DICTOBJECT_H
#define Py_DICTOBJECT_H
#define Py_CPYTHON_DICTOBJECT_H

/* Opaque: the host dict keeps its own table. */
typedef struct _dictkeysobject PyDictKeysObject;
typedef struct _dictvalues PyDictValues;

/* CPython's layout. The items live in the host dict: ma_used is its size
 * when the dict was last handed to C or changed through this API (PyO3
 * reads it directly); ma_keys and ma_values are always NULL, and
 * ma_version_tag changes whenever ma_used is brought up to date. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t ma_used;
    uint64_t ma_version_tag;
    PyDictKeysObject *ma_keys;
    PyDictValues *ma_values;
} PyDictObject;
/* Host dicts never share a key table, so this is always 0. */
#define _PyDict_HasSplitTable(d) ((d)->ma_values != NULL)

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


/* Private API that Cython-generated code uses. */
PyAPI_FUNC(PyObject *) _PyDict_NewPresized(Py_ssize_t minused);
/* Borrowed; `hash` must be hash(key). NULL with or without an error. */
PyAPI_FUNC(PyObject *) _PyDict_GetItem_KnownHash(PyObject *mp, PyObject *key, Py_hash_t hash);
PyAPI_FUNC(int) _PyDict_SetItem_KnownHash(PyObject *mp, PyObject *key, PyObject *item, Py_hash_t hash);
/* dict.pop(key[, deflt]): a new reference; KeyError when missing and no
 * default is given (deflt NULL). */
PyAPI_FUNC(PyObject *) _PyDict_Pop(PyObject *mp, PyObject *key, PyObject *deflt);

PyAPI_FUNC(int) _PyDict_DelItem_KnownHash(PyObject *mp, PyObject *key, Py_hash_t hash);
PyAPI_FUNC(int) _PyDict_Contains_KnownHash(PyObject *mp, PyObject *key, Py_hash_t hash);
struct _Py_Identifier; /* defined in abstract.h */
/* PyDict_GetItemWithError by other names: a str key from C, or from a
 * static identifier. */
PyAPI_FUNC(PyObject *) _PyDict_GetItemWithError(PyObject *dp, PyObject *key);
PyAPI_FUNC(PyObject *) _PyDict_GetItemStringWithError(PyObject *dp, const char *key);
PyAPI_FUNC(PyObject *) _PyDict_GetItemIdWithError(PyObject *dp, struct _Py_Identifier *key);
PyAPI_FUNC(int) _PyDict_SetItemId(PyObject *dp, struct _Py_Identifier *key, PyObject *item);
PyAPI_FUNC(int) _PyDict_DelItemId(PyObject *mp, struct _Py_Identifier *key);
PyAPI_FUNC(int) _PyDict_ContainsId(PyObject *mp, struct _Py_Identifier *key);
/* PyDict_Next that also gives each key's hash (`phash` may be NULL). */
PyAPI_FUNC(int) _PyDict_Next(PyObject *mp, Py_ssize_t *ppos, PyObject **pkey, PyObject **pvalue, Py_hash_t *phash);
PyAPI_FUNC(int) _PyDict_HasOnlyStringKeys(PyObject *mp);
/* A hint for CPython's collector; nothing to do here. */
PyAPI_FUNC(void) _PyDict_MaybeUntrack(PyObject *mp);
/* PyDict_Merge, with override 2 meaning "raise KeyError on a duplicate". */
PyAPI_FUNC(int) _PyDict_MergeEx(PyObject *mp, PyObject *other, int override);
/* Deletes key if predicate(value) is true: 1 deleted, 0 kept, -1 error. */
PyAPI_FUNC(int) _PyDict_DelItemIf(PyObject *mp, PyObject *key, int (*predicate)(PyObject *value));
/* dict.__sizeof__(). */
PyAPI_FUNC(Py_ssize_t) _PyDict_SizeOf(PyDictObject *mp);
PyAPI_FUNC(void) _PyDict_DebugMallocStats(FILE *out);

/* The size lives in the host dict: a call, not a field read. */
#define PyDict_GET_SIZE(op) PyDict_Size(_PyObject_CAST(op))

/* The dict views and iterators. */
PyAPI_DATA(PyTypeObject) PyDictKeys_Type;
PyAPI_DATA(PyTypeObject) PyDictValues_Type;
PyAPI_DATA(PyTypeObject) PyDictItems_Type;
PyAPI_DATA(PyTypeObject) PyDictIterKey_Type;
PyAPI_DATA(PyTypeObject) PyDictIterValue_Type;
PyAPI_DATA(PyTypeObject) PyDictIterItem_Type;
PyAPI_DATA(PyTypeObject) PyDictRevIterKey_Type;
PyAPI_DATA(PyTypeObject) PyDictRevIterValue_Type;
PyAPI_DATA(PyTypeObject) PyDictRevIterItem_Type;
/* A keys, values or items view: its dict. C may allocate one itself
 * (PyObject_GC_New with &PyDictKeys_Type) and fill dv_dict. */
typedef struct {
    PyObject_HEAD
    PyDictObject *dv_dict;
} _PyDictViewObject;
/* A keys, values or items view of dict (type is one of the three view
 * types), and view & other as a set. */
PyAPI_FUNC(PyObject *) _PyDictView_New(PyObject *dict, PyTypeObject *type);
PyAPI_FUNC(PyObject *) _PyDictView_Intersect(PyObject *self, PyObject *other);
#define PyDictKeys_Check(op) PyObject_TypeCheck((op), &PyDictKeys_Type)
#define PyDictValues_Check(op) PyObject_TypeCheck((op), &PyDictValues_Type)
#define PyDictItems_Check(op) PyObject_TypeCheck((op), &PyDictItems_Type)
#define PyDictViewSet_Check(op) (PyDictKeys_Check(op) || PyDictItems_Check(op))

/* The instance __dict__ of `obj` (a new reference), made if needed. */
PyAPI_FUNC(PyObject *) PyObject_GenericGetDict(PyObject *obj, void *context);

#endif
