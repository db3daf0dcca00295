"""np.concatenate, np.stack, np.hstack, np.vstack, np.column_stack, np.dstack, np.append and
np.delete of a tuple of arrays that share a dtype and a number of dimensions (1-d and 2-d):
copies into one new array, with NumPy's errors for mismatched shapes."""
import numpy as np

from .._overload import library_overload
from .. import types
from .indices import wrapped_index
from .arguments import integer


def _arrays(arrays, ndims=(1, 2)):
    if not isinstance(arrays, types.BaseTuple) or len(arrays) == 0:
        return False
    first = arrays[0]
    return all(isinstance(a, types.Array) and a.ndim == first.ndim and a.ndim in ndims
               and a.dtype == first.dtype for a in arrays)


def _along(arrays, axis, ndim):
    """The length of the result along `axis` (0 or 1), checking the other axis."""
    total = 0
    index = 0
    for a in arrays:
        _matching(arrays[0].shape[1 - axis] if ndim == 2 else 0, a.shape[1 - axis] if ndim == 2 else 0,
                  1 - axis, index)
        total += a.shape[axis]
        index += 1
    return total


def _matching(first, size, dimension, index):
    if size != first:
        raise ValueError(f"all the input array dimensions except for the concatenation axis must "
                         f"match exactly, but along dimension {dimension}, the array at index 0 has "
                         f"size {first} and the array at index {index} has size {size}")


@library_overload(np.concatenate)
def _concatenate(arrays, axis=0):
    if not (_arrays(arrays) and integer(axis)):
        return None
    return _concatenated_vectors if arrays[0].ndim == 1 else _concatenated_matrices


def _concatenated_vectors(arrays, axis=0):
    if axis != 0 and axis != -1:
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension 1")
    out = np.empty(_along(arrays, 0, 1), arrays[0].dtype)
    start = 0
    for a in arrays:
        out[start:start + a.shape[0]] = a
        start += a.shape[0]
    return out


def _concatenated_matrices(arrays, axis=0):
    if axis < -2 or axis > 1:
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension 2")
    along = axis % 2
    if along == 0:
        out = np.empty((_along(arrays, 0, 2), arrays[0].shape[1]), arrays[0].dtype)
        start = 0
        for a in arrays:
            out[start:start + a.shape[0], :] = a
            start += a.shape[0]
        return out
    out = np.empty((arrays[0].shape[0], _along(arrays, 1, 2)), arrays[0].dtype)
    start = 0
    for a in arrays:
        out[:, start:start + a.shape[1]] = a
        start += a.shape[1]
    return out


@library_overload(np.hstack)
def _hstack(tup):
    if not _arrays(tup):
        return None
    return _joined_along_0 if tup[0].ndim == 1 else _joined_along_1


def _joined_along_0(tup):
    return np.concatenate(tup, 0)


def _joined_along_1(tup):
    return np.concatenate(tup, 1)


@library_overload(np.vstack)
def _vstack(tup):
    if not _arrays(tup):
        return None
    return _rows_of_vectors if tup[0].ndim == 1 else _joined_along_0


def _rows_of_vectors(tup, dimension=1):
    """The vectors as rows; `dimension` is the axis NumPy's error names for a mismatch."""
    n = tup[0].shape[0]
    out = np.empty((len(tup), n), tup[0].dtype)
    row = 0
    for a in tup:
        _matching(n, a.shape[0], dimension, row)
        out[row] = a
        row += 1
    return out


@library_overload(np.stack)
def _stack(arrays, axis=0):
    if not (_arrays(arrays, (1,)) and integer(axis)):
        return None
    return _stacked_vectors


def _stacked_vectors(arrays, axis=0):
    for a in arrays:
        if a.shape[0] != arrays[0].shape[0]:
            raise ValueError("all input arrays must have the same shape")
    rows = _rows_of_vectors(arrays)
    if axis == 0 or axis == -2:
        return rows
    if axis == 1 or axis == -1:
        return rows.T.copy()
    raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension 2")


@library_overload(np.append)
def _append(arr, values):
    if not (isinstance(arr, types.Array) and isinstance(values, types.Array) and arr.dtype == values.dtype):
        return None
    return _appended


def _appended(arr, values):
    a = arr.ravel()
    b = values.ravel()
    out = np.empty(a.shape[0] + b.shape[0], a.dtype)
    out[:a.shape[0]] = a
    out[a.shape[0]:] = b
    return out


@library_overload(np.delete)
def _delete(arr, obj):
    if not (isinstance(arr, types.Array) and integer(obj)):
        return None
    return _without_one


def _without_one(arr, obj):
    a = arr.ravel()
    n = a.shape[0]
    index = wrapped_index(obj, n)
    out = np.empty(n - 1, a.dtype)
    out[:index] = a[:index]
    out[index:] = a[index + 1:]
    return out


@library_overload(np.column_stack)
def _column_stack(tup):
    if not _arrays(tup):
        return None
    return _columns_of_vectors if tup[0].ndim == 1 else _joined_along_1


def _columns_of_vectors(tup):
    return _rows_of_vectors(tup, 0).T.copy()


@library_overload(np.dstack)
def _dstack(tup):
    if not _arrays(tup):
        return None
    return _depth_of_vectors if tup[0].ndim == 1 else _depth_of_matrices


def _depth_of_vectors(tup):
    columns = _rows_of_vectors(tup, 1).T.copy()
    return columns.reshape(1, columns.shape[0], columns.shape[1])


def _depth_of_matrices(tup):
    first = tup[0]
    out = np.empty((first.shape[0], first.shape[1], len(tup)), first.dtype)
    layer = 0
    for a in tup:
        _matching(first.shape[0], a.shape[0], 0, layer)
        _matching(first.shape[1], a.shape[1], 1, layer)
        out[:, :, layer] = a
        layer += 1
    return out
