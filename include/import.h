/* Importing modules from C. */
#ifndef Py_IMPORT_H
#define Py_IMPORT_H
#define Py_CPYTHON_IMPORT_H

/* The .pyc magic number (as a little-endian long) and cache tag of the host. */
PyAPI_FUNC(long) PyImport_GetMagicNumber(void);
PyAPI_FUNC(const char *) PyImport_GetMagicTag(void);

/* Runs a code object as the body of module `name` (made if needed); a new
 * reference to sys.modules[name]. */
PyAPI_FUNC(PyObject *) PyImport_ExecCodeModule(const char *name, PyObject *co);
PyAPI_FUNC(PyObject *) PyImport_ExecCodeModuleEx(const char *name, PyObject *co, const char *pathname);
PyAPI_FUNC(PyObject *) PyImport_ExecCodeModuleWithPathnames(const char *name, PyObject *co, const char *pathname,
                                                            const char *cpathname);
PyAPI_FUNC(PyObject *) PyImport_ExecCodeModuleObject(PyObject *name, PyObject *co, PyObject *pathname,
                                                     PyObject *cpathname);

/* Borrowed: sys.modules. */
PyAPI_FUNC(PyObject *) PyImport_GetModuleDict(void);
/* CPython's private import API. The global import lock (imp.acquire_lock):
 * release gives 1, or -1 when this thread does not hold it. */
PyAPI_FUNC(void) _PyImport_AcquireLock(void);
PyAPI_FUNC(int) _PyImport_ReleaseLock(void);
PyAPI_FUNC(int) _PyImport_IsInitialized(PyInterpreterState *interp);
PyAPI_FUNC(PyObject *) _PyImport_GetModuleId(struct _Py_Identifier *name);
PyAPI_FUNC(int) _PyImport_SetModule(PyObject *name, PyObject *module);
PyAPI_FUNC(int) _PyImport_SetModuleString(const char *name, PyObject *module);
/* getattr(import(modname), attrname). */
PyAPI_FUNC(PyObject *) _PyImport_GetModuleAttr(PyObject *modname, PyObject *attrname);
PyAPI_FUNC(PyObject *) _PyImport_GetModuleAttrString(const char *modname, const char *attrname);
/* Records a module made by single-phase init under name in modules. */
PyAPI_FUNC(int) _PyImport_FixupExtensionObject(PyObject *mod, PyObject *name, PyObject *filename, PyObject *modules);
PyAPI_FUNC(int) _PyImport_FixupBuiltin(PyObject *mod, const char *name, PyObject *modules);
/* New reference from sys.modules, or NULL (no error) when absent. */
PyAPI_FUNC(PyObject *) PyImport_GetModule(PyObject *name);
/* Borrowed: the module in sys.modules, made (empty) if it is not there. */
PyAPI_FUNC(PyObject *) PyImport_AddModuleObject(PyObject *name);
PyAPI_FUNC(PyObject *) PyImport_AddModule(const char *name);

PyAPI_FUNC(PyObject *) PyImport_ImportModule(const char *name);
PyAPI_FUNC(PyObject *) PyImport_ImportModuleNoBlock(const char *name);
/* __import__(name, globals, locals, fromlist, level) without going through
 * a replaced builtins.__import__. */
PyAPI_FUNC(PyObject *) PyImport_ImportModuleLevel(const char *name, PyObject *globals, PyObject *locals,
                                                  PyObject *fromlist, int level);
PyAPI_FUNC(PyObject *) PyImport_ImportModuleLevelObject(PyObject *name, PyObject *globals, PyObject *locals,
                                                        PyObject *fromlist, int level);
#define PyImport_ImportModuleEx(n, g, l, f) PyImport_ImportModuleLevel((n), (g), (l), (f), 0)

/* The finder for a sys.path entry (sys.path_importer_cache, sys.path_hooks). */
PyAPI_FUNC(PyObject *) PyImport_GetImporter(PyObject *path);
/* The module `name` names, through builtins.__import__. */
PyAPI_FUNC(PyObject *) PyImport_Import(PyObject *name);
PyAPI_FUNC(PyObject *) PyImport_ReloadModule(PyObject *m);

PyAPI_FUNC(int) PyImport_ImportFrozenModuleObject(PyObject *name);
PyAPI_FUNC(int) PyImport_ImportFrozenModule(const char *name);

/* Built-in modules: only before start-up, which for an extension is past. */
struct _inittab {
    const char *name;
    PyObject *(*initfunc)(void);
};
PyAPI_DATA(struct _inittab *) PyImport_Inittab;
PyAPI_FUNC(int) PyImport_AppendInittab(const char *name, PyObject *(*initfunc)(void));
PyAPI_FUNC(int) PyImport_ExtendInittab(struct _inittab *newtab);

struct _frozen {
    const char *name;
    const unsigned char *code;
    int size;
    int is_package;
    PyObject *(*get_code)(void);
};
PyAPI_DATA(const struct _frozen *) PyImport_FrozenModules;

PyAPI_FUNC(PyObject *) PyInit__imp(void);

#endif
