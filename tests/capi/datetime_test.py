import datetime
from datetime import date, time, timedelta, timezone, tzinfo

import datetime_ext as ext

dt_class = datetime.datetime


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args, message=True):
    try:
        r = fn(*args)
    except Exception as e:
        line = f"{label}: raised {type(e).__name__}"
        if message:
            line += f" {str(e)!r}"
        print(line)
        return
    print(f"{label}: returned {r!r}")


class MyDate(date):
    @property
    def year(self):
        return -1


class MyDateTime(dt_class):
    @property
    def hour(self):
        return -1

    def __init__(self, *args, **kwargs):
        self.initialised = True


class MyTime(time):
    @property
    def fold(self):
        return 7


class MyDelta(timedelta):
    @property
    def days(self):
        return 12345


class MyTZ(tzinfo):
    def utcoffset(self, dt):
        return timedelta(hours=2)

    def dst(self, dt):
        return timedelta(0)

    def tzname(self, dt):
        return "MYTZ"

    def __repr__(self):
        return "MyTZ()"


class NewDate(date):
    def __new__(cls, *args):
        print("NewDate.__new__ called")
        return super().__new__(cls, *args)


class NewDateTime(dt_class):
    def __new__(cls, *args, **kwargs):
        print("NewDateTime.__new__ called")
        return super().__new__(cls, *args, **kwargs)


class WithFromTimestamp(dt_class):
    @classmethod
    def fromtimestamp(cls, *args):
        return "overridden"


# --- the capsule ------------------------------------------------------------
show("capsule attribute", type(datetime.datetime_CAPI).__name__)
show("capsule name", ext.capsule_name())
show("capsule import", ext.capsule_import())
types = ext.api_types()
show("types", [t is e for t, e in zip(types, (date, dt_class, time, timedelta, tzinfo, timezone.utc))])
show("type sizes", ext.type_sizes())

# --- check macros -------------------------------------------------------------
samples = [
    ("date", date(2020, 2, 29)),
    ("datetime", dt_class(2020, 2, 29, 1, 2, 3, 4)),
    ("time", time(1, 2, 3)),
    ("timedelta", timedelta(1)),
    ("tzinfo", MyTZ()),
    ("timezone", timezone.utc),
    ("MyDate", MyDate(2001, 1, 1)),
    ("MyDateTime", MyDateTime(2001, 1, 1)),
    ("MyTime", MyTime()),
    ("MyDelta", MyDelta()),
    ("int", 5),
    ("None", None),
]
for label, o in samples:
    show(f"checks {label}", ext.checks(o))

# --- accessors ----------------------------------------------------------------
show("date fields", ext.date_fields(date(1, 12, 31)))
show("date fields max", ext.date_fields(date(9999, 1, 2)))
show("date fields of datetime", ext.date_fields(dt_class(2024, 7, 14, 23)))
show("date fields subclass", ext.date_fields(MyDate(1987, 6, 5)))
show("datetime fields", ext.datetime_fields(dt_class(2020, 1, 2, 3, 4, 5, 999999)))
show("datetime fields tz", ext.datetime_fields(dt_class(2020, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc)))
show("datetime fields fold", ext.datetime_fields(dt_class(2020, 11, 1, 1, 30, fold=1, tzinfo=MyTZ())))
show("datetime fields subclass", ext.datetime_fields(MyDateTime(2020, 1, 2, 3, 4, 5, 6)))
show("time fields", ext.time_fields(time(23, 59, 58, 123456)))
show("time fields tz fold", ext.time_fields(time(1, 2, 3, 4, timezone(timedelta(hours=-5), "EST"), fold=1)))
show("time fields subclass", ext.time_fields(MyTime(4, 5, 6, 7, fold=1)))
show("delta fields", ext.delta_fields(timedelta(days=3, hours=4, microseconds=5)))
show("delta fields negative", ext.delta_fields(timedelta(microseconds=-1)))
show("delta fields negative days", ext.delta_fields(timedelta(days=-3, seconds=-7)))
show("delta fields max", ext.delta_fields(timedelta.max))
show("delta fields min", ext.delta_fields(timedelta.min))
show("delta fields subclass", ext.delta_fields(MyDelta(days=2, seconds=3)))
tz = MyTZ()
show("tzinfo identity datetime", ext.tzinfo_identity(dt_class(2020, 1, 1, tzinfo=tz), tz))
show("tzinfo identity time", ext.tzinfo_identity(time(tzinfo=tz), tz))
show("date tzinfo", ext.date_tzinfo(date(2020, 1, 1)))
show("date tzinfo subclass", ext.date_tzinfo(MyDate(2020, 1, 1)))
show("tzinfo identity none", ext.tzinfo_identity(dt_class(2020, 1, 1), None))

