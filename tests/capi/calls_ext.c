#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
tuple_from_array(PyObject *const *items, Py_ssize_t n)
{
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, Py_NewRef(items[i]));
    return t;
}

static PyObject *
pack(Py_ssize_t n, PyObject **items)   /* steals items; NULL-safe */
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (items[i] == NULL) {
            for (Py_ssize_t j = 0; j < n; j++)
                Py_XDECREF(items[j]);
            return NULL;
        }
    }
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        for (Py_ssize_t j = 0; j < n; j++)
            Py_DECREF(items[j]);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
}

/* --- calling conventions ------------------------------------------------- */

static PyObject *
noargs(PyObject *self, PyObject *unused)
{
    PyObject *items[2] = {Py_NewRef(self), PyBool_FromLong(unused == NULL)};
    return pack(2, items);
}

static PyObject *
meth_o(PyObject *self, PyObject *arg)
{
    PyObject *items[2] = {Py_NewRef(self), Py_NewRef(arg)};
    return pack(2, items);
}

static PyObject *
varargs(PyObject *self, PyObject *args)
{
    PyObject *items[3] = {Py_NewRef(self), Py_NewRef(args),
                          PyBool_FromLong(PyTuple_CheckExact(args))};
    return pack(3, items);
}

static PyObject *
varargs_kw(PyObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *items[3] = {Py_NewRef(self), Py_NewRef(args),
                          Py_NewRef(kwargs ? kwargs : Py_None)};
    return pack(3, items);
}

static PyObject *
fastcall(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *items[3] = {Py_NewRef(self), tuple_from_array(args, nargs),
                          PyLong_FromSsize_t(nargs)};
    return pack(3, items);
}

static PyObject *
fastcall_kw(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    PyObject *items[4] = {Py_NewRef(self), tuple_from_array(args, nargs),
                          Py_NewRef(kwnames ? kwnames : Py_None),
                          tuple_from_array(args + nargs, nkw)};
    return pack(4, items);
}

/* --- result/exception conventions: one per calling convention ------------- */

static PyObject *null_noargs(PyObject *self, PyObject *unused) { return NULL; }
static PyObject *null_o(PyObject *self, PyObject *arg) { return NULL; }
static PyObject *null_varargs(PyObject *self, PyObject *args) { return NULL; }
static PyObject *null_kw(PyObject *self, PyObject *args, PyObject *kw) { return NULL; }
static PyObject *null_fast(PyObject *self, PyObject *const *a, Py_ssize_t n) { return NULL; }
static PyObject *null_fastkw(PyObject *self, PyObject *const *a, Py_ssize_t n, PyObject *k)
{
    return NULL;
}

static PyObject *
set_and_return(void)
{
    PyErr_SetString(PyExc_ValueError, "pending error");
    return Py_NewRef(Py_None);
}

static PyObject *result_noargs(PyObject *self, PyObject *unused) { return set_and_return(); }
static PyObject *result_o(PyObject *self, PyObject *arg) { return set_and_return(); }
static PyObject *result_varargs(PyObject *self, PyObject *args) { return set_and_return(); }
static PyObject *result_kw(PyObject *self, PyObject *args, PyObject *kw) { return set_and_return(); }
static PyObject *result_fast(PyObject *self, PyObject *const *a, Py_ssize_t n)
{
    return set_and_return();
}
static PyObject *result_fastkw(PyObject *self, PyObject *const *a, Py_ssize_t n, PyObject *k)
{
    return set_and_return();
}

static PyObject *
raise_plain(PyObject *self, PyObject *arg)
{
    /* a correct error return, for comparison */
    PyErr_SetString(PyExc_ValueError, "proper error");
    return NULL;
}

/* --- calling Python from C --------------------------------------------------- */

static PyObject *
call_object(PyObject *self, PyObject *args)
{
    /* PyObject_CallObject(cb, args or NULL) */
    PyObject *cb = PyTuple_GET_ITEM(args, 0), *a = PyTuple_GET_ITEM(args, 1);
    return PyObject_CallObject(cb, a == Py_None ? NULL : a);
}

static PyObject *
call(PyObject *self, PyObject *args)
{
    /* PyObject_Call(cb, args, kwargs or NULL) */
    PyObject *kw = PyTuple_GET_ITEM(args, 2);
    return PyObject_Call(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1),
                         kw == Py_None ? NULL : kw);
}

