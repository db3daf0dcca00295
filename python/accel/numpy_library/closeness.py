"""np.isclose, np.allclose and np.array_equal, with NumPy 2's steps: b made inexact as
result_type(b, 1.0), then |a - b| <= atol + rtol * |b| where b is finite, or a == b."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import real_number, same_shape


def _real(a):
    if isinstance(a, types.Array):
        return not isinstance(a.dtype, types.Complex)
    return isinstance(a, (int, float, bool, types.Integer, types.Float, types.Boolean))


@library_overload(np.isclose)
def _isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    if _real(a) and _real(b) and real_number(rtol) and real_number(atol):
        return _isclose_real
    return None


def _isclose_real(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    y = b * 1.0
    close = np.logical_or(np.logical_and(np.abs(a - y) <= atol + rtol * np.abs(y), np.isfinite(y)),
                          a == y)
    if equal_nan:
        close = np.logical_or(close, np.logical_and(np.isnan(a), np.isnan(y)))
    return close


@library_overload(np.allclose)
def _allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return _allclose_real if _isclose(a, b, rtol, atol, equal_nan) is not None else None


def _allclose_real(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(np.all(np.isclose(a, b, rtol, atol, equal_nan)))


@library_overload(np.array_equal)
def _array_equal(a1, a2, equal_nan=False):
    if not (isinstance(a1, types.Array) and isinstance(a2, types.Array)):
        return None
    if a1.ndim != a2.ndim:
        return _never_equal
    return _equal_shapes_and_values


def _never_equal(a1, a2, equal_nan=False):
    return False


def _equal_shapes_and_values(a1, a2, equal_nan=False):
    if not same_shape(a1, a2):
        return False
    if equal_nan:
        return bool(np.all(np.logical_or(a1 == a2, np.logical_and(np.isnan(a1), np.isnan(a2)))))
    return bool(np.all(a1 == a2))