# --- constructor macros -------------------------------------------------------
show("PyDate_FromDate", ext.date_from_date(2000, 2, 29))
err("PyDate_FromDate month 13", ext.date_from_date, 2020, 13, 1)
err("PyDate_FromDate month 0", ext.date_from_date, 2020, 0, 1)
err("PyDate_FromDate year 0", ext.date_from_date, 0, 1, 1)
err("PyDate_FromDate year 10000", ext.date_from_date, 10000, 1, 1)
err("PyDate_FromDate feb 29 1900", ext.date_from_date, 1900, 2, 29)
err("PyDate_FromDate day 0", ext.date_from_date, 2020, 4, 0)
err("PyDate_FromDate apr 31", ext.date_from_date, 2020, 4, 31)
show("PyDateTime_FromDateAndTime", ext.datetime_from_date_and_time(2020, 1, 2, 3, 4, 5, 6))
err("PyDateTime_FromDateAndTime hour 24", ext.datetime_from_date_and_time, 2020, 1, 2, 24, 0, 0, 0)
err("PyDateTime_FromDateAndTime minute 60", ext.datetime_from_date_and_time, 2020, 1, 2, 0, 60, 0, 0)
err("PyDateTime_FromDateAndTime second -1", ext.datetime_from_date_and_time, 2020, 1, 2, 0, 0, -1, 0)
err("PyDateTime_FromDateAndTime usecond 1e6", ext.datetime_from_date_and_time, 2020, 1, 2, 0, 0, 0, 1000000)
err("PyDateTime_FromDateAndTime day 32", ext.datetime_from_date_and_time, 2020, 1, 32, 0, 0, 0, 0)
r = ext.datetime_from_date_and_time_and_fold(2020, 1, 2, 3, 4, 5, 6, 1)
show("PyDateTime_FromDateAndTimeAndFold", (r, r.fold))
err("PyDateTime_FromDateAndTimeAndFold fold 2", ext.datetime_from_date_and_time_and_fold, 2020, 1, 2, 3, 4, 5, 6, 2)
show("PyTime_FromTime", ext.time_from_time(23, 59, 59, 999999))
err("PyTime_FromTime hour -1", ext.time_from_time, -1, 0, 0, 0)
r = ext.time_from_time_and_fold(1, 2, 3, 4, 1)
show("PyTime_FromTimeAndFold", (r, r.fold))
err("PyTime_FromTimeAndFold fold -1", ext.time_from_time_and_fold, 1, 2, 3, 4, -1)
show("PyDelta_FromDSU", ext.delta_from_dsu(1, 2, 3))
show("PyDelta_FromDSU normalise seconds", ext.delta_from_dsu(0, -1, 0))
show("PyDelta_FromDSU normalise usec", ext.delta_from_dsu(0, 0, -1))
show("PyDelta_FromDSU normalise big", ext.delta_from_dsu(1, 100000, 3000000))
show("PyDelta_FromDSU normalise all negative", ext.delta_from_dsu(-1, -86401, -1000001))
show("PyDelta_FromDSU max", ext.delta_from_dsu(999999999, 86399, 999999))
show("PyDelta_FromDSU min", ext.delta_from_dsu(-999999999, 0, 0))
err("PyDelta_FromDSU overflow", ext.delta_from_dsu, 1000000000, 0, 0)
err("PyDelta_FromDSU overflow by seconds", ext.delta_from_dsu, 999999999, 86400, 0)
err("PyDelta_FromDSU underflow", ext.delta_from_dsu, -999999999, -1, 0)
show("PyDelta_FromDSU fields", ext.delta_fields(ext.delta_from_dsu(0, -1, -1)))

