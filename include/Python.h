/* The CPython C API as cpyext provides it for RustPython.
 *
 * Extensions are recompiled against these headers; the layer is compatible
 * at the source level, not the binary level. */
#ifndef Py_PYTHON_H
#define Py_PYTHON_H

/* Configuration first: its feature-test macros must precede every system
 * header. */
#include "patchlevel.h"
#include "pyconfig.h"
#include "pymacconfig.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "pyport.h"
_CPYEXT_BEGIN_C_DECLS
#include "pymacro.h"
#include "pymath.h"
#include "cpython/pydebug.h"

/* Every object file built against these headers carries this tag in the
 * section .cpyext_abi; the loader refuses a module whose file lacks it, so a
 * module built for another Python fails to import instead of crashing. */
#if defined(__has_attribute)
#  if __has_attribute(retain)
/* `retain` keeps the section through the linker's --gc-sections (which
 * rustc and some C builds pass). */
#    define _CPYEXT_ABI_RETAIN retain,
#  endif
#endif
#ifndef _CPYEXT_ABI_RETAIN
#  define _CPYEXT_ABI_RETAIN
#endif
__attribute__((used, _CPYEXT_ABI_RETAIN section(".cpyext_abi"))) static const char _cpyext_abi_tag[] = CPYEXT_ABI_TAG;

#include "pytypedefs.h"
#include "typeslots.h"
#include "object.h"
#include "pyhash.h"
#include "objimpl.h"
#include "pymem.h"
#include "methodobject.h"
#include "descrobject.h"
#include "moduleobject.h"
#include "modsupport.h"
#include "longobject.h"
#include "cpython/longintrepr.h"
#include "boolobject.h"
#include "floatobject.h"
#include "unicodeobject.h"
#include "bytearrayobject.h"
#include "bytesobject.h"
#include "tupleobject.h"
#include "listobject.h"
#include "dictobject.h"
#include "setobject.h"
#include "sliceobject.h"
#include "codecs.h"
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
#include "pystrtod.h"
#include "pylifecycle.h"
#include "sysmodule.h"
#include "osmodule.h"
#include "intrcheck.h"
#include "pystrcmp.h"
#include "cpython/pyfpe.h"
#include "pyctype.h"
#include "warnings.h"
#include "weakrefobject.h"
#include "structseq.h"
#include "complexobject.h"
#include "rangeobject.h"
#include "funcobject.h"
#include "classobject.h"
#include "memoryobject.h"
#include "pycapsule.h"
#include "cellobject.h"
#include "code.h"
#include "pyframe.h"
#include "frameobject.h"
#include "traceback.h"
#include "genobject.h"
#include "genericaliasobject.h"
#include "cpython/context.h"
#include "enumobject.h"
#include "iterobject.h"
#include "cpython/odictobject.h"
#include "cpython/picklebufobject.h"
#include "bltinmodule.h"
#include "fileutils.h"
#include "tracemalloc.h"

_CPYEXT_END_C_DECLS
#endif
