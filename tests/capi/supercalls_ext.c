/* C types whose slots call a builtin base's slot through the base's type
   object (pybind11's metaclass and static property, psycopg2's Error), and
   type objects made with a metatype's tp_alloc and readied by hand, as
   pybind11 makes its classes. */
#include <Python.h>
#include <structmember.h>

/* --- a C metaclass whose slots call PyType_Type's ----------------------------- */

static int meta_calls, meta_gets, meta_sets;

static PyObject *
meta_call(PyObject *cls, PyObject *args, PyObject *kwargs)
{
    meta_calls++;
    return PyType_Type.tp_call(cls, args, kwargs);
}

static PyObject *
meta_getattro(PyObject *cls, PyObject *name)
{
    meta_gets++;
    return PyType_Type.tp_getattro(cls, name);
}

static int
meta_setattro(PyObject *cls, PyObject *name, PyObject *value)
{
    meta_sets++;
    return PyType_Type.tp_setattro(cls, name, value);
}

/* A heap type the way pybind11 makes one: memory from the metatype's
   tp_alloc, fields filled in, then PyType_Ready. */
static PyTypeObject *
handmade_type(PyTypeObject *metatype, const char *name, PyTypeObject *base, Py_ssize_t basicsize)
{
    PyHeapTypeObject *heap = (PyHeapTypeObject *)metatype->tp_alloc(metatype, 0);
    if (heap == NULL)
        return NULL;
    PyObject *name_obj = PyUnicode_FromString(strrchr(name, '.') ? strrchr(name, '.') + 1 : name);
    heap->ht_name = name_obj;
    heap->ht_qualname = Py_NewRef(name_obj);
    PyTypeObject *type = &heap->ht_type;
    type->tp_name = name;
    Py_INCREF(base);
    type->tp_base = base;
    type->tp_basicsize = basicsize;
    type->tp_as_number = &heap->as_number;
    type->tp_as_sequence = &heap->as_sequence;
    type->tp_as_mapping = &heap->as_mapping;
    type->tp_as_async = &heap->as_async;
    type->tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HEAPTYPE;
    return type;
}

/* pybind11's dynamic_attr: the dict the interpreter keeps, visited and
   exposed as __dict__ */
static int
base_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyObject **dict = _PyObject_GetDictPtr(self);
    if (dict != NULL)
        Py_VISIT(*dict);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int
base_clear(PyObject *self)
{
    PyObject **dict = _PyObject_GetDictPtr(self);
    if (dict != NULL)
        Py_CLEAR(*dict);
    return 0;
}

static PyGetSetDef base_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict},
    {NULL},
};

/* --- a property subtype whose __get__/__set__ call property's ------------------------ */

static int prop_gets, prop_sets;

static PyObject *
classprop_get(PyObject *self, PyObject *obj, PyObject *cls)
{
    prop_gets++;
    /* a class-level property: always read through the class */
    return PyProperty_Type.tp_descr_get(self, cls, cls);
}

static int
classprop_set(PyObject *self, PyObject *obj, PyObject *value)
{
    prop_sets++;
    PyObject *cls = PyType_Check(obj) ? obj : (PyObject *)Py_TYPE(obj);
    return PyProperty_Type.tp_descr_set(self, cls, value);
}

/* --- an exception whose tp_clear and tp_traverse end with its base's --------------------- */

typedef struct {
    PyBaseExceptionObject base;
    PyObject *extra;
} MyErrorObject;

static int my_error_clears;

static int
my_error_clear(MyErrorObject *self)
{
    my_error_clears++;
    Py_CLEAR(self->extra);
    return ((PyTypeObject *)PyExc_Exception)->tp_clear((PyObject *)self);
}

static int
my_error_traverse(MyErrorObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->extra);
    return ((PyTypeObject *)PyExc_Exception)->tp_traverse((PyObject *)self, visit, arg);
}

static void
my_error_dealloc(MyErrorObject *self)
{
    PyObject_GC_UnTrack(self);
    my_error_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMemberDef my_error_members[] = {
    {"extra", T_OBJECT, offsetof(MyErrorObject, extra), 0},
    {NULL},
};

static PyTypeObject MyError_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "supercalls_ext.MyError",
    .tp_basicsize = sizeof(MyErrorObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)my_error_dealloc,
    .tp_traverse = (traverseproc)my_error_traverse,
    .tp_clear = (inquiry)my_error_clear,
    .tp_members = my_error_members,
};

/* --- functions whose ml_doc C writes after making them ------------------------------------------- */

