/* Some extensions include this header by its CPython path; its declarations
 * are part of <Python.h>, through "longobject.h". */
#include "Python.h"
