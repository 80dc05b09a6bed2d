/* Keyword calls into C functions and methods of every convention that takes
 * keywords, made from Python (a vectorcall with the caller's keyword names)
 * and from C (PyObject_Vectorcall with names made at run time), plus member
 * reads of a C struct. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    int i;
    double d;
    char flag;
    const char *s;
    PyObject *obj;
} KWObject;

static PyTypeObject KW_Type;

static PyObject *
tuple_of(PyObject *const *items, Py_ssize_t n)
{
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, Py_NewRef(items[i]));
    return t;
}

/* Whether every keyword name is the interned str of its text. */
static PyObject *
names_interned(PyObject *names)
{
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        PyObject *interned = PyUnicode_InternFromString(PyUnicode_AsUTF8(name));
        if (interned == NULL)
            return NULL;
        int same = interned == name;
        Py_DECREF(interned);
        if (!same)
            Py_RETURN_FALSE;
    }
    Py_RETURN_TRUE;
}

/* (self is an instance, args, kwargs or None) */
static PyObject *
kw_va(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return Py_BuildValue("(NOO)", PyBool_FromLong(Py_TYPE(self) == &KW_Type), args,
                         kwargs ? kwargs : Py_None);
}

/* (self's kind, positional args, kwnames or None, keyword values) */
static PyObject *
fast_result(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    const char *kind = self == NULL ? "NULL" : PyType_Check(self) ? "type"
                       : Py_TYPE(self) == &KW_Type ? "instance" : "module";
    PyObject *pos = tuple_of(args, nargs);
    PyObject *values = tuple_of(args + nargs, nkw);
    PyObject *interned = kwnames ? names_interned(kwnames) : Py_NewRef(Py_None);
    if (pos == NULL || values == NULL || interned == NULL) {
        Py_XDECREF(pos);
        Py_XDECREF(values);
        Py_XDECREF(interned);
        return NULL;
    }
    return Py_BuildValue("(sNONN)", kind, pos, kwnames ? kwnames : Py_None, values, interned);
}

static PyObject *
kw_fast(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    return fast_result(self, args, nargs, kwnames);
}

static PyObject *
kw_meth(PyObject *self, PyTypeObject *defining, PyObject *const *args, size_t nargs, PyObject *kwnames)
{
    PyObject *r = fast_result(self, args, (Py_ssize_t)nargs, kwnames);
    if (r == NULL)
        return NULL;
    return Py_BuildValue("(NN)", PyBool_FromLong(defining == &KW_Type), r);
}

static PyObject *
kw_cls(PyObject *cls, PyObject *args, PyObject *kwargs)
{
    return Py_BuildValue("(NOO)", PyBool_FromLong(cls == (PyObject *)&KW_Type), args,
                         kwargs ? kwargs : Py_None);
}

static PyObject *
kw_o(PyObject *self, PyObject *arg)
{
    return Py_NewRef(arg);
}

static PyObject *
kw_noargs(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyObject *
kw_plain(PyObject *self, PyObject *args)
{
    return Py_NewRef(args);
}

static PyObject *
kw_fastonly(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return tuple_of(args, nargs);
}

static PyMethodDef kw_methods[] = {
    {"va", (PyCFunction)(void (*)(void))kw_va, METH_VARARGS | METH_KEYWORDS, NULL},
    {"fast", (PyCFunction)(void (*)(void))kw_fast, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"meth", (PyCFunction)(void (*)(void))kw_meth, METH_METHOD | METH_FASTCALL | METH_KEYWORDS, NULL},
    {"cls", (PyCFunction)(void (*)(void))kw_cls, METH_CLASS | METH_VARARGS | METH_KEYWORDS, NULL},
    {"static", (PyCFunction)(void (*)(void))kw_fast, METH_STATIC | METH_FASTCALL | METH_KEYWORDS, NULL},
    {"o", kw_o, METH_O, NULL},
    {"noargs", kw_noargs, METH_NOARGS, NULL},
    {"plain", kw_plain, METH_VARARGS, NULL},
    {"fastonly", (PyCFunction)(void (*)(void))kw_fastonly, METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef kw_members[] = {
    {"i", T_INT, offsetof(KWObject, i), 0, NULL},
    {"d", T_DOUBLE, offsetof(KWObject, d), 0, NULL},
    {"flag", T_BOOL, offsetof(KWObject, flag), 0, NULL},
    {"s", T_STRING, offsetof(KWObject, s), READONLY, NULL},
    {"obj", T_OBJECT_EX, offsetof(KWObject, obj), 0, NULL},
    {NULL, 0, 0, 0, NULL}
};

static void
kw_dealloc(KWObject *self)
{
    Py_XDECREF(self->obj);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject KW_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "kwcalls_ext.KW",
    .tp_basicsize = sizeof(KWObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)kw_dealloc,
    .tp_methods = kw_methods,
    .tp_members = kw_members,
};

/* --- module functions ---------------------------------------------------- */

static PyObject *
parse(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"a", "b", "c", NULL};
    int a, b = -1;
    PyObject *c = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "i|iO:parse", kwlist, &a, &b, &c))
        return NULL;
    return Py_BuildValue("(iiO)", a, b, c);
}

