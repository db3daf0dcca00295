"""accel: make numeric Python fast.

``@accel.jit`` compiles numeric functions to machine code with LLVM;
``accel.Pool`` maps Python functions over all cores with a C++ runtime.
"""
from ._jit import jit, njit, prange, set_num_threads, get_num_threads, CompileError, CompileTypeError
from ._core import __version__

__all__ = ["jit", "njit", "prange", "set_num_threads", "get_num_threads", "CompileError",
           "CompileTypeError", "__version__"]

__all__ += ["Pool", "WorkerCrashedError"]


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
