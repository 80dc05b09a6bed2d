/* Annotations for race detectors (ThreadSanitizer, Helgrind). Disabled in
 * this layer: every _Py_ANNOTATE_* macro expands to nothing. */
#ifndef __DYNAMIC_ANNOTATIONS_H__
#define __DYNAMIC_ANNOTATIONS_H__

#ifndef DYNAMIC_ANNOTATIONS_ENABLED
#  define DYNAMIC_ANNOTATIONS_ENABLED 0
#endif

#define _Py_ANNOTATE_CONDVAR_LOCK_WAIT(cv, lock)
#define _Py_ANNOTATE_CONDVAR_WAIT(cv)
#define _Py_ANNOTATE_CONDVAR_SIGNAL(cv)
#define _Py_ANNOTATE_CONDVAR_SIGNAL_ALL(cv)
#define _Py_ANNOTATE_HAPPENS_BEFORE(obj)
#define _Py_ANNOTATE_HAPPENS_AFTER(obj)
#define _Py_ANNOTATE_PUBLISH_MEMORY_RANGE(address, size)
#define _Py_ANNOTATE_UNPUBLISH_MEMORY_RANGE(address, size)
#define _Py_ANNOTATE_SWAP_MEMORY_RANGE(address, size)
#define _Py_ANNOTATE_PURE_HAPPENS_BEFORE_MUTEX(mu)
#define _Py_ANNOTATE_MUTEX_IS_USED_AS_CONDVAR(mu)
#define _Py_ANNOTATE_NEW_MEMORY(address, size)
#define _Py_ANNOTATE_PCQ_CREATE(pcq)
#define _Py_ANNOTATE_PCQ_DESTROY(pcq)
#define _Py_ANNOTATE_PCQ_PUT(pcq)
#define _Py_ANNOTATE_PCQ_GET(pcq)
#define _Py_ANNOTATE_BENIGN_RACE(address, description)
#define _Py_ANNOTATE_BENIGN_RACE_SIZED(address, size, description)
#define _Py_ANNOTATE_BENIGN_RACE_STATIC(static_var, description)
#define _Py_ANNOTATE_EXPECT_RACE(address, description)
#define _Py_ANNOTATE_IGNORE_READS_BEGIN()
#define _Py_ANNOTATE_IGNORE_READS_END()
#define _Py_ANNOTATE_IGNORE_WRITES_BEGIN()
#define _Py_ANNOTATE_IGNORE_WRITES_END()
#define _Py_ANNOTATE_IGNORE_READS_AND_WRITES_BEGIN()
#define _Py_ANNOTATE_IGNORE_READS_AND_WRITES_END()
#define _Py_ANNOTATE_IGNORE_SYNC_BEGIN()
#define _Py_ANNOTATE_IGNORE_SYNC_END()
#define _Py_ANNOTATE_ENABLE_RACE_DETECTION(enable)
#define _Py_ANNOTATE_TRACE_MEMORY(address)
#define _Py_ANNOTATE_THREAD_NAME(name)
#define _Py_ANNOTATE_RWLOCK_CREATE(lock)
#define _Py_ANNOTATE_RWLOCK_DESTROY(lock)
#define _Py_ANNOTATE_RWLOCK_ACQUIRED(lock, is_w)
#define _Py_ANNOTATE_RWLOCK_RELEASED(lock, is_w)
#define _Py_ANNOTATE_BARRIER_INIT(barrier, count, reinitialization_allowed)
#define _Py_ANNOTATE_BARRIER_WAIT_BEFORE(barrier)
#define _Py_ANNOTATE_BARRIER_WAIT_AFTER(barrier)
#define _Py_ANNOTATE_BARRIER_DESTROY(barrier)
#define _Py_ANNOTATE_NO_OP(arg)
#define _Py_ANNOTATE_FLUSH_STATE()
#define _Py_ANNOTATE_UNPROTECTED_READ(x) (x)

#ifdef __cplusplus
extern "C" {
#endif
void AnnotateRWLockCreate(const char *file, int line, const volatile void *lock);
void AnnotateRWLockDestroy(const char *file, int line, const volatile void *lock);
void AnnotateRWLockAcquired(const char *file, int line, const volatile void *lock, long is_w);
void AnnotateRWLockReleased(const char *file, int line, const volatile void *lock, long is_w);
void AnnotateBarrierInit(const char *file, int line, const volatile void *barrier, long count, long reinitialization_allowed);
void AnnotateBarrierWaitBefore(const char *file, int line, const volatile void *barrier);
void AnnotateBarrierWaitAfter(const char *file, int line, const volatile void *barrier);
void AnnotateBarrierDestroy(const char *file, int line, const volatile void *barrier);
void AnnotateCondVarWait(const char *file, int line, const volatile void *cv, const volatile void *lock);
void AnnotateCondVarSignal(const char *file, int line, const volatile void *cv);
void AnnotateCondVarSignalAll(const char *file, int line, const volatile void *cv);
void AnnotatePublishMemoryRange(const char *file, int line, const volatile void *address, long size);
void AnnotateUnpublishMemoryRange(const char *file, int line, const volatile void *address, long size);
void AnnotatePCQCreate(const char *file, int line, const volatile void *pcq);
void AnnotatePCQDestroy(const char *file, int line, const volatile void *pcq);
void AnnotatePCQPut(const char *file, int line, const volatile void *pcq);
void AnnotatePCQGet(const char *file, int line, const volatile void *pcq);
void AnnotateNewMemory(const char *file, int line, const volatile void *address, long size);
void AnnotateExpectRace(const char *file, int line, const volatile void *address, const char *description);
void AnnotateBenignRace(const char *file, int line, const volatile void *address, const char *description);
void AnnotateBenignRaceSized(const char *file, int line, const volatile void *address, long size, const char *description);
void AnnotateMutexIsUsedAsCondVar(const char *file, int line, const volatile void *mu);
void AnnotateTraceMemory(const char *file, int line, const volatile void *arg);
void AnnotateThreadName(const char *file, int line, const char *name);
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
void AnnotateEnableRaceDetection(const char *file, int line, int enable);
void AnnotateNoOp(const char *file, int line, const volatile void *arg);
void AnnotateFlushState(const char *file, int line);
int RunningOnValgrind(void);
#ifdef __cplusplus
}
#endif

#endif
