/* pystate.h, ceval.h and pythread.h: interpreter and thread states, the
 * recursion guard, the running frame, code evaluation, pending calls,
 * threads started in C, locks with timeouts, thread-specific storage. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>

/* --- interpreter state ------------------------------------------------------ */

static PyObject *
interp_facts(PyObject *self, PyObject *unused)
{
    PyInterpreterState *interp = PyInterpreterState_Get();
    PyThreadState *ts = PyThreadState_Get();
    PyObject *d1 = PyInterpreterState_GetDict(interp);
    PyObject *d2 = PyInterpreterState_GetDict(interp);
    return Py_BuildValue("{s:i,s:i,s:i,s:L,s:i,s:i,s:O}",
                         "main", interp == PyInterpreterState_Main(),
                         "head", interp == PyInterpreterState_Head(),
                         "next is NULL", PyInterpreterState_Next(interp) == NULL,
                         "id", (long long)PyInterpreterState_GetID(interp),
                         "tstate interp", PyThreadState_GetInterpreter(ts) == interp && ts->interp == interp,
                         "same dict", d1 == d2 && d1 != NULL,
                         "dict is a dict", PyDict_Check(d1) ? Py_True : Py_False);
}

static PyObject *
interp_dict(PyObject *self, PyObject *unused)
{
    return Py_NewRef(PyInterpreterState_GetDict(PyInterpreterState_Get()));
}

/* --- thread state ------------------------------------------------------------- */

static PyObject *
tstate_facts(PyObject *self, PyObject *unused)
{
    PyThreadState *ts = PyThreadState_Get();
    return Py_BuildValue("{s:i,s:i,s:i,s:k,s:k,s:i}",
                         "GET macro", PyThreadState_GET() == ts,
                         "unchecked", _PyThreadState_UncheckedGet() == ts,
                         "gilstate", PyGILState_GetThisThreadState() == ts,
                         "thread_id", ts->thread_id,
                         "native_thread_id", ts->native_thread_id,
                         "gil held", PyGILState_Check());
}

static PyObject *
tstate_id(PyObject *self, PyObject *unused)
{
    return PyLong_FromUnsignedLongLong(PyThreadState_GetID(PyThreadState_Get()));
}

