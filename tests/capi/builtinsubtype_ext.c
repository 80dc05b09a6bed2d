/* C subtypes of list, dict and set written the way atom (and cppy) write
 * them: they size their list in its struct, call the builtin's slots from
 * their own (super-calls), and call builtin methods found in the builtin
 * type's tp_methods table. */
#include <Python.h>
#include <string.h>
#include <structmember.h>

static int deallocs;

/* ---- the builtin method tables ---- */

static PyMethodDef *
find_method(PyTypeObject *type, const char *name)
{
    for (PyMethodDef *def = type->tp_methods; def != NULL && def->ml_name != NULL; def++)
        if (strcmp(def->ml_name, name) == 0)
            return def;
    return NULL;
}

/* (name, flags) of each named method of a builtin type's table, None if absent */
static PyObject *
method_flags(PyObject *self, PyObject *args)
{
    PyObject *type, *names;
    if (!PyArg_ParseTuple(args, "O!O", &PyType_Type, &type, &names))
        return NULL;
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < PyList_GET_SIZE(names); i++) {
        const char *name = PyUnicode_AsUTF8(PyList_GET_ITEM(names, i));
        PyMethodDef *def = find_method((PyTypeObject *)type, name);
        PyObject *item = def ? Py_BuildValue("(si)", name, def->ml_flags) : Py_NewRef(Py_None);
        PyList_Append(out, item);
        Py_DECREF(item);
    }
    return out;
}

/* Calls builtin methods through their C functions, each in its own
   calling convention. */
static PyObject *
call_table_methods(PyObject *self, PyObject *lst)
{
    PyMethodDef *append = find_method(&PyList_Type, "append");
    PyMethodDef *insert = find_method(&PyList_Type, "insert");
    PyMethodDef *sort = find_method(&PyList_Type, "sort");
    PyMethodDef *pop = find_method(&PyList_Type, "pop");
    PyMethodDef *reverse = find_method(&PyList_Type, "reverse");
    PyMethodDef *fromkeys = find_method(&PyDict_Type, "fromkeys");
    PyMethodDef *maketrans = find_method(&PyUnicode_Type, "maketrans");
    PyMethodDef *join = find_method(&PyUnicode_Type, "join");
    if (!append || !insert || !sort || !pop || !reverse || !fromkeys || !maketrans || !join) {
        PyErr_SetString(PyExc_SystemError, "a builtin method is missing from its table");
        return NULL;
    }
    PyObject *item = PyLong_FromLong(7), *r;
    r = append->ml_meth(lst, item);                       /* METH_O */
    Py_DECREF(item);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    PyObject *at[2] = {PyLong_FromLong(0), PyUnicode_FromString("first")};
    r = ((_PyCFunctionFast)(void (*)(void))insert->ml_meth)(lst, at, 2);   /* METH_FASTCALL */
    Py_DECREF(at[0]);
    Py_DECREF(at[1]);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    r = reverse->ml_meth(lst, NULL);                      /* METH_NOARGS */
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    PyObject *popped = ((_PyCFunctionFast)(void (*)(void))pop->ml_meth)(lst, NULL, 0);
    if (popped == NULL)
        return NULL;
    /* sort(key=str, reverse=True): METH_FASTCALL | METH_KEYWORDS */
    PyObject *kwargs[2] = {(PyObject *)&PyUnicode_Type, Py_True};
    PyObject *kwnames = Py_BuildValue("(ss)", "key", "reverse");
    r = ((_PyCFunctionFastWithKeywords)(void (*)(void))sort->ml_meth)(lst, kwargs, 0, kwnames);
    Py_DECREF(kwnames);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    /* dict.fromkeys: a class method, given the class as self */
    PyObject *keys = Py_BuildValue("(s)", "ab");
    PyObject *fk_args[2] = {keys, Py_None};
    PyObject *made = ((_PyCFunctionFast)(void (*)(void))fromkeys->ml_meth)((PyObject *)&PyDict_Type, fk_args, 2);
    Py_DECREF(keys);
    if (made == NULL)
        return NULL;
    /* str.maketrans: a static method, self NULL */
    PyObject *mt_args[2] = {PyUnicode_FromString("ab"), PyUnicode_FromString("xy")};
    PyObject *table = ((_PyCFunctionFast)(void (*)(void))maketrans->ml_meth)(NULL, mt_args, 2);
    Py_DECREF(mt_args[0]);
    Py_DECREF(mt_args[1]);
    if (table == NULL)
        return NULL;
    PyObject *sep = PyUnicode_FromString("-");
    PyObject *parts = Py_BuildValue("[ss]", "p", "q");
    PyObject *joined = join->ml_meth(sep, parts);
    Py_DECREF(sep);
    Py_DECREF(parts);
    if (joined == NULL)
        return NULL;
    return Py_BuildValue("(NNNN)", popped, made, table, joined);
}

