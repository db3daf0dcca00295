"""NumPy functions written in the compiled subset of Python, as numba's numba/np/arraymath.py.

Each module registers ``library_overload``s: a typing function that looks at the call's
argument types (accel.types) and returns the plain Python function compiled code runs for
them, compiled with the caller like any function the user calls. A typing function that
returns None leaves the call a CompileTypeError naming the function and the types. A
user's ``accel.overload`` of the same NumPy object replaces these.

Loaded by accel._overload on the first lookup after NumPy is imported.
"""
from . import (flips, triangles, covariance, interpolation, logic, linalg, creation,  # noqa: F401
               differences, products, closeness, counting, nan_reductions, quantiles,
               construction, rearranging, searching, averages, elementwise, sets, convolution,
               joining, views, indices, spacing, advanced_indexing, decompositions)
