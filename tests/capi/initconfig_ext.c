/* cpython/initconfig.h, pylifecycle.h and cpython/pydebug.h: configuration
 * structures filled and freed from C, facts about the running interpreter,
 * the legacy flags, functions run at exit. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>

static PyObject *
status_tuple(PyStatus s)
{
    return Py_BuildValue("(iiiizzi)", PyStatus_Exception(s), PyStatus_IsError(s), PyStatus_IsExit(s),
                         s.exitcode, s.func, s.err_msg, (int)s._type);
}

static PyObject *
statuses(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(NNNN)", status_tuple(PyStatus_Ok()), status_tuple(PyStatus_Error("it failed")),
                         status_tuple(PyStatus_NoMemory()), status_tuple(PyStatus_Exit(3)));
}

static PyObject *
wide_list(const PyWideStringList *list)
{
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; i < list->length; i++) {
        char *s = Py_EncodeLocale(list->items[i], NULL);
        PyObject *item = PyUnicode_FromString(s);
        PyMem_Free(s);
        PyList_Append(out, item);
        Py_DECREF(item);
    }
    return out;
}

static PyObject *
wide_str(const wchar_t *w)
{
    if (w == NULL)
        Py_RETURN_NONE;
    char *s = Py_EncodeLocale(w, NULL);
    PyObject *r = PyUnicode_FromString(s);
    PyMem_Free(s);
    return r;
}

/* The integer fields of a PyConfig, in order. */
static PyObject *
config_ints(const PyConfig *c)
{
    return Py_BuildValue(
        "[iiiiiikiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii]", c->_config_init, c->isolated, c->use_environment,
        c->dev_mode, c->install_signal_handlers, c->use_hash_seed, c->hash_seed, c->faulthandler, c->tracemalloc,
        c->import_time, c->code_debug_ranges, c->show_ref_count, c->dump_refs, c->malloc_stats, c->parse_argv,
        c->site_import, c->bytes_warning, c->warn_default_encoding, c->inspect, c->interactive,
        c->optimization_level, c->parser_debug, c->write_bytecode, c->verbose, c->quiet, c->user_site_directory,
        c->configure_c_stdio, c->buffered_stdio, c->use_frozen_modules, c->safe_path, c->pathconfig_warnings,
        c->module_search_paths_set, c->skip_source_first_line, c->_install_importlib, c->_init_main,
        c->_isolated_interpreter, c->_is_python_build, (int)c->argv.length, (int)c->xoptions.length,
        c->program_name == NULL);
}

static PyObject *
config_defaults(PyObject *self, PyObject *unused)
{
    PyConfig python, isolated;
    PyConfig_InitPythonConfig(&python);
    PyConfig_InitIsolatedConfig(&isolated);
    PyObject *r = Py_BuildValue("(NN)", config_ints(&python), config_ints(&isolated));
    PyConfig_Clear(&python);
    PyConfig_Clear(&isolated);
    return r;
}

static PyObject *
preconfig_defaults(PyObject *self, PyObject *unused)
{
    PyPreConfig p, i;
    PyPreConfig_InitPythonConfig(&p);
    PyPreConfig_InitIsolatedConfig(&i);
    return Py_BuildValue("([iiiiiiiiii][iiiiiiiiii])", p._config_init, p.parse_argv, p.isolated, p.use_environment,
                         p.configure_locale, p.coerce_c_locale, p.coerce_c_locale_warn, p.utf8_mode, p.dev_mode,
                         p.allocator, i._config_init, i.parse_argv, i.isolated, i.use_environment,
                         i.configure_locale, i.coerce_c_locale, i.coerce_c_locale_warn, i.utf8_mode, i.dev_mode,
                         i.allocator);
}

