"""LAPACK for the compiled library: the routines np.linalg calls, from the LAPACK NumPy
itself loaded (src/runtime/lapack.cpp). The engine knows these functions by name
(src/library/lapack.cpp); they exist only in compiled code. Each works in place on
Fortran-ordered float32/float64 matrices and returns LAPACK's info (0: done; > 0: the
matrix is singular, or not positive definite), or NO_LAPACK when the process has none.
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