/* ---- a list subtype sized in its struct ---- */

typedef struct {
    PyListObject list;
    PyObject *tag;
} TList;

static PyTypeObject *TListType;

/* As atom's ListSubtype_New: the builtin's allocation, then an item array
   and a size C sets itself, filled with PyList_SET_ITEM. */
static PyObject *
tlist_sized(PyObject *self, PyObject *args)
{
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "n", &n))
        return NULL;
    PyObject *obj = PyType_GenericNew(TListType, NULL, NULL);
    if (obj == NULL)
        return NULL;
    PyListObject *op = (PyListObject *)obj;
    op->ob_item = n > 0 ? PyMem_Calloc(n, sizeof(PyObject *)) : NULL;
    Py_SET_SIZE(op, n);
    op->allocated = n;
    for (Py_ssize_t i = 0; i < n; i++)
        PyList_SET_ITEM(obj, i, PyLong_FromSsize_t(i * i));
    return obj;
}

/* Assignments go through the builtin's slots after a check of our own:
   negative numbers are refused. */
static int
refuse_negative(PyObject *v)
{
    if (v != NULL && PyLong_Check(v) && PyLong_AsLong(v) < 0) {
        PyErr_SetString(PyExc_ValueError, "negative");
        return -1;
    }
    return 0;
}

static int
tlist_ass_item(PyObject *self, Py_ssize_t i, PyObject *v)
{
    if (refuse_negative(v) < 0)
        return -1;
    return PyList_Type.tp_as_sequence->sq_ass_item(self, i, v);
}

static int
tlist_ass_subscript(PyObject *self, PyObject *key, PyObject *v)
{
    if (refuse_negative(v) < 0)
        return -1;
    return PyList_Type.tp_as_mapping->mp_ass_subscript(self, key, v);
}

static PyObject *
tlist_inplace_concat(PyObject *self, PyObject *other)
{
    return PyList_Type.tp_as_sequence->sq_inplace_concat(self, other);
}

static PyObject *
tlist_item(PyObject *self, Py_ssize_t i)
{
    return PyList_Type.tp_as_sequence->sq_item(self, i);
}

static Py_ssize_t
tlist_length(PyObject *self)
{
    return PyList_Type.tp_as_sequence->sq_length(self);
}

static int
tlist_contains(PyObject *self, PyObject *v)
{
    return PyList_Type.tp_as_sequence->sq_contains(self, v);
}

/* extend, through list's own C function from its method table */
static PyObject *
tlist_extend(PyObject *self, PyObject *values)
{
    return find_method(&PyList_Type, "extend")->ml_meth(self, values);
}

static int
tlist_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((TList *)self)->tag);
    return PyList_Type.tp_traverse(self, visit, arg);
}

static int
tlist_clear(PyObject *self)
{
    Py_CLEAR(((TList *)self)->tag);
    return PyList_Type.tp_clear(self);
}

static void
tlist_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Py_CLEAR(((TList *)self)->tag);
    deallocs++;
    PyList_Type.tp_dealloc(self);
    Py_DECREF(tp);
}

static PyMethodDef tlist_methods[] = {
    {"extend", tlist_extend, METH_O, NULL},
    {NULL},
};

