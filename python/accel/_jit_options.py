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


# numba options that mean nothing different here, with the values that say so. Any other
# value asks for something accel does not do, and is refused by name.
_NEUTRAL = {
    "looplift": (True, False),         # lifts loops out of object mode, which accel never uses
    "forceobj": (False,),
    "debug": (False,),
    "target": ("cpu",),
    "target_backend": ("cpu",),
    "inline": ("never", "always"),     # numba's IR-level inlining; LLVM inlines accel's callees itself
    "no_rewrites": (False,),
    "no_cpython_wrapper": (False,),
    "no_cfunc_wrapper": (False,),
}
_WHY = {
    "forceobj": "object mode is not available: accel always compiles without Python objects",
    "debug": "compiled code carries no debug information yet",
    "target": "accel compiles for the CPU only",
    "target_backend": "accel compiles for the CPU only",
    "inline": "a cost-model function for inlining is not supported",
    "locals": "declared types of local variables are not supported yet (each local takes the "
              "type of what is assigned to it)",
}


def check_neutral_options(options):
    """Checks numba's options that change nothing in accel: a value that asks for what
    accel does not do raises NotImplementedError naming it; an unknown name, TypeError."""
    for name, value in options.items():
        if name == "locals":
            if value is None or (isinstance(value, dict) and not value):
                continue
        elif name in _NEUTRAL:
            if any(value is accepted or (type(value) is type(accepted) and value == accepted)
                   for accepted in _NEUTRAL[name]):
                continue
        else:
            raise TypeError(f"accel.jit() got an unexpected keyword argument {name!r}")
        raise NotImplementedError(f"accel.jit({name}={value!r}): {_WHY.get(name, 'not supported')}")
