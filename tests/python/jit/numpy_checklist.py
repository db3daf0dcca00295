"""numba's "Supported NumPy features" page as a measured checklist (issue #14).

Each row is a NumPy function that numba compiles, called the way its documentation shows.
`measure()` compiles every row with accel and compares the result with NumPy running the
same Python function; a row either matches NumPy or is refused with a CompileError.

    python tests/python/jit/numpy_checklist.py    # prints the table docs/jit.md carries
"""
import inspect
import sys

import numpy as np

import accel

V = np.array([3.0, -1.5, 2.0, 0.0, 7.25, -4.0])          # a float vector
W = np.array([1.0, 2.0, 0.5, -1.0, 3.0, 2.0])
K = np.array([4, 1, 3, 1, 0, 4, 4, 2])                     # small non-negative integers
M = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]])   # symmetric positive
R = np.arange(12.0).reshape(3, 4)                          # a rectangular matrix
B = np.array([True, False, True, True, False, False])


# --- creation -------------------------------------------------------------------------
def np_array(): return np.array([1.0, 2.0, 3.0])
def np_array_nested(): return np.array([[1, 2], [3, 4]])
def np_asarray(v): return np.asarray(v)
def np_arange(): return np.arange(2, 11, 3)
def np_linspace(): return np.linspace(0.0, 1.0, 5)
def np_logspace(): return np.logspace(0.0, 2.0, 3)
def np_geomspace(): return np.geomspace(1.0, 100.0, 3)
def np_empty_like(v): return np.empty_like(v).shape
def np_zeros(): return np.zeros((2, 3))
def np_ones_like(v): return np.ones_like(v)
def np_full(): return np.full((2, 2), 7.0)
def np_full_like(v): return np.full_like(v, 2.5)
def np_eye(): return np.eye(3)
def np_identity(): return np.identity(2)
def np_diag(m): return np.diag(m)
def np_diagflat(v): return np.diagflat(v)
def np_tri(): return np.tri(3)
def np_vander(v): return np.vander(v, 3)
def np_meshgrid(v, w): return np.meshgrid(v, w)[0]
def np_indices(): return np.indices((2, 3))
def np_copy(v): return np.copy(v)


# --- shape ------------------------------------------------------------------------------
def np_concatenate(v, w): return np.concatenate((v, w))
def np_stack(v, w): return np.stack((v, w))
def np_hstack(v, w): return np.hstack((v, w))
def np_vstack(v, w): return np.vstack((v, w))
def np_column_stack(v, w): return np.column_stack((v, w))
def np_dstack(v, w): return np.dstack((v, w))
def np_split(v): return np.split(v, 3)[1]
def np_array_split(v): return np.array_split(v, 4)[3]
def np_append(v, w): return np.append(v, w)
def np_delete(v): return np.delete(v, 2)
def np_flip(r): return np.flip(r)
def np_fliplr(r): return np.fliplr(r)
def np_flipud(r): return np.flipud(r)
def np_rot90(r): return np.rot90(r)
def np_roll(v): return np.roll(v, 2)
def np_repeat(v): return np.repeat(v, 2)
def np_tile(v): return np.tile(v, 2)
def np_expand_dims(v): return np.expand_dims(v, 0)
def np_squeeze(r): return np.squeeze(r.reshape(1, 3, 4))
def np_swapaxes(r): return np.swapaxes(r, 0, 1)
def np_moveaxis(r): return np.moveaxis(r, 0, 1)
def np_transpose(r): return np.transpose(r)
def np_ravel(r): return np.ravel(r)
def np_reshape(r): return np.reshape(r, (4, 3))
def np_atleast_2d(v): return np.atleast_2d(v)
def np_broadcast_to(v): return np.broadcast_to(v, (2, 6))
def np_triu(r): return np.triu(r)
def np_tril(r): return np.tril(r, -1)
def x_flatten(r): return r.flatten()
def x_fill(v):
    y = v.copy()
    y.fill(3.0)
    return y
def x_item(r): return r[1:2, 2:3].item()


