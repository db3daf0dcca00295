"""The pool's dispatcher thread: the only thread that drives the runtime.

It turns calls (jobs) into pickled chunks for ``accel._pool.WorkerPool``, and the
runtime's events (results, task errors, crashes) into filled-in results. Other threads
talk to it only through ``post``, which also wakes the runtime's wait.
"""
import collections
import itertools
import sys
import threading
import traceback

from .. import _pool
from .errors import PoolInterruptedError, RemoteTaskError, WorkerCrashedError
from .serialization import dumps, loads

# How long one runtime wait lasts when there is nothing to feed; it bounds how late
# a command from another thread could be seen if a wake-up were missed.
COLLECT_SLICE = 0.05


class Job:
    """One map/apply call: its function, the items still to send and where results go."""

    def __init__(self, job_id, function_payload, items, total, chunksize, result, owner=None):
        self.id = job_id
        self.owner = owner  # the pool's id when pools share this dispatcher (MPI)
        self.function_payload = function_payload
        self.items = items
        self.total = total
        self.chunksize = chunksize
        self.result = result
        self.next_index = 0
        self.feeding = True
        self.failed = False
        self.outstanding = 0
        self.chunk_starts = {}  # task id → its first item, for tasks not yet answered

    def awaits_measurement(self, runtime, workers):
        """Automatic chunks are sized from measured items: until the first chunks are back,
        a few are enough to keep every worker busy."""
        return (self.chunksize is None and self.outstanding >= 2 * workers
                and not runtime.job_measured(self.id))

    def take_chunk(self, runtime):
        """(first index, [items]) for the next chunk, or None when the items are all sent."""
        size = self.chunksize
        if size is None:
            remaining = _pool.UNKNOWN_REMAINING if self.total is None else self.total - self.next_index
            size = runtime.suggest_chunksize(self.id, remaining)
        items = list(itertools.islice(self.items, max(1, size)))
        if not items:
            return None
        first = self.next_index
        self.next_index += len(items)
        return first, items


