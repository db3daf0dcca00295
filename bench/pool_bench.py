"""accel.Pool against multiprocessing.Pool (fork and forkserver) and loky, 2 workers each,
in one run, the way a user times them: every measure starts from a new pool.

    python bench/pool_bench.py [--quick] [--rounds N]

Each round creates, for every contender in turn (the order rotates from round to round,
so a load that drifts favours none), a new pool and measures:
(d) start-up: Pool(2) plus a first map of two tiny tasks;
(a) the notebook's map, difficult_function over range(8): the first map after the pool
    was created, then the second; speed-ups over serial (one serial run per round);
(c) arrays on first use: on a new pool (after one tiny map, so start-up is not counted),
    16 arrays of 8 MB as arguments, then 16 as results.
Then, on one warm pool of each: (b) the overhead of a tiny task at chunksize=1.
Figures are medians over rounds (time.perf_counter); the first round's are also shown,
since a fork server (accel's, multiprocessing's forkserver) starts in the first round only.

Goals (issue #16, and #3 for (b)): (a) accel's first-map speed-up >= fork's and >= 1.85x
on 2 cores; (d) accel <= fork; (c) accel >= 10x fork's throughput both ways; (b) <= 0.3x.
"""
import multiprocessing
import os
import statistics
import sys
import time

import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the notebook imports it before defining the function)
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas  # noqa: E402

import accel  # noqa: E402

WORKERS = 2


def difficult_function(seed=10, size=1024, bins=1024):
    """The notebook's heavy task; buffer_rgba() replaces the removed tostring_rgb()."""
    np.random.seed(seed)
    data = np.random.rand(size ** 2)
    fig, ax = plt.subplots()
    ax.hist(data, bins=bins)
    canvas = FigureCanvas(fig)
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())
    plt.close(fig)
    return image


def tiny(x):
    return x


def checksum(array):
    return float(array[::4096].sum())


def make_array(seed):
    return np.full(1 << 20, float(seed))  # 8 MB


class LokyPool:
    """loky's executor behind the two Pool methods the bench uses."""

    def __init__(self, workers):
        import loky
        self._executor = loky.ProcessPoolExecutor(max_workers=workers)

    def map(self, function, items, chunksize=1):
        return list(self._executor.map(function, items, chunksize=chunksize))

    def terminate(self):
        self._executor.shutdown(wait=True, kill_workers=True)

    def join(self):
        pass


def contenders():
    made = {
        "accel": lambda: accel.Pool(WORKERS),
        "mp-fork": lambda: multiprocessing.get_context("fork").Pool(WORKERS),
        "mp-forkserver": lambda: multiprocessing.get_context("forkserver").Pool(WORKERS),
    }
    try:
        import loky  # noqa: F401
        made["loky"] = lambda: LokyPool(WORKERS)
    except ImportError:
        print("loky is not installed: pip install loky (or the project's bench extra)", flush=True)
    return made


def stop(pool):
    pool.terminate()
    pool.join()


def timed(function, *args):
    started = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - started, value


def one_round(make, serial_seeds, arrays, figures, order):
    """Every measure once for every contender, in `order`."""
    total_bytes = sum(a.nbytes for a in arrays)
    for name in order:
        # (d) start-up.
        def start():
            pool = make[name]()
            pool.map(tiny, range(WORKERS), chunksize=1)
            return pool
        seconds, pool = timed(start)
        stop(pool)
        figures[name]["startup"].append(seconds)
    serial, expected = timed(lambda: list(map(difficult_function, serial_seeds)))
    figures["serial"]["map"].append(serial)
    for name in order:
        # (a) the notebook's map: Pool(2), then map twice.
        created, pool = timed(make[name])
        first, images = timed(pool.map, difficult_function, serial_seeds)
        second, _ = timed(pool.map, difficult_function, serial_seeds)
        stop(pool)
        assert all(np.array_equal(a, b) for a, b in zip(images, expected)), name
        figures[name]["created"].append(created)
        figures[name]["first"].append(first)
        figures[name]["second"].append(second)
    for name in order:
        # (c) arrays on first use, on a pool that has run one tiny map.
        pool = make[name]()
        pool.map(tiny, range(WORKERS), chunksize=1)
        seconds, sums = timed(pool.map, checksum, arrays, 1)
        figures[name]["arguments"].append(total_bytes / seconds)
        seconds, results = timed(pool.map, make_array, range(len(arrays)), 1)
        figures[name]["results"].append(total_bytes / seconds)
        assert sums == [checksum(a) for a in arrays], name
        assert all(np.array_equal(r, a) for r, a in zip(results, arrays)), name
        del results
        stop(pool)


