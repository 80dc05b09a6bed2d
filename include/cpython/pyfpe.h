/* Floating-point exception guards from older CPythons: they do nothing now,
 * but code still brackets its arithmetic with them. */
#ifndef Py_PYFPE_H
#define Py_PYFPE_H

#define PyFPE_START_PROTECT(err_string, leave_stmt)
#define PyFPE_END_PROTECT(v)

#endif
