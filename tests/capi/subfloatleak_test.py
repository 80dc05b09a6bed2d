import gc, resource
import subfloatleak_ext as ext

def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

N = 200000
for kind, name in ((1, "plain C type"), (0, "C subtype of float")):
    for _ in range(5000):
        ext.one(kind)
    gc.collect()
    before = rss_kb()
    for _ in range(N):
        ext.one(kind)
    gc.collect()
    grown = (rss_kb() - before) * 1024 / N
    print(f"{name}: value {float(ext.one(kind)) if kind == 0 else 'n/a'}; grows more than 16 bytes per dropped instance: {grown > 16}")
print("DONE")