# --- time zones -----------------------------------------------------------------
show("UTC from zero", ext.utc_from_zero(timedelta(0)))
tz5 = ext.timezone_from_offset(timedelta(hours=5, minutes=30))
show("PyTimeZone_FromOffset", (tz5, type(tz5) is timezone, tz5.tzname(None)))
neg = ext.timezone_from_offset(timedelta(hours=-23, minutes=-59))
show("PyTimeZone_FromOffset negative", neg)
sub = ext.timezone_from_offset(timedelta(seconds=1, microseconds=5))
show("PyTimeZone_FromOffset sub-minute", sub.utcoffset(None))
named = ext.timezone_from_offset_and_name(timedelta(hours=-5), "EST")
show("PyTimeZone_FromOffsetAndName", (named, named.tzname(None)))
named_zero = ext.timezone_from_offset_and_name(timedelta(0), "Zero")
show("PyTimeZone_FromOffsetAndName zero", (named_zero, named_zero.tzname(None)))
err("PyTimeZone_FromOffset 24h", ext.timezone_from_offset, timedelta(hours=24))
err("PyTimeZone_FromOffset -24h", ext.timezone_from_offset, timedelta(hours=-24))
err("PyTimeZone_FromOffsetAndName 2 days", ext.timezone_from_offset_and_name, timedelta(days=2), "X")

# --- timestamps ---------------------------------------------------------------------
show("PyDateTime_FromTimestamp", ext.datetime_from_timestamp(0) == dt_class.fromtimestamp(0))
show("PyDateTime_FromTimestamp tz", ext.datetime_from_timestamp(86400.5, timezone.utc))
show("PyDateTime_FromTimestamp tz=None", ext.datetime_from_timestamp(3600, None) == dt_class.fromtimestamp(3600))
show("PyDate_FromTimestamp", ext.date_from_timestamp(1e9) == date.fromtimestamp(1e9))
err("PyDateTime_FromTimestamp no args", ext.datetime_from_timestamp)
err("PyDateTime_FromTimestamp 3 args", ext.datetime_from_timestamp, 1, None, 3)
err("PyDateTime_FromTimestamp str", ext.datetime_from_timestamp, "x", message=False)
err("PyDateTime_FromTimestamp bad tz", ext.datetime_from_timestamp, 0, 5, message=False)
err("PyDate_FromTimestamp no args", ext.date_from_timestamp)
err("PyDate_FromTimestamp 2 args", ext.date_from_timestamp, 1, 2)
err("PyDate_FromTimestamp str", ext.date_from_timestamp, "x", message=False)
r = ext.api_datetime_from_timestamp(dt_class, (0,), {"tz": timezone.utc})
show("DateTime_FromTimestamp kwargs", r)
err("DateTime_FromTimestamp bad kwarg", ext.api_datetime_from_timestamp, dt_class, (0,), {"zone": None})
r = ext.api_datetime_from_timestamp(MyDateTime, (0, timezone.utc), None)
show("DateTime_FromTimestamp subclass", (type(r).__name__, r.year, r.minute))
r = ext.api_datetime_from_timestamp(WithFromTimestamp, (0, timezone.utc), None)
show("DateTime_FromTimestamp bypasses override", (type(r).__name__, r.year))
r = ext.api_date_from_timestamp(MyDate, (0,))
show("Date_FromTimestamp subclass", (type(r).__name__, r.month))

