/* Some extensions include this header by its CPython path; its declarations
 * are part of <Python.h>, through "pyerrors.h". */
#include "Python.h"
