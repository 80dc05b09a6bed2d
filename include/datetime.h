/* datetime.h: the C API of the datetime module (date, time, datetime,
 * timedelta, tzinfo), reached through the capsule "datetime.datetime_CAPI".
 * Stand-alone: Python.h does not include it.
 *
 * The object structs keep CPython's fields so that code naming them
 * compiles, but the objects behind them are proxies of the host's datetime
 * objects: their values are not stored in `data[]`, `days`, `fold` or
 * `tzinfo`. The accessor macros below therefore call into the layer; read
 * the values through them, never through the struct fields
 * (docs/differences.md). */
#ifndef Py_LIMITED_API
#ifndef DATETIME_H
#define DATETIME_H
#ifdef __cplusplus
extern "C" {
#endif

/* Byte counts of the packed fields of CPython's layout. */
#define _PyDateTime_DATE_DATASIZE 4
#define _PyDateTime_TIME_DATASIZE 6
#define _PyDateTime_DATETIME_DATASIZE 10

typedef struct {
    PyObject_HEAD
    Py_hash_t hashcode;
    int days;
    int seconds;
    int microseconds;
} PyDateTime_Delta;

typedef struct {
    PyObject_HEAD
} PyDateTime_TZInfo;

/* The common head of time and datetime objects. */
#define _PyTZINFO_HEAD \
    PyObject_HEAD \
    Py_hash_t hashcode; \
    char hastzinfo;

typedef struct {
    _PyTZINFO_HEAD
} _PyDateTime_BaseTZInfo;

#define _PyDateTime_TIMEHEAD \
    _PyTZINFO_HEAD \
    unsigned char data[_PyDateTime_TIME_DATASIZE];

typedef struct {
    _PyDateTime_TIMEHEAD
} _PyDateTime_BaseTime;

typedef struct {
    _PyDateTime_TIMEHEAD
    unsigned char fold;
    PyObject *tzinfo;
} PyDateTime_Time;

typedef struct {
    _PyTZINFO_HEAD
    unsigned char data[_PyDateTime_DATE_DATASIZE];
} PyDateTime_Date;

#define _PyDateTime_DATETIMEHEAD \
    _PyTZINFO_HEAD \
    unsigned char data[_PyDateTime_DATETIME_DATASIZE];

typedef struct {
    _PyDateTime_DATETIMEHEAD
} _PyDateTime_BaseDateTime;

typedef struct {
    _PyDateTime_DATETIMEHEAD
    unsigned char fold;
    PyObject *tzinfo;
} PyDateTime_DateTime;

/* The accessors. `field` selects the value and the class whose attribute
 * gives it (date for year/month/day, datetime or time for the clock
 * fields, timedelta for days/seconds/microseconds), so subclasses that
 * override an attribute still read the stored value, as in CPython.
 * _PyDateTime_GetTZInfo returns a borrowed reference (Py_None when the
 * object has no tzinfo). */
#define _PyDateTime_FIELD_YEAR 0
#define _PyDateTime_FIELD_MONTH 1
#define _PyDateTime_FIELD_DAY 2
#define _PyDateTime_FIELD_DATE_HOUR 3
#define _PyDateTime_FIELD_DATE_MINUTE 4
#define _PyDateTime_FIELD_DATE_SECOND 5
#define _PyDateTime_FIELD_DATE_MICROSECOND 6
#define _PyDateTime_FIELD_DATE_FOLD 7
#define _PyDateTime_FIELD_TIME_HOUR 8
#define _PyDateTime_FIELD_TIME_MINUTE 9
#define _PyDateTime_FIELD_TIME_SECOND 10
#define _PyDateTime_FIELD_TIME_MICROSECOND 11
#define _PyDateTime_FIELD_TIME_FOLD 12
#define _PyDateTime_FIELD_DELTA_DAYS 13
#define _PyDateTime_FIELD_DELTA_SECONDS 14
#define _PyDateTime_FIELD_DELTA_MICROSECONDS 15
PyAPI_FUNC(int) _PyDateTime_GetField(PyObject *o, int field);
PyAPI_FUNC(PyObject *) _PyDateTime_GetTZInfo(PyObject *o);

#define _PyDateTime_HAS_TZINFO(o) (_PyDateTime_GetTZInfo(_PyObject_CAST(o)) != Py_None)

#define PyDateTime_GET_YEAR(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_YEAR)
#define PyDateTime_GET_MONTH(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_MONTH)
#define PyDateTime_GET_DAY(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_DAY)

#define PyDateTime_DATE_GET_HOUR(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_DATE_HOUR)
#define PyDateTime_DATE_GET_MINUTE(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_DATE_MINUTE)
#define PyDateTime_DATE_GET_SECOND(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_DATE_SECOND)
#define PyDateTime_DATE_GET_MICROSECOND(o) \
    _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_DATE_MICROSECOND)
