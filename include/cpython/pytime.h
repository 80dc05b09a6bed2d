/* Time stamps as a count of nanoseconds (CPython's private clock API). */
#ifndef Py_PYTIME_H
#define Py_PYTIME_H

#include <stdint.h>

typedef int64_t _PyTime_t;
#define _SIZEOF_PYTIME_T 8
#define _PyTime_MIN INT64_MIN
#define _PyTime_MAX INT64_MAX

typedef enum {
    _PyTime_ROUND_FLOOR = 0,
    _PyTime_ROUND_CEILING = 1,
    _PyTime_ROUND_HALF_EVEN = 2,
    _PyTime_ROUND_UP = 3,
    _PyTime_ROUND_TIMEOUT = _PyTime_ROUND_UP
} _PyTime_round_t;

#endif
