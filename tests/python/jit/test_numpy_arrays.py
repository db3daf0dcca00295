"""Arrays inside compiled code, each function compared with NumPy running it uncompiled."""
import numpy as np
import pytest

import accel
from reference import UNDER_SANITIZERS, check

SHAPES = [(), (0,), (7,), (3, 4), (2, 3, 4)]
DTYPES = [np.int8, np.int32, np.int64, np.uint16, np.float32, np.float64]


def arrays(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    data = rng.integers(-20, 20, size=shape) if np.dtype(dtype).kind in "iu" else rng.standard_normal(shape) * 10
    if np.dtype(dtype).kind == "u":
        data = np.abs(data)
    return np.asarray(data).astype(dtype)


def check_arrays(function, *args):
    """Like check(), but array results compare by value, dtype and shape."""
    expected = function(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    got = accel.jit(function)(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = got if isinstance(got, tuple) else (got,)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        if isinstance(e, np.ndarray):
            assert isinstance(g, np.ndarray) and g.dtype == e.dtype and g.shape == e.shape, (g, e)
            np.testing.assert_array_equal(g, e)
        else:
            assert type(g) is type(e) and (g == e or (g != g and e != e)), (g, e)


# --- creation -------------------------------------------------------------------------

def create(n):
    return (np.empty(n).shape, np.zeros(n), np.ones((2, n), dtype=np.int32), np.full(n, 2.5),
            np.full((n, 2), 7), np.arange(n), np.arange(1.0, n, 0.5), np.arange(n, 0, -2),
            np.linspace(0.0, 1.0, n), np.zeros(n, dtype=np.bool_), np.ones(n, dtype=float), np.zeros((n,), int))


def create_like(a):
    return np.zeros_like(a), np.ones_like(a), np.full_like(a, 3), np.empty_like(a).shape, a.copy(), np.zeros_like(a, dtype=np.float32)


@pytest.mark.parametrize("n", [0, 1, 5, 11])
def test_creation_functions(n):
    check_arrays(create, n)


@pytest.mark.parametrize("shape", [(4,), (3, 5), (2, 2, 3)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_like_functions_and_copy(shape, dtype):
    check_arrays(create_like, arrays(shape, dtype))


def negative_shape(n):
    return np.zeros(n)


def full_overflow(n):
    return np.full(n, 300, dtype=np.int8)


def test_creation_errors_match_numpy():
    check(negative_shape, -1)
    check(full_overflow, 3)


# --- returning, views, aliasing -------------------------------------------------------

def row(a, i):
    return a[i]


def slices(a):
    return a[1:], a[::-1], a[::2], a[-3:-1], a[5:1:-2], a[100:], a[:0]


def slices_2d(a):
    return a[1:, ::2], a[:, -1], a[::-1, 1:3], a[1], a.T, a.T[1:], a[:, 0]


def write_through_view(a):
    v = a[1:, ::2]
    v[0, 0] = 99.0
    r = a[0]
    r[1] = -1.0


def slice_assign(a, b):
    a[1:-1] = b[2:] - b[:-2]
    a[0] = 5
    a[-2:] = 7.5


def overlapping(a):
    a[1:] = a[:-1]


def inplace(a, b):
    a += b
    a *= 2
    a[::2] -= 1


def inplace_bad_cast(a):
    a += 1.5


@pytest.mark.parametrize("shape", [(10,), (0,)])
def test_slices_match_numpy(shape):
    check_arrays(slices, np.arange(float(np.prod(shape))).reshape(shape))


def test_2d_slices_and_transpose():
    a = np.arange(20.0).reshape(4, 5)
    check_arrays(slices_2d, a)
    check_arrays(slices_2d, np.asfortranarray(a))
    check_arrays(row, a, -1)


def test_writes_through_views_change_the_callers_array():
    check(write_through_view, np.zeros((3, 4)))
    check(slice_assign, np.zeros(6), np.arange(6.0))
    check(overlapping, np.arange(8.0))
    check(inplace, np.arange(6.0), np.ones(6))
    check(inplace, np.arange(12.0).reshape(3, 4), np.arange(4.0))


def test_returned_views_alias_their_argument():
    a = np.arange(10.0)
    v = accel.jit(row)(a.reshape(2, 5), 1)
    v[0] = -7
    assert a[5] == -7


def test_in_place_ops_refuse_unsafe_casts_like_numpy():
    with pytest.raises(accel.CompileTypeError, match="same_kind"):
        accel.jit(inplace_bad_cast)(np.arange(3))


# --- expressions ----------------------------------------------------------------------

def arithmetic(a, b):
    return a + b, a - b, a * b, a / b, a // b, a % b, -a, abs(a), a ** 2, a * 2 + 1


def comparisons(a, b):
    return a < b, a == b, a >= 0, np.where(a > b, a, b), np.where(a > 0, a, 0.5)


def ufuncs(a):
    return np.sqrt(np.abs(a)), np.exp(a / 100), np.sin(a), np.floor(a), np.minimum(a, 0), np.maximum(a, 1.5), np.isnan(a)


def fused(a, b, c):
    return a * b + c / 2 - a ** 2


def broadcast(a, b):
    return a + b, a * b[0], a - 1.0


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(0,), (7,), (3, 4), (2, 3, 4)])
def test_arithmetic_matches_numpy(dtype, shape):
    a = arrays(shape, dtype, 1)
    b = arrays(shape, dtype, 2)
    if np.dtype(dtype).kind in "iu":
        b[b == 0] = 3  # NumPy gives 0 for integer division by zero (a warning); we do too
    with np.errstate(all="ignore"):
        check_arrays(arithmetic, a, b)
        check_arrays(comparisons, a, b)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_ufuncs_on_arrays(dtype):
    # NumPy's own SIMD exp/sin for float32 may differ from libm in the last bit
    # (docs/semantics.md), so values compare to within a few ulps.
    a = arrays((5, 3), dtype)
    with np.errstate(all="ignore"):
        expected, got = ufuncs(a), accel.jit(ufuncs)(a)
    for e, g in zip(expected, got):
        assert e.dtype == g.dtype and e.shape == g.shape
        np.testing.assert_allclose(g, e, rtol=4 * np.finfo(e.dtype).eps if e.dtype.kind == "f" else 0)


def test_mixed_dtypes_promote_like_numpy_2():
    with np.errstate(all="ignore"):
        check_arrays(arithmetic, arrays((6,), np.float32), arrays((6,), np.int16))
        check_arrays(arithmetic, arrays((6,), np.int8), np.int64(3))
        check_arrays(arithmetic, arrays((6,), np.float32), 2.5)


def test_broadcasting_and_non_contiguous_inputs():
    a = np.arange(12.0).reshape(3, 4)
    check_arrays(arithmetic, a, np.arange(1.0, 5.0))
    check_arrays(arithmetic, a[:, ::2], a[::2, 1::2][0])
    check_arrays(arithmetic, np.asfortranarray(a), a)
    check_arrays(fused, a, a.T.copy().T, np.ones((1, 4)))


def mismatched(a, b):
    return a + b


def test_broadcast_errors_raise_value_error():
    with pytest.raises(ValueError, match="broadcast"):
        accel.jit(mismatched)(np.zeros(3), np.zeros(4))


def test_division_by_zero_in_arrays_follows_numpy():
    with np.errstate(all="ignore"):
        check_arrays(arithmetic, np.array([1.0, -1.0, 0.0]), np.zeros(3))
        check_arrays(arithmetic, np.array([7, -7, 0]), np.zeros(3, dtype=np.int64))


# --- reductions and friends -----------------------------------------------------------

def reductions(a):
    return (a.sum(), a.prod(), a.min(), a.max(), a.mean(), a.std(), a.var(), a.argmin(), a.argmax(),
            a.any(), a.all(), np.sum(a), np.mean(a), np.amin(a), a.var(ddof=1))


def axis_reductions(a):
    return (a.sum(axis=0), a.sum(axis=1), np.max(a, axis=0), a.mean(axis=-1), a.argmax(axis=1),
            a.min(axis=1), a.any(axis=0), a.std(axis=1))


def shapes(a):
    return a.reshape(3, 4), a.reshape((-1, 2)), a.ravel(), a.reshape(2, 6).T, np.transpose(a.reshape(4, 3)), a.flatten()


def linear(a, b):
    return np.dot(a, b), np.cumsum(a), np.sort(b), np.dot(a.reshape(3, 4), b.reshape(4, 3)), a.dot(b)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1,), (9,), (1000,), (3, 4)])
