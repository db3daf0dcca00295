"""np.clip, np.sinc and np.angle of real numbers and arrays, as NumPy composes them from
its ufuncs (so the dtypes and the NaN cases are NumPy's)."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import real_number, boolean


def _real(a):
    if isinstance(a, types.Array):
        return not isinstance(a.dtype, (types.Complex, types.Boolean))
    return real_number(a)


@library_overload(np.clip)
def _clip(a, a_min, a_max):
    return _clip_between if _real(a) and _real(a_min) and _real(a_max) else None


def _clip_between(a, a_min, a_max):
    return np.minimum(np.maximum(a, a_min), a_max)


@library_overload(np.sinc)
def _sinc(x):
    return _normalized_sinc if _real(x) else None


def _normalized_sinc(x):
    y = np.pi * np.where(x == 0, 1.0e-20, x)
    return np.sin(y) / y


@library_overload(np.angle)
def _angle(z, deg=False):
    return _angle_of_real if _real(z) and boolean(deg) else None


def _angle_of_real(z, deg=False):
    a = np.arctan2(0, z)
    return a * (180 / np.pi) if deg else a


def _real_array(a):
    return isinstance(a, types.Array) and _real(a)


@library_overload(np.sign)
def _sign(x):
    if not _real_array(x):
        return None
    return _sign_of_floats if isinstance(x.dtype, types.Float) else _sign_of_integers


def _sign_of_floats(x):
    # x * 0 + 0.0 keeps NaN and makes -0.0 NumPy's 0.0
    return np.where(x > 0, 1, np.where(x < 0, -1, x * 0 + 0.0))


def _sign_of_integers(x):
    return np.where(x > 0, 1, np.where(x < 0, -1, x * 0))


def _one_array(x, y):
    return _real(x) and _real(y) and (isinstance(x, types.Array) or isinstance(y, types.Array))


@library_overload(np.fmin)
def _fmin(x1, x2):
    return _smaller_number if _one_array(x1, x2) else None


@library_overload(np.fmax)
def _fmax(x1, x2):
    return _larger_number if _one_array(x1, x2) else None


def _smaller_number(x1, x2):
    """np.minimum where neither is NaN, else the one that is a number."""
    return np.where(x1 != x1, x2, np.where(x2 != x2, x1, np.minimum(x1, x2)))


def _larger_number(x1, x2):
    return np.where(x1 != x1, x2, np.where(x2 != x2, x1, np.maximum(x1, x2)))
