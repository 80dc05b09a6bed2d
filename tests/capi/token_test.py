import token_ext as ext

names = ext.token_names()
print("names:", names)
op = names.index("OP")
print("one:", {chr(c): names[t] for c in range(256) if (t := ext.one_char(c)) != op})
print("one, out of range:", [ext.one_char(c) for c in (-1, 256, 0x2b + 256, 1 << 20)])
chars = sorted(set("!%&()*+,-./:;<=>@[]^{|}~$?`'\"\\#ab0 "))
print("two:", {a + b: names[t] for a in chars for b in chars if (t := ext.two_chars(ord(a), ord(b))) != op})
print("three:", {a + b + c: names[t] for a in chars for b in chars for c in chars
                 if (t := ext.three_chars(ord(a), ord(b), ord(c))) != op})
print("two, out of range:", ext.two_chars(ord("=") + 256, ord("=")), ext.two_chars(-1, -1))
print("DONE")
