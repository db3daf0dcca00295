"""Every method gives what builtin map (or multiprocessing) gives, in every order."""
import multiprocessing
import operator
import sys
import time

import pytest

import accel


def square(x):
    return x * x


def add(a, b):
    return a + b


def slow_identity(x, delay=0.01):
    time.sleep(delay)
    return x


@pytest.mark.parametrize("chunksize", [None, 1, 7, 1000])
def test_map_matches_builtin(pool, chunksize):
    items = list(range(-50, 250))
    assert pool.map(square, items, chunksize=chunksize) == list(map(square, items))


def test_map_matches_multiprocessing(pool):
    items = [(i, str(i), i / 3) for i in range(100)]
    # fork: spawn would leave multiprocessing's resource tracker running after the test.
    with multiprocessing.get_context("fork").Pool(2) as reference:
        expected = reference.map(repr, items)
    assert pool.map(repr, items) == expected


def test_map_of_nothing_and_of_a_generator(pool):
    assert pool.map(square, []) == []
    assert pool.map(square, (i for i in range(30))) == list(map(square, range(30)))


@pytest.mark.parametrize("chunksize", [None, 1, 3])
def test_starmap_matches_builtin(pool, chunksize):
    pairs = [(i, 2 * i) for i in range(100)]
    assert pool.starmap(add, pairs, chunksize=chunksize) == [add(*p) for p in pairs]
    assert pool.starmap_async(add, pairs).get(60) == [add(*p) for p in pairs]


@pytest.mark.parametrize("chunksize", [None, 1, 5])
def test_imap_keeps_order_and_unordered_keeps_everything(pool, chunksize):
    items = list(range(60))
    assert list(pool.imap(square, items, chunksize)) == list(map(square, items))
    assert sorted(pool.imap_unordered(square, items, chunksize)) == sorted(map(square, items))


def test_imap_pulls_lazily_from_an_endless_iterator(pool):
    def naturals():
        n = 0
        while True:
            yield n
            n += 1
    results = pool.imap(square, naturals())
    assert [next(results) for _ in range(20)] == [square(i) for i in range(20)]


def _sleep_then_return(delay):
    time.sleep(delay)
    return delay


def test_imap_unordered_yields_fast_results_first(pool):
    pool.map(square, range(4), chunksize=1)  # both workers up: neither is still booting
    delays = [1.0, 0.0, 0.0, 0.0]
    got = list(pool.imap_unordered(_sleep_then_return, delays, chunksize=1))
    assert sorted(got) == sorted(delays) and got[0] == 0.0


def test_apply_and_apply_async(pool):
    assert pool.apply(divmod, (17, 5)) == divmod(17, 5)
    assert pool.apply(sorted, ([3, 1, 2],), {"reverse": True}) == [3, 2, 1]
    result = pool.apply_async(pow, (2, 10))
    assert result.get(60) == 1024
    assert result.ready() and result.successful()


def test_async_result_timeout_ready_and_successful(pool):
    result = pool.apply_async(slow_identity, (5, 1.0))
    assert not result.ready()
    with pytest.raises(ValueError):
        result.successful()
    with pytest.raises(multiprocessing.TimeoutError):
        result.get(timeout=0.05)
    result.wait(60)
    assert result.ready() and result.get() == 5


def test_callbacks_run_with_the_results(pool):
    seen, errors = [], []
    pool.map_async(square, range(10), callback=seen.append).wait(60)
    pool.apply_async(operator.truediv, (1, 0), error_callback=errors.append).wait(60)
    assert seen == [list(map(square, range(10)))]
    assert len(errors) == 1 and isinstance(errors[0], ZeroDivisionError)


def test_lambdas_and_closures(pool):
    offset = 17
    assert pool.map(lambda x: x + offset, range(10)) == [x + offset for x in range(10)]

    def make_scaler(k):
        return lambda x: k * x
    assert pool.map(make_scaler(3), range(10)) == list(map(make_scaler(3), range(10)))

    class Point:  # a class defined in a function, pickled by value
        def __init__(self, x):
            self.x = x
    assert [p.x for p in pool.map(lambda x: Point(x * 2), range(5))] == [0, 2, 4, 6, 8]


_initialized_value = None


def _initialize(value):
    global _initialized_value
    _initialized_value = value


def _read_initialized(_):
    return _initialized_value


def test_initializer_runs_in_every_worker(no_leftovers):
    with accel.Pool(2, initializer=_initialize, initargs=("ready",)) as p:
        assert p.map(_read_initialized, range(8), chunksize=1) == ["ready"] * 8


def _worker_pid(_):
    import os
    time.sleep(0.01)
    return os.getpid()


def test_maxtasksperchild_replaces_workers_and_keeps_results(no_leftovers):
    with accel.Pool(2, maxtasksperchild=1) as p:
        pids = p.map(_worker_pid, range(6), chunksize=1)
        assert len(set(pids)) == 6
        assert p.map(square, range(4)) == list(map(square, range(4)))


def _thread_limits(_):
    import os
    return os.environ.get("OPENBLAS_NUM_THREADS"), os.environ.get("OMP_NUM_THREADS")


def test_workers_limit_numeric_thread_pools_to_their_share(no_leftovers, monkeypatch):
    import os
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's choice wins
    share = str(max(1, (os.cpu_count() or 1) // 2))
    with accel.Pool(2) as p:
        assert p.map(_thread_limits, range(2), chunksize=1) == [(share, "3")] * 2


def test_pool_is_reused_across_calls(pool):
    first = set(pool.map(_worker_pid, range(6), chunksize=1))
    second = set(pool.map(_worker_pid, range(6), chunksize=1))
    assert first & second


def test_progress_bar_goes_to_stderr(pool, capfd):
    assert pool.map(square, range(50), progress=True) == list(map(square, range(50)))
    out, err = capfd.readouterr()
    assert "50/50" in err and out == ""


def test_plain_progress_bar_without_tqdm(pool, capfd, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    assert pool.map(square, range(20), progress=True) == list(map(square, range(20)))
    err = capfd.readouterr().err
    assert "[##############################] 20/20" in err


def test_close_then_join_finishes_pending_work(no_leftovers):
    p = accel.Pool(2)
    result = p.map_async(slow_identity, range(10), chunksize=1)
    p.close()
    p.join()
    assert result.get(0) == list(range(10))


def test_bad_arguments_raise_clear_errors(no_leftovers):
    with pytest.raises(ValueError, match="at least 1"):
        accel.Pool(0)
    with pytest.raises(ValueError, match="at least 1"):
        accel.Pool(-1)
    with pytest.raises(ValueError, match="'auto', 'local', 'threads', 'mpi'"):
        accel.Pool(2, backend="cluster")
    with pytest.raises(RuntimeError, match="mpiexec -n 3 python -m accel.mpi"):
        accel.Pool(2, backend="mpi")  # not started by the launcher
    with pytest.raises(TypeError):
        accel.Pool(2, initializer=3)
    with pytest.raises(ValueError):
        accel.Pool(2, maxtasksperchild=0)
    with accel.Pool(1, backend="local") as p:
        with pytest.raises(ValueError, match="Chunksize"):
            p.map(square, range(3), chunksize=0)
        with pytest.raises(ValueError, match="still running"):
            p.join()
        p.close()
        with pytest.raises(ValueError, match="not running"):
            p.map(square, range(3))