/* Fills strings and lists, reads them back, clears. */
static PyObject *
config_strings(PyObject *self, PyObject *unused)
{
    PyConfig c;
    PyConfig_InitIsolatedConfig(&c);
    PyObject *out = PyList_New(0);
    PyStatus s;

    s = PyConfig_SetString(&c, &c.program_name, L"my-program");
    PyList_Append(out, status_tuple(s));
    s = PyConfig_SetString(&c, &c.program_name, L"replaced");
    PyList_Append(out, wide_str(c.program_name));
    s = PyConfig_SetBytesString(&c, &c.home, "/opt/h\xc3\xa9me");
    PyList_Append(out, wide_str(c.home));
    s = PyConfig_SetBytesString(&c, &c.pythonpath_env, "bad\xff" "byte");
    PyObject *escaped = Py_BuildValue("(iu)", PyStatus_Exception(s), c.pythonpath_env);
    PyList_Append(out, escaped);
    Py_DECREF(escaped);
    s = PyConfig_SetString(&c, &c.home, NULL);
    PyList_Append(out, wide_str(c.home));

    wchar_t *argv[] = {L"prog", L"-x", L"arg"};
    s = PyConfig_SetArgv(&c, 3, argv);
    PyList_Append(out, wide_list(&c.argv));
    char *bargv[] = {"bytes-prog", "caf\xc3\xa9"};
    s = PyConfig_SetBytesArgv(&c, 2, bargv);
    PyList_Append(out, wide_list(&c.argv));

    wchar_t *items[] = {L"/a", L"/b"};
    s = PyConfig_SetWideStringList(&c, &c.module_search_paths, 2, items);
    c.module_search_paths_set = 1;
    PyList_Append(out, wide_list(&c.module_search_paths));
    s = PyWideStringList_Append(&c.module_search_paths, L"/c");
    s = PyWideStringList_Insert(&c.module_search_paths, 0, L"/first");
    s = PyWideStringList_Insert(&c.module_search_paths, 99, L"/last");
    s = PyWideStringList_Insert(&c.module_search_paths, 2, L"/middle");
    PyList_Append(out, wide_list(&c.module_search_paths));
    s = PyWideStringList_Insert(&c.module_search_paths, -1, L"/never");
    PyList_Append(out, status_tuple(s));
    s = PyConfig_SetWideStringList(&c, &c.warnoptions, 0, NULL);
    PyList_Append(out, wide_list(&c.warnoptions));
    PyWideStringList_Append(&c.xoptions, L"dev");

    PyConfig_Clear(&c);
    PyObject *cleared = Py_BuildValue("(iiiiOO)", c.program_name == NULL, c.home == NULL, (int)c.argv.length,
                                      (int)c.module_search_paths.length,
                                      c.argv.items == NULL ? Py_True : Py_False,
                                      c.xoptions.items == NULL ? Py_True : Py_False);
    PyList_Append(out, cleared);
    Py_DECREF(cleared);
    /* A cleared configuration can be cleared again. */
    PyConfig_Clear(&c);
    return out;
}

/* A list built from nothing, outside any PyConfig. */
static PyObject *
plain_list(PyObject *self, PyObject *unused)
{
    PyWideStringList list = {0, NULL};
    PyWideStringList_Append(&list, L"one");
    PyWideStringList_Append(&list, L"two");
    PyWideStringList_Insert(&list, 1, L"one and a half");
    PyObject *r = wide_list(&list);
    for (Py_ssize_t i = 0; i < list.length; i++)
        PyMem_RawFree(list.items[i]);
    PyMem_RawFree(list.items);
    return r;
}

static PyObject *
preinitialize(PyObject *self, PyObject *unused)
{
    PyPreConfig p;
    PyPreConfig_InitPythonConfig(&p);
    wchar_t *argv[] = {L"x"};
    char *bargv[] = {"x"};
    Py_Initialize();
    Py_InitializeEx(0);
    return Py_BuildValue("(NNNi)", status_tuple(Py_PreInitialize(&p)), status_tuple(Py_PreInitializeFromArgs(&p, 1, argv)),
                         status_tuple(Py_PreInitializeFromBytesArgs(&p, 1, bargv)), Py_IsInitialized());
}

/* --- the running interpreter ------------------------------------------------- */

static PyObject *
facts(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("{s:s,s:s,s:s,s:s,s:s,s:k,s:N,s:N,s:N,s:N,s:N,s:N}",
                         "version", Py_GetVersion(), "platform", Py_GetPlatform(), "copyright", Py_GetCopyright(),
                         "compiler", Py_GetCompiler(), "buildinfo", Py_GetBuildInfo(), "Py_Version", Py_Version,
                         "program_name", wide_str(Py_GetProgramName()),
                         "full_path", wide_str(Py_GetProgramFullPath()), "prefix", wide_str(Py_GetPrefix()),
                         "exec_prefix", wide_str(Py_GetExecPrefix()), "path", wide_str(Py_GetPath()),
                         "home", wide_str(Py_GetPythonHome()));
}

