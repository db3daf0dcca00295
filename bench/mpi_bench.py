"""accel.Pool over MPI against mpi4py.futures.MPIPoolExecutor, both under mpiexec -n 3
(rank 0 and 2 worker ranks), in one run:

    python bench/mpi_bench.py [--quick]

It launches this file twice, once per side (``mpiexec -n 3 python -m accel.mpi`` and
``mpiexec -n 3 python -m mpi4py.futures``), each measuring on its rank 0, then prints both
figures, their ratio and the goal of issue #8:
(a) the notebook's difficult_function over range(8): speed-up over serial (goal >= 1.8),
    serial measured here in a plain process, between the two sides;
(b) time per tiny task at chunksize=1 (goal <= 0.1 x mpi4py's);
(c) 16 arrays of 8 MB as arguments, then 16 as results (goal >= 20 x its throughput).
Figures are medians of several runs (time.perf_counter, statistics.median).
"""
import functools
import json
import operator
import os
import statistics
import subprocess
import sys
import time

import numpy as np

from accel.bench.workloads import difficult_function

ARRAYS, ARRAY_ITEMS = 16, 1 << 20  # 16 arrays of 8 MB
RESULT_MARK = "RESULT "
# Picklable by reference on both sides: a worker of either library can import them.
tiny = abs
first_element = operator.itemgetter(0)
make_array = functools.partial(np.full, ARRAY_ITEMS, dtype=np.float64)


def median_times(runs, repeats):
    """Medians of several ways run in turn (a, b, a, b, ...), so a load that drifts
    during the measurement (a shared machine) biases none of them."""
    times = [[] for _ in runs]
    for _ in range(repeats):
        for run, spent in zip(runs, times):
            started = time.perf_counter()
            run()
            spent.append(time.perf_counter() - started)
    return [statistics.median(spent) for spent in times]


def median_time(run, repeats):
    return median_times([run], repeats)[0]


def measure(pool_map, quick):
    """The figures of one side; ``pool_map(function, items)`` maps with chunksize=1."""
    repeats = 1 if quick else 3
    seeds = range(4 if quick else 8)
    pool_map(difficult_function, range(2))  # imports matplotlib on both workers
    difficult_function(0)
    serial, parallel = median_times([lambda: list(map(difficult_function, seeds)),
                                     lambda: pool_map(difficult_function, seeds)], repeats)
    assert all(np.array_equal(a, b) for a, b in
               zip(pool_map(difficult_function, range(2)), map(difficult_function, range(2))))

    count = 2000 if quick else 10000
    pool_map(tiny, range(500))
    per_task = median_time(lambda: pool_map(tiny, range(-count, 0)), repeats) / count
    assert pool_map(tiny, range(-5, 0)) == [5, 4, 3, 2, 1]

    arrays = [make_array(float(i)) for i in range(ARRAYS)]
    total = sum(a.nbytes for a in arrays)
    pool_map(first_element, arrays)
    arguments = median_time(lambda: pool_map(first_element, arrays), repeats)
    assert pool_map(first_element, arrays) == [float(i) for i in range(ARRAYS)]
    values = [float(i) for i in range(ARRAYS)]
    pool_map(make_array, values)
    results = median_time(lambda: pool_map(make_array, values), repeats)
    assert all(np.array_equal(r, make_array(v)) for r, v in zip(pool_map(make_array, values), values))
    return {"serial": serial, "parallel": parallel, "per_task": per_task,
            "arguments_gbs": total / arguments / 1e9, "results_gbs": total / results / 1e9,
            "tasks": len(seeds)}


def run_side(side, quick):
    if side == "accel":
        import accel
        with accel.Pool() as pool:
            figures = measure(lambda f, items: pool.map(f, items, chunksize=1), quick)
    else:
        from mpi4py.futures import MPIPoolExecutor
        with MPIPoolExecutor() as executor:
            figures = measure(lambda f, items: list(executor.map(f, items, chunksize=1)), quick)
    print(RESULT_MARK + json.dumps(figures), flush=True)


def launch(side, quick):
    mpiexec = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    launcher = "accel.mpi" if side == "accel" else "mpi4py.futures"
    command = [mpiexec if os.path.exists(mpiexec) else "mpiexec", "-n", "3", sys.executable,
               "-m", launcher, os.path.abspath(__file__), "--side", side] + (["--quick"] if quick else [])
    out = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    for line in out.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK):])
    sys.exit(f"{side} side failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")


def report(name, ours, theirs, unit, ratio, goal):
    print(f"{name:<40} accel {ours:9.4g} {unit:<5} mpi4py.futures {theirs:9.4g} {unit:<5}"
          f" ratio {ratio:7.3f}  goal {goal}", flush=True)


def main():
    quick = "--quick" in sys.argv
    if "--side" in sys.argv:
        run_side(sys.argv[sys.argv.index("--side") + 1], quick)
        return
    print(f"mpiexec -n 3 (rank 0 + 2 worker ranks) on {os.cpu_count()} cores; "
          f"medians of {1 if quick else 3}", flush=True)
    # Serial runs in this plain process (no MPI, no pool), before, between and after the
    # two sides: one baseline for both, whatever each library's rank 0 does while it waits.
    seeds = range(4 if quick else 8)
    difficult_function(0)
    serial_runs = [median_time(lambda: list(map(difficult_function, seeds)), 1)]
    ours = launch("accel", quick)
    serial_runs.append(median_time(lambda: list(map(difficult_function, seeds)), 1))
    theirs = launch("mpi4py", quick)
    serial_runs.append(median_time(lambda: list(map(difficult_function, seeds)), 1))
    serial = statistics.median(serial_runs)
    print(f"(a) difficult_function x{len(seeds)}: serial {serial:.3f} s (plain process; on "
          f"rank 0 beside the pool: accel {ours['serial']:.3f} s, mpi4py.futures "
          f"{theirs['serial']:.3f} s); accel {ours['parallel']:.3f} s, mpi4py.futures "
          f"{theirs['parallel']:.3f} s")
    ours_speedup, theirs_speedup = serial / ours["parallel"], serial / theirs["parallel"]
    report("(a) speed-up over serial", ours_speedup, theirs_speedup, "x",
           ours_speedup / theirs_speedup, "accel >= 1.8x serial")
    report("(b) time per tiny task, chunksize=1", ours["per_task"] * 1e6, theirs["per_task"] * 1e6,
           "us", ours["per_task"] / theirs["per_task"], "<= 0.1")
    report("(c) 16 x 8 MB as arguments", ours["arguments_gbs"], theirs["arguments_gbs"], "GB/s",
           ours["arguments_gbs"] / theirs["arguments_gbs"], ">= 20")
    report("(c) 16 x 8 MB as results", ours["results_gbs"], theirs["results_gbs"], "GB/s",
           ours["results_gbs"] / theirs["results_gbs"], ">= 20")


if __name__ == "__main__":
    main()
