"""The csv module as CPython has it: a dialect given as a class (read, not
instantiated) or a registered name, with CPython's parameter checks
(pandas' python parser builds such a class); fields with lone surrogates or
non-ASCII delimiters and quote characters; quoting modes, escapechar,
strict errors and line numbers; Sniffer is Python. Messages CPython
reworded after 3.11, which the host (3.14) words as 3.14, and the checks
3.13 added are shown by exception type only."""
import _csv
import csv
import io


def show(label, f):
    try:
        r = f()
    except Exception as e:
        r = "%s: %s" % (type(e).__name__, e)
    if " at 0x" in repr(r):
        r = type(r).__name__
    print(label, repr(r))


def catch(f):
    try:
        return f()
    except Exception as e:
        return e


def rd(text, **kw):
    return list(csv.reader(io.StringIO(text), **kw))


def wr(rows, **kw):
    s = io.StringIO()
    w = csv.writer(s, **kw)
    for r in rows:
        w.writerow(r)
    return s.getvalue()


class Semi(csv.Dialect):
    delimiter = ";"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL


class Pipe(csv.excel):
    delimiter = "|"


csv.register_dialect("semi", Semi)
show("dialect class", lambda: rd("a;b\n1;2\n", dialect=Semi))
show("dialect subclass", lambda: rd("a|b\n", dialect=Pipe))
show("dialect name", lambda: rd("a;b\n", dialect="semi"))
show("dialect instance", lambda: rd("a;b\n", dialect=Semi()))
show("dialect positional", lambda: list(csv.reader(["a;b"], Semi)))
show("dialect class writer", lambda: wr([[1, 2]], dialect=Semi))
show("dialect class + keyword", lambda: rd("a,b;c\n", dialect=Semi, delimiter=","))
show("unknown dialect", lambda: rd("a\n", dialect="nosuch"))
show("get_dialect", lambda: csv.get_dialect("semi").delimiter)
show("list_dialects", lambda: sorted(csv.list_dialects()))

# pandas' python parser: a Dialect subclass built from the read_csv options
for quoting in (0, 1, 2, 3):
    for qc in ('"', None, "'"):
        for esc in (None, "\\"):
            class MyDialect(csv.Dialect):
                delimiter = None
                quotechar = qc
                escapechar = esc
                doublequote = True
                skipinitialspace = False
                quoting = 0
                lineterminator = "\n"
            dia = MyDialect
            dia.delimiter = ","
            dia.quoting = quoting
            key = "%d %r %r" % (quoting, qc, esc)
            show("pandas " + key, lambda: rd('a,b\n"1",2\n', dialect=dia, strict=True))
            show("registered " + key, lambda: (csv.register_dialect("pd", dia), rd("a,b\n", dialect="pd"))[1])
            show("writer " + key, lambda: wr([["a", "b,c", 1, 'q"']], dialect=dia))


class Bad(csv.Dialect):
    delimiter = ","
    quotechar = None
    quoting = csv.QUOTE_MINIMAL
    lineterminator = "\n"


show("Bad class", lambda: rd("a\n", dialect=Bad))
show("Bad instance", lambda: Bad())
show("Dialect without attributes", lambda: type(catch(lambda: type("Bad2", (csv.Dialect,), {})())).__name__)
show("_csv.Dialect keywords", lambda: _csv.Dialect(delimiter=";").delimiter)
show("_csv.Dialect of class", lambda: _csv.Dialect(Semi).delimiter)
show("quotechar None alone", lambda: wr([["a,b"]], quotechar=None))
show("quotechar None + escapechar", lambda: wr([["a,b"]], quotechar=None, escapechar="\\"))
show("quotechar None + quoting", lambda: csv.reader([], quotechar=None, quoting=csv.QUOTE_ALL))
for kw in ({"delimiter": "ab"}, {"delimiter": ""}, {"delimiter": 1}, {"delimiter": None},
           {"lineterminator": 1}, {"quotechar": "ab"}, {"quotechar": 1}, {"escapechar": "ab"},
           {"escapechar": 1}, {"foo": 1}):
    show("params %r" % (kw,), lambda: type(catch(lambda: csv.reader([], **kw))).__name__)
for kw in ({"quoting": 7}, {"quoting": "a"}):
    show("params %r" % (kw,), lambda: csv.reader([], **kw))
show("register bad name", lambda: csv.register_dialect(1))