/* the setters after start-up change what the getters say */
static PyObject *
setters(PyObject *self, PyObject *unused)
{
    PyObject *r = PyList_New(0);
    PyObject *item;
#define KEEP(x) (item = (x), PyList_Append(r, item), Py_DECREF(item))
    Py_SetProgramName(L"renamed");
    KEEP(wide_str(Py_GetProgramName()));
    Py_SetPythonHome(L"/home/x");
    KEEP(wide_str(Py_GetPythonHome()));
    wchar_t *full = Py_GetProgramFullPath();
    Py_SetPath(L"/a:/b");
    KEEP(wide_str(Py_GetPath()));
    KEEP(wide_str(Py_GetPrefix()));
    KEEP(wide_str(Py_GetExecPrefix()));
    KEEP(PyBool_FromLong(Py_GetProgramFullPath() == full));
    Py_SetPythonHome(NULL);
    KEEP(wide_str(Py_GetPythonHome()));
    Py_SetProgramName(NULL);
    KEEP(wide_str(Py_GetProgramName()));
#undef KEEP
    return r;
}

static PyObject *
argc_argv(PyObject *self, PyObject *unused)
{
    int argc;
    wchar_t **argv;
    Py_GetArgcArgv(&argc, &argv);
    PyObject *out = PyList_New(0);
    for (int i = 0; i < argc; i++) {
        PyObject *item = wide_str(argv[i]);
        PyList_Append(out, item);
        Py_DECREF(item);
    }
    return out;
}

static PyObject *
flags(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "debug", Py_DebugFlag,
                         "verbose", Py_VerboseFlag, "quiet", Py_QuietFlag, "interactive", Py_InteractiveFlag,
                         "inspect", Py_InspectFlag, "optimize", Py_OptimizeFlag, "no_site", Py_NoSiteFlag,
                         "bytes_warning", Py_BytesWarningFlag, "frozen", Py_FrozenFlag, "ignore_environment",
                         Py_IgnoreEnvironmentFlag, "dont_write_bytecode", Py_DontWriteBytecodeFlag, "no_user_site",
                         Py_NoUserSiteDirectory, "unbuffered", Py_UnbufferedStdioFlag, "hash_randomization",
                         Py_HashRandomizationFlag, "isolated", Py_IsolatedFlag);
}

static PyObject *
getenv_(PyObject *self, PyObject *arg)
{
    const char *value = Py_GETENV(PyUnicode_AsUTF8(arg));
    if (value == NULL)
        Py_RETURN_NONE;
    return PyUnicode_FromString(value);
}

static void
at_exit_first(void)
{
    printf("C exit function registered first\n");
    fflush(stdout);
}

static void
at_exit_second(void)
{
    printf("C exit function registered second\n");
    fflush(stdout);
}

static PyObject *
register_at_exit(PyObject *self, PyObject *unused)
{
    int a = Py_AtExit(at_exit_first);
    int b = Py_AtExit(at_exit_second);
    return Py_BuildValue("(ii)", a, b);
}

/* _Py_IsFinalizing reads a flag: CPython allows it without the GIL, and
 * from a C atexit handler that runs after the interpreter ended (greenlet's
 * thread-state destructor). */
static void
report_finalizing_at_exit(void)
{
    printf("C atexit handler: _Py_IsFinalizing() = %d\n", _Py_IsFinalizing());
    fflush(stdout);
}

static PyObject *
finalizing_without_gil(PyObject *self, PyObject *unused)
{
    int finalizing;
    Py_BEGIN_ALLOW_THREADS
    finalizing = _Py_IsFinalizing();
    Py_END_ALLOW_THREADS
    if (atexit(report_finalizing_at_exit) != 0)
        return PyErr_NoMemory();
    return PyLong_FromLong(finalizing);
}

static PyObject *
exit_now(PyObject *self, PyObject *arg)
{
    Py_Exit((int)PyLong_AsLong(arg));
}

static PyObject *
exit_status(PyObject *self, PyObject *arg)
{
    long code = PyLong_AsLong(arg);
    if (code >= 0)
        Py_ExitStatusException(PyStatus_Exit((int)code));
    Py_ExitStatusException(PyStatus_Error("the configuration failed"));
}

static int signal_seen;

static void
on_signal(int sig)
{
    signal_seen = sig;
}

