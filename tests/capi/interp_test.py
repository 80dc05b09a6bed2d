import gc
import os
import sys
import threading
import weakref

import interp_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def attempt(label, f, *args):
    try:
        show(label, f(*args))
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}: {e}")


def in_thread(f, *args):
    out = []
    t = threading.Thread(target=lambda: out.append(f(*args)))
    t.start()
    t.join()
    return out[0]


# --- the interpreter -------------------------------------------------------------
show("interpreter", ext.interp_facts())
d = ext.interp_dict()
d["cpyext"] = "kept"
show("interpreter dict persists", ext.interp_dict().get("cpyext"))
show("interpreter dict from another thread", in_thread(ext.interp_dict) is d)

# --- thread states -----------------------------------------------------------------
facts = ext.tstate_facts()
show("tstate facts", {k: v for k, v in facts.items() if k not in ("thread_id", "native_thread_id")})
show("thread_id is threading.get_ident()", facts["thread_id"] == threading.get_ident())
show("native_thread_id is threading.get_native_id()", facts["native_thread_id"] == threading.get_native_id())
main_id = ext.tstate_id()
other_id = in_thread(ext.tstate_id)
show("thread state ids", (main_id == ext.tstate_id(), other_id != main_id, main_id > 0, other_id > 0))
other_facts = in_thread(ext.tstate_facts)
show("another thread's facts", (other_facts["thread_id"] != facts["thread_id"], other_facts["gil held"], other_facts["gilstate"]))

ext.thread_dict_set("answer", 42)
show("thread dict persists", ext.thread_dict_get("answer"))
show("other thread does not see it", in_thread(ext.thread_dict_get, "answer"))


def set_and_get_in_thread():
    ext.thread_dict_set("answer", "theirs")
    return ext.thread_dict_get("answer")


show("other thread's own value", in_thread(set_and_get_in_thread))
show("main value unchanged", ext.thread_dict_get("answer"))


def caller():
    return ext.frame_names()


show("frames", caller())


def namespaces(a, b=2):
    c = a + b
    return ext.caller_namespaces()


g, l = namespaces(1)
show("globals are the module's", g is globals())
show("locals", (type(l).__name__, sorted(l.items())))
show("release and take back", ext.release_and_take())
show("swap out, release, take back", ext.swap_and_lock())

# --- the recursion guard ---------------------------------------------------------------
old_limit = sys.getrecursionlimit()
show("limit seen from C", ext.recursion_balanced(10) == old_limit)
sys.setrecursionlimit(300)
try:
    ext.recursion()
    print("recursion: no error")
except RecursionError as e:
    print(f"recursion: RecursionError: {e}")
show("stopped below the limit", 200 < ext.last_depth() < 300)
show("limit unchanged after the error", (sys.getrecursionlimit(), ext.recursion_balanced(1000)))
sys.setrecursionlimit(old_limit)
show("Py_SetRecursionLimit", (ext.set_recursion_limit(1234), sys.getrecursionlimit()))
ext.set_recursion_limit(old_limit)


# --- function names -----------------------------------------------------------------
class Thing:
    def method(self):
        pass


show("function", ext.func_name(caller))
show("lambda", ext.func_name(lambda: 0))
show("builtin", ext.func_name(len))
show("bound method", ext.func_name(Thing().method))
show("builtin type", ext.func_name(int))
show("instance", ext.func_name(3.5))
show("None", ext.func_name(None))

# --- evaluating code -------------------------------------------------------------------
ns = {"x": 41}
show("eval code", ext.eval_code(compile("x + 1", "<expr>", "eval"), ns))
show("exec code", ext.eval_code(compile("y = x * 2", "<stmt>", "exec"), ns))
show("exec code effect", (ns["y"], "__builtins__" in ns))
loc = {}
ext.eval_code(compile("z = x", "<stmt>", "exec"), ns, loc)
show("separate locals", loc)
attempt("eval code error", ext.eval_code, compile("1/0", "<zero>", "eval"), {})


def target(a, b, *, c=3):
    return (a, b, c)


show("eval code ex", ext.eval_code_ex(target.__code__, globals(), (1,), {"c": 30}, (20,), None, None))
show("eval code ex kwdefaults", ext.eval_code_ex(target.__code__, globals(), (1, 2), {}, (), {"c": 9}, None))


def outer():
    v = "closed over"

    def inner():
        return v

    return inner


inner = outer()
show("eval code ex closure", ext.eval_code_ex(inner.__code__, globals(), (), {}, (), None, inner.__closure__))
attempt("eval code ex missing argument", ext.eval_code_ex, target.__code__, globals(), (), {}, (), None, None)