# --- elementwise ------------------------------------------------------------------------
def np_clip(v): return np.clip(v, -1.0, 2.0)
def np_logical_and(b): return np.logical_and(b, ~b[::-1])
def np_maximum(v, w): return np.maximum(v, w)
def np_fmin(v, w): return np.fmin(v, w)
def np_sign(v): return np.sign(v)
def np_round(v): return np.round(v * 1.234, 2)
def np_isclose(v, w): return np.isclose(v, w)
def np_allclose(v, w): return np.allclose(v, v + 1e-12)
def np_array_equal(v, w): return np.array_equal(v, w)
def np_where1(v): return np.where(v > 0)[0]
def np_where3(v, w): return np.where(v > 0, v, w)
def np_nonzero(v): return np.nonzero(v)[0]
def np_argwhere(v): return np.argwhere(v)
def np_count_nonzero(v): return np.count_nonzero(v)
def np_flatnonzero(v): return np.flatnonzero(v)
def np_sinc(v): return np.sinc(v)
def np_angle(v): return np.angle(v)


# --- reductions -------------------------------------------------------------------------
def np_sum(r): return np.sum(r, axis=0)
def np_prod(v): return np.prod(v)
def np_cumsum(v): return np.cumsum(v)
def np_cumprod(v): return np.cumprod(v)
def np_diff(v): return np.diff(v)
def np_ediff1d(v): return np.ediff1d(v)
def np_any(b): return np.any(b)
def np_all(b): return np.all(b)
def np_ptp(v): return np.ptp(v)
def np_nansum(v): return np.nansum(np.where(v > 0, v, np.nan))
def np_nanmean(v): return np.nanmean(np.where(v > 0, v, np.nan))
def np_nanmax(v): return np.nanmax(np.where(v > 0, v, np.nan))
def np_average(v, w): return np.average(v, weights=np.abs(w))
def np_median(v): return np.median(v)
def np_percentile(v): return np.percentile(v, 30.0)
def np_quantile(v): return np.quantile(v, 0.3)
def np_mean_keepdims(r): return np.mean(r, axis=1, keepdims=True)
def np_trace(m): return np.trace(m)


# --- statistics and sorting -------------------------------------------------------------
def np_cov(r): return np.cov(r)
def np_corrcoef(r): return np.corrcoef(r)
def np_bincount(k): return np.bincount(k)
def np_digitize(v, w): return np.digitize(v, np.sort(w))
def np_searchsorted(v): return np.searchsorted(np.sort(v), 1.0)
def np_unique(k): return np.unique(k)
def np_sort(v): return np.sort(v)
def np_argsort(v): return np.argsort(v, kind="mergesort")
def np_partition(v): return np.partition(v, 2)[2]
def np_argmax(r): return np.argmax(r)
def np_histogram(v): return np.histogram(v, bins=3)[0]
def np_interp(v, w): return np.interp(v, np.sort(w), w)
def np_convolve(v, w): return np.convolve(v, w)
def np_correlate(v, w): return np.correlate(v, w)
def np_trapezoid(v): return np.trapezoid(v)
def np_cross(v, w): return np.cross(v[:3], w[:3])
def np_intersect1d(k): return np.intersect1d(k, k[::3] + 1)
def np_union1d(k): return np.union1d(k, k[::3] + 7)


# --- linear algebra ---------------------------------------------------------------------
def np_dot(m, v): return np.dot(m, v[:3])
def matmul_operator(m, r): return m @ r
def np_vdot(v, w): return np.vdot(v, w)
def np_outer(v, w): return np.outer(v, w)
def np_inner(v, w): return np.inner(v, w)
def np_kron(m): return np.kron(m, m)
def linalg_solve(m, v): return np.linalg.solve(m, v[:3])
def linalg_inv(m): return np.linalg.inv(m)
def linalg_det(m): return np.linalg.det(m)
def linalg_norm(r): return np.linalg.norm(r)
def linalg_cholesky(m): return np.linalg.cholesky(m)
def linalg_qr(m): return np.linalg.qr(m)[1]
def linalg_svd(m): return np.linalg.svd(m)[1]
def linalg_eigh(m): return np.linalg.eigh(m)[0]
def linalg_eigvalsh(m): return np.linalg.eigvalsh(m)
def linalg_lstsq(r, w): return np.linalg.lstsq(r.T, w[:4])[0]
def linalg_pinv(r): return np.linalg.pinv(r)
def linalg_matrix_power(m): return np.linalg.matrix_power(m, 3)
def linalg_slogdet(m): return np.linalg.slogdet(m)[1]
def linalg_matrix_rank(r): return np.linalg.matrix_rank(r)
def linalg_eig(m): return np.linalg.eig(m)[0]
def linalg_eigvals(m): return np.linalg.eigvals(m)
def linalg_cond(m): return np.linalg.cond(m)


