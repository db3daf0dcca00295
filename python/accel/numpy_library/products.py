"""np.vdot, np.inner, np.outer, np.kron and np.trace of real arrays: NumPy's products
written with the engine's own np.dot (BLAS for floats) and broadcasting."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import integer


def _real(a, ndims=(1, 2)):
    return isinstance(a, types.Array) and a.ndim in ndims and not isinstance(a.dtype, types.Complex)


@library_overload(np.vdot)
def _vdot(a, b):
    return _vdot_flat if _real(a, (1, 2, 3)) and _real(b, (1, 2, 3)) else None


def _vdot_flat(a, b):
    if a.size != b.size:
        raise ValueError(f"cannot reshape array of size {b.size} into shape ({a.size},)")
    return np.dot(a.ravel(), b.ravel())


@library_overload(np.inner)
def _inner(a, b):
    return _inner_vectors if _real(a, (1,)) and _real(b, (1,)) else None


def _inner_vectors(a, b):
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"shapes ({a.shape[0]},) and ({b.shape[0]},) not aligned: "
                         f"{a.shape[0]} (dim 0) != {b.shape[0]} (dim 0)")
    return np.dot(a, b)


@library_overload(np.outer)
def _outer(a, b):
    return _outer_flat if _real(a, (1, 2, 3)) and _real(b, (1, 2, 3)) else None


def _outer_flat(a, b):
    return a.ravel().reshape(a.size, 1) * b.ravel().reshape(1, b.size)


@library_overload(np.kron)
def _kron(a, b):
    if not (_real(a) and _real(b) and a.ndim == b.ndim):
        return None
    return _kron_vectors if a.ndim == 1 else _kron_matrices


def _kron_vectors(a, b):
    return (a.reshape(a.shape[0], 1) * b.reshape(1, b.shape[0])).reshape(a.shape[0] * b.shape[0])


def _kron_matrices(a, b):
    p, q = a.shape
    r, s = b.shape
    blocks = a.reshape(p, 1, q, 1) * b.reshape(1, r, 1, s)
    return blocks.reshape(p * r, q * s)


@library_overload(np.trace)
def _trace(a, offset=0):
    if not (_real(a, (2,)) and integer(offset)):
        return None
    return _trace_of_matrix


def _trace_of_matrix(a, offset=0):
    # NumPy sums the diagonal as an array (pairwise for floats, int64 for small integers)
    return np.diag(a, offset).sum()