show("call object with keywords", ext.call_object_with_keywords(lambda *a, **k: (a, k), (1, 2), {"k": 3}))
show("call object, no arguments", ext.call_object_with_keywords(lambda *a, **k: (a, k), None, None))
attempt("call object, args not a tuple", ext.call_object_with_keywords, print, [1], None)
attempt("call object, kwargs not a dict", ext.call_object_with_keywords, print, (), [1])
show("call function", ext.call_function(lambda *a: a))
show("call method", ext.call_method([3, 1, 2], "append"))
attempt("call missing method", ext.call_method, [], "no_such_method")
show("merge flags (none)", ext.merge_flags(0))
show("merge flags (keeps given)", ext.merge_flags(0x2000))

# --- pending calls -----------------------------------------------------------------------
show("pending calls", ext.pending(3, False))
attempt("a failing pending call", ext.pending, 2, True)

# --- threads started in C ---------------------------------------------------------------
show("C thread", ext.start_c_thread(7))
seen_threads = []


def from_new_state(tag):
    seen_threads.append(threading.get_ident())
    return (tag, threading.current_thread().name.split("-")[0])


show("states from PyThreadState_New", ext.new_thread_states(from_new_state))
show("the C threads are not this one", [t != threading.get_ident() for t in seen_threads])
ident, native = ext.thread_idents()
show("idents", (ident == threading.get_ident(), native == threading.get_native_id()))
show("timed locks", ext.timed_locks())
show("stack sizes", ext.stack_sizes())
info = ext.thread_info()
show("thread info", (info == sys.thread_info, type(info).__name__))

# --- thread-specific storage ---------------------------------------------------------------
show("tss setup", ext.tss_setup())
show("tss before set", ext.tss_get())
show("tss set", ext.tss_set(11))
show("tss get", ext.tss_get())
show("other thread starts empty", in_thread(ext.tss_get))


def set_in_thread():
    ext.tss_set(22)
    return ext.tss_get()


show("other thread's own value", in_thread(set_in_thread))
show("main value unchanged", ext.tss_get())
show("tss teardown", ext.tss_teardown())

# --- the list of thread states -------------------------------------------------
ready, release = threading.Event(), threading.Event()
other = []


def live_thread():
    other.append((ext.tstate_id(), threading.get_ident()))
    ready.set()
    release.wait()


t = threading.Thread(target=live_thread)
t.start()
ready.wait()
ids = ext.thread_list()
show("this thread is listed", threading.get_ident() in ids)
show("a live thread that ran C is listed", other[0][1] in ids)
show("no duplicates", len(ids) == len(set(ids)))
release.set()
t.join()

class Marker:
    pass


marker = Marker()
gone = []
probe = weakref.ref(marker, lambda r: gone.append(True))
ext.keep_thread_state(marker)
del marker
gc.collect()
show("the dict of a finished C thread keeps its value", (probe() is not None, gone))
show("clear and delete", ext.clear_kept_state())
gc.collect()
show("the value went with the dict", (probe() is None, gone))

# --- C trace and profile functions ---------------------------------------------------


def traced_function(x):
    y = x + 1
    return y


def traced_fails():
    return 1


events = []
ext.set_trace(events)
traced_function(1)
ext.set_trace(None)
traced_function(2)
show("trace events", events)
events = []
ext.set_profile(events)
traced_function(1)
ext.set_profile(None)
show("profile events", events)
events = []
ext.set_trace(events)
attempt("a failing tracer", traced_fails)
ext.set_trace(None)
show("events before the failure", events[:1])
events = []
ext.set_profile(events)
show("untraced call", ext.untraced_call(lambda: traced_function(5)))
traced_function(6)
ext.set_profile(None)
show("profile events outside it only", events)


# A frame entered under one C tracer sends its later events to the one
# installed since, as CPython keeps one per thread.
def traced_swapping():
    ext.set_trace(swapped_in)
    x = 1
    return x


swapped_out, swapped_in = [], []
ext.set_trace(swapped_out)
traced_swapping()
ext.set_trace(None)
show("events of the tracer swapped out", swapped_out)
show("events of the tracer swapped in", swapped_in)

# --- fork callbacks -------------------------------------------------------------------
calls = []
os.register_at_fork(before=lambda: calls.append("before 1"), after_in_parent=lambda: calls.append("parent 1"),
                     after_in_child=lambda: calls.append("child"))
os.register_at_fork(before=lambda: calls.append("before 2"), after_in_parent=lambda: calls.append("parent 2"))
ext.fork_callbacks()
show("fork callbacks", calls)

# Last: the state it keeps stays listed, as in CPython.
# A C thread that ends still owning its state (released): the process goes on.
show("a thread that keeps its state", ext.thread_keeps_state(from_new_state))
import time
time.sleep(0.3)
show("after that thread ended", in_thread(lambda: "still running"))
print("DONE")
