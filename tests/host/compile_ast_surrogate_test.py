# compile() of an AST keeps lone surrogates in str constants (pytest's
# assertion rewriting compiles the module's AST: an "\ud800" in a test
# became U+FFFD).
import ast

src = '''
x = "\\ud800"
y = ("a\\udfffb", "\\udc80" + "z", ["\\ud83d"])
def f():
    "doc \\ud800"
    return "in f \\udcff"
g = f"pre \\udc80 {x!r} post"
k = {"\\ud800": 1}
plain = "caf\\u00e9 \\U0001f600 \\uf0000"
'''
tree = ast.parse(src)
ns = {}
exec(compile(tree, "<ast>", "exec"), ns)
for name in ("x", "y", "g", "k", "plain"):
    print(name, ascii(ns[name]))
print("f", ascii(ns["f"]()), ascii(ns["f"].__doc__))

# A tree built by hand, as pytest's rewriter does.
mod = ast.Module(body=[ast.Assign(targets=[ast.Name("z", ast.Store())],
                                  value=ast.Constant("q\ud800r\udfff"))], type_ignores=[])
ast.fix_missing_locations(mod)
exec(compile(mod, "<built>", "exec"), ns)
print("built", ascii(ns["z"]), len(ns["z"]))
expr = ast.Expression(body=ast.Constant("\udc80"))
ast.fix_missing_locations(expr)
print("eval", ascii(eval(compile(expr, "<e>", "eval"))))
# Source compiles keep theirs as before.
print("source", ascii(eval('"\\ud800x"')))
print("DONE")
