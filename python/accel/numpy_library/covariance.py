"""np.cov and np.corrcoef of real 1-d and 2-d arrays, with NumPy's steps: observations
centred on their means (pairwise sums, as NumPy's), then X @ X.T * (1 / (N - ddof))."""
import numpy as np

from .._overload import library_overload
from .. import types
from .arguments import absent, value_or
from .division import true_divide


def _real_array(a):
    return isinstance(a, types.Array) and a.ndim in (1, 2) and not isinstance(a.dtype, types.Complex)


def _flag(value):
    return isinstance(value, (bool, types.Boolean, types.Integer))


@library_overload(np.cov)
def _cov(m, y=None, rowvar=True, bias=False, ddof=None):
    if not (_real_array(m) and _flag(rowvar) and _flag(bias)):
        return None
    if not (absent(y) or _real_array(y)):
        return None
    if not (absent(ddof) or isinstance(ddof, types.Integer)):
        return None
    if m.ndim == 1 and absent(y):
        return _cov_of_one_variable  # NumPy squeezes the 1 x 1 result to 0 dimensions
    return _cov_of_variables


def _rows(a, transposed):
    """a as NumPy's array(a, ndmin=2), a float64 copy with the variables in rows: a
    matrix is transposed when `transposed` says so."""
    out = np.empty((1, a.shape[0]))
    out[0] = a
    return out


@library_overload(_rows)
def _rows_typing(a, transposed):
    return _rows if a.ndim == 1 else _rows_of_matrix


def _rows_of_matrix(a, transposed):
    if not transposed:
        out = np.empty((a.shape[0], a.shape[1]))
        out[:, :] = a
        return out
    out = np.empty((a.shape[1], a.shape[0]))
    out[:, :] = a.T
    return out


def _variables(m, y, rowvar):
    """The variables of m, then those of y, one per row (NumPy's rules: m is transposed
    when it is a matrix and not rowvar, y only when it has several rows)."""
    return _rows(m, not rowvar and m.ndim == 2)


@library_overload(_variables)
def _variables_typing(m, y, rowvar):
    return _variables if absent(y) else _variables_of_both


def _variables_of_both(m, y, rowvar):
    x = _rows(m, not rowvar and m.ndim == 2)
    if x.shape[0] == 0:  # NumPy's early return, before y is looked at
        return x
    extra = _rows(y, not rowvar and y.ndim == 2 and y.shape[0] != 1)
    if extra.shape[1] != x.shape[1]:
        raise ValueError("all the input array dimensions except for the concatenation axis must match exactly, "
                         f"but along dimension 1, the array at index 0 has size {x.shape[1]} and the array at "
                         f"index 1 has size {extra.shape[1]}")
    both = np.empty((x.shape[0] + extra.shape[0], x.shape[1]))
    both[:x.shape[0], :] = x
    both[x.shape[0]:, :] = extra
    return both


def _covariance(x, ddof):
    """x's rows centred in place, then their products over N - ddof."""
    if x.shape[0] == 0:
        return np.empty((0, 0))
    observations = x.shape[1]
    means = x.mean(axis=1)
    for i in range(x.shape[0]):
        x[i, :] -= means[i]
    degrees = observations - ddof
    # As NumPy: the products by BLAS, times 1 / (N - ddof) (NumPy warns "Degrees of
    # freedom <= 0" and multiplies by inf when there are none).
    return (x @ x.T) * true_divide(1.0, float(max(degrees, 0)))


# NumPy's ddof=None: 0 with bias, else 1.
def _cov_of_variables(m, y=None, rowvar=True, bias=False, ddof=None):
    return _covariance(_variables(m, y, rowvar), value_or(ddof, 0 if bias else 1))


def _cov_of_one_variable(m, y=None, rowvar=True, bias=False, ddof=None):
    return _covariance(_rows(m, False), value_or(ddof, 0 if bias else 1)).reshape(())


@library_overload(np.corrcoef)
def _corrcoef(x, y=None, rowvar=True):
    if _cov(x, y, rowvar) is _cov_of_one_variable:
        return _correlation_of_one_variable
    return _correlation_of_variables if _cov(x, y, rowvar) is not None else None


def _correlation_of_one_variable(x, y=None, rowvar=True):
    v = np.cov(x, y, rowvar)[()]
    # NumPy's c / c of the 0-d covariance: a float64, 1 for a finite non-zero variance,
    # NaN (with a warning) otherwise.
    return np.float64(1.0 if v != 0.0 and v - v == 0.0 else np.nan)


def _correlation_of_variables(x, y=None, rowvar=True):
    c = np.cov(x, y, rowvar)
    n = c.shape[0]
    deviations = np.empty(n)
    for i in range(n):
        deviations[i] = np.sqrt(c[i, i])
    for i in range(n):
        for j in range(n):
            c[i, j] = min(max(true_divide(true_divide(c[i, j], deviations[i]), deviations[j]), -1.0), 1.0)
    return c