static PyObject *
keys_interned(PyObject *self, PyObject *args, PyObject *kwargs)
{
    if (kwargs == NULL)
        Py_RETURN_NONE;
    PyObject *keys = PyDict_Keys(kwargs);
    if (keys == NULL)
        return NULL;
    PyObject *names = PyList_AsTuple(keys);
    Py_DECREF(keys);
    if (names == NULL)
        return NULL;
    PyObject *r = names_interned(names);
    Py_DECREF(names);
    return r;
}

/* vcall(f, values, names): f(*values[:-len(names)], **{name: value}) through
 * PyObject_Vectorcall, with keyword names made at run time (not interned). */
static PyObject *
vcall(PyObject *self, PyObject *args)
{
    PyObject *f, *values, *names;
    if (!PyArg_ParseTuple(args, "OO!O!", &f, &PyTuple_Type, &values, &PyTuple_Type, &names))
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(values), nkw = PyTuple_GET_SIZE(names);
    if (nkw > n || n > 16) {
        PyErr_SetString(PyExc_ValueError, "bad vcall");
        return NULL;
    }
    PyObject *kwnames = NULL;
    if (nkw > 0) {
        kwnames = PyTuple_New(nkw);
        if (kwnames == NULL)
            return NULL;
        for (Py_ssize_t i = 0; i < nkw; i++) {
            PyObject *name = PyUnicode_FromFormat("%U", PyTuple_GET_ITEM(names, i));
            if (name == NULL) {
                Py_DECREF(kwnames);
                return NULL;
            }
            PyTuple_SET_ITEM(kwnames, i, name);
        }
    }
    PyObject *stack[16];
    for (Py_ssize_t i = 0; i < n; i++)
        stack[i] = PyTuple_GET_ITEM(values, i);
    PyObject *r = PyObject_Vectorcall(f, stack, n - nkw, kwnames);
    Py_XDECREF(kwnames);
    return r;
}

static PyObject *
set_members(PyObject *self, PyObject *args)
{
    KWObject *o;
    int i;
    double d;
    int flag;
    PyObject *obj = NULL;
    if (!PyArg_ParseTuple(args, "O!idp|O", &KW_Type, &o, &i, &d, &flag, &obj))
        return NULL;
    o->i = i;
    o->d = d;
    o->flag = (char)flag;
    o->s = i > 0 ? "positive" : NULL;
    Py_XINCREF(obj);
    Py_XSETREF(o->obj, obj);
    Py_RETURN_NONE;
}

/* Keeps the kwnames tuple of each call; says whether it is the one kept
 * from the call before. */
static PyObject *kept_kwnames = NULL;

static PyObject *
keep_kwnames(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    int same = kwnames != NULL && kwnames == kept_kwnames;
    Py_XINCREF(kwnames);
    Py_XSETREF(kept_kwnames, kwnames);
    return PyBool_FromLong(same);
}

static PyObject *
kept(PyObject *self, PyObject *unused)
{
    return Py_NewRef(kept_kwnames ? kept_kwnames : Py_None);
}

static PyMethodDef methods[] = {
    {"keep_kwnames", (PyCFunction)(void (*)(void))keep_kwnames, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"kept", kept, METH_NOARGS, NULL},
    {"va", (PyCFunction)(void (*)(void))kw_va, METH_VARARGS | METH_KEYWORDS, NULL},
    {"fast", (PyCFunction)(void (*)(void))kw_fast, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"parse", (PyCFunction)(void (*)(void))parse, METH_VARARGS | METH_KEYWORDS, NULL},
    {"keys_interned", (PyCFunction)(void (*)(void))keys_interned, METH_VARARGS | METH_KEYWORDS, NULL},
    {"o", kw_o, METH_O, NULL},
    {"noargs", kw_noargs, METH_NOARGS, NULL},
    {"plain", kw_plain, METH_VARARGS, NULL},
    {"fastonly", (PyCFunction)(void (*)(void))kw_fastonly, METH_FASTCALL, NULL},
    {"vcall", vcall, METH_VARARGS, NULL},
    {"set_members", set_members, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "kwcalls_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_kwcalls_ext(void)
{
    if (PyType_Ready(&KW_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    if (PyModule_AddType(m, &KW_Type) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
