"""Arrays in compiled code against NumPy and numba, as ratios in one run (issue #5).

    python bench/array_bench.py [--quick]
"""
import argparse
import sys

import numpy as np

import accel
from timing import row, timings

try:
    import numba
except ImportError:
    numba = None


def notebook_numeric(seed, size, bins):
    """The numeric part of the notebook's difficult_function."""
    np.random.seed(seed)
    data = np.random.rand(size ** 2)
    counts, edges = np.histogram(data, bins=bins)
    return counts, edges


def laplacian(a, out):
    out[1:-1, 1:-1] = a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:] - 4.0 * a[1:-1, 1:-1]


def expression(a, b, c):
    return a * b + c / 2 - a ** 2




def same(x, y):
    if isinstance(x, tuple):
        return all(same(p, q) for p, q in zip(x, y))
    return np.array_equal(x, y)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    repeat = 3 if options.quick else 11
    if numba is None:
        sys.exit("array_bench: numba is not installed (pip install numba); it is the peer measured against")
    print(f"accel {accel.__version__}, numpy {np.__version__}, numba {numba.__version__}, CPU {accel._core.host_cpu()}")

    ours, theirs = accel.jit(notebook_numeric), numba.njit(notebook_numeric)
    assert same(ours(1, 1024, 1024), notebook_numeric(1, 1024, 1024))
    t = timings(ours, 1, 1024, 1024, repeat=repeat)
    row("seed + 1M rand + histogram(1024)", t, timings(notebook_numeric, 1, 1024, 1024, repeat=repeat), "NumPy", "<= 0.8")
    row("seed + 1M rand + histogram(1024)", t, timings(theirs, 1, 1024, 1024, repeat=repeat), "numba", "<= 1.0")

    n = 1000 if options.quick else 2000
    a = np.random.rand(n, n)
    outs = [np.zeros_like(a) for _ in range(3)]
    ours, theirs = accel.jit(laplacian), numba.njit(laplacian)
    ours(a, outs[0]), laplacian(a, outs[1]), theirs(a, outs[2])
    assert np.array_equal(outs[0], outs[1]) and np.array_equal(outs[0], outs[2])
    t = timings(ours, a, outs[0], repeat=repeat)
    row(f"Laplacian stencil with slices, {n}x{n}", t, timings(laplacian, a, outs[1], repeat=repeat), "NumPy", "<= 0.7")
    row(f"Laplacian stencil with slices, {n}x{n}", t, timings(theirs, a, outs[2], repeat=repeat), "numba", "<= 1.0")

    size = 1_000_000 if options.quick else 10_000_000
    x, y, z = (np.random.rand(size) for _ in range(3))
    ours, theirs = accel.jit(expression), numba.njit(expression)
    assert np.array_equal(ours(x, y, z), expression(x, y, z))
    t = timings(ours, x, y, z, repeat=repeat)
    row(f"a * b + c / 2 - a ** 2, {size // 1_000_000}M float64", t, timings(expression, x, y, z, repeat=repeat), "NumPy", "<= 0.5")
    row(f"a * b + c / 2 - a ** 2, {size // 1_000_000}M float64", t, timings(theirs, x, y, z, repeat=repeat), "numba", "-")


if __name__ == "__main__":
    main()
