/* Python classes seen from C: their type objects' fields and slots. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
facts(PyObject *self, PyObject *cls)
{
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "need a class");
        return NULL;
    }
    PyTypeObject *tp = (PyTypeObject *)cls;
    PyObject *mro_ok = Py_False, *bases_ok = Py_False;
    if (tp->tp_mro && PyTuple_Check(tp->tp_mro) && PyTuple_GET_SIZE(tp->tp_mro) > 0 &&
        PyTuple_GET_ITEM(tp->tp_mro, 0) == cls)
        mro_ok = Py_True;
    if (tp->tp_bases && PyTuple_Check(tp->tp_bases) && PyTuple_GET_SIZE(tp->tp_bases) > 0 &&
        PyTuple_GET_ITEM(tp->tp_bases, 0) == (PyObject *)tp->tp_base)
        bases_ok = Py_True;
    PyObject *dict_ok = (tp->tp_dict && PyDict_Check(tp->tp_dict) &&
                         PyDict_GetItemString(tp->tp_dict, "__module__") != NULL) ? Py_True : Py_False;
    return PyTuple_Pack(10, dict_ok,
        PyUnicode_FromString(tp->tp_name),
        PyBool_FromLong(PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE)),
        PyBool_FromLong(PyType_HasFeature(tp, Py_TPFLAGS_BASETYPE)),
        PyBool_FromLong(PyType_HasFeature(tp, Py_TPFLAGS_LONG_SUBCLASS)),
        PyBool_FromLong(PyType_HasFeature(tp, Py_TPFLAGS_DICT_SUBCLASS)),
        PyBool_FromLong(PyType_HasFeature(tp, Py_TPFLAGS_BASE_EXC_SUBCLASS)),
        tp->tp_base ? (PyObject *)tp->tp_base : Py_None,
        mro_ok, bases_ok);
}

static PyObject *
present(PyObject *self, PyObject *cls)
{
    PyTypeObject *tp = (PyTypeObject *)cls;
    return PyTuple_Pack(9,
        PyBool_FromLong(tp->tp_iter != NULL),
        PyBool_FromLong(tp->tp_iternext != NULL),
        PyBool_FromLong(tp->tp_call != NULL),
        PyBool_FromLong(tp->tp_as_number && tp->tp_as_number->nb_add != NULL),
        PyBool_FromLong(tp->tp_as_number && tp->tp_as_number->nb_index != NULL),
        PyBool_FromLong(tp->tp_as_sequence && tp->tp_as_sequence->sq_length != NULL),
        PyBool_FromLong(tp->tp_as_mapping && tp->tp_as_mapping->mp_subscript != NULL),
        PyBool_FromLong(tp->tp_hash == PyObject_HashNotImplemented),
        PyBool_FromLong(tp->tp_repr != NULL));
}

/* Calls the slots of Py_TYPE(obj) directly, as C code does. */
static PyObject *
call_slots(PyObject *self, PyObject *obj)
{
    PyTypeObject *tp = Py_TYPE(obj);
    PyObject *out = PyList_New(0);
    PyObject *r = tp->tp_repr(obj);
    PyList_Append(out, r ? r : Py_None);
    Py_XDECREF(r);
    r = tp->tp_str(obj);
    PyList_Append(out, r ? r : Py_None);
    Py_XDECREF(r);
    if (tp->tp_hash != PyObject_HashNotImplemented) {
        Py_hash_t h = tp->tp_hash(obj);
        r = PyBool_FromLong(h == PyObject_Hash(obj));
        PyList_Append(out, r);
        Py_DECREF(r);
    }
    if (tp->tp_call) {
        PyObject *args = PyTuple_Pack(1, obj);
        r = tp->tp_call(obj, args, NULL);
        Py_DECREF(args);
        PyList_Append(out, r ? r : Py_None);
        Py_XDECREF(r);
    }
    if (tp->tp_as_number && tp->tp_as_number->nb_add) {
        PyObject *one = PyLong_FromLong(1);
        r = tp->tp_as_number->nb_add(obj, one);
        Py_DECREF(one);
        PyList_Append(out, r ? r : Py_None);
        Py_XDECREF(r);
    }
    if (tp->tp_as_sequence && tp->tp_as_sequence->sq_length) {
        r = PyLong_FromSsize_t(tp->tp_as_sequence->sq_length(obj));
        PyList_Append(out, r);
        Py_DECREF(r);
    }
    if (tp->tp_as_mapping && tp->tp_as_mapping->mp_subscript) {
        PyObject *key = PyUnicode_FromString("key");
        r = tp->tp_as_mapping->mp_subscript(obj, key);
        Py_DECREF(key);
        PyList_Append(out, r ? r : Py_None);
        Py_XDECREF(r);
    }
    if (tp->tp_iter) {
        PyObject *it = tp->tp_iter(obj);
        PyObject *first = it ? Py_TYPE(it)->tp_iternext(it) : NULL;
        PyList_Append(out, first ? first : Py_None);
        Py_XDECREF(first);
        Py_XDECREF(it);
    }
    r = tp->tp_richcompare(obj, obj, Py_EQ);
    PyList_Append(out, r ? r : Py_None);
    Py_XDECREF(r);
    if (PyErr_Occurred()) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

/* inplace(a, b): the in-place slots of a's type, called directly as
   Cython calls PySet_Type.tp_as_number->nb_inplace_or: a list of
   (name, result is a, result) for each slot present, None if absent. */
static PyObject *
inplace(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b))
        return NULL;
    PyNumberMethods *nb = Py_TYPE(a)->tp_as_number;
    binaryfunc slots[] = {nb ? nb->nb_inplace_or : NULL, nb ? nb->nb_inplace_add : NULL,
                          nb ? nb->nb_inplace_and : NULL, nb ? nb->nb_inplace_subtract : NULL};
    const char *names[] = {"or", "add", "and", "subtract"};
    PyObject *out = PyList_New(0);
    for (int i = 0; i < 4; i++) {
        if (slots[i] == NULL) {
            PyList_Append(out, Py_None);
            continue;
        }
        PyObject *r = slots[i](a, b);
        PyObject *item = r ? Py_BuildValue("(sOO)", names[i], r == a ? Py_True : Py_False, r) : NULL;
        if (item == NULL) {
            PyErr_Clear();
            item = Py_BuildValue("(ss)", names[i], "error");
        }
        PyList_Append(out, item);
        Py_DECREF(item);
        Py_XDECREF(r);
    }
    return out;
}

