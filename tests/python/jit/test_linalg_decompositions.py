"""np.linalg's SVD, QR, general eigenproblem and least squares, and what is built on them
(pinv, matrix_rank, cond, norm's ord=2): NumPy's LAPACK called as NumPy calls it, so every
result has NumPy's bits, dtype and shape, on several dtypes and layouts, empty ones too;
NumPy's errors for bad shapes and values."""
import numpy as np
import pytest

import accel
from test_numpy_library import DTYPES, compare, matrices, numpys

RNG = np.random.default_rng(21)
TALL = RNG.normal(size=(7, 4))
UPPER = np.triu(RNG.normal(size=(5, 5))) + np.diag(np.arange(1.0, 6.0))  # real eigenvalues, not symmetric


def compare_parts(compiled, reference, *args):
    """compare() for each part of a tuple result (NumPy's named tuples as plain tuples)."""
    kind, expected = numpys(reference, *args)
    if kind == "error":
        compare(compiled, reference, *args)
        return
    got = compiled(*args)
    assert isinstance(got, tuple) == isinstance(expected, tuple)
    if not isinstance(expected, tuple):
        got, expected = (got,), (expected,)
    assert len(got) == len(expected)
    for part, expected_part in zip(got, expected):
        compare(lambda: part, lambda: expected_part)


svd = accel.jit(lambda a: np.linalg.svd(a))
svd_reduced = accel.jit(lambda a, full: np.linalg.svd(a, full_matrices=full))
qr = accel.jit(lambda a: np.linalg.qr(a))
eig = accel.jit(lambda a: np.linalg.eig(a))
eigvals = accel.jit(lambda a: np.linalg.eigvals(a))
lstsq = accel.jit(lambda a, b: np.linalg.lstsq(a, b))
lstsq_rcond = accel.jit(lambda a, b, r: np.linalg.lstsq(a, b, rcond=r))
pinv = accel.jit(lambda a: np.linalg.pinv(a))
pinv_rcond = accel.jit(lambda a, r: np.linalg.pinv(a, r))
matrix_rank = accel.jit(lambda a: np.linalg.matrix_rank(a))
matrix_rank_tol = accel.jit(lambda a, t: np.linalg.matrix_rank(a, t))
cond = accel.jit(lambda a: np.linalg.cond(a))
norm = accel.jit(lambda a, o: np.linalg.norm(a, o))


def shapes(dtype):
    return matrices(dtype) + [TALL.astype(dtype), TALL.T.astype(dtype)[:, ::-1]]


@pytest.mark.parametrize("dtype", DTYPES)
def test_svd_qr_and_the_svds_users_give_numpys_bits(dtype):
    for a in shapes(dtype):
        compare_parts(svd, np.linalg.svd, a)
        compare_parts(svd_reduced, lambda a, full: np.linalg.svd(a, full_matrices=full), a, False)
        compare_parts(svd_reduced, lambda a, full: np.linalg.svd(a, full_matrices=full), a, True)
        compare_parts(qr, np.linalg.qr, a)
        if a.size or dtype in (np.float64, np.float32):  # an empty int matrix: semantics #65
            compare(pinv, np.linalg.pinv, a)
            compare(pinv_rcond, np.linalg.pinv, a, 0.3)
        compare(matrix_rank, np.linalg.matrix_rank, a)
        compare(matrix_rank_tol, np.linalg.matrix_rank, a, 2.5)
        compare(cond, np.linalg.cond, a)
        for order in (2, -2):
            compare(norm, np.linalg.norm, a, order)


