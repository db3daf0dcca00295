"""The notebook *Accelerating Applications*, reproduced and timed: ``python -m accel.bench``.

Two experiments, each a set of *ways* of computing the same result:

- ``histograms``: the notebook's ``difficult_function`` over 8 seeds, serially and with
  ``multiprocessing.Pool`` and ``accel.Pool``;
- ``sums``: summing ``np.arange(10_000_000)`` with a Python loop, ``sum()``, NumPy,
  ``@accel.jit`` and (when installed) ``numba.njit``.

Every way must return the same result as the first one; the bench says which differs and
exits with status 1 otherwise. Nothing heavy is imported here, so ``import accel`` stays fast.
"""
