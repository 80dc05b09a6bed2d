import gc

import privmacros_ext as ext

log = []
r = ext.Res(log)
print("fresh object finalized:", ext.is_finalized(r))
del r
gc.collect()
print("plain release:", log)

log.clear()
kept = []


class Reviving(ext.Res):
    def __del__(self):
        kept.append(self)


r = Reviving(log)
del r
gc.collect()
print("after a __del__ that revives:", log, len(kept))
print("revived object finalized:", ext.is_finalized(kept[0]))
kept.clear()
gc.collect()
print("after the last reference went:", log, "__del__ ran again:", len(kept))
kept.clear()

print("ExceptionGroup:", ext.is_group(ExceptionGroup("g", [ValueError()])),
      "BaseExceptionGroup:", ext.is_group(BaseExceptionGroup("g", [KeyboardInterrupt()])),
      "ValueError:", ext.is_group(ValueError()), "int:", ext.is_group(3))
print("plain dict has a split table:", ext.split_table({"a": 1}))


class CM:
    def __enter__(self):
        return "entered"


inst = CM()
inst.__enter__ = lambda: "instance attribute, not looked up"
print("special __enter__:", ext.special_enter(inst), ext.special_enter(3))
print("asserted:", ext.checked([1]))
print("sanitizers:", ext.sanitizers())
print("DONE")
