"""Exceptions the pool raises in the parent process."""


class WorkerCrashedError(RuntimeError):
    """A worker process died while running a task (segfault, os._exit, a signal).

    ``index`` is the item the worker was running (its position in the iterable given to
    map, 0 for apply); ``pid`` the worker; ``exitcode`` follows multiprocessing's
    convention: the exit status, or minus the signal number when a signal ended it.
    """

    def __init__(self, message, index=None, pid=None, exitcode=None):
        super().__init__(message)
        self.index = index
        self.pid = pid
        self.exitcode = exitcode

    def __reduce__(self):
        return type(self), (self.args[0], self.index, self.pid, self.exitcode)


class RemoteTaskError(Exception):
    """Stands in for an exception from a worker that could not be sent back as is."""


class PoolInterruptedError(RuntimeError):
    """The call's tasks were dropped because the pool was interrupted or terminated."""


def __getattr__(name):
    # RemoteTraceback is multiprocessing's own (multiprocessing.pool.RemoteTraceback, whose
    # .tb is the text), so code written for multiprocessing recognizes it. Imported on
    # first use: multiprocessing.pool costs a worker ~10 ms to import.
    if name == "RemoteTraceback":
        from multiprocessing.pool import RemoteTraceback
        return RemoteTraceback
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
