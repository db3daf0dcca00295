"""np.rot90, np.swapaxes and np.moveaxis of matrices: views of the argument, as NumPy's.
(np.asarray is the registry's: src/library/array_from_sequence.cpp.)"""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import integer


@library_overload(np.rot90)
def _rot90(m, k=1):
    if not (isinstance(m, types.Array) and m.ndim == 2 and integer(k)):
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


def _exchanged(a, first, second, first_name, second_name):
    """a.T when the two axes of a matrix differ, else a view of a as it is."""
    _axis_of_matrix(first, first_name)
    _axis_of_matrix(second, second_name)
    return a.T if first % 2 != second % 2 else a[:, :]


def _swapped_matrix(a, axis1, axis2):
    return _exchanged(a, axis1, axis2, "axis1", "axis2")


@library_overload(np.moveaxis)
def _moveaxis(a, source, destination):
    if isinstance(a, types.Array) and a.ndim == 2 and integer(source):
        return _moved_matrix
    return None


def _moved_matrix(a, source, destination):
    return _exchanged(a, source, destination, "source", "destination")
