/* Module objects and module definitions (single- and multi-phase init). */
#ifndef Py_MODULEOBJECT_H
#define Py_MODULEOBJECT_H

PyAPI_DATA(PyTypeObject) PyModule_Type;
PyAPI_DATA(PyTypeObject) PyModuleDef_Type;
#define PyModule_Check(op) PyObject_TypeCheck((op), &PyModule_Type)
#define PyModule_CheckExact(op) Py_IS_TYPE((op), &PyModule_Type)

typedef struct PyModuleDef_Base {
    PyObject ob_base;
    PyObject *(*m_init)(void);
    Py_ssize_t m_index;
    PyObject *m_copy;
} PyModuleDef_Base;

#define PyModuleDef_HEAD_INIT { PyObject_HEAD_INIT(NULL) NULL, 0, NULL }

typedef struct PyModuleDef_Slot {
    int slot;
    void *value;
} PyModuleDef_Slot;

#define Py_mod_create 1
#define Py_mod_exec 2
#define _Py_mod_LAST_SLOT 2

typedef struct PyModuleDef {
    PyModuleDef_Base m_base;
    const char *m_name;
    const char *m_doc;
    Py_ssize_t m_size;
    PyMethodDef *m_methods;
    PyModuleDef_Slot *m_slots;
    traverseproc m_traverse;
    inquiry m_clear;
    freefunc m_free;
} PyModuleDef;

PyAPI_FUNC(PyObject *) PyModule_NewObject(PyObject *name);
PyAPI_FUNC(PyObject *) PyModule_New(const char *name);
PyAPI_FUNC(PyObject *) PyModule_GetDict(PyObject *module);
PyAPI_FUNC(PyObject *) PyModule_GetNameObject(PyObject *module);
PyAPI_FUNC(const char *) PyModule_GetName(PyObject *module);
PyAPI_FUNC(PyObject *) PyModule_GetFilenameObject(PyObject *module);
PyAPI_FUNC(const char *) PyModule_GetFilename(PyObject *module);
PyAPI_FUNC(PyModuleDef *) PyModule_GetDef(PyObject *module);
PyAPI_FUNC(void *) PyModule_GetState(PyObject *module);
PyAPI_FUNC(PyObject *) PyModuleDef_Init(PyModuleDef *def);
/* Sets the module's globals to None: the ones starting with one underscore
 * first, then all but __builtins__. */
PyAPI_FUNC(void) _PyModule_Clear(PyObject *m);
PyAPI_FUNC(void) _PyModule_ClearDict(PyObject *d);
/* Whether spec._initializing is true (the module is being imported). */
PyAPI_FUNC(int) _PyModuleSpec_IsInitializing(PyObject *spec);

#endif
