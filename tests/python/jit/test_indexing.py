"""NumPy's indexing beyond integers and slices (issue #13): None/np.newaxis, '...',
boolean masks and integer arrays, read and written, against NumPy running the same
function (py_func) on several dtypes and layouts, with NumPy's errors."""
import numpy as np
import pytest
from numpy import newaxis

import accel
from test_numpy_library import DTYPES, compare


def arrays(dtype, ndim):
    base = (np.arange(1, 25) * 7 % 11 - 5).reshape(2, 3, 4)
    if dtype == np.bool_:
        base = base > 0
    a = base.astype(dtype)
    if ndim == 1:
        full = a.ravel()
        return [full, full[::3], full[::-1], full[:0]]
    if ndim == 2:
        full = a.reshape(4, 6)
        return [full, full[:, ::2], full.T, full[:0]]
    return [a, a[:, ::2, 1:], a.transpose(2, 0, 1)]


def both(function, *args):
    """The compiled result equals NumPy's (or the error is NumPy's), and so do the arrays
    it wrote into; each side runs on its own copies."""
    def copies():
        return [a.copy() if isinstance(a, np.ndarray) else a for a in args]

    ours, theirs = copies(), copies()
    compare(lambda: function(*ours), lambda: function.py_func(*theirs))
    for got, want in zip(ours, theirs):
        if isinstance(got, np.ndarray):
            np.testing.assert_array_equal(got, want)


# --- None, np.newaxis and '...' -------------------------------------------------------

@accel.jit
def column_minus_row(a, b):
    return a[:, None] - b[None, :]


@accel.jit
def newaxis_attribute(a):
    return a[np.newaxis, :, np.newaxis]


@accel.jit
def newaxis_name(a):
    return a[newaxis]


@accel.jit
def trailing_new_axis(a):
    return a[..., None]


@accel.jit
def last_of_each(a):
    return a[..., -1]


@accel.jit
def first_then_all(a):
    return a[0, ...]


@accel.jit
def integer_then_new_axis(a):
    return a[1, None]


@accel.jit
def store_through_ellipsis(a, v):
    a[..., 0] = v
    return a


@pytest.mark.parametrize("dtype", DTYPES)
def test_new_axes_make_views_numpy_broadcasts(dtype):
    for a in arrays(dtype, 1):
        both(column_minus_row if dtype != np.bool_ else newaxis_name, *((a, a[:3]) if dtype != np.bool_ else (a,)))
        both(newaxis_attribute, a)
        both(newaxis_name, a)
        both(trailing_new_axis, a)


@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_ellipsis_spans_the_axes_the_other_indices_leave(ndim):
    for a in arrays(np.float64, ndim):
        if a.size == 0:
            continue
        if ndim > 1:
            both(last_of_each, a)
            both(first_then_all, a)
            both(integer_then_new_axis, a)
            both(store_through_ellipsis, a, 9.5)
        both(trailing_new_axis, a)


def test_an_ellipsis_over_every_axis_indexed_gives_the_element():
    # NumPy gives a 0-d array there; compiled code the number (docs/semantics.md #47).
    a = np.arange(5.0)
    assert last_of_each(a) == a[..., -1]
    assert isinstance(last_of_each(a), float)


def test_new_axis_views_share_memory_with_their_base():
    @accel.jit
    def write_through(a):
        v = a[None, :]
        v[0, 1] = 42.0
        return a

    assert write_through(np.zeros(3)).tolist() == [0.0, 42.0, 0.0]


def test_two_ellipses_are_refused_as_numpy_refuses_them():
    @accel.jit
    def two(a):
        return a[..., ...]

    with pytest.raises(IndexError):
        two.py_func(np.ones(2))
    with pytest.raises(accel.CompileError, match=r"only have a single ellipsis"):
        two(np.ones(2))


# --- boolean masks --------------------------------------------------------------------

@accel.jit
def masked(a, mask):
    return a[mask]


@accel.jit
def positive_sum(x):
    return x[x > 0].sum()


@accel.jit
def zero_negatives(a):
    a[a < 0] = 0
    return a


@accel.jit
def store_masked(a, mask, v):
    a[mask] = v
    return a


@accel.jit
def replace_where_negative(a, b):
    m = a < 0
    a[m] = b[m]
    return a


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_masks_of_the_arrays_shape_select_in_c_order(dtype, ndim):
    for a in arrays(dtype, ndim):
        both(masked, a, a > 0 if dtype != np.bool_ else a)
        both(masked, a, np.zeros(a.shape, bool))


@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_a_one_dimensional_mask_selects_rows(dtype):
    for a in arrays(dtype, 2) + arrays(dtype, 3):
        rows = np.arange(a.shape[0]) % 2 == 0
        both(masked, a, rows)
        both(store_masked, a, rows, 3)
        if a.ndim == 2:
            both(store_masked, a, rows, np.arange(a.shape[1], dtype=dtype))
            both(store_masked, a, rows, np.ones((int(rows.sum()), a.shape[1]), dtype))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
@pytest.mark.parametrize("ndim", [1, 2, 3])
def test_mask_writes_reach_strided_memory(dtype, ndim):
    for a in arrays(dtype, ndim):
        both(zero_negatives, a)
        both(store_masked, a, a > 1, 7)
        both(store_masked, a, a > 1, np.arange(int((a > 1).sum()), dtype=dtype))
        both(store_masked, a, a > 1, np.full(1, 5, dtype))


