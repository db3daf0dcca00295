"""np.average with and without weights (whole array): NumPy's steps, the weighted sum
over the sum of weights in result_type(a, weights, float64)."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent, same_shape


@library_overload(np.average)
def _average(a, axis=None, weights=None):
    if not (isinstance(a, types.Array) and absent(axis)) or isinstance(a.dtype, types.Complex):
        return None
    if absent(weights):
        return _plain_mean
    if not (isinstance(weights, types.Array) and not isinstance(weights.dtype, types.Complex)):
        return None
    # NumPy computes in result_type(a, weights), and in float64 at least for integer a
    return _weighted_mean_of_floats if isinstance(a.dtype, types.Float) else _weighted_mean_of_integers


def _plain_mean(a, axis=None, weights=None):
    return a.mean()


def _same_shapes(a, weights):
    if not same_shape(a, weights):
        raise TypeError("Axis must be specified when shapes of a and weights differ.")


def _normalized(total, scale):
    if scale == 0.0:
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    return total / scale


def _weighted_mean_of_floats(a, axis=None, weights=None):
    _same_shapes(a, weights)
    unit = np.ones(1, a.dtype)[0]  # a NumPy scalar of a's dtype: promotes as NumPy's result_type
    return _normalized((a * weights).sum(), (weights * unit).sum())


def _weighted_mean_of_integers(a, axis=None, weights=None):
    _same_shapes(a, weights)
    unit = np.float64(1.0)
    return _normalized(((a * unit) * weights).sum(), (weights * unit).sum())
