"""np.logical_and, logical_or, logical_xor, logical_not: truth of numbers and arrays,
as NumPy's ufuncs (bool results, broadcasting)."""
import numpy as np

from .._overload import library_overload
from .. import types


def _operand(t):
    return isinstance(t, (types.Array, types.Number))


def _arrays_in(*operands):
    return any(isinstance(t, types.Array) for t in operands)


def _binary(number_version, array_version):
    def typing(x1, x2):
        if not (_operand(x1) and _operand(x2)):
            return None
        return array_version if _arrays_in(x1, x2) else number_version
    return typing


def _and_numbers(x1, x2):
    return np.bool_(x1 != 0) & np.bool_(x2 != 0)


def _and_arrays(x1, x2):
    return (x1 != 0) & (x2 != 0)


def _or_numbers(x1, x2):
    return np.bool_(x1 != 0) | np.bool_(x2 != 0)


def _or_arrays(x1, x2):
    return (x1 != 0) | (x2 != 0)


def _xor_numbers(x1, x2):
    return np.bool_(x1 != 0) != np.bool_(x2 != 0)


def _xor_arrays(x1, x2):
    return (x1 != 0) != (x2 != 0)


def _not_numbers(x):
    return np.bool_(x == 0)


def _not_arrays(x):
    return x == 0


library_overload(np.logical_and)(_binary(_and_numbers, _and_arrays))
library_overload(np.logical_or)(_binary(_or_numbers, _or_arrays))
library_overload(np.logical_xor)(_binary(_xor_numbers, _xor_arrays))


@library_overload(np.logical_not)
def _logical_not(x):
    if not _operand(x):
        return None
    return _not_arrays if isinstance(x, types.Array) else _not_numbers
