import mem_ext as ext

FAMILIES = {0: "PyMem", 1: "PyMem_Raw", 2: "PyObject"}

for idx, name in FAMILIES.items():
    facts = ext.exercise(idx)
    for key, value in facts.items():
        print(f"{name}: {key}: {value!r}")

for idx, name in FAMILIES.items():
    ext.keep_alloc(idx, 100)
    print(f"{name}: kept block, grow to 5000 preserves:", ext.keep_grow(5000))
    print(f"{name}: kept block, shrink to 17 preserves:", ext.keep_grow(17))
    print(f"{name}: kept block, grow to 300000 preserves:", ext.keep_grow(300000))
    print(f"{name}: kept block intact at free:", ext.keep_check_free())

ext.keep_alloc(0, 0)
print("kept zero-size block, grow to 10:", ext.keep_grow(10))
print("kept zero-size block freed:", ext.keep_check_free())

try:
    ext.keep_check_free()
except RuntimeError as e:
    print("free without block:", type(e).__name__, str(e))

print("PyMem_New/Resize/Del:", ext.typed_macros())
print("string roundtrip:", ext.string_roundtrip("abc"))
print("string roundtrip utf8:", ext.string_roundtrip("héllo €"))
print("string roundtrip empty:", repr(ext.string_roundtrip("")))
print("string roundtrip long:", ext.string_roundtrip("x" * 10000) == "x" * 20000)

# allocation churn interleaved with Python allocations
ok = True
for i in range(200):
    junk = [str(j) for j in range(20)]
    ext.keep_alloc(i % 3, i * 7)
    ok = ok and ext.keep_grow(i * 13 + 1) and ext.keep_check_free()
print("churn ok:", ok)

print("arena allocator (default, usable, set, called, calls, restored):", ext.arena_allocator())

print("DONE")
