#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Multi-phase initialization (PEP 489) with module state.

   The script can make creation/execution misbehave on the next import by
   setting __main__.MODE:
     0 normal
     1 exec2 raises ValueError and returns -1
     2 exec2 returns -1 without an exception
     3 exec2 returns 0 with an exception set
     4 create returns NULL without an exception
     5 create returns a module with an exception set
     6 create returns a non-module object (but the def asks for state)
     7 create raises KeyError
*/

typedef struct {
    long counter;
    long zero_at_exec1;   /* 1 if the state was zero-filled before exec1 ran */
    long exec1_ran;
    long exec2_ran;
} module_state;

static struct PyModuleDef moduledef;

static long init_calls, create_calls, exec1_calls, exec2_calls;

static long
get_mode(void)
{
    PyObject *main = PyImport_AddModule("__main__");   /* borrowed */
    if (main == NULL) {
        PyErr_Clear();
        return 0;
    }
    PyObject *v = PyDict_GetItemString(PyModule_GetDict(main), "MODE");
    if (v == NULL)
        return 0;
    long mode = PyLong_AsLong(v);
    if (mode == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    return mode;
}

static PyObject *
create(PyObject *spec, PyModuleDef *def)
{
    create_calls++;
    long mode = get_mode();
    if (mode == 4)
        return NULL;
    if (mode == 6)
        return PyDict_New();
    if (mode == 7) {
        PyErr_SetString(PyExc_KeyError, "create failed on request");
        return NULL;
    }
    PyObject *name = PyObject_GetAttrString(spec, "name");
    if (name == NULL)
        return NULL;
    PyObject *m = PyModule_NewObject(name);
    Py_DECREF(name);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "created_by", "custom create") < 0 ||
        PyModule_AddObjectRef(m, "def_ok_in_create", def == &moduledef ? Py_True : Py_False) < 0 ||
        PyModule_AddObjectRef(m, "spec_seen_by_create", spec) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    if (mode == 5)
        PyErr_SetString(PyExc_RuntimeError, "left set by create");
    return m;
}

static int
exec1(PyObject *m)
{
    exec1_calls++;
    module_state *st = PyModule_GetState(m);
    if (st == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_RuntimeError, "no state in exec1");
        return -1;
    }
    st->zero_at_exec1 = (st->counter == 0 && st->exec1_ran == 0 && st->exec2_ran == 0);
    st->exec1_ran = 1;
    st->counter = 10;

    PyObject *order = PyList_New(0);
    if (order == NULL)
        return -1;
    PyObject *s = PyUnicode_FromString("exec1");
    if (s == NULL || PyList_Append(order, s) < 0) {
        Py_XDECREF(s);
        Py_DECREF(order);
        return -1;
    }
    Py_DECREF(s);
    if (PyModule_AddObject(m, "order", order) < 0) {
        Py_DECREF(order);
        return -1;
    }
    /* the functions from m_methods are already there when exec runs */
    PyObject *has = PyBool_FromLong(PyObject_HasAttrString(m, "increment"));
    if (PyModule_AddObject(m, "methods_before_exec", has) < 0) {
        Py_DECREF(has);
        return -1;
    }
    return 0;
}

static int
exec2(PyObject *m)
{
    exec2_calls++;
    long mode = get_mode();
    module_state *st = PyModule_GetState(m);
    if (st == NULL)
        return -1;
    if (mode == 1) {
        PyErr_SetString(PyExc_ValueError, "exec2 failed on request");
        return -1;
    }
    if (mode == 2)
        return -1;
    if (mode == 3) {
        PyErr_SetString(PyExc_ValueError, "exec2 left an error set");
        return 0;
    }
    st->exec2_ran = 1;
    PyObject *order = PyObject_GetAttrString(m, "order");
    if (order == NULL)
        return -1;
    PyObject *s = PyUnicode_FromString("exec2");
    int r = (s == NULL) ? -1 : PyList_Append(order, s);
    Py_XDECREF(s);
    Py_DECREF(order);
    if (r < 0)
        return -1;
    if (PyModule_AddIntConstant(m, "counter_seen_in_exec2", st->counter) < 0)
        return -1;
    return 0;
}

/* functions: self is the module ------------------------------------------ */

static PyObject *
increment(PyObject *self, PyObject *noargs)
{
    module_state *st = PyModule_GetState(self);
    if (st == NULL)
        return NULL;
    st->counter++;
    return PyLong_FromLong(st->counter);
}

