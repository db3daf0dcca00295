"""accel: make numeric Python fast.

``@accel.jit`` compiles numeric functions to machine code with LLVM;
``accel.Pool`` maps Python functions over all cores with a C++ runtime.
"""
from ._jit import (jit, njit, prange, set_num_threads, get_num_threads, CompileError,
                   CompileTypeError, ParallelSafetyWarning)
from ._core import __version__
from ._ufunc import vectorize, guvectorize
from ._overload import overload

__all__ = ["jit", "njit", "prange", "vectorize", "guvectorize", "overload", "set_num_threads", "get_num_threads",
           "CompileError", "CompileTypeError", "ParallelSafetyWarning", "__version__"]

# numba's type objects at the top level, as numba has them: from accel import float64, void.
from . import types  # noqa: E402
from .types import (boolean, bool_, b1, int8, int16, int32, int64, i1, i2, i4, i8,  # noqa: E402
                    uint8, uint16, uint32, uint64, u1, u2, u4, u8, intp, uintp, intc, uintc,
                    float32, float64, f4, f8, float_, double, complex64, complex128, c8, c16,
                    none, void)
__all__ += ["types", "boolean", "bool_", "b1", "int8", "int16", "int32", "int64", "i1", "i2",
            "i4", "i8", "uint8", "uint16", "uint32", "uint64", "u1", "u2", "u4", "u8", "intp",
            "uintp", "intc", "uintc", "float32", "float64", "f4", "f8", "float_", "double",
            "complex64", "complex128", "c8", "c16", "none", "void"]

__all__ += ["Pool", "WorkerCrashedError"]


def _prestart_pool_server():
    # The pool's fork server boots (~25 ms) and imports what this program has imported so
    # far (numpy, matplotlib, ...: often a third of a second) in its own process while
    # the program goes on, so the first Pool() finds it warm and starts as fast as a
    # fork (docs/pool.md, "Where workers come from"). ACCEL_POOL_PRESTART=0 turns it off.
    try:
        from .pool import fork_server
    except ImportError:  # accel._pool missing from this build: Pool() will say so
        return
    if fork_server.prestart_wanted():
        fork_server.prestart()


_prestart_pool_server()


def __getattr__(name):
    # The pool is imported at its first use: a script that only jits (or loads its code
    # from the cache) does not pay for multiprocessing's import (~1/3 of `import accel`
    # beyond NumPy and LLVM).
    if name in ("Pool", "WorkerCrashedError", "pool"):
        import importlib
        pool = importlib.import_module(".pool", __name__)
        value = pool if name == "pool" else getattr(pool, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'accel' has no attribute {name!r}")
