"""np.eye and np.identity (float64; a dtype= is refused by name until dtypes can be
passed to compiled functions)."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent


def _integer(t):
    return isinstance(t, (types.Integer, int))


@library_overload(np.eye)
def _eye(N, M=None, k=0):
    if _integer(N) and (absent(M) or _integer(M)) and _integer(k):
        return _eye_of if absent(M) else _eye_of_columns
    return None


def _eye_of(N, M=None, k=0):
    return _ones_on_diagonal(np.zeros((N, N)), k)


def _eye_of_columns(N, M=None, k=0):
    return _ones_on_diagonal(np.zeros((N, M)), k)


def _ones_on_diagonal(out, k):
    for i in range(max(0, -k), min(out.shape[0], out.shape[1] - k)):
        out[i, i + k] = 1
    return out


@library_overload(np.identity)
def _identity(n):
    return _identity_of if _integer(n) else None


def _identity_of(n):
    return _ones_on_diagonal(np.zeros((n, n)), 0)
