/* spam: a classic single-phase extension module that exercises the first
 * API families: every calling convention, ints/floats/str/bytes/tuples/
 * lists/dicts, a module exception, calls back into Python, releasing the GIL
 * around blocking work, and a C thread that calls Python through
 * PyGILState. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <time.h>

static PyObject *SpamError;

/* METH_NOARGS */
static PyObject *
spam_version(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyUnicode_FromString("spam 1.0");
}

/* METH_O: "<repr> is a <type name>" */
static PyObject *
spam_describe(PyObject *self, PyObject *obj)
{
    PyObject *repr = PyObject_Repr(obj);
    if (repr == NULL)
        return NULL;
    PyObject *type_name = PyObject_GetAttrString((PyObject *)Py_TYPE(obj), "__name__");
    if (type_name == NULL) {
        Py_DECREF(repr);
        return NULL;
    }
    PyObject *middle = PyUnicode_FromString(" is a ");
    PyObject *left = middle ? PyUnicode_Concat(repr, middle) : NULL;
    PyObject *result = left ? PyUnicode_Concat(left, type_name) : NULL;
    Py_XDECREF(left);
    Py_XDECREF(middle);
    Py_DECREF(type_name);
    Py_DECREF(repr);
    return result;
}

/* METH_VARARGS: clamp(x, lo, hi) for C longs; big ints saturate. */
static PyObject *
spam_clamp(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 3) {
        PyErr_SetString(PyExc_TypeError, "clamp() takes exactly 3 arguments");
        return NULL;
    }
    long v[3];
    for (int i = 0; i < 3; i++) {
        int overflow;
        v[i] = PyLong_AsLongAndOverflow(PyTuple_GET_ITEM(args, i), &overflow);
        if (v[i] == -1 && PyErr_Occurred())
            return NULL;
        if (overflow)
            v[i] = overflow > 0 ? LONG_MAX : LONG_MIN;
    }
    long x = v[0] < v[1] ? v[1] : v[0] > v[2] ? v[2] : v[0];
    return PyLong_FromLong(x);
}

/* METH_VARARGS | METH_KEYWORDS: greet(name, greeting="Hello") */
static PyObject *
spam_greet(PyObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *name = NULL, *greeting = NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n >= 1) name = PyTuple_GET_ITEM(args, 0);
    if (n >= 2) greeting = PyTuple_GET_ITEM(args, 1);
    if (n > 2) {
        PyErr_SetString(PyExc_TypeError, "greet() takes at most 2 positional arguments");
        return NULL;
    }
    if (kwargs != NULL) {
        PyObject *g = PyDict_GetItemString(kwargs, "greeting");
        if (g != NULL) {
            if (greeting != NULL) {
                PyErr_SetString(PyExc_TypeError, "greet() got greeting twice");
                return NULL;
            }
            greeting = g;
        }
        if (PyDict_Size(kwargs) != (g != NULL)) {
            PyErr_SetString(PyExc_TypeError, "greet() got an unexpected keyword argument");
            return NULL;
        }
    }
    if (name == NULL || !PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "greet() needs a str name");
        return NULL;
    }
    PyObject *hello = greeting ? Py_NewRef(greeting) : PyUnicode_FromString("Hello");
    PyObject *comma = PyUnicode_FromString(", ");
    PyObject *a = PyUnicode_Concat(hello, comma);
    PyObject *result = a ? PyUnicode_Concat(a, name) : NULL;
    Py_XDECREF(a);
    Py_DECREF(comma);
    Py_DECREF(hello);
    return result;
}

/* METH_FASTCALL: total(*numbers) as a float */
static PyObject *
spam_total(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    double sum = 0.0;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        double d = PyFloat_AsDouble(args[i]);
        if (d == -1.0 && PyErr_Occurred())
            return NULL;
        sum += d;
    }
    return PyFloat_FromDouble(sum);
}

