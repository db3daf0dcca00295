"""np.median, np.percentile and np.quantile of a whole array at one q, with NumPy's
'linear' method step for step: the order statistics (found by selection, as NumPy's
partition, not by a full sort), the virtual index (n - 1) * q, and
NumPy's two-sided interpolation (from the upper neighbour when the weight is >= 0.5), so
results keep NumPy's bits. Any NaN in the array makes the result NaN, as NumPy's."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent, integer, real_number


def _takes(a, axis):
    return isinstance(a, types.Array) and absent(axis) and not isinstance(a.dtype, (types.Complex,))


def _values_or_nan(a):
    """A copy of a's values to select in, and whether any is NaN (then the answer is NaN,
    moved to the front)."""
    values = a.ravel().copy()
    for i in range(values.shape[0]):
        if values[i] != values[i]:
            values[0] = values[i]
            return values, True
    return values, False


def _select(v, k):
    """Moves the k-th smallest of v to v[k], with nothing larger before it (Hoare's
    selection, median-of-three pivots); returns it."""
    lo = 0
    hi = v.shape[0] - 1
    while hi > lo:
        mid = (lo + hi) // 2
        a, b, c = v[lo], v[mid], v[hi]
        pivot = max(min(a, b), min(max(a, b), c))
        i = lo
        j = hi
        while i <= j:
            while v[i] < pivot:
                i += 1
            while v[j] > pivot:
                j -= 1
            if i <= j:
                t = v[i]
                v[i] = v[j]
                v[j] = t
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            break
    return v[k]


def _largest_before(v, k):
    best = v[0]
    for i in range(1, k):
        best = max(best, v[i])
    return best


def _smallest_after(v, k):
    best = v[k + 1]
    for i in range(k + 2, v.shape[0]):
        best = min(best, v[i])
    return best


@library_overload(np.median)
def _median(a, axis=None):
    return _median_all if _takes(a, axis) and not isinstance(a.dtype, types.Boolean) else None


def _median_all(a, axis=None):
    values, nan = _values_or_nan(a)
    n = values.shape[0]
    if n == 0:
        return np.nan
    if nan:
        return values[0] * 1.0
    half = n // 2
    upper = _select(values, half)
    if n % 2 == 1:
        return upper / 1
    return (_largest_before(values, half) + upper * 1.0) / 2


def _at(a, q):
    values, nan = _values_or_nan(a)
    n = values.shape[0]
    if n == 0:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    if nan:
        return values[0] * 1.0
    virtual = (n - 1) * q
    below = int(np.floor(virtual))
    below = min(max(below, 0), n - 1)
    gamma = virtual - below
    low = _select(values, below)
    high = _smallest_after(values, below) if below + 1 < n else low
    difference = high - low
    if gamma >= 0.5:
        return high - difference * (1 - gamma)
    return low + difference * gamma


@library_overload(np.quantile)
def _quantile(a, q, axis=None):
    if not (_takes(a, axis) and real_number(q)):
        return None
    # An integer q makes NumPy's virtual index an integer: the value itself, not a float
    return _quantile_at_end if integer(q) else _quantile_all


def _quantile_at_end(a, q, axis=None):
    if not (0 <= q <= 1):
        raise ValueError("Quantiles must be in the range [0, 1]")
    values, nan = _values_or_nan(a)
    n = values.shape[0]
    if n == 0:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    if nan:
        return values[0]
    return _select(values, (n - 1) * q)


def _quantile_all(a, q, axis=None):
    if not (0 <= q <= 1):
        raise ValueError("Quantiles must be in the range [0, 1]")
    return _at(a, q * 1.0)


@library_overload(np.percentile)
def _percentile(a, q, axis=None):
    return _percentile_all if _takes(a, axis) and real_number(q) else None


def _percentile_all(a, q, axis=None):
    fraction = q / 100
    if not (0 <= fraction <= 1):
        raise ValueError("Percentiles must be in the range [0, 100]")
    return _at(a, fraction)
