/* CPython's private but publicly declared object, call, dict, import,
 * module and slice API (the underscore names of object.h, abstract.h,
 * dictobject.h, import.h, moduleobject.h, modsupport.h, sliceobject.h). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

_Py_IDENTIFIER(upper);
_Py_IDENTIFIER(missing_attribute);
_Py_IDENTIFIER(__len__);
_Py_IDENTIFIER(__exit__);
_Py_IDENTIFIER(replace);
_Py_IDENTIFIER(sys);
_Py_IDENTIFIER(no_such_module_here);
_Py_IDENTIFIER(value);

/* Identifier-based attribute access on obj: (getattr upper, lookup of a
 * missing name, lookup of "value" after setting it, then deleting it). */
static PyObject *
ids(PyObject *self, PyObject *obj)
{
    PyObject *upper = _PyObject_GetAttrId(obj, &PyId_upper);
    if (upper == NULL) return NULL;
    PyObject *called = PyObject_CallNoArgs(upper);
    Py_DECREF(upper);
    if (called == NULL) return NULL;
    PyObject *found = (PyObject *)1;
    int r = _PyObject_LookupAttrId(obj, &PyId_missing_attribute, &found);
    if (r < 0) { Py_DECREF(called); return NULL; }
    int missing_ok = (r == 0 && found == NULL);
    return Py_BuildValue("(Ni)", called, missing_ok);
}

static PyObject *
set_and_lookup(PyObject *self, PyObject *args)
{
    PyObject *obj, *value;
    if (!PyArg_ParseTuple(args, "OO", &obj, &value)) return NULL;
    if (_PyObject_SetAttrId(obj, &PyId_value, value) < 0) return NULL;
    PyObject *found = NULL;
    int r = _PyObject_LookupAttrId(obj, &PyId_value, &found);
    if (r < 0) return NULL;
    if (_PyObject_SetAttrId(obj, &PyId_value, NULL) < 0) { Py_XDECREF(found); return NULL; }
    PyObject *again = NULL;
    int r2 = _PyObject_LookupAttrId(obj, &PyId_value, &again);
    if (r2 < 0) { Py_XDECREF(found); return NULL; }
    return Py_BuildValue("(iNi)", r, found, r2);
}

/* _PyObject_LookupSpecialId(obj, "__len__"), called if found. */
static PyObject *
special_len(PyObject *self, PyObject *obj)
{
    PyObject *len = _PyObject_LookupSpecialId(obj, &PyId___len__);
    if (len == NULL) {
        if (PyErr_Occurred()) return NULL;
        return PyUnicode_FromString("no __len__");
    }
    PyObject *r = PyObject_CallNoArgs(len);
    Py_DECREF(len);
    return r;
}

/* _PyType_LookupId(type(obj), "__exit__"): borrowed, descriptors not called. */
static PyObject *
type_lookup_exit(PyObject *self, PyObject *obj)
{
    PyObject *found = _PyType_LookupId(Py_TYPE(obj), &PyId___exit__);
    if (found == NULL) {
        if (PyErr_Occurred()) return NULL;
        Py_RETURN_NONE;
    }
    return Py_NewRef(found);
}

/* _PyObject_GetMethod(obj, name) then the call it implies, with args. */
static PyObject *
get_method_call(PyObject *self, PyObject *args)
{
    PyObject *obj, *name, *rest;
    if (!PyArg_ParseTuple(args, "OUO!", &obj, &name, &PyTuple_Type, &rest)) return NULL;
    PyObject *method = NULL;
    int unbound = _PyObject_GetMethod(obj, name, &method);
    if (unbound < 0 || method == NULL) return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(rest);
    PyObject *stack[8];
    if (n > 6) { Py_DECREF(method); PyErr_SetString(PyExc_ValueError, "too many"); return NULL; }
    stack[0] = obj;
    for (Py_ssize_t i = 0; i < n; i++) stack[i + 1] = PyTuple_GET_ITEM(rest, i);
    PyObject *r = unbound ? PyObject_Vectorcall(method, stack, n + 1, NULL)
                          : PyObject_Vectorcall(method, stack + 1, n, NULL);
    Py_DECREF(method);
    if (r == NULL) return NULL;
    return Py_BuildValue("(iN)", unbound, r);
}

