import gc, os, threading
import gcthreads_ext as gcthreads
BASE = getattr(gcthreads, os.environ.get("BASE", "Base"))
SUB = os.environ.get("SUB", "1") == "1"
COLLECT = os.environ.get("COLLECT", "1") == "1"
NT = int(os.environ.get("NT", "4"))
def worker():
    if SUB:
        class P(BASE): pass
    else:
        P = BASE
    for _ in range(300):
        o = P()
        del o
        if COLLECT: gc.collect()
for attempt in range(5):
    ts = [threading.Thread(target=worker) for _ in range(NT)]
    for t in ts: t.start()
    for t in ts: t.join(timeout=60)
    print("attempt", attempt, "hung" if any(t.is_alive() for t in ts) else "ok", flush=True)
print("DONE")
