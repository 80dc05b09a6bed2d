# A pthread-key destructor that calls PyGILState_Ensure and releases an
# object as its thread ends: the layer stopped the process ("internal error
# in PyGILState_Ensure"), the thread's host state being gone by then. The
# object is freed (here once the next C call ends), and its __del__ runs.
import gc
import tsdexit_ext as ext

died = []


class Canary:
    def __del__(self):
        died.append("canary")


print("destructors run:", ext.keep_until_thread_ends(Canary()))
ext.noop()
gc.collect()
print("died:", died)
print("again:", ext.keep_until_thread_ends(Canary()))
ext.noop()
gc.collect()
print("died:", died)
print("DONE")
