"""A comment holding the word `for` after a call's last keyword argument
is a comment (docutils 0.23.1's `__init__.py` has one, so `import docutils`
failed with "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
an unparenthesized generator after a keyword argument is still an error."""

SOURCES = [
    "dict(a=1 # for\n)",
    "dict(a=1  # True for official releases\n)",
    "dict(a=1, b=2  # if x for y in z\n  )",
    "dict(a='#', b=3 # for\n)",
    "dict(a=1 # xfor\n)",
    "dict(a=x for x in y)",
    "f(a=1 for x in y)",
]
for source in SOURCES:
    try:
        print(repr(source), "->", eval(compile(source, "<s>", "eval"), {"y": [], "f": dict}))
    except SyntaxError as e:
        print(repr(source), "-> SyntaxError", e.msg)

code = "def f(**k):\n    return k\nprint(f(a=1  # if x for y\n  ))\n"
exec(compile(code, "<c>", "exec"))
print("DONE")
