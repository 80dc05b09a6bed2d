/* Descriptors: method descriptors as C sees them (PyDescrObject,
 * PyMethodDescrObject), PyDescr_New*, PyDictProxy_New, PyWrapper_New,
 * PyDescr_IsData, PyMember_GetOne/SetOne. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    int number;
    double ratio;
    PyObject *obj;
    int frozen;
} Thing;

static PyObject *
thing_meth(PyObject *self, PyObject *arg)
{
    return Py_BuildValue("(sO)", "meth", arg);
}

static PyObject *
thing_cls(PyObject *cls, PyObject *unused)
{
    return Py_BuildValue("(sO)", "cls", cls);
}

static PyObject *
thing_defining(PyObject *self, PyTypeObject *defining, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    return Py_BuildValue("(sOn)", "defining", (PyObject *)defining, PyVectorcall_NARGS(nargsf));
}

static PyMethodDef thing_methods[] = {
    {"meth", thing_meth, METH_O, "meth doc"},
    {"cls", thing_cls, METH_NOARGS | METH_CLASS, NULL},
    {"defining", (PyCFunction)(void (*)(void))thing_defining, METH_METHOD | METH_FASTCALL | METH_KEYWORDS, NULL},
    {"signed_later", thing_meth, METH_O, NULL},
    {"signed", thing_meth, METH_O, "signed($self, value, /)\n--\n\nWith a text signature."},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef thing_members[] = {
    {"number", T_INT, offsetof(Thing, number), 0, NULL},
    {"ratio", T_DOUBLE, offsetof(Thing, ratio), 0, NULL},
    {"obj", T_OBJECT_EX, offsetof(Thing, obj), 0, NULL},
    {"frozen", T_INT, offsetof(Thing, frozen), READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyObject *
thing_label(PyObject *self, void *closure)
{
    return PyUnicode_FromFormat("thing %d", ((Thing *)self)->number);
}

static PyGetSetDef thing_getset[] = {
    {"label", thing_label, NULL, NULL, NULL},
    {NULL}
};

static void
thing_dealloc(PyObject *self)
{
    Py_CLEAR(((Thing *)self)->obj);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject Thing_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "descr_ext.Thing",
    .tp_basicsize = sizeof(Thing),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_methods = thing_methods,
    .tp_members = thing_members,
    .tp_getset = thing_getset,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = thing_dealloc,
};

/* Methods, members and getsets added by hand ---------------------------- */

static PyObject *
extra_meth(PyObject *self, PyObject *args)
{
    return Py_BuildValue("(sO)", "extra", args);
}

static PyObject *
extra_cls(PyObject *cls, PyObject *args)
{
    return Py_BuildValue("(sOO)", "extra_cls", cls, args);
}

static PyMethodDef extra_def = {"extra", extra_meth, METH_VARARGS, "extra doc"};
static PyMethodDef extra_cls_def = {"extra_cls", extra_cls, METH_VARARGS, NULL};
static PyMemberDef extra_member = {"ratio_again", T_DOUBLE, offsetof(Thing, ratio), 0, NULL};

static PyObject *
getset_get(PyObject *self, void *closure)
{
    return Py_BuildValue("(ss)", "got", (const char *)closure);
}

static int
getset_set(PyObject *self, PyObject *value, void *closure)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete");
        return -1;
    }
    ((Thing *)self)->number = (int)PyLong_AsLong(value) * 2;
    return PyErr_Occurred() ? -1 : 0;
}

static PyGetSetDef extra_getset = {"doubled", getset_get, getset_set, "getset doc", "closure text"};

static PyObject *
new_descriptors(PyObject *module, PyObject *unused)
{
    PyObject *m = PyDescr_NewMethod(&Thing_Type, &extra_def);
    PyObject *c = PyDescr_NewClassMethod(&Thing_Type, &extra_cls_def);
    PyObject *mem = PyDescr_NewMember(&Thing_Type, &extra_member);
    PyObject *gs = PyDescr_NewGetSet(&Thing_Type, &extra_getset);
    if (m == NULL || c == NULL || mem == NULL || gs == NULL) {
        Py_XDECREF(m);
        Py_XDECREF(c);
        Py_XDECREF(mem);
        Py_XDECREF(gs);
        return NULL;
    }
    return Py_BuildValue("(NNNN)", m, c, mem, gs);
}

