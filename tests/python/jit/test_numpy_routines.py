"""NumPy routines written in compiled Python (issue #14): differences, products,
closeness, counting, NaN-ignoring reductions and quantiles, against NumPy on several
dtypes and shapes (empty, non-contiguous), with NumPy's errors."""
import numpy as np
import pytest

import accel
from test_numpy_library import DTYPES, compare

REAL = [np.float64, np.float32, np.int64, np.int32]


def vectors(dtype):
    base = np.array([3, -1, 2, 0, 7, -4, 5, 5, 1], dtype=np.float64)
    if dtype == np.bool_:
        base = base > 1
    a = base.astype(dtype)
    return [a, a[::2], a[::-1], a[:1], a[:0]]


def with_nans(dtype):
    a = np.array([1.5, np.nan, -2.0, 4.0, np.nan, 0.5], dtype)
    return [a, a[::2], np.full(3, np.nan, dtype), a[1:2], a[:0]]


# --- differences ------------------------------------------------------------------------

@accel.jit
def diff(a, n):
    return np.diff(a, n)


@accel.jit
def diff_once(a):
    return np.diff(a)


@accel.jit
def ediff1d(a):
    return np.ediff1d(a)


@accel.jit
def trapezoid(y, dx):
    return np.trapezoid(y, dx=dx)