static PyObject *
documented(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyMethodDef late_doc_def = {"documented", documented, METH_NOARGS, NULL};

static PyObject *
set_late_doc(PyObject *self, PyObject *doc)
{
    const char *text = doc == Py_None ? NULL : PyUnicode_AsUTF8(doc);
    late_doc_def.ml_doc = text ? strdup(text) : NULL;
    Py_RETURN_NONE;
}

static PyObject *
counters(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("{s:i,s:i,s:i,s:i,s:i,s:i}", "meta calls", meta_calls, "meta gets", meta_gets > 0,
                         "meta sets", meta_sets, "prop gets", prop_gets, "prop sets", prop_sets,
                         "error clears", my_error_clears > 0);
}

/* tp_bases and tp_mro as PyType_Ready leaves them, which pybind11 walks */
static PyObject *
bases_and_mro(PyObject *self, PyObject *type)
{
    PyTypeObject *tp = (PyTypeObject *)type;
    if (tp->tp_bases == NULL || tp->tp_mro == NULL)
        return PyUnicode_FromString("NULL");
    return Py_BuildValue("(OO)", tp->tp_bases, tp->tp_mro);
}

/* the type a C type's __new__ is bound to */
static PyObject *
new_self(PyObject *self, PyObject *type)
{
    PyObject *new = PyObject_GetAttrString(type, "__new__");
    if (new == NULL)
        return NULL;
    PyObject *bound = PyCFunction_Check(new) ? PyCFunction_GET_SELF(new) : NULL;
    PyObject *result = bound ? Py_NewRef(bound) : PyUnicode_FromString("not a C function");
    Py_DECREF(new);
    return result;
}

static PyMethodDef methods[] = {
    {"counters", counters, METH_NOARGS},
    {"bases_and_mro", bases_and_mro, METH_O},
    {"new_self", new_self, METH_O},
    {"set_late_doc", set_late_doc, METH_O},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "supercalls_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_supercalls_ext(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    /* the metaclass, made by PyType_Type's tp_alloc */
    PyTypeObject *meta = handmade_type(&PyType_Type, "supercalls_ext.Meta", &PyType_Type, 0);
    if (meta == NULL)
        return NULL;
    meta->tp_call = meta_call;
    meta->tp_getattro = meta_getattro;
    meta->tp_setattro = meta_setattro;
    if (PyType_Ready(meta) < 0)
        return NULL;
    /* a class of that metaclass, made by the metaclass's tp_alloc, with a
       dict the interpreter keeps (Py_TPFLAGS_MANAGED_DICT) */
    PyTypeObject *base = handmade_type(meta, "supercalls_ext.Base", &PyBaseObject_Type, sizeof(PyObject));
    if (base == NULL)
        return NULL;
    base->tp_flags |= Py_TPFLAGS_MANAGED_DICT | Py_TPFLAGS_HAVE_GC;
    base->tp_traverse = base_traverse;
    base->tp_clear = base_clear;
    base->tp_getset = base_getset;
    if (PyType_Ready(base) < 0)
        return NULL;
    PyObject *module_name = PyUnicode_FromString("supercalls_ext");
    if (PyObject_SetAttrString((PyObject *)base, "__module__", module_name) < 0)
        return NULL;
    Py_DECREF(module_name);
    /* the property subtype */
    PyTypeObject *classprop = handmade_type(&PyType_Type, "supercalls_ext.classproperty", &PyProperty_Type,
                                            PyProperty_Type.tp_basicsize + sizeof(PyObject *));
    if (classprop == NULL)
        return NULL;
    /* room for the __doc__ that property's __init__ sets on a subtype's instance */
    classprop->tp_dictoffset = PyProperty_Type.tp_basicsize;
    classprop->tp_descr_get = classprop_get;
    classprop->tp_descr_set = classprop_set;
    if (PyType_Ready(classprop) < 0)
        return NULL;
    MyError_Type.tp_base = (PyTypeObject *)PyExc_Exception;
    if (PyType_Ready(&MyError_Type) < 0)
        return NULL;
    /* a nested class, named as pybind11 names one */
    PyTypeObject *inner = handmade_type(meta, "supercalls_ext.Outer.Inner", &PyBaseObject_Type, sizeof(PyObject));
    if (inner == NULL)
        return NULL;
    Py_SETREF(((PyHeapTypeObject *)inner)->ht_qualname, PyUnicode_FromString("Outer.Inner"));
    if (PyType_Ready(inner) < 0 || PyModule_AddObject(m, "Inner", (PyObject *)inner) < 0)
        return NULL;
    PyObject *late = PyCFunction_NewEx(&late_doc_def, NULL, NULL);
    if (PyModule_AddObject(m, "Meta", (PyObject *)meta) < 0 || PyModule_AddObject(m, "Base", (PyObject *)base) < 0 ||
        PyModule_AddObject(m, "classproperty", (PyObject *)classprop) < 0 ||
        PyModule_AddObjectRef(m, "MyError", (PyObject *)&MyError_Type) < 0 || PyModule_AddObject(m, "documented", late) < 0)
        return NULL;
    return m;
}
