import unready_ext as unready
print("type:", unready.It.__name__, type(unready.It).__name__)
it = unready.make_it(3)
print("instance type is It:", type(it) is unready.It)
print("items:", list(it))
print("list(make_it(2)):", list(unready.make_it(2)))
print("DONE")
