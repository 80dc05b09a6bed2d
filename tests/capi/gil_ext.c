/* The GIL as extensions see it: Py_BEGIN_ALLOW_THREADS, mutual exclusion of
 * extension code, PyGILState_Check/Ensure/Release, threads made in C, and
 * callbacks into Python that start threads of their own. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

static void
sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static PyObject *
pack(Py_ssize_t n, PyObject **items)   /* steals items; NULL-safe */
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (items[i] == NULL) {
            for (Py_ssize_t j = 0; j < n; j++)
                Py_XDECREF(items[j]);
            return NULL;
        }
    }
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        for (Py_ssize_t j = 0; j < n; j++)
            Py_DECREF(items[j]);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
}

static PyObject *
or_none(PyObject *o)   /* steals o; NULL becomes None */
{
    return o != NULL ? o : Py_NewRef(Py_None);
}

/* --- Py_BEGIN_ALLOW_THREADS ------------------------------------------------ */

static PyObject *
sleep_released(PyObject *self, PyObject *arg)
{
    long ms = PyLong_AsLong(arg);
    if (ms == -1 && PyErr_Occurred())
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    sleep_ms(ms);
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(ms);
}

/* --- mutual exclusion: read, sleep with the GIL held, write ---------------- */

static long counter = 0;

static PyObject *
counter_step(PyObject *self, PyObject *unused)
{
    long seen = counter;
    sleep_ms(2);
    counter = seen + 1;
    Py_RETURN_NONE;
}

static PyObject *
counter_get(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(counter);
}

static PyObject *
counter_reset(PyObject *self, PyObject *unused)
{
    counter = 0;
    Py_RETURN_NONE;
}

/* --- PyGILState_Check ------------------------------------------------------ */

static PyObject *
check_in_call(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(PyGILState_Check());
}

static PyObject *
check_saved(PyObject *self, PyObject *unused)
{
    PyThreadState *ts = PyEval_SaveThread();
    int inside = PyGILState_Check();
    PyEval_RestoreThread(ts);
    int after = PyGILState_Check();
    PyObject *items[3] = {PyLong_FromLong(inside), PyLong_FromLong(after),
                          PyBool_FromLong(ts != NULL)};
    return pack(3, items);
}

static PyObject *
thread_state_get(PyObject *self, PyObject *unused)
{
    PyThreadState *a = PyThreadState_Get();
    PyThreadState *b = PyThreadState_GET();
    PyObject *items[2] = {PyBool_FromLong(a != NULL), PyBool_FromLong(a == b)};
    return pack(2, items);
}

/* Ensure on a thread that already holds the GIL. */
static PyObject *
ensure_while_held(PyObject *self, PyObject *unused)
{
    PyGILState_STATE s = PyGILState_Ensure();
    int c1 = PyGILState_Check();
    PyObject *made = PyLong_FromLong(12345);   /* made inside, used after */
    PyGILState_Release(s);
    int c2 = PyGILState_Check();
    PyObject *items[4] = {PyBool_FromLong(s == PyGILState_LOCKED), PyLong_FromLong(c1),
                          PyLong_FromLong(c2), made};
    return pack(4, items);
}

/* --- a thread made in C calls a Python callback ---------------------------- */

struct job {
    PyObject *callback;       /* borrowed from the caller's argument */
    int unlocked;
    int check_in, check_released, check_back, check_after;
    PyObject *result;
    PyObject *exc_type, *exc_value, *exc_tb;
    int occurred_after_fetch;
};

static void *
job_main(void *arg)
{
    struct job *j = arg;
    PyGILState_STATE s = PyGILState_Ensure();
    j->unlocked = (s == PyGILState_UNLOCKED);
    j->check_in = PyGILState_Check();
    Py_BEGIN_ALLOW_THREADS
    j->check_released = PyGILState_Check();
    Py_END_ALLOW_THREADS
    j->check_back = PyGILState_Check();
    j->result = PyObject_CallNoArgs(j->callback);
    if (j->result == NULL) {
        PyErr_Fetch(&j->exc_type, &j->exc_value, &j->exc_tb);
        j->occurred_after_fetch = PyErr_Occurred() != NULL;
    }
    PyGILState_Release(s);
    j->check_after = PyGILState_Check();
    return NULL;
}

