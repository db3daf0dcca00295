"""NumPy functions from accel's compiled-Python library (issue #14), run by accel and by
numba on the same function, and by NumPy itself, in one run.

    python bench/library_bench.py [--quick]

Each result is checked against NumPy's before anything is timed. The last line gives the
geometric mean of accel's time over numba's for the functions both compile.
"""
import argparse
import math

import numpy as np

import accel
from timing import row, timings

try:
    import numba
except ImportError:
    numba = None


def median(x): return np.median(x)
def percentile(x): return np.percentile(x, 90.0)
def unique(k): return np.unique(k)
def bincount(k): return np.bincount(k)
def diff(x): return np.diff(x)
def isclose(x, y): return np.isclose(x, y)
def convolve(x, w): return np.convolve(x, w)
def concatenate(x, y): return np.concatenate((x, y))
def nanmean(x): return np.nanmean(x)
def searchsorted(s, x): return np.searchsorted(s, x)
def cumprod(x): return np.cumprod(x)
def trace(m): return np.trace(m)


def cases(quick):
    rng = np.random.default_rng(0)
    n = 100_000 if quick else 1_000_000
    x = rng.standard_normal(n)
    y = x + rng.standard_normal(n) * 1e-9
    k = rng.integers(0, 1000, n)
    with_nan = x.copy()
    with_nan[::10] = np.nan
    return [(median, (x,)), (percentile, (x,)), (unique, (k,)), (bincount, (k,)), (diff, (x,)),
            (isclose, (x, y)), (convolve, (x[: n // 10], x[:31])), (concatenate, (x, y)),
            (nanmean, (with_nan,)), (searchsorted, (np.sort(x), y[: n // 10])),
            (cumprod, (1.0 + x * 1e-7,)), (trace, (rng.standard_normal((2000, 2000)),))]


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-9, equal_nan=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer repeats")
    options = parser.parse_args()
    repeat = 3 if options.quick else 7
    ratios = []
    for function, args in cases(options.quick):
        expected = function(*args)
        ours = accel.jit(function)
        assert same(ours(*args), expected), function.__name__
        mine = timings(ours, *args, repeat=repeat)
        row(f"{function.__name__}: accel vs NumPy", mine, timings(function, *args, repeat=repeat),
            "NumPy", "-")
        if numba is None:
            continue
        try:
            theirs = numba.njit(function)
            assert same(theirs(*args), expected)
        except Exception as error:  # noqa: BLE001 - a peer that cannot compile is listed, not timed
            print(f"{function.__name__}: numba cannot compile it ({str(error).splitlines()[0][:60]})")
            continue
        ratios.append(row(f"{function.__name__}: accel vs numba", mine, timings(theirs, *args, repeat=repeat),
                          "numba", "<= 1"))
    if ratios:
        mean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
        print(f"geometric mean accel/numba over {len(ratios)} functions: {mean:.2f}")


if __name__ == "__main__":
    main()
