"""np.linalg's orthogonal decompositions of real matrices: svd, qr, eig and eigvals, lstsq,
and pinv, matrix_rank and cond built on the SVD, as NumPy's linalg computes them: the same
LAPACK routines (gesdd, geqrf/orgqr, geev, gelsd) on Fortran-ordered float64 copies with
the workspace LAPACK asks for, then NumPy's own steps, so the results are NumPy's bits.
These need LAPACK; a process without one gets a LinAlgError saying so.

As numba's: the options that decide the result's type from a value (svd's compute_uv,
qr's mode, hermitian=True) are taken only at their defaults, and a real matrix whose
eigenvalues are not all real is a ValueError (NumPy would return complex arrays, a type
that depends on the values; docs/semantics.md #65)."""
import numpy as np

from .._overload import library_overload
from . import lapack
from .arguments import absent, boolean, real_number, value_or
from .linalg import (_check, _float32, _float64_matrix, _fortran_copy, _max_or_zero, _one_dimensional, _real_array,
                     _result, _singular_values, _square)

_EPS = 2.220446049250313e-16  # np.finfo(np.float64).eps: NumPy computes these in double


# --- svd ----------------------------------------------------------------------------------

@library_overload(np.linalg.svd)
def _svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    if not (_real_array(a, 1, 2) and boolean(full_matrices) and compute_uv is True and hermitian is False):
        return None
    return _svd_of_a_vector if a.ndim == 1 else _singular_value_decomposition


def _svd_of_a_vector(a, full_matrices=True, compute_uv=True, hermitian=False):
    _one_dimensional()


def _singular_value_decomposition(a, full_matrices=True, compute_uv=True, hermitian=False):
    m = a.shape[0]
    n = a.shape[1]
    k = min(m, n)
    u_columns = m if full_matrices else k
    vt_rows = n if full_matrices else k
    work = _fortran_copy(a, m, n)
    s = np.empty(k)
    u = np.empty((u_columns, m)).T
    vt = np.empty((n, vt_rows)).T
    _check(lapack.gesdd(work, s, u, vt, 2 if full_matrices else 1), "svd", "SVD did not converge")
    if full_matrices and k == 0:  # LAPACK leaves them unwritten; NumPy's are identities
        u[:, :] = np.eye(m)
        vt[:, :] = np.eye(n)
    # NumPy's linalg returns C-ordered arrays: _float64_matrix copies LAPACK's columns so.
    return _result(_float64_matrix(u), a, a), _result(s, a, a), _result(_float64_matrix(vt), a, a)


# --- qr -----------------------------------------------------------------------------------

@library_overload(np.linalg.qr)
def _qr(a, mode="reduced"):
    if not (_real_array(a, 1, 2) and mode == "reduced"):
        return None
    return _qr_of_a_vector if a.ndim == 1 else _householder_qr


def _qr_of_a_vector(a, mode=None):
    _one_dimensional()


def _householder_qr(a, mode=None):
    m = a.shape[0]
    n = a.shape[1]
    k = min(m, n)
    h = _fortran_copy(a, m, n)
    tau = np.zeros(k)
    failure = "Incorrect argument found while performing Lapack routine"
    _check(lapack.geqrf(h, tau), "qr", failure)
    q = np.empty((k, m)).T
    q[:, :] = h[:, :k]
    _check(lapack.orgqr(q, tau, k, n), "qr", failure)
    r = np.zeros((k, n))
    for i in range(k):
        for j in range(i, n):
            r[i, j] = h[i, j]
    return _result(_float64_matrix(q), a, a), _result(r, a, a)


# --- eig and eigvals ----------------------------------------------------------------------

@library_overload(np.linalg.eig)
def _eig(a):
    if not _real_array(a, 1, 2):
        return None
    return _eig_of_a_vector if a.ndim == 1 else _eigen_pairs


@library_overload(np.linalg.eigvals)
def _eigvals(a):
    if not _real_array(a, 1, 2):
        return None
    return _eig_of_a_vector if a.ndim == 1 else _eigenvalues


def _eig_of_a_vector(a):
    _one_dimensional()


def _general_eigen(a, vectors, name):
    """geev of a, right eigenvectors only, as NumPy's eig (vectors) and eigvals (none)."""
    _square(a)
    n = a.shape[0]
    h = _fortran_copy(a, n, n)
    if not np.isfinite(h).all():
        raise np.linalg.LinAlgError("Array must not contain infs or NaNs")
    wr = np.empty(n)
    wi = np.empty(n)
    v = np.empty((n if vectors else 0, n if vectors else 0)).T
    _check(lapack.geev(h, wr, wi, v, vectors), name, "Eigenvalues did not converge")
    for i in range(n):
        if wi[i] != 0:
            raise ValueError(f"np.linalg.{name}() of this real matrix has complex eigenvalues: compiled code returns "
                             "real eigenvalues of real matrices only (as numba does; NumPy's result type would depend "
                             "on the values)")
    return wr, v


def _eigen_pairs(a):
    w, v = _general_eigen(a, True, "eig")
    return _result(w, a, a), _result(_float64_matrix(v), a, a)


def _eigenvalues(a):
    return _result(_general_eigen(a, False, "eigvals")[0], a, a)


# --- lstsq --------------------------------------------------------------------------------

