"""``Pool(backend="mpi")``: the pool's API on the worker ranks of an MPI job.

Every MPI pool of a process shares the worker ranks and one dispatcher thread
(accel.mpi.coordinator); a pool's jobs carry its id, so closing, joining or terminating
one pool touches only its own calls.
"""
import sys
import threading
import weakref

from .. import mpi as mpi_session
from .dispatcher import Job
from .errors import PoolInterruptedError
from .pool import Pool, _checked_processes
from .serialization import dumps_function, dumps_job


def _drop_calls(dispatcher, pool_id, message):
    if dispatcher.is_alive():
        dispatcher.post("drop", (pool_id, PoolInterruptedError(message)))


class MpiPool(Pool):
    """``processes`` is checked but not used: the pool has every worker rank, so a
    script written for a laptop uses the whole cluster unchanged."""

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None,
                 *, backend="mpi"):
        _checked_processes(processes, initializer)
        if maxtasksperchild is not None:
            raise ValueError("maxtasksperchild does not apply to MPI worker ranks: a rank "
                             "cannot be replaced; use backend='local' for it")
        coordinator = mpi_session.shared_coordinator()
        self._coordinator = coordinator
        self._dispatcher = coordinator.dispatcher
        self._processes = coordinator.worker_count
        self._backend = "mpi"
        self._thread_runner = None
        self._id = next(coordinator.pool_ids)
        hello = dumps_function({"sys_path": list(sys.path),
                                "initializer": dumps_function((initializer, tuple(initargs)))})
        coordinator.runtime.add_pool(self._id, hello)
        self._state = "run"
        self._terminator = weakref.finalize(self, _drop_calls, self._dispatcher, self._id,
                                            "the pool was terminated before the call finished")

    def _submit(self, func, mode, items, total, chunksize, result):
        self._check_call(func, chunksize)
        self._check_dispatcher()
        payload, items = dumps_job(func, mode, items)
        job = Job(next(self._coordinator.job_ids), payload, iter(items), total, chunksize, result,
                  owner=self._id)
        self._coordinator.runtime.assign_job(job.id, self._id)
        self._dispatcher.post("job", job)
        return result

    def _interrupt(self):
        """Ctrl-C during a call: its tasks are dropped; a rank inside a task finishes it
        (MPI cannot interrupt one rank), and its result is ignored."""
        _drop_calls(self._dispatcher, self._id, "the pool was interrupted; its tasks were dropped")

    def close(self):
        if self._state == "run":
            self._state = "close"

    def terminate(self):
        self._state = "terminate"
        self._terminator()

    def join(self):
        if self._state == "run":
            raise ValueError("Pool is still running")
        if self._state == "close" and self._dispatcher.is_alive():
            idle = threading.Event()
            self._dispatcher.post("when_idle", (self._id, idle))
            idle.wait()
        self._terminator.detach()

    def __repr__(self):
        return f"<accel.Pool state={self._state} backend=mpi ranks={self._processes}>"