/* _PyObject_VectorcallMethodId: "abc".replace(a, b) through an identifier. */
static PyObject *
vectorcall_replace(PyObject *self, PyObject *args)
{
    PyObject *s, *a, *b;
    if (!PyArg_ParseTuple(args, "OOO", &s, &a, &b)) return NULL;
    PyObject *stack[3] = {s, a, b};
    return _PyObject_VectorcallMethodId(&PyId_replace, stack, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}

/* _PyObject_MakeTpCall(callable, *args, **kwargs): kwargs as a dict, and
 * again as a kwnames tuple. */
static PyObject *
make_tp_call(PyObject *self, PyObject *args)
{
    PyObject *callable, *pos, *kw;
    if (!PyArg_ParseTuple(args, "OO!O!", &callable, &PyTuple_Type, &pos, &PyDict_Type, &kw)) return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(pos), nk = PyDict_GET_SIZE(kw);
    PyObject *stack[16];
    if (n + nk > 16) { PyErr_SetString(PyExc_ValueError, "too many"); return NULL; }
    for (Py_ssize_t i = 0; i < n; i++) stack[i] = PyTuple_GET_ITEM(pos, i);
    PyObject *by_dict = _PyObject_MakeTpCall(PyThreadState_Get(), callable, stack, n, PyDict_GET_SIZE(kw) ? kw : NULL);
    if (by_dict == NULL) return NULL;
    PyObject *names = PyTuple_New(nk);
    if (names == NULL) { Py_DECREF(by_dict); return NULL; }
    Py_ssize_t pos_i = 0, j = 0;
    PyObject *k, *v;
    while (PyDict_Next(kw, &pos_i, &k, &v)) {
        PyTuple_SET_ITEM(names, j, Py_NewRef(k));
        stack[n + j] = v;
        j++;
    }
    PyObject *by_names = _PyObject_MakeTpCall(PyThreadState_Get(), callable, stack, n, nk ? names : NULL);
    Py_DECREF(names);
    if (by_names == NULL) { Py_DECREF(by_dict); return NULL; }
    return Py_BuildValue("(NN)", by_dict, by_names);
}

/* _Py_CheckFunctionResult in its four cases: mode 0 a value, mode 1 NULL
 * with an error, mode 2 NULL without one, mode 3 a value with an error.
 * `where` is used when given as a str. */
static PyObject *
check_result(PyObject *self, PyObject *args)
{
    int mode;
    PyObject *callable, *where_obj;
    if (!PyArg_ParseTuple(args, "iOO", &mode, &callable, &where_obj)) return NULL;
    const char *where = where_obj == Py_None ? NULL : PyUnicode_AsUTF8(where_obj);
    PyObject *result = NULL;
    if (mode == 0 || mode == 3) result = PyLong_FromLong(42);
    if (mode == 1 || mode == 3) PyErr_SetString(PyExc_KeyError, "inner");
    return _Py_CheckFunctionResult(PyThreadState_Get(), callable, result, where);
}

static PyObject *
real_isinstance(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) return NULL;
    int r1 = _PyObject_RealIsInstance(a, b);
    if (r1 < 0) return NULL;
    int r2 = PyObject_IsInstance(a, b);
    if (r2 < 0) return NULL;
    return Py_BuildValue("(ii)", r1, r2);
}

static PyObject *
real_issubclass(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) return NULL;
    int r1 = _PyObject_RealIsSubclass(a, b);
    if (r1 < 0) return NULL;
    int r2 = PyObject_IsSubclass(a, b);
    if (r2 < 0) return NULL;
    return Py_BuildValue("(ii)", r1, r2);
}

/* The C strings _PySequence_BytesToCharpArray makes, back as a list. */
static PyObject *
charp_array(PyObject *self, PyObject *seq)
{
    char *const *array = _PySequence_BytesToCharpArray(seq);
    if (array == NULL) return NULL;
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && array[i] != NULL; i++) {
        PyObject *item = PyBytes_FromString(array[i]);
        if (item == NULL || PyList_Append(out, item) < 0) Py_CLEAR(out);
        Py_XDECREF(item);
    }
    _Py_FreeCharPArray(array);
    return out;
}

