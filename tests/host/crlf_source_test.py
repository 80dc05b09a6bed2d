"""Source with CRLF or CR line ends: ast.parse, compile and exec all read a
multi-line string literal's line breaks as "\\n", as CPython's tokenizer does
(pytest compiles test files through ast.parse)."""
import ast

for src in (b'S = """a\r\nb"""\r\nT = 1\r\n', b'S = """a\rb"""\rT = 1\r'):
    text = src.decode()
    print(repr(ast.parse(src).body[0].value.value), repr(ast.parse(text).body[0].value.value))
    ns = {}
    exec(compile(ast.parse(text), "x", "exec"), ns)
    print(repr(ns["S"]), ns["T"])
    ns = {}
    exec(text, ns)
    print(repr(ns["S"]))
    print([n.lineno for n in ast.parse(text).body])
# an escaped "\r\n" in the literal stays
print(repr(ast.parse('S = "a\\r\\nb"\r\n').body[0].value.value))
print("DONE")