/* thread_dict_set(key, value): stores in this thread's dict */
static PyObject *
thread_dict_set(PyObject *self, PyObject *args)
{
    PyObject *key, *value;
    if (!PyArg_ParseTuple(args, "OO", &key, &value))
        return NULL;
    PyObject *dict = PyThreadState_GetDict();
    if (dict == NULL || PyDict_SetItem(dict, key, value) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
thread_dict_get(PyObject *self, PyObject *key)
{
    PyObject *dict = PyThreadState_GetDict();
    PyObject *found = PyDict_GetItemWithError(dict, key);
    if (found == NULL && PyErr_Occurred())
        return NULL;
    return Py_BuildValue("(Oi)", found ? found : Py_None, PyThreadState_Get()->dict == dict);
}

/* the code name of the frame PyThreadState_GetFrame and PyEval_GetFrame see */
static PyObject *
frame_names(PyObject *self, PyObject *unused)
{
    PyFrameObject *frame = PyThreadState_GetFrame(PyThreadState_Get());
    if (frame == NULL)
        return NULL;
    PyObject *code = PyObject_GetAttrString((PyObject *)frame, "f_code");
    Py_DECREF(frame);
    if (code == NULL)
        return NULL;
    PyObject *name = PyObject_GetAttrString(code, "co_name");
    Py_DECREF(code);
    PyObject *borrowed = (PyObject *)PyEval_GetFrame();
    PyObject *code2 = PyObject_GetAttrString(borrowed, "f_code");
    PyObject *name2 = code2 ? PyObject_GetAttrString(code2, "co_name") : NULL;
    Py_XDECREF(code2);
    return Py_BuildValue("(NN)", name, name2);
}

/* (globals, locals) of the calling Python frame */
static PyObject *
caller_namespaces(PyObject *self, PyObject *unused)
{
    PyObject *globals = PyEval_GetGlobals();
    PyObject *locals = PyEval_GetLocals();
    if (locals == NULL)
        return NULL;
    return Py_BuildValue("(OO)", globals, locals);
}

/* SaveThread gives back this thread's state; ReleaseThread/AcquireThread too */
static PyObject *
release_and_take(PyObject *self, PyObject *unused)
{
    PyThreadState *ts = PyThreadState_Get();
    PyThreadState *saved = PyEval_SaveThread();
    int same = saved == ts;
    int held_inside = PyGILState_Check();
    PyEval_RestoreThread(saved);
    PyEval_ReleaseThread(ts);
    PyEval_AcquireThread(ts);
    return Py_BuildValue("(iii)", same, held_inside, PyGILState_Check());
}

/* the deprecated lock functions, and swapping the state out and back */
static PyObject *
swap_and_lock(PyObject *self, PyObject *unused)
{
    PyThreadState *ts = PyThreadState_Get();
    PyEval_ReleaseLock();
    int released = 1;   /* CPython's PyGILState_Check looks at the thread state here, not the lock */
    PyEval_AcquireLock();
    int again = PyGILState_Check();
    PyThreadState *old = PyThreadState_Swap(NULL);
    int none_current = _PyThreadState_UncheckedGet() == NULL;
    PyThreadState *back = PyThreadState_Swap(old);
    return Py_BuildValue("(iiiiii)", released, again, old == ts, none_current, back == NULL,
                         _PyThreadState_UncheckedGet() == ts);
}

/* --- the recursion guard -------------------------------------------------------- */

static int depth_reached;

static int
recurse(int depth)
{
    if (Py_EnterRecursiveCall(" in the C recursion test"))
        return -1;
    depth_reached = depth;
    int rc = depth < 100000 ? recurse(depth + 1) : 0;
    Py_LeaveRecursiveCall();
    return rc;
}

static PyObject *
recursion(PyObject *self, PyObject *unused)
{
    depth_reached = 0;
    if (recurse(1) < 0)
        return NULL;
    return PyLong_FromLong(depth_reached);
}

static PyObject *
last_depth(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(depth_reached);
}

/* enter/leave balanced n times: no error, limit unchanged */
static PyObject *
recursion_balanced(PyObject *self, PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    for (long i = 0; i < n; i++) {
        if (Py_EnterRecursiveCall(""))
            return NULL;
        Py_LeaveRecursiveCall();
    }
    return PyLong_FromLong(Py_GetRecursionLimit());
}

static PyObject *
set_recursion_limit(PyObject *self, PyObject *arg)
{
    Py_SetRecursionLimit((int)PyLong_AsLong(arg));
    return PyLong_FromLong(Py_GetRecursionLimit());
}

/* --- function names ------------------------------------------------------------ */

static PyObject *
func_name(PyObject *self, PyObject *arg)
{
    return Py_BuildValue("(ss)", PyEval_GetFuncName(arg), PyEval_GetFuncDesc(arg));
}

/* --- evaluating code ------------------------------------------------------------- */

static PyObject *
eval_code(PyObject *self, PyObject *args)
{
    PyObject *code, *globals, *locals = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &code, &globals, &locals))
        return NULL;
    return PyEval_EvalCode(code, globals, locals ? locals : globals);
}

/* eval_code_ex(code, globals, args tuple, kwargs dict, defaults tuple, kwdefaults, closure) */
static PyObject *
eval_code_ex(PyObject *self, PyObject *args)
{
    PyObject *code, *globals, *pos, *kw, *defs, *kwdefs, *closure;
    if (!PyArg_ParseTuple(args, "OOO!O!O!OO", &code, &globals, &PyTuple_Type, &pos, &PyDict_Type, &kw,
                          &PyTuple_Type, &defs, &kwdefs, &closure))
        return NULL;
    Py_ssize_t nkw = PyDict_Size(kw);
    PyObject **kws = PyMem_Calloc(2 * nkw + 1, sizeof(PyObject *));
    Py_ssize_t pos_i = 0, i = 0;
    PyObject *k, *v;
    while (PyDict_Next(kw, &pos_i, &k, &v)) {
        kws[i++] = k;
        kws[i++] = v;
    }
    PyObject *result = PyEval_EvalCodeEx(code, globals, NULL,
                                         &PyTuple_GET_ITEM(pos, 0), (int)PyTuple_GET_SIZE(pos),
                                         kws, (int)nkw,
                                         &PyTuple_GET_ITEM(defs, 0), (int)PyTuple_GET_SIZE(defs),
                                         kwdefs == Py_None ? NULL : kwdefs,
                                         closure == Py_None ? NULL : closure);
    PyMem_Free(kws);
    return result;
}

