/* API that database drivers (pysqlite3, mysqlclient) use: capsules, thread
 * locks, PyRun_String, string helpers, the mapping protocol, decoding,
 * _PyBytes_Resize, identifiers, weakref checks, PyObject_Print. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int destroyed = 0;
static int payload = 1234;

static void
capsule_destructor(PyObject *capsule)
{
    destroyed++;
}

static PyObject *
capsules(PyObject *self, PyObject *unused)
{
    PyObject *c = PyCapsule_New(&payload, "dbsupport_ext.payload", capsule_destructor);
    if (c == NULL)
        return NULL;
    int *p = PyCapsule_GetPointer(c, "dbsupport_ext.payload");
    int ok_ctx = PyCapsule_SetContext(c, &payload) == 0 && PyCapsule_GetContext(c) == &payload;
    PyObject *name = PyUnicode_FromString(PyCapsule_GetName(c));
    PyObject *valid = PyBool_FromLong(PyCapsule_IsValid(c, "dbsupport_ext.payload"));
    PyObject *invalid = PyBool_FromLong(PyCapsule_IsValid(c, "other"));
    PyObject *checks = PyBool_FromLong(PyCapsule_CheckExact(c));
    void *wrong = PyCapsule_GetPointer(c, "other");
    PyObject *wrong_type = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    int before = destroyed;
    Py_DECREF(c);
    return PyTuple_Pack(8, PyLong_FromLong(*p), PyBool_FromLong(ok_ctx), name, valid, invalid, checks,
                        PyBool_FromLong(wrong == NULL) == Py_True ? wrong_type : Py_None,
                        PyLong_FromLong(destroyed - before));
}

static PyObject *
make_capsule(PyObject *self, PyObject *unused)
{
    return PyCapsule_New(&payload, "dbsupport_ext.api", NULL);
}

static PyObject *
import_capsule(PyObject *self, PyObject *unused)
{
    int *p = PyCapsule_Import("dbsupport_ext.api", 0);
    if (p == NULL)
        return NULL;
    return PyLong_FromLong(*p);
}

/* PyCapsule_Import of any name: a missing module is CPython's ImportError. */
static PyObject *
import_capsule_named(PyObject *self, PyObject *name)
{
    const char *text = PyUnicode_AsUTF8(name);
    if (text == NULL)
        return NULL;
    void *p = PyCapsule_Import(text, 0);
    return p == NULL ? NULL : Py_NewRef(Py_True);
}

static PyObject *
locks(PyObject *self, PyObject *unused)
{
    PyThread_type_lock lock = PyThread_allocate_lock();
    int a = PyThread_acquire_lock(lock, WAIT_LOCK);
    int b = PyThread_acquire_lock(lock, NOWAIT_LOCK);
    PyThread_release_lock(lock);
    /* mysqlclient's spelling: the status as a PyLockStatus. */
    PyLockStatus c = PyThread_acquire_lock(lock, NOWAIT_LOCK);
    PyThread_release_lock(lock);
    PyThread_free_lock(lock);
    PyObject *seven = PyLong_FromLong(7);
    long unchecked = PyLong_AS_LONG(seven);
    Py_DECREF(seven);
    return Py_BuildValue("(iiiNil)", a, b, c == PY_LOCK_ACQUIRED,
                         PyBool_FromLong(PyThread_get_thread_ident() != 0),
                         (int)PY_LOCK_FAILURE, unchecked);
}

static PyObject *
run(PyObject *self, PyObject *args)
{
    PyObject *globals = PyDict_New();
    PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    PyObject *r1 = PyRun_String("x = 6 * 7\ny = [x, 'done']", Py_file_input, globals, globals);
    if (r1 == NULL)
        return NULL;
    PyObject *r2 = PyRun_String("y[0] + 1", Py_eval_input, globals, globals);
    if (r2 == NULL)
        return NULL;
    PyObject *r3 = PyRun_String("1 +", Py_eval_input, globals, globals);
    PyObject *err = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    PyObject *y = PyDict_GetItemString(globals, "y");
    PyObject *result = PyTuple_Pack(4, r1, r2, y, r3 == NULL ? err : Py_None);
    Py_DECREF(globals);
    return result;
}

static PyObject *
strings(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(6, PyLong_FromLong(PyOS_mystrnicmp("HeLLo", "hello", 5) == 0),
                        PyLong_FromLong(PyOS_mystrnicmp("abc", "abd", 2) == 0),
                        PyLong_FromLong(PyOS_mystrnicmp("abc", "abd", 3) < 0),
                        PyLong_FromLong(PyOS_mystricmp("SELECT", "select") == 0),
                        PyLong_FromLong(Py_TOLOWER('Q')), PyLong_FromLong(Py_ISSPACE('\t') && !Py_ISSPACE('x')));
}

