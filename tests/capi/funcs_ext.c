/* Builtin functions made from PyMethodDef (PyCFunction_*, PyCMethod_New and
 * the PyCFunctionObject layout), bound methods, instance methods,
 * staticmethod/classmethod, Python functions and cells. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
echo_args(PyObject *self, PyObject *args)
{
    return Py_BuildValue("(OO)", self ? self : Py_None, args);
}

static PyObject *
echo_one(PyObject *self, PyObject *arg)
{
    return Py_BuildValue("(OO)", self ? self : Py_None, arg);
}

static PyObject *
echo_kw(PyObject *self, PyObject *args, PyObject *kwargs)
{
    return Py_BuildValue("(OOO)", self ? self : Py_None, args, kwargs ? kwargs : Py_None);
}

static PyObject *
echo_method(PyObject *self, PyTypeObject *cls, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    return Py_BuildValue("(OOn)", self ? self : Py_None, (PyObject *)cls, n);
}

static PyMethodDef dynamic_defs[] = {
    {"dyn_varargs", echo_args, METH_VARARGS, "dyn_varargs doc"},
    {"dyn_o", echo_one, METH_O, NULL},
    {"dyn_kw", (PyCFunction)(void (*)(void))echo_kw, METH_VARARGS | METH_KEYWORDS, NULL},
    {"dyn_method", (PyCFunction)(void (*)(void))echo_method, METH_METHOD | METH_FASTCALL | METH_KEYWORDS, NULL},
    {"dyn_bad", echo_args, METH_VARARGS | METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

/* (kind, self) -> a new builtin function */
static PyObject *
make_function(PyObject *module, PyObject *args)
{
    const char *kind;
    PyObject *self = NULL, *mod = NULL;
    if (!PyArg_ParseTuple(args, "s|OO", &kind, &self, &mod))
        return NULL;
    if (self == Py_None)
        self = NULL;
    if (mod == Py_None)
        mod = NULL;
    if (strcmp(kind, "varargs") == 0)
        return PyCFunction_New(&dynamic_defs[0], self);
    if (strcmp(kind, "o") == 0)
        return PyCFunction_NewEx(&dynamic_defs[1], self, mod);
    if (strcmp(kind, "kw") == 0)
        return PyCFunction_NewEx(&dynamic_defs[2], self, mod);
    if (strcmp(kind, "method") == 0)
        return PyCMethod_New(&dynamic_defs[3], self, mod, (PyTypeObject *)&PyLong_Type);
    if (strcmp(kind, "method_no_class") == 0)
        return PyCMethod_New(&dynamic_defs[3], self, mod, NULL);
    if (strcmp(kind, "class_no_method") == 0)
        return PyCMethod_New(&dynamic_defs[0], self, mod, &PyLong_Type);
    if (strcmp(kind, "bad") == 0)
        return PyCFunction_New(&dynamic_defs[4], self);
    PyErr_SetString(PyExc_ValueError, "unknown kind");
    return NULL;
}

/* What C reads from a builtin function's struct: name, flags, self, and
 * whether the accessor functions agree with the macros. */
static PyObject *
inspect(PyObject *module, PyObject *f)
{
    if (!PyCFunction_Check(f)) {
        PyErr_SetString(PyExc_TypeError, "not a builtin function");
        return NULL;
    }
    PyCFunctionObject *cf = (PyCFunctionObject *)f;
    int flags = PyCFunction_GET_FLAGS(f);
    PyObject *self = PyCFunction_GET_SELF(f);
    int same = PyCFunction_GetSelf(f) == self && PyCFunction_GetFlags(f) == flags
               && PyCFunction_GetFunction(f) == PyCFunction_GET_FUNCTION(f);
    PyTypeObject *cls = PyCFunction_GET_CLASS(f);
    return Py_BuildValue("(siOOiO)", cf->m_ml->ml_name, flags, self ? self : Py_None,
                         cf->m_module ? cf->m_module : Py_None, same,
                         cls ? (PyObject *)cls : Py_None);
}