@accel.jit
def trapezoid_at(y, x):
    return np.trapezoid(y, x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_diff_of_vectors_and_matrices(dtype):
    for a in vectors(dtype):
        compare(diff_once, np.diff, a)
        for n in (0, 2, 3, -1):
            compare(diff, np.diff, a, n)
    m = np.arange(20).reshape(4, 5) % 3
    for a in (m.astype(dtype), m.astype(dtype)[:, ::2], m.astype(dtype).T, np.zeros((0, 3), dtype)):
        compare(diff_once, np.diff, a)
        compare(diff, np.diff, a, 2)


@pytest.mark.parametrize("dtype", REAL)
def test_ediff1d_flattens(dtype):
    for a in vectors(dtype) + [np.arange(12).reshape(3, 4).astype(dtype).T]:
        compare(ediff1d, np.ediff1d, a)


@pytest.mark.parametrize("dtype", REAL)
def test_trapezoid(dtype):
    for y in vectors(dtype):
        compare(trapezoid, lambda y, dx: np.trapezoid(y, dx=dx), y, 0.5)
        compare(trapezoid, lambda y, dx: np.trapezoid(y, dx=dx), y, 2)
        x = np.cumsum(np.abs(y)).astype(np.float64) * 0.1
        compare(trapezoid_at, np.trapezoid, y, x)
    with pytest.raises(ValueError):
        trapezoid_at(np.ones(4), np.ones(3))


# --- products ---------------------------------------------------------------------------

@accel.jit
def vdot(a, b):
    return np.vdot(a, b)


@accel.jit
def inner(a, b):
    return np.inner(a, b)


@accel.jit
def outer(a, b):
    return np.outer(a, b)


@accel.jit
def kron(a, b):
    return np.kron(a, b)


@accel.jit
def trace(a, offset):
    return np.trace(a, offset)


@pytest.mark.parametrize("dtype", REAL)
def test_vector_products(dtype):
    for a in vectors(dtype):
        b = (a * 2 - 1).astype(dtype)
        compare(vdot, np.vdot, a, b, rtol=1e-6)
        compare(inner, np.inner, a, b, rtol=1e-6)
        compare(outer, np.outer, a, b)
        compare(kron, np.kron, a, b)
    m = np.arange(6.0).reshape(2, 3).astype(dtype)
    compare(vdot, np.vdot, m, m.T.copy(), rtol=1e-6)
    compare(outer, np.outer, m, m[:, ::2])
    compare(vdot, np.vdot, np.ones(3, dtype), np.ones(4, dtype))
    compare(vdot, np.vdot, np.ones((2, 2), dtype), np.ones(3, dtype))
    compare(inner, np.inner, np.ones(3, dtype), np.ones(4, dtype))


def test_products_mix_dtypes_as_numpy():
    a, b = np.arange(4, dtype=np.int32), np.linspace(0, 1, 3, dtype=np.float32)
    compare(outer, np.outer, a, b)
    compare(outer, np.outer, b, a.astype(np.float64))


@pytest.mark.parametrize("dtype", DTYPES)
def test_kron_and_trace_of_matrices(dtype):
    m = (np.arange(1, 13).reshape(3, 4) % 5).astype(dtype)
    for a in (m, m[:, ::2], m.T, np.ones((0, 2), dtype)):
        if dtype != np.bool_:
            compare(kron, np.kron, a, m[:2, :3])
        for offset in (0, 1, -2, 7):
            compare(trace, np.trace, a, offset)


# --- closeness --------------------------------------------------------------------------

@accel.jit
def isclose(a, b, equal_nan):
    return np.isclose(a, b, equal_nan=equal_nan)


@accel.jit
def isclose_tolerances(a, b, rtol, atol):
    return np.isclose(a, b, rtol, atol)


@accel.jit
def allclose(a, b):
    return np.allclose(a, b)


@accel.jit
def array_equal(a, b, equal_nan):
    return np.array_equal(a, b, equal_nan=equal_nan)


def test_isclose_as_numpy():
    a = np.array([1.0, 1.0 + 1e-9, np.inf, -np.inf, np.nan, 0.0, 1e-9, 100.0])
    b = np.array([1.0, 1.0, np.inf, np.inf, np.nan, 1e-10, 0.0, 100.001])
    for equal_nan in (False, True):
        compare(isclose, lambda a, b, e: np.isclose(a, b, equal_nan=e), a, b, equal_nan)
        compare(isclose, lambda a, b, e: np.isclose(a, b, equal_nan=e), a[::2], b[1::2], equal_nan)
        compare(isclose, lambda a, b, e: np.isclose(a, b, equal_nan=e), 1.0, 1.0 + 1e-9, equal_nan)
    compare(isclose_tolerances, np.isclose, a, b, 1e-3, 0.0)
    ints = np.array([1, 2, 3], np.int32)
    compare(isclose, lambda a, b, e: np.isclose(a, b, equal_nan=e), ints, ints + 1, False)
    compare(isclose, lambda a, b, e: np.isclose(a, b, equal_nan=e), a[:0], b[:0], False)
    compare(isclose, lambda a, b, e: np.isclose(a, b, equal_nan=e), a.astype(np.float32), b[0], False)
    for x, y in ((a, b), (a, a), (a[:3], a[:3] + 1e-12), (ints, ints)):
        compare(allclose, np.allclose, x, y)


@pytest.mark.parametrize("dtype", DTYPES)
def test_array_equal_compares_shapes_then_values(dtype):
    m = (np.arange(6).reshape(2, 3) % 2).astype(dtype)
    for a, b in ((m, m.copy()), (m, m.T), (m, m[:, :2]), (m, m.ravel()), (m[:0], m[:0]),
                 (m, m[::-1])):
        for equal_nan in (False, True):
            if equal_nan and dtype in (np.int64, np.int32, np.bool_):
                continue  # NumPy refuses isnan of these only when asked
            compare(array_equal, lambda a, b, e: np.array_equal(a, b, equal_nan=e), a, b, equal_nan)
    nan = np.array([1.0, np.nan])
    compare(array_equal, lambda a, b, e: np.array_equal(a, b, equal_nan=e), nan, nan, True)
    compare(array_equal, lambda a, b, e: np.array_equal(a, b, equal_nan=e), nan, nan, False)


# --- counting ---------------------------------------------------------------------------

@accel.jit
def count_nonzero(a):
    return np.count_nonzero(a)


@accel.jit
def bincount(x, minlength):
    return np.bincount(x, minlength=minlength)


@accel.jit
def bincount_weights(x, w):
    return np.bincount(x, w)


@pytest.mark.parametrize("dtype", DTYPES)
def test_count_nonzero(dtype):
    for a in vectors(dtype) + [np.array([[0, 1], [2, 0]], dtype).T]:
        compare(count_nonzero, np.count_nonzero, a)
    compare(count_nonzero, np.count_nonzero, np.array([np.nan, 0.0, -0.0]))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_])