/* What C reads from a method descriptor: type, name and its PyMethodDef. */
static PyObject *
descr_parts(PyObject *module, PyObject *d)
{
    PyObject *type = (PyObject *)PyDescr_TYPE(d);
    PyObject *name = PyDescr_NAME(d);
    PyMethodDescrObject *md = (PyMethodDescrObject *)d;
    return Py_BuildValue("(OOs)", type, name, md->d_method->ml_name);
}

/* The common head of any descriptor. */
static PyObject *
descr_head(PyObject *module, PyObject *d)
{
    return Py_BuildValue("(OO)", (PyObject *)PyDescr_TYPE(d), PyDescr_NAME(d));
}

/* The PyMethodDef of a method defined in C: flags and whether ml_meth is
 * this module's function. */
static PyObject *
descr_def(PyObject *module, PyObject *d)
{
    PyMethodDescrObject *md = (PyMethodDescrObject *)d;
    int ours = md->d_method->ml_meth == (PyCFunction)thing_meth || md->d_method->ml_meth == (PyCFunction)thing_cls
               || md->d_method->ml_meth == (PyCFunction)(void (*)(void))thing_defining
               || md->d_method->ml_meth == (PyCFunction)extra_meth || md->d_method->ml_meth == (PyCFunction)extra_cls;
    return Py_BuildValue("(ii)", md->d_method->ml_flags, ours);
}

/* A bound method of a C type, as a builtin function: name, self, class. */
static PyObject *
bound_parts(PyObject *module, PyObject *f)
{
    if (!PyCFunction_Check(f)) {
        PyErr_SetString(PyExc_TypeError, "not a builtin function");
        return NULL;
    }
    PyCFunctionObject *cf = (PyCFunctionObject *)f;
    PyTypeObject *cls = PyCFunction_GET_CLASS(f);
    return Py_BuildValue("(sOiO)", cf->m_ml->ml_name, PyCFunction_GET_SELF(f), PyCFunction_GET_FLAGS(f),
                         cls ? (PyObject *)cls : Py_None);
}

static PyObject *
dict_proxy(PyObject *module, PyObject *mapping)
{
    return PyDictProxy_New(mapping);
}

static PyObject *
wrapper_new(PyObject *module, PyObject *args)
{
    PyObject *descr, *self;
    if (!PyArg_ParseTuple(args, "OO", &descr, &self))
        return NULL;
    return PyWrapper_New(descr, self);
}

static PyObject *
is_data(PyObject *module, PyObject *d)
{
    return PyLong_FromLong(PyDescr_IsData(d));
}

/* The descriptor slots of any object's type, as C calls them directly
 * (wrapt binds a wrapped function through Py_TYPE(f)->tp_descr_get). */
static PyObject *
slot_get(PyObject *module, PyObject *args)
{
    PyObject *descr, *obj, *owner;
    if (!PyArg_ParseTuple(args, "OOO", &descr, &obj, &owner))
        return NULL;
    descrgetfunc get = Py_TYPE(descr)->tp_descr_get;
    if (get == NULL)
        return PyUnicode_FromString("no tp_descr_get");
    return get(descr, obj == Py_None ? NULL : obj, owner == Py_None ? NULL : owner);
}