/* name and self of any builtin (also ones the interpreter made) */
static PyObject *
name_and_self(PyObject *module, PyObject *f)
{
    if (!PyCFunction_Check(f))
        Py_RETURN_NONE;
    PyCFunctionObject *cf = (PyCFunctionObject *)f;
    PyObject *self = PyCFunction_GET_SELF(f);
    return Py_BuildValue("(sO)", cf->m_ml->ml_name, self ? self : Py_None);
}

/* calls a METH_O / METH_NOARGS C function directly when the flags say so,
 * as Cython's fast paths do; otherwise through PyObject_CallOneArg */
static PyObject *
fast_call_one(PyObject *module, PyObject *args)
{
    PyObject *f, *arg;
    if (!PyArg_ParseTuple(args, "OO", &f, &arg))
        return NULL;
    if (PyCFunction_Check(f) && (PyCFunction_GET_FLAGS(f) & METH_O)) {
        PyCFunction meth = PyCFunction_GET_FUNCTION(f);
        return meth(PyCFunction_GET_SELF(f), arg);
    }
    return PyObject_CallOneArg(f, arg);
}

static PyObject *
getters_on_non_function(PyObject *module, PyObject *o)
{
    PyObject *r1 = (PyObject *)PyCFunction_GetFunction(o) ? Py_True : Py_False;
    PyObject *e1 = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    int flags = PyCFunction_GetFlags(o);
    PyObject *e2 = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    PyObject *self = PyCFunction_GetSelf(o);
    PyObject *e3 = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    return Py_BuildValue("(ONiNON)", r1, e1, flags, e2, self ? self : Py_None, e3);
}

static PyObject *
cfunction_call(PyObject *module, PyObject *args)
{
    PyObject *f, *a, *kw = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &f, &a, &kw))
        return NULL;
    return PyCFunction_Call(f, a, kw);
}

/* Bound methods --------------------------------------------------------- */

static PyObject *
method_new(PyObject *module, PyObject *args)
{
    PyObject *f, *self;
    if (!PyArg_ParseTuple(args, "OO", &f, &self))
        return NULL;
    return PyMethod_New(f, self == Py_None ? NULL : self);
}

static PyObject *
method_parts(PyObject *module, PyObject *m)
{
    if (!PyMethod_Check(m)) {
        PyObject *f = PyMethod_Function(m);
        PyObject *err = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
        PyErr_Clear();
        return Py_BuildValue("(ON)", f ? f : Py_None, err);
    }
    PyObject *f = PyMethod_GET_FUNCTION(m), *s = PyMethod_GET_SELF(m);
    int same = f == PyMethod_Function(m) && s == PyMethod_Self(m);
    return Py_BuildValue("(OOi)", f, s, same);
}

static PyObject *
instance_method(PyObject *module, PyObject *f)
{
    PyObject *im = PyInstanceMethod_New(f);
    if (im == NULL)
        return NULL;
    int same = PyInstanceMethod_Function(im) == f && PyInstanceMethod_GET_FUNCTION(im) == f;
    return Py_BuildValue("(Nii)", im, PyInstanceMethod_Check(im), same);
}

static PyObject *
instance_method_function(PyObject *module, PyObject *o)
{
    PyObject *f = PyInstanceMethod_Function(o);
    return Py_XNewRef(f);
}

static PyObject *
function_vectorcall(PyObject *module, PyObject *args)
{
    PyObject *f, *a, *b;
    if (!PyArg_ParseTuple(args, "OOO", &f, &a, &b))
        return NULL;
    PyObject *stack[2] = {a, b};
    PyObject *names = Py_BuildValue("(s)", "b");
    if (names == NULL)
        return NULL;
    PyObject *r = _PyFunction_Vectorcall(f, stack, 1, names);
    Py_DECREF(names);
    return r;
}