/* Every index of a shape in C order and in Fortran order. */
static PyObject *
walk_indices(PyObject *self, PyObject *shape_obj)
{
    Py_ssize_t shape[4], index[4] = {0, 0, 0, 0}, total = 1;
    int nd = (int)PyTuple_GET_SIZE(shape_obj);
    if (nd > 4) { PyErr_SetString(PyExc_ValueError, "nd"); return NULL; }
    for (int i = 0; i < nd; i++) {
        shape[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(shape_obj, i));
        total *= shape[i];
    }
    PyObject *orders = PyTuple_New(2);
    for (int order = 0; order < 2; order++) {
        PyObject *seen = PyList_New(0);
        for (int i = 0; i < 4; i++) index[i] = 0;
        for (Py_ssize_t step = 0; step <= total; step++) {
            PyObject *t = PyTuple_New(nd);
            for (int i = 0; i < nd; i++) PyTuple_SET_ITEM(t, i, PyLong_FromSsize_t(index[i]));
            PyList_Append(seen, t);
            Py_DECREF(t);
            if (order == 0) _Py_add_one_to_index_C(nd, index, shape);
            else _Py_add_one_to_index_F(nd, index, shape);
        }
        PyTuple_SET_ITEM(orders, order, seen);
    }
    return orders;
}

static PyObject *
generic_setattr_dict(PyObject *self, PyObject *args)
{
    PyObject *obj, *name, *value, *dict;
    if (!PyArg_ParseTuple(args, "OOOO", &obj, &name, &value, &dict)) return NULL;
    if (_PyObject_GenericSetAttrWithDict(obj, name, value == Py_Ellipsis ? NULL : value,
                                         dict == Py_None ? NULL : dict) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
function_str(PyObject *self, PyObject *obj)
{
    return _PyObject_FunctionStr(obj);
}

static PyObject *
is_abstract(PyObject *self, PyObject *obj)
{
    int r = _PyObject_IsAbstract(obj == Py_None ? NULL : obj);
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
get_state(PyObject *self, PyObject *obj)
{
    return _PyObject_GetState(obj);
}

static PyObject *
calculate_metaclass(PyObject *self, PyObject *args)
{
    PyObject *meta, *bases;
    if (!PyArg_ParseTuple(args, "O!O!", &PyType_Type, &meta, &PyTuple_Type, &bases)) return NULL;
    PyTypeObject *winner = _PyType_CalculateMetaclass((PyTypeObject *)meta, bases);
    if (winner == NULL) return NULL;
    return Py_NewRef((PyObject *)winner);
}

/* (doc without signature, text signature) of an internal docstring. */
static PyObject *
internal_doc(PyObject *self, PyObject *args)
{
    const char *name, *doc;
    if (!PyArg_ParseTuple(args, "zz", &name, &doc)) return NULL;
    PyObject *body = _PyType_GetDocFromInternalDoc(name, doc);
    if (body == NULL) return NULL;
    PyObject *sig = _PyType_GetTextSignatureFromInternalDoc(name, doc);
    if (sig == NULL) { Py_DECREF(body); return NULL; }
    return Py_BuildValue("(NN)", body, sig);
}

static PyObject *
swapped_ops(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(iiiiii)", _Py_SwappedOp[Py_LT], _Py_SwappedOp[Py_LE], _Py_SwappedOp[Py_EQ],
                         _Py_SwappedOp[Py_NE], _Py_SwappedOp[Py_GT], _Py_SwappedOp[Py_GE]);
}

/* _PyObject_IsFreed and _PyObject_CheckConsistency on a live object, on
 * zeroed memory, and on a debug allocator's fill. */
static PyObject *
freed_checks(PyObject *self, PyObject *obj)
{
    PyObject zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    PyObject filled;
    memset(&filled, 0xDD, sizeof filled);
    _Py_BreakPoint();
    return Py_BuildValue("(iiii)", _PyObject_IsFreed(obj), _PyObject_IsFreed(&zeroed), _PyObject_IsFreed(&filled),
                         _PyObject_CheckConsistency(obj, 1));
}

/* _PyObject_Dump to stderr, after our own flush of stdout. */
static PyObject *
dump(PyObject *self, PyObject *obj)
{
    _PyObject_Dump(obj);
    Py_RETURN_NONE;
}

/* Memory C allocates itself becomes an object of the type through
 * _Py_NewReference (after Py_SET_TYPE), as some extensions' free lists do. */
typedef struct {
    PyObject_HEAD
    long payload;
} Boxed;

static void
boxed_dealloc(PyObject *op)
{
    PyObject_Free(op);
}

static PyObject *
boxed_repr(PyObject *op)
{
    return PyUnicode_FromFormat("<Boxed %ld>", ((Boxed *)op)->payload);
}

static PyTypeObject Boxed_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "privobj_ext.Boxed",
    .tp_basicsize = sizeof(Boxed),
    .tp_dealloc = boxed_dealloc,
    .tp_repr = boxed_repr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

static PyObject *
new_boxed(PyObject *self, PyObject *arg)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred()) return NULL;
    Boxed *b = (Boxed *)PyObject_Malloc(sizeof(Boxed));
    if (b == NULL) return PyErr_NoMemory();
    Py_SET_TYPE(b, &Boxed_Type);
    _Py_NewReference((PyObject *)b);
    b->payload = v;
    return Py_BuildValue("(nN)", Py_REFCNT(b) >= 1, (PyObject *)b);
}