/* What C finds under `name` in the class's own tp_dict (None: nothing). */
static PyObject *
dict_entry(PyObject *self, PyObject *args)
{
    PyTypeObject *tp;
    const char *name;
    if (!PyArg_ParseTuple(args, "O!s", &PyType_Type, &tp, &name))
        return NULL;
    PyObject *value = PyDict_GetItemString(tp->tp_dict, name);
    return Py_NewRef(value ? value : Py_None);
}

/* Writes (or, value NULL, deletes) an entry of tp_dict, as C extensions do
   at start-up, then tells the type, as CPython asks. */
static PyObject *
dict_store(PyObject *self, PyObject *args)
{
    PyTypeObject *tp;
    const char *name;
    PyObject *value = NULL;
    if (!PyArg_ParseTuple(args, "O!s|O", &PyType_Type, &tp, &name, &value))
        return NULL;
    int rc = value ? PyDict_SetItemString(tp->tp_dict, name, value) : PyDict_DelItemString(tp->tp_dict, name);
    if (rc < 0)
        return NULL;
    PyType_Modified(tp);
    Py_RETURN_NONE;
}

/* The async slots of an object's type, called as C awaits or iterates it:
 * (am_await result or "no am_await", am_aiter result or ..., am_anext ...). */
static PyObject *
async_slots(PyObject *self, PyObject *obj)
{
    PyAsyncMethods *am = Py_TYPE(obj)->tp_as_async;
    PyObject *out = PyTuple_New(3);
    if (out == NULL) return NULL;
    unaryfunc slots[3] = {am ? am->am_await : NULL, am ? am->am_aiter : NULL, am ? am->am_anext : NULL};
    const char *names[3] = {"no am_await", "no am_aiter", "no am_anext"};
    for (int i = 0; i < 3; i++) {
        PyObject *r = slots[i] ? slots[i](obj) : PyUnicode_FromString(names[i]);
        if (r == NULL) { Py_DECREF(out); return NULL; }
        PyTuple_SET_ITEM(out, i, r);
    }
    return out;
}

/* A builtin's own tp_repr, called on an instance of a subclass that
 * overrides __repr__ (serializers do this to get a float's or int's text). */
static PyObject *
builtin_repr(PyObject *self, PyObject *args)
{
    PyObject *type, *obj;
    if (!PyArg_ParseTuple(args, "O!O", &PyType_Type, &type, &obj)) return NULL;
    reprfunc repr = ((PyTypeObject *)type)->tp_repr;
    if (repr == NULL) return PyUnicode_FromString("no tp_repr");
    return repr(obj);
}

static PyMethodDef methods[] = {
    {"builtin_repr", builtin_repr, METH_VARARGS, NULL},
    {"async_slots", async_slots, METH_O, NULL},
    {"dict_entry", dict_entry, METH_VARARGS, NULL},
    {"dict_store", dict_store, METH_VARARGS, NULL},
    {"inplace", inplace, METH_VARARGS, NULL},
    {"facts", facts, METH_O, NULL},
    {"present", present, METH_O, NULL},
    {"call_slots", call_slots, METH_O, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "pyclass_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_pyclass_ext(void)
{
    return PyModule_Create(&module);
}
