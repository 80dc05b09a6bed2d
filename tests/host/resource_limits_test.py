"""resource's limits are C longs, as CPython has them: RLIM_INFINITY and an
unlimited limit read -1, and setrlimit takes -1 for "no limit" (PyRabin's
test_streaming passes (max_mem, -1)). A negative resource is not a resource."""
import resource

print("RLIM_INFINITY", resource.RLIM_INFINITY)
core = resource.getrlimit(resource.RLIMIT_CORE)
try:
    # a soft limit below the hard one can always be set
    resource.setrlimit(resource.RLIMIT_CORE, (0, core[1]))
    print("core soft", resource.getrlimit(resource.RLIMIT_CORE)[0])
    as_limit = resource.getrlimit(resource.RLIMIT_AS)
    print("AS hard limit is a C long:", as_limit[1] == -1 or 0 <= as_limit[1] < 2**63)
    print("same value both ways:", resource.getrlimit(resource.RLIMIT_AS) == as_limit)
    if core[1] == resource.RLIM_INFINITY:
        resource.setrlimit(resource.RLIMIT_CORE, (0, -1))
        print("-1 accepted as infinity:", resource.getrlimit(resource.RLIMIT_CORE)[1] == -1)
    else:
        print("-1 accepted as infinity:", True)
finally:
    resource.setrlimit(resource.RLIMIT_CORE, core)

for args in [(-1, (0, 0)), (resource.RLIMIT_CORE, (2**63, -1)), (resource.RLIMIT_CORE, (0.5, -1)),
             (resource.RLIMIT_CORE, (1, 2, 3)), (resource.RLIMIT_CORE, 5)]:
    try:
        resource.setrlimit(*args)
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)
for r in [-1, -100, 1000, 2**40]:
    try:
        resource.getrlimit(r)
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)
print("restored:", resource.getrlimit(resource.RLIMIT_CORE) == core)
print("DONE")