/* METH_FASTCALL | METH_KEYWORDS: join(*parts, sep=",") */
static PyObject *
spam_join(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *sep = NULL;
    if (kwnames != NULL) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
            if (PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames, i), "sep") != 0) {
                PyErr_SetString(PyExc_TypeError, "join() only takes the keyword sep");
                return NULL;
            }
            sep = args[nargs + i];
        }
    }
    PyObject *result = PyUnicode_FromString("");
    PyObject *separator = sep ? Py_NewRef(sep) : PyUnicode_FromString(",");
    for (Py_ssize_t i = 0; i < nargs && result != NULL; i++) {
        PyObject *piece = PyObject_Str(args[i]);
        PyObject *next = NULL;
        if (piece != NULL) {
            if (i > 0) {
                PyObject *with_sep = PyUnicode_Concat(result, separator);
                next = with_sep ? PyUnicode_Concat(with_sep, piece) : NULL;
                Py_XDECREF(with_sep);
            } else {
                next = PyUnicode_Concat(result, piece);
            }
            Py_DECREF(piece);
        }
        Py_SETREF(result, next);
    }
    Py_DECREF(separator);
    return result;
}

/* word_counts(text) -> {word: count}, through str.split and a dict */
static PyObject *
spam_word_counts(PyObject *self, PyObject *text)
{
    PyObject *split = PyObject_GetAttrString(text, "split");
    if (split == NULL)
        return NULL;
    PyObject *words = PyObject_CallNoArgs(split);
    Py_DECREF(split);
    if (words == NULL)
        return NULL;
    PyObject *counts = PyDict_New();
    for (Py_ssize_t i = 0; counts != NULL && i < PyList_GET_SIZE(words); i++) {
        PyObject *word = PyList_GET_ITEM(words, i);
        PyObject *seen = PyDict_GetItemWithError(counts, word);
        long n = seen ? PyLong_AsLong(seen) : 0;
        PyObject *count = PyLong_FromLong(n + 1);
        if (count == NULL || PyDict_SetItem(counts, word, count) < 0)
            Py_CLEAR(counts);
        Py_XDECREF(count);
    }
    Py_DECREF(words);
    return counts;
}

/* minmax(iterable) -> (min, max), via the iterator protocol and PyTuple_Pack */
static PyObject *
spam_minmax(PyObject *self, PyObject *iterable)
{
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL)
        return NULL;
    PyObject *lo = NULL, *hi = NULL, *item;
    while ((item = PyIter_Next(it)) != NULL) {
        if (lo == NULL) {
            lo = Py_NewRef(item);
            hi = Py_NewRef(item);
        } else {
            int less = PyObject_RichCompareBool(item, lo, Py_LT);
            int more = less < 0 ? -1 : PyObject_RichCompareBool(item, hi, Py_GT);
            if (less < 0 || more < 0) {
                Py_DECREF(item);
                break;
            }
            if (less) Py_SETREF(lo, Py_NewRef(item));
            if (more) Py_SETREF(hi, Py_NewRef(item));
        }
        Py_DECREF(item);
    }
    Py_DECREF(it);
    if (PyErr_Occurred() || lo == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "minmax() of an empty iterable");
        Py_XDECREF(lo);
        Py_XDECREF(hi);
        return NULL;
    }
    PyObject *result = PyTuple_Pack(2, lo, hi);
    Py_DECREF(lo);
    Py_DECREF(hi);
    return result;
}

/* reversed_bytes(b): a PyMem buffer turned into new bytes */
static PyObject *
spam_reversed_bytes(PyObject *self, PyObject *obj)
{
    char *data;
    Py_ssize_t len;
    if (PyBytes_AsStringAndSize(obj, &data, &len) < 0)
        return NULL;
    char *buffer = PyMem_Malloc(len ? len : 1);
    if (buffer == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < len; i++)
        buffer[i] = data[len - 1 - i];
    PyObject *result = PyBytes_FromStringAndSize(buffer, len);
    PyMem_Free(buffer);
    return result;
}

/* fail(message): raises spam.error */
static PyObject *
spam_fail(PyObject *self, PyObject *message)
{
    PyErr_SetObject(SpamError, message);
    return NULL;
}

/* apply(func, items) -> [func(x) for x in items]; errors propagate */
static PyObject *
spam_apply(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "apply(func, items)");
        return NULL;
    }
    PyObject *func = PyTuple_GET_ITEM(args, 0), *items = PyTuple_GET_ITEM(args, 1);
    Py_ssize_t n = PyObject_Length(items);
    if (n < 0)
        return NULL;
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < n; i++) {
        PyObject *key = PyLong_FromSsize_t(i);
        PyObject *item = key ? PyObject_GetItem(items, key) : NULL;
        PyObject *r = item ? PyObject_CallOneArg(func, item) : NULL;
        if (r == NULL || PyList_Append(out, r) < 0)
            Py_CLEAR(out);
        Py_XDECREF(r);
        Py_XDECREF(item);
        Py_XDECREF(key);
    }
    return out;
}

