"""np.roll, np.repeat and np.tile of the flattened array (no axis=),
np.atleast_1d/2d and np.cumprod: NumPy's results built element by element."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent, integer


@library_overload(np.roll)
def _roll(a, shift, axis=None):
    return _roll_flat if isinstance(a, types.Array) and integer(shift) and absent(axis) else None


def _roll_flat(a, shift, axis=None):
    flat = a.ravel()
    n = flat.shape[0]
    out = np.empty(n, a.dtype)
    if n > 0:
        offset = shift % n
        for i in range(n):
            out[(i + offset) % n] = flat[i]
    return out.reshape(a.shape)


@library_overload(np.repeat)
def _repeat(a, repeats, axis=None):
    return _repeat_flat if isinstance(a, types.Array) and integer(repeats) and absent(axis) else None


def _repeat_flat(a, repeats, axis=None):
    flat = a.ravel()
    if repeats < 0 and flat.shape[0] > 0:  # NumPy repeats nothing of an empty array unchecked
        raise ValueError("negative dimensions are not allowed")
    out = np.empty(flat.shape[0] * max(repeats, 0), a.dtype)
    for i in range(flat.shape[0]):
        for j in range(repeats):
            out[i * repeats + j] = flat[i]
    return out


@library_overload(np.tile)
def _tile(A, reps):
    return _tile_vector if isinstance(A, types.Array) and A.ndim == 1 and integer(reps) else None


def _tile_vector(A, reps):
    n = A.shape[0]
    if reps < 0 and n > 0:
        raise ValueError("negative dimensions are not allowed")
    out = np.empty(n * max(reps, 0), A.dtype)
    for r in range(max(reps, 0)):
        out[r * n:(r + 1) * n] = A
    return out


@library_overload(np.atleast_1d)
def _atleast_1d(a):
    return _itself if isinstance(a, types.Array) and a.ndim >= 1 else None


@library_overload(np.atleast_2d)
def _atleast_2d(a):
    if not isinstance(a, types.Array) or a.ndim == 0:
        return None
    return _one_row if a.ndim == 1 else _itself


def _itself(a):
    return a


def _one_row(a):
    return a.reshape(1, a.shape[0])


@library_overload(np.cumprod)
def _cumprod(a, axis=None):
    return _running_product if isinstance(a, types.Array) and absent(axis) else None


def _running_product(a, axis=None):
    flat = a.ravel()
    out = np.empty(flat.shape[0], np.cumsum(flat[:0]).dtype)  # cumsum's dtype: int64 for small ints
    if flat.shape[0] == 0:
        return out
    out[0] = flat[0]
    product = out[0]  # of out's dtype: the product runs in it, as NumPy's
    for i in range(1, flat.shape[0]):
        product = product * flat[i]
        out[i] = product
    return out