static PyObject *
run_in_thread(PyObject *self, PyObject *callback)
{
    struct job j = {0};
    j.callback = callback;
    pthread_t t;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pthread_create(&t, NULL, job_main, &j);
    if (rc == 0)
        pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
        return NULL;
    }
    PyObject *items[10] = {
        PyBool_FromLong(j.unlocked),
        PyLong_FromLong(j.check_in),
        PyLong_FromLong(j.check_released),
        PyLong_FromLong(j.check_back),
        PyLong_FromLong(j.check_after),
        or_none(j.result),
        or_none(j.exc_type),
        or_none(j.exc_value),
        PyBool_FromLong(j.exc_tb != NULL),
        PyBool_FromLong(j.occurred_after_fetch),
    };
    Py_XDECREF(j.exc_tb);
    return pack(10, items);
}

/* --- nested Ensure on a thread made in C ----------------------------------- */

struct nested {
    int s1_unlocked, s2_locked;
    int c1, c2, c3, c4;
    long inner_value;
    PyObject *kept;
};

static void *
nested_main(void *arg)
{
    struct nested *n = arg;
    PyGILState_STATE s1 = PyGILState_Ensure();
    n->c1 = PyGILState_Check();
    PyGILState_STATE s2 = PyGILState_Ensure();
    n->c2 = PyGILState_Check();
    PyObject *inner = PyLong_FromLong(777777);   /* made at the inner level */
    PyObject *lst = PyList_New(0);
    PyList_Append(lst, inner);
    PyGILState_Release(s2);
    n->c3 = PyGILState_Check();
    n->inner_value = PyLong_AsLong(inner);          /* still valid at the outer level */
    Py_DECREF(inner);
    n->kept = lst;                                  /* survives the last Release */
    PyGILState_Release(s1);
    n->c4 = PyGILState_Check();
    n->s1_unlocked = (s1 == PyGILState_UNLOCKED);
    n->s2_locked = (s2 == PyGILState_LOCKED);
    return NULL;
}

static PyObject *
nested_in_thread(PyObject *self, PyObject *unused)
{
    struct nested n = {0};
    pthread_t t;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pthread_create(&t, NULL, nested_main, &n);
    if (rc == 0)
        pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
        return NULL;
    }
    PyObject *items[8] = {
        PyBool_FromLong(n.s1_unlocked), PyBool_FromLong(n.s2_locked),
        PyLong_FromLong(n.c1), PyLong_FromLong(n.c2), PyLong_FromLong(n.c3),
        PyLong_FromLong(n.c4), PyLong_FromLong(n.inner_value), or_none(n.kept),
    };
    return pack(8, items);
}

/* --- several C threads append to one list ---------------------------------- */

#define MAX_THREADS 16

struct appender {
    PyObject *list;    /* borrowed: the caller keeps it alive */
    long base, count;
    int failures;
};

static void *
appender_main(void *arg)
{
    struct appender *a = arg;
    for (long i = 0; i < a->count; i++) {
        PyGILState_STATE s = PyGILState_Ensure();
        PyObject *o = PyLong_FromLong(a->base + i);
        if (o == NULL || PyList_Append(a->list, o) < 0) {
            a->failures++;
            PyErr_Clear();
        }
        Py_XDECREF(o);
        PyGILState_Release(s);
    }
    return NULL;
}

static struct appender async_jobs[MAX_THREADS];
static pthread_t async_threads[MAX_THREADS];
static long async_started = 0;
static PyObject *async_list = NULL;

static int
parse_append_args(PyObject *const *args, Py_ssize_t nargs, long *nthreads, long *count)
{
    if (nargs != 3 || !PyList_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "expected (list, nthreads, count)");
        return -1;
    }
    *nthreads = PyLong_AsLong(args[1]);
    *count = PyLong_AsLong(args[2]);
    if (PyErr_Occurred())
        return -1;
    if (*nthreads < 1 || *nthreads > MAX_THREADS) {
        PyErr_SetString(PyExc_ValueError, "bad thread count");
        return -1;
    }
    return 0;
}

