import extras_ext as ext


def show(label, value):
    print(label + ":", repr(value))


def attempt(label, f, *args):
    try:
        show(label, f(*args))
    except Exception as e:
        print(label + ": raised", type(e).__name__, str(e))


for s in ["a<b>c", "", "plain", "caf\u00e9 <x>", "\u03b1<\u03b2>", "\U0001f600<>", "x" * 1000 + "<"]:
    out = ext.escape(s)
    show("escape " + repr(s[:12]), (out[:40], len(out), type(out).__name__, ext.kind_info(s)))
show("from_kind", ext.from_kind())
for sl, n in [(slice(None), 10), (slice(2, 8, 2), 10), (slice(-3, None), 10), (slice(None, None, -1), 5),
              (slice(100, -100, -3), 7), (slice(2**70, None), 4), (slice(None, None, -2**70), 4)]:
    show("slice " + repr(sl), ext.slice_info(sl, n))
attempt("slice step zero", ext.slice_info, slice(None, None, 0), 3)
attempt("slice bad index", ext.slice_info, slice("a", None), 3)
show("make_slice", ext.make_slice(1, None, 2))
show("slice_index", (ext.slice_index(5), ext.slice_index(None), ext.slice_index(2**80), ext.slice_index(-2**80)))
attempt("slice_index str", ext.slice_index, "x")
t = (1, 2)
show("seq_tuple", (ext.seq_tuple([1, 2]), ext.seq_tuple("ab"), ext.seq_tuple(t) is t))
attempt("seq_tuple int", ext.seq_tuple, 3)
show("index_info", (ext.index_info(7), ext.index_info(True), ext.index_info(2.5), ext.index_info("x")))
attempt("index_info big", ext.index_info, 2**80)
show("to_base", [ext.to_base(255, b) for b in (2, 8, 10, 16)] + [ext.to_base(-5, 2)])
attempt("to_base 3", ext.to_base, 5, 3)
for data, little, signed in [(b"\x01\x00", True, False), (b"\xff\xff", False, True), (b"\x80" + b"\x00" * 9, False, False), (b"", True, True)]:
    show("from_bytes " + repr(data[:3]), ext.from_bytes(data, little, signed))
lst = [1]
show("extend", (ext.extend(lst, (2, 3)), lst))
attempt("extend bad", ext.extend, lst, 5)
show("PyState_FindModule", ext.find_self())
print("DONE")
