# The scripts under these folders are run by the harness under each
# interpreter, not collected by pytest.
collect_ignore_glob = ["capi/*", "host/*", "pyo3/*", "bench/*", "leak/*", "bad/*", "fuzz/*", "compat/*", "cython/*", "pybind11/*", "stress/*", "_build/*", "swig/*", "sip/*"]