static PyObject *
call_object_with_keywords(PyObject *self, PyObject *args)
{
    PyObject *callable, *a, *k;
    if (!PyArg_ParseTuple(args, "OOO", &callable, &a, &k))
        return NULL;
    return PyEval_CallObjectWithKeywords(callable, a == Py_None ? NULL : a, k == Py_None ? NULL : k);
}

static PyObject *
call_function(PyObject *self, PyObject *callable)
{
    PyObject *one = PyEval_CallFunction(callable, "is", 1, "two");
    PyObject *none = PyEval_CallFunction(callable, NULL);
    PyObject *tuple = PyEval_CallFunction(callable, "(ii)", 3, 4);
    return Py_BuildValue("(NNN)", one, none, tuple);
}

static PyObject *
call_method(PyObject *self, PyObject *args)
{
    PyObject *obj;
    const char *name;
    if (!PyArg_ParseTuple(args, "Os", &obj, &name))
        return NULL;
    return PyEval_CallMethod(obj, name, "(i)", 7);
}

static PyObject *
merge_flags(PyObject *self, PyObject *arg)
{
    PyCompilerFlags cf = {(int)PyLong_AsLong(arg), PY_MINOR_VERSION};
    int result = PyEval_MergeCompilerFlags(&cf);
    return Py_BuildValue("(ii)", result, cf.cf_flags);
}

/* --- pending calls ---------------------------------------------------------- */

static int pending_runs;

static int
pending_ok(void *arg)
{
    pending_runs += (int)(intptr_t)arg;
    return 0;
}

static int
pending_fails(void *arg)
{
    PyErr_SetString(PyExc_ValueError, "pending call failed");
    return -1;
}

/* queue n calls (plus a failing one if asked), run them; -> (runs, status) */
static PyObject *
pending(PyObject *self, PyObject *args)
{
    int n, fail;
    if (!PyArg_ParseTuple(args, "ip", &n, &fail))
        return NULL;
    pending_runs = 0;
    for (int i = 0; i < n; i++)
        if (Py_AddPendingCall(pending_ok, (void *)(intptr_t)(i + 1)) < 0)
            return PyLong_FromLong(-100);
    if (fail)
        Py_AddPendingCall(pending_fails, NULL);
    int status = Py_MakePendingCalls();
    if (status < 0)
        return NULL;
    return Py_BuildValue("(ii)", pending_runs, status);
}

/* --- threads started in C ------------------------------------------------------- */

static PyThread_type_lock done_lock;
static PyObject *thread_results;

static void
c_thread(void *arg)
{
    PyGILState_STATE state = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    PyObject *entry = Py_BuildValue("(lii)", (long)(intptr_t)arg,
                                    PyThread_get_thread_ident() == ts->thread_id,
                                    PyGILState_GetThisThreadState() == ts);
    PyList_Append(thread_results, entry);
    Py_XDECREF(entry);
    PyGILState_Release(state);
    PyThread_release_lock(done_lock);
}

static PyObject *
start_c_thread(PyObject *self, PyObject *arg)
{
    if (done_lock == NULL)
        done_lock = PyThread_allocate_lock();
    Py_XSETREF(thread_results, PyList_New(0));
    PyThread_acquire_lock(done_lock, WAIT_LOCK);
    unsigned long ident = PyThread_start_new_thread(c_thread, (void *)(intptr_t)PyLong_AsLong(arg));
    if (ident == PYTHREAD_INVALID_THREAD_ID)
        return PyErr_Format(PyExc_RuntimeError, "no thread");
    Py_BEGIN_ALLOW_THREADS
    PyThread_acquire_lock(done_lock, WAIT_LOCK);
    Py_END_ALLOW_THREADS
    PyThread_release_lock(done_lock);
    return Py_BuildValue("(Oi)", thread_results, ident != PyThread_get_thread_ident());
}

