"""np.triu and np.tril of 2-d arrays: a copy with the other triangle zeroed."""
import numpy as np

from .._overload import library_overload
from .. import types


def _takes(m, k):
    return isinstance(m, types.Array) and m.ndim == 2 and isinstance(k, (types.Integer, int))


@library_overload(np.triu)
def _triu(m, k=0):
    return _upper if _takes(m, k) else None


@library_overload(np.tril)
def _tril(m, k=0):
    return _lower if _takes(m, k) else None


def _upper(m, k=0):
    out = m.copy()
    for i in range(m.shape[0]):
        for j in range(min(max(i + k, 0), m.shape[1])):
            out[i, j] = 0
    return out


def _lower(m, k=0):
    out = m.copy()
    for i in range(m.shape[0]):
        for j in range(max(i + k + 1, 0), m.shape[1]):
            out[i, j] = 0
    return out
