"""NumPy's true division of floats, for library code that must give NumPy's inf and NaN
where compiled division of numbers raises ZeroDivisionError (docs/semantics.md #7)."""
import math


def true_divide(a, b):
    if b != 0.0:
        return a / b
    if a == 0.0 or a != a:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)
