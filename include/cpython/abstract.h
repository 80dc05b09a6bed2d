/* Some extensions include this header by its CPython path; its declarations
 * are part of <Python.h>, through "abstract.h". */
#include "Python.h"
