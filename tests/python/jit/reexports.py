"""A library module that re-exports accel's and NumPy's objects under its own names, as
real projects do (`mylib.prange = accel.prange`), and holds a plain helper function."""
import math as _math

import numpy

import accel

prange = accel.prange
jit = accel.jit
root = numpy.sqrt
PI = _math.pi
xp = numpy


def scaled(v, k):
    return v * k
