"""np.searchsorted (side 'left') and np.digitize of sorted 1-d arrays: binary searches
that place NaN last, as NumPy's sort order does."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import real_number, boolean


def _before(x, y):
    """x sorts before y in NumPy's order (NaN after every number)."""
    return x < y or (y != y and x == x)


def _left(a, value):
    lo, hi = 0, a.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if _before(a[mid], value):
            lo = mid + 1
        else:
            hi = mid
    return lo


def _right(a, value):
    lo, hi = 0, a.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if _before(value, a[mid]):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _sorted_vector(a):
    return isinstance(a, types.Array) and a.ndim == 1 and not isinstance(a.dtype, types.Complex)


def _values(v):
    return real_number(v) or (
        isinstance(v, types.Array) and not isinstance(v.dtype, types.Complex))


@library_overload(np.searchsorted)
def _searchsorted(a, v):
    if not (_sorted_vector(a) and _values(v)):
        return None
    return _search_each if isinstance(v, types.Array) else _search_one


def _search_one(a, v):
    return np.int64(_left(a, v))


def _search_each(a, v):
    flat = v.ravel()
    out = np.empty(flat.shape[0], np.int64)
    for i in range(flat.shape[0]):
        out[i] = _left(a, flat[i])
    return out.reshape(v.shape)


@library_overload(np.digitize)
def _digitize(x, bins, right=False):
    if not (_sorted_vector(bins) and _values(x) and boolean(right)):
        return None
    return _bin_each if isinstance(x, types.Array) else _bin_one


def _monotonic(bins):
    """1 when bins never decrease, -1 when they never increase, else NumPy's ValueError."""
    rising = True
    falling = True
    for i in range(1, bins.shape[0]):
        rising = rising and not bins[i] < bins[i - 1]
        falling = falling and not bins[i] > bins[i - 1]
    if rising:
        return 1
    if falling:
        return -1
    raise ValueError("bins must be monotonically increasing or decreasing")


def _bin_of(bins, direction, value, right):
    if direction == 1:
        return _left(bins, value) if right else _right(bins, value)
    reversed_bins = bins[::-1]
    n = bins.shape[0]
    return n - (_left(reversed_bins, value) if right else _right(reversed_bins, value))


def _bin_one(x, bins, right=False):
    return np.int64(_bin_of(bins, _monotonic(bins), x, right))


def _bin_each(x, bins, right=False):
    direction = _monotonic(bins)
    flat = x.ravel()
    out = np.empty(flat.shape[0], np.int64)
    for i in range(flat.shape[0]):
        out[i] = _bin_of(bins, direction, flat[i], right)
    return out.reshape(x.shape)