class Dispatcher(threading.Thread):
    def __init__(self, runtime, workers):
        super().__init__(name="accel-pool-dispatcher", daemon=True)
        self.runtime = runtime
        self._workers = workers
        self._inbox = collections.deque()
        self._jobs = {}
        self._feeding = collections.deque()
        self._task_ids = itertools.count(1)
        self._closing = False
        self._idle_waiters = []  # (owner, threading.Event) to set once the owner has no job
        self.failure = None  # why the runtime stopped, if it did

    def post(self, kind, argument=None):
        """Hands a command to the dispatcher; safe from any thread."""
        self._inbox.append((kind, argument))
        self.runtime.wake()

    def run(self):
        try:
            while self._step():
                pass
        except BaseException as exc:  # the runtime itself failed: nobody may wait forever
            self.failure = exc
            self._fail_all(exc)

    def _step(self):
        while self._inbox:
            kind, argument = self._inbox.popleft()
            if kind == "job":
                self._start(argument)
            elif kind == "restart":
                self._fail_all(PoolInterruptedError("the pool was interrupted; its tasks were dropped"))
                self.runtime.restart()
                argument.set()
            elif kind == "close":
                self._closing = True
            elif kind == "terminate":
                self._fail_all(PoolInterruptedError("the pool was terminated before the call finished"))
                return False
            elif kind == "drop":  # one of the pools sharing this dispatcher ends its calls
                owner, error = argument
                for job in [job for job in self._jobs.values() if job.owner == owner]:
                    self._fail(job, -1, error)
            elif kind == "when_idle":
                self._idle_waiters.append(argument)
        if self._closing and not self._jobs:
            return False
        self._notify_idle_owners()
        self._feed()
        # _feed stops only when nothing more can go now, so waiting is right; the wait
        # ends at the first result, crash or post().
        for event in self.runtime.collect(COLLECT_SLICE):
            self._handle(event)
        return True

    def _start(self, job):
        self.runtime.define_job(job.id, job.function_payload)
        self._jobs[job.id] = job
        self._feeding.append(job)

    def _feed(self):
        waiting = 0  # jobs in a row that wait for a measurement
        while self._feeding and waiting < len(self._feeding) and self.runtime.wants_tasks():
            job = self._feeding[0]
            if job.awaits_measurement(self.runtime, self._workers):
                waiting += 1
                self._feeding.rotate(-1)
                continue
            waiting = 0
            try:
                chunk = job.take_chunk(self.runtime)
                if chunk is not None:
                    first, items = chunk
                    data, buffers = dumps(items)
            except Exception as exc:  # iterating or pickling the items failed
                self._fail(job, job.next_index, exc)
                continue
            if chunk is None:
                self._feeding.popleft()
                job.feeding = False
                self._guarded(job.result._set_total, job.next_index)
                self._finish_if_done(job)
                continue
            task_id = next(self._task_ids)
            self.runtime.submit(job.id, task_id, first, len(items), data, buffers)
            job.chunk_starts[task_id] = first
            job.outstanding += 1
            self._feeding.rotate(-1)

    def _handle(self, event):
        (kind, job_id, task_id, first, _count, _duration, payload, buffers,
         crashed_item, pid, by_signal, status, description) = event
        job = self._jobs.get(job_id)
        if job is None:
            return
        job.outstanding -= 1
        # A failed chunk returns no values, not even those before the failing item: as in
        # multiprocessing, imap raises where the chunk starts.
        chunk_start = job.chunk_starts.pop(task_id, first)
        if kind == _pool.EVENT_RESULT:
            # Delivered even after a failure: imap still yields the items before it.
            try:
                values = loads(payload, buffers)
            except Exception as exc:
                self._fail(job, first, exc)
            else:
                self._guarded(job.result._deliver, first, values)
        elif not job.failed:
            if kind == _pool.EVENT_TASK_ERROR:
                self._fail(job, chunk_start, _rebuild_error(payload, buffers))
            else:
                message = (f"worker process {pid} died with {description} "
                           f"while running item {crashed_item}")
                exitcode = -status if by_signal else status
                self._fail(job, chunk_start, WorkerCrashedError(message, crashed_item, pid, exitcode))
        self._finish_if_done(job)

    def _fail(self, job, index, error):
        if job.failed:
            return
        job.failed = True
        if job.feeding:
            job.feeding = False
            self._feeding.remove(job)
        self._guarded(job.result._fail, index, error)
        self._finish_if_done(job)

    def _finish_if_done(self, job):
        if not job.feeding and job.outstanding == 0 and job.id in self._jobs:
            del self._jobs[job.id]
            self.runtime.release_job(job.id)

    def _notify_idle_owners(self):
        if self._idle_waiters:
            busy = {job.owner for job in self._jobs.values()}
            for waiter in [w for w in self._idle_waiters if w[0] not in busy]:
                self._idle_waiters.remove(waiter)
                waiter[1].set()

    def _fail_all(self, error):
        for job in self._jobs.values():
            self._guarded(job.result._fail, -1, error)
        self._jobs.clear()
        self._feeding.clear()
        self._notify_idle_owners()

    @staticmethod
    def _guarded(call, *args):
        # A user callback that raises must not stop the dispatcher (it would strand
        # every other call); report it the way an unhandled thread error is reported.
        try:
            call(*args)
        except Exception:
            print("Exception in an accel.Pool callback:", file=sys.stderr)
            traceback.print_exc()


def _rebuild_error(payload, buffers):
    try:
        error, traceback_text = loads(payload, buffers)
    except Exception as exc:
        return RemoteTaskError(f"a task failed and its exception could not be rebuilt: {exc!r}")
    if traceback_text:
        # multiprocessing's own class and layout (multiprocessing.pool.ExceptionWithTraceback).
        from multiprocessing.pool import RemoteTraceback
        error.__cause__ = RemoteTraceback('\n"""\n' + traceback_text + '"""')
    return error