# --- table entries with a type and a tzinfo ----------------------------------------
r = ext.api_date(2020, 5, 6, MyDate)
show("Date_FromDate subclass", (type(r).__name__, ext.date_fields(r), r.month))
r = ext.api_datetime(2020, 5, 6, 7, 8, 9, 10, tz, -1, MyDateTime)
show("DateTime_FromDateAndTime subclass", (type(r).__name__, r.tzinfo is tz, hasattr(r, "initialised")))
show("DateTime_FromDateAndTime subclass fields", ext.datetime_fields(r))
r = ext.api_datetime(2020, 5, 6, 7, 8, 9, 10, tz, 1, dt_class)
show("DateTime_FromDateAndTimeAndFold tz", (r, r.fold, r.utcoffset()))
err("DateTime_FromDateAndTime bad tzinfo", ext.api_datetime, 2020, 5, 6, 7, 8, 9, 10, 5, -1, dt_class)
err("DateTime_FromDateAndTime bad tzinfo class", ext.api_datetime, 2020, 5, 6, 7, 8, 9, 10, MyDate(1, 1, 1), 0,
    dt_class)
err("DateTime_FromDateAndTime date before tzinfo", ext.api_datetime, 2020, 13, 6, 7, 8, 9, 10, 5, 0, dt_class)
err("DateTime_FromDateAndTime time before tzinfo", ext.api_datetime, 2020, 1, 6, 7, 80, 9, 10, 5, 0, dt_class)
r = ext.api_time(1, 2, 3, 4, tz, -1, MyTime)
show("Time_FromTime subclass", (type(r).__name__, r.tzinfo is tz, ext.time_fields(r)))
r = ext.api_time(1, 2, 3, 4, timezone.utc, 1, time)
show("Time_FromTimeAndFold", (r, r.fold))
err("Time_FromTime bad tzinfo", ext.api_time, 1, 2, 3, 4, "UTC", -1, time)
r = ext.api_delta(-1, 0, 0, MyDelta)
show("Delta_FromDelta subclass", (type(r).__name__, ext.delta_fields(r), r.days))

# A subclass's own __new__: not run by the constructors (CPython allocates
# directly), run by the timestamp ones (they call the class).
r = ext.api_date(2020, 1, 2, NewDate)
show("Date_FromDate with __new__", (type(r).__name__, r))
r = ext.api_datetime(2020, 1, 2, 3, 4, 5, 6, None, 1, NewDateTime)
show("DateTime_FromDateAndTimeAndFold with __new__", (type(r).__name__, r, r.fold))
r = ext.api_date_from_timestamp(NewDate, (0,))
show("Date_FromTimestamp with __new__", (type(r).__name__, r))
r = ext.api_datetime_from_timestamp(NewDateTime, (0, timezone.utc), None)
show("DateTime_FromTimestamp with __new__", (type(r).__name__, r))

# --- references -----------------------------------------------------------------------
show("fresh refcounts", ext.fresh_refcounts())

# --- the struct fields ---------------------------------------------------------------------
import datetime as _dt

utc_plus_2 = _dt.timezone(_dt.timedelta(hours=2))
for value in [_dt.datetime(2024, 2, 29, 23, 59, 58, 765432, fold=1), _dt.datetime(1, 1, 1, tzinfo=utc_plus_2),
              _dt.date(9999, 12, 31), _dt.time(1, 2, 3, 456789, tzinfo=_dt.timezone.utc),
              _dt.time(23, 0, fold=1), _dt.timedelta(days=-3, seconds=7, microseconds=11), 5]:
    show(f"struct fields of {value!r}", ext.struct_fields(value))
show("tzinfo field is the tzinfo", ext.tzinfo_is(_dt.datetime(2020, 5, 1, tzinfo=utc_plus_2), utc_plus_2))


class MyTZ(_dt.tzinfo):
    def utcoffset(self, dt):
        return _dt.timedelta(hours=1)


mine = MyTZ()
show("tzinfo field of a Python tzinfo", ext.tzinfo_is(_dt.datetime(2020, 5, 1, tzinfo=mine), mine))

print("DONE")
