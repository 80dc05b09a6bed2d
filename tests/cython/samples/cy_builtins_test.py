import cy_builtins as m

print(m.str_ops("Hello, world!"))
print(m.unicode_ops("héllo ☃ 𝄞"))
print(m.bytes_ops(b"abc def"))
print(m.list_ops([1, 2, 3, 5]))
print(m.dict_ops({"a": 0, "b": 2}))
print(m.tuple_ops((1, 2, 3, 1)))
print(m.set_ops({1, 2, 3}))
print(m.int_ops(7, 3))
print(m.int_ops(-12, 5))
print(m.float_ops(7.5, 2))
print(m.conversions())
print(m.unpacking())
print(m.string_formatting("pi", 3.14159, 255))
for f, arg in [(m.str_ops, b"x"), (m.list_ops, (1,)), (m.dict_ops, []), (m.bytes_ops, "s")]:
    try:
        f(arg)
    except TypeError as e:
        print("TypeError", e)
try:
    m.tuple_ops((1,))
except ValueError as e:
    print("ValueError", e)
print("DONE")
