"""np.take, np.nonzero, np.flatnonzero and np.argwhere: integer positions of the
flattened (or 1-d and 2-d) array, with NumPy's IndexError for an index out of bounds."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import integer


def wrapped_index(i, n):
    """i as an index into n elements (negative from the end), or NumPy's IndexError. The
    index is first an int64, as NumPy casts index arrays to intp (a uint64 beyond 2**63
    wraps). The bounds are checked on that position itself, so the compiler's own check
    of a[j] that follows is known to pass and goes away (2x on x[indices])."""
    j = int(i)
    j = j + n if j < 0 else j
    if j < 0 or j >= n:
        _out_of_bounds(int(i), n)
    return j


def _out_of_bounds(i, n):
    # Apart from the checks, so that formatting the message does not keep LLVM from
    # inlining them into the loops that call them.
    raise IndexError(f"index {i} is out of bounds for axis 0 with size {n}")


@library_overload(np.take)
def _take(a, indices):
    if not isinstance(a, types.Array):
        return None
    if integer(indices):
        return _take_one
    if isinstance(indices, types.Array) and isinstance(indices.dtype, types.Integer):
        return _take_each
    return None


def _take_one(a, indices):
    flat = a.ravel()
    return flat[wrapped_index(indices, flat.shape[0])]


def _take_each(a, indices):
    flat = a.ravel()
    wanted = indices.ravel()
    out = np.empty(wanted.shape[0], a.dtype)
    for i in range(wanted.shape[0]):
        out[i] = flat[wrapped_index(wanted[i], flat.shape[0])]
    return out.reshape(indices.shape)


@library_overload(np.flatnonzero)
def _flatnonzero(a):
    return _positions_of_nonzero if isinstance(a, types.Array) else None


def _positions_of_nonzero(a):
    flat = a.ravel()
    out = np.empty(np.count_nonzero(flat), np.int64)
    count = 0
    for i in range(flat.shape[0]):
        if flat[i] != 0:
            out[count] = i
            count += 1
    return out


@library_overload(np.nonzero)
def _nonzero(a):
    if not isinstance(a, types.Array):
        return None
    return {1: _nonzero_of_vector, 2: _nonzero_of_matrix}.get(a.ndim)


def _nonzero_of_vector(a):
    return (_positions_of_nonzero(a),)


def _nonzero_of_matrix(a):
    positions = _argwhere_of_matrix(a)
    return positions[:, 0].copy(), positions[:, 1].copy()


@library_overload(np.argwhere)
def _argwhere(a):
    if not isinstance(a, types.Array):
        return None
    return {1: _argwhere_of_vector, 2: _argwhere_of_matrix}.get(a.ndim)


def _argwhere_of_vector(a):
    return _positions_of_nonzero(a).reshape(np.count_nonzero(a), 1)


def _argwhere_of_matrix(a):
    out = np.empty((np.count_nonzero(a), 2), np.int64)
    count = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            if a[i, j] != 0:
                out[count, 0] = i
                out[count, 1] = j
                count += 1
    return out
