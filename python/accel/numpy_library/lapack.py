"""LAPACK for the compiled library: the routines np.linalg calls, from the LAPACK NumPy
itself loaded (src/runtime/lapack.cpp). The engine knows these functions by name
(src/library/lapack.cpp); they exist only in compiled code. Each works in place on
Fortran-ordered float64 matrices and C-contiguous float64 vectors (NumPy's linalg computes
in double whatever the input) and returns LAPACK's info (0: done; > 0: the matrix is
singular, not positive definite, or the iteration did not converge), NO_LAPACK when the
process has no LAPACK (or not this routine), or NO_MEMORY.
"""

NO_LAPACK = -(2**63)


def _compiled_only(name):
    raise RuntimeError(f"accel.numpy_library.lapack.{name} runs only in compiled code")


def gesv(a, b):
    """Solves a x = b: b becomes x, a its LU factors."""
    _compiled_only("gesv")


def getrf(a, pivots):
    """a = P L U in place; pivots[i] is the 1-based row swapped with row i + 1."""
    _compiled_only("getrf")


def potrf(a):
    """The lower Cholesky factor in a's lower triangle (the upper one is left as it was)."""
    _compiled_only("potrf")


def syevd(a, w, vectors):
    """The eigenvalues, ascending, of the symmetric matrix whose lower triangle a holds,
    into w; with vectors true the eigenvectors into a's columns."""
    _compiled_only("syevd")


NO_MEMORY = -(2**63) + 1  # what a routine gives when its workspace cannot be had


def gesdd(a, s, u, vt, job):
    """The singular values of a, descending, into s; with job 1 the first min(m, n) columns
    of U into u and rows of V^T into vt, with job 2 all of them; job 0 neither. a is
    destroyed."""
    _compiled_only("gesdd")


def geqrf(a, tau):
    """a = Q R as Householder reflectors: R in a's upper triangle, the reflectors below it,
    their scales in tau (min(m, n) of them)."""
    _compiled_only("geqrf")


def orgqr(q, tau, k, n):
    """Q's first q.shape[1] columns, from the k reflectors q holds (geqrf's, copied in) and
    tau; n is the factored matrix's column count (NumPy's workspace floor)."""
    _compiled_only("orgqr")


def gelsd(a, b, s, rcond, rank):
    """Least squares by SVD: b (max(m, n) rows) becomes the solution in its first n rows,
    s the singular values, rank[0] the rank under rcond. a is destroyed."""
    _compiled_only("gelsd")


def geev(a, wr, wi, vr, vectors):
    """The eigenvalues wr + i wi of a general matrix; with vectors true the right
    eigenvectors into vr. a is destroyed."""
    _compiled_only("geev")
