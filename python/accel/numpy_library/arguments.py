"""What the library's typing functions and implementations share about arguments that
may be left out or given as None."""
from .._overload import library_overload
from .. import types


def absent(t):
    """Whether an argument was left out (the typing function's default None) or passed
    as None (types.none)."""
    return t is None or isinstance(t, types.NoneType)


def integer(t):
    """An int argument: a Python int default or an integer type."""
    return isinstance(t, (int, types.Integer))


def real_number(t):
    """A real number argument (int or float), not an array."""
    return isinstance(t, (int, float, types.Integer, types.Float))


def boolean(t):
    return isinstance(t, (bool, types.Boolean))


def same_shape(a, b):
    """Whether two arrays have one shape (compiled: a.ndim is known, the sizes are not)."""
    if a.ndim != b.ndim:
        return False
    for axis in range(a.ndim):
        if a.shape[axis] != b.shape[axis]:
            return False
    return True


def value_or(value, otherwise):
    """value, or `otherwise` when value is None: chosen by type, so compiled code never
    holds a branch that only type-checks for the other case."""
    return value


@library_overload(value_or)
def _value_or_typing(value, otherwise):
    return _otherwise if absent(value) else value_or


def _otherwise(value, otherwise):
    return otherwise