def test_mask_writes_into_a_view_change_its_base():
    base = np.arange(-6.0, 6.0).reshape(3, 4)
    expected = base.copy()
    view = expected[:, ::2]
    view[view < 0] = 0
    zero_negatives(base[:, ::2])
    np.testing.assert_array_equal(base, expected)


def test_masked_sum_matches_numpy_on_random_data():
    x = np.random.default_rng(3).standard_normal(10_001)
    assert positive_sum(x) == x[x > 0].sum()
    b = np.arange(10_001.0)
    both(replace_where_negative, x, b)


def test_mask_errors_are_numpys():
    a = np.arange(5.0)
    both(masked, a, np.array([True, False]))
    both(store_masked, a, np.array([True, False, True]), 1.0)
    both(store_masked, a, a > 1, np.array([1.0, 2.0]))  # 3 masked, 2 values
    both(masked, np.ones((2, 3)), np.ones((3, 3), bool))


def test_a_mask_with_more_dimensions_than_the_array_is_a_compile_error():
    with pytest.raises(IndexError):
        masked.py_func(np.ones(3), np.ones((3, 1), bool))
    with pytest.raises(accel.CompileError, match="too many indices for array"):
        masked(np.ones(3), np.ones((3, 1), bool))


def test_read_only_arrays_refuse_mask_writes():
    a = np.arange(3.0)
    a.flags.writeable = False
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        store_masked(a, a > 0, 1.0)


# --- integer arrays -------------------------------------------------------------------

@accel.jit
def gathered(a, index):
    return a[index]


@accel.jit
def scattered(a, index, v):
    a[index] = v
    return a


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("index_dtype", [np.int64, np.int32, np.uint8])
def test_integer_arrays_gather_elements_and_rows(dtype, index_dtype):
    for a in arrays(dtype, 1) + arrays(dtype, 2) + arrays(dtype, 3):
        n = a.shape[0]
        if n == 0:
            both(gathered, a, np.array([], index_dtype))
            continue
        index = (np.array([0, n - 1, 1 % n, 0]) if index_dtype == np.uint8
                 else np.array([0, -1, n - 1, 1 % n, -n, 0])).astype(index_dtype)
        both(gathered, a, index)
        both(gathered, a, index[::2])
        both(gathered, a, index[:4].reshape(2, 2))


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.bool_])
def test_integer_arrays_scatter_the_last_value_wins(dtype):
    for a in arrays(dtype, 1) + arrays(dtype, 2):
        if a.shape[0] < 2:
            continue
        index = np.array([1, -1, 1, 0])
        both(scattered, a, index, 1)
        values = np.arange(4).astype(dtype) if a.ndim == 1 else np.ones((4,) + a.shape[1:], dtype)
        both(scattered, a, index, values)
        both(scattered, a, index, values[:1])
        if a.ndim == 2:
            both(scattered, a, index, np.zeros(a.shape[1], dtype))


def test_integer_index_errors_are_numpys():
    a = np.arange(5.0)
    both(gathered, a, np.array([1, 5]))
    both(gathered, a, np.array([-6]))
    both(scattered, a, np.array([0, 7]), 1.0)
    both(scattered, a, np.array([0, 1]), np.array([1.0, 2.0, 3.0]))


def test_narrow_and_unsigned_index_types_wrap_and_fail_as_numpy():
    a = np.arange(300.0)
    both(gathered, a, np.array([-100, 5, -1], np.int8))       # -100 + 300, not int8 arithmetic
    both(gathered, a, np.array([2**64 - 1], np.uint64))       # NumPy's intp cast: -1
    both(scattered, a, np.array([-128, 127], np.int8), 1.0)
    both(gathered, a, np.array([2**63], np.uint64))


def test_float_index_arrays_are_refused_with_numpys_message():
    with pytest.raises(IndexError, match="arrays used as indices must be of integer"):
        gathered.py_func(np.ones(3), np.zeros(1))
    with pytest.raises(accel.CompileError, match="arrays used as indices must be of integer"):
        gathered(np.ones(3), np.zeros(1))


def test_what_is_not_supported_says_how_to_write_it():
    @accel.jit
    def columns(a, index):
        return a[:, index]

    @accel.jit
    def increment(a, mask):
        a[mask] += 1
        return a

    with pytest.raises(accel.CompileError, match="Index in two steps"):
        columns(np.ones((2, 3)), np.array([0]))
    with pytest.raises(accel.CompileError, match=r"Write x\[index\] = x\[index\] \+ v"):
        increment(np.ones(3), np.ones(3, bool))


def test_a_users_overload_of_getitem_replaces_the_librarys(tmp_path):
    # operator.getitem is found by identity like any overloaded object.
    import operator
    from accel import _overload

    saved = dict(_overload._overloads)
    try:
        @accel.overload(operator.getitem)
        def _mine(a, index):
            def first(a, index):
                return a[:1]
            return first

        @accel.jit
        def take(a, index):
            return a[index]

        assert take(np.arange(4.0), np.array([3])).tolist() == [0.0]
    finally:
        _overload._overloads.clear()
        _overload._overloads.update(saved)


def test_advanced_indexing_leaks_no_array_blocks():
    start = accel._core.live_array_blocks()
    x = np.arange(-50.0, 50.0)
    for _ in range(20):
        positive_sum(x)
        gathered(x, np.array([1, 2]))
        zero_negatives(x.copy())
    assert accel._core.live_array_blocks() == start
