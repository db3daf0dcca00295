"""@accel.jit against NumPy and numba on the notebook's workload, as ratios in one run.

    python bench/jit_bench.py [--quick]

Prints medians (and min-max) and the ratios the JIT issue sets goals for. Fresh-process
figures (import, first call) run each command in a new interpreter several times.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time

import numpy as np

import accel
from timing import row, timings

try:
    import numba
except ImportError:  # the comparison needs it; say so instead of failing
    numba = None


def seed_loop(x):
    y = 0
    for item in x:
        y += item
    return y


def trivial(a):
    return 0



def fresh_process(code, runs):
    """Wall time of `python -c code`-style runs in new interpreters (a script file, so
    inspect can read the jitted function's source)."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(textwrap.dedent(code))
    try:
        subprocess.run([sys.executable, script.name], check=True)  # warm the disk cache
        out = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, script.name], check=True)
            out.append(time.perf_counter() - start)
        return out
    finally:
        os.unlink(script.name)



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    options = parser.parse_args()
    repeat = 5 if options.quick else 15
    runs = 3 if options.quick else 9
    if numba is None:
        sys.exit("jit_bench: numba is not installed (pip install numba); it is the peer measured against")

    print(f"accel {accel.__version__}, numpy {np.__version__}, numba {numba.__version__}, "
          f"CPU {accel._core.host_cpu()}")
    ints = np.arange(10_000_000)
    floats = ints.astype(np.float64)
    ours, theirs = accel.jit(seed_loop), numba.njit(seed_loop)
    assert ours(ints) == ints.sum() == theirs(ints)
    assert ours(floats) == theirs(floats)

    row("seed loop, int64, 10M", timings(ours, ints, repeat=repeat), timings(np.sum, ints, repeat=repeat),
        "numpy x.sum()", "<= 1.1")
    row("seed loop, int64, 10M", timings(ours, ints, repeat=repeat), timings(theirs, ints, repeat=repeat),
        "numba", "-")
    row("seed loop, float64, 10M", timings(ours, floats, repeat=repeat), timings(theirs, floats, repeat=repeat),
        "numba", "<= 1.0")
    row("seed loop, float64, 10M", timings(ours, floats, repeat=repeat), timings(np.sum, floats, repeat=repeat),
        "numpy x.sum()", "- (pairwise sum)")

    # fastmath lets LLVM reorder the float sum into vector lanes: a different rounding,
    # so the results are checked against NumPy's with a tolerance, not for equality.
    ours_fast, theirs_fast = accel.jit(fastmath=True)(seed_loop), numba.njit(fastmath=True)(seed_loop)
    exact = float(floats.sum())
    assert abs(ours_fast(floats) - exact) <= 1e-12 * exact and abs(theirs_fast(floats) - exact) <= 1e-12 * exact
    fast_times = timings(ours_fast, floats, repeat=repeat)
    row("float64 seed loop, fastmath=True", fast_times, timings(ours, floats, repeat=repeat),
        "accel without fastmath", "<= 0.5")
    row("float64 seed loop, fastmath=True", fast_times, timings(theirs_fast, floats, repeat=repeat),
        "numba fastmath=True", "<= 1.0")

    ours_id, theirs_id = accel.jit(trivial), numba.njit(trivial)
    for label, argument in [("int", 7), ("float", 2.5), ("array", floats)]:
        row(f"dispatch, 1 argument ({label})", timings(ours_id, argument, repeat=repeat, number=100_000),
            timings(theirs_id, argument, repeat=repeat, number=100_000), "numba", "<= 0.8")

    seed = '''
        import numpy as np
        import {module} as lib
        @lib.{decorator}
        def seed_loop(x):
            y = 0
            for item in x:
                y += item
            return y
        seed_loop(np.arange(10))
    '''
    row("import (fresh process)", fresh_process("import accel", runs), fresh_process("import numba", runs),
        "numba", "<= 0.5")
    row("import + first call (fresh process)",
        fresh_process(seed.format(module="accel", decorator="jit"), runs),
        fresh_process(seed.format(module="numba", decorator="njit"), runs), "numba", "<= 0.5")


if __name__ == "__main__":
    main()
