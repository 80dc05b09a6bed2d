#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>

/* Every macro of datetime.h and every entry of the capsule's table. The
 * table is imported at module init (PyDateTime_IMPORT), as extensions do. */

static PyObject *
capsule_import(PyObject *self, PyObject *noargs)
{
    /* The capsule directly, and the same table again through the macro. */
    void *direct = PyCapsule_Import(PyDateTime_CAPSULE_NAME, 0);
    if (direct == NULL)
        return NULL;
    PyDateTime_CAPI *before = PyDateTimeAPI;
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL)
        return NULL;
    return Py_BuildValue("(ii)", direct == (void *)PyDateTimeAPI, before == PyDateTimeAPI);
}

static PyObject *
capsule_name(PyObject *self, PyObject *noargs)
{
    return PyUnicode_FromString(PyDateTime_CAPSULE_NAME);
}

static PyObject *
api_types(PyObject *self, PyObject *noargs)
{
    return Py_BuildValue("(OOOOOO)", (PyObject *)PyDateTimeAPI->DateType,
                         (PyObject *)PyDateTimeAPI->DateTimeType, (PyObject *)PyDateTimeAPI->TimeType,
                         (PyObject *)PyDateTimeAPI->DeltaType, (PyObject *)PyDateTimeAPI->TZInfoType,
                         PyDateTime_TimeZone_UTC);
}

/* The types' sizes as C sees them, against the header's structs. */
static PyObject *
type_sizes(PyObject *self, PyObject *noargs)
{
    return Py_BuildValue("(iiiii)",
                         PyDateTimeAPI->DateType->tp_basicsize == (Py_ssize_t)sizeof(PyDateTime_Date),
                         PyDateTimeAPI->DateTimeType->tp_basicsize == (Py_ssize_t)sizeof(PyDateTime_DateTime),
                         PyDateTimeAPI->TimeType->tp_basicsize == (Py_ssize_t)sizeof(PyDateTime_Time),
                         PyDateTimeAPI->DeltaType->tp_basicsize == (Py_ssize_t)sizeof(PyDateTime_Delta),
                         PyDateTimeAPI->TZInfoType->tp_basicsize == (Py_ssize_t)sizeof(PyDateTime_TZInfo));
}

static PyObject *
checks(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(iiiiiiiiii)", PyDate_Check(o), PyDate_CheckExact(o), PyDateTime_Check(o),
                         PyDateTime_CheckExact(o), PyTime_Check(o), PyTime_CheckExact(o), PyDelta_Check(o),
                         PyDelta_CheckExact(o), PyTZInfo_Check(o), PyTZInfo_CheckExact(o));
}

static PyObject *
date_fields(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(iii)", PyDateTime_GET_YEAR(o), PyDateTime_GET_MONTH(o), PyDateTime_GET_DAY(o));
}

static PyObject *
datetime_fields(PyObject *self, PyObject *o)
{
    PyDateTime_DateTime *dt = (PyDateTime_DateTime *)o;
    PyObject *tz = PyDateTime_DATE_GET_TZINFO(dt);
    return Py_BuildValue("(iiiiiiiiOi)", PyDateTime_GET_YEAR(dt), PyDateTime_GET_MONTH(dt),
                         PyDateTime_GET_DAY(dt), PyDateTime_DATE_GET_HOUR(dt), PyDateTime_DATE_GET_MINUTE(dt),
                         PyDateTime_DATE_GET_SECOND(dt), PyDateTime_DATE_GET_MICROSECOND(dt),
                         PyDateTime_DATE_GET_FOLD(dt), tz, _PyDateTime_HAS_TZINFO(dt) != 0);
}

static PyObject *
time_fields(PyObject *self, PyObject *o)
{
    PyDateTime_Time *t = (PyDateTime_Time *)o;
    PyObject *tz = PyDateTime_TIME_GET_TZINFO(t);
    return Py_BuildValue("(iiiiiOi)", PyDateTime_TIME_GET_HOUR(t), PyDateTime_TIME_GET_MINUTE(t),
                         PyDateTime_TIME_GET_SECOND(t), PyDateTime_TIME_GET_MICROSECOND(t),
                         PyDateTime_TIME_GET_FOLD(t), tz, _PyDateTime_HAS_TZINFO(t) != 0);
}