static PyType_Slot tlist_slots[] = {
    {Py_tp_base, NULL},
    {Py_tp_dealloc, tlist_dealloc},
    {Py_tp_traverse, tlist_traverse},
    {Py_tp_clear, tlist_clear},
    {Py_tp_methods, tlist_methods},
    {Py_sq_ass_item, tlist_ass_item},
    {Py_sq_item, tlist_item},
    {Py_sq_length, tlist_length},
    {Py_sq_contains, tlist_contains},
    {Py_sq_inplace_concat, tlist_inplace_concat},
    {Py_mp_ass_subscript, tlist_ass_subscript},
    {0, NULL},
};

static PyType_Spec tlist_spec = {
    "builtinsubtype_ext.TList", sizeof(TList), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, tlist_slots,
};

/* ---- a dict subtype whose keys are stored upper-cased ---- */

static int
tdict_ass_subscript(PyObject *self, PyObject *key, PyObject *v)
{
    PyObject *upper = PyUnicode_Check(key) ? PyObject_CallMethod(key, "upper", NULL) : Py_NewRef(key);
    if (upper == NULL)
        return -1;
    int r = PyDict_Type.tp_as_mapping->mp_ass_subscript(self, upper, v);
    Py_DECREF(upper);
    return r;
}

static PyObject *
tdict_subscript(PyObject *self, PyObject *key)
{
    PyObject *upper = PyUnicode_Check(key) ? PyObject_CallMethod(key, "upper", NULL) : Py_NewRef(key);
    if (upper == NULL)
        return NULL;
    PyObject *r = PyDict_Type.tp_as_mapping->mp_subscript(self, upper);
    Py_DECREF(upper);
    return r;
}

static PyType_Slot tdict_slots[] = {
    {Py_tp_base, NULL},
    {Py_mp_ass_subscript, tdict_ass_subscript},
    {Py_mp_subscript, tdict_subscript},
    {0, NULL},
};

static PyType_Spec tdict_spec = {
    "builtinsubtype_ext.TDict", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, tdict_slots,
};

/* ---- a set subtype whose in-place operators only take sets ---- */

static PyObject *
only_sets(PyObject *other)
{
    if (!PyAnySet_Check(other)) {
        PyErr_SetString(PyExc_TypeError, "only sets");
        return NULL;
    }
    return other;
}

static PyObject *
tset_ior(PyObject *self, PyObject *other)
{
    return only_sets(other) ? PySet_Type.tp_as_number->nb_inplace_or(self, other) : NULL;
}

static PyObject *
tset_isub(PyObject *self, PyObject *other)
{
    return only_sets(other) ? PySet_Type.tp_as_number->nb_inplace_subtract(self, other) : NULL;
}

static PyObject *
tset_sub(PyObject *self, PyObject *other)
{
    return PySet_Type.tp_as_number->nb_subtract(self, other);
}

static PyType_Slot tset_slots[] = {
    {Py_tp_base, NULL},
    {Py_nb_inplace_or, tset_ior},
    {Py_nb_inplace_subtract, tset_isub},
    {Py_nb_subtract, tset_sub},
    {0, NULL},
};

static PyType_Spec tset_spec = {
    "builtinsubtype_ext.TSet", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, tset_slots,
};

/* ---- a GC holder, to put a TList in a cycle ---- */

typedef struct {
    PyObject_HEAD
    PyObject *item;
} Holder;

static int
holder_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((Holder *)self)->item);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int
holder_clear(PyObject *self)
{
    Py_CLEAR(((Holder *)self)->item);
    return 0;
}

static void
holder_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    holder_clear(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyObject *
holder_get(PyObject *self, void *closure)
{
    PyObject *item = ((Holder *)self)->item;
    return Py_NewRef(item ? item : Py_None);
}

static int
holder_set(PyObject *self, PyObject *value, void *closure)
{
    Py_XSETREF(((Holder *)self)->item, Py_XNewRef(value));
    return 0;
}

static PyGetSetDef holder_getset[] = {
    {"item", holder_get, holder_set, NULL, NULL},
    {NULL},
};

static PyType_Slot holder_slots[] = {
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_dealloc, holder_dealloc},
    {Py_tp_traverse, holder_traverse},
    {Py_tp_clear, holder_clear},
    {Py_tp_getset, holder_getset},
    {0, NULL},
};

