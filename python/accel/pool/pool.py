"""accel.Pool: the API of multiprocessing.Pool on the C++ runtime in accel._pool."""
import itertools
import os
import sys
import threading
import warnings
import weakref

from .. import _pool
from .async_result import AsyncResult, IMapIterator, MapResult
from .calls import APPLY, MAP, STARMAP
from .dispatcher import Dispatcher, Job
from .fork_server import ACCEL_DIR, THREAD_LIMIT_VARIABLES
from .progress import make_bar
from .serialization import dumps_function, dumps_job
from .thread_backend import ThreadRunner, is_nogil_jit

BACKENDS = ("auto", "local", "threads", "mpi")
# multiprocessing.pool's states, under its names: code that reads pool._state keeps working.
RUN, CLOSE, TERMINATE = "RUN", "CLOSE", "TERMINATE"
START_METHODS = ("fork", "forkserver", "spawn")

# Workers are forked from the process's fork server (fork_server.py), warm. Where that is
# not possible, or with context="spawn", a worker is a fresh interpreter (never a fork of
# this possibly threaded process), started with -S: site's .pth hooks can cost a tenth of
# a second per worker, and the worker gets this process's sys.path instead, so it imports
# what the parent imports.
# It loads accel.pool._worker without running accel/__init__.py or accel/pool/__init__.py,
# so a worker never loads the JIT.
# A worker of a pool made on an MPI rank is no MPI process: the launcher's variables
# would make mpi4py in a task try to join the MPI job, and hang.
_BOOTSTRAP = """\
import os, sys, types
for name in sys.argv[3].split(","):
    os.environ.setdefault(name, sys.argv[4])
for name in [n for n in os.environ if n.startswith(("PMI_", "PMIX_", "OMPI_COMM_WORLD_"))]:
    del os.environ[name]
sys.path[:] = sys.argv[2].split("\\x1f")
for name, path in (("accel", sys.argv[1]), ("accel.pool", sys.argv[1] + "/pool")):
    package = types.ModuleType(name)
    package.__path__ = [path]
    sys.modules[name] = package
from accel.pool._worker import main
del sys.modules["accel"], sys.modules["accel.pool"]  # `import accel` in a task gets the real one
main(sys.argv[5:])
"""
_SHUTDOWN_GRACE = 5.0


