/* Some extensions include this header by its CPython path; its declarations
 * are part of <Python.h>, through "methodobject.h". */
#include "Python.h"