@library_overload(np.linalg.lstsq)
def _lstsq(a, b, rcond=None):
    if not (_real_array(a, 1, 2) and _real_array(b, 1, 2) and (absent(rcond) or real_number(rcond))):
        return None
    if a.ndim == 1:
        return _lstsq_of_a_vector
    return _least_squares_of_a_vector if b.ndim == 1 else _least_squares


def _lstsq_of_a_vector(a, b, rcond=None):
    raise np.linalg.LinAlgError("1-dimensional array given. Array must be two-dimensional")


def _least_squares_of_a_vector(a, b, rcond=None):
    x, residuals, rank, s = _least_squares(a, b.reshape((b.shape[0], 1)), rcond)
    return x[:, 0].copy(), residuals, rank, s


def _least_squares(a, b, rcond=None):
    """NumPy's lstsq: gelsd on b padded to max(m, n) rows (and one column when it has none),
    the residuals summed as NumPy's loop sums them, only when the rank is full and m > n."""
    m = a.shape[0]
    n = a.shape[1]
    if b.shape[0] != m:
        raise np.linalg.LinAlgError("Incompatible dimensions")
    columns = b.shape[1]
    solution = np.zeros((max(columns, 1), max(m, n))).T
    solution[:m, :columns] = b
    work = _fortran_copy(a, m, n)
    s = np.empty(min(m, n))
    rank = np.zeros(1, np.int64)
    cutoff = np.float64(value_or(rcond, _EPS * max(n, m)))
    _check(lapack.gelsd(work, solution, s, cutoff, rank), "lstsq", "SVD did not converge in Linear Least Squares")
    if m == 0:
        solution[:, :] = 0
    residuals = np.empty(columns if rank[0] == n and m > n else 0)
    for j in range(residuals.shape[0]):
        total = 0.0
        for i in range(n, m):
            total += solution[i, j] * solution[i, j]
        residuals[j] = total
    x = _float64_matrix(solution[:n, :columns])
    return _result(x, a, b), _result(residuals, a, b), np.int32(rank[0]), _result(s, a, b)


# --- pinv, matrix_rank, cond ----------------------------------------------------------------

@library_overload(np.linalg.pinv)
def _pinv(a, rcond=None, hermitian=False):
    if not (_real_array(a, 1, 2) and (absent(rcond) or real_number(rcond)) and hermitian is False):
        return None
    return _pinv_of_a_vector if a.ndim == 1 else _pseudo_inverse


def _pinv_of_a_vector(a, rcond=None, hermitian=False):
    _one_dimensional()


def _pseudo_inverse(a, rcond=None, hermitian=False):
    """NumPy's: 1/s for the singular values above rcond * max(s) (compared in float64),
    0 for the rest, then vt.T @ (s[:, None] * u.T) in the dtype of the SVD's results."""
    if a.shape[0] == 0 or a.shape[1] == 0:
        return _result(np.empty((a.shape[1], a.shape[0])), a, a)
    u, s, vt = _singular_value_decomposition(a, False)
    cutoff = np.float64(value_or(rcond, 1e-15)) * np.float64(np.max(s))
    inverted = np.where(s > cutoff, 1 / s, 0)  # array division: NumPy's, never an error
    return vt.T @ (inverted[:, None] * u.T)


@library_overload(np.linalg.matrix_rank)
def _matrix_rank(A, tol=None, hermitian=False):
    if not (_real_array(A, 1, 2) and (absent(tol) or real_number(tol)) and hermitian is False):
        return None
    return _rank_of_a_vector if A.ndim == 1 else _rank


def _rank_of_a_vector(A, tol=None, hermitian=False):
    for i in range(A.shape[0]):
        if A[i] != 0:
            return 1
    return 0


def _rank(A, tol=None, hermitian=False):
    """The singular values above tol, by default max(s) * max(m, n) * eps of their dtype."""
    s = _result(_singular_values(A), A, A)
    largest = _max_or_zero(s)  # NumPy's S.max(initial=0)
    # NumPy compares in float64 a tol given, and in s's dtype its own: both exact here.
    threshold = np.float64(value_or(tol, largest * (max(A.shape[0], A.shape[1]) * _eps_of(s))))
    count = 0
    for i in range(s.shape[0]):
        if s[i] > threshold:
            count += 1
    return np.int64(count)


def _eps_of(s):
    return np.float64(_EPS)


@library_overload(_eps_of)
def _eps_of_typing(s):
    return _eps_of_float32 if _float32(s) else _eps_of


def _eps_of_float32(s):
    return np.float32(1.1920929e-07)


@library_overload(np.linalg.cond)
def _cond(x, p=None):
    if not (_real_array(x, 1, 2) and absent(p)):
        return None
    return _cond_of_a_vector if x.ndim == 1 else _condition_number


def _cond_of_a_vector(x, p=None):
    _one_dimensional()


def _condition_number(x, p=None):
    """s[0] / s[-1] of the singular values; NaN (a zero over zero) becomes inf unless x
    holds a NaN, as NumPy's."""
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise np.linalg.LinAlgError("cond is not defined on empty arrays")
    s = _result(_singular_values(x), x, x)
    r = (s[:1] / s[s.shape[0] - 1:])[0]  # array division: 1 / 0 is inf and 0 / 0 NaN, as NumPy's
    if np.isnan(r) and not np.isnan(x).any():
        return np.zeros(1, s.dtype)[0] + np.inf
    return r
