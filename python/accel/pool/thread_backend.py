"""The pool's thread backend: jitted ``nogil`` functions need neither pickling nor other
processes, since their compiled code runs in parallel on threads of this process.

Results are filled into the same result objects the process backend uses
(async_result.py), so every Pool method behaves the same on both.
"""
import threading

from .calls import call_items



def is_nogil_jit(function):
    """Whether ``function`` is an ``@accel.jit(nogil=True)`` function."""
    settings = getattr(function, "_accel_settings", None)
    return bool(settings and settings.get("nogil")) and type(function).__name__ == "Dispatcher"


class ThreadRunner:
    def __init__(self, threads, initializer=None, initargs=()):
        import concurrent.futures  # here, not at import: `import accel` stays light

        self._threads = threads
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="accel-pool-thread", initializer=initializer,
            initargs=tuple(initargs))
        # The result objects are written by one thread at a time, as the dispatcher does.
        self._deliver_lock = threading.Lock()

    def submit(self, function, mode, items, total, chunksize, result):
        """Runs a call's items in chunks on the threads; returns at once."""
        items = list(items)
        if chunksize is None:
            # No pickling, no transport: a few chunks per thread balance the load.
            chunksize = max(1, len(items) // (4 * self._threads))
        starts = iter(range(0, len(items), chunksize))
        take = threading.Lock()

        def drain():
            # Each thread takes the next chunk until none are left: one executor task per
            # thread, not per chunk, keeps the cost of a tiny task to a lock and a call.
            while True:
                with take:
                    first = next(starts, None)
                if first is None:
                    return
                self._run_chunk(function, mode, first, items[first:first + chunksize], result)

        for _ in range(min(self._threads, max(1, len(items)))):
            self._executor.submit(drain)
        with self._deliver_lock:
            result._set_total(len(items))
        return result

    def _run_chunk(self, function, mode, first, chunk, result):
        values = []
        try:
            call_items(function, mode, chunk, first, values)
        except BaseException as error:  # the caller gets it, with its own traceback
            with self._deliver_lock:
                result._fail(first + len(values), error)
            return
        with self._deliver_lock:
            result._deliver(first, values)

    def shutdown(self, wait=True):
        self._executor.shutdown(wait=wait, cancel_futures=not wait)