# data
show("surrogate read", lambda: rd("a\udc80b,c\n"))
show("surrogate write", lambda: wr([["a\udc80b", "\ud800"]]))
show("non-ASCII delimiter", lambda: list(csv.reader(["a\xa7b"], delimiter="\xa7")))
show("non-ASCII quotechar", lambda: list(csv.reader(["\xaba,b\xab,c"], quotechar="\xab")))
show("non-ASCII write", lambda: wr([["\xe9", "x\xa7y"]], delimiter="\xa7"))
show("non-ASCII dialect attrs", lambda: (lambda d: (d.delimiter, d.quotechar))(csv.reader([], delimiter="\u2603", quotechar="\u00ab").dialect))
show("unicode data", lambda: rd('\u65e5\u672c,"\u8a9e,x"\n'))
show("nul read", lambda: rd("a\0b\n"))
for q in (csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, csv.QUOTE_NONE):
    show("write q%d" % q, lambda: wr([[1, 1.5, "a", "b,c", None, "", 'q"x']], quoting=q))
    show("write q%d escapechar" % q, lambda: wr([[1, "b,c", 'q"x', "d\\e"]], quoting=q, escapechar="\\"))
    show("read q%d" % q, lambda: rd('1,"2",a,"b,c",,""\n', quoting=q))
show("nonnumeric bad", lambda: rd("a,1\n", quoting=csv.QUOTE_NONNUMERIC))
show("escape read", lambda: rd("a\\,b,c\\\\d\n", escapechar="\\"))
show("escape quoted", lambda: rd('"a\\"b",c\n', escapechar="\\", doublequote=False))
show("strict bad quote", lambda: rd('a,"b"c\n', strict=True))
show("nonstrict bad quote", lambda: rd('a,"b"c\n'))
show("eof in quoted", lambda: rd('a,"b\n'))
show("eof in quoted strict", lambda: rd('a,"b', strict=True))
show("newline in unquoted", lambda: type(catch(lambda: list(csv.reader(["a\rb,c"])))).__name__)
show("lone cr", lambda: type(catch(lambda: rd("a,b\rc,d\r"))).__name__)
show("crlf in field", lambda: rd('"a\r\nb",c\r\n'))


def limit():
    old = csv.field_size_limit(5)
    try:
        return rd("abcde\n"), rd("abcdefgh\n")
    finally:
        csv.field_size_limit(old)


show("field limit", limit)
show("field limit non-ASCII", lambda: (csv.field_size_limit(3), rd("\xe9\xe9\xe9\n"), csv.field_size_limit(131072))[1])


def lineno():
    r = csv.reader(io.StringIO('a,b\n"c\nd",e\nf,"g"h\n'), strict=True)
    out = []
    try:
        for row in r:
            out.append((r.line_num, row))
    except csv.Error as e:
        out.append((r.line_num, str(e)))
    return out


show("line_num", lineno)
show("QUOTE_NONE no escapechar", lambda: wr([['a"b']], quoting=csv.QUOTE_NONE))
show("QUOTE_NONE delimiter", lambda: wr([["a,b"]], quoting=csv.QUOTE_NONE))
show("QUOTE_NONE newline", lambda: wr([["a\nb"]], quoting=csv.QUOTE_NONE, escapechar="\\"))
show("doublequote False", lambda: wr([['a"b']], doublequote=False))
show("doublequote False escapechar", lambda: wr([['a"b']], doublequote=False, escapechar="\\"))
show("escapechar in field", lambda: wr([["a\\b"]], escapechar="\\"))
show("lineterminator chars", lambda: [wr([["a\rb", "c\nd", "e|f"]], lineterminator=t) for t in ("\r\n", "|\r\n")])
show("skipinitialspace", lambda: rd('a, b,  "c"\n', skipinitialspace=True))
show("writerows", lambda: (lambda s: (csv.writer(s).writerows([[1], [2, 3]]), s.getvalue())[1])(io.StringIO()))
show("writerow not iterable", lambda: wr([1]))
show("writerow str", lambda: wr(["abc"]))
show("writerow empty", lambda: wr([[]]))
show("writerow single empty", lambda: wr([[""]]))
show("writerow None only", lambda: wr([[None]]))
show("single empty QUOTE_NONE", lambda: wr([[""]], quoting=csv.QUOTE_NONE))
show("write floats", lambda: wr([[0.1, 1e20, float("nan"), True]]))
show("reader bytes", lambda: list(csv.reader([b"a,b"])))
show("dialect attrs", lambda: (lambda d: (d.delimiter, d.quotechar, d.escapechar, d.doublequote, d.skipinitialspace, d.lineterminator, d.quoting, d.strict))(csv.reader([], dialect=Semi).dialect))
show("sniffer", lambda: (lambda d: (d.delimiter, d.quotechar, d.doublequote, d.skipinitialspace))(csv.Sniffer().sniff('a;b;c\n1;2;3\n"x";"y";"z"\n')))
show("has_header", lambda: csv.Sniffer().has_header("name,age\nbob,3\nal,4\n"))
show("Sniffer module", lambda: csv.Sniffer.__module__)
show("DictReader", lambda: list(csv.DictReader(io.StringIO("a,b\n1,2\n3\n4,5,6\n"))))
show("DictWriter extra", lambda: csv.DictWriter(io.StringIO(), ["a"]).writerow({"b": 1}))
show("Error base", lambda: csv.Error.__mro__[1].__name__)
print("DONE")
