"""np.interp of real numbers and arrays: NumPy's search and its formulas, so results
match NumPy's bit for bit, NaN and exact sample points included."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent, value_or


def _real(t):
    return isinstance(t, (types.Integer, types.Float, types.Boolean))


def _real_vector(t):
    return isinstance(t, types.Array) and t.ndim == 1 and _real(t.dtype)


@library_overload(np.interp)
def _interp(x, xp, fp, left=None, right=None):
    if not (_real_vector(xp) and _real_vector(fp)):
        return None
    for bound in (left, right):
        if not (absent(bound) or _real(bound)):
            return None
    if _real(x):
        return _interp_number
    if isinstance(x, types.Array) and _real(x.dtype):
        return _interp_array
    return None


def _checked(xp, fp):
    if xp.shape[0] == 0:
        raise ValueError("array of sample points is empty")
    if xp.shape[0] != fp.shape[0]:
        raise ValueError("fp and xp are not of the same length.")


def _at(x, xp, fp, left, right):
    """NumPy's value at x: `left`/`right` outside [xp[0], xp[-1]], fp at a sample point,
    else the line through the two neighbours (from the other end when that is NaN)."""
    n = xp.shape[0]
    if n == 1:  # NumPy's own branch: a NaN x falls through both tests to fp[0]
        return left if x < xp[0] else (right if x > xp[0] else np.float64(fp[0]))
    if x != x:
        return x
    if x < xp[0]:
        return left
    if x > xp[n - 1]:
        return right
    if x == xp[n - 1]:
        return np.float64(fp[n - 1])
    lo = 0
    hi = n - 1  # xp[lo] <= x < xp[hi]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if xp[mid] <= x:
            lo = mid
        else:
            hi = mid
    if xp[lo] == x:
        return np.float64(fp[lo])
    slope = (np.float64(fp[lo + 1]) - fp[lo]) / (np.float64(xp[lo + 1]) - xp[lo])
    value = slope * (x - xp[lo]) + fp[lo]
    if value != value:
        value = slope * (x - xp[lo + 1]) + fp[lo + 1]
        if value != value and fp[lo] == fp[lo + 1]:
            value = np.float64(fp[lo])
    return value


def _interp_number(x, xp, fp, left=None, right=None):
    _checked(xp, fp)
    low = np.float64(value_or(left, fp[0]))
    high = np.float64(value_or(right, fp[-1]))
    return _at(np.float64(x), xp, fp, low, high)


def _interp_array(x, xp, fp, left=None, right=None):
    _checked(xp, fp)
    low = np.float64(value_or(left, fp[0]))
    high = np.float64(value_or(right, fp[-1]))
    flat = x.ravel()
    out = np.empty(flat.shape[0])
    for i in range(flat.shape[0]):
        out[i] = _at(np.float64(flat[i]), xp, fp, low, high)
    return out.reshape(x.shape)
