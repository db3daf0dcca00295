"""The Python that numba code is written in (issue #15): list- and dict-heavy kernels run by
accel, numba and CPython, as ratios in one run.

    python bench/python_bench.py [--quick]

Each kernel is plain Python; all three run the same function, and the compiled results
are checked against CPython's before anything is timed. A kernel one of them cannot
compile is listed with the first line of its error, not timed. The goals: accel <= 1.0 x
numba's time, and at least 20 x faster than CPython (a ratio <= 0.05).
"""
import argparse
import copy
import math
import statistics
import sys

import numpy as np

import accel
from timing import first_error_line, row, timings

try:
    import numba
except ImportError:
    numba = None


def trial_division_primes(n):
    # A list that grows inside the loop that reads it.
    primes = []
    for k in range(2, n):
        for p in primes:
            if p * p > k:
                primes.append(k)
                break
            if k % p == 0:
                break
        else:
            primes.append(k)
    return primes


def eratosthenes(n):
    # A sieve on a list of flags, the primes gathered by a comprehension.
    flags = [True] * (n + 1)
    flags[0] = False
    flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    return [k for k in range(n + 1) if flags[k]]


def quicksort_with_a_stack(a):
    # Sorting with an explicit stack of (lo, hi) pairs instead of recursion.
    x = a.copy()
    stack = [(0, x.shape[0] - 1)]
    while stack:
        lo, hi = stack.pop()
        if lo >= hi:
            continue
        pivot = x[(lo + hi) // 2]
        i, j = lo, hi
        while i <= j:
            while x[i] < pivot:
                i += 1
            while x[j] > pivot:
                j -= 1
            if i <= j:
                x[i], x[j] = x[j], x[i]
                i += 1
                j -= 1
        stack.append((lo, j))
        stack.append((i, hi))
    return x


def reachable_in_a_tree(n):
    # Depth-first search of the implicit binary tree 0..n-1 with a list as the stack.
    stack = [0]
    count = 0
    depth_sum = 0
    depths = [0] * n
    while stack:
        v = stack.pop()
        count += 1
        depth_sum += depths[v]
        for child in (2 * v + 1, 2 * v + 2):
            if child < n:
                depths[child] = depths[v] + 1
                stack.append(child)
    return count, depth_sum


def running_medians(x, window):
    # A sorted window kept with insert and remove, as plain-Python code does it.
    ordered = sorted([x[k] for k in range(window)])
    out = [ordered[window // 2]]
    for k in range(window, x.shape[0]):
        ordered.remove(x[k - window])
        v = x[k]
        lo, hi = 0, len(ordered)
        while lo < hi:
            mid = (lo + hi) // 2
            if ordered[mid] < v:
                lo = mid + 1
            else:
                hi = mid
        ordered.insert(lo, v)
        out.append(ordered[window // 2])
    return out


def normalize_in_place(items):
    # A Python list passed in and changed: numba's reflected list, written back.
    total = 0.0
    for v in items:
        total += v
    for i in range(len(items)):
        items[i] /= total
    return total


def dict_histogram(x):
    counts = {}
    for v in x:
        counts[v] = counts.get(v, 0) + 1
    return counts


def grouped_sums(keys, values):
    # Sums per key, from an empty {} filled by `in` tests and stores.
    sums = {}
    for i in range(keys.shape[0]):
        k = keys[i]
        if k in sums:
            sums[k] += values[i]
        else:
            sums[k] = values[i]
    return sums


def distinct_pairs(a, b):
    # A set of tuples: how many different (a, b) pairs there are.
    seen = set()
    for i in range(a.shape[0]):
        seen.add((a[i], b[i]))
    return len(seen)


def cases(quick):
    rng = np.random.default_rng(15)
    scale = 1 if quick else 4
    return [
        ("primes by trial division (list)", trial_division_primes, (20_000 * scale,)),
        ("sieve of Eratosthenes (list)", eratosthenes, (500_000 * scale,)),
        ("quicksort, stack of tuples", quicksort_with_a_stack, (rng.random(50_000 * scale),)),
        ("tree DFS, list as a stack", reachable_in_a_tree, (250_000 * scale,)),
        ("running median (insert/remove)", running_medians, (rng.random(5_000 * scale), 101)),
        ("list argument changed in place", normalize_in_place, (rng.random(20_000 * scale).tolist(),)),
        ("histogram in a dict", dict_histogram, (rng.integers(0, 1000, 100_000 * scale),)),
        ("sums per key in a dict", grouped_sums, (rng.integers(0, 5000, 200_000 * scale), rng.random(200_000 * scale))),
        ("distinct pairs in a set of tuples", distinct_pairs,
         (rng.integers(0, 300, 200_000 * scale), rng.integers(0, 300, 200_000 * scale))),
    ]


def same(got, expected):
    if isinstance(expected, np.ndarray):
        return np.array_equal(got, expected)
    if isinstance(expected, (list, tuple)):
        return len(got) == len(expected) and all(same(g, e) for g, e in zip(got, expected))
    if isinstance(expected, dict):  # numba's typed Dict compares as a mapping
        return dict(got) == expected and list(got) == list(expected)
    return got == expected


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer repeats")
    options = parser.parse_args()
    repeat = 3 if options.quick else 5
    if numba is None:
        sys.exit("python_bench: numba is not installed (pip install numba); it is the peer measured against")
    print(f"accel {accel.__version__}, numpy {np.__version__}, numba {numba.__version__}, CPU {accel._core.host_cpu()}")

    over_numba, over_cpython = [], []
    for name, kernel, args in cases(options.quick):
        expected = kernel(*copy.deepcopy(args))  # copies: a kernel may change its arguments
        results = {}
        for label, compiler in (("accel", accel.jit), ("numba", numba.njit)):
            try:
                compiled = compiler(kernel)
                if not same(compiled(*copy.deepcopy(args)), expected):
                    raise AssertionError("result differs from CPython's")
                results[label] = compiled
            except Exception as error:  # noqa: BLE001 - a kernel that fails is reported, not timed
                results[label] = first_error_line(error)
        for label, outcome in results.items():
            if not callable(outcome):
                print(f"{name:<42} {label} cannot run it yet: {outcome}")
        if not callable(results["accel"]):
            continue
        ours = timings(results["accel"], *args, repeat=repeat)
        if callable(results["numba"]):
            over_numba.append(row(name, ours, timings(results["numba"], *args, repeat=repeat), "numba", "<= 1.0"))
        over_cpython.append(row(name, ours, timings(kernel, *args, repeat=max(1, repeat // 2)), "CPython", "<= 0.05"))
    for peer, ratios, goal in (("numba", over_numba, "<= 1.0"), ("CPython", over_cpython, "<= 0.05, 20x")):
        if ratios:
            mean = math.exp(statistics.fmean(math.log(r) for r in ratios))
            print(f"geometric mean over {len(ratios)} kernels: accel/{peer} {mean:.3f}  (goal {goal})")


if __name__ == "__main__":
    main()