static PyObject *
call_noargs(PyObject *self, PyObject *cb)
{
    return PyObject_CallNoArgs(cb);
}

static PyObject *
call_one(PyObject *self, PyObject *args)
{
    return PyObject_CallOneArg(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
}

static PyObject *
vectorcall(PyObject *self, PyObject *args)
{
    /* (cb, positional tuple, kwnames tuple or None, kw values tuple) */
    PyObject *cb = PyTuple_GET_ITEM(args, 0), *pos = PyTuple_GET_ITEM(args, 1);
    PyObject *kwnames = PyTuple_GET_ITEM(args, 2), *kwvalues = PyTuple_GET_ITEM(args, 3);
    Py_ssize_t np = PyTuple_GET_SIZE(pos), nk = PyTuple_GET_SIZE(kwvalues);
    PyObject *stack[16];
    if (np + nk > 15) {
        PyErr_SetString(PyExc_ValueError, "too many arguments for this test");
        return NULL;
    }
    /* slot 0 is scratch space so PY_VECTORCALL_ARGUMENTS_OFFSET is allowed */
    stack[0] = NULL;
    for (Py_ssize_t i = 0; i < np; i++)
        stack[1 + i] = PyTuple_GET_ITEM(pos, i);
    for (Py_ssize_t i = 0; i < nk; i++)
        stack[1 + np + i] = PyTuple_GET_ITEM(kwvalues, i);
    return PyObject_Vectorcall(cb, stack + 1, (size_t)np | PY_VECTORCALL_ARGUMENTS_OFFSET,
                               kwnames == Py_None ? NULL : kwnames);
}

static PyObject *
call_method_noargs(PyObject *self, PyObject *args)
{
    return PyObject_CallMethodNoArgs(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
}

static PyObject *
call_method_one(PyObject *self, PyObject *args)
{
    return PyObject_CallMethodOneArg(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1),
                                     PyTuple_GET_ITEM(args, 2));
}

static PyObject *
callable_check(PyObject *self, PyObject *arg)
{
    return PyBool_FromLong(PyCallable_Check(arg));
}

static PyObject *
callback_raises(PyObject *self, PyObject *cb)
{
    /* the callback raises; pass the error through untouched */
    PyObject *r = PyObject_CallObject(cb, NULL);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    PyErr_SetString(PyExc_AssertionError, "callback did not raise");
    return NULL;
}

static PyObject *
callback_sum(PyObject *self, PyObject *args)
{
    /* call cb(i) for i in range(n) and sum the int results */
    PyObject *cb = PyTuple_GET_ITEM(args, 0);
    long n = PyLong_AsLong(PyTuple_GET_ITEM(args, 1));
    if (n == -1 && PyErr_Occurred())
        return NULL;
    long total = 0;
    for (long i = 0; i < n; i++) {
        PyObject *arg = PyLong_FromLong(i);
        if (arg == NULL)
            return NULL;
        PyObject *r = PyObject_CallOneArg(cb, arg);
        Py_DECREF(arg);
        if (r == NULL)
            return NULL;
        long v = PyLong_AsLong(r);
        Py_DECREF(r);
        if (v == -1 && PyErr_Occurred())
            return NULL;
        total += v;
    }
    return PyLong_FromLong(total);
}

/* --- identity ---------------------------------------------------------------- */

static PyObject *
identity(PyObject *self, PyObject *arg)
{
    return Py_NewRef(arg);
}

static PyObject *
twice(PyObject *self, PyObject *arg)
{
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, Py_NewRef(arg));
    PyTuple_SET_ITEM(t, 1, Py_NewRef(arg));
    return t;
}

static PyObject *
in_list_and_dict(PyObject *self, PyObject *arg)
{
    /* ([arg], {"k": arg}) */
    PyObject *l = PyList_New(1), *d = PyDict_New();
    if (l == NULL || d == NULL) {
        Py_XDECREF(l);
        Py_XDECREF(d);
        return NULL;
    }
    PyList_SET_ITEM(l, 0, Py_NewRef(arg));
    if (PyDict_SetItemString(d, "k", arg) < 0) {
        Py_DECREF(l);
        Py_DECREF(d);
        return NULL;
    }
    PyObject *items[2] = {l, d};
    return pack(2, items);
}

