"""Each failure mode of the issue, with its bound: crashes, task errors, Ctrl-C, exit."""
import ctypes
import functools
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import accel
from accel.pool import RemoteTraceback

from pool_helpers import pool_segments, workers_of


def square(x):
    return x * x


def kill_self_at(x, at=5, how="sigkill"):
    if x == at:
        if how == "sigkill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif how == "exit":
            os._exit(3)
        else:
            ctypes.string_at(0)  # segfault
    return x


def test_killed_worker_raises_within_a_second_and_pool_survives(pool):
    assert pool.map(square, range(4)) == [0, 1, 4, 9]  # workers up
    started = time.perf_counter()
    with pytest.raises(accel.WorkerCrashedError) as caught:
        pool.map(kill_self_at, range(10), chunksize=1)
    assert time.perf_counter() - started < 1.0
    error = caught.value
    assert error.index == 5 and error.exitcode == -signal.SIGKILL
    assert "item 5" in str(error) and "SIGKILL" in str(error)
    assert pool.map(square, range(30)) == list(map(square, range(30)))


@pytest.mark.parametrize("how, expected", [("exit", "exit code 3"), ("segv", "SIGSEGV")])
def test_worker_exit_and_segfault_are_reported(pool, how, expected):
    with pytest.raises(accel.WorkerCrashedError, match=expected) as caught:
        pool.map(functools.partial(kill_self_at, how=how), range(8), chunksize=3)
    assert caught.value.index == 5
    assert pool.apply(square, (7,)) == 49


def test_crash_in_a_batched_chunk_names_the_exact_item(pool):
    with pytest.raises(accel.WorkerCrashedError) as caught:
        pool.map(kill_self_at, range(40), chunksize=10)
    assert caught.value.index == 5


def test_crash_in_apply_async_and_imap(pool):
    with pytest.raises(accel.WorkerCrashedError):
        pool.apply_async(kill_self_at, (5,)).get(60)
    results = pool.imap(kill_self_at, range(8), 1)
    assert [next(results) for _ in range(5)] == [0, 1, 2, 3, 4]
    with pytest.raises(accel.WorkerCrashedError):
        next(results)


def fails_on_three(x):
    if x == 3:
        raise KeyError(f"no {x}")
    return x