static PyObject *
slot_set(PyObject *module, PyObject *args)
{
    PyObject *descr, *obj, *value = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &descr, &obj, &value))
        return NULL;
    descrsetfunc set = Py_TYPE(descr)->tp_descr_set;
    if (set == NULL)
        return PyUnicode_FromString("no tp_descr_set");
    if (set(descr, obj, value) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* PyMember_GetOne/SetOne on a Thing's struct ----------------------------- */

static PyObject *
member_get(PyObject *module, PyObject *args)
{
    PyObject *obj;
    int index;
    if (!PyArg_ParseTuple(args, "O!i", &Thing_Type, &obj, &index))
        return NULL;
    return PyMember_GetOne((const char *)obj, &thing_members[index]);
}

static PyObject *
member_set(PyObject *module, PyObject *args)
{
    PyObject *obj, *value;
    int index;
    if (!PyArg_ParseTuple(args, "O!iO", &Thing_Type, &obj, &index, &value))
        return NULL;
    if (PyUnicode_Check(value) && PyUnicode_CompareWithASCIIString(value, "NULL") == 0)
        value = NULL;
    if (PyMember_SetOne((char *)obj, &thing_members[index], value) < 0)
        return NULL;
    return Py_BuildValue("(idi)", ((Thing *)obj)->number, ((Thing *)obj)->ratio, ((Thing *)obj)->obj != NULL);
}

/* Documents an object after the fact through the definition behind it, as
 * numpy's add_docstring does: only where the doc is still NULL. The string
 * is kept for ever (the definitions outlive any call). */
static PyObject *
document(PyObject *self, PyObject *args)
{
    PyObject *obj, *text;
    if (!PyArg_ParseTuple(args, "OU", &obj, &text))
        return NULL;
    const char *doc = PyUnicode_AsUTF8(text);
    if (doc == NULL)
        return NULL;
    const char **slot = NULL;
    const char *kind = "other";
    if (Py_IS_TYPE(obj, &PyCFunction_Type)) {
        slot = &((PyCFunctionObject *)obj)->m_ml->ml_doc;
        kind = "function";
    }
    else if (Py_IS_TYPE(obj, &PyMemberDescr_Type)) {
        slot = &((PyMemberDescrObject *)obj)->d_member->doc;
        kind = "member";
    }
    else if (Py_IS_TYPE(obj, &PyGetSetDescr_Type)) {
        slot = &((PyGetSetDescrObject *)obj)->d_getset->doc;
        kind = "getset";
    }
    else if (Py_IS_TYPE(obj, &PyMethodDescr_Type)) {
        slot = &((PyMethodDescrObject *)obj)->d_method->ml_doc;
        kind = "method";
    }
    if (slot == NULL)
        return PyUnicode_FromString(kind);
    if (*slot != NULL)
        return PyUnicode_FromFormat("%s already documented", strcmp(kind, "member") == 0 ? "descriptor" : kind);
    Py_INCREF(text);
    *slot = doc;
    return PyUnicode_FromString(strcmp(kind, "member") == 0 ? "getset" : kind);
}

static PyObject *
undocumented(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

/* slot_member(descr): what a member descriptor of a Python class's
 * __slots__ tells C (psycopg_c reads uuid.UUID's). */
static PyObject *
slot_member(PyObject *self, PyObject *descr)
{
    if (!Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
        PyErr_SetString(PyExc_TypeError, "not a member descriptor");
        return NULL;
    }
    PyMemberDef *def = ((PyMemberDescrObject *)descr)->d_member;
    return Py_BuildValue("(sin)", def->name, def->type, def->offset);
}

/* filled_at_slots(cls, value): a new instance of cls from tp_alloc, with
 * `value` stored at the offset of each slot member, as psycopg_c builds a
 * UUID without calling it. */
static PyObject *
filled_at_slots(PyObject *self, PyObject *args)
{
    PyTypeObject *cls;
    PyObject *value;
    if (!PyArg_ParseTuple(args, "O!O", &PyType_Type, &cls, &value))
        return NULL;
    PyObject *obj = cls->tp_alloc(cls, 0);
    if (obj == NULL)
        return NULL;
    PyObject *key, *descr;
    Py_ssize_t pos = 0;
    while (PyDict_Next(cls->tp_dict, &pos, &key, &descr)) {
        if (!Py_IS_TYPE(descr, &PyMemberDescr_Type))
            continue;
        Py_ssize_t offset = ((PyMemberDescrObject *)descr)->d_member->offset;
        *(PyObject **)((char *)obj + offset) = Py_NewRef(value);
    }
    return obj;
}

static PyMethodDef methods[] = {
    {"slot_member", slot_member, METH_O, NULL},
    {"filled_at_slots", filled_at_slots, METH_VARARGS, NULL},
    {"document", document, METH_VARARGS, NULL},
    {"undocumented", undocumented, METH_NOARGS, NULL},
    {"signed_function_later", undocumented, METH_NOARGS, NULL},
    {"new_descriptors", new_descriptors, METH_NOARGS, NULL},
    {"descr_parts", descr_parts, METH_O, NULL},
    {"descr_def", descr_def, METH_O, NULL},
    {"descr_head", descr_head, METH_O, NULL},
    {"bound_parts", bound_parts, METH_O, NULL},
    {"dict_proxy", dict_proxy, METH_O, NULL},
    {"wrapper_new", wrapper_new, METH_VARARGS, NULL},
    {"is_data", is_data, METH_O, NULL},
    {"slot_get", slot_get, METH_VARARGS, NULL},
    {"slot_set", slot_set, METH_VARARGS, NULL},
    {"member_get", member_get, METH_VARARGS, NULL},
    {"member_set", member_set, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "descr_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_descr_ext(void)
{
    if (PyType_Ready(&Thing_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    if (PyModule_AddType(m, &Thing_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
