"""np.flip, np.fliplr, np.flipud: views with negated strides, as NumPy's."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent


def _arrays_of(m, lowest_ndim):
    return isinstance(m, types.Array) and m.ndim >= lowest_ndim


@library_overload(np.flip)
def _flip(m, axis=None):
    if not _arrays_of(m, 1) or m.ndim > 3:
        return None
    if absent(axis):
        return (None, _flip_all_1, _flip_all_2, _flip_all_3)[m.ndim]
    if isinstance(axis, types.Integer):
        return (None, _flip_axis_1, _flip_axis_2, _flip_axis_3)[m.ndim]
    return None


def _flip_all_1(m, axis=None):
    return m[::-1]


def _flip_all_2(m, axis=None):
    return m[::-1, ::-1]


def _flip_all_3(m, axis=None):
    return m[::-1, ::-1, ::-1]


def _normalized_axis(axis, ndim):
    if axis < -ndim or axis >= ndim:
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension {ndim}")
    return axis + ndim if axis < 0 else axis


def _flip_axis_1(m, axis):
    _normalized_axis(axis, 1)
    return m[::-1]


def _flip_axis_2(m, axis):
    if _normalized_axis(axis, 2) == 0:
        return m[::-1, :]
    return m[:, ::-1]


def _flip_axis_3(m, axis):
    chosen = _normalized_axis(axis, 3)
    if chosen == 0:
        return m[::-1, :, :]
    if chosen == 1:
        return m[:, ::-1, :]
    return m[:, :, ::-1]


@library_overload(np.fliplr)
def _fliplr(m):
    if isinstance(m, types.Array):
        return _flip_columns if m.ndim >= 2 else _too_few_dimensions_for_fliplr
    return None


def _flip_columns(m):
    return m[:, ::-1]


def _too_few_dimensions_for_fliplr(m):
    raise ValueError("Input must be >= 2-d.")


@library_overload(np.flipud)
def _flipud(m):
    if isinstance(m, types.Array):
        return _flip_rows if m.ndim >= 1 else _too_few_dimensions_for_flipud
    return None


def _flip_rows(m):
    return m[::-1]


def _too_few_dimensions_for_flipud(m):
    raise ValueError("Input must be >= 1-d.")
