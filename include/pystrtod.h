/* Locale-independent conversions between double and text. */
#ifndef Py_STRTOD_H
#define Py_STRTOD_H

/* Parses a float from the start of str (no leading whitespace). With endptr
 * NULL the whole string must be a float; otherwise *endptr is left after the
 * part parsed. Errors give -1.0 with ValueError; a value too large gives
 * overflow_exception, or +-Py_HUGE_VAL when that is NULL. */
PyAPI_FUNC(double) PyOS_string_to_double(const char *str, char **endptr, PyObject *overflow_exception);

/* Formats val by format_code 'e', 'E', 'f', 'F', 'g', 'G' (with precision)
 * or 'r' (repr; precision must be 0). The result is PyMem_Malloc'ed (free it
 * with PyMem_Free); *type (if not NULL) gets a Py_DTST_* value. */
PyAPI_FUNC(char *) PyOS_double_to_string(double val, char format_code, int precision, int flags, int *type);

/* Parses str(obj)'s text with single underscores allowed between digits,
 * then calls innerfunc on the text without them; `what` names the target
 * type in the ValueError. */
PyAPI_FUNC(PyObject *) _Py_string_to_number_with_underscores(
    const char *str, Py_ssize_t len, const char *what, PyObject *obj, void *arg,
    PyObject *(*innerfunc)(const char *, Py_ssize_t, void *));
/* "inf", "infinity" or "nan" (any case, optional sign) at p; -1.0 and
 * *endptr == p when there is none. */
PyAPI_FUNC(double) _Py_parse_inf_or_nan(const char *p, char **endptr);

/* Flags of PyOS_double_to_string. */
#define Py_DTSF_SIGN 0x01      /* a '+' for non-negative values */
#define Py_DTSF_ADD_DOT_0 0x02 /* ".0" after an integral result */
#define Py_DTSF_ALT 0x04       /* the '#' form: keep the point and zeros */
#define Py_DTSF_NO_NEG_0 0x08  /* "-0" after rounding becomes "0" */

/* What PyOS_double_to_string reports in *type. */
#define Py_DTST_FINITE 0
#define Py_DTST_INFINITE 1
#define Py_DTST_NAN 2

#endif
