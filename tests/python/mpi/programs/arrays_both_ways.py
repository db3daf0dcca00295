"""NumPy arrays to and from worker ranks: large ones out of band, contents checked."""
import numpy as np

import accel


def describe(a):
    return a.dtype.str, a.shape, float(a.astype(np.float64).sum()), bool(a.flags.writeable)


def scaled(a, factor):
    return a * factor


def make(n):
    rng = np.random.default_rng(n)
    return rng.standard_normal((n, 1000)).astype(np.float32)


if __name__ == "__main__":
    rng = np.random.default_rng(7)
    arrays = [rng.standard_normal(2_000_000),                    # 16 MB
              rng.integers(-5, 5, size=(300, 700)),             # int64, 2-D
              np.arange(10.0),                                   # small: in the pickle
              rng.standard_normal((500, 400))[:, ::3],           # not contiguous
              np.zeros(0), np.asfortranarray(rng.standard_normal((300, 200)))]
    with accel.Pool() as pool:
        assert pool.map(describe, arrays, chunksize=1) == [describe(a) for a in arrays]
        for got, a in zip(pool.starmap(scaled, [(a, 3) for a in arrays]), arrays):
            np.testing.assert_array_equal(got, a * 3)
            assert got.dtype == a.dtype and got.shape == a.shape
        made = pool.map(make, range(40, 50))
        for n, got in zip(range(40, 50), made):
            np.testing.assert_array_equal(got, make(n))
            got += 1  # results are ordinary writable arrays
        # Bytes-like buffers other than arrays travel out of band too.
        blobs = [bytes(range(256)) * 1024, bytearray(b"x" * 200_000)]
        assert pool.map(len, blobs) == [len(b) for b in blobs]
    print("ok")
