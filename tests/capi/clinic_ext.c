/* The argument checks that Argument Clinic's generated code calls. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
check_positional(PyObject *self, PyObject *args)
{
    const char *name;
    Py_ssize_t nargs, min, max;
    if (!PyArg_ParseTuple(args, "znnn", &name, &nargs, &min, &max))
        return NULL;
    if (max < 0)
        max = PY_SSIZE_T_MAX;
    if (!_PyArg_CheckPositional(name, nargs, min, max))
        return NULL;
    Py_RETURN_TRUE;
}

/* Called with the real arguments, as clinic's generated wrappers are. */
static PyObject *
no_keywords(PyObject *self, PyObject *args, PyObject *kwargs)
{
    if (!_PyArg_NoKeywords("no_keywords", kwargs))
        return NULL;
    if (!_PyArg_NoPositional("no_keywords", args))
        return NULL;
    Py_RETURN_TRUE;
}

static PyObject *
no_kwnames(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (!_PyArg_NoKwnames("no_kwnames", kwnames))
        return NULL;
    return PyLong_FromSsize_t(nargs);
}

static PyObject *
bad_argument(PyObject *self, PyObject *args)
{
    const char *fname, *display, *expected;
    PyObject *arg;
    if (!PyArg_ParseTuple(args, "zssO", &fname, &display, &expected, &arg))
        return NULL;
    _PyArg_BadArgument(fname, display, expected, arg);
    return NULL;
}


/* What Argument Clinic 3.11 generates for
 *     def unpack(a, /, b, c=None, *, d, e=None)
 * (METH_FASTCALL | METH_KEYWORDS): positional-only a, required keyword-only d. */
static PyObject *
unpack_fast(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char * const _keywords[] = {"", "b", "c", "d", "e", NULL};
    static _PyArg_Parser _parser = {NULL, _keywords, "unpack", 0};
    PyObject *argsbuf[5];
    Py_ssize_t noptargs = nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0) - 3;
    PyObject *c = Py_None, *e = Py_None;
    args = _PyArg_UnpackKeywords(args, nargs, NULL, kwnames, &_parser, 2, 3, 1, argsbuf);
    if (!args)
        return NULL;
    if (noptargs && args[2]) {
        c = args[2];
        noptargs--;
    }
    if (noptargs && args[4])
        e = args[4];
    return Py_BuildValue("(OOOOO)", args[0], args[1], c, args[3], e);
}

/* The same for METH_VARARGS | METH_KEYWORDS: clinic passes the tuple's items. */
static PyObject *
unpack_tuple(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static const char * const _keywords[] = {"x", "y", NULL};
    static _PyArg_Parser _parser = {NULL, _keywords, "unpack_tuple", 0};
    PyObject *argsbuf[2];
    PyObject * const *fastargs;
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    Py_ssize_t noptargs = nargs + (kwargs ? PyDict_GET_SIZE(kwargs) : 0) - 1;
    PyObject *y = Py_None;
    fastargs = _PyArg_UnpackKeywords(_PyTuple_CAST(args)->ob_item, nargs, kwargs, NULL, &_parser, 1, 2, 0, argsbuf);
    if (!fastargs)
        return NULL;
    if (noptargs)
        y = fastargs[1];
    return Py_BuildValue("(OO)", fastargs[0], y);
}

/* def star(a, *args, b=None): the vararg tuple lands in the buffer. */
static PyObject *
star(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char * const _keywords[] = {"a", "b", NULL};
    static _PyArg_Parser _parser = {NULL, _keywords, "star", 0};
    PyObject *argsbuf[3];
    args = _PyArg_UnpackKeywordsWithVararg(args, nargs, NULL, kwnames, &_parser, 1, 1, 0, 1, argsbuf);
    if (!args)
        return NULL;
    PyObject *result = Py_BuildValue("(OOO)", args[0], args[1], args[2] ? args[2] : Py_None);
    Py_DECREF(args[1]);
    return result;
}

