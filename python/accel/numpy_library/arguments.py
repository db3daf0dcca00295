"""What the library's typing functions and implementations share about arguments that
may be left out or given as None."""
from .._overload import library_overload
from .. import types


def absent(t):
    """Whether an argument was left out (the typing function's default None) or passed
    as None (types.none)."""
    return t is None or isinstance(t, types.NoneType)


def value_or(value, otherwise):
    """value, or `otherwise` when value is None: chosen by type, so compiled code never
    holds a branch that only type-checks for the other case."""
    return value


@library_overload(value_or)
def _value_or_typing(value, otherwise):
    return _otherwise if absent(value) else value_or


def _otherwise(value, otherwise):
    return otherwise
