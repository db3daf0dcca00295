"""np.convolve (mode 'full') and np.correlate (mode 'valid') of real 1-d arrays: NumPy's
sums of products, with its swap of the shorter operand and its errors for empty ones."""
import numpy as np

from .._overload import library_overload
from .. import types


def _vector(a):
    return isinstance(a, types.Array) and a.ndim == 1 and not isinstance(a.dtype, types.Complex)


def _nonempty(a, v):
    if a.shape[0] == 0:
        raise ValueError("a cannot be empty")
    if v.shape[0] == 0:
        raise ValueError("v cannot be empty")


def _both_given(a, v):
    if a.shape[0] == 0:
        raise ValueError("first array argument cannot be empty")
    if v.shape[0] == 0:
        raise ValueError("second array argument cannot be empty")


@library_overload(np.convolve)
def _convolve(a, v):
    return _full_convolution if _vector(a) and _vector(v) else None


def _full_convolution(a, v):
    _nonempty(a, v)
    n = a.shape[0]
    m = v.shape[0]
    out = np.zeros(n + m - 1, (a[:0] * v[:0]).dtype)
    for k in range(n + m - 1):
        total = out[k]
        for i in range(max(0, k - m + 1), min(k, n - 1) + 1):
            total += a[i] * v[k - i]
        out[k] = total
    return out


@library_overload(np.correlate)
def _correlate(a, v):
    return _valid_correlation if _vector(a) and _vector(v) else None


def _valid_correlation(a, v):
    _both_given(a, v)
    if v.shape[0] > a.shape[0]:
        return _valid_correlation(v, a)[::-1].copy()
    n = a.shape[0]
    m = v.shape[0]
    out = np.zeros(n - m + 1, (a[:0] * v[:0]).dtype)
    for k in range(n - m + 1):
        total = out[k]
        for i in range(m):
            total += a[k + i] * v[i]
        out[k] = total
    return out


@library_overload(np.cross)
def _cross(a, b):
    if not (_vector(a) and _vector(b)):
        return None
    return _cross_of_3_vectors


def _cross_of_3_vectors(a, b):
    if a.shape[0] != 3 or b.shape[0] != 3:
        raise ValueError("accel: np.cross takes vectors of 3 elements here")
    out = np.empty(3, (a[:0] * b[:0]).dtype)
    out[0] = a[1] * b[2] - a[2] * b[1]
    out[1] = a[2] * b[0] - a[0] * b[2]
    out[2] = a[0] * b[1] - a[1] * b[0]
    return out
