"""np.logspace, np.geomspace and np.meshgrid (two 1-d arrays, 'xy' indexing), with
NumPy's steps: logspace is base ** linspace, geomspace its endpoints set exactly."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import integer, real_number, boolean


@library_overload(np.logspace)
def _logspace(start, stop, num=50, endpoint=True, base=10.0):
    if real_number(start) and real_number(stop) and integer(num) \
            and boolean(endpoint) and real_number(base):
        return _powers_of_linspace
    return None


def _powers_of_linspace(start, stop, num=50, endpoint=True, base=10.0):
    return np.power(base * 1.0, np.linspace(start, stop, num, endpoint))


@library_overload(np.geomspace)
def _geomspace(start, stop, num=50, endpoint=True):
    if real_number(start) and real_number(stop) and integer(num) and boolean(endpoint):
        return _geometric
    return None


def _geometric(start, stop, num=50, endpoint=True):
    if start == 0 or stop == 0:
        raise ValueError("Geometric sequence cannot include zero")
    sign = 1.0 if start > 0 else -1.0
    low = start / sign
    high = stop / sign
    out = np.logspace(np.log10(low), np.log10(high), num, endpoint, 10.0)
    if num > 0:
        out[0] = low
        if num > 1 and endpoint:
            out[num - 1] = high
    return sign * out


@library_overload(np.meshgrid)
def _meshgrid(x, y):
    if all(isinstance(a, types.Array) and a.ndim == 1 for a in (x, y)):
        return _grids
    return None


def _grids(x, y):
    xs = np.empty((y.shape[0], x.shape[0]), x.dtype)
    ys = np.empty((y.shape[0], x.shape[0]), y.dtype)
    for i in range(y.shape[0]):
        xs[i] = x
        ys[i] = y[i]
    return xs, ys
