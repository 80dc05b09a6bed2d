#include <Python.h>
#include <frameobject.h>
static int calls, returns, frame_mismatch;
static PyObject *log_list;
static int prof(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg) {
    if (what == PyTrace_CALL || what == PyTrace_RETURN) {
        PyFrameObject *cur = PyEval_GetFrame();
        if (cur != frame) frame_mismatch++;
        if (what == PyTrace_CALL) calls++; else returns++;
        PyCodeObject *code = PyFrame_GetCode(frame);
        PyObject *s = PyUnicode_FromFormat("%s %U", what == PyTrace_CALL ? "call" : "return", code->co_name);
        Py_DECREF(code);
        PyList_Append(log_list, s);
        Py_DECREF(s);
    }
    return 0;
}
static PyObject *start(PyObject *self, PyObject *unused) {
    calls = returns = frame_mismatch = 0;
    Py_XDECREF(log_list);
    log_list = PyList_New(0);
    PyEval_SetProfile((Py_tracefunc)prof, self);
    PyThreadState *ts = PyThreadState_Get();
    return Py_BuildValue("(ii)", ts->c_profilefunc == (Py_tracefunc)prof, ts->c_profileobj == self);
}
static PyObject *stop(PyObject *self, PyObject *unused) {
    PyEval_SetProfile(NULL, NULL);
    PyThreadState *ts = PyThreadState_Get();
    return Py_BuildValue("(iiiiO)", ts->c_profilefunc == NULL, calls, returns, frame_mismatch, log_list);
}
static PyObject *state(PyObject *self, PyObject *unused) {
    PyThreadState *ts = PyThreadState_Get();
    return Py_BuildValue("(ii)", ts->c_profilefunc == (Py_tracefunc)prof, ts->c_profilefunc != NULL);
}
static int tracer(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg) { return 0; }
/* PyEval_SetTrace sets c_tracefunc and c_traceobj the same way. */
static PyObject *trace_fields(PyObject *self, PyObject *unused) {
    PyEval_SetTrace((Py_tracefunc)tracer, self);
    PyThreadState *ts = PyThreadState_Get();
    int set = ts->c_tracefunc == (Py_tracefunc)tracer && ts->c_traceobj == self;
    PyEval_SetTrace(NULL, NULL);
    return Py_BuildValue("(ii)", set, ts->c_tracefunc == NULL && ts->c_traceobj == NULL);
}
/* Installs tracer (what 0) or prof (what 1) with `obj` as its object, or
   removes it when obj is None: sys.gettrace()/getprofile() then give obj. */
static PyObject *install_with(PyObject *self, PyObject *args) {
    int what;
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "iO", &what, &obj)) return NULL;
    if (what == 0) {
        if (obj == Py_None) PyEval_SetTrace(NULL, NULL);
        else PyEval_SetTrace((Py_tracefunc)tracer, obj);
    } else {
        if (obj == Py_None) PyEval_SetProfile(NULL, NULL);
        else PyEval_SetProfile((Py_tracefunc)tracer, obj);
    }
    Py_RETURN_NONE;
}
static PyMethodDef methods[] = {
    {"start", start, METH_NOARGS}, {"stop", stop, METH_NOARGS}, {"state", state, METH_NOARGS},
    {"trace_fields", trace_fields, METH_NOARGS}, {"install_with", install_with, METH_VARARGS}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "tracestate_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_tracestate_ext(void) { return PyModule_Create(&mod); }
