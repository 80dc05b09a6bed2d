/* CPython declares pthread stand-ins here for WebAssembly targets without
 * threads; on this platform there are none, and <Python.h> has the rest. */
#include "Python.h"