static PyType_Spec holder_spec = {
    "builtinsubtype_ext.Holder", sizeof(Holder), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, holder_slots,
};

/* Which number slots a type fills (a NULL table counts as none): the
   builtin sequences have sequence slots for + and *, not number slots. */
static PyObject *
number_slots(PyObject *self, PyObject *type)
{
    PyNumberMethods *nb = ((PyTypeObject *)type)->tp_as_number;
    PySequenceMethods *sq = ((PyTypeObject *)type)->tp_as_sequence;
    return Py_BuildValue("(iiiiiii)", nb && nb->nb_add, nb && nb->nb_multiply, nb && nb->nb_remainder,
                         nb && nb->nb_inplace_add, nb && nb->nb_inplace_multiply,
                         sq && sq->sq_concat, sq && sq->sq_repeat);
}

static PyObject *
set_tag(PyObject *self, PyObject *args)
{
    PyObject *t, *tag;
    if (!PyArg_ParseTuple(args, "O!O", TListType, &t, &tag))
        return NULL;
    Py_XSETREF(((TList *)t)->tag, Py_NewRef(tag));
    Py_RETURN_NONE;
}

static PyObject *
dealloc_count(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(deallocs);
}

/* Cython compares a builtin base's size with the struct it compiled against. */
static PyObject *
weakref_size_matches(PyObject *self, PyObject *unused)
{
    return PyBool_FromLong(_PyWeakref_RefType.tp_basicsize == (Py_ssize_t)sizeof(PyWeakReference));
}

static PyMethodDef methods[] = {
    {"method_flags", method_flags, METH_VARARGS, NULL},
    {"call_table_methods", call_table_methods, METH_O, NULL},
    {"tlist_sized", tlist_sized, METH_VARARGS, NULL},
    {"dealloc_count", dealloc_count, METH_NOARGS, NULL},
    {"set_tag", set_tag, METH_VARARGS, NULL},
    {"number_slots", number_slots, METH_O, NULL},
    {"weakref_size_matches", weakref_size_matches, METH_NOARGS, NULL},
    {NULL},
};

/* ---- a static subtype of weakref.ref with a field, as Cython makes for
 * `cdef class ValuedRef(weakref.ref): cdef object value` ---- */

typedef struct {
    PyWeakReference base;
    PyObject *value;
} ValuedRefObject;

static int
valued_ref_traverse(ValuedRefObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->value);
    return _PyWeakref_RefType.tp_traverse((PyObject *)self, visit, arg);
}

static int
valued_ref_clear(ValuedRefObject *self)
{
    Py_CLEAR(self->value);
    return _PyWeakref_RefType.tp_clear((PyObject *)self);
}

static void
valued_ref_dealloc(ValuedRefObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_CLEAR(self->value);
    deallocs++;
    _PyWeakref_RefType.tp_dealloc((PyObject *)self);
}

static PyMemberDef valued_ref_members[] = {
    {"value", T_OBJECT, offsetof(ValuedRefObject, value), 0, NULL},
    {NULL},
};

static PyTypeObject ValuedRefType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinsubtype_ext.ValuedRef",
    .tp_basicsize = sizeof(ValuedRefObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)valued_ref_traverse,
    .tp_clear = (inquiry)valued_ref_clear,
    .tp_dealloc = (destructor)valued_ref_dealloc,
    .tp_members = valued_ref_members,
};

/* A tuple subclass with no fields of its own, whose instances C makes as
   PyTuple_New makes tuples: tp_alloc(type, n), then PyTuple_SET_ITEM
   (PyGObject's result tuples). */
static PyObject *
result_tuple_getattro(PyObject *self, PyObject *name)
{
    if (PyUnicode_Check(name) && PyUnicode_CompareWithASCIIString(name, "head") == 0)
        return Py_NewRef(PyTuple_GET_ITEM(self, 0));
    /* The base's own lookup, called directly: must not dispatch on self. */
    return PyTuple_Type.tp_getattro(self, name);
}

static PyTypeObject ResultTupleType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinsubtype_ext.ResultTuple",
    .tp_basicsize = sizeof(PyTupleObject) - sizeof(PyObject *),
    .tp_itemsize = sizeof(PyObject *),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_getattro = result_tuple_getattro,
};