# --- complex, dtypes, indexing ----------------------------------------------------------
def complex_literal(v): return abs(v[0] + 2j)
def x_astype(v): return v.astype(np.int32)
def dtype_keyword(v): return np.zeros(3, dtype=v.dtype)
def newaxis_index(v, w): return v[:, None] - w[None, :]
def mask_read(v): return v[v > 0]
def mask_write(v):
    y = v.copy()
    y[y < 0] = 0.0
    return y
def fancy_read(v, k): return v[k[:4]]
def ellipsis_index(r): return r[..., 1]
def take(v, k): return np.take(v, k[:4])


# --- random ------------------------------------------------------------------------------
def random_legacy():
    np.random.seed(3)
    return np.random.rand(4)
def random_shuffle():
    np.random.seed(3)
    x = np.arange(6)
    np.random.shuffle(x)
    return x
def random_choice():
    np.random.seed(3)
    return np.random.choice(np.arange(10), 3)
def random_exponential():
    np.random.seed(3)
    return np.random.exponential(2.0, 4)
def random_poisson():
    np.random.seed(3)
    return np.random.poisson(3.0, 4)
def default_rng():
    return np.random.default_rng(3).random(4)


# --- the table ---------------------------------------------------------------------------
ARGUMENTS = {"v": V, "w": W, "k": K, "m": M, "r": R, "b": B}


def rows():
    """(section, function) in the order of this file; sections follow the comment lines."""
    module = sys.modules[__name__]
    source = inspect.getsource(module)
    out = []
    section = None
    for line in source.splitlines():
        if line.startswith("# --- "):
            section = line[6:].split(" ---")[0].strip()
            if section == "the table":
                break
        elif line.startswith("def ") and section is not None:
            name = line[4:].split("(")[0]
            out.append((section, getattr(module, name)))
    return out


def same(ours, theirs):
    if isinstance(theirs, tuple):
        return isinstance(ours, tuple) and len(ours) == len(theirs) and all(
            same(a, b) for a, b in zip(ours, theirs))
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    if ours.shape != theirs.shape or ours.dtype.kind != theirs.dtype.kind:
        return False
    if theirs.dtype.kind in "fc":
        return np.allclose(ours, theirs, rtol=1e-12, atol=1e-12, equal_nan=True)
    return np.array_equal(ours, theirs)


def message(error):
    """A CompileError's own sentence, past its location, source line and caret."""
    lines = str(error).strip().splitlines()
    carets = [i for i, line in enumerate(lines) if line.strip() and set(line.strip()) == {"^"}]
    return lines[carets[0] + 1] if carets and carets[0] + 1 < len(lines) else lines[-1]


def measure(function):
    """('works' | 'refused' | 'wrong', detail) for one row."""
    names = inspect.signature(function).parameters
    arguments = [ARGUMENTS[n].copy() for n in names]
    expected = function(*[a.copy() for a in arguments])
    try:
        got = accel.jit(function)(*arguments)
    except accel.CompileError as error:
        return "refused", message(error)
    except Exception as error:  # noqa: BLE001 - a row must never fail any other way
        return "wrong", f"{type(error).__name__}: {error}"
    if same(got, expected):
        return "works", ""
    return "wrong", f"{got!r} != NumPy's {expected!r}"


def spelling(function):
    """The row's NumPy call as written: its last statement, or what it returns when that is
    not just a variable."""
    lines = [line.strip() for line in inspect.getsource(function).split(":", 1)[1].splitlines()]
    lines = [line for line in lines if line]
    last = lines[-1].removeprefix("return ").strip()
    return lines[-2] if last.isidentifier() else last


def table():
    """The checklist as docs/numpy-checklist.md holds it: measured, row by row."""
    results = [(section, f, *measure(f)) for section, f in rows()]
    works = sum(r[2] == "works" for r in results)
    lines = [
        "# numba's NumPy checklist, measured",
        "",
        "Each row is a call from numba's *Supported NumPy features* page, compiled by accel and",
        "compared with NumPy running the same function (tests/python/jit/numpy_checklist.py;",
        "tests/python/jit/test_numpy_checklist.py fails when this page and the measurement",
        "differ). A row either works, equal to NumPy, or is refused with a CompileError that",
        "names it; none gives a different answer. Regenerate with",
        "`python tests/python/jit/numpy_checklist.py > docs/numpy-checklist.md`.",
        "",
        f"**{works} of {len(results)} rows work**; {len(results) - works} are refused.",
        "",
        "| section | call | accel | accel's message |",
        "|---|---|---|---|",
    ]
    for section, f, status, detail in results:
        lines.append(f"| {section} | `{spelling(f)}` | {status} | {detail} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
