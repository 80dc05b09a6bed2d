import time

import pytime_ext as ext

for t in [0, 1, 999, 1000, 1500, 2500, -1, -1500, -2500, 1_500_000, 2_500_000, -2_500_000,
          1_234_567_891, -1_234_567_891, 10**18, -10**18]:
    print(t, ext.conversions(t))
print("arithmetic", ext.arithmetic())
mono, perf, system = ext.clocks()
print("monotonic", mono)
print("perf counter", perf)
impl, monotonic, adjustable, seconds = system
print("system", impl, monotonic, adjustable, abs(seconds - int(time.time())) <= 2)
print("DONE")
