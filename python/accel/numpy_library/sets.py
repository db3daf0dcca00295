"""np.unique, np.union1d and np.intersect1d of the flattened values: sorted, each value
once (NaNs collapse into one, as NumPy's default equal_nan=True)."""
import numpy as np

from .._overload import library_overload
from .. import types


def _values(a):
    return isinstance(a, types.Array) and not isinstance(a.dtype, types.Complex)


def _same(x, y):
    return x == y or (x != x and y != y)


def _distinct_sorted(values):
    """The distinct values of a sorted 1-d array, in order."""
    n = values.shape[0]
    out = np.empty(n, values.dtype)
    count = 0
    for i in range(n):
        if count == 0 or not _same(values[i], out[count - 1]):
            out[count] = values[i]
            count += 1
    return out[:count].copy()


@library_overload(np.unique)
def _unique(ar):
    return _unique_values if _values(ar) else None


def _unique_values(ar):
    return _distinct_sorted(np.sort(ar.ravel()))


@library_overload(np.union1d)
def _union1d(ar1, ar2):
    return _union if _values(ar1) and _values(ar2) and ar1.dtype == ar2.dtype else None


def _union(ar1, ar2):
    return _distinct_sorted(np.sort(np.append(ar1, ar2)))


@library_overload(np.intersect1d)
def _intersect1d(ar1, ar2):
    return _intersection if _values(ar1) and _values(ar2) and ar1.dtype == ar2.dtype else None


def _intersection(ar1, ar2):
    a = np.unique(ar1)
    b = np.unique(ar2)
    out = np.empty(min(a.shape[0], b.shape[0]), a.dtype)
    count = 0
    i = 0
    j = 0
    while i < a.shape[0] and j < b.shape[0]:
        if _same(a[i], b[j]):
            out[count] = a[i]
            count += 1
            i += 1
            j += 1
        elif a[i] < b[j] or b[j] != b[j]:
            i += 1
        else:
            j += 1
    return out[:count].copy()
