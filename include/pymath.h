/* pymath.h: floating-point constants and tests, as C99's <math.h> gives them. */
#ifndef CPYEXT_PYMATH_H
#define CPYEXT_PYMATH_H

#include <math.h>

#define Py_HUGE_VAL HUGE_VAL
#define Py_INFINITY ((double)INFINITY)
#define Py_NAN ((double)NAN)

#define Py_IS_NAN(X) isnan(X)
#define Py_IS_INFINITY(X) isinf(X)
#define Py_IS_FINITE(X) isfinite(X)

#endif
