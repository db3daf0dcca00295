"""Experiment 1 of the notebook: a heavy function mapped over seeds, serially and on process pools."""
import functools
import os
from contextlib import contextmanager

from .way import Plan, Way, calling
from .workloads import difficult_function

NAME = "histograms"
SUMMARY = "difficult_function (histogram of random data, drawn with matplotlib) over 8 seeds: serial, multiprocessing.Pool, accel.Pool"


def _serial_map(function, items):
    return list(map(function, items))


@contextmanager
def _pool_map(make_pool, processes, function, items):
    with make_pool(processes) as pool:
        yield lambda: pool.map(function, items)


def _multiprocessing_pool(processes):
    import multiprocessing
    return multiprocessing.Pool(processes)


def _accel_pool(processes):
    import accel
    return accel.Pool(processes)


def _pool_ways(processes, function, seeds, repeats, what):
    return [
        Way(f"multiprocessing.Pool({processes})", f"the standard library's pool, {what}", repeats,
            lambda: _pool_map(_multiprocessing_pool, processes, function, seeds)),
        Way(f"accel.Pool({processes})", f"accel's pool, {what}", repeats,
            lambda: _pool_map(_accel_pool, processes, function, seeds)),
    ]


def plan(scale):
    seeds = list(scale.seeds)
    function = functools.partial(difficult_function, size=scale.histogram_size, bins=scale.histogram_bins)
    repeats = scale.histogram_repeats
    ways = [Way("serial", "list(map(difficult_function, seeds))", repeats,
                lambda: calling(_serial_map, function, seeds))]
    ways += _pool_ways(2, function, seeds, repeats, "2 processes")
    notes = ["first call: the first map, which imports matplotlib (in accel.Pool's workers, "
             "fresh interpreters, also numpy and accel)"]
    cores = os.cpu_count() or 1
    if cores == 2:
        notes.append("all cores: os.cpu_count() is 2 here, the same as Pool(2) above, so not run twice")
    else:
        ways += _pool_ways(cores, function, seeds, repeats, f"all {cores} cores")
    title = (f"difficult_function(seed, size={scale.histogram_size}, bins={scale.histogram_bins}) "
             f"for seeds {seeds[0]}..{seeds[-1]}")
    return Plan(title, ways, notes)