/* --- thread states made with PyThreadState_New -------------------------------------
   pybind11's gil_scoped_acquire on a thread made in C: a new state, taken with
   PyEval_AcquireThread, ended with PyThreadState_Clear + DeleteCurrent. */

static PyInterpreterState *main_interp;
static PyObject *new_state_callable;

static void
new_state_thread(void *arg)
{
    long round = (long)(intptr_t)arg;
    int had_none = PyGILState_GetThisThreadState() == NULL;
    PyThreadState *ts = PyThreadState_New(main_interp);
    int noted = PyGILState_GetThisThreadState() == ts;
    PyEval_AcquireThread(ts);
    int current = PyThreadState_Get() == ts && PyGILState_Check();
    PyObject *value = PyObject_CallFunction(new_state_callable, "l", round);
    /* let go in the middle, as gil_scoped_release does */
    PyThreadState *saved = PyEval_SaveThread();
    int released = !PyGILState_Check() && saved == ts;
    PyEval_RestoreThread(saved);
    /* nested PyGILState_Ensure on the same state */
    PyGILState_STATE g = PyGILState_Ensure();
    int nested = g == PyGILState_LOCKED && PyThreadState_Get() == ts;
    PyGILState_Release(g);
    PyObject *entry = Py_BuildValue("(liiiiiN)", round, had_none, noted, current, released, nested,
                                    value ? value : (PyErr_Clear(), Py_NewRef(Py_None)));
    PyList_Append(thread_results, entry);
    Py_XDECREF(entry);
    PyThreadState_Clear(ts);
    PyThreadState_DeleteCurrent();
    int gone = PyGILState_GetThisThreadState() == NULL;
    /* the thread can still come back the ordinary way */
    PyGILState_STATE again = PyGILState_Ensure();
    PyObject *after = Py_BuildValue("(si)", "gone, then ensured", gone && PyThreadState_Get() != NULL);
    PyList_Append(thread_results, after);
    Py_XDECREF(after);
    PyGILState_Release(again);
    PyThread_release_lock(done_lock);
}

/* A state made on the calling thread for a worker made in C, which takes it
   with PyEval_RestoreThread and gives it back with PyEval_SaveThread; the
   maker deletes it after the worker is done. */
static PyThreadState *handed_state;

static void
handed_state_thread(void *arg)
{
    PyEval_RestoreThread(handed_state);
    PyObject *value = PyObject_CallFunction(new_state_callable, "s", "handed");
    PyObject *entry = Py_BuildValue("(siN)", "handed", PyThreadState_Get() == handed_state,
                                    value ? value : (PyErr_Clear(), Py_NewRef(Py_None)));
    PyList_Append(thread_results, entry);
    Py_XDECREF(entry);
    PyThreadState *back = PyEval_SaveThread();
    (void)back;
    PyThread_release_lock(done_lock);
}

static int
run_c_thread(void (*func)(void *), void *arg)
{
    if (done_lock == NULL)
        done_lock = PyThread_allocate_lock();
    PyThread_acquire_lock(done_lock, WAIT_LOCK);
    if (PyThread_start_new_thread(func, arg) == PYTHREAD_INVALID_THREAD_ID) {
        PyThread_release_lock(done_lock);
        PyErr_SetString(PyExc_RuntimeError, "no thread");
        return -1;
    }
    Py_BEGIN_ALLOW_THREADS
    PyThread_acquire_lock(done_lock, WAIT_LOCK);
    Py_END_ALLOW_THREADS
    PyThread_release_lock(done_lock);
    return 0;
}

