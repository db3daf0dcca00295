"""backend="threads" and the automatic choice for jitted nogil functions, against builtin map."""
import threading

import numpy as np
import pytest

import accel


@accel.jit(nogil=True)
def norm(x):
    s = 0.0
    for v in x:
        s += v * v
    return s


def plain_norm(x):
    return float((x * x).sum())


def add(a, b):
    return a + b


def fails(x):
    if x == 3:
        raise KeyError(x)
    return x


@pytest.fixture
def arrays():
    rng = np.random.default_rng(0)
    return [rng.random(50) for _ in range(200)]


def test_threads_backend_runs_every_method_like_map(arrays):
    with accel.Pool(2, backend="threads") as pool:
        expected = list(map(norm, arrays))
        assert pool.map(norm, arrays) == expected
        assert list(pool.imap(norm, arrays, chunksize=7)) == expected
        assert sorted(pool.imap_unordered(norm, arrays)) == sorted(expected)
        assert pool.starmap(add, [(1, 2), (3, 4)]) == [3, 7]
        assert pool.apply(add, (5, 6)) == 11
        result = pool.map_async(plain_norm, arrays)
        assert result.get(timeout=10) == list(map(plain_norm, arrays))
        assert result.ready() and result.successful()


def test_threads_backend_uses_no_process_and_no_pickling():
    lock = threading.Lock()  # a lock cannot be pickled: it can only work on threads

    def locked(x):
        with lock:
            return x + 1
    with accel.Pool(2, backend="threads") as pool:
        assert pool.map(locked, range(10)) == list(range(1, 11))
        assert "threads=2" in repr(pool)


def test_task_errors_keep_their_type(arrays):
    with accel.Pool(2, backend="threads") as pool:
        with pytest.raises(KeyError):
            pool.map(fails, range(10), chunksize=2)
        assert pool.map(fails, [1, 2]) == [1, 2]


def test_auto_backend_maps_nogil_jit_functions_on_threads(arrays):
    with accel.Pool(2) as pool:
        assert pool.map(norm, arrays) == list(map(norm, arrays))
        assert pool._thread_runner is not None  # the nogil function went to threads
        assert pool.map(plain_norm, arrays[:5]) == list(map(plain_norm, arrays[:5]))  # processes


def test_threads_backend_arguments_are_checked():
    with pytest.raises(ValueError, match="backend"):
        accel.Pool(2, backend="cluster")
    with pytest.raises(ValueError, match="maxtasksperchild"):
        accel.Pool(2, backend="threads", maxtasksperchild=3)
    with pytest.raises(ValueError):
        accel.Pool(0, backend="threads")
    pool = accel.Pool(2, backend="threads")
    pool.close()
    with pytest.raises(ValueError, match="not running"):
        pool.map(norm, [])
    pool.join()
