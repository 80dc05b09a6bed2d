/* CPython keeps its generator internals here; extensions that profile
 * generators include it (with Py_BUILD_CORE) for the frame states that
 * `gi_frame_state` takes, which internal/pycore_frame.h declares. The
 * generator structs themselves are genobject.h's. */
#ifndef Py_INTERNAL_GENOBJECT_H
#define Py_INTERNAL_GENOBJECT_H

#include "Python.h"
#include "internal/pycore_frame.h"

#endif