static PyObject *
new_thread_states(PyObject *self, PyObject *callable)
{
    main_interp = PyThreadState_Get()->interp;
    Py_XSETREF(new_state_callable, Py_NewRef(callable));
    Py_XSETREF(thread_results, PyList_New(0));
    for (long round = 1; round <= 2; round++)
        if (run_c_thread(new_state_thread, (void *)(intptr_t)round) < 0)
            return NULL;
    /* handed to another thread */
    handed_state = PyThreadState_New(main_interp);
    int listed = 0;
    for (PyThreadState *p = PyInterpreterState_ThreadHead(main_interp); p; p = PyThreadState_Next(p))
        listed += p == handed_state;
    int still_mine = PyThreadState_Get() != handed_state;
    if (run_c_thread(handed_state_thread, NULL) < 0)
        return NULL;
    PyThreadState_Clear(handed_state);
    PyThreadState_Delete(handed_state);
    int unlisted = 1;
    for (PyThreadState *p = PyInterpreterState_ThreadHead(main_interp); p; p = PyThreadState_Next(p))
        unlisted &= p != handed_state;
    /* swapped in and out on this thread while holding the GIL */
    PyThreadState *mine = PyThreadState_Get();
    PyThreadState *extra = PyThreadState_New(main_interp);
    PyThreadState *old = PyThreadState_Swap(extra);
    int swapped = old == mine && PyThreadState_Get() == extra && extra->interp == main_interp;
    PyObject *inside = PyObject_CallFunction(callable, "s", "swapped");
    PyThreadState_Swap(old);
    int restored = PyThreadState_Get() == mine;
    PyThreadState_Clear(extra);
    PyThreadState_Delete(extra);
    return Py_BuildValue("(OiiiiiN)", thread_results, listed, still_mine, unlisted, swapped, restored,
                         inside ? inside : (PyErr_Clear(), Py_NewRef(Py_None)));
}

/* Berkeley DB's workers: a thread made in C takes a new state, calls
   Python, releases the GIL with PyEval_ReleaseThread and ends still
   owning its state, which nobody deletes. */
static PyObject *kept_state_result;

static void
kept_state_thread(void *arg)
{
    PyThreadState *ts = PyThreadState_New(main_interp);
    PyEval_AcquireThread(ts);
    kept_state_result = PyObject_CallFunction(new_state_callable, "s", "kept");
    if (kept_state_result == NULL)
        PyErr_Clear();
    PyEval_ReleaseThread(ts);
    PyThread_release_lock(done_lock);
}

static PyObject *
thread_keeps_state(PyObject *self, PyObject *callable)
{
    main_interp = PyThreadState_Get()->interp;
    Py_XSETREF(new_state_callable, Py_NewRef(callable));
    if (run_c_thread(kept_state_thread, NULL) < 0)
        return NULL;
    PyObject *result = kept_state_result ? kept_state_result : Py_NewRef(Py_None);
    kept_state_result = NULL;
    return result;
}

static PyObject *
thread_idents(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(kk)", PyThread_get_thread_ident(), PyThread_get_thread_native_id());
}

static PyObject *
timed_locks(PyObject *self, PyObject *unused)
{
    PyThread_type_lock lock = PyThread_allocate_lock();
    int first = PyThread_acquire_lock_timed(lock, 1000, 0);
    int busy = PyThread_acquire_lock_timed(lock, 2000, 0);
    int busy_nowait = PyThread_acquire_lock(lock, NOWAIT_LOCK);
    PyThread_release_lock(lock);
    int again = PyThread_acquire_lock_timed(lock, -1, 0);
    PyThread_release_lock(lock);
    PyThread_free_lock(lock);
    return Py_BuildValue("(iiiii)", first, busy, busy_nowait, again, PY_TIMEOUT_MAX > 0);
}

static PyObject *
stack_sizes(PyObject *self, PyObject *unused)
{
    size_t start = PyThread_get_stacksize();
    int tiny = PyThread_set_stacksize(100);
    int big = PyThread_set_stacksize(1 << 20);
    size_t now = PyThread_get_stacksize();
    int reset = PyThread_set_stacksize(0);
    return Py_BuildValue("(niinin)", (Py_ssize_t)start, tiny, big, (Py_ssize_t)now, reset,
                         (Py_ssize_t)PyThread_get_stacksize());
}

static PyObject *
thread_info(PyObject *self, PyObject *unused)
{
    PyThread_init_thread();
    return PyThread_GetInfo();
}

/* --- thread-specific storage ---------------------------------------------------- */

static Py_tss_t tss_key = Py_tss_NEEDS_INIT;
static int old_key = -1;

static PyObject *
tss_setup(PyObject *self, PyObject *unused)
{
    int before = PyThread_tss_is_created(&tss_key);
    int created = PyThread_tss_create(&tss_key);
    int twice = PyThread_tss_create(&tss_key);
    if (old_key == -1)
        old_key = PyThread_create_key();
    return Py_BuildValue("(iiiii)", before, created, twice, PyThread_tss_is_created(&tss_key), old_key != -1);
}

