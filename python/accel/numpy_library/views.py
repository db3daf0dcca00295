"""np.asarray of an array, np.rot90, np.swapaxes and np.moveaxis of matrices: views of the
argument, as NumPy's."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent


@library_overload(np.asarray)
def _asarray(a, dtype=None):
    return _itself if isinstance(a, types.Array) and absent(dtype) else None


def _itself(a, dtype=None):
    return a


@library_overload(np.rot90)
def _rot90(m, k=1):
    if not (isinstance(m, types.Array) and m.ndim == 2 and isinstance(k, (int, types.Integer))):
        return None
    return _quarter_turns


def _quarter_turns(m, k=1):
    turns = k % 4
    if turns == 0:
        return m[:, :]
    if turns == 1:
        return m[:, ::-1].T
    if turns == 2:
        return m[::-1, ::-1]
    return m[::-1, :].T


def _axis_of_matrix(axis, name):
    if axis < -2 or axis > 1:
        raise np.exceptions.AxisError(f"{name}: axis {axis} is out of bounds for array of dimension 2")


@library_overload(np.swapaxes)
def _swapaxes(a, axis1, axis2):
    if isinstance(a, types.Array) and a.ndim == 2:
        return _swapped_matrix
    return None


def _swapped_matrix(a, axis1, axis2):
    _axis_of_matrix(axis1, "axis1")
    _axis_of_matrix(axis2, "axis2")
    return a.T if axis1 % 2 != axis2 % 2 else a[:, :]


@library_overload(np.moveaxis)
def _moveaxis(a, source, destination):
    if isinstance(a, types.Array) and a.ndim == 2 and isinstance(source, (int, types.Integer)):
        return _moved_matrix
    return None


def _moved_matrix(a, source, destination):
    _axis_of_matrix(source, "source")
    _axis_of_matrix(destination, "destination")
    return a.T if source % 2 != destination % 2 else a[:, :]
