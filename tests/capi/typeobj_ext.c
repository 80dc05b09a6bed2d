/* The type object's public surface: PyHeapTypeObject, type names and
 * lookups, module helpers (AddType, FromDefAndSpec2, ExecDef, GetFilename),
 * the object.h extras (Bytes, Dir, GenericGetDict/SetDict, ReprEnter/Leave,
 * CallFinalizer, IncRef/DecRef, Py_RETURN_RICHCOMPARE), weak proxies and
 * the capsule setters. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static struct PyModuleDef moduledef;

/* A heap type with a number slot and a finalizer -------------------------- */

static int finalized = 0;

static PyObject *
heap_add(PyObject *a, PyObject *b)
{
    return PyUnicode_FromString("heap add");
}

static void
heap_finalize(PyObject *self)
{
    finalized++;
}

static PyType_Slot heap_slots[] = {
    {Py_nb_add, heap_add},
    {Py_tp_finalize, heap_finalize},
    {Py_tp_doc, "a heap type"},
    {0, NULL}
};

static PyType_Spec heap_spec = {
    "typeobj_ext.Heap", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, heap_slots,
};

static int
heap_traverse(PyObject *self, visitproc visit, void *arg)
{
    return 0;
}

static PyType_Slot gc_heap_slots[] = {
    {Py_tp_finalize, heap_finalize},
    {Py_tp_traverse, heap_traverse},
    {0, NULL}
};

static PyType_Spec gc_heap_spec = {
    "typeobj_ext.GCHeap", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, gc_heap_slots,
};

static PyObject *
heap_layout(PyObject *module, PyObject *type)
{
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "a type is needed");
        return NULL;
    }
    PyTypeObject *tp = (PyTypeObject *)type;
    if (!(tp->tp_flags & Py_TPFLAGS_HEAPTYPE))
        Py_RETURN_NONE;
    PyHeapTypeObject *ht = (PyHeapTypeObject *)type;
    int own_tables = tp->tp_as_number == &ht->as_number && tp->tp_as_sequence == &ht->as_sequence
                     && tp->tp_as_mapping == &ht->as_mapping && tp->tp_as_async == &ht->as_async
                     && tp->tp_as_buffer == &ht->as_buffer;
    return Py_BuildValue("(OOOii)", ht->ht_name, ht->ht_qualname, ht->ht_module ? ht->ht_module : Py_None,
                         own_tables, ht->as_number.nb_add == heap_add);
}

static PyObject *
type_names(PyObject *module, PyObject *type)
{
    PyTypeObject *tp = (PyTypeObject *)type;
    PyObject *name = PyType_GetName(tp);
    if (name == NULL)
        return NULL;
    PyObject *qualname = PyType_GetQualName(tp);
    if (qualname == NULL) {
        Py_DECREF(name);
        return NULL;
    }
    return Py_BuildValue("(NNs)", name, qualname, _PyType_Name(tp));
}

static PyObject *
type_lookup(PyObject *module, PyObject *args)
{
    PyObject *type, *name;
    if (!PyArg_ParseTuple(args, "O!O", &PyType_Type, &type, &name))
        return NULL;
    PyObject *found = _PyType_Lookup((PyTypeObject *)type, name);
    if (found == NULL) {
        if (PyErr_Occurred())
            return NULL;
        return PyUnicode_FromString("<not found>");
    }
    return Py_NewRef(found);
}

static PyObject *
module_by_def(PyObject *module, PyObject *type)
{
    PyObject *m = PyType_GetModuleByDef((PyTypeObject *)type, &moduledef);
    return Py_XNewRef(m);
}

static PyObject *
type_misc(PyObject *module, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "O!O!", &PyType_Type, &a, &PyType_Type, &b))
        return NULL;
    PyType_Modified((PyTypeObject *)a);
    unsigned int tag = PyType_ClearCache();
    (void)tag;
    unsigned long flags = PyType_GetFlags((PyTypeObject *)a);
    return Py_BuildValue("(iii)", PyType_IsSubtype((PyTypeObject *)a, (PyTypeObject *)b),
                         (flags & Py_TPFLAGS_HEAPTYPE) != 0, (flags & Py_TPFLAGS_BASETYPE) != 0);
}

static PyObject *
call_finalizer(PyObject *module, PyObject *obj)
{
    finalized = 0;
    PyObject_CallFinalizer(obj);
    PyObject_CallFinalizer(obj);
    return PyLong_FromLong(finalized);
}

/* Modules ----------------------------------------------------------------- */

static int exec_count = 0;

static int
made_exec(PyObject *m)
{
    exec_count++;
    return PyModule_AddIntConstant(m, "exec_count", exec_count);
}

static int
failing_exec(PyObject *m)
{
    PyObject *fail = PyObject_GetAttrString(m, "fail");
    if (fail == NULL) {
        PyErr_Clear();
        return 0;
    }
    int quietly = PyObject_IsTrue(fail) && PyUnicode_Check(fail);
    Py_DECREF(fail);
    if (quietly)
        return -1;
    PyErr_SetString(PyExc_ValueError, "exec slot failed");
    return -1;
}