/* _Py_IncRef/_Py_DecRef keep the count balanced. */
static PyObject *
incref_decref(PyObject *self, PyObject *obj)
{
    Py_ssize_t before = Py_REFCNT(obj);
    _Py_IncRef(obj);
    Py_ssize_t during = Py_REFCNT(obj);
    _Py_DecRef(obj);
    return Py_BuildValue("(ii)", during - before, (int)(Py_REFCNT(obj) == before));
}

/* The trashcan as C extensions use it in their tp_dealloc. */
static PyObject *
trashcan(PyObject *self, PyObject *obj)
{
    int cond = _PyTrash_cond(obj, Py_TYPE(obj)->tp_dealloc);
    int other = _PyTrash_cond(obj, boxed_dealloc);
    int begin = _PyTrash_begin(PyThreadState_Get(), obj);
    if (begin == 0) _PyTrash_end(PyThreadState_Get());
    return Py_BuildValue("(iii)", cond, other, begin);
}

/* Dict private helpers. */
static int
is_negative(PyObject *value)
{
    long v = PyLong_AsLong(value);
    if (v == -1 && PyErr_Occurred()) return -1;
    return v < 0;
}

static PyObject *
dict_del_if_negative(PyObject *self, PyObject *args)
{
    PyObject *d, *key;
    if (!PyArg_ParseTuple(args, "O!O", &PyDict_Type, &d, &key)) return NULL;
    int r = _PyDict_DelItemIf(d, key, is_negative);
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
dict_merge_ex(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    int override;
    if (!PyArg_ParseTuple(args, "O!Oi", &PyDict_Type, &a, &b, &override)) return NULL;
    if (_PyDict_MergeEx(a, b, override) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *
dict_sizeof(PyObject *self, PyObject *d)
{
    Py_ssize_t n = _PyDict_SizeOf((PyDictObject *)d);
    return PyBool_FromLong(n > 0 && n == PyLong_AsSsize_t(PyObject_CallMethod(d, "__sizeof__", NULL)));
}

static PyObject *
dict_views(PyObject *self, PyObject *d)
{
    PyObject *keys = _PyDictView_New(d, &PyDictKeys_Type);
    PyObject *values = _PyDictView_New(d, &PyDictValues_Type);
    PyObject *items = _PyDictView_New(d, &PyDictItems_Type);
    if (keys == NULL || values == NULL || items == NULL) {
        Py_XDECREF(keys); Py_XDECREF(values); Py_XDECREF(items);
        return NULL;
    }
    return Py_BuildValue("(NNN)", keys, values, items);
}

static PyObject *
view_intersect(PyObject *self, PyObject *args)
{
    PyObject *view, *other;
    if (!PyArg_ParseTuple(args, "OO", &view, &other)) return NULL;
    return _PyDictView_Intersect(view, other);
}

static PyObject *
debug_stats(PyObject *self, PyObject *unused)
{
    fflush(stdout);
    _PyDebugAllocatorStats(stdout, "widget", 3, 48);
    _PyDebugAllocatorStats(stdout, "gizmo", 1000, 1024);
    fflush(stdout);
    Py_RETURN_NONE;
}

/* Import private helpers. */
static PyObject *
import_helpers(PyObject *self, PyObject *args)
{
    PyObject *modname, *attrname;
    if (!PyArg_ParseTuple(args, "UU", &modname, &attrname)) return NULL;
    PyObject *a = _PyImport_GetModuleAttr(modname, attrname);
    if (a == NULL) return NULL;
    PyObject *b = _PyImport_GetModuleAttrString(PyUnicode_AsUTF8(modname), PyUnicode_AsUTF8(attrname));
    if (b == NULL) { Py_DECREF(a); return NULL; }
    int same = (a == b);
    Py_DECREF(b);
    return Py_BuildValue("(Ni)", a, same);
}

static PyObject *
import_by_id(PyObject *self, PyObject *unused)
{
    PyObject *sys = _PyImport_GetModuleId(&PyId_sys);
    if (sys == NULL) return NULL;
    PyObject *none = _PyImport_GetModuleId(&PyId_no_such_module_here);
    if (none != NULL || PyErr_Occurred()) { Py_DECREF(sys); Py_XDECREF(none); return NULL; }
    int is_sys = sys == PyImport_AddModule("sys");
    Py_DECREF(sys);
    return Py_BuildValue("(ii)", is_sys, _PyImport_IsInitialized(PyInterpreterState_Get()));
}

static PyObject *
set_module(PyObject *self, PyObject *args)
{
    PyObject *name, *module;
    int by_string;
    if (!PyArg_ParseTuple(args, "UOi", &name, &module, &by_string)) return NULL;
    int r = by_string ? _PyImport_SetModuleString(PyUnicode_AsUTF8(name), module) : _PyImport_SetModule(name, module);
    if (r < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *
import_lock(PyObject *self, PyObject *unused)
{
    _PyImport_AcquireLock();
    _PyImport_AcquireLock();
    int first = _PyImport_ReleaseLock();
    int second = _PyImport_ReleaseLock();
    int third = _PyImport_ReleaseLock();
    if (PyErr_Occurred()) return NULL;
    return Py_BuildValue("(iii)", first, second, third);
}

static PyObject *
fixup(PyObject *self, PyObject *args)
{
    PyObject *module, *name, *modules;
    if (!PyArg_ParseTuple(args, "OUO", &module, &name, &modules)) return NULL;
    if (_PyImport_FixupExtensionObject(module, name, name, modules) < 0) return NULL;
    if (_PyImport_FixupBuiltin(module, "privobj_fixed_builtin", modules) < 0) return NULL;
    Py_RETURN_NONE;
}

/* Module private helpers. */
static PyObject *
module_clear(PyObject *self, PyObject *args)
{
    PyObject *m;
    int whole;
    if (!PyArg_ParseTuple(args, "Oi", &m, &whole)) return NULL;
    if (whole) _PyModule_Clear(m);
    else _PyModule_ClearDict(m);
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}

static PyObject *
spec_initializing(PyObject *self, PyObject *spec)
{
    int r = _PyModuleSpec_IsInitializing(spec);
    if (r < 0) return NULL;
    return PyLong_FromLong(r);
}

static struct PyModuleDef made_def = {PyModuleDef_HEAD_INIT, "privobj_made", "made by _PyModule_CreateInitialized", -1, NULL};

static PyObject *
create_initialized(PyObject *self, PyObject *unused)
{
    return _PyModule_CreateInitialized(&made_def, PYTHON_API_VERSION);
}

/* _PyModule_Add steals value; with NULL it keeps the pending error. */
static PyObject *
module_add(PyObject *self, PyObject *args)
{
    PyObject *m, *value;
    const char *name;
    if (!PyArg_ParseTuple(args, "OsO", &m, &name, &value)) return NULL;
    Py_ssize_t before = Py_REFCNT(value);
    if (_PyModule_Add(m, name, Py_NewRef(value)) < 0) return NULL;
    int balanced = Py_REFCNT(value) >= before;
    PyErr_SetString(PyExc_ValueError, "preset");
    int with_null = _PyModule_Add(m, "never", NULL);
    PyObject *exc = PyErr_Occurred();
    int kept = exc != NULL && PyErr_GivenExceptionMatches(exc, PyExc_ValueError);
    PyErr_Clear();
    return Py_BuildValue("(iii)", balanced, with_null, kept);
}

/* The helper types of coroutines and async generators. */
static PyObject *
helper_types(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(OOOO)", (PyObject *)&_PyCoroWrapper_Type, (PyObject *)&_PyAsyncGenASend_Type,
                         (PyObject *)&_PyAsyncGenAThrow_Type, (PyObject *)&_PyAsyncGenWrappedValue_Type);
}

/* Slice private helpers. */
static PyObject *
slice_helpers(PyObject *self, PyObject *args)
{
    Py_ssize_t start, stop;
    PyObject *length, *slice;
    if (!PyArg_ParseTuple(args, "nnOO!", &start, &stop, &length, &PySlice_Type, &slice)) return NULL;
    PyObject *made = _PySlice_FromIndices(start, stop);
    if (made == NULL) return NULL;
    PyObject *a, *b, *c;
    if (_PySlice_GetLongIndices((PySliceObject *)slice, length, &a, &b, &c) < 0) { Py_DECREF(made); return NULL; }
    return Py_BuildValue("(N(NNN))", made, a, b, c);
}

static PyObject *
empty_bytearray_storage(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(i)", (int)strlen(_PyByteArray_empty_string));
}

static PyObject *
package_context(PyObject *self, PyObject *unused)
{
    /* Outside of any PyInit_* call. */
    return PyBool_FromLong(_Py_PackageContext == NULL);
}

static const char *context_at_init;

static PyMethodDef methods[] = {
    {"ids", ids, METH_O, NULL},
    {"set_and_lookup", set_and_lookup, METH_VARARGS, NULL},
    {"special_len", special_len, METH_O, NULL},
    {"type_lookup_exit", type_lookup_exit, METH_O, NULL},
    {"get_method_call", get_method_call, METH_VARARGS, NULL},
    {"vectorcall_replace", vectorcall_replace, METH_VARARGS, NULL},
    {"make_tp_call", make_tp_call, METH_VARARGS, NULL},
    {"check_result", check_result, METH_VARARGS, NULL},
    {"real_isinstance", real_isinstance, METH_VARARGS, NULL},
    {"real_issubclass", real_issubclass, METH_VARARGS, NULL},
    {"charp_array", charp_array, METH_O, NULL},
    {"walk_indices", walk_indices, METH_O, NULL},
    {"generic_setattr_dict", generic_setattr_dict, METH_VARARGS, NULL},
    {"function_str", function_str, METH_O, NULL},
    {"is_abstract", is_abstract, METH_O, NULL},
    {"get_state", get_state, METH_O, NULL},
    {"calculate_metaclass", calculate_metaclass, METH_VARARGS, NULL},
    {"internal_doc", internal_doc, METH_VARARGS, NULL},
    {"swapped_ops", swapped_ops, METH_NOARGS, NULL},
    {"freed_checks", freed_checks, METH_O, NULL},
    {"dump", dump, METH_O, NULL},
    {"new_boxed", new_boxed, METH_O, NULL},
    {"incref_decref", incref_decref, METH_O, NULL},
    {"trashcan", trashcan, METH_O, NULL},
    {"dict_del_if_negative", dict_del_if_negative, METH_VARARGS, NULL},
    {"dict_merge_ex", dict_merge_ex, METH_VARARGS, NULL},
    {"dict_sizeof", dict_sizeof, METH_O, NULL},
    {"dict_views", dict_views, METH_O, NULL},
    {"view_intersect", view_intersect, METH_VARARGS, NULL},
    {"debug_stats", debug_stats, METH_NOARGS, NULL},
    {"import_helpers", import_helpers, METH_VARARGS, NULL},
    {"import_by_id", import_by_id, METH_NOARGS, NULL},
    {"set_module", set_module, METH_VARARGS, NULL},
    {"import_lock", import_lock, METH_NOARGS, NULL},
    {"fixup", fixup, METH_VARARGS, NULL},
    {"module_clear", module_clear, METH_VARARGS, NULL},
    {"spec_initializing", spec_initializing, METH_O, NULL},
    {"create_initialized", create_initialized, METH_NOARGS, NULL},
    {"slice_helpers", slice_helpers, METH_VARARGS, NULL},
    {"module_add", module_add, METH_VARARGS, NULL},
    {"helper_types", helper_types, METH_NOARGS, NULL},
    {"empty_bytearray_storage", empty_bytearray_storage, METH_NOARGS, NULL},
    {"package_context", package_context, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "privobj_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_privobj_ext(void)
{
    context_at_init = _Py_PackageContext;
    if (PyType_Ready(&Boxed_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL) return NULL;
    if (PyModule_AddStringConstant(m, "context_at_init", context_at_init ? context_at_init : "(null)") < 0) return NULL;
    return m;
}
