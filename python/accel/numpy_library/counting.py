"""np.count_nonzero and np.bincount: counts over the flattened array, NumPy's errors for
negative values and lengths."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent, integer


@library_overload(np.count_nonzero)
def _count_nonzero(a, axis=None):
    return _count_all if isinstance(a, types.Array) and absent(axis) else None


def _count_all(a, axis=None):
    count = np.int64(0)  # NumPy's count is an np.int64, not an int
    for value in a.ravel():
        if value != 0:
            count += 1
    return count


@library_overload(np.bincount)
def _bincount(x, weights=None, minlength=0):
    if not (isinstance(x, types.Array) and x.ndim == 1
            and isinstance(x.dtype, (types.Integer, types.Boolean))
            and integer(minlength)):
        return None
    if absent(weights):
        return _bincount_counts
    if isinstance(weights, types.Array) and weights.ndim == 1 \
            and not isinstance(weights.dtype, types.Complex):
        return _bincount_weights
    return None


def _bins(x, minlength):
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    top = -1
    for value in x:
        if value < 0:
            raise ValueError("'list' argument must have no negative elements")
        top = max(top, int(value))
    return max(top + 1, minlength)


def _bincount_counts(x, weights=None, minlength=0):
    out = np.zeros(_bins(x, minlength), np.int64)
    for value in x:
        out[int(value)] += 1
    return out


def _bincount_weights(x, weights=None, minlength=0):
    if weights.shape[0] != x.shape[0]:
        raise ValueError("The weights and list don't have the same length.")
    out = np.zeros(_bins(x, minlength))
    for i in range(x.shape[0]):
        out[int(x[i])] += weights[i]
    return out
