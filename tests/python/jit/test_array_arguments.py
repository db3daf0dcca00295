"""Arrays as arguments: iteration, indexing, writes, attributes; against CPython+NumPy."""
import numpy as np
import pytest

import accel
from reference import check

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
          np.uint64, np.float32, np.float64]


def seed_loop(x):
    y = 0
    for item in x:
        y += item
    return y


def total_2d(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * (i + 1)
    return s


def rows(a):
    s = 0
    for row in a:
        for v in row:
            s += v
    return s


def get(x, i):
    return x[i]


def get2(x, i, j):
    return x[i, j]


def get_row_item(a, i, j):
    return a[i][j]


def fill(x, value):
    for i in range(len(x)):
        x[i] = value * i


def increment(x, i):
    x[i] += 1
    x[-1] -= 2


def attributes(a):
    return a.shape, a.size, a.ndim, len(a)


def count_true(mask):
    n = 0
    for m in mask:
        if m:
            n += 1
    return n


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
def test_seed_loop_on_every_dtype(dtype):
    x = (np.arange(50) % 7).astype(dtype)
    check(seed_loop, x)


@pytest.mark.parametrize("x", [np.arange(10), np.arange(20)[::3], np.arange(20)[::-2],
                               np.linspace(0, 1, 7)])
def test_seed_loop_on_strided_reversed_and_empty(x):
    check(seed_loop, x)


@pytest.mark.parametrize("order", ["C", "F"])
def test_two_dimensional_c_f_and_strided(order):
    a = np.asarray(np.arange(12.0).reshape(3, 4), order=order)
    check(total_2d, a)
    check(total_2d, a[:, ::2])
    check(total_2d, a.T)
    check(rows, a)
    check(rows, a[::-1])


def test_three_dimensional_rows():
    check(rows, np.arange(24).reshape(2, 3, 4)[:, 1])
    a = np.arange(24).reshape(2, 3, 4)

    def deep(a, i, j, k):
        return a[i, j, k] + a[i][j][k]
    check(deep, a, 1, -1, 2)


@pytest.mark.parametrize("i", [0, 4, -1, -5, 5, -6, 100, np.int8(-2), np.uint8(3)])
def test_indexing_wraps_and_checks_bounds(i):
    check(get, np.arange(5.0), i)


@pytest.mark.parametrize("i,j", [(1, 2), (-1, -1), (3, 0), (0, 4), (-4, 0)])
def test_two_dimensional_index_errors_name_the_axis(i, j):
    a = np.arange(12).reshape(3, 4)
    check(get2, a, i, j)
    check(get_row_item, a, i, j)


def test_writes_reach_the_callers_array():
    check(fill, np.zeros(6), 1.5)
    check(fill, np.zeros(6, dtype=np.int32), 2)
    check(fill, np.zeros(6, dtype=np.uint8), 100)
    check(increment, np.arange(4), 1)
    check(increment, np.arange(4), 9)
    x = np.zeros((4, 4))
    check(fill, x[1], 3.0)
    view = np.zeros(10)[::2]
    check(fill, view, 1.0)


def test_writes_through_a_view_change_the_base():
    base = np.zeros(10)
    accel.jit(fill)(base[::2], 1.0)
    expected = np.zeros(10)
    expected[::2] = np.arange(5.0)
    np.testing.assert_array_equal(base, expected)


def test_attributes_shape_size_ndim_len():
    for a in [np.zeros(3), np.zeros((2, 5)), np.zeros((2, 3, 4), order="F"), np.zeros((0, 3))]:
        check(attributes, a)


def test_bool_arrays_are_read_as_bools():
    check(count_true, np.array([True, False, True, True]))


def test_readonly_array_write_raises_like_numpy():
    x = np.arange(4.0)
    x.flags.writeable = False
    check(fill, x, 1.0)


def test_boundscheck_false_still_wraps_negative_indices():
    fast = accel.jit(boundscheck=False)(get)
    x = np.arange(5.0)
    assert fast(x, -1) == 4.0 and fast(x, 2) == 2.0


def test_unsupported_dtypes_and_objects_raise_type_error():
    f = accel.jit(seed_loop)
    with pytest.raises(TypeError, match="unsupported type 'numpy.ndarray'.*dtype"):
        f(np.array(["a", "b"]))
    with pytest.raises(TypeError, match="unsupported type 'numpy.ndarray'.*dtype"):
        f(np.zeros(3, dtype=np.float16))
    with pytest.raises(TypeError, match="unsupported type 'numpy.ndarray'.*dtype"):
        f(np.zeros(3, dtype=np.clongdouble))
    with pytest.raises(TypeError, match=r"holds an item of type 'str' at \[0\]"):
        f(["a", "b"])
    with pytest.raises(TypeError, match="unsupported type 'dict'"):
        f({})
    assert f(np.arange(4)) == 6  # still usable after the errors