@pytest.mark.parametrize("dtype", DTYPES)
def test_lstsq_gives_numpys_solution_residuals_rank_and_singular_values(dtype):
    for a in shapes(dtype):
        rows = a.shape[0]
        right = (np.arange(rows * 3).reshape(rows, 3) % 5).astype(dtype)
        for b in (right[:, 0], right, right[::-1, ::2], right[:, :0]):
            compare_parts(lstsq, np.linalg.lstsq, a, b)
        compare_parts(lstsq_rcond, lambda a, b, r: np.linalg.lstsq(a, b, rcond=r), a, right[:, 1], 0.2)
    rank_deficient = np.ones((6, 3), dtype)  # rank 1: no residuals, as NumPy's
    compare_parts(lstsq, np.linalg.lstsq, rank_deficient, np.arange(6.0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_eig_and_eigvals_of_matrices_with_real_eigenvalues(dtype):
    symmetric = (TALL.T @ TALL * 3).astype(dtype)
    for a in (symmetric, UPPER.astype(dtype), UPPER.astype(dtype).T[::-1, ::-1], np.zeros((0, 0), dtype),
              np.full((1, 1), 2, dtype)):
        compare_parts(eig, np.linalg.eig, a)
        compare(eigvals, np.linalg.eigvals, a)


def test_errors_are_numpys():
    for compiled, reference in ((svd, np.linalg.svd), (qr, np.linalg.qr), (eig, np.linalg.eig),
                                (eigvals, np.linalg.eigvals), (pinv, np.linalg.pinv), (cond, np.linalg.cond)):
        compare(compiled, reference, np.ones(3))                       # 1-dimensional array given
    compare(matrix_rank, np.linalg.matrix_rank, np.array([0.0, 2.0]))  # a vector's rank: 1
    compare(matrix_rank, np.linalg.matrix_rank, np.zeros(2))
    compare(lstsq, np.linalg.lstsq, np.ones(3), np.ones(3))           # ... Array must be two-dimensional
    compare(lstsq, np.linalg.lstsq, np.ones((3, 2)), np.ones(4))      # Incompatible dimensions
    compare(eig, np.linalg.eig, np.ones((2, 3)))                      # Last 2 dimensions ... square
    compare(eigvals, np.linalg.eigvals, np.array([[1.0, np.inf], [0.0, 1.0]]))  # must not contain infs or NaNs
    compare(cond, np.linalg.cond, np.zeros((0, 3)))                   # cond is not defined on empty arrays
    compare(cond, np.linalg.cond, np.zeros((3, 3)))                   # 0 / 0: inf, as NumPy's
    compare(cond, np.linalg.cond, np.full((2, 2), np.nan))           # SVD did not converge
    with pytest.raises(np.linalg.LinAlgError, match="SVD did not converge"):
        np.linalg.svd(np.full((3, 3), np.nan))
    with pytest.raises(np.linalg.LinAlgError, match="SVD did not converge"):
        svd(np.full((3, 3), np.nan))


def test_complex_eigenvalues_of_a_real_matrix_are_a_clear_error():
    # NumPy returns complex arrays here, a type that depends on the values (semantics #65).
    rotation = np.array([[0.0, -1.0], [1.0, 0.0]])
    assert np.iscomplexobj(np.linalg.eig(rotation)[0])
    for compiled in (eig, eigvals):
        with pytest.raises(ValueError, match="has complex eigenvalues"):
            compiled(rotation)
    np.testing.assert_array_equal(eig(np.eye(2))[0], [1.0, 1.0])  # still usable afterwards


def test_an_empty_int_matrixs_pinv_is_float64():
    # NumPy gives an empty array of the input's dtype; compiled code one type: float64.
    assert np.linalg.pinv(np.zeros((0, 3), np.int64)).dtype == np.int64
    got = pinv(np.zeros((0, 3), np.int64))
    assert got.dtype == np.float64 and got.shape == (3, 0)


@pytest.mark.parametrize("compiled, name", [
    (accel.jit(lambda a: np.linalg.svd(a, compute_uv=False)), "numpy.linalg.svd"),
    (accel.jit(lambda a: np.linalg.svd(a, hermitian=True)), "numpy.linalg.svd"),
    (accel.jit(lambda a: np.linalg.qr(a, mode="r")), "numpy.linalg.qr"),
    (accel.jit(lambda a: np.linalg.cond(a, 1)), "numpy.linalg.cond"),
])
def test_options_that_decide_the_result_type_are_refused_by_name(compiled, name):
    with pytest.raises(accel.CompileError, match=name):
        compiled(np.eye(2))