def test_bincount(dtype):
    x = np.array([4, 1, 3, 1, 0, 4, 4, 2], dtype)
    for a in (x, x[::2], x[:0]):
        for minlength in (0, 3, 9, -1):
            compare(bincount, lambda a, m: np.bincount(a, minlength=m), a, minlength)
        if a.shape[0]:  # NumPy's empty result is int64 even with weights (semantics #46)
            compare(bincount_weights, np.bincount, a, np.linspace(0, 1, a.shape[0]))
    assert bincount_weights(x[:0], np.ones(0)).dtype == np.float64
    compare(bincount_weights, np.bincount, x, np.ones(3))
    if dtype != np.uint8 and dtype != np.bool_:
        compare(bincount, lambda a, m: np.bincount(a, minlength=m), np.array([1, -1], dtype), 0)


# --- NaN-ignoring reductions and ptp ----------------------------------------------------

@accel.jit
def nansum(a):
    return np.nansum(a)


@accel.jit
def nanprod(a):
    return np.nanprod(a)


@accel.jit
def nanmean(a):
    return np.nanmean(a)


@accel.jit
def nanmax(a):
    return np.nanmax(a)


@accel.jit
def nanmin(a):
    return np.nanmin(a)


@accel.jit
def ptp(a):
    return np.ptp(a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nan_reductions_of_floats(dtype):
    big = np.random.default_rng(5).normal(size=1001).astype(dtype)
    big[::7] = np.nan
    for a in with_nans(dtype) + [big, big.reshape(7, 143)[:, ::3]]:
        for compiled, reference in ((nansum, np.nansum), (nanprod, np.nanprod), (nanmean, np.nanmean),
                                    (nanmax, np.nanmax), (nanmin, np.nanmin)):
            compare(compiled, reference, a)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
def test_nan_reductions_of_integers_are_plain(dtype):
    for a in vectors(dtype)[:4]:
        for compiled, reference in ((nansum, np.nansum), (nanprod, np.nanprod), (nanmean, np.nanmean),
                                    (nanmax, np.nanmax), (nanmin, np.nanmin), (ptp, np.ptp)):
            compare(compiled, reference, a)
    compare(nanmax, np.nanmax, vectors(dtype)[4])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_ptp(dtype):
    for a in vectors(dtype) + with_nans(dtype):
        compare(ptp, np.ptp, a)


# --- quantiles --------------------------------------------------------------------------

@accel.jit
def median(a):
    return np.median(a)


@accel.jit
def quantile(a, q):
    return np.quantile(a, q)


@accel.jit
def percentile(a, q):
    return np.percentile(a, q)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_median_quantile_percentile(dtype):
    rng = np.random.default_rng(11)
    samples = vectors(dtype)[:4] + [rng.normal(size=(6, 7)).astype(dtype).T * 10]
    for a in samples:
        compare(median, np.median, a)
        for q in (0.0, 0.1, 0.25, 0.5, 0.7, 0.999, 1.0, 1, 0):
            compare(quantile, np.quantile, a, q)
            compare(percentile, np.percentile, a, q * 100)
    for bad in (-0.1, 1.5):
        compare(quantile, np.quantile, samples[0], bad)
        compare(percentile, np.percentile, samples[0], bad * 100)
    if np.issubdtype(dtype, np.floating):  # NumPy's message for integers varies with q (semantics #46)
        compare(quantile, np.quantile, samples[0][:0], 0.5)
    with pytest.raises(IndexError):
        quantile(samples[0][:0], 0.5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_quantiles_with_nan_are_nan(dtype):
    for a in with_nans(dtype)[:4]:
        compare(median, np.median, a)
        compare(quantile, np.quantile, a, 0.3)


# --- construction -----------------------------------------------------------------------

@accel.jit
def diag(v, k):
    return np.diag(v, k)


@accel.jit
def diagflat(v, k):
    return np.diagflat(v, k)


@accel.jit
def tri(n, m, k):
    return np.tri(n, m, k)


@accel.jit
def tri_square(n):
    return np.tri(n)


@accel.jit
def vander(x, n, increasing):
    return np.vander(x, n, increasing)


@accel.jit
def vander_square(x):
    return np.vander(x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_diag_both_ways(dtype):
    m = (np.arange(1, 13).reshape(3, 4) % 5).astype(dtype)
    for k in (0, 1, -1, 5, -5):
        for v in vectors(dtype)[:4] + [m, m.T, m[:, ::2], np.ones((0, 3), dtype)]:
            compare(diag, np.diag, v, k)
        compare(diagflat, np.diagflat, m, k)


def test_tri_and_vander():
    for n, m, k in ((3, 3, 0), (3, 5, 1), (4, 2, -1), (0, 3, 0), (2, 0, 0), (3, 3, -7), (-1, 2, 0)):
        compare(tri, np.tri, n, m, k)
    compare(tri_square, np.tri, 4)
    for dtype in (np.float64, np.float32, np.int64, np.int32):
        for x in vectors(dtype)[:4]:
            compare(vander_square, np.vander, x)
            for n in (0, 1, 4):
                for increasing in (False, True):
                    compare(vander, np.vander, x, n, increasing)
        compare(vander, np.vander, vectors(dtype)[0], -1, False)


# --- rearranging ------------------------------------------------------------------------

@accel.jit
def roll(a, shift):
    return np.roll(a, shift)


@accel.jit
def repeat(a, n):
    return np.repeat(a, n)


@accel.jit
def tile(a, n):
    return np.tile(a, n)


@accel.jit
def atleast_2d(a):
    return np.atleast_2d(a)


@accel.jit
def cumprod(a):
    return np.cumprod(a)


@pytest.mark.parametrize("dtype", DTYPES)
def test_roll_repeat_tile(dtype):
    m = (np.arange(12).reshape(3, 4) % 5).astype(dtype)
    for a in vectors(dtype) + [m, m.T, m[:, ::3]]:
        for shift in (0, 2, -3, 25):
            compare(roll, np.roll, a, shift)
        for n in (0, 1, 3, -1):
            compare(repeat, np.repeat, a, n)
    for a in vectors(dtype):
        for n in (0, 1, 3, -2):
            compare(tile, np.tile, a, n)
        compare(atleast_2d, np.atleast_2d, a)
    compare(atleast_2d, np.atleast_2d, m.T)


@pytest.mark.parametrize("dtype", DTYPES + [np.uint8, np.int8])
def test_cumprod(dtype):
    m = (np.arange(1, 13).reshape(3, 4) % 4).astype(dtype)
    for a in vectors(dtype) + [m, m.T]:
        compare(cumprod, np.cumprod, a)


# --- searching --------------------------------------------------------------------------

@accel.jit
def searchsorted(a, v):
    return np.searchsorted(a, v)


@accel.jit
def digitize(x, bins, right):
    return np.digitize(x, bins, right)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_searchsorted_and_digitize(dtype):
    a = np.sort(np.array([3, -1, 2, 0, 7, -4, 5, 5, 1], dtype))
    queries = np.array([-5, -4, 0, 5, 5, 6, 8], dtype)
    for sorted_values in (a, a[::2], a[:0], a[:1]):
        compare(searchsorted, np.searchsorted, sorted_values, queries)
        compare(searchsorted, np.searchsorted, sorted_values, queries.reshape(7, 1)[::2])
        compare(searchsorted, np.searchsorted, sorted_values, 5)
        for right in (False, True):
            for bins in (sorted_values, sorted_values[::-1]):
                compare(digitize, np.digitize, queries, bins, right)
                compare(digitize, np.digitize, 5, bins, right)
    compare(digitize, np.digitize, queries, np.array([1, 3, 2], dtype), False)
    if dtype in (np.float64, np.float32):
        with_nan = np.array([np.nan, 1.0, -2.0, np.nan], dtype)
        sorted_nan = np.sort(with_nan)
        compare(searchsorted, np.searchsorted, sorted_nan, with_nan)
        compare(digitize, np.digitize, with_nan, np.array([-1.0, 0.0, 2.0], dtype), False)


# --- averages ---------------------------------------------------------------------------

@accel.jit
def average(a, weights):
    return np.average(a, weights=weights)


@accel.jit
def average_plain(a):
    return np.average(a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_average(dtype):
    rng = np.random.default_rng(2)
    for a in vectors(dtype)[:4] + [(rng.normal(size=(5, 4)) * 9).astype(dtype).T]:
        order = 0.0 if a.flags.c_contiguous else 1e-6  # NumPy sums a transposed array in memory order
        compare(average_plain, np.average, a, rtol=order)
        for weights in (np.abs(a) + 1, (np.abs(a) + 1).astype(np.float32), np.ones(a.shape, np.int32)):
            compare(average, lambda a, w: np.average(a, weights=w), a, weights, rtol=order)
    compare(average, lambda a, w: np.average(a, weights=w), np.ones(3, dtype), np.zeros(3))
    compare(average, lambda a, w: np.average(a, weights=w), np.ones(3, dtype), np.ones(4))


# --- elementwise ------------------------------------------------------------------------

@accel.jit
def clip(a, lo, hi):
    return np.clip(a, lo, hi)


@accel.jit
def sinc(x):
    return np.sinc(x)


@accel.jit
def angle(z, deg):
    return np.angle(z, deg)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_clip_sinc_angle(dtype):
    for a in vectors(dtype) + [np.arange(12).reshape(3, 4).astype(dtype).T]:
        for lo, hi in ((-1, 2), (-1.5, 2.5), (3, 1)):
            compare(clip, np.clip, a, lo, hi)
        compare(clip, np.clip, a, a[::-1] * 0 - 1 if a.ndim == 1 else -1, 4)
        compare(sinc, np.sinc, a, rtol=1e-15)
        for deg in (False, True):
            compare(angle, np.angle, a, deg)
    compare(sinc, np.sinc, 0.0)
    compare(angle, np.angle, -2.0, True)
    nan = np.array([np.nan, 1.0, -np.inf])
    compare(clip, np.clip, nan, -1.0, 0.5)
    compare(sinc, np.sinc, nan)


# --- sets -------------------------------------------------------------------------------

@accel.jit
def unique(a):
    return np.unique(a)


@accel.jit
def union1d(a, b):
    return np.union1d(a, b)


@accel.jit
def intersect1d(a, b):
    return np.intersect1d(a, b)


@pytest.mark.parametrize("dtype", DTYPES)
def test_unique_union_intersection(dtype):
    m = (np.arange(20).reshape(4, 5) * 7 % 6).astype(dtype)
    for a in vectors(dtype) + [m, m.T]:
        compare(unique, np.unique, a)
        for b in (m[1], vectors(dtype)[0][::3], m[:0, 0]):
            compare(union1d, np.union1d, a, b)
            compare(intersect1d, np.intersect1d, a, b)
    if dtype in (np.float64, np.float32):
        nan = np.array([np.nan, 1.0, np.nan, -1.0, 1.0], dtype)
        compare(unique, np.unique, nan)
        compare(union1d, np.union1d, nan, nan[:2])
        compare(intersect1d, np.intersect1d, nan, nan[1:2])


# --- convolution and cross --------------------------------------------------------------

@accel.jit
def convolve(a, v):
    return np.convolve(a, v)


@accel.jit
def correlate(a, v):
    return np.correlate(a, v)


@accel.jit
def cross(a, b):
    return np.cross(a, b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_convolve_correlate_cross(dtype):
    a = vectors(dtype)[0]
    for x in (a, a[::2], a[:1], a[:0]):
        for v in (a[:3], a[::-1], a[:1], a[:0]):
            compare(convolve, np.convolve, x, v, rtol=1e-6)
            compare(correlate, np.correlate, x, v, rtol=1e-6)
    compare(convolve, np.convolve, a, np.array([0.5, 0.25]), rtol=1e-12)
    compare(cross, np.cross, a[:3], a[3:6])
    compare(cross, np.cross, a[:3], np.array([0.5, 2.0, -1.0]))
    with pytest.raises(ValueError):
        cross(a[:4], a[:3])


# --- matrix_power -----------------------------------------------------------------------

@accel.jit
def matrix_power(a, n):
    return np.linalg.matrix_power(a, n)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_matrix_power(dtype):
    m = (np.array([[1, 2, 0], [0, 1, 3], [2, 0, 1]]) % 3).astype(dtype)
    for a in (m, m.T, m[:2, :2]):
        for n in range(0, 12):
            compare(matrix_power, np.linalg.matrix_power, a, n)
    compare(matrix_power, np.linalg.matrix_power, np.ones((2, 3), dtype), 2)
    with pytest.raises(TypeError, match="negative power"):
        matrix_power(m, -1)


# --- joining ----------------------------------------------------------------------------

@accel.jit
def concatenate(a, b, axis):
    return np.concatenate((a, b), axis)


@accel.jit
def concatenate_three(a, b, c):
    return np.concatenate((a, b, c))


@accel.jit
def hstack(a, b):
    return np.hstack((a, b))


@accel.jit
def vstack(a, b):
    return np.vstack((a, b))


@accel.jit
def stack(a, b, axis):
    return np.stack((a, b), axis)


@accel.jit
def append(a, b):
    return np.append(a, b)


@accel.jit
def delete(a, i):
    return np.delete(a, i)


@pytest.mark.parametrize("dtype", DTYPES)
def test_joining(dtype):
    v = vectors(dtype)
    m = (np.arange(12).reshape(3, 4) % 5).astype(dtype)
    for a, b in ((v[0], v[1]), (v[1], v[4]), (v[4], v[4]), (v[0], v[0])):
        compare(concatenate, lambda a, b, axis: np.concatenate((a, b), axis), a, b, 0)
        compare(concatenate, lambda a, b, axis: np.concatenate((a, b), axis), a, b, 1)
        compare(hstack, lambda a, b: np.hstack((a, b)), a, b)
        compare(vstack, lambda a, b: np.vstack((a, b)), a, b)
        for axis in (0, 1, -1, 2):
            compare(stack, lambda a, b, axis: np.stack((a, b), axis), a, b, axis)
        compare(append, np.append, a, b)
    compare(concatenate_three, lambda a, b, c: np.concatenate((a, b, c)), v[0], v[1], v[2])
    for a, b in ((m, m), (m, m[:, ::2]), (m, m[1:]), (m.T, m.T[:2])):
        for axis in (0, 1, -1, -2, 2):
            compare(concatenate, lambda a, b, axis: np.concatenate((a, b), axis), a, b, axis)
        compare(hstack, lambda a, b: np.hstack((a, b)), a, b)
        compare(vstack, lambda a, b: np.vstack((a, b)), a, b)
        compare(append, np.append, a, b)
    for i in (0, 3, -1, -9, 9, 20):
        compare(delete, np.delete, v[0], i)
    compare(delete, np.delete, m, 5)


# --- views ------------------------------------------------------------------------------

@accel.jit
def asarray(a):
    return np.asarray(a)


@accel.jit
def rot90(m, k):
    return np.rot90(m, k)


@accel.jit
def swapaxes(m, a, b):
    return np.swapaxes(m, a, b)


@accel.jit
def moveaxis(m, a, b):
    return np.moveaxis(m, a, b)


@pytest.mark.parametrize("dtype", DTYPES)
def test_views(dtype):
    m = (np.arange(12).reshape(3, 4) % 5).astype(dtype)
    for a in (m, m.T, m[:, ::2], m[:0]):
        assert asarray(a) is not None and np.shares_memory(asarray(a), a) == (a.size > 0)
        for k in (0, 1, 2, 3, -1, 6):
            compare(rot90, np.rot90, a, k)
        for x, y in ((0, 1), (1, 0), (0, 0), (-1, 0), (0, 2)):
            compare(swapaxes, np.swapaxes, a, x, y)
            compare(moveaxis, np.moveaxis, a, x, y)
    view = rot90(m, 1)
    view[0, 0] = 9
    assert m[0, 3] == np.array(9).astype(dtype)


# --- positions --------------------------------------------------------------------------

@accel.jit
def take(a, i):
    return np.take(a, i)


@accel.jit
def flatnonzero(a):
    return np.flatnonzero(a)


@accel.jit
def nonzero(a):
    return np.nonzero(a)


@accel.jit
def argwhere(a):
    return np.argwhere(a)


@pytest.mark.parametrize("dtype", DTYPES)
def test_positions(dtype):
    m = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    for a in vectors(dtype) + [m, m.T, m[:, ::2], m[:0]]:
        compare(flatnonzero, np.flatnonzero, a)
        compare(argwhere, np.argwhere, a)
        if a.ndim <= 2:
            expected, got = np.nonzero(a), nonzero(a)
            assert len(got) == len(expected)
            for g, e in zip(got, expected):
                np.testing.assert_array_equal(g, e)
                assert g.dtype == e.dtype
    a = vectors(dtype)[0]
    for i in (0, 3, -1, -9, 9, np.array([[1, -2], [0, 8]]), np.array([5, 9]), np.array([], np.int64)):
        compare(take, np.take, a, i)
        compare(take, np.take, m, i)


# --- slogdet and cholesky ---------------------------------------------------------------

@accel.jit
def slogdet(a):
    return np.linalg.slogdet(a)


@accel.jit
def cholesky(a):
    return np.linalg.cholesky(a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_slogdet_and_cholesky(dtype):
    rng = np.random.default_rng(4)
    base = rng.normal(size=(5, 5))
    spd = base @ base.T + 5 * np.eye(5)
    # getrf and potrf from NumPy's LAPACK, in double as NumPy: NumPy's bits.
    for a in ((spd * 3).astype(dtype), (spd * 3).astype(dtype).T, (base * 4).astype(dtype),
              np.zeros((3, 3), dtype), np.ones((0, 0), dtype), np.array([[0, 1], [1, 0]], dtype)):
        expected = np.linalg.slogdet(a)
        got = slogdet(a)
        assert type(got[0]) is type(expected[0]) and type(got[1]) is type(expected[1])
        assert got[0] == expected[0] and got[1] == expected[1], (got, expected)
    for a in ((spd * 3).astype(dtype), np.ones((0, 0), dtype), np.eye(3, dtype=dtype),
              (base * 4).astype(dtype), np.ones((2, 3), dtype)):
        compare(cholesky, np.linalg.cholesky, a)


@accel.jit
def eigh(a):
    return np.linalg.eigh(a)


@accel.jit
def eigvalsh(a):
    return np.linalg.eigvalsh(a)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_eigh_and_eigvalsh_are_numpys_syevd(dtype):
    rng = np.random.default_rng(8)
    for n in (0, 1, 5, 24):
        b = rng.normal(size=(n, n)) * 10
        for a in ((b + b.T).astype(dtype), np.tril(b).astype(dtype), (b + b.T).astype(dtype)[::-1, ::-1].T):
            w, v = eigh(a)
            expected_w, expected_v = np.linalg.eigh(a)
            for got, expected in ((w, expected_w), (v, expected_v), (eigvalsh(a), np.linalg.eigvalsh(a))):
                assert got.dtype == expected.dtype
                np.testing.assert_array_equal(got, expected)
    compare(eigvalsh, np.linalg.eigvalsh, np.ones((2, 3), dtype))  # LinAlgError: ... must be square


def test_eigh_options_it_does_not_take_are_compile_errors():
    with pytest.raises(accel.CompileError, match="eigh"):
        accel.jit(lambda a: np.linalg.eigh(a, "U"))(np.eye(2))


# --- spacing ----------------------------------------------------------------------------

@accel.jit
def logspace(start, stop, num, endpoint, base):
    return np.logspace(start, stop, num, endpoint, base)


@accel.jit
def geomspace(start, stop, num, endpoint):
    return np.geomspace(start, stop, num, endpoint)


@accel.jit
def meshgrid(x, y):
    return np.meshgrid(x, y)


def test_logspace_geomspace():
    for start, stop in ((0.0, 2.0), (1, 3), (-1.5, 0.5), (2.0, -2.0)):
        for num in (0, 1, 5, 50):
            for endpoint in (True, False):
                # NumPy's float64 power is its own SIMD routine, accel's the C library's (semantics #18)
                compare(logspace, np.logspace, start, stop, num, endpoint, 10.0, rtol=1e-15)
                compare(logspace, np.logspace, start, stop, num, endpoint, 2, rtol=1e-15)
    for start, stop in ((1.0, 100.0), (1, 1000), (-1.0, -64.0), (3.0, 0.5), (0.0, 1.0), (2.0, 0.0)):
        for num in (0, 1, 4, 7):
            for endpoint in (True, False):
                compare(geomspace, np.geomspace, start, stop, num, endpoint, rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_meshgrid(dtype):
    x = np.arange(4).astype(dtype)
    y = np.linspace(0, 1, 3)
    for a, b in ((x, y), (x[::2], y[::-1]), (x[:0], y)):
        got, expected = meshgrid(a, b), np.meshgrid(a, b)
        for g, e in zip(got, expected):
            assert g.dtype == e.dtype
            np.testing.assert_array_equal(g, e)


@accel.jit
def sign(x):
    return np.sign(x)


@accel.jit
def fmin(a, b):
    return np.fmin(a, b)


@accel.jit
def fmax(a, b):
    return np.fmax(a, b)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.int8])
def test_sign_fmin_fmax(dtype):
    for a in vectors(dtype) + [np.arange(-6, 6).reshape(3, 4).astype(dtype).T]:
        compare(sign, np.sign, a)
        b = a[::-1].copy()
        compare(fmin, np.fmin, a, b)
        compare(fmax, np.fmax, a, b)
        compare(fmin, np.fmin, a, 1)
        compare(fmax, np.fmax, 2.5, a)
    special = np.array([np.nan, -0.0, 0.0, np.inf, -np.inf, np.nan, 1.0])
    other = np.array([1.0, 0.0, -0.0, np.nan, 2.0, np.nan, -np.inf])
    compare(sign, np.sign, special)
    compare(fmin, np.fmin, special, other)
    compare(fmax, np.fmax, special, other)


@accel.jit
def column_stack(a, b):
    return np.column_stack((a, b))


@accel.jit
def dstack(a, b):
    return np.dstack((a, b))


@pytest.mark.parametrize("dtype", DTYPES)
def test_column_stack_dstack(dtype):
    v = vectors(dtype)
    m = (np.arange(12).reshape(3, 4) % 5).astype(dtype)
    for a, b in ((v[0], v[2]), (v[1], v[1]), (v[4], v[4]), (v[0], v[1]), (m, m.T[:3]), (m, m[:, ::2]), (m, m[1:])):
        compare(column_stack, lambda a, b: np.column_stack((a, b)), a, b)
        compare(dstack, lambda a, b: np.dstack((a, b)), a, b)


def test_quantiles_select_like_a_sort():
    # selection, not sorting: every order statistic of arrays with many ties and of every size
    rng = np.random.default_rng(8)
    for n in range(1, 60):
        for a in (rng.integers(0, 4, n).astype(np.float64), rng.normal(size=n), np.sort(rng.normal(size=n))[::-1]):
            compare(median, np.median, a)
            for q in (0.0, 0.13, 0.5, 0.77, 1.0):
                compare(quantile, np.quantile, a, q)
