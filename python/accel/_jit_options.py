"""Checks the numba options of @accel.jit that are more than a bool, at decoration.

Each becomes a plain value in the settings dict that accel._core reads
(src/bindings/core_module.cpp, options_from_python).
"""

# LLVM's fast-math flags, by the names numba accepts; "fast" means all of them.
FASTMATH_FLAGS = ("afn", "arcp", "contract", "ninf", "nnan", "nsz", "reassoc")
ERROR_MODELS = ("python", "numpy")

# The default of both options: not given, so a jitted function called from another one
# compiles with its caller's setting there (numba's rule).
UNSET = object()

_ACCEPTED_FLAGS = "'fast' (all of them), " + ", ".join(repr(flag) for flag in FASTMATH_FLAGS)


def fastmath_flags(value):
    """The sorted flag names that fastmath=value turns on ([] for off).

    Accepts what numba accepts: True, False, a set of flag names, or a dict of flag name
    to bool (the names mapped to a true value count).
    """
    if value is UNSET or value is False:
        return []
    if value is True:
        return list(FASTMATH_FLAGS)
    if isinstance(value, dict):
        names = [name for name, enabled in value.items() if enabled]
        checked = list(value)
    elif isinstance(value, (set, frozenset)):
        names = checked = list(value)
    else:
        raise TypeError(f"accel.jit(fastmath=...) takes True, False, a set of flag names or a dict "
                        f"of flag name to bool, not {type(value).__name__}; the flags are {_ACCEPTED_FLAGS}")
    for name in checked:
        if not isinstance(name, str):
            raise TypeError(f"accel.jit(fastmath=...): flag names are strings, not {type(name).__name__} "
                            f"({name!r}); the flags are {_ACCEPTED_FLAGS}")
        if name != "fast" and name not in FASTMATH_FLAGS:
            raise ValueError(f"accel.jit(fastmath=...): unknown flag {name!r}; the flags are {_ACCEPTED_FLAGS}")
    if "fast" in names:
        return list(FASTMATH_FLAGS)
    return sorted(set(names))


def error_model_name(value):
    """'python' (ZeroDivisionError, the default) or 'numpy' (NumPy's inf, nan or 0)."""
    if value is UNSET:
        return "python"
    if not isinstance(value, str):
        raise TypeError(f"accel.jit(error_model=...) takes 'python' or 'numpy', not {type(value).__name__}")
    if value not in ERROR_MODELS:
        raise ValueError(f"accel.jit(error_model={value!r}): the error models are 'python' "
                         "(ZeroDivisionError, the default) and 'numpy' (NumPy's inf, nan or 0)")
    return value


def inherited(fastmath, error_model):
    """The options left unset, which a called function takes from its caller."""
    return [name for name, value in (("error_model", error_model), ("fastmath", fastmath)) if value is UNSET]
