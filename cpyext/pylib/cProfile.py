"""cProfile for cpyext.

The host has no `_lsprof`, the C profiler CPython's cProfile is built on,
and build tools import cProfile whether or not they profile (meson does, so
meson-python builds need it). This module gives cProfile's interface
(`Profile` with `enable`/`disable` and the `with` statement, `run`,
`runctx`, `runcall`, `python -m cProfile`) on top of the pure-Python
`profile` module: the same statistics, in the same `pstats` format, at
`profile`'s speed.
"""
import sys
import profile as _profile

__all__ = ["run", "runctx", "Profile"]


class Profile(_profile.Profile):
    """cProfile.Profile(timer=None, timeunit=0.0, subcalls=True, builtins=True)

    `timeunit`, `subcalls` and `builtins` are accepted for compatibility;
    calls into builtins are always recorded, as `profile` does."""

    def __init__(self, timer=None, timeunit=0.0, subcalls=True, builtins=True):
        super().__init__(timer)

    def enable(self, subcalls=True, builtins=True):
        sys.setprofile(self.dispatcher)

    def disable(self):
        sys.setprofile(None)

    def __enter__(self):
        self.enable()
        return self

    def __exit__(self, *exc_info):
        self.disable()

    def _on_stack(self, frame):
        entry = self.cur
        while entry:
            if entry[-2] is frame:
                return True
            entry = entry[-1]
        return False

    def trace_dispatch_return(self, frame, t):
        # A frame that was already running when `enable()` was called
        # returns: nothing was recorded for it, so there is nothing to close.
        if frame is not self.cur[-2] and not self._on_stack(frame):
            return 0
        return super().trace_dispatch_return(frame, t)

    # `profile` looks its handlers up in this class-level table.
    dispatch = dict(_profile.Profile.dispatch, **{
        "return": trace_dispatch_return,
        "c_return": trace_dispatch_return,
        "c_exception": trace_dispatch_return,
    })


def run(statement, filename=None, sort=-1):
    return _profile._Utils(Profile).run(statement, filename, sort)


def runctx(statement, globals, locals, filename=None, sort=-1):
    return _profile._Utils(Profile).runctx(statement, globals, locals, filename, sort)


def label(code):
    if isinstance(code, str):
        return ("~", 0, code)
    return (code.co_filename, code.co_firstlineno, code.co_name)


def main():
    # `profile.main` parses the same options and runs the script through its
    # module-level `runctx`, which is ours while it runs.
    saved = _profile.runctx
    _profile.runctx = runctx
    try:
        return _profile.main()
    finally:
        _profile.runctx = saved


if __name__ == "__main__":
    main()
