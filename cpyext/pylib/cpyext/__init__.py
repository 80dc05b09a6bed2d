"""The layer's own Python modules, frozen into the binary and the library.

cpyext.config is its python3-config: `cpyext -m cpyext.config --cflags`.
cpyext.pyo3config writes a PYO3_CONFIG_FILE for Rust extensions (maturin,
setuptools-rust) built on cpyext: `cpyext -m cpyext.pyo3config`.
"""