static PyObject *
state_info(PyObject *self, PyObject *noargs)
{
    module_state *st = PyModule_GetState(self);
    if (st == NULL)
        return NULL;
    PyObject *t = PyTuple_New(4);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(st->counter));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(st->zero_at_exec1));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(st->exec1_ran));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(st->exec2_ran));
    return t;
}

static PyObject *
counter_of(PyObject *self, PyObject *mod)
{
    /* the counter in the state of another module object */
    module_state *st = PyModule_GetState(mod);
    if (st == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_LookupError, "no state");
        return NULL;
    }
    return PyLong_FromLong(st->counter);
}

static PyObject *
self_is(PyObject *self, PyObject *arg)
{
    return PyBool_FromLong(self == arg);
}

static PyObject *
def_is_ours(PyObject *self, PyObject *noargs)
{
    return PyBool_FromLong(PyModule_GetDef(self) == &moduledef);
}

static PyObject *
def_of(PyObject *self, PyObject *arg)
{
    /* "ours", "NULL" (no error) or propagate the error */
    PyModuleDef *d = PyModule_GetDef(arg);
    if (d == NULL) {
        if (PyErr_Occurred())
            return NULL;
        return PyUnicode_FromString("NULL");
    }
    return PyUnicode_FromString(d == &moduledef ? "ours" : "other");
}

static PyObject *
state_of(PyObject *self, PyObject *arg)
{
    /* "state", "NULL" (no error) or propagate the error */
    void *st = PyModule_GetState(arg);
    if (st == NULL) {
        if (PyErr_Occurred())
            return NULL;
        return PyUnicode_FromString("NULL");
    }
    return PyUnicode_FromString("state");
}

static PyObject *
def_name(PyObject *self, PyObject *noargs)
{
    PyModuleDef *d = PyModule_GetDef(self);
    if (d == NULL)
        return NULL;
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyUnicode_FromString(d->m_name));
    PyTuple_SET_ITEM(t, 1, PyLong_FromSsize_t(d->m_size == (Py_ssize_t)sizeof(module_state)));
    return t;
}

static PyObject *
calls(PyObject *self, PyObject *noargs)
{
    PyObject *t = PyTuple_New(4);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(init_calls));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(create_calls));
    PyTuple_SET_ITEM(t, 2, PyLong_FromLong(exec1_calls));
    PyTuple_SET_ITEM(t, 3, PyLong_FromLong(exec2_calls));
    return t;
}

/* PyInit__imp gives _imp's multi-phase definition: a module from it with
 * the given spec, executed. Returns (definition's name, module). */
static PyObject *
imp_from_inittab(PyObject *self, PyObject *spec)
{
    PyObject *r = PyInit__imp();
    if (r == NULL)
        return NULL;
    if (!PyObject_TypeCheck(r, &PyModuleDef_Type)) {
        PyErr_SetString(PyExc_AssertionError, "PyInit__imp did not return a definition");
        return NULL;
    }
    PyModuleDef *def = (PyModuleDef *)r;
    PyObject *m = PyModule_FromDefAndSpec(def, spec);
    if (m == NULL)
        return NULL;
    if (PyModule_ExecDef(m, def) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return Py_BuildValue("(sN)", def->m_name, m);
}

static PyMethodDef methods[] = {
    {"imp_from_inittab", imp_from_inittab, METH_O, NULL},
    {"increment", increment, METH_NOARGS, "Increment the counter in the module state."},
    {"state_info", state_info, METH_NOARGS, NULL},
    {"counter_of", counter_of, METH_O, NULL},
    {"self_is", self_is, METH_O, NULL},
    {"def_is_ours", def_is_ours, METH_NOARGS, NULL},
    {"def_of", def_of, METH_O, NULL},
    {"state_of", state_of, METH_O, NULL},
    {"def_name", def_name, METH_NOARGS, NULL},
    {"calls", calls, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_create, create},
    {Py_mod_exec, exec1},
    {Py_mod_exec, exec2},
    {0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    .m_name = "multiphase_ext",
    .m_doc = "Multi-phase init test module.",
    .m_size = sizeof(module_state),
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit_multiphase_ext(void)
{
    init_calls++;
    return PyModuleDef_Init(&moduledef);
}
