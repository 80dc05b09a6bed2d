/* Some extensions include this header by its CPython path; its declarations
 * are part of <Python.h>, through "complexobject.h". */
#include "Python.h"
