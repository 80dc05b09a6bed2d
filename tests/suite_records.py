"""What the drivers of binding libraries' own test suites share
(tests/pybind11/suite.py, tests/nanobind/suite.py): a pytest plugin that
writes one JSON line per test phase, so that a process that dies still says
which test it was running; the reading of those lines; and pytest for cpyext
from pure-Python wheels."""
import glob
import os
import shutil
import signal
import subprocess
import sys
import zipfile

# The plugin's module name, for `-p`, and the variable naming its output
# file (the plugin's text below reads it by that name).
PLUGIN_MODULE = "_suite_records_plugin"
RESULTS_ENV = "SUITE_RESULTS"

PLUGIN = r'''
import json, os

_out = open(os.environ["SUITE_RESULTS"], "a", buffering=1, encoding="utf-8")


def _emit(rec):
    _out.write(json.dumps(rec) + "\n")
    _out.flush()


def pytest_runtest_logstart(nodeid, location):
    _emit({"event": "start", "nodeid": nodeid})


def pytest_runtest_logreport(report):
    text = ""
    if report.failed or report.skipped:
        try:
            text = report.longreprtext
        except Exception as e:  # noqa
            text = repr(e)
    lines = text.splitlines()
    _emit({"event": "report", "nodeid": report.nodeid, "when": report.when, "outcome": report.outcome,
           "wasxfail": hasattr(report, "wasxfail"),
           "message": [l for l in lines if l.startswith("E ")][:12] or lines[-6:],
           "tail": lines[-40:] if report.failed else []})


def pytest_collectreport(report):
    if report.failed:
        _emit({"event": "collecterror", "nodeid": report.nodeid,
               "message": str(report.longrepr).splitlines()[-25:]})
    elif report.skipped:
        # A whole module skipped (pytest.importorskip("numpy")): one entry for the file.
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        _emit({"event": "report", "nodeid": report.nodeid, "when": "setup", "outcome": "skipped",
               "wasxfail": False, "message": [reason], "tail": []})


def pytest_sessionfinish(session, exitstatus):
    _emit({"event": "finish", "exitstatus": int(exitstatus)})
'''


def pytest_site(build, cpython):
    """pytest and its dependencies as pure-Python wheels (the version `cpython`
    has), unzipped into build/site for cpyext."""
    site = os.path.join(build, "site")
    if os.path.exists(os.path.join(site, ".complete")):
        return site
    version = subprocess.run([cpython, "-c", "import pytest;print(pytest.__version__)"], capture_output=True,
                             text=True).stdout.strip()
    wheels = os.path.join(build, "wheels")
    os.makedirs(wheels, exist_ok=True)
    spec = f"pytest=={version}" if version else "pytest"
    proc = subprocess.run([cpython, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--only-binary",
                           ":all:", "--platform", "any", "--python-version", "3.14", "--implementation", "py",
                           "--abi", "none", "-d", wheels, spec], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"pip download {spec} failed:\n{proc.stderr[-2000:]}")
    shutil.rmtree(site, ignore_errors=True)
    os.makedirs(site)
    for whl in glob.glob(os.path.join(wheels, "*.whl")):
        with zipfile.ZipFile(whl) as z:
            z.extractall(site)
    open(os.path.join(site, ".complete"), "w").close()
    return site



def plugin_dir(build):
    """A directory holding the plugin module, for PYTHONPATH."""
    d = os.path.join(build, "plugin")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, PLUGIN_MODULE + ".py")
    if not os.path.exists(path) or open(path).read() != PLUGIN:
        with open(path, "w") as f:
            f.write(PLUGIN)
    return d


def outcomes(records):
    """nodeid -> {"outcome", "message", "tail"} from the plugin's records."""
    res = {}
    for r in records:
        if r["event"] != "report":
            continue
        cur = res.setdefault(r["nodeid"], {"outcome": None, "message": [], "tail": []})
        when, out = r["when"], r["outcome"]
        if when == "setup":
            if out == "failed":
                cur.update(outcome="error", message=r["message"], tail=r["tail"])
            elif out == "skipped":
                cur.update(outcome="xfailed" if r["wasxfail"] else "skipped", message=r["message"])
        elif when == "call":
            if out == "passed":
                cur["outcome"] = "xpassed" if r["wasxfail"] else "passed"
            elif out == "skipped":
                cur.update(outcome="xfailed" if r["wasxfail"] else "skipped", message=r["message"])
            else:
                cur.update(outcome="failed", message=r["message"], tail=r["tail"])
        elif when == "teardown" and out == "failed" and cur["outcome"] in (None, "passed"):
            cur.update(outcome="error", message=["(teardown) " + m for m in r["message"]], tail=r["tail"])
    return res


def unfinished(records):
    """The test that started but has no teardown report: the one running when the process died."""
    started = [r["nodeid"] for r in records if r["event"] == "start"]
    done = {r["nodeid"] for r in records if r["event"] == "report" and r["when"] == "teardown"}
    pending = [n for n in started if n not in done]
    return pending[-1] if pending else None


def death(rc):
    if rc == "timeout":
        return "timeout"
    if isinstance(rc, int) and rc < 0:
        try:
            return f"signal {signal.Signals(-rc).name}"
        except ValueError:
            return f"signal {-rc}"
    return None



def tail_lines(text, n=15):
    return [l for l in text.splitlines() if l.strip()][-n:]



KINDS = ["passed", "failed", "error", "skipped", "xfailed", "xpassed", "crashed"]


def counts(data):
    c = dict.fromkeys(KINDS, 0)
    for t in data["tests"].values():
        c[t["outcome"] or "error"] = c.get(t["outcome"] or "error", 0) + 1
    return c

