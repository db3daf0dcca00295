"""np.clip, np.sinc and np.angle of real numbers and arrays, as NumPy composes them from
its ufuncs (so the dtypes and the NaN cases are NumPy's)."""
import numpy as np

from .._overload import library_overload
from .. import types


def _real(a):
    if isinstance(a, types.Array):
        return not isinstance(a.dtype, (types.Complex, types.Boolean))
    return isinstance(a, (int, float, types.Integer, types.Float))


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
    return _angle_of_real if _real(z) and isinstance(deg, (bool, types.Boolean)) else None


def _angle_of_real(z, deg=False):
    a = np.arctan2(0, z)
    return a * (180 / np.pi) if deg else a
