"""Experiment 2 of the notebook: four ways of summing an array, plus accel's parallel loop
and numba when they are there."""
import importlib.util
from contextlib import contextmanager

import numpy as np

import accel

from .way import Plan, Way, calling
from .workloads import numpy_way, parallel_loop, python_way, standard

NAME = "sums"
SUMMARY = ("summing np.arange(10_000_000): Python loop, sum(), NumPy x.sum(), @accel.jit, "
           "accel.prange, numba.njit")


@contextmanager
def _accel_jit(x):
    compiled = accel.jit(standard)  # a fresh dispatcher, so the first call compiles
    yield lambda: compiled(x)


@contextmanager
def _accel_prange(x):
    compiled = accel.jit(parallel=True)(parallel_loop)
    yield lambda: compiled(x)


@contextmanager
def _numba_njit(x):
    import numba
    compiled = numba.njit(standard)
    yield lambda: compiled(x)


def plan(scale):
    x = np.arange(scale.sum_length)
    slow, fast = scale.slow_sum_repeats, scale.fast_sum_repeats
    ways = [
        Way("standard", "the Python for loop", slow, lambda: calling(standard, x)),
        Way("python_way", "sum(x)", slow, lambda: calling(python_way, x)),
        Way("numpy_way", "x.sum()", fast, lambda: calling(numpy_way, x)),
        Way("accel.jit", "@accel.jit on the Python for loop", fast, lambda: _accel_jit(x)),
    ]
    notes = ["first call: compiling, for accel and numba (the notebook's %timeit remark)"]
    if hasattr(accel, "prange"):  # builds before issue #4 have no parallel loops
        ways.append(Way("accel.prange", "@accel.jit(parallel=True), the loop over accel.prange(len(x)), "
                        f"{accel.get_num_threads()} threads", fast, lambda: _accel_prange(x)))
    if importlib.util.find_spec("numba") is not None:
        ways.append(Way("numba.njit", "numba.njit on the Python for loop", fast, lambda: _numba_njit(x)))
    else:
        notes.append("numba.njit: skipped, numba is not installed (pip install numba)")
    return Plan(f"sum of np.arange({scale.sum_length:_})", ways, notes)
