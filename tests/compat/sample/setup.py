# A tiny package for the runner's own test (tests/test_compat.py): one
# extension that cpyext can load, one that needs a C-API function nobody
# implements when it is built for cpyext, and a pure-Python module.
from setuptools import Extension, setup

setup(
    name="cpyext-compat-sample",
    version="1.0",
    packages=["sample"],
    package_dir={"": "src"},
    ext_modules=[
        Extension("sample._fast", ["src/sample/_fast.c"]),
        Extension("sample._needs_more", ["src/sample/_needs_more.c"]),
    ],
)
