/* Some extensions include this header by its CPython path; its declarations
 * are part of <Python.h>, through "bytesobject.h". */
#include "Python.h"
