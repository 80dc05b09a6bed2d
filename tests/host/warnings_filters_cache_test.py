"""A function that warns in a loop, each time under its own
`catch_warnings` (a new filters list each time, as `pytest.warns` makes),
keeps no filters list alive once the loop has moved on: the host's cache of
`warnings.filters` kept each list it replaced until the function returned."""
import gc
import warnings


def filter_lists():
    gc.collect()
    return sum(1 for o in gc.get_objects()
               if type(o) is list and o and type(o[0]) is tuple and len(o[0]) == 5)


def warn_in_a_loop(n, **simplefilter):
    start = filter_lists()
    for i in range(n):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.warn("w%d" % i, DeprecationWarning)
        assert len(caught) == 1 and str(caught[0].message) == "w%d" % i
    return filter_lists() - start


print("lists kept by 200 warnings:", warn_in_a_loop(200) <= 1)
print("lists kept by 2000 warnings:", warn_in_a_loop(2000) <= 1)

# The filters still apply as they are changed.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("ignore")
    warnings.warn("ignored", UserWarning)
    warnings.simplefilter("always")
    warnings.warn("seen", UserWarning)
    warnings.filterwarnings("error", category=UserWarning)
    try:
        warnings.warn("raised", UserWarning)
    except UserWarning as e:
        print("error filter:", type(e).__name__, e)
print("caught:", [str(w.message) for w in caught])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("once")
    for _ in range(3):
        warnings.warn("once only", RuntimeWarning)
print("once:", [str(w.message) for w in caught])
print("DONE")
