"""Arrays made in compiled code are released on every path (issue #17's leaks), counted
with accel._core.live_array_blocks() against CPython running the same function."""
import numpy as np
import pytest

import accel
from reference import check


def blocks_left_by(function, *args):
    """Live array blocks left after one more call (its result dropped)."""
    compiled = accel.jit(function)
    compiled(*args)  # compiles
    start = accel._core.live_array_blocks()
    compiled(*args)
    return accel._core.live_array_blocks() - start


def array_in_while_test(x):
    i = 0
    while (x + i).sum() < 100:
        i += 1
    return i


def array_in_if_before_continue(x):
    kept = 0
    for i in range(20):
        if (x + i).sum() > 30:
            continue
        kept += 1
    return kept


def array_in_if_before_break(x):
    i = 0
    while True:
        if (x * i).sum() > 50:
            break
        i += 1
    return i


def variance_of_rows(x):
    return x.var(axis=1)


def std_of_columns(x):
    return x.std(axis=0)


def array_in_elif_test(x, n):
    total = 0
    for i in range(n):
        if (x - i).max() > 3:
            total += 1
        elif (x + i).min() < 2:
            total += 2
        else:
            continue
    return total


def test_an_array_in_a_while_test_is_released_every_turn():
    x = np.ones(5)
    check(array_in_while_test, x)
    assert blocks_left_by(array_in_while_test, x) == 0


def test_an_array_in_an_if_test_is_released_before_continue_and_break():
    x = np.ones(3)
    check(array_in_if_before_continue, x)
    check(array_in_if_before_break, x)
    assert blocks_left_by(array_in_if_before_continue, x) == 0
    assert blocks_left_by(array_in_if_before_break, x) == 0
    check(array_in_elif_test, np.arange(5.0), 8)
    assert blocks_left_by(array_in_elif_test, np.arange(5.0), 8) == 0


def test_reductions_over_an_axis_release_their_rows():
    x = np.arange(24.0).reshape(6, 4)
    np.testing.assert_allclose(accel.jit(variance_of_rows)(x), variance_of_rows(x))
    np.testing.assert_allclose(accel.jit(std_of_columns)(x), std_of_columns(x))
    assert blocks_left_by(variance_of_rows, x) == 0
    assert blocks_left_by(std_of_columns, x) == 0


def three_arrays(x):
    return x + 1, x + 2, (x + 3, x * 2)


def test_a_tuple_result_that_fails_halfway_through_boxing_releases_the_rest():
    testcapi = pytest.importorskip("_testcapi")
    f = accel.jit(three_arrays)
    x = np.ones(4)
    f(x)
    start = accel._core.live_array_blocks()
    failures = 0
    for n in range(40):  # the n-th allocation of the call fails, and only that one
        testcapi.set_nomemory(n, n + 1)
        try:
            result = f(x)
        except MemoryError:
            failures += 1
            result = None
        finally:
            testcapi.remove_mem_hooks()
        del result
    assert failures > 3  # boxing failed at several places
    assert accel._core.live_array_blocks() == start
