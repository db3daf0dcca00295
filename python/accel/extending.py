"""numba.extending's names that numba code imports: ``from accel.extending import overload``."""
from ._overload import overload


def register_jitable(function=None, **options):
    """numba's register_jitable: a function that compiled code may call. In accel every
    plain Python function is callable from compiled code already, so it is returned as
    it is (and stays callable from Python)."""
    if function is None:
        return lambda f: f
    return function


__all__ = ["overload", "register_jitable"]
