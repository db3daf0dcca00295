"""Parallel JIT: prange against the serial jitted loop, numba's parallel=True and NumPy.

    python bench/parallel_bench.py [--quick]

Prints medians (min-max) and the ratios issue #4 sets goals for, in one run.
"""
import argparse
import sys
import types

import numpy as np

import accel
from accel import prange
from timing import row, timings

try:
    import numba
except ImportError:
    numba = None


def mandelbrot(out, max_iter):
    height, width = out.shape
    for y in prange(height):
        ci = -1.5 + 3.0 * y / height
        for x in range(width):
            cr = -2.25 + 3.0 * x / width
            zr = 0.0
            zi = 0.0
            k = 0
            while k < max_iter and zr * zr + zi * zi < 4.0:
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
                k += 1
            out[y, x] = k


def seed_loop_prange(x):
    y = 0
    for i in accel.prange(len(x)):
        y += x[i]
    return y




@accel.jit(nogil=True)
def small_norm(x):
    s = 0.0
    for v in x:
        s += v * v
    return s


def per_task(pool, arrays, repeat):
    """Seconds per task of pool.map over many small arrays."""
    return [t / len(arrays) for t in timings(lambda: pool.map(small_norm, arrays, chunksize=1), repeat=repeat)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args()
    repeat = 3 if options.quick else 9
    if numba is None:
        sys.exit("parallel_bench: numba is not installed (pip install numba); it is the peer measured against")
    threads = accel.get_num_threads()
    print(f"accel {accel.__version__}, numba {numba.__version__}, {threads} threads, CPU {accel._core.host_cpu()}")

    size = (400, 600) if options.quick else (1000, 1500)
    parallel = accel.jit(parallel=True)(mandelbrot)
    serial = accel.jit(mandelbrot)
    # The same code object, with numba's prange in its globals.
    numba_parallel = numba.njit(parallel=True)(
        types.FunctionType(mandelbrot.__code__, {**globals(), "prange": numba.prange}, "mandelbrot_numba"))
    a, b, c = (np.zeros(size, np.int32) for _ in range(3))
    parallel(a, 200), serial(b, 200), numba_parallel(c, 200)
    assert np.array_equal(a, b) and np.array_equal(a, c)
    t_parallel = timings(parallel, a, 200, repeat=repeat)
    row(f"mandelbrot {size[0]}x{size[1]}, prange", t_parallel, timings(serial, b, 200, repeat=repeat),
        "same, serial (speed-up)", f">= 1.85 speed-up on 2 cores -> ratio <= {1 / 1.85:.2f}")
    row(f"mandelbrot {size[0]}x{size[1]}, prange", t_parallel, timings(numba_parallel, c, 200, repeat=repeat),
        "numba parallel=True", "<= 1.0")

    x = np.arange(10_000_000)
    prange_sum = accel.jit(parallel=True)(seed_loop_prange)
    serial_sum = accel.jit(seed_loop_prange)
    assert prange_sum(x) == serial_sum(x) == x.sum()
    t_prange = timings(prange_sum, x, repeat=repeat * 2)
    row("seed loop with prange, int64 10M", t_prange, timings(np.sum, x, repeat=repeat * 2), "numpy x.sum()", "< 1")
    row("seed loop with prange, int64 10M", t_prange, timings(serial_sum, x, repeat=repeat * 2),
        "serial jitted loop", "< 1")

    arrays = [np.random.rand(64) for _ in range(2_000 if options.quick else 10_000)]
    expected = [small_norm(a) for a in arrays]
    with accel.Pool(2, backend="threads") as threads, accel.Pool(2, backend="local") as processes:
        assert threads.map(small_norm, arrays) == expected == processes.map(small_norm, arrays)
        row(f"Pool(2) map of a nogil jit fn, {len(arrays)} arrays, per task", per_task(threads, arrays, repeat),
            per_task(processes, arrays, repeat), "process backend", "-")




if __name__ == "__main__":
    main()
