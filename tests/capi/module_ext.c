#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>

#define MACRO_CONST 1234
#define STRING_MACRO "macro string"

static int init_count = 0;

static PyObject *
tuple2(PyObject *a, PyObject *b)   /* steals both; NULL-safe */
{
    if (a == NULL || b == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    PyObject *t = PyTuple_New(2);
    if (t == NULL) {
        Py_DECREF(a);
        Py_DECREF(b);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, a);
    PyTuple_SET_ITEM(t, 1, b);
    return t;
}

static PyObject *
get_self(PyObject *self, PyObject *noargs)
{
    return Py_NewRef(self);
}

static PyObject *
get_init_count(PyObject *self, PyObject *noargs)
{
    return PyLong_FromLong(init_count);
}

static PyObject *
get_dict(PyObject *self, PyObject *arg)
{
    PyObject *d = PyModule_GetDict(arg);   /* borrowed */
    if (d == NULL)
        return NULL;
    return Py_NewRef(d);
}

static PyObject *
get_name(PyObject *self, PyObject *arg)
{
    const char *name = PyModule_GetName(arg);
    if (name == NULL)
        return NULL;
    return PyUnicode_FromString(name);
}

static PyObject *
get_name_object(PyObject *self, PyObject *arg)
{
    return PyModule_GetNameObject(arg);
}

static PyObject *
get_filename_object(PyObject *self, PyObject *arg)
{
    return PyModule_GetFilenameObject(arg);
}

static PyObject *
new_module(PyObject *self, PyObject *arg)
{
    const char *name = PyUnicode_AsUTF8(arg);
    if (name == NULL)
        return NULL;
    return PyModule_New(name);
}

static PyObject *
new_module_object(PyObject *self, PyObject *arg)
{
    return PyModule_NewObject(arg);
}

static PyObject *
set_doc_string(PyObject *self, PyObject *args)
{
    const char *doc = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    if (doc == NULL)
        return NULL;
    if (PyModule_SetDocString(PyTuple_GET_ITEM(args, 0), doc) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
import_module(PyObject *self, PyObject *arg)
{
    const char *name = PyUnicode_AsUTF8(arg);
    if (name == NULL)
        return NULL;
    return PyImport_ImportModule(name);
}

static PyObject *
import_(PyObject *self, PyObject *arg)
{
    return PyImport_Import(arg);
}

static PyObject *
add_module(PyObject *self, PyObject *arg)
{
    const char *name = PyUnicode_AsUTF8(arg);
    if (name == NULL)
        return NULL;
    PyObject *m = PyImport_AddModule(name);   /* borrowed */
    if (m == NULL)
        return NULL;
    return Py_NewRef(m);
}

static PyObject *
add_module_object(PyObject *self, PyObject *arg)
{
    PyObject *m = PyImport_AddModuleObject(arg);   /* borrowed */
    if (m == NULL)
        return NULL;
    return Py_NewRef(m);
}

static PyObject *
get_module(PyObject *self, PyObject *arg)
{
    PyObject *m = PyImport_GetModule(arg);   /* new reference or NULL */
    if (m == NULL) {
        if (PyErr_Occurred())
            return NULL;
        return PyUnicode_FromString("<NULL>");
    }
    return m;
}

static PyObject *
get_module_dict(PyObject *self, PyObject *noargs)
{
    return Py_NewRef(PyImport_GetModuleDict());   /* borrowed */
}

static PyObject *
add_object(PyObject *self, PyObject *args)
{
    /* PyModule_AddObject steals only on success */
    PyObject *mod = PyTuple_GET_ITEM(args, 0);
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    PyObject *value = PyTuple_GET_ITEM(args, 2);
    if (name == NULL)
        return NULL;
    Py_INCREF(value);
    if (PyModule_AddObject(mod, name, value) < 0) {
        Py_DECREF(value);
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
add_object_steal(PyObject *self, PyObject *args)
{
    /* obj = cls(); AddObject(mod, name, obj) steals our only reference.
       Returns a weakref to obj. */
    PyObject *mod = PyTuple_GET_ITEM(args, 0);
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    PyObject *cls = PyTuple_GET_ITEM(args, 2);
    if (name == NULL)
        return NULL;
    PyObject *obj = PyObject_CallNoArgs(cls);
    if (obj == NULL)
        return NULL;
    PyObject *wr = PyWeakref_NewRef(obj, NULL);
    if (wr == NULL) {
        Py_DECREF(obj);
        return NULL;
    }
    if (PyModule_AddObject(mod, name, obj) < 0) {
        Py_DECREF(obj);
        Py_DECREF(wr);
        return NULL;
    }
    return wr;
}

static PyObject *
add_object_ref(PyObject *self, PyObject *args)
{
    /* PyModule_AddObjectRef never steals */
    PyObject *mod = PyTuple_GET_ITEM(args, 0);
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    if (name == NULL)
        return NULL;
    if (PyModule_AddObjectRef(mod, name, PyTuple_GET_ITEM(args, 2)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
add_object_ref_keeps(PyObject *self, PyObject *args)
{
    /* obj = cls(); AddObjectRef; then we drop our reference: the module keeps it */
    PyObject *mod = PyTuple_GET_ITEM(args, 0);
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    PyObject *cls = PyTuple_GET_ITEM(args, 2);
    if (name == NULL)
        return NULL;
    PyObject *obj = PyObject_CallNoArgs(cls);
    if (obj == NULL)
        return NULL;
    PyObject *wr = PyWeakref_NewRef(obj, NULL);
    if (wr == NULL) {
        Py_DECREF(obj);
        return NULL;
    }
    int r = PyModule_AddObjectRef(mod, name, obj);
    Py_DECREF(obj);
    if (r < 0) {
        Py_DECREF(wr);
        return NULL;
    }
    return wr;
}

static PyObject *
add_object_ref_null(PyObject *self, PyObject *args)
{
    /* value NULL: with an exception already set (it is kept), or without one */
    PyObject *mod = PyTuple_GET_ITEM(args, 0);
    int preset = PyObject_IsTrue(PyTuple_GET_ITEM(args, 1));
    if (preset)
        PyErr_SetString(PyExc_ValueError, "preset error");
    int r = PyModule_AddObjectRef(mod, "null_value", NULL);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
add_int_constant(PyObject *self, PyObject *args)
{
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    long v = PyLong_AsLong(PyTuple_GET_ITEM(args, 2));
    if (name == NULL || (v == -1 && PyErr_Occurred()))
        return NULL;
    if (PyModule_AddIntConstant(PyTuple_GET_ITEM(args, 0), name, v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
add_string_constant(PyObject *self, PyObject *args)
{
    const char *name = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    const char *v = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 2));
    if (name == NULL || v == NULL)
        return NULL;
    if (PyModule_AddStringConstant(PyTuple_GET_ITEM(args, 0), name, v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
module_checks(PyObject *self, PyObject *arg)
{
    return tuple2(PyBool_FromLong(PyModule_Check(arg)), PyBool_FromLong(PyModule_CheckExact(arg)));
}

/* Objects init added to the module and kept in statics without a reference
 * of their own, as extensions commonly do (PyICU's type registry dict). */
static PyObject *kept_registry = NULL;   /* a dict, via PyModule_AddObject */
static PyObject *kept_names = NULL;      /* a list, via PyModule_AddObjectRef + Py_DECREF */
static PyObject *kept_label = NULL;      /* a str, via PyModule_AddObject */

static PyObject *
registry_put(PyObject *self, PyObject *args)
{
    PyObject *key, *value;
    if (!PyArg_ParseTuple(args, "OO", &key, &value))
        return NULL;
    if (PyDict_SetItem(kept_registry, key, value) < 0 || PyList_Append(kept_names, key) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
registry_get(PyObject *self, PyObject *key)
{
    PyObject *value = PyDict_GetItem(kept_registry, key);
    return Py_BuildValue("(OnO)", value ? value : Py_None, PyList_GET_SIZE(kept_names), kept_label);
}

static PyMethodDef methods[] = {
    {"registry_put", registry_put, METH_VARARGS, NULL},
    {"registry_get", registry_get, METH_O, NULL},
    {"get_self", get_self, METH_NOARGS, "Return the module (self)."},
    {"get_init_count", get_init_count, METH_NOARGS, NULL},
    {"get_dict", get_dict, METH_O, NULL},
    {"get_name", get_name, METH_O, NULL},
    {"get_name_object", get_name_object, METH_O, NULL},
    {"get_filename_object", get_filename_object, METH_O, NULL},
    {"new_module", new_module, METH_O, NULL},
    {"new_module_object", new_module_object, METH_O, NULL},
    {"set_doc_string", set_doc_string, METH_VARARGS, NULL},
    {"import_module", import_module, METH_O, NULL},
    {"import_", import_, METH_O, NULL},
    {"add_module", add_module, METH_O, NULL},
    {"add_module_object", add_module_object, METH_O, NULL},
    {"get_module", get_module, METH_O, NULL},
    {"get_module_dict", get_module_dict, METH_NOARGS, NULL},
    {"add_object", add_object, METH_VARARGS, NULL},
    {"add_object_steal", add_object_steal, METH_VARARGS, NULL},
    {"add_object_ref", add_object_ref, METH_VARARGS, NULL},
    {"add_object_ref_keeps", add_object_ref_keeps, METH_VARARGS, NULL},
    {"add_object_ref_null", add_object_ref_null, METH_VARARGS, NULL},
    {"add_int_constant", add_int_constant, METH_VARARGS, NULL},
    {"add_string_constant", add_string_constant, METH_VARARGS, NULL},
    {"module_checks", module_checks, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    "module_ext",
    "Module docstring for module_ext.",
    -1,
    methods,
};

PyMODINIT_FUNC
PyInit_module_ext(void)
{
    init_count++;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;

    /* A __file__ set here (mypyc writes the name it was built with) is
     * replaced by the path the module was loaded from. */
    if (PyModule_AddStringConstant(m, "__file__", "set-by-PyInit.so") < 0)
        goto fail;

    kept_registry = PyDict_New();
    if (kept_registry == NULL || PyModule_AddObject(m, "registry", kept_registry) < 0)
        goto fail;
    kept_names = PyList_New(0);
    if (kept_names == NULL || PyModule_AddObjectRef(m, "registry_names", kept_names) < 0)
        goto fail;
    Py_DECREF(kept_names);
    kept_label = PyUnicode_FromString("registry label");
    if (kept_label == NULL || PyModule_AddObject(m, "registry_label", kept_label) < 0)
        goto fail;

    /* PyModule_AddObject steals the reference on success */
    PyObject *s = PyUnicode_FromString("added by AddObject");
    if (s == NULL)
        goto fail;
    if (PyModule_AddObject(m, "obj_added", s) < 0) {
        Py_DECREF(s);
        goto fail;
    }

    /* PyModule_AddObjectRef does not steal */
    PyObject *l = PyList_New(0);
    if (l == NULL)
        goto fail;
    if (PyModule_AddObjectRef(m, "ref_added", l) < 0) {
        Py_DECREF(l);
        goto fail;
    }
    /* the same object under two names */
    if (PyModule_AddObjectRef(m, "ref_added_alias", l) < 0) {
        Py_DECREF(l);
        goto fail;
    }
    Py_DECREF(l);

    if (PyModule_AddIntConstant(m, "INT_CONST", 42) < 0 ||
        PyModule_AddIntConstant(m, "NEG_CONST", -7) < 0 ||
        PyModule_AddIntConstant(m, "MAX_CONST", LONG_MAX) < 0 ||
        PyModule_AddIntConstant(m, "MIN_CONST", LONG_MIN) < 0 ||
        PyModule_AddIntMacro(m, MACRO_CONST) < 0 ||
        PyModule_AddStringConstant(m, "STR_CONST", "hello") < 0 ||
        PyModule_AddStringConstant(m, "UTF8_CONST", "h\xc3\xa9llo \xe2\x82\xac") < 0 ||
        PyModule_AddStringConstant(m, "EMPTY_CONST", "") < 0 ||
        PyModule_AddStringMacro(m, STRING_MACRO) < 0)
        goto fail;

    /* PyModule_GetDict at init time: add an entry directly */
    PyObject *d = PyModule_GetDict(m);
    PyObject *v = PyLong_FromLong(7);
    if (v == NULL || PyDict_SetItemString(d, "via_dict", v) < 0) {
        Py_XDECREF(v);
        goto fail;
    }
    Py_DECREF(v);

    /* PyModule_GetName at init time */
    const char *name = PyModule_GetName(m);
    if (name == NULL)
        goto fail;
    if (PyModule_AddStringConstant(m, "NAME_AT_INIT", name) < 0)
        goto fail;

    /* an import done during init */
    PyObject *json = PyImport_ImportModule("json");
    if (json == NULL)
        goto fail;
    if (PyModule_AddObject(m, "json_mod", json) < 0) {
        Py_DECREF(json);
        goto fail;
    }
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