static PyObject *
delta_fields(PyObject *self, PyObject *o)
{
    PyDateTime_Delta *d = (PyDateTime_Delta *)o;
    return Py_BuildValue("(iii)", PyDateTime_DELTA_GET_DAYS(d), PyDateTime_DELTA_GET_SECONDS(d),
                         PyDateTime_DELTA_GET_MICROSECONDS(d));
}

/* The borrowed tzinfo is the object itself, and reading it takes no
 * reference of the caller's. */
static PyObject *
tzinfo_identity(PyObject *self, PyObject *args)
{
    PyObject *o, *expected;
    if (!PyArg_ParseTuple(args, "OO", &o, &expected))
        return NULL;
    int is_time = PyTime_Check(o);
    PyObject *tz = is_time ? PyDateTime_TIME_GET_TZINFO(o) : PyDateTime_DATE_GET_TZINFO(o);
    Py_ssize_t before = Py_REFCNT(tz), owner_before = Py_REFCNT(o);
    for (int i = 0; i < 10; i++) {
        PyObject *again = is_time ? PyDateTime_TIME_GET_TZINFO(o) : PyDateTime_DATE_GET_TZINFO(o);
        if (again != tz)
            return PyUnicode_FromString("different pointers");
    }
    return Py_BuildValue("(iii)", tz == expected, Py_REFCNT(tz) == before, Py_REFCNT(o) == owner_before);
}

/* A plain date has no tzinfo (its hastzinfo is 0 in CPython). */
static PyObject *
date_tzinfo(PyObject *self, PyObject *o)
{
    PyObject *tz = PyDateTime_DATE_GET_TZINFO(o);
    return Py_BuildValue("(Oi)", tz, _PyDateTime_HAS_TZINFO(o) != 0);
}

/* The constructor macros. */

static PyObject *
date_from_date(PyObject *self, PyObject *args)
{
    int y, m, d;
    if (!PyArg_ParseTuple(args, "iii", &y, &m, &d))
        return NULL;
    return PyDate_FromDate(y, m, d);
}

static PyObject *
datetime_from_date_and_time(PyObject *self, PyObject *args)
{
    int y, mo, d, h, mi, s, us;
    if (!PyArg_ParseTuple(args, "iiiiiii", &y, &mo, &d, &h, &mi, &s, &us))
        return NULL;
    return PyDateTime_FromDateAndTime(y, mo, d, h, mi, s, us);
}

static PyObject *
datetime_from_date_and_time_and_fold(PyObject *self, PyObject *args)
{
    int y, mo, d, h, mi, s, us, fold;
    if (!PyArg_ParseTuple(args, "iiiiiiii", &y, &mo, &d, &h, &mi, &s, &us, &fold))
        return NULL;
    return PyDateTime_FromDateAndTimeAndFold(y, mo, d, h, mi, s, us, fold);
}

static PyObject *
time_from_time(PyObject *self, PyObject *args)
{
    int h, mi, s, us;
    if (!PyArg_ParseTuple(args, "iiii", &h, &mi, &s, &us))
        return NULL;
    return PyTime_FromTime(h, mi, s, us);
}

static PyObject *
time_from_time_and_fold(PyObject *self, PyObject *args)
{
    int h, mi, s, us, fold;
    if (!PyArg_ParseTuple(args, "iiiii", &h, &mi, &s, &us, &fold))
        return NULL;
    return PyTime_FromTimeAndFold(h, mi, s, us, fold);
}

static PyObject *
delta_from_dsu(PyObject *self, PyObject *args)
{
    int d, s, us;
    if (!PyArg_ParseTuple(args, "iii", &d, &s, &us))
        return NULL;
    return PyDelta_FromDSU(d, s, us);
}

static PyObject *
timezone_from_offset(PyObject *self, PyObject *offset)
{
    return PyTimeZone_FromOffset(offset);
}

static PyObject *
timezone_from_offset_and_name(PyObject *self, PyObject *args)
{
    PyObject *offset, *name;
    if (!PyArg_ParseTuple(args, "OO", &offset, &name))
        return NULL;
    return PyTimeZone_FromOffsetAndName(offset, name);
}

static PyObject *
datetime_from_timestamp(PyObject *self, PyObject *args)
{
    return PyDateTime_FromTimestamp(args);
}

static PyObject *
date_from_timestamp(PyObject *self, PyObject *args)
{
    return PyDate_FromTimestamp(args);
}

/* The table's entries with an explicit type (subclasses) and tzinfo. */

