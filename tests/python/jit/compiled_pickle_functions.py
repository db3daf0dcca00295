"""Jitted functions for test_compiled_pickle.py. They live in a file because the
compiler reads a function's source (inspect.getsource) when it compiles from source."""
import numpy as np

import accel

OFFSET = 7  # a global: frozen into the compiled code


@accel.jit
def polynomial(x, y):
    return x * x * 3 + y - OFFSET


@accel.jit
def scaled(a, factor=2.0):
    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = a[i] * factor + OFFSET
    return out


@accel.jit
def lowest_highest(a):
    lo = a[0]
    hi = a[0]
    for v in a:
        lo = min(lo, v)
        hi = max(hi, v)
    return lo, hi


@accel.jit
def square(v):
    return v * v


@accel.jit
def sum_of_squares(a):
    s = 0.0
    for v in a:
        s += square(v)
    return s


@accel.jit(parallel=True)
def parallel_total(a):
    s = 0
    for i in accel.prange(len(a)):
        s += a[i] * 2
    return s


@accel.jit(nogil=True)
def dot(a, b):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


@accel.jit
def fill(out, value):
    for i in range(len(out)):
        out[i] = value