static PyObject *
signals(PyObject *self, PyObject *unused)
{
    PyOS_sighandler_t before = PyOS_getsig(SIGUSR2);
    PyOS_sighandler_t old = PyOS_setsig(SIGUSR2, on_signal);
    int installed = PyOS_getsig(SIGUSR2) == on_signal;
    raise(SIGUSR2);
    PyOS_sighandler_t ours = PyOS_setsig(SIGUSR2, old);
    return Py_BuildValue("(iiiii)", old == before, installed, signal_seen == SIGUSR2, ours == on_signal,
                         PyOS_getsig(SIGUSR2) == before);
}

/* A configuration's fields by name, for comparing with sys. */
static PyObject *
config_fields(const PyConfig *c)
{
    return Py_BuildValue(
        "{si si si si si si si si si si si si si si si si si si si si"
        " sN sN sN sN sN sN sN sN sN sN sN sN sN sN sN sN sN sN sN sN sN}",
        "_config_init", c->_config_init, "isolated", c->isolated, "use_environment", c->use_environment,
        "dev_mode", c->dev_mode, "use_hash_seed", c->use_hash_seed, "faulthandler", c->faulthandler,
        "tracemalloc", c->tracemalloc, "site_import", c->site_import, "bytes_warning", c->bytes_warning,
        "inspect", c->inspect, "interactive", c->interactive, "optimization_level", c->optimization_level,
        "write_bytecode", c->write_bytecode, "verbose", c->verbose, "quiet", c->quiet,
        "user_site_directory", c->user_site_directory, "safe_path", c->safe_path,
        "parse_argv", c->parse_argv, "module_search_paths_set", c->module_search_paths_set,
        "buffered_stdio", c->buffered_stdio,
        "argv", wide_list(&c->argv), "orig_argv", wide_list(&c->orig_argv), "xoptions", wide_list(&c->xoptions),
        "warnoptions", wide_list(&c->warnoptions), "module_search_paths", wide_list(&c->module_search_paths),
        "executable", wide_str(c->executable), "base_executable", wide_str(c->base_executable),
        "prefix", wide_str(c->prefix), "base_prefix", wide_str(c->base_prefix),
        "exec_prefix", wide_str(c->exec_prefix), "base_exec_prefix", wide_str(c->base_exec_prefix),
        "platlibdir", wide_str(c->platlibdir), "pycache_prefix", wide_str(c->pycache_prefix),
        "filesystem_encoding", wide_str(c->filesystem_encoding), "filesystem_errors", wide_str(c->filesystem_errors),
        "stdio_encoding", wide_str(c->stdio_encoding), "stdio_errors", wide_str(c->stdio_errors),
        "check_hash_pycs_mode", wide_str(c->check_hash_pycs_mode), "run_command", wide_str(c->run_command),
        "run_module", wide_str(c->run_module), "run_filename", wide_str(c->run_filename));
}

/* The running interpreter's configuration, by all three routes: the same
 * pointer twice, and a copy with the same fields. */
static PyObject *
running_config(PyObject *self, PyObject *unused)
{
    const PyConfig *live = _Py_GetConfig();
    const PyConfig *again = _PyInterpreterState_GetConfig(PyInterpreterState_Get());
    PyConfig copy;
    PyConfig_InitIsolatedConfig(&copy);
    if (_PyInterpreterState_GetConfigCopy(&copy) < 0) {
        PyConfig_Clear(&copy);
        return NULL;
    }
    PyObject *copied = config_fields(&copy);
    PyConfig_Clear(&copy);
    return Py_BuildValue("(NiN)", config_fields(live), live == again, copied);
}

static PyMethodDef methods[] = {
    {"statuses", statuses, METH_NOARGS},
    {"config_defaults", config_defaults, METH_NOARGS},
    {"preconfig_defaults", preconfig_defaults, METH_NOARGS},
    {"config_strings", config_strings, METH_NOARGS},
    {"plain_list", plain_list, METH_NOARGS},
    {"preinitialize", preinitialize, METH_NOARGS},
    {"facts", facts, METH_NOARGS},
    {"argc_argv", argc_argv, METH_NOARGS},
    {"setters", setters, METH_NOARGS},
    {"flags", flags, METH_NOARGS},
    {"getenv", getenv_, METH_O},
    {"register_at_exit", register_at_exit, METH_NOARGS},
    {"finalizing_without_gil", finalizing_without_gil, METH_NOARGS},
    {"exit_now", exit_now, METH_O},
    {"exit_status", exit_status, METH_O},
    {"signals", signals, METH_NOARGS},
    {"running_config", running_config, METH_NOARGS},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "initconfig_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_initconfig_ext(void)
{
    return PyModule_Create(&module);
}
