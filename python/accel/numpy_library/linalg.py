"""np.linalg of real arrays: norm, and solve, inv, det, slogdet and cholesky by the LAPACK
NumPy loaded (lapack.py), called as NumPy calls it (gesv, getrf, potrf on Fortran-ordered
copies, in float64 whatever the input, as NumPy's), so the results are NumPy's. Where
the process has no LAPACK, an LU with partial pivoting written here stands in (a pivot
that is exactly 0 is LAPACK's "Singular matrix"; unblocked, it may round differently in
the last bits, docs/semantics.md #45)."""
import numpy as np

from .._overload import library_overload
from .. import types
from . import lapack
from .arguments import absent, integer


def _real_array(a, *dimensions):
    return (isinstance(a, types.Array) and a.ndim in dimensions
            and isinstance(a.dtype, (types.Integer, types.Float, types.Boolean)))


def _float32(*arrays):
    return all(isinstance(a.dtype, types.Float) and a.dtype.bitwidth == 32 for a in arrays)


# --- norm ---------------------------------------------------------------------------------

def _inexact(x):
    """x as NumPy's norm takes it: float arrays as they are, others as float64 copies."""
    return x


@library_overload(_inexact)
def _inexact_typing(x):
    if isinstance(x.dtype, types.Float):
        return _inexact
    return _float64_vector if x.ndim == 1 else _float64_matrix


def _float64_vector(x):
    out = np.empty(x.shape[0])
    out[:] = x
    return out


def _float64_matrix(x):
    """x as a C-ordered float64 copy (any dtype, any layout)."""
    out = np.empty((x.shape[0], x.shape[1]))
    out[:, :] = x
    return out


@library_overload(np.linalg.norm)
def _norm(x, ord=None, axis=None):
    if not _real_array(x, 1, 2) or not absent(axis):
        return None
    if absent(ord):
        return _frobenius
    if isinstance(ord, (types.Integer, types.Float)):
        return _norm_of_vector if x.ndim == 1 else _norm_of_matrix
    return None


def _frobenius(x, ord=None, axis=None):
    # NumPy's: sqrt(dot(x.ravel(), x.ravel())), for any number of dimensions.
    flat = _inexact(x).ravel()
    return np.sqrt(np.dot(flat, flat))


def _norm_of_vector(x, ord=None, axis=None):
    a = np.abs(_inexact(x))
    p = ord
    if p == np.inf:
        return a.max()
    if p == -np.inf:
        return a.min()
    if p == 0:
        return _count_as(a, (a != 0).sum())
    if p == 1:
        return a.sum()
    if p == 2:
        return np.sqrt((a * a).sum())
    return (a ** p).sum() ** (1.0 / p)


def _count_as(a, count):
    """count as a number of a's dtype (NumPy's (x != 0).astype(x.dtype).sum())."""
    return np.float64(count)


@library_overload(_count_as)
def _count_as_typing(a, count):
    return _count_as_float32 if _float32(a) else _count_as


def _count_as_float32(a, count):
    return np.float32(count)


def _norm_of_matrix(x, ord=None, axis=None):
    # 1 / -1: the largest / smallest column sum of |x|; inf / -inf: of the row sums.
    a = np.abs(_inexact(x))
    p = ord
    if p == 1:
        return _max_or_zero(a.sum(axis=0))
    if p == -1:
        return a.sum(axis=0).min()
    if p == np.inf:
        return _max_or_zero(a.sum(axis=1))
    if p == -np.inf:
        return a.sum(axis=1).min()
    if p == 2:  # the largest singular value; -2 the smallest
        return _max_or_zero(_result(_singular_values(x), x, x))
    if p == -2:
        return np.min(_result(_singular_values(x), x, x))
    raise ValueError("Invalid norm order for matrices.")


def _check(info, name, failure):
    if info == lapack.NO_LAPACK:
        raise np.linalg.LinAlgError(f"np.linalg.{name} needs the LAPACK that NumPy loads, and this process has none")
    if info == lapack.NO_MEMORY:
        raise MemoryError(f"unable to allocate LAPACK's workspace for np.linalg.{name}")
    if info != 0:
        raise np.linalg.LinAlgError(failure)


def _singular_values(a):
    """svd(a, compute_uv=False) as NumPy computes it (gesdd with jobz 'N'), in float64."""
    m = a.shape[0]
    n = a.shape[1]
    work = _fortran_copy(a, m, n)
    s = np.empty(min(m, n))
    none = np.empty((0, 0)).T
    _check(lapack.gesdd(work, s, none, none, 0), "svd", "SVD did not converge")
    return s


def _max_or_zero(v):
    """v.max(initial=0), as NumPy's matrix norms take it (0 for an empty v, NaN kept)."""
    out = np.zeros(1, v.dtype)[0]
    for value in v:
        if value > out or np.isnan(value):
            out = value
    return out


# --- LU: solve, inv, det -------------------------------------------------------------------

def _square(a):
    if a.shape[0] != a.shape[1]:
        raise np.linalg.LinAlgError("Last 2 dimensions of the array must be square")


