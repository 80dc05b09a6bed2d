/* Symbol visibility for what the interpreter exports and imports. */
#ifndef Py_EXPORTS_H
#define Py_EXPORTS_H

#if defined(__GNUC__) || defined(__clang__)
#  define Py_IMPORTED_SYMBOL __attribute__((visibility("default")))
#  define Py_EXPORTED_SYMBOL __attribute__((visibility("default")))
#  define Py_LOCAL_SYMBOL __attribute__((visibility("hidden")))
#else
#  define Py_IMPORTED_SYMBOL
#  define Py_EXPORTED_SYMBOL
#  define Py_LOCAL_SYMBOL
#endif

#endif
