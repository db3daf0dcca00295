"""Large NumPy arrays travel out of band through shared memory, both ways, intact."""
import numpy as np
import pytest

import accel
from accel.pool.serialization import OUT_OF_BAND_MIN, dumps, loads


def double(a):
    return a * 2


def total(a):
    return float(a.sum())


def make_array(seed):
    return np.random.default_rng(seed).random(1_000_000)


def test_large_arrays_go_out_of_band_and_small_ones_inline():
    big = np.arange(OUT_OF_BAND_MIN // 8, dtype=np.float64)
    small = np.arange(10)
    data, buffers = dumps([big, small])
    assert len(buffers) == 1 and buffers[0].nbytes == big.nbytes
    assert len(data) < 4096
    rebuilt_big, rebuilt_small = loads(data, buffers)
    np.testing.assert_array_equal(rebuilt_big, big)
    np.testing.assert_array_equal(rebuilt_small, small)


def test_arrays_as_arguments_and_results(pool):
    arrays = [make_array(seed) for seed in range(6)]
    results = pool.map(double, arrays, chunksize=1)
    for array, result in zip(arrays, results):
        np.testing.assert_array_equal(result, array * 2)
    assert pool.map(total, arrays) == [float(a.sum()) for a in arrays]
    made = pool.map(make_array, range(4))
    for seed, array in enumerate(made):
        np.testing.assert_array_equal(array, make_array(seed))


@pytest.mark.parametrize("array", [
    np.arange(300_000, dtype=np.int32).reshape(600, 500),
    np.asfortranarray(np.arange(300_000, dtype=np.float32).reshape(500, 600)),
    np.arange(300_000, dtype=np.int16)[::2],  # not contiguous: pickled in band
    np.zeros((0, 3)),
    np.array(["a", "bc"] * 50_000),
])
def test_shape_dtype_and_order_survive(pool, array):
    result = pool.apply(np.copy, (array,), {"order": "K"})
    expected = np.copy(array, order="K")
    assert result.dtype == expected.dtype and result.shape == expected.shape
    assert result.flags.f_contiguous == expected.flags.f_contiguous
    assert result.flags.c_contiguous == expected.flags.c_contiguous
    np.testing.assert_array_equal(result, expected)


def test_results_own_their_memory_after_the_pool_is_gone(no_leftovers):
    with accel.Pool(2) as p:
        results = p.map(make_array, range(3))
    for seed, array in enumerate(results):
        assert array.flags.writeable
        array[0] = -1.0
        expected = make_array(seed)
        expected[0] = -1.0
        np.testing.assert_array_equal(array, expected)


def test_bytes_and_bytearrays(pool):
    blob = bytearray(range(256)) * 1024
    assert pool.apply(bytes, (blob,)) == bytes(blob)
    assert pool.apply(len, (bytes(blob),)) == len(blob)