def test_reductions_match_numpy_bit_for_bit(dtype, shape):
    a = arrays(shape, dtype)
    with np.errstate(all="ignore"):
        check_arrays(reductions, a)


def test_reductions_over_an_axis():
    a = arrays((5, 7), np.float64)
    expected, got = axis_reductions(a), accel.jit(axis_reductions)(a)
    for e, g in zip(expected, got):
        assert e.dtype == g.dtype and e.shape == g.shape
        np.testing.assert_allclose(g, e, rtol=1e-12)


def empty_min(a):
    return a.min()


def test_empty_reductions_raise_like_numpy():
    check(empty_min, np.zeros(0))


def test_shape_functions():
    check_arrays(shapes, np.arange(12.0))
    check_arrays(shapes, np.arange(24.0)[::2])


def test_dot_cumsum_sort():
    a, b = np.arange(12.0), arrays((12,), np.float64)
    b[3] = np.nan
    expected, got = linear(a, b), accel.jit(linear)(a, b)
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g, e, rtol=1e-12)


# --- random and histogram -------------------------------------------------------------

def draws(seed):
    np.random.seed(seed)
    return (np.random.rand(3), np.random.randn(2, 2), np.random.randint(0, 10, 5), np.random.uniform(1.0, 2.0, (2,)),
            np.random.normal(0.0, 2.0, 3), np.random.random(), np.random.randint(7), np.random.randn(),
            np.random.random_sample((2, 2)), np.random.rand())


