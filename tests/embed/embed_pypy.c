/* A program written for PyPy's embedding interface (PyPy.h): start-up, the
   home directory, Python source run from C with a pointer handed over as
   `c_argument`, a second thread, and an error. */
#include <PyPy.h>
#include <pthread.h>
#include <stdio.h>

struct shared {
    double result;
    char text[32];
};

static const char fill_source[] =
    "import ctypes\n"
    "class Shared(ctypes.Structure):\n"
    "    _fields_ = [('result', ctypes.c_double), ('text', ctypes.c_char * 32)]\n"
    "shared = Shared.from_address(c_argument)\n"
    "shared.result = sum(x / 4 for x in range(10))\n"
    "shared.text = b'written by Python'\n";

static void *
thread_main(void *arg)
{
    pypy_thread_attach();
    int res = pypy_execute_source("import threading\n"
                                  "print('from a C thread:', threading.current_thread() is not threading.main_thread())\n");
    printf("thread execute -> %d\n", res);
    return NULL;
}

int
main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    rpython_startup_code();
    printf("setup_home(NULL) -> %d\n", pypy_setup_home(NULL, 0));
    printf("setup_home -> %d\n", pypy_setup_home("/opt/embedded/lib/libpypy-c.so", 1));
    pypy_init_threads();

    int res = pypy_execute_source("import sys\nprint('hello from Python, executable', sys.executable)\n");
    printf("execute -> %d\n", res);

    struct shared shared = {0};
    res = pypy_execute_source_ptr((char *)fill_source, &shared);
    printf("execute_ptr -> %d: result %g, text '%s'\n", res, shared.result, shared.text);

    res = pypy_execute_source("def greet():\n    return 'defined in an earlier run'\n"
                              "import sys\nsys.greet = greet\n");
    res = pypy_execute_source("import sys\nprint(sys.greet())\n");
    printf("later run -> %d\n", res);

    pthread_t thread;
    pthread_create(&thread, NULL, thread_main, NULL);
    pthread_join(thread, NULL);

    fflush(stdout);
    res = pypy_execute_source("raise ValueError('raised in embedded source')\n");
    printf("error -> %d\n", res);
    return 0;
}
