/* pymath.h: floating-point constants and tests, as C99's <math.h> gives them. */
#ifndef Py_PYMATH_H
#define Py_PYMATH_H

#include <math.h>

/* pi, e and tau to more digits than a long double holds. */
#ifndef Py_MATH_PIl
#define Py_MATH_PIl 3.14159265358979323846264338327950288L
#endif
#ifndef Py_MATH_PI
#define Py_MATH_PI 3.14159265358979323846
#endif
#ifndef Py_MATH_El
#define Py_MATH_El 2.71828182845904523536028747135266250L
#endif
#ifndef Py_MATH_E
#define Py_MATH_E 2.71828182845904523536
#endif
#ifndef Py_MATH_TAU
#define Py_MATH_TAU 6.28318530717958647692528676655900577L
#endif

#ifndef Py_HUGE_VAL
#define Py_HUGE_VAL HUGE_VAL
#endif
#define Py_INFINITY ((double)INFINITY)
#ifndef Py_NAN
#define Py_NAN (__builtin_nan(""))
#endif

#define Py_IS_NAN(X) isnan(X)
#define Py_IS_INFINITY(X) isinf(X)
#define Py_IS_FINITE(X) isfinite(X)

#endif