/* Start the threads and join them with the GIL released. */
static PyObject *
threads_append(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long nthreads, count;
    if (parse_append_args(args, nargs, &nthreads, &count) < 0)
        return NULL;
    struct appender jobs[MAX_THREADS];
    pthread_t threads[MAX_THREADS];
    long started = 0;
    Py_BEGIN_ALLOW_THREADS
    for (long i = 0; i < nthreads; i++) {
        jobs[i] = (struct appender){args[0], i * 1000, count, 0};
        if (pthread_create(&threads[i], NULL, appender_main, &jobs[i]) != 0)
            break;
        started++;
    }
    for (long i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    Py_END_ALLOW_THREADS
    int failures = 0;
    for (long i = 0; i < started; i++)
        failures += jobs[i].failures;
    PyObject *items[2] = {PyLong_FromLong(started), PyLong_FromLong(failures)};
    return pack(2, items);
}

/* Start the threads and return at once; join_async joins them later. */
static PyObject *
start_async_append(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    long nthreads, count;
    if (async_started != 0) {
        PyErr_SetString(PyExc_RuntimeError, "threads already running");
        return NULL;
    }
    if (parse_append_args(args, nargs, &nthreads, &count) < 0)
        return NULL;
    async_list = Py_NewRef(args[0]);
    for (long i = 0; i < nthreads; i++) {
        async_jobs[i] = (struct appender){async_list, 100000 + i * 1000, count, 0};
        if (pthread_create(&async_threads[i], NULL, appender_main, &async_jobs[i]) != 0)
            break;
        async_started++;
    }
    return PyLong_FromLong(async_started);
}

static PyObject *
join_async(PyObject *self, PyObject *unused)
{
    long started = async_started;
    Py_BEGIN_ALLOW_THREADS
    for (long i = 0; i < started; i++)
        pthread_join(async_threads[i], NULL);
    Py_END_ALLOW_THREADS
    int failures = 0;
    for (long i = 0; i < started; i++)
        failures += async_jobs[i].failures;
    async_started = 0;
    Py_CLEAR(async_list);
    PyObject *items[2] = {PyLong_FromLong(started), PyLong_FromLong(failures)};
    return pack(2, items);
}

/* --- C threads and Python threads share the counter ------------------------ */

struct stepper {
    long count;
};

static void *
stepper_main(void *arg)
{
    struct stepper *s = arg;
    for (long i = 0; i < s->count; i++) {
        PyGILState_STATE st = PyGILState_Ensure();
        long seen = counter;
        sleep_ms(1);
        counter = seen + 1;
        PyGILState_Release(st);
    }
    return NULL;
}

static struct stepper step_jobs[MAX_THREADS];
static pthread_t step_threads[MAX_THREADS];
static long step_started = 0;

static PyObject *
start_c_steppers(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "expected (nthreads, count)");
        return NULL;
    }
    long nthreads = PyLong_AsLong(args[0]);
    long count = PyLong_AsLong(args[1]);
    if (PyErr_Occurred())
        return NULL;
    if (nthreads < 1 || nthreads > MAX_THREADS || step_started != 0) {
        PyErr_SetString(PyExc_ValueError, "bad thread count");
        return NULL;
    }
    for (long i = 0; i < nthreads; i++) {
        step_jobs[i].count = count;
        if (pthread_create(&step_threads[i], NULL, stepper_main, &step_jobs[i]) != 0)
            break;
        step_started++;
    }
    return PyLong_FromLong(step_started);
}

static PyObject *
join_c_steppers(PyObject *self, PyObject *unused)
{
    long started = step_started;
    Py_BEGIN_ALLOW_THREADS
    for (long i = 0; i < started; i++)
        pthread_join(step_threads[i], NULL);
    Py_END_ALLOW_THREADS
    step_started = 0;
    return PyLong_FromLong(started);
}

/* --- a C thread started now, calling back into Python later ---------------- */

static struct job later_job;
static pthread_t later_thread;
static int later_running = 0;

static PyObject *
start_later(PyObject *self, PyObject *callback)
{
    if (later_running) {
        PyErr_SetString(PyExc_RuntimeError, "already running");
        return NULL;
    }
    memset(&later_job, 0, sizeof later_job);
    later_job.callback = Py_NewRef(callback);
    if (pthread_create(&later_thread, NULL, job_main, &later_job) != 0) {
        Py_CLEAR(later_job.callback);
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
        return NULL;
    }
    later_running = 1;
    Py_RETURN_NONE;
}

