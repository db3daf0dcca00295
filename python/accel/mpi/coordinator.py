"""Rank 0's side of the MPI pool: sends tasks to worker ranks and collects what returns.

``MpiRuntime`` has the calls of the local runtime (accel._pool.WorkerPool) that the
pool's Dispatcher drives, so map, imap, apply_async, callbacks, errors and progress bars
work the same over MPI. One runtime and one dispatcher thread serve every MPI pool of the
process: the worker ranks are shared, each pool's jobs are its own.
"""
import collections
import itertools
import threading
import time

from mpi4py import MPI

from .. import _pool
from ..pool.dispatcher import Dispatcher
from . import protocol

# Tasks sent ahead to a busy worker, so it never waits for rank 0 between two tasks:
# about QUEUED_WORK_NS of work, between MIN_DEPTH and MAX_DEPTH tasks. Long tasks go one
# at a time: a task queued behind a long one could not move to a rank that becomes free
# first, and at the end of a call that costs up to a whole task.
QUEUED_WORK_NS = 4e6
MIN_DEPTH, MAX_DEPTH = 1, 64
# How long rank 0 waits for the workers to leave at the end before it aborts the job.
SHUTDOWN_GRACE = 5.0

_EVENT_KIND = {protocol.RESULT: _pool.EVENT_RESULT, protocol.TASK_ERROR: _pool.EVENT_TASK_ERROR}


