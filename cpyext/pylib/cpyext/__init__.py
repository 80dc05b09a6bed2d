"""The layer's own Python modules, frozen into the binary and the library.

cpyext.config is its python3-config: `cpyext -m cpyext.config --cflags`.
"""
