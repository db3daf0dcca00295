"""What CPython's Pool tests found different from multiprocessing, one test each (the
list of docs/pool.md): fixed ones behave as multiprocessing does, the remaining ones as
documented."""
import gc
import linecache
import multiprocessing
import multiprocessing.pool
import os
import subprocess
import sys
import textwrap
import warnings

import pytest

import accel
import pool_state


def _register(namespace, started):
    started.append(os.getpid())  # a proxy call; `namespace.count += 1` would race
    namespace.initialized = True


def _append_to(shared, x):
    shared.append(x)
    return x


def test_manager_proxies_work_in_workers(no_leftovers):
    """The workers have the parent's authkey, so a Manager's proxies connect (they raised
    AuthenticationError)."""
    with multiprocessing.Manager() as manager:
        namespace = manager.Namespace()
        namespace.initialized = False
        shared, started = manager.list(), manager.list()
        with accel.Pool(2, initializer=_register, initargs=(namespace, started)) as pool:
            assert sorted(pool.starmap(_append_to, [(shared, i) for i in range(6)])) == list(range(6))
            workers = set(pool._runtime.worker_pids())
            pool.close()
            pool.join()
        assert sorted(shared) == list(range(6))
        assert namespace.initialized and set(started) == workers  # once per worker


def _fails():
    raise RuntimeError(123)  # the line the remote traceback must show


def test_remote_traceback_is_multiprocessings_with_its_text(pool):
    with pytest.raises(RuntimeError) as caught:
        pool.apply(_fails)
    cause = caught.value.__cause__
    assert type(cause) is multiprocessing.pool.RemoteTraceback
    assert "raise RuntimeError(123)  # the line the remote traceback must show" in cause.tb
    assert str(cause) == cause.tb and cause.tb.startswith('\n"""\n')
    assert accel.pool.RemoteTraceback is multiprocessing.pool.RemoteTraceback


def test_functions_sent_by_value_keep_their_source_lines(pool):
    """A function whose source is only in linecache (a notebook cell: the file does not
    exist) is sent by value with its lines, so the worker's traceback shows them."""
    filename = "/nonexistent/cell-17.py"
    source = "def cell_function(x):\n    return 1 / x  # divided in a cell\n"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"__name__": "__main__"}
    exec(compile(source, filename, "exec"), namespace)
    try:
        with pytest.raises(ZeroDivisionError) as caught:
            pool.map(namespace["cell_function"], [1, 0])
    finally:
        del linecache.cache[filename]
    assert "return 1 / x  # divided in a cell" in caught.value.__cause__.tb

    def local_function(x):
        return 1 / x  # divided in a closure
    with pytest.raises(ZeroDivisionError) as caught:
        pool.map(local_function, [1, 0])
    assert "return 1 / x  # divided in a closure" in caught.value.__cause__.tb


def test_classmethods_travel_by_reference_and_see_the_initializers_state(no_leftovers):
    """A classmethod of an importable class was sent by value with a copy of its module's
    globals, so it missed what the initializer set there."""
    with accel.Pool(2, initializer=pool_state.set_value, initargs=("set by initializer",)) as pool:
        assert pool.map(pool_state.Reader.read, range(4)) == ["set by initializer"] * 4
        assert pool.apply(pool_state.Reader.read) == "set by initializer"


def test_a_running_pool_that_is_collected_warns(no_leftovers):
    pool = accel.Pool(1)
    with pytest.warns(ResourceWarning, match="unclosed running multiprocessing pool"):
        del pool
        gc.collect()
    closed = accel.Pool(1)
    closed.close()
    closed.join()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        del closed
        gc.collect()


def _lock(_):
    import threading
    return threading.Lock()


def _lambda(_):
    return lambda: 42


def test_unsendable_result_raises_maybe_encoding_error_and_workers_survive(pool):
    pids = set(pool._runtime.worker_pids())
    for _ in range(5):
        errors = []
        result = pool.apply_async(_lock, (0,), error_callback=errors.append)
        with pytest.raises(multiprocessing.pool.MaybeEncodingError):
            result.get(60)
        assert isinstance(errors[0], multiprocessing.pool.MaybeEncodingError)
        assert "_thread.lock" in errors[0].value and "cannot pickle" in errors[0].exc
    with pytest.raises(multiprocessing.pool.MaybeEncodingError):
        pool.map(_lock, range(3))
    assert set(pool._runtime.worker_pids()) == pids  # no worker was lost to it


