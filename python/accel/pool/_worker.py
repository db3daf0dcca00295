"""The worker process's loop. Started by the runtime as a fresh interpreter
(see pool.py, _worker_command); everything about channels lives in accel._pool."""
import sys
import time
import traceback

from .. import _pool
from .calls import APPLY, call_items
from .errors import RemoteTaskError
from .serialization import dumps, dumps_result, loads

def _error_payload(exc, text=None):
    """``(exception, traceback text)`` pickled for the pool; the text is None for an
    error that has no remote traceback (a result that could not be sent)."""
    if text is None and exc.__traceback__ is not None:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        data, buffers = dumps((exc, text))
        loads(data, buffers)  # the parent must be able to rebuild it, too
        return data, buffers
    except Exception:
        return dumps((RemoteTaskError(f"{type(exc).__qualname__}: {exc}"), text))


def run_task(job, first, count, data, buffers, tracker):
    """Runs one task: ``job`` is ``(func, mode)``, or the exception each of its tasks must
    raise. Returns ``(succeeded, payload, out_of_band_buffers, item)``, where item is the
    task's first item, or on failure the item that failed. ``tracker.set_current_item``
    hears of each item of a chunk as it starts."""
    results = []
    try:
        if isinstance(job, BaseException):
            raise job
        func, mode = job
        items = loads(data, buffers)
        del data, buffers
        call_items(func, mode, items, first, results, tracker)
        # The items' shared buffers go back to the pool with this very result.
        del items
    except Exception as exc:
        return (False, *_error_payload(exc), first + min(len(results), max(count - 1, 0)))
    try:
        return (True, *dumps_result(results), first)
    except Exception as exc:  # no pickler can send it: multiprocessing's error for that
        from multiprocessing.pool import MaybeEncodingError
        value = results[0] if mode == APPLY else results
        error = MaybeEncodingError(exc, value)
        return (False, *_error_payload(error, ""), first)


def serve(endpoint):
    jobs = {}
    setup_error = None
    while True:
        message = endpoint.receive()
        if message is None:  # the pool's process is gone
            return
        kind, job_id, task_id, first, count, payload, buffers = message
        if kind == _pool.MSG_TASK:
            started = time.perf_counter_ns()
            job = setup_error if setup_error is not None else jobs[job_id]
            del message
            succeeded, data, out, item = run_task(job, first, count, payload, buffers, endpoint)
            del payload, buffers
            duration = time.perf_counter_ns() - started
            reply = _pool.MSG_RESULT if succeeded else _pool.MSG_TASK_ERROR
            if not endpoint.send(reply, job_id, task_id, item, count, duration, data, out):
                return
            del data, out
        elif kind == _pool.MSG_DEFINE_JOB:
            try:
                jobs[job_id] = loads(payload)
            except Exception as exc:  # reported by each of the job's tasks
                jobs[job_id] = exc
        elif kind == _pool.MSG_RELEASE_JOB:
            jobs.pop(job_id, None)
        elif kind == _pool.MSG_HELLO:
            setup_error = _set_up(payload)
        elif kind == _pool.MSG_SHUTDOWN:
            return


def _set_up(payload):
    """Runs the Hello message; returns the exception every task must report, if any
    (dying instead would only make the pool start another worker that fails alike)."""
    try:
        setup = loads(payload)
        sys.path[:] = setup["sys_path"]
        if setup.get("authkey") is not None:
            import multiprocessing.process
            multiprocessing.process.current_process().authkey = setup["authkey"]
        initializer, initargs = loads(setup["initializer"])
        if initializer is not None:
            initializer(*initargs)
    except Exception as exc:
        return exc
    return None


def main(argv):
    """``argv``: the pool segment's fd, the worker's slot, the pool's pid, the parent's
    pid (the pool's, or its fork server's) and the prefix of the worker's segments."""
    fd, slot, owner, parent, prefix = int(argv[0]), int(argv[1]), int(argv[2]), int(argv[3]), argv[4]
    endpoint = _pool.WorkerEndpoint(fd, slot, owner, parent, prefix)
    try:
        serve(endpoint)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