/* tss_set(n): both keys hold n for this thread */
static PyObject *
tss_set(PyObject *self, PyObject *arg)
{
    intptr_t n = PyLong_AsLong(arg);
    int a = PyThread_tss_set(&tss_key, (void *)n);
    int b = PyThread_set_key_value(old_key, (void *)n);
    return Py_BuildValue("(ii)", a, b);
}

static PyObject *
tss_get(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(ll)", (long)(intptr_t)PyThread_tss_get(&tss_key),
                         (long)(intptr_t)PyThread_get_key_value(old_key));
}

static PyObject *
tss_teardown(PyObject *self, PyObject *unused)
{
    PyThread_delete_key_value(old_key);
    void *cleared = PyThread_get_key_value(old_key);
    PyThread_delete_key(old_key);
    old_key = -1;
    PyThread_tss_delete(&tss_key);
    int after = PyThread_tss_is_created(&tss_key);
    PyThread_tss_delete(&tss_key);   /* a second delete is harmless */
    Py_tss_t *dynamic = PyThread_tss_alloc();
    int dyn_before = PyThread_tss_is_created(dynamic);
    int dyn_create = PyThread_tss_create(dynamic);
    PyThread_tss_set(dynamic, (void *)5);
    long dyn_value = (long)(intptr_t)PyThread_tss_get(dynamic);
    PyThread_tss_free(dynamic);
    PyThread_ReInitTLS();
    return Py_BuildValue("(iiiil)", cleared == NULL, after, dyn_before, dyn_create, dyn_value);
}

/* --- fork callbacks ---------------------------------------------------------------- */

static PyObject *
fork_callbacks(PyObject *self, PyObject *unused)
{
    PyOS_BeforeFork();
    PyOS_AfterFork_Parent();
    Py_RETURN_NONE;
}

/* --- a C thread's state kept after the thread ends, then cleared and
 * deleted by another thread (as cffi does) --------------------------------- */

static PyThreadState *kept_state;

static void
keeping_thread(void *arg)
{
    PyGILState_STATE state = PyGILState_Ensure();
    kept_state = PyThreadState_Get();
    kept_state->gilstate_counter++;   /* keeps CPython from deleting it at Release */
    PyDict_SetItemString(PyThreadState_GetDict(), "cpyext_kept", (PyObject *)arg);
    PyGILState_Release(state);
    PyThread_release_lock(done_lock);
}

static PyObject *
keep_thread_state(PyObject *self, PyObject *value)
{
    if (done_lock == NULL)
        done_lock = PyThread_allocate_lock();
    PyThread_acquire_lock(done_lock, WAIT_LOCK);
    PyThread_start_new_thread(keeping_thread, value);
    Py_BEGIN_ALLOW_THREADS
    PyThread_acquire_lock(done_lock, WAIT_LOCK);
    Py_END_ALLOW_THREADS
    PyThread_release_lock(done_lock);
    Py_RETURN_NONE;
}

static PyObject *
clear_kept_state(PyObject *self, PyObject *unused)
{
    PyThreadState_Clear(kept_state);
    int dict_gone = kept_state->dict == NULL;
    PyThreadState_Delete(kept_state);
    kept_state = NULL;
    return PyLong_FromLong(dict_gone);
}

/* --- the list of thread states ------------------------------------------------ */

static PyObject *
thread_list(PyObject *self, PyObject *unused)
{
    PyObject *ids = PyList_New(0);
    for (PyThreadState *ts = PyInterpreterState_ThreadHead(PyInterpreterState_Get()); ts != NULL;
         ts = PyThreadState_Next(ts)) {
        PyObject *id = PyLong_FromUnsignedLong(ts->thread_id);
        PyList_Append(ids, id);
        Py_DECREF(id);
    }
    return ids;
}

/* --- C trace and profile functions ------------------------------------------------ */

