# pyfastx's reverse_complement: C writes the text of a str it made (and alone
# holds) through PyUnicode_AsUTF8's pointer, the str's own data for ASCII in
# CPython; the str Python gets shows the new text. A str Python holds keeps
# its text.
import utf8write_ext as ext

print(ext.upper_copy("atgc"), ext.upper_copy("x" * 1000) == "X" * 1000)
s = "held by python"
r = ext.upper_copy(s)
print(s, r)
print("DONE")
