/* CPython's private clock API (cpython/pytime.h), as pythoncapi_compat.h
 * uses it for the PyTime_* functions. */
#include <Python.h>

static PyObject *
conversions(PyObject *self, PyObject *arg)
{
    long long t = PyLong_AsLongLong(arg);
    if (t == -1 && PyErr_Occurred())
        return NULL;
    PyObject *ms = PyList_New(0), *us = PyList_New(0);
    for (int round = 0; round <= 3; round++) {
        PyObject *a = PyLong_FromLongLong(_PyTime_AsMilliseconds((_PyTime_t)t, (_PyTime_round_t)round));
        PyObject *b = PyLong_FromLongLong(_PyTime_AsMicroseconds((_PyTime_t)t, (_PyTime_round_t)round));
        PyList_Append(ms, a);
        PyList_Append(us, b);
        Py_DECREF(a);
        Py_DECREF(b);
    }
    return Py_BuildValue("(dNNL)", _PyTime_AsSecondsDouble((_PyTime_t)t), ms, us,
                         (long long)_PyTime_AsNanoseconds((_PyTime_t)t));
}

static PyObject *
arithmetic(PyObject *self, PyObject *noargs)
{
    return Py_BuildValue("(LLLLLL)", (long long)_PyTime_FromSeconds(3), (long long)_PYTIME_FROMSECONDS(-2),
                         (long long)_PyTime_FromNanoseconds(7), (long long)_PyTime_Add(_PyTime_MAX, 5),
                         (long long)_PyTime_Add(-4, 9), (long long)_PyTime_MulDiv(1000000007, 3, 7));
}

static PyObject *
clock_info(_Py_clock_info_t *info, _PyTime_t t1, _PyTime_t t2)
{
    return Py_BuildValue("(siidi)", info->implementation, info->monotonic, info->adjustable,
                         info->resolution, t2 >= t1);
}

static PyObject *
clocks(PyObject *self, PyObject *noargs)
{
    _Py_clock_info_t info;
    _PyTime_t a, b;
    if (_PyTime_GetMonotonicClockWithInfo(&a, &info) < 0)
        return NULL;
    b = _PyTime_GetMonotonicClock();
    PyObject *mono = clock_info(&info, a, b);
    if (_PyTime_GetPerfCounterWithInfo(&a, &info) < 0)
        return NULL;
    b = _PyTime_GetPerfCounter();
    PyObject *perf = clock_info(&info, a, b);
    if (_PyTime_GetSystemClockWithInfo(&a, NULL) < 0)
        return NULL;
    if (_PyTime_GetSystemClockWithInfo(&a, &info) < 0)
        return NULL;
    PyObject *system = Py_BuildValue("(siiL)", info.implementation, info.monotonic, info.adjustable,
                                     (long long)(a / 1000000000));
    return Py_BuildValue("(NNN)", mono, perf, system);
}

static PyMethodDef methods[] = {
    {"conversions", conversions, METH_O, NULL},
    {"arithmetic", arithmetic, METH_NOARGS, NULL},
    {"clocks", clocks, METH_NOARGS, NULL},
    {NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "pytime_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_pytime_ext(void)
{
    return PyModule_Create(&module);
}
