/* Some extensions include this header by its CPython path; its declarations
 * are part of <Python.h>, through "sysmodule.h". */
#include "Python.h"