def test_task_exception_keeps_its_type_with_the_remote_traceback(pool):
    with pytest.raises(KeyError) as caught:
        pool.map(fails_on_three, range(10))
    cause = caught.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert "fails_on_three" in str(cause) and "KeyError" in str(cause)
    with pytest.raises(KeyError):
        pool.apply(fails_on_three, (3,))
    it = pool.imap(fails_on_three, range(6), 1)
    assert [next(it) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(KeyError):
        next(it)
    assert pool.map(square, range(5)) == [0, 1, 4, 9, 16]


def test_imap_ends_at_a_failed_chunk_like_multiprocessing(pool):
    """A failed chunk returns none of its values: iteration must raise where the chunk
    starts (it once waited forever for the values before the failing item)."""
    from multiprocessing.pool import ThreadPool
    for chunksize in (3, 7):
        with ThreadPool(2) as reference:
            expected = []
            with pytest.raises(KeyError):
                for value in reference.imap(fails_on_three, range(20), chunksize):
                    expected.append(value)
        got, results = [], pool.imap(fails_on_three, range(20), chunksize)
        with pytest.raises(KeyError):
            while True:
                got.append(results.next(timeout=30))  # a TimeoutError fails the test
        assert got == expected


class Unpicklable(Exception):
    def __init__(self, a, b):  # breaks default exception pickling
        super().__init__(a)
        self.lock = __import__("threading").Lock()


def raise_unpicklable(_):
    raise Unpicklable(1, 2)


def test_unpicklable_exception_and_result_still_report_an_error(pool):
    from multiprocessing.pool import MaybeEncodingError
    with pytest.raises(Exception, match="Unpicklable"):
        pool.map(raise_unpicklable, range(2))
    with pytest.raises(MaybeEncodingError, match="cannot pickle '_thread.lock' object") as caught:
        pool.apply(__import__("threading").Lock)
    assert "lock" in caught.value.value and "TypeError" in caught.value.exc
    assert pool.apply(square, (3,)) == 9


def _failing_initializer():
    raise RuntimeError("initializer failed")


def test_initializer_error_is_reported_by_tasks(no_leftovers):
    with accel.Pool(1, initializer=_failing_initializer) as p:
        with pytest.raises(RuntimeError, match="initializer failed"):
            p.map(square, range(3))


def test_terminate_during_a_long_map_leaves_nothing(no_leftovers):
    p = accel.Pool(2)
    result = p.map_async(time.sleep, [5] * 4, chunksize=1)
    time.sleep(0.2)
    started = time.perf_counter()
    p.terminate()
    p.join()
    assert time.perf_counter() - started < 1.0
    with pytest.raises(Exception):
        result.get(1)


def _run_script(body, **kwargs):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(body)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_ctrl_c_during_map_raises_keyboard_interrupt_within_a_second():
    script = _run_script("""
        import time, accel
        pool = accel.Pool(2)
        pool.map(abs, range(4))
        print("mapping", flush=True)
        pool.map(time.sleep, [0.5] * 200, chunksize=1)
        print("finished", flush=True)
    """)
    try:
        assert script.stdout.readline().strip() == "mapping"
        time.sleep(0.3)
        workers = workers_of(script.pid)
        assert len(workers) == 2
        sent = time.perf_counter()
        script.send_signal(signal.SIGINT)
        script.wait(timeout=30)
        elapsed = time.perf_counter() - sent
    finally:
        script.kill()
        script.wait()
    assert "KeyboardInterrupt" in script.stderr.read()
    assert elapsed < 1.0, elapsed
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
    assert pool_segments(script.pid) == []


def test_interpreter_exit_without_close_leaves_no_process_or_segment():
    script = _run_script("""
        import numpy as np, os, accel
        pool = accel.Pool(2)
        pool.map(np.ones, [1 << 18] * 4)
        print(" ".join(map(str, pool._runtime.worker_pids())), flush=True)
    """)
    out, err = script.communicate(timeout=60)
    assert script.returncode == 0, err
    workers = [int(pid) for pid in out.split()]
    assert len(workers) == 2
    deadline = time.monotonic() + 5
    while any(os.path.exists(f"/proc/{pid}") for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
    assert pool_segments(script.pid) == []


def test_workers_exit_when_the_parent_is_killed():
    script = _run_script("""
        import accel, numpy as np, time
        pool = accel.Pool(2)
        kept = pool.map(np.ones, [1 << 17] * 4)  # segments in use when the parent dies
        print("up", flush=True)
        time.sleep(60)
    """)
    assert script.stdout.readline().strip() == "up"
    workers = workers_of(script.pid)
    assert pool_segments(script.pid)
    script.kill()
    script.wait()
    deadline = time.monotonic() + 5
    while any(os.path.exists(f"/proc/{pid}") for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
    assert pool_segments(script.pid) == []


def test_workers_that_cannot_start_make_calls_fail_not_hang(no_leftovers, monkeypatch):
    import accel.pool.pool as pool_module
    monkeypatch.setattr(pool_module, "_worker_command",
                        lambda processes: [sys.executable, "-c", "raise SystemExit(4)"])
    p = accel.Pool(1, context="spawn")
    try:
        with pytest.raises(RuntimeError, match="exit code 4"):
            p.map(square, range(3))
        with pytest.raises(RuntimeError, match="create a new Pool"):
            p.map(square, range(3))
    finally:
        p.terminate()


def test_pool_is_usable_after_ctrl_c():
    script = _run_script("""
        import os, signal, threading, time, accel
        pool = accel.Pool(2)
        pool.map(abs, range(4))
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        started = time.perf_counter()
        try:
            pool.map(time.sleep, [0.5] * 100, chunksize=1)
        except KeyboardInterrupt:
            print("interrupted after %.2f s" % (time.perf_counter() - started))
        print(pool.map(abs, range(-3, 3)))
        pool.terminate()
    """)
    out, err = script.communicate(timeout=60)
    assert script.returncode == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("interrupted after") and float(lines[0].split()[2]) < 1.3
    assert lines[1] == str(list(map(abs, range(-3, 3))))
