"""NumPy functions written in compiled Python (python/accel/numpy_library/), against NumPy
on several dtypes and shapes: empty, non-contiguous, NumPy's errors."""
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import accel

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.bool_]


def matrices(dtype):
    base = np.arange(1, 31).reshape(5, 6) % 7
    out = [base.astype(dtype), base.astype(dtype)[:, ::2], base.astype(dtype).T,
           np.zeros((0, 4), dtype), np.ones((3, 1), dtype)]
    return out


def numpys(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # compiled code warns nothing
        try:
            return "value", function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - NumPy's own errors are the reference
            return "error", error


def compare(compiled, reference, *args, rtol=0.0):
    """compiled(*args) equals NumPy's reference(*args): values, dtype and shape, or the
    same exception type and message."""
    kind, expected = numpys(reference, *args)
    if kind == "error":
        with pytest.raises(type(expected)) as raised:
            compiled(*args)
        assert str(raised.value) == str(expected)
        return
    got = compiled(*args)
    assert isinstance(got, type(expected)) or type(got) is type(expected), (type(got), type(expected))
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype and got.shape == expected.shape, (got.dtype, got.shape, expected.dtype,
                                                                        expected.shape)
    if rtol:
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-300, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)


# --- flips ------------------------------------------------------------------------------

@accel.jit
def flip_all(m):
    return np.flip(m)


@accel.jit
def flip_on(m, axis):
    return np.flip(m, axis)


@pytest.mark.parametrize("dtype", DTYPES)
def test_flip(dtype):
    cube = (np.arange(24) % 5).astype(dtype).reshape(2, 3, 4)
    for m in matrices(dtype) + [cube, cube[:, ::-1], np.arange(7).astype(dtype), np.zeros(0, dtype)]:
        compare(flip_all, np.flip, m)
        for axis in range(-m.ndim - 1, m.ndim + 1):
            compare(flip_on, np.flip, m, axis)
        compare(accel.jit(lambda m: np.fliplr(m)), np.fliplr, m)
        compare(accel.jit(lambda m: np.flipud(m)), np.flipud, m)


def test_a_flip_is_a_view_as_numpys():
    m = np.arange(12.0).reshape(3, 4)
    flipped = flip_all(m)
    assert flipped.base is not None and np.shares_memory(flipped, m)
    flipped[0, 0] = -1.0
    assert m[-1, -1] == -1.0


# --- triangles ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", [-7, -2, -1, 0, 1, 3, 9])
def test_triu_tril(dtype, k):
    for m in matrices(dtype):
        compare(accel.jit(lambda m, k: np.triu(m, k)), np.triu, m, k)
        compare(accel.jit(lambda m, k: np.tril(m, k=k)), lambda m, k: np.tril(m, k=k), m, k)
    compare(accel.jit(lambda m: np.triu(m)), np.triu, matrices(dtype)[0])


def test_triu_of_a_vector_is_refused_by_name():
    with pytest.raises(accel.CompileTypeError, match=r"np.triu\(array\(float64, 1d, C\)\) is not supported"):
        accel.jit(lambda m: np.triu(m))(np.ones(3))


# --- covariance ---------------------------------------------------------------------------

rng = np.random.default_rng(7)
SAMPLES = rng.normal(size=(4, 40))


def one_variable_matrix(m, rowvar):
    """NumPy squeezes the covariance of one variable given as a matrix to 0-d; accel's
    stays 1 x 1 (docs/semantics.md #42)."""
    return m.ndim == 2 and (m.shape[0] if rowvar else m.shape[1]) == 1


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.bool_])
def test_cov_and_corrcoef(dtype):
    data = (SAMPLES * 3).astype(dtype)
    cases = [data, data[:, ::3], data.T, data[:1], data[0], np.zeros((0, 5), dtype), np.zeros((2, 0), dtype),
             np.ones((2, 1), dtype)]
    for m in cases:
        for rowvar in (True, False):
            if one_variable_matrix(m, rowvar):
                continue
            compare(accel.jit(lambda m, r: np.cov(m, rowvar=r)), lambda m, r: np.cov(m, rowvar=r), m, rowvar,
                    rtol=1e-12)
            if m.size:
                compare(accel.jit(lambda m, r: np.corrcoef(m, rowvar=r)), lambda m, r: np.corrcoef(m, rowvar=r),
                        m, rowvar, rtol=1e-12)
        if one_variable_matrix(m, True):
            continue
        compare(accel.jit(lambda m: np.cov(m, bias=True)), lambda m: np.cov(m, bias=True), m, rtol=1e-12)
        compare(accel.jit(lambda m, d: np.cov(m, ddof=d)), lambda m, d: np.cov(m, ddof=d), m, 2, rtol=1e-12)


