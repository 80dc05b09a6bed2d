/* DTrace/SystemTap probes. This layer has no probes (as CPython built without
 * --with-dtrace): every probe does nothing and reports itself disabled. */
#ifndef Py_DTRACE_H
#define Py_DTRACE_H

static inline void PyDTrace_LINE(const char *file, const char *func, int line) { (void)file; (void)func; (void)line; }
static inline void PyDTrace_FUNCTION_ENTRY(const char *file, const char *func, int line) { (void)file; (void)func; (void)line; }
static inline void PyDTrace_FUNCTION_RETURN(const char *file, const char *func, int line) { (void)file; (void)func; (void)line; }
static inline void PyDTrace_GC_START(int generation) { (void)generation; }
static inline void PyDTrace_GC_DONE(Py_ssize_t collected) { (void)collected; }
static inline void PyDTrace_INSTANCE_NEW_START(int unused) { (void)unused; }
static inline void PyDTrace_INSTANCE_NEW_DONE(int unused) { (void)unused; }
static inline void PyDTrace_INSTANCE_DELETE_START(int unused) { (void)unused; }
static inline void PyDTrace_INSTANCE_DELETE_DONE(int unused) { (void)unused; }
static inline void PyDTrace_IMPORT_FIND_LOAD_START(const char *module) { (void)module; }
static inline void PyDTrace_IMPORT_FIND_LOAD_DONE(const char *module, int found) { (void)module; (void)found; }
static inline void PyDTrace_AUDIT(const char *event, void *args) { (void)event; (void)args; }

static inline int PyDTrace_LINE_ENABLED(void) { return 0; }
static inline int PyDTrace_FUNCTION_ENTRY_ENABLED(void) { return 0; }
static inline int PyDTrace_FUNCTION_RETURN_ENABLED(void) { return 0; }
static inline int PyDTrace_GC_START_ENABLED(void) { return 0; }
static inline int PyDTrace_GC_DONE_ENABLED(void) { return 0; }
static inline int PyDTrace_INSTANCE_NEW_START_ENABLED(void) { return 0; }
static inline int PyDTrace_INSTANCE_NEW_DONE_ENABLED(void) { return 0; }
static inline int PyDTrace_INSTANCE_DELETE_START_ENABLED(void) { return 0; }
static inline int PyDTrace_INSTANCE_DELETE_DONE_ENABLED(void) { return 0; }
static inline int PyDTrace_IMPORT_FIND_LOAD_START_ENABLED(void) { return 0; }
static inline int PyDTrace_IMPORT_FIND_LOAD_DONE_ENABLED(void) { return 0; }
static inline int PyDTrace_AUDIT_ENABLED(void) { return 0; }

#endif