def test_a_result_only_cloudpickle_could_send_raises_as_in_multiprocessing(pool):
    """Results go back with the standard pickler, as multiprocessing's do: a lambda result
    is MaybeEncodingError in both, and the pool keeps working."""
    with pytest.raises(multiprocessing.pool.MaybeEncodingError):
        pool.apply(_lambda, (0,))
    with multiprocessing.get_context("fork").Pool(1) as reference:
        with pytest.raises(multiprocessing.pool.MaybeEncodingError):
            reference.apply(_lambda, (0,))
    assert pool.map(abs, [-3, 4]) == [3, 4]


def _parent_pid(_):
    return os.getppid()


@pytest.mark.parametrize("context", [None, "fork", "forkserver", multiprocessing.get_context("forkserver")])
def test_context_fork_and_forkserver_fork_workers_from_the_server(no_leftovers, context):
    from accel.pool import fork_server
    with accel.Pool(2, context=context) as pool:
        assert set(pool.map(_parent_pid, range(4), chunksize=1)) == {fork_server.server_pid()}


@pytest.mark.parametrize("context", ["spawn", multiprocessing.get_context("spawn")])
def test_context_spawn_starts_fresh_interpreters(no_leftovers, context):
    with accel.Pool(2, context=context) as pool:
        assert set(pool.map(_parent_pid, range(4), chunksize=1)) == {os.getpid()}
        assert pool.map(abs, [-1, -2]) == [1, 2]


def test_bad_context_is_refused(no_leftovers):
    with pytest.raises(ValueError, match="'fork', 'forkserver', 'spawn'"):
        accel.Pool(1, context="threads")
    with pytest.raises(ValueError, match="context"):
        accel.Pool(1, context=42)
    with accel.Pool(1, None, (), None, "spawn") as pool:  # positional, as in multiprocessing
        assert pool.apply(abs, (-3,)) == 3


def _run(script, tmp_path):
    path = tmp_path / "main_script.py"
    path.write_text(textwrap.dedent(script))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, str(path)], env=env, text=True, capture_output=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return done


def test_an_initializers_main_globals_reach_the_tasks(tmp_path):
    """Functions of __main__ travel by reference to the workers' __main__ (the parent's,
    imported as __mp_main__), so they see the globals the initializer set, as with
    multiprocessing's fork. Ones the workers' __main__ lacks still travel by value, and
    globals it lacks come with the parent's values."""
    done = _run("""
        import accel

        SETTING = "unset"

        def initialize(value):
            global SETTING
            SETTING = value

        def read(_):
            return SETTING

        class Point:
            def __init__(self, x):
                self.x = x

        def make_point(x):
            return Point(x)

        def scaled(x):
            return x * SCALE  # assigned under the guard: missing in the workers' __main__

        if __name__ == "__main__":
            SCALE = 10

            def defined_under_the_guard(x):  # not in the workers' __main__
                return x + 1

            with accel.Pool(2, initializer=initialize, initargs=("from the initializer",)) as pool:
                print(pool.map(read, range(4), chunksize=1))
                points = pool.map(make_point, range(3))
                print(all(type(p) is Point for p in points), [p.x for p in points])
                print(pool.map(defined_under_the_guard, range(3)))
                print(sorted(set(pool.map(lambda x: SETTING, range(4)))))
                print(pool.map(scaled, range(3)))
    """, tmp_path)
    lines = done.stdout.splitlines()
    assert lines[0] == str(["from the initializer"] * 4)
    assert lines[1] == "True [0, 1, 2]"
    assert lines[2] == "[1, 2, 3]"
    # A lambda goes by value, with a copy of the globals it reads: the remaining difference.
    assert lines[3] == "['unset']"
    # A global the workers' __main__ lacks comes with the parent's value, as with fork.
    assert lines[4] == "[0, 10, 20]"


def test_a_script_that_makes_a_pool_at_import_time_still_works(tmp_path):
    """Without `if __name__ == "__main__":`, the fork server's import of the script would
    make a pool of its own: that import fails instead, and functions go by value."""
    done = _run("""
        import accel

        def double(x):
            return 2 * x

        with accel.Pool(2) as pool:
            print(pool.map(double, range(4)))
    """, tmp_path)
    assert done.stdout.splitlines() == ["[0, 2, 4, 6]"]
    assert "could not import the main module" in done.stderr
    assert "if __name__" in done.stderr
