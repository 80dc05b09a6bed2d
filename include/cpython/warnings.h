/* Some extensions include this header by its CPython path; its declarations
 * are part of <Python.h>, through "warnings.h". */
#include "Python.h"
