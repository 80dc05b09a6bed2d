# re's pos, endpos and count are C ssize_t arguments: a negative pos or endpos
# means 0, a negative count makes no substitution, a huge one overflows.
import re

p = re.compile(".*")
text = "I \u2665 RE2!"
for kw in [dict(pos=-100), dict(endpos=-100), dict(pos=-1, endpos=-2), dict(pos=100), dict(endpos=100)]:
    for name in ["search", "match", "fullmatch"]:
        m = getattr(p, name)(text, **kw)
        print(name, kw, m and m.span())
    print("findall", kw, p.findall(text, **kw))
    print("finditer", kw, [m.span() for m in p.finditer(text, **kw)])
    m = p.scanner(text, **kw).search()
    print("scanner", kw, m and m.span())
print("positional", p.search(text, -3, -1).span())
for count in [-5, -1, 0, 1]:
    print("subn", count, re.subn(r"\w+", "X", "Hello, world.", count=count))
    print("sub", count, re.compile(rb"\w+").sub(lambda m: m[0].upper(), b"Hello, world.", count=count))
for big in [2**70, -2**70]:
    for call in [lambda: p.search(text, big), lambda: p.match(text, endpos=big),
                 lambda: re.sub("a", "b", "aaa", count=big)]:
        try:
            call()
        except OverflowError as e:
            print("OverflowError", e)
try:
    p.search(text, 1.5)
except TypeError as e:
    print("TypeError", e)
