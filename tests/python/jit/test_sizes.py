"""Sizes that do not fit are refused as NumPy refuses them, never wrapped around
(issue #17): np.empty and friends, reshape, np.arange."""
import numpy as np
import pytest

import accel
from reference import check

TOO_BIG = "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size."


def write_last(n):
    a = np.empty(n)
    a[n - 1] = 1.0
    return a[n - 1]


def zeros_of(a, b, c):
    return np.zeros((a, b, c)).size


def ones_int8(n):
    return np.ones(n, np.int8).size


def reshaped(x, a, b):
    return x.reshape(a, b).shape


def arange_length(a, b):
    return np.arange(a, b).size


def arange_step_length(a, b, c):
    return np.arange(a, b, c).size


@pytest.mark.parametrize("n", [2**61, 2**62, 2**63 - 1])
def test_a_size_beyond_int64_bytes_is_a_value_error(n):
    check(write_last, n)


def test_a_shape_whose_product_overflows_is_a_value_error_even_with_a_zero():
    check(zeros_of, 2**40, 2**40, 0)
    check(zeros_of, 0, 2**40, 2**40)
    check(zeros_of, 2**31, 3, 0)
    check(zeros_of, 2, 3, 4)


def test_a_size_that_fits_int64_but_not_memory_is_a_memory_error():
    # NumPy's message names the size and shape; ours does not (docs/semantics.md).
    with pytest.raises(MemoryError):
        write_last(2**59)
    with pytest.raises(MemoryError):
        accel.jit(write_last)(2**59)
    with pytest.raises(MemoryError):
        accel.jit(ones_int8)(2**62)


def test_reshape_into_a_shape_whose_product_wraps_around_is_refused():
    x = np.arange(4.0)
    with pytest.raises(ValueError, match="cannot reshape"):
        reshaped(x, 4, 2**62 + 1)
    with pytest.raises(ValueError, match="cannot reshape"):
        accel.jit(reshaped)(x, 4, 2**62 + 1)
    with pytest.raises(ValueError, match="cannot reshape"):
        accel.jit(reshaped)(x, -1, 2**62 + 1)
    check(reshaped, x, -1, 2)
    check(reshaped, x, 2, 2)


@pytest.mark.parametrize("bounds", [(0.0, float("nan")), (float("nan"), 1.0), (0.0, float("inf")),
                                    (float("-inf"), 0.0), (0.0, 2.0**62), (0, 2**62), (0.0, 5.5)])
def test_arange_of_nan_or_infinite_length_raises_as_numpy(bounds):
    check(arange_length, *bounds)


@pytest.mark.parametrize("bounds", [(0.0, 1e300, 1e-300), (0.0, 1.0, float("nan")), (0.0, -float("inf"), -1.0),
                                    (1.0, 0.0, -0.25)])
def test_arange_with_a_step_raises_as_numpy(bounds):
    check(arange_step_length, *bounds)
