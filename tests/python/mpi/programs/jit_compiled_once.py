"""A jitted function mapped over worker ranks is compiled once, on rank 0, and its
machine code travels with it: the workers compile nothing."""
import time

import numpy as np

import accel
import accel.mpi
from accel import _jit


@accel.jit
def norm2(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * a[i]
    return s


@accel.jit(parallel=True)
def scaled_sum(a, k):
    total = 0.0
    for i in accel.prange(a.shape[0]):
        total += a[i] * k
    return total


def compilations(_):
    time.sleep(0.02)  # so both ranks take some of these
    return accel.mpi.rank(), _jit.compilation_count


if __name__ == "__main__":
    arrays = [np.arange(300_000.0) * i for i in range(12)]
    with accel.Pool() as pool:
        assert pool.map(norm2, arrays, chunksize=1) == [norm2.py_func(a) for a in arrays]
        expected = [scaled_sum.py_func(a, 2.0) for a in arrays]
        got = pool.starmap(scaled_sum, [(a, 2.0) for a in arrays], chunksize=1)
        np.testing.assert_allclose(got, expected, rtol=1e-12)
        counts = dict(pool.map(compilations, range(40), chunksize=1))
    assert set(counts) == {1, 2}, counts
    assert counts == {1: 0, 2: 0}, f"worker ranks compiled: {counts}"
    assert _jit.compilation_count == 2, _jit.compilation_count  # one signature each, on rank 0
    print("ok")