#define PyDateTime_DATE_GET_FOLD(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_DATE_FOLD)
#define PyDateTime_DATE_GET_TZINFO(o) _PyDateTime_GetTZInfo(_PyObject_CAST(o))

#define PyDateTime_TIME_GET_HOUR(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_TIME_HOUR)
#define PyDateTime_TIME_GET_MINUTE(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_TIME_MINUTE)
#define PyDateTime_TIME_GET_SECOND(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_TIME_SECOND)
#define PyDateTime_TIME_GET_MICROSECOND(o) \
    _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_TIME_MICROSECOND)
#define PyDateTime_TIME_GET_FOLD(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_TIME_FOLD)
#define PyDateTime_TIME_GET_TZINFO(o) _PyDateTime_GetTZInfo(_PyObject_CAST(o))

#define PyDateTime_DELTA_GET_DAYS(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_DELTA_DAYS)
#define PyDateTime_DELTA_GET_SECONDS(o) _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_DELTA_SECONDS)
#define PyDateTime_DELTA_GET_MICROSECONDS(o) \
    _PyDateTime_GetField(_PyObject_CAST(o), _PyDateTime_FIELD_DELTA_MICROSECONDS)

/* The capsule's table, in CPython's order. */
typedef struct {
    PyTypeObject *DateType;
    PyTypeObject *DateTimeType;
    PyTypeObject *TimeType;
    PyTypeObject *DeltaType;
    PyTypeObject *TZInfoType;

    PyObject *TimeZone_UTC;

    PyObject *(*Date_FromDate)(int year, int month, int day, PyTypeObject *type);
    PyObject *(*DateTime_FromDateAndTime)(int year, int month, int day, int hour, int minute,
                                          int second, int usecond, PyObject *tzinfo, PyTypeObject *type);
    PyObject *(*Time_FromTime)(int hour, int minute, int second, int usecond, PyObject *tzinfo,
                               PyTypeObject *type);
    PyObject *(*Delta_FromDelta)(int days, int seconds, int useconds, int normalize, PyTypeObject *type);
    PyObject *(*TimeZone_FromTimeZone)(PyObject *offset, PyObject *name);

    PyObject *(*DateTime_FromTimestamp)(PyObject *cls, PyObject *args, PyObject *kwargs);
    PyObject *(*Date_FromTimestamp)(PyObject *cls, PyObject *args);

    PyObject *(*DateTime_FromDateAndTimeAndFold)(int year, int month, int day, int hour, int minute,
                                                 int second, int usecond, PyObject *tzinfo, int fold,
                                                 PyTypeObject *type);
    PyObject *(*Time_FromTimeAndFold)(int hour, int minute, int second, int usecond, PyObject *tzinfo,
                                      int fold, PyTypeObject *type);
} PyDateTime_CAPI;

#define PyDateTime_CAPSULE_NAME "datetime.datetime_CAPI"

#ifndef _PY_DATETIME_IMPL
/* One table pointer per translation unit, as in CPython: each file that
 * uses the API runs PyDateTime_IMPORT itself. */