def notebook_numeric(seed, size, bins):
    np.random.seed(seed)
    data = np.random.rand(size ** 2)
    counts, edges = np.histogram(data, bins=bins)
    return counts, edges


def histograms(a, edges):
    return np.histogram(a, bins=5), np.histogram(a, bins=4, range=(0.0, 1.0)), np.histogram(a, bins=edges)


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**32 - 1])
def test_random_numbers_equal_numpys_legacy_generator(seed):
    check_arrays(draws, seed)


def test_the_notebooks_numbers_and_histogram():
    check_arrays(notebook_numeric, 3, 64, 32)


def histogram_auto_range(a):
    return np.histogram(a)


@pytest.mark.parametrize("data", [[0.0, 0.25, 0.5, 0.5, 1.0, 1.5, -0.5], [0.1, 0.2, 0.2, 0.9], [3.0, 3.0]])
def test_histogram_variants(data):
    a = np.array(data)
    edges = np.array([0.0, 0.5, 1.0])
    got, expected = accel.jit(histograms)(a, edges), histograms(a, edges)
    for (gc, ge), (ec, ee) in zip(got, expected):
        np.testing.assert_array_equal(gc, ec)
        np.testing.assert_array_equal(ge, ee)


def test_histogram_errors_match_numpy():
    check(histogram_auto_range, np.array([np.nan, 1.0]))


def bad_seed(s):
    np.random.seed(s)


def test_random_errors_match_numpy():
    check(bad_seed, -1)
    check(bad_seed, 2**32)


# --- memory ---------------------------------------------------------------------------

def churn(n):
    total = 0.0
    for i in range(n):
        block = np.ones(131072)  # 1 MiB
        total += block[i % 100]
    return total


def returns_and_drops(n):
    a = np.zeros(n)
    b = a * 2 + 1
    return b[1:]


def test_arrays_made_in_a_loop_are_freed():
    import resource
    f = accel.jit(churn)
    f(10)
    blocks = accel._core.live_array_blocks()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert f(1024) == 1024.0  # 1 GiB allocated in total
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    if not UNDER_SANITIZERS:  # ASan's quarantine holds freed memory back (256 MB)
        assert grown_kib < 64 * 1024, f"peak memory grew by {grown_kib} KiB"
    assert accel._core.live_array_blocks() == blocks


def test_returned_arrays_are_released_with_their_numpy_array():
    f = accel.jit(returns_and_drops)
    start = accel._core.live_array_blocks()
    for _ in range(100_000):
        f(8)
    assert accel._core.live_array_blocks() == start
    kept = f(8)
    assert accel._core.live_array_blocks() == start + 1
    np.testing.assert_array_equal(kept, np.ones(7))
    del kept
    assert accel._core.live_array_blocks() == start


def zero_d(a):
    return a + 1


def test_zero_dimensional_arrays_are_refused_clearly():
    with pytest.raises(accel.CompileError, match="0-d arrays"):
        accel.jit(zero_d)(np.array(1.5))
    assert accel.jit(attributes_of)(np.array(1.5)) == attributes_of(np.array(1.5))