static PyModuleDef_Slot made_slots[] = {
    {Py_mod_exec, made_exec},
    {Py_mod_exec, failing_exec},
    {0, NULL}
};

static PyMethodDef made_methods[] = {
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef made_def = {
    PyModuleDef_HEAD_INIT, "made", "made doc", 0, made_methods, made_slots,
};

static PyObject *
from_def_and_spec(PyObject *module, PyObject *spec)
{
    return PyModule_FromDefAndSpec(&made_def, spec);
}

static PyObject *
exec_def(PyObject *module, PyObject *m)
{
    if (PyModule_ExecDef(m, &made_def) < 0)
        return NULL;
    return PyLong_FromLong(exec_count);
}

static PyObject *
module_names(PyObject *module, PyObject *m)
{
    PyObject *name = PyModule_GetNameObject(m);
    if (name == NULL)
        return NULL;
    PyObject *file = PyModule_GetFilenameObject(m);
    if (file == NULL) {
        Py_DECREF(name);
        return NULL;
    }
    const char *file_utf8 = PyModule_GetFilename(m);
    int same = file_utf8 != NULL && strcmp(file_utf8, PyUnicode_AsUTF8(file)) == 0;
    return Py_BuildValue("(NNi)", name, file, same);
}

static PyObject *
add_type(PyObject *module, PyObject *args)
{
    PyObject *m, *type;
    if (!PyArg_ParseTuple(args, "OO!", &m, &PyType_Type, &type))
        return NULL;
    if (PyModule_AddType(m, (PyTypeObject *)type) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* object.h extras ---------------------------------------------------------- */

static PyObject *
object_bytes(PyObject *module, PyObject *o)
{
    return PyObject_Bytes(o == Py_None ? NULL : o);
}

static PyObject *
object_dir(PyObject *module, PyObject *o)
{
    return PyObject_Dir(o == Py_None ? NULL : o);
}

static PyObject *
get_dict(PyObject *module, PyObject *o)
{
    return PyObject_GenericGetDict(o, NULL);
}

static PyObject *
set_dict(PyObject *module, PyObject *args)
{
    PyObject *o, *d;
    if (!PyArg_ParseTuple(args, "OO", &o, &d))
        return NULL;
    if (PyUnicode_Check(d) && PyUnicode_CompareWithASCIIString(d, "NULL") == 0)
        d = NULL;
    if (PyObject_GenericSetDict(o, d, NULL) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
dict_ptr(PyObject *module, PyObject *o)
{
    PyObject **slot = _PyObject_GetDictPtr(o);
    if (slot == NULL)
        return PyUnicode_FromString("<no dict>");
    return Py_NewRef(*slot ? *slot : Py_None);
}

static PyObject *
getattr_with_dict(PyObject *module, PyObject *args)
{
    PyObject *o, *name, *dict;
    int suppress;
    if (!PyArg_ParseTuple(args, "OOOi", &o, &name, &dict, &suppress))
        return NULL;
    PyObject *r = _PyObject_GenericGetAttrWithDict(o, name, dict == Py_None ? NULL : dict, suppress);
    if (r == NULL && !PyErr_Occurred())
        return PyUnicode_FromString("<NULL, no error>");
    return r;
}

static PyObject *
repr_guard(PyObject *module, PyObject *o)
{
    int first = Py_ReprEnter(o);
    int second = Py_ReprEnter(o);
    Py_ReprLeave(o);
    int third = Py_ReprEnter(o);
    Py_ReprLeave(o);
    return Py_BuildValue("(iii)", first, second, third);
}

/* Enters without leaving, as an extension's early return does. */
static PyObject *
repr_enter_only(PyObject *module, PyObject *o)
{
    return PyLong_FromLong(Py_ReprEnter(o));
}

static PyObject *
incref_decref(PyObject *module, PyObject *o)
{
    Py_ssize_t before = Py_REFCNT(o);
    Py_IncRef(o);
    Py_ssize_t up = Py_REFCNT(o);
    Py_DecRef(o);
    Py_IncRef(NULL);
    Py_DecRef(NULL);
    return Py_BuildValue("(nn)", up - before, Py_REFCNT(o) - before);
}

static PyObject *
richcompare(PyObject *module, PyObject *args)
{
    long a, b;
    int op;
    if (!PyArg_ParseTuple(args, "lli", &a, &b, &op))
        return NULL;
    Py_RETURN_RICHCOMPARE(a, b, op);
}

/* Weak proxies and capsules ------------------------------------------------- */

static PyObject *
weak_proxy(PyObject *module, PyObject *args)
{
    PyObject *o, *callback = NULL;
    if (!PyArg_ParseTuple(args, "O|O", &o, &callback))
        return NULL;
    return PyWeakref_NewProxy(o, callback);
}

static PyObject *
weak_ref_object(PyObject *module, PyObject *ref)
{
    return Py_NewRef(PyWeakref_GET_OBJECT(ref));
}

static int destructor_runs = 0;

static void
capsule_destructor(PyObject *capsule)
{
    destructor_runs++;
}

static char capsule_target;

static PyObject *
capsule_setters(PyObject *module, PyObject *unused)
{
    PyObject *c = PyCapsule_New(&capsule_target, "first.name", NULL);
    if (c == NULL)
        return NULL;
    int had_destructor = PyCapsule_GetDestructor(c) != NULL;
    int set_destructor = PyCapsule_SetDestructor(c, capsule_destructor);
    int got_destructor = PyCapsule_GetDestructor(c) == capsule_destructor;
    int set_name = PyCapsule_SetName(c, "second.name");
    const char *name = PyCapsule_GetName(c);
    int valid_old = PyCapsule_IsValid(c, "first.name");
    int valid_new = PyCapsule_IsValid(c, "second.name");
    destructor_runs = 0;
    Py_DECREF(c);
    return Py_BuildValue("(iiiisiii)", had_destructor, set_destructor, got_destructor, set_name, name, valid_old,
                         valid_new, destructor_runs);
}

static PyObject *
capsule_errors(PyObject *module, PyObject *o)
{
    int r1 = PyCapsule_SetName(o, "x");
    PyObject *e1 = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    int r2 = PyCapsule_GetDestructor(o) != NULL;
    PyObject *e2 = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    int r3 = PyCapsule_SetDestructor(o, NULL);
    PyObject *e3 = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    return Py_BuildValue("(iNiNiN)", r1, e1, r2, e2, r3, e3);
}

static PyObject *
capsule_destructor_runs(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong(destructor_runs);
}

/* type_of(o): Py_TYPE(o) and its tp_name, as C reads them. */
static PyObject *
type_of(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(Os)", (PyObject *)Py_TYPE(o), Py_TYPE(o)->tp_name);
}

/* The names in a type's tp_bases and tp_mro, read as C reads them
 * (Cython's subtype test walks tp_mro with the tuple macros). */
static PyObject *
mro_names(PyObject *self, PyObject *arg)
{
    PyTypeObject *tp = (PyTypeObject *)arg;
    PyObject *tuples[2] = {tp->tp_bases, tp->tp_mro};
    PyObject *out = PyTuple_New(2);
    if (out == NULL)
        return NULL;
    for (int k = 0; k < 2; k++) {
        Py_ssize_t n = tuples[k] ? PyTuple_GET_SIZE(tuples[k]) : -1;
        PyObject *names = PyList_New(0);
        if (names == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *name = PyUnicode_FromString(((PyTypeObject *)PyTuple_GET_ITEM(tuples[k], i))->tp_name);
            if (name == NULL || PyList_Append(names, name) < 0) {
                Py_XDECREF(name);
                Py_DECREF(names);
                Py_DECREF(out);
                return NULL;
            }
            Py_DECREF(name);
        }
        PyTuple_SET_ITEM(out, k, names);
    }
    return out;
}

static PyMethodDef methods[] = {
    {"mro_names", mro_names, METH_O, NULL},
    {"type_of", type_of, METH_O, NULL},
    {"heap_layout", heap_layout, METH_O, NULL},
    {"type_names", type_names, METH_O, NULL},
    {"type_lookup", type_lookup, METH_VARARGS, NULL},
    {"module_by_def", module_by_def, METH_O, NULL},
    {"type_misc", type_misc, METH_VARARGS, NULL},
    {"call_finalizer", call_finalizer, METH_O, NULL},
    {"from_def_and_spec", from_def_and_spec, METH_O, NULL},
    {"exec_def", exec_def, METH_O, NULL},
    {"module_names", module_names, METH_O, NULL},
    {"add_type", add_type, METH_VARARGS, NULL},
    {"object_bytes", object_bytes, METH_O, NULL},
    {"object_dir", object_dir, METH_O, NULL},
    {"get_dict", get_dict, METH_O, NULL},
    {"set_dict", set_dict, METH_VARARGS, NULL},
    {"repr_guard", repr_guard, METH_O, NULL},
    {"repr_enter_only", repr_enter_only, METH_O, NULL},
    {"dict_ptr", dict_ptr, METH_O, NULL},
    {"getattr_with_dict", getattr_with_dict, METH_VARARGS, NULL},
    {"incref_decref", incref_decref, METH_O, NULL},
    {"richcompare", richcompare, METH_VARARGS, NULL},
    {"weak_proxy", weak_proxy, METH_VARARGS, NULL},
    {"weak_ref_object", weak_ref_object, METH_O, NULL},
    {"capsule_setters", capsule_setters, METH_NOARGS, NULL},
    {"capsule_errors", capsule_errors, METH_O, NULL},
    {"capsule_destructor_runs", capsule_destructor_runs, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "typeobj_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_typeobj_ext(void)
{
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    PyObject *heap = PyType_FromModuleAndSpec(m, &heap_spec, NULL);
    if (heap == NULL || PyModule_AddObject(m, "Heap", heap) < 0) {
        Py_XDECREF(heap);
        Py_DECREF(m);
        return NULL;
    }
    PyObject *gc_heap = PyType_FromSpec(&gc_heap_spec);
    if (gc_heap == NULL || PyModule_AddObject(m, "GCHeap", gc_heap) < 0) {
        Py_XDECREF(gc_heap);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