static PyDateTime_CAPI *PyDateTimeAPI = NULL;

#define PyDateTime_IMPORT \
    (PyDateTimeAPI = (PyDateTime_CAPI *)PyCapsule_Import(PyDateTime_CAPSULE_NAME, 0))

#define PyDateTime_TimeZone_UTC (PyDateTimeAPI->TimeZone_UTC)

#define PyDate_Check(op) PyObject_TypeCheck((op), PyDateTimeAPI->DateType)
#define PyDate_CheckExact(op) Py_IS_TYPE((op), PyDateTimeAPI->DateType)
#define PyDateTime_Check(op) PyObject_TypeCheck((op), PyDateTimeAPI->DateTimeType)
#define PyDateTime_CheckExact(op) Py_IS_TYPE((op), PyDateTimeAPI->DateTimeType)
#define PyTime_Check(op) PyObject_TypeCheck((op), PyDateTimeAPI->TimeType)
#define PyTime_CheckExact(op) Py_IS_TYPE((op), PyDateTimeAPI->TimeType)
#define PyDelta_Check(op) PyObject_TypeCheck((op), PyDateTimeAPI->DeltaType)
#define PyDelta_CheckExact(op) Py_IS_TYPE((op), PyDateTimeAPI->DeltaType)
#define PyTZInfo_Check(op) PyObject_TypeCheck((op), PyDateTimeAPI->TZInfoType)
#define PyTZInfo_CheckExact(op) Py_IS_TYPE((op), PyDateTimeAPI->TZInfoType)

#define PyDate_FromDate(year, month, day) \
    PyDateTimeAPI->Date_FromDate((year), (month), (day), PyDateTimeAPI->DateType)
#define PyDateTime_FromDateAndTime(year, month, day, hour, min, sec, usec) \
    PyDateTimeAPI->DateTime_FromDateAndTime((year), (month), (day), (hour), (min), (sec), (usec), \
                                            Py_None, PyDateTimeAPI->DateTimeType)
#define PyDateTime_FromDateAndTimeAndFold(year, month, day, hour, min, sec, usec, fold) \
    PyDateTimeAPI->DateTime_FromDateAndTimeAndFold((year), (month), (day), (hour), (min), (sec), \
                                                   (usec), Py_None, (fold), PyDateTimeAPI->DateTimeType)
#define PyTime_FromTime(hour, minute, second, usecond) \
    PyDateTimeAPI->Time_FromTime((hour), (minute), (second), (usecond), Py_None, PyDateTimeAPI->TimeType)
#define PyTime_FromTimeAndFold(hour, minute, second, usecond, fold) \
    PyDateTimeAPI->Time_FromTimeAndFold((hour), (minute), (second), (usecond), Py_None, (fold), \
                                        PyDateTimeAPI->TimeType)
#define PyDelta_FromDSU(days, seconds, useconds) \
    PyDateTimeAPI->Delta_FromDelta((days), (seconds), (useconds), 1, PyDateTimeAPI->DeltaType)
#define PyTimeZone_FromOffset(offset) PyDateTimeAPI->TimeZone_FromTimeZone((offset), NULL)
#define PyTimeZone_FromOffsetAndName(offset, name) PyDateTimeAPI->TimeZone_FromTimeZone((offset), (name))

/* The DB-API constructors take an argument tuple, like the classmethods. */
#define PyDateTime_FromTimestamp(args) \
    PyDateTimeAPI->DateTime_FromTimestamp((PyObject *)PyDateTimeAPI->DateTimeType, (args), NULL)
#define PyDate_FromTimestamp(args) \
    PyDateTimeAPI->Date_FromTimestamp((PyObject *)PyDateTimeAPI->DateType, (args))
#endif /* !_PY_DATETIME_IMPL */

#ifdef __cplusplus
}
#endif
#endif /* !DATETIME_H */
#endif /* !Py_LIMITED_API */