static PyObject *
join_later(PyObject *self, PyObject *unused)
{
    if (!later_running) {
        PyErr_SetString(PyExc_RuntimeError, "not running");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    pthread_join(later_thread, NULL);
    Py_END_ALLOW_THREADS
    later_running = 0;
    Py_CLEAR(later_job.callback);
    Py_XDECREF(later_job.exc_type);
    Py_XDECREF(later_job.exc_value);
    Py_XDECREF(later_job.exc_tb);
    PyObject *items[3] = {PyBool_FromLong(later_job.unlocked),
                          PyLong_FromLong(later_job.check_in), or_none(later_job.result)};
    return pack(3, items);
}

/* --- calling Python from C -------------------------------------------------- */

static PyObject *
call_noargs(PyObject *self, PyObject *callback)
{
    int before = PyGILState_Check();
    PyObject *r = PyObject_CallNoArgs(callback);
    int after = PyGILState_Check();
    if (r == NULL)
        return NULL;
    PyObject *items[3] = {PyLong_FromLong(before), r, PyLong_FromLong(after)};
    return pack(3, items);
}

/* Calls the callback with the GIL released around nothing in particular:
 * the callback runs between Py_BLOCK_THREADS and Py_UNBLOCK_THREADS. */
static PyObject *
call_between_blocks(PyObject *self, PyObject *callback)
{
    PyObject *r;
    Py_BEGIN_ALLOW_THREADS
    sleep_ms(1);
    Py_BLOCK_THREADS
    r = PyObject_CallNoArgs(callback);
    Py_UNBLOCK_THREADS
    sleep_ms(1);
    Py_END_ALLOW_THREADS
    return r;
}

/* --- borrowed references across a nested Ensure/Release ------------------- */

/* Make and release many fresh objects, so that freed memory is reused. */
static void
churn(long n)
{
    for (long i = 0; i < n; i++) {
        PyObject *a = PyLong_FromLong(1000003L * i + 123456789L);
        PyObject *b = PyUnicode_FromString("churn");
        PyObject *l = PyList_New(0);
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(l);
    }
}

/* In a normal call (GIL held): a value borrowed from a dict between an inner
 * PyGILState_Ensure (LOCKED) and its Release is still valid after the Release,
 * as the dict still holds it. */
static PyObject *
ensure_borrow_held(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyDict_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "expected (dict, key)");
        return NULL;
    }
    PyGILState_STATE s = PyGILState_Ensure();
    PyObject *v = PyDict_GetItem(args[0], args[1]);   /* borrowed */
    PyGILState_Release(s);
    if (v == NULL) {
        PyErr_SetString(PyExc_KeyError, "missing");
        return NULL;
    }
    churn(10000);
    PyObject *items[4] = {PyBool_FromLong(s == PyGILState_LOCKED), PyObject_Repr(v),
                          PyBool_FromLong(v == PyDict_GetItem(args[0], args[1])), Py_NewRef(v)};
    return pack(4, items);
}

struct nested_borrow {
    PyObject *dict, *key;   /* borrowed from the caller's arguments */
    PyObject *repr;         /* repr of the value, or the exception's type name */
    int failed;
};

/* On a C thread: Ensure; Ensure; borrow; Release (inner); use; Release. */
static void *
nested_borrow_main(void *arg)
{
    struct nested_borrow *n = arg;
    PyGILState_STATE s1 = PyGILState_Ensure();
    PyGILState_STATE s2 = PyGILState_Ensure();
    PyObject *v = PyDict_GetItem(n->dict, n->key);   /* borrowed */
    PyGILState_Release(s2);
    churn(10000);
    n->repr = v != NULL ? PyObject_Repr(v) : NULL;
    if (n->repr == NULL) {
        PyObject *type, *value, *tb;
        n->failed = 1;
        PyErr_Fetch(&type, &value, &tb);
        /* only the type's name: the message may carry an address */
        n->repr = type != NULL ? PyObject_GetAttrString(type, "__name__") : NULL;
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        PyErr_Clear();
    }
    PyGILState_Release(s1);
    return NULL;
}

