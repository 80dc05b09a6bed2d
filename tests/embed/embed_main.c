/* A C program that embeds the interpreter, CPython's way: a built-in module
   of its own (inittab), Python run from strings and code objects, a Python
   function called from C, four C threads taking the GIL, an extension
   module imported, errors printed, and the interpreter finalized. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <stdio.h>

static PyObject *
hello(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString("hello from the program's own module");
}

static PyMethodDef host_methods[] = {
    {"hello", hello, METH_NOARGS, NULL},
    {NULL},
};

static struct PyModuleDef host_module = {PyModuleDef_HEAD_INIT, "embhost", NULL, -1, host_methods};

static PyObject *
PyInit_embhost(void)
{
    return PyModule_Create(&host_module);
}

static PyObject *results;   /* a Python list the threads append to */

static void *
worker(void *arg)
{
    long n = (long)arg;
    for (int i = 0; i < 250; i++) {
        PyGILState_STATE state = PyGILState_Ensure();
        PyObject *item = PyLong_FromLong(n);
        if (item == NULL || PyList_Append(results, item) < 0)
            PyErr_Print();
        Py_XDECREF(item);
        PyGILState_Release(state);
    }
    return NULL;
}

int
main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (PyImport_AppendInittab("embhost", PyInit_embhost) < 0)
        return 1;
    printf("before: initialized %d\n", Py_IsInitialized());
    printf("stream encoding set: %d\n", Py_SetStandardStreamEncoding("latin-1", "backslashreplace"));
    Py_Initialize();
    printf("after: initialized %d, GIL held %d\n", Py_IsInitialized(), PyGILState_Check());
    printf("stream encoding once started: %d\n", Py_SetStandardStreamEncoding("utf-8", NULL));
    PyRun_SimpleString("import codecs, sys\n"
                       "print('streams', codecs.lookup(sys.stdin.encoding).name, sys.stdin.errors,\n"
                       "      codecs.lookup(sys.stdout.encoding).name, sys.stdout.errors)\n");

    PyRun_SimpleString(
        "import sys, embhost\n"
        "print('argv', sys.argv)\n"
        "print(embhost.hello())\n"
        "print('embhost built in', 'embhost' in sys.builtin_module_names)\n");

    /* A Python function called from C, its result read in C. */
    PyObject *json = PyImport_ImportModule("json");
    PyObject *data = Py_BuildValue("{s:[i,d,s],s:O}", "numbers", 1, 2.5, "three", "none", Py_None);
    PyObject *text = json && data ? PyObject_CallMethod(json, "dumps", "(O)", data) : NULL;
    if (text == NULL)
        PyErr_Print();
    else
        printf("json.dumps -> %s\n", PyUnicode_AsUTF8(text));
    Py_XDECREF(text);
    Py_XDECREF(data);
    Py_XDECREF(json);

    /* PyRun_String, Py_CompileString and PyEval_EvalCode on a dict of ours. */
    PyObject *globals = PyDict_New();
    PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    PyObject *value = PyRun_String("sum(range(10))", Py_eval_input, globals, globals);
    printf("PyRun_String -> %ld\n", value ? PyLong_AsLong(value) : -1L);
    Py_XDECREF(value);
    PyObject *code = Py_CompileString("answer = 6 * 7", "<embedded>", Py_file_input);
    PyObject *done = code ? PyEval_EvalCode(code, globals, globals) : NULL;
    PyObject *answer = PyDict_GetItemString(globals, "answer");
    printf("PyEval_EvalCode -> %ld\n", answer ? PyLong_AsLong(answer) : -1L);
    Py_XDECREF(done);
    Py_XDECREF(code);
    Py_DECREF(globals);

    /* An error: the traceback is printed and the result is -1. */
    fflush(stdout);
    int rc = PyRun_SimpleString("def fail():\n    return 1 / 0\nfail()\n");
    printf("PyRun_SimpleString of an error -> %d\n", rc);
    PyObject *missing = PyImport_ImportModule("no_such_module_here");
    printf("import of a missing module -> %s\n", missing ? "module" : "NULL");
    if (missing == NULL) {
        PyObject *type, *val, *tb;
        PyErr_Fetch(&type, &val, &tb);
        printf("  raised %s\n", ((PyTypeObject *)type)->tp_name);
        Py_XDECREF(type);
        Py_XDECREF(val);
        Py_XDECREF(tb);
    }

    /* Four C threads take the GIL with PyGILState while the main thread
       has released it. */
    results = PyList_New(0);
    PyThreadState *saved = PyEval_SaveThread();
    printf("released: GIL held %d\n", PyGILState_Check());
    pthread_t threads[4];
    for (long i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, worker, (void *)(i + 1));
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    PyEval_RestoreThread(saved);
    PyObject *total = PyObject_CallFunctionObjArgs(PyDict_GetItemString(PyEval_GetBuiltins(), "sum"), results, NULL);
    printf("threads: %zd items, sum %ld\n", PyList_GET_SIZE(results), total ? PyLong_AsLong(total) : -1L);
    Py_XDECREF(total);
    Py_CLEAR(results);

    /* An extension module built with the README's recipe. */
    PyRun_SimpleString(
        "try:\n"
        "    import list_ext\n"
        "    print('extension', list_ext.build_in_place(3, False))\n"
        "except ImportError as e:\n"
        "    print('extension not importable:', e)\n");

    PyRun_SimpleString("import atexit\natexit.register(print, 'atexit handler ran')\n");
    int status = Py_FinalizeEx();
    printf("Py_FinalizeEx -> %d, initialized %d\n", status, Py_IsInitialized());
    return 0;
}