static PyObject *
mapping(PyObject *self, PyObject *m)
{
    PyObject *item = PyMapping_GetItemString(m, "k");
    PyObject *err = NULL;
    if (item == NULL) {
        err = Py_NewRef(PyErr_Occurred());
        PyErr_Clear();
    }
    PyObject *r = PyTuple_Pack(5, PyBool_FromLong(PyMapping_Check(m)), PyLong_FromSsize_t(PyMapping_Size(m)),
                               item ? item : err, PyBool_FromLong(PyMapping_HasKeyString(m, "k")),
                               PyMapping_Keys(m));
    Py_XDECREF(item);
    Py_XDECREF(err);
    return r;
}

static PyObject *
decode(PyObject *self, PyObject *args)
{
    const char *enc = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    const char *errors = PyTuple_GET_ITEM(args, 2) == Py_None ? NULL : PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 2));
    return PyUnicode_Decode(PyBytes_AS_STRING(PyTuple_GET_ITEM(args, 0)), PyBytes_GET_SIZE(PyTuple_GET_ITEM(args, 0)),
                            enc, errors);
}

static PyObject *
fsconvert(PyObject *self, PyObject *arg)
{
    PyObject *out = NULL;
    if (!PyUnicode_FSConverter(arg, &out))
        return NULL;
    return out;
}

static PyObject *
resize(PyObject *self, PyObject *args)
{
    PyObject *b = PyBytes_FromStringAndSize(NULL, 10);
    memcpy(PyBytes_AS_STRING(b), "0123456789", 10);
    if (_PyBytes_Resize(&b, PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 0))) < 0)
        return NULL;
    return b;
}

/* Bytes made with their data, that Python has looked at (repr), resized
   while C holds the only reference (zstandard grows its output so). */
static PyObject *
resize_seen(PyObject *self, PyObject *args)
{
    PyObject *b = PyBytes_FromStringAndSize("0123456789", 10);
    if (b == NULL)
        return NULL;
    PyObject *r = PyObject_Repr(b);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    Py_ssize_t n = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 0));
    if (_PyBytes_Resize(&b, n) < 0)
        return NULL;
    if (n > 10)
        memset(PyBytes_AS_STRING(b) + 10, 'x', n - 10);
    return b;
}

static PyObject *
misc(PyObject *self, PyObject *arg)
{
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(arg, &overflow);
    int as_int = _PyLong_AsInt(arg);
    PyObject *err = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    return PyTuple_Pack(4, PyLong_FromLongLong(v), PyLong_FromLong(overflow), PyLong_FromLong(as_int), err);
}

static PyObject *
bytearray(PyObject *self, PyObject *unused)
{
    return PyByteArray_FromStringAndSize("ab\0c", 4);
}

static PyObject *
call_id(PyObject *self, PyObject *obj)
{
    _Py_IDENTIFIER(upper);
    _Py_IDENTIFIER(replace);
    PyObject *a = _PyObject_CallMethodId(obj, &PyId_upper, NULL);
    PyObject *b = _PyObject_CallMethodId(obj, &PyId_replace, "ss", "a", "_");
    if (a == NULL || b == NULL)
        return NULL;
    return PyTuple_Pack(2, a, b);
}

static PyObject *
weak_checks(PyObject *self, PyObject *o)
{
    return PyTuple_Pack(3, PyBool_FromLong(PyWeakref_Check(o)), PyBool_FromLong(PyWeakref_CheckRef(o)),
                        PyBool_FromLong(PyWeakref_CheckProxy(o)));
}

static PyObject *
print_to_string(PyObject *self, PyObject *args)
{
    FILE *f = tmpfile();
    if (PyObject_Print(PyTuple_GET_ITEM(args, 0), f, (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 1))) < 0) {
        fclose(f);
        return NULL;
    }
    char buffer[256] = {0};
    rewind(f);
    size_t n = fread(buffer, 1, sizeof(buffer) - 1, f);
    fclose(f);
    return PyUnicode_FromStringAndSize(buffer, (Py_ssize_t)n);
}

static PyMethodDef methods[] = {
    {"capsules", capsules, METH_NOARGS, NULL},
    {"make_capsule", make_capsule, METH_NOARGS, NULL},
    {"import_capsule", import_capsule, METH_NOARGS, NULL},
    {"import_capsule_named", import_capsule_named, METH_O, NULL},
    {"locks", locks, METH_NOARGS, NULL},
    {"run", run, METH_NOARGS, NULL},
    {"strings", strings, METH_NOARGS, NULL},
    {"mapping", mapping, METH_O, NULL},
    {"decode", decode, METH_VARARGS, NULL},
    {"fsconvert", fsconvert, METH_O, NULL},
    {"resize", resize, METH_VARARGS, NULL},
    {"resize_seen", resize_seen, METH_VARARGS, NULL},
    {"misc", misc, METH_O, NULL},
    {"bytearray", bytearray, METH_NOARGS, NULL},
    {"call_id", call_id, METH_O, NULL},
    {"weak_checks", weak_checks, METH_O, NULL},
    {"print_to_string", print_to_string, METH_VARARGS, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "dbsupport_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_dbsupport_ext(void)
{
    return PyModule_Create(&module);
}
