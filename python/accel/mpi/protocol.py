"""The messages between rank 0 and the worker ranks, and how a rank waits for them.

A message is a list of commands (rank 0 → worker) or replies (worker → rank 0), pickled
by mpi4py (tag ``TAG_HEADER``), followed by one raw MPI message per out-of-band pickle-5
buffer (tag ``TAG_BUFFER``), sent straight from the buffer's memory. MPI keeps messages
between two ranks with the same tag in order, so the buffers follow their header, which
carries their sizes; the last field of a command or reply is how many of them are its.
Many tiny tasks travel in one message, and so do their results: the cost of an MPI
message is paid per batch, not per task.

MPI implementations wait for a message by polling, which would keep a core busy for
every idle rank. Ranks here poll only for a short while after the last activity, then
sleep for longer and longer (at most ``LONGEST_SLEEP``), so ``mpiexec -n 3`` on two cores
still leaves two cores to the work.
"""
import sys
import time

from mpi4py import MPI

TAG_HEADER, TAG_BUFFER = 1, 2

# rank 0 → worker
HELLO, DEFINE_JOB, RELEASE_JOB, TASK, SHUTDOWN = "hello", "define", "release", "task", "shutdown"
# worker → rank 0
RESULT, TASK_ERROR, BYE = "result", "task-error", "bye"

SPIN_SECONDS = 300e-6  # a reply to a tiny task comes within this: polling is cheaper than a sleep
LONGEST_SLEEP = 5e-3   # bounds the delay before an idle rank sees a message


def send(comm, dest, entries, buffers=()):
    """Starts sending a list of commands or replies and then their buffers; returns the
    requests, which must complete (the buffers staying alive) before the buffers may change."""
    requests = [comm.isend((entries, [memoryview(b).nbytes for b in buffers]), dest, TAG_HEADER)]
    for buffer in buffers:
        requests.append(comm.Isend([buffer, MPI.BYTE], dest, TAG_BUFFER))
    return requests


def receive(message, comm, source):
    """The entries of a probed message from ``source`` and an iterator over its buffers,
    in order: each entry takes as many as its last field says."""
    entries, sizes = message.recv()
    return entries, iter(_receive_buffers(comm, source, sizes) if sizes else ())


def take(buffers, count):
    """The next ``count`` buffers of a message, as a list."""
    return [next(buffers) for _ in range(count)] if count else []


def _receive_buffers(comm, source, sizes):
    buffers = []
    for size in sizes:
        buffer = _empty_buffer(size)
        comm.Recv([buffer, MPI.BYTE], source, TAG_BUFFER)
        buffers.append(buffer)
    return buffers


def _empty_buffer(size):
    # bytearray(size) would first write size zero bytes; NumPy's empty does not, and
    # the arrays unpickled onto it are the common case.
    numpy = sys.modules.get("numpy")
    return numpy.empty(size, numpy.uint8) if numpy is not None else bytearray(size)


def wait_quietly(poll, sleep=time.sleep, deadline=None, idle_since=None):
    """Calls ``poll()`` until it returns something other than None, which is returned;
    polls for SPIN_SECONDS after the last activity (``idle_since``, a time.monotonic()
    value; default now), then sleeps between polls with ``sleep(seconds)`` for a time
    that grows with the idle time. Returns None at ``deadline`` (a time.monotonic() value)."""
    result = poll()
    if result is not None:
        return result
    start = time.monotonic() if idle_since is None else idle_since
    while True:
        result = poll()
        if result is not None:
            return result
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            return None
        idle = now - start
        if idle > SPIN_SECONDS:
            pause = min(LONGEST_SLEEP, idle / 8)
            if deadline is not None:
                pause = min(pause, deadline - now)
            sleep(pause)


def complete(requests):
    """Waits, quietly, until every request is done."""
    wait_quietly(lambda: True if MPI.Request.Testall(requests) else None)
