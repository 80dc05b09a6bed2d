/* Some extensions include this header by its CPython path; its declarations
 * are part of <Python.h>, through "code.h". */
#include "Python.h"
