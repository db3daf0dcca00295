"""accel: make numeric Python fast.

``@accel.jit`` compiles numeric functions to machine code with LLVM;
``accel.Pool`` maps Python functions over all cores with a C++ runtime.
"""
from ._jit import jit, njit, prange, set_num_threads, get_num_threads, CompileError, CompileTypeError
from ._core import __version__
from ._ufunc import vectorize, guvectorize

__all__ = ["jit", "njit", "prange", "vectorize", "guvectorize", "set_num_threads", "get_num_threads",
           "CompileError", "CompileTypeError", "__version__"]

# The pool is imported lazily-cheap: accel._pool is a small module without LLVM.
from .pool import Pool, WorkerCrashedError  # noqa: E402
__all__ += ["Pool", "WorkerCrashedError"]
