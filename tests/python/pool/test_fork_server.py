"""Warm workers: forked from the process's fork server, which imported what this process
imported (docs/pool.md, "Where workers come from")."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import accel
import pool_state
from accel.pool import fork_server

from pool_helpers import workers_of


def _modules(_):
    return sorted(sys.modules)


def _maps(_):
    with open("/proc/self/maps") as f:
        return f.read()


def test_workers_start_with_the_parents_modules_imported_once_in_the_server(pool):
    """pool_state was imported here; in the workers it is already loaded, and its top
    level ran in the server (once), not in each worker."""
    assert "pool_state" in sys.modules
    server = fork_server.server_pid()
    results = pool.map(pool_state.where_imported, range(4), chunksize=1)
    for imported_in, worker, parent in results:
        assert parent == server and imported_in == server and worker != server
    modules = pool.apply(_modules, (0,))
    assert "numpy" in modules and "pool_state" in modules
    # The host program's own packages are left out (here the test modules import pytest).
    assert "numpy" not in fork_server._preparation(("OMP_NUM_THREADS",), 1)["modules"]  # sent already
    fork_server._sent.clear()  # (the next pool sends them all again: the server skips what it has)
    listed = fork_server._preparation(("OMP_NUM_THREADS",), 1)["modules"]
    assert "pool_state" in listed and "numpy.linalg" in listed
    assert not [name for name in listed if name.split(".")[0] in ("pytest", "_pytest")]
    assert not [name for name in listed if name == "accel" or name.startswith(("accel.pool", "accel._"))]


def test_workers_do_not_load_the_jit_until_a_task_uses_it(pool):
    """accel was imported here (and is, by the main module, in the server), yet neither
    the server nor a worker has libLLVM mapped; a jitted function still runs. A module
    that compiles at import (pool_jit_module) is left to the workers that need it."""
    import pool_jit_module  # noqa: F401
    with accel.Pool(2) as fresh:
        assert "pool_jit_module" not in fresh.apply(_modules, (0,))
        assert "libLLVM" not in fresh.apply(_maps, (0,))
        assert "accel._core" not in fresh.apply(_modules, (0,))
        assert fresh.map(pool_jit_module.triple, range(3)) == [0, 3, 6]
    assert "libLLVM" in _maps(0)
    assert "libLLVM" not in pool.apply(_maps, (0,))

    @accel.jit
    def add_one(x):
        return x + 1
    assert pool.map(add_one, range(3)) == [1, 2, 3]


def _random(_):
    return float(np.random.rand())


def test_forked_workers_draw_different_random_numbers(no_leftovers):
    with accel.Pool(2) as pool:
        values = pool.map(_random, range(8), chunksize=1)
    assert len(set(values)) == 8


def test_a_module_that_starts_a_thread_is_not_imported_by_the_server(no_leftovers):
    """A forked process keeps only the forking thread: a server whose imports started a
    thread is replaced by one that leaves that module out."""
    import pool_threaded_module  # noqa: F401  (starts a thread here, which is harmless)
    with accel.Pool(2) as pool:
        assert "pool_threaded_module" in fork_server._refused
        assert pool._start_method == "forkserver"
        modules = pool.apply(_modules, (0,))
        assert "pool_threaded_module" not in modules and "pool_state" in modules
        assert pool.map(abs, [-1, -2]) == [1, 2]


def _sleep_then_pid(delay):
    time.sleep(delay)
    return os.getpid()


def test_replacements_for_crashed_and_retired_workers_come_from_the_server(no_leftovers):
    server = fork_server.server_pid()
    with accel.Pool(2, maxtasksperchild=1) as pool:
        pids = pool.map(_sleep_then_pid, [0.01] * 6, chunksize=1)
        assert len(set(pids)) == 6
        assert set(pool.map(_parent, range(2), chunksize=1)) == {server}
    with accel.Pool(1) as pool:
        first = pool.apply(os.getpid)
        os.kill(first, signal.SIGKILL)
        try:  # sent to the dead worker (blamed), or to its replacement if it was seen dead first
            pool.apply(time.sleep, (0.1,))
        except accel.WorkerCrashedError as crash:
            assert crash.pid == first and crash.exitcode == -signal.SIGKILL
        assert pool.apply(_parent, (0,)) == server
        assert pool.apply(os.getpid) != first


def _parent(_):
    return os.getppid()


def test_a_dead_server_is_replaced_by_the_next_pool(no_leftovers):
    with accel.Pool(1) as pool:
        assert pool.apply(abs, (-1,)) == 1
    old = fork_server.server_pid()
    os.kill(old, signal.SIGKILL)
    with accel.Pool(1) as pool:
        assert pool.apply(abs, (-2,)) == 2
        new = fork_server.server_pid()
        assert new != old and pool.apply(_parent, (0,)) == new
    assert not os.path.exists(f"/proc/{old}")  # reaped, no zombie


def test_start_up_is_quick_once_the_server_runs(no_leftovers):
    """Not a timing assertion: the warm path must fork, not start interpreters, which
    shows as workers whose parent is the server, and a pool that answers."""
    with accel.Pool(2) as pool:
        pool.map(abs, range(2))
    with accel.Pool(2) as pool:
        assert set(pool.map(_parent, range(4), chunksize=1)) == {fork_server.server_pid()}
        assert len(workers_of(fork_server.server_pid())) == 2


def _register_exit_file(path):
    import atexit

    def write():
        with open(path, "a") as f:
            f.write(f"{os.getpid()}\n")
    atexit.register(write)
    return os.getpid()


def test_a_workers_atexit_handlers_run_when_it_exits(no_leftovers, tmp_path):
    path = tmp_path / "exits.txt"
    pool = accel.Pool(2)
    pids = set(pool.map(_register_exit_file, [str(path)] * 4, chunksize=1))
    pool.close()
    pool.join()
    assert set(map(int, path.read_text().split())) == pids


def test_without_a_fork_server_workers_start_fresh_with_a_warning(no_leftovers, monkeypatch):
    def cannot_start(*_):
        raise OSError("posix_spawn failed")
    monkeypatch.setattr(fork_server, "_running_server", cannot_start)
    with pytest.warns(RuntimeWarning, match="fresh interpreters"):
        pool = accel.Pool(2)
    with pool:
        assert pool._start_method == "spawn"
        assert set(pool.map(_parent, range(4), chunksize=1)) == {os.getpid()}


def _has_module(name):
    return name in sys.modules


def test_a_pool_asks_the_server_only_for_modules_imported_since(no_leftovers, tmp_path, monkeypatch):
    with accel.Pool(1) as pool:
        pool.apply(abs, (1,))
    (tmp_path / "pool_new_module.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "pool_new_module", raising=False)
    import pool_new_module  # noqa: F401
    listed = fork_server._preparation(("OMP_NUM_THREADS",), 1)["modules"]
    assert "pool_new_module" in listed and "numpy" not in listed and "pool_state" not in listed
    with accel.Pool(1) as pool:
        assert pool.apply(_has_module, ("pool_new_module",))


def test_a_server_that_dies_after_answering_is_replaced(no_leftovers, monkeypatch):
    real = fork_server.launcher
    calls = []

    def answer_then_die(*args):
        server, config_id, report = real(*args)
        if not calls:  # the first server dies between its answer and the forks
            os.kill(server.pid, signal.SIGKILL)
            time.sleep(0.2)
        calls.append(server.pid)
        return server, config_id, report
    monkeypatch.setattr(fork_server, "launcher", answer_then_die)
    with accel.Pool(2) as pool:
        assert len(calls) == 2 and calls[0] != calls[1]
        assert pool._start_method == "forkserver"
        assert set(pool.map(_parent, range(4), chunksize=1)) == {calls[1]}


def test_a_users_blas_thread_setting_keeps_the_server_and_reaches_the_workers(tmp_path):
    """The server imports numpy with 1 OpenBLAS thread whatever the user set (a thread
    there would make it unusable); a worker gets the user's count back."""
    script = tmp_path / "blas.py"
    script.write_text(textwrap.dedent("""
        import ctypes, os, re
        import numpy, accel

        def blas_threads(_):
            maps = open("/proc/self/maps").read()
            path = sorted(set(re.findall(r"/\\S*openblas\\S*", maps)))[0]
            library = ctypes.CDLL(path)
            for name in ("openblas_get_num_threads", "scipy_openblas_get_num_threads64_"):
                if hasattr(library, name):
                    return getattr(library, name)(), os.environ["OPENBLAS_NUM_THREADS"]

        if __name__ == "__main__":
            with accel.Pool(1) as pool:
                print(pool._start_method, pool.apply(blas_threads, (0,)))
    """))
    env = dict(os.environ, OPENBLAS_NUM_THREADS="2", PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, str(script)], env=env, text=True, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "forkserver (2, '2')"


