"""``Pool(backend="mpi")``: the pool's API on the worker ranks of an MPI job.

Every MPI pool of a process shares the worker ranks and one dispatcher thread
(accel.mpi.coordinator); a pool's jobs carry its id, so closing, joining or terminating
one pool touches only its own calls.
"""
import threading
import weakref

from .. import mpi as mpi_session
from .errors import PoolInterruptedError
from .pool import CLOSE, RUN, TERMINATE, Pool, _checked_processes, _checked_context, _hello


def _drop_calls(dispatcher, pool_id, message):
    if dispatcher.is_alive():
        dispatcher.post("drop", (pool_id, PoolInterruptedError(message)))


class MpiPool(Pool):
    """``processes`` is checked but not used: the pool has every worker rank, so a
    script written for a laptop uses the whole cluster unchanged."""

    def __init__(self, processes=None, initializer=None, initargs=(), maxtasksperchild=None,
                 context=None, *, backend="mpi"):
        _checked_processes(processes, initializer)
        _checked_context(context)
        if maxtasksperchild is not None:
            raise ValueError("maxtasksperchild does not apply to MPI worker ranks: a rank "
                             "cannot be replaced; use backend='local' for it")
        coordinator = mpi_session.shared_coordinator()
        self._coordinator = coordinator
        self._dispatcher = coordinator.dispatcher
        self._processes = coordinator.worker_count
        self._backend = "mpi"
        self._thread_runner = None
        self._owner = next(coordinator.pool_ids)
        self._job_ids = coordinator.job_ids  # job ids are unique among the pools sharing ranks
        coordinator.runtime.add_pool(self._owner, _hello(initializer, initargs))
        self._state = RUN
        self._terminator = weakref.finalize(self, _drop_calls, self._dispatcher, self._owner,
                                            "the pool was terminated before the call finished")

    # _submit is the local pool's: backend "mpi" never routes to threads.
    def _post(self, job):
        self._coordinator.runtime.assign_job(job.id, self._owner)
        self._dispatcher.post("job", job)

    def _interrupt(self):
        """Ctrl-C during a call: its tasks are dropped; a rank inside a task finishes it
        (MPI cannot interrupt one rank), and its result is ignored."""
        _drop_calls(self._dispatcher, self._owner, "the pool was interrupted; its tasks were dropped")

    def close(self):
        if self._state == RUN:
            self._state = CLOSE

    def terminate(self):
        self._state = TERMINATE
        self._terminator()

    def join(self):
        if self._state == RUN:
            raise ValueError("Pool is still running")
        if self._state == CLOSE and self._dispatcher.is_alive():
            idle = threading.Event()
            self._dispatcher.post("when_idle", (self._owner, idle))
            idle.wait()
        self._terminator.detach()

    def __repr__(self):
        return f"<accel.Pool state={self._state} backend=mpi ranks={self._processes}>"