/* An int subclass whose `&` is int's own slot, called directly for both
   operand orders (PyGObject's flags). */
static PyObject *
flags_and(PyObject *a, PyObject *b)
{
    return PyLong_Type.tp_as_number->nb_and(a, b);
}

static PyObject *
flags_or(PyObject *a, PyObject *b)
{
    PyObject *r = PyLong_Type.tp_as_number->nb_or(a, b);
    if (r == NULL || r == Py_NotImplemented)
        return r;
    PyObject *tagged = Py_BuildValue("(sN)", "or", r);
    return tagged;
}

static PyNumberMethods flags_as_number = {.nb_and = flags_and, .nb_or = flags_or};

static PyTypeObject FlagsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "builtinsubtype_ext.Flags",
    .tp_basicsize = sizeof(PyLongObject),
    .tp_itemsize = sizeof(digit),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_as_number = &flags_as_number,
};

/* builtin_slots(a, b): int's nb_and, set's nb_inplace_or and float's nb_add,
   each called directly. */
static PyObject *
builtin_slots(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b))
        return NULL;
    PyObject *anded = PyLong_Type.tp_as_number->nb_and(a, b);
    if (anded == NULL)
        return NULL;
    PyObject *s = PySet_New(NULL);
    PyObject *one = PyLong_FromLong(1);
    PySet_Add(s, one);
    Py_DECREF(one);
    PyObject *other = PyFrozenSet_New(a == b ? NULL : NULL);
    PyObject *ored = PySet_Type.tp_as_number->nb_inplace_or(s, other);
    Py_DECREF(other);
    PyObject *bad = PyLong_Type.tp_as_number->nb_and(a, Py_None);
    return Py_BuildValue("(NNNO)", anded, s, ored, bad == Py_NotImplemented ? Py_True : Py_False);
}

static PyObject *
filled_tuple_of(PyObject *self, PyObject *type)
{
    PyTypeObject *tp = (PyTypeObject *)type;
    PyObject *t = tp->tp_alloc(tp, 2);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyUnicode_FromString("first"));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(2));
    return t;
}

static PyMethodDef more_methods[] = {
    {"filled_tuple_of", filled_tuple_of, METH_O, NULL},
    {"builtin_slots", builtin_slots, METH_VARARGS, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "builtinsubtype_ext", NULL, -1, methods};

static PyObject *
add_type(PyObject *m, PyType_Spec *spec, PyObject *base)
{
    PyObject *bases = base ? PyTuple_Pack(1, base) : NULL;
    PyObject *type = PyType_FromSpecWithBases(spec, bases);
    Py_XDECREF(bases);
    if (type == NULL || PyModule_AddObjectRef(m, strrchr(spec->name, '.') + 1, type) < 0)
        return NULL;
    return type;
}

PyMODINIT_FUNC
PyInit_builtinsubtype_ext(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    TListType = (PyTypeObject *)add_type(m, &tlist_spec, (PyObject *)&PyList_Type);
    if (TListType == NULL || !add_type(m, &tdict_spec, (PyObject *)&PyDict_Type) ||
        !add_type(m, &tset_spec, (PyObject *)&PySet_Type) || !add_type(m, &holder_spec, NULL))
        return NULL;
    ValuedRefType.tp_base = &_PyWeakref_RefType;
    if (PyType_Ready(&ValuedRefType) < 0 || PyModule_AddObjectRef(m, "ValuedRef", (PyObject *)&ValuedRefType) < 0)
        return NULL;
    FlagsType.tp_base = &PyLong_Type;
    if (PyType_Ready(&FlagsType) < 0 || PyModule_AddObjectRef(m, "Flags", (PyObject *)&FlagsType) < 0)
        return NULL;
    ResultTupleType.tp_base = &PyTuple_Type;
    if (PyType_Ready(&ResultTupleType) < 0 || PyModule_AddObjectRef(m, "ResultTuple", (PyObject *)&ResultTupleType) < 0 ||
        PyModule_AddFunctions(m, more_methods) < 0)
        return NULL;
    return m;
}
