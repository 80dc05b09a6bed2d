import os
import subprocess
import sys

import initconfig_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


ok, error, no_memory, exit_ = ext.statuses()
show("ok", ok)
show("error", error)
show("no memory", no_memory)
show("exit", exit_)

python, isolated = ext.config_defaults()
show("PyConfig_InitPythonConfig", python)
show("PyConfig_InitIsolatedConfig", isolated)
show("PyPreConfig", ext.preconfig_defaults())
for line in ext.config_strings():
    show("config", line)
show("plain list", ext.plain_list())
show("preinitialize when running", ext.preinitialize())

# --- the running interpreter -------------------------------------------------------
facts = ext.facts()
show("version is the 3.11 C API", facts["version"].startswith("3.11"))
show("version ends with the compiler", facts["version"].endswith(facts["compiler"]))
show("version holds the build info", "(" + facts["buildinfo"] + ")" in facts["version"])
show("compiler in sys.version", facts["compiler"] in sys.version)
show("platform", facts["platform"] == sys.platform)
show("copyright", facts["copyright"] == sys.copyright)
show("Py_Version", (facts["Py_Version"] >> 16, facts["Py_Version"] & 0xF0))
show("program name is argv[0]", facts["program_name"] == sys.orig_argv[0])
show("full path", facts["full_path"] == sys.executable)
show("prefix", facts["prefix"] == sys.prefix)
show("exec prefix", facts["exec_prefix"] == sys.exec_prefix)
show("path entries are on sys.path", all(p in sys.path for p in facts["path"].split(":") if p))
show("home", facts["home"])
show("argc/argv", ext.argc_argv() == sys.orig_argv)
saved = (sys.prefix, list(sys.path), sys.executable)
show("setters after start-up", ext.setters())
show("sys unchanged", saved == (sys.prefix, list(sys.path), sys.executable))

flags = ext.flags()
show("flags", {k: v for k, v in flags.items() if k not in ("dont_write_bytecode", "hash_randomization")})
show("hash randomization follows PYTHONHASHSEED=0", flags["hash_randomization"] == sys.flags.hash_randomization)
show("Py_GETENV", (ext.getenv("PYTHONHASHSEED"), ext.getenv("CPYEXT_NO_SUCH_VARIABLE")))
show("signal handlers", ext.signals())

# In a fresh interpreter: the flags follow the command line, Py_Exit, and
# exit statuses.
here = os.path.dirname(os.path.abspath(__file__))
env = dict(os.environ)


build_dir = os.path.dirname(os.path.abspath(ext.__file__))


def child(code, *options):
    code = f"import sys; sys.path.insert(0, {build_dir!r}); " + code
    proc = subprocess.run([sys.executable, *options, "-c", code], capture_output=True, text=True, env=env,
                          cwd=here, timeout=60)
    fatal = [line for line in proc.stderr.splitlines() if line.startswith("Fatal Python error")]
    return proc.returncode, proc.stdout.splitlines(), fatal


code = "import initconfig_ext as e; f = e.flags(); print(f['optimize'], f['no_site'], f['verbose'] > 0, f['quiet'])"
show("flags with -O -O -q", child(code, "-O", "-O", "-q")[1])
show("flags with -E", child("import initconfig_ext as e; print(e.flags()['ignore_environment'])", "-E")[1])
show("Py_Exit", child("import atexit, initconfig_ext as e; atexit.register(print, 'python atexit'); "
                      "print('before', flush=True); e.exit_now(7); print('not reached')")[:2])
show("Py_ExitStatusException(exit)", child("import initconfig_ext as e; e.exit_status(5)")[0])
code, _, err = child("import initconfig_ext as e; e.exit_status(-1)")
show("Py_ExitStatusException(error)", (code != 0, err))

show("Py_AtExit", child("import atexit, initconfig_ext as e; atexit.register(print, 'python atexit', flush=True); "
                        "print(e.register_at_exit(), flush=True)")[:2])
show("_Py_IsFinalizing without the GIL, then in a C atexit handler",
     child("import initconfig_ext as e; print(e.finalizing_without_gil(), flush=True)"))
# os._exit is _exit(2): no C atexit handler runs (a fork child's way out).
show("os._exit after a C atexit handler was registered",
     child("import os, initconfig_ext as e; e.finalizing_without_gil(); print('leaving', flush=True); os._exit(4)"))

# --- _Py_GetConfig: the running interpreter's configuration ----------------------
live, same_pointer, copied = ext.running_config()
show("GetConfig pointer is the interpreter's", same_pointer)
show("copy has the same fields", copied == live)
for name in ("_config_init", "parse_argv", "module_search_paths_set", "tracemalloc", "inspect", "interactive",
             "bytes_warning", "safe_path", "isolated", "use_environment", "dev_mode", "site_import",
             "check_hash_pycs_mode", "pycache_prefix", "run_command", "run_module", "xoptions", "warnoptions"):
    show(f"config {name}", live[name])
show("config argv is sys.argv", live["argv"] == sys.argv)
show("config orig_argv is sys.orig_argv", live["orig_argv"] == sys.orig_argv)
show("config run_filename is argv[0]", live["run_filename"] == sys.argv[0])
for name in ("executable", "prefix", "base_prefix", "exec_prefix", "base_exec_prefix", "platlibdir"):
    show(f"config {name} is sys's", live[name] == getattr(sys, name))
show("config base_executable", live["base_executable"] == getattr(sys, "_base_executable", sys.executable))
show("config filesystem encoding", (live["filesystem_encoding"], live["filesystem_errors"])
     == (sys.getfilesystemencoding(), sys.getfilesystemencodeerrors()))
show("config stdio encoding", (live["stdio_encoding"], live["stdio_errors"])
     == (sys.__stdout__.encoding, sys.__stdout__.errors))
show("config search paths are on sys.path", bool(live["module_search_paths"])
     and all(p in sys.path for p in live["module_search_paths"]))
show("config optimize/verbose/quiet/write_bytecode follow sys.flags",
     (live["optimization_level"], live["verbose"], live["quiet"], live["write_bytecode"], live["user_site_directory"])
     == (sys.flags.optimize, sys.flags.verbose, sys.flags.quiet, int(not sys.flags.dont_write_bytecode),
         int(not sys.flags.no_user_site)))
code = ("import initconfig_ext as e; c = e.running_config()[0]; "
        "print(c['optimization_level'], c['write_bytecode'], c['site_import'], c['xoptions'], c['warnoptions'], "
        "c['run_command'] is not None, c['run_filename'], c['user_site_directory'], c['safe_path'])")
show("config of -O -B -s -P -X fa=1 -W ignore -c", child(code, "-O", "-B", "-s", "-P", "-X", "fa=1", "-W", "ignore")[1:])
print("DONE")
