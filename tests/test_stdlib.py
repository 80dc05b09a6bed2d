"""Standard-library modules the host lacks and the layer provides, checked
against CPython 3.11: the same script, the same output."""
import os
import subprocess
import sys
import textwrap

import harness

PROFILE_SCRIPT = textwrap.dedent("""
    import cProfile, io, pstats

    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    def work():
        # A loop, not a comprehension: the host (3.14) inlines those, 3.11 gives them a frame.
        values = []
        for k in range(8):
            values.append(fib(k))
        return values, sorted([3, 1, 2])

    def counts(prof):
        stats = pstats.Stats(prof, stream=io.StringIO()).stats
        return sorted((name, cc, nc) for (filename, line, name), (cc, nc, tt, ct, callers) in stats.items()
                      if filename == __file__)

    with cProfile.Profile() as prof:
        work()
    print("with:", counts(prof))

    prof = cProfile.Profile()
    prof.enable()
    work()
    prof.disable()
    print("enable:", counts(prof))

    prof = cProfile.Profile()
    print("runcall:", prof.runcall(fib, 10), counts(prof))

    prof = cProfile.Profile()
    prof.runctx("work()", globals(), {})
    print("runctx:", counts(prof))
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("ncalls").print_stats("fib")
    print("report names fib:", "(fib)" in out.getvalue())
    print(cProfile.label(fib.__code__)[2], sorted(cProfile.__all__))
""")


def test_cprofile_counts_calls_as_cpython_does(tmp_path):
    (tmp_path / "prof.py").write_text(PROFILE_SCRIPT)
    cpython, ours = harness.run_both(tmp_path, ["prof.py"])
    # fib(0..7): 100 calls, 8 of them primitive (not recursive).
    assert "('fib', 8, 100)" in cpython
    assert ours == cpython


def test_cprofile_runs_a_script_from_the_command_line(tmp_path):
    (tmp_path / "script.py").write_text("def f():\n    return 42\nfor _ in range(3):\n    f()\nprint('ran')\n")
    cpython, ours = harness.run_both(tmp_path, ["-m", "cProfile", "-s", "ncalls", "script.py"])
    for out in (cpython, ours):
        assert out.startswith("ran\n")
        assert "script.py:1(f)" in out
        assert any(line.split()[:1] == ["3"] and line.endswith("script.py:1(f)") for line in out.splitlines())
