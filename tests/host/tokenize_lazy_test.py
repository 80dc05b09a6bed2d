# tokenize reads its input a line at a time and gives a line's tokens
# before it reads the next, as CPython's does: a reader that stops at a
# token has read no further (hunter reads a function's source up to its
# `def`). The host read all input before the first token. The tokens
# themselves are the same as when the whole input is read at once.
import io
import tokenize

source = '''@decorator(
    arg=1,
)
def f(x):
    """doc
    string"""
    if x:  # comment
        return [
            1, 2,
        ]
    return str(x) + 'a' \\
        'b'


class C:
    pass
'''
lines = source.splitlines(keepends=True)
read = []


def readline():
    if len(read) == len(lines):
        raise StopIteration
    read.append(lines[len(read)])
    return read[-1]


for tok in tokenize.generate_tokens(readline):
    if tok.string == "def":
        print("'def' after reading", len(read), "lines")
        break

read.clear()
lazy = [(tokenize.tok_name[t.type], t.string, t.start, t.end) for t in tokenize.generate_tokens(readline)]
whole = [(tokenize.tok_name[t.type], t.string, t.start, t.end) for t in tokenize.generate_tokens(io.StringIO(source).readline)]
print("tokens:", len(lazy), "same as read at once:", lazy == whole)
for tok in lazy[:12]:
    print(tok)
print("DONE")