static PyObject *
static_and_class(PyObject *module, PyObject *f)
{
    PyObject *sm = PyStaticMethod_New(f);
    if (sm == NULL)
        return NULL;
    PyObject *cm = PyClassMethod_New(f);
    if (cm == NULL) {
        Py_DECREF(sm);
        return NULL;
    }
    return Py_BuildValue("(NN)", sm, cm);
}

/* Python functions ------------------------------------------------------ */

static PyObject *
function_new(PyObject *module, PyObject *args)
{
    PyObject *code, *globals, *qualname = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &code, &globals, &qualname))
        return NULL;
    if (qualname == NULL)
        return PyFunction_New(code, globals);
    return PyFunction_NewWithQualName(code, globals, qualname == Py_None ? NULL : qualname);
}

static PyObject *
or_null(PyObject *o)
{
    return Py_NewRef(o ? o : Py_None);
}

static PyObject *
function_parts(PyObject *module, PyObject *f)
{
    PyObject *code = PyFunction_GetCode(f);
    if (code == NULL)
        return NULL;
    int macros_agree = PyFunction_GET_CODE(f) == code && PyFunction_GET_GLOBALS(f) == PyFunction_GetGlobals(f)
                       && PyFunction_GET_DEFAULTS(f) == PyFunction_GetDefaults(f)
                       && PyFunction_GET_CLOSURE(f) == PyFunction_GetClosure(f);
    PyObject *globals = PyFunction_GetGlobals(f);
    PyObject *r = PyTuple_New(8);
    if (r == NULL)
        return NULL;
    PyTuple_SET_ITEM(r, 0, Py_NewRef(code));
    PyTuple_SET_ITEM(r, 1, PyBool_FromLong(PyDict_Check(globals)));
    PyTuple_SET_ITEM(r, 2, or_null(PyFunction_GetModule(f)));
    PyTuple_SET_ITEM(r, 3, or_null(PyFunction_GetDefaults(f)));
    PyTuple_SET_ITEM(r, 4, or_null(PyFunction_GetKwDefaults(f)));
    PyTuple_SET_ITEM(r, 5, or_null(PyFunction_GetClosure(f)));
    PyTuple_SET_ITEM(r, 6, or_null(PyFunction_GetAnnotations(f)));
    PyTuple_SET_ITEM(r, 7, PyBool_FromLong(macros_agree));
    return r;
}

/* (which, f, value): which in defaults/kwdefaults/annotations; value None
 * passes NULL when it is the string "NULL" */
