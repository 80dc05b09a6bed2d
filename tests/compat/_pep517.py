"""Calls a PEP 517 build backend; run by build_ext.py inside the build environment.

    python _pep517.py requires BACKEND BACKEND_PATH RESULT_JSON
    python _pep517.py wheel    BACKEND BACKEND_PATH RESULT_JSON WHEEL_DIR

BACKEND is "module" or "module:object"; BACKEND_PATH is a JSON list of
directories (pyproject's backend-path), relative to the source tree, which is
the working directory. The result goes to RESULT_JSON because the backend
prints freely on stdout.
"""
import importlib
import json
import os
import sys


def load_backend(spec, backend_path):
    sys.path[:0] = [os.path.abspath(p) for p in backend_path]
    module_name, _, attrs = spec.partition(":")
    backend = importlib.import_module(module_name.strip())
    for attr in filter(None, attrs.strip().split(".")):
        backend = getattr(backend, attr)
    return backend


def main(argv):
    command, spec, backend_path, result = argv[:4]
    backend = load_backend(spec, json.loads(backend_path))
    if command == "requires":
        hook = getattr(backend, "get_requires_for_build_wheel", None)
        value = list(hook({})) if hook else []
    elif command == "wheel":
        value = backend.build_wheel(os.path.abspath(argv[4]), {}, None)
    else:
        raise SystemExit(f"unknown command {command!r}")
    with open(result, "w", encoding="utf-8") as f:
        json.dump(value, f)


if __name__ == "__main__":
    main(sys.argv[1:])