static PyObject *
api_date(PyObject *self, PyObject *args)
{
    int y, m, d;
    PyObject *type;
    if (!PyArg_ParseTuple(args, "iiiO", &y, &m, &d, &type))
        return NULL;
    return PyDateTimeAPI->Date_FromDate(y, m, d, (PyTypeObject *)type);
}

static PyObject *
api_datetime(PyObject *self, PyObject *args)
{
    int y, mo, d, h, mi, s, us, fold;
    PyObject *tz, *type;
    if (!PyArg_ParseTuple(args, "iiiiiiiOiO", &y, &mo, &d, &h, &mi, &s, &us, &tz, &fold, &type))
        return NULL;
    if (fold < 0)
        return PyDateTimeAPI->DateTime_FromDateAndTime(y, mo, d, h, mi, s, us, tz, (PyTypeObject *)type);
    return PyDateTimeAPI->DateTime_FromDateAndTimeAndFold(y, mo, d, h, mi, s, us, tz, fold,
                                                          (PyTypeObject *)type);
}

static PyObject *
api_time(PyObject *self, PyObject *args)
{
    int h, mi, s, us, fold;
    PyObject *tz, *type;
    if (!PyArg_ParseTuple(args, "iiiiOiO", &h, &mi, &s, &us, &tz, &fold, &type))
        return NULL;
    if (fold < 0)
        return PyDateTimeAPI->Time_FromTime(h, mi, s, us, tz, (PyTypeObject *)type);
    return PyDateTimeAPI->Time_FromTimeAndFold(h, mi, s, us, tz, fold, (PyTypeObject *)type);
}

static PyObject *
api_delta(PyObject *self, PyObject *args)
{
    int d, s, us;
    PyObject *type;
    if (!PyArg_ParseTuple(args, "iiiO", &d, &s, &us, &type))
        return NULL;
    return PyDateTimeAPI->Delta_FromDelta(d, s, us, 1, (PyTypeObject *)type);
}

static PyObject *
api_datetime_from_timestamp(PyObject *self, PyObject *args)
{
    PyObject *cls, *call_args, *kwargs;
    if (!PyArg_ParseTuple(args, "OOO", &cls, &call_args, &kwargs))
        return NULL;
    return PyDateTimeAPI->DateTime_FromTimestamp(cls, call_args, kwargs == Py_None ? NULL : kwargs);
}

static PyObject *
api_date_from_timestamp(PyObject *self, PyObject *args)
{
    PyObject *cls, *call_args;
    if (!PyArg_ParseTuple(args, "OO", &cls, &call_args))
        return NULL;
    return PyDateTimeAPI->Date_FromTimestamp(cls, call_args);
}

/* A zero offset without a name gives UTC itself, with a new reference. */
static PyObject *
utc_from_zero(PyObject *self, PyObject *zero)
{
    Py_ssize_t before = Py_REFCNT(PyDateTime_TimeZone_UTC);
    PyObject *tz = PyTimeZone_FromOffset(zero);
    if (tz == NULL)
        return NULL;
    Py_ssize_t after = Py_REFCNT(PyDateTime_TimeZone_UTC);
    PyObject *r = Py_BuildValue("(in)", tz == PyDateTime_TimeZone_UTC, after - before);
    Py_DECREF(tz);
    return r;
}

/* Constructors leave no reference behind: the result is the only one. */
static PyObject *
fresh_refcounts(PyObject *self, PyObject *noargs)
{
    PyObject *objs[4] = {
        PyDate_FromDate(2001, 2, 3),
        PyDateTime_FromDateAndTime(2001, 2, 3, 4, 5, 6, 7),
        PyTime_FromTime(4, 5, 6, 7),
        PyDelta_FromDSU(1, 2, 3),
    };
    PyObject *r = PyTuple_New(4);
    for (int i = 0; i < 4; i++) {
        if (objs[i] == NULL) {
            Py_DECREF(r);
            for (int j = i + 1; j < 4; j++)
                Py_XDECREF(objs[j]);
            return NULL;
        }
        PyTuple_SET_ITEM(r, i, PyLong_FromSsize_t(Py_REFCNT(objs[i])));
        Py_DECREF(objs[i]);
    }
    return r;
}

