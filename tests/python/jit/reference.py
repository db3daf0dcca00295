"""The shared check: a jitted function must behave as CPython running the same code."""
import math

import numpy as np

import accel

# `./dev test --sanitize` runs this suite on an engine built with ASan and UBSan; the few
# checks that measure the allocator itself (peak memory, failing allocations) skip there.
UNDER_SANITIZERS = "sanitize" in accel._core.__file__


def outcome(function, args):
    """('value', result) or ('error', type, message) from calling function(*args)."""
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    try:
        return ("value", function(*copies)), copies
    except Exception as error:  # noqa: BLE001 - the reference may raise anything
        return ("error", type(error), str(error)), copies


def same_value(got, expected):
    if type(got) is not type(expected):
        return False
    if isinstance(expected, (tuple, list)):
        return len(got) == len(expected) and all(map(same_value, got, expected))
    if isinstance(expected, dict):  # the same entries in the same (insertion) order
        return len(got) == len(expected) and all(
            same_value(k, ek) and same_value(v, ev) for (k, v), (ek, ev) in zip(got.items(), expected.items()))
    if isinstance(expected, set):
        return got == expected and sorted(map(repr, got)) == sorted(map(repr, expected))
    if isinstance(expected, (float, np.floating)):
        if math.isnan(expected):
            return math.isnan(got)
        # Signed zeros must match too: CPython distinguishes them in divmod and copysign.
        return got == expected and math.copysign(1, got) == math.copysign(1, expected)
    return got == expected


def check(function, *args, compiled=None):
    """Runs `function` under CPython and compiled on the same arguments (arrays copied,
    so in-place writes are compared too) and asserts the same result or exception."""
    compiled = compiled or accel.jit(function)
    expected, expected_args = outcome(function, args)
    got, got_args = outcome(compiled, args)
    if expected[0] == "error":
        assert got[0] == "error", f"expected {expected[1].__name__}: {expected[2]}, got {got[1]!r}"
        assert got[1] is expected[1] and got[2] == expected[2], (got, expected)
    else:
        assert got[0] == "value", f"compiled code raised {got[1].__name__}: {got[2]}"
        assert same_value(got[1], expected[1]), (
            f"{function.__name__}{args}: compiled {got[1]!r} ({type(got[1]).__name__}), "
            f"CPython {expected[1]!r} ({type(expected[1]).__name__})")
    for mine, theirs in zip(got_args, expected_args):
        if isinstance(theirs, np.ndarray):
            np.testing.assert_array_equal(mine, theirs)
    return got
