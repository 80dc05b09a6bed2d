/* The digit representation of an int: |value| = sum(ob_digit[i] << (30 * i))
 * for i < |Py_SIZE|, and the sign of Py_SIZE is the sign of the value (0 for
 * zero). Proxies of ints are laid out this way. An int from _PyLong_New may be
 * filled in until it first reaches Python or another API call; after that the
 * digits are a read-only snapshot of an immutable value. */
#ifndef Py_LONGINTREPR_H
#define Py_LONGINTREPR_H

#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

#define PYLONG_BITS_IN_DIGIT 30
typedef uint32_t digit;
typedef int32_t sdigit;
typedef uint64_t twodigits;
typedef int64_t stwodigits;

#define PyLong_SHIFT 30
#define PyLong_BASE ((digit)1 << PyLong_SHIFT)
#define PyLong_MASK ((digit)(PyLong_BASE - 1))
/* The largest power of ten that fits a digit, and its exponent. */
#define _PyLong_DECIMAL_SHIFT 9
#define _PyLong_DECIMAL_BASE ((digit)1000000000)

struct _longobject {
    PyObject_VAR_HEAD
    digit ob_digit[1];
};

/* A fresh int of `size` zero digits (and Py_SIZE == size), for C to fill. */
PyAPI_FUNC(PyLongObject *) _PyLong_New(Py_ssize_t size);
PyAPI_FUNC(PyObject *) _PyLong_Copy(PyLongObject *src);

#ifdef __cplusplus
}
#endif
#endif
