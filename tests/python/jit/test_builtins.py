"""Builtins, math, NumPy scalar functions and globals, against CPython."""
import math

import numpy as np
import pytest

import accel
from reference import check

SCALE = 3
RATE = 0.25
ENABLED = True


def use_builtins(a, b):
    return abs(a), abs(b), min(a, b), max(a, b), min(a, b, 0), max(b, a, -1)


def conversions(x):
    return int(x), float(x), bool(x)


def rounding(x):
    return round(x)


def round_digits(x):
    return round(x, 2)


def math_unary(x):
    return (math.sqrt(x), math.exp(x), math.log(x), math.log10(x), math.log2(x), math.log1p(x),
            math.sin(x), math.cos(x), math.tan(x), math.atan(x), math.sinh(x), math.tanh(x),
            math.fabs(x), math.floor(x), math.ceil(x), math.trunc(x), math.erf(x), math.expm1(x),
            math.degrees(x), math.radians(x), math.isnan(x), math.isinf(x), math.isfinite(x))


def math_binary(x, y):
    return math.atan2(x, y), math.hypot(x, y), math.copysign(x, y), math.pow(x, y), math.log(x, y)


def math_constants():
    return math.pi, math.e, math.tau, math.inf, np.pi


def math_domain(x):
    return math.sqrt(x)


def math_log(x):
    return math.log(x)


def math_exp(x):
    return math.exp(x)


def math_acos(x):
    return math.acos(x)


def numpy_scalars(x):
    return np.float32(x), np.int32(x), np.uint8(x), np.float64(x), np.int64(x), np.bool_(x)


def numpy_ufuncs(x):
    return np.sqrt(x), np.exp(x), np.floor(x), np.abs(x), np.minimum(x, 1.5), np.isnan(x), np.arctan2(x, 2.0)


def uses_globals(x):
    if ENABLED:
        return x * SCALE + RATE
    return 0.0


def min_max_array(x):
    return min(x), max(x)


def min_max_tuple(a, b, c):
    t = (a, b, c)
    return min(t), max(t), len(t)


@pytest.mark.parametrize("a,b", [(3, -4), (-2.5, 1.5), (0, 0), (np.int8(-3), np.int8(2))])
def test_abs_min_max(a, b):
    check(use_builtins, a, b)


@pytest.mark.parametrize("x", [3, -3.7, 3.7, 0.0, True, np.float32(2.5), np.int16(-4), float("nan"),
                               float("inf"), -1e18])
def test_int_float_bool_conversions(x):
    check(conversions, x)


@pytest.mark.parametrize("x", [2.5, 3.5, -2.5, 0.49999999999999994, 7, float("nan"), float("inf"),
                               np.float32(1.5), np.int32(3)])
def test_round_half_to_even(x):
    check(rounding, x)


@pytest.mark.parametrize("x", [1.234, -5.678, 0.125, 10.0, 3])
def test_round_with_digits(x):
    check(round_digits, x)


@pytest.mark.parametrize("x", [0.5, 1.0, 2.0, 10.0, 1e-3, 3])
def test_math_functions(x):
    check(math_unary, x)


@pytest.mark.parametrize("x,y", [(1.0, 2.0), (2.0, 0.5), (-1.5, 3.0), (8, 2)])
def test_math_two_argument_functions(x, y):
    check(math_binary, x, y)


def test_math_constants():
    check(math_constants)


@pytest.mark.parametrize("fn,x", [(math_domain, -1.0), (math_log, 0.0), (math_log, -2), (math_exp, 1000.0),
                                  (math_acos, 2.0), (math_domain, float("nan")), (math_domain, float("inf"))])
def test_math_raises_value_and_overflow_errors_like_cpython(fn, x):
    check(fn, x)


@pytest.mark.parametrize("x", [3, 2.75, 200, True, np.float32(1.5), np.int16(7)])
def test_numpy_scalar_constructors(x):
    if x == 200:
        # NumPy 2 refuses out-of-range Python ints (OverflowError); see docs/semantics.md.
        x = np.int64(200)
    check(numpy_scalars, x)


@pytest.mark.parametrize("x", [2.0, 0.5, np.float32(4.0), 9, float("nan"), np.int16(3), np.uint32(5)])
def test_numpy_ufuncs_on_scalars(x):
    check(numpy_ufuncs, x)


def test_module_constants_are_frozen_at_compile_time():
    check(uses_globals, 4)
    check(uses_globals, 1.5)


def numpy_ufunc_small_int(x):
    return np.sqrt(x)


def test_numpy_ufunc_that_would_give_float16_is_refused():
    with pytest.raises(accel.CompileTypeError, match="float16"):
        accel.jit(numpy_ufunc_small_int)(np.int8(3))


def test_min_max_of_arrays_and_tuples():
    check(min_max_array, np.array([3.0, -1.0, 7.5]))
    check(min_max_array, np.array([], dtype=np.float64))
    check(min_max_array, np.array([5], dtype=np.int8))
    check(min_max_tuple, 4, -2, 9)
