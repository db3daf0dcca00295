"""np.median, np.percentile and np.quantile of a whole array at one q, with NumPy's
'linear' method step for step: the sorted values, the virtual index (n - 1) * q, and
NumPy's two-sided interpolation (from the upper neighbour when the weight is >= 0.5), so
results keep NumPy's bits. Any NaN in the array makes the result NaN, as NumPy's."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent


def _takes(a, axis):
    return isinstance(a, types.Array) and absent(axis) and not isinstance(a.dtype, (types.Complex,))


def _number(q):
    return isinstance(q, (int, float, types.Integer, types.Float))


def _sorted_values(a):
    values = np.sort(a.ravel())
    return values


def _has_nan(values):
    # np.sort puts NaN last, as NumPy's
    return values.shape[0] > 0 and np.isnan(values[values.shape[0] - 1])


@library_overload(np.median)
def _median(a, axis=None):
    return _median_all if _takes(a, axis) and not isinstance(a.dtype, types.Boolean) else None


def _median_all(a, axis=None):
    values = _sorted_values(a)
    n = values.shape[0]
    if n == 0:
        return np.nan
    if _has_nan(values):
        return values[n - 1] * 1.0
    half = n // 2
    if n % 2 == 1:
        return values[half] / 1
    return (values[half - 1] + values[half] * 1.0) / 2


def _at(values, q):
    n = values.shape[0]
    if n == 0:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    if _has_nan(values):
        return values[n - 1] * 1.0
    virtual = (n - 1) * q
    below = int(np.floor(virtual))
    below = min(max(below, 0), n - 1)
    above = min(below + 1, n - 1)
    gamma = virtual - below
    a = values[below]
    b = values[above]
    difference = b - a
    if gamma >= 0.5:
        return b - difference * (1 - gamma)
    return a + difference * gamma


@library_overload(np.quantile)
def _quantile(a, q, axis=None):
    if not (_takes(a, axis) and _number(q)):
        return None
    # An integer q makes NumPy's virtual index an integer: the value itself, not a float
    return _quantile_at_end if isinstance(q, (int, types.Integer)) else _quantile_all


def _quantile_at_end(a, q, axis=None):
    if not (0 <= q <= 1):
        raise ValueError("Quantiles must be in the range [0, 1]")
    values = _sorted_values(a)
    n = values.shape[0]
    if n == 0:
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    if _has_nan(values):
        return values[n - 1]
    return values[(n - 1) * q]


def _quantile_all(a, q, axis=None):
    if not (0 <= q <= 1):
        raise ValueError("Quantiles must be in the range [0, 1]")
    return _at(_sorted_values(a), q * 1.0)


@library_overload(np.percentile)
def _percentile(a, q, axis=None):
    return _percentile_all if _takes(a, axis) and _number(q) else None


def _percentile_all(a, q, axis=None):
    fraction = q / 100
    if not (0 <= fraction <= 1):
        raise ValueError("Percentiles must be in the range [0, 100]")
    return _at(_sorted_values(a), fraction)
