"""np.diff, np.ediff1d and np.trapezoid: neighbours subtracted along the last axis, as
NumPy's slices a[1:] - a[:-1] (not_equal for bool, as NumPy's diff)."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent, integer, real_number


def _numeric(a):
    return isinstance(a, types.Array) and a.ndim in (1, 2)


@library_overload(np.diff)
def _diff(a, n=1, axis=-1):
    if not (_numeric(a) and integer(n) and axis in (-1, a.ndim - 1)):
        return None
    if isinstance(a.dtype, types.Boolean):
        return _differ_bool_1d if a.ndim == 1 else _differ_bool_2d
    return _diff_1d if a.ndim == 1 else _diff_2d


def _order_checked(n):
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n}")


def _diff_1d(a, n=1, axis=-1):
    _order_checked(n)
    if n == 0:
        return a.copy()
    out = a[1:] - a[:-1]
    for _ in range(n - 1):
        out = out[1:] - out[:-1]
    return out


def _diff_2d(a, n=1, axis=-1):
    _order_checked(n)
    if n == 0:
        return a.copy()
    out = a[:, 1:] - a[:, :-1]
    for _ in range(n - 1):
        out = out[:, 1:] - out[:, :-1]
    return out


def _differ_bool_1d(a, n=1, axis=-1):
    _order_checked(n)
    if n == 0:
        return a.copy()
    out = a[1:] != a[:-1]
    for _ in range(n - 1):
        out = out[1:] != out[:-1]
    return out


def _differ_bool_2d(a, n=1, axis=-1):
    _order_checked(n)
    if n == 0:
        return a.copy()
    out = a[:, 1:] != a[:, :-1]
    for _ in range(n - 1):
        out = out[:, 1:] != out[:, :-1]
    return out


@library_overload(np.ediff1d)
def _ediff1d(ary, to_end=None, to_begin=None):
    if not (isinstance(ary, types.Array) and absent(to_end) and absent(to_begin)):
        return None
    if isinstance(ary.dtype, types.Boolean):
        return None  # NumPy refuses bool subtraction
    return _ediff1d_flat


def _ediff1d_flat(ary, to_end=None, to_begin=None):
    flat = ary.ravel()
    return flat[1:] - flat[:-1]


def _trapezoid_typing(y, x=None, dx=1.0, axis=-1):
    if not (isinstance(y, types.Array) and y.ndim == 1 and axis in (-1, 0)):
        return None
    if isinstance(y.dtype, (types.Boolean, types.Complex)):
        return None
    if absent(x):
        return _trapezoid_spaced if real_number(dx) else None
    if isinstance(x, types.Array) and x.ndim == 1:
        return _trapezoid_at
    return None


def _trapezoid_spaced(y, x=None, dx=1.0, axis=-1):
    return (dx * (y[1:] + y[:-1]) / 2.0).sum()


def _trapezoid_at(y, x=None, dx=1.0, axis=-1):
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"operands could not be broadcast together with shapes "
                         f"({x.shape[0] - 1},) ({y.shape[0] - 1},) ")
    return ((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2.0).sum()


library_overload(np.trapezoid)(_trapezoid_typing)
