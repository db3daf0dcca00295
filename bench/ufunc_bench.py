"""@accel.vectorize / @accel.guvectorize against numba's and NumPy's own expressions, as
ratios in one run (issue #12).

    python bench/ufunc_bench.py [--quick]

Arrays of 10M float64. The ufunc rows call a ufunc made from signatures (a real
np.ufunc) on both sides; "DUFunc" rows call the lazy form.
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import warnings

import numpy as np

import accel
from timing import row, timings

try:
    import numba
except ImportError:
    numba = None


def multiply_add(x, y):
    return x * y + 1.0


def length(x, y):
    return math.sqrt(x * x + y * y)  # CPython's ValueError check for negatives: a loop exit


def numpy_length(x, y):
    return np.sqrt(x * x + y * y)  # NumPy's nan for negatives: no exit, so it vectorizes


def row_total(x, out):
    s = 0.0
    for v in x:
        s += v
    out[0] = s


def both(decorator, signatures, kernel, *layout):
    ours = getattr(accel, decorator)(signatures, *layout)(kernel)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's deprecation notes
        return ours, getattr(numba, decorator)(signatures, *layout)(kernel)


FIRST_CALL = """
import time, numpy as np
import {module}
@{module}.vectorize
def f(x, y):
    return x * y + 1.0
f(np.int8(1), np.int8(2))  # the library's own warm-up: compiles an int8 loop
start = time.perf_counter()
f(1.5, 2.5)  # float64 does not cast to int8: a second loop, compiled now
print(time.perf_counter() - start)
"""


def first_call(module, runs):
    """Compile time of a DUFunc's second loop, in fresh processes (no cache warm-up); a
    script file, since accel reads the kernel's source."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(textwrap.dedent(FIRST_CALL.format(module=module)))
    try:
        out = []
        for _ in range(runs):
            done = subprocess.run([sys.executable, script.name], capture_output=True, text=True, check=True)
            out.append(float(done.stdout.strip().splitlines()[-1]))
        return out
    finally:
        os.unlink(script.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    options = parser.parse_args()
    repeat = 5 if options.quick else 15
    if numba is None:
        sys.exit("ufunc_bench: numba is not installed (pip install numba); it is the peer measured against")
    print(f"accel {accel.__version__}, numpy {np.__version__}, numba {numba.__version__}, "
          f"CPU {accel._core.host_cpu()}")

    rng = np.random.default_rng(0)
    x, y = rng.random(10_000_000), rng.random(10_000_000)
    out = np.empty_like(x)

    ours, theirs = both("vectorize", ["float64(float64, float64)"], multiply_add)
    assert np.array_equal(ours(x, y), theirs(x, y)) and np.array_equal(ours(x, y), x * y + 1.0)
    t = timings(ours, x, y, repeat=repeat)
    row("vectorize x * y + 1.0, 10M", t, timings(theirs, x, y, repeat=repeat), "numba vectorize", "<= 1.0")
    row("vectorize x * y + 1.0, 10M", t, timings(lambda a, b: a * b + 1.0, x, y, repeat=repeat),
        "numpy x * y + 1.0", "<= 1.0")
    row("... out=, 10M", timings(lambda: ours(x, y, out=out), repeat=repeat),
        timings(lambda: theirs(x, y, out=out), repeat=repeat), "numba vectorize, out=", "<= 1.0")
    row("... x * 2.0 + 1.0 (a scalar), 10M", timings(ours, x, 2.0, repeat=repeat),
        timings(theirs, x, 2.0, repeat=repeat), "numba vectorize", "<= 1.0")
    row("... strided x[::2], 5M", timings(ours, x[::2], y[::2], repeat=repeat),
        timings(theirs, x[::2], y[::2], repeat=repeat), "numba vectorize", "<= 1.0")

    ours, theirs = both("vectorize", ["float64(float64, float64)"], length)
    assert np.allclose(ours(x, y), np.sqrt(x * x + y * y))
    t = timings(ours, x, y, repeat=repeat)
    row("vectorize math.sqrt(x*x + y*y), 10M", t, timings(theirs, x, y, repeat=repeat), "numba vectorize", "-")
    numpy_expression = timings(lambda a, b: np.sqrt(a * a + b * b), x, y, repeat=repeat)
    row("vectorize math.sqrt(x*x + y*y), 10M", t, numpy_expression, "numpy np.sqrt(x*x + y*y)", "-")
    ours, theirs = both("vectorize", ["float64(float64, float64)"], numpy_length)
    t = timings(ours, x, y, repeat=repeat)
    row("vectorize np.sqrt(x*x + y*y), 10M", t, timings(theirs, x, y, repeat=repeat), "numba vectorize", "<= 1.0")
    row("vectorize np.sqrt(x*x + y*y), 10M", t, numpy_expression, "numpy np.sqrt(x*x + y*y)", "<= 1.0")

    lazy = accel.vectorize(multiply_add)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lazy_numba = numba.vectorize(multiply_add)
    row("DUFunc x * y + 1.0, 10M", timings(lazy, x, y, repeat=repeat), timings(lazy_numba, x, y, repeat=repeat),
        "numba DUFunc", "<= 1.0")
    row("DUFunc call on two floats", timings(lazy, 1.0, 2.0, repeat=repeat, number=20_000),
        timings(lazy_numba, 1.0, 2.0, repeat=repeat, number=20_000), "numba DUFunc", "<= 1.0")
    row("DUFunc call on two floats", timings(lazy, 1.0, 2.0, repeat=repeat, number=20_000),
        timings(np.add, 1.0, 2.0, repeat=repeat, number=20_000), "np.add on two floats", "-")
    runs = 3 if options.quick else 7
    row("DUFunc: compiling a new loop", first_call("accel", runs), first_call("numba", runs),
        "numba DUFunc", "<= 0.5")

    rows = x.reshape(10_000, 1000)
    ours, theirs = both("guvectorize", ["void(float64[:], float64[:])"], row_total, "(n)->()")
    assert np.allclose(ours(rows), rows.sum(axis=1))
    t = timings(ours, rows, repeat=repeat)
    row("guvectorize (n)->() row sums, 10k x 1000", t, timings(theirs, rows, repeat=repeat),
        "numba guvectorize", "<= 1.0")
    row("guvectorize (n)->() row sums, 10k x 1000", t, timings(lambda r: r.sum(axis=1), rows, repeat=repeat),
        "numpy x.sum(axis=1)", "-")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)")