def attributes_of(a):
    return a.ndim, a.size


def bool_statistics(a):
    return a.var(), a.mean(), a.std(), a.sum(), a.any(), a.all()


def test_reductions_of_bool_arrays():
    check_arrays(bool_statistics, np.array([True, False, True, True]))


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint16, np.int32, np.int64, np.float32, np.float64])
def test_dtype_itemsize_and_nbytes_are_numpys(dtype):
    def made_like(x):
        return np.zeros(3, x.dtype), np.ones((2, 2), dtype=x.dtype), x.itemsize, x.nbytes

    x = np.ones((4, 5), dtype)[:, ::2]
    got, expected = accel.jit(made_like)(x), made_like(x)
    for mine, theirs in zip(got[:2], expected[:2]):
        assert mine.dtype == theirs.dtype
        np.testing.assert_array_equal(mine, theirs)
    assert got[2:] == expected[2:]


@pytest.mark.parametrize("dtypes", [(np.float64, np.float64), (np.int64, np.float32), (np.int32, np.int64),
                                    (np.float32, np.float32)])
def test_matmul_operator_is_numpys(dtypes):
    def products(a, b, v, w):
        return a @ b, a @ w, v @ b, v @ v, a.T @ a

    rng = np.random.default_rng(3)
    a = (rng.integers(-5, 5, size=(4, 6))).astype(dtypes[0])
    b = (rng.integers(-5, 5, size=(6, 3))).astype(dtypes[1])
    v = np.arange(6).astype(dtypes[0])
    w = np.arange(6).astype(dtypes[1])
    for args in [(a, b, v, w), (np.asfortranarray(a), b[::-1], v[::-1], w)]:
        got, expected = accel.jit(products)(*args), products(*args)
        for mine, theirs in zip(got, expected):
            assert type(mine) is type(theirs) and np.asarray(mine).dtype == np.asarray(theirs).dtype
            np.testing.assert_allclose(mine, theirs, rtol=1e-6 if dtypes[0] == np.float32 else 1e-15)