def test_cov_with_y():
    m, y = SAMPLES[:2], SAMPLES[2]
    compare(accel.jit(lambda m, y: np.cov(m, y)), np.cov, m, y, rtol=1e-12)
    compare(accel.jit(lambda m, y: np.cov(m, y, rowvar=False)), lambda m, y: np.cov(m, y, rowvar=False),
            m.T.copy(), SAMPLES[2:].T.copy(), rtol=1e-12)
    compare(accel.jit(lambda m, y: np.corrcoef(m, y)), np.corrcoef, m, y, rtol=1e-12)
    compare(accel.jit(lambda m, y: np.cov(m, y)), np.cov, m, y[:5])  # NumPy's ValueError


def test_cov_of_one_2d_variable_keeps_two_dimensions():
    row = SAMPLES[:1]
    got = accel.jit(lambda m: np.cov(m))(row)
    assert got.shape == (1, 1) and np.cov(row).shape == ()
    np.testing.assert_allclose(got[0, 0], np.cov(row), rtol=1e-12)


# --- interpolation --------------------------------------------------------------------------

XP = np.array([-1.0, 0.0, 0.5, 2.0, 3.0])
FP = np.array([2.0, -1.0, 4.0, 4.0, np.inf])
QUERIES = np.array([-3.0, -1.0, -0.2, 0.0, 0.25, 0.5, 1.0, 2.0, 2.5, 3.0, 7.0, np.nan, -np.inf, np.inf])


@accel.jit
def interp(x, xp, fp):
    return np.interp(x, xp, fp)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_interp_arrays_and_numbers(dtype):
    xp, fp = XP.astype(dtype) if dtype != np.int64 else np.arange(5), FP[:4].astype(dtype)
    fp = np.append(fp, dtype(9)) if dtype == np.int64 else FP.astype(dtype)
    queries = QUERIES if dtype != np.int64 else np.arange(-2, 8)
    compare(interp, np.interp, queries, xp, fp)
    compare(interp, np.interp, queries[::2], xp, fp)
    compare(interp, np.interp, queries[:8].reshape(2, 4), xp, fp)
    compare(interp, np.interp, queries[:0], xp, fp)
    for q in queries:
        compare(interp, np.interp, q.item(), xp, fp)


def test_interp_bounds_and_errors():
    with_bounds = accel.jit(lambda x, xp, fp: np.interp(x, xp, fp, left=-5.0, right=5))
    compare(with_bounds, lambda x, xp, fp: np.interp(x, xp, fp, left=-5.0, right=5), QUERIES, XP, FP)
    compare(interp, np.interp, QUERIES, XP[:1], FP[:1])
    compare(interp, np.interp, QUERIES, XP[:0], FP[:0])  # ValueError: array of sample points is empty
    compare(interp, np.interp, QUERIES, XP, FP[:3])      # ValueError: fp and xp are not of the same length.


# --- logic ----------------------------------------------------------------------------------

LOGICAL = {
    "logical_and": accel.jit(lambda a, b: np.logical_and(a, b)),
    "logical_or": accel.jit(lambda a, b: np.logical_or(a, b)),
    "logical_xor": accel.jit(lambda a, b: np.logical_xor(a, b)),
}


@pytest.mark.parametrize("name", sorted(LOGICAL))
def test_logical_binary(name):
    reference, compiled = getattr(np, name), LOGICAL[name]
    values = np.array([0.0, -0.0, 1.5, np.nan, 0.0, 2.0])
    others = np.array([0, 3, 0, 0, 1, -1])
    compare(compiled, reference, values, others)
    compare(compiled, reference, values[::2], True)
    compare(compiled, reference, values.reshape(2, 3), others[:3])
    compare(compiled, reference, 0.0, 5)
    compare(compiled, reference, np.float32(2.0), np.int8(0))


def test_logical_not():
    compiled = accel.jit(lambda a: np.logical_not(a))
    for value in (np.array([0.0, -0.0, 1.5, np.nan]), np.array([[0, 1], [2, 0]]), np.array([True, False]), 0, 2.5):
        compare(compiled, np.logical_not, value)


# --- linalg ---------------------------------------------------------------------------------

