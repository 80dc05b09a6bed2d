import initexc_ext as ext

def show(label, f):
    try:
        r = f()
        print(label, "returned", type(r).__name__)
    except BaseException as e:
        c = e.__cause__
        print(label, type(e).__name__, str(e), "| cause:", type(c).__name__ if c else None, c)

class Sub(ext.Bad):
    pass

show("Bad()", lambda: ext.Bad())
show("Bad(1, k=2)", lambda: ext.Bad(1, k=2))
show("Sub()", lambda: Sub())
show("NewBad()", lambda: ext.NewBad())
print("DONE")