static int
tracer(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    PyObject *code = PyObject_GetAttrString((PyObject *)frame, "f_code");
    if (code == NULL)
        return -1;
    PyObject *name = PyObject_GetAttrString(code, "co_name");
    Py_DECREF(code);
    if (name == NULL)
        return -1;
    int rc = 0;
    if (PyUnicode_CompareWithASCIIString(name, "traced_fails") == 0 && what == PyTrace_LINE) {
        PyErr_SetString(PyExc_RuntimeError, "the tracer refused a line");
        rc = -1;
    }
    else if (PyUnicode_CompareWithASCIIString(name, "traced_function") == 0 ||
             PyUnicode_CompareWithASCIIString(name, "traced_fails") == 0 ||
             PyUnicode_CompareWithASCIIString(name, "traced_swapping") == 0) {
        PyObject *entry = Py_BuildValue("(iO)", what, name);
        rc = PyList_Append(obj, entry);
        Py_DECREF(entry);
    }
    Py_DECREF(name);
    return rc;
}

static PyObject *
set_trace(PyObject *self, PyObject *obj)
{
    if (obj == Py_None)
        PyEval_SetTrace(NULL, NULL);
    else
        PyEval_SetTrace(tracer, obj);
    Py_RETURN_NONE;
}

static PyObject *
set_profile(PyObject *self, PyObject *obj)
{
    if (obj == Py_None)
        PyEval_SetProfile(NULL, NULL);
    else
        PyEval_SetProfile(tracer, obj);
    Py_RETURN_NONE;
}

/* calls `callable` with the C tracers suspended */
static PyObject *
untraced_call(PyObject *self, PyObject *callable)
{
    PyThreadState *ts = PyThreadState_Get();
    PyThreadState_EnterTracing(ts);
    int inside = ts->tracing;
    PyObject *result = PyObject_CallNoArgs(callable);
    PyThreadState_LeaveTracing(ts);
    if (result == NULL)
        return NULL;
    return Py_BuildValue("(Nii)", result, inside, ts->tracing);
}

static PyMethodDef methods[] = {
    {"thread_keeps_state", thread_keeps_state, METH_O, NULL},
    {"untraced_call", untraced_call, METH_O},
    {"thread_list", thread_list, METH_NOARGS},
    {"keep_thread_state", keep_thread_state, METH_O},
    {"clear_kept_state", clear_kept_state, METH_NOARGS},
    {"set_trace", set_trace, METH_O},
    {"set_profile", set_profile, METH_O},
    {"interp_facts", interp_facts, METH_NOARGS},
    {"interp_dict", interp_dict, METH_NOARGS},
    {"tstate_facts", tstate_facts, METH_NOARGS},
    {"tstate_id", tstate_id, METH_NOARGS},
    {"thread_dict_set", thread_dict_set, METH_VARARGS},
    {"thread_dict_get", thread_dict_get, METH_O},
    {"frame_names", frame_names, METH_NOARGS},
    {"caller_namespaces", caller_namespaces, METH_NOARGS},
    {"release_and_take", release_and_take, METH_NOARGS},
    {"swap_and_lock", swap_and_lock, METH_NOARGS},
    {"recursion", recursion, METH_NOARGS},
    {"last_depth", last_depth, METH_NOARGS},
    {"recursion_balanced", recursion_balanced, METH_O},
    {"set_recursion_limit", set_recursion_limit, METH_O},
    {"func_name", func_name, METH_O},
    {"eval_code", eval_code, METH_VARARGS},
    {"eval_code_ex", eval_code_ex, METH_VARARGS},
    {"call_object_with_keywords", call_object_with_keywords, METH_VARARGS},
    {"call_function", call_function, METH_O},
    {"call_method", call_method, METH_VARARGS},
    {"merge_flags", merge_flags, METH_O},
    {"pending", pending, METH_VARARGS},
    {"start_c_thread", start_c_thread, METH_O},
    {"new_thread_states", new_thread_states, METH_O},
    {"thread_idents", thread_idents, METH_NOARGS},
    {"timed_locks", timed_locks, METH_NOARGS},
    {"stack_sizes", stack_sizes, METH_NOARGS},
    {"thread_info", thread_info, METH_NOARGS},
    {"tss_setup", tss_setup, METH_NOARGS},
    {"tss_set", tss_set, METH_O},
    {"tss_get", tss_get, METH_NOARGS},
    {"tss_teardown", tss_teardown, METH_NOARGS},
    {"fork_callbacks", fork_callbacks, METH_NOARGS},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "interp_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_interp_ext(void)
{
    return PyModule_Create(&module);
}
