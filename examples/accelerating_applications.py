"""The notebook "Accelerating Applications", rewritten with accel and runnable as a script.

    python examples/accelerating_applications.py

The notebook's two ideas, at sizes that take seconds: run a heavy function on several
cores with a process pool (``accel.Pool`` where the notebook used ``multiprocessing.Pool``),
and compile a Python loop to machine code (``@accel.jit`` where it used ``numba.jit``),
also to threads on every core (``accel.prange``).
``python -m accel.bench`` times the same at the notebook's full sizes.
"""
import time

import matplotlib
matplotlib.use("Agg")  # draw into memory: no window, works without a display
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas

import accel


def threshold(x):
    if x < 2:
        return 0
    else:
        return x


def difficult_function(seed=10, size=128, bins=32):
    """Heavy and free of side effects, so it can run on any core: plots random data."""
    np.random.seed(seed)
    data = np.random.rand(size**2)
    fig, ax = plt.subplots()
    ax.hist(data, bins=bins)
    canvas = FigureCanvas(fig)
    canvas.draw()
    # The notebook's canvas.tostring_rgb() is gone from matplotlib; RGBA is the same picture.
    image = np.asarray(canvas.buffer_rgba()).copy()
    plt.close(fig)
    return image


@accel.jit
def jit_way(x):
    y = 0
    for item in x:
        y += item
    return y


@accel.jit(parallel=True)
def parallel_way(x):
    """The notebook's "even more parallelism", without MPI: the loop split over all cores."""
    y = 0
    for i in accel.prange(len(x)):
        y += x[i]
    return y


def standard(x):
    y = 0
    for item in x:
        y += item
    return y


def numpy_way(x):
    return x.sum()


def python_way(x):
    return sum(x)


def best_of(function, repeat=3):
    """The fastest of a few calls in seconds, like %timeit's best, and the last result."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return min(seconds), result


def multiprocessing_part():
    print("map: a function that tests one number at a time, over an array")
    try:
        threshold(np.arange(10))
    except ValueError:
        print("  threshold(np.arange(10)) fails: an array cannot be tested element by element")
    print("  np.array(list(map(threshold, np.arange(10)))) =", np.array(list(map(threshold, np.arange(10)))))

    seeds = range(8)
    serial_time, serial = best_of(lambda: list(map(difficult_function, seeds)), repeat=2)
    with accel.Pool(2) as pool:
        pool.map(difficult_function, seeds)  # the first map waits for the workers' imports
        pool_time, pooled = best_of(lambda: pool.map(difficult_function, seeds), repeat=2)
    same = all(np.array_equal(a, b) for a, b in zip(serial, pooled))
    print(f"\ndifficult_function over {len(seeds)} seeds ({serial[0].shape[1]}x{serial[0].shape[0]} images):")
    print(f"  serial             {serial_time:8.3f} s")
    print(f"  accel.Pool(2).map  {pool_time:8.3f} s   {serial_time / pool_time:.2f}x, same images: {same}")
    return same


def jit_part():
    input_data = np.arange(1_000_000)
    first_call, _ = best_of(lambda: jit_way(input_data), repeat=1)  # compiles, then runs
    results = {}
    print(f"\nsumming np.arange({input_data.size:_}):")
    for name, function in [("standard", standard), ("python_way", python_way),
                           ("numpy_way", numpy_way), ("jit_way (@accel.jit)", jit_way),
                           ("parallel_way (prange)", parallel_way)]:
        seconds, results[name] = best_of(lambda: function(input_data))
        print(f"  {name:<22} {seconds * 1e3:9.3f} ms")
    print(f"  the first jit_way call compiled it: {first_call * 1e3:.1f} ms")
    same = len(set(int(value) for value in results.values())) == 1
    print(f"  every way returns {int(results['standard'])}: {same}")
    return same


def main():
    agree = multiprocessing_part()
    agree = jit_part() and agree
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
