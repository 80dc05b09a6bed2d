"""Fuzzing the varargs C API: random format strings and arguments for
PyArg_Parse* (every entry point), Py_BuildValue and PyUnicode_FromFormat,
through the conformance test extensions getargs_ext, buildvalue_ext and
format_ext (tests/capi/).

    fuzz_varargs.py CASES SEED [--malformed]

The random generator is seeded, so a run is reproducible. Every outcome
(the outputs, or the exception type and message) goes into a digest per API;
run under CPython 3.11 and under cpyext with the same seed, the digests
must agree. Set FUZZ_DUMP=path to write every outcome to a file, to diff two
runs case by case.

--malformed adds formats CPython does not survive (unbalanced parentheses,
nesting deeper than 30, NULL objects for %U and friends); cpyext raises
SystemError or documents what it does, and must not crash.

A run then checks for leaks: the pool of argument objects must have the
reference counts it had after the warm-up, and the process may grow by at
most RSS_BOUND bytes over the measured cases (printed as "RSS growth").
"""
import gc
import hashlib
import os
import random
import re
import sys

import buildvalue_ext
import format_ext
import getargs_ext

CASES = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 1
MALFORMED = "--malformed" in sys.argv
WARMUP = min(2000, CASES // 5)
DUMP = os.environ.get("FUZZ_DUMP")

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
INTERNAL = re.compile(r"\S+:\d+: bad argument to internal function")


def page_size():
    try:
        return os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4096


def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * page_size()


# --- the argument pool ----------------------------------------------------------------
class Idx:
    def __index__(self):
        return 3

    def __repr__(self):
        return "Idx()"


class BadIdx:
    def __index__(self):
        raise ValueError("no index")

    def __repr__(self):
        return "BadIdx()"


class Flt:
    def __float__(self):
        return 1.5

    def __repr__(self):
        return "Flt()"


class Seq:
    def __len__(self):
        return 2

    def __getitem__(self, i):
        if i >= 2:
            raise IndexError(i)
        return i + 10

    def __repr__(self):
        return "Seq()"


class BadStr:
    def __str__(self):
        raise KeyError("no str")

    def __repr__(self):
        return "BadStr()"


def fresh(n):
    """Objects made at run time, so that nothing else holds them: their
    reference counts are checked for leaks."""
    return [
        10 ** 30 + n, -(10 ** 25) - n, 2 ** 64 + n, float(n) + 0.25, complex(n, -1),
        "".join(["fresh", str(n)]), "".join(["\xe9", str(n)]), "".join(["\ud800", str(n)]),
        bytes([97 + n, 0, 98]), bytes([120 + n]), bytearray(b"ba" + bytes([n])), bytearray(),
        [n, "x"], [n], (n, "t"), (n,), (n, (n, "u")), {"k": n}, Idx(), BadIdx(), Flt(), Seq(), BadStr(),
    ]


CONSTANTS = [0, 1, -1, 127, 255, 256, -129, 32767, 65536, 2 ** 31, -2 ** 31 - 1, 2 ** 63, -2 ** 63 - 1,
             2 ** 64 - 1, True, False, 0.0, -0.0, 1e308, float("inf"), 1j, "", "a", "ab", "\xe9", "a\0b",
             "x" * 40, b"", b"a", b"ab", b"a\0b", None, (), [], {}]
TRACKED = fresh(1) + fresh(2)
POOL = CONSTANTS + TRACKED
BUFFERS = [memoryview(b"mv"), memoryview(bytearray(b"mw")), memoryview(b"abcd")[::2]]
POOL += BUFFERS
TYPES = [int, str, bytes, list, tuple, float, object, bytearray, type(None)]
CONVERTERS = ["int", "fail", "zero", "cleanup", "nonone"]
ENCODINGS = ["utf-8", "ascii", "latin-1", None, "utf-16-le", "nope", ("utf-8", 8), ("utf-8", 64), ("latin-1", 2)]


def clean(text):
    return INTERNAL.sub("bad argument to internal function", ADDRESS.sub("", text))


class Outcomes:
    def __init__(self):
        self.digests = {}
        self.counts = {}
        self.dump = open(DUMP, "w") if DUMP else None

    def add(self, api, case, text):
        text = clean(text)
        self.digests.setdefault(api, hashlib.sha256()).update(text.encode("utf-8", "backslashreplace"))
        ok, failed = self.counts.get(api, (0, 0))
        self.counts[api] = (ok + (not text.startswith("!")), failed + text.startswith("!"))
        if self.dump:
            self.dump.write(f"{api} {case} -> {text}\n")
            self.dump.flush()


def outcome(fn, *args):
    try:
        return ascii(fn(*args))
    except Exception as e:  # every outcome is recorded
        return f"!{type(e).__name__}: {e}"


# --- PyArg_Parse* -----------------------------------------------------------------------
NUMBERS = list("bBhHiIlkLKncCfdDp")
TEXTS = ["s", "s#", "s*", "z", "z#", "z*", "y", "y#", "y*", "w*", "es", "et", "es#", "et#", "S", "Y", "U"]
OBJECTS = ["O", "O!", "O&"]
GARBAGE = ["q", "#", "!", "&", "*", "w", "e", "ex", " ", "$", "|", "w#"]


def parse_unit(rng, depth):
    r = rng.random()
    if r < 0.08 and depth < 3:
        inner = [parse_unit(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.1:
            inner.insert(rng.randint(0, len(inner)), "|")
        return "(" + "".join(inner) + ")"
    if r < 0.45:
        return rng.choice(NUMBERS)
    if r < 0.80:
        return rng.choice(TEXTS)
    if r < 0.95:
        return rng.choice(OBJECTS)
    return rng.choice(GARBAGE)


def parse_format(rng, keywords):
    units = [parse_unit(rng, 0) for _ in range(rng.randint(0, 5))]
    if units and rng.random() < 0.4:
        units.insert(rng.randint(0, len(units)), "|")
    if keywords and units and rng.random() < 0.3:
        units.insert(rng.randint(0, len(units)), "$")
    if MALFORMED and rng.random() < 0.15:
        units.insert(rng.randint(0, len(units)), rng.choice(["(", ")", "((", "))", "(" * 31 + "i" + ")" * 31]))
    fmt = "".join(units)
    r = rng.random()
    if r < 0.25:
        fmt += ":" + rng.choice(["f", "func", "n" * 210, ""])
    elif r < 0.35:
        fmt += ";" + rng.choice(["custom message", "m"])
    return fmt, units


def parse_extras(rng, fmt):
    """What getargs_ext's plan() takes for this format, in order."""
    extras = []
    body = re.split("[:;]", fmt, maxsplit=1)[0]
    i = 0
    while i < len(body):
        c = body[i]
        if c == "e" and i + 1 < len(body) and body[i + 1] in "st":
            extras.append(rng.choice(ENCODINGS))
        elif c == "O" and i + 1 < len(body) and body[i + 1] == "!":
            extras.append(rng.choice(TYPES))
        elif c == "O" and i + 1 < len(body) and body[i + 1] == "&":
            extras.append(rng.choice(CONVERTERS))
        i += 1
    return tuple(extras)


def plausible(rng, unit):
    """A value the unit would usually accept, or anything at all."""
    if rng.random() < 0.3:
        return rng.choice(POOL)
    if unit.startswith("("):
        n = sum(1 for ch in unit[1:-1] if ch.isalpha() and ch != "e")
        return tuple(rng.choice(POOL) for _ in range(n))
    if unit in NUMBERS:
        return rng.choice([0, 1, -1, 255, 2 ** 31, 2 ** 70, True, 1.5, Idx(), "a", 2j])
    if unit[0] in "sz" or unit == "U":
        return rng.choice(["", "ab", "\xe9\xe9", "a\0b", "\ud800", None, b"by"])
    if unit[0] in "yS":
        return rng.choice([b"", b"ab", b"a\0b", bytearray(b"ba"), memoryview(b"m"), "s"])
    if unit[0] in "wY":
        return rng.choice([bytearray(b"rw"), memoryview(bytearray(b"x")), b"ro"])
    if unit[0] == "e":
        return rng.choice(["enc", "\xe9", "a\0b", b"raw", bytearray(b"ba"), 5, "\ud800"])
    return rng.choice(POOL)


def parse_case(rng):
    mode = rng.choice(["tuple", "tuple", "kw", "kw", "va", "vakw", "parse", "compat_tuple", "compat_kw",
                       "compat_parse"])
    keywords = "kw" in mode
    fmt, units = parse_format(rng, keywords)
    params = [u for u in units if u not in ("|", "$")]
    n = len(params) if rng.random() < 0.7 else rng.randint(0, len(params) + 2)
    args = tuple(plausible(rng, params[i]) if i < len(params) else rng.choice(POOL) for i in range(n))
    kw, names = None, None
    if keywords:
        count = len(params) + rng.choice([0, 0, 0, -1, 1])
        positional_only = rng.choice([0, 0, 0, 1, 2])
        names = ["" if i < positional_only else f"p{i}" for i in range(max(count, 0))]
        if rng.random() < 0.5:
            kw = {}
            for _ in range(rng.randint(0, 3)):
                r = rng.random()
                if r < 0.7 and names:
                    key = rng.choice(names) or "p0"
                elif r < 0.9:
                    key = "unknown"
                else:
                    key = 7
                kw[key] = plausible(rng, rng.choice(params)) if params else rng.choice(POOL)
            # keywords given by name are usually not also given by position
            if rng.random() < 0.7:
                args = args[:min(len(args), max(0, len(params) - len(kw)))]
    if mode.endswith("parse"):
        args = plausible(rng, params[0]) if params else rng.choice(POOL)
    if "(" in fmt and not MALFORMED:
        args = iterable_safe(args)
        kw = iterable_safe(kw)
    return mode, fmt, args, kw, names, parse_extras(rng, fmt)


def iterable_safe(v):
    """CPython's (...) units borrow the items of the sequence they take
    apart, and drop the references it gives back: items made fresh on each
    access die at once (a str's characters beyond U+00FF, unlike cached
    Latin-1 ones), and reading them is a use after free. cpyext keeps them
    alive for the call (docs/differences.md); the CPython run must not get
    such str."""
    if isinstance(v, str) and any(ord(c) > 0xFF for c in v):
        return "ab"
    if isinstance(v, tuple):
        return tuple(iterable_safe(x) for x in v)
    if isinstance(v, list):
        return [iterable_safe(x) for x in v]
    if isinstance(v, dict):
        return {k: iterable_safe(x) for k, x in v.items()}
    return v


def run_parse(rng, record):
    mode, fmt, args, kw, names, extras = parse_case(rng)
    text = outcome(getargs_ext.parse, mode, fmt, args, kw, names, extras)
    log = getargs_ext.cleanup_log()
    if log:
        text += " log " + ascii(log)
    record("parse", f"{mode} {fmt!r} {ascii(args)} {ascii(kw)} {names} {ascii(extras)}", text)


# --- Py_BuildValue ----------------------------------------------------------------------
BUILD_INTS = list("bBhHiIlkLKnc")
BUILD_SEPARATORS = [" ", ",", ":", "\t"]
BUILD_GARBAGE = ["q", "#", "&", "!", "\n", "w", "p", "(", "[", "{", "e"]
if MALFORMED:
    # A closing bracket without its opening one can make CPython count more
    # items than the format holds and read past its end.
    BUILD_GARBAGE += [")", "]", "}", "]:[", ")("]


def build_unit(rng, depth, budget):
    r = rng.random()
    if r < 0.15 and depth < 4:
        open_, close = rng.choice(["()", "[]", "{}"])
        inner = [build_unit(rng, depth + 1, budget) for _ in range(rng.randint(0, 4))]
        sep = rng.choice(["", ",", ":", " "])
        return open_ + sep.join(inner) + close
    if r < 0.45:
        return rng.choice(BUILD_INTS)
    if r < 0.55:
        if budget["doubles"] >= 8:
            return "i"
        budget["doubles"] += 1
        return rng.choice("fd")
    if r < 0.60:
        return "C" if rng.random() < 0.5 else "D"
    if r < 0.80:
        return rng.choice("szyUu") + ("#" if rng.random() < 0.4 else "")
    if r < 0.95:
        return rng.choice(["N", "S", "O", "O&", "S&", "N&"])
    return rng.choice(BUILD_GARBAGE)


def build_values(rng, fmt):
    """One value per unit that takes arguments, as buildvalue_ext's collect()
    walks the format."""
    values = []
    for i, c in enumerate(fmt):
        nxt = fmt[i + 1] if i + 1 < len(fmt) else ""
        if c in "bBhHiIlkLKnc":
            values.append(rng.choice([0, 1, -1, 65, 255, 256, 2 ** 31 - 1, 2 ** 31, 2 ** 63 - 1, -2 ** 63,
                                      2 ** 64 - 1]))
        elif c == "C":
            values.append(rng.choice([65, 0xE9, 0xD800, 0x1F600, 0x10FFFF, 0x110000, -1]))
        elif c in "fd":
            values.append(rng.choice([0.0, -0.0, 0.1, 1e300, float("inf")]))
        elif c == "D":
            values.append(rng.choice([(1.0, 2.0), (0.0, -0.0), (1e300, float("inf"))]))
        elif c in "szyUu":
            if c == "u":
                data = rng.choice(["", "wide", "\xe9\U0001f600", "\ud800", None])
            else:
                data = rng.choice([b"", b"text", b"h\xc3\xa9", b"\xff", b"a\0b", None])
            values.append((data, rng.choice([-1, 0, 1, 2, -5])) if nxt == "#" else data)
        elif c in "NSO":
            if nxt == "&":
                values.append((rng.choice(["int", "fail", "null"]), rng.randint(0, 9)))
            elif rng.random() < 0.1:
                values.append(...)          # stands for NULL
            elif c == "N":
                values.append([rng.random()])   # N steals: a fresh object
            else:
                values.append(rng.choice(POOL))
    return tuple(values)


def run_build(rng, record):
    budget = {"doubles": 0}
    units = [build_unit(rng, 0, budget) for _ in range(rng.randint(0, 5))]
    fmt = rng.choice(BUILD_SEPARATORS + [""]).join(units)
    doubles = sum(1 for ch in fmt if ch in "fd")
    if doubles > 8 or sum(1 for ch in fmt if ch in "bBhHiIlkLKncCDszyUuNSO&#") > 30:
        fmt = "i"
    values = build_values(rng, fmt)
    mode = rng.choice(["plain", "plain", "va", "compat"])
    if outcomes.dump:
        outcomes.dump.write(f"# build {mode} {fmt!r} {ascii(values)}\n")
        outcomes.dump.flush()
    text = outcome(buildvalue_ext.build, mode, fmt, values)
    log = buildvalue_ext.converter_log()
    if log:
        text += " log " + ascii(log)
    # an N value's reference went to the result or was released
    record("build", f"{mode} {fmt!r} {ascii(values)}", text)


# --- PyUnicode_FromFormat -------------------------------------------------------------------
CONVERSIONS = ["d", "i", "u", "x", "ld", "lu", "li", "lld", "llu", "lli", "zd", "zu", "zi", "c", "p", "s",
               "U", "V", "S", "R", "A", "%"]
ODD = ["lx", "X", "o", "hd", "ls", "lc", "zx", "f", "-5d", "+d", " d", "q", "5.5%", "l", ""]


def format_spec(rng):
    spec = "%"
    if rng.random() < 0.2:
        spec += "0"
    if rng.random() < 0.3:
        spec += str(rng.randint(0, 40))
    if rng.random() < 0.3:
        spec += "." + str(rng.randint(0, 12))
    if rng.random() < 0.93:
        return spec + rng.choice(CONVERSIONS), False
    return spec + rng.choice(ODD), True


def format_values(rng, fmt):
    """What format_ext's collect() takes for this format."""
    values = []
    for m in re.finditer(rb"%[-0+ #]*[0-9]*(?:\.[0-9]*)?[lzhtj]*(.?)", fmt):
        c = m.group(1).decode("latin-1")
        if c in ("", "%") or c not in "cdiuxXopsUSRAV":
            continue
        if c in "diuxXo":
            values.append(rng.choice([0, 7, -7, 255, 2 ** 31, -2 ** 63, 2 ** 64 - 1]))
        elif c == "c":
            values.append(rng.choice([65, 0xE9, 0xD800, 0x10FFFF, 0x110000, -1]))
        elif c == "p":
            values.append(rng.choice([0, 1, 0x1234, 2 ** 63]))
        elif c == "s":
            values.append(rng.choice([b"", b"ab", b"h\xc3\xa9", b"\xff\xfe", b"\xc3"] + ([None] if MALFORMED else [])))
        elif c == "U":
            values.append(rng.choice(["", "uni", "\ud800x", "\xe9" * 5] + ([...] if MALFORMED else [])))
        elif c == "V":
            obj = rng.choice(["vo", "\U0001f600", ...])
            values.append((obj, b"fallback" if obj is ... and not MALFORMED else rng.choice([b"fb", None])))
        else:
            values.append(rng.choice(POOL + ([...] if MALFORMED else [])))
    return tuple(values)


def run_format(rng, record):
    pieces = []
    copied = False   # an unknown conversion copies the rest as it stands
    for _ in range(rng.randint(0, 4)):
        r = rng.random()
        if r < 0.6:
            spec, odd = format_spec(rng)
            pieces.append(spec)
            copied = copied or odd
        elif r < 0.97:
            pieces.append(rng.choice(["text", " ", "[", "]", "a=", "%%"]))
        elif MALFORMED or not copied:
            # A non-ASCII byte is an error, or (copied) Latin-1 here where
            # CPython sign-extends it once the text holds a character beyond
            # U+00FF (see docs/differences.md).
            pieces.append("\xe9")
    fmt = "".join(pieces).encode("latin-1")
    values = format_values(rng, fmt)
    if len(values) > 20:
        return
    mode = rng.choice(["plain", "va"])
    record("format", f"{mode} {fmt!r} {ascii(values)}", outcome(format_ext.from_format, mode, fmt, values))


# --- the run ----------------------------------------------------------------------------------
def run(count, rng, record):
    for _ in range(count):
        r = rng.random()
        if r < 0.5:
            run_parse(rng, record)
        elif r < 0.8:
            run_build(rng, record)
        else:
            run_format(rng, record)


def collect():
    try:
        gc.collect()
    except Exception:
        pass


outcomes = Outcomes()
rng = random.Random(SEED)
run(WARMUP, rng, outcomes.add)
collect()
baseline = [sys.getrefcount(o) for o in TRACKED]
before = rss()
run(CASES - WARMUP, rng, outcomes.add)
collect()
after = rss()
final = [sys.getrefcount(o) for o in TRACKED]
leaked = [(ascii(o), f - b) for o, b, f in zip(TRACKED, baseline, final) if f != b]
for api in sorted(outcomes.digests):
    ok, failed = outcomes.counts[api]
    print(f"{api}: {ok + failed} cases, {ok} succeeded, {failed} raised, digest {outcomes.digests[api].hexdigest()}")
print(f"RSS growth {after - before}")
print(f"reference leaks {leaked}")
print("DONE")