SYSTEM = np.random.default_rng(11).normal(size=(6, 6)) + 3 * np.eye(6)
RIGHT = np.random.default_rng(12).normal(size=(6, 3))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_solve_inv_det(dtype):
    a = (SYSTEM * 4).astype(dtype) if dtype == np.int64 else SYSTEM.astype(dtype)
    b = (RIGHT * 4).astype(dtype) if dtype == np.int64 else RIGHT.astype(dtype)
    # NumPy's LAPACK, called as NumPy calls it (in double, cast back): NumPy's bits.
    solve = accel.jit(lambda a, b: np.linalg.solve(a, b))
    for left, right in [(a, b), (a, b[:, 0]), (a.T, b[::-1]), (a[::2, ::2], b[:3, 1])]:
        compare(solve, np.linalg.solve, left, right)
    compare(accel.jit(lambda a: np.linalg.inv(a)), np.linalg.inv, a)
    compare(accel.jit(lambda a: np.linalg.det(a)), np.linalg.det, a)
    compare(accel.jit(lambda a: np.linalg.det(a)), np.linalg.det, a[:0, :0])


def test_without_lapack_the_librarys_own_factorizations_agree_with_numpy(tmp_path):
    # ACCEL_LAPACK=0: the LU and Cholesky written in Python (docs/semantics.md #45).
    script = textwrap.dedent('''
        import numpy as np, accel
        from test_numpy_library import SYSTEM, RIGHT
        def all_of(a, b):
            return (np.linalg.solve(a, b), np.linalg.inv(a), np.linalg.det(a), np.linalg.slogdet(a)[1],
                    np.linalg.cholesky(a @ a.T))
        for got, expected in zip(accel.jit(all_of)(SYSTEM, RIGHT), all_of(SYSTEM, RIGHT)):
            np.testing.assert_allclose(got, expected, rtol=1e-12)
        try:
            accel.jit(all_of)(np.ones((2, 2)), np.ones((2, 1)))
        except np.linalg.LinAlgError as error:
            print(error)
        try:  # the SVD has no fallback: a clear error
            accel.jit(lambda a: np.linalg.svd(a))(SYSTEM)
        except np.linalg.LinAlgError as error:
            print(error)
        assert accel._core.lapack_symbols() == ""
    ''')
    (tmp_path / "no_lapack.py").write_text(script)
    environment = {**os.environ, "ACCEL_LAPACK": "0", "PYTHONPATH": os.path.dirname(os.path.abspath(__file__))}
    done = subprocess.run([sys.executable, str(tmp_path / "no_lapack.py")], capture_output=True, text=True,
                          timeout=300, env=environment)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Singular matrix",
                                        "np.linalg.svd needs the LAPACK that NumPy loads, and this process has none"]
    assert accel._core.lapack_symbols() == "scipy_dgesv_64_"  # here: NumPy's wheel's OpenBLAS


def test_linalg_errors_are_numpys():
    solve = accel.jit(lambda a, b: np.linalg.solve(a, b))
    compare(solve, np.linalg.solve, np.ones((2, 2)), np.ones(2))           # LinAlgError: Singular matrix
    compare(solve, np.linalg.solve, np.ones((2, 3)), np.ones(2))           # ... must be square
    compare(solve, np.linalg.solve, np.eye(2), np.ones(3))                 # solve1: ... mismatch
    compare(solve, np.linalg.solve, np.eye(2), np.ones((3, 2)))
    compare(accel.jit(lambda a: np.linalg.inv(a)), np.linalg.inv, np.ones(3))
    compare(accel.jit(lambda a: np.linalg.det(a)), np.linalg.det, np.ones((2, 2)))  # 0.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.bool_])
def test_norm(dtype):
    v = (np.arange(-4, 7) * 1.5).astype(dtype)
    m = (np.arange(-6, 6).reshape(3, 4) * 0.75).astype(dtype)
    rtol = 1e-6 if dtype == np.float32 else 1e-14
    plain = accel.jit(lambda x: np.linalg.norm(x))
    ordered = accel.jit(lambda x, o: np.linalg.norm(x, o))
    for x in (v, v[::-2], m, m.T, v[:0]):
        compare(plain, np.linalg.norm, x, rtol=rtol)
    for order in (np.inf, -np.inf, 0, 1, 2, 3, 0.5):
        compare(ordered, np.linalg.norm, v, order, rtol=rtol)
    for order in (1, -1, np.inf, -np.inf, 2, -2, 3):
        compare(ordered, np.linalg.norm, m, order, rtol=rtol)
    for order in (1, np.inf, 2):  # NumPy's max with initial=0: 0 for no columns or rows
        compare(ordered, np.linalg.norm, m[:0], order)
        compare(ordered, np.linalg.norm, m[:, :0], order)
