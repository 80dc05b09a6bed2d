# int / int giving zero: the sign follows the true quotient's.
import math

cases = [(0, -1), (0, 1), (-1, 10**400), (1, -10**400), (-1, -10**400), (0, -10**400), (-0, -3), (5, 2), (-7, 2)]
for a, b in cases:
    q = a / b
    print(a if abs(a) < 10**6 else "big", b if abs(b) < 10**6 else "big", q, math.copysign(1.0, q))
x, y = 0, -1
for _ in range(5):  # past the interpreter's specialization warm-up
    r = x / y
print("loop", r, math.copysign(1.0, r))
print("DONE")
