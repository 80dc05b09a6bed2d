/* A C profile function's events, as a C profiler (viztracer) records them:
 * installing it again while it runs, or from inside an event, must not
 * report the layer's own work (its call of sys.setprofile, its callbacks
 * when a C object dies). */
#include <Python.h>
#include <frameobject.h>

static PyObject *events;
static const char *kinds[] = {"call", "exception", "line", "return",
                              "c_call", "c_exception", "c_return", "opcode"};

static int record(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    PyObject *name;
    if (what >= PyTrace_C_CALL && what <= PyTrace_C_RETURN) {
        name = PyObject_GetAttrString(arg, "__name__");
    } else {
        PyCodeObject *code = PyFrame_GetCode(frame);
        name = code->co_name;
        Py_INCREF(name);
        Py_DECREF(code);
    }
    if (name == NULL)
        return -1;
    PyObject *line = PyUnicode_FromFormat("%s %U", kinds[what], name);
    Py_DECREF(name);
    if (line == NULL)
        return -1;
    int rc = PyList_Append(events, line);
    Py_DECREF(line);
    /* Re-installing itself from inside an event, as viztracer's thread
     * hook does, changes nothing. */
    if (what == PyTrace_CALL)
        PyEval_SetProfile(record, obj);
    return rc;
}

static PyObject *start(PyObject *m, PyObject *unused)
{
    PyEval_SetProfile(record, m);
    Py_RETURN_NONE;
}

static PyObject *stop(PyObject *m, PyObject *unused)
{
    PyEval_SetProfile(NULL, NULL);
    Py_RETURN_NONE;
}

static PyObject *take(PyObject *m, PyObject *unused)
{
    PyObject *got = events;
    events = PyList_New(0);
    return got;
}

/* An instance of a C type whose dealloc the layer must run. */
static PyTypeObject Blob_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cprofevents_ext.Blob",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};

static PyMethodDef methods[] = {
    {"start", start, METH_NOARGS},
    {"stop", stop, METH_NOARGS},
    {"take", take, METH_NOARGS},
    {NULL}
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "cprofevents_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_cprofevents_ext(void)
{
    events = PyList_New(0);
    if (events == NULL || PyType_Ready(&Blob_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (m == NULL)
        return NULL;
    Py_INCREF(&Blob_Type);
    if (PyModule_AddObject(m, "Blob", (PyObject *)&Blob_Type) < 0)
        return NULL;
    return m;
}