static PyObject *
same(PyObject *self, PyObject *args)
{
    /* pointer equality of two arguments, seen from C */
    return PyBool_FromLong(PyTuple_GET_ITEM(args, 0) == PyTuple_GET_ITEM(args, 1));
}

static PyObject *
first_arg(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "first_arg needs an argument");
        return NULL;
    }
    return Py_NewRef(args[0]);
}

/* _PyStack_AsDict(values, kwnames): the keyword part of a vectorcall. */
static PyObject *
stack_as_dict(PyObject *self, PyObject *args)
{
    PyObject *values, *kwnames;
    if (!PyArg_ParseTuple(args, "O!O!", &PyTuple_Type, &values, &PyTuple_Type, &kwnames))
        return NULL;
    if (PyTuple_GET_SIZE(values) < PyTuple_GET_SIZE(kwnames)) {
        PyErr_SetString(PyExc_ValueError, "a value for each name");
        return NULL;
    }
    return _PyStack_AsDict(&PyTuple_GET_ITEM(values, 0), kwnames);
}

static PyMethodDef methods[] = {
    {"stack_as_dict", stack_as_dict, METH_VARARGS, NULL},
    {"noargs", noargs, METH_NOARGS,
     "noargs($module, /)\n--\n\nReturn (self, arg-is-NULL)."},
    {"meth_o", meth_o, METH_O, "Return (self, arg)."},
    {"varargs", varargs, METH_VARARGS, "Return (self, args, args-is-exact-tuple)."},
    {"varargs_kw", (PyCFunction)(void (*)(void))varargs_kw, METH_VARARGS | METH_KEYWORDS,
     "Return (self, args, kwargs or None)."},
    {"fastcall", (PyCFunction)(void (*)(void))fastcall, METH_FASTCALL,
     "Return (self, args, nargs)."},
    {"fastcall_kw", (PyCFunction)(void (*)(void))fastcall_kw, METH_FASTCALL | METH_KEYWORDS,
     "fastcall_kw($module, /, *args, **kwargs)\n--\n\nReturn (self, args, kwnames, kwvalues)."},
    {"null_noargs", null_noargs, METH_NOARGS, NULL},
    {"null_o", null_o, METH_O, NULL},
    {"null_varargs", null_varargs, METH_VARARGS, NULL},
    {"null_kw", (PyCFunction)(void (*)(void))null_kw, METH_VARARGS | METH_KEYWORDS, NULL},
    {"null_fast", (PyCFunction)(void (*)(void))null_fast, METH_FASTCALL, NULL},
    {"null_fastkw", (PyCFunction)(void (*)(void))null_fastkw, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"result_noargs", result_noargs, METH_NOARGS, NULL},
    {"result_o", result_o, METH_O, NULL},
    {"result_varargs", result_varargs, METH_VARARGS, NULL},
    {"result_kw", (PyCFunction)(void (*)(void))result_kw, METH_VARARGS | METH_KEYWORDS, NULL},
    {"result_fast", (PyCFunction)(void (*)(void))result_fast, METH_FASTCALL, NULL},
    {"result_fastkw", (PyCFunction)(void (*)(void))result_fastkw,
     METH_FASTCALL | METH_KEYWORDS, NULL},
    {"raise_plain", raise_plain, METH_O, NULL},
    {"call_object", call_object, METH_VARARGS, NULL},
    {"call", call, METH_VARARGS, NULL},
    {"call_noargs", call_noargs, METH_O, NULL},
    {"call_one", call_one, METH_VARARGS, NULL},
    {"vectorcall", vectorcall, METH_VARARGS, NULL},
    {"call_method_noargs", call_method_noargs, METH_VARARGS, NULL},
    {"call_method_one", call_method_one, METH_VARARGS, NULL},
    {"callable_check", callable_check, METH_O, NULL},
    {"callback_raises", callback_raises, METH_O, NULL},
    {"callback_sum", callback_sum, METH_VARARGS, NULL},
    {"identity", identity, METH_O, "Return the argument itself."},
    {"twice", twice, METH_O, NULL},
    {"in_list_and_dict", in_list_and_dict, METH_O, NULL},
    {"same", same, METH_VARARGS, NULL},
    {"first_arg", (PyCFunction)(void (*)(void))first_arg, METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "calls_ext", "Calling convention tests.", -1, methods,
};

PyMODINIT_FUNC
PyInit_calls_ext(void)
{
    return PyModule_Create(&moduledef);
}