/* The format-driven forms: a parser with a format, on a tuple and on a stack. */
static PyObject *
fast_tuple(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static const char * const _keywords[] = {"", "n", "s", NULL};
    static _PyArg_Parser _parser = {"O|is:fast_tuple", _keywords, 0};
    PyObject *o;
    int n = -1;
    const char *s = "-";
    if (!_PyArg_ParseTupleAndKeywordsFast(args, kwargs, &_parser, &o, &n, &s))
        return NULL;
    return Py_BuildValue("(Ois)", o, n, s);
}

static PyObject *
fast_stack(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char * const _keywords[] = {"a", "data", NULL};
    static _PyArg_Parser _parser = {"i|y#:fast_stack", _keywords, 0};
    int a;
    const char *data = NULL;
    Py_ssize_t len = -1;
    if (!_PyArg_ParseStackAndKeywords(args, nargs, kwnames, &_parser, &a, &data, &len))
        return NULL;
    return Py_BuildValue("(iy#n)", a, data ? data : "", data ? len : (Py_ssize_t)0, len);
}

static PyObject *
stack_only(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    double d;
    PyObject *o = Py_None;
    if (!_PyArg_ParseStack(args, nargs, "d|O:stack_only", &d, &o))
        return NULL;
    return Py_BuildValue("(dO)", d, o);
}

static PyObject *
unpack_stack(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *a, *b = Py_None;
    if (!_PyArg_UnpackStack(args, nargs, "unpack_stack", 1, 2, &a, &b))
        return NULL;
    return Py_BuildValue("(OO)", a, b);
}

static PyObject *
optional_ssize(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = -7;
    if (!_Py_convert_optional_to_ssize_t(arg, &n))
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject **
stack_of(PyObject **small, Py_ssize_t small_len, Py_ssize_t *n, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject **stack = _Py_VaBuildStack(small, small_len, format, va, n);
    va_end(va);
    return stack;
}

/* The stack is the caller's small array when the values fit, else PyMem memory. */
static PyObject *
build_stack(PyObject *self, PyObject *arg)
{
    PyObject *small[2];
    Py_ssize_t n = 0;
    PyObject **stack = PyObject_IsTrue(arg)
        ? stack_of(small, 2, &n, "is(O)", 7, "x", Py_None)
        : stack_of(small, 2, &n, "iN", 7, PyLong_FromLong(8));
    if (stack == NULL)
        return NULL;
    PyObject *result = Py_BuildValue("(Nn)", PyTuple_New(n), n);
    if (result == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(PyTuple_GET_ITEM(result, 0), i, stack[i]);
    if (stack != small)
        PyMem_Free(stack);
    else
        result = Py_BuildValue("(Ns)", result, "small");
    return result;
}

static PyMethodDef methods[] = {
    {"check_positional", check_positional, METH_VARARGS},
    {"no_keywords", (PyCFunction)(void (*)(void))no_keywords, METH_VARARGS | METH_KEYWORDS},
    {"no_kwnames", (PyCFunction)(void (*)(void))no_kwnames, METH_FASTCALL | METH_KEYWORDS},
    {"bad_argument", bad_argument, METH_VARARGS},
    {"unpack_fast", (PyCFunction)(void (*)(void))unpack_fast, METH_FASTCALL | METH_KEYWORDS},
    {"unpack_tuple", (PyCFunction)(void (*)(void))unpack_tuple, METH_VARARGS | METH_KEYWORDS},
    {"star", (PyCFunction)(void (*)(void))star, METH_FASTCALL | METH_KEYWORDS},
    {"fast_tuple", (PyCFunction)(void (*)(void))fast_tuple, METH_VARARGS | METH_KEYWORDS},
    {"fast_stack", (PyCFunction)(void (*)(void))fast_stack, METH_FASTCALL | METH_KEYWORDS},
    {"stack_only", (PyCFunction)(void (*)(void))stack_only, METH_FASTCALL},
    {"unpack_stack", (PyCFunction)(void (*)(void))unpack_stack, METH_FASTCALL},
    {"optional_ssize", optional_ssize, METH_O},
    {"build_stack", build_stack, METH_O},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "clinic_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_clinic_ext(void)
{
    return PyModule_Create(&module);
}
