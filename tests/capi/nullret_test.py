import re, sys
import nullret_ext as m
o = m.Obj()
for label, fn in [("mod.null_noexc()", m.null_noexc), ("mod.result_exc()", m.result_exc),
                  ("o.null_noexc()", lambda: o.null_noexc()), ("o.result_exc()", lambda: o.result_exc()),
                  # A bound method kept and called later is named by its own repr.
                  ("bound o.null_noexc", o.null_noexc), ("bound o.result_exc", o.result_exc)]:
    try:
        fn()
    except SystemError as e:
        print(label, "->", re.sub(r"0x[0-9a-f]+", "0x...", str(e)), "| cause:", repr(e.__cause__))
print("DONE")