/* The struct fields, read directly as some extensions do (not the macros). */
static PyObject *
struct_fields(PyObject *self, PyObject *o)
{
    if (PyDateTime_Check(o)) {
        PyDateTime_DateTime *dt = (PyDateTime_DateTime *)o;
        const unsigned char *d = dt->data;
        return Py_BuildValue("(s(iiiiiii)iiO)", "datetime", d[0] << 8 | d[1], d[2], d[3], d[4], d[5], d[6],
                             d[7] << 16 | d[8] << 8 | d[9], dt->fold, dt->hastzinfo,
                             dt->hastzinfo ? dt->tzinfo : Py_None);
    }
    if (PyDate_Check(o)) {
        const unsigned char *d = ((PyDateTime_Date *)o)->data;
        return Py_BuildValue("(s(iii))", "date", d[0] << 8 | d[1], d[2], d[3]);
    }
    if (PyTime_Check(o)) {
        PyDateTime_Time *t = (PyDateTime_Time *)o;
        const unsigned char *d = t->data;
        return Py_BuildValue("(s(iiii)iiO)", "time", d[0], d[1], d[2], d[3] << 16 | d[4] << 8 | d[5], t->fold,
                             t->hastzinfo, t->hastzinfo ? t->tzinfo : Py_None);
    }
    if (PyDelta_Check(o)) {
        PyDateTime_Delta *delta = (PyDateTime_Delta *)o;
        return Py_BuildValue("(s(iii))", "timedelta", delta->days, delta->seconds, delta->microseconds);
    }
    Py_RETURN_NONE;
}

/* C compares a datetime's tzinfo field with the tzinfo it expects. */
static PyObject *
tzinfo_is(PyObject *self, PyObject *args)
{
    PyObject *dt, *tz;
    if (!PyArg_ParseTuple(args, "OO", &dt, &tz))
        return NULL;
    return PyBool_FromLong(((PyDateTime_DateTime *)dt)->hastzinfo && ((PyDateTime_DateTime *)dt)->tzinfo == tz);
}

static PyMethodDef methods[] = {
    {"struct_fields", struct_fields, METH_O, NULL},
    {"tzinfo_is", tzinfo_is, METH_VARARGS, NULL},
    {"capsule_import", capsule_import, METH_NOARGS, NULL},
    {"capsule_name", capsule_name, METH_NOARGS, NULL},
    {"api_types", api_types, METH_NOARGS, NULL},
    {"type_sizes", type_sizes, METH_NOARGS, NULL},
    {"checks", checks, METH_O, NULL},
    {"date_fields", date_fields, METH_O, NULL},
    {"datetime_fields", datetime_fields, METH_O, NULL},
    {"time_fields", time_fields, METH_O, NULL},
    {"delta_fields", delta_fields, METH_O, NULL},
    {"tzinfo_identity", tzinfo_identity, METH_VARARGS, NULL},
    {"date_tzinfo", date_tzinfo, METH_O, NULL},
    {"date_from_date", date_from_date, METH_VARARGS, NULL},
    {"datetime_from_date_and_time", datetime_from_date_and_time, METH_VARARGS, NULL},
    {"datetime_from_date_and_time_and_fold", datetime_from_date_and_time_and_fold, METH_VARARGS, NULL},
    {"time_from_time", time_from_time, METH_VARARGS, NULL},
    {"time_from_time_and_fold", time_from_time_and_fold, METH_VARARGS, NULL},
    {"delta_from_dsu", delta_from_dsu, METH_VARARGS, NULL},
    {"timezone_from_offset", timezone_from_offset, METH_O, NULL},
    {"timezone_from_offset_and_name", timezone_from_offset_and_name, METH_VARARGS, NULL},
    {"datetime_from_timestamp", datetime_from_timestamp, METH_VARARGS, NULL},
    {"date_from_timestamp", date_from_timestamp, METH_VARARGS, NULL},
    {"api_date", api_date, METH_VARARGS, NULL},
    {"api_datetime", api_datetime, METH_VARARGS, NULL},
    {"api_time", api_time, METH_VARARGS, NULL},
    {"api_delta", api_delta, METH_VARARGS, NULL},
    {"api_datetime_from_timestamp", api_datetime_from_timestamp, METH_VARARGS, NULL},
    {"api_date_from_timestamp", api_date_from_timestamp, METH_VARARGS, NULL},
    {"utc_from_zero", utc_from_zero, METH_O, NULL},
    {"fresh_refcounts", fresh_refcounts, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "datetime_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_datetime_ext(void)
{
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == NULL)
        return NULL;
    return PyModule_Create(&moduledef);
}