static PyObject *
nested_borrow_in_thread(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyDict_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "expected (dict, key)");
        return NULL;
    }
    struct nested_borrow n = {args[0], args[1], NULL, 0};
    pthread_t t;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pthread_create(&t, NULL, nested_borrow_main, &n);
    if (rc == 0)
        pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
        return NULL;
    }
    PyObject *items[2] = {PyBool_FromLong(n.failed), or_none(n.repr)};
    return pack(2, items);
}

/* A capsule's pointer read with the GIL released (numpy does). */
static int capsule_target = 42;

static PyObject *
capsule_without_gil(PyObject *self, PyObject *unused)
{
    PyObject *capsule = PyCapsule_New(&capsule_target, "gil_ext.target", NULL);
    if (capsule == NULL)
        return NULL;
    void *right;
    Py_BEGIN_ALLOW_THREADS
    right = PyCapsule_GetPointer(capsule, "gil_ext.target");
    Py_END_ALLOW_THREADS
    Py_DECREF(capsule);
    return PyLong_FromLong(right == &capsule_target ? *(int *)right : -1);
}

/* C string parsing with the GIL released (numpy's fromstring does). */
static PyObject *
strtol_without_gil(PyObject *self, PyObject *unused)
{
    unsigned long u;
    long l;
    char *end_u, *end_l;
    static const char text_u[] = "9923372036854775807 rest", text_l[] = "  -0x1F!";
    Py_BEGIN_ALLOW_THREADS
    u = PyOS_strtoul(text_u, &end_u, 10);
    l = PyOS_strtol(text_l, &end_l, 16);
    Py_END_ALLOW_THREADS
    return Py_BuildValue("(knln)", u, (Py_ssize_t)(end_u - text_u), l, (Py_ssize_t)(end_l - text_l));
}

/* Character classes with the GIL released (numpy's string ufuncs). */
static PyObject *
classes_without_gil(PyObject *self, PyObject *unused)
{
    static const Py_UCS4 chars[] = {' ', 'a', 'A', '7', 0x2028, 0xE9, 0x01C5, 0x0663, 0x2167, '_'};
    char out[11] = {0};
    Py_BEGIN_ALLOW_THREADS
    for (int i = 0; i < 10; i++) {
        Py_UCS4 c = chars[i];
        int bits = Py_UNICODE_ISSPACE(c) | Py_UNICODE_ISALPHA(c) << 1 | Py_UNICODE_ISUPPER(c) << 2
                   | Py_UNICODE_ISDIGIT(c) << 3 | Py_UNICODE_ISLINEBREAK(c) << 4 | Py_UNICODE_ISTITLE(c) << 5;
        out[i] = (char)('A' + bits);
    }
    Py_END_ALLOW_THREADS
    return PyUnicode_FromString(out);
}

/* A call from C to a C function, by name, keeps the GIL as in CPython: a
   thread waiting for the GIL does not run in between. The waiter releases
   the GIL, is let go by `atomic`, and then waits for the GIL. */
static sem_t go;
static int waiter_ran;

static PyObject *
waiter(PyObject *module, PyObject *unused)
{
    Py_BEGIN_ALLOW_THREADS
    sem_wait(&go);
    Py_END_ALLOW_THREADS
    waiter_ran = 1;
    Py_RETURN_NONE;
}

static PyObject *
peek(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong(waiter_ran);
}

