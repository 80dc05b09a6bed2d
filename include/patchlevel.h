/* The CPython release whose C API this layer emulates. */
#ifndef Py_PATCHLEVEL_H
#define Py_PATCHLEVEL_H
#define PY_RELEASE_LEVEL_ALPHA 0xA
#define PY_RELEASE_LEVEL_BETA 0xB
#define PY_RELEASE_LEVEL_GAMMA 0xC
#define PY_RELEASE_LEVEL_FINAL 0xF
#define PY_MAJOR_VERSION 3
#define PY_MINOR_VERSION 11
#define PY_MICRO_VERSION 0
#define PY_RELEASE_LEVEL PY_RELEASE_LEVEL_FINAL
#define PY_RELEASE_SERIAL 0
/* Build tools read this file as text. CMake's FindPython takes the first
   PY_VERSION line it finds and refuses headers whose version is not the
   interpreter's: that is the host's sys.version_info (3.14, the version of
   RustPython's standard library), so the line CMake reads says so. The
   compiler never sees it and gets 3.11's below. */
#if 0
#define PY_VERSION "3.14.0"
#endif
#define PY_VERSION "3.11.0"
#define PY_VERSION_HEX ((PY_MAJOR_VERSION << 24) | (PY_MINOR_VERSION << 16) | \
                        (PY_MICRO_VERSION << 8) | (PY_RELEASE_LEVEL << 4) | PY_RELEASE_SERIAL)
/* Lets extensions detect this layer, as PYPY_VERSION lets them detect PyPy. */
#define CPYEXT_VERSION "0.1.0"
#define CPYEXT_ABI_TAG "cpyext-abi-1"
#endif
