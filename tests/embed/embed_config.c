/* Start-up through PyConfig, as CPython 3.8+ documents it: the program
   name and sys.argv set, the configuration read, the search path
   extended, a command to run, then Py_RunMain (which exits the process on
   SystemExit, as CPython's does). A second configuration that
   parses a bad command line shows the exit status it returns. */
#include <Python.h>
#include <stdio.h>

static int
fail(PyConfig *config, PyStatus status)
{
    PyConfig_Clear(config);
    if (PyStatus_IsExit(status))
        return status.exitcode;
    Py_ExitStatusException(status);
}

int
main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    PyStatus status;
    PyConfig config;

    /* A command line that does not parse ends start-up with status 2. */
    PyConfig_InitPythonConfig(&config);
    wchar_t *bad_args[] = {L"embed-config", L"-Z"};
    status = PyConfig_SetArgv(&config, 2, bad_args);
    if (!PyStatus_Exception(status))
        status = PyConfig_Read(&config);
    printf("bad option: exception %d, exit %d, code %d\n", PyStatus_Exception(status),
           PyStatus_IsExit(status), status.exitcode);
    PyConfig_Clear(&config);

    /* One that parses: -c's command and the program's own arguments. */
    PyConfig_InitPythonConfig(&config);
    wchar_t *args[] = {L"embed-config", L"-B", L"-O", L"-X", L"flavour=mint", L"-W", L"ignore",
                       L"-c", L"ignored", L"first", L"-second"};
    status = PyConfig_SetArgv(&config, 11, args);
    if (PyStatus_Exception(status))
        return fail(&config, status);
    status = PyConfig_Read(&config);
    if (PyStatus_Exception(status))
        return fail(&config, status);
    printf("read: argv");
    for (Py_ssize_t i = 0; i < config.argv.length; i++)
        printf(" [%ls]", config.argv.items[i]);
    printf("\nread: orig_argv %zd, run_command %ls", config.orig_argv.length, config.run_command);
    printf("read: write_bytecode %d, optimization_level %d, warnoptions %zd, xoptions %ls\n",
           config.write_bytecode, config.optimization_level, config.warnoptions.length,
           config.xoptions.items[0]);
    printf("read: module_search_paths_set %d, has entries %d, executable set %d\n",
           config.module_search_paths_set, config.module_search_paths.length > 0,
           config.executable != NULL);

    /* The search path gains an entry as from PYTHONPATH. */
    status = PyConfig_SetString(&config, &config.pythonpath_env, L"/embed/extra/path");
    if (!PyStatus_Exception(status))
        status = PyConfig_SetString(&config, &config.program_name, L"embed-config-name");
    if (!PyStatus_Exception(status))
        status = PyConfig_SetString(&config, &config.run_command,
            L"import sys\n"
            L"print('argv', sys.argv)\n"
            L"print('extra path', '/embed/extra/path' in sys.path)\n"
            L"print('flags', sys.flags.dont_write_bytecode, sys.flags.optimize, __debug__)\n"
            L"print('warnoptions', sys.warnoptions, 'xoptions', sys._xoptions)\n"
            L"print('site imported', 'site' in sys.modules)\n"
            L"raise SystemExit(3)\n");
    if (PyStatus_Exception(status))
        return fail(&config, status);
    config.site_import = 0;
    status = Py_InitializeFromConfig(&config);
    if (PyStatus_Exception(status))
        return fail(&config, status);
    PyConfig_Clear(&config);
    printf("initialized %d, program name %ls\n", Py_IsInitialized(), Py_GetProgramName());
    int rc = Py_RunMain();
    printf("Py_RunMain -> %d, initialized %d\n", rc, Py_IsInitialized());
    return 0;
}
