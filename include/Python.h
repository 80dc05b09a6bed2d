/* The CPython C API as cpyext provides it for RustPython.
 *
 * Extensions are recompiled against these headers; the layer is compatible
 * at the source level, not the binary level. */
#ifndef CPYEXT_PYTHON_H
#define CPYEXT_PYTHON_H

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "patchlevel.h"
#include "pyport.h"
#include "pymath.h"
#include "cpython/pydebug.h"

/* Every object file built against these headers carries this tag in the
 * section .cpyext_abi; the loader refuses a module whose file lacks it, so a
 * module built for another Python fails to import instead of crashing. */
__attribute__((used, section(".cpyext_abi"))) static const char _cpyext_abi_tag[] = CPYEXT_ABI_TAG;

#include "typeslots.h"
#include "object.h"
#include "objimpl.h"
#include "pymem.h"
#include "methodobject.h"
#include "descrobject.h"
#include "moduleobject.h"
#include "modsupport.h"
#include "longobject.h"
#include "boolobject.h"
#include "floatobject.h"
#include "unicodeobject.h"
#include "bytesobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "sliceobject.h"
#include "pyerrors.h"
#include "abstract.h"
#include "fileobject.h"
#include "cpython/initconfig.h"
#include "cpython/pytime.h"
#include "compile.h"
#include "import.h"
#include "ceval.h"
#include "pystate.h"
#include "pythread.h"
#include "pythonrun.h"
#include "pylifecycle.h"
#include "sysmodule.h"
#include "osmodule.h"
#include "intrcheck.h"
#include "pystrcmp.h"
#include "pyctype.h"
#include "warnings.h"
#include "weakrefobject.h"
#include "complexobject.h"
#include "rangeobject.h"
#include "funcobject.h"
#include "classobject.h"
#include "memoryobject.h"
#include "pycapsule.h"
#include "cellobject.h"
#include "code.h"
#include "frameobject.h"
#include "traceback.h"
#include "genobject.h"
#include "enumobject.h"
#include "iterobject.h"
#include "bltinmodule.h"
#include "fileutils.h"
#include "tracemalloc.h"

#endif
