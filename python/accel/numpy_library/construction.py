"""np.diag, np.diagflat, np.tri and np.vander: new arrays built from a vector or a size,
in NumPy's dtypes (np.tri is float64, as NumPy's default)."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent, value_or, integer


@library_overload(np.diag)
def _diag(v, k=0):
    if not (isinstance(v, types.Array) and integer(k)):
        return None
    return {1: _diag_from_vector, 2: _diag_of_matrix}.get(v.ndim)


def _diag_from_vector(v, k=0):
    n = v.shape[0] + abs(k)
    out = np.zeros((n, n), v.dtype)
    for i in range(v.shape[0]):
        out[i + max(-k, 0), i + max(k, 0)] = v[i]
    return out


def _diag_of_matrix(v, k=0):
    start_row = max(-k, 0)
    start_col = max(k, 0)
    n = max(min(v.shape[0] - start_row, v.shape[1] - start_col), 0)
    out = np.empty(n, v.dtype)
    for i in range(n):
        out[i] = v[start_row + i, start_col + i]
    return out


@library_overload(np.diagflat)
def _diagflat(v, k=0):
    return _diagflat_of if isinstance(v, types.Array) and integer(k) else None


def _diagflat_of(v, k=0):
    return np.diag(v.ravel(), k)


@library_overload(np.tri)
def _tri(N, M=None, k=0):
    if integer(N) and (absent(M) or integer(M)) and integer(k):
        return _lower_ones
    return None


def _lower_ones(N, M=None, k=0):
    rows = max(N, 0)  # NumPy's tri of a negative size is empty
    columns = max(value_or(M, N), 0)
    out = np.zeros((rows, columns))
    for i in range(rows):
        for j in range(min(max(i + k + 1, 0), columns)):
            out[i, j] = 1.0
    return out


@library_overload(np.vander)
def _vander(x, N=None, increasing=False):
    if not (isinstance(x, types.Array) and x.ndim == 1 and (absent(N) or integer(N))):
        return None
    if isinstance(x.dtype, types.Boolean):
        return None
    return _powers


def _powers(x, N=None, increasing=False):
    columns = value_or(N, x.shape[0])
    if columns < 0:
        raise ValueError("negative dimensions are not allowed")
    # NumPy's dtype is promote_types(x.dtype, int): int64 for small integers, float64 for float32
    out = np.empty((x.shape[0], columns), (x[:0] * np.int64(1)).dtype)
    for i in range(x.shape[0]):
        previous = 0
        for j in range(columns):
            column = j if increasing else columns - 1 - j
            out[i, column] = 1 if j == 0 else out[i, previous] * x[i]
            previous = column
    return out