static PyObject *
function_set(PyObject *module, PyObject *args)
{
    const char *which;
    PyObject *f, *value;
    if (!PyArg_ParseTuple(args, "sOO", &which, &f, &value))
        return NULL;
    if (PyUnicode_Check(value) && PyUnicode_CompareWithASCIIString(value, "NULL") == 0)
        value = NULL;
    int r;
    if (strcmp(which, "defaults") == 0)
        r = PyFunction_SetDefaults(f, value);
    else if (strcmp(which, "kwdefaults") == 0)
        r = PyFunction_SetKwDefaults(f, value);
    else
        r = PyFunction_SetAnnotations(f, value);
    if (r < 0)
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
function_check(PyObject *module, PyObject *f)
{
    return PyBool_FromLong(PyFunction_Check(f));
}

/* Cells ------------------------------------------------------------------ */

static PyObject *
cell_roundtrip(PyObject *module, PyObject *value)
{
    PyObject *cell = PyCell_New(value == Py_None ? NULL : value);
    if (cell == NULL)
        return NULL;
    PyObject *got = PyCell_Get(cell);
    PyObject *first = got ? got : Py_NewRef(Py_None);
    PyObject *seven = PyLong_FromLong(7);
    if (PyCell_Set(cell, seven) < 0) {
        Py_DECREF(seven);
        Py_DECREF(first);
        Py_DECREF(cell);
        return NULL;
    }
    Py_DECREF(seven);
    PyObject *macro = PyCell_GET(cell);
    PyObject *after_set = PyCell_Get(cell);
    int same = macro == after_set;
    Py_DECREF(after_set);
    if (PyCell_Set(cell, NULL) < 0) {
        Py_DECREF(first);
        Py_DECREF(cell);
        return NULL;
    }
    PyObject *emptied = PyCell_Get(cell);
    int empty_no_error = emptied == NULL && !PyErr_Occurred();
    Py_XDECREF(emptied);
    PyCell_SET(cell, PyLong_FromLong(11));
    PyObject *via_macro = PyCell_Get(cell);
    return Py_BuildValue("(NiiNiN)", first, PyCell_Check(cell), same, via_macro, empty_no_error, cell);
}

static PyObject *
cell_errors(PyObject *module, PyObject *notcell)
{
    PyObject *g = PyCell_Get(notcell);
    PyObject *e1 = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    int s = PyCell_Set(notcell, Py_None);
    PyObject *e2 = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    return Py_BuildValue("(ONiN)", g ? g : Py_None, e1, s, e2);
}

/* Reference counts: making and dropping functions and methods leaves the
 * arguments' counts where they were. */
static PyObject *
refcnt(PyObject *module, PyObject *obj)
{
    return PyLong_FromSsize_t(Py_REFCNT(obj));
}

static PyObject *
make_and_drop(PyObject *module, PyObject *obj)
{
    PyObject *f = PyCFunction_New(&dynamic_defs[0], obj);
    if (f == NULL)
        return NULL;
    PyObject *r = PyObject_CallNoArgs(f);
    Py_XDECREF(r);
    Py_DECREF(f);
    PyObject *cell = PyCell_New(obj);
    Py_XDECREF(cell);
    PyObject *m = PyMethod_New((PyObject *)&PyLong_Type, obj);
    Py_XDECREF(m);
    Py_RETURN_NONE;
}

static PyObject *
plain(PyObject *module, PyObject *arg)
{
    return Py_NewRef(arg);
}

static PyObject *
noargs(PyObject *module, PyObject *unused)
{
    return PyUnicode_FromString("noargs called");
}

static PyMethodDef added_defs[] = {
    {"added_later", noargs, METH_NOARGS, "added by PyModule_AddFunctions"},
    {NULL, NULL, 0, NULL}
};

static PyMethodDef methods[] = {
    {"make_function", make_function, METH_VARARGS, NULL},
    {"inspect", inspect, METH_O, NULL},
    {"name_and_self", name_and_self, METH_O, NULL},
    {"fast_call_one", fast_call_one, METH_VARARGS, NULL},
    {"getters_on_non_function", getters_on_non_function, METH_O, NULL},
    {"cfunction_call", cfunction_call, METH_VARARGS, NULL},
    {"method_new", method_new, METH_VARARGS, NULL},
    {"method_parts", method_parts, METH_O, NULL},
    {"static_and_class", static_and_class, METH_O, NULL},
    {"instance_method", instance_method, METH_O, NULL},
    {"instance_method_function", instance_method_function, METH_O, NULL},
    {"function_vectorcall", function_vectorcall, METH_VARARGS, NULL},
    {"function_new", function_new, METH_VARARGS, NULL},
    {"function_parts", function_parts, METH_O, NULL},
    {"function_set", function_set, METH_VARARGS, NULL},
    {"function_check", function_check, METH_O, NULL},
    {"cell_roundtrip", cell_roundtrip, METH_O, NULL},
    {"cell_errors", cell_errors, METH_O, NULL},
    {"refcnt", refcnt, METH_O, NULL},
    {"make_and_drop", make_and_drop, METH_O, NULL},
    {"plain", plain, METH_O, "plain(x) -> x"},
    {"noargs", noargs, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "funcs_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_funcs_ext(void)
{
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    if (PyModule_AddFunctions(m, added_defs) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