/* sleep_ms(n): blocks with the GIL released, so other threads run */
static PyObject *
spam_sleep_ms(PyObject *self, PyObject *arg)
{
    long ms = PyLong_AsLong(arg);
    if (ms == -1 && PyErr_Occurred())
        return NULL;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    Py_BEGIN_ALLOW_THREADS
    nanosleep(&ts, NULL);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

struct thread_call {
    PyObject *func;
    PyObject *result;
};

static void *
call_from_c_thread(void *arg)
{
    struct thread_call *call = arg;
    PyGILState_STATE state = PyGILState_Ensure();
    call->result = PyObject_CallNoArgs(call->func);
    if (call->result == NULL)
        PyErr_Clear();
    PyGILState_Release(state);
    return NULL;
}

/* call_in_thread(func): runs func() on a thread made in C */
static PyObject *
spam_call_in_thread(PyObject *self, PyObject *func)
{
    struct thread_call call = {func, NULL};
    pthread_t thread;
    int failed;
    Py_BEGIN_ALLOW_THREADS
    failed = pthread_create(&thread, NULL, call_from_c_thread, &call);
    if (!failed)
        pthread_join(thread, NULL);
    Py_END_ALLOW_THREADS
    if (failed) {
        PyErr_SetString(PyExc_RuntimeError, "could not start a thread");
        return NULL;
    }
    if (call.result == NULL) {
        PyErr_SetString(SpamError, "the callback raised");
        return NULL;
    }
    return call.result;
}

/* hypot(a, b) through the math module */
static PyObject *
spam_hypot(PyObject *self, PyObject *args)
{
    PyObject *math = PyImport_ImportModule("math");
    if (math == NULL)
        return NULL;
    PyObject *hypot = PyObject_GetAttrString(math, "hypot");
    Py_DECREF(math);
    if (hypot == NULL)
        return NULL;
    PyObject *r = PyObject_CallObject(hypot, args);
    Py_DECREF(hypot);
    return r;
}

static PyMethodDef spam_methods[] = {
    {"version", spam_version, METH_NOARGS, "version()\n\nThe module's version string."},
    {"describe", spam_describe, METH_O, "describe(obj) -> '<repr> is a <type>'"},
    {"clamp", spam_clamp, METH_VARARGS, "clamp(x, lo, hi)"},
    {"greet", (PyCFunction)(void (*)(void))spam_greet, METH_VARARGS | METH_KEYWORDS, "greet(name, greeting='Hello')"},
    {"total", (PyCFunction)(void (*)(void))spam_total, METH_FASTCALL, "total(*numbers) -> float"},
    {"join", (PyCFunction)(void (*)(void))spam_join, METH_FASTCALL | METH_KEYWORDS, "join(*parts, sep=',')"},
    {"word_counts", spam_word_counts, METH_O, "word_counts(text) -> dict"},
    {"minmax", spam_minmax, METH_O, "minmax(iterable) -> (min, max)"},
    {"reversed_bytes", spam_reversed_bytes, METH_O, "reversed_bytes(b) -> bytes"},
    {"fail", spam_fail, METH_O, "fail(message): raise spam.error"},
    {"apply", spam_apply, METH_VARARGS, "apply(func, items) -> list"},
    {"sleep_ms", spam_sleep_ms, METH_O, "sleep_ms(n): sleep without holding the GIL"},
    {"call_in_thread", spam_call_in_thread, METH_O, "call_in_thread(func): call func() from a C thread"},
    {"hypot", spam_hypot, METH_VARARGS, "hypot(a, b) via the math module"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT, "spam", "A sample extension for cpyext.", -1, spam_methods,
};

PyMODINIT_FUNC
PyInit_spam(void)
{
    PyObject *m = PyModule_Create(&spam_module);
    if (m == NULL)
        return NULL;
    SpamError = PyErr_NewException("spam.error", NULL, NULL);
    if (PyModule_AddObjectRef(m, "error", SpamError) < 0 ||
        PyModule_AddIntConstant(m, "ANSWER", 42) < 0 ||
        PyModule_AddStringConstant(m, "__version__", "1.0") < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