def _factor(lu, pivots):
    """lu = P L U in place (unit L below the diagonal); pivots[i] is the row swapped
    into row i. Returns the sign of the permutation, or 0 when a pivot is exactly 0."""
    n = lu.shape[0]
    sign = 1
    for col in range(n):
        best = col
        for row in range(col + 1, n):
            if abs(lu[row, col]) > abs(lu[best, col]):
                best = row
        pivots[col] = best
        if lu[best, col] == 0:
            return 0
        if best != col:
            sign = -sign
            for j in range(n):
                t = lu[col, j]
                lu[col, j] = lu[best, j]
                lu[best, j] = t
        for row in range(col + 1, n):
            lu[row, col] /= lu[col, col]
            factor = lu[row, col]
            for j in range(col + 1, n):
                lu[row, j] -= factor * lu[col, j]
    return sign


def _substitute(lu, pivots, x):
    """Solves (P L U) y = x for every column of x (n x k), in place."""
    n = lu.shape[0]
    for i in range(n):
        if pivots[i] != i:
            for j in range(x.shape[1]):
                t = x[i, j]
                x[i, j] = x[pivots[i], j]
                x[pivots[i], j] = t
    for j in range(x.shape[1]):
        for i in range(n):
            s = x[i, j]
            for p in range(i):
                s -= lu[i, p] * x[p, j]
            x[i, j] = s
        for i in range(n - 1, -1, -1):
            s = x[i, j]
            for p in range(i + 1, n):
                s -= lu[i, p] * x[p, j]
            x[i, j] = s / lu[i, i]


def _fortran_copy(a, rows, cols):
    """a as float64 in Fortran order, what LAPACK reads. NumPy's linalg computes in double
    whatever the input, and casts the result back (_result)."""
    out = np.empty((cols, rows)).T
    out[:, :] = a
    return out


def _result(x, a, b):
    """x (float64) as NumPy's linalg returns it for a and b: float32 when both are."""
    return x


@library_overload(_result)
def _result_typing(x, a, b):
    if not _float32(a, b):
        return _result
    if not isinstance(x, types.Array):
        return _scalar_32
    return _vector_32 if x.ndim == 1 else _matrix_32


def _scalar_32(x, a, b):
    return np.float32(x)


def _vector_32(x, a, b):
    out = np.empty(x.shape[0], np.float32)
    out[:] = x
    return out


def _matrix_32(x, a, b):
    out = np.empty((x.shape[0], x.shape[1]), np.float32)
    out[:, :] = x
    return out


def _one_dimensional():
    raise np.linalg.LinAlgError("1-dimensional array given. Array must be at least two-dimensional")


@library_overload(np.linalg.solve)
def _solve(a, b):
    if not (_real_array(a, 1, 2) and _real_array(b, 1, 2)):
        return None
    if a.ndim == 1:
        return _solve_of_a_vector
    return _solve_vector if b.ndim == 1 else _solve_matrix


def _solve_of_a_vector(a, b):
    _one_dimensional()


