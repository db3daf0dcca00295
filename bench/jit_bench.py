"""@accel.jit against NumPy and numba on the notebook's workload, as ratios in one run.

    python bench/jit_bench.py [--quick]

Prints medians (and min-max) and the ratios the JIT issue sets goals for. Fresh-process
figures (import, first call) run each command in a new interpreter several times.
"""
import argparse
import os
import statistics
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


# The fresh-process script: import, decorate, one call.
SEED = '''
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


def fresh_process(code, runs, env=None):
    """Wall time of `python -c code`-style runs in new interpreters (a script file, so
    inspect can read the jitted function's source). The first run is not counted: it warms
    the disk cache (and fills a JIT's cache=True cache, for those rows)."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(textwrap.dedent(code))
    environment = {**os.environ, **env} if env else None
    try:
        subprocess.run([sys.executable, script.name], check=True, env=environment)
        out = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, script.name], check=True, env=environment)
            out.append(time.perf_counter() - start)
        return out
    finally:
        os.unlink(script.name)


def warm_cache_first_call(module, decorator, variable, runs):
    """Import + first call of the seed loop with `cache=True`, its cache (in a folder of
    its own, named by `variable`) filled by an earlier process."""
    with tempfile.TemporaryDirectory() as folder:
        code = SEED.format(module=module, decorator=f"{decorator}(cache=True)")
        times = fresh_process(code, runs, env={variable: folder})
        if not any(files for _, _, files in os.walk(folder)):
            sys.exit(f"jit_bench: {module} wrote no cache entry in {folder}")
        return times



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

    ours_id, theirs_id = accel.jit(trivial), numba.njit(trivial)
    for label, argument in [("int", 7), ("float", 2.5), ("array", floats)]:
        row(f"dispatch, 1 argument ({label})", timings(ours_id, argument, repeat=repeat, number=100_000),
            timings(theirs_id, argument, repeat=repeat, number=100_000), "numba", "<= 0.8")

    row("import (fresh process)", fresh_process("import accel", runs), fresh_process("import numba", runs),
        "numba", "<= 0.5")
    cold = fresh_process(SEED.format(module="accel", decorator="jit"), runs)
    row("import + first call (fresh process)", cold,
        fresh_process(SEED.format(module="numba", decorator="njit"), runs), "numba", "<= 0.5")
    warm = warm_cache_first_call("accel", "jit", "ACCEL_CACHE_DIR", runs)
    row("import + first call, warm cache (fresh)", warm, cold, "accel cold first call", "<= 0.5")
    row("import + first call, warm cache (fresh)", warm,
        warm_cache_first_call("numba", "njit", "NUMBA_CACHE_DIR", runs), "numba cache=True, warm", "<= 1.0")
    # What neither JIT can go below: the interpreter and NumPy, which the script imports.
    floor = fresh_process("import numpy as np\nnp.arange(10)", runs)
    row("  same, above `import numpy` (fresh)", [t - statistics.median(floor) for t in warm],
        [t - statistics.median(floor) for t in cold], "accel cold, above numpy", "-")


if __name__ == "__main__":
    main()
