import cy_functions as m

print(m.add(1), m.add(1, 2), m.add(a=3, b=4), m.mean([1, 2, 3.5]), m.mean([]))
print(m.signature(1, c=3))
print(m.signature(1, 5, 6, 7, c=3, d=9, z=1, y=2))
for bad in [lambda: m.signature(1), lambda: m.add(), lambda: m.add(1, 2, 3), lambda: m.add("x")]:
    try:
        bad()
    except TypeError as e:
        print("TypeError", e)
a5 = m.make_adder(5)
print(a5(1), m.apply_all([a5, m.make_adder(-1), abs], -3))
inc = m.make_counter()
print(inc(), inc(), inc())
print(m.lambdas())
g = m.gen(3)
print(next(g), g.send("hello"), next(g), list(g))
print(list(m.delegating(2)))
print(m.catch_return())
log = []
cg = m.closing_gen(log)
print(next(cg))
cg.close()
print(log)
g2 = m.gen(5)
next(g2)
try:
    g2.throw(ValueError("boom"))
except ValueError as e:
    print("thrown", e)
print(m.genexpr(range(10)), m.decorated(4), m.run_coro(m.awaiting(4)))
print(m.fib(0), m.fib(10), m.fib(90))
print(m.introspect())
print(type(m.gen(1)).__name__, type(m.add).__name__)
print("DONE")
