"""accel.Pool against multiprocessing.Pool, 2 workers each, in one run.

    python bench/pool_bench.py [--quick]

Prints, for each measure, both figures and their ratio next to the goal of issue #3:
(a) the notebook's difficult_function over range(8): speed-up over serial (goal >= 1.9);
(b) overhead per tiny task at chunksize=1 (goal <= 0.3 x multiprocessing's);
(c) 16 arrays of 8 MB as arguments, then 16 as results (goal >= 10 x its throughput);
(d) start-up: Pool(2) until both workers answered, against multiprocessing's default.
Each figure is the median of several runs (time.perf_counter, statistics.median), the
contenders taking turns so that a drifting load on a shared machine favours none.
"""
import multiprocessing
import statistics
import sys
import time

import numpy as np

import accel

WORKERS = 2


def difficult_function(seed=10, size=1024, bins=1024):
    """The notebook's heavy task; buffer_rgba() replaces the removed tostring_rgb()."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas

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


def median_times(runs, repeats):
    """Medians of several contenders run in turn (a, b, c, a, b, c, ...), so a load that
    drifts during the measurement (a shared machine) biases none of them."""
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return [statistics.median(times[name]) for name in runs]


def report(name, ours, theirs, unit, ratio, goal):
    print(f"{name:<44} accel {ours:10.4g} {unit:<6} multiprocessing {theirs:10.4g} {unit:<6}"
          f" ratio {ratio:6.2f}  goal {goal}", flush=True)


def main():
    quick = "--quick" in sys.argv
    repeats = 1 if quick else 3
    multiprocessing_start = multiprocessing.get_start_method()
    print(f"2 workers; multiprocessing start method: {multiprocessing_start}; "
          f"cores: {multiprocessing.cpu_count()}; medians of {repeats}", flush=True)

    # (d) start-up first, while nothing else runs.
    def start(factory):
        def run():
            pool = factory(WORKERS)
            pool.map(tiny, range(WORKERS), chunksize=1)
            pool.terminate()
            pool.join()
        return run
    ours, theirs = median_times({"accel": start(accel.Pool), "multiprocessing": start(multiprocessing.Pool)}, 5)
    report("(d) start-up, Pool(2) until first map done", ours * 1e3, theirs * 1e3, "ms",
           ours / theirs, "(informative; smaller is better)")

    with accel.Pool(WORKERS) as ours_pool, multiprocessing.Pool(WORKERS) as their_pool:
        # (a) The notebook's experiment. Warm-up imports matplotlib in every worker.
        seeds = range(8)
        for pool in (ours_pool, their_pool):
            pool.map(difficult_function, range(WORKERS), chunksize=1)
        difficult_function(0)
        serial, ours, theirs = median_times({
            "serial": lambda: list(map(difficult_function, seeds)),
            "accel": lambda: ours_pool.map(difficult_function, seeds),
            "multiprocessing": lambda: their_pool.map(difficult_function, seeds),
        }, repeats)
        print(f"(a) difficult_function x8: serial {serial:.3f} s, accel {ours:.3f} s, "
              f"multiprocessing {theirs:.3f} s", flush=True)
        report("(a) speed-up over serial", serial / ours, serial / theirs, "x",
               (serial / ours) / (serial / theirs), "accel >= 1.9x serial")
        assert all(np.array_equal(a, b) for a, b in
                   zip(ours_pool.map(difficult_function, range(2)), map(difficult_function, range(2))))

        # (b) Overhead per task: a task that does nothing, one item per task.
        count = 5000 if quick else 20000
        items = range(count)
        for pool in (ours_pool, their_pool):
            pool.map(tiny, range(1000), chunksize=1)
        ours, theirs = (t / count for t in median_times({
            "accel": lambda: ours_pool.map(tiny, items, chunksize=1),
            "multiprocessing": lambda: their_pool.map(tiny, items, chunksize=1),
        }, repeats))
        report("(b) overhead per tiny task, chunksize=1", ours * 1e6, theirs * 1e6, "us",
               ours / theirs, "<= 0.3")
        ours_auto, theirs_auto = (t / count for t in median_times({
            "accel": lambda: ours_pool.map(tiny, items),
            "multiprocessing": lambda: their_pool.map(tiny, items),
        }, repeats))
        report("    same, default chunksize", ours_auto * 1e6, theirs_auto * 1e6, "us",
               ours_auto / theirs_auto, "(informative)")

        # (c) Bulk data: 16 arrays of 8 MB each way.
        arrays = [make_array(i) for i in range(16)]
        total_bytes = sum(a.nbytes for a in arrays)
        # One full pass each first: steady state, for both (ours reuses its segments then).
        for pool in (ours_pool, their_pool):
            pool.map(checksum, arrays, chunksize=1)
            pool.map(make_array, range(16), chunksize=1)
        ours, theirs = median_times({
            "accel": lambda: ours_pool.map(checksum, arrays, chunksize=1),
            "multiprocessing": lambda: their_pool.map(checksum, arrays, chunksize=1),
        }, repeats)
        report("(c) 16 x 8 MB as arguments", total_bytes / ours / 1e9, total_bytes / theirs / 1e9,
               "GB/s", theirs / ours, ">= 10")
        ours, theirs = median_times({
            "accel": lambda: ours_pool.map(make_array, range(16), chunksize=1),
            "multiprocessing": lambda: their_pool.map(make_array, range(16), chunksize=1),
        }, repeats)
        report("(c) 16 x 8 MB as results", total_bytes / ours / 1e9, total_bytes / theirs / 1e9,
               "GB/s", theirs / ours, ">= 10")
        results = ours_pool.map(make_array, range(16), chunksize=1)
        assert all(np.array_equal(r, make_array(i)) for i, r in enumerate(results))


if __name__ == "__main__":
    main()
