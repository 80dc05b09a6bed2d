"""Instructions per operation for run.py's cases, counted by callgrind.

    python3 tests/bench/instructions.py [CASE ...] [--interp cpyext|cpython|pypy]
                                        [--column ext|builtin|both] [--top N]

Wall-clock times on a shared machine move by 2-3x with its load; instruction
counts do not, so they are what docs/performance.md compares from one change
to the next. Each case is run.py's own loop (its statement unrolled
run.py's UNROLL times, the same locals) run for 1,000 and for 5,000 iterations
after a warm-up, each in its own process under
`valgrind --tool=callgrind`; the figure is the difference of the two totals
less the same difference for an empty loop, per statement. Start-up, the
build of the loop and the warm-up cancel out.

`--top N` lists, for each case, the N functions whose own (exclusive)
counts grew most between the two runs, per statement: where the
instructions go. Cases default to all of run.py's BENCHES.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402
import run  # noqa: E402

SMALL, LARGE = 1000, 5000


def callgrind(interp, ext_dir, key, column, n, out):
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.pop("PYTHONHOME", None)
    if ext_dir:
        env["PYTHONPATH"] = ext_dir
    # The cpyext binary re-executes itself once at start-up (its environment):
    # follow it, one output file per process.
    cmd = ["valgrind", "--tool=callgrind", "--trace-children=yes", "--callgrind-out-file=" + out + ".%p",
           interp, os.path.join(HERE, "run.py"), "--child", "count",
           "--bench", key, "--column", column, "--n", str(n)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=HERE)
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise RuntimeError("%s %s/%s failed: %s" % (os.path.basename(interp), key, column, tail))
    total = 0
    for path in glob.glob(out + ".*"):
        with open(path) as f:
            total += sum(int(line.split()[1]) for line in f if line.startswith("summary:"))
    if not total:
        raise RuntimeError("no totals in " + out)
    return total


def exclusive(out):
    """{function: exclusive Ir} from callgrind_annotate."""
    counts = {}
    text = "\n".join(subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100", path],
                                    capture_output=True, text=True).stdout for path in glob.glob(out + ".*"))
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S.*)$", line)
        if m and ":" in m.group(2):
            name = m.group(2).split(" [")[0].rsplit("/", 1)[-1]
            counts[name] = counts.get(name, 0) + int(m.group(1).replace(",", ""))
    return counts


def main(argv):
    args = list(argv)

    def option(name, default):
        if name in args:
            i = args.index(name)
            value = args[i + 1]
            del args[i:i + 2]
            return value
        return default

    interp_key = option("--interp", "cpyext")
    columns = option("--column", "both")
    top = int(option("--top", "0"))
    keys = args or [b[0] for b in run.BENCHES]
    interp = {"cpyext": harness.CPYEXT_BIN, "cpython": harness.CPYTHON,
              "pypy": os.environ.get("PYPY_BIN", "pypy3")}[interp_key]
    if interp_key == "pypy":
        ext_dir = run._build_pypy(interp, harness)
    else:
        ext_dir = harness.build(run.SOURCE, interp_key, extra=("-O2",))
    columns = ("ext", "builtin") if columns == "both" else (columns,)
    statements = (LARGE - SMALL) * run.UNROLL
    with tempfile.TemporaryDirectory() as tmp:
        def measure(key, column):
            outs = [os.path.join(tmp, "%s.%s.%d" % (key, column, n)) for n in (SMALL, LARGE)]
            small, large = (callgrind(interp, ext_dir, key, column, n, out) for n, out in zip((SMALL, LARGE), outs))
            return large - small, outs

        # The empty loop is the same code in either column (importing the
        # extension is start-up, which the difference cancels): measured once.
        loop = measure("empty", "builtin")[0]
        print("instructions per statement, %s (empty loop subtracted: %d)" % (interp_key, loop / statements))
        for key in keys:
            label = [b[1] for b in run.BENCHES if b[0] == key][0]
            cells, details = [], []
            for column in columns:
                try:
                    delta, outs = measure(key, column)
                except RuntimeError as e:
                    cells.append("%s: n/a (%s)" % (column, e))
                    continue
                cells.append("%s %7d" % (column, (delta - loop) / statements))
                if top:
                    before, after = exclusive(outs[0]), exclusive(outs[1])
                    grown = sorted(((after.get(f, 0) - before.get(f, 0), f) for f in after), reverse=True)
                    details += ["      %s %7.1f  %s" % (column, d / statements, f[:140]) for d, f in grown[:top]]
            print("%-44s %s" % (label, "   ".join(cells)))
            for line in details:
                print(line)
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