_PRESTART_SCRIPT = """
import os, sys, time
import numpy
import accel
from accel.pool import fork_server

def numpy_loaded(_):
    return "numpy" in sys.modules, os.getppid()

if __name__ == "__main__":
    started = fork_server.server_pid()
    # What the server imports at `import accel`: what this program had imported by then.
    print(started is not None, "numpy" in fork_server._sent, flush=True)
    if started is not None:
        with accel.Pool(2) as pool:
            print(set(pool.map(numpy_loaded, range(4), chunksize=1)) == {(True, started)},
                  fork_server.server_pid() == started, flush=True)
    print(started, flush=True)
"""


def _run_script(tmp_path, text, **env):
    script = tmp_path / "prestart.py"
    script.write_text(text)
    environ = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), **env)
    done = subprocess.run([sys.executable, str(script)], env=environ, text=True, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_importing_accel_starts_the_server_which_the_first_pool_finds_warm(tmp_path):
    started, imported, warm, same, pid = _run_script(tmp_path, _PRESTART_SCRIPT)
    assert (started, imported, warm, same) == ("True", "True", "True", "True")
    assert not os.path.exists(f"/proc/{pid}")  # gone with the program, not left importing


def test_without_prestart_the_first_pool_starts_the_server(tmp_path):
    text = _PRESTART_SCRIPT.replace("    started = fork_server.server_pid()\n",
                                    "    assert fork_server.server_pid() is None\n"
                                    "    with accel.Pool(1) as pool:\n"
                                    "        pool.apply(abs, (1,))\n"
                                    "    started = fork_server.server_pid()\n")
    started, imported, warm, same, _pid = _run_script(tmp_path, text, ACCEL_POOL_PRESTART="0")
    assert (started, warm, same) == ("True", "True", "True")


def test_a_program_that_exits_at_once_leaves_no_server_importing(tmp_path):
    text = "import numpy, accel\nfrom accel.pool import fork_server\nprint(fork_server.server_pid())\n"
    (pid,) = _run_script(tmp_path, text)
    assert pid != "None" and not os.path.exists(f"/proc/{pid}")


def _server_seen_by_a_task(_):
    import accel
    from accel.pool import fork_server

    @accel.jit
    def twice(x):
        return 2 * x
    return twice(21), fork_server.server_pid(), len(workers_of(os.getpid()))


def test_a_worker_that_loads_accel_starts_no_server_of_its_own(pool):
    assert pool.apply(_server_seen_by_a_task, (0,)) == (42, None, 0)


def test_a_multiprocessing_child_that_imports_accel_starts_no_server(tmp_path):
    """multiprocessing's forkserver process imports its parent's main module (as
    __mp_main__), and with it accel: it only forks pool workers, which a server of its
    own would slow down (and which would inherit it)."""
    text = textwrap.dedent("""
        import multiprocessing
        import accel
        from accel.pool import fork_server

        def servers(_):
            return fork_server.server_pid(), len(fork_server._inherited)

        if __name__ == "__main__":
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["__main__"])
            with context.Pool(1) as pool:
                print(fork_server.server_pid() is not None, pool.apply(servers, (0,)) == (None, 0))
    """)
    assert _run_script(tmp_path, text) == ["True", "True"]


def test_the_early_start_imports_no_module_of_the_programs_own(tmp_path):
    # Only installed packages are imported ahead of a pool: a program module's top level
    # (here it records each import) runs once in a program that never makes a pool.
    (tmp_path / "noisy.py").write_text(
        "import os\nwith open(os.path.join(os.path.dirname(__file__), 'imports.log'), 'a') as f:\n"
        "    f.write(f'{os.getpid()}\\n')\n")
    text = textwrap.dedent("""
        import time
        import numpy, noisy, accel
        from accel.pool import fork_server
        time.sleep(1.0)  # the server's imports are done by now
        print("noisy" in fork_server._sent, "numpy" in fork_server._sent)
    """)
    noisy_sent, numpy_sent = _run_script(tmp_path, text)
    assert (noisy_sent, numpy_sent) == ("False", "True")
    assert len((tmp_path / "imports.log").read_text().split()) == 1
