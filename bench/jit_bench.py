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
    """Wall times of `runs` runs of `code` in new interpreters (see fresh_processes)."""
    return fresh_processes({"only": (code, env)}, runs)["only"]


# Wrapped around a script by fresh_processes(inside=True): the time from its first line
# to its last, measured in the child.
_CLOCK_START = "import time as _bench_time\n_bench_start = _bench_time.perf_counter()\n"
_CLOCK_STOP = "\nprint(_bench_time.perf_counter() - _bench_start)\n"


def fresh_processes(scripts, runs, inside=False):
    """Times of runs in new interpreters, {label: [seconds]} for {label: (code, env)}.

    Each code is a script file (so inspect can read the jitted function's source). The
    scripts take turns, so a load that comes and goes on the shared machine hits every
    one alike. The first run of each is not counted: it warms the disk cache (and fills
    a JIT's cache=True cache, for those rows). Wall times by default; with `inside`, the
    script's own time from its first line to its last, without the interpreter's start
    and exit (the same for every script, and most of the noise between runs)."""
    files, out = {}, {label: [] for label in scripts}
    try:
        for label, (code, env) in scripts.items():
            with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
                text = textwrap.dedent(code)
                script.write(_CLOCK_START + text + _CLOCK_STOP if inside else text)
            files[label] = (script.name, {**os.environ, **env} if env else None)
        for round in range(runs + 1):
            for label, (path, environment) in files.items():
                start = time.perf_counter()
                done = subprocess.run([sys.executable, path], check=True, env=environment,
                                      stdout=subprocess.PIPE if inside else None, text=True)
                if round:
                    wall = time.perf_counter() - start
                    out[label].append(float(done.stdout.split()[-1]) if inside else wall)
        return out
    finally:
        for path, _ in files.values():
            os.unlink(path)


def first_calls(runs, inside):
    """Import + first call of the seed loop in fresh processes: accel cold, accel and numba
    with `cache=True` and their caches (each in a folder of its own) filled by the first
    run, and the floor none can go below (`import numpy`, which the script does)."""
    with tempfile.TemporaryDirectory() as ours, tempfile.TemporaryDirectory() as theirs:
        times = fresh_processes({
            "cold": (SEED.format(module="accel", decorator="jit"), None),
            "warm": (SEED.format(module="accel", decorator="jit(cache=True)"), {"ACCEL_CACHE_DIR": ours}),
            "numba warm": (SEED.format(module="numba", decorator="njit(cache=True)"), {"NUMBA_CACHE_DIR": theirs}),
            "floor": ("import numpy as np\nnp.arange(10)\n", None),
        }, runs, inside)
        for folder, name in ((ours, "accel"), (theirs, "numba")):
            if not any(files for _, _, files in os.walk(folder)):
                sys.exit(f"jit_bench: {name} wrote no cache entry in {folder}")
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
    for label, argument in [("int", 7), ("float", 2.5), ("array", floats), ("tuple (int, float)", (7, 2.5))]:
        row(f"dispatch, 1 argument ({label})", timings(ours_id, argument, repeat=repeat, number=100_000),
            timings(theirs_id, argument, repeat=repeat, number=100_000), "numba", "<= 0.8")

    row("import (fresh process)", fresh_process("import accel", runs), fresh_process("import numba", runs),
        "numba", "<= 0.5")
    row("import + first call (fresh process)",
        fresh_process(SEED.format(module="accel", decorator="jit"), runs),
        fresh_process(SEED.format(module="numba", decorator="njit"), runs), "numba", "<= 0.5")
    # cache=True: wall times, then the same scripts timed inside the child (the figures
    # the interpreter's start and exit, ~100 ms of noise, do not blur), then above the
    # floor both JITs share (`import numpy`).
    for inside, name in ((False, "import + 1st call, warm cache (fresh)"), (True, "  same, timed in the script")):
        first = first_calls(runs, inside)
        row(name, first["warm"], first["cold"], "accel cold first call", "<= 0.5")
        row(name, first["warm"], first["numba warm"], "numba cache=True, warm", "<= 1.0")
    floor = statistics.median(first["floor"])
    row("  same, above import numpy", [t - floor for t in first["warm"]],
        [t - floor for t in first["cold"]], "accel cold, above the same", "-")


if __name__ == "__main__":
    main()