class MpiRuntime:
    def __init__(self, comm):
        self.comm = comm
        self.workers = list(range(1, comm.Get_size()))
        self._in_flight = {rank: 0 for rank in self.workers}
        self._defined = {rank: set() for rank in self.workers}  # job ids each rank knows
        self._greeted = {rank: set() for rank in self.workers}  # pool ids each rank knows
        self._pending = collections.deque()  # tasks submitted, not yet sent
        self._jobs = {}        # job id → function payload
        self._job_pools = {}   # job id → pool id, set by the pool before it posts the job
        self._pool_hellos = {}  # pool id → its set-up payload
        self._sizers = {}
        self._task_ns = 0.0    # running mean of one task's duration, for the depth
        self._depth = MIN_DEPTH
        self._pending_limit = max(4, len(self.workers) * MIN_DEPTH)
        self._sends = []       # requests of messages still leaving
        self._wake = threading.Event()
        self._last_activity = time.monotonic()  # waits back off from here
        self._status = MPI.Status()

    # -- what the pools tell it (any thread) -----------------------------------------
    def add_pool(self, pool_id, hello):
        self._pool_hellos[pool_id] = hello

    def assign_job(self, job_id, pool_id):
        self._job_pools[job_id] = pool_id

    def wake(self):
        self._wake.set()

    # -- the Dispatcher's calls (its thread only) -----------------------------------
    def define_job(self, job_id, payload):
        self._jobs[job_id] = payload
        self._sizers[job_id] = _pool.ChunkSizer()

    def release_job(self, job_id):
        self._jobs.pop(job_id, None)
        self._sizers.pop(job_id, None)
        self._job_pools.pop(job_id, None)
        for rank, known in self._defined.items():
            if job_id in known:
                known.discard(job_id)
                self._send(rank, [(protocol.RELEASE_JOB, job_id, 0)])

    def submit(self, job_id, task_id, first, count, data, buffers):
        # Sent by the next collect(), with the other tasks submitted until then.
        self._pending.append(((protocol.TASK, job_id, task_id, first, count, data, len(buffers)), buffers))

    def wants_tasks(self):
        return len(self._pending) < self._pending_limit

    def _update_depth(self):
        if self._task_ns > 0:
            self._depth = int(min(MAX_DEPTH, max(MIN_DEPTH, QUEUED_WORK_NS / self._task_ns)))
            self._pending_limit = max(4, len(self.workers) * self._depth)

    def suggest_chunksize(self, job_id, remaining):
        return self._sizers[job_id].suggest(remaining, len(self.workers))

    def job_measured(self, job_id):
        return self._sizers[job_id].item_ns > 0

    def collect(self, timeout):
        """The events that arrived, after waiting up to ``timeout`` for the first."""
        self._send_pending()
        events = self._receive_all()
        if not events:
            def poll():
                self._sends = [entry for entry in self._sends if not MPI.Request.Testall(entry[0])]
                return self._receive_all() or (() if self._wake.is_set() else None)
            # Pending large sends need MPI calls on this side to move: wake up often then.
            sleep = self._wake.wait if not self._sends else (lambda s: self._wake.wait(min(s, 1e-4)))
            events = protocol.wait_quietly(poll, sleep, time.monotonic() + timeout,
                                           self._last_activity) or []
        self._wake.clear()
        if events:
            self._last_activity = time.monotonic()
        return events

    # -- sending and receiving --------------------------------------------------------
    def _send(self, rank, entries, buffers=()):
        self._last_activity = time.monotonic()
        requests = protocol.send(self.comm, rank, entries, buffers)
        if not MPI.Request.Testall(requests):
            self._sends.append((requests, buffers))

    def _send_pending(self):
        """Hands pending tasks to the workers with room, least loaded first, a fair share
        each, in one message per worker."""
        in_flight, pending = self._in_flight, self._pending
        open_ranks = sorted((rank for rank in self.workers if in_flight[rank] < self._depth),
                            key=in_flight.__getitem__)
        for position, rank in enumerate(open_ranks):
            share = -(-len(pending) // (len(open_ranks) - position))  # rounded up
            entries, buffers = [], []
            for _ in range(min(share, self._depth - in_flight[rank])):
                task, task_buffers = pending.popleft()
                if task[1] not in self._defined[rank]:
                    self._introduce(rank, task[1], entries)
                entries.append(task)
                buffers.extend(task_buffers)
                in_flight[rank] += 1
            if entries:
                self._send(rank, entries, buffers)

    def _introduce(self, rank, job_id, entries):
        """Adds the job's definition (and its pool's set-up, the first time) for ``rank``."""
        pool_id = self._job_pools.get(job_id)
        if pool_id not in self._greeted[rank]:
            self._greeted[rank].add(pool_id)
            entries.append((protocol.HELLO, pool_id, self._pool_hellos[pool_id], 0))
        self._defined[rank].add(job_id)
        entries.append((protocol.DEFINE_JOB, job_id, pool_id, self._jobs[job_id], 0))

    def _receive_all(self):
        events = []
        while (message := self.comm.improbe(MPI.ANY_SOURCE, protocol.TAG_HEADER, self._status)) is not None:
            rank = self._status.Get_source()
            replies, buffers = protocol.receive(message, self.comm, rank)
            self._in_flight[rank] -= len(replies)
            measured = collections.defaultdict(lambda: [0, 0])  # job id → [ns, items]
            for kind, job_id, task_id, item, count, duration, payload, buffer_count in replies:
                if kind == protocol.RESULT:
                    measured[job_id][0] += duration
                    measured[job_id][1] += count
                events.append((_EVENT_KIND[kind], job_id, task_id, item, count, duration, payload,
                               protocol.take(buffers, buffer_count), -1, rank, False, 0, ""))
            for job_id, (duration, count) in measured.items():
                if (sizer := self._sizers.get(job_id)) is not None:
                    sizer.record(duration, count)
            mean = sum(reply[5] for reply in replies) / len(replies)
            self._task_ns = mean if self._task_ns == 0 else 0.8 * self._task_ns + 0.2 * mean
        if events:
            self._update_depth()
        return events

    def stop_workers(self, grace=SHUTDOWN_GRACE):
        """Tells every worker rank to leave; False if some did not within ``grace``
        seconds (still busy with a task), so the caller must abort the job."""
        for rank in self.workers:
            self._send(rank, [(protocol.SHUTDOWN, 0)])
        left = set()
        deadline = time.monotonic() + grace

        def poll():
            while (message := self.comm.improbe(MPI.ANY_SOURCE, protocol.TAG_HEADER, self._status)) is not None:
                rank = self._status.Get_source()
                replies, buffers = protocol.receive(message, self.comm, rank)
                if any(reply[0] == protocol.BYE for reply in replies):  # late results: dropped
                    left.add(rank)
            return True if len(left) == len(self.workers) else None

        return protocol.wait_quietly(poll, deadline=deadline) is not None


class Coordinator:
    """The process's one MPI runtime, its dispatcher thread and the ids shared by pools."""

    def __init__(self, comm):
        self.runtime = MpiRuntime(comm)
        self.worker_count = len(self.runtime.workers)
        self.dispatcher = Dispatcher(self.runtime, self.worker_count)
        self.dispatcher.name = "accel-mpi-dispatcher"
        self.dispatcher.start()
        self.job_ids = itertools.count(1)
        self.pool_ids = itertools.count(1)

    def stop(self):
        """Ends the dispatcher, then the worker ranks; True when all left in time."""
        if self.dispatcher.is_alive():
            self.dispatcher.post("terminate")
            self.dispatcher.join(SHUTDOWN_GRACE)
        return self.runtime.stop_workers()