def _solve_columns(a, b, x):
    _square(a)
    if b.shape[0] != a.shape[0]:
        if b.ndim == 1:
            raise ValueError("solve1: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                             f"(m,m),(m)->(m) (size {b.shape[0]} is different from {a.shape[0]})")
        raise ValueError("solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature "
                         f"(m,m),(m,n)->(m,n) (size {b.shape[0]} is different from {a.shape[0]})")
    lu = _fortran_copy(a, a.shape[0], a.shape[0])
    info = lapack.gesv(lu, x)
    if info == lapack.NO_LAPACK:
        pivots = np.empty(a.shape[0], np.int64)
        info = 1 if _factor(lu, pivots) == 0 else 0
        if info == 0:
            _substitute(lu, pivots, x)
    if info > 0:
        raise np.linalg.LinAlgError("Singular matrix")
    return x


def _solve_vector(a, b):
    x = np.empty((1, b.shape[0])).T
    x[:, 0] = b
    return _result(_solve_columns(a, b, x)[:, 0], a, b)


def _solve_matrix(a, b):
    return _result(_solve_columns(a, b, _fortran_copy(b, b.shape[0], b.shape[1])), a, b)


@library_overload(np.linalg.inv)
def _inv(a):
    if not _real_array(a, 1, 2):
        return None
    return _inv_of_a_vector if a.ndim == 1 else _inverse


def _inv_of_a_vector(a):
    _one_dimensional()


def _inverse(a):
    _square(a)
    identity = np.zeros((a.shape[0], a.shape[0])).T
    for i in range(a.shape[0]):
        identity[i, i] = 1
    return _result(_solve_columns(a, a, identity), a, a)


@library_overload(np.linalg.det)
def _det(a):
    if not _real_array(a, 1, 2):
        return None
    return _det_of_a_vector if a.ndim == 1 else _determinant


def _det_of_a_vector(a):
    _one_dimensional()


def _determinant(a):
    # NumPy's: sign * exp(log|det|) from the LU's diagonal, not their product.
    sign, log_determinant = _double_sign_and_log_determinant(a)
    return _result(sign * np.exp(log_determinant), a, a)


# --- matrix_power ---------------------------------------------------------------------------

@library_overload(np.linalg.matrix_power)
def _matrix_power(a, n):
    if not (_real_array(a, 2) and integer(n)):
        return None
    return _power_of_matrix


def _power_of_matrix(a, n):
    """NumPy's steps: 0 gives the identity, 1 a copy, 2 and 3 direct products, larger
    powers the binary decomposition, in the same order of products (so the same bits)."""
    if a.shape[0] != a.shape[1]:
        raise np.linalg.LinAlgError("Last 2 dimensions of the array must be square")
    if n == 0:
        out = np.zeros((a.shape[0], a.shape[1]), a.dtype)
        for i in range(a.shape[0]):
            out[i, i] = 1
        return out
    if n < 0:
        raise TypeError("accel: np.linalg.matrix_power with a negative power is not supported yet")
    if n == 1:
        return a.copy()
    if n == 2:
        return a @ a
    if n == 3:
        return (a @ a) @ a
    z = a.copy()
    result = a.copy()
    first = True
    square_first = True
    while n > 0:
        if not square_first:
            z = z @ z
        square_first = False
        bit = n % 2
        n = n // 2
        if bit:
            if first:
                result = z.copy()
                first = False
            else:
                result = result @ z
    return result


# --- slogdet and cholesky -------------------------------------------------------------------

@library_overload(np.linalg.slogdet)
def _slogdet(a):
    return _sign_and_log_determinant if _real_array(a, 2) else None


def _sign_and_log_determinant(a):
    sign, log_determinant = _double_sign_and_log_determinant(a)
    return _result(sign, a, a), _result(log_determinant, a, a)


def _double_sign_and_log_determinant(a):
    """(sign, log|det|) in float64 from getrf's LU, summed as NumPy's linalg does:
    NumPy's (0, -inf) for a singular matrix."""
    _square(a)
    n = a.shape[0]
    lu = _fortran_copy(a, n, n)
    pivots = np.empty(n, np.int64)
    info = lapack.getrf(lu, pivots)
    if info == lapack.NO_LAPACK:
        sign = _factor(lu, pivots)  # it swapped the rows itself
        info = 1 if sign == 0 else 0
    else:
        sign = 1
        for i in range(n):
            if pivots[i] != i + 1:
                sign = -sign
    if info > 0:
        return np.float64(0.0), np.float64(-np.inf)
    log_total = np.float64(0.0)
    for i in range(n):
        if lu[i, i] < 0:
            sign = -sign
        log_total += np.log(abs(lu[i, i]))
    return np.float64(sign), log_total


@library_overload(np.linalg.cholesky)
def _cholesky(a):
    return _lower_factor if _real_array(a, 2) else None


def _lower_factor(a):
    """L with a = L @ L.T: LAPACK's potrf of the lower triangle (the only one read, as
    NumPy's), the upper triangle zeroed."""
    _square(a)
    n = a.shape[0]
    out = _fortran_copy(a, n, n)
    info = lapack.potrf(out)
    if info == lapack.NO_LAPACK:
        return _result(_lower_factor_here(a), a, a)
    if info > 0:
        raise np.linalg.LinAlgError("Matrix is not positive definite")
    for j in range(1, n):
        for i in range(j):
            out[i, j] = 0
    return _result(out, a, a)


def _lower_factor_here(a):
    """Cholesky-Banachiewicz, row by row, where there is no LAPACK (float64)."""
    n = a.shape[0]
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1):
            total = float(a[i, j])
            for k in range(j):
                total -= out[i, k] * out[j, k]
            if i == j:
                if not total > 0:
                    raise np.linalg.LinAlgError("Matrix is not positive definite")
                out[i, i] = np.sqrt(total)
            else:
                out[i, j] = total / out[j, j]
    return out


# --- eigh and eigvalsh ----------------------------------------------------------------------

@library_overload(np.linalg.eigh)
def _eigh(a, UPLO="L"):
    return _eigen_pairs if _real_array(a, 2) and UPLO == "L" else None


@library_overload(np.linalg.eigvalsh)
def _eigvalsh(a, UPLO="L"):
    return _eigenvalues if _real_array(a, 2) and UPLO == "L" else None


def _symmetric_eigen(a, vectors):
    """syevd of a's lower triangle, as NumPy's eigh: in double, ascending eigenvalues."""
    _square(a)
    n = a.shape[0]
    v = _fortran_copy(a, n, n)
    w = np.empty(n)
    _check(lapack.syevd(v, w, vectors), "eigh", "Eigenvalues did not converge")
    return w, v


def _eigen_pairs(a, UPLO=None):  # reached only without UPLO (its default "L")
    w, v = _symmetric_eigen(a, True)
    return _result(w, a, a), _result(v, a, a)


def _eigenvalues(a, UPLO=None):
    return _result(_symmetric_eigen(a, False)[0], a, a)