/* A C type whose method `peek` Cython-style code calls by name. */
static PyMethodDef peeker_methods[] = {
    {"peek", peek, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject PeekerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gil_ext.Peeker",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_methods = peeker_methods,
};

/* Calls `peek` by name three ways: a module function through
   PyObject_CallMethod and PyObject_VectorcallMethod, and a C type's method
   through PyObject_VectorcallMethod (Cython's method calls). */
static PyObject *
atomic(PyObject *module, PyObject *peeker)
{
    sem_post(&go);
    usleep(200000);  /* the waiter is now blocked on the GIL */
    PyObject *name = PyUnicode_FromString("peek");
    PyObject *first = PyObject_CallMethod(module, "peek", NULL);
    PyObject *second = first ? PyObject_VectorcallMethod(name, &module, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL) : NULL;
    PyObject *third = NULL;
    /* Many calls: each would be a chance for the waiter, were the GIL let go. */
    for (int i = 0; second != NULL && i < 2000; i++) {
        PyObject *seen = PyObject_VectorcallMethod(name, &peeker, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        if (seen == NULL || third == NULL || PyObject_IsTrue(seen)) {
            Py_XSETREF(third, seen);
            if (seen == NULL || PyObject_IsTrue(seen))
                break;
        }
        else
            Py_DECREF(seen);
    }
    Py_DECREF(name);
    if (third == NULL) {
        Py_XDECREF(first);
        Py_XDECREF(second);
        return NULL;
    }
    return Py_BuildValue("(NNN)", first, second, third);
}

/* PyObject_IsInstance of an object exactly of the type, without the GIL:
 * CPython's exact-type test touches nothing else (pycurl asserts one with
 * the GIL released). */
static PyObject *
exact_isinstance_released(PyObject *self, PyObject *obj)
{
    int result;
    PyObject *type = (PyObject *)Py_TYPE(obj);
    Py_BEGIN_ALLOW_THREADS
    result = PyObject_IsInstance(obj, type);
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(result);
}

/* PyObject_IsInstance(obj, cls) with the GIL released, for an instance of a
 * subtype of cls whose metatype is type: CPython walks the type objects
 * only (pycurl asserts one for a Python subclass of its C type). */
static PyObject *
subtype_isinstance_released(PyObject *self, PyObject *args)
{
    PyObject *obj, *cls;
    int result;
    if (!PyArg_ParseTuple(args, "OO", &obj, &cls))
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    result = PyObject_IsInstance(obj, cls);
    Py_END_ALLOW_THREADS
    return PyLong_FromLong(result);
}

static PyMethodDef methods[] = {
    {"exact_isinstance_released", exact_isinstance_released, METH_O, NULL},
    {"subtype_isinstance_released", subtype_isinstance_released, METH_VARARGS, NULL},
    {"waiter", waiter, METH_NOARGS, NULL},
    {"peek", peek, METH_NOARGS, NULL},
    {"atomic", atomic, METH_O, NULL},
    {"classes_without_gil", classes_without_gil, METH_NOARGS, NULL},
    {"strtol_without_gil", strtol_without_gil, METH_NOARGS, NULL},
    {"capsule_without_gil", capsule_without_gil, METH_NOARGS, NULL},
    {"sleep_released", sleep_released, METH_O, NULL},
    {"counter_step", counter_step, METH_NOARGS, NULL},
    {"counter_get", counter_get, METH_NOARGS, NULL},
    {"counter_reset", counter_reset, METH_NOARGS, NULL},
    {"check_in_call", check_in_call, METH_NOARGS, NULL},
    {"check_saved", check_saved, METH_NOARGS, NULL},
    {"thread_state_get", thread_state_get, METH_NOARGS, NULL},
    {"ensure_while_held", ensure_while_held, METH_NOARGS, NULL},
    {"run_in_thread", run_in_thread, METH_O, NULL},
    {"nested_in_thread", nested_in_thread, METH_NOARGS, NULL},
    {"threads_append", (PyCFunction)(void (*)(void))threads_append, METH_FASTCALL, NULL},
    {"start_async_append", (PyCFunction)(void (*)(void))start_async_append, METH_FASTCALL, NULL},
    {"join_async", join_async, METH_NOARGS, NULL},
    {"start_c_steppers", (PyCFunction)(void (*)(void))start_c_steppers, METH_FASTCALL, NULL},
    {"join_c_steppers", join_c_steppers, METH_NOARGS, NULL},
    {"start_later", start_later, METH_O, NULL},
    {"join_later", join_later, METH_NOARGS, NULL},
    {"call_noargs", call_noargs, METH_O, NULL},
    {"call_between_blocks", call_between_blocks, METH_O, NULL},
    {"ensure_borrow_held", (PyCFunction)(void (*)(void))ensure_borrow_held, METH_FASTCALL, NULL},
    {"nested_borrow_in_thread", (PyCFunction)(void (*)(void))nested_borrow_in_thread,
     METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "gil_ext", "GIL tests.", -1, methods,
};

PyMODINIT_FUNC
PyInit_gil_ext(void)
{
    sem_init(&go, 0, 0);
    if (PyType_Ready(&PeekerType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m != NULL && PyModule_AddObjectRef(m, "Peeker", (PyObject *)&PeekerType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
