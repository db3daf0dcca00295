"""A worker rank's loop: runs the tasks rank 0 sends until it is told to stop.

Tasks run exactly as in a local pool's worker (accel.pool._worker); only the medium
differs: MPI messages instead of shared-memory rings.
"""
import collections
import faulthandler
import os
import signal
import time

from mpi4py import MPI

from ..pool._worker import _error_payload, _set_up, run_task
from ..pool.errors import WorkerCrashedError
from ..pool.serialization import loads
from . import protocol
from .task_page import TaskPage


def _function_name(job):
    func, _mode = job
    return getattr(func, "__qualname__", None) or type(func).__qualname__


# A worker holds results of tiny tasks back until it has no task left or this much time
# has passed since the first of them, so they go back in one message. Before a task that
# may be long (its job's last task took longer, or it is the job's first), they go at once.
REPLY_DELAY_NS = 500_000


class _Worker:
    def __init__(self, comm):
        self.comm = comm
        self.status = MPI.Status()
        self.page = TaskPage(comm.Get_rank())
        self.jobs = {}          # job id → (pool id, (func, mode)) or the exception unpickling raised
        self.setup_errors = {}  # pool id → what its initializer raised, or None
        self.commands = collections.deque()
        self.replies, self.reply_buffers, self.first_reply_ns = [], [], 0
        self.last_duration_ns = {}  # job id → how long its last task took here

    def poll(self):
        message = self.comm.improbe(0, protocol.TAG_HEADER, self.status)
        if message is None:
            return None
        entries, buffers = protocol.receive(message, self.comm, 0)
        self.commands.extend(entry[:-1] + (protocol.take(buffers, entry[-1]),) for entry in entries)
        return True

    def flush(self):
        if self.replies:
            protocol.complete(protocol.send(self.comm, 0, self.replies, self.reply_buffers))
            self.replies, self.reply_buffers = [], []

    def serve(self):
        while True:
            if not self.commands:
                self.poll()
            if not self.commands:
                self.flush()
                protocol.wait_quietly(self.poll)
            command = self.commands.popleft()
            kind = command[0]
            if kind == protocol.TASK:
                self.run_task(*command[1:])
            elif kind == protocol.DEFINE_JOB:
                _, job_id, pool_id, payload, _ = command
                try:
                    self.jobs[job_id] = (pool_id, loads(payload))
                except Exception as exc:  # reported by each of the job's tasks
                    self.jobs[job_id] = (pool_id, exc)
            elif kind == protocol.RELEASE_JOB:
                self.jobs.pop(command[1], None)
                self.last_duration_ns.pop(command[1], None)
            elif kind == protocol.HELLO:
                self.setup_errors[command[1]] = _set_up(command[2])
            elif kind == protocol.SHUTDOWN:
                self.flush()
                protocol.complete(protocol.send(self.comm, 0, [(protocol.BYE, 0)]))
                return

    def run_task(self, job_id, task_id, first, count, data, buffers):
        if self.last_duration_ns.get(job_id, REPLY_DELAY_NS) >= REPLY_DELAY_NS:
            self.flush()
        started = time.perf_counter_ns()
        pool_id, job = self.jobs[job_id]
        if (setup_error := self.setup_errors.get(pool_id)) is not None:
            job = setup_error
        elif not isinstance(job, BaseException):
            self.page.start_job(job_id, _function_name(job))
        self.page.set_current_item(first)
        try:
            succeeded, payload, out, item = run_task(job, first, count, data, buffers, self.page)
        except (SystemExit, KeyboardInterrupt) as exc:
            # A local worker would end here; a rank that left would end the whole MPI job.
            succeeded, item = False, self.page.current_item
            payload, out = _error_payload(WorkerCrashedError(
                f"a task raised {exc!r} on worker rank {self.comm.Get_rank()} while running "
                f"item {item}; the rank stays in the job", item, os.getpid(),
                exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else 1))
        del data, buffers
        self.page.idle()
        finished = time.perf_counter_ns()
        kind = protocol.RESULT if succeeded else protocol.TASK_ERROR
        self.last_duration_ns[job_id] = finished - started
        if not self.replies:
            self.first_reply_ns = started
        self.replies.append((kind, job_id, task_id, item, count, finished - started, payload, len(out)))
        self.reply_buffers.extend(out)
        if out or finished - self.first_reply_ns >= REPLY_DELAY_NS:
            self.flush()


def serve(comm):
    # Ctrl-C reaches every rank; rank 0 decides what happens to the job.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    faulthandler.enable()
    worker = _Worker(comm)

    def terminated(signum, frame):
        # Open MPI's mpirun ends the ranks with SIGTERM (then SIGKILL) on Ctrl-C, MPI_Abort
        # or another rank's death: mark the page so the watchdog stays quiet, then die of it.
        worker.page.terminated()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, terminated)
    try:
        worker.serve()
    finally:
        worker.page.finish()