def _worker_command(processes=1):
    threads = max(1, (os.cpu_count() or 1) // processes)
    return [sys.executable, "-S", "-c", _BOOTSTRAP, ACCEL_DIR, "\x1f".join(sys.path),
            ",".join(THREAD_LIMIT_VARIABLES), str(threads)]


def _stop(dispatcher, runtime, how, owner_pid=None):
    """Stops a pool's dispatcher, then its workers; runs once, at terminate/join, when
    the pool is garbage collected or at interpreter exit."""
    if owner_pid is not None and owner_pid != os.getpid():
        return  # a fork of the pool's process: the workers are not its own to stop
    if threading.current_thread() is dispatcher:
        # The last reference died in a callback: the dispatcher cannot wait for itself.
        # It stops after this command; the runtime's destructor kills the workers.
        dispatcher.post("terminate")
        return
    if dispatcher.is_alive():
        dispatcher.post(how)
        # close: the dispatcher ends once every call has finished, as join() promises.
        dispatcher.join(None if how == "close" else _SHUTDOWN_GRACE)
    if how == "close":
        runtime.shutdown(_SHUTDOWN_GRACE)
    else:
        runtime.terminate()


def _authkey():
    # multiprocessing's workers share their parent's authkey, so a Manager's proxies
    # passed to them can connect. Not imported just for this: without multiprocessing
    # loaded here, nothing can have been made that needs it.
    process = sys.modules.get("multiprocessing.process")
    return bytes(process.current_process().authkey) if process is not None else None


def _hello(initializer, initargs):
    """A worker's set-up message. The initializer is pickled apart: a worker must set
    sys.path and the authkey before it can unpickle the initializer and its arguments."""
    return dumps_function({"sys_path": list(sys.path), "authkey": _authkey(),
                           "initializer": dumps_function((initializer, tuple(initargs)))})


def _checked_context(context):
    """The start method a ``context=`` asks for: None, or one of START_METHODS."""
    if context is None:
        return None
    method = context if isinstance(context, str) else getattr(context, "get_start_method", None)
    if callable(method):
        method = method()
    if method not in START_METHODS:
        raise ValueError(f"context must be None, a multiprocessing context or one of "
                         f"{', '.join(map(repr, START_METHODS))}, not {context!r}")
    return method


def _fork_available():
    return hasattr(os, "fork") and hasattr(os, "waitid") and sys.platform.startswith("linux")


def _check_not_importing_main():
    server = sys.modules.get("accel.pool._fork_server")
    if server is not None and server.importing_main:
        raise RuntimeError(
            "accel.Pool was created while the pool's fork server imported the main module: "
            "create pools under `if __name__ == \"__main__\":` (the main module is imported "
            "again, as __mp_main__, so its functions are found in the workers)")


def _under_mpi_launcher():
    # accel.mpi is in sys.modules only if the launcher (or the user) imported it.
    mpi = sys.modules.get("accel.mpi")
    return mpi is not None and mpi.launched()


def _checked_processes(processes, initializer):
    """The worker count (default: every core), after multiprocessing's checks."""
    if processes is None:
        processes = os.cpu_count() or 1
    if not isinstance(processes, int) or isinstance(processes, bool):
        raise TypeError(f"processes must be an int or None, not {type(processes).__name__}")
    if processes < 1:
        raise ValueError("Number of processes must be at least 1")
    if initializer is not None and not callable(initializer):
        raise TypeError("initializer must be a callable")
    return processes


class Pool:
    """A pool of worker processes with multiprocessing.Pool's API.

    ``backend``: "local" runs worker processes on this machine; "threads" runs the
    functions on threads of this process (for ``@accel.jit(nogil=True)`` functions, which
    then need no pickling); "mpi" runs them on the worker ranks of a job started with
    ``mpiexec -n N python -m accel.mpi script.py``; "auto", the default, uses the worker
    ranks under that launcher, else processes, and threads for a call whose function is
    a jitted nogil function.
    """

    def __new__(cls, *args, backend="auto", **kwargs):
        if cls is Pool:
            if backend == "threads":
                return super().__new__(ThreadPool)
            if backend == "mpi" or (backend == "auto" and _under_mpi_launcher()):
                from .mpi_pool import MpiPool
                return super().__new__(MpiPool)
        return super().__new__(cls)

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None,
                 context=None, *, backend="auto"):
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(map(repr, BACKENDS))}, not {backend!r}")
        processes = _checked_processes(processes, initializer)
        start_method = _checked_context(context)
        if maxtasksperchild is not None and (
                not isinstance(maxtasksperchild, int) or isinstance(maxtasksperchild, bool)
                or maxtasksperchild < 1):
            raise ValueError("maxtasksperchild must be a positive int or None")
        _check_not_importing_main()
        self._processes = processes
        self._backend = backend
        self._thread_runner = None  # made for the first call of a jitted nogil function
        self._runtime = self._start_workers(start_method, processes, maxtasksperchild or 0,
                                            lambda: _hello(initializer, initargs))
        self._dispatcher = Dispatcher(self._runtime, processes)
        self._dispatcher.start()
        self._state = RUN
        self._job_ids = itertools.count(1)
        self._owner = None  # the pool's id where pools share a dispatcher
        self._terminator = weakref.finalize(self, _stop, self._dispatcher, self._runtime, "terminate",
                                            os.getpid())

    def _start_workers(self, start_method, processes, max_tasks, make_hello):
        """The runtime, its workers forked from the fork server, or started fresh when
        asked to or when no server can serve (a warning says why). The workers' set-up
        message is made while the server imports (pickling it may import cloudpickle)."""
        threads = max(1, (os.cpu_count() or 1) // processes)
        hello = []

        def make_hello_once():
            if not hello:
                hello.append(make_hello())
        self._fork_server_report = None
        if start_method != "spawn" and _fork_available():
            from . import fork_server
            for _ in range(2):  # a server that died since it answered is replaced once
                server, config_id, self._fork_server_report = fork_server.launcher(
                    ACCEL_DIR, THREAD_LIMIT_VARIABLES, threads, make_hello_once)
                if server is None:
                    break
                try:
                    runtime = _pool.WorkerPool(_worker_command(processes), processes, max_tasks, hello[0],
                                               fork_server=server, config_id=config_id)
                except (OSError, RuntimeError) as exc:
                    self._fork_server_report = {"error": repr(exc)}
                    continue
                self._start_method = "forkserver"
                return runtime
            warnings.warn(f"accel.Pool could not use its fork server ({self._fork_server_report}); "
                          "its workers start as fresh interpreters", RuntimeWarning, stacklevel=3)
        self._start_method = "spawn"
        make_hello_once()
        return _pool.WorkerPool(_worker_command(processes), processes, max_tasks, hello[0])

    # -- submitting -----------------------------------------------------------------
    def _check_call(self, func, chunksize):
        if self._state != RUN:
            raise ValueError("Pool not running")
        if not callable(func):
            raise TypeError(f"{func!r} is not callable")
        if chunksize is not None and (not isinstance(chunksize, int) or chunksize < 1):
            raise ValueError(f"Chunksize must be 1+, not {chunksize!r}")

    def _check_dispatcher(self):
        if not self._dispatcher.is_alive():
            raise RuntimeError(f"this pool's runtime failed ({self._dispatcher.failure!r}); "
                               "create a new Pool")

    def _submit(self, func, mode, items, total, chunksize, result):
        self._check_call(func, chunksize)
        self._check_dispatcher()
        if self._backend == "auto" and is_nogil_jit(func):
            # Compiled nogil code runs in parallel on threads: no pickling, no processes.
            if self._thread_runner is None:
                self._thread_runner = ThreadRunner(self._processes)
            return self._thread_runner.submit(func, mode, items, total, chunksize, result)
        payload, items = dumps_job(func, mode, items)
        self._post(Job(next(self._job_ids), payload, iter(items), total, chunksize, result,
                       owner=self._owner))
        return result

    def _post(self, job):
        self._dispatcher.post("job", job)

    @staticmethod
    def _sized(iterable):
        return iterable if hasattr(iterable, "__len__") else list(iterable)

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        result = AsyncResult(callback, error_callback)
        return self._submit(func, APPLY, [(tuple(args), dict(kwds))], 1, 1, result)

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        items = self._sized(iterable)
        return self._submit(func, MAP, items, len(items), chunksize, MapResult(callback, error_callback))

    def starmap_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        items = self._sized(iterable)
        return self._submit(func, STARMAP, items, len(items), chunksize, MapResult(callback, error_callback))

    def imap(self, func, iterable, chunksize=None):
        total = len(iterable) if hasattr(iterable, "__len__") else None
        return self._submit(func, MAP, iterable, total, chunksize, IMapIterator(ordered=True))

    def imap_unordered(self, func, iterable, chunksize=None):
        total = len(iterable) if hasattr(iterable, "__len__") else None
        return self._submit(func, MAP, iterable, total, chunksize, IMapIterator(ordered=False))

    # -- waiting --------------------------------------------------------------------
    def apply(self, func, args=(), kwds={}):
        return self._wait(self.apply_async(func, args, kwds))

    def map(self, func, iterable, chunksize=None, progress=False):
        items = self._sized(iterable)
        return self._wait(self.map_async(func, items, chunksize), len(items) if progress else None)

    def starmap(self, func, iterable, chunksize=None, progress=False):
        items = self._sized(iterable)
        return self._wait(self.starmap_async(func, items, chunksize), len(items) if progress else None)

    def _wait(self, result, progress_total=None):
        bar = make_bar(progress_total) if progress_total is not None else None
        try:
            if bar is None:
                result.wait()
            else:
                shown = 0
                while True:
                    finished = result.ready()
                    done = result.completed_items
                    if done > shown:
                        bar.update(done - shown)
                        shown = done
                    if finished:
                        break
                    result.wait(0.1)
            return result.get()
        except KeyboardInterrupt:
            self._interrupt()
            raise
        finally:
            if bar is not None:
                bar.close()

    def _interrupt(self):
        """Ctrl-C during a call: stop every worker now, drop all tasks, start fresh workers."""
        if self._state == RUN and self._dispatcher.is_alive():
            restarted = threading.Event()
            self._dispatcher.post("restart", restarted)
            restarted.wait(_SHUTDOWN_GRACE)

    # -- lifetime -------------------------------------------------------------------
    def close(self):
        if self._state == RUN:
            self._state = CLOSE
            self._dispatcher.post("close")

    def terminate(self):
        self._state = TERMINATE
        if self._thread_runner is not None:
            self._thread_runner.shutdown(wait=False)
        self._terminator()

    def join(self):
        if self._state == RUN:
            raise ValueError("Pool is still running")
        if self._thread_runner is not None:
            self._thread_runner.shutdown(wait=True)
        if self._terminator.detach() is not None:
            _stop(self._dispatcher, self._runtime, "close" if self._state == CLOSE else "terminate")

    def __enter__(self):
        if self._state != RUN:
            raise ValueError("Pool not running")
        return self

    def __exit__(self, *exc_info):
        self.terminate()

    def __reduce__(self):
        raise NotImplementedError("pool objects cannot be passed between processes or pickled")

    def __del__(self):
        # As multiprocessing warns: a pool left running is stopped by the garbage collector
        # (the finalizer), and its pending calls are lost.
        if getattr(self, "_state", None) == RUN:
            warnings.warn(f"unclosed running multiprocessing pool {self!r}", ResourceWarning, source=self)

    def __repr__(self):
        return f"<accel.Pool state={self._state} processes={self._processes}>"


class ThreadPool(Pool):
    """``Pool(n, backend="threads")``: the same API on n threads of this process."""

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None,
                 context=None, *, backend="threads"):
        processes = _checked_processes(processes, initializer)
        _checked_context(context)
        if maxtasksperchild is not None:
            raise ValueError("maxtasksperchild does not apply to backend='threads': threads are not replaced")
        self._processes = processes
        self._backend = "threads"
        self._thread_runner = ThreadRunner(processes, initializer, initargs)
        self._state = RUN

    def _submit(self, func, mode, items, total, chunksize, result):
        self._check_call(func, chunksize)
        return self._thread_runner.submit(func, mode, items, total, chunksize, result)

    def _interrupt(self):
        """Ctrl-C: running chunks finish on their threads (a thread cannot be stopped);
        queued ones are dropped."""
        self._thread_runner.shutdown(wait=False)
        self._thread_runner = ThreadRunner(self._processes)

    def close(self):
        if self._state == RUN:
            self._state = CLOSE

    def terminate(self):
        self._state = TERMINATE
        self._thread_runner.shutdown(wait=False)

    def join(self):
        if self._state == RUN:
            raise ValueError("Pool is still running")
        self._thread_runner.shutdown(wait=True)

    def __repr__(self):
        return f"<accel.Pool state={self._state} threads={self._processes}>"