def overheads(make, count, repeats):
    """(b) seconds per tiny task at chunksize=1 on a warm pool, accel and fork in turn."""
    pools = {name: make[name]() for name in ("accel", "mp-fork")}
    items = range(count)
    for pool in pools.values():
        pool.map(tiny, range(1000), chunksize=1)
    times = {name: [] for name in pools}
    for _ in range(repeats):
        for name, pool in pools.items():
            times[name].append(timed(pool.map, tiny, items, 1)[0] / count)
    for pool in pools.values():
        stop(pool)
    return {name: statistics.median(values) for name, values in times.items()}


def load():
    return os.getloadavg()[0]


def main():
    quick = "--quick" in sys.argv
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else (1 if quick else 3)
    make = contenders()
    names = list(make)
    print(f"{WORKERS} workers; cores: {os.cpu_count()}; rounds: {rounds}; contenders: {', '.join(names)}; "
          f"load average at start {load():.2f}", flush=True)
    serial_seeds = range(8)
    arrays = [make_array(i) for i in range(16)]
    figures = {name: {key: [] for key in ("startup", "created", "first", "second", "arguments", "results", "map")}
               for name in names + ["serial"]}
    difficult_function(0)  # the parent's own first call (imports, font cache) is not timed
    for index in range(rounds):
        order = names[index % len(names):] + names[:index % len(names)]
        one_round(make, serial_seeds, arrays, figures, order)
        print(f"round {index + 1} done (load average {load():.2f})", flush=True)

    def med(name, key):
        return statistics.median(figures[name][key])

    def first(name, key):
        return figures[name][key][0]

    serial = med("serial", "map")
    print(f"\nserial difficult_function x8: {serial:.3f} s (median), rounds {figures['serial']['map']}")
    print(f"\n{'contender':<14} {'(d) start-up':>13} {'1st round':>10} {'Pool()':>9} {'(a) 1st map':>12} "
          f"{'speed-up':>9} {'2nd map':>9} {'speed-up':>9} {'(c) args':>10} {'results':>10}")
    for name in names:
        print(f"{name:<14} {med(name, 'startup') * 1e3:10.1f} ms {first(name, 'startup') * 1e3:7.1f} ms "
              f"{med(name, 'created') * 1e3:6.1f} ms {med(name, 'first'):10.3f} s {serial / med(name, 'first'):8.2f}x "
              f"{med(name, 'second'):7.3f} s {serial / med(name, 'second'):8.2f}x "
              f"{med(name, 'arguments') / 1e9:6.2f} GB/s {med(name, 'results') / 1e9:6.2f} GB/s")
    fork = "mp-fork"
    print("\ngoals (medians; accel against multiprocessing's fork):")
    ours, theirs = serial / med("accel", "first"), serial / med(fork, "first")
    print(f"(a) first-map speed-up {ours:.2f}x vs fork {theirs:.2f}x: goal >= fork and >= 1.85x "
          f"-> {'met' if ours >= theirs and ours >= 1.85 else 'NOT met'}")
    ratio = med("accel", "startup") / med(fork, "startup")
    print(f"(d) start-up {med('accel', 'startup') * 1e3:.1f} ms vs fork {med(fork, 'startup') * 1e3:.1f} ms: "
          f"ratio {ratio:.2f}, goal <= 1 -> {'met' if ratio <= 1 else 'NOT met'}")
    for key, label in (("arguments", "as arguments"), ("results", "as results")):
        ratio = med("accel", key) / med(fork, key)
        print(f"(c) 16 x 8 MB {label} on first use: {ratio:.1f}x fork's throughput, goal >= 10 -> "
              f"{'met' if ratio >= 10 else 'NOT met'}")
    per_task = overheads(make, 5000 if quick else 20000, 1 if quick else 3)
    ratio = per_task["accel"] / per_task[fork]
    print(f"(b) overhead per tiny task, chunksize=1: accel {per_task['accel'] * 1e6:.1f} us, fork "
          f"{per_task[fork] * 1e6:.1f} us: ratio {ratio:.2f}, goal <= 0.3 -> {'met' if ratio <= 0.3 else 'NOT met'}")
    print(f"load average at the end {load():.2f}")


if __name__ == "__main__":
    main()
