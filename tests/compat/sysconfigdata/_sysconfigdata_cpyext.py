"""Build variables for cpyext, for a CPython 3.11 that builds extensions for it.

tests/compat/build_ext.py runs the package's build backend under CPython with
_PYTHON_SYSCONFIGDATA_NAME=_sysconfigdata_cpyext (the variable CPython's
sysconfig reads when cross-compiling) and this directory on PYTHONPATH. We
start from the running interpreter's own data and lay over it the variables
that cpyext's sysconfig reports (its include/, suffix and compiler), which
the builder asked the cpyext binary for and wrote to the JSON file named by
CPYEXT_BUILD_VARS. Install schemes whose include directory is the
interpreter's own are pointed at cpyext's include/ too, as cpyext does.
"""
import importlib
import json
import os
import sys

_host = "_sysconfigdata_{}_{}_{}".format(sys.abiflags, sys.platform, getattr(sys.implementation, "_multiarch", ""))
build_time_vars = dict(importlib.import_module(_host).build_time_vars)
with open(os.environ["CPYEXT_BUILD_VARS"], encoding="utf-8") as _f:
    build_time_vars.update(json.load(_f))

_sysconfig = sys.modules.get("sysconfig")
for _scheme in getattr(_sysconfig, "_INSTALL_SCHEMES", {}).values():
    for _key in ("include", "platinclude"):
        if _scheme.get(_key, "").startswith(("{installed_base}", "{installed_platbase}")):
            _scheme[_key] = build_time_vars["INCLUDEPY"]