def test_matmul_errors():
    with pytest.raises(ValueError, match="matmul: Input operand 1 has a mismatch in its core dimension 0"):
        accel.jit(lambda a, b: a @ b)(np.ones((2, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError):
        np.ones((2, 3)) @ np.ones((4, 2))  # NumPy's error too
    with pytest.raises(accel.CompileTypeError, match="operands of @ must be arrays"):
        accel.jit(lambda a, x: a @ x)(np.ones(3), 2.0)
    with pytest.raises(accel.CompileError, match="@= is not supported"):
        accel.jit(_imatmul)(np.ones((2, 2)))


def _imatmul(a):
    a @= a
    return a


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_matmul_of_every_layout_and_edge_shape(dtype):
    # BLAS reads row- and column-major operands as they are, and others through a copy.
    product = accel.jit(lambda a, b: a @ b)
    rng = np.random.default_rng(4)
    big = rng.random((9, 12)).astype(dtype)
    operands = [
        (big[:5, :7], big[:7, :4].T.copy().T),     # C-contiguous rows of a wider array, F order
        (big[::2, ::3], big[1:5, 2:9:2]),          # strided both ways: copied
        (big[:1, :6], big[:6, :1]),                # one row times one column
        (big[:4, :0], big[:0, :3]),                # k == 0: zeros, as NumPy
        (big[:0, :5], big[:5, :2]),                # no rows
        (big[3, :8], big[:8, ::-1]),               # a vector times a reversed matrix
        (big[:3, ::-1], big[0, ::-1]),             # a reversed matrix times a reversed vector
    ]
    for a, b in operands:
        got, expected = product(a, b), a @ b
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-6 if dtype == np.float32 else 1e-14)


def _vector_products(a, v):
    return a @ v, v @ a, np.dot(a, v), v @ v, a.T @ v, a @ a[0]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_matrix_vector_products_are_numpys_bits(dtype):
    # gemv and dot, as NumPy calls them for a matrix and a vector (gemm rounds otherwise).
    rng = np.random.default_rng(6)
    a, v = rng.standard_normal((50, 50)).astype(dtype), rng.standard_normal(50).astype(dtype)
    for mine, theirs in zip(accel.jit(_vector_products)(a, v), _vector_products(a, v)):
        assert np.asarray(mine).dtype == np.asarray(theirs).dtype
        np.testing.assert_array_equal(mine, theirs)


def test_an_empty_view_is_returned_whatever_its_data_pointer():
    # x[::-1] of an empty x points before x's memory; NumPy never reads it.
    for x in (np.zeros(0), np.zeros((0, 4)), np.zeros((3, 0))[:, ::-1]):
        got = accel.jit(lambda x: x[::-1])(x)
        assert got.shape == x[::-1].shape and got.dtype == x.dtype


def astype_each(x, like):
    return (x.astype(np.float32), x.astype(np.int64), x.astype(like.dtype), x.astype(bool),
            x.astype(int), x.astype(float), (x > 0).astype(np.uint8))


@pytest.mark.parametrize("x", [np.arange(6.0).reshape(2, 3) * 1.7 - 2, (np.arange(6.0).reshape(2, 3) * 1.7).T,
                               np.arange(10.0)[::3], np.zeros((0, 3)), np.arange(-3, 4, dtype=np.int8)])
def test_astype_casts_as_numpy(x):
    like = np.zeros(2, dtype=np.int16)
    for got, expected in zip(accel.jit(astype_each)(x, like), astype_each(x, like)):
        assert got.dtype == expected.dtype and got.flags.c_contiguous  # C order (semantics #22)
        np.testing.assert_array_equal(got, expected)


def astype_complex(z):
    return z.astype(np.complex64), z.astype(np.complex128), z.real.astype(np.float32)


def test_astype_of_complex_arrays():
    z = np.array([1 + 2j, 3.5 - 1j, -0.25j])
    for got, expected in zip(accel.jit(astype_complex)(z), astype_complex(z)):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
    with pytest.raises(accel.CompileTypeError, match="complex array to a real dtype"):
        accel.jit(lambda v: v.astype(np.float64))(z)
    with pytest.raises(accel.CompileTypeError, match="dtype must be a NumPy scalar type"):
        accel.jit(lambda v: v.astype("float32"))(z.real.copy())


def fill_each(x, v):
    x.fill(v)
    y = np.empty((2, 3), dtype=np.int16)
    y.fill(v)
    return x, y


@pytest.mark.parametrize("x,v", [(np.zeros(4), 2.5), (np.zeros((2, 2), dtype=np.int32), 3),
                                 (np.zeros(5)[::2], -1), (np.zeros(3, dtype=np.complex128), 1 + 2j),
                                 (np.zeros(2, dtype=bool), 1), (np.zeros(0), 1.0)])
def test_fill_stores_as_numpy(x, v):
    mine, theirs = x.copy(), x.copy()
    if np.iscomplexobj(v):
        got, expected = accel.jit(lambda a, w: a.fill(w))(mine, v), theirs.fill(v)
        assert got is None and expected is None
    else:
        for got, expected in zip(accel.jit(fill_each)(mine, v), fill_each(theirs, v)):
            assert got.dtype == expected.dtype
            np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(mine, theirs)


def item_of(x):
    return x.item()


@pytest.mark.parametrize("x", [np.array([7], dtype=np.uint8), np.array([[2.5]]), np.array([True]),
                               np.array([1 + 1j]), np.arange(6.0).reshape(2, 3)[1:2, 2:3],
                               np.array([np.float32(0.1)]), np.array([-3], dtype=np.int64)])
def test_item_gives_a_python_number_as_numpy(x):
    got = accel.jit(item_of)(x)
    assert got == item_of(x) and type(got) is type(item_of(x))


def test_item_of_an_array_of_another_size_raises_numpys_error():
    for x in (np.zeros(2), np.zeros(0)):
        check(item_of, x)


def test_fill_of_a_read_only_array_raises_numpys_error():
    x = np.zeros(3)
    x.flags.writeable = False
    with pytest.raises(ValueError, match="assignment destination is read-only"):
        accel.jit(lambda a: a.fill(1.0))(x)


def fills_in_prange(a):
    for i in accel.prange(a.shape[0]):
        a.fill(i)
    return a


def test_fill_inside_prange_runs_serially_with_a_warning():
    with pytest.warns(accel.ParallelSafetyWarning, match="may write into an array"):
        got = accel.jit(parallel=True)(fills_in_prange)(np.zeros(64))
    np.testing.assert_array_equal(got, fills_in_prange(np.zeros(64)))
