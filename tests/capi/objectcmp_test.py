import objectcmp_ext as richcmp
class Plain: pass
class WithLt:
    def __lt__(self, o): return True
class Sub(WithLt): pass
class PlainSub(Plain): pass
for name, obj in [("object()", object()), ("type (a class)", int), ("Plain()", Plain()),
                  ("PlainSub()", PlainSub()), ("None", None),
                  ("'s'", "s"), ("1", 1), ("1.5", 1.5), ("(1,)", (1,)), ("WithLt()", WithLt()), ("Sub()", Sub())]:
    print(f"{name:16} object's tp_richcompare: {richcmp.is_object_cmp(obj)}")
print("str vs type:", richcmp.same_cmp("s", int))
# A class that gains a comparison after C has seen it: object's slot
# (which C may call directly) runs the class's own.
class Late:
    pass
late = Late()
print("Late before:", richcmp.is_object_cmp(late), richcmp.call_eq_slot(late, late), richcmp.call_eq_slot(late, 5))
Late.__eq__ = lambda self, other: "late eq"
print("Late after, ==:", late == 5, richcmp.call_eq_slot(late, 5))
print("DONE")
